"""Enrolment: register this tablet with the station once, pin its keys and unit."""

from __future__ import annotations

import uuid
from typing import Any

from mobile.services.context import TabletContext
from shared import crypto
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
        client = ctx.client(url)
        try:
            health = client.health()
            if health.unit is None:
                # Refuse before making keys: the station cannot number dossiers yet.
                raise problem("UNIT_NOT_CONFIGURED", "unit")
            station_x = crypto.b64d(health.station.x25519_pub)
            dk, keys = ctx.keys.new_device_keys(device_id)
            escrow = seal_envelope(
                EnvelopeContext(KIND_ESCROW, device_id, STATION, 0, device_id, 1),
                dk,
                station_x,
                keys["ed_sk"],
            )
            answer = client.enroll(
                m.EnrollRequest(
                    code=code.strip().upper(),
                    device_id=device_id,
                    device_name=device_name or f"tablet-{device_id[:8]}",
                    x25519_pub=crypto.b64e(keys["x25519_pub"]),
                    ed25519_pub=crypto.b64e(keys["ed25519_pub"]),
                    escrow=escrow,
                )
            )
        except BaseException:
            ctx.store.set_meta("device_keys_wrapped", None)
            raise
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
