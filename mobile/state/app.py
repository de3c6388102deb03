"""Application state of one tablet session: where we are, who is signed in, what is shown.

Screens read this object and call its methods; they never talk to the services. It is
one observable made of parts, one module each: ``session`` (enrol, unlock, lock, idle
lock), ``sync`` (indicator and manual sync), ``intake`` (form, drafts, preview,
supplement) and ``dossiers`` (home list, detail). Methods that may block are ``async``
and go through ``backend.run_guarded``: busy → worker thread → catalogue message in the
right place (under a field, or in the banner); nothing typed is lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import flet as ft

from mobile.services.drafts import Draft
from mobile.services.keystore import Session
from mobile.state.backend import Backend
from mobile.state.base import (
    PROTECTED,
    ROUTE_DOSSIER,
    ROUTE_ENROLL,
    ROUTE_FORM,
    ROUTE_HOME,
    ROUTE_PICK,
    ROUTE_PREVIEW,
    ROUTE_RECEIPT,
    ROUTE_SIGN,
    ROUTE_UNLOCK,
    SyncView,
)
from mobile.state.dossiers import DossierMixin
from mobile.state.form import FormState
from mobile.state.intake import IntakeMixin
from mobile.state.session import SessionMixin
from mobile.state.signing import SigningMixin, SigningState
from mobile.state.sync import SyncMixin
from shared.citizen import Citizen
from shared.model import DossierSummary

__all__ = [
    "PROTECTED",
    "ROUTE_DOSSIER",
    "ROUTE_ENROLL",
    "ROUTE_FORM",
    "ROUTE_HOME",
    "ROUTE_PICK",
    "ROUTE_PREVIEW",
    "ROUTE_RECEIPT",
    "ROUTE_SIGN",
    "ROUTE_UNLOCK",
    "AppState",
    "SyncView",
]


@ft.observable
@dataclass
class AppState(SessionMixin, SyncMixin, IntakeMixin, SigningMixin, DossierMixin):
    backend: Backend
    route: str = ROUTE_UNLOCK
    text_level: int = 0  # 0 normal, 1 large, 2 extra large (theme.TEXT_SCALES)
    high_contrast: bool = False
    lang: str = "vi"  # "vi" | "en": the app's language; kept across lock/unlock
    on_device: bool = False  # a phone/tablet build (share sheet), not the web build
    width: float = 1280  # the window's width: below theme.NARROW_WIDTH the phone layout
    busy: str = ""  # the running blocking action: enroll, unlock, sync, check, intake, result
    banner: str = ""
    banner_ok: bool = False
    enrolled: bool = False
    unit_name: str = ""
    known_users: list[str] = field(default_factory=list)
    office_staff: list[dict[str, str]] = field(default_factory=list)  # from the station
    user: Session | None = None
    field_errors: dict[str, str] = field(default_factory=dict)  # enroll/unlock inputs
    sync: SyncView = field(default_factory=SyncView)
    sync_words: str = ""  # while syncing: what it is doing, in words
    sync_fraction: float | None = None  # while syncing: 0..1, None when only counting
    dossiers: list[DossierSummary] = field(default_factory=list)
    search: str = ""  # home: accent-insensitive search over title and code
    status_filter: str = ""  # home: one of fmt.STATUS_FILTERS
    form: FormState | None = None
    receipt: DossierSummary | None = None
    detail: dict[str, Any] | None = None
    drafts: list[Draft] = field(default_factory=list)
    result_info: str = ""
    result_images: list[bytes] = field(default_factory=list)  # the result's pages, shown
    paper_path: str = ""  # the supplement request last handed to the browser/device
    papers: list[str] = field(default_factory=list)  # the receipt's / dossier's papers
    paper_sent: str = ""  # the paper last handed to the browser download or share sheet
    scan: dict[str, Any] | None = None  # a read chip ID card waiting to fill a person
    scan_error: str = ""
    scan_unit: str = ""  # today's unit staff confirmed for the card's printed address
    citizen_hits: list[Citizen] = field(default_factory=list)  # citizen book search
    signing: SigningState | None = None  # the declaration's marks (state/signing.py)

    def __post_init__(self) -> None:
        self._last_touch = time.monotonic()
        self._banner_until = 0.0
        self._draft_dirty = False
        self._station_failures: dict[str, int] = {}  # first unlocks refused, per name
        self._spoken = {}  # problems shown, as how to say them (StateBase.resay)
        self.reload_device()

    # --- navigation ---
    def current_route(self) -> str:
        """The route to show, after the guards: enrolment first, then unlock."""
        if not self.enrolled:
            return ROUTE_ENROLL
        if self.user is None and self.route in PROTECTED | {ROUTE_ENROLL}:
            return ROUTE_UNLOCK
        if self.route == ROUTE_FORM and self.form is None:
            return ROUTE_HOME
        if self.route == ROUTE_PREVIEW and (self.form is None or self.form.checked is None):
            return ROUTE_FORM if self.form else ROUTE_HOME
        if self.route == ROUTE_SIGN and (
            self.form is None or not self.form.read_back_at or self.signing is None
        ):
            return ROUTE_PREVIEW if self.form else ROUTE_HOME
        return self.route

    def go(self, route: str) -> None:
        self.touch()
        self.banner = ""
        self.route = route

    @property
    def large_text(self) -> bool:
        return self.text_level > 0

    def toggle_large_text(self) -> None:
        """Next text size: normal → large → extra large → normal."""
        self.touch()
        self.text_level = (self.text_level + 1) % 3

    def set_width(self, width: float | None) -> None:
        if width and abs(width - self.width) >= 1:
            self.width = float(width)

    def toggle_high_contrast(self) -> None:
        self.touch()
        self.high_contrast = not self.high_contrast

    def toggle_lang(self) -> None:
        """Vietnamese ⇄ English, at any time; an open form switches with the app, so its
        labels, choices and error messages follow (issue 10)."""
        self.touch()
        self.lang = "en" if self.lang == "vi" else "vi"
        self.resay()  # a problem still shown follows the language (a wrong PIN, …)
        if self.form is not None:
            self.form.lang = self.lang
            self.recheck_shown()  # the red messages follow the language too
        if self.detail is not None and "code" in self.detail:
            self._reload_detail()  # the result's line, in the new language

    def dismiss_banner(self) -> None:
        self.banner = ""
