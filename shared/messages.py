"""Every message between tablet and station, declared once (docs/sync-protocol.md).

Both sides build and read these records; nothing on the wire is a hand-made dict. Decoding
is strict (``shared.wire``): unknown keys, wrong types, out-of-range integers and over-long
strings are a ``REQUEST_INVALID`` problem naming the field. The station derives its OpenAPI
schemas from the same declarations (:func:`json_schema`).

Message map (HTTP body unless noted):

* ``GET /v1/health`` → :class:`Health`
* ``POST /v1/sync/enroll`` :class:`EnrollRequest` → :class:`EnrollAnswer`
* ``POST /v1/sync/unlock`` :class:`UnlockRequest` (HPKE-sealed :class:`UnlockSecret`)
  → :class:`UnlockAnswer` (envelope of :class:`UnlockGrant`)
* ``POST /v1/sync/push`` :class:`PushRequest` (envelopes of :class:`DossierSubmit`)
  → :class:`PushAnswer`
* ``POST /v1/sync/pull`` :class:`PullRequest` (with :class:`NumbersLeft`) → :class:`PullAnswer`
  (envelopes of one :data:`FeedItem` each, :class:`NumberBlock` among them)
* ``POST /v1/sync/recover`` :class:`RecoverRequest` (with :class:`KnownState`,
  :class:`NumbersHeld`) → :class:`RecoverAnswer`, after a pull answered a
  :class:`RestoreNotice`
* ``PUT /v1/sync/attachments/{sha256}`` :class:`AttachmentOpenRequest` (envelope of
  :class:`AttachmentDeclare`) → :class:`AttachmentStatus`
* ``PUT /v1/sync/attachments/{sha256}/chunks/{n}`` :class:`AttachmentChunkRequest`
  (envelope of the chunk's bytes) → :class:`AttachmentStatus`
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Literal, TypeVar

from shared import unit as unit_fields
from shared import wire
from shared.attachments import MAX_CHUNK, MAX_CHUNKS, MIME_PATTERN, MIN_CHUNK
from shared.codes import DAY_CAPACITY, MAX_SLOT
from shared.envelope import Envelope
from shared.errors import TaiChoError, is_code, problem
from shared.model import Dossier, HistoryEntry, PaperResult
from shared.sync import (
    CHANGE_DOSSIER_SUBMIT,
    FEED_AUDIT_ANCHOR,
    FEED_CALENDAR,
    FEED_CATALOGUE,
    FEED_DOSSIER_CONFLICT,
    FEED_DOSSIER_REJECTED,
    FEED_DOSSIER_STATE,
    FEED_STAFF,
    MAX_PULL_LIMIT,
    MAX_PUSH_BATCH,
    Outcome,
)
from shared.unit import Unit
from shared.wire import MAX_INT, spec
from shared.workflow import Status

B64_KEY = "[A-Za-z0-9_-]{43}"  # 32 bytes, base64url without padding
B64 = "[A-Za-z0-9_-]*"
UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
SHA256 = "[0-9a-f]{64}"
MAX_PDF_B64 = 20_000_000  # a result PDF of about 15 MB
MAX_PAGE_B64 = 4_000_000  # one page picture of about 3 MB
T = TypeVar("T")


# --- envelope and unit: types with their own strict parsers ---------------------------------

_B64_STR = {"type": "string", "pattern": f"^{B64}$"}
ENVELOPE_SCHEMA: dict[str, Any] = {
    "title": "Envelope",
    "description": "Sealed (HPKE) and signed (Ed25519) message, format v1 (§2).",
    "type": "object",
    "properties": {
        "v": {"const": 1},
        "ctx": {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "maxLength": 200, "pattern": "^[A-Za-z0-9_-]+$"},
                "sender": {"type": "string", "minLength": 1, "maxLength": 200},
                "recipient": {"type": "string", "minLength": 1, "maxLength": 200},
                "seq": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
                "record_id": {"type": "string", "minLength": 1, "maxLength": 200},
                "version": {"type": "integer", "minimum": 0, "maximum": MAX_INT},
            },
            "required": ["kind", "sender", "recipient", "seq", "record_id", "version"],
            "additionalProperties": False,
        },
        "enc": _B64_STR,
        "ct": _B64_STR,
        "sig": _B64_STR,
    },
    "required": ["v", "ctx", "enc", "ct", "sig"],
    "additionalProperties": False,
}


def _decode_envelope(data: Any) -> Envelope:
    env = Envelope.from_json(data)
    # The envelope format allows up to 2^53; sync messages keep sequence numbers and
    # versions in 32 bits so a peer can never push a number the other side cannot count on.
    for name in ("seq", "version"):
        if getattr(env.ctx, name) > MAX_INT:
            raise problem("ENVELOPE_MALFORMED", f"ctx.{name}", detail=f"ctx.{name} > {MAX_INT}")
    return env


def _unit_schema() -> dict[str, Any]:
    text = {"type": "string", "maxLength": 200}
    props: dict[str, Any] = {
        name: dict(text) for name in unit_fields.FIELDS if name != "agency_lines"
    }
    props["code"] = {"type": "string", "pattern": "^[0-9A-Z.]{1,40}$"}
    props["agency_lines"] = {"type": "array", "items": text, "minItems": 1, "maxItems": 4}
    return {
        "title": "Unit",
        "description": "The commune-level unit a station serves (shared.unit.Unit).",
        "type": "object",
        "properties": props,
        "required": list(unit_fields.REQUIRED_FIELDS),
        "additionalProperties": False,
    }


wire.register_codec(Envelope, _decode_envelope, Envelope.to_json, ENVELOPE_SCHEMA)
wire.register_codec(Unit, Unit.from_dict, Unit.to_dict, _unit_schema())


# --- shared pieces ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StationKeysInfo:
    """The station's public keys; a tablet pins them at enrolment."""

    x25519_pub: str = spec(pattern=B64_KEY)
    ed25519_pub: str = spec(pattern=B64_KEY)


