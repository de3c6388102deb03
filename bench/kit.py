"""What the benchmarks share: a real station with enrolled, unlocked tablets, a scratch
folder, the ``--smoke`` / ``--json`` options and how a result is printed (a human line on
stderr, one JSON line on stdout, the same line in ``--json``'s file), so every bench
reads and reports the same way.

The benches run as scripts (``python bench/x.py``), so this is imported as ``kit``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mobile.services.tablet import TabletService
from sync_server.launcher import RunningStation, start_station


@contextmanager
def station_with_tablets(
    work: Path, count: int
) -> Iterator[tuple[RunningStation, list[TabletService]]]:
    """A real station (uvicorn, 127.0.0.1) under ``work`` and ``count`` tablets enrolled
    with it and unlocked by the intake clerk; the tablets are closed when the body ends
    well, and the station is stopped however it ends."""
    station = start_station(work / "station")
    try:
        tablets = []
        for i in range(count):
            tablet = TabletService(work / f"tablet-{i}")
            tablet.enrolment.enroll(station.url, station.enroll_code())
            tablet.unlock("tiepnhan", "123456")
            tablets.append(tablet)
        yield station, tablets
        for tablet in tablets:
            tablet.close()
    finally:
        station.stop()


@contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder for one run, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="taicho-bench-") as tmp:
        yield Path(tmp)


def add_output_options(p: argparse.ArgumentParser, smoke_help: str) -> None:
    """``--smoke`` (what scripts/test.sh runs) and ``--json FILE``."""
    p.add_argument("--smoke", action="store_true", help=smoke_help)
    p.add_argument("--json", type=Path, help="also write the JSON result to this file")


def machine() -> dict[str, str]:
    """Where the figures were measured (the last keys of every result)."""
    return {"python": platform.python_version(), "machine": platform.machine()}


def emit(result: dict[str, Any], summary: str, json_path: Path | None) -> int:
    """The human summary on stderr, the result as one JSON line on stdout (and in
    ``json_path`` when given); 0, the bench's exit code."""
    print(summary, file=sys.stderr)
    line = json.dumps(result)
    print(line)
    if json_path:
        json_path.write_text(line + "\n")
    return 0
