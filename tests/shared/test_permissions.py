"""The permission table: who may do what, in one place (shared/permissions.py)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest

from shared.errors import TaiChoError
from shared.permissions import (
    PERMISSIONS,
    ROLE_LABELS,
    Role,
    Verb,
    can,
    require,
    verbs_of,
)
from shared.workflow import ACTION_LABELS, TRANSITIONS, Status, next_status, role_not_allowed

ADMIN_VERBS = {
    Verb.STAFF_MANAGE,
    Verb.DEVICE_MANAGE,
    Verb.UNIT_MANAGE,
    Verb.CALENDAR_MANAGE,
    Verb.CERT_MANAGE,
    Verb.STATION_MANAGE,
    Verb.AUDIT_VERIFY,
    Verb.REPORT_READ,
    # counts only leave for the provincial hub (docs/province.md)
    Verb.HUB_MANAGE,
    # runs the sealed relay of other communes' dossiers: it shows ids and problems only
    Verb.HUB_RELAY,
    # the procedure catalogue: import, enable/disable, the province's limit and fee
    Verb.CATALOGUE_MANAGE,
}


@dataclass(frozen=True)
class Person:
    role: Role


def test_every_verb_has_roles_and_a_label_in_both_languages() -> None:
    assert set(PERMISSIONS) == set(Verb)
    for verb, p in PERMISSIONS.items():
        assert p.roles, verb
        assert p.label.vi and p.label.en and p.label.vi != p.label.en, verb
        assert unicodedata.normalize("NFC", p.label.vi) == p.label.vi, verb
    assert set(ROLE_LABELS) == set(Role)


def test_the_admin_manages_and_counts_but_reads_no_citizen_data() -> None:
    assert verbs_of(Role.ADMIN) == ADMIN_VERBS
    assert not can(Role.ADMIN, Verb.DOSSIER_READ_PERSONAL)
    assert not can(Role.ADMIN, Verb.REPORT_READ_FREE_TEXT)
    assert not any(v.startswith("dossier.") for v in verbs_of(Role.ADMIN))
    # and nobody else administers the station
    for role in Role:
        if role is not Role.ADMIN:
            assert not verbs_of(role) & (ADMIN_VERBS - {Verb.REPORT_READ}), role


def test_free_text_of_reports_is_the_leaders_alone() -> None:
    assert PERMISSIONS[Verb.REPORT_READ_FREE_TEXT].roles == {Role.LEADER}
    assert PERMISSIONS[Verb.REPORT_READ].roles == {Role.LEADER, Role.ADMIN}


def test_whoever_acts_on_a_dossier_may_read_it() -> None:
    readers = PERMISSIONS[Verb.DOSSIER_READ_PERSONAL].roles
    assert readers == {Role.INTAKE, Role.APPRAISER, Role.LEADER, Role.CLERK}
    for verb, p in PERMISSIONS.items():
        if verb.startswith("dossier."):
            assert p.roles <= readers, verb


def test_the_workflow_takes_its_roles_and_labels_from_the_table() -> None:
    for action, t in TRANSITIONS.items():
        assert t.verb == Verb(f"dossier.{action}")
        assert t.roles == PERMISSIONS[t.verb].roles
        assert ACTION_LABELS[action] == PERMISSIONS[t.verb].label
    assert TRANSITIONS["approve"].roles == {Role.LEADER}
    assert TRANSITIONS["return"].roles == {Role.CLERK, Role.INTAKE}


@pytest.mark.parametrize("verb", list(Verb))
@pytest.mark.parametrize("role", list(Role))
def test_require_refuses_exactly_the_roles_without_the_verb(role: Role, verb: Verb) -> None:
    person = Person(role)
    allowed = role in PERMISSIONS[verb].roles
    assert can(person, verb) is can(role, verb) is allowed
    if allowed:
        require(person, verb)
        return
    with pytest.raises(TaiChoError) as exc:
        require(person, verb)
    err = exc.value
    assert (err.code, err.status, err.field) == ("ROLE_NOT_ALLOWED", 403, "action")
    r, v = ROLE_LABELS[role], PERMISSIONS[verb].label
    assert err.message("vi") == f"{r.vi} không được phép '{v.vi}'."
    assert err.message("en") == f"{r.en} may not '{v.en}'."


def test_a_refused_transition_reads_like_a_refused_verb() -> None:
    with pytest.raises(TaiChoError) as by_machine:
        next_status(Status.APPRAISED, "approve", Role.CLERK)
    with pytest.raises(TaiChoError) as by_table:
        require(Role.CLERK, Verb.DOSSIER_APPROVE)
    assert by_machine.value.to_problem() == by_table.value.to_problem()
    assert role_not_allowed(Role.CLERK, "approve").to_problem() == by_table.value.to_problem()
