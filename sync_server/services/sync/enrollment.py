"""Tablet enrollment, revocation and the first-unlock escrow.

At enrollment the tablet hands the station its public keys and an *escrow* envelope of its
data key (sealed to the station, signed by the tablet). When a staff member unlocks that
tablet for the first time, the station checks their PIN and sends the data key back sealed
to a one-time key of the tablet: the data key is never in clear on the wire or at rest.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlite_utils import Database

from shared import crypto, enrol_code, hpke
from shared import messages as m
from shared.codes import MAX_SLOT
from shared.envelope import Envelope, EnvelopeContext, open_envelope, seal_envelope
from shared.errors import TaiChoError, problem
from shared.sync import KIND_ESCROW, KIND_UNLOCK, STATION, UNLOCK_REQUEST_INFO
from shared.workdays import to_vn
from sync_server.config import limits
from sync_server.services.core import audit
from sync_server.services.core.clock import iso, utc_now, vn_now_iso
from sync_server.services.core.devices import Device, active_device
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit_record
from sync_server.services.pki import certs
from sync_server.services.setup.calendar import push_calendar_to
from sync_server.services.setup.staff import authenticate
from sync_server.services.sync import catalogue_sync, numbers
from sync_server.services.sync.holdings import alarms
from sync_server.services.sync.pull import pending_reports
from sync_server.store import devices as q
from sync_server.store.db import transaction


def _code_hash(code: str) -> str:
    """Hash of the one-time secret: the first 12 symbols of the code as typed (case, dashes
    and look-alikes do not matter); a certificate pin after them is the tablet's business."""
    secret = enrol_code.normalise(code)[: enrol_code.SECRET_SYMBOLS]
    return crypto.sha256_hex(secret.encode("ascii", "replace"))


def new_enroll_code(db: Database) -> str:
    """A one-time secret such as ``7KQ4-M2XD-PZ9A`` (60 bits), valid 15 min by default
    (``TAICHO_ENROLL_CODE_TTL_MINUTES``); only its hash is stored. What a tablet is shown
    adds the certificate pin: :func:`sync_server.services.pki.tls.code_for_tablet`."""
    alphabet = enrol_code.ALPHABET
    code = enrol_code.group(
        "".join(secrets.choice(alphabet) for _ in range(enrol_code.SECRET_SYMBOLS))
    )
    now = utc_now()
    with transaction(db):
        q.insert_code(db, _code_hash(code), iso(now), iso(now + limits().enroll_code_ttl))
    return code


def _pub_key(value: str, name: str) -> bytes:
    try:
        raw = crypto.b64d(value)
    except TaiChoError:
        raw = b""
    if len(raw) != 32:
        raise problem(
            "REQUEST_INVALID",
            name,
            detail=f"{name}: 32-byte key, base64url",
            detail_vi=f"{name}: cần khoá 32 byte dạng base64url",
        )
    return raw


def enroll(db: Database, keys: StationKeys, req: m.EnrollRequest) -> m.EnrollAnswer:
    """Register a tablet with a one-time code; one transaction, nothing half-done.

    Refused while the station serves no unit: a tablet must never start numbering
    dossiers for a commune nobody named.
    """
    unit = get_unit_record(db)
    if unit is None:
        raise problem("UNIT_NOT_CONFIGURED", "unit")
    device_id = req.device_id
    x_pub, ed_pub = _pub_key(req.x25519_pub, "x25519_pub"), _pub_key(req.ed25519_pub, "ed25519_pub")
    expect = EnvelopeContext(KIND_ESCROW, device_id, STATION, 0, device_id, 1)
    now = iso(utc_now())
    with transaction(db):
        code_hash = _code_hash(req.code)
        if q.usable_code(db, code_hash, now) is None:
            raise problem("ENROLL_CODE_INVALID", "code")
        if q.get(db, device_id) is not None:
            raise problem("ALREADY_ENROLLED", "device_id")
        if req.replaces is not None and (
            req.replaces == device_id or q.get(db, req.replaces) is None
        ):
            raise problem("DEVICE_UNKNOWN", "replaces")
        data_key = open_envelope(req.escrow, keys.x_sk, ed_pub, expect=expect)
        if len(data_key) != 32:
            raise problem("ENVELOPE_MALFORMED", "escrow", detail="escrow payload is not a key")
        used = q.used_slots(db)
        slot = next((s for s in range(1, MAX_SLOT + 1) if s not in used), None)
        if slot is None:
            raise problem("DEVICE_SLOTS_FULL")
        q.insert(
            db,
            device_id=device_id,
            name=req.device_name.strip(),
            slot=slot,
            x_pub=crypto.b64e(x_pub),
            ed_pub=crypto.b64e(ed_pub),
            escrow=json.dumps(req.escrow.to_json(), separators=(",", ":")),
            enrolled_at=now,
            replaces=req.replaces,
        )
        q.use_code(db, code_hash, device_id, now)
        # The station's calendar overrides reach a new tablet with its first pull.
        push_calendar_to(db, keys, device_id, only_if_set=True)
        # Its reserve of dossier numbers for today and the coming days (offline intake),
        # and the station's procedure catalogue, come with its first pull too.
        numbers.initial_reserve(db, keys, device_id, unit.code, to_vn(utc_now()).date())
        catalogue_sync.send_to(db, keys, device_id)
        audit.append(
            db,
            keys,
            action="device.enroll",
            actor="station",
            at=vn_now_iso(),
            device_id=device_id,
            reason=None if req.replaces is None else f"replaces {req.replaces}",
        )
    return m.EnrollAnswer(
        device_id,
        slot,
        unit,
        m.StationKeysInfo(**keys.public()),
        # The signing trust anchors, pinned by the tablet to check results offline.
        signing_ca=certs.trust_anchors_pem(db),
    )


