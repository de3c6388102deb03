"""The desk shows and records the lookup step (issue 17, section 1) — state driven as the
screens drive it, over a real station in process: a khai sinh of married parents carries
the lookup that replaced their marriage certificate, the desk records it, and the
dossier's timeline and the "Tra cứu thay giấy tờ" card show who found what, where."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from shared.checklist import every_component
from shared.procedures import sample_values
from shared.views import LookupsView
from shared.workdays import vn_now
from sync_server.desk import views
from sync_server.desk.backend import DeskBackend
from sync_server.desk.screens.lookups import lookups_card
from tests.desk.conftest import enrolled_tablet, signed_in, texts_of

KS = "1.001193"


@pytest.fixture
def dossier_id(client: TestClient, backend: DeskBackend) -> str:
    tablet = enrolled_tablet(client, backend)
    values = sample_values(KS, vn_now().date(), 8)
    d = tablet.dossier(values)
    d["components_received"] = every_component(KS, values)
    assert "marriage_certificate" not in d["components_received"]
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    return str(d["id"])


def test_the_desk_records_a_lookup_and_the_timeline_shows_it(
    backend: DeskBackend, dossier_id: str
) -> None:
    s = signed_in(backend, "thamdinh", "234567")
    asyncio.run(s.open_dossier(dossier_id))
    assert s.opened.detail is not None
    assert isinstance(s.opened.lookups, LookupsView)  # the typed view the API encodes
    [first, *_] = s.opened.lookups.needs
    assert first.need.key == "parents_marriage" and first.record is None
    shown = texts_of(lookups_card(s, replace(s.opened.lookups, may_record=False)))
    assert "Tra cứu thay giấy tờ" in shown and "Chưa tra cứu." in shown
    assert any(t.startswith("Thay cho: Giấy chứng nhận kết hôn của cha, mẹ") for t in shown)
    # nothing found without saying what was searched: refused under the form, nothing kept
    assert not asyncio.run(s.record_lookup("parents_marriage", "ho_tich", "not_found", ""))
    assert "ghi rõ đã tra cứu gì" in s.field_errors["lookup:parents_marriage"]
    assert s.opened.lookups is not None and s.opened.lookups.records == []
    assert asyncio.run(
        s.record_lookup("parents_marriage", "ho_tich", "found", "GCNKH số 12, quyển 01/2019")
    )
    assert s.banner == "" or "tra cứu" in s.banner.lower()
    assert s.opened.lookups is not None
    rec = s.opened.lookups.needs[0].record
    assert rec is not None and (rec.by, rec.database) == ("thamdinh", "ho_tich")
    assert rec.to_dict()["database_name"] == "Cơ sở dữ liệu hộ tịch điện tử"
    # the timeline, as the desk draws it: under Thẩm định, with what was found
    stages = {st.name: st for st in views.timeline(s.opened.detail.dossier.history)}
    [step] = [x for x in stages["Thẩm định"].steps if x.label == "Ghi kết quả tra cứu"]
    assert step.who.startswith("thamdinh")
    assert "Cơ sở dữ liệu hộ tịch điện tử: Có thông tin, khớp với tờ khai" in step.reason
    # (the forms are components a page renders; here the read-only card is enough)
    card = texts_of(lookups_card(s, replace(s.opened.lookups, may_record=False)))
    assert any("Cơ sở dữ liệu hộ tịch điện tử: Có thông tin" in t for t in card)
    assert "Ghi chú: GCNKH số 12, quyển 01/2019" in card


def test_a_clerk_sees_the_lookups_but_records_none(backend: DeskBackend, dossier_id: str) -> None:
    s = signed_in(backend, "vanthu", "456789")
    asyncio.run(s.open_dossier(dossier_id))
    assert s.opened.detail is not None and s.opened.lookups is not None and s.opened.lookups.needs
    assert not asyncio.run(s.record_lookup("parents_marriage", "ho_tich", "found", ""))
    assert "Văn thư" in s.banner
    shown = texts_of(lookups_card(s, s.opened.lookups))
    assert "Tra cứu thay giấy tờ" in shown  # the card, without a form to fill
