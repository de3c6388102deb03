"""The station's catalogue: shipped bundles plus the office's files, every version kept,
tablets told only when the current definitions change (sync_server.services.sync.catalogue_sync)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.errors import TaiChoError
from sync_server.services.opening import open_station
from sync_server.services.sync import catalogue_sync
from sync_server.store.db import get_meta
from tests.mobile.test_catalogue_sync import (
    CODE,
    OFFICE,
    SHIPPED,
    version_two,
    write_office_file,
)


def _version(data: Path) -> str | None:
    station = open_station(data)
    with station.session() as db:
        return get_meta(db, "catalogue_version")


def test_versions_grow_only_when_the_definitions_change(tmp_path: Path) -> None:
    data = tmp_path / "station"
    assert _version(data) == "1"
    assert _version(data) == "1"  # a plain restart tells the tablets nothing new
    write_office_file(data, version_two())
    assert _version(data) == "2"
    station = open_station(data)
    assert station.catalogue.versions(CODE) == [SHIPPED, OFFICE]
    assert station.catalogue.get(CODE).version == OFFICE
    # The office file removed again: version 2 stays known for the dossiers filled under it.
    (catalogue_sync.office_folder(data) / "chung_thuc_chu_ky.json").unlink()
    assert open_station(data).catalogue.versions(CODE) == [SHIPPED, OFFICE]


def test_a_wrong_office_file_stops_the_start_naming_it(tmp_path: Path) -> None:
    data = tmp_path / "station"
    data.mkdir()
    folder = catalogue_sync.office_folder(data)
    folder.mkdir()
    (folder / "typo.json").write_text(json.dumps({**version_two(), "requried": True}), "utf-8")
    with pytest.raises(TaiChoError) as exc:
        open_station(data)
    assert exc.value.code == "CATALOGUE_INVALID" and exc.value.ctx["file"] == "typo.json"
