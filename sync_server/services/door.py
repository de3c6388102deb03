"""The one door to the station: every person's action a front end performs, checked here.

The HTTP API (``sync_server/api``), the desk (``sync_server/desk``) and the command line
(``sync_server/__main__.py``) are thin adapters over these functions. Each takes the
acting staff member first and is declared with the verb it needs (``@_needs``), which
asks ``shared.permissions.require`` before anything is read: a front end cannot forget
the check, because it is not the front end's to make. :data:`CHECKED` lists every
function with its verb; ``tests/sync_server/test_door.py`` calls each one with every role
that lacks the verb and sees it refused, and checks that no front end reaches a service
past this module except the entry points that authenticate by other means (sign-in,
the tablets' signed envelopes, the public verify page; see that test's allow-list).

What lies behind each function — SQL, crypto, rendering — stays in its own service
module; this module only decides who may ask.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from shared import verify_address
from shared.backup import BackupKey
from shared.catalogue_import import ProcedureSettings
from shared.errors import TaiChoError, problem
from shared.external_result import ExternalResult, RecordedResult
from shared.permissions import Verb, can, require
from shared.reports import parse_period
from shared.unit import Unit
from shared.views import (
    ApologyView,
    DossierRow,
    DossierView,
    HeldEdit,
    LookupsView,
    ReportView,
)
from shared.workflow import STATION_ACTIONS, TRANSITIONS
from sync_server.services.admin import backup
from sync_server.services.core import audit
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.station import Station, get_unit, set_unit
from sync_server.services.office import (
    actions,
    attachments,
    external_results,
    paperwork,
    party_signing,
    stamping,
)
from sync_server.services.office import declaration as declaration_service
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.office import lookups as lookup_service
from sync_server.services.pki import certs, tls
from sync_server.services.province import communes as hub_communes_service
from sync_server.services.province import link as hub_link
from sync_server.services.province import relay as hub_relay_service
from sync_server.services.reports import reports
from sync_server.services.setup import calendar, fee_settings, public_address, staff, units
from sync_server.services.setup.staff import Staff
from sync_server.services.sync import catalogue_admin, conflicts, enrollment, recovery
from sync_server.store.db import transaction

P = ParamSpec("P")
R = TypeVar("R")
# Every function of the door with the verb it needs (filled by ``@_needs``).
CHECKED: dict[str, Verb] = {}


def _needs(
    verb: Verb,
) -> Callable[[Callable[Concatenate[Staff, P], R]], Callable[Concatenate[Staff, P], R]]:
    """Declare the verb a door function needs; the check runs before its body."""

    def wrap(fn: Callable[Concatenate[Staff, P], R]) -> Callable[Concatenate[Staff, P], R]:
        @functools.wraps(fn)
        def checked(actor: Staff, /, *args: P.args, **kwargs: P.kwargs) -> R:
            require(actor, verb)
            return fn(actor, *args, **kwargs)

        CHECKED[fn.__name__] = verb
        return checked

    return wrap


# --- citizens' dossiers (the workflow roles) --------------------------------------------


@_needs(Verb.DOSSIER_READ_PERSONAL)
def dossiers(
    actor: Staff, station: Station, db: Database, status: str | None = None
) -> list[DossierRow]:
    """The queue: one summary per dossier (names included), optionally of one status."""
    return dossier_store.list_view(db, station.keys, station.catalogue, actor.role, status)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def dossier(
    actor: Staff, station: Station, db: Database, dossier_id: str, *, with_rating: bool = False
) -> DossierView:
    """One dossier with every value, its history and what ``actor`` may do with it."""
    d = dossier_store.load(db, station.keys, dossier_id)
    rating = actions.rating_of(db, station.keys, dossier_id) if with_rating else None
    view = dossier_store.detail(d, station.catalogue, actor.role, rating)
    external = external_results.recorded(db, station.keys, dossier_id)
    return view if external is None else replace(view, external_result=external)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def held_edits(actor: Staff, station: Station, db: Database, dossier_id: str) -> list[HeldEdit]:
    """The tablets' edits of the dossier kept as conflicts, with the values they would
    change (they hold citizens' values: the caseworkers' verb)."""
    d = dossier_store.load(db, station.keys, dossier_id)
    return conflicts.held_edits(db, station.keys, station.catalogue, d)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def result_pdf(actor: Staff, station: Station, db: Database, dossier_id: str) -> tuple[str, bytes]:
    """(dossier code, the signed result PDF)."""
    d = dossier_store.load(db, station.keys, dossier_id)
    return d.code, stamping.result_pdf(db, station.keys, d.id)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def paper_pdf(
    actor: Staff, station: Station, db: Database, dossier_id: str, paper: str
) -> tuple[bytes, str]:
    """(PDF, file name) of one of the one-stop shop's papers (``paperwork.PAPERS``)."""
    return paperwork.render_paper(db, station.keys, station.catalogue, dossier_id, paper)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def declaration_pdf(
    actor: Staff, station: Station, db: Database, dossier_id: str
) -> tuple[bytes, str]:
    """(PDF, file name) of the citizen's pre-filled declaration."""
    return declaration_service.declaration_pdf(db, station.keys, station.catalogue, dossier_id)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def photo(
    actor: Staff, station: Station, db: Database, dossier_id: str, sha256: str
) -> tuple[str, bytes]:
    """(media type, bytes) of a photo the dossier refers to."""
    return attachments.dossier_photo(db, station.keys, dossier_id, sha256)


