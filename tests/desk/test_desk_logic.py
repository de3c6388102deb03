"""The desk without a browser: queue rules, dossier views, session state over a real station.

The state is driven as the screens drive it (its async methods, run to completion), on a
real data dir, real SQLite and real crypto, through the in-process FastAPI app.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.errors import TaiChoError
from shared.model import HistoryEntry
from shared.procedures import builtin
from shared.views import DossierRow
from shared.workdays import VN_TZ
from shared.workflow import STATUS_LABEL_VI, Action, Role, Status
from sync_server.app import create_app
from sync_server.config import limits
from sync_server.desk import queue as qv
from sync_server.desk import views
from sync_server.desk.app import station_base_url
from sync_server.desk.backend import DeskBackend
from sync_server.desk.state import ROUTE_DOSSIER, ROUTE_LOGIN, ROUTE_QUEUE, ROUTE_STAFF, DeskState
from sync_server.services.admin import demo
from sync_server.services.office import actions
from sync_server.services.setup import staff as staff_service
from tests.desk.conftest import enrolled_tablet, run, signed_in

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=VN_TZ)


def row(code: str, due: str | None, status: Status = Status.RECEIVED, **kw: Any) -> DossierRow:
    return DossierRow(
        id=code,
        code=code,
        procedure=kw.get("procedure", "1.001193"),
        procedure_name="Đăng ký khai sinh",
        status=status,
        status_label=STATUS_LABEL_VI[status],
        status_code=None,
        title=kw.get("title", "Nguyễn Văn An"),
        received_at=None,
        due_at=due,
        version=1,
        device_id="dev-1",
        allowed_actions=[],
    )


# --- pure queue rules ---


def test_fold_ignores_accents_case_and_d_stroke() -> None:
    assert qv.fold("  Đặng  Quốc PHÚC ") == "dang quoc phuc"
    assert qv.fold("Nguyễn Thị Ánh") == qv.fold("nguyen thi anh")


def test_urgency_overdue_today_and_finished() -> None:
    assert qv.urgency(row("a", "2026-11-27T09:00:00+07:00"), NOW) == qv.OVERDUE
    assert qv.urgency(row("b", "2026-11-27T17:00:00+07:00"), NOW) == qv.DUE_TODAY
    assert qv.urgency(row("c", "2026-11-28T17:00:00+07:00"), NOW) == ""
    assert qv.urgency(row("d", "2026-11-20T17:00:00+07:00", Status.RETURNED), NOW) == ""
    assert qv.urgency(row("e", None), NOW) == ""
    # an instant written in UTC is compared as the same instant
    assert qv.urgency(row("f", "2026-11-27T02:30:00+00:00"), NOW) == qv.OVERDUE


def test_select_sorts_by_due_and_filters() -> None:
    rows = [
        row("late", "2026-11-30T17:00:00+07:00", title="Trần Bình"),
        row("none", None),
        row("early", "2026-11-26T17:00:00+07:00", Status.APPRAISING, title="Lê Đức"),
        row("other", "2026-11-25T17:00:00+07:00", procedure="1.000656"),
        row("approved", "2026-11-20T17:00:00+07:00", Status.APPROVED),
    ]
    got = [r.code for r in qv.select(rows, tab="appraise")]
    assert got == ["other", "early", "late", "none"]
    assert [r.code for r in qv.select(rows, tab="appraise", procedure="1.001193")] == [
        "early",
        "late",
        "none",
    ]
    assert [r.code for r in qv.select(rows, tab="appraise", status="appraising")] == ["early"]
    assert [r.code for r in qv.select(rows, tab="appraise", query="le duc")] == ["early"]
    assert [r.code for r in qv.select(rows, tab="stamp")] == ["approved"]
    counts = qv.counts(rows)
    assert counts["appraise"] == 4 and counts["stamp"] == 1 and counts["all"] == 5


def test_each_role_opens_on_its_own_queue() -> None:
    assert qv.default_tab(Role.APPRAISER) == "appraise"
    assert qv.default_tab(Role.LEADER) == "approve"
    assert qv.default_tab(Role.CLERK) == "stamp"
    assert qv.default_tab(Role.INTAKE) == "return"
    assert qv.default_tab(Role.ADMIN) == "all"


def test_views_label_sections_and_build_the_timeline() -> None:
    proc = builtin().get("1.001193")
    secs = views.sections({"child_full_name": "Lê An", "child_sex": "nu"}, proc)
    flat = {label: value for _, rows in secs for label, value in rows}
    assert "Lê An" in flat.values() and "Nữ" in flat.values()
    entries = [
        HistoryEntry(
            Action.RECEIVE, "draft", "received", "tiepnhan", "intake", "2026-11-27T08:00:00+07:00"
        ),
        HistoryEntry(
            Action.REQUEST_SUPPLEMENT,
            "received",
            "supplement_requested",
            "thamdinh",
            "appraiser",
            "2026-11-27T09:00:00+07:00",
            "Thiếu giấy chứng sinh",
        ),
    ]
    history = [h.to_dict() for h in entries]
    stages = views.timeline(entries)
    assert [s.name for s in stages] == [
        "Tiếp nhận",
        "Thẩm định",
        "Phê duyệt",
        "Đóng dấu",
        "Trả kết quả",
    ]
    assert [s.done for s in stages] == [True, True, False, False, False]
    assert stages[1].steps[0].reason == "Thiếu giấy chứng sinh"
    assert stages[1].steps[0].at == "09:00 27/11/2026"
    assert views.when("2026-11-27T02:30:00+00:00") == "09:30 27/11/2026"  # shown in VN time
    # The tablet shows the same five stages with the same steps (shared.workflow.timeline).
    from mobile.state.fmt import timeline as tablet_timeline

    tablet = tablet_timeline(history)
    assert [(t.name, t.done, t.skipped) for t in tablet] == [
        (d.name, d.done, d.skipped) for d in stages
    ]
    assert [[(x.action, x.who, x.reason) for x in t.steps] for t in tablet] == [
        [(x.label, x.who, x.reason) for x in d.steps] for d in stages
    ]
    assert views.supplement_reason("Ảnh mờ", ["CCCD", " "]) == "Ảnh mờ. Cần bổ sung: CCCD"
    assert views.supplement_reason("", ["CCCD"]) == "Cần bổ sung: CCCD"


def test_station_url_from_the_page_url() -> None:
    assert station_base_url("ws://127.0.0.1:8765/desk/ws") == "http://127.0.0.1:8765"
    assert station_base_url("https://ubnd.example/desk/") == "https://ubnd.example"
    assert station_base_url(None) == ""


# --- the state over a real station ---


@pytest.fixture
def dossier_id(client: TestClient, backend: DeskBackend) -> str:
    tablet = enrolled_tablet(client, backend)
    d = tablet.dossier()
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    return str(d["id"])


def test_desk_sign_in_is_braked_per_address(
    backend: DeskBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22 §3: 8 wrong PINs from one browser were all checked. Now the desk shares
    the API's per-address brake: of a parallel burst at most 3 are checked, the rest are
    refused with RATE_LIMITED before any PIN work, and no account gets locked."""
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0")

    def guess(i: int) -> str:
        try:
            backend.login(("thamdinh", "lanhdao")[i % 2], f"{900001 + i}")
        except TaiChoError as err:
            return err.code
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = Counter(pool.map(guess, range(8)))
    assert codes["AUTH_FAILED"] <= 3 and codes["RATE_LIMITED"] >= 5, codes
    with backend.station.session() as db:
        assert not [s for s in staff_service.list_staff(db) if s["locked_until"]]
    s = DeskState(backend)  # the same browser: braked, even with a right PIN
    assert not run(s.login("thamdinh", "234567"))
    assert "đợi" in s.field_errors["pin"]
    other = DeskState(backend, client="192.0.2.9")  # another desk is not
    assert run(other.login("thamdinh", "234567")), other.field_errors


