"""Every message between a station and its provincial hub, declared once (docs/province.md).

The same strict decoding as the tablet's messages (``shared.wire``, ``shared.messages``):
unknown keys, wrong types and out-of-range numbers are ``REQUEST_INVALID`` naming the
field. Both the station (``sync_server/services/hub_link.py``) and the hub
(``province_hub/``) build and read these records; the hub's OpenAPI schemas come from them.

Message map (station → hub, HTTPS with the hub's certificate pinned; every request after
the registration signed by the station's key, ``shared.hub_auth``):

* ``GET /v1/hub/health`` → :class:`HubHealth`
* ``POST /v1/hub/stations`` :class:`StationRegisterRequest` (signed with the key it
  registers) → :class:`DirectoryEntry`
* ``GET /v1/hub/stations/{unit_code}`` → :class:`DirectoryEntry` (a station looks up
  another: the key to seal to, the address, the certificate pin)
* ``GET /v1/hub/communes`` → :class:`CommuneList` (the communes a station can relay a
  dossier to; its tablets offer them as the competent commune)
* ``PUT /v1/hub/figures`` :class:`FiguresBatch` (one :class:`DayFigures` per day, one
  :class:`ProcedureDay` per procedure) → :class:`FiguresAnswer`
* ``POST /v1/hub/relay`` :class:`RelayPush` → :class:`RelayPushAnswer`;
  ``POST /v1/hub/relay/pull`` :class:`RelayPullRequest` → :class:`RelayPullAnswer`;
  ``POST /v1/hub/relay/ack`` :class:`RelayAck` → :class:`RelayAckAnswer` (the sealed relay)

Inside a relay envelope, sealed station to station (cross-commune intake):
:class:`RelayedDossier`, :class:`RelayedState` (with a :class:`RelayedResult`),
:class:`RelayedRefusal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from shared import wire
from shared.envelope import Envelope
from shared.errors import problem
from shared.messages import B64_KEY, ISO_DATE, SHA256, Commune, Problem
from shared.model import Dossier
from shared.unit import Unit
from shared.wire import spec

PROCEDURE_CODE = r"[0-9A-Za-z.\-]{1,40}"
UNIT_CODE = r"[0-9A-Z.]{1,40}"
ISO_MOMENT = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)"
MAX_DAYS = 400  # a year and a bit in one batch (a station back after a long outage)
MAX_PROCEDURES = 300
MAX_PER_DAY = 100_000  # returned dossiers of one procedure in one day, far beyond a ward


@dataclass(frozen=True)
class HubHealth:
    """``GET /v1/hub/health``: liveness and the province the hub serves."""

    status: Literal["ok"]
    version: str = spec(max_len=40)
    province: str = spec(max_len=200)
    stations: int = spec()


@dataclass(frozen=True)
class StationRegisterRequest:
    """``POST /v1/hub/stations``: a station joins the directory with a one-time code."""

    code: str = spec(min_len=1, max_len=60, doc="the code the hub's administrator issued")
    unit: Unit = spec()
    x25519_pub: str = spec(pattern=B64_KEY)
    ed25519_pub: str = spec(pattern=B64_KEY)
    url: str | None = spec(
        pattern=r"https://[^\s]{1,300}", default=None, doc="the station's public address"
    )
    tls_sha256: str | None = spec(
        pattern=SHA256, default=None, doc="SHA-256 of the station's TLS certificate, hex"
    )


@dataclass(frozen=True)
class DirectoryEntry:
    """One station of the directory, as the hub holds it."""

    unit_code: str = spec(pattern=UNIT_CODE)
    name: str = spec(max_len=200)
    province: str = spec(max_len=200)
    url: str | None = spec(max_len=320)
    x25519_pub: str = spec(pattern=B64_KEY)
    ed25519_pub: str = spec(pattern=B64_KEY)
    tls_sha256: str | None = spec(pattern=SHA256)
    registered_at: str = spec(max_len=40)


@dataclass(frozen=True)
class CommuneList:
    """``GET /v1/hub/communes``: every active station of the directory as a commune
    (unit code, name), by name — what a station hands its tablets for choosing the
    competent commune. No key, address or pin: those are looked up when sealing."""

    province: str = spec(max_len=200)
    communes: list[Commune] = spec(max_items=5000)


@dataclass(frozen=True)
class PreviousRequest:
    """Supplement requests of a day, by the day of the same dossier's request before
    (``None``: its first). A period's dossiers asked for a supplement are then exact: the
    requests in the period whose previous request lies before it."""

    previous_day: str | None = spec(pattern=ISO_DATE)
    n: int = spec(lo=1)


@dataclass(frozen=True)
class ProcedureDay:
    """One procedure's figures of one day: counts only, no dossier and no person.

    ``carried_over`` is what was open when the day began; ``not_yet_due``, ``overdue``
    and ``awaiting_supplement`` what was open when it ended (or at ``as_of`` for today);
    every other count is of events of that day (``shared.province``)."""

    procedure: str = spec(pattern=PROCEDURE_CODE)
    carried_over: int = spec(default=0)
    new_counter: int = spec(default=0)
    new_home_visit: int = spec(default=0)
    new_other: int = spec(default=0)
    early: int = spec(default=0)
    on_time: int = spec(default=0)
    late: int = spec(default=0)
    refused: int = spec(default=0)
    withdrawn: int = spec(default=0)
    not_yet_due: int = spec(default=0)
    overdue: int = spec(default=0)
    awaiting_supplement: int = spec(default=0)
    returned: int = spec(default=0)
    same_day: int = spec(default=0)
    first_visit: int = spec(default=0)
    very_satisfied: int = spec(default=0)
    satisfied: int = spec(default=0)
    unsatisfied: int = spec(default=0)
    supplement_requests: int = spec(default=0)
    apology_letters: int = spec(default=0)
    turnaround_seconds: list[int] = spec(
        max_items=MAX_PER_DAY, default=[], doc="working seconds receipt → return, each returned"
    )
    supplement_previous: list[PreviousRequest] = spec(max_items=MAX_PER_DAY, default=[])

    def wire_check(self, path: str) -> None:
        """What a hub refuses though each number is in range: counts that contradict each
        other (more same-day returns than returns, a list longer than its count)."""

        def bad(name: str, en: str, vi: str) -> None:
            raise problem("REQUEST_INVALID", f"{path}.{name}", detail=en, detail_vi=vi)

        if self.same_day > self.returned or self.first_visit > self.same_day:
            bad(
                "same_day",
                "same_day/first_visit exceed returned",
                "số trả trong ngày quá số trả",
            )
        if len(self.turnaround_seconds) != self.returned:
            bad(
                "turnaround_seconds",
                "one value per returned dossier",
                "mỗi hồ sơ đã trả một giá trị",
            )
        if sum(x.n for x in self.supplement_previous) != self.supplement_requests:
            bad(
                "supplement_previous",
                "must add up to supplement_requests",
                "tổng phải bằng số lần yêu cầu bổ sung",
            )
        if any(s < 0 for s in self.turnaround_seconds):
            bad("turnaround_seconds", "negative", "giá trị âm")


@dataclass(frozen=True)
class DayFigures:
    """A day's figures of one station; sending a day again replaces it whole."""

    day: str = spec(pattern=ISO_DATE)
    as_of: str = spec(pattern=ISO_MOMENT, doc="when the station counted (open dossiers judged)")
    procedures: list[ProcedureDay] = spec(max_items=MAX_PROCEDURES)


