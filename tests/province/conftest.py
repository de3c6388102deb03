"""A throw-away PostgreSQL for the provincial hub's tests, and a real hub on it.

One cluster per test session (``initdb`` + ``pg_ctl`` in a temp folder, as the
``postgres`` user when the tests run as root: ``province_hub.cluster``), one fresh
database per test or module, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from province_hub import cluster
from province_hub.launcher import RunningHub, start_hub
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.opening import open_station

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg() -> Iterator[cluster.Cluster]:
    """In the system temp folder: pytest's own is private to root, and the server runs
    as ``postgres``."""
    running = cluster.start()
    yield running
    running.stop()


@pytest.fixture
def hub_dsn(pg: cluster.Cluster) -> str:
    """A new empty database for one test."""
    return pg.create_database(f"hub_{next(_names)}")


@pytest.fixture
def hub(hub_dsn: str, tmp_path: Path) -> Iterator[RunningHub]:
    """A real hub (HTTPS, its own certificate) serving Đồng Tháp on a fresh database."""
    running = start_hub(hub_dsn, tmp_path / "hub")
    yield running
    running.stop()


def demo_station(folder: Path, province: str = "Đồng Tháp", commune: str | None = None) -> Station:
    """A station data folder with the demo seed, or another commune of the province."""
    station = open_station(folder)
    with station.session() as db:
        demo.seed(db, station.keys)
        if commune is not None:
            from sync_server.services.setup.units import set_unit_from_names

            set_unit_from_names(db, province, commune)
    return station
