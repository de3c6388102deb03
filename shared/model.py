"""Record shapes declared once, reused for storage, the wire and the UI.

Plain dataclasses decoded by ``shared.wire`` so that a record read from an untrusted
envelope is checked field by field against this declaration (bad input → catalogued
error, never a half-built object).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from shared import wire
from shared.attachments import MAX_PER_DOSSIER, MIME_PATTERN, SHA256_PATTERN
from shared.signatures import SignatureMark
from shared.wire import spec
from shared.workflow import Action, Status


@dataclass
class HistoryEntry:
    """One step of a dossier's life: who did what, when, why."""

    action: Action = spec()
    from_status: str | None = spec(max_len=40)
    to_status: str = spec(max_len=40)
    actor: str = spec(max_len=64)
    role: str = spec(max_len=40)
    at: str = spec(max_len=wire.ISO_LEN, doc="ISO 8601 with offset")
    reason: str | None = spec(max_len=2000, default=None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, path: str = "history") -> HistoryEntry:
        return wire.decode(cls, data, path)


@dataclass(frozen=True)
class PaperResult:
    """A result issued on paper by another system (a procedure without a result layout),
    as the clerk recorded it at "stamp": its number and the day it was signed
    (``shared.external_result.paper_result`` checks both)."""

    number: str = spec(min_len=1, max_len=60, doc='as printed, e.g. "12/TLHT"')
    issued_on: str = spec(pattern=r"\d{4}-\d{2}-\d{2}", max_len=10, doc="YYYY-MM-DD")


@dataclass(frozen=True)
class AttachmentRef:
    """A photo of one of the dossier's documents, referred to by the SHA-256 of its bytes.

    The picture itself travels separately (chunked upload, docs/sync-protocol.md §7) and is
    stored once however many dossiers or components refer to it (shared/attachments.py)."""

    sha256: str = spec(pattern=SHA256_PATTERN, max_len=64, doc="hex SHA-256 of the picture")
    component: str = spec(min_len=1, max_len=80, doc="the catalogue component it shows")
    mime: str = spec(pattern=MIME_PATTERN, max_len=40)
    size: int = spec(lo=1, doc="bytes")
    width: int = spec(doc="pixels (0 if not a picture)")
    height: int = spec(doc="pixels (0 if not a picture)")
    taken_at: str = spec(max_len=wire.ISO_LEN, doc="ISO 8601 with offset")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, path: str = "attachment") -> AttachmentRef:
        return wire.decode(cls, data, path)


@dataclass
class Dossier:
    """A hồ sơ. ``version`` counts edits; ``base_version`` is what an edit was made on."""

    id: str = spec(min_len=1, max_len=200)
    code: str = spec(max_len=60)
    procedure: str = spec(max_len=40)
    procedure_version: int = spec(lo=0)
    values: dict[str, Any] = spec(doc="field id → value, checked by shared.validation")
    status: Status = spec()
    version: int = spec(lo=1)
    base_version: int = spec(lo=0)
    device_id: str = spec(max_len=200)
    received_by: str = spec(max_len=64)
    received_at: str | None = spec(max_len=wire.ISO_LEN)
    due_at: str | None = spec(max_len=wire.ISO_LEN)
    history: list[HistoryEntry] = spec(max_items=1000, default=[])
    result_sha256: str | None = spec(pattern="[0-9a-f]{64}", default=None)
    # Where the dossier was taken in (reports count "received by channel").
    channel: str = spec(pattern="counter|home_visit|other", default="counter")
    # When the citizen read the large-print read-back and confirmed it ("Ngày không viết":
    # the citizen writes nothing, so this confirmation is what they give instead).
    read_back_at: str | None = spec(max_len=wire.ISO_LEN, default=None)
    # The parties' marks on the declaration (tờ khai): drawn on the tablet, a thumbprint
    # with a witness, or "signed on paper" (docs/intake.md). Empty for older dossiers.
    signatures: list[SignatureMark] = spec(max_items=4, default=[])
    # Photos of the documents handed in (by hash); older dossiers have none.
    attachments: list[AttachmentRef] = spec(max_items=MAX_PER_DOSSIER, default=[])
    # The components (thành phần hồ sơ) the officer ticked as handed in, by catalogue id;
    # a received dossier must hold every one its procedure requires (shared.checklist).
    components_received: list[str] = spec(max_items=100, max_len=64, default=[])
    # Set by the station at "stamp" for a result issued on paper elsewhere (the attached
    # PDF of another system is ``result_sha256``, as for a drawn result); never by a tablet.
    paper_result: PaperResult | None = spec(default=None)
    # The commune competent to decide, when it is not the receiving one (Nghị định
    # 118/2025/NĐ-CP: received regardless of boundaries within the province): its unit
    # code in the hub's directory. The receiving station sends it there (docs/province.md).
    competent_unit: str | None = spec(pattern=r"[0-9A-Z.]{1,40}", default=None)

    def title(self, title_field: str) -> str:
        return str(self.values.get(title_field, ""))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = self.status.value
        return d

    @classmethod
    def from_dict(cls, data: Any, path: str = "") -> Dossier:
        """Strict decoding (shared.wire): a bad record is REQUEST_INVALID naming the field."""
        return wire.decode(cls, data, path)


@dataclass(frozen=True)
class DossierSummary:
    """What lists show: enough to find a dossier, decrypted only while unlocked."""

    id: str
    code: str
    procedure: str
    status: str
    title: str
    received_at: str | None
    due_at: str | None
    version: int
    has_result: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
