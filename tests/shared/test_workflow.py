"""The state machine: every allowed step, every refused one, and who may take it."""

from __future__ import annotations

import pytest

from shared.errors import TaiChoError
from shared.workflow import (
    STATION_ACTIONS,
    TRANSITIONS,
    Role,
    Stage,
    Status,
    allowed_actions,
    next_status,
    parse_role,
    stage_of,
    timeline,
)


def test_five_on_the_spot_happy_path() -> None:
    s = next_status(Status.DRAFT, "receive", Role.INTAKE)
    s = next_status(s, "start_appraisal", Role.APPRAISER)
    s = next_status(s, "accept", Role.APPRAISER)
    s = next_status(s, "approve", Role.LEADER)
    s = next_status(s, "stamp", Role.CLERK)
    s = next_status(s, "return", Role.CLERK)
    assert s is Status.RETURNED


def test_supplement_loop_goes_back_to_received() -> None:
    s = next_status(Status.RECEIVED, "request_supplement", Role.APPRAISER, "Thiếu giấy chứng sinh")
    assert s is Status.SUPPLEMENT_REQUESTED
    assert next_status(s, "supplement", Role.INTAKE) is Status.RECEIVED


@pytest.mark.parametrize(
    ("status", "action", "role", "code"),
    [
        (Status.RECEIVED, "approve", Role.LEADER, "TRANSITION_NOT_ALLOWED"),
        (Status.APPRAISED, "approve", Role.INTAKE, "ROLE_NOT_ALLOWED"),
        (Status.APPRAISED, "approve", Role.ADMIN, "ROLE_NOT_ALLOWED"),
        (Status.APPROVED, "stamp", Role.LEADER, "ROLE_NOT_ALLOWED"),
        (Status.RETURNED, "return", Role.CLERK, "TRANSITION_NOT_ALLOWED"),
        (Status.REFUSED, "accept", Role.APPRAISER, "TRANSITION_NOT_ALLOWED"),
        (Status.RECEIVED, "fly", Role.CLERK, "ACTION_UNKNOWN"),
        (Status.RECEIVED, "refuse", Role.APPRAISER, "REASON_REQUIRED"),
        (Status.RECEIVED, "request_supplement", Role.APPRAISER, "REASON_REQUIRED"),
    ],
)
def test_refused_transitions_name_the_problem(
    status: Status, action: str, role: Role, code: str
) -> None:
    with pytest.raises(TaiChoError) as exc:
        next_status(status, action, role, reason="  " if "REASON" in code else None)
    assert exc.value.code == code
    assert exc.value.message("vi") and exc.value.message("en")


def test_final_statuses_have_no_way_out() -> None:
    for status in (Status.REFUSED, Status.RETURNED, Status.WITHDRAWN):
        for role in Role:
            assert allowed_actions(status, role) == []


def test_allowed_actions_match_next_status() -> None:
    for status in Status:
        for role in Role:
            for action in allowed_actions(status, role):
                reason = "lý do" if TRANSITIONS[action].needs_reason else None
                assert next_status(status, action, role, reason) == TRANSITIONS[action].target


def test_issue_actions_are_station_actions() -> None:
    assert {"accept", "request_supplement", "refuse", "approve", "stamp", "return"} <= (
        STATION_ACTIONS
    )


def test_parse_role() -> None:
    assert parse_role("clerk") is Role.CLERK
    with pytest.raises(TaiChoError) as exc:
        parse_role("boss")
    assert exc.value.code == "ROLE_UNKNOWN"


# --- the five-stage timeline (tablet and desk alike) -------------------------------------


def _h(
    action: str, frm: str | None, to: str, who: str, role: str, hour: int, reason: str = ""
) -> dict[str, object]:
    return {
        "action": action,
        "from_status": frm,
        "to_status": to,
        "actor": who,
        "role": role,
        "at": f"2026-11-20T{hour:02d}:00:00+07:00",
        "reason": reason or None,
    }


RECEIVE = _h("receive", "draft", "received", "tiepnhan", "intake", 8)


def _steps(stages: list[Stage]) -> dict[str, list[tuple[str, str]]]:
    return {st.key: [(s.action, s.actor) for s in st.steps] for st in stages}


