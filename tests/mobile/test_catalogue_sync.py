"""Procedure versions reach tablets by sync: a station with an office procedure file sends
it, the tablet fills new dossiers under it, a dossier in progress keeps its version, and a
malformed or older catalogue is set aside with its problem. Real station app in process."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared import messages as m
from shared.catalogue import Catalogue, check_update
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.app import create_app
from sync_server.services.admin import demo
from sync_server.services.core import feed
from sync_server.services.sync import catalogue_sync
from tests.mobile.conftest import APPRAISER, INTAKE, URL, InProcessStation

CODE = "2.000884"  # chứng thực chữ ký
NEW_FIELD = "document_language"
SHIPPED = builtin().get(CODE).version  # the bundle's own version
OFFICE = SHIPPED + 1  # the office's edition of it


def version_two() -> dict[str, Any]:
    """2.000884 as an office would change it: version 2, one more required field."""
    doc = copy.deepcopy(builtin().get(CODE).source)
    doc["version"] = OFFICE
    section = next(s for s in doc["sections"] if s["id"] == "document")
    section["fields"].insert(
        1,
        {
            "id": NEW_FIELD,
            "label": {"vi": "Ngôn ngữ của giấy tờ", "en": "Language of the document"},
            "type": "text",
            "required": True,
            "max_length": 40,
        },
    )
    return doc


def write_office_file(data_dir: Path, doc: dict[str, Any]) -> None:
    folder = catalogue_sync.office_folder(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "chung_thuc_chu_ky.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


@pytest.fixture
def station_v2(tmp_path: Path) -> Iterator[InProcessStation]:
    data = tmp_path / "station"
    data.mkdir()
    write_office_file(data, version_two())
    with TestClient(create_app(data), base_url=URL, raise_server_exceptions=False) as http:
        st = InProcessStation(http)
        with st.station.session() as db:
            demo.seed(db)
        yield st


def test_the_office_version_reaches_the_tablet_and_new_dossiers_use_it(
    station_v2: InProcessStation, tmp_path: Path
) -> None:
    tablet = station_v2.tablet(tmp_path / "tablet")
    tablet.unlock(*INTAKE)
    assert tablet.dossiers.procedure(CODE).version == SHIPPED
    tablet.sync()
    proc = tablet.dossiers.procedure(CODE)
    assert proc.version == OFFICE and proc.field(NEW_FIELD).required  # what the form draws
    values = sample_values(CODE, vn_now().date(), 0)
    with pytest.raises(TaiChoError) as exc:
        tablet.intake(CODE, values, components_received=every_component(CODE, values))
    assert {d["field"] for d in exc.value.details} == {NEW_FIELD}
    made = tablet.intake(
        CODE, {**values, NEW_FIELD: "Tiếng Việt"}, components_received=every_component(CODE, values)
    )
    assert tablet.dossiers.get(made.id)["procedure_version"] == OFFICE
    report = tablet.sync()
    assert report.pushed == 1 and report.rejected == []

    # The tablet keeps it after a restart (stored, not only in memory).
    tablet.close()
    again = station_v2.tablet(tmp_path / "tablet", enroll=False)
    assert again.dossiers.procedure(CODE).version == OFFICE
    again.close()


def test_a_dossier_in_progress_keeps_its_version(tmp_path: Path) -> None:
    data = tmp_path / "station"
    with TestClient(create_app(data), base_url=URL, raise_server_exceptions=False) as http:
        st = InProcessStation(http)
        with st.station.session() as db:
            demo.seed(db)
        tablet = st.tablet(tmp_path / "tablet")
        tablet.unlock(*INTAKE)
        tablet.sync()
        old = tablet.intake(
            CODE,
            sample_values(CODE, vn_now().date(), 0),
            components_received=every_component(CODE, sample_values(CODE, vn_now().date(), 0)),
        )  # version 1
        tablet.close()
    # The office installs version 2 while that dossier is still on the tablet.
    write_office_file(data, version_two())
    with TestClient(create_app(data), base_url=URL, raise_server_exceptions=False) as http:
        st = InProcessStation(http)
        assert st.station.catalogue.versions(CODE) == [SHIPPED, OFFICE]
        tablet = st.tablet(tmp_path / "tablet", enroll=False)
        tablet.unlock(*INTAKE)
        report = tablet.sync()  # the station judges it by version 1: no new field needed
        assert report.pushed == 1 and report.rejected == []
        assert tablet.dossiers.get(old.id)["procedure_version"] == SHIPPED
        assert tablet.dossiers.procedure(CODE).version == OFFICE
        tablet.close()


def test_a_supplement_keeps_the_version_it_was_filled_under(tmp_path: Path) -> None:
    data = tmp_path / "station"
    values = sample_values(CODE, vn_now().date(), 3)
    with TestClient(create_app(data), base_url=URL, raise_server_exceptions=False) as http:
        st = InProcessStation(http)
        with st.station.session() as db:
            demo.seed(db)
        tablet = st.tablet(tmp_path / "tablet")
        tablet.unlock(*INTAKE)
        d = tablet.intake(CODE, values, components_received=every_component(CODE, values))
        tablet.sync()
        assert (
            st.act(d.id, "request_supplement", APPRAISER, "Ghi rõ tên giấy tờ").status_code == 200
        )
        tablet.close()
    write_office_file(data, version_two())
    with TestClient(create_app(data), base_url=URL, raise_server_exceptions=False) as http:
        st = InProcessStation(http)
        tablet = st.tablet(tmp_path / "tablet", enroll=False)
        tablet.unlock(*INTAKE)
        tablet.sync()  # the sent-back state and version 2 arrive
        assert tablet.dossiers.procedure(CODE).version == OFFICE
        fixed = {**values, "document_name": "Hợp đồng mua bán xe máy"}
        assert tablet.dossiers.supplement(d.id, fixed).version == 3  # no new field asked: version 1
        report = tablet.sync()
        assert report.pushed == 1 and report.rejected == [], report
        assert tablet.dossiers.get(d.id)["procedure_version"] == SHIPPED
        tablet.close()


def _queue(st: InProcessStation, device_id: str, docs: list[dict[str, Any]]) -> None:
    with st.station.session() as db:
        feed.append(
            db,
            st.station.keys,
            device_id=device_id,
            dossier_id="catalogue",
            version=9,
            payload=m.CatalogueUpdate("catalogue", docs, 9),
        )


def _set_aside(tablet: Any) -> list[str]:
    rows = tablet.store.db.execute("SELECT error FROM inbox WHERE error IS NOT NULL").fetchall()
    return [r[0] for r in rows]


def test_an_older_or_malformed_catalogue_is_set_aside(
    station_v2: InProcessStation, tmp_path: Path
) -> None:
    tablet = station_v2.tablet(tmp_path / "tablet")
    tablet.unlock(*INTAKE)
    tablet.sync()
    assert tablet.dossiers.procedure(CODE).version == OFFICE
    _queue(station_v2, tablet.ctx.device_id, [builtin().get(CODE).source])  # version 1
    broken = {**version_two(), "version": OFFICE + 1, "requried": True}  # a typo'd key
    _queue(station_v2, tablet.ctx.device_id, [broken])
    report = tablet.sync()
    assert _set_aside(tablet) == ["CATALOGUE_DOWNGRADE", "CATALOGUE_INVALID"]
    assert tablet.sync_state().set_aside == 2 and report.applied >= 0
    assert tablet.dossiers.procedure(CODE).version == OFFICE  # unchanged


def test_check_update_is_all_or_nothing() -> None:
    current = builtin()
    good = version_two()
    older = builtin().get("1.000656").source | {"version": 0}
    with pytest.raises(TaiChoError) as exc:
        check_update(current, [good, older])
    assert exc.value.code == "CATALOGUE_DOWNGRADE"
    assert exc.value.ctx["procedure"] == "1.000656"
    with pytest.raises(TaiChoError) as exc:
        check_update(current, [good, {"code": "1.000656"}])
    assert exc.value.code == "CATALOGUE_INVALID" and exc.value.ctx["file"] == "catalogue[1]"
    [proc] = check_update(current, [good])
    both = current.with_procedures([proc])
    assert both.versions(CODE) == [SHIPPED, OFFICE] and both.get(CODE).version == OFFICE
    assert both.get(CODE, SHIPPED).version == SHIPPED
    with pytest.raises(TaiChoError) as exc:
        both.get(CODE, 7)
    assert exc.value.code == "PROCEDURE_VERSION_UNKNOWN"
    assert isinstance(Catalogue([]), Catalogue)