@dataclass(frozen=True)
class FiguresBatch:
    """``PUT /v1/hub/figures``: days in any order, each stored whole or none at all."""

    days: list[DayFigures] = spec(max_items=MAX_DAYS)


@dataclass(frozen=True)
class FiguresAnswer:
    """What the hub holds now: the days stored by this request, the station's last day."""

    stored: int = spec()
    last_day: str | None = spec(pattern=ISO_DATE)


# --- the sealed relay: store-and-forward between stations (docs/province.md) -----------

KIND_RELAY = "relay"  # envelope kind: station → station through the hub, sealed end to end
MAX_RELAY_BATCH = 100


@dataclass(frozen=True)
class RelayItem:
    """One envelope for another station: sealed (HPKE) to the recipient's key from the
    directory and signed by the sender; ``seq`` is the sender's own relay sequence (the
    envelope's ``ctx.seq``), on which the hub is idempotent."""

    seq: int = spec(lo=1)
    recipient: str = spec(pattern=UNIT_CODE)
    envelope: Envelope = spec()


@dataclass(frozen=True)
class RelayPush:
    """``POST /v1/hub/relay``: envelopes to store until their recipients take them."""

    items: list[RelayItem] = spec(max_items=MAX_RELAY_BATCH)


@dataclass(frozen=True)
class RelayResult:
    seq: int
    outcome: Literal["stored", "duplicate"]


@dataclass(frozen=True)
class RelayPushAnswer:
    """Everything listed is stored (now or before): the sender may drop it."""

    results: list[RelayResult] = spec(max_items=MAX_RELAY_BATCH)


@dataclass(frozen=True)
class RelayPullRequest:
    """``POST /v1/hub/relay/pull``: what waits for this station after its cursor."""

    after: int = spec(lo=0, hi=2**53)
    limit: int = spec(lo=1, hi=MAX_RELAY_BATCH, default=MAX_RELAY_BATCH)


