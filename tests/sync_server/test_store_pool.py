"""The station's request connections (``store.db.Pool``): reused, never handed on dirty."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync_server.services.opening import open_station
from sync_server.store import db as store


def test_a_connection_is_reused_and_an_open_transaction_rolled_back(tmp_path: Path) -> None:
    station = open_station(tmp_path / "st")
    pool = store.Pool(station.paths.db, keep=2)
    with pool.session() as db:
        first = db.conn
        db.execute("BEGIN IMMEDIATE")
        store.set_meta(db, "half-done", "x")  # an exception would leave this open
    with pool.session() as db:
        assert db.conn is first
        assert not db.conn.in_transaction
        assert store.get_meta(db, "half-done") is None  # rolled back, not committed
    pool.close()


def test_an_exception_in_a_request_still_returns_a_clean_connection(tmp_path: Path) -> None:
    station = open_station(tmp_path / "st")
    pool = store.Pool(station.paths.db)
    with pytest.raises(RuntimeError), pool.session() as db, store.transaction(db):
        store.set_meta(db, "k", "v")
        raise RuntimeError("boom")
    with pool.session() as db:
        assert store.get_meta(db, "k") is None
    pool.close()


def test_after_close_sessions_close_their_connection(tmp_path: Path) -> None:
    station = open_station(tmp_path / "st")
    pool = store.Pool(station.paths.db, keep=1)
    with pool.session() as a, pool.session() as b:
        assert a.conn is not b.conn  # two requests at once: two connections
    pool.close()
    with pool.session() as db:
        conn = db.conn
    with pytest.raises(Exception, match="closed"):
        conn.execute("SELECT 1")
