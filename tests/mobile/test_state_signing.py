"""The "Ký tờ khai" step in the app state: each party's mark, then the dossier received
with them; a change to the form asks for a new read-back and new marks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mobile.state import AppState
from mobile.state.signing import to_pad
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.checklist_kit import hand_in_everything
from tests.mobile.test_state_session import INTAKE, _session, folder, station  # noqa: F401

KH = "1.000894"


def _confirmed(app: AppState) -> None:
    app.new_dossier(KH)
    for k, v in sample_values(KH, vn_now().date(), seed=4).items():
        app.set_field(k, v if isinstance(v, bool) else str(v))
    hand_in_everything(app)  # the papers are checked before the read-back (issue 21)
    assert asyncio.run(app.preview()), app.banner
    app.confirm_read()


def test_both_spouses_sign_then_the_dossier_carries_the_marks(
    folder: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    app = _session(folder, tmp_path)
    try:
        assert asyncio.run(app.unlock(*INTAKE))
        _confirmed(app)
        app.start_signing()
        s = app.signing
        assert s is not None and app.current_route() == "sign"
        assert [p.party for p in s.parties] == ["wife", "husband"]
        assert not app.sign_strokes("wife", [[[10, 10]]])  # a tap is not a signature
        stroke = [to_pad(x, 40 + x / 4, 600, 200) for x in range(0, 600, 12)]
        assert app.sign_strokes("wife", [stroke])
        assert not asyncio.run(app.save())  # the husband has not signed
        assert not app.sign_thumbprint("husband", "   ")  # a thumbprint needs a witness
        assert "người làm chứng" in s.error
        assert app.sign_thumbprint("husband", "Lê  Văn   Chứng")
        got = asyncio.run(app.declaration_bytes())
        assert got is not None and got[1].startswith(b"%PDF")
        assert asyncio.run(app.save()), app.banner
        assert app.receipt is not None and app.signing is None
        stored = app.backend.call(app.service.dossiers.get, app.receipt.id)
        wife, husband = stored["signatures"]
        assert wife["kind"] == "signature" and wife["strokes"] == [stroke]
        assert husband["kind"] == "thumbprint" and husband["witness_name"] == "Lê Văn Chứng"
    finally:
        app.backend.close()


def test_a_change_after_signing_asks_for_new_marks(folder: Path, tmp_path: Path) -> None:  # noqa: F811
    app = _session(folder, tmp_path)
    try:
        assert asyncio.run(app.unlock(*INTAKE))
        _confirmed(app)
        app.start_signing()
        assert app.sign_on_paper("wife") and app.sign_on_paper("husband")
        app.clear_mark("husband")  # "Ký lại"
        assert app.signing is not None and [p.party for p in app.signing.missing()] == ["husband"]
        assert app.sign_on_paper("husband")
        app.back_to_read()
        app.set_field("contact_phone", "0912345678")  # a change: read back and sign again
        assert app.current_route() != "sign"
        assert asyncio.run(app.preview()), app.banner
        app.confirm_read()
        app.start_signing()
        assert app.signing is not None and len(app.signing.missing()) == 2
    finally:
        app.backend.close()


@pytest.mark.parametrize(
    ("x", "y", "want"), [(0, 0, [0, 0]), (300, 50, [500, 500]), (900, -4, [1000, 0])]
)
def test_pad_points_are_thousandths_of_the_pad(x: float, y: float, want: list[int]) -> None:
    assert to_pad(x, y, 600, 100) == want
