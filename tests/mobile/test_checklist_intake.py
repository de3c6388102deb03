"""The completeness checklist on the tablet, without a browser: only a complete dossier is
received (service and app state), the checklist is the form's last step, and an
incomplete one gets the supplement request instead (real station in process, real
keystore, real SQLite, the PDF read back with pdftotext)."""

from __future__ import annotations

import asyncio
import json
import subprocess
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from mobile.config import AppConfig
from mobile.services.tablet import TabletService
from mobile.state import AppState, Backend, FormState
from mobile.state.base import ROUTE_FORM, ROUTE_RECEIPT
from shared.checklist import every_component
from shared.errors import TaiChoError
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.mobile.checklist_kit import page_photo, sign_all_on_paper
from tests.mobile.conftest import APPRAISER, INTAKE, InProcessStation
from tests.mobile.test_headless import headless

TT = "1.004873"  # xác nhận tình trạng hôn nhân: no photo asked unless divorced/widowed
KS = "1.001193"


def _single(code: str = TT, seed: int = 0) -> dict[str, Any]:
    values = sample_values(code, vn_now().date(), seed)
    if code == TT:
        values = {
            k: v for k, v in values.items() if k not in ("spouse_full_name", "status_details")
        }
        values["marital_status"] = "chua_ket_hon"
    return values


def test_an_incomplete_dossier_is_refused_and_nothing_is_numbered(
    station: InProcessStation, tmp_path: Path
) -> None:
    tablet = station.tablet(tmp_path / "t")
    tablet.unlock(*INTAKE)
    tablet.sync()  # the numbers reserved at enrolment
    left = tablet.dossiers.numbers_left()
    assert left > 0
    for ticks in (None, []):
        with pytest.raises(TaiChoError) as exc:
            tablet.intake(TT, _single(), components_received=ticks)
        assert exc.value.code == "DOSSIER_INCOMPLETE"
        assert [d["component"] for d in exc.value.details] == ["requester_id"]
        assert "Giấy tờ tùy thân của người yêu cầu – chưa nộp" in exc.value.message("vi")
    assert tablet.dossiers.list_dossiers() == [] and tablet.sync_state().pending == 0
    assert tablet.dossiers.numbers_left() == left  # no number spent on a refusal
    made = tablet.intake(TT, _single(), components_received=["requester_id", "requester_id"])
    stored = tablet.dossiers.get(made.id)
    assert stored["components_received"] == ["requester_id"]  # kept once, in order
    assert made.due_at is not None
    report = tablet.sync()
    assert report.rejected == [] and report.pushed == 1
    tablet.close()


def test_divorced_needs_the_proof_and_a_supplement_keeps_or_changes_the_ticks(
    station: InProcessStation, tmp_path: Path
) -> None:
    tablet = station.tablet(tmp_path / "t")
    tablet.unlock(*INTAKE)
    divorced = {**_single(), "marital_status": "da_ly_hon", "status_details": "Bản án ly hôn"}
    with pytest.raises(TaiChoError) as exc:
        tablet.intake(TT, divorced, components_received=["requester_id"])
    assert [d["component"] for d in exc.value.details] == ["status_proof"]
    made = tablet.intake(TT, divorced, components_received=every_component(TT, divorced))
    tablet.sync()
    assert (
        station.act(made.id, "request_supplement", APPRAISER, "Ghi rõ số bản án").status_code == 200
    )
    tablet.sync()
    fixed = {**divorced, "status_details": "Bản án số 12/2024/HNGĐ-ST"}
    # None keeps the ticks of the dossier as received
    assert tablet.dossiers.supplement(made.id, fixed).version == 3
    assert tablet.dossiers.get(made.id)["components_received"] == every_component(TT)
    report = tablet.sync()
    assert report.rejected == [], report.rejected
    tablet.close()


def _app(folder: Path, tmp_path: Path) -> AppState:
    cfg = AppConfig("Tại Chỗ", "vn.gov.taicho", "http://127.0.0.1:9", tmp_path, 300)
    return AppState(Backend.open(folder, cfg))


