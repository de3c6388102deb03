"""The app state's routes and its one declaration of fields (``StateBase``).

``StateBase`` holds every field of ``AppState`` once — the page-wide ones, and the nested
observable parts of ``parts.py`` — and the small helpers every behaviour module calls:
``touch`` (resets the idle timer), ``_fail`` and ``_info`` (the banner), the problems
said again after a language switch.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mobile.i18n import tr
from mobile.services.keystore import Session
from mobile.services.tablet import TabletService
from mobile.state.backend import Backend, user_message
from mobile.state.form import FormState
from mobile.state.parts import (
    CardView,
    DeviceView,
    HomeView,
    OpenDossier,
    SigningState,
    SyncView,
)
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


def required(field_id: str, label: str, lang: str = "vi") -> str:
    """The catalogue's FIELD_REQUIRED text for the app's own (non-procedure) inputs;
    ``label`` is Vietnamese, its English from ``mobile.i18n``."""
    return problem("FIELD_REQUIRED", field_id, label=label, label_en=tr("en", label)).message(lang)


def message(err: BaseException) -> str:
    return user_message(err, "vi")


@dataclass
class StateBase:
    """The app state's fields, declared once, and the helpers every behaviour module uses.

    ``AppState`` is this dataclass made observable, with the behaviour of the modules
    ``session``, ``sync``, ``intake``, ``dossiers`` and ``signing`` mixed in (they hold no
    fields). What belongs to one concept is a nested observable part (``parts.py``):
    ``device``, ``sync``, ``home``, ``shown`` (the open dossier) and ``card``; the form and
    the signing are nested the same way (``form.py``, ``signing.py``).
    """

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
    field_errors: dict[str, str] = field(default_factory=dict)  # enroll/unlock inputs
    user: Session | None = None
    device: DeviceView = field(default_factory=DeviceView)
    sync: SyncView = field(default_factory=SyncView)
    home: HomeView = field(default_factory=HomeView)
    shown: OpenDossier = field(default_factory=OpenDossier)
    card: CardView = field(default_factory=CardView)
    form: FormState | None = None
    receipt: DossierSummary | None = None
    paper_path: str = ""  # the supplement request last handed to the browser/device
    signing: SigningState | None = None  # the declaration's marks (state/signing.py)
    _last_touch: float = field(default=0.0, init=False, repr=False)
    _banner_until: float = field(default=0.0, init=False, repr=False)
    _draft_dirty: bool = field(default=False, init=False, repr=False)
    # First unlocks the station refused, per name (the hint under the PIN).
    _station_failures: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    # What is shown as a problem, as how to say it: the banner under "", fields by name.
    _spoken: dict[str, tuple[Callable[[str], str], str]] = field(
        default_factory=dict, init=False, repr=False
    )

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
