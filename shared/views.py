"""What the station shows its staff, declared once: the dossier views the HTTP API returns
and the desk draws, and the API's small answers.

Frozen dataclasses encoded by ``shared.wire``, as the tablet's messages are
(``shared.messages``), so a route, the desk and the OpenAPI schema read one declaration and
no view is a dict built by hand. The JSON keys are the API's as documented in
docs/sync-protocol.md and used by scripts: they must not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared import wire
from shared.external_result import RecordedResult
from shared.model import Dossier
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
