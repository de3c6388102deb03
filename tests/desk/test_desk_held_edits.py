"""A tablet's edit kept as a conflict is shown at the desk, to caseworkers only.

Real station in process (SQLite, crypto, the sync push of a real envelope): a tablet sends
a birth registration, the appraiser accepts it at the desk, and the tablet — which has not
heard of that — sends an edit of the child's name made on version 1. The station keeps the
edit as a conflict (handbook, "Conflicts"); the appraiser opening the dossier sees who
sent it, on which version, and the name it would change; the administrator is refused by
the same verb that keeps the queues from them (``dossier.read_personal``).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared.errors import TaiChoError
from shared.views import ChangedValue
from sync_server.desk.backend import DeskBackend
from sync_server.desk.screens.dossier import held_card
from tests.desk.conftest import enrolled_tablet, run, signed_in, texts_of

NEW_NAME = "Trần Thị Bảo Ngọc"


@pytest.fixture
def held(client: TestClient, backend: DeskBackend) -> tuple[str, str, str]:
    """(dossier id, the name the office holds, the tablet's name) after a kept edit."""
    tablet = enrolled_tablet(client, backend)
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    appraiser = signed_in(backend, "thamdinh", "234567")
    run(appraiser.open_dossier(d["id"]))
    assert appraiser.opened.held == []  # nothing kept yet: no card
    assert run(appraiser.act("accept")), appraiser.opened.dialog_error
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
    [edit] = s.opened.held
    assert (edit.base_version, edit.server_version) == (1, 2)
    assert edit.device_name and edit.resolved_at is None and edit.push_seq == 2
    assert edit.changes == [
        ChangedValue("child_full_name", "Họ, chữ đệm, tên", office_name, tablet_name)
    ]
    # The card on the dossier's page says who sent it, on which version, and the change.
    shown = texts_of(held_card(s.opened.held))
    assert "Bản sửa bị giữ lại (xung đột)" in shown
    assert any("sửa trên phiên bản 1, văn phòng đang ở phiên bản 2" in t for t in shown)
    assert "Họ, chữ đệm, tên" in shown
    assert f"{office_name}, máy tính bảng sửa thành: {tablet_name}" in shown
    assert held_card([]) is None  # no kept edit: no card
    # The dossier itself is untouched: the office's name stands.
    assert (
        s.opened.detail is not None
        and s.opened.detail.dossier.values["child_full_name"] == office_name
    )
    s.back_to_queue()
    assert s.opened.held == []
    run(s.open_dossier(dossier_id))
    s.logout()
    # nothing of the citizen stays after sign-out
    assert s.opened.held == [] and s.opened.lookups is None and s.opened.detail is None


@pytest.mark.parametrize(("who", "pin"), [("tiepnhan", "123456"), ("lanhdao", "345678")])
def test_every_caseworker_reads_the_kept_edit(
    backend: DeskBackend, held: tuple[str, str, str], who: str, pin: str
) -> None:
    s = signed_in(backend, who, pin)
    run(s.open_dossier(held[0]))
    assert [c.tablet for c in s.opened.held[0].changes] == [held[2]]


def test_the_admin_may_not_read_kept_edits(
    backend: DeskBackend, held: tuple[str, str, str]
) -> None:
    admin = signed_in(backend, "quantri", "567890")
    assert admin.user is not None
    with pytest.raises(TaiChoError) as caught:
        backend.held_edits(admin.user, held[0])
    assert caught.value.code == "ROLE_NOT_ALLOWED"
    run(admin.open_dossier(held[0]))  # the desk's own door is the same
    assert admin.opened.held == [] and admin.opened.detail is None
