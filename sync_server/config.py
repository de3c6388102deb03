"""Station settings: where things live in the data dir and the policy numbers.

The PIN rule and lockout numbers are shared with the tablet: they live in
``shared.policy``, not here. The
resource limits below have defaults that suit a commune office; each can be overridden by
an environment variable (``TAICHO_<NAME>``, read by :func:`limits`) so an operator — or a
test against a real uvicorn station — can change one without editing code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from pathlib import Path

from shared.attachments import STATION_MAX_BYTES

VERSION = "0.1.0"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

TOKEN_TTL = timedelta(hours=12)
# A tablet clock ahead of the station by more than this makes a receipt time implausible.
CLOCK_SKEW = timedelta(hours=1)


@dataclass(frozen=True)
class Limits:
    """Resource and abuse limits; defaults suit one office, ``TAICHO_<FIELD>`` overrides."""

    # Largest request body read; a push of 100 dossiers is well under 2 MB.
    max_body_bytes: int = 8 * 1024 * 1024
    # Largest photo of a document a tablet may upload (shared/attachments.py).
    attachment_max_bytes: int = STATION_MAX_BYTES
    # Photos one tablet may have at the station that no dossier refers to (unfinished
    # uploads included): a tablet pushes a dossier before its photos, so these are few;
    # two dossiers' worth of photos and 64 MB stop a tablet filling the disk (issue 22).
    upload_orphan_max_photos: int = 120
    upload_orphan_max_bytes: int = 64 * 1024 * 1024
    # After this long an unfinished upload, or a photo no dossier refers to, is dropped
    # (a tablet offline for a week still resumes its upload).
    upload_orphan_ttl_hours: int = 14 * 24
    # Longest wait for the station's one picture worker (re-encoding, thumbnails).
    image_queue_seconds: int = 30
    # An enrolment code is typed next to the station: minutes, not a day.
    enroll_code_ttl_minutes: int = 15
    # Oldest receipt time a push may carry: a tablet can stay offline for a while on
    # home visits, but a receipt backdated beyond this is refused.
    received_at_max_age_days: int = 30
    # Failed sign-ins (token, tablet unlock, PIN change) one client may make per window
    # before it must wait: locking an account from one client then takes 2+ windows.
    auth_client_failures: int = 3
    auth_client_window_seconds: int = 60
    # Wrong enrolment codes one client may send per window.
    enroll_client_failures: int = 5
    enroll_client_window_seconds: int = 300
    # Lookups of the public verify page (/verify/{code}, /v1/verify/{code}) one client may
    # make per window: a phone scanning a QR code makes one or two; listing a day's codes
    # (405–465 a second before, issue 22) now takes hours per address.
    verify_client_lookups: int = 30
    verify_client_window_seconds: int = 60
    # scrypt checks running at once in the whole station (each uses 32 MB and a core).
    scrypt_concurrency: int = 2
    # Longest wait for a scrypt slot before answering RATE_LIMITED.
    scrypt_queue_seconds: int = 20
    # Multiplier of the growing delay after a wrong PIN (shared.policy.failure_delay);
    # tests of unrelated features set it to 0.
    pin_delay_scale: float = 1.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        values: dict[str, int | float] = {}
        for f in fields(cls):
            raw = env.get(f"TAICHO_{f.name.upper()}")
            if raw is not None:
                values[f.name] = float(raw) if f.type == "float" else int(raw)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def enroll_code_ttl(self) -> timedelta:
        return timedelta(minutes=self.enroll_code_ttl_minutes)

    @property
    def received_at_max_age(self) -> timedelta:
        return timedelta(days=self.received_at_max_age_days)


def limits() -> Limits:
    """The limits in force now (read from the environment on each call: cheap, testable)."""
    return Limits.from_env(os.environ)


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

    @property
    def logs(self) -> Path:
        """Rotating log of internal errors (each with the id the client was shown)."""
        return self.data_dir / "logs"
