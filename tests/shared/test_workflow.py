"""The state machine: every allowed step, every refused one, and who may take it."""

from __future__ import annotations

import pytest

from shared.errors import TaiChoError
from shared.workflow import (
    STATION_ACTIONS,
    TRANSITIONS,
    Role,
    Status,
    allowed_actions,
    next_status,
    parse_role,
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
