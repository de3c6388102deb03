"""Enrolment: register this tablet with the station once, pin its keys, certificate and unit.

The code typed (or scanned) is the one ``admin enroll-code`` or the desk prints: a one-time
secret for the station and, over HTTPS, the start of the station certificate's fingerprint
(``shared.enrol_code``), checked before anything is sent (``tls_pin``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from mobile.services.context import TabletContext
from mobile.services.tls_pin import Pin
from shared import crypto, enrol_code
from shared import messages as m
from shared.envelope import EnvelopeContext, seal_envelope
from shared.errors import problem
from shared.sync import KIND_ESCROW, STATION


class EnrolmentService:
    def __init__(self, ctx: TabletContext) -> None:
        self.ctx = ctx

    def enroll(self, url: str, code: str, device_name: str | None = None) -> dict[str, Any]:
        """Register this tablet with the station using a one-time code; pin its keys."""
        ctx = self.ctx
        if ctx.enrolled:
            raise problem("ALREADY_ENROLLED")
        device_id = str(uuid.uuid4())

        def fresh_keys() -> tuple[bytes, dict[str, bytes]]:
            return ctx.keys.new_device_keys(device_id)

        try:
            return self._register(url, code, device_name, device_id, fresh_keys, None)
        except BaseException:
            ctx.store.set_meta("device_keys_wrapped", None)
            raise

    def re_enroll(self, url: str, code: str, device_name: str | None = None) -> dict[str, Any]:
        """Register again as a new device that replaces the one this tablet was (after a
        restore from a backup, or on one of two clones): new device id and keys, the same
        data key (every record stays readable), escrowed anew. Needs an unlocked tablet.
        The old device's sequence numbers, feed and dossier-number reserve are left to it
        (``RecoveryService`` starts the new ones)."""
        ctx = self.ctx
        if not ctx.enrolled:
            raise problem("NOT_ENROLLED")
        old = ctx.device_id
        device_id = str(uuid.uuid4())
        wrapped: list[bytes] = []

        def rekeyed() -> tuple[bytes, dict[str, bytes]]:
            blob, keys = ctx.keys.rekey_device(device_id)
            wrapped.append(blob)
            return ctx.keys.data_key(), keys

        out = self._register(url, code, device_name, device_id, rekeyed, old)
        ctx.keys.adopt_device(wrapped[0], device_id)
        return {**out, "replaces": old}

    def _register(
        self,
        url: str,
        code: str,
        device_name: str | None,
        device_id: str,
        make_keys: Callable[[], tuple[bytes, dict[str, bytes]]],
        replaces: str | None,
    ) -> dict[str, Any]:
        ctx = self.ctx
        typed = enrol_code.parse(code)
        if typed is None:
            raise problem("ENROLL_CODE_INVALID", "code")
        pin = None
        if ctx.http is None and urlsplit(url).scheme == "https":
            # The code carries the start of the certificate's fingerprint: checked in the
            # handshake, before the first request; the full fingerprint is pinned after.
            if typed.pin is None:
                raise problem("ENROLL_CODE_INCOMPLETE", "code")
            pin = Pin(typed.matches)
        client = ctx.client(url, pin)
        try:
            health = client.health()
            if health.unit is None:
                # Refuse before making keys: the station cannot number dossiers yet.
                raise problem("UNIT_NOT_CONFIGURED", "unit")
            station_x = crypto.b64d(health.station.x25519_pub)
            dk, keys = make_keys()
            escrow = seal_envelope(
                EnvelopeContext(KIND_ESCROW, device_id, STATION, 0, device_id, 1),
                dk,
                station_x,
                keys["ed_sk"],
            )
            answer = client.enroll(
                m.EnrollRequest(
                    code=typed.secret,
                    device_id=device_id,
                    device_name=device_name or f"tablet-{device_id[:8]}",
                    x25519_pub=crypto.b64e(keys["x25519_pub"]),
                    ed25519_pub=crypto.b64e(keys["ed25519_pub"]),
                    escrow=escrow,
                    replaces=replaces,
                )
            )
        finally:
            client.close()
        if answer.station != health.station:
            raise problem("STATION_KEY_MISMATCH")
        unit = answer.unit.to_dict()
        ctx.store.set_many_meta(
            {
                "device_id": device_id,
                "slot": answer.slot,
                "unit": unit,
                "station_url": url.rstrip("/"),
                "station_x25519_pub": answer.station.x25519_pub,
                "station_ed25519_pub": answer.station.ed25519_pub,
                "station_signing_ca": list(answer.signing_ca),
                "station_tls_sha256": pin.seen.hex() if pin and pin.seen else None,
                "device_x25519_pub": crypto.b64e(keys["x25519_pub"]),
                "device_ed25519_pub": crypto.b64e(keys["ed25519_pub"]),
                "outbox_seq": 0,
                "pull_cursor": 0,
            }
        )
        # DK and the private keys now exist only wrapped (device keys under DK) and in
        # the station's escrow; this process forgets them here.
        del dk, keys
        return {"device_id": device_id, "slot": answer.slot, "unit": unit}

    def refresh_unit(self) -> None:
        """Adopt the station's unit if this tablet enrolled before one was set up."""
        ctx = self.ctx
        if ctx.unit().get("code"):
            return
        client = ctx.client()
        try:
            health = client.health()
        finally:
            client.close()
        if health.unit is not None:
            ctx.store.set_meta("unit", health.unit.to_dict())
