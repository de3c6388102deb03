"""Record shapes declared once, reused for storage, the wire and the UI.

Plain dataclasses with explicit ``to_dict``/``from_dict`` so that a record read from an
untrusted envelope is checked field by field (bad input → catalogued error, never a
half-built object).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from shared.errors import problem
from shared.workflow import Status


def _need(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise problem("REQUEST_INVALID", key, detail=f"'{key}' missing or of the wrong type")
    return value


def _opt(data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    return None if data.get(key) is None else _need(data, key, kind)


@dataclass
class HistoryEntry:
    """One step of a dossier's life: who did what, when, why."""

    action: str
    from_status: str | None
    to_status: str
    actor: str
    role: str
    at: str  # ISO 8601 with offset
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> HistoryEntry:
        if not isinstance(data, dict):
            raise problem("REQUEST_INVALID", "history", detail="history entry")
        return cls(
            action=_need(data, "action", str),
            from_status=_opt(data, "from_status", str),
            to_status=_need(data, "to_status", str),
            actor=_need(data, "actor", str),
            role=_need(data, "role", str),
            at=_need(data, "at", str),
            reason=_opt(data, "reason", str),
        )


@dataclass
class Dossier:
    """A hồ sơ. ``version`` counts edits; ``base_version`` is what an edit was made on."""

    id: str
    code: str
    procedure: str
    procedure_version: int
    values: dict[str, Any]
    status: Status
    version: int
    base_version: int
    device_id: str
    received_by: str
    received_at: str | None
    due_at: str | None
    history: list[HistoryEntry] = field(default_factory=list)
    result_sha256: str | None = None

    def title(self, title_field: str) -> str:
        return str(self.values.get(title_field, ""))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["status"] = self.status.value
        return d

    @classmethod
    def from_dict(cls, data: Any) -> Dossier:
        if not isinstance(data, dict):
            raise problem("REQUEST_INVALID", "dossier", detail="dossier must be an object")
        try:
            status = Status(_need(data, "status", str))
        except ValueError:
            raise problem("REQUEST_INVALID", "status", detail="unknown status") from None
        values = _need(data, "values", dict)
        history = [HistoryEntry.from_dict(h) for h in _need(data, "history", list)]
        return cls(
            id=_need(data, "id", str),
            code=_need(data, "code", str),
            procedure=_need(data, "procedure", str),
            procedure_version=_need(data, "procedure_version", int),
            values=values,
            status=status,
            version=_need(data, "version", int),
            base_version=_need(data, "base_version", int),
            device_id=_need(data, "device_id", str),
            received_by=_need(data, "received_by", str),
            received_at=_opt(data, "received_at", str),
            due_at=_opt(data, "due_at", str),
            history=history,
            result_sha256=_opt(data, "result_sha256", str),
        )


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
