"""One web session's backend: its own TabletService over the shared data folder.

Each Flet page (browser tab, or the app on a device) gets its own ``TabletService``, so
its own keystore: unlocking or locking one session never unlocks or locks another.
All sessions over one data folder share one lock for service calls: each service has
its own SQLite connection (WAL mode), and serialising the calls keeps two sessions'
syncs, intakes and code numbering from racing each other.

``run_guarded`` is the one place where a blocking call becomes UI state: it flags
``busy``, runs the call on a worker thread, and turns any failure into a catalogue
message. An unexpected error is logged with its traceback to ``logs/app.log`` in the
data folder under a short error id that the message shows, so staff can quote it.
"""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from mobile.config import AppConfig
from mobile.i18n import tr
from mobile.services.tablet import TabletService
from shared.errors import TaiChoError, problem
from storekit import is_disk_full

T = TypeVar("T")
log = logging.getLogger("mobile.app")

_DIR_LOCKS: dict[Path, threading.RLock] = {}
_DIR_LOCKS_GUARD = threading.Lock()
_LOG_DIRS: set[Path] = set()
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


def folder_lock(data_dir: Path) -> threading.RLock:
    """The call lock shared by every session over ``data_dir``."""
    key = Path(data_dir).resolve()
    with _DIR_LOCKS_GUARD:
        return _DIR_LOCKS.setdefault(key, threading.RLock())


def setup_logging(data_dir: Path) -> Path:
    """Send the app's log (with tracebacks) to a rotating file under the data folder."""
    folder = Path(data_dir).resolve() / "logs"
    path = folder / "app.log"
    with _DIR_LOCKS_GUARD:
        if folder in _LOG_DIRS:
            return path
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger("mobile")
        root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)
        _LOG_DIRS.add(folder)
    return path


def user_message(err: BaseException, lang: str = "vi") -> str:
    """What staff read for a failure: the catalogue text; never a traceback.

    A ``TaiChoError`` is an expected problem and speaks for itself. Anything else is a
    bug: its traceback goes to the log under a short id that the message carries.
    """
    if isinstance(err, TaiChoError):
        text = err.message(lang)
        if err.code == "REQUEST_INVALID" and err.field and err.field not in text:
            # a refused request always says where (docs/intake.md, "Problems")
            text = tr(lang, "{text} (mục {field}).", text=text.rstrip("."), field=err.field)
        return text
    if is_disk_full(err):  # SQLite's SQLITE_FULL or ENOSPC: no bug, a full tablet
        log.error("tablet storage full: %s", err)
        return problem("DEVICE_DISK_FULL").message(lang)
    error_id = uuid.uuid4().hex[:8]
    log.error("error %s", error_id, exc_info=err)
    text = problem("INTERNAL").message(lang)
    return tr(lang, "{text} (mã lỗi {id})", text=text, id=error_id)


class Backend:
    """This session's TabletService, with the folder-wide call lock."""

    def __init__(self, service: TabletService, config: AppConfig) -> None:
        self.service = service
        self.config = config
        self._lock = folder_lock(service.data_dir)

    @classmethod
    def open(cls, data_dir: Path, config: AppConfig, device_secret: bytes | None = None) -> Backend:
        """``device_secret``: from the device's secure store (None in the web build)."""
        setup_logging(data_dir)
        with folder_lock(data_dir):
            return cls(TabletService(Path(data_dir), device_secret=device_secret), config)

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            return fn(*args)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(self.call, fn, *args)

    def close(self) -> None:
        """Drop this session's keys and its database connection."""
        with self._lock:
            self.service.close()


class Guarded(Protocol):
    """What ``run_guarded`` needs from a state object."""

    backend: Backend
    busy: str

    def touch(self) -> None: ...

    def _fail(self, err: BaseException) -> None: ...


class Failed(Exception):
    """Raised by ``run_guarded`` after the failure was shown (callers just return)."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


async def run_guarded(
    state: Guarded,
    busy: str,
    fn: Callable[..., T],
    *args: Any,
    on_error: Callable[[BaseException], None] | None = None,
) -> T:
    """busy → run ``fn`` on a worker thread → error banner (or ``on_error``).

    Raises ``Failed`` when ``fn`` failed (after the message is in place), so the
    caller can stop without its own ``except Exception``.
    """
    state.touch()
    state.busy = busy
    try:
        return await state.backend.run(fn, *args)
    except Exception as err:  # every failure is shown; unexpected ones are logged
        (on_error or state._fail)(err)
        raise Failed(err) from err
    finally:
        state.busy = ""
