"""The desk lets the spouses sign the Giấy chứng nhận kết hôn before the seal (issue 17,
§2 Kết hôn) — state driven as the card drives it, over a real station in process: the
clerk cannot stamp before both signed, the bride's strokes from the pad and the groom's
"signed on paper" are recorded, the card then says who signed, and the seal follows."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from shared.checklist import every_component
from shared.procedures import sample_values
from shared.workdays import vn_now
from sync_server.desk.backend import DeskBackend
from sync_server.desk.screens.result_signatures import registered_day, result_signatures_card
from tests.desk.conftest import enrolled_tablet, signed_in, texts_of

KH = "1.000894"
STROKES = [[[100 + 20 * i, 400 + (i % 4) * 80] for i in range(20)]]


@pytest.fixture
def backend(client: TestClient) -> DeskBackend:
    """The desk's backend with a kết hôn received on an enrolled tablet (its id and values
    in ``test_dossier``)."""
    b: DeskBackend = client.app.state.desk  # type: ignore[attr-defined]
    tablet = enrolled_tablet(client, b)
    values = sample_values(KH, vn_now().date(), 9)
    d = tablet.dossier(values, procedure=KH)
    d["components_received"] = every_component(KH, values)
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    b.test_dossier = (d["id"], values)  # type: ignore[attr-defined]
    return b


def test_the_spouses_sign_at_the_desk_before_the_clerk_seals(backend: DeskBackend) -> None:
    did, values = backend.test_dossier  # type: ignore[attr-defined]
    for who, pin, action in (("thamdinh", "234567", "accept"), ("lanhdao", "345678", "approve")):
        s = signed_in(backend, who, pin)
        assert s.user is not None
        backend.act(s.user, did, action, None)
    clerk = signed_in(backend, "vanthu", "456789")
    asyncio.run(clerk.open_dossier(did))
    assert clerk.opened.detail is not None and clerk.opened.result_signed == []
    proc = backend.station.catalogue.get(KH)
    # (the pads are components a page renders; the card is read once both have signed)
    # the seal first is refused, naming who has not signed
    assert clerk.user is not None
    with pytest.raises(Exception) as refused:
        backend.act(clerk.user, did, "stamp", None)
    assert getattr(refused.value, "code", "") == "RESULT_PARTIES_UNSIGNED"
    # an empty pad is refused under that spouse's box
    assert not asyncio.run(clerk.sign_result("wife", "signature", []))
    assert "khung ký còn trống" in clerk.field_errors["sign:wife"]
    # a thumbprint needs its witness
    assert not asyncio.run(clerk.sign_result("husband", "thumbprint", []))
    assert "sign:husband" in clerk.field_errors
    assert asyncio.run(clerk.sign_result("wife", "signature", STROKES))
    assert clerk.opened.result_signed == ["wife"]
    assert asyncio.run(clerk.sign_result("husband", "paper", []))
    assert clerk.opened.result_signed == ["wife", "husband"]
    assert clerk.opened.detail is not None
    shown = texts_of(result_signatures_card(clerk, proc, clerk.opened.detail.dossier))
    assert "Chữ ký của hai bên trên Giấy chứng nhận kết hôn" in shown
    # the registration date the certificate prints (the approval's) is the day they sign
    # (Thông tư 04/2020/TT-BTP, Điều 32)
    approved_on = registered_day(clerk.opened.detail.dossier.history)
    day = "/".join(reversed(approved_on.split("-")))
    assert (
        f"Ngày đăng ký in trên giấy chứng nhận: {day} — hai bên ký trong ngày này "
        "(Thông tư 04/2020/TT-BTP, Điều 32)." in shown
    )
    # approved on another day than today: the card says so
    old = replace(
        clerk.opened.detail.dossier,
        history=[
            replace(h, at="2020-01-02T09:00:00+07:00") if h.action == "approve" else h
            for h in clerk.opened.detail.dossier.history
        ],
    )
    late = texts_of(result_signatures_card(clerk, proc, old))
    assert (
        "Hôm nay không phải ngày 02/01/2020: ngày đăng ký in trên giấy chứng nhận phải là "
        "ngày hai bên ký." in late
    )
    # the approved certificate can be printed for signing on paper (a short-lived link)
    assert "In giấy chứng nhận để hai bên ký (PDF)" in shown
    assert clerk.opened.certificate_url.startswith("/desk-files/result/")
    # the law, quoted (Luật Hộ tịch 2014, Điều 18 khoản 2; docs/legal.md)
    assert any("Hai bên nam, nữ cùng ký vào Giấy chứng nhận kết hôn" in t for t in shown)
    assert f"Bên nữ: {values['wife_full_name']} — đã ký." in shown
    assert f"Bên nam: {values['husband_full_name']} — đã ký." in shown
    backend.act(clerk.user, did, "stamp", None)
    asyncio.run(clerk.open_dossier(did))
    assert clerk.opened.detail is not None and clerk.opened.detail.dossier.status.value == "stamped"
    # once sealed, the card is gone
    assert result_signatures_card(clerk, proc, clerk.opened.detail.dossier) is None


def test_a_leader_sees_no_signing_card(backend: DeskBackend) -> None:
    did, _ = backend.test_dossier  # type: ignore[attr-defined]
    s = signed_in(backend, "thamdinh", "234567")
    assert s.user is not None
    backend.act(s.user, did, "accept", None)
    leader = signed_in(backend, "lanhdao", "345678")
    assert leader.user is not None
    backend.act(leader.user, did, "approve", None)
    asyncio.run(leader.open_dossier(did))
    assert leader.opened.detail is not None
    proc = backend.station.catalogue.get(KH)
    assert result_signatures_card(leader, proc, leader.opened.detail.dossier) is None
    assert not asyncio.run(leader.sign_result("wife", "paper", []))
    assert "Lãnh đạo" in leader.banner or "lãnh đạo" in leader.banner.lower()