@_needs(Verb.DOSSIER_READ_PERSONAL)
def photos(actor: Staff, station: Station, db: Database, dossier_id: str) -> list[dict[str, Any]]:
    """The dossier's photo references in order, each with ``received`` and, once it has
    arrived, a small JPEG ``thumb``."""
    d = dossier_store.load(db, station.keys, dossier_id)
    got = attachments.received(db, [a.sha256 for a in d.attachments])
    thumbs: dict[str, bytes] = {}
    out: list[dict[str, Any]] = []
    for a in d.attachments:
        item: dict[str, Any] = {**a.to_dict(), "received": a.sha256 in got}
        if item["received"]:
            if a.sha256 not in thumbs:
                thumbs[a.sha256] = _thumb(db, station, a.sha256)
            if thumbs[a.sha256]:
                item["thumb"] = thumbs[a.sha256]
        out.append(item)
    return out


def _thumb(db: Database, station: Station, sha: str) -> bytes:
    """The thumbnail, or b"" for a photo stored before the station checked pictures that
    is not one it accepts (the link to it still works for what it is)."""
    try:
        _, data = attachments.photo_bytes(db, station.keys, sha)
        return attachments.thumbnail(data)
    except TaiChoError as err:
        if err.code == "RATE_LIMITED":
            raise
        return b""


@_needs(Verb.DOSSIER_READ_PERSONAL)
def act(
    actor: Staff,
    station: Station,
    db: Database,
    dossier_id: str,
    action: str,
    reason: str | None,
    *,
    rating: str | None = None,
    comment: str | None = None,
    external: ExternalResult | None = None,
) -> DossierView:
    """One workflow action; it also needs the action's own verb (``dossier.<action>``).
    ``external``: at ``stamp``, the result of a procedure without a result layout."""
    t = TRANSITIONS.get(action)
    if t is None or action not in STATION_ACTIONS:
        # Tablet-side actions (receive, supplement, withdraw) arrive by sync, not here.
        raise problem("ACTION_UNKNOWN", "action", action=action)
    require(actor, t.verb)
    return actions.apply_action(
        db,
        station.keys,
        station.catalogue,
        actor,
        dossier_id,
        action,
        reason,
        rating=rating,
        comment=comment,
        external=external,
    )


@_needs(Verb.DOSSIER_READ_PERSONAL)
def external_result(
    actor: Staff, station: Station, db: Database, dossier_id: str
) -> RecordedResult | None:
    """What was recorded at stamp for a result made elsewhere (the attached PDF's
    checked signatures, or the paper result's number and date), or None."""
    dossier_store.load(db, station.keys, dossier_id)
    return external_results.recorded(db, station.keys, dossier_id)


@_needs(Verb.DOSSIER_RECORD_PERSONAL_ID)
def record_personal_id(
    actor: Staff, station: Station, db: Database, dossier_id: str, number: str
) -> DossierView:
    """The child's số định danh cá nhân, entered by the appraiser before approval."""
    return actions.record_personal_id(
        db, station.keys, station.catalogue, actor, dossier_id, number
    )


