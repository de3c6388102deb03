"""The lookup step (issue 17, section 1) and the rules a result needs before it is signed,
at the real station app: a khai sinh of married parents and a kết hôn of two Vietnamese
citizens are received complete without the papers the office may no longer ask for; each
carries a recorded lookup that the dossier's timeline shows; a lookup that found nothing
opens a verification, which holds acceptance and lengthens the due time only where the
law allows; a Giấy khai sinh is not signed without its số định danh cá nhân."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.checklist import every_component
from shared.procedures import sample_values
from shared.workdays import due_at, to_vn, vn_now
from shared.workflow import timeline
from sync_server.services.core.station import Station
from sync_server.services.setup.calendar import calendar_overrides

KS, KH = "1.001193", "1.000894"


def _received(tablet: Tablet, values: dict[str, Any], procedure: str) -> dict[str, Any]:
    d = tablet.dossier(values, procedure=procedure)
    d["components_received"] = every_component(procedure, values)
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied", r.text
    return d


def _lookups(client: TestClient, as_user: Any, did: str, who: str = "thamdinh") -> Any:
    r = client.get(f"/v1/dossiers/{did}/lookups", headers=as_user(who))
    assert r.status_code == 200, r.text
    return r.json()


def _record(client: TestClient, as_user: Any, did: str, who: str = "thamdinh", **body: Any) -> Any:
    return client.post(f"/v1/dossiers/{did}/lookups", json=body, headers=as_user(who))


def _act(client: TestClient, as_user: Any, did: str, action: str, who: str) -> Any:
    return client.post(f"/v1/dossiers/{did}/actions", json={"action": action}, headers=as_user(who))


def test_a_khai_sinh_of_married_parents_is_received_without_their_certificate(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    values = sample_values(KS, vn_now().date(), 4)
    assert values["parents_married"] is True
    assert not any(k.startswith("marriage_cert_") for k in values)
    ticks = every_component(KS, values)
    assert "marriage_certificate" not in ticks
    d = _received(tablet, values, KS)
    view = _lookups(client, as_user, d["id"])
    keys = [n["key"] for n in view["needs"]]
    assert keys[0] == "parents_marriage" and all(n["record"] is None for n in view["needs"])
    need = view["needs"][0]
    assert need["replaces"] == "Giấy chứng nhận kết hôn của cha, mẹ"
    assert need["databases"] == ["ho_tich", "dan_cu"]
    # the counter records it (intake may), the marriage found in the civil-status database
    r = _record(
        client,
        as_user,
        d["id"],
        "tiepnhan",
        key="parents_marriage",
        database="ho_tich",
        result="found",
        note="Giấy chứng nhận kết hôn số 12, quyển 01/2019",
    )
    assert r.status_code == 200, r.text
    rec = r.json()["needs"][0]["record"]
    assert (rec["by"], rec["result"], rec["database_name"]) == (
        "tiepnhan",
        "found",
        "Cơ sở dữ liệu hộ tịch điện tử",
    )
    assert rec["verification"] is None and rec["at"]
    # the timeline: under Thẩm định, who, when and what was found
    shown = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    stages = {s.key: s for s in timeline(shown["history"])}
    [step] = [s for s in stages["appraise"].steps if s.action == "record_lookup"]
    assert step.actor == "tiepnhan" and step.label() == "Ghi kết quả tra cứu"
    assert (
        step.reason is not None
        and step.reason.startswith("Tình trạng hôn nhân của cha, mẹ")
        and "Cơ sở dữ liệu hộ tịch điện tử: Có thông tin, khớp với tờ khai" in step.reason
    )
    assert not stages["appraise"].done  # a lookup does not finish the appraisal


def test_a_ket_hon_of_two_citizens_needs_no_marital_status_paper_and_a_verification_holds_it(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    values = sample_values(KH, vn_now().date(), 2)
    assert "marital_status" not in every_component(KH, values)
    d = _received(tablet, values, KH)
    view = _lookups(client, as_user, d["id"])
    keys = [n["key"] for n in view["needs"]]
    assert keys[:2] == ["marital_status:wife", "marital_status:husband"]
    assert "identity:wife" in keys and "identity:husband" in keys  # Nghị định 18/2026
    due_before = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()["due_at"]
    ok = _record(
        client, as_user, d["id"], key="marital_status:wife", database="dan_cu", result="found"
    )
    assert ok.status_code == 200, ok.text
    # nothing about the groom: a verification opens, with what was searched
    r = _record(
        client,
        as_user,
        d["id"],
        key="marital_status:husband",
        database="ho_tich",
        result="not_found",
        note="Không có dữ liệu đăng ký kết hôn, ly hôn",
    )
    assert r.status_code == 200, r.text
    [opened] = r.json()["open_verifications"]
    assert opened["verification"] == "open"
    # Luật Hộ tịch 2014, Điều 18 khoản 2: at most 05 working days when verifying
    shown = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    with station.session() as db:
        cal = calendar_overrides(db)
    received = to_vn(datetime.fromisoformat(shown["received_at"]))
    assert shown["due_at"] == due_at(received, 5, overrides=cal).isoformat(timespec="seconds")
    assert shown["due_at"] > due_before
    last = shown["history"][-1]
    assert last["action"] == "record_lookup" and "mở xác minh" in last["reason"]
    assert "05 ngày làm việc" in last["reason"]
    # the appraiser cannot accept while it is open
    assert _act(client, as_user, d["id"], "start_appraisal", "thamdinh").status_code == 200
    refused = _act(client, as_user, d["id"], "accept", "thamdinh")
    assert refused.status_code == 409 and refused.json()["code"] == "LOOKUPS_PENDING"
    assert "Tình trạng hôn nhân của bên nam" in refused.json()["message"]
    # closing needs an outcome, the clerk may not close it, the appraiser does
    url = f"/v1/dossiers/{d['id']}/lookups/{opened['id']}/close"
    empty = client.post(url, json={"note": "  "}, headers=as_user("thamdinh"))
    assert empty.status_code == 422 and empty.json()["code"] == "LOOKUP_INVALID"
    assert client.post(url, json={"note": "x"}, headers=as_user("vanthu")).status_code == 403
    done = client.post(
        url,
        json={"note": "UBND xã nơi cư trú trước xác nhận chưa kết hôn"},
        headers=as_user("thamdinh"),
    )
    assert done.status_code == 200 and done.json()["open_verifications"] == []
    again = client.post(url, json={"note": "lần nữa"}, headers=as_user("thamdinh"))
    assert again.status_code == 422 and again.json()["code"] == "LOOKUP_INVALID"
    assert _act(client, as_user, d["id"], "accept", "thamdinh").status_code == 200
    # after acceptance the lookup step is closed
    late = _record(client, as_user, d["id"], key="identity:wife", database="dan_cu", result="found")
    assert late.status_code == 409, late.text
    actions = [
        h["action"]
        for h in client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()[
            "history"
        ]
    ]
    assert actions.count("record_lookup") == 2 and "close_verification" in actions


def test_a_khai_sinh_verification_does_not_move_the_due_time(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    """No text lets a khai sinh's verification lengthen its same-day limit."""
    d = _received(tablet, sample_values(KS, vn_now().date(), 6), KS)
    before = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    r = _record(
        client,
        as_user,
        d["id"],
        key="parents_marriage",
        database="dan_cu",
        result="mismatch",
        note="Tên người cha khác trên cơ sở dữ liệu",
    )
    assert r.status_code == 200, r.text
    after = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert after["due_at"] == before["due_at"]
    assert "hạn trả" not in after["history"][-1]["reason"]


