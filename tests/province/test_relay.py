"""The sealed relay on a real hub and PostgreSQL: stations send each other envelopes the
hub cannot open; a ``kill -9`` of the hub mid-relay loses and doubles nothing.

Two stations (simulated: their own keys, the real protocol) registered with the hub; the
sender seals each payload to the recipient's X25519 key from the directory and signs it.
"""

from __future__ import annotations

import subprocess
import threading
import time
from dataclasses import dataclass, field

import psycopg
import pytest

from province_hub import cluster
from province_hub.launcher import RunningHub, start_hub
from province_hub.simulate import SimStation, sim_unit
from shared import crypto
from shared import hub_messages as hm
from shared.envelope import EnvelopeContext, open_envelope, seal_envelope
from shared.errors import TaiChoError

pytestmark = pytest.mark.postgres
SECRET = "Nguyễn Văn Mật — CCCD 087123456789"


def _pair(hub: RunningHub) -> tuple[SimStation, SimStation]:
    a, b = SimStation.new(sim_unit(1)), SimStation.new(sim_unit(2))
    for s in (a, b):
        s.register(hub.url, hub.register_code(s.unit.code))
    return a, b


def _item(a: SimStation, b_x_pub: bytes, b_unit: str, seq: int, text: str) -> hm.RelayItem:
    ctx = EnvelopeContext(hm.KIND_RELAY, a.unit.code, b_unit, seq, f"dossier-{seq}", 1)
    return hm.RelayItem(seq, b_unit, seal_envelope(ctx, text.encode(), b_x_pub, a.ed_sk))


def _receive(b: SimStation, hub: RunningHub, a_ed_pub: bytes) -> dict[int, str]:
    """Pull everything, open it, keep each (sender, seq) once, then acknowledge."""
    got: dict[int, str] = {}
    with b.client(hub.url) as client:
        cursor = 0
        while True:
            page = client.relay_pull(cursor)
            if not page.items:
                break
            for d in page.items:
                plain = open_envelope(d.envelope, b.x_sk, a_ed_pub)
                got.setdefault(d.seq, plain.decode())
            cursor = page.items[-1].id
            client.relay_ack(cursor)
    return got


