"""Staff sign-in and PIN change.

``POST /v1/auth/token``: username + PIN → bearer token (12 h).
``POST /v1/auth/pin``: username + old PIN + new PIN → the PIN is replaced and every token
of the account is revoked. It needs no token (a staff member locked out of a session can
still change a PIN they know) and counts against the same lockout as a sign-in.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from shared.views import PinChanged
from sync_server.api.deps import AuthGuard, DbDep
from sync_server.services.setup import staff

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(max_length=64)
    pin: str = Field(max_length=32)


class PinChangeRequest(BaseModel):
    username: str = Field(max_length=64)
    old_pin: str = Field(max_length=32)
    new_pin: str = Field(max_length=32)


@router.post("/token", dependencies=[AuthGuard])
def token(body: TokenRequest, db: DbDep) -> dict[str, Any]:
    who = staff.authenticate(db, body.username, body.pin)
    return staff.issue_token(db, who).to_dict()


@router.post("/pin", dependencies=[AuthGuard])
def change_pin(body: PinChangeRequest, db: DbDep) -> dict[str, Any]:
    who = staff.change_pin(db, body.username, body.old_pin, body.new_pin)
    return PinChanged(who.username).to_dict()
