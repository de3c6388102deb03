"""Brakes on anonymous work: per-client failure throttles and bounded scrypt checks.

Why here and not in each endpoint: the same limits protect ``/v1/auth/token``,
``/v1/sync/unlock``, ``/v1/auth/pin``, ``/v1/sync/enroll`` and the desk's sign-in, and
each must hold under parallel requests (FastAPI runs sync endpoints on a thread pool), so
they are small thread-safe objects in one place.

- :class:`Throttle` — failures per client address in a sliding window; each attempt is
  claimed (counted) before its work, atomically with the check, and over the limit a
  request is refused (``RATE_LIMITED``, Retry-After = when a retry can pass) before any
  database or scrypt work. :func:`pin_attempt` and :func:`enrol_attempt` wrap one check
  each, for the API and the desk alike.
- :func:`scrypt_slot` — a process-wide bounded semaphore: at most ``scrypt_concurrency``
  PIN checks (32 MB and one core each) run at once, so 80 parallel logins cannot balloon
  memory or starve a real login.
- :func:`account_slot` — striped locks by username: one PIN check at a time per account
  (unknown names included, so their timing matches real accounts).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from shared.errors import Code, TaiChoError, problem
from shared.policy import failure_delay
from sync_server.config import limits

_MAX_KEYS = 10_000  # clients remembered at most; the oldest are forgotten first


class Throttle:
    """Failures per key (client address) in a sliding window of ``window`` seconds.

    An attempt is claimed *before* its work is done (:meth:`claim`), in the same locked
    step as the check, so N parallel requests cannot all read "under the limit": the
    failures in the window plus the attempts in flight never pass ``max_failures``, so at
    most that many attempts of one key are checked per window, whatever the concurrency
    (issue 22: 20 parallel guesses from one address were all checked). Each claim is
    settled once its attempt is over (:meth:`settle`): a failure stays in the window,
    anything else frees the place at once.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}
        self._pending: dict[str, int] = {}
        self._clock = clock

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
            return len(self._recent(key, window, self._clock()))

    def _refuse_if_full(self, key: str, max_failures: int, window: float, now: float) -> None:
        hits = self._recent(key, window, now)
        if len(hits) + self._pending.get(key, 0) < max_failures:
            return
        if len(hits) >= max_failures:
            # When the failure that made the count reach the limit leaves the window —
            # not the oldest: with more failures than the limit, a client that waited
            # for the oldest was refused again.
            blocking = hits[len(hits) - max_failures]
            wait = max(1, math.ceil(blocking + window - now))
        else:
            wait = 1  # attempts in flight: a place frees when one of them succeeds
        raise problem("RATE_LIMITED", None, wait=wait)

    def check(self, key: str, max_failures: int, window: float) -> None:
        """Raise ``RATE_LIMITED`` (with the seconds to wait) if ``key`` is at its limit."""
        with self._lock:
            self._refuse_if_full(key, max_failures, window, self._clock())

    def claim(self, key: str, max_failures: int, window: float) -> None:
        """Take a place for one attempt of ``key`` now, or raise ``RATE_LIMITED`` when its
        failures in the window and attempts in flight already reach ``max_failures``.
        Every claim must end in :meth:`settle`."""
        with self._lock:
            self._refuse_if_full(key, max_failures, window, self._clock())
            if key not in self._pending and len(self._pending) >= _MAX_KEYS:
                raise problem("RATE_LIMITED", None, wait=1)  # 10,000 clients in flight
            self._pending[key] = self._pending.get(key, 0) + 1

    def settle(self, key: str, *, failed: bool) -> None:
        """End a claimed attempt: a failure is counted in the window, a success is not."""
        with self._lock:
            left = self._pending.get(key, 0) - 1
            if left > 0:
                self._pending[key] = left
            else:
                self._pending.pop(key, None)
            if failed:
                self._record(key)

    def fail(self, key: str) -> int:
        """Record one failure; returns the failures now in the window (incl. this one)."""
        with self._lock:
            return self._record(key)

    def _record(self, key: str) -> int:
        if key not in self._hits and len(self._hits) >= _MAX_KEYS:
            self._hits.pop(next(iter(self._hits)))
        hits = self._hits.setdefault(key, deque())
        hits.append(self._clock())
        return len(hits)


@dataclass
class Guards:
    """The per-client throttles of one station process (the API and the desk share them:
    one address has one budget of PIN guesses, whichever door it knocks on)."""

    auth: Throttle = field(default_factory=Throttle)
    enroll: Throttle = field(default_factory=Throttle)
    verify: Throttle = field(default_factory=Throttle)


_AUTH_FAILURES: frozenset[Code] = frozenset({"AUTH_FAILED", "PIN_LOCKED"})
_sleep = time.sleep  # the growing delay after a wrong PIN


@contextmanager
def pin_attempt(guards: Guards, client: str) -> Iterator[None]:
    """One PIN check from ``client`` (an address) under the per-client brake.

    Claims a place first (``RATE_LIMITED`` with Retry-After when the client already has
    ``auth_client_failures`` failures and attempts in flight in the window); a wrong PIN
    is counted as a failure and answered only after a delay that grows with the
    client's failures; anything else frees the place.
    """
    lim = limits()
    window = lim.auth_client_window_seconds
    guards.auth.claim(client, lim.auth_client_failures, window)
    failed = False
    try:
        yield
    except TaiChoError as err:
        failed = err.code in _AUTH_FAILURES
        raise
    finally:
        guards.auth.settle(client, failed=failed)
        if failed:
            _sleep(failure_delay(guards.auth.failures(client, window)) * lim.pin_delay_scale)


@contextmanager
def enrol_attempt(guards: Guards, client: str) -> Iterator[None]:
    """One enrolment-code check from ``client`` under its brake (claimed first, as a PIN)."""
    lim = limits()
    guards.enroll.claim(client, lim.enroll_client_failures, lim.enroll_client_window_seconds)
    failed = False
    try:
        yield
    except TaiChoError as err:
        failed = err.code == "ENROLL_CODE_INVALID"
        raise
    finally:
        guards.enroll.settle(client, failed=failed)


@contextmanager
def lookup(guards: Guards, client: str) -> Iterator[None]:
    """One public verify lookup from ``client``: every lookup counts (not only misses),
    at most ``verify_client_lookups`` per window."""
    lim = limits()
    guards.verify.claim(client, lim.verify_client_lookups, lim.verify_client_window_seconds)
    try:
        yield
    finally:
        guards.verify.settle(client, failed=True)


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
