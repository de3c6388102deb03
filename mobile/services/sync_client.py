"""HTTP client for the office station's /v1/sync endpoints.

Takes an injected ``httpx.Client`` (so tests can hand it a real server or an in-process
app alike) and turns every network or station failure into a catalogued error; the
caller decides what to keep (nothing local is ever dropped because a request failed).
Requests and answers are the records of ``shared.messages``; an answer that does not
decode is the station's fault (``STATION_ERROR``), never a crash here.
"""

from __future__ import annotations

import ssl
from typing import Any, Protocol, TypeVar

import httpx

from mobile.services.tls_pin import caused_by_pin_mismatch
from shared import messages as m
from shared.errors import TaiChoError, problem

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
T = TypeVar("T")


class HttpResponse(Protocol):
    @property
    def status_code(self) -> int: ...

    def json(self) -> Any: ...


class HttpClient(Protocol):
    """What the sync client needs of an HTTP client: an ``httpx.Client`` on the tablet, or
    Starlette's TestClient (an ``httpx2.Client``) wrapping the station app in tests."""

    def get(self, url: str) -> Any: ...

    def post(self, url: str, *, content: bytes, headers: dict[str, str]) -> Any: ...

    def put(self, url: str, *, content: bytes, headers: dict[str, str]) -> Any: ...

    def close(self) -> None: ...


def _unreachable(exc: httpx.HTTPError) -> TaiChoError:
    """A failed request: a certificate that is not the pinned one says so, loudly."""
    if caused_by_pin_mismatch(exc):
        return problem("STATION_CERT_MISMATCH", "url")
    return problem("STATION_UNREACHABLE", None, detail=type(exc).__name__)


class SyncClient:
    def __init__(
        self,
        base_url: str,
        client: HttpClient | None = None,
        *,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """``verify``: the pinned context of ``tls_pin.verify_for`` when this builds its own
        httpx client (an injected ``client`` brings its own transport)."""
        self.base_url = base_url.rstrip("/")
        self._client: HttpClient = client or httpx.Client(timeout=DEFAULT_TIMEOUT, verify=verify)
        self._owns = client is None

    def close(self) -> None:
        if self._owns:
            self._client.close()

    def _post(self, path: str, body: Any, answer: type[T], *, put: bool = False) -> T:
        send = self._client.put if put else self._client.post
        try:
            resp = send(
                f"{self.base_url}{path}",
                content=m.to_json_bytes(body),
                headers={"Content-Type": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise _unreachable(exc) from None
        return self._decode(resp, answer)

    def _get(self, path: str, answer: type[T]) -> T:
        try:
            resp = self._client.get(f"{self.base_url}{path}")
        except httpx.HTTPError as exc:
            raise _unreachable(exc) from None
        return self._decode(resp, answer)

    @staticmethod
    def _decode(resp: HttpResponse, answer: type[T]) -> T:
        try:
            data = resp.json()
        except ValueError:
            data = None
        if resp.status_code >= 400:
            try:
                answer_problem = m.decode(m.Problem, data, "problem")
            except TaiChoError:
                raise problem("STATION_ERROR", None, detail=f"HTTP {resp.status_code}") from None
            raise answer_problem.error()
        try:
            return m.decode(answer, data)
        except TaiChoError as err:
            detail = f"{answer.__name__}: {err.ctx.get('detail', err.code)}"
            raise problem("STATION_ERROR", err.field, detail=detail) from None

    def health(self) -> m.Health:
        return self._get("/v1/health", m.Health)

    def enroll(self, req: m.EnrollRequest) -> m.EnrollAnswer:
        return self._post("/v1/sync/enroll", req, m.EnrollAnswer)

    def unlock(self, req: m.UnlockRequest) -> m.UnlockAnswer:
        return self._post("/v1/sync/unlock", req, m.UnlockAnswer)

    def push(self, req: m.PushRequest) -> m.PushAnswer:
        return self._post("/v1/sync/push", req, m.PushAnswer)

    def pull(self, req: m.PullRequest) -> m.PullAnswer:
        return self._post("/v1/sync/pull", req, m.PullAnswer)

    def recover(self, req: m.RecoverRequest) -> m.RecoverAnswer:
        return self._post("/v1/sync/recover", req, m.RecoverAnswer)

    def attachment_open(self, sha256: str, req: m.AttachmentOpenRequest) -> m.AttachmentStatus:
        """Open or resume one photo's upload: the answer lists the chunks already there."""
        return self._post(f"/v1/sync/attachments/{sha256}", req, m.AttachmentStatus, put=True)

    def attachment_chunk(
        self, sha256: str, n: int, req: m.AttachmentChunkRequest
    ) -> m.AttachmentStatus:
        return self._post(
            f"/v1/sync/attachments/{sha256}/chunks/{n}", req, m.AttachmentStatus, put=True
        )