def test_login_wrong_pin_then_lockout_then_admin_unlocks(
    backend: DeskBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The account lock alone: lift the per-address brake (tested below) and its delays.
    monkeypatch.setenv("TAICHO_AUTH_CLIENT_FAILURES", "1000")
    monkeypatch.setenv("TAICHO_PIN_DELAY_SCALE", "0")
    s = DeskState(backend)
    assert not run(s.login("", ""))
    assert set(s.field_errors) == {"username", "pin"}
    for _ in range(4):
        assert not run(s.login("thamdinh", "000000"))
        assert "không đúng" in s.field_errors["pin"]  # same answer for locked: no probing
    assert not run(s.login("thamdinh", "000000"))
    assert not run(s.login("thamdinh", "234567"))  # locked even with the right PIN
    assert "tạm khoá" in s.field_errors["pin"]
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin("staff"))
    locked = next(x for x in admin.admin.staff if x["username"] == "thamdinh")
    assert locked["locked_until"]
    assert run(admin.unlock_staff("thamdinh")) and admin.banner_ok
    assert run(s.login("thamdinh", "234567"))
    assert s.current_route() == ROUTE_QUEUE and s.queue.tab == "appraise"


def test_queue_and_actions_follow_the_roles(backend: DeskBackend, dossier_id: str) -> None:
    leader = signed_in(backend, "lanhdao", "345678")
    assert (
        leader.queue.counts()["appraise"] == 1 and leader.queue.visible() == []
    )  # approve tab empty
    run(leader.open_dossier(dossier_id))
    assert leader.current_route() == ROUTE_DOSSIER
    assert leader.opened.detail is not None and leader.opened.detail.row.allowed_actions == []
    assert not run(leader.act("accept"))
    assert "không được phép" in leader.opened.dialog_error

    appraiser = signed_in(backend, "thamdinh", "234567")
    assert [r.id for r in appraiser.queue.visible()] == [dossier_id]
    run(appraiser.open_dossier(dossier_id))
    appraiser.opened.open_dialog("request_supplement")
    assert not run(appraiser.act("request_supplement", reason="  "))
    assert appraiser.opened.dialog == "request_supplement" and appraiser.opened.dialog_error
    assert run(appraiser.act("request_supplement", reason="Ảnh mờ", missing=["Giấy chứng sinh"]))
    assert appraiser.opened.dialog == "" and appraiser.opened.detail is not None
    assert appraiser.opened.detail.row.status == "supplement_requested"
    assert (
        appraiser.opened.detail.dossier.history[-1].reason == "Ảnh mờ. Cần bổ sung: Giấy chứng sinh"
    )
    assert appraiser.queue.counts()["supplement"] == 1

    # a rating goes with a return only
    assert not run(appraiser.act("refuse", reason="Sai thủ tục", rating="satisfied"))
    assert appraiser.opened.dialog_error


