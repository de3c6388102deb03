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

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

__all__ = ["Migrations", "migrate", "transaction"]

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
