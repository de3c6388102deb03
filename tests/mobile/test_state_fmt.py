"""Pure formatting for the tablet screens: search folding, the home list, the timeline."""

from __future__ import annotations

from mobile.state.fmt import fold, home_rows, procedure_rows, supplement_reason, timeline
from shared.model import DossierSummary


def _d(code: str, status: str, title: str, at: str) -> DossierSummary:
    return DossierSummary(code, code, "1.001193", status, title, at, None, 1)


def test_fold_ignores_accents_case_and_d_stroke() -> None:
    assert fold("Đỗ Ngọc Hằng") == "do ngoc hang"
    assert fold("NGUYỄN Thị Ánh") == "nguyen thi anh"


def test_home_rows_action_first_then_newest_with_search_and_filters() -> None:
    ds = [
        _d("A", "received", "Võ Quốc Tường", "2026-11-20T08:00:00+07:00"),
        _d("B", "supplement_requested", "Lê Thị Bé", "2026-11-01T08:00:00+07:00"),
        _d("C", "received", "Đỗ Minh Đức", "2026-11-25T08:00:00+07:00"),
        _d("D", "stamped", "Trần An", "2026-11-02T08:00:00+07:00"),
    ]
    assert [d.code for d in home_rows(ds)] == ["D", "B", "C", "A"]
    assert [d.code for d in home_rows(ds, "do minh duc")] == ["C"]
    assert [d.code for d in home_rows(ds, "tuong")] == ["A"]
    assert [d.code for d in home_rows(ds, status="action")] == ["D", "B"]
    assert [d.code for d in home_rows(ds, status="received")] == ["C", "A"]


def test_timeline_has_five_stages_with_who_when_and_reason() -> None:
    hist = [
        {
            "action": "receive",
            "from_status": "draft",
            "to_status": "received",
            "actor": "tiepnhan",
            "role": "intake",
            "at": "2026-11-20T08:00:00+07:00",
        },
        # The appraiser's entry leaves the status "received": it is no reception.
        {
            "action": "record_personal_id",
            "from_status": "received",
            "to_status": "received",
            "actor": "thamdinh",
            "role": "appraiser",
            "at": "2026-11-21T09:00:00+07:00",
        },
        {
            "action": "request_supplement",
            "from_status": "received",
            "to_status": "supplement_requested",
            "actor": "thamdinh",
            "role": "appraiser",
            "at": "2026-11-21T09:30:00+07:00",
            "reason": "Thiếu giấy chứng sinh",
        },
    ]
    stages = timeline(hist)
    assert [s.name for s in stages] == [
        "Tiếp nhận",
        "Thẩm định",
        "Phê duyệt",
        "Đóng dấu",
        "Trả kết quả",
    ]
    assert [s.done for s in stages] == [True, True, False, False, False]
    received = stages[0].steps
    assert len(received) == 1 and received[0].at == "08:00 20/11/2026"
    assert received[0].who == "tiepnhan (Công chức tiếp nhận)"
    asked = stages[1].steps[-1]
    assert asked.reason == "Thiếu giấy chứng sinh" and asked.at == "09:30 21/11/2026"
    assert asked.action == "Yêu cầu bổ sung" and "thamdinh" in asked.who
    assert [s.action for s in stages[1].steps] == [
        "Nhập số định danh cá nhân của trẻ",
        "Yêu cầu bổ sung",
    ]
    english = timeline(hist, "en")
    assert english[0].name == "Receive" and english[1].steps[-1].action == "Request supplement"
    assert english[0].steps[0].who == "tiepnhan (Intake officer)"
    assert supplement_reason(hist) == "Thiếu giấy chứng sinh"


def test_the_picker_finds_a_procedure_by_code_name_or_field_without_accents() -> None:
    from shared.procedures import builtin

    held = list(builtin().all())
    names = {p.code: p.name.vi for p in held}
    assert procedure_rows(held, "") == held
    assert [p.code for p in procedure_rows(held, "khai tu")] == ["1.000656"], names
    assert [p.code for p in procedure_rows(held, "  KẾT   hôn ")] == ["1.000894"]
    assert [p.code for p in procedure_rows(held, "1.0011")] == ["1.001193"]
    assert [p.code for p in procedure_rows(held, "hon ket")] == ["1.000894"]  # any order
    assert procedure_rows(held, "giám hộ") == []