def _stamped_at_the_desk(backend: DeskBackend, dossier_id: str) -> DeskState:
    """Accepted, approved and stamped at the desk, each by its role; the clerk's session."""
    for who, pin, action in (
        ("thamdinh", "234567", "accept"),
        ("lanhdao", "345678", "approve"),
        ("vanthu", "456789", "stamp"),
    ):
        s = signed_in(backend, who, pin)
        run(s.open_dossier(dossier_id))
        assert run(s.act(action)), s.opened.dialog_error
    return s


def test_rating_is_recorded_with_the_return(backend: DeskBackend, dossier_id: str) -> None:
    s = _stamped_at_the_desk(backend, dossier_id)
    assert s.opened.result_url.startswith("/desk-files/result/")
    intake = signed_in(backend, "tiepnhan", "123456")
    run(intake.open_dossier(dossier_id))
    assert not run(intake.act("return", rating="great"))
    assert run(intake.act("return", rating="unsatisfied", comment="Chờ lâu"))
    assert intake.opened.detail is not None and intake.opened.detail.row.status == "returned"
    assert (
        intake.opened.detail.rating is not None
        and intake.opened.detail.rating.label == "Không hài lòng"
    )
    st = backend.station
    with st.session() as db:
        rated = actions.rating_of(db, st.keys, dossier_id)
    assert rated is not None and rated.comment == "Chờ lâu"
    assert rated.recorded_by == "tiepnhan"


def test_result_link_serves_the_pdf_to_a_signed_in_person(
    client: TestClient, backend: DeskBackend, dossier_id: str
) -> None:
    s = _stamped_at_the_desk(backend, dossier_id)
    r = client.get(s.opened.result_url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get("/desk-files/result/not-a-ticket").status_code == 404
    # A disabled account's links stop working at once.
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin("staff"))
    assert run(admin.set_active("vanthu", False))
    assert client.get(s.opened.result_url).status_code == 401


