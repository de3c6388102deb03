"""Procedure bundles: the registry finds all six; each sample is valid, a blank dossier is
refused field by field; the khai sinh rules; fees; the identity-number structure check."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.documents.result import DEMO_WATERMARK
from shared.lists import ETHNIC_GROUPS, PROVINCE_CODES
from shared.procedures import BUNDLE_DIR, builtin, bundle, bundles, renderer
from shared.samples import sample_values
from shared.validation import compute_fee, page_fee, personal_id_problem, validate
from tests.shared.commune import result_meta

TODAY = date(2026, 11, 25)
SIX = {"1.001193", "1.000656", "1.000894", "1.004873", "2.000815", "2.000884"}
TITLES = {
    "1.001193": "GIẤY KHAI SINH",
    "1.000656": "TRÍCH LỤC KHAI TỬ",
    "1.000894": "GIẤY CHỨNG NHẬN KẾT HÔN",
    "1.004873": "GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN",
    "2.000815": "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH",
    "2.000884": "CHỨNG THỰC CHỮ KÝ",
}
META = result_meta(
    TODAY,
    registration_office="UBND xã Lai Vung, tỉnh Đồng Tháp",
    dossier_code="000.31.22.H20-261125-0101",
    verify_text="https://example.invalid/verify/000.31.22.H20-261125-0101",
)


def test_registry_finds_every_bundle_folder() -> None:
    folders = {p.parent.name for p in BUNDLE_DIR.glob("*/procedure.json")}
    assert len(folders) == 6
    assert set(bundles()) == SIX
    assert set(builtin().codes()) == SIX
    for b in bundles().values():
        assert b.folder in folders and b.procedure.result_template == b.folder
        assert renderer(b.folder) is not None
        assert b.procedure.result_title == TITLES[b.procedure.code]


def test_package_data_ships_the_bundle_definitions() -> None:
    """Every data file of a folder (definition, layouts, sample) is in the package."""
    text = (Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8")
    assert '"procedures/*/*.json"' in text
    names = {p.name for p in BUNDLE_DIR.glob("*/*.json")}
    assert names == {"procedure.json", "result.json", "declaration.json", "sample.json"}


@pytest.mark.parametrize("code", sorted(SIX))
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5, 6, 7])
def test_every_sample_is_valid(code: str, seed: int) -> None:
    result = validate(builtin().get(code), sample_values(code, TODAY, seed), TODAY)
    assert result.ok, [p.to_problem() for p in result.problems]


@pytest.mark.parametrize("code", sorted(SIX))
def test_blank_dossier_is_refused_field_by_field(code: str) -> None:
    result = validate(builtin().get(code), {}, TODAY)
    assert not result.ok
    assert all(p.field and p.message("vi") for p in result.problems)
    required = {p.field for p in result.problems if p.code == "FIELD_REQUIRED"}
    assert builtin().get(code).title_field in required


@pytest.mark.parametrize(
    ("code", "changes", "field", "error"),
    [
        ("1.000656", {"death_date": "2026-11-26"}, "death_date", "FIELD_DATE_FUTURE"),
        (
            "1.000656",
            {"deceased_birth_date": "2026-11-25", "deceased_id_number": None},
            "death_date",
            "FIELD_DATE_ORDER",
        ),
        ("1.000894", {"wife_birth_date": "2010-01-01"}, "wife_birth_date", "FIELD_MIN_AGE"),
        ("1.000894", {"husband_id_issuer": ""}, "husband_id_issuer", "FIELD_REQUIRED"),
        ("1.004873", {"purpose": "khac"}, "purpose_other", "FIELD_REQUIRED"),
        ("1.004873", {"marital_status": "x"}, "marital_status", "FIELD_CHOICE"),
        ("2.000815", {"page_count": 0}, "page_count", "FIELD_MIN"),
        ("2.000815", {"original_presented": False}, "original_presented", "FIELD_MUST_ACCEPT"),
        ("2.000884", {"signed_in_presence": False}, "signed_in_presence", "FIELD_MUST_ACCEPT"),
    ],
)
def test_invalid_samples(code: str, changes: dict[str, Any], field: str, error: str) -> None:
    values = {**sample_values(code, TODAY, 1), **changes}
    problems = {p.field: p.code for p in validate(builtin().get(code), values, TODAY).problems}
    assert problems.get(field) == error, problems


def test_ket_hon_parties_cannot_share_an_identity_number() -> None:
    values = sample_values("1.000894", TODAY, 2)
    values["husband_id_number"] = values["wife_id_number"]
    problems = validate(builtin().get("1.000894"), values, TODAY).by_field()
    assert "husband_id_number" in problems


# --- khai sinh -------------------------------------------------------------------------


def ks(**changes: Any) -> dict[str, Any]:
    return {**sample_values("1.001193", TODAY, 3), **changes}


def ks_problems(values: dict[str, Any]) -> dict[str, str]:
    result = validate(builtin().get("1.001193"), values, TODAY)
    return {p.field or "": p.code for p in result.problems}


def _unknown_father(**changes: Any) -> dict[str, Any]:
    values = {k: v for k, v in ks().items() if not k.startswith(("father_", "marriage_"))}
    values.pop("parents_married")
    family = values["mother_full_name"].split()[0]
    return {**values, "father_known": False, "child_full_name": f"{family} Minh Khôi", **changes}


def test_unknown_father_child_follows_the_mother() -> None:
    assert ks_problems(_unknown_father()) == {}
    assert ks_problems(_unknown_father(child_ethnicity="Ê-đê")) == {
        "child_ethnicity": "FIELD_MUST_MATCH"
    }
    assert ks_problems(_unknown_father(child_nationality="FR"))["child_nationality"] == (
        "FIELD_MUST_MATCH"
    )
    assert ks_problems(_unknown_father(child_full_name="Zương Minh Khôi"))["child_full_name"] == (
        "FIELD_MUST_MATCH"
    )


def test_stale_hidden_values_do_not_unhide_fields() -> None:
    # father unknown: parents_married and the marriage fields stay hidden and dropped
    values = _unknown_father(parents_married=True)
    result = validate(builtin().get("1.001193"), values, TODAY)
    assert result.ok and "parents_married" not in result.values


def test_named_father_without_marriage_points_to_1_000689() -> None:
    values = {k: v for k, v in ks(parents_married=False).items() if not k.startswith("marriage_")}
    result = validate(builtin().get("1.001193"), values, TODAY)
    problem = result.by_field()["parents_married"]
    assert problem.code == "USE_OTHER_PROCEDURE"
    assert "1.000689" in problem.message("vi") and "nhận cha, mẹ, con" in problem.message("vi")
    assert "1.000689" in problem.message("en")


def test_married_parents_need_no_certificate_details_the_office_looks_them_up() -> None:
    """Nghị định 07/2025/NĐ-CP: the marriage is looked up, its certificate not asked."""
    values = {k: v for k, v in ks().items() if not k.startswith("marriage_cert_")}
    assert values["parents_married"] is True
    assert ks_problems(values) == {}


def test_late_registration_is_flagged_not_refused() -> None:
    on_time = validate(builtin().get("1.001193"), ks(child_birth_date="2026-09-26"), TODAY)
    late = validate(builtin().get("1.001193"), ks(child_birth_date="2026-09-25"), TODAY)
    assert on_time.ok and on_time.flags == []
    assert late.ok and [f.id for f in late.flags] == ["late_registration"]
    assert "quá hạn" in late.flags[0].label.vi


@pytest.mark.parametrize(("copies", "fee"), [(0, 0), (1, 8000), (3, 24000)])
def test_khai_sinh_fee_is_8000_per_copy(copies: int, fee: int) -> None:
    result = validate(builtin().get("1.001193"), ks(copies_requested=copies), TODAY)
    assert result.ok and result.fee_vnd == fee


def test_passport_and_other_documents() -> None:
    passport = ks(
        requester_id_type="ho_chieu",
        requester_id_number="c1234567",
        requester_id_issuer="Cục Quản lý xuất nhập cảnh",
        requester_id_issue_date="2020-01-02",
    )
    result = validate(builtin().get("1.001193"), passport, TODAY)
    assert result.ok and result.values["requester_id_number"] == "C1234567"
    assert ks_problems({**passport, "requester_id_number": "C1"}) == {
        "requester_id_number": "FIELD_DOCUMENT_NUMBER"
    }
    no_issuer = {k: v for k, v in passport.items() if k != "requester_id_issuer"}
    assert ks_problems(no_issuer) == {"requester_id_issuer": "FIELD_REQUIRED"}


def test_ethnic_groups_are_the_gso_list() -> None:
    assert len(ETHNIC_GROUPS) == 54
    assert [c for c, _ in ETHNIC_GROUPS] == [f"{i:02d}" for i in range(1, 55)]
    assert dict(ETHNIC_GROUPS)["27"] == "Gié Triêng" and dict(ETHNIC_GROUPS)["47"] == "Co Lao"


# --- identity numbers ------------------------------------------------------------------


def test_province_codes_are_the_63_provinces() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["087"] == "Đồng Tháp" and PROVINCE_CODES["001"] == "Hà Nội"


@pytest.mark.parametrize(
    ("number", "sex", "year", "expected"),
    [
        ("087195004321", "nu", 1995, None),  # female, 1900s
        ("087095004321", "nam", 1995, None),  # male, 1900s
        ("087326001234", "nu", 2026, None),  # female, 2000s
        ("087226001234", "nam", None, None),  # year unknown: not checked
        ("087195004321", "nam", None, "FIELD_ID_MISMATCH"),  # sex digit says female
        ("087195004321", "nu", 1996, "FIELD_ID_MISMATCH"),  # year digits say 1995
        ("087299001234", None, None, "FIELD_ID_MISMATCH"),  # born 2099: in the future
        ("003095004321", None, None, "FIELD_ID_PROVINCE"),  # 003 is no province
        ("097095004321", None, None, "FIELD_ID_PROVINCE"),
        ("08709500432", None, None, "FIELD_CCCD"),  # 11 digits
        ("08709500432a", None, None, "FIELD_CCCD"),
    ],
)
def test_personal_id_structure(
    number: str, sex: str | None, year: int | None, expected: str | None
) -> None:
    assert personal_id_problem(number, TODAY, sex=sex, birth_year=year) == expected


def test_identity_number_checked_against_the_declared_person() -> None:
    # the mother's number must be a woman's and carry her birth year
    values = ks()
    born = values["mother_birth_date"][:4]
    assert ks_problems({**values, "mother_id_number": f"0870{born[2:]}001234"}) == {
        "mother_id_number": "FIELD_ID_MISMATCH"
    }


# --- fees ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (0, 0),
        (1, 2000),
        (2, 4000),
        (3, 5000),
        (4, 6000),
        (198, 200000),
        (199, 200000),
        (1000, 200000),
    ],
)
def test_copy_certification_page_fee(pages: int, fee: int) -> None:
    assert page_fee(pages, 2, 2000, 1000, 200000) == fee


def test_copy_certification_fee_per_copy_with_cap() -> None:
    p = builtin().get("2.000815")
    assert compute_fee(p, {"page_count": 2, "copy_count": 3}) == 12000
    assert compute_fee(p, {"page_count": 3, "copy_count": 3}) == 15000
    assert compute_fee(p, {"page_count": 500, "copy_count": 2}) == 400000


def test_signature_certification_is_10000_per_case() -> None:
    values = sample_values("2.000884", TODAY, 0)
    assert validate(builtin().get("2.000884"), values, TODAY).fee_vnd == 10000


# --- results ---------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


@needs_poppler
@pytest.mark.parametrize("code", sorted(SIX))
def test_each_result_shows_its_own_title(code: str, tmp_path: Path) -> None:
    values = validate(builtin().get(code), sample_values(code, TODAY, 4), TODAY).values
    out = bundle(code).render(values, META, demo=True)
    path = tmp_path / "r.pdf"
    path.write_bytes(out.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert TITLES[code] in text
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert DEMO_WATERMARK.replace(" ", "") in "".join(raw.split())  # rotated: split in runs
    assert "SHA-256" not in text
    leader = out.boxes.leader
    assert leader.page == 0 and 0 < leader.x < 210 and 0 < leader.y < 297
    x1, y1, x2, y2 = leader.pdf_rect()
    assert 0 < x1 < x2 <= 595.3 and 0 < y1 < y2 <= 841.9
    if code == "1.000894":
        assert len(out.boxes.parties) == 2


@pytest.mark.parametrize(
    ("issued", "last_day"),
    [
        (date(2026, 11, 25), date(2027, 5, 24)),
        (date(2026, 8, 31), date(2027, 2, 27)),  # no 31 February: 28th is the anniversary
        (date(2026, 1, 1), date(2026, 6, 30)),
    ],
)
def test_marital_status_certificate_is_valid_six_months(issued: date, last_day: date) -> None:
    from shared.legal_text import valid_until

    assert valid_until(issued) == last_day
