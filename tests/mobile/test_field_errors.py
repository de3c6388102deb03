"""Errors where they happen (issue 21, items 5 and 6): a field is checked when it loses
the focus, a step when it is left, the count recounts live, and the papers are checked
before the read-back. Real catalogue, real validation, the real tablet service."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from mobile.config import AppConfig
from mobile.services.tablet import TabletService
from mobile.state import AppState, Backend, FormState
from mobile.state.base import ROUTE_FORM
from shared.procedures import builtin
from shared.samples import sample_values
from shared.validation import validate
from shared.workdays import vn_now

KS = "1.001193"
TODAY = date(2026, 3, 10)


@pytest.fixture
def form() -> FormState:
    return FormState.new(builtin().get(KS))


def test_a_field_left_with_a_wrong_value_shows_its_error_and_others_stay_quiet(
    form: FormState,
) -> None:
    form.set_value("requester_birth_date", "01/02/2027")  # after today
    form.blur("requester_birth_date", validate(form.procedure, form.values_for_check(), TODAY))
    assert set(form.errors) == {"requester_birth_date"}  # not yet a page of red
    assert "không được sau ngày hôm nay" in form.errors["requester_birth_date"]
    form.set_value("requester_id_number", "12345")
    form.blur("requester_id_number", validate(form.procedure, form.values_for_check(), TODAY))
    assert "12 chữ số" in form.errors["requester_id_number"]
    assert form.summary.startswith("Hồ sơ còn 2 lỗi")
    assert form.step_errors(0) == 2


def test_an_empty_field_left_stays_quiet_until_its_step_is_left(form: FormState) -> None:
    result = validate(form.procedure, form.values_for_check(), TODAY)
    form.blur("requester_full_name", result)
    assert form.errors == {} and form.summary == ""
    n = form.leave_step(0, result)
    assert n == form.step_errors(0) >= 1
    assert form.errors["requester_full_name"] == "Vui lòng nhập Họ, chữ đệm, tên người yêu cầu."
    assert not any(f in form.errors for f in form.step_field_ids(1))  # step 2 untouched


def test_the_count_drops_as_each_error_is_fixed(form: FormState) -> None:
    """After both are fixed, "Hồ sơ còn 2 lỗi" no longer counts 2 (it did)."""
    form.set_value("requester_birth_date", "01/02/2027")
    form.blur("requester_birth_date", validate(form.procedure, form.values_for_check(), TODAY))
    form.set_value("requester_id_number", "12345")
    form.blur("requester_id_number", validate(form.procedure, form.values_for_check(), TODAY))
    assert form.error_count() == 2
    form.set_value("requester_birth_date", "01/02/1990")  # typing clears its red at once
    assert form.error_count() == 1 and form.summary.startswith("Hồ sơ còn 1 lỗi")
    form.blur("requester_birth_date", validate(form.procedure, form.values_for_check(), TODAY))
    assert "requester_birth_date" not in form.errors
    form.set_value("requester_id_number", "012345")  # still wrong: back on blur
    form.blur("requester_id_number", validate(form.procedure, form.values_for_check(), TODAY))
    assert form.error_count() == 1
    form.set_value("requester_id_number", "079190001234")
    form.blur("requester_id_number", validate(form.procedure, form.values_for_check(), TODAY))
    assert form.error_count() == 0 and form.summary == ""


def test_the_full_check_shows_everything_and_recounts_live(form: FormState) -> None:
    assert not form.apply_check(validate(form.procedure, form.values_for_check(), TODAY))
    n = form.error_count()
    assert n >= 3 and form.summary.startswith(f"Hồ sơ còn {n} lỗi")
    form.set_value("requester_full_name", "Nguyễn Thị Hằng")
    assert form.error_count() == n - 1
    form.lang = "en"
    assert form.summary.startswith(f"{n - 1} problem(s)")


def _app(tmp_path: Path) -> AppState:
    cfg = AppConfig("Tại Chỗ", "vn.gov.taicho", "http://127.0.0.1:9", tmp_path, 600)
    return AppState(Backend(TabletService(tmp_path / "tablet"), cfg))


def test_next_holds_a_step_with_a_problem_and_a_chip_jumps_anyway(tmp_path: Path) -> None:
    app = _app(tmp_path)
    try:
        app.new_dossier(KS)  # the built-in catalogue: no station needed
        form = app.form
        assert form is not None
        app.set_field("requester_birth_date", "01/02/2027")
        app.blur_field("requester_birth_date")
        assert "requester_birth_date" in form.errors
        assert not app.next_step() and form.current_step() == 0  # "Tiếp" stays
        assert form.step_errors(0) >= 2  # the empty required ones are shown too now
        app.form_step(3)  # a step chip: goes, the problems stay red on chip 1
        assert form.current_step() == 3 and form.step_errors(0) >= 2
        app.form_step(0)
        values = sample_values(KS, vn_now().date(), seed=2)
        for f in form.step_field_ids(0):
            if f in values:
                v = values[f]
                app.set_field(f, v if isinstance(v, bool) else str(v))
        born = date.fromisoformat(values["requester_birth_date"]).strftime("%d/%m/%Y")
        app.set_field("requester_birth_date", born)  # the sample's ID matches this year
        assert app.next_step() and form.current_step() == 1, form.errors
        assert form.step_errors(0) == 0
        # the language follows to the messages already shown
        app.form_step(0)
        app.set_field("requester_id_number", "12345")
        app.blur_field("requester_id_number")
        app.toggle_lang()
        assert "12 digits" in form.errors["requester_id_number"], form.errors
    finally:
        app.backend.close()


def test_papers_are_checked_before_the_read_back(tmp_path: Path) -> None:
    """A paper marked "Cần ảnh" without its photo is found when "Xem trước" is pressed,
    not after the citizen has read three screens and confirmed."""
    app = _app(tmp_path)
    try:
        app.new_dossier(KS)
        form = app.form
        assert form is not None
        for k, v in sample_values(KS, vn_now().date(), seed=6).items():
            app.set_field(k, v if isinstance(v, bool) else str(v))
        for row in form.checklist_rows():
            app.toggle_component(row.id)  # every paper ticked, but no photo taken
        assert any(r.photo_required for r in form.checklist_rows())
        assert not form.checklist().complete
        assert not asyncio.run(app.preview())
        assert app.route == ROUTE_FORM and form.on_checklist()  # (not enrolled here)
        assert form.papers_missing and form.checked is None and not form.read_back_at
        assert form.errors == {}  # the fields are right: only papers are missing
    finally:
        app.backend.close()
