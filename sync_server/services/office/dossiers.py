"""Reading and writing dossiers at rest, and the views the API and the desk return
(declared in ``shared.views``).

The whole ``Dossier.to_dict()`` is one encrypted blob; the clear columns are only what the
queues need to sort and filter (ids, code, procedure, status, version, times, device).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.errors import problem
from shared.model import Dossier
from shared.views import DossierRow, DossierView, Rating
from shared.workflow import (
    STATION_ACTIONS,
    STATUS_LABEL_VI,
    Action,
    Role,
    Status,
    allowed_actions,
    national_status_code,
)
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.store import dossiers as q

TABLE = "dossiers"


def decode(keys: StationKeys, row: dict[str, Any]) -> Dossier:
    data = keys.decrypt_json(TABLE, row["id"], row["version"], row["payload_enc"])
    return Dossier.from_dict(data)


def load(db: Database, keys: StationKeys, dossier_id: str) -> Dossier:
    row = q.get(db, dossier_id)
    if row is None:
        raise problem("DOSSIER_NOT_FOUND", "id")
    return decode(keys, row)


def save(db: Database, keys: StationKeys, d: Dossier) -> None:
    """Upsert (inside the caller's transaction); the blob is bound to id and version."""
    q.upsert(
        db,
        {
            "id": d.id,
            "code": d.code,
            "procedure": d.procedure,
            "status": d.status.value,
            "version": d.version,
            "device_id": d.device_id,
            "received_by": d.received_by,
            "received_at": d.received_at,
            "due_at": d.due_at,
            "updated_at": iso(utc_now()),
            "payload_enc": keys.encrypt_json(TABLE, d.id, d.version, d.to_dict()),
            "result_sha256": d.result_sha256,
        },
    )


def station_actions(status: Status, role: Role) -> list[Action]:
    """What this role can do *here*: tablet-only actions (receive, …) are not offered."""
    return [a for a in allowed_actions(status, role) if a in STATION_ACTIONS]


def status_code(d: Dossier, fee_vnd: int = 0) -> int | None:
    """The national status number: 3 vs 8 for a refusal, 6 while a fee is due."""
    refused_at_intake = any(
        h.action == "refuse" and h.from_status in (None, Status.DRAFT.value) for h in d.history
    )
    return national_status_code(d.status, refused_at_intake=refused_at_intake, fee_due=fee_vnd > 0)


def summary(d: Dossier, catalogue: Catalogue, role: Role) -> DossierRow:
    proc = catalogue.get(d.procedure) if d.procedure in catalogue else None
    return DossierRow(
        id=d.id,
        code=d.code,
        procedure=d.procedure,
        procedure_name=proc.name.vi if proc else d.procedure,
        status=d.status,
        status_label=STATUS_LABEL_VI[d.status],
        status_code=status_code(d, proc.fee_vnd if proc else 0),
        title=d.title(proc.title_field) if proc else "",
        received_at=d.received_at,
        due_at=d.due_at,
        version=d.version,
        device_id=d.device_id,
        allowed_actions=station_actions(d.status, role),
    )


def detail(
    d: Dossier, catalogue: Catalogue, role: Role, rating: Rating | None = None
) -> DossierView:
    return DossierView(d, summary(d, catalogue, role), d.result_sha256 is not None, rating)


def list_view(
    db: Database, keys: StationKeys, catalogue: Catalogue, role: Role, status: str | None
) -> list[DossierRow]:
    if status is not None:
        try:
            status = Status(status).value
        except ValueError:
            raise problem(
                "REQUEST_INVALID",
                "status",
                detail=f"status '{status}'",
                detail_vi=f"trạng thái '{status}' không có",
            ) from None
    return [summary(decode(keys, row), catalogue, role) for row in q.list_by_status(db, status)]
