"""The tablet's form and app state without a browser (real catalogue, real service)."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from mobile.config import AppConfig
from mobile.services.tablet import TabletService
from mobile.state import AppState, Backend, FormState, field_kind
from mobile.state.base import ROUTE_ENROLL
from shared.procedures import builtin
from shared.samples import sample_values
from shared.validation import validate

KS = "1.001193"
TODAY = date(2026, 3, 10)


@pytest.fixture
def form() -> FormState:
    return FormState.new(builtin().get(KS))


def test_defaults_prefilled_and_controls_chosen(form: FormState) -> None:
    p = form.procedure
    assert form.value("child_ethnicity") == "Kinh"
    assert form.value("child_nationality") == "VN"
    assert form.value("father_known") is True
    assert form.value("copies_requested") == "1"
    assert field_kind(p.field("requester_relationship")) == "radio"
    assert field_kind(p.field("child_ethnicity")) == "dropdown"
    assert field_kind(p.field("father_known")) == "switch"
    assert field_kind(p.field("copies_requested")) == "number"
    assert field_kind(p.field("child_birth_date_words")) == "derived"


def test_show_if_hides_father_fields_but_keeps_their_values(form: FormState) -> None:
    form.set_value("father_full_name", "Lê Văn Phúc")
    form.set_value("father_known", False)
    ids = {f.id for _, fields in form.sections() for f in fields}
    assert "father_full_name" not in ids
    assert "father_full_name" not in form.values_for_check()
    form.set_value("father_known", True)
    assert form.value("father_full_name") == "Lê Văn Phúc"
    assert form.values_for_check()["father_full_name"] == "Lê Văn Phúc"


def test_relationship_other_appears_only_for_other(form: FormState) -> None:
    f = form.procedure.field("requester_relationship_other")
    form.set_value("requester_relationship", "me")
    assert not form.visible(f)
    form.set_value("requester_relationship", "khac")
    assert form.visible(f)


def test_date_words_live(form: FormState) -> None:
    form.set_value("child_birth_date", "05/11/2025")
    assert form.words_for("child_birth_date").startswith("Ngày năm, tháng mười một")
    form.set_value("child_birth_date", "31/02/2025")
    assert form.words_for("child_birth_date") == ""


def test_errors_mapped_per_field_in_vietnamese_and_nothing_lost(form: FormState) -> None:
    form.set_value("child_full_name", "Trần Văn Dũng")
    ok = form.apply_check(validate(form.procedure, form.values_for_check(), TODAY))
    assert not ok
    assert form.errors["requester_full_name"] == "Vui lòng nhập Họ, chữ đệm, tên người yêu cầu."
    assert "child_full_name" not in form.errors
    assert form.summary.startswith("Hồ sơ còn")
    assert form.value("child_full_name") == "Trần Văn Dũng"
    form.set_value("requester_full_name", "Nguyễn Thị Hằng")
    assert "requester_full_name" not in form.errors  # cleared as soon as it is edited


def test_preview_shows_labels_and_date_words(form: FormState) -> None:
    values = sample_values(KS, TODAY, seed=3)
    for k, v in values.items():
        form.set_value(k, v if isinstance(v, bool) else str(v))
    form.set_value(
        "child_birth_date", date.fromisoformat(values["child_birth_date"]).strftime("%d/%m/%Y")
    )
    assert form.apply_check(validate(form.procedure, form.values_for_check(), TODAY))
    rows = {r.field_id: r.value for s in form.preview() for r in s.rows}
    assert rows["requester_relationship"] == "Mẹ"
    assert rows["child_sex"] in ("Nam", "Nữ")
    assert rows["father_known"] == "Có"
    assert rows["child_birth_date"] == date.fromisoformat(values["child_birth_date"]).strftime(
        "%d/%m/%Y"
    )
    assert rows["child_birth_date_words"].startswith("Ngày ")
    assert rows["child_full_name"] == values["child_full_name"]
    # The fee computed from the dossier: 8.000 đ for each copy of the Giấy khai sinh.
    # With the rule the procedure picker shows (shared.fee_text, issue 21 §8).
    total = f"{8_000 * int(values['copies_requested']):,} đồng".replace(",", ".")
    assert rows["fee_vnd"] == f"{total} (8.000 đồng × số bản sao Giấy khai sinh yêu cầu cấp)"


def _app(tmp_path: Path) -> AppState:
    cfg = AppConfig("Tại Chỗ", "vn.gov.taicho", "http://127.0.0.1:9", tmp_path, 1)
    return AppState(Backend(TabletService(tmp_path / "tablet"), cfg))


def test_unenrolled_tablet_routes_to_enrolment(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.go("home")
    assert app.current_route() == ROUTE_ENROLL


def test_enrol_errors_land_under_fields_or_in_banner(tmp_path: Path) -> None:
    app = _app(tmp_path)
    assert not asyncio.run(app.enroll("", ""))
    assert set(app.field_errors) == {"url", "code"}
    # nothing listens on port 9: the station is unreachable, said in Vietnamese
    assert not asyncio.run(app.enroll("http://127.0.0.1:9", "ABCD-EFGH-JKMN"))
    assert app.busy == ""
    assert "máy chủ văn phòng" in (app.banner + " ".join(app.field_errors.values()))


def test_idle_lock_only_when_signed_in(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app._last_touch -= 10
    assert not app.check_idle()  # nobody signed in: nothing to lock