def test_a_sealed_envelope_goes_through_and_the_hub_cannot_read_it(
    hub: RunningHub, hub_dsn: str
) -> None:
    a, b = _pair(hub)
    with a.client(hub.url) as client:
        entry = client.lookup(b.unit.code)
        b_x = crypto.b64d(entry.x25519_pub)
        items = [_item(a, b_x, b.unit.code, n, f"{SECRET} #{n}") for n in (1, 2, 3)]
        first = client.relay_push(items)
        assert [r.outcome for r in first.results] == ["stored"] * 3
        # Sent again (a lost answer): duplicates, nothing stored twice.
        again = client.relay_push(items)
        assert [r.outcome for r in again.results] == ["duplicate"] * 3
        # The same seq with other bytes: refused, the batch stores nothing.
        other = _item(a, b_x, b.unit.code, 2, "something else")
        fresh = _item(a, b_x, b.unit.code, 4, "fourth")
        with pytest.raises(TaiChoError) as err:
            client.relay_push([fresh, other])
        assert (err.value.code, err.value.field) == ("SYNC_REPLAY_MISMATCH", "items[1].seq")
    # Ciphertext only in the hub's database.
    dump = subprocess.run(
        [str(cluster.PG_BIN / "pg_dump"), "--dbname", hub_dsn],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8")
    assert "relay" in dump and SECRET not in dump and "Nguy" not in dump
    # The recipient opens them; acknowledged, they are gone from the hub.
    got = _receive(b, hub, a.ed_pk)
    assert got == {n: f"{SECRET} #{n}" for n in (1, 2, 3)}
    with psycopg.connect(hub_dsn) as conn:
        left = conn.execute("SELECT count(*) FROM relay").fetchone()
        done = conn.execute("SELECT count(*) FROM relay_done").fetchone()
    assert left == (0,) and done == (3,)
    with a.client(hub.url) as client:  # a very late re-send is still known
        late = client.relay_push([items[0]])
    assert late.results[0].outcome == "duplicate"
    assert _receive(b, hub, a.ed_pk) == {}


def test_forged_misaddressed_and_unknown_are_refused(hub: RunningHub) -> None:
    a, b = _pair(hub)
    b_x = b.x_pk
    mallory = SimStation.new(sim_unit(1))  # a's unit code, another key
    with a.client(hub.url) as client:
        forged = hm.RelayItem(
            1,
            b.unit.code,
            seal_envelope(
                EnvelopeContext(hm.KIND_RELAY, a.unit.code, b.unit.code, 1, "x", 1),
                b"forged",
                b_x,
                mallory.ed_sk,
            ),
        )
        with pytest.raises(TaiChoError) as err:
            client.relay_push([forged])
        assert (err.value.code, err.value.field) == ("ENVELOPE_BAD_SIGNATURE", "items[0].envelope")
        wrong_seq = _item(a, b_x, b.unit.code, 5, "x")
        with pytest.raises(TaiChoError) as err:
            client.relay_push([hm.RelayItem(6, b.unit.code, wrong_seq.envelope)])
        assert err.value.code == "ENVELOPE_CONTEXT_MISMATCH"
        nobody = "000.99.99.H82"
        with pytest.raises(TaiChoError) as err:
            client.relay_push([_item(a, b_x, nobody, 7, "x")])
        assert (err.value.code, err.value.field) == ("HUB_STATION_UNKNOWN", "items[0].recipient")
    # b's envelopes are b's: a pulls nothing of them.
    with a.client(hub.url) as client:
        client.relay_push([_item(a, b_x, b.unit.code, 8, "for b")])
        assert client.relay_pull(0).items == []
        assert client.relay_ack(10**6).deleted == 0
    assert _receive(b, hub, a.ed_pk) == {8: "for b"}


@dataclass
class Progress:
    next: int = 0
    errors: int = 0
    outcomes: list[str] = field(default_factory=list)


def test_kill_9_of_the_hub_mid_relay_loses_and_doubles_nothing(
    hub: RunningHub, hub_dsn: str
) -> None:
    """The sender pushes 300 envelopes in batches of 10 and retries whatever was not
    answered; the hub is killed outright while it does, and started again on the same
    database and address. Every envelope arrives exactly once."""
    a, b = _pair(hub)
    b_x = b.x_pk
    items = [_item(a, b_x, b.unit.code, n, f"payload {n}") for n in range(1, 301)]
    port = int(hub.url.rsplit(":", 1)[1])
    state = Progress()

    def sender() -> None:
        deadline = time.monotonic() + 240
        while state.next < len(items) and time.monotonic() < deadline:
            batch = items[state.next : state.next + 10]
            try:
                with a.client(hub.url) as client:
                    answer = client.relay_push(batch)
            except TaiChoError as err:
                assert err.code in ("HUB_UNREACHABLE", "HUB_DATABASE_UNAVAILABLE"), err
                state.errors += 1
                time.sleep(0.2)
                continue  # the same batch again: not answered, so maybe stored, maybe not
            state.outcomes += [r.outcome for r in answer.results]
            state.next += len(batch)

    thread = threading.Thread(target=sender)
    thread.start()
    while state.next < 60:
        time.sleep(0.01)
    hub.kill()
    time.sleep(1.0)  # the sender meets the dead hub
    again = start_hub(hub_dsn, hub.data, port=port)
    try:
        thread.join(timeout=300)
        assert not thread.is_alive()
        assert state.next == len(items)
        assert state.errors >= 1  # the hub was really gone while the sender sent
        got = _receive(b, again, a.ed_pk)
    finally:
        again.stop()
    assert got == {n: f"payload {n}" for n in range(1, 301)}
    with psycopg.connect(hub_dsn) as conn:
        rows = conn.execute("SELECT count(*), count(DISTINCT seq) FROM relay_done").fetchone()
    assert rows == (300, 300)
