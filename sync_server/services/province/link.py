"""The station's link to its provincial hub: registration, signed requests, day figures.

Registration mirrors a tablet's enrolment, one level up: the hub's administrator gives
the office a one-time code (the secret, then 100 bits of the hub's certificate
fingerprint); ``admin hub-register --hub URL --code CODE`` connects, checks the hub's
certificate against the code *before* sending anything, sends the station's public keys,
address and own certificate pin in a request signed with its Ed25519 key, and keeps the
hub's address and full certificate fingerprint (``meta`` key ``hub``) — pinned from then
on. Every later request is signed (``shared.hub_auth``).

Day figures: :func:`send_figures` counts each day of a range with the commune report's
own pass (``services.reports.build_facts`` → ``shared.province.day_figures``: counts per
procedure, no dossier, no person) and sends them in batches; a day sent again replaces
the hub's copy, so a re-send after a lost answer or an outage is harmless.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from shared import crypto, enrol_code
from shared import hub_messages as hm
from shared.errors import problem
from shared.province import day_figures
from shared.reports import Period, check_export_format
from shared.tls_pin import Pin
from shared.workdays import vn_now
from sync_server.services.core.clock import vn_now_iso
from sync_server.services.core.station import Station, get_unit_record
from sync_server.services.pki import tls
from sync_server.services.province.client import HubClient, base_url
from sync_server.services.reports import reports
from sync_server.services.setup import public_address
from sync_server.store.db import get_meta, set_meta, transaction

HUB_META_KEY = "hub"
DAYS_PER_BATCH = 62


def settings(db: Database) -> dict[str, Any] | None:
    """The hub this station is registered with (url, pin, since), or None."""
    raw = get_meta(db, HUB_META_KEY)
    return None if raw is None else dict(json.loads(raw))


def _save(db: Database, value: dict[str, Any]) -> None:
    with transaction(db):
        set_meta(db, HUB_META_KEY, json.dumps(value, ensure_ascii=False))


def register(
    db: Database, station: Station, hub_url: str, code: str, public_url: str | None = None
) -> dict[str, Any]:
    """Join the hub's directory with a one-time ``code`` (module docstring)."""
    https = base_url(hub_url).startswith("https://")  # an address refused before all else
    unit = get_unit_record(db)
    if unit is None:
        raise problem("UNIT_NOT_CONFIGURED", "unit")
    parsed = enrol_code.parse(code)
    if parsed is None:
        raise problem("HUB_CODE_INVALID", "code", detail="32 symbols", detail_vi="cần 32 ký tự")
    pin = None
    if https:
        if parsed.pin is None:
            raise problem(
                "HUB_CODE_INVALID",
                "code",
                detail="the code has no certificate pin",
                detail_vi="mã thiếu phần dấu chứng thư",
            )
        pin = Pin(parsed.matches)
    own = tls.info(station.paths)
    url = (public_url or public_address.public_url(db) or "").rstrip("/")
    req = hm.StationRegisterRequest(
        code=parsed.secret,
        unit=unit,
        x25519_pub=crypto.b64e(station.keys.x_pk),
        ed25519_pub=crypto.b64e(station.keys.ed_pk),
        url=url if url.startswith("https://") else None,
        tls_sha256=None if own is None else own.fingerprint.hex(),
    )
    with HubClient(hub_url, pin, unit.code, station.keys.ed_sk) as client:
        entry = client.register(req)
        base = client.base
    saved = {
        "url": base,
        "tls_sha256": None if pin is None or pin.seen is None else pin.seen.hex(),
        "unit_code": entry.unit_code,
        "province": entry.province,
        "registered_at": vn_now_iso(),
        "sent_through": None,
        "last_sent_at": None,
    }
    _save(db, saved)
    return saved


def client(db: Database, station: Station) -> HubClient:
    """A client to the hub this station is registered with, its certificate pinned."""
    hub = settings(db)
    if hub is None:
        raise problem("HUB_NOT_REGISTERED", "hub")
    pin = Pin.exact(bytes.fromhex(hub["tls_sha256"])) if hub.get("tls_sha256") else None
    return HubClient(hub["url"], pin, hub["unit_code"], station.keys.ed_sk)


def lookup(db: Database, station: Station, unit_code: str) -> hm.DirectoryEntry:
    """Another station's directory entry, from the hub (signed request)."""
    with client(db, station) as hub:
        return hub.lookup(unit_code)


def province_summary(
    db: Database, station: Station, start: str, end: str, procedure: str | None, fmt: str
) -> Any:
    """The provincial summary from the hub (counts only): JSON, CSV or PDF."""
    check_export_format(fmt)
    params = {"from": start, "to": end}
    if procedure:
        params["procedure"] = procedure
    with client(db, station) as hub:
        return hub.summary(params, fmt)


def figures_of(
    db: Database, station: Station, day: date, now: datetime | None = None
) -> hm.DayFigures:
    """One day's figures, counted as the commune report counts them."""
    moment = now or vn_now()
    facts = reports.build_facts(db, station.keys, station.catalogue, Period(day, day))
    return day_figures(facts, day, moment)


def send_figures(
    db: Database, station: Station, start: date, end: date, now: datetime | None = None
) -> dict[str, Any]:
    """Count and send every day from ``start`` to ``end`` (at most a year at a time)."""
    period = Period(start, end)  # checks order and length
    if (period.end - period.start).days > 366:
        raise problem(
            "REQUEST_INVALID",
            "to",
            detail="at most 367 days at a time",
            detail_vi="tối đa 367 ngày mỗi lần",
        )
    moment = now or vn_now()
    last = min(period.end, moment.date())
    sent = 0
    answer: hm.FiguresAnswer | None = None
    day = period.start
    with client(db, station) as hub:
        while day <= last:
            batch: list[hm.DayFigures] = []
            while day <= last and len(batch) < DAYS_PER_BATCH:
                batch.append(figures_of(db, station, day, moment))
                day += timedelta(days=1)
            answer = hub.put_figures(batch)
            sent += len(batch)
    link = settings(db) or {}
    if sent:
        link["sent_through"] = max(link.get("sent_through") or "", last.isoformat())
        link["last_sent_at"] = vn_now_iso()
        _save(db, link)
    return {
        "days_sent": sent,
        "from": period.start.isoformat(),
        "to": last.isoformat() if sent else None,
        "hub_last_day": None if answer is None else answer.last_day,
    }


def status(db: Database) -> dict[str, Any] | None:
    """What the admin page and ``admin hub-status`` show."""
    return settings(db)