def _unlock_secret(keys: StationKeys, device: Device, req: m.UnlockRequest) -> m.UnlockSecret:
    plain = hpke.open_(
        keys.x_sk,
        crypto.b64d(req.enc),
        UNLOCK_REQUEST_INFO,
        device.id.encode(),
        crypto.b64d(req.ct),
    )
    try:
        return m.from_json_bytes(m.UnlockSecret, plain)
    except TaiChoError:
        raise problem(
            "REQUEST_INVALID",
            "ct",
            detail="unlock request content",
            detail_vi="nội dung yêu cầu mở khoá sai",
        ) from None


def unlock(db: Database, keys: StationKeys, req: m.UnlockRequest) -> m.UnlockAnswer:
    """First unlock of a tablet by a staff member: PIN check, then the escrowed data key."""
    device = active_device(db, req.device_id)
    secret = _unlock_secret(keys, device, req)
    staff = authenticate(db, secret.username, secret.pin)
    escrow = Envelope.from_json(device.escrow)
    expect = EnvelopeContext(KIND_ESCROW, device.id, STATION, 0, device.id, 1)
    data_key = open_envelope(escrow, keys.x_sk, device.ed_pub, expect=expect)
    grant = m.UnlockGrant(crypto.b64e(data_key), staff.username, staff.role.value, staff.full_name)
    ctx = EnvelopeContext(KIND_UNLOCK, STATION, device.id, 0, secret.nonce, 1)
    env = seal_envelope(ctx, m.to_json_bytes(grant), crypto.b64d(secret.reply_pub), keys.ed_sk)
    with transaction(db):
        audit.append(
            db,
            keys,
            action="device.unlock",
            actor=staff.username,
            role=staff.role.value,
            at=vn_now_iso(),
            device_id=device.id,
        )
    return m.UnlockAnswer(env)


def list_devices(db: Database) -> list[dict[str, Any]]:
    return q.list_all(db)


def revoke_device(db: Database, keys: StationKeys, device_id: str, actor: str = "admin") -> None:
    with transaction(db):
        row = q.get(db, device_id)
        if row is None:
            raise problem("DEVICE_UNKNOWN", "device_id")
        if row["revoked_at"]:
            return
        q.revoke(db, device_id, iso(utc_now()))
        audit.append(
            db, keys, action="device.revoke", actor=actor, at=vn_now_iso(), device_id=device_id
        )


def list_devices_with_contact(db: Database) -> list[dict[str, Any]]:
    """The tablets for the desk's admin page, with what the office must re-take if one is
    lost: ``last_contact_at`` (its last push), ``not_landed`` (dossiers it pushed that did
    not land: refused or in conflict) and ``supplement`` (dossiers received on it waiting
    for a supplement). Dossiers received after the last contact the station cannot know."""
    last = q.last_push_at(db)
    alarm = alarms(db)
    ends = q.loose_ends(db)
    reported = pending_reports(db)
    return [
        {
            **d,
            "last_contact_at": last.get(d["id"]),
            "pending_reported": reported.get(d["id"], {}).get("pending"),
            "pending_reported_at": reported.get(d["id"], {}).get("at"),
            "not_landed": ends.get(d["id"], {}).get("not_landed", 0),
            "supplement": ends.get(d["id"], {}).get("supplement", 0),
            "held_alarm": alarm.get(d["id"]),
        }
        for d in q.list_all(db)
    ]
