"""The sync protocol as pure functions and message shapes (both sides call these).

Push: the tablet sends its outbox in sequence order; the station classifies each change
with ``classify_incoming`` and each dossier edit with ``classify_edit``. Pull: the station
keeps a change feed with one increasing sequence; each item is addressed to one device, a
pull returns only that device's items after its cursor. Envelope formats are in
``shared.envelope``; the messages themselves are declared in ``shared.messages``;
docs/sync-protocol.md describes both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from shared.errors import TaiChoError, problem
from shared.workflow import Status, tablet_may_edit

PROTOCOL_VERSION = 1
STATION = "station"

# Envelope kinds (EnvelopeContext.kind).
KIND_CHANGE = "change"  # tablet → station: one dossier submission
KIND_FEED = "feed"  # station → tablet: one feed item
KIND_ESCROW = "escrow"  # tablet → station at enrollment: the tablet's data key
KIND_UNLOCK = "unlock"  # station → tablet: the data key for a first unlock
KIND_ATTACHMENT_OPEN = "attachment-open"  # tablet → station: a photo about to be uploaded
KIND_ATTACHMENT_CHUNK = "attachment-chunk"  # tablet → station: one chunk of a photo

# HPKE info of the sealed first-unlock request (not an envelope: the tablet has no key yet).
UNLOCK_REQUEST_INFO = b"taicho/v1/unlock-request"

# Payload types inside envelopes.
CHANGE_DOSSIER_SUBMIT = "dossier.submit"
FEED_DOSSIER_STATE = "dossier.state"
FEED_DOSSIER_REJECTED = "dossier.rejected"
FEED_DOSSIER_CONFLICT = "dossier.conflict"
FEED_CALENDAR = "calendar"  # the office's days off / make-up working days
FEED_CATALOGUE = "catalogue"  # the station's procedure definitions (docs/sync-protocol.md §6)
FEED_STAFF = "staff"  # the office's staff list, when the tablet holds another one
FEED_AUDIT_ANCHOR = "audit.anchor"  # a signed checkpoint of the station's audit chain
ATTACHMENT_DECLARE = "attachment.open"  # payload of an attachment-open envelope

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


# --- "does the station still hold what it acknowledged?" (issue 22 §5) -----------------
#
# Audit anchors catch a cut *before* the newest anchor; a cut after it (the last rows and
# the dossiers they received) left nothing to compare against. But each tablet knows what
# the station acknowledged from it: every change up to the push's ``acked_seq``, each
# named by the hash of its envelope. At each pull the tablet sends a digest of those
# (``HeldClaim``), the station answers the same digest over its push log and the changes
# whose dossier it no longer holds (``HeldAnswer``), and the tablet compares: a station
# that lost or was cut below what it acknowledged cannot answer the tablet's digest.

HELD_GENESIS = "0" * 64


def envelope_digest(env_json: dict[str, Any]) -> str:
    """SHA-256 of an envelope's canonical JSON: what "the same change" means (the station
    keys its push log by it; the tablet computes it from its outbox)."""
    canonical = json.dumps(env_json, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def held_digest(entries: Iterable[tuple[int, str]], start: str = HELD_GENESIS) -> str:
    """Chain ``(seq, envelope digest)`` in sequence order onto ``start``: each step is
    SHA-256(previous ‖ "seq:digest\\n"), so the tablet can extend it as acks arrive."""
    digest = start
    for seq, env_hash in entries:
        step = f"{digest}{seq}:{env_hash}\n".encode("ascii")
        digest = hashlib.sha256(step).hexdigest()
    return digest


def held_problem(
    through: int,
    digest: str,
    answer_through: int,
    answer_digest: str,
    changes: int,
    missing: list[int],
) -> TaiChoError | None:
    """``STATION_LOST_CHANGES`` when the station's answer does not cover every change the
    tablet had acknowledged (``through``, ``digest``), else None."""
    if answer_through == through and answer_digest == digest and not missing:
        return None
    lost = len(missing) if missing else max(1, through - changes)
    first = min(missing) if missing else min(changes + 1, through)
    return problem("STATION_LOST_CHANGES", None, count=lost, first=first, through=through)
