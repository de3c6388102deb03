"""Queries on ``results`` (the signed result documents, encrypted) and the register
counters that number them."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from sync_server.store.db import one


def get(db: Database, dossier_id: str) -> dict[str, Any] | None:
    return one(db, "SELECT * FROM results WHERE dossier_id = ?", (dossier_id,))


def take_register_number(db: Database, register: str, year: int) -> int:
    """The next number of ``register`` in ``year``, counted up in the caller's transaction.

    A counter row (not ``MAX(...) + 1``) so a number once handed out is never handed out
    again, even if its result were later replaced; inside the approval transaction a
    rolled-back approval gives its number back, so the register has no gaps.
    """
    db.execute(
        "INSERT INTO register_counters (register, year, last_number) VALUES (?, ?, 1) "
        "ON CONFLICT(register, year) DO UPDATE SET last_number = last_number + 1",
        (register, year),
    )
    row = one(
        db,
        "SELECT last_number FROM register_counters WHERE register = ? AND year = ?",
        (register, year),
    )
    return int(row["last_number"]) if row else 1


def next_register_number(db: Database, register: str, year: int) -> int:
    """The number :func:`take_register_number` would hand out now (a read, no write): what
    a result rendered before its approval transaction prints; the transaction then takes
    the number and checks it is still this one."""
    row = one(
        db,
        "SELECT last_number FROM register_counters WHERE register = ? AND year = ?",
        (register, year),
    )
    return int(row["last_number"]) + 1 if row else 1


def insert(db: Database, row: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO results (dossier_id, version, pdf_enc, sha256, content_sha256, register, "
        "register_year, register_number, created_at, issued_at, layout) VALUES (:dossier_id, "
        ":version, :pdf_enc, :sha256, :content_sha256, :register, :register_year, "
        ":register_number, :created_at, :issued_at, :layout)",
        row,
    )


def update_pdf(
    db: Database, dossier_id: str, version: int, pdf_enc: bytes, sha256: str, issued_at: str
) -> None:
    db.execute(
        "UPDATE results SET version = ?, pdf_enc = ?, sha256 = ?, issued_at = ? "
        "WHERE dossier_id = ?",
        (version, pdf_enc, sha256, issued_at, dossier_id),
    )


def replace_unissued(
    db: Database, dossier_id: str, version: int, pdf_enc: bytes, sha256: str, was_sha256: str
) -> bool:
    """Replace a result not yet issued by a later revision of itself (the spouses'
    signatures added to the leader-signed certificate); False when the stored one is no
    longer ``was_sha256`` at ``version`` (changed meanwhile, or issued)."""
    cur = db.execute(
        "UPDATE results SET pdf_enc = ?, sha256 = ? "
        "WHERE dossier_id = ? AND version = ? AND sha256 = ? AND issued_at IS NULL",
        (pdf_enc, sha256, dossier_id, version, was_sha256),
    )
    return bool(cur.rowcount == 1)