def test_timeline_groups_by_who_acts_not_by_status() -> None:
    """An entry that leaves the status "received" (the appraiser's personal id, the
    leader's apology) is no reception: Tiếp nhận keeps the intake officer's time."""
    history = [
        RECEIVE,
        _h("record_personal_id", "received", "received", "thamdinh", "appraiser", 9),
        _h("apologize", "received", "received", "lanhdao", "leader", 10, "Chờ xác minh"),
        _h("request_supplement", "received", "supplement_requested", "thamdinh", "appraiser", 11),
        _h("supplement", "supplement_requested", "received", "tiepnhan", "intake", 13),
        _h("accept", "received", "appraised", "thamdinh", "appraiser", 14),
    ]
    stages = timeline(history)
    assert [st.key for st in stages] == ["receive", "appraise", "approve", "stamp", "return"]
    assert [st.label.vi for st in stages] == [
        "Tiếp nhận",
        "Thẩm định",
        "Phê duyệt",
        "Đóng dấu",
        "Trả kết quả",
    ]
    assert _steps(stages) == {
        "receive": [("receive", "tiepnhan"), ("supplement", "tiepnhan")],
        "appraise": [
            ("record_personal_id", "thamdinh"),
            ("request_supplement", "thamdinh"),
            ("accept", "thamdinh"),
        ],
        "approve": [],
        "stamp": [],
        "return": [("apologize", "lanhdao")],
    }
    first = stages[0].steps[0]
    assert (first.at, first.role, first.label(), first.label("en")) == (
        "2026-11-20T08:00:00+07:00",
        "intake",
        "Tiếp nhận",
        "Receive",
    )
    # An apology is a note under Trả kết quả: the result is not returned by it.
    assert [st.done for st in stages] == [True, True, False, False, False]
    assert not any(st.skipped for st in stages)
    assert stages[4].steps[0].reason == "Chờ xác minh"


def test_a_whole_dossier_reaches_every_stage() -> None:
    history = [
        RECEIVE,
        _h("accept", "received", "appraised", "thamdinh", "appraiser", 9),
        _h("approve", "appraised", "approved", "lanhdao", "leader", 10),
        _h("stamp", "approved", "stamped", "vanthu", "clerk", 11),
        _h("return", "stamped", "returned", "tiepnhan", "intake", 15),
    ]
    stages = timeline(history)
    assert [st.done for st in stages] == [True] * 5
    assert [[s.actor for s in st.steps] for st in stages] == [
        ["tiepnhan"],
        ["thamdinh"],
        ["lanhdao"],
        ["vanthu"],
        ["tiepnhan"],
    ]


def test_a_refusal_ends_the_timeline_where_it_was_made() -> None:
    after = timeline(
        [RECEIVE, _h("refuse", "received", "refused", "thamdinh", "appraiser", 9, "Sai")]
    )
    assert _steps(after)["appraise"] == [("refuse", "thamdinh")]
    assert [st.done for st in after] == [True, True, False, False, False]
    assert [st.skipped for st in after] == [False, False, True, True, True]
    # refused at the counter (national status 3): Tiếp nhận's, never Thẩm định's
    at_intake = timeline([_h("refuse", "draft", "refused", "tiepnhan", "intake", 8, "Sai")])
    assert _steps(at_intake)["receive"] == [("refuse", "tiepnhan")]
    assert [st.skipped for st in at_intake] == [False, True, True, True, True]
    withdrawn = timeline(
        [RECEIVE, _h("withdraw", "received", "withdrawn", "tiepnhan", "intake", 9)]
    )
    assert _steps(withdrawn)["receive"] == [("receive", "tiepnhan"), ("withdraw", "tiepnhan")]
    assert [st.skipped for st in withdrawn] == [False, True, True, True, True]


def test_an_empty_or_unknown_history_is_five_stages_not_reached() -> None:
    for history in ([], [_h("something_new", "received", "received", "x", "intake", 8)]):
        stages = timeline(history)
        assert len(stages) == 5 and not any(st.done or st.steps for st in stages)
        assert stage_of("something_new") is None
