"""What the desk may ask of the station: every call opens a connection, re-reads the
signed-in person and goes through ``sync_server.services.door`` — the services the HTTP
API and the command line call too, which check the person's verb (``shared.permissions``).
The desk keeps no role set of its own.

The desk never builds SQL and never touches keys or crypto itself. Calls block (scrypt
PIN checks, encryption), so the state runs them on a worker thread.
"""

from __future__ import annotations

import io
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import segno

from shared.catalogue_import import ProcedureSettings
from shared.documents.paperwork.of_dossier import PAPER_NAMES, papers_of
from shared.external_result import ExternalResult
from shared.permissions import Verb, require
from shared.reports import parse_period
from shared.views import DossierRow, DossierView, HeldEdit, LookupsView, ReportView
from sync_server.config import limits
from sync_server.services import door
from sync_server.services.core.clock import utc_now
from sync_server.services.core.guard import Guards, pin_attempt
from sync_server.services.core.station import Station
from sync_server.services.setup import staff as staff_service
from sync_server.services.setup.staff import Staff

RESULT_LINK_TTL_S = 300.0


@dataclass(frozen=True)
class EnrollTicket:
    code: str
    expires_at: datetime
    qr_png: bytes
    payload: str


class ResultLinks:
    """Short-lived, unguessable links to a result PDF for a signed-in desk user.

    A browser link cannot carry the API's bearer header, so the desk hands out a random
    path valid for a few minutes; the route re-checks that the person is still active.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._links: dict[str, tuple[str, str, float]] = {}

    def issue(self, username: str, dossier_id: str) -> str:
        ticket = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            self._links = {k: v for k, v in self._links.items() if v[2] > now}
            self._links[ticket] = (username, dossier_id, now + RESULT_LINK_TTL_S)
        return ticket

    def resolve(self, ticket: str) -> tuple[str, str] | None:
        with self._lock:
            hit = self._links.get(ticket)
        if hit is None or hit[2] < time.monotonic():
            return None
        return hit[0], hit[1]


class DeskBackend:
    """One per station process, shared by every desk session."""

    def __init__(self, station: Station, guards: Guards | None = None) -> None:
        self.station = station
        self.links = ResultLinks()
        self.guards = guards or Guards()

    # --- who ---
    def login(self, username: str, pin: str, client: str = "desk") -> Staff:
        """Sign in under the same per-address brake as ``/v1/auth/token`` (``client``:
        the browser's address as the websocket saw it)."""
        with pin_attempt(self.guards, client), self.station.session() as db:
            return staff_service.authenticate(db, username.strip().lower(), pin)

    def _me(self, db: Any, who: Staff | str) -> Staff:
        """Re-read the person on every call: a disabled account or new role applies at once."""
        return staff_service.current(db, who if isinstance(who, str) else who.username)

    def procedures(self) -> list[tuple[str, str]]:
        return [(p.code, p.name.vi) for p in self.station.catalogue.all()]

    # --- queues and dossiers ---
    def queue(self, who: Staff) -> list[DossierRow]:
        with self.station.session() as db:
            return door.dossiers(self._me(db, who), self.station, db)

    def detail(self, who: Staff, dossier_id: str) -> DossierView:
        with self.station.session() as db:
            me = self._me(db, who)
            return door.dossier(me, self.station, db, dossier_id, with_rating=True)

    def held_edits(self, who: Staff, dossier_id: str) -> list[HeldEdit]:
        """The tablets' edits of the dossier kept as conflicts (door.held_edits)."""
        with self.station.session() as db:
            return door.held_edits(self._me(db, who), self.station, db, dossier_id)

    def lookups(self, who: Staff, dossier_id: str) -> LookupsView:
        """The lookup step of a dossier (shared.lookups): needs, records, verifications."""
        with self.station.session() as db:
            return door.lookups(self._me(db, who), self.station, db, dossier_id)

    def record_lookup(
        self, who: Staff, dossier_id: str, key: str, database: str, result: str, note: str
    ) -> LookupsView:
        """One lookup (tra cứu) recorded by hand at the desk."""
        with self.station.session() as db:
            me = self._me(db, who)
            return door.record_lookup(
                me,
                self.station,
                db,
                dossier_id,
                key=key,
                database=database,
                result=result,
                note=note or None,
            )

    def close_verification(
        self, who: Staff, dossier_id: str, lookup_id: str, note: str
    ) -> LookupsView:
        """The outcome of a verification a lookup opened."""
        with self.station.session() as db:
            me = self._me(db, who)
            return door.close_verification(me, self.station, db, dossier_id, lookup_id, note)

    def act(
        self,
        who: Staff,
        dossier_id: str,
        action: str,
        reason: str | None,
        *,
        rating: str | None = None,
        comment: str | None = None,
        external: ExternalResult | None = None,
    ) -> DossierView:
        with self.station.session() as db:
            return door.act(
                self._me(db, who),
                self.station,
                db,
                dossier_id,
                action,
                reason,
                rating=rating,
                comment=comment,
                external=external,
            )

    def record_personal_id(self, who: Staff, dossier_id: str, number: str) -> DossierView:
        """The appraiser enters the child's số định danh cá nhân."""
        with self.station.session() as db:
            me = self._me(db, who)
            return door.record_personal_id(me, self.station, db, dossier_id, number)

    def sign_result(
        self, who: Staff, dossier_id: str, signatures: list[dict[str, Any]]
    ) -> DossierView:
        """The spouses' marks on the approved Giấy chứng nhận kết hôn, before the seal."""
        with self.station.session() as db:
            me = self._me(db, who)
            return door.sign_result(me, self.station, db, dossier_id, signatures)

    def result_signed_by(self, who: Staff, dossier_id: str) -> list[str]:
        """The parties who have signed the dossier's result so far."""
        with self.station.session() as db:
            return door.result_signed_by(self._me(db, who), self.station, db, dossier_id)

    def result_link(self, who: Staff, dossier_id: str) -> str:
        """A path (``/desk-files/result/<ticket>``) the browser can open for the PDF; the
        link is checked again when it is opened (:meth:`result_pdf`)."""
        with self.station.session() as db:
            require(self._me(db, who), Verb.DOSSIER_READ_PERSONAL)
        return f"/desk-files/result/{self.links.issue(who.username, dossier_id)}"

    def result_pdf(self, ticket: str) -> tuple[str, bytes] | None:
        hit = self.links.resolve(ticket)
        if hit is None:
            return None
        username, dossier_id = hit
        if dossier_id.startswith(("report|", "photo|", "paper|")):
            return None
        with self.station.session() as db:
            return door.result_pdf(self._me(db, username), self.station, db, dossier_id)

    # --- the papers of a dossier (issue 21 §2) ---
    def paper_links(self, who: Staff, view: DossierView) -> list[tuple[str, str]]:
        """(label, ``/desk-files/paper/<ticket>``) for each paper the dossier has, but
        the result (:meth:`result_link`); checked again when opened."""
        with self.station.session() as db:
            require(self._me(db, who), Verb.DOSSIER_READ_PERSONAL)
        d = view.dossier
        actions = [str(h.action) for h in d.history]
        have = papers_of(d.status.value, actions, view.has_result)
        out = []
        for paper in have:
            if paper == "result":
                continue
            name = PAPER_NAMES[paper][0]
            ticket = self.links.issue(who.username, f"paper|{paper}|{d.id}")
            out.append((f"In {name[0].lower()}{name[1:]} (PDF)", f"/desk-files/paper/{ticket}"))
        return out

    def paper_file(self, ticket: str) -> tuple[str, bytes] | None:
        """(file name, PDF) behind a paper link, or None when expired."""
        hit = self.links.resolve(ticket)
        if hit is None or not hit[1].startswith("paper|"):
            return None
        username, what = hit
        _, paper, dossier_id = what.split("|", 2)
        with self.station.session() as db:
            me = self._me(db, username)
            if paper == "declaration":
                pdf, name = door.declaration_pdf(me, self.station, db, dossier_id)
            else:
                pdf, name = door.paper_pdf(me, self.station, db, dossier_id, paper)
        return name, pdf

    # --- photos of documents ---
    def photos(self, who: Staff, dossier_id: str) -> list[dict[str, Any]]:
        """The dossier's photos in its order: each reference with ``received``, a small
        JPEG ``thumb`` and a short-lived ``url`` to the full picture once it has arrived."""
        with self.station.session() as db:
            me = self._me(db, who)
            items = door.photos(me, self.station, db, dossier_id)
        for item in items:
            if item["received"]:
                ticket = self.links.issue(me.username, f"photo|{dossier_id}|{item['sha256']}")
                item["url"] = f"/desk-files/photo/{ticket}"
        return items

    def photo_file(self, ticket: str) -> tuple[str, bytes] | None:
        """(media type, bytes) behind a photo link, or None when expired."""
        hit = self.links.resolve(ticket)
        if hit is None or not hit[1].startswith("photo|"):
            return None
        username, what = hit
        _, dossier_id, sha = what.split("|")
        with self.station.session() as db:
            return door.photo(self._me(db, username), self.station, db, dossier_id, sha)

    # --- reports ---
    def report(self, who: Staff, start: str, end: str, procedure: str | None) -> dict[str, Any]:
        """The report JSON of ``GET /v1/reports/summary`` (its ``page`` is what we draw)."""
        with self.station.session() as db:
            out = door.report(self._me(db, who), self.station, db, start, end, procedure, "json")
        assert isinstance(out, ReportView)
        return out.to_dict()

    def report_link(
        self,
        who: Staff,
        fmt: str,
        start: str,
        end: str,
        procedure: str | None,
        scope: str = "report",
    ) -> str:
        """A short-lived path (``/desk-files/report/<ticket>``) to the CSV or PDF export:
        a browser link cannot carry the API's bearer header. Checked again when opened.
        ``scope`` ``province``: the provincial hub's export (docs/province.md)."""
        with self.station.session() as db:
            require(self._me(db, who), Verb.REPORT_READ)
        parse_period(start, end)
        kind = "province" if scope == "province" else "report"
        what = "|".join((kind, fmt, start, end, procedure or ""))
        return f"/desk-files/report/{self.links.issue(who.username, what)}"

    def province_linked(self, who: Staff) -> bool:
        """Does this station send its figures to a provincial hub?"""
        with self.station.session() as db:
            return bool(door.province_linked(self._me(db, who), self.station, db))

    def province_report(
        self, who: Staff, start: str, end: str, procedure: str | None
    ) -> dict[str, Any]:
        """The province's summary from the hub (its ``page`` is drawn like the report's)."""
        with self.station.session() as db:
            out = door.province_report(self._me(db, who), self.station, db, start, end, procedure)
        assert isinstance(out, dict)
        return out

    def report_file(self, ticket: str) -> tuple[str, str, bytes] | None:
        """(file name, media type, bytes) behind a report link, or None when expired."""
        hit = self.links.resolve(ticket)
        if hit is None or not hit[1].startswith(("report|", "province|")):
            return None
        username, what = hit
        kind, fmt, start, end, procedure = what.split("|")
        with self.station.session() as db:
            me = self._me(db, username)
            if kind == "province":
                body = door.province_report(
                    me, self.station, db, start, end, procedure or None, fmt
                )
            else:
                body = door.report(me, self.station, db, start, end, procedure or None, fmt)
        assert isinstance(body, bytes)
        media = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
        name = "bao-cao-tinh" if kind == "province" else "bao-cao"
        return f"{name}-{start}-{end}.{fmt}", media, body

    # --- administration ---
    def staff_list(self, who: Staff) -> list[dict[str, Any]]:
        with self.station.session() as db:
            return door.staff_list(self._me(db, who), self.station, db)

    def staff_add(
        self, who: Staff, *, username: str, role: str, pin: str, full_name: str, title: str
    ) -> Staff:
        with self.station.session() as db:
            return door.staff_add(
                self._me(db, who),
                self.station,
                db,
                username=username.strip().lower(),
                role=role,
                pin=pin,
                full_name=full_name.strip() or None,
                title=title.strip() or None,
            )

    def staff_set_active(self, who: Staff, username: str, active: bool) -> None:
        with self.station.session() as db:
            door.staff_set_active(self._me(db, who), self.station, db, username, active)

    def staff_reset_pin(self, who: Staff, username: str, pin: str) -> None:
        with self.station.session() as db:
            door.staff_reset_pin(self._me(db, who), self.station, db, username, pin)

    def staff_set_role(self, who: Staff, username: str, role: str) -> None:
        with self.station.session() as db:
            door.staff_set_role(self._me(db, who), self.station, db, username, role)

    def staff_unlock(self, who: Staff, username: str) -> None:
        with self.station.session() as db:
            door.staff_unlock(self._me(db, who), self.station, db, username)

    def devices(self, who: Staff) -> list[dict[str, Any]]:
        with self.station.session() as db:
            return door.devices(self._me(db, who), self.station, db)

    def revoke(self, who: Staff, device_id: str) -> None:
        with self.station.session() as db:
            door.device_revoke(self._me(db, who), self.station, db, device_id)

    def enroll_ticket(self, who: Staff, station_url: str) -> EnrollTicket:
        """A one-time code and its QR (what a new tablet scans or types); the code ends with
        the pin of the station's HTTPS certificate (``shared.enrol_code``)."""
        with self.station.session() as db:
            code = door.enroll_code(self._me(db, who), self.station, db)
        expires = utc_now() + limits().enroll_code_ttl
        payload = f"taicho-enroll:{code}@{station_url}" if station_url else code
        out = io.BytesIO()
        segno.make(payload, error="m").save(out, kind="png", scale=8, border=2)
        return EnrollTicket(code, expires, out.getvalue(), payload)

    def unit(self, who: Staff) -> dict[str, Any]:
        with self.station.session() as db:
            return door.unit_settings(self._me(db, who), self.station, db) or {}

    def set_unit(self, who: Staff, unit: dict[str, Any]) -> None:
        with self.station.session() as db:
            door.unit_save(self._me(db, who), self.station, db, unit)

    def public_url(self, who: Staff) -> dict[str, Any]:
        with self.station.session() as db:
            return door.public_url_show(self._me(db, who), self.station, db)

    def set_public_url(self, who: Staff, url: str) -> dict[str, Any]:
        with self.station.session() as db:
            return door.public_url_set(self._me(db, who), self.station, db, url)

    def set_unit_from_names(
        self,
        who: Staff,
        province: str,
        commune: str,
        agency_code: str | None = None,
        former_name: str | None = None,
    ) -> dict[str, Any]:
        """``admin unit-set``: look the commune up in the official 2025 list and store it."""
        with self.station.session() as db:
            unit = door.unit_set_from_names(
                self._me(db, who),
                self.station,
                db,
                province.strip(),
                commune.strip(),
                agency_code=(agency_code or "").strip() or None,
                former_name=(former_name or "").strip() or None,
            )
            return unit.to_dict()

    def backup_status(self, who: Staff) -> dict[str, Any]:
        """The last backup (when, size, where), the schedule, whether one was missed, the
        last restore and its "cần xử lý lại" list (codes and statuses only)."""
        with self.station.session() as db:
            me = self._me(db, who)
            return {
                **door.backup_status(me, self.station, db),
                **door.restore_status(me, self.station, db),
            }

    # --- local working calendar (days off, make-up working days) ---
    def calendar(self, who: Staff) -> dict[str, Any]:
        with self.station.session() as db:
            return door.calendar_list(self._me(db, who), self.station, db)

    def calendar_set(
        self,
        who: Staff,
        *,
        off: list[str] | None = None,
        work: list[str] | None = None,
        clear: list[str] | None = None,
        note: str | None = None,
    ) -> None:
        with self.station.session() as db:
            door.calendar_set(
                self._me(db, who),
                self.station,
                db,
                off=off or (),
                work=work or (),
                clear=clear or (),
                note=(note or "").strip() or None,
            )

    # --- the procedure catalogue (admin page "Thủ tục", docs/catalogue.md) ---
    def catalogue_list(self, who: Staff) -> list[dict[str, Any]]:
        with self.station.session() as db:
            return door.catalogue_list(self._me(db, who), self.station, db)

    def catalogue_set(self, who: Staff, code: str, settings: ProcedureSettings) -> dict[str, Any]:
        with self.station.session() as db:
            return door.catalogue_set(self._me(db, who), self.station, db, code, settings)
