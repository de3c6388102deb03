"""Time in the forms the station stores: UTC for expiry columns, Vietnam time for people."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.workdays import vn_now


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def vn_now_iso() -> str:
    """What history entries and audit rows carry: ISO 8601 with +07:00."""
    return iso(vn_now())
