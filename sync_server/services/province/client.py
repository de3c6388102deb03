"""The station's side of the hub protocol, without a database: what goes on the wire.

:class:`HubClient` speaks to one hub as one unit: HTTPS with the hub's certificate pinned
(checked in the handshake, ``shared.tls_pin``), every request signed with the unit's
Ed25519 key (``shared.hub_auth``), bodies and answers the declared records of
``shared.hub_messages``, and the hub's problems back as the same catalogued errors.
``province.link`` (a real station: its keys, its stored link) and ``bench/province.py``
(simulated stations) both use it, so the benchmark speaks the real protocol.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from shared import hub_auth
from shared import hub_messages as hm
from shared.errors import TaiChoError, is_code, problem
from shared.messages import parse_json, to_json_bytes
from shared.tls_pin import Pin, caused_by_pin_mismatch, pinned_context
from shared.wire import decode
from sync_server.services.pki import tls

TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def base_url(url: str) -> str:
    """``scheme://host:port`` of a hub address: https, or http on this machine only."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise problem(
            "REQUEST_INVALID",
            "hub",
            detail=f"{url}: an https:// address is needed",
            detail_vi=f"{url}: cần địa chỉ https://",
        )
    if parts.scheme == "http" and not tls.is_loopback(parts.hostname):
        raise problem(
            "PLAIN_HTTP_REFUSED",
            "hub",
            detail=f"{url}: use https://",
            detail_vi=f"{url}: cần dùng https://",
        )
    return f"{parts.scheme}://{parts.netloc}"


class HubClient:
    """One unit's connection to one hub (a context manager: close it)."""

    def __init__(self, url: str, pin: Pin | None, unit_code: str, signing_key: bytes) -> None:
        self.base = base_url(url)
        self.pin = pin
        self.unit_code = unit_code
        self._key = signing_key
        verify: Any = False
        if self.base.startswith("https://"):
            if pin is None:
                raise problem("HUB_CERT_MISMATCH", "hub", detail="no certificate pinned")
            verify = pinned_context(pin)
        self._http = httpx.Client(base_url=self.base, verify=verify, timeout=TIMEOUT)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, path: str, body: bytes, query: str) -> httpx.Response:
        """One signed request (the query string signed exactly as sent)."""
        now = int(time.time())
        headers = hub_auth.sign(self._key, self.unit_code, method, path, query, body, now)
        if body:
            headers["Content-Type"] = "application/json"
        target = f"{path}?{query}" if query else path
        try:
            return self._http.request(method, target, content=body or None, headers=headers)
        except httpx.HTTPError as exc:
            if caused_by_pin_mismatch(exc):
                raise problem("HUB_CERT_MISMATCH", "hub") from None
            name = type(exc).__name__
            raise problem("HUB_UNREACHABLE", "hub", detail=name, detail_vi=name) from None

    def _checked(self, r: httpx.Response) -> httpx.Response:
        """The answer if 200, else the hub's problem as ours (or ``HUB_ERROR``)."""
        if r.status_code == 200:
            return r
        try:
            data = r.json()
        except ValueError:
            data = None
        code = data.get("code") if isinstance(data, dict) else None
        if isinstance(data, dict) and is_code(code):
            field = data.get("field")
            params = data.get("params")
            raise TaiChoError(
                code,
                field if isinstance(field, str) else None,
                dict(params) if isinstance(params, dict) else {},
            )
        status = f"HTTP {r.status_code}"
        raise problem("HUB_ERROR", "hub", detail=status, detail_vi=status)

    def _call(self, method: str, path: str, body: bytes = b"", query: str = "") -> Any:
        return parse_json(self._checked(self._send(method, path, body, query)).content)

    def summary(self, params: dict[str, str], fmt: str = "json") -> Any:
        """The provincial summary (counts only): its JSON, or the CSV / PDF bytes."""
        query = urlencode(params)
        if fmt == "json":
            return self._call("GET", "/v1/province/summary", query=query)
        r = self._checked(self._send("GET", f"/v1/province/summary.{fmt}", b"", query))
        return r.content

    def register(self, req: hm.StationRegisterRequest) -> hm.DirectoryEntry:
        """Join the directory (signed with the key being registered)."""
        data = self._call("POST", "/v1/hub/stations", to_json_bytes(req))
        return decode(hm.DirectoryEntry, data)

    def lookup(self, unit_code: str) -> hm.DirectoryEntry:
        return decode(hm.DirectoryEntry, self._call("GET", f"/v1/hub/stations/{unit_code}"))

    def communes(self) -> hm.CommuneList:
        """The communes of the directory a dossier can be relayed to (unit code, name)."""
        return decode(hm.CommuneList, self._call("GET", "/v1/hub/communes"))

    def relay_push(self, items: Sequence[hm.RelayItem]) -> hm.RelayPushAnswer:
        """Hand sealed envelopes to the hub (idempotent on each item's ``seq``)."""
        body = to_json_bytes(hm.RelayPush(list(items)))
        return decode(hm.RelayPushAnswer, self._call("POST", "/v1/hub/relay", body))

    def relay_pull(self, after: int, limit: int = hm.MAX_RELAY_BATCH) -> hm.RelayPullAnswer:
        body = to_json_bytes(hm.RelayPullRequest(after, limit))
        return decode(hm.RelayPullAnswer, self._call("POST", "/v1/hub/relay/pull", body))

    def relay_ack(self, through: int) -> hm.RelayAckAnswer:
        body = to_json_bytes(hm.RelayAck(through))
        return decode(hm.RelayAckAnswer, self._call("POST", "/v1/hub/relay/ack", body))

    def put_figures(self, days: Sequence[hm.DayFigures]) -> hm.FiguresAnswer:
        """Send days (each replaces the hub's copy of that day, all or none)."""
        body = to_json_bytes(hm.FiguresBatch(list(days)))
        return decode(hm.FiguresAnswer, self._call("PUT", "/v1/hub/figures", body))
