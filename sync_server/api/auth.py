"""``POST /v1/auth/token``: staff sign-in with username + PIN → bearer token (12 h)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from sync_server.api.deps import DbDep
from sync_server.services import staff

router = APIRouter(prefix="/v1/auth", tags=["auth"])


class TokenRequest(BaseModel):
    username: str = Field(max_length=64)
    pin: str = Field(max_length=32)


@router.post("/token")
def token(body: TokenRequest, db: DbDep) -> dict[str, Any]:
    who = staff.authenticate(db, body.username, body.pin)
    return staff.issue_token(db, who)
