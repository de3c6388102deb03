"""Who may do what: the staff roles, named verbs, and the one table of roles per verb.

Every service a front end calls (HTTP API, desk, command line) names the verb of what the
person is about to do and asks :func:`require` — as ODK Central's resources ask
``auth.canOrReject('verb', target)``. No front end keeps a role set of its own: a screen
that hides a button asks :func:`can` with the same verb the service will check. The
workflow's transitions take their roles and labels from here too
(``shared.workflow.TRANSITIONS``: the verb of action ``accept`` is ``dossier.accept``).

The rule the table encodes (handbook, "Least privilege"): the administrator manages staff,
tablets, the unit, the calendar, the certificates and the station, and reads figures
without personal data; only the workflow roles read citizens' dossiers, and only the
leader reads the free text of reports (refusal reasons, citizens' comments), which can
name people.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from shared.errors import TaiChoError, problem
from shared.text import Label


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


class Verb(StrEnum):
    """What a person asks the station to do. ``dossier.<action>`` is a workflow action."""

    # Citizens' data: queues with names, a dossier's values, its papers, photos, result.
    DOSSIER_READ_PERSONAL = "dossier.read_personal"
    # The workflow (shared.workflow.TRANSITIONS); receive, supplement and withdraw happen
    # on the tablet and reach the station by sync.
    DOSSIER_RECEIVE = "dossier.receive"
    DOSSIER_START_APPRAISAL = "dossier.start_appraisal"
    DOSSIER_ACCEPT = "dossier.accept"
    DOSSIER_REQUEST_SUPPLEMENT = "dossier.request_supplement"
    DOSSIER_REFUSE = "dossier.refuse"
    DOSSIER_SUPPLEMENT = "dossier.supplement"
    DOSSIER_APPROVE = "dossier.approve"
    DOSSIER_STAMP = "dossier.stamp"
    DOSSIER_RETURN = "dossier.return"
    DOSSIER_WITHDRAW = "dossier.withdraw"
    # Recorded on a dossier without changing its status.
    DOSSIER_RECORD_PERSONAL_ID = "dossier.record_personal_id"
    DOSSIER_APOLOGIZE = "dossier.apologize"
    # The lookup step (tra cứu, Nghị định 07/2025/NĐ-CP, 18/2026/NĐ-CP) and the
    # verification (xác minh) a lookup that found nothing opens.
    DOSSIER_RECORD_LOOKUP = "dossier.record_lookup"
    DOSSIER_CLOSE_VERIFICATION = "dossier.close_verification"
    # The spouses' signatures on the Giấy chứng nhận kết hôn, before the seal.
    DOSSIER_SIGN_RESULT = "dossier.sign_result"
    # Reports: the figures, and the free text that can name citizens.
    REPORT_READ = "report.read"
    REPORT_READ_FREE_TEXT = "report.read_free_text"
    # Administration.
    STAFF_MANAGE = "staff.manage"
    DEVICE_MANAGE = "device.manage"
    UNIT_MANAGE = "unit.manage"
    CALENDAR_MANAGE = "calendar.manage"
    CERT_MANAGE = "cert.manage"
    STATION_MANAGE = "station.manage"
    AUDIT_VERIFY = "audit.verify"
    # The provincial hub (docs/province.md): register the station, send the day figures.
    HUB_MANAGE = "hub.manage"
    # Cross-commune intake: run the sealed relay (send, fetch, apply) and see its queue.
    HUB_RELAY = "hub.relay"
    # The procedure catalogue: import records, switch procedures on or off, the
    # province's own time limit and fee (docs/catalogue.md).
    CATALOGUE_MANAGE = "catalogue.manage"


@dataclass(frozen=True)
class Permission:
    roles: frozenset[Role]
    label: Label  # the verb as people read it ("Phê duyệt"), in refusals and buttons


def _p(roles: set[Role], vi: str, en: str) -> Permission:
    return Permission(frozenset(roles), Label(vi, en))


_R = Role
CASEWORKERS = {_R.INTAKE, _R.APPRAISER, _R.LEADER, _R.CLERK}

# The one table. Reading it top to bottom answers "who may …" for the whole station.
PERMISSIONS: dict[Verb, Permission] = {
    Verb.DOSSIER_READ_PERSONAL: _p(
        CASEWORKERS,
        "Xem hồ sơ và thông tin cá nhân của người dân",
        "Read dossiers and citizens' personal data",
    ),
    Verb.DOSSIER_RECEIVE: _p({_R.INTAKE}, "Tiếp nhận", "Receive"),
    Verb.DOSSIER_START_APPRAISAL: _p({_R.APPRAISER}, "Bắt đầu thẩm định", "Start appraisal"),
    Verb.DOSSIER_ACCEPT: _p({_R.APPRAISER}, "Đạt – chuyển phê duyệt", "Accept"),
    Verb.DOSSIER_REQUEST_SUPPLEMENT: _p({_R.APPRAISER}, "Yêu cầu bổ sung", "Request supplement"),
    Verb.DOSSIER_REFUSE: _p({_R.APPRAISER}, "Từ chối", "Refuse"),
    Verb.DOSSIER_SUPPLEMENT: _p({_R.INTAKE}, "Đã bổ sung", "Supplemented"),
    Verb.DOSSIER_APPROVE: _p({_R.LEADER}, "Phê duyệt", "Approve"),
    Verb.DOSSIER_STAMP: _p({_R.CLERK}, "Đóng dấu", "Stamp"),
    Verb.DOSSIER_RETURN: _p({_R.CLERK, _R.INTAKE}, "Trả kết quả", "Return result"),
    Verb.DOSSIER_WITHDRAW: _p({_R.INTAKE}, "Rút hồ sơ", "Withdraw"),
    Verb.DOSSIER_RECORD_PERSONAL_ID: _p(
        {_R.APPRAISER},
        "Nhập số định danh cá nhân của trẻ",
        "Enter the child's personal identification number",
    ),
    Verb.DOSSIER_RECORD_LOOKUP: _p(
        {_R.INTAKE, _R.APPRAISER},
        "Ghi kết quả tra cứu",
        "Record a lookup",
    ),
    Verb.DOSSIER_CLOSE_VERIFICATION: _p(
        {_R.APPRAISER},
        "Ghi kết quả xác minh",
        "Close a verification",
    ),
    Verb.DOSSIER_SIGN_RESULT: _p(
        {_R.APPRAISER, _R.CLERK},
        "Ghi chữ ký của hai bên vào giấy chứng nhận",
        "Record the spouses' signatures on the certificate",
    ),
    Verb.DOSSIER_APOLOGIZE: _p(
        {_R.LEADER, _R.INTAKE},
        "Xin lỗi và hẹn lại ngày trả kết quả",
        "Apologise and set a new date",
    ),
    Verb.REPORT_READ: _p({_R.LEADER, _R.ADMIN}, "Xem báo cáo", "View reports"),
    Verb.REPORT_READ_FREE_TEXT: _p(
        {_R.LEADER},
        "Xem lý do và ý kiến của người dân trong báo cáo",
        "Read the reasons and citizens' comments in reports",
    ),
    Verb.STAFF_MANAGE: _p({_R.ADMIN}, "Quản lý cán bộ", "Manage staff"),
    Verb.DEVICE_MANAGE: _p({_R.ADMIN}, "Quản lý máy tính bảng", "Manage tablets"),
    Verb.UNIT_MANAGE: _p({_R.ADMIN}, "Cài đặt đơn vị", "Set up the unit"),
    Verb.CALENDAR_MANAGE: _p(
        {_R.ADMIN}, "Quản lý ngày nghỉ, ngày làm bù", "Manage days off and make-up days"
    ),
    Verb.CERT_MANAGE: _p({_R.ADMIN}, "Quản lý chứng thư ký số", "Manage signing certificates"),
    Verb.STATION_MANAGE: _p(
        {_R.ADMIN},
        "Cài đặt máy chủ (HTTPS, địa chỉ công khai)",
        "Configure the station (HTTPS, public address)",
    ),
    Verb.AUDIT_VERIFY: _p(
        {_R.ADMIN}, "Kiểm tra và đóng mốc nhật ký kiểm toán", "Check and anchor the audit log"
    ),
    Verb.CATALOGUE_MANAGE: _p(
        {_R.ADMIN},
        "Quản lý danh mục thủ tục (nhập, bật/tắt, thời hạn và phí của tỉnh)",
        "Manage the procedure catalogue (import, on/off, the province's limit and fee)",
    ),
    Verb.HUB_MANAGE: _p(
        {_R.ADMIN},
        "Kết nối cổng tỉnh và gửi số liệu tổng hợp",
        "Connect to the provincial hub and send the aggregate figures",
    ),
    Verb.HUB_RELAY: _p(
        {_R.ADMIN},
        "Chuyển hồ sơ liên xã qua cổng tỉnh",
        "Relay dossiers between communes through the provincial hub",
    ),
}


class Actor(Protocol):
    """Whoever acts: a signed-in staff member (``sync_server.services.setup.staff.Staff``), or
    the command line acting as the administrator."""

    @property
    def role(self) -> Role: ...


def _role(who: Actor | Role) -> Role:
    return who if isinstance(who, Role) else who.role


def can(who: Actor | Role, verb: Verb) -> bool:
    """Whether this person (or role) may do ``verb``: what a screen asks to show a button."""
    return _role(who) in PERMISSIONS[verb].roles


def refusal(role: Role, label: Label) -> TaiChoError:
    """``ROLE_NOT_ALLOWED`` worded with the role's label and what was refused."""
    r = ROLE_LABELS[role]
    return problem(
        "ROLE_NOT_ALLOWED", "action", role=r.vi, role_en=r.en, action=label.vi, action_en=label.en
    )


def require(who: Actor | Role, verb: Verb) -> None:
    """Refuse (``ROLE_NOT_ALLOWED``, 403) unless this person may do ``verb``."""
    role = _role(who)
    if role not in PERMISSIONS[verb].roles:
        raise refusal(role, PERMISSIONS[verb].label)


def verbs_of(who: Actor | Role) -> frozenset[Verb]:
    """Everything this person (or role) may do."""
    role = _role(who)
    return frozenset(v for v, p in PERMISSIONS.items() if role in p.roles)