@dataclass(frozen=True)
class Problem:
    """A catalogued error (docs/errors.md), as it travels inside a message."""

    code: str = spec(max_len=60)
    field: str | None = spec(max_len=200)
    message: str = spec(max_len=2000)
    message_en: str = spec(max_len=2000)
    params: dict[str, Any] | None = spec(default=None)
    details: list[dict[str, Any]] | None = spec(max_items=500, default=None)
    wipe: bool | None = spec(default=None)

    @classmethod
    def of(cls, err: TaiChoError) -> Problem:
        """Our own error as a record; never fails (texts are cut to the declared bounds),
        because a push result that cannot be written would jam the tablet's outbox."""
        p = err.to_problem()
        return cls(
            code=err.code,
            field=None if err.field is None else err.field[:200],
            message=str(p["message"])[:2000],
            message_en=str(p["message_en"])[:2000],
            params=p.get("params"),
            details=p.get("details", None) and list(p["details"])[:500],
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = wire.encode(self)
        return out

    def error(self) -> TaiChoError:
        """Our own error again (the tablet reading a station's problem answer, or a feed
        item's problem): the template values, the details and ``wipe`` come back with it,
        so the message is re-rendered in the reader's language. A code this build does not
        know is ``STATION_ERROR``."""
        if not is_code(self.code):
            return problem("STATION_ERROR", self.field, detail=f"unknown code {self.code[:60]}")
        ctx = dict(self.params or {})
        if self.wipe:
            ctx["wipe"] = True
        return TaiChoError(self.code, self.field, ctx, list(self.details or []))


# --- health, enrolment, unlock -----------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    """``GET /v1/health``: liveness, version, the unit served (null until set), public keys."""

    status: Literal["ok"]
    version: str = spec(max_len=40)
    unit: Unit | None = spec()
    station: StationKeysInfo = spec()


@dataclass(frozen=True)
class EnrollRequest:
    """``POST /v1/sync/enroll``: a tablet registers with a one-time code and its keys."""

    code: str = spec(min_len=1, max_len=40)
    device_id: str = spec(pattern=UUID, doc="UUID chosen by the tablet (lower case)")
    device_name: str = spec(min_len=1, max_len=100)
    x25519_pub: str = spec(pattern=B64_KEY)
    ed25519_pub: str = spec(pattern=B64_KEY)
    escrow: Envelope = spec(doc="kind=escrow envelope of the tablet's 32-byte data key")
    # A restored or cloned tablet re-enrolling (issue 22): the device id it had. It may
    # then re-send its unsent dossiers, numbered from that device's blocks.
    replaces: str | None = spec(pattern=UUID, default=None)

    def wire_check(self, path: str) -> None:
        if not self.code.strip():
            raise problem(
                "REQUEST_INVALID", "code", detail="code", detail_vi="mã đăng ký thiết bị sai"
            )
        if not self.device_name.strip():
            raise problem(
                "REQUEST_INVALID",
                "device_name",
                detail="device_name: 1–100 chars",
                detail_vi="tên thiết bị phải dài 1–100 ký tự",
            )


@dataclass(frozen=True)
class EnrollAnswer:
    """The enrolment answer: the device's slot, the unit it serves, the keys to pin."""

    device_id: str = spec(pattern=UUID)
    slot: int = spec(lo=1, hi=MAX_SLOT)
    unit: Unit = spec()
    station: StationKeysInfo = spec()
    # PEM certificates of the station's signing CA(s): results are checked offline against them.
    signing_ca: list[str] = spec(max_items=8, max_len=20_000, default=[])


@dataclass(frozen=True)
class UnlockRequest:
    """``POST /v1/sync/unlock``: an HPKE-sealed :class:`UnlockSecret` for the station."""

    device_id: str = spec(max_len=200)
    enc: str = spec(pattern=B64, max_len=100)
    ct: str = spec(pattern=B64, max_len=4000)


@dataclass(frozen=True)
class UnlockSecret:
    """Plaintext inside an unlock request (info ``taicho/v1/unlock-request``, aad device id)."""

    username: str = spec(min_len=1, max_len=64)
    pin: str = spec(min_len=1, max_len=32)
    reply_pub: str = spec(pattern=B64_KEY, doc="one-time X25519 key of the tablet")
    nonce: str = spec(pattern="[A-Za-z0-9_-]{22}", doc="16 random bytes, base64url")


@dataclass(frozen=True)
class UnlockAnswer:
    """The escrowed data key, in a kind=unlock envelope sealed to the one-time key."""

    envelope: Envelope


@dataclass(frozen=True)
class UnlockGrant:
    """Payload of the unlock envelope: the data key and who unlocked."""

    data_key: str = spec(pattern=B64_KEY)
    username: str = spec(max_len=64)
    role: str = spec(max_len=40)
    full_name: str = spec(max_len=200, default="")


# --- push ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DossierSubmit:
    """Payload of a kind=change envelope: a dossier as received or supplemented."""

    type: Literal["dossier.submit"]
    dossier: Dossier


@dataclass(frozen=True)
class PushRequest:
    """``POST /v1/sync/push``: the outbox, in sequence order."""

    device_id: str = spec(max_len=200)
    changes: list[Envelope] = spec(max_items=MAX_PUSH_BATCH)


@dataclass(frozen=True)
class PushResult:
    """What became of one pushed change."""

    seq: int
    record_id: str = spec(max_len=200)
    outcome: Outcome = spec()
    problem: Problem | None = spec(default=None)


@dataclass(frozen=True)
class PushAnswer:
    """Everything up to ``acked_seq`` is stored; the tablet may drop it from its outbox."""

    acked_seq: int
    results: list[PushResult] = spec(max_items=MAX_PUSH_BATCH)


# --- photos of documents: chunked, resumable upload (§7) -----------------------------------------


@dataclass(frozen=True)
class AttachmentDeclare:
    """Payload of a kind=attachment-open envelope: the photo the tablet is about to send,
    named by the SHA-256 of its bytes, and how it cuts it into chunks."""

    type: Literal["attachment.open"]
    sha256: str = spec(pattern=SHA256, max_len=64)
    size: int = spec(lo=1)
    mime: str = spec(pattern=MIME_PATTERN, max_len=40)
    chunk_size: int = spec(lo=MIN_CHUNK, hi=MAX_CHUNK)


@dataclass(frozen=True)
class AttachmentOpenRequest:
    """``PUT /v1/sync/attachments/{sha256}``: open (or resume) the upload of one photo."""

    device_id: str = spec(max_len=200)
    declare: Envelope = spec(doc="kind=attachment-open envelope of an AttachmentDeclare")


@dataclass(frozen=True)
class AttachmentChunkRequest:
    """``PUT /v1/sync/attachments/{sha256}/chunks/{n}``: chunk ``n`` of the photo, sealed."""

    device_id: str = spec(max_len=200)
    chunk: Envelope = spec(doc="kind=attachment-chunk envelope, seq = n, payload = the bytes")


@dataclass(frozen=True)
class AttachmentStatus:
    """What the station holds of one photo: the chunks it already has (send only the
    others), and ``complete`` once the whole was put together and its SHA-256 checked."""

    sha256: str = spec(pattern=SHA256, max_len=64)
    size: int = spec(lo=1)
    chunk_size: int = spec(lo=MIN_CHUNK, hi=MAX_CHUNK)
    chunks: int = spec(lo=1, hi=MAX_CHUNKS)
    have: list[int] = spec(max_items=MAX_CHUNKS, hi=MAX_CHUNKS)
    complete: bool = spec()


# --- pull and the feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NumbersLeft:
    """How many dossier numbers of one day a tablet still holds unused (its reserve)."""

    day: str = spec(pattern=ISO_DATE)
    left: int = spec(lo=0, hi=DAY_CAPACITY)


@dataclass(frozen=True)
class HeldClaim:
    """What the tablet had acknowledged by the station: its changes 1..``through``, as
    ``shared.sync.held_digest`` over (seq, envelope digest) of each."""

    through: int = spec(lo=0)
    digest: str = spec(pattern=SHA256)


@dataclass(frozen=True)
class HeldAnswer:
    """The station's side of :class:`HeldClaim`: the same digest over the changes its push
    log holds from this device up to ``through``, how many those are, and the sequence
    numbers of applied changes whose dossier it no longer holds (at most 100)."""

    through: int = spec(lo=0)
    digest: str = spec(pattern=SHA256)
    changes: int = spec(lo=0)
    missing: list[int] = spec(max_items=100, default=[])


@dataclass(frozen=True)
class PullRequest:
    """``POST /v1/sync/pull``: this device's feed items after its cursor.

    ``numbers`` reports the tablet's unused dossier numbers for today and the coming
    days; the station tops up what runs low with :class:`NumberBlock` items that arrive
    in this same pull (absent or null: no top-up asked)."""

    device_id: str = spec(max_len=200)
    after: int = spec(default=0)
    limit: int = spec(lo=1, hi=MAX_PULL_LIMIT, default=MAX_PULL_LIMIT)
    # The digest (``staff_digest``) of the staff list this tablet holds, "" for none; the
    # station queues a ``staff`` item when the office's list differs. Absent: not asked.
    staff_digest: str | None = spec(default=None, pattern="[0-9a-f]{64}|", max_len=64)
    # The ``rows`` of the newest audit anchor this tablet holds (0: none); the station
    # queues the newer ones. Absent: not asked.
    anchor_rows: int | None = spec(default=None, lo=0)
    # The digest (``communes_digest``) of the province's communes this tablet holds, ""
    # for none; the station queues a ``communes`` item when its list differs (cross-commune
    # intake, docs/province.md). Absent: not asked.
    communes_digest: str | None = spec(default=None, pattern="[0-9a-f]{64}|", max_len=64)
    # Changes still waiting in the tablet's outbox when it pulls (after its push): shown
    # on the desk when the tablet is revoked, so the office knows what to re-take.
    pending: int | None = spec(default=None, lo=0)
    numbers: list[NumbersLeft] | None = spec(max_items=60, default=None)
    # What the station acknowledged from this tablet: it answers ``held`` (issue 22 §5).
    held: HeldClaim | None = spec(default=None)


@dataclass(frozen=True)
class PullAnswer:
    """Feed envelopes (kind=feed); ``next`` is the new cursor, ``more`` asks for another pull.
    ``held`` answers the request's ``held`` (absent when not asked)."""

    items: list[Envelope] = spec(max_items=MAX_PULL_LIMIT)
    next: int = spec()
    more: bool = spec()
    held: HeldAnswer | None = spec(default=None)
    # Present while the station, restored from a backup, waits for this tablet's
    # ``RecoverRequest`` (docs/sync-protocol.md §11).
    restore: RestoreNotice | None = spec(default=None)


@dataclass(frozen=True)
class RestoreNotice:
    """The station was restored from a backup: what it holds of this tablet."""

    # The highest feed sequence of the backup: the tablet's items above it are what the
    # station lost (it reports the dossiers they changed).
    feed_seq: int = spec()
    # The last change of this tablet the station holds: the tablet re-sends those after it.
    push_acked: int = spec()
    at: str = spec(max_len=40)


@dataclass(frozen=True)
class KnownState:
    """A dossier as this tablet's feed copy shows it (clear columns only)."""

    dossier_id: str = spec(max_len=200)
    code: str = spec(max_len=60)
    status: Status = spec()
    version: int = spec(lo=1)


@dataclass(frozen=True)
class NumbersHeld:
    """The highest dossier number of one day this tablet holds (used or not)."""

    day: str = spec(pattern=ISO_DATE)
    hi: int = spec(lo=1, hi=DAY_CAPACITY)


@dataclass(frozen=True)
class RecoverRequest:
    """``POST /v1/sync/recover``: after a restore, what the tablet holds that the station
    may have lost."""

    device_id: str = spec(max_len=200)
    # The highest change sequence the station had acknowledged to this tablet.
    acked: int = spec()
    # Staff who hold a PIN wrap on this tablet (their unlock may be what was lost).
    users: list[str] = spec(max_items=200, max_len=64, default=[])
    numbers: list[NumbersHeld] = spec(max_items=60, default=[])
    # Dossiers whose feed items arrived after the backup's ``feed_seq``.
    states: list[KnownState] = spec(max_items=5000, default=[])


@dataclass(frozen=True)
class RecoverAnswer:
    """What the tablet re-sends: every change after ``push_acked``."""

    push_acked: int = spec()


@dataclass(frozen=True)
class ResultFile:
    """A stamped result document, sent once to the tablet that received the dossier."""

    sha256: str = spec(pattern=SHA256)
    pdf_b64: str = spec(pattern=B64, max_len=MAX_PDF_B64)
    name: str = spec(max_len=200, default="")
    # The pages as grey PNG pictures (base64url), for the tablet's result screen.
    pages_png_b64: list[str] = spec(max_items=4, max_len=MAX_PAGE_B64, pattern=B64, default=[])


@dataclass(frozen=True)
class DossierState:
    """Feed item: the dossier's status changed at the office (with its result once stamped)."""

    type: Literal["dossier.state"]
    dossier_id: str = spec(max_len=200)
    code: str = spec(max_len=60)
    status: Status = spec()
    version: int = spec(lo=1)
    history: list[HistoryEntry] = spec(max_items=1000)
    due_at: str | None = spec(max_len=40)
    result: ResultFile | None = spec(default=None)
    # A result issued on paper elsewhere: its number and date, from the stamp on.
    paper_result: PaperResult | None = spec(default=None)


@dataclass(frozen=True)
class DossierRejected:
    """Feed item: a pushed dossier was refused (invalid); the tablet shows why."""

    type: Literal["dossier.rejected"]
    dossier_id: str = spec(max_len=200)
    code: str | None = spec(max_len=60)
    problem: Problem = spec()


@dataclass(frozen=True)
class DossierConflict:
    """Feed item: an edit was based on an older version; the station kept it for staff."""

    type: Literal["dossier.conflict"]
    dossier_id: str = spec(max_len=200)
    code: str | None = spec(max_len=60)
    base_version: int = spec()
    server_version: int = spec()
    problem: Problem = spec()


@dataclass(frozen=True)
class CalendarUpdate:
    """Feed item: the office's extra days off and make-up working days (ISO dates)."""

    type: Literal["calendar"]
    off: list[str] = spec(pattern=ISO_DATE, max_items=1000)
    work: list[str] = spec(pattern=ISO_DATE, max_items=1000)


@dataclass(frozen=True)
class CatalogueUpdate:
    """Feed item: the station's current procedure definitions (``procedure.json``
    documents, each with its ``version``); ``catalogue_version`` grows with every change."""

    type: Literal["catalogue"]
    procedures: list[dict[str, Any]] = spec(max_items=200)
    catalogue_version: int = spec(lo=0, default=0)


@dataclass(frozen=True)
class NumberBlock:
    """Feed item: dossier numbers ``lo`` … ``hi`` of ``day`` in unit ``unit``, reserved to
    this device alone (shared.codes); it numbers its dossiers from them, offline too."""

    type: Literal["numbers"]
    unit: str = spec(pattern="^[0-9A-Z.]{1,40}$")
    day: str = spec(pattern=ISO_DATE)
    lo: int = spec(lo=1, hi=DAY_CAPACITY)
    hi: int = spec(lo=1, hi=DAY_CAPACITY)

    def wire_check(self, path: str) -> None:
        if self.hi < self.lo:
            raise problem(
                "REQUEST_INVALID",
                "hi",
                detail="hi: not below lo",
                detail_vi="số cuối (hi) không được nhỏ hơn số đầu (lo)",
            )


@dataclass(frozen=True)
class StaffMember:
    """One staff member as tablets know them (no PIN material)."""

    username: str = spec(max_len=64)
    full_name: str = spec(max_len=200)
    role: str = spec(max_len=40)
    active: bool = spec()


@dataclass(frozen=True)
class StaffUpdate:
    """Feed item: the office's staff list (sent when the tablet holds another one)."""

    type: Literal["staff"]
    staff: list[StaffMember] = spec(max_items=1000)


def staff_digest(staff: list[StaffMember]) -> str:
    """SHA-256 of a staff list in canonical JSON: the same on tablet and station."""
    body = json.dumps([asdict(x) for x in staff], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Commune:
    """A commune of the province that a station can relay dossiers to: its unit code in
    the hub's directory and its name ("Phường Sa Đéc")."""

    unit_code: str = spec(pattern=r"[0-9A-Z.]{1,40}")
    name: str = spec(min_len=1, max_len=200)


@dataclass(frozen=True)
class CommunesUpdate:
    """Feed item: the communes of the province in the hub's directory, as the station last
    fetched them (``fetched_at``), so a tablet offline still offers them as the competent
    commune of a dossier (sent when the tablet holds another list)."""

    type: Literal["communes"]
    province: str = spec(max_len=200)
    communes: list[Commune] = spec(max_items=5000)
    fetched_at: str = spec(max_len=40)


def communes_digest(province: str, communes: list[Commune]) -> str:
    """SHA-256 of a province's commune list in canonical JSON: the same on tablet and
    station (the fetch time is left out: a list fetched again unchanged is not re-sent)."""
    body = json.dumps(
        {"province": province, "communes": [asdict(c) for c in communes]},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditAnchor:
    """Feed item: a signed checkpoint of the station's audit chain (``rows``, ``head``,
    ``at``, Ed25519 ``sig``). Every tablet keeps them, so a truncated or rebuilt chain
    on the station contradicts an anchor held elsewhere (``audit-verify --anchor``)."""

    type: Literal["audit.anchor"]
    rows: int = spec(lo=0)
    head: str = spec(pattern=SHA256)
    at: str = spec(max_len=40)
    sig: str = spec(pattern=B64, max_len=200)


FeedItem = (
    DossierState
    | DossierRejected
    | DossierConflict
    | CalendarUpdate
    | CatalogueUpdate
    | StaffUpdate
    | AuditAnchor
    | NumberBlock
    | CommunesUpdate
)
FEED_NUMBERS = "numbers"  # a block of dossier numbers (shared.codes)
FEED_COMMUNES = "communes"  # the province's communes a dossier can be relayed to
FEED_TYPES: dict[str, type[Any]] = {
    FEED_DOSSIER_STATE: DossierState,
    FEED_DOSSIER_REJECTED: DossierRejected,
    FEED_DOSSIER_CONFLICT: DossierConflict,
    FEED_CALENDAR: CalendarUpdate,
    FEED_CATALOGUE: CatalogueUpdate,
    FEED_STAFF: StaffUpdate,
    FEED_AUDIT_ANCHOR: AuditAnchor,
    FEED_NUMBERS: NumberBlock,
    FEED_COMMUNES: CommunesUpdate,
}
CHANGE_TYPES: dict[str, type[Any]] = {CHANGE_DOSSIER_SUBMIT: DossierSubmit}

# Every declared record, for the docs test and the schema listing.
MESSAGES: tuple[type[Any], ...] = (
    Health,
    EnrollRequest,
    EnrollAnswer,
    UnlockRequest,
    UnlockSecret,
    UnlockAnswer,
    UnlockGrant,
    DossierSubmit,
    PushRequest,
    PushResult,
    PushAnswer,
    AttachmentDeclare,
    AttachmentOpenRequest,
    AttachmentChunkRequest,
    AttachmentStatus,
    NumbersLeft,
    PullRequest,
    PullAnswer,
    HeldClaim,
    HeldAnswer,
    RestoreNotice,
    RecoverRequest,
    KnownState,
    NumbersHeld,
    RecoverAnswer,
    ResultFile,
    *FEED_TYPES.values(),
    StaffMember,
    Commune,
    Problem,
    StationKeysInfo,
)


def decode_feed_item(data: Any) -> FeedItem:
    """A feed payload by its ``type``; an unknown type is REQUEST_INVALID on ``type``."""
    kind = data.get("type") if isinstance(data, dict) else None
    cls = FEED_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise problem(
            "REQUEST_INVALID",
            "type",
            detail=f"type: unknown feed item {kind!r}",
            detail_vi=f"loại tin {kind!r} không được biết",
        )
    item: FeedItem = wire.decode(cls, data)
    return item


def from_json_bytes(cls: type[T], raw: bytes, path: str = "") -> T:
    """Decode UTF-8 JSON bytes (an envelope payload or a body) strictly into ``cls``."""
    return wire.decode(cls, parse_json(raw), path)


def parse_json(raw: bytes) -> Any:
    """Parse UTF-8 JSON; anything else (and NaN/Infinity) is REQUEST_INVALID."""

    def _no_constant(name: str) -> Any:
        raise ValueError(name)

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise problem(
            "REQUEST_INVALID",
            None,
            detail="body is not UTF-8 JSON",
            detail_vi="nội dung không phải JSON UTF-8",
        ) from None


def to_json_bytes(record: Any) -> bytes:
    """The canonical-enough UTF-8 JSON of a record (non-ASCII kept as is)."""
    return json.dumps(wire.encode(record), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def json_schema(cls: type[Any]) -> dict[str, Any]:
    """JSON Schema of a declared message (the station's OpenAPI bodies)."""
    return wire.record_schema(cls)


def to_dict(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = wire.encode(record)
    return out


decode = wire.decode
