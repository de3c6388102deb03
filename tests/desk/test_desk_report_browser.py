"""The report page in headless Chromium, against a real station, as a leader uses it.

Dossier histories of the last days are written into the running station's database
through the station's own store and audit chain (one overdue, some same-day, one late,
ratings); the leader signs in, opens "Báo cáo", types a custom period key by key, and
must see the figures of ``GET /v1/reports/summary`` for that period, the three charts
(found by the semantics labels the page gives them) and the overdue dossier listed.
Screenshots at the office-PC and counter-tablet sizes go to the artefacts folder.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.codes import make_code
from shared.model import Dossier
from shared.workdays import VN_TZ, due_at, is_working_day, vn_now
from shared.workflow import Status
from sync_server.launcher import RunningStation
from sync_server.services.core import audit
from sync_server.services.core.station import get_unit
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.opening import open_station
from sync_server.services.reports import reports
from sync_server.store import devices
from sync_server.store import reports as reports_q
from sync_server.store.db import transaction
from tests.browser_kit import LEADER
from tests.desk.test_desk_browser import click_to, shot, sign_in, type_into
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
PROCEDURE = "1.001193"  # same-day procedure: due 17:00 on the day of receipt
CHARTS = (
    "Biểu đồ: trước hạn, đúng hạn, quá hạn theo tuần",
    "Biểu đồ: mức độ hài lòng theo tháng",
    "Biểu đồ: xu hướng tỷ lệ nhận và trả trong ngày",
)


def _working_days_back(n: int) -> list[date]:
    """The last ``n`` working days before today, oldest first."""
    out: list[date] = []
    d = vn_now().date()
    while len(out) < n:
        d -= timedelta(days=1)
        if is_working_day(d):
            out.append(d)
    return out[::-1]


def _seed(station: RunningStation) -> str:
    """A week of histories; returns the code of the dossier left overdue."""
    st = open_station(station.data)
    keys = st.keys
    with st.session() as db:
        unit = (get_unit(db) or {}).get("code") or "000.31.22.H20"
        device_id = str(uuid.uuid4())
        with transaction(db):
            devices.insert(
                db,
                device_id=device_id,
                name="báo cáo",
                slot=97,
                x_pub="-",
                ed_pub="-",
                escrow="-",
                enrolled_at=vn_now().isoformat(timespec="seconds"),
            )
        overdue = ""
        for i, day in enumerate(_working_days_back(5)):
            for j, (minutes_to_result, returned, rating) in enumerate(
                ((60, True, "very_satisfied"), (90, True, "satisfied"), (None, False, None))
            ):
                rec = datetime(day.year, day.month, day.day, 8, 0, tzinfo=VN_TZ) + timedelta(
                    minutes=30 * j
                )
                d = Dossier(
                    id=str(uuid.uuid4()),
                    code=make_code(unit, day, 9700 + j + 1),
                    procedure=PROCEDURE,
                    procedure_version=1,
                    values={},
                    status=Status.RECEIVED,
                    version=1,
                    base_version=0,
                    device_id=device_id,
                    received_by="tiepnhan",
                    received_at=rec.isoformat(timespec="seconds"),
                    due_at=due_at(rec, 0).isoformat(timespec="seconds"),
                )

                def act(action: str, when: datetime, did: str = d.id) -> None:
                    audit.append(
                        db,
                        keys,
                        action=action,
                        actor="x",
                        at=when.isoformat(timespec="seconds"),
                        dossier_id=did,
                        device_id=device_id,
                    )

                with transaction(db):
                    dossier_store.save(db, keys, d)
                    reports_q.set_channel(db, d.id, "home_visit" if j == 1 else "counter")
                    act("receive", rec)
                    if minutes_to_result is None:
                        if i == 0:
                            overdue = d.code  # left open: overdue since 17:00 that day
                            continue
                        done = rec + timedelta(hours=10)  # late: the next morning
                    else:
                        done = rec + timedelta(minutes=minutes_to_result)
                    for k, action in enumerate(("accept", "approve", "stamp")):
                        act(action, done - timedelta(minutes=2 - k))
                    if returned:
                        act("return", done + timedelta(minutes=10))
                    if rating:
                        reports.record_rating(
                            db,
                            keys,
                            dossier_id=d.id,
                            level=rating,
                            comment="Nhanh, chu đáo" if i == 1 and j == 0 else None,
                            actor="tiepnhan",
                            at=(done + timedelta(minutes=11)).isoformat(timespec="seconds"),
                        )
    return overdue


def _summary_json(station: RunningStation, start: str, end: str) -> dict[str, Any]:
    with httpx.Client(base_url=station.url, timeout=30) as c:
        r = c.post("/v1/auth/token", json={"username": LEADER[0], "pin": LEADER[1]})
        token = r.json()["access_token"]
        r = c.get(
            "/v1/reports/summary",
            params={"from": start, "to": end},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out


def _scroll(page: Any, dy: int) -> None:
    page.mouse.move(683, 600)
    page.mouse.wheel(0, dy)


@pytest.mark.timeout(600)
def test_leader_reads_the_report_with_its_charts(
    page: Any, station: RunningStation, shots: Path
) -> None:
    overdue = _seed(station)
    today = vn_now().date()
    start, end = (today - timedelta(days=20)).isoformat(), today.isoformat()

    sign_in(page, LEADER)
    click_to(page, re.compile(r"^Báo cáo$"), "Báo cáo kết quả giải quyết thủ tục hành chính")
    fd.wait_text(page, "Tháng")
    shot(page, shots, "00-report-this-month-1366")
    click_to(page, "Tùy chọn", "Từ ngày (năm-tháng-ngày)")
    for label, value in (("Từ ngày (năm-tháng-ngày)", start), ("Đến ngày (năm-tháng-ngày)", end)):
        type_into(page, label, value)
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    label = f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"
    click_to(page, "Xem báo cáo", label)

    data = _summary_json(station, start, end)
    want = data["page"]
    assert want["period"] == label
    text = fd.wait_text(page, overdue)  # the overdue dossier is listed
    for tile in want["tiles"]:
        assert tile["label"] in text and tile["value"] in text, tile
    s = data["summary"]
    assert s["received"]["total"] >= 15 and s["in_progress"]["overdue"] >= 1
    assert s["resolved"]["late"] >= 4 and s["satisfaction"]["total"] >= 10
    for row in want["procedures"]:
        assert row["name"] in text and str(row["received"]) in text
    for name in CHARTS:
        assert name in text, name
    shot(page, shots, "01-report-top-1366")
    _scroll(page, 700)
    shot(page, shots, "02-report-charts-1366")
    _scroll(page, 900)
    fd.wait_text(page, f"Hồ sơ đang quá hạn ({s['in_progress']['overdue']})")
    shot(page, shots, "03-report-overdue-1366")

    # The counter tablet's screen: the same page must still fit.
    page.set_viewport_size({"width": 1280, "height": 800})
    _scroll(page, -3000)
    fd.wait_text(page, "Tải PDF")
    shot(page, shots, "04-report-top-1280")
    _scroll(page, 650)
    shot(page, shots, "05-report-charts-1280")