def test_the_checklist_is_the_last_step_and_follows_what_is_typed() -> None:
    form = FormState.new(builtin().get(TT))
    n = len(form.sections())
    assert form.step_count() == n + 1
    form.go_step(99)
    assert form.on_checklist() and form.current_step() == n
    for k, v in _single().items():
        form.set_value(k, v if isinstance(v, bool) else str(v))
    rows = {r.id: r for r in form.checklist_rows()}
    assert rows["requester_id"].required
    # never married: the proof of divorce or death is no paper of this dossier
    assert "status_proof" not in rows
    form.toggle("status_proof")
    assert "status_proof" not in form.ticked  # a tick that does not apply is refused
    assert rows["requester_id"].form == "Bản chính hoặc bản sao"
    assert [m.component for m in form.checklist().missing] == ["requester_id"]
    form.toggle("requester_id")
    assert form.checklist().complete
    form.set_value("marital_status", "vo_chong_chet")  # now the proof is required
    rows = {r.id: r for r in form.checklist_rows()}
    assert rows["status_proof"].required
    assert rows["status_proof"].photo_required and rows["status_proof"].form == "Bản sao"
    assert [m.text() for m in form.checklist().missing] == [
        "Giấy tờ chứng minh đã ly hôn hoặc vợ/chồng đã chết (khi đã ly hôn hoặc vợ/chồng "
        "đã chết) – chưa nộp"
    ]
    form.toggle("status_proof")  # ticked, but the tablet takes photos: one is asked for
    assert [(m.component, m.why) for m in form.checklist().missing] == [
        ("status_proof", "photo_missing")
    ]
    form.toggle("status_proof")
    form.toggle("no_such_paper")  # not of this procedure: ignored
    assert form.ticked == ["requester_id"]
    # a procedure without components has no checklist step
    bare = FormState.new(builtin().get(KS))
    assert bare.has_checklist()


