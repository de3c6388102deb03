"""The tablet's keys: a data key that never rests unwrapped, and the device key pairs.

Key hierarchy (docs/security.md):
- data key DK (random, 32 bytes) encrypts every record blob (AES-256-GCM, aad = id:version);
- DK is wrapped once per staff member under scrypt(PIN); a first unlock on this tablet
  gets DK from the station's escrow (see ``TabletService.unlock``);
- the device's X25519 and Ed25519 private keys are encrypted under DK, so a copied
  database file yields nothing without a PIN.
DK lives only in this object's memory while unlocked; ``lock()`` drops it.

Device binding: on a device the app hands in a *device secret* (32 random bytes kept in
the platform's secure store — Android Keystore / iOS Keychain, ``device_secret.py``). A
PIN wrap is then made under HMAC(device secret, scrypt(PIN)) and marked
``device_bound``: a copy of ``tablet.db`` alone cannot be PIN-guessed offline, the
secret never leaves the device's store. Without a secret (the web build, the headless
CLI, tests) wraps stay under scrypt(PIN) alone, as before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from mobile.services.store import TabletStore
from shared import crypto
from shared.errors import TaiChoError, problem
from shared.policy import PIN_MAX_FAILURES as MAX_PIN_FAILURES
from shared.policy import check_pin_format as check_pin_format  # re-exported for tablet.py


@dataclass(frozen=True)
class DeviceKeys:
    x25519_sk: bytes
    ed25519_sk: bytes


@dataclass(frozen=True)
class Session:
    username: str
    role: str
    full_name: str


class Keystore:
    def __init__(self, store: TabletStore, device_secret: bytes | None = None) -> None:
        self.store = store
        self.device_secret = device_secret
        self._dk: bytes | None = None
        self._device: DeviceKeys | None = None
        self.session: Session | None = None

    # --- state ---
    @property
    def unlocked(self) -> bool:
        return self._dk is not None and self.session is not None

    def lock(self) -> None:
        self._dk = None
        self._device = None
        self.session = None

    def _require(self) -> bytes:
        if self._dk is None:
            raise problem("LOCKED")
        return self._dk

    @property
    def device(self) -> DeviceKeys:
        self._require()
        assert self._device is not None
        return self._device

    # --- enrollment ---
    def new_device_keys(self, device_id: str) -> tuple[bytes, dict[str, bytes]]:
        """Fresh DK and device key pairs; private keys are stored only wrapped under DK."""
        dk = crypto.random_key()
        x_sk, x_pk = crypto.new_x25519()
        ed_sk, ed_pk = crypto.new_ed25519()
        secret = json.dumps({"x25519": crypto.b64e(x_sk), "ed25519": crypto.b64e(ed_sk)})
        blob = crypto.aead_encrypt(dk, secret.encode(), self._device_aad(device_id))
        self.store.set_meta("device_keys_wrapped", crypto.b64e(blob))
        return dk, {"x25519_pub": x_pk, "ed25519_pub": ed_pk, "x25519_sk": x_sk, "ed_sk": ed_sk}

    def rekey_device(self, device_id: str) -> tuple[bytes, dict[str, bytes]]:
        """New device key pairs under a new device id, wrapped under the *current* DK (a
        re-enrolment after a restore or a clone keeps every record readable); the
        session goes on with them. Needs an unlocked tablet."""
        dk = self._require()
        x_sk, x_pk = crypto.new_x25519()
        ed_sk, ed_pk = crypto.new_ed25519()
        secret = json.dumps({"x25519": crypto.b64e(x_sk), "ed25519": crypto.b64e(ed_sk)})
        blob = crypto.aead_encrypt(dk, secret.encode(), self._device_aad(device_id))
        keys = {"x25519_pub": x_pk, "ed25519_pub": ed_pk, "x25519_sk": x_sk, "ed_sk": ed_sk}
        return blob, keys

    def adopt_device(self, blob: bytes, device_id: str) -> None:
        """Store the new device keys' wrap and use them from now on (after enrolment)."""
        dk = self._require()
        self.store.set_meta("device_keys_wrapped", crypto.b64e(blob))
        secret = json.loads(crypto.aead_decrypt(dk, blob, self._device_aad(device_id)))
        self._device = DeviceKeys(crypto.b64d(secret["x25519"]), crypto.b64d(secret["ed25519"]))

    def data_key(self) -> bytes:
        """DK itself, for escrowing it to the station at a re-enrolment (unlocked only)."""
        return self._require()

    @staticmethod
    def _device_aad(device_id: str) -> bytes:
        return b"taicho/device-keys/" + device_id.encode()

    def _open_device_keys(self, dk: bytes) -> DeviceKeys:
        device_id = self.store.get_meta("device_id")
        blob = self.store.get_meta("device_keys_wrapped")
        if not device_id or not blob:
            raise problem("NOT_ENROLLED")
        secret = json.loads(crypto.aead_decrypt(dk, crypto.b64d(blob), self._device_aad(device_id)))
        return DeviceKeys(crypto.b64d(secret["x25519"]), crypto.b64d(secret["ed25519"]))

    # --- unlock ---
    def has_wrap(self, username: str) -> bool:
        return self.store.get_wrap(username) is not None

    def can_open_wrap(self, username: str) -> bool:
        """False for a device-bound wrap when this run has no device secret."""
        wrap = self.store.get_wrap(username)
        if wrap is None:
            return False
        return self.device_secret is not None or not json.loads(wrap["params"]).get("device_bound")

    def unlock_local(self, username: str, pin: str) -> Session:
        """Offline unlock with a PIN wrap made earlier on this tablet."""
        check_pin_format(pin)
        wrap = self.store.get_wrap(username)
        if wrap is None:
            raise problem("FIRST_UNLOCK_NEEDS_STATION", "username")
        params = json.loads(wrap["params"])
        bound = bool(params.get("device_bound"))
        if bound and self.device_secret is None:
            # This file was made on a device whose secure store holds the other half of
            # the key: here (a copy elsewhere) only the station can grant DK, after its
            # own PIN check, lockout and revocation.
            raise problem("FIRST_UNLOCK_NEEDS_STATION", "username")
        kdf = crypto.ScryptParams.from_dict(params["kdf"])
        kek = self._kek(crypto.derive_pin_key(pin, kdf), bound)
        try:
            dk = crypto.unwrap_key(kek, wrap["wrapped"], self._wrap_aad(username))
        except TaiChoError:
            failures = int(wrap["failures"] or 0) + 1
            if failures >= MAX_PIN_FAILURES:
                # Forget this PIN wrap: only the station (which checks the PIN and has its
                # own lockout) can grant the data key again. This stops guessing in the app;
                # a copied database file still allows offline guessing at scrypt cost
                # (docs/security.md), which is why PINs are 6+ digits in practice.
                self.store.delete_wrap(username)
                raise problem("PIN_LOCKED", "pin") from None
            self.store.set_wrap_failures(username, failures)
            raise problem("PIN_WRONG", "pin", left=MAX_PIN_FAILURES - failures) from None
        self.store.set_wrap_failures(username, 0)
        session = Session(username, wrap["role"], params.get("full_name", ""))
        if not bound and self.device_secret is not None:
            # A wrap made before the device had a secret: bind it now.
            return self.install_data_key(dk, pin, session)
        return self._open(dk, session)

    def install_data_key(self, dk: bytes, pin: str, session: Session) -> Session:
        """Accept DK from the station, prove it opens our device keys, wrap it under the PIN."""
        check_pin_format(pin)
        opened = self._open(dk, session)
        kdf = crypto.new_scrypt_params()
        bound = self.device_secret is not None
        wrapped = crypto.wrap_key(
            self._kek(crypto.derive_pin_key(pin, kdf), bound), dk, self._wrap_aad(session.username)
        )
        meta: dict[str, Any] = {"kdf": kdf.to_dict(), "full_name": session.full_name}
        if bound:
            meta["device_bound"] = True
        params = json.dumps(meta)
        self.store.put_wrap(session.username, session.role, params, wrapped)
        return opened

    def _kek(self, pin_key: bytes, bound: bool) -> bytes:
        """The PIN key, or — device-bound — HMAC-SHA256 keyed by the device secret over it."""
        if not bound:
            return pin_key
        assert self.device_secret is not None
        return hmac.new(self.device_secret, pin_key, hashlib.sha256).digest()

    def _open(self, dk: bytes, session: Session) -> Session:
        device = self._open_device_keys(dk)
        self._dk, self._device, self.session = dk, device, session
        return session

    @staticmethod
    def _wrap_aad(username: str) -> bytes:
        return b"taicho/pin-wrap/" + username.encode()

    # --- records ---
    def seal_record(self, record_id: str, version: int, data: dict[str, Any]) -> bytes:
        plain = json.dumps(data, ensure_ascii=False).encode()
        return crypto.aead_encrypt(self._require(), plain, f"{record_id}:{version}".encode())

    def open_record(self, record_id: str, version: int, blob: bytes) -> dict[str, Any]:
        plain = crypto.aead_decrypt(self._require(), blob, f"{record_id}:{version}".encode())
        data: dict[str, Any] = json.loads(plain)
        return data

    def subkey(self, purpose: str) -> bytes:
        """A key for one purpose derived from DK (e.g. citizen blind-index tokens)."""
        return crypto.derive_subkey(self._require(), purpose)

    def seal_blob(self, label: str, data: bytes) -> bytes:
        return crypto.aead_encrypt(self._require(), data, label.encode())

    def open_blob(self, label: str, blob: bytes) -> bytes:
        return crypto.aead_decrypt(self._require(), blob, label.encode())