def test_admin_pages_are_for_admins(backend: DeskBackend) -> None:
    clerk = signed_in(backend, "vanthu", "456789")
    run(clerk.open_admin("staff"))
    assert clerk.current_route() == ROUTE_QUEUE and clerk.admin.staff == []
    with pytest.raises(TaiChoError) as err:
        backend.staff_list(clerk.user)  # type: ignore[arg-type]
    assert err.value.code == "ROLE_NOT_ALLOWED"


def test_the_admin_lands_on_staff_and_reads_no_dossier(
    backend: DeskBackend, dossier_id: str
) -> None:
    """Issue 19: the admin had an "all" queue with citizens' names and could open any
    dossier. Now the queue and the dossier are not the admin's pages, and the backend
    refuses them whatever the screen asks."""
    admin = signed_in(backend, "quantri", "567890")
    assert admin.current_route() == ROUTE_STAFF and admin.admin.staff and admin.queue.rows == []
    assert not admin.may(ROUTE_QUEUE) and not admin.may(ROUTE_DOSSIER)
    admin.go(ROUTE_QUEUE)  # forced: the guard sends it home
    assert admin.current_route() == ROUTE_STAFF
    run(admin.refresh())
    assert admin.queue.rows == []
    run(admin.open_dossier(dossier_id))
    assert admin.opened.detail is None and admin.current_route() == ROUTE_STAFF
    assert "Quản trị không được phép 'Xem hồ sơ" in admin.banner
    clerk = signed_in(backend, "vanthu", "456789")
    assert clerk.current_route() == ROUTE_QUEUE and [r.id for r in clerk.queue.rows] == [dossier_id]


def test_admin_manages_staff_and_tablets(backend: DeskBackend) -> None:
    admin = signed_in(backend, "quantri", "567890")
    run(admin.open_admin("staff"))
    assert not run(admin.add_staff("x", "", "", "intake", "246810"))  # username too short
    assert "username" in admin.field_errors
    assert run(admin.add_staff("Thu.Ha", "Trần Thu Hà", "Công chức", "intake", "246810"))
    assert any(x["username"] == "thu.ha" for x in admin.admin.staff)
    assert run(admin.set_role("thu.ha", "appraiser"))
    for guessable in ("987654", "000000", "121212"):  # issue 22 §3: refused when set
        assert not run(admin.reset_pin("thu.ha", guessable))
        assert "dễ đoán" in admin.banner + str(admin.field_errors)
    assert not run(admin.add_staff("an.le", "Lê An", "", "intake", "123456"))
    assert "dễ đoán" in admin.banner + str(admin.field_errors)
    assert run(admin.reset_pin("thu.ha", "739184"))
    new = signed_in(backend, "thu.ha", "739184")
    assert new.user is not None and new.user.role is Role.APPRAISER
    assert run(admin.set_active("thu.ha", False))
    run(new.refresh())  # the next call of a disabled account signs it out
    assert new.current_route() == ROUTE_LOGIN and new.user is None
    assert not run(admin.set_active("quantri", False))  # not yourself

    run(admin.open_admin("tablets"))
    assert run(admin.new_enroll_code())
    assert admin.admin.ticket is not None and admin.admin.ticket.qr_png.startswith(b"\x89PNG")
    expires = admin.admin.ticket.expires_at - datetime.now(admin.admin.ticket.expires_at.tzinfo)
    ttl = limits().enroll_code_ttl
    assert ttl - timedelta(minutes=1) < expires <= ttl

    run(admin.open_admin("unit"))
    assert admin.admin.unit["code"] == demo.DEMO_UNIT["code"]
    assert run(admin.save_unit({**admin.admin.unit, "name": "UBND xã Lai Vung"}))
    assert admin.admin.unit["name"] == "UBND xã Lai Vung"


def test_station_serves_desk_docs_and_root(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/desk/"
    page = client.get("/desk/")
    assert page.status_code == 200 and '<base href="/desk/">' in page.text
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert client.get("/openapi.json").status_code == 200


def test_without_the_desk_root_leads_to_the_docs(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "s")) as c:
        r = c.get("/", follow_redirects=False)
        assert r.headers["location"] == "/docs"
        assert c.get("/desk/").status_code == 404