def _fill(state: AppState, code: str, values: dict[str, Any]) -> FormState:
    state.new_dossier(code)
    form = state.form
    assert form is not None
    for k, v in values.items():
        state.set_field(k, v if isinstance(v, bool) else str(v))
    return form


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def test_the_app_receives_only_a_complete_dossier_and_prints_the_supplement_request(
    station: InProcessStation, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.close()
    state = _app(data, tmp_path)
    try:
        state.backend.service.ctx.http = station.http
        assert asyncio.run(state.unlock(*INTAKE)), state.banner
        values = _single()
        form = _fill(state, TT, values)
        # nothing ticked: the papers are checked before the citizen reads anything back
        # (issue 21, item 6): no read-back, the form on its checklist step
        assert not asyncio.run(state.preview())
        assert state.route == ROUTE_FORM and form.on_checklist() and form.papers_missing
        assert form.checked is None and not form.read_back_at
        assert "Giấy tờ tùy thân của người yêu cầu – chưa nộp" in [
            m.text("vi") for m in form.checklist().missing
        ]
        assert state.backend.call(state.service.dossiers.list_dossiers, None) == []
        # the supplement request instead: a PDF naming what is missing; the draft is kept
        got = asyncio.run(state.supplement_request())
        assert got is not None
        name, pdf = got
        assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
        text = _pdf_text(pdf, tmp_path)
        assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
        assert "Giấy tờ tùy thân của người yêu cầu – chưa nộp" in text
        assert values["subject_full_name"] in text
        assert "chưa tiếp nhận" in text
        kept = state.backend.call(state._drafts().list)
        assert [d.id for d in kept] == [form.draft_id]
        # ticking the paper is kept in the draft, and then the dossier is received
        state.toggle_component("requester_id")
        assert state.save_draft()
        state.open_draft(form.draft_id)
        again = state.form
        assert again is not None and again.ticked == ["requester_id"]
        assert asyncio.run(state.supplement_request()) is None  # complete: nothing to ask
        assert asyncio.run(state.preview())
        state.confirm_read()
        sign_all_on_paper(state)
        assert asyncio.run(state.save()), state.banner
        assert state.route == ROUTE_RECEIPT and state.receipt is not None
        stored = state.backend.call(state.service.dossiers.get, state.receipt.id)
        assert stored["components_received"] == ["requester_id"]
        assert state.home.drafts == []
    finally:
        state.backend.close()


def test_backend_calls_take_the_ticks_by_keyword(station: InProcessStation, tmp_path: Path) -> None:
    tablet = station.tablet(tmp_path / "t")
    tablet.unlock(*INTAKE)
    call = partial(tablet.intake, TT, _single(), components_received=["requester_id"])
    assert call().status == "received"
    assert isinstance(tablet, TabletService)
    tablet.close()


def test_a_photo_paper_needs_its_photo_in_the_app_and_the_dossier_refers_to_it(
    station: InProcessStation, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    station.tablet(data).close()
    state = _app(data, tmp_path)
    try:
        state.backend.service.ctx.http = station.http
        assert asyncio.run(state.unlock(*INTAKE)), state.banner
        form = _fill(state, KS, sample_values(KS, vn_now().date(), 2))
        for cid in every_component(KS):
            state.toggle_component(cid)
        assert [(m.component, m.why) for m in form.checklist().missing] == [
            ("birth_certificate_medical", "photo_missing")
        ]
        assert not asyncio.run(state.add_photo("birth_certificate_medical", b"not a picture", None))
        assert state.banner  # the store's catalogued refusal, in words
        assert form.photos == []
        photo = page_photo(3)
        assert asyncio.run(state.add_photo("birth_certificate_medical", photo, "image/jpeg"))
        [taken] = form.photos
        assert taken.thumb == photo and taken.ref.component == "birth_certificate_medical"
        assert form.checklist().complete
        state.remove_photo(0)  # removed again: missing again
        assert not form.checklist().complete
        assert asyncio.run(state.add_photo("birth_certificate_medical", photo, "image/jpeg"))
        # the draft keeps ticks and photos: reopened (as after a restart), all is there
        assert state.save_draft()
        state.open_draft(form.draft_id)
        form = state.form
        assert form is not None and form.ticked == every_component(KS, form.values_for_check())
        [back] = form.photos
        assert back.ref == taken.ref and back.thumb.startswith(b"\xff\xd8")  # the stored JPEG
        assert form.checklist().complete
        assert asyncio.run(state.preview()), (state.banner, form.errors)
        state.confirm_read()
        sign_all_on_paper(state)
        assert asyncio.run(state.save()), state.banner
        assert state.receipt is not None
        stored = state.backend.call(state.service.dossiers.get, state.receipt.id)
        assert stored["components_received"] == every_component(KS, stored["values"])
        assert [a["component"] for a in stored["attachments"]] == ["birth_certificate_medical"]
    finally:
        state.backend.close()


def test_the_headless_cli_ticks_every_paper_unless_told_which(
    station: InProcessStation, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.unlock(*INTAKE)
    tablet.sync()  # numbers for today: the CLI takes one offline
    tablet.close()
    values = tmp_path / "ks.json"
    values.write_text(json.dumps(sample_values(KS, vn_now().date(), 5), ensure_ascii=False))
    who = ("--data", str(data), "--user", INTAKE[0], "--pin", INTAKE[1])
    rc, refused, _ = headless(
        *who, "intake", "--procedure", KS, "--json", str(values), "--components", "requester_id"
    )
    assert rc != 0 and refused["code"] == "DOSSIER_INCOMPLETE"
    assert {d["component"] for d in refused["details"]} == {
        "birth_certificate_medical",
    }
    rc, made, _ = headless(*who, "intake", "--procedure", KS, "--json", str(values))
    assert rc == 0, made
    rc, shown, _ = headless(*who, "show", made["id"])
    assert shown["components_received"] == every_component(KS, shown["values"])
