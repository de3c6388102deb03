"""A new procedure version reaches a tablet through a real station, seen from
`python -m mobile.headless`: the dossier in progress keeps version 1 and is accepted under
it; new dossiers are filled (and refused) under version 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mobile.services.store import TabletStore
from sync_server.launcher import start_station
from tests.integration.conftest import Station
from tests.integration.test_headless_cli import headless
from tests.mobile.test_catalogue_sync import (
    CODE,
    NEW_FIELD,
    OFFICE,
    SHIPPED,
    version_two,
    write_office_file,
)

pytestmark = pytest.mark.integration


def _station(data: Path) -> Station:
    running = start_station(data)
    return Station(running.url, running.data, running.proc, running.log)


def test_catalogue_update_end_to_end(tmp_path: Path) -> None:
    data, tablet = tmp_path / "station", tmp_path / "tablet"
    station = _station(data)
    try:
        rc, _ = headless(tablet, "enroll", station.url, station.enroll_code(), unlock=False)
        assert rc == 0
        rc, sample = headless(tablet, "sample", "--procedure", CODE, unlock=False)
        values = tmp_path / "v1.json"
        values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
        rc, old = headless(tablet, "intake", "--procedure", CODE, "--json", str(values))
        assert rc == 0, old
    finally:
        station.stop()

    # The office installs version 2 of the procedure and restarts its station (which
    # listens on another port here, so the tablet is pointed at it).
    write_office_file(data, version_two())
    station = _station(data)
    try:
        store = TabletStore(tablet)
        store.set_meta("station_url", station.url)
        store.close()
        rc, report = headless(tablet, "sync")
        assert rc == 0 and report["pushed"] == 1 and report["rejected"] == [], report
        rc, shown = headless(tablet, "show", old["id"])
        assert shown["procedure_version"] == SHIPPED  # accepted under the version it was filled in

        rc, refused = headless(tablet, "intake", "--procedure", CODE, "--json", str(values))
        assert rc != 0 and refused["code"] == "DOSSIER_INVALID"
        assert {d["field"] for d in refused["details"]} == {NEW_FIELD}
        v2 = tmp_path / "v2.json"
        v2.write_text(
            json.dumps({**sample, NEW_FIELD: "Tiếng Việt"}, ensure_ascii=False), encoding="utf-8"
        )
        rc, new = headless(tablet, "intake", "--procedure", CODE, "--json", str(v2))
        assert rc == 0, new
        rc, shown = headless(tablet, "show", new["id"])
        assert shown["procedure_version"] == OFFICE and shown["values"][NEW_FIELD] == "Tiếng Việt"
        rc, report = headless(tablet, "sync")
        assert rc == 0 and report["pushed"] == 1 and report["rejected"] == [], report
    finally:
        station.stop()
