"""Where the station keeps its public verify address, and the rule for issuing with it.

The address is part of setting up the unit (``admin public-url URL``, ``admin unit-set
--public-url URL``, the desk's "Đơn vị" page; the demo sets its own). It is public data,
kept in clear in ``meta`` next to the unit. :func:`issuing_base` is asked each time a
result is signed (approval renders the QR code) and sealed: a station that is not the
demo refuses while the address is unset, loopback or plain HTTP
(``PUBLIC_URL_NOT_READY``, see :mod:`shared.verify_address`), so no paper with legal value
leaves the office with a QR code that leads nowhere.
"""

from __future__ import annotations

from sqlite_utils import Database

from shared import verify_address
from shared.errors import problem
from sync_server.config import DEFAULT_HOST, DEFAULT_PORT
from sync_server.store.db import get_meta, set_meta, transaction

PUBLIC_URL_META_KEY = "public_url"
DEMO_META_KEY = "demo_station"
DEMO_FALLBACK = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"


def public_url(db: Database) -> str | None:
    """The address as set up, or None."""
    return get_meta(db, PUBLIC_URL_META_KEY) or None


def set_public_url(db: Database, url: str) -> str:
    """Check and store the address; returns it as stored (no trailing slash)."""
    clean = verify_address.normalise(url)
    with transaction(db):
        set_meta(db, PUBLIC_URL_META_KEY, clean)
    return clean


def mark_demo(db: Database) -> None:
    """The demo commune was seeded here: its results say "MẪU" and may point at the
    station's own address."""
    with transaction(db):
        set_meta(db, DEMO_META_KEY, "1")


def is_demo(db: Database) -> bool:
    return get_meta(db, DEMO_META_KEY) == "1"


def issuing_base(db: Database) -> str:
    """The address to print on a result now; ``PUBLIC_URL_NOT_READY`` when a real
    station's address cannot be opened by the public."""
    url = public_url(db)
    if is_demo(db):
        return url or DEMO_FALLBACK
    why = verify_address.unusable(url)
    if why is not None:
        raise problem("PUBLIC_URL_NOT_READY", "public_url", why=why[0], why_en=why[1])
    assert url is not None
    return url


def readiness(db: Database) -> dict[str, str | bool | None]:
    """For the desk and ``unit-show``: the address, whether results can be issued with it,
    and why not (Vietnamese)."""
    url = public_url(db)
    why = None if is_demo(db) else verify_address.unusable(url)
    return {"public_url": url, "ready": why is None, "why": why[0] if why else None}