@_needs(Verb.DOSSIER_SIGN_RESULT)
def sign_result(
    actor: Staff, station: Station, db: Database, dossier_id: str, signatures: Any
) -> DossierView:
    """The spouses' own marks on the approved Giấy chứng nhận kết hôn, before the seal."""
    return party_signing.sign_result(
        db, station.keys, station.catalogue, actor, dossier_id, signatures
    )


@_needs(Verb.DOSSIER_READ_PERSONAL)
def result_signed_by(actor: Staff, station: Station, db: Database, dossier_id: str) -> list[str]:
    """The parties (``wife``, ``husband``) who have signed the dossier's result so far."""
    return party_signing.parties_signed(db, station.keys, station.catalogue, dossier_id)


@_needs(Verb.DOSSIER_APOLOGIZE)
def record_apology(
    actor: Staff,
    station: Station,
    db: Database,
    dossier_id: str,
    new_due_at: str,
    reason: str | None,
) -> ApologyView:
    """Phiếu xin lỗi và hẹn lại: the apology and the new return date."""
    return paperwork.record_apology(
        db, station.keys, station.catalogue, actor, dossier_id, new_due_at, reason
    )


@_needs(Verb.DOSSIER_READ_PERSONAL)
def lookups(actor: Staff, station: Station, db: Database, dossier_id: str) -> LookupsView:
    """The lookup step of a dossier: what it needs looked up, what was recorded, the
    verifications still open (shared.lookups)."""
    d = dossier_store.load(db, station.keys, dossier_id)
    return lookup_service.view(db, station.keys, station.catalogue, d)


@_needs(Verb.DOSSIER_RECORD_LOOKUP)
def record_lookup(
    actor: Staff,
    station: Station,
    db: Database,
    dossier_id: str,
    *,
    key: Any,
    database: Any,
    result: Any,
    note: Any = None,
) -> LookupsView:
    """One lookup recorded at the desk (what, which database, the result); one that
    found nothing opens a verification."""
    return lookup_service.record_lookup(
        db,
        station.keys,
        station.catalogue,
        actor,
        dossier_id,
        key=key,
        database=database,
        result=result,
        note=note,
    )


@_needs(Verb.DOSSIER_CLOSE_VERIFICATION)
def close_verification(
    actor: Staff, station: Station, db: Database, dossier_id: str, lookup_id: str, note: Any
) -> LookupsView:
    """The outcome of a verification (xác minh) a lookup opened."""
    return lookup_service.close_verification(
        db, station.keys, station.catalogue, actor, dossier_id, lookup_id, note
    )


@_needs(Verb.UNIT_MANAGE)
def set_province_fee(
    actor: Staff, station: Station, db: Database, code: str, vnd: int
) -> dict[str, int]:
    """The fee the province's resolution sets for a procedure (a station setting)."""
    return fee_settings.set_fee(db, station.catalogue, code, vnd)


# --- the procedure catalogue (docs/catalogue.md) ----------------------------------------


@_needs(Verb.CATALOGUE_MANAGE)
def catalogue_import(
    actor: Staff, station: Station, db: Database, data: bytes, name: str
) -> dict[str, Any]:
    """Import a catalogue file (national records, JSON or CSV): all of it, or nothing."""
    return catalogue_admin.import_file(db, station, data, name)


@_needs(Verb.CATALOGUE_MANAGE)
def catalogue_list(actor: Staff, station: Station, db: Database) -> list[dict[str, Any]]:
    """Every procedure with its version, source, checked mark, limit and fee."""
    return catalogue_admin.rows(station)


@_needs(Verb.CATALOGUE_MANAGE)
def catalogue_set(
    actor: Staff, station: Station, db: Database, code: str, settings: ProcedureSettings
) -> dict[str, Any]:
    """Switch an imported procedure on or off, or set the province's own time limit and
    fee as its decision publishes them (a new version, sent to the tablets)."""
    return catalogue_admin.set_procedure(db, station, code, settings)


# --- reports (figures for the leader and the admin; free text for the leader) -----------


