"""The dossier status state machine ("5 tại chỗ") and who may move it.

Pure data plus one function, so the tablet can show which buttons make sense offline
and the station enforces exactly the same rules as the authority after ``received``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.errors import TaiChoError, problem


class Status(StrEnum):
    DRAFT = "draft"
    RECEIVED = "received"
    APPRAISING = "appraising"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REFUSED = "refused"
    APPRAISED = "appraised"
    APPROVED = "approved"
    STAMPED = "stamped"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


# National one-stop-shop status numbers (Cổng DVC quốc gia), for reports and
# interoperability: 1 Mới đăng ký, 2 Được tiếp nhận, 3 Không được tiếp nhận, 4 Đang xử lý,
# 5 Yêu cầu bổ sung, 6 Yêu cầu thực hiện nghĩa vụ tài chính, 7 Rút hồ sơ, 8 Dừng xử lý,
# 9 Đã xử lý xong, 10 Đã trả kết quả. A refusal after receipt is 8; see national_status_code.
STATUS_NOT_RECEIVED = 3
STATUS_FEE_DUE = 6
NATIONAL_STATUS_CODE: dict[Status, int | None] = {
    Status.DRAFT: None,
    Status.RECEIVED: 2,
    Status.REFUSED: 8,
    Status.APPRAISING: 4,
    Status.SUPPLEMENT_REQUESTED: 5,
    Status.APPRAISED: 4,
    Status.APPROVED: 4,
    Status.WITHDRAWN: 7,
    Status.STAMPED: 9,
    Status.RETURNED: 10,
}


@dataclass(frozen=True)
class Label:
    """A name shown to people, in both languages (messages, buttons, lists)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


# The one declaration of status, role and action names people see; error messages, the
# tablet and the desk all read these, so a Vietnamese message never shows "appraiser".
STATUS_LABELS: dict[Status, Label] = {
    Status.DRAFT: Label("Nháp", "Draft"),
    Status.RECEIVED: Label("Đã tiếp nhận", "Received"),
    Status.APPRAISING: Label("Đang thẩm định", "Under appraisal"),
    Status.SUPPLEMENT_REQUESTED: Label("Yêu cầu bổ sung", "Supplement requested"),
    Status.REFUSED: Label("Từ chối", "Refused"),
    Status.APPRAISED: Label("Đã thẩm định", "Appraised"),
    Status.APPROVED: Label("Đã phê duyệt", "Approved"),
    Status.STAMPED: Label("Đã đóng dấu – chờ trả", "Stamped – awaiting return"),
    Status.RETURNED: Label("Đã trả kết quả", "Result returned"),
    Status.WITHDRAWN: Label("Đã rút hồ sơ", "Withdrawn"),
}
STATUS_LABEL_VI: dict[Status, str] = {k: v.vi for k, v in STATUS_LABELS.items()}

FINAL_STATUSES = frozenset({Status.REFUSED, Status.RETURNED, Status.WITHDRAWN})


class Role(StrEnum):
    INTAKE = "intake"
    APPRAISER = "appraiser"
    LEADER = "leader"
    CLERK = "clerk"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, Label] = {
    Role.INTAKE: Label("Công chức tiếp nhận", "Intake officer"),
    Role.APPRAISER: Label("Công chức chuyên môn", "Appraising officer"),
    Role.LEADER: Label("Lãnh đạo UBND", "Commune leader"),
    Role.CLERK: Label("Văn thư", "Records clerk"),
    Role.ADMIN: Label("Quản trị", "Administrator"),
}
ROLE_LABEL_VI: dict[Role, str] = {k: v.vi for k, v in ROLE_LABELS.items()}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status
    roles: frozenset[Role]
    needs_reason: bool = False
    label_vi: str = ""
    label_en: str = ""


def _t(
    action: str,
    sources: set[Status],
    target: Status,
    roles: set[Role],
    label_vi: str,
    label_en: str,
    *,
    needs_reason: bool = False,
) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(roles), needs_reason, label_vi, label_en
    )


_S = Status
_R = Role

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("receive", {_S.DRAFT}, _S.RECEIVED, {_R.INTAKE}, "Tiếp nhận", "Receive"),
        _t(
            "start_appraisal",
            {_S.RECEIVED},
            _S.APPRAISING,
            {_R.APPRAISER},
            "Bắt đầu thẩm định",
            "Start appraisal",
        ),
        _t(
            "accept",
            {_S.RECEIVED, _S.APPRAISING},
            _S.APPRAISED,
            {_R.APPRAISER},
            "Đạt – chuyển phê duyệt",
            "Accept",
        ),
        _t(
            "request_supplement",
            {_S.RECEIVED, _S.APPRAISING},
            _S.SUPPLEMENT_REQUESTED,
            {_R.APPRAISER},
            "Yêu cầu bổ sung",
            "Request supplement",
            needs_reason=True,
        ),
        _t(
            "refuse",
            {_S.RECEIVED, _S.APPRAISING},
            _S.REFUSED,
            {_R.APPRAISER},
            "Từ chối",
            "Refuse",
            needs_reason=True,
        ),
        _t(
            "supplement",
            {_S.SUPPLEMENT_REQUESTED},
            _S.RECEIVED,
            {_R.INTAKE},
            "Đã bổ sung",
            "Supplemented",
        ),
        _t("approve", {_S.APPRAISED}, _S.APPROVED, {_R.LEADER}, "Phê duyệt", "Approve"),
        _t("stamp", {_S.APPROVED}, _S.STAMPED, {_R.CLERK}, "Đóng dấu", "Stamp"),
        _t(
            "return",
            {_S.STAMPED},
            _S.RETURNED,
            {_R.CLERK, _R.INTAKE},
            "Trả kết quả",
            "Return result",
        ),
        _t(
            "withdraw",
            {_S.DRAFT, _S.RECEIVED, _S.APPRAISING, _S.SUPPLEMENT_REQUESTED},
            _S.WITHDRAWN,
            {_R.INTAKE},
            "Rút hồ sơ",
            "Withdraw",
            needs_reason=True,
        ),
    ]
}

