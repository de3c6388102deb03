"""The observable parts of a desk session, one per concept, each field declared once.

``DeskState`` nests them (``queue``, ``opened``, ``admin``, ``reports``) and relays each
part's change as its own, so the screens — components of ``DeskState`` — redraw. What only
touches a part's own fields lives here; what needs the backend, the banner or another
part stays in ``DeskState``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flet as ft

from shared.views import DossierRow, DossierView, HeldEdit, LookupsView
from sync_server.desk import queue as qv
from sync_server.desk import report as rv
from sync_server.desk.backend import EnrollTicket


@ft.observable
@dataclass
class QueueView:
    """The dossiers the person may read, and how they are looking at them."""

    rows: list[DossierRow] = field(default_factory=list)
    tab: str = "all"
    procedure: str = ""
    status: str = ""
    query: str = ""

    def set_tab(self, key: str) -> None:
        self.tab, self.status = key, ""

    def set_query(self, text: str) -> None:
        self.query = text

    def set_procedure(self, code: str) -> None:
        self.procedure = code

    def set_status(self, status: str) -> None:
        self.status = status

    def visible(self) -> list[DossierRow]:
        return qv.select(
            self.rows, tab=self.tab, procedure=self.procedure, status=self.status, query=self.query
        )

    def counts(self) -> dict[str, int]:
        return qv.counts(self.rows)

    def clear(self) -> None:
        self.rows = []
        self.query = self.procedure = self.status = ""


@ft.observable
@dataclass
class OpenedDossier:
    """The dossier open at the desk and everything read with it; the action dialog."""

    detail: DossierView | None = None
    result_url: str = ""
    # The dossier's papers as (label, short-lived link), issue 21 §2 (backend.paper_links).
    paper_links: list[tuple[str, str]] = field(default_factory=list)
    # Its photos (DeskBackend.photos): references, thumbnails, links.
    photos: list[dict[str, Any]] = field(default_factory=list)
    # Its lookup step (DeskBackend.lookups): needs, records, verifications.
    lookups: LookupsView | None = None
    # The tablets' edits of it kept as conflicts (DeskBackend.held_edits).
    held: list[HeldEdit] = field(default_factory=list)
    # The parties who have signed its result (a kết hôn's spouses), and the approved, not
    # yet sealed certificate to print for them to sign on paper.
    result_signed: list[str] = field(default_factory=list)
    certificate_url: str = ""
    dialog: str = ""  # the action whose dialog is open ("" = none)
    dialog_error: str = ""

    def open_dialog(self, action: str) -> None:
        self.dialog, self.dialog_error = action, ""

    def close_dialog(self) -> None:
        self.dialog, self.dialog_error = "", ""

    def clear(self) -> None:
        """Forget the dossier and everything of the citizen read with it."""
        self.detail, self.result_url, self.paper_links, self.photos = None, "", [], []
        self.lookups, self.held = None, []
        self.result_signed, self.certificate_url = [], ""
        self.close_dialog()


@ft.observable
@dataclass
class AdminView:
    """The administrator's pages: staff, tablets, the unit, the calendar, backups."""

    staff: list[dict[str, Any]] = field(default_factory=list)
    devices: list[dict[str, Any]] = field(default_factory=list)
    ticket: EnrollTicket | None = None
    unit: dict[str, Any] = field(default_factory=dict)
    unit_error: str = ""  # an unknown province/commune: the catalogue's message
    unit_candidates: list[str] = field(default_factory=list)  # its closest official names
    # door.public_url_show(): the public verify address, "ready" and "why" not.
    public: dict[str, Any] = field(default_factory=dict)
    calendar: dict[str, Any] = field(default_factory=dict)  # calendar_list(): off, work, entries
    # DeskBackend.backup_status(): last backup, schedule, missed, restore, "cần xử lý lại".
    backup: dict[str, Any] = field(default_factory=dict)

    def clear(self) -> None:
        """On sign-out (the backup warning is read again at the next sign-in)."""
        self.staff, self.devices, self.ticket, self.unit = [], [], None, {}
        self.unit_error, self.unit_candidates, self.calendar = "", [], {}


@ft.observable
@dataclass
class ReportView:
    """The report page: the figures read, what was picked, the export links."""

    report: dict[str, Any] = field(default_factory=dict)  # GET /v1/reports/summary's JSON
    choice: rv.Choice = field(default_factory=rv.Choice)  # period kind, day, scope
    links: dict[str, str] = field(default_factory=dict)  # csv / pdf → short link
    province_linked: bool = False  # registered with a provincial hub: "Toàn tỉnh" offered

    def clear(self) -> None:
        self.report, self.choice, self.links = {}, rv.Choice(), {}
