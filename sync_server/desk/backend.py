"""What the desk may ask of the station: every call opens a connection and goes through
the same services (and so the same role checks) as the HTTP API.

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

from shared.reports import parse_period
from shared.workflow import Role, role_forbidden
from sync_server.config import limits
from sync_server.services import actions, enrollment, stamping, tls, units
from sync_server.services import attachments as attachment_service
from sync_server.services import calendar as calendar_service
from sync_server.services import dossiers as dossier_service
from sync_server.services import reports as reports_service
from sync_server.services import staff as staff_service
from sync_server.services.clock import utc_now
from sync_server.services.staff import Staff
from sync_server.services.station import Station, get_unit, set_unit

RESULT_LINK_TTL_S = 300.0
# Who may see photos of documents on the desk: the workflow roles, as the HTTP API.
PHOTO_ROLES = frozenset({Role.INTAKE, Role.APPRAISER, Role.LEADER, Role.CLERK})


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

    def __init__(self, station: Station) -> None:
        self.station = station
        self.links = ResultLinks()

    # --- who ---
    def login(self, username: str, pin: str) -> Staff:
        with self.station.session() as db:
            return staff_service.authenticate(db, username.strip().lower(), pin)

    def _me(self, db: Any, who: Staff) -> Staff:
        """Re-read the person on every call: a disabled account or new role applies at once."""
        return staff_service.current(db, who.username)

    def whoami(self, who: Staff) -> Staff:
        with self.station.session() as db:
            return self._me(db, who)

    # --- queues and dossiers ---
    def queue(self, who: Staff) -> list[dict[str, Any]]:
        s = self.station
        with s.session() as db:
            me = self._me(db, who)
            return dossier_service.list_view(db, s.keys, s.catalogue, me.role, None)

    def procedures(self) -> list[tuple[str, str]]:
        return [(p.code, p.name.vi) for p in self.station.catalogue.all()]

    def detail(self, who: Staff, dossier_id: str) -> dict[str, Any]:
        s = self.station
        with s.session() as db:
            me = self._me(db, who)
            d = dossier_service.load(db, s.keys, dossier_id)
            view = dossier_service.detail(d, s.catalogue, me.role)
            view["rating"] = actions.rating_of(db, s.keys, dossier_id)
            return view

    def act(
        self,
        who: Staff,
        dossier_id: str,
        action: str,
        reason: str | None,
        *,
        rating: str | None = None,
        comment: str | None = None,
    ) -> dict[str, Any]:
        s = self.station
        with s.session() as db:
            me = self._me(db, who)
            return actions.apply_action(
                db,
                s.keys,
                s.catalogue,
                me,
                dossier_id,
                action,
                reason,
                rating=rating,
                comment=comment,
            )

    def record_personal_id(self, who: Staff, dossier_id: str, number: str) -> dict[str, Any]:
        """The appraiser enters the child's số định danh cá nhân (role checked there)."""
        s = self.station
        with s.session() as db:
            me = self._me(db, who)
            return actions.record_personal_id(db, s.keys, s.catalogue, me, dossier_id, number)

    def result_link(self, who: Staff, dossier_id: str) -> str:
        """A path (``/desk-files/result/<ticket>``) the browser can open for the PDF."""
        with self.station.session() as db:
            self._me(db, who)
        return f"/desk-files/result/{self.links.issue(who.username, dossier_id)}"

    def result_pdf(self, ticket: str) -> tuple[str, bytes] | None:
        hit = self.links.resolve(ticket)
        if hit is None:
            return None
        username, dossier_id = hit
        if dossier_id.startswith(("report|", "photo|")):
            return None
        s = self.station
        with s.session() as db:
            staff_service.current(db, username)
            d = dossier_service.load(db, s.keys, dossier_id)
            return d.code, stamping.result_pdf(db, s.keys, dossier_id)

    # --- photos of documents ---
    def photos(self, who: Staff, dossier_id: str) -> list[dict[str, Any]]:
        """The dossier's photos in its order: each reference with ``received``, a small
        JPEG ``thumb`` and a short-lived ``url`` to the full picture once it has arrived."""
        s = self.station
        with s.session() as db:
            me = self._me(db, who)
            if me.role not in PHOTO_ROLES:
                raise role_forbidden(me.role)
            d = dossier_service.load(db, s.keys, dossier_id)
            got = attachment_service.received(db, [a.sha256 for a in d.attachments])
            thumbs: dict[str, bytes] = {}
            out: list[dict[str, Any]] = []
            for a in d.attachments:
                item: dict[str, Any] = {**a.to_dict(), "received": a.sha256 in got}
                if item["received"]:
                    if a.sha256 not in thumbs:
                        _, data = attachment_service.photo_bytes(db, s.keys, a.sha256)
                        thumbs[a.sha256] = attachment_service.thumbnail(data)
                    item["thumb"] = thumbs[a.sha256]
                    ticket = self.links.issue(me.username, f"photo|{dossier_id}|{a.sha256}")
                    item["url"] = f"/desk-files/photo/{ticket}"
                out.append(item)
            return out

    def photo_file(self, ticket: str) -> tuple[str, bytes] | None:
        """(media type, bytes) behind a photo link, or None when expired."""
        hit = self.links.resolve(ticket)
        if hit is None or not hit[1].startswith("photo|"):
            return None
        username, what = hit
        _, dossier_id, sha = what.split("|")
        s = self.station
        with s.session() as db:
            if staff_service.current(db, username).role not in PHOTO_ROLES:
                return None
            return attachment_service.dossier_photo(db, s.keys, dossier_id, sha)

    # --- reports (leaders and admins; the service re-checks the role) ---
    def report(self, who: Staff, start: str, end: str, procedure: str | None) -> dict[str, Any]:
        """The report JSON of ``GET /v1/reports/summary`` (its ``page`` is what we draw)."""
        s = self.station
        with s.session() as db:
            me = self._me(db, who)
            reports_service.require_report_role(me)
            period = parse_period(start, end)
            out = reports_service.render(db, s.keys, s.catalogue, period, procedure, "json")
            assert isinstance(out, dict)
            return out

    def report_link(self, who: Staff, fmt: str, start: str, end: str, procedure: str | None) -> str:
        """A short-lived path (``/desk-files/report/<ticket>``) to the CSV or PDF export:
        a browser link cannot carry the API's bearer header."""
        with self.station.session() as db:
            reports_service.require_report_role(self._me(db, who))
        parse_period(start, end)
        what = "|".join(("report", fmt, start, end, procedure or ""))
        return f"/desk-files/report/{self.links.issue(who.username, what)}"

    def report_file(self, ticket: str) -> tuple[str, str, bytes] | None:
        """(file name, media type, bytes) behind a report link, or None when expired."""
        hit = self.links.resolve(ticket)
        if hit is None or not hit[1].startswith("report|"):
            return None
        username, what = hit
        _, fmt, start, end, procedure = what.split("|")
        s = self.station
        with s.session() as db:
            reports_service.require_report_role(staff_service.current(db, username))
            body = reports_service.render(
                db, s.keys, s.catalogue, parse_period(start, end), procedure or None, fmt
            )
        assert isinstance(body, bytes)
        media = "application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8"
        return f"bao-cao-{start}-{end}.{fmt}", media, body

    # --- administration (each service re-checks the admin role) ---
    def staff_list(self, who: Staff) -> list[dict[str, Any]]:
        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            return staff_service.list_staff(db)

    def staff_add(
        self, who: Staff, *, username: str, role: str, pin: str, full_name: str, title: str
    ) -> Staff:
        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            return staff_service.add_staff(
                db,
                username=username.strip().lower(),
                role=role,
                pin=pin,
                full_name=full_name.strip() or None,
                title=title.strip() or None,
            )

    def staff_set_active(self, who: Staff, username: str, active: bool) -> None:
        with self.station.session() as db:
            me = self._me(db, who)
            staff_service.set_active(db, self.station.keys, me, username, active=active)

    def staff_reset_pin(self, who: Staff, username: str, pin: str) -> None:
        with self.station.session() as db:
            me = self._me(db, who)
            staff_service.reset_pin(db, self.station.keys, me, username, pin)

    def staff_set_role(self, who: Staff, username: str, role: str) -> None:
        with self.station.session() as db:
            me = self._me(db, who)
            staff_service.set_role(db, self.station.keys, me, username, role)

    def staff_unlock(self, who: Staff, username: str) -> None:
        with self.station.session() as db:
            me = self._me(db, who)
            staff_service.admin_unlock(db, self.station.keys, me, username)

    def devices(self, who: Staff) -> list[dict[str, Any]]:
        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            return enrollment.list_devices_with_contact(db)

    def revoke(self, who: Staff, device_id: str) -> None:
        with self.station.session() as db:
            me = self._me(db, who)
            staff_service.require_admin(me)
            enrollment.revoke_device(db, self.station.keys, device_id, actor=me.username)

    def enroll_ticket(self, who: Staff, station_url: str) -> EnrollTicket:
        """A one-time code and its QR (what a new tablet scans or types); the code ends with
        the pin of the station's HTTPS certificate (``shared.enrol_code``)."""
        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            code = tls.code_for_tablet(self.station.paths, enrollment.new_enroll_code(db))
        expires = utc_now() + limits().enroll_code_ttl
        payload = f"taicho-enroll:{code}@{station_url}" if station_url else code
        out = io.BytesIO()
        segno.make(payload, error="m").save(out, kind="png", scale=8, border=2)
        return EnrollTicket(code, expires, out.getvalue(), payload)

    def unit(self, who: Staff) -> dict[str, Any]:
        with self.station.session() as db:
            self._me(db, who)
            return get_unit(db) or {}

    def set_unit(self, who: Staff, unit: dict[str, Any]) -> None:
        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            set_unit(db, unit)

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
            staff_service.require_admin(self._me(db, who))
            unit = units.set_unit_from_names(
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
        from sync_server.services import backup, recovery

        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            return {
                **backup.status(db),
                "restore": recovery.restore_info(db),
                "redo": recovery.redo_list(db),
            }

    # --- local working calendar (days off, make-up working days) ---
    def calendar(self, who: Staff) -> dict[str, Any]:
        with self.station.session() as db:
            staff_service.require_admin(self._me(db, who))
            return calendar_service.calendar_list(db)

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
            me = self._me(db, who)
            staff_service.require_admin(me)
            calendar_service.set_calendar(
                db,
                self.station.keys,
                off=off or (),
                work=work or (),
                clear=clear or (),
                actor=me.username,
                note=(note or "").strip() or None,
            )


def role_of(who: Staff | None) -> Role | None:
    return None if who is None else who.role
