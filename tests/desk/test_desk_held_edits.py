"""A tablet's edit kept as a conflict is shown at the desk, to caseworkers only.

Real station in process (SQLite, crypto, the sync push of a real envelope): a tablet sends
a birth registration, the appraiser accepts it at the desk, and the tablet — which has not
heard of that — sends an edit of the child's name made on version 1. The station keeps the
edit as a conflict (handbook, "Conflicts"); the appraiser opening the dossier sees who
sent it, on which version, and the name it would change; the administrator is refused by
the same verb that keeps the queues from them (``dossier.read_personal``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync_server"))

from station_kit import Tablet

from shared.errors import TaiChoError
from shared.views import ChangedValue
from sync_server.desk.backend import DeskBackend
from sync_server.services.sync import enrollment
from tests.desk.test_desk_logic import backend, client, run, signed_in

__all__ = ["backend", "client"]  # the fixtures this module shares with test_desk_logic
NEW_NAME = "Trần Thị Bảo Ngọc"


@pytest.fixture
def held(client: TestClient, backend: DeskBackend) -> tuple[str, str, str]:
    """(dossier id, the name the office holds, the tablet's name) after a kept edit."""
    with backend.station.session() as db:
        code = enrollment.new_enroll_code(db)
    tablet = Tablet(client)
    tablet.enroll(code)
    tablet.unlock()
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    appraiser = signed_in(backend, "thamdinh", "234567")
    run(appraiser.open_dossier(d["id"]))
    assert appraiser.held == []  # nothing kept yet: no card
    assert run(appraiser.act("accept")), appraiser.dialog_error
    edit = {**d, "version": 2, "base_version": 1}
    edit["values"] = {**d["values"], "child_full_name": NEW_NAME}
    [result] = tablet.push([tablet.change(edit)]).json()["results"]
    assert result["outcome"] == "conflict" and result["problem"]["code"] == "EDIT_CONFLICT"
    return str(d["id"]), str(d["values"]["child_full_name"]), NEW_NAME


def test_the_appraiser_sees_the_kept_edit_and_what_it_would_change(
    backend: DeskBackend, held: tuple[str, str, str]
) -> None:
    dossier_id, office_name, tablet_name = held
    s = signed_in(backend, "thamdinh", "234567")
    run(s.open_dossier(dossier_id))
    [edit] = s.held
    assert (edit.base_version, edit.server_version) == (1, 2)
    assert edit.device_name and edit.resolved_at is None and edit.push_seq == 2
    assert edit.changes == [
        ChangedValue("child_full_name", "Họ, chữ đệm, tên", office_name, tablet_name)
    ]
    # The dossier itself is untouched: the office's name stands.
    assert s.detail is not None and s.detail.dossier.values["child_full_name"] == office_name
    s.back_to_queue()
    assert s.held == []
    run(s.open_dossier(dossier_id))
    s.logout()
    assert s.held == [] and s.lookups == {}  # nothing of the citizen stays after sign-out


@pytest.mark.parametrize(("who", "pin"), [("tiepnhan", "123456"), ("lanhdao", "345678")])
def test_every_caseworker_reads_the_kept_edit(
    backend: DeskBackend, held: tuple[str, str, str], who: str, pin: str
) -> None:
    s = signed_in(backend, who, pin)
    run(s.open_dossier(held[0]))
    assert [c.tablet for c in s.held[0].changes] == [held[2]]


def test_the_admin_may_not_read_kept_edits(
    backend: DeskBackend, held: tuple[str, str, str]
) -> None:
    admin = signed_in(backend, "quantri", "567890")
    assert admin.user is not None
    with pytest.raises(TaiChoError) as caught:
        backend.held_edits(admin.user, held[0])
    assert caught.value.code == "ROLE_NOT_ALLOWED"
    run(admin.open_dossier(held[0]))  # the desk's own door is the same
    assert admin.held == [] and admin.detail is None
