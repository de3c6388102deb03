"""Station settings: where things live in the data dir and the policy numbers.

Policy numbers are constants rather than options on purpose: a commune office has no one
to tune them, and tests pin them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

VERSION = "0.1.0"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

TOKEN_TTL = timedelta(hours=12)
ENROLL_CODE_TTL = timedelta(hours=24)
PIN_MAX_FAILURES = 5
PIN_LOCKOUT = timedelta(minutes=15)
# A tablet clock ahead of the station by more than this makes a receipt time implausible.
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True)
class Paths:
    """The layout of one station data dir."""

    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / "station.db"

    @property
    def keys(self) -> Path:
        return self.data_dir / "keys"
