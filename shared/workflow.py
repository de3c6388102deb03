"""The dossier status state machine ("5 tại chỗ"), who may move it, and its timeline.

Pure data plus a few functions, so the tablet can show which buttons make sense offline
and the station enforces exactly the same rules as the authority after ``received``.
Who may make a move is the permission table's (``shared.permissions``). :func:`timeline`
groups a dossier's history into the five stages for the tablet and the desk alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared.errors import TaiChoError, problem
from shared.permissions import PERMISSIONS, Verb, refusal
from shared.permissions import ROLE_LABELS as ROLE_LABELS  # re-exported: roles live there
from shared.permissions import Role as Role
from shared.text import Label as Label


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


class Action(StrEnum):
    """What a dossier's history records: the transitions of the state machine, and what is
    recorded on a dossier without changing its status (an apology, the child's number)."""

    RECEIVE = "receive"
    START_APPRAISAL = "start_appraisal"
    ACCEPT = "accept"
    REQUEST_SUPPLEMENT = "request_supplement"
    REFUSE = "refuse"
    SUPPLEMENT = "supplement"
    APPROVE = "approve"
    STAMP = "stamp"
    RETURN = "return"
    WITHDRAW = "withdraw"
    APOLOGIZE = "apologize"
    RECORD_PERSONAL_ID = "record_personal_id"
    # The lookup step (shared.lookups): a lookup recorded, a verification closed.
    RECORD_LOOKUP = "record_lookup"
    CLOSE_VERIFICATION = "close_verification"
    # The people's own signatures on the result (the spouses on a Giấy chứng nhận kết hôn).
    SIGN_RESULT = "sign_result"
    # Cross-commune intake (Nghị định 118/2025/NĐ-CP, docs/province.md): the hand-over
    # times on the timeline — sent sealed through the provincial hub, arrived at the other
    # station (the dossier at the competent commune, its state or result back at the first).
    FORWARD = "forward"
    ARRIVE = "arrive"


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


ROLE_LABEL_VI: dict[Role, str] = {k: v.vi for k, v in ROLE_LABELS.items()}


@dataclass(frozen=True)
class Transition:
    """One move of the state machine. Who may make it and how it is called are the
    permission table's (``shared.permissions``): the verb of action ``a`` is ``dossier.a``."""

    action: Action
    sources: frozenset[Status]
    target: Status
    verb: Verb
    needs_reason: bool = False

    @property
    def roles(self) -> frozenset[Role]:
        return PERMISSIONS[self.verb].roles

    @property
    def label(self) -> Label:
        return PERMISSIONS[self.verb].label

    @property
    def label_vi(self) -> str:
        return self.label.vi

    @property
    def label_en(self) -> str:
        return self.label.en


def _t(
    action: Action, sources: set[Status], target: Status, *, needs_reason: bool = False
) -> Transition:
    return Transition(action, frozenset(sources), target, Verb(f"dossier.{action}"), needs_reason)


_S = Status
_A = Action

# Keyed by the action's value too: an action read off the wire is looked up as it came.
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(_A.RECEIVE, {_S.DRAFT}, _S.RECEIVED),
        _t(_A.START_APPRAISAL, {_S.RECEIVED}, _S.APPRAISING),
        _t(_A.ACCEPT, {_S.RECEIVED, _S.APPRAISING}, _S.APPRAISED),
        _t(
            _A.REQUEST_SUPPLEMENT,
            {_S.RECEIVED, _S.APPRAISING},
            _S.SUPPLEMENT_REQUESTED,
            needs_reason=True,
        ),
        _t(_A.REFUSE, {_S.RECEIVED, _S.APPRAISING}, _S.REFUSED, needs_reason=True),
        _t(_A.SUPPLEMENT, {_S.SUPPLEMENT_REQUESTED}, _S.RECEIVED),
        _t(_A.APPROVE, {_S.APPRAISED}, _S.APPROVED),
        _t(_A.STAMP, {_S.APPROVED}, _S.STAMPED),
        _t(_A.RETURN, {_S.STAMPED}, _S.RETURNED),
        _t(
            _A.WITHDRAW,
            {_S.DRAFT, _S.RECEIVED, _S.APPRAISING, _S.SUPPLEMENT_REQUESTED},
            _S.WITHDRAWN,
            needs_reason=True,
        ),
    ]
}

# Action names as people see them: the permission table's labels of their verbs.
ACTION_LABELS: dict[str, Label] = {
    **{a: t.label for a, t in TRANSITIONS.items()},
    # Recorded on a dossier without changing its status.
    Action.APOLOGIZE: PERMISSIONS[Verb.DOSSIER_APOLOGIZE].label,
    Action.RECORD_PERSONAL_ID: PERMISSIONS[Verb.DOSSIER_RECORD_PERSONAL_ID].label,
    Action.RECORD_LOOKUP: PERMISSIONS[Verb.DOSSIER_RECORD_LOOKUP].label,
    Action.CLOSE_VERIFICATION: PERMISSIONS[Verb.DOSSIER_CLOSE_VERIFICATION].label,
    Action.SIGN_RESULT: PERMISSIONS[Verb.DOSSIER_SIGN_RESULT].label,
    Action.FORWARD: Label(
        "Chuyển qua cổng tỉnh đến xã có thẩm quyền",
        "Sent through the provincial hub to the competent commune",
    ),
    Action.ARRIVE: Label("Nhận qua cổng tỉnh", "Arrived through the provincial hub"),
    "report": PERMISSIONS[Verb.REPORT_READ].label,
}

