"""What the station shows its staff, declared once: the dossier views the HTTP API returns
and the desk draws, the report's answer, and the API's small answers.

Frozen dataclasses encoded by ``shared.wire``, as the tablet's messages are
(``shared.messages``), so a route, the desk and the OpenAPI schema read one declaration and
no view is a dict built by hand. The JSON keys are the API's as documented in
docs/sync-protocol.md and used by scripts: they must not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared import wire
from shared.catalogue import Field, Procedure
from shared.day_text import day_text
from shared.external_result import RecordedResult
from shared.lookups import LookupNeed, LookupRecord, open_verifications
from shared.model import Dossier
from shared.reports import Period, ReportSeries, Summary
from shared.wire import spec
from shared.workflow import Action, Status


@dataclass(frozen=True)
class DossierRow:
    """One dossier in a queue (``GET /v1/dossiers`` items, the desk's queue): enough to
    find it, sort it by urgency and see what the reader may do with it."""

    id: str = spec(max_len=200)
    code: str = spec(max_len=60)
    procedure: str = spec(max_len=40)
    procedure_name: str = spec(doc="the procedure's Vietnamese name (its code if unknown)")
    status: Status = spec()
    status_label: str = spec(doc="the status as people read it (Vietnamese)")
    status_code: int | None = spec(doc="the national one-stop status number")
    title: str = spec(doc="the value of the procedure's title field (whose dossier it is)")
    received_at: str | None = spec(max_len=wire.ISO_LEN)
    due_at: str | None = spec(max_len=wire.ISO_LEN)
    version: int = spec(lo=1)
    device_id: str = spec(max_len=200)
    allowed_actions: list[Action] = spec(doc="what the reader's role may do here, now")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out


@dataclass(frozen=True)
class DossierList:
    """``GET /v1/dossiers``: the queue, optionally of one status."""

    items: list[DossierRow]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out


@dataclass(frozen=True)
class Rating:
    """The citizen's satisfaction recorded at return (the desk shows it on the dossier)."""

    rating: str = spec(max_len=32)
    label: str = spec(doc="the answer as the survey words it (Vietnamese)")
    comment: str | None = spec(max_len=1000)
    recorded_by: str = spec(max_len=64)
    recorded_at: str = spec(max_len=wire.ISO_LEN)


@dataclass(frozen=True)
class DossierView:
    """One dossier with every value and its history (``GET /v1/dossiers/{id}``, the answer
    to an action, the desk's dossier page): the record itself, its queue line, whether a
    result PDF exists, and — for the desk — the rating given at return.

    On the wire it is one flat object: the dossier's keys, then the queue line's, then
    ``has_result`` (and ``rating`` when there is one)."""

    dossier: Dossier
    row: DossierRow
    has_result: bool
    rating: Rating | None = None
    # A result made elsewhere, as recorded at "stamp" (a PDF's checked signatures, or a
    # paper result's number and date); None for a result drawn here or not yet stamped.
    external_result: RecordedResult | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {**self.dossier.to_dict(), **self.row.to_dict(), "has_result": self.has_result}
        if self.rating is not None:
            out["rating"] = wire.encode(self.rating)
        if self.external_result is not None:
            out["external_result"] = self.external_result.to_dict()
        return out


@dataclass(frozen=True)
class Token:
    """``POST /v1/auth/token``: the bearer token of a staff member just signed in."""

    access_token: str
    token_type: str
    username: str
    role: str
    full_name: str
    expires_at: str

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out


@dataclass(frozen=True)
class PinChanged:
    """``POST /v1/auth/pin``: the PIN was replaced and every token of the account revoked."""

    username: str
    changed: bool = True
    tokens_revoked: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out


@dataclass(frozen=True)
class Apology:
    """A new return date given with an apology (Phiếu xin lỗi và hẹn lại)."""

    new_due_at: str = spec(max_len=wire.ISO_LEN)
    previous_due_at: str | None = spec(max_len=wire.ISO_LEN)
    reason: str = spec(max_len=2000)


@dataclass(frozen=True)
class ApologyView:
    """``POST /v1/dossiers/{id}/apology``: the dossier as it now is, and the apology."""

    view: DossierView
    apology: Apology

    def to_dict(self) -> dict[str, Any]:
        return {**self.view.to_dict(), "apology": wire.encode(self.apology)}


@dataclass(frozen=True)
class LookupNeedView:
    """One lookup a dossier calls for (``shared.lookups.LookupNeed``) with its latest
    record, if any."""

    need: LookupNeed
    record: LookupRecord | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.need.to_dict(),
            "record": None if self.record is None else self.record.to_dict(),
        }


@dataclass(frozen=True)
class LookupsView:
    """The lookup step of a dossier (``GET /v1/dossiers/{id}/lookups``, the answer to
    recording a lookup or closing a verification, the desk's "Tra cứu thay giấy tờ"
    card): each lookup it needs with its latest record, every record in order, whether
    one may still be recorded (until acceptance). On the wire: ``needs``, ``records``,
    ``open_verifications`` and ``may_record``."""

    needs: list[LookupNeedView]
    records: list[LookupRecord]
    may_record: bool

    @property
    def open_verifications(self) -> list[LookupRecord]:
        """The verifications (xác minh) still open: they hold the dossier's acceptance."""
        return open_verifications(self.records)

    def to_dict(self) -> dict[str, Any]:
        return {
            "needs": [n.to_dict() for n in self.needs],
            "records": [r.to_dict() for r in self.records],
            "open_verifications": [r.to_dict() for r in self.open_verifications],
            "may_record": self.may_record,
        }


