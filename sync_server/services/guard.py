"""Brakes on anonymous work: per-client failure throttles and bounded scrypt checks.

Why here and not in each endpoint: the same three limits protect ``/v1/auth/token``,
``/v1/sync/unlock``, ``/v1/auth/pin`` and ``/v1/sync/enroll``, and each must hold under
parallel requests (FastAPI runs sync endpoints on a thread pool), so they are small
thread-safe objects in one place.

- :class:`Throttle` — failures per client address in a sliding window; over the limit a
  request is refused (``RATE_LIMITED``) before any database or scrypt work.
- :func:`scrypt_slot` — a process-wide bounded semaphore: at most ``scrypt_concurrency``
  PIN checks (32 MB and one core each) run at once, so 80 parallel logins cannot balloon
  memory or starve a real login.
- :func:`account_slot` — striped locks by username: one PIN check at a time per account
  (unknown names included, so their timing matches real accounts).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from shared.errors import problem
from sync_server.config import limits

_MAX_KEYS = 10_000  # clients remembered at most; the oldest are forgotten first


class Throttle:
    """Failures per key (client address) in a sliding window of ``window`` seconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, key: str, window: float, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def failures(self, key: str, window: float) -> int:
        with self._lock:
            return len(self._recent(key, window, time.monotonic()))

    def check(self, key: str, max_failures: int, window: float) -> None:
        """Raise ``RATE_LIMITED`` (with the seconds to wait) if ``key`` is over its limit."""
        with self._lock:
            now = time.monotonic()
            hits = self._recent(key, window, now)
            if len(hits) >= max_failures:
                wait = max(1, int(hits[0] + window - now) + 1)
                raise problem("RATE_LIMITED", None, wait=wait)

    def fail(self, key: str) -> int:
        """Record one failure; returns the failures now in the window (incl. this one)."""
        with self._lock:
            if key not in self._hits and len(self._hits) >= _MAX_KEYS:
                self._hits.pop(next(iter(self._hits)))
            hits = self._hits.setdefault(key, deque())
            hits.append(time.monotonic())
            return len(hits)


_scrypt_lock = threading.Lock()
_scrypt_sem: threading.BoundedSemaphore | None = None
_scrypt_size = 0


def _semaphore() -> threading.BoundedSemaphore:
    global _scrypt_sem, _scrypt_size
    size = max(1, limits().scrypt_concurrency)
    with _scrypt_lock:
        if _scrypt_sem is None or size != _scrypt_size:
            _scrypt_sem, _scrypt_size = threading.BoundedSemaphore(size), size
        return _scrypt_sem


@contextmanager
def scrypt_slot() -> Iterator[None]:
    """Run one scrypt computation inside the process-wide bound (or RATE_LIMITED)."""
    sem = _semaphore()
    wait = limits().scrypt_queue_seconds
    if not sem.acquire(timeout=wait):
        raise problem("RATE_LIMITED", None, wait=wait)
    try:
        yield
    finally:
        sem.release()


_STRIPES = 64
_account_locks = [threading.Lock() for _ in range(_STRIPES)]


@contextmanager
def account_slot(username: str) -> Iterator[None]:
    """One PIN check at a time per account name (bounded memory: striped locks)."""
    digest = hashlib.sha256(username.encode("utf-8", "replace")).digest()
    lock = _account_locks[digest[0] % _STRIPES]
    if not lock.acquire(timeout=limits().scrypt_queue_seconds):
        raise problem("RATE_LIMITED", None, wait=limits().scrypt_queue_seconds)
    try:
        yield
    finally:
        lock.release()
