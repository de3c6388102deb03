"""A registered tablet as the station knows it, and the check every tablet request starts
with (known, not revoked), below the sync services that enrol, feed and hear from it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared.errors import problem
from sync_server.store import devices as q


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    slot: int
    x_pub: bytes
    ed_pub: bytes
    escrow: dict[str, Any]
    push_acked: int
    # This device and the devices it replaced (re-enrolled after a restore or a clone),
    # newest first: whose dossier numbers and dossiers it may send again.
    lineage: tuple[str, ...] = ()

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Device:
        return cls(
            row["id"],
            row["name"],
            int(row["slot"]),
            crypto.b64d(row["x_pub"]),
            crypto.b64d(row["ed_pub"]),
            json.loads(row["escrow"]),
            int(row["push_acked"]),
            (row["id"],),
        )


def active_device(db: Database, device_id: str) -> Device:
    """The device, or DEVICE_UNKNOWN / DEVICE_REVOKED (the latter tells it to wipe)."""
    row = q.get(db, device_id) if isinstance(device_id, str) else None
    if row is None:
        raise problem("DEVICE_UNKNOWN", "device_id")
    if row["revoked_at"]:
        raise problem("DEVICE_REVOKED", "device_id")
    device = Device.from_row(row)
    lineage = [device.id]
    before = row.get("replaces")
    while isinstance(before, str) and before not in lineage and len(lineage) < 10:
        lineage.append(before)
        old = q.get(db, before)
        before = old.get("replaces") if old is not None else None
    return replace(device, lineage=tuple(lineage))
