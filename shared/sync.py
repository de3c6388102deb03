"""The sync protocol as pure functions and message shapes (both sides call these).

Push: the tablet sends its outbox in sequence order; the station classifies each change
with ``classify_incoming`` and each dossier edit with ``classify_edit``. Pull: the station
keeps a change feed with one increasing sequence; each item is addressed to one device, a
pull returns only that device's items after its cursor. Envelope formats are in
``shared.envelope`` and docs/sync-protocol.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import problem
from shared.workflow import Status, tablet_may_edit

PROTOCOL_VERSION = 1
STATION = "station"

# Envelope kinds (EnvelopeContext.kind).
KIND_CHANGE = "change"  # tablet → station: one dossier submission
KIND_FEED = "feed"  # station → tablet: one feed item
KIND_ESCROW = "escrow"  # tablet → station at enrollment: the tablet's data key
KIND_UNLOCK = "unlock"  # station → tablet: the data key for a first unlock

# Payload types inside envelopes.
CHANGE_DOSSIER_SUBMIT = "dossier.submit"
FEED_DOSSIER_STATE = "dossier.state"
FEED_DOSSIER_REJECTED = "dossier.rejected"

MAX_PUSH_BATCH = 100
MAX_PULL_LIMIT = 200


class Incoming(StrEnum):
    APPLY = "apply"  # the next expected sequence
    DUPLICATE = "duplicate"  # already applied, same bytes: harmless repeat
    REPLAY_MISMATCH = "replay_mismatch"  # already applied, different bytes: refuse
    GAP = "gap"  # a sequence is missing: the tablet must resend from acked+1


class Outcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"  # valid envelope, invalid dossier: kept and reported back
    CONFLICT = "conflict"  # edit based on an older version: kept for staff to resolve


def classify_incoming(seq: int, acked: int, known_hash: str | None, env_hash: str) -> Incoming:
    """Decide what the station does with a pushed change, idempotent on device + seq."""
    if seq <= acked:
        return Incoming.DUPLICATE if known_hash == env_hash else Incoming.REPLAY_MISMATCH
    if seq == acked + 1:
        return Incoming.APPLY
    return Incoming.GAP


def classify_edit(
    server_status: Status | None, server_version: int | None, base_version: int
) -> Outcome:
    """The handbook's conflict rule for a submission of an existing dossier.

    New dossiers apply. An edit applies only if it is based on the station's current
    version and the dossier is still editable by a tablet; anything else is a conflict,
    kept rather than dropped.
    """
    if server_status is None or server_version is None:
        return Outcome.APPLIED
    if base_version == server_version and tablet_may_edit(server_status):
        return Outcome.APPLIED
    return Outcome.CONFLICT


@dataclass(frozen=True)
class PushResult:
    seq: int
    record_id: str
    outcome: Outcome
    problem: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "record_id": self.record_id,
            "outcome": self.outcome.value,
            "problem": self.problem,
        }


def parse_push_request(body: Any) -> tuple[str, list[Any]]:
    """(device_id, raw envelopes) of a push body, or REQUEST_INVALID."""
    if not isinstance(body, dict):
        raise problem("REQUEST_INVALID", None, detail="body must be a JSON object")
    device_id, changes = body.get("device_id"), body.get("changes")
    if not isinstance(device_id, str) or not device_id:
        raise problem("REQUEST_INVALID", "device_id", detail="device_id")
    if not isinstance(changes, list):
        raise problem("REQUEST_INVALID", "changes", detail="changes must be a list")
    if len(changes) > MAX_PUSH_BATCH:
        raise problem("REQUEST_INVALID", "changes", detail=f"at most {MAX_PUSH_BATCH} changes")
    return device_id, changes


def parse_pull_request(body: Any) -> tuple[str, int, int]:
    """(device_id, after, limit) of a pull body, or REQUEST_INVALID."""
    if not isinstance(body, dict):
        raise problem("REQUEST_INVALID", None, detail="body must be a JSON object")
    device_id, after = body.get("device_id"), body.get("after", 0)
    limit = body.get("limit", MAX_PULL_LIMIT)
    if not isinstance(device_id, str) or not device_id:
        raise problem("REQUEST_INVALID", "device_id", detail="device_id")
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise problem("REQUEST_INVALID", "after", detail="after must be an integer >= 0")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_PULL_LIMIT:
        raise problem("REQUEST_INVALID", "limit", detail=f"limit in 1..{MAX_PULL_LIMIT}")
    return device_id, after, limit
