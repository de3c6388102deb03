"""HTTP client for the office station's /v1/sync endpoints.

Takes an injected ``httpx.Client`` (so tests can hand it a real server or an in-process
app alike) and turns every network or station failure into a catalogued error; the
caller decides what to keep (nothing local is ever dropped because a request failed).
"""

from __future__ import annotations

from typing import Any

import httpx

from shared.errors import TaiChoError, is_code, problem

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class SyncClient:
    def __init__(self, base_url: str, client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self._owns = client is None

    def close(self) -> None:
        if self._owns:
            self._client.close()

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            resp = self._client.post(f"{self.base_url}{path}", json=body)
        except httpx.HTTPError as exc:
            raise problem("STATION_UNREACHABLE", None, detail=type(exc).__name__) from None
        return self._decode(resp)

    def _get(self, path: str) -> dict[str, Any]:
        try:
            resp = self._client.get(f"{self.base_url}{path}")
        except httpx.HTTPError as exc:
            raise problem("STATION_UNREACHABLE", None, detail=type(exc).__name__) from None
        return self._decode(resp)

    @staticmethod
    def _decode(resp: httpx.Response) -> dict[str, Any]:
        try:
            data = resp.json()
        except ValueError:
            data = None
        if resp.status_code >= 400:
            code = data.get("code") if isinstance(data, dict) else None
            if isinstance(data, dict) and is_code(code):
                params = data.get("params")
                ctx = dict(params) if isinstance(params, dict) else {}
                if data.get("wipe") is True:
                    ctx["wipe"] = True
                details = data.get("details")
                raise TaiChoError(
                    code,
                    data.get("field"),
                    ctx,
                    details if isinstance(details, list) else [],
                )
            raise problem("STATION_ERROR", None, detail=f"HTTP {resp.status_code}")
        if not isinstance(data, dict):
            raise problem("STATION_ERROR", None, detail="response is not a JSON object")
        return data

    def health(self) -> dict[str, Any]:
        return self._get("/v1/health")

    def enroll(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._post("/v1/sync/enroll", body)

    def unlock(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._post("/v1/sync/unlock", body)

    def push(self, device_id: str, changes: list[dict[str, Any]]) -> dict[str, Any]:
        return self._post("/v1/sync/push", {"device_id": device_id, "changes": changes})

    def pull(self, device_id: str, after: int, limit: int = 100) -> dict[str, Any]:
        return self._post("/v1/sync/pull", {"device_id": device_id, "after": after, "limit": limit})
