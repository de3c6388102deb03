"""The sealed relay: store-and-forward of envelopes between the province's stations.

A station that receives a dossier for another commune (Nghị định 118/2025/NĐ-CP) seals
it to that station's X25519 key from the directory and signs it with its own Ed25519
key (``shared.envelope``, kind ``relay``); the hub stores the envelope until the
recipient takes it and says so. The hub holds no key that opens an envelope — it checks
only what it can: the sender's signature (its key is in the directory), that the clear
context names the signed sender, the recipient and the sequence listed, and that the
recipient is an active station. Nothing is lost or doubled by a crash or a ``kill -9``:

* a push is one transaction, idempotent on (sender, seq) — sent again after a lost
  answer it is a ``duplicate``, sent again with other bytes ``SYNC_REPLAY_MISMATCH``;
* a pull is read-only, from the recipient's cursor; the recipient stores what it got,
  then acknowledges up to the last id; the hub then deletes those envelopes and keeps
  only their digests (a late re-send is still a ``duplicate``). A recipient killed
  before its acknowledgement is given the same envelopes again, and keeps each once by
  (sender, seq).
"""

from __future__ import annotations

from province_hub.db import Conn, transaction
from province_hub.directory import now_utc
from province_hub.store import directory as directory_q
from province_hub.store import relay as q
from shared import crypto
from shared.envelope import verify_envelope
from shared.errors import problem
from shared.hub_messages import (
    KIND_RELAY,
    DirectoryEntry,
    RelayAck,
    RelayAckAnswer,
    RelayDelivery,
    RelayPullAnswer,
    RelayPullRequest,
    RelayPush,
    RelayPushAnswer,
    RelayResult,
)
from shared.messages import to_json_bytes


def push(conn: Conn, sender: DirectoryEntry, req: RelayPush) -> RelayPushAnswer:
    """Store a batch of envelopes from ``sender``: all of it, or none of it."""
    key = crypto.b64d(sender.ed25519_pub)
    now = now_utc()
    results: list[RelayResult] = []
    with transaction(conn):
        for i, item in enumerate(req.items):
            where = f"items[{i}]"
            ctx = item.envelope.ctx
            if (ctx.kind, ctx.sender, ctx.recipient, ctx.seq) != (
                KIND_RELAY,
                sender.unit_code,
                item.recipient,
                item.seq,
            ):
                raise problem(
                    "ENVELOPE_CONTEXT_MISMATCH",
                    f"{where}.envelope.ctx",
                    detail="kind relay, this sender, the recipient and seq listed",
                )
            try:
                verify_envelope(item.envelope, key)
            except Exception as exc:  # a catalogued error: name the item
                raise problem("ENVELOPE_BAD_SIGNATURE", f"{where}.envelope") from exc
            recipient = directory_q.get_station(conn, item.recipient)
            if recipient is None or recipient["revoked_at"] is not None:
                raise problem("HUB_STATION_UNKNOWN", f"{where}.recipient", unit=item.recipient)
            digest = crypto.sha256_hex(to_json_bytes(item.envelope))
            known = q.digest_of(conn, sender.unit_code, item.seq)
            if known == digest:
                results.append(RelayResult(item.seq, "duplicate"))
                continue
            if known is not None:
                raise problem("SYNC_REPLAY_MISMATCH", f"{where}.seq", seq=item.seq)
            q.insert(
                conn,
                sender.unit_code,
                item.seq,
                item.recipient,
                item.envelope.to_json(),
                digest,
                now,
            )
            results.append(RelayResult(item.seq, "stored"))
    return RelayPushAnswer(results)


def pull(conn: Conn, recipient: DirectoryEntry, req: RelayPullRequest) -> RelayPullAnswer:
    """What waits for ``recipient`` after its cursor (read only: safe to ask again)."""
    from shared.envelope import Envelope

    with transaction(conn):
        rows = q.waiting(conn, recipient.unit_code, req.after, req.limit)
    return RelayPullAnswer(
        [RelayDelivery(int(i), s, int(n), Envelope.from_json(env)) for i, s, n, env in rows]
    )


def ack(conn: Conn, recipient: DirectoryEntry, req: RelayAck) -> RelayAckAnswer:
    """The recipient holds everything up to ``through``: the hub lets it go."""
    with transaction(conn):
        deleted = q.acknowledge(conn, recipient.unit_code, req.through, now_utc())
    return RelayAckAnswer(deleted)
