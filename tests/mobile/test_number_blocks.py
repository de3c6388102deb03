"""Dossier numbers across an offline day: a tablet numbers from the blocks the station
reserved to it while online, runs out cleanly, and is topped up at its next sync; two
tablets never share a number. The real station app and database, in process."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.codes import BLOCK_SIZE, RESERVE_DAYS, parse_code
from shared.errors import TaiChoError
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.store.db import one
from tests.mobile.conftest import INTAKE, InProcessStation


class Offline:
    """No station in reach: every request fails as on a dead network."""

    def get(self, url: str) -> Any:
        raise httpx.ConnectError("offline")

    def post(self, url: str, *, content: bytes, headers: dict[str, str]) -> Any:
        raise httpx.ConnectError("offline")

    def close(self) -> None:
        pass


def _tomorrow() -> datetime:
    """09:00 tomorrow, Vietnam time (a whole working day ahead of the test's start)."""
    now = vn_now()
    return now.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)


def _numbers(codes: list[str], day: date) -> list[int]:
    assert {parse_code(c).day for c in codes} == {day}
    return [parse_code(c).number for c in codes]


def test_a_whole_offline_day_from_the_reserve_then_topped_up(
    station: InProcessStation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tablet"
    online = station.tablet(folder)
    online.unlock(*INTAKE)
    online.sync()  # the reserve reserved at enrolment arrives with the first pull
    today = vn_now().date()
    for i in range(RESERVE_DAYS):
        assert online.dossiers.numbers_left(today + timedelta(days=i)) == BLOCK_SIZE
    online.close()

    # Tomorrow, all day without the station: the reserve numbers every dossier.
    day = _tomorrow()
    offline = TabletService(folder, http=Offline(), clock=lambda: day)
    offline.unlock(*INTAKE)
    values = sample_values("1.001193", day.date(), 1)
    codes = [
        offline.intake(
            "1.001193", values, components_received=every_component("1.001193", values)
        ).code
        for _ in range(BLOCK_SIZE)
    ]
    assert _numbers(codes, day.date()) == list(range(1, BLOCK_SIZE + 1))
    with pytest.raises(TaiChoError) as exc:
        offline.intake("1.001193", values, components_received=every_component("1.001193", values))
    assert exc.value.code == "DOSSIER_CODE_EXHAUSTED"  # said plainly, nothing stored
    assert offline.sync_state().pending == BLOCK_SIZE
    offline.close()

    # Back in reach (the station's clock on the same day): everything is accepted, and
    # the next intake gets a fresh block without waiting for a sync.
    shift = day - vn_now() + timedelta(minutes=5)
    for module in ("sync.ingest", "sync.pull", "core.feed"):
        monkeypatch.setattr(
            f"sync_server.services.{module}.utc_now", lambda: datetime.now(UTC) + shift
        )
    back = TabletService(folder, http=station.http, clock=lambda: day)
    back.unlock(*INTAKE)
    report = back.sync()
    assert report.pushed == BLOCK_SIZE and report.rejected == []
    more = back.intake(
        "1.001193", values, components_received=every_component("1.001193", values)
    ).code
    assert _numbers([more], day.date())[0] > BLOCK_SIZE
    assert more not in codes
    back.close()


def test_two_tablets_never_share_a_number_and_a_busy_day_gets_bigger_blocks(
    station: InProcessStation, tmp_path: Path
) -> None:
    a, b = station.tablet(tmp_path / "a"), station.tablet(tmp_path / "b")
    for t in (a, b):
        t.unlock(*INTAKE)
    values = sample_values("1.001193", vn_now().date(), 2)
    codes = []
    for _ in range(3 * BLOCK_SIZE + 5):  # each runs dry more than once and refills
        codes += [
            a.intake(
                "1.001193", values, components_received=every_component("1.001193", values)
            ).code,
            b.intake(
                "1.001193", values, components_received=every_component("1.001193", values)
            ).code,
        ]
    assert len(set(codes)) == len(codes)
    for t in (a, b):
        report = t.sync()
        assert report.rejected == [] and report.pending == 0
    with station.station.session() as db:
        row = one(db, "SELECT MAX(hi - lo + 1) AS biggest FROM number_blocks")
        assert row is not None and row["biggest"] > BLOCK_SIZE
        held = list(
            db.query(
                "SELECT device_id, lo, hi FROM number_blocks WHERE day = ?",
                (vn_now().date().isoformat(),),
            )
        )
    spans = sorted((r["lo"], r["hi"]) for r in held)
    assert all(prev[1] < nxt[0] for prev, nxt in pairwise(spans))
