"""The hub's PostgreSQL: a connection pool, transactions and the schema migrations.

Migrations are named SQL steps in code (:data:`MIGRATIONS`), applied in order and recorded
in ``hub_migrations``, each in its own transaction, under a PostgreSQL advisory lock, so
two hub processes starting together apply each step once. A step is never edited after
it shipped; a change is a new step.

What the tables hold (docs/province.md): the directory of stations, the one-time
registration codes (their hash), the nonces of signed requests (replay protection), the
province's readers (hashed bearer tokens), the hub's own log, and the day figures — counts
only. Nothing in them names a citizen.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import psycopg
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool, PoolTimeout

from shared.errors import problem

Conn = psycopg.Connection[tuple[Any, ...]]
_LOCK_ID = 0x7461_6963  # "taic": the advisory lock of the migration runner

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_directory",
        """
        CREATE TABLE settings (
            key text PRIMARY KEY,
            value text NOT NULL
        );
        CREATE TABLE stations (
            unit_code text PRIMARY KEY,
            name text NOT NULL,
            province text NOT NULL,
            url text,
            x25519_pub text NOT NULL,
            ed25519_pub text NOT NULL,
            tls_sha256 text,
            registered_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        CREATE TABLE register_codes (
            code_hash text PRIMARY KEY,
            unit_code text NOT NULL,
            created_at timestamptz NOT NULL,
            expires_at timestamptz NOT NULL,
            used_at timestamptz
        );
        CREATE TABLE request_nonces (
            unit_code text NOT NULL,
            nonce text NOT NULL,
            seen_at timestamptz NOT NULL,
            PRIMARY KEY (unit_code, nonce)
        );
        CREATE INDEX request_nonces_seen ON request_nonces (seen_at);
        CREATE TABLE readers (
            token_hash text PRIMARY KEY,
            name text NOT NULL,
            created_at timestamptz NOT NULL,
            revoked_at timestamptz
        );
        CREATE TABLE hub_log (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            action text NOT NULL,
            unit_code text,
            detail text
        );
        """,
    ),
    (
        "0002_figures",
        """
        CREATE TABLE figure_days (
            unit_code text NOT NULL REFERENCES stations,
            day date NOT NULL,
            as_of timestamptz NOT NULL,
            stored_at timestamptz NOT NULL,
            PRIMARY KEY (unit_code, day)
        );
        CREATE TABLE figures (
            unit_code text NOT NULL,
            day date NOT NULL,
            procedure text NOT NULL,
            carried_over integer NOT NULL,
            new_counter integer NOT NULL,
            new_home_visit integer NOT NULL,
            new_other integer NOT NULL,
            early integer NOT NULL,
            on_time integer NOT NULL,
            late integer NOT NULL,
            refused integer NOT NULL,
            withdrawn integer NOT NULL,
            returned integer NOT NULL,
            same_day integer NOT NULL,
            first_visit integer NOT NULL,
            very_satisfied integer NOT NULL,
            satisfied integer NOT NULL,
            unsatisfied integer NOT NULL,
            supplement_requests integer NOT NULL,
            apology_letters integer NOT NULL,
            not_yet_due integer NOT NULL,
            overdue integer NOT NULL,
            awaiting_supplement integer NOT NULL,
            PRIMARY KEY (unit_code, day, procedure),
            FOREIGN KEY (unit_code, day) REFERENCES figure_days ON DELETE CASCADE
        );
        CREATE INDEX figures_day ON figures (day);
        -- The working seconds from receipt to return, one row per dossier returned that
        -- day (no dossier named): apart from the counts, so that the sums scan narrow
        -- rows, and flat, so that the percentiles sort plain integers.
        CREATE TABLE returns (
            id bigserial PRIMARY KEY,  -- a replica identity (docs/scale.md)
            unit_code text NOT NULL,
            day date NOT NULL,
            procedure text NOT NULL,
            seconds integer NOT NULL,
            FOREIGN KEY (unit_code, day) REFERENCES figure_days ON DELETE CASCADE
        );
        CREATE INDEX returns_day ON returns (day);
        CREATE INDEX returns_unit ON returns (unit_code, day);
        CREATE TABLE supplement_requests (
            id bigserial PRIMARY KEY,  -- a replica identity (docs/scale.md)
            unit_code text NOT NULL,
            day date NOT NULL,
            procedure text NOT NULL,
            previous_day date,
            n integer NOT NULL,
            FOREIGN KEY (unit_code, day) REFERENCES figure_days ON DELETE CASCADE
        );
        CREATE INDEX supplement_requests_day ON supplement_requests (day);
        CREATE INDEX supplement_requests_unit ON supplement_requests (unit_code, day);
        """,
    ),
    (
        "0003_relay",
        """
        -- Envelopes between stations, sealed to the recipient: the hub stores bytes it
        -- cannot open, until the recipient acknowledges them (then they are deleted).
        CREATE TABLE relay (
            id bigserial PRIMARY KEY,
            sender text NOT NULL REFERENCES stations,
            seq bigint NOT NULL,
            recipient text NOT NULL REFERENCES stations,
            envelope jsonb NOT NULL,
            digest text NOT NULL,
            stored_at timestamptz NOT NULL,
            UNIQUE (sender, seq)
        );
        CREATE INDEX relay_recipient ON relay (recipient, id);
        -- What was delivered and acknowledged (no envelope): a re-sent seq stays known as
        -- a duplicate after its envelope is gone.
        CREATE TABLE relay_done (
            sender text NOT NULL,
            seq bigint NOT NULL,
            digest text NOT NULL,
            acked_at timestamptz NOT NULL,
            PRIMARY KEY (sender, seq)
        );
        """,
    ),
)


def open_pool(dsn: str, *, size: int = 8, timeout: float = 10.0) -> ConnectionPool[Conn]:
    """A pool of connections to ``dsn`` (opened now: a wrong DSN fails at start)."""
    pool: ConnectionPool[Conn] = ConnectionPool(
        dsn,
        min_size=1,
        max_size=size,
        timeout=timeout,
        kwargs={"autocommit": True, "row_factory": tuple_row},
        open=False,
        name="province_hub",
    )
    try:
        pool.open(wait=True, timeout=timeout)
    except PoolTimeout:
        pool.close()
        raise problem("HUB_DATABASE_UNAVAILABLE", detail=f"no connection to {_safe(dsn)}") from None
    return pool


def _safe(dsn: str) -> str:
    """The DSN without a password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "(DSN)"
    info.pop("password", None)
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in info.items()})


