"""Office staff: creation, PIN sign-in with lockout, PIN change, bearer tokens.

The same :func:`authenticate` serves ``/v1/auth/token``, the tablet's ``/v1/sync/unlock``
and ``/v1/auth/pin``, so a PIN guessed on one cannot dodge the lockout counted on another.
The lockout holds under parallel requests because each attempt is counted in the database
*before* its PIN is checked (``store.staff.claim_attempt``).
"""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from shared import crypto
from shared.errors import problem
from shared.permissions import Verb, can, require
from shared.policy import PIN_LOCKOUT, PIN_MAX_FAILURES, check_new_pin, check_pin_format
from shared.views import Token
from shared.workflow import Role, parse_role
from storekit import is_disk_full
from sync_server.config import TOKEN_TTL
from sync_server.services.core import audit
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.guard import account_slot, scrypt_slot
from sync_server.services.core.keys import StationKeys
from sync_server.store import staff as q
from sync_server.store.db import transaction

_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
# Checked against when the username is unknown or locked, so such an attempt costs and
# answers exactly like a wrong PIN (no username or lock probing by status or timing).
_DUMMY_HASH = crypto.hash_pin("000000")
_log = logging.getLogger("sync_server.auth")


@dataclass(frozen=True)
class Staff:
    username: str
    full_name: str
    role: Role
    title: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Staff:
        return cls(row["username"], row["full_name"], Role(row["role"]), row["title"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role.value,
            "title": self.title,
        }


def add_staff(
    db: Database,
    *,
    username: str,
    role: str,
    pin: str,
    full_name: str | None = None,
    title: str | None = None,
    demo_pin: bool = False,
) -> Staff:
    """A new staff member. The PIN must not be guessable (``shared.policy.check_new_pin``);
    ``demo_pin`` lets only the demo seed keep its documented PINs (123456, …)."""
    if not _USERNAME_RE.match(username):
        raise problem(
            "REQUEST_INVALID",
            "username",
            detail="username: a-z, 0-9, . _ -, 2–32 characters",
            detail_vi="tên đăng nhập gồm 2–32 ký tự a-z, 0-9, dấu chấm, gạch dưới, gạch nối",
        )
    parsed_role = parse_role(role)
    if demo_pin:
        check_pin_format(pin)
    else:
        check_new_pin(pin)
    with scrypt_slot():
        pin_hash = crypto.hash_pin(pin)
    with transaction(db):
        if q.get(db, username) is not None:
            raise problem("STAFF_EXISTS", "username", username=username)
        q.insert(
            db,
            username=username,
            full_name=(full_name or username).strip(),
            role=parsed_role.value,
            title=title,
            pin_hash=pin_hash,
            created_at=iso(utc_now()),
        )
    return Staff(username, (full_name or username).strip(), parsed_role, title)


def list_staff(db: Database) -> list[dict[str, Any]]:
    return q.list_all(db)


def _check(pin: object, pin_hash: str) -> bool:
    with scrypt_slot():
        return crypto.check_pin(pin if isinstance(pin, str) else "", pin_hash)


def authenticate(db: Database, username: str, pin: str) -> Staff:
    """PIN check with lockout: 5 wrong in a row lock the account for 15 minutes.

    The attempt is counted first (atomically), then the PIN is checked, so N parallel
    guesses cannot all read the same count: at most ``PIN_MAX_FAILURES`` wrong PINs are
    ever checked per lock period. A locked account and an unknown username run the same
    scrypt against a dummy hash and give the same ``AUTH_FAILED``; only a right PIN on an
    unlocked account succeeds, and it clears the count.

    On a full disk the count cannot be written: it is kept in memory instead
    (:class:`_ReadOnlyLockout`, same limits), so staff can still sign in and read.
    """
    name = username if isinstance(username, str) else ""
    with account_slot(name):
        now = utc_now()
        try:
            verdict, row = q.claim_attempt(
                db, name, iso(now), PIN_MAX_FAILURES, iso(now + PIN_LOCKOUT)
            )
        except sqlite3.Error as exc:
            if not is_disk_full(exc):
                raise
            verdict, row = _READ_ONLY.claim(db, name, now)
        if verdict != "claimed" or row is None:
            _check(pin, _DUMMY_HASH)
            _log.warning("sign-in refused for %r (%s account)", name, verdict)
            raise problem("AUTH_FAILED")
        if _check(pin, row["pin_hash"]):
            _READ_ONLY.forget(name)
            try:
                with transaction(db):
                    q.reset_failures(db, name)
            except sqlite3.Error as exc:
                if not is_disk_full(exc):
                    raise
            return Staff.from_row(row)
        _log.warning(
            "wrong PIN checked for %r (failure %d of %d)",
            name,
            row["failed_count"],
            PIN_MAX_FAILURES,
        )
        raise problem("AUTH_FAILED")


class _ReadOnlyLockout:
    """The lockout and the sessions kept in memory while the disk is full (issue 22: a
    full disk answered 507 to every sign-in, so nobody could act). The same limits as
    the stored count; sessions last their usual 12 hours or until the station restarts.
    A lock already stored is respected."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, datetime | None]] = {}
        self._tokens: dict[str, tuple[str, datetime]] = {}

    def claim(self, db: Database, name: str, now: datetime) -> tuple[str, dict[str, Any] | None]:
        row = q.get(db, name)
        if row is None or not row["active"]:
            return "unknown", None
        if row["locked_until"] is not None and row["locked_until"] > iso(now):
            return "locked", None
        with self._lock:
            failed, until = self._failures.get(name, (int(row["failed_count"]), None))
            if until is not None and until > now:
                return "locked", None
            failed = 1 if until is not None else failed + 1
            until = now + PIN_LOCKOUT if failed >= PIN_MAX_FAILURES else None
            self._failures[name] = (failed, until)
        return "claimed", {**row, "failed_count": failed}

    def forget(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)

    def keep_token(self, token_hash: str, username: str, expires: datetime) -> None:
        with self._lock:
            now = utc_now()
            self._tokens = {k: v for k, v in self._tokens.items() if v[1] > now}
            self._tokens[token_hash] = (username, expires)

    def token_user(self, token_hash: str) -> str | None:
        with self._lock:
            hit = self._tokens.get(token_hash)
        return hit[0] if hit is not None and hit[1] > utc_now() else None

    def drop_tokens_of(self, username: str) -> None:
        with self._lock:
            self._tokens = {k: v for k, v in self._tokens.items() if v[0] != username}


_READ_ONLY = _ReadOnlyLockout()


def change_pin(db: Database, username: str, old_pin: str, new_pin: str) -> Staff:
    """A staff member replaces their PIN; the old one is checked like a sign-in.

    Every bearer token of the account is revoked, so a session opened with a PIN that
    someone else may have seen ends with it.
    """
    check_new_pin(new_pin)
    who = authenticate(db, username, old_pin)
    with scrypt_slot():
        new_hash = crypto.hash_pin(new_pin)
    with transaction(db):
        q.set_pin_hash(db, who.username, new_hash)
        q.delete_tokens_of(db, who.username)
    _READ_ONLY.drop_tokens_of(who.username)
    return who


def unlock_staff(db: Database, username: str) -> Staff:
    """An administrator lifts a lockout (``admin staff-unlock``)."""
    with transaction(db):
        row = q.get(db, username)
        if row is None:
            raise problem(
                "REQUEST_INVALID",
                "username",
                detail=f"no staff '{username}'",
                detail_vi=f"không có cán bộ '{username}'",
            )
        q.reset_failures(db, username)
    return Staff.from_row(row)


def _token_hash(token: str) -> str:
    return crypto.sha256_hex(token.encode("utf-8"))


def issue_token(db: Database, staff: Staff) -> Token:
    """A random bearer token; only its hash is stored, so a copied DB grants no session."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    expires = iso(now + TOKEN_TTL)
    try:
        with transaction(db):
            q.delete_expired_tokens(db, iso(now))
            q.insert_token(db, _token_hash(token), staff.username, iso(now), expires)
    except sqlite3.Error as exc:
        if not is_disk_full(exc):
            raise
        # A full disk: the session lives in memory, so staff can still read and see why.
        _log.error("disk full: session of %r kept in memory only", staff.username)
        _READ_ONLY.keep_token(_token_hash(token), staff.username, now + TOKEN_TTL)
    return Token(token, "bearer", staff.username, staff.role.value, staff.full_name, expires)


def staff_for_token(db: Database, token: str | None) -> Staff:
    if not token:
        raise problem("AUTH_REQUIRED")
    row = q.staff_for_token(db, _token_hash(token), iso(utc_now()))
    if row is None:
        held = _READ_ONLY.token_user(_token_hash(token))  # a session made on a full disk
        row = q.get(db, held) if held is not None else None
        if row is None or not row["active"]:
            raise problem("AUTH_REQUIRED")
    return Staff.from_row(row)


def get_staff(db: Database, username: str) -> Staff | None:
    row = q.get(db, username)
    return None if row is None else Staff.from_row(row)


# --- administration (desk admin page; the same rules whatever the caller) ---------------


def require_admin(who: Staff) -> None:
    """Staff administration needs ``staff.manage`` (shared.permissions), whoever calls."""
    require(who, Verb.STAFF_MANAGE)


def current(db: Database, username: str) -> Staff:
    """The signed-in person as stored now: a disabled account stops working at once."""
    row = q.get(db, username)
    if row is None or not row["active"]:
        raise problem("AUTH_REQUIRED")
    return Staff.from_row(row)


def _target(db: Database, username: str) -> dict[str, Any]:
    row = q.get(db, username)
    if row is None:
        raise problem(
            "REQUEST_INVALID",
            "username",
            detail=f"username '{username}'",
            detail_vi=f"tên đăng nhập '{username}' sai (chữ thường, số, dấu chấm hoặc gạch dưới)",
        )
    return row


def _audit(db: Database, keys: StationKeys, action: str, who: Staff, target: str) -> None:
    audit.append(
        db,
        keys,
        action=action,
        actor=who.username,
        role=who.role.value,
        at=vn_now_iso(),
        reason=target,
    )


def set_active(db: Database, keys: StationKeys, who: Staff, username: str, *, active: bool) -> None:
    """Disable (or re-enable) an account; disabling also ends its open sessions."""
    require_admin(who)
    if username == who.username and not active:
        raise problem(
            "REQUEST_INVALID",
            "username",
            detail="an admin cannot disable their own account",
            detail_vi="không thể tự khoá tài khoản của mình",
        )
    with transaction(db):
        _target(db, username)
        q.set_active(db, username, active)
        if not active:
            q.delete_tokens_of(db, username)
        _audit(db, keys, "staff.enable" if active else "staff.disable", who, username)
    _READ_ONLY.drop_tokens_of(username)


def reset_pin(db: Database, keys: StationKeys, who: Staff, username: str, pin: str) -> None:
    """A new PIN (also clears the lockout); sessions signed in with the old one end."""
    require_admin(who)
    check_new_pin(pin)
    with scrypt_slot():
        pin_hash = crypto.hash_pin(pin)
    with transaction(db):
        _target(db, username)
        q.set_pin_hash(db, username, pin_hash)
        q.reset_failures(db, username)
        q.delete_tokens_of(db, username)
        _audit(db, keys, "staff.reset_pin", who, username)
    _READ_ONLY.drop_tokens_of(username)


def set_role(db: Database, keys: StationKeys, who: Staff, username: str, role: str) -> None:
    require_admin(who)
    parsed = parse_role(role)
    if username == who.username and not can(parsed, Verb.STAFF_MANAGE):
        raise problem(
            "REQUEST_INVALID",
            "role",
            detail="an admin cannot drop their own admin role",
            detail_vi="không thể tự bỏ quyền quản trị của mình",
        )
    with transaction(db):
        _target(db, username)
        q.set_role(db, username, parsed.value)
        q.delete_tokens_of(db, username)
        _audit(db, keys, "staff.set_role", who, f"{username}: {parsed.value}")
    _READ_ONLY.drop_tokens_of(username)


def admin_unlock(db: Database, keys: StationKeys, who: Staff, username: str) -> None:
    """The desk's "Mở khoá": :func:`unlock_staff` for a signed-in admin, audited."""
    require_admin(who)
    unlock_staff(db, username)
    with transaction(db):
        _audit(db, keys, "staff.unlock", who, username)
