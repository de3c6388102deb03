"""The directory of stations: who may speak to the hub, and with which keys.

A station joins as a tablet joins a station (``sync_server/services/enrollment.py``): the
hub's administrator issues a one-time code for one unit (``admin register-code --unit
CODE``); the code is the 12-symbol secret followed by the first 100 bits of the hub's TLS
certificate fingerprint (``shared.enrol_code``), so the station checks the hub before it
sends anything. The station then sends its public keys, its address and its own
certificate pin in a request signed with the key it registers (proof that it holds it).
Only the code's hash is stored; a code works once, for its unit, within its time.

Every later request of a station is signed with that key (``shared.hub_auth``):
:func:`authenticate` checks the signature, the time window and the nonce, and refuses a
station that is unknown or revoked.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from province_hub.db import Conn, transaction
from province_hub.store import directory as q
from shared import crypto, enrol_code
from shared.errors import problem
from shared.hub_auth import NONCE_KEEP, SignedRequest
from shared.hub_messages import CommuneList, DirectoryEntry, StationRegisterRequest
from shared.messages import Commune
from shared.text import fold
from shared.unit import commune_of_agency

PROVINCE_NAME = "province_name"
PROVINCE_CODE = "province_code"
DEFAULT_CODE_TTL = timedelta(hours=72)


def now_utc() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Province:
    """The province this hub serves (``admin init``)."""

    code: str
    name: str


def province(conn: Conn) -> Province | None:
    name, code = q.get_setting(conn, PROVINCE_NAME), q.get_setting(conn, PROVINCE_CODE)
    return None if name is None or code is None else Province(code, name)


def set_province(conn: Conn, code: str, name: str) -> Province:
    """Name the province once; a hub never changes province (its stations would all be
    of another one)."""
    with transaction(conn):
        current = province(conn)
        if current is not None and current.code != code:
            raise problem(
                "REQUEST_INVALID",
                "province",
                detail=f"this hub serves {current.name}",
                detail_vi=f"cổng này phục vụ {current.name}",
            )
        q.set_setting(conn, PROVINCE_CODE, code)
        q.set_setting(conn, PROVINCE_NAME, name)
        q.log(conn, now_utc(), "hub.init", None, f"{code} {name}")
    return Province(code, name)


def _code_hash(code: str) -> str:
    secret = enrol_code.normalise(code)[: enrol_code.SECRET_SYMBOLS]
    return crypto.sha256_hex(b"hub-register:" + secret.encode("ascii", "replace"))


def issue_code(
    conn: Conn, unit_code: str, tls_fingerprint: bytes | None, ttl: timedelta = DEFAULT_CODE_TTL
) -> str:
    """A one-time registration code for ``unit_code``, with the hub's certificate pin."""
    unit_code = unit_code.strip().upper()
    if not unit_code or any(ch not in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ." for ch in unit_code):
        raise problem(
            "REQUEST_INVALID",
            "unit",
            detail=f"unit code '{unit_code}'",
            detail_vi=f"mã đơn vị '{unit_code}' sai định dạng",
        )
    secret = "".join(secrets.choice(enrol_code.ALPHABET) for _ in range(enrol_code.SECRET_SYMBOLS))
    now = now_utc()
    with transaction(conn):
        if province(conn) is None:
            raise problem(
                "REQUEST_INVALID",
                "province",
                detail="name the province first: admin init --province NAME",
                detail_vi="hãy đặt tỉnh trước: admin init --province TÊN",
            )
        q.insert_code(conn, _code_hash(secret), unit_code, now, now + ttl)
        q.log(conn, now, "code.issue", unit_code, None)
    return enrol_code.with_pin(secret, tls_fingerprint)


def entry_of(row: dict[str, Any]) -> DirectoryEntry:
    return DirectoryEntry(
        unit_code=row["unit_code"],
        name=row["name"],
        province=row["province"],
        url=row["url"],
        x25519_pub=row["x25519_pub"],
        ed25519_pub=row["ed25519_pub"],
        tls_sha256=row["tls_sha256"],
        registered_at=row["registered_at"].isoformat(timespec="seconds"),
    )


def _same_province(hub: Province, unit_province_code: str, unit_province: str) -> bool:
    if unit_province_code:
        return unit_province_code == hub.code
    return fold(unit_province) == fold(hub.name)


def register(
    conn: Conn,
    req: StationRegisterRequest,
    signed: SignedRequest,
    *,
    method: str,
    path: str,
    query: str,
    body: bytes,
) -> DirectoryEntry:
    """A station joins (or, with a new code, replaces its entry); one transaction."""
    now = now_utc()
    unit = req.unit
    if signed.unit != unit.code:
        raise problem(
            "HUB_SIGNATURE_INVALID",
            "unit",
            detail="the signing unit is not the unit registered",
            detail_vi="đơn vị ký khác đơn vị đăng ký",
        )
    signed.check(crypto.b64d(req.ed25519_pub), method, path, query, body, int(now.timestamp()))
    with transaction(conn):
        hub = province(conn)
        if hub is None:
            raise problem(
                "HUB_CODE_INVALID",
                "code",
                detail="the hub has no province yet",
                detail_vi="cổng chưa đặt tỉnh",
            )
        if not q.use_nonce(conn, unit.code, signed.nonce, now):
            raise problem(
                "HUB_REQUEST_STALE",
                "nonce",
                detail="nonce used before",
                detail_vi="yêu cầu đã được gửi trước đó",
            )
        issued_for = q.claim_code(conn, _code_hash(req.code), now)
        if issued_for is None:
            raise problem("HUB_CODE_INVALID", "code")
        if issued_for != unit.code:
            raise problem(
                "HUB_CODE_INVALID",
                "code",
                detail=f"issued for {issued_for}, not {unit.code}",
                detail_vi=f"mã cấp cho {issued_for}, không phải {unit.code}",
            )
        if not _same_province(hub, unit.province_code, unit.province):
            raise problem(
                "HUB_CODE_INVALID",
                "unit",
                detail=f"{unit.province} is not {hub.name}",
                detail_vi=f"{unit.province} không thuộc {hub.name}",
            )
        row = {
            "unit_code": unit.code,
            "name": unit.name,
            "province": unit.province,
            "url": req.url,
            "x25519_pub": req.x25519_pub,
            "ed25519_pub": req.ed25519_pub,
            "tls_sha256": req.tls_sha256,
            "registered_at": now,
        }
        replaced = q.get_station(conn, unit.code) is not None
        q.upsert_station(conn, row)
        q.log(conn, now, "station.replace" if replaced else "station.register", unit.code, req.url)
    return entry_of(row)


def authenticate(
    conn: Conn, signed: SignedRequest, *, method: str, path: str, query: str, body: bytes
) -> DirectoryEntry:
    """The station behind a signed request, or the catalogued refusal. The nonce is
    recorded in its own short transaction: a request refused later is still spent."""
    now = now_utc()
    with transaction(conn):
        row = q.get_station(conn, signed.unit)
    if row is None:
        raise problem("HUB_STATION_UNKNOWN", "unit", unit=signed.unit)
    if row["revoked_at"] is not None:
        raise problem("HUB_STATION_REVOKED", "unit", unit=signed.unit)
    signed.check(crypto.b64d(row["ed25519_pub"]), method, path, query, body, int(now.timestamp()))
    with transaction(conn):
        if not q.use_nonce(conn, signed.unit, signed.nonce, now):
            raise problem(
                "HUB_REQUEST_STALE",
                "nonce",
                detail="nonce used before",
                detail_vi="yêu cầu đã được gửi trước đó",
            )
        if secrets.randbelow(100) == 0:  # now and then: nonces past the window
            q.forget_nonces(conn, now - timedelta(seconds=NONCE_KEEP))
    return entry_of(row)


def lookup(conn: Conn, unit_code: str) -> DirectoryEntry:
    """Another station's entry (a station about to seal a dossier to it)."""
    with transaction(conn):
        row = q.get_station(conn, unit_code)
    if row is None or row["revoked_at"] is not None:
        raise problem("HUB_STATION_UNKNOWN", "unit_code", unit=unit_code)
    return entry_of(row)


def communes(conn: Conn) -> CommuneList:
    """The communes a station can relay a dossier to: every active station, by name (the
    stations hand the list to their tablets; issue 20, the competent commune chosen)."""
    with transaction(conn):
        p = province(conn)
        rows = q.list_stations(conn)
    active = [
        Commune(r["unit_code"], commune_of_agency(r["name"]))
        for r in rows
        if r["revoked_at"] is None
    ]
    active.sort(key=lambda c: (fold(c.name), c.unit_code))
    return CommuneList("" if p is None else p.name, active)


def stations(conn: Conn) -> list[dict[str, Any]]:
    with transaction(conn):
        rows = q.list_stations(conn)
    return [
        {
            **entry_of(r).__dict__,
            "revoked_at": None if r["revoked_at"] is None else r["revoked_at"].isoformat(),
        }
        for r in rows
    ]


def revoke(conn: Conn, unit_code: str) -> None:
    now = now_utc()
    with transaction(conn):
        if q.get_station(conn, unit_code) is None:
            raise problem("HUB_STATION_UNKNOWN", "unit", unit=unit_code)
        if q.revoke_station(conn, unit_code, now):
            q.log(conn, now, "station.revoke", unit_code, None)


def add_reader(conn: Conn, name: str) -> str:
    """A bearer token for a person of the province who reads the summary; printed once,
    only its hash kept."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise problem(
            "REQUEST_INVALID", "name", detail="name: 1–200 chars", detail_vi="tên 1–200 ký tự"
        )
    token = crypto.b64e(secrets.token_bytes(24))
    now = now_utc()
    with transaction(conn):
        q.insert_reader(conn, crypto.sha256_hex(token.encode()), name, now)
        q.log(conn, now, "reader.add", None, name)
    return token


def revoke_reader(conn: Conn, name: str) -> int:
    """Every token given to ``name`` stops working at once (a lost or leaked token)."""
    now = now_utc()
    with transaction(conn):
        n = q.revoke_readers(conn, name.strip(), now)
        if n:
            q.log(conn, now, "reader.revoke", None, name.strip())
    if not n:
        raise problem(
            "REQUEST_INVALID",
            "name",
            detail=f"no active reader named {name!r}",
            detail_vi=f"không có người đọc nào tên {name!r}",
        )
    return n


def reader(conn: Conn, authorization: str | None) -> str:
    """The reader named by a ``Bearer`` token, or ``AUTH_REQUIRED`` / ``AUTH_FAILED``."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise problem("AUTH_REQUIRED")
    token = authorization[7:].strip()
    with transaction(conn):
        name = q.reader_by_token(conn, crypto.sha256_hex(token.encode()))
    if name is None:
        raise problem("HUB_READER_TOKEN_INVALID")
    return name
