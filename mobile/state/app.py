"""Application state of one tablet session: where we are, who is signed in, what is shown.

Screens read this object and call its methods; they never talk to the services. Its
fields are declared once (``base.StateBase``), what belongs to one concept in a nested
observable part (``parts.py``: ``device``, ``sync``, ``home``, ``shown``, ``card``; the
form and the signing likewise). Its behaviour comes one module per concept:
``session`` (enrol, unlock, lock, idle lock), ``sync`` (indicator and manual sync),
``intake`` (form, drafts, preview, supplement), ``signing`` and ``dossiers`` (home list,
detail). Methods that may block are ``async``
and go through ``backend.run_guarded``: busy → worker thread → catalogue message in the
right place (under a field, or in the banner); nothing typed is lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar, cast

import flet as ft

from mobile.state.base import (
    PROTECTED,
    ROUTE_ENROLL,
    ROUTE_FORM,
    ROUTE_HOME,
    ROUTE_PREVIEW,
    ROUTE_SIGN,
    ROUTE_UNLOCK,
    StateBase,
)
from mobile.state.dossiers import DossierMixin
from mobile.state.intake import IntakeMixin
from mobile.state.parts import SyncView
from mobile.state.session import SessionMixin
from mobile.state.signing import SigningMixin
from mobile.state.sync import SyncMixin

__all__ = ["AppState", "SyncView"]


@ft.observable
@dataclass
class AppState(SessionMixin, SyncMixin, IntakeMixin, SigningMixin, DossierMixin, StateBase):
    """Its fields are ``StateBase``'s (declared there once); its behaviour, the mixins'."""

    # The nested observable parts: a change in one is relayed as a change of the app state,
    # so the screens (components of ``AppState``) draw it.
    PARTS: ClassVar[tuple[str, ...]] = ("device", "sync", "home", "shown", "card")

    def __post_init__(self) -> None:
        self._last_touch = time.monotonic()
        # Kept here: an observable holds its listeners weakly.
        notify = cast(ft.Observable, self)._notify
        self._relay = lambda _part, name: notify(name)
        for part in self.PARTS:
            getattr(self, part).subscribe(self._relay)
        self.reload_device()

    # --- navigation ---
    def current_route(self) -> str:
        """The route to show, after the guards: enrolment first, then unlock."""
        if not self.device.enrolled:
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
        if self.shown.detail is not None and "code" in self.shown.detail:
            self._reload_detail()  # the result's line, in the new language

    def dismiss_banner(self) -> None:
        self.banner = ""