@contextmanager
def connection(pool: ConnectionPool[Conn]) -> Iterator[Conn]:
    """A pooled connection; a lost database is ``HUB_DATABASE_UNAVAILABLE``."""
    try:
        with pool.connection() as conn:
            yield conn
    except (PoolTimeout, psycopg.OperationalError) as exc:
        raise problem("HUB_DATABASE_UNAVAILABLE", detail=type(exc).__name__) from None


@contextmanager
def snapshot(pool: ConnectionPool[Conn], n: int = 2) -> Iterator[list[Conn]]:
    """``n`` pooled connections, each in a read-only REPEATABLE READ transaction on one
    and the same snapshot (``pg_export_snapshot``): a report's statements can run side by
    side and still see one moment of the database."""
    with ExitStack() as stack:
        try:
            conns = [stack.enter_context(pool.connection()) for _ in range(n)]
        except (PoolTimeout, psycopg.OperationalError) as exc:
            raise problem("HUB_DATABASE_UNAVAILABLE", detail=type(exc).__name__) from None
        for c in conns:
            stack.enter_context(c.transaction())
            c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        row = conns[0].execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        for c in conns[1:]:
            c.execute(b"SET TRANSACTION SNAPSHOT '" + str(row[0]).encode("ascii") + b"'")
        yield conns


@contextmanager
def transaction(conn: Conn) -> Iterator[Conn]:
    """One transaction: committed on success, rolled back whole on any error."""
    with conn.transaction():
        yield conn


def connect(dsn: str) -> Conn:
    """One connection outside the pool (the command line)."""
    try:
        conn: Conn = psycopg.connect(dsn, autocommit=True, row_factory=tuple_row)
    except psycopg.OperationalError:
        raise problem("HUB_DATABASE_UNAVAILABLE", detail=f"no connection to {_safe(dsn)}") from None
    return conn


def migrate(conn: Conn) -> list[str]:
    """Apply the steps not yet applied; returns their names."""
    applied: list[str] = []
    with transaction(conn):
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS hub_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r[0] for r in conn.execute("SELECT name FROM hub_migrations").fetchall()}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            conn.execute(sql.encode("utf-8"))
            conn.execute("INSERT INTO hub_migrations (name) VALUES (%s)", (name,))
            applied.append(name)
    return applied


def applied_migrations(conn: Conn) -> list[str]:
    with transaction(conn):
        exists = conn.execute("SELECT to_regclass('hub_migrations')").fetchone()
        if exists is None or exists[0] is None:
            return []
        rows = conn.execute("SELECT name FROM hub_migrations ORDER BY name").fetchall()
    return [r[0] for r in rows]
