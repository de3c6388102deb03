"""Shared pieces of the app state: routes, the sync view, and the base every part uses.

``StateBase`` declares (for the type checker) the fields ``AppState`` defines and holds
the small helpers every part calls: ``touch`` (resets the idle timer), ``_fail`` and
``_info`` (the banner). The parts (session, sync, intake, dossiers) are mixins of the
one observable ``AppState`` so that a screen re-renders whichever part changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mobile.i18n import tr
from mobile.services.drafts import Draft
from mobile.services.keystore import Session
from mobile.services.tablet import TabletService
from mobile.state.backend import Backend, user_message
from mobile.state.form import FormState
from shared.citizen import Citizen
from shared.errors import problem
from shared.model import DossierSummary

ROUTE_ENROLL = "enroll"
ROUTE_UNLOCK = "unlock"
ROUTE_HOME = "home"
ROUTE_PICK = "new"
ROUTE_FORM = "form"
ROUTE_PREVIEW = "preview"
ROUTE_RECEIPT = "receipt"
ROUTE_DOSSIER = "dossier"
ROUTE_SIGN = "sign"  # the declaration signed after the read-back (state/signing.py)
# How long a good-news banner stays (seconds); problems stay until closed.
INFO_SECONDS = 10.0
# Routes that show citizen data: only while unlocked.
PROTECTED = {
    ROUTE_HOME,
    ROUTE_PICK,
    ROUTE_FORM,
    ROUTE_PREVIEW,
    ROUTE_SIGN,
    ROUTE_RECEIPT,
    ROUTE_DOSSIER,
}


@dataclass(frozen=True)
class SyncView:
    pending: int = 0
    inbox_waiting: int = 0
    last_sync_at: str | None = None
    last_error: str = ""
    station_url: str = ""


def required(field_id: str, label: str, lang: str = "vi") -> str:
    """The catalogue's FIELD_REQUIRED text for the app's own (non-procedure) inputs;
    ``label`` is Vietnamese, its English from ``mobile.i18n``."""
    return problem("FIELD_REQUIRED", field_id, label=label, label_en=tr("en", label)).message(lang)


def message(err: BaseException) -> str:
    return user_message(err, "vi")


class StateBase:
    """Field declarations and helpers shared by the parts of ``AppState``."""

    backend: Backend
    route: str
    lang: str
    busy: str
    on_device: bool
    banner: str
    banner_ok: bool
    enrolled: bool
    unit_name: str
    known_users: list[str]
    office_staff: list[dict[str, str]]
    user: Session | None
    field_errors: dict[str, str]
    sync: SyncView
    sync_words: str
    sync_fraction: float | None
    dossiers: list[DossierSummary]
    search: str
    status_filter: str
    form: FormState | None
    receipt: DossierSummary | None
    detail: dict[str, Any] | None
    drafts: list[Draft]
    result_info: str
    result_images: list[bytes]
    paper_path: str
    papers: list[str]
    paper_sent: str
    scan: dict[str, Any] | None
    scan_error: str
    scan_unit: str
    citizen_hits: list[Citizen]
    signing: Any  # mobile.state.signing.SigningState | None
    _last_touch: float
    _banner_until: float
    _draft_dirty: bool
    _station_failures: dict[str, int]
    # What is shown as a problem, as how to say it: the banner under "", fields by name.
    _spoken: dict[str, tuple[Callable[[str], str], str]]

    @property
    def service(self) -> TabletService:
        return self.backend.service

    def touch(self) -> None:
        self._last_touch = time.monotonic()

    def _fail(self, err: BaseException) -> None:
        self.banner = self._keep_saying("", lambda lang: user_message(err, lang))
        self.banner_ok = False
        self._banner_until = 0.0  # a problem stays until it is read and closed

    def _say_field_errors(self, words: dict[str, Callable[[str], str]]) -> None:
        """Show field errors, kept as how to say them rather than as finished text."""
        self.field_errors = {k: self._keep_saying(k, say) for k, say in words.items()}

    def _keep_saying(self, where: str, say: Callable[[str], str]) -> str:
        """``say`` in the app's language, remembered for :meth:`resay` under ``where``
        ("" for the banner, a field name for a field's error)."""
        shown = say(self.lang)
        self._spoken[where] = (say, shown)
        return shown

    def resay(self) -> None:
        """After a switch of language: the problems still shown, said again in it — a
        wrong-PIN message shown in Vietnamese stayed Vietnamese in English (issue 21)."""
        spoken = self._spoken
        for where, (say, shown) in list(spoken.items()):
            current = self.banner if where == "" else self.field_errors.get(where)
            if current != shown:  # replaced or cleared since: nothing to say again
                del spoken[where]
                continue
            again = say(self.lang)
            spoken[where] = (say, again)
            if where == "":
                self.banner = again
            else:
                self.field_errors = {**self.field_errors, where: again}

    def _info(self, text: str) -> None:
        """A good-news banner (``text`` already in the app's language, via ``tr``); it
        goes by itself after ``INFO_SECONDS`` so it never sits over the next step
        (issue 21, item 7)."""
        self.banner = text
        self.banner_ok = True
        self._banner_until = time.monotonic() + INFO_SECONDS

    def expire_banner(self) -> bool:
        """Called every second: drop a good-news banner whose time is up."""
        until = getattr(self, "_banner_until", 0.0)
        if self.banner and self.banner_ok and until and time.monotonic() >= until:
            self.banner = ""
            self._banner_until = 0.0
            return True
        return False

    # implemented by the parts; declared here so each part can call the others
    def refresh(self) -> None:
        raise NotImplementedError

    def refresh_sync(self) -> None:
        raise NotImplementedError

    def _reload_detail(self) -> None:
        raise NotImplementedError

    def save_draft(self) -> bool:
        raise NotImplementedError

    def today(self) -> Any:
        raise NotImplementedError

    def go(self, route: str) -> None:
        raise NotImplementedError

    def open_dossier(self, dossier_id: str) -> None:
        raise NotImplementedError

    def load_papers(self, dossier_id: str) -> None:
        raise NotImplementedError

    def _drafts(self) -> Any:
        raise NotImplementedError
