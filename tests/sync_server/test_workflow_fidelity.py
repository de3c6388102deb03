"""Workflow fidelity: national status codes, supplements restart the time limit, the
15:00 rule, and the station (not the tablet) owning history and ``received_by``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.workdays import VN_TZ, due_at, is_working_day, next_working_day, vn_now
from shared.workflow import Status, national_status_code
from sync_server.services.core.station import Station
from sync_server.services.setup import staff


def _act(client: TestClient, h: dict[str, str], did: str, action: str, reason: Any = None) -> Any:
    r = client.post(
        f"/v1/dossiers/{did}/actions", json={"action": action, "reason": reason}, headers=h
    )
    assert r.status_code == 200, r.text
    return r.json()


def _applied(tablet: Tablet, d: dict[str, Any]) -> None:
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["outcome"] == "applied", r.text


def _rejected(tablet: Tablet, d: dict[str, Any]) -> dict[str, Any]:
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200, r.text
    res = r.json()["results"][0]
    assert res["outcome"] == "rejected", res
    return dict(res["problem"])


def _past_working_day(min_back: int = 2) -> date:
    """A recent working day (the sample child was born 10 days ago; receipt comes after)."""
    day = vn_now().date() - timedelta(days=min_back)
    while not is_working_day(day):
        day -= timedelta(days=1)
    assert (vn_now().date() - day).days < 9
    return day


def _at(day: date, hh: int, mm: int = 0, ss: int = 0) -> str:
    return datetime.combine(day, time(hh, mm, ss), VN_TZ).isoformat()


def test_status_codes_in_the_dossier_json(client: TestClient, tablet: Tablet, as_user: Any) -> None:
    d = tablet.dossier()
    _applied(tablet, d)
    h = as_user("thamdinh")
    assert client.get(f"/v1/dossiers/{d['id']}", headers=h).json()["status_code"] == 2
    body = _act(client, h, d["id"], "refuse", "Không thuộc thẩm quyền")
    assert body["status"] == "refused" and body["status_code"] == 8  # Dừng xử lý
    [item] = client.get("/v1/dossiers?status=refused", headers=h).json()["items"]
    assert item["status_code"] == 8


def test_national_codes_for_intake_refusal_and_fees() -> None:
    assert national_status_code(Status.REFUSED) == 8
    assert national_status_code(Status.REFUSED, refused_at_intake=True) == 3
    assert national_status_code(Status.APPROVED, fee_due=True) == 6
    assert national_status_code(Status.STAMPED, fee_due=True) == 6
    assert national_status_code(Status.STAMPED) == 9
    assert national_status_code(Status.RETURNED, fee_due=True) == 10
    assert national_status_code(Status.SUPPLEMENT_REQUESTED) == 5


def test_received_at_three_pm_sharp_is_due_the_same_day(
    tablet: Tablet, client: TestClient, as_user: Any
) -> None:
    day = _past_working_day()
    sharp = tablet.dossier(received_at=_at(day, 15, 0, 0))
    _applied(tablet, sharp)
    late = tablet.dossier(received_at=_at(day, 15, 0, 1))
    _applied(tablet, late)
    h = as_user("thamdinh")
    got = client.get(f"/v1/dossiers/{sharp['id']}", headers=h).json()
    assert got["due_at"] == _at(day, 17)
    got = client.get(f"/v1/dossiers/{late['id']}", headers=h).json()
    assert got["due_at"] == _at(next_working_day(day), 17)


def test_supplement_restarts_the_time_limit(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    day = _past_working_day(3)
    d = tablet.dossier(received_at=_at(day, 9))
    _applied(tablet, d)
    h = as_user("thamdinh")
    first = client.get(f"/v1/dossiers/{d['id']}", headers=h).json()
    assert first["due_at"] == _at(day, 17)
    _act(client, h, d["id"], "request_supplement", "Thiếu giấy chứng sinh")
    back = vn_now().replace(microsecond=0)
    history = [
        *d["history"],
        {
            "action": "request_supplement",
            "from_status": "received",
            "to_status": "supplement_requested",
            "actor": "thamdinh",
            "role": "appraiser",
            "at": back.isoformat(),
            "reason": "x",
        },
        {
            "action": "supplement",
            "from_status": "supplement_requested",
            "to_status": "received",
            "actor": "tiepnhan",
            "role": "intake",
            "at": back.isoformat(),
            "reason": None,
        },
    ]
    again = {**d, "version": 3, "base_version": 2, "history": history}
    _applied(tablet, again)
    got = client.get(f"/v1/dossiers/{d['id']}", headers=h).json()
    assert got["due_at"] == due_at(back, 0).isoformat()
    assert got["due_at"] != first["due_at"]
    assert got["received_at"] == first["received_at"] and got["received_by"] == "tiepnhan"
    assert [x["action"] for x in got["history"]] == ["receive", "request_supplement", "supplement"]
    assert got["history"][-1]["at"] == back.isoformat()


def test_forged_history_from_a_tablet_never_appears(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = tablet.dossier()
    forged = {
        "action": "approve",
        "from_status": "appraised",
        "to_status": "approved",
        "actor": "lanhdao",
        "role": "leader",
        "at": d["received_at"],
        "reason": None,
    }
    d["history"] = [*d["history"], forged]
    _applied(tablet, d)
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("lanhdao")).json()
    assert [x["action"] for x in got["history"]] == ["receive"]
    assert got["history"][0]["actor"] == "tiepnhan" and got["status"] == "received"
    assert "approve" not in got["allowed_actions"]


def test_received_by_must_be_intake_staff_who_unlocked_this_tablet(
    client: TestClient, tablet: Tablet, station: Station
) -> None:
    with station.session() as db:
        staff.add_staff(db, username="binh", role="intake", pin="135790", full_name="Đỗ Văn Bình")
    # A leader, an unknown name, and intake staff who never unlocked this tablet.
    for who in ("lanhdao", "khongco", "binh"):
        p = _rejected(tablet, tablet.dossier(received_by=who))
        assert p["code"] == "REQUEST_INVALID" and p["field"] == "received_by"
    tablet.unlock("binh", "135790")
    _applied(tablet, tablet.dossier(received_by="binh"))
