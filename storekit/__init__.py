"""SQLite plumbing shared by the tablet's store and the station's store.

Why a package of its own: both databases need the same transaction rule and the same
migration runner, but ``shared/`` must stay pure (no sqlite-utils, importable everywhere)
and the tablet must never import the station (nor the station the tablet app). This
package depends on the standard library and sqlite-utils only; it holds no table and no
query of either database — those stay in ``mobile/services/store.py`` and
``sync_server/store/``.

* :func:`transaction` — ``BEGIN IMMEDIATE`` … ``COMMIT``/``ROLLBACK``. Immediate, not
  sqlite-utils' deferred ``atomic()``: a transaction that starts reading and then writes
  can fail at once with ``SQLITE_BUSY`` under WAL when another writer got in between; taking
  the write lock up front makes concurrent writers wait (``busy_timeout``) instead.
  Nested calls join the outer transaction.
* :func:`migrate` — runs a :class:`sqlite_utils.migrations.Migrations` set (the library's
  own runner: one transaction per migration, recorded in ``_sqlite_migrations``), after
  adopting the names recorded by the runners this project used before (table
  ``migrations``), so an existing tablet or station does not re-run its first migration.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

__all__ = ["Migrations", "is_disk_full", "migrate", "transaction"]

LEGACY_TABLE = "migrations"


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All-or-nothing: commit on success, roll back on any exception (then re-raise)."""
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(db: Database, migrations: Migrations) -> list[str]:
    """Apply the pending migrations of ``migrations``; returns the names applied."""
    migrations.ensure_migrations_table(db)
    table = db.table(Migrations.migrations_table)
    if LEGACY_TABLE in db.table_names():
        known = {m.name for m in migrations.applied(db)}
        legacy = [r for r in db[LEGACY_TABLE].rows if r["name"] not in known]
        with transaction(db):
            for row in legacy:
                table.insert(
                    {
                        "migration_set": migrations.name,
                        "name": row["name"],
                        "applied_at": row["applied_at"],
                    }
                )
            db.execute(f"DROP TABLE [{LEGACY_TABLE}]")
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


def is_disk_full(exc: BaseException) -> bool:
    """SQLite's SQLITE_FULL or the OS's ENOSPC, anywhere in the exception's chain (what
    both sides answer with their own "disk full" problem instead of a generic error)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.Error) and (
            getattr(seen, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or "database or disk is full" in str(seen)
        ):
            return True
        if isinstance(seen, OSError) and seen.errno == errno.ENOSPC:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