@_needs(Verb.REPORT_READ)
def report(
    actor: Staff,
    station: Station,
    db: Database,
    start: str | None,
    end: str | None,
    procedure: str | None,
    fmt: str,
) -> bytes | ReportView:
    """The report of a period as ``json`` (the typed view), ``csv`` or ``pdf`` (bytes). Without
    ``report.read_free_text`` the reasons and citizens' comments are left out of every
    format (they can name people); the counts stay."""
    period = parse_period(start, end)
    free_text = can(actor, Verb.REPORT_READ_FREE_TEXT)
    return reports.render(
        db, station.keys, station.catalogue, period, procedure or None, fmt, free_text=free_text
    )


# --- staff ------------------------------------------------------------------------------


@_needs(Verb.STAFF_MANAGE)
def staff_list(actor: Staff, station: Station, db: Database) -> list[dict[str, Any]]:
    return staff.list_staff(db)


@_needs(Verb.STAFF_MANAGE)
def staff_add(
    actor: Staff,
    station: Station,
    db: Database,
    *,
    username: str,
    role: str,
    pin: str,
    full_name: str | None = None,
    title: str | None = None,
) -> Staff:
    return staff.add_staff(
        db, username=username, role=role, pin=pin, full_name=full_name, title=title
    )


@_needs(Verb.STAFF_MANAGE)
def staff_set_active(
    actor: Staff, station: Station, db: Database, username: str, active: bool
) -> None:
    staff.set_active(db, station.keys, actor, username, active=active)


@_needs(Verb.STAFF_MANAGE)
def staff_reset_pin(actor: Staff, station: Station, db: Database, username: str, pin: str) -> None:
    staff.reset_pin(db, station.keys, actor, username, pin)


@_needs(Verb.STAFF_MANAGE)
def staff_set_role(actor: Staff, station: Station, db: Database, username: str, role: str) -> None:
    staff.set_role(db, station.keys, actor, username, role)


@_needs(Verb.STAFF_MANAGE)
def staff_unlock(actor: Staff, station: Station, db: Database, username: str) -> None:
    """Lift a PIN lockout (audited with who lifted it)."""
    staff.admin_unlock(db, station.keys, actor, username)


# --- tablets ----------------------------------------------------------------------------


@_needs(Verb.DEVICE_MANAGE)
def devices(actor: Staff, station: Station, db: Database) -> list[dict[str, Any]]:
    """The tablets, with their last contact and what a lost one leaves to re-take."""
    return enrollment.list_devices_with_contact(db)


@_needs(Verb.DEVICE_MANAGE)
def device_revoke(actor: Staff, station: Station, db: Database, device_id: str) -> None:
    enrollment.revoke_device(db, station.keys, device_id, actor=actor.username)


@_needs(Verb.DEVICE_MANAGE)
def enroll_code(actor: Staff, station: Station, db: Database) -> str:
    """A one-time enrolment code, ending with the pin of the station's HTTPS certificate."""
    return tls.code_for_tablet(station.paths, enrollment.new_enroll_code(db))


# --- the unit served --------------------------------------------------------------------


@_needs(Verb.UNIT_MANAGE)
def unit_settings(actor: Staff, station: Station, db: Database) -> dict[str, Any] | None:
    """The unit's settings as stored (what the desk's form edits)."""
    return get_unit(db)


@_needs(Verb.UNIT_MANAGE)
def unit_record(actor: Staff, station: Station, db: Database) -> Unit | None:
    """The unit as a checked :class:`Unit`, or None before it is set up."""
    return units.load_unit(db)


@_needs(Verb.UNIT_MANAGE)
def unit_save(actor: Staff, station: Station, db: Database, settings: dict[str, Any]) -> None:
    set_unit(db, settings)


@_needs(Verb.UNIT_MANAGE)
def unit_set_from_names(
    actor: Staff,
    station: Station,
    db: Database,
    province: str,
    commune: str,
    agency_code: str | None = None,
    former_name: str | None = None,
    public_url: str | None = None,
) -> Unit:
    """Pick the commune from the official 2025 list of units (and, given, the public
    verify address: part of setting up the unit, checked before anything is stored)."""
    if public_url:
        verify_address.normalise(public_url)
    unit = units.set_unit_from_names(db, province, commune, agency_code, former_name)
    if public_url:
        public_address.set_public_url(db, public_url)
    return unit


