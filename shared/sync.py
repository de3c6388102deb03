"""The sync protocol as pure functions and message shapes (both sides call these).

Push: the tablet sends its outbox in sequence order; the station classifies each change
with ``classify_incoming`` and each dossier edit with ``classify_edit``. Pull: the station
keeps a change feed with one increasing sequence; each item is addressed to one device, a
pull returns only that device's items after its cursor. Envelope formats are in
``shared.envelope``; the messages themselves are declared in ``shared.messages``;
docs/sync-protocol.md describes both.
"""

from __future__ import annotations

from enum import StrEnum

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
