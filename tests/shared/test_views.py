"""The station's views are declared once (shared.views) and keep the API's JSON keys; a
problem answer reads back into our own error (shared.messages.Problem.error)."""

from __future__ import annotations

import json

from shared import messages as m
from shared.errors import TaiChoError, problem
from shared.model import Dossier, HistoryEntry
from shared.views import Apology, ApologyView, DossierList, DossierRow, DossierView, Rating
from shared.workflow import STATION_ACTIONS, TRANSITIONS, Action, Role, Status, allowed_actions

# The keys GET /v1/dossiers answered before the views were declared (docs/sync-protocol.md).
ROW_KEYS = [
    "id",
    "code",
    "procedure",
    "procedure_name",
    "status",
    "status_label",
    "status_code",
    "title",
    "received_at",
    "due_at",
    "version",
    "device_id",
    "allowed_actions",
]


def _dossier() -> Dossier:
    return Dossier(
        id="d-1",
        code="30316-261127-0001",
        procedure="1.001193",
        procedure_version=1,
        values={"child_full_name": "Nguyễn Văn An"},
        status=Status.APPRAISING,
        version=3,
        base_version=0,
        device_id="dev-1",
        received_by="tiepnhan",
        received_at="2026-11-27T08:00:00+07:00",
        due_at=None,
        history=[
            HistoryEntry(Action.RECEIVE, "draft", "received", "tiepnhan", "intake", "2026-11-27"),
        ],
    )


def _row(d: Dossier) -> DossierRow:
    return DossierRow(
        id=d.id,
        code=d.code,
        procedure=d.procedure,
        procedure_name="Đăng ký khai sinh",
        status=d.status,
        status_label="Đang thẩm định",
        status_code=4,
        title="Nguyễn Văn An",
        received_at=d.received_at,
        due_at=d.due_at,
        version=d.version,
        device_id=d.device_id,
        allowed_actions=[Action.ACCEPT, Action.REFUSE],
    )


def test_a_queue_line_keeps_its_keys_and_values() -> None:
    out = _row(_dossier()).to_dict()
    assert list(out) == ROW_KEYS
    assert out["status"] == "appraising" and out["allowed_actions"] == ["accept", "refuse"]
    assert out["due_at"] is None and out["status_code"] == 4  # null values stay on the wire
    assert DossierList([_row(_dossier())]).to_dict() == {"items": [out]}


def test_a_dossier_view_is_the_dossier_then_its_line_then_has_result() -> None:
    d = _dossier()
    out = DossierView(d, _row(d), has_result=False).to_dict()
    extra = [k for k in ROW_KEYS if k not in d.to_dict()]
    assert list(out) == [*d.to_dict(), *extra, "has_result"]
    assert out["values"] == {"child_full_name": "Nguyễn Văn An"} and out["has_result"] is False
    assert "rating" not in out  # only the desk asks for it
    json.dumps(out)  # plain JSON all through
    rated = DossierView(d, _row(d), True, Rating("satisfied", "Hài lòng", None, "a", "t"))
    assert rated.to_dict()["rating"] == {
        "rating": "satisfied",
        "label": "Hài lòng",
        "comment": None,
        "recorded_by": "a",
        "recorded_at": "t",
    }


def test_an_apology_answer_adds_the_apology_to_the_view() -> None:
    d = _dossier()
    view = DossierView(d, _row(d), False)
    out = ApologyView(view, Apology("2026-12-01T17:00:00+07:00", None, "Chờ xác minh")).to_dict()
    assert list(out) == [*view.to_dict(), "apology"]
    assert out["apology"] == {
        "new_due_at": "2026-12-01T17:00:00+07:00",
        "previous_due_at": None,
        "reason": "Chờ xác minh",
    }


