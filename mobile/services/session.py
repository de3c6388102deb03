"""Unlocking: offline with a PIN wrap held on this tablet; the first time per staff
member online, by the station's escrow of the data key (docs/security.md)."""

from __future__ import annotations

import os

from mobile.services.context import TabletContext
from mobile.services.keystore import Session, check_pin_format
from shared import crypto, hpke
from shared import messages as m
from shared.envelope import EnvelopeContext, open_envelope
from shared.errors import TaiChoError, problem
from shared.sync import KIND_UNLOCK, STATION, UNLOCK_REQUEST_INFO


class SessionService:
    def __init__(self, ctx: TabletContext) -> None:
        self.ctx = ctx

    @property
    def session(self) -> Session | None:
        keys = self.ctx.keys
        return keys.session if keys.unlocked else None

    def known_users(self) -> list[str]:
        return self.ctx.store.wrap_usernames()

    def office_staff(self) -> list[dict[str, str]]:
        """The office's intake staff as the station last sent them (empty before the
        first sync after an unlock): username and full name, no PIN material."""
        raw = self.ctx.store.get_meta("office_staff", [])
        return [
            {"username": str(x["username"]), "full_name": str(x["full_name"])}
            for x in raw
            if isinstance(x, dict) and "username" in x and "full_name" in x
        ]

    def unlock(self, username: str, pin: str) -> Session:
        """Offline with this tablet's PIN wrap; the first time per staff member, online."""
        username = username.strip()
        check_pin_format(pin)
        self.ctx.device_id  # noqa: B018 - raises NOT_ENROLLED early
        if self.ctx.keys.has_wrap(username):
            return self.ctx.keys.unlock_local(username, pin)
        return self._unlock_via_station(username, pin)

    def lock(self) -> None:
        self.ctx.keys.lock()

    def _unlock_via_station(self, username: str, pin: str) -> Session:
        ctx = self.ctx
        device_id = ctx.device_id
        reply_sk, reply_pub = crypto.new_x25519()
        nonce = crypto.b64e(os.urandom(16))
        secret = m.UnlockSecret(username, pin, crypto.b64e(reply_pub), nonce)
        enc, ct = hpke.seal(
            ctx.station_x25519(), UNLOCK_REQUEST_INFO, device_id.encode(), m.to_json_bytes(secret)
        )
        client = ctx.client()
        try:
            try:
                answer = client.unlock(
                    m.UnlockRequest(device_id, crypto.b64e(enc), crypto.b64e(ct))
                )
            except TaiChoError as err:
                if err.code == "STATION_UNREACHABLE":
                    raise problem("FIRST_UNLOCK_NEEDS_STATION", "username") from None
                ctx.wipe_if_revoked(err)
                raise
        finally:
            client.close()
        plain = open_envelope(
            answer.envelope,
            reply_sk,
            ctx.station_ed25519(),
            expect=EnvelopeContext(KIND_UNLOCK, STATION, device_id, 0, nonce, 1),
        )
        grant = m.from_json_bytes(m.UnlockGrant, plain)
        session = Session(grant.username, grant.role, grant.full_name)
        return ctx.keys.install_data_key(crypto.b64d(grant.data_key), pin, session)
