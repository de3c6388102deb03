"""The observable parts of the app state, one per concept, each field declared once.

``AppState`` nests them as it nests ``FormState`` and ``SigningState``: a screen reads
``state.home.search`` or ``state.sync.pending``, and a change to any part re-renders the
screens, because ``AppState`` relays each part's change as its own (``AppState.parts``).
The behaviour that needs the services, the banner or another part stays in the
``AppState`` modules (``session``, ``sync``, ``intake``, ``dossiers``, ``signing``);
what only touches a part's own fields lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flet as ft

from mobile.i18n import tr
from mobile.services.drafts import Draft
from mobile.state.fmt import home_rows
from shared.citizen import Citizen
from shared.model import DossierSummary
from shared.signatures import SignatureMark, SigningParty

ON_PAPER = (
    "Chưa có chữ ký trên màn hình: {who} ký tay trên tờ khai in ra (“Xem tờ khai (PDF)” để "
    "in); nhận lại bản đã ký rồi gửi."
)


@ft.observable
@dataclass
class DeviceView:
    """What the tablet shows without unlocking: enrolled or not, its unit, who may unlock
    here, and the office's staff (names for the unlock screen's picker)."""

    enrolled: bool = False
    unit_name: str = ""
    known_users: list[str] = field(default_factory=list)
    office_staff: list[dict[str, str]] = field(default_factory=list)  # from the station


@ft.observable
@dataclass
class SyncView:
    """The sync bar: what waits, when it last worked, and — while syncing — what it does."""

    pending: int = 0
    inbox_waiting: int = 0
    last_sync_at: str | None = None
    last_error: str = ""
    station_url: str = ""
    words: str = ""  # while syncing: what it is doing, in words
    fraction: float | None = None  # while syncing: 0..1, None when only counting

    def show(
        self,
        *,
        pending: int = 0,
        inbox_waiting: int = 0,
        last_sync_at: str | None = None,
        last_error: str = "",
        station_url: str = "",
    ) -> None:
        """The indicator's figures as the tablet's store has them now."""
        self.pending, self.inbox_waiting = pending, inbox_waiting
        self.last_sync_at, self.last_error, self.station_url = (
            last_sync_at,
            last_error,
            station_url,
        )


@ft.observable
@dataclass
class HomeView:
    """The home list: today's dossiers and the drafts, searched and filtered."""

    dossiers: list[DossierSummary] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    search: str = ""  # accent-insensitive search over title and code
    procedure_search: str = ""  # the picker's search over code, name and lĩnh vực
    status_filter: str = ""  # one of fmt.STATUS_FILTERS

    def rows(self) -> list[DossierSummary]:
        return home_rows(self.dossiers, self.search, self.status_filter)

    def clear(self) -> None:
        """Forget the citizens' dossiers (on lock)."""
        self.dossiers, self.drafts, self.search = [], [], ""


@ft.observable
@dataclass
class OpenDossier:
    """The dossier shown (its record as the tablet holds it), its result and its papers."""

    detail: dict[str, Any] | None = None
    result_info: str = ""
    result_images: list[bytes] = field(default_factory=list)  # the result's pages, shown
    papers: list[str] = field(default_factory=list)  # the receipt's / dossier's papers
    paper_sent: str = ""  # the paper last handed to the browser download or share sheet

    def clear(self) -> None:
        self.detail, self.result_info, self.result_images = None, "", []
        self.papers, self.paper_sent = [], ""


@ft.observable
@dataclass
class CardView:
    """A chip ID card read for the form, and the citizen book's answers."""

    scan: dict[str, Any] | None = None  # a read card waiting to fill a person
    scan_error: str = ""
    scan_unit: str = ""  # today's unit staff confirmed for the card's printed address
    citizen_hits: list[Citizen] = field(default_factory=list)  # citizen book search

    def clear(self) -> None:
        self.scan, self.scan_error, self.scan_unit = None, "", ""
        self.citizen_hits = []


@ft.observable
@dataclass
class SigningState:
    """The marks given so far for one confirmed read-back (party → mark)."""

    key: str
    parties: list[SigningParty]
    marks: dict[str, SignatureMark] = field(default_factory=dict)
    witness_for: str = ""  # the party whose thumbprint is waiting for a witness's name
    error: str = ""
    generation: int = 0  # bumped on "Ký lại", so the pad drops its ink

    def missing(self) -> list[SigningParty]:
        return [p for p in self.parties if p.party not in self.marks]

    def on_paper(self) -> list[SigningParty]:
        """Parties who chose "Ký trên giấy": nothing is signed yet, they sign the print."""
        return [p for p in self.parties if (m := self.marks.get(p.party)) and m.kind == "paper"]

    def status(self, lang: str = "vi") -> str:
        """The line under the parties: who is still to sign, who signs on paper, or that
        every mark is in. "Đã đủ chữ ký" only when every party has signed (pad or
        thumbprint): a paper choice is a promise, not a signature."""
        vi = lang == "vi"
        if missing := self.missing():
            who = ", ".join((p.label_vi if vi else p.label_en).lower() for p in missing)
            return tr(lang, "Còn thiếu chữ ký của: {who}.", who=who)
        if paper := self.on_paper():
            who = ", ".join((p.label_vi if vi else p.label_en).lower() for p in paper)
            return tr(lang, ON_PAPER, who=who)
        return tr(lang, "Đã đủ chữ ký. Có thể tiếp nhận hồ sơ.")

    def ordered(self) -> list[SignatureMark]:
        return [self.marks[p.party] for p in self.parties if p.party in self.marks]