def test_actions_are_an_enum_read_as_their_names() -> None:
    assert {t.action for t in TRANSITIONS.values()} <= set(Action)
    assert set(Action) >= STATION_ACTIONS
    offered = allowed_actions(Status.RECEIVED, Role.APPRAISER)
    assert offered and all(isinstance(a, Action) for a in offered)
    assert TRANSITIONS["accept"].action is Action.ACCEPT  # looked up by the wire's string
    entry = HistoryEntry.from_dict(
        {
            "action": "apologize",
            "from_status": "stamped",
            "to_status": "stamped",
            "actor": "a",
            "role": "leader",
            "at": "t",
        }
    )
    assert entry.action is Action.APOLOGIZE
    bad = {**entry.to_dict(), "action": "teleport"}
    try:
        HistoryEntry.from_dict(bad)
    except TaiChoError as err:
        assert err.code == "REQUEST_INVALID" and err.field == "history.action"
    else:
        raise AssertionError("an unknown action was accepted")


def test_a_problem_answer_reads_back_into_our_error() -> None:
    err = problem("SYNC_OUT_OF_ORDER", "seq", expected=7, got=9)
    back = m.decode(m.Problem, err.to_problem()).error()
    assert (back.code, back.field, back.ctx) == (
        "SYNC_OUT_OF_ORDER",
        "seq",
        {"expected": 7, "got": 9},
    )
    assert back.message("en") == err.message("en") and back.message("vi") == err.message("vi")
    revoked = m.decode(m.Problem, {**problem("DEVICE_REVOKED").to_problem(), "wipe": True})
    assert revoked.error().ctx.get("wipe") is True
    unknown = m.Problem("NO_SUCH_CODE", None, "x", "x").error()
    assert unknown.code == "STATION_ERROR"


def test_the_date_line_is_written_once() -> None:
    """Nghị định 30/2020/NĐ-CP, Phụ lục I: the place-and-date line; every document uses
    ``shared.documents.official`` (the papers, results, the declaration, the report)."""
    import datetime
    from pathlib import Path

    from shared.documents.official import date_line, place_date_line

    day = datetime.date(2026, 1, 5)
    assert date_line(day) == "ngày 05 tháng 01 năm 2026"
    assert place_date_line("Lai Vung", datetime.date(2026, 11, 25)) == (
        "Lai Vung, ngày 25 tháng 11 năm 2026"
    )
    root = Path(__file__).resolve().parents[2]
    spelled = [
        str(p.relative_to(root))
        for p in (root / "shared").rglob("*.py")
        if "tháng {" in p.read_text(encoding="utf-8") and p.name != "numwords.py"
    ]
    assert spelled == ["shared/documents/official.py"]


def test_the_lookup_step_is_a_typed_view_with_the_apis_keys() -> None:
    """shared.views.LookupsView: what GET /v1/dossiers/{id}/lookups answers and the desk
    reads — each need with its latest record, every record, the open verifications."""
    from datetime import date

    from shared.lookups import LookupRecord, lookups_needed
    from shared.procedures import builtin, sample_values
    from shared.views import LookupNeedView, LookupsView

    proc = builtin().get("1.000894")
    needs = lookups_needed(proc, sample_values("1.000894", date(2026, 12, 7), 2))
    first, second = needs[0], needs[1]

    def record(need_key: str, result: str, verification: str | None) -> LookupRecord:
        return LookupRecord(
            id=f"id-{need_key}",
            dossier_id="d1",
            key=need_key,
            what="Tình trạng hôn nhân",
            database="ho_tich",
            result=result,  # type: ignore[arg-type]
            note="" if result == "found" else "Không có dữ liệu",
            by="thamdinh",
            role="appraiser",
            at="2026-12-07T09:00:00+07:00",
            verification=verification,  # type: ignore[arg-type]
        )

    found, missing = record(first.key, "found", None), record(second.key, "not_found", "open")
    view = LookupsView(
        needs=[LookupNeedView(first, found), LookupNeedView(second, missing)],
        records=[found, missing],
        may_record=True,
    )
    assert view.open_verifications == [missing]
    out = view.to_dict()
    assert set(out) == {"needs", "records", "open_verifications", "may_record"}
    assert out["needs"][0]["key"] == first.key
    assert out["needs"][0]["record"]["database_name"] == "Cơ sở dữ liệu hộ tịch điện tử"
    assert out["needs"][1]["record"]["result_text"] == "Không có thông tin — phải xác minh"
    assert [r["id"] for r in out["open_verifications"]] == [missing.id]
    assert LookupNeedView(first).to_dict()["record"] is None
    json.dumps(out, ensure_ascii=False)  # plain JSON all the way down
