"""A supplement sent from the tablet app with a new photo of the paper the appraiser asked
for (issue 21, item 1): the real station in process, real keystore, real SQLite; only the
camera is replaced by a generated JPEG."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from mobile.config import AppConfig
from mobile.state import AppState, Backend
from mobile.state.base import ROUTE_DOSSIER, ROUTE_FORM, ROUTE_RECEIPT
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.checklist_kit import hand_in_everything, page_photo, sign_all_on_paper
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation

KS = "1.001193"


def _app(folder: Path, tmp_path: Path) -> AppState:
    cfg = AppConfig("Tại Chỗ", "vn.gov.taicho", "http://127.0.0.1:9", tmp_path, 300)
    return AppState(Backend.open(folder, cfg))


def _received_with_photos(state: AppState, values: dict[str, Any]) -> str:
    state.new_dossier(KS)
    for k, v in values.items():
        state.set_field(k, v if isinstance(v, bool) else str(v))
    hand_in_everything(state)
    assert asyncio.run(state.preview()), state.banner
    state.confirm_read()
    sign_all_on_paper(state)
    assert asyncio.run(state.save()), state.banner
    assert state.receipt is not None
    return state.receipt.id


def test_a_supplement_with_a_new_photo_is_sent_from_the_app(
    station: InProcessStation, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    station.tablet(data).close()
    state = _app(data, tmp_path)
    try:
        state.backend.service.ctx.http = station.http
        assert asyncio.run(state.unlock(*INTAKE)), state.banner
        values = sample_values(KS, vn_now().date(), 3)
        dossier_id = _received_with_photos(state, values)
        assert asyncio.run(state.run_sync())
        r = station.act(dossier_id, "request_supplement", APPRAISER, "Ảnh giấy chứng sinh mờ")
        assert r.status_code == 200, r.text
        assert asyncio.run(state.run_sync())
        state.open_dossier(dossier_id)
        assert state.shown.detail is not None
        assert state.shown.detail["status"] == "supplement_requested"
        state.start_supplement()
        form = state.form
        assert form is not None and form.supplement_of == dossier_id
        # opened at what the office asked for: the paper named, marked, its photo shown
        assert form.on_checklist() and form.asked == ["birth_certificate_medical"]
        rows = {r.id: r for r in form.checklist_rows()}
        asked = rows["birth_certificate_medical"]
        assert asked.asked and len(asked.kept) == 1 and asked.kept[0].thumb.startswith(b"\xff\xd8")
        assert not rows["requester_id"].asked
        # the same paper photographed again gives the same picture: said, not listed twice
        # (before the fix it was listed twice and the station-side check said a bare
        # "Yêu cầu không hợp lệ.")
        assert not asyncio.run(state.add_photo(asked.id, page_photo(), "image/jpeg"))
        assert "Ảnh này đã có trong hồ sơ" in state.banner
        assert form.attachment_refs() == [p.ref for p in form.kept]
        # a sharper photo replaces the blurred one
        assert asyncio.run(state.add_photo(asked.id, page_photo(77), "image/jpeg")), state.banner
        state.remove_kept(0)
        # "Quay lại" on the first step goes back to the dossier, not to the picker
        state.form_step(0)
        state.leave_form()
        assert state.route == ROUTE_DOSSIER and state.form is form
        state.go(ROUTE_FORM)
        assert asyncio.run(state.preview()), state.banner
        state.confirm_read()
        sign_all_on_paper(state)
        assert state.signing is not None
        assert "Đã đủ chữ ký" not in state.signing.status()  # nothing signed yet: paper
        assert asyncio.run(state.save()), state.banner
        assert state.route == ROUTE_RECEIPT
        sent = state.backend.call(state.service.dossiers.get, dossier_id)
        assert [a["sha256"] for a in sent["attachments"]] == [
            r.sha256 for r in (p.ref for p in form.photos)
        ]
        assert asyncio.run(state.run_sync())
        assert state.backend.call(state.service.sync_state).pending == 0
        r = station.act(dossier_id, "accept", APPRAISER)
        assert r.status_code == 200, r.text

    finally:
        state.backend.close()


def test_the_same_picture_twice_is_listed_once() -> None:
    """The cause of issue 21's bare "Yêu cầu không hợp lệ.": a supplement's photo sent
    earlier and the same picture taken again were both listed for one paper."""
    from mobile.state.form import FormPhoto, FormState
    from shared.checklist import check_refs
    from shared.model import AttachmentRef
    from shared.procedures import builtin

    proc = builtin().get(KS)
    ref = AttachmentRef("a" * 64, "birth_certificate_medical", "image/jpeg", 10, 1, 1, "")
    photo = FormPhoto(ref.component, ref, b"", ref.mime)
    form = FormState.for_supplement(proc, "id", {}, kept=[photo], reason="Thiếu giấy")
    assert not form.add_photo(photo)
    form.photos = [photo]  # e.g. from a draft written before the fix
    assert form.attachment_refs() == [ref]
    check_refs(proc, form.attachment_refs())
    assert form.step == 0 and form.asked == []  # the reason names nothing: the first step


def test_the_banner_names_the_field_of_a_refused_request() -> None:
    from mobile.state.backend import user_message
    from shared.errors import problem

    bare = problem("REQUEST_INVALID", "attachments[2]")
    assert user_message(bare) == "Yêu cầu không hợp lệ (mục attachments[2])."
    assert user_message(bare, "en") == "Invalid request (attachments[2])."
    told = problem("REQUEST_INVALID", "photo", detail="x", detail_vi="ảnh sai")
    assert user_message(told) == "Yêu cầu không hợp lệ: ảnh sai (mục photo)."