@dataclass(frozen=True)
class RelayDelivery:
    """One waiting envelope; ``id`` is the hub's order, the station's cursor."""

    id: int = spec(lo=1, hi=2**53)
    sender: str = spec(pattern=UNIT_CODE)
    seq: int = spec(lo=1)
    envelope: Envelope = spec()


@dataclass(frozen=True)
class RelayPullAnswer:
    items: list[RelayDelivery] = spec(max_items=MAX_RELAY_BATCH)


@dataclass(frozen=True)
class RelayAck:
    """``POST /v1/hub/relay/ack``: everything up to ``through`` is stored at the station;
    the hub deletes it (it keeps nothing longer than needed)."""

    through: int = spec(lo=0, hi=2**53)


@dataclass(frozen=True)
class RelayAckAnswer:
    deleted: int = spec()


# --- what travels sealed inside a relay envelope (station to station; the hub never opens
# one). Cross-commune intake (Nghị định 118/2025/NĐ-CP): the receiving station A sends the
# dossier to the competent station B; B sends back every change of state and the signed
# result; A sends back the return at its counter; B refusing the dossier says why.

MAX_RESULT_B64 = 16 * 1024 * 1024


@dataclass(frozen=True)
class RelayedDossier:
    """A → B: a dossier received at A for B, as A holds it (A's code, A's receipt and
    history: the due time counts from receipt at A)."""

    type: Literal["dossier.forward"]
    dossier: Dossier = spec()
    origin: Unit = spec(doc="the receiving commune, which returns the result")
    forwarded_at: str = spec(pattern=ISO_MOMENT)


@dataclass(frozen=True)
class RelayedResult:
    """The signed result document (the PDF as sealed at B), for A to hand over."""

    sha256: str = spec(pattern=SHA256)
    name: str = spec(max_len=200)
    pdf_b64: str = spec(max_len=MAX_RESULT_B64)


@dataclass(frozen=True)
class RelayedRating:
    """A → B with the return: the citizen's rating given at A's counter. The competent
    commune counts the dossier, its rating included (``shared.province.COUNTED_BY_PEER``)."""

    level: str = spec(pattern="very_satisfied|satisfied|unsatisfied")
    at: str = spec(pattern=ISO_MOMENT)
    by: str = spec(min_len=1, max_len=64, doc="who recorded it at A")
    comment: str = spec(max_len=2000, default="")


@dataclass(frozen=True)
class RelayedState:
    """B → A (every desk change) or A → B (the return): the dossier as its sender holds it
    now. Applied only when its ``version`` is above the last one applied (idempotent,
    order-safe)."""

    type: Literal["dossier.state"]
    dossier: Dossier = spec()
    changed_at: str = spec(pattern=ISO_MOMENT)
    result: RelayedResult | None = spec(default=None)
    rating: RelayedRating | None = spec(default=None, doc="A → B, with the return")


@dataclass(frozen=True)
class RelayedRefusal:
    """B → A: B could not take the dossier (not competent, unknown procedure, invalid);
    the dossier stays at A, which decides what to do."""

    type: Literal["dossier.refused"]
    dossier_id: str = spec(min_len=1, max_len=200)
    code: str = spec(max_len=60)
    problem: Problem = spec()


RELAYED_KINDS: dict[str, type[Any]] = {
    "dossier.forward": RelayedDossier,
    "dossier.state": RelayedState,
    "dossier.refused": RelayedRefusal,
}


def decode_relayed(data: Any) -> RelayedDossier | RelayedState | RelayedRefusal:
    """An opened relay payload, by its ``type`` (strict, like every message)."""
    kind = data.get("type") if isinstance(data, dict) else None
    cls = RELAYED_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        kinds = ", ".join(RELAYED_KINDS)
        raise problem(
            "REQUEST_INVALID", "type", detail=f"type: {kinds}", detail_vi=f"loại: {kinds}"
        )
    record: RelayedDossier | RelayedState | RelayedRefusal = wire.decode(cls, data)
    return record


HUB_MESSAGES: tuple[type[Any], ...] = (
    HubHealth,
    StationRegisterRequest,
    DirectoryEntry,
    CommuneList,
    PreviousRequest,
    ProcedureDay,
    DayFigures,
    FiguresBatch,
    FiguresAnswer,
    RelayItem,
    RelayPush,
    RelayResult,
    RelayPushAnswer,
    RelayPullRequest,
    RelayDelivery,
    RelayPullAnswer,
    RelayAck,
    RelayAckAnswer,
    RelayedDossier,
    RelayedResult,
    RelayedState,
    RelayedRefusal,
)


def json_schema(cls: type[Any]) -> dict[str, Any]:
    return wire.record_schema(cls)