class VerifyStatus(StrEnum):
    """What the public verify answer says of a code (and a document's hash)."""

    GENUINE = "genuine"  # issued, and the given hash matches it
    ISSUED = "issued"  # issued; no hash given to compare
    ALTERED = "altered"  # issued, but the given hash matches neither the file nor the data
    UNKNOWN = "unknown"  # no issued result under this code


@dataclass(frozen=True)
class Signer:
    """One signature of a result, as its certificate names the signer."""

    field: str
    name: str
    title: str
    organisation: str


@dataclass(frozen=True)
class Verification:
    """``GET /v1/verify/{code}`` (and the page ``/verify/{code}`` drawn from it): only
    what the paper itself shows, never the citizen's data. An unknown code answers
    ``code``, ``status`` and ``genuine`` alone (with ``detail`` for a malformed hash)."""

    code: str
    status: VerifyStatus
    genuine: bool
    detail: str | None = None
    document: str | None = spec(default=None, doc="the result's name (Giấy khai sinh, …)")
    issuer: str | None = None
    issued_at: str | None = spec(default=None, max_len=wire.ISO_LEN)
    register_number: int | None = None
    register_book: str | None = spec(default=None, doc="Quyển số, as 01/2026")
    file_sha256: str | None = None
    signers: list[Signer] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out


@dataclass(frozen=True)
class ReportUnit:
    """The unit a report speaks for, as set up on the station (both None before set-up)."""

    code: str | None
    name: str | None


@dataclass(frozen=True)
class AuditCheckpoint:
    """The last audit record written before a period's end: an export names it, so a
    printed report can be matched against the station's tamper-evident log."""

    seq: int
    hash: str
    at: str = spec(max_len=wire.ISO_LEN)


@dataclass(frozen=True)
class AuditAnchor:
    """The audit chain's head as it stood when the report was made, signed by the station
    (``shared.audit_anchor``): the printed report keeps a copy off the station."""

    rows: int
    head: str
    at: str = spec(max_len=wire.ISO_LEN)
    sig: str = spec(doc="Ed25519 signature, base64")


@dataclass(frozen=True)
class ReportView:
    """``GET /v1/reports/summary`` (the CLI's ``report --format json`` and the desk's report
    page read the same): the figures of a period, per procedure and for the charts, the
    desk page's view model, and the audit checkpoint and anchor made with it.

    On the wire the keys are, in order: ``unit``, ``period`` (``from``, ``to``),
    ``procedure``, ``generated_at``, ``summary``, ``by_procedure``, ``series``, ``page``,
    ``free_text``, ``audit_checkpoint``, ``audit_anchor`` (docs/reports.md)."""

    unit: ReportUnit
    period: Period
    procedure: str | None
    generated_at: str
    summary: Summary
    by_procedure: dict[str, Summary]
    series: ReportSeries
    # The page is ``shared.reports.page_view``'s model: the desk and the PDF draw it.
    page: dict[str, Any]
    free_text: bool
    audit_checkpoint: AuditCheckpoint | None
    audit_anchor: AuditAnchor

    def to_dict(self) -> dict[str, Any]:
        checkpoint = self.audit_checkpoint
        return {
            "unit": wire.encode(self.unit),
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "procedure": self.procedure,
            "generated_at": self.generated_at,
            "summary": self.summary.to_dict(),
            "by_procedure": {code: s.to_dict() for code, s in self.by_procedure.items()},
            "series": self.series.to_dict(),
            "page": self.page,
            "free_text": self.free_text,
            "audit_checkpoint": None if checkpoint is None else wire.encode(checkpoint),
            "audit_anchor": wire.encode(self.audit_anchor),
        }


def shown(value: Any, f: Field) -> str:
    """A value as staff read it: a choice by its label, a date as dd/mm/yyyy (a partial
    date as mm/yyyy), a yes/no as Có/Không, nothing for an empty value."""
    if value is None or value == "":
        return ""
    if f.type == "bool":
        return "Có" if value else "Không"
    if f.type in ("date", "partial_date"):
        return day_text(value)
    return (f.choice_label(value) if f.choices else "") or str(value)


@dataclass(frozen=True)
class ChangedValue:
    """One value a held edit would change: the field's label, what the office holds and
    what the tablet sent (both as read, see :func:`shown`)."""

    field: str
    label: str
    office: str
    tablet: str


@dataclass(frozen=True)
class HeldEdit:
    """An edit a tablet made on an older version of a dossier than the station's, kept
    as a conflict instead of applied (handbook, "Conflicts": never silently dropped) and
    shown to the caseworkers on the dossier (``door.held_edits``, the desk)."""

    device_id: str
    device_name: str
    push_seq: int
    base_version: int = spec(doc="the version the tablet edited")
    server_version: int = spec(doc="the station's version when the edit arrived")
    created_at: str = spec(max_len=wire.ISO_LEN)
    resolved_at: str | None = spec(max_len=wire.ISO_LEN)
    changes: list[ChangedValue] = spec(doc="the values it would change; [] for none")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out


def changed_values(
    proc: Procedure, office: dict[str, Any], tablet: dict[str, Any]
) -> list[ChangedValue]:
    """The procedure's fields, in its order, whose shown value differs between the
    office's dossier and a tablet's held edit (derived fields follow their source)."""
    out: list[ChangedValue] = []
    for f in proc.fields:
        if f.type == "derived":
            continue
        before, after = shown(office.get(f.id), f), shown(tablet.get(f.id), f)
        if before != after:
            out.append(ChangedValue(f.id, f.label.vi, before, after))
    return out