def test_bad_lookups_are_refused_with_the_field_at_fault(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = _received(tablet, sample_values(KS, vn_now().date(), 1), KS)
    cases = [
        ({"key": "marital_status:wife", "database": "ho_tich", "result": "found"}, "key"),
        ({"key": "parents_marriage", "database": "thue", "result": "found"}, "database"),
        ({"key": "parents_marriage", "database": "ho_tich", "result": "maybe"}, "result"),
        ({"key": "parents_marriage", "database": "ho_tich", "result": "not_found"}, "note"),
        ({"key": "identity:requester", "database": "ho_tich", "result": "found"}, "database"),
    ]
    for body, field in cases:
        r = _record(client, as_user, d["id"], **body)
        assert r.status_code == 422, (body, r.text)
        assert (r.json()["code"], r.json()["field"]) == ("LOOKUP_INVALID", field), body
    # a clerk or the leader records none; nothing was written by the refusals
    assert (
        _record(
            client,
            as_user,
            d["id"],
            "vanthu",
            key="parents_marriage",
            database="ho_tich",
            result="found",
        ).status_code
        == 403
    )
    assert _lookups(client, as_user, d["id"])["records"] == []


def test_a_giay_khai_sinh_is_not_signed_without_the_personal_identification_number(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    values = sample_values(KS, vn_now().date(), 3)
    assert "child_personal_id" not in values
    d = _received(tablet, values, KS)
    did = d["id"]
    for action, who in (("start_appraisal", "thamdinh"), ("accept", "thamdinh")):
        assert _act(client, as_user, did, action, who).status_code == 200
    refused = _act(client, as_user, did, "approve", "lanhdao")
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "PERSONAL_ID_MISSING"
    assert refused.json()["field"] == "child_personal_id"
    shown = client.get(f"/v1/dossiers/{did}", headers=as_user("thamdinh")).json()
    assert shown["status"] == "appraised" and not shown["has_result"]
    number = values["mother_id_number"][:3] + ("3" if values["child_sex"] == "nu" else "2")
    number += values["child_birth_date"][2:4] + "004211"
    r = client.put(
        f"/v1/dossiers/{did}/child-personal-id",
        json={"child_personal_id": number},
        headers=as_user("thamdinh"),
    )
    assert r.status_code == 200, r.text
    assert _act(client, as_user, did, "approve", "lanhdao").status_code == 200


def test_a_paper_that_does_not_apply_is_refused_at_the_station(tablet: Tablet) -> None:
    values = sample_values(KS, vn_now().date(), 2)
    d = tablet.dossier(values)
    d["components_received"] = [*every_component(KS, values), "marriage_certificate"]
    [result] = tablet.push([tablet.change(d)]).json()["results"]
    assert result["outcome"] == "rejected"
    assert result["problem"]["code"] == "COMPONENT_NOT_APPLICABLE"
    assert "Giấy chứng nhận kết hôn của cha, mẹ" in result["problem"]["message"]


def test_extension_days_of_a_copy_certification_move_the_due_time(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station
) -> None:
    """Nghị định 23/2015/NĐ-CP, Điều 7: at most 02 more working days, with a phiếu hẹn."""
    values = {**sample_values("2.000815", vn_now().date(), 1), "extension_days": 2}
    d = _received(tablet, values, "2.000815")
    shown = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    with station.session() as db:
        cal = calendar_overrides(db)
    received = to_vn(datetime.fromisoformat(shown["received_at"]))
    assert shown["due_at"] == due_at(received, 2, overrides=cal).isoformat(timespec="seconds")
    assert datetime.fromisoformat(shown["due_at"]) - received > timedelta(days=1)
    receipt = client.get(f"/v1/dossiers/{d['id']}/receipt.pdf", headers=as_user("tiepnhan"))
    assert receipt.status_code == 200
    too_long = {**values, "extension_days": 3}
    d2 = tablet.dossier(too_long, procedure="2.000815")
    [result] = tablet.push([tablet.change(d2)]).json()["results"]
    assert result["outcome"] == "rejected"