# Action names as people see them, taken from the transitions (declared there once).
ACTION_LABELS: dict[str, Label] = {
    **{a: Label(t.label_vi, t.label_en) for a, t in TRANSITIONS.items()},
    # Recorded on a dossier without changing its status.
    "apologize": Label("Xin lỗi và hẹn lại ngày trả kết quả", "Apologise and set a new date"),
    "record_personal_id": Label(
        "Nhập số định danh cá nhân của trẻ", "Enter the child's personal identification number"
    ),
    "report": Label("Xem báo cáo", "View reports"),
}

# Actions staff take at the station over HTTP (the rest happen on the tablet / by sync).
STATION_ACTIONS = frozenset(
    {"start_appraisal", "accept", "request_supplement", "refuse", "approve", "stamp", "return"}
)


def _action_params(action: str) -> dict[str, str]:
    label = ACTION_LABELS.get(action)
    return {"action": action} if label is None else {"action": label.vi, "action_en": label.en}


def role_not_allowed(role: Role, action: str) -> TaiChoError:
    """``ROLE_NOT_ALLOWED`` worded with the role's and the action's labels."""
    r = ROLE_LABELS[role]
    return problem("ROLE_NOT_ALLOWED", "action", role=r.vi, role_en=r.en, **_action_params(action))


def role_forbidden(role: Role) -> TaiChoError:
    """``ROLE_FORBIDDEN``: this role may not use an endpoint at all (least privilege)."""
    r = ROLE_LABELS[role]
    return problem("ROLE_FORBIDDEN", None, role=r.vi, role_en=r.en)


def transition_not_allowed(action: str, status: Status, field: str = "action") -> TaiChoError:
    """``TRANSITION_NOT_ALLOWED`` worded with the action's and the status's labels."""
    s = STATUS_LABELS[status]
    return problem(
        "TRANSITION_NOT_ALLOWED", field, status=s.vi, status_en=s.en, **_action_params(action)
    )


def national_status_code(
    status: Status, *, refused_at_intake: bool = False, fee_due: bool = False
) -> int | None:
    """The national status number of a dossier.

    ``REFUSED`` is 8 (Dừng xử lý) once the dossier was received, 3 (Không được tiếp nhận)
    only when the counter refused it at intake. A dossier whose result waits for a fee
    (``fee_due``: the procedure charges one and it is not returned yet) is 6 from approval
    until it is returned.
    """
    if status is Status.REFUSED and refused_at_intake:
        return STATUS_NOT_RECEIVED
    if fee_due and status in (Status.APPROVED, Status.STAMPED):
        return STATUS_FEE_DUE
    return NATIONAL_STATUS_CODE[status]


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise problem("ROLE_UNKNOWN", "role", role=value) from None


def next_status(status: Status, action: str, role: Role, reason: str | None = None) -> Status:
    """Validate one transition and return the new status, or raise a catalogued error."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise problem("ACTION_UNKNOWN", "action", action=action)
    if role not in t.roles:
        raise role_not_allowed(role, action)
    if status not in t.sources:
        raise transition_not_allowed(action, status)
    if t.needs_reason and not (reason and reason.strip()):
        raise problem("REASON_REQUIRED", "reason")
    return t.target


def allowed_actions(status: Status, role: Role) -> list[str]:
    """The actions this role can take now: drives the buttons on desk and tablet."""
    return [a for a, t in TRANSITIONS.items() if status in t.sources and role in t.roles]


def tablet_may_edit(status: Status) -> bool:
    """The handbook's conflict rule: the tablet edits only drafts and supplement requests."""
    return status in (Status.DRAFT, Status.SUPPLEMENT_REQUESTED)


def status_label(status: str, lang: str = "vi") -> str:
    """A status as people read it ("Đã tiếp nhận"); an unknown value is shown as is."""
    try:
        return STATUS_LABELS[Status(status)].get(lang)
    except ValueError:
        return status


def role_label(role: str, lang: str = "vi") -> str:
    """A role as people read it ("Công chức tiếp nhận"); an unknown value is shown as is."""
    try:
        return ROLE_LABELS[Role(role)].get(lang)
    except ValueError:
        return role


def action_label(action: str, lang: str = "vi") -> str:
    """An action as people read it ("Phê duyệt"); an unknown value is shown as is."""
    label = ACTION_LABELS.get(action)
    return label.get(lang) if label else action