# --- the local working calendar ---------------------------------------------------------


@_needs(Verb.CALENDAR_MANAGE)
def calendar_list(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    return calendar.calendar_list(db)


@_needs(Verb.CALENDAR_MANAGE)
def calendar_set(
    actor: Staff,
    station: Station,
    db: Database,
    *,
    off: Iterable[str] = (),
    work: Iterable[str] = (),
    clear: Iterable[str] = (),
    note: str | None = None,
) -> None:
    calendar.set_calendar(
        db, station.keys, off=off, work=work, clear=clear, actor=actor.username, note=note
    )


# --- signing certificates ---------------------------------------------------------------


@_needs(Verb.CERT_MANAGE)
def cert_list(actor: Staff, station: Station, db: Database) -> list[dict[str, Any]]:
    return certs.list_certificates(db)


@_needs(Verb.CERT_MANAGE)
def cert_export(actor: Staff, station: Station, db: Database) -> tuple[str, int]:
    """(the trust anchor(s) as PEM, how many)."""
    pem = certs.export_ca_pem(db, station.keys)
    return pem, len(certs.trust_anchors(db))


@_needs(Verb.CERT_MANAGE)
def cert_import(
    actor: Staff,
    station: Station,
    db: Database,
    holder: str,
    *,
    p12: bytes | None = None,
    password: str | None = None,
    pkcs11_module: str | None = None,
    pkcs11_label: str | None = None,
    pkcs11_token: str | None = None,
) -> dict[str, Any]:
    """Sign as ``commune`` or ``USERNAME`` with a real certificate: a PKCS#12 file's bytes,
    or a key on a USB token (PKCS#11 library and label; ``password`` is its user PIN)."""
    if p12 is not None:
        return certs.import_p12(db, station.keys, holder, p12, password)
    if pkcs11_module and pkcs11_label:
        return certs.import_pkcs11(
            db,
            station.keys,
            holder,
            module=pkcs11_module,
            label=pkcs11_label,
            pin=password or "",
            token=pkcs11_token,
        )
    raise problem(
        "CERT_IMPORT_FAILED",
        "p12",
        detail="--p12 FILE or --pkcs11-module LIB --pkcs11-label L",
        detail_vi="cần --p12 TỆP hoặc --pkcs11-module THƯ_VIỆN --pkcs11-label NHÃN",
    )


# --- backups and restore (docs/operations.md) --------------------------------------------
# The service modules are imported when used: a restore runs before any station is open.


@_needs(Verb.STATION_MANAGE)
def backup_make(actor: Staff, station: Station, db: Database, out: Path, key: BackupKey) -> Any:
    """An encrypted, consistent backup of the whole station into ``out`` (its manifest)."""

    return backup.make_backup(station, out, key)


@_needs(Verb.STATION_MANAGE)
def backup_status(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    """The last backup (when, size, where), the schedule and whether one was missed."""

    return backup.status(db)


@_needs(Verb.STATION_MANAGE)
def restore_status(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    """The last restore and its "cần xử lý lại" (to redo) list: codes and statuses only."""

    return {"restore": recovery.restore_info(db), "redo": recovery.redo_list(db)}


@_needs(Verb.STATION_MANAGE)
def backup_verify(actor: Staff, path: Path, passphrase: str) -> Any:
    """Check a backup file (passphrase, every byte) without restoring it."""

    return backup.verify_backup(path, passphrase)


@_needs(Verb.STATION_MANAGE)
def restore(actor: Staff, source: Path, passphrase: str, target: Path) -> dict[str, Any]:
    """Restore a backup onto a new, empty data folder (recorded in its audit chain)."""

    return backup.restore(source, passphrase, target, actor=actor.username)


# --- the station itself: HTTPS certificate, public address ------------------------------


@_needs(Verb.STATION_MANAGE)
def tls_show(actor: Staff, station: Station, db: Database) -> tls.TlsInfo | None:
    tls.ensure(station.paths)
    return tls.info(station.paths)


@_needs(Verb.STATION_MANAGE)
def tls_import(
    actor: Staff,
    station: Station,
    db: Database,
    cert_pem: bytes,
    key_pem: bytes,
    password: str | None = None,
) -> tls.TlsInfo:
    return tls.import_pair(station.paths, cert_pem, key_pem, password)


@_needs(Verb.STATION_MANAGE)
def public_url_set(actor: Staff, station: Station, db: Database, url: str) -> dict[str, Any]:
    """Set the address printed in the results' QR verify links; returns it as stored and
    whether results can be issued with it (``public_address.readiness``)."""
    public_address.set_public_url(db, url)
    return public_address.readiness(db)


@_needs(Verb.STATION_MANAGE)
def public_url_show(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    """The public verify address, whether results can be issued with it, and why not."""
    return public_address.readiness(db)


# --- the provincial hub (docs/province.md) ----------------------------------------------


@_needs(Verb.HUB_MANAGE)
def hub_register(
    actor: Staff,
    station: Station,
    db: Database,
    hub_url: str,
    code: str,
    public_url: str | None = None,
) -> dict[str, Any]:
    """Join the provincial hub's directory with the code its administrator issued."""
    return hub_link.register(db, station, hub_url, code, public_url)


@_needs(Verb.HUB_MANAGE)
def hub_status(actor: Staff, station: Station, db: Database) -> dict[str, Any] | None:
    """The hub this station is registered with, and how far its figures were sent."""
    return hub_link.status(db)


@_needs(Verb.HUB_MANAGE)
def hub_send(
    actor: Staff, station: Station, db: Database, start: str | None, end: str | None
) -> dict[str, Any]:
    """Count and send the day figures of a period (counts only) to the hub."""
    period = parse_period(start, end)
    return hub_link.send_figures(db, station, period.start, period.end)


@_needs(Verb.REPORT_READ)
def province_linked(actor: Staff, station: Station, db: Database) -> bool:
    """Is this station registered with a provincial hub (the desk offers the province's
    figures then)?"""
    return hub_link.settings(db) is not None


@_needs(Verb.REPORT_READ)
def province_report(
    actor: Staff,
    station: Station,
    db: Database,
    start: str | None,
    end: str | None,
    procedure: str | None = None,
    fmt: str = "json",
) -> Any:
    """The province's summary from the hub (counts per commune, no personal data): the
    leader compares the commune with the province. JSON dict, or CSV / PDF bytes."""
    period = parse_period(start, end)
    return hub_link.province_summary(
        db, station, period.start.isoformat(), period.end.isoformat(), procedure, fmt
    )


@_needs(Verb.HUB_MANAGE)
def hub_lookup(actor: Staff, station: Station, db: Database, unit_code: str) -> dict[str, Any]:
    """Another station's entry in the hub's directory (its keys, address, pin)."""
    return dict(hub_link.lookup(db, station, unit_code).__dict__)


@_needs(Verb.HUB_RELAY)
def hub_relay(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    """Cross-commune intake: seal and send what is queued for other communes, take and
    apply what waits at the hub (services/province/relay.py)."""
    return hub_relay_service.run_once(db, station)


@_needs(Verb.HUB_RELAY)
def hub_communes(
    actor: Staff, station: Station, db: Database, refresh: bool = False
) -> dict[str, Any] | None:
    """The communes of the province this station can relay to (the list its tablets
    offer as the competent commune); ``refresh`` asks the hub first."""
    if refresh:
        hub_communes_service.refresh(db, station)
    return hub_communes_service.show(db)


@_needs(Verb.HUB_RELAY)
def hub_relay_status(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    """The dossiers travelling through the hub, and what is still waiting to be sent."""
    return hub_relay_service.queue(db)


# --- the audit log ----------------------------------------------------------------------


@_needs(Verb.AUDIT_VERIFY)
def audit_verify(
    actor: Staff, station: Station, db: Database, extra_anchors: list[Any]
) -> dict[str, Any]:
    """Chain, anchors (stored and given) and each dossier's status; the first failure
    raises."""
    return audit.verify_all(db, station.keys.ed_pk, extra_anchors)


@_needs(Verb.AUDIT_VERIFY)
def audit_anchor(actor: Staff, station: Station, db: Database) -> dict[str, Any]:
    """Sign and store a checkpoint of the audit head."""
    with transaction(db):
        return audit.anchor(db, station.keys, vn_now_iso())