# Actions staff take at the station over HTTP (the rest happen on the tablet / by sync).
STATION_ACTIONS: frozenset[Action] = frozenset(
    {
        _A.START_APPRAISAL,
        _A.ACCEPT,
        _A.REQUEST_SUPPLEMENT,
        _A.REFUSE,
        _A.APPROVE,
        _A.STAMP,
        _A.RETURN,
    }
)


def _action_params(action: str) -> dict[str, str]:
    label = ACTION_LABELS.get(action)
    return {"action": action} if label is None else {"action": label.vi, "action_en": label.en}


def role_not_allowed(role: Role, action: str) -> TaiChoError:
    """``ROLE_NOT_ALLOWED`` worded with the role's and the action's labels."""
    return refusal(role, ACTION_LABELS.get(action, Label(action, action)))


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


def allowed_actions(status: Status, role: Role) -> list[Action]:
    """The actions this role can take now: drives the buttons on desk and tablet."""
    return [t.action for t in TRANSITIONS.values() if status in t.sources and role in t.roles]


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


# --- the five stages ("5 tại chỗ") ------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One history entry as a timeline shows it (presentation — time zone, names — is the
    screen's)."""

    action: str
    actor: str
    role: str
    at: str
    reason: str | None

    def label(self, lang: str = "vi") -> str:
        return action_label(self.action, lang)


@dataclass(frozen=True)
class Stage:
    key: str
    label: Label
    steps: tuple[Step, ...]  # the stage's history entries, oldest first
    done: bool  # its work happened (a note such as an apology alone does not count)
    skipped: bool  # the dossier ended (refused, withdrawn) without reaching it


@dataclass(frozen=True)
class _StageDef:
    key: str
    label: Label
    actions: frozenset[str]  # what reaches the stage
    notes: frozenset[str] = frozenset()  # recorded under it without reaching it


# Each action belongs to the stage of whoever takes it: the counter receives (and takes a
# supplement back, and a withdrawal), the appraiser appraises, and so on. A refusal
# belongs to Thẩm định, except a refusal at intake (from a draft: national status 3).
FIVE_STAGES: tuple[_StageDef, ...] = (
    _StageDef(
        "receive",
        Label("Tiếp nhận", "Receive"),
        frozenset({"receive", "supplement"}),
        # Cross-commune intake: the dossier's hand-overs through the provincial hub.
        frozenset({"withdraw", "forward", "arrive"}),
    ),
    _StageDef(
        "appraise",
        Label("Thẩm định", "Appraise"),
        frozenset(
            {"start_appraisal", "record_personal_id", "accept", "request_supplement", "refuse"}
        ),
        # Lookups and verifications are shown in the appraisal stage without ending it.
        frozenset({"record_lookup", "close_verification"}),
    ),
    _StageDef("approve", Label("Phê duyệt", "Approve"), frozenset({"approve"})),
    _StageDef(
        "stamp",
        Label("Đóng dấu", "Stamp"),
        frozenset({"stamp"}),
        # The spouses sign the certificate just before the seal, without ending the stage.
        frozenset({"sign_result"}),
    ),
    _StageDef(
        "return",
        Label("Trả kết quả", "Return result"),
        frozenset({"return"}),
        # ... and the signed result's arrival back at the receiving commune.
        frozenset({"apologize", "arrive"}),
    ),
)
_ENDED = frozenset({Status.REFUSED.value, Status.WITHDRAWN.value})


def stage_of(action: str, from_status: str | None = None) -> str | None:
    """The stage an action belongs to (``None``: not on the timeline)."""
    if action == "refuse" and from_status in (None, Status.DRAFT.value):
        return "receive"
    if action == Action.ARRIVE:  # the dossier arrives at B; its stamped result back at A
        return "return" if from_status == Status.STAMPED.value else "receive"
    for st in FIVE_STAGES:
        if action in st.actions or action in st.notes:
            return st.key
    return None


def timeline(history: Iterable[Mapping[str, Any]]) -> list[Stage]:
    """The five stages of a dossier from its history entries (``HistoryEntry.to_dict()``
    as stored on the tablet and shown at the desk): each with its steps in order."""
    entries = list(history)
    steps: dict[str, list[tuple[Step, bool]]] = {st.key: [] for st in FIVE_STAGES}
    for h in entries:
        action = str(h.get("action") or "")
        key = stage_of(action, h.get("from_status"))
        if key is None:
            continue
        note = action in next(st.notes for st in FIVE_STAGES if st.key == key)
        step = Step(
            action,
            str(h.get("actor") or ""),
            str(h.get("role") or ""),
            str(h.get("at") or ""),
            str(h["reason"]) if h.get("reason") else None,
        )
        steps[key].append((step, note))
    ended = bool(entries) and str(entries[-1].get("to_status") or "") in _ENDED
    out = []
    for st in FIVE_STAGES:
        got = steps[st.key]
        done = any(not note for _, note in got)
        out.append(Stage(st.key, st.label, tuple(s for s, _ in got), done, ended and not done))
    return out
