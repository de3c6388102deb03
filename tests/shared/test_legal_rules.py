"""Each rule and fixed sentence of docs/legal.md, valid and invalid, read back out of the
real PDFs with pdftotext (issue 17, section 2)."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from shared.documents.declaration import DeclarationInput, render_declaration
from shared.documents.result import ResultMeta
from shared.fees import fee_quote
from shared.legal_text import SIGNATURE_PLEDGE, TINH_TRANG_VALIDITY
from shared.procedures import builtin, render_result, sample_values
from shared.validation import validate
from tests.shared.commune import UNIT, result_meta

TODAY = date(2026, 12, 7)
KS, KT, KH, TT, BS, CK = "1.001193", "1.000656", "1.000894", "1.004873", "2.000815", "2.000884"
META = result_meta(TODAY, receiver_name="Nguyễn Thị Lan")


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _values(code: str, seed: int = 1, **changes: Any) -> dict[str, Any]:
    raw = {**sample_values(code, TODAY, seed), **changes}
    return validate(builtin().get(code), raw, TODAY).raise_if_invalid()


def _problems(code: str, **changes: Any) -> dict[str | None, str]:
    raw = {**sample_values(code, TODAY, 1), **changes}
    return {p.field: p.code for p in validate(builtin().get(code), raw, TODAY).problems}


def _result(code: str, values: dict[str, Any], meta: ResultMeta = META) -> str:
    return _text(render_result(code, values, meta).pdf)


def _declaration(code: str, values: dict[str, Any]) -> str:
    return _text(render_declaration(DeclarationInput(builtin().get(code), values, UNIT)))


# --- chứng thực chữ ký ------------------------------------------------------------------


def test_the_signature_statement_names_the_receiving_officer_not_the_chairman() -> None:
    text = _result(CK, _values(CK))
    assert (
        "cam đoan đã hiểu, tự chịu trách nhiệm về nội dung của giấy tờ, văn bản và đã ký vào "
        "giấy tờ, văn bản này trước mặt ông/bà Nguyễn Thị Lan, là người tiếp nhận hồ sơ."
    ) in text
    assert "trước mặt tôi" not in text
    assert "Tôi Nguyễn Văn Thành, là Chủ tịch Ủy ban nhân dân xã Lai Vung." in text
    assert "Thẻ căn cước số " in text  # the ID named by its type


@pytest.mark.parametrize(
    ("kind", "named"),
    [
        ("the_can_cuoc", "Thẻ căn cước số"),
        ("cccd", "Thẻ căn cước công dân số"),
        ("can_cuoc_dien_tu", "Căn cước điện tử số"),
    ],
)
def test_the_signer_id_is_named_by_its_type(kind: str, named: str) -> None:
    assert named in _result(CK, _values(CK, signer_id_type=kind))


def test_a_deputy_chairman_signs_as_pho_chu_tich() -> None:
    meta = replace(META, signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    text = _result(CK, _values(CK), meta)
    assert "là Phó Chủ tịch Ủy ban nhân dân xã Lai Vung." in text


def test_a_home_visit_records_hour_minute_and_place() -> None:
    values = _values(
        CK, signed_outside_office=True, signing_time="09:05", signing_place="Ấp An Hòa, xã Lai Vung"
    )
    assert "Tại Ấp An Hòa, xã Lai Vung, lúc 09 giờ 05 phút." in _result(CK, values)
    missing = _problems(CK, signed_outside_office=True)
    assert missing == {"signing_time": "FIELD_REQUIRED", "signing_place": "FIELD_REQUIRED"}
    bad = _problems(CK, signed_outside_office=True, signing_time="25:00", signing_place="Nhà")
    assert bad == {"signing_time": "FIELD_PATTERN"}


def test_a_contract_is_not_a_signature_certification() -> None:
    assert _problems(CK, document_is_contract=True) == {
        "document_is_contract": "SIGNATURE_IS_CONTRACT"
    }
    assert _problems(CK, document_is_contract=False) == {}


def test_the_signer_pledge_on_the_tablet_is_the_one_on_the_request() -> None:
    label = builtin().get(CK).field("signer_pledge").label.vi
    assert label == SIGNATURE_PLEDGE.text
    assert label in _declaration(CK, _values(CK))


# --- xác nhận tình trạng hôn nhân --------------------------------------------------------


def test_the_marital_status_certificate_carries_the_laws_validity_sentence() -> None:
    text = _result(TT, _values(TT))
    assert TINH_TRANG_VALIDITY.text in text
    assert (
        "có giá trị đến thời điểm thay đổi tình trạng hôn nhân hoặc 06 tháng kể từ ngày cấp, "
        "tùy theo thời điểm nào đến trước"
    ) in text
    assert "có giá trị sử dụng 06 tháng" not in text


def test_for_a_marriage_the_partner_is_named_with_nationality_and_id() -> None:
    values = _values(TT)
    text = _result(TT, values)
    assert f"quốc tịch Việt Nam, số định danh cá nhân {values['partner_id_number']}" in text
    assert _problems(TT, partner_id_number="") == {"partner_id_number": "FIELD_REQUIRED"}
    assert "partner_nationality" not in _values(TT, purpose="khac", purpose_other="Vay vốn")


def test_the_requester_relationship_is_recorded_not_always_ban_than() -> None:
    assert "Người yêu cầu xác nhận: Bản thân" in _result(TT, _values(TT))
    values = _values(
        TT,
        requester_relationship="uy_quyen",
        filer_full_name="Lê Văn Tám",
        filer_id_number="087090001234",
    )
    assert "Người yêu cầu xác nhận: Lê Văn Tám (người được ủy quyền)" in _result(TT, values)
    declared = _declaration(TT, values)
    assert "Người được ủy quyền: Lê Văn Tám" in declared
    assert _problems(TT, requester_relationship="uy_quyen") == {
        "filer_full_name": "FIELD_REQUIRED",
        "filer_id_number": "FIELD_REQUIRED",
    }


def test_the_provinces_fee_is_never_shown_as_free_by_default() -> None:
    proc = builtin().get(TT)
    unset = fee_quote(proc, _values(TT))
    assert unset.amount_vnd is None and "miễn phí" not in unset.text()
    assert unset.text() == "theo Nghị quyết của HĐND tỉnh (trạm chưa cài đặt mức thu)"
    assert fee_quote(proc, _values(TT), {TT: 10_000}).text() == "10.000 đồng"


# --- fee exemptions (Luật Hộ tịch, Điều 11) -----------------------------------------------


@pytest.mark.parametrize("who", ["co_cong", "ho_ngheo", "khuyet_tat"])
def test_an_exempt_person_pays_no_registration_fee_but_pays_copies(who: str) -> None:
    tt = builtin().get(TT)
    quote = fee_quote(tt, _values(TT, fee_exemption=who), {TT: 10_000})
    assert quote.amount_vnd == 0 and "Luật Hộ tịch 2014, Điều 11" in quote.text()
    ks = builtin().get(KS)
    copies = _values(KS, fee_exemption=who, copies_requested=2)
    assert fee_quote(ks, copies).amount_vnd == 16_000  # khoản 2: copies are paid


def test_no_exemption_and_an_unknown_one() -> None:
    assert fee_quote(builtin().get(TT), _values(TT), {TT: 10_000}).amount_vnd == 10_000
    assert _problems(TT, fee_exemption="ho_can_ngheo") == {"fee_exemption": "FIELD_CHOICE"}


# --- kết hôn -----------------------------------------------------------------------------


def _female_id(born: str) -> str:
    return f"087{1 if born < '2000' else 3}{born[2:4]}123456"


def _male_id(born: str) -> str:
    return f"087{0 if born < '2000' else 2}{born[2:4]}654321"


def test_two_parties_of_the_same_sex_are_refused() -> None:
    values = sample_values(KH, TODAY, 1)
    women = {**values, "husband_id_number": _female_id(values["husband_birth_date"])}
    assert _problems(KH, **women) == {"husband_id_number": "MARRIAGE_SAME_SEX"}
    men = {**values, "wife_id_number": _male_id(values["wife_birth_date"])}
    assert _problems(KH, **men) == {"wife_id_number": "MARRIAGE_SAME_SEX"}
    err = validate(builtin().get(KH), women, TODAY).problems[0]
    assert "Điều 8 khoản 2" in err.message("vi")
    assert _problems(KH) == {}


def test_swapped_columns_are_a_mismatch_not_a_same_sex_marriage() -> None:
    values = sample_values(KH, TODAY, 1)
    swapped = {
        **values,
        "wife_id_number": _male_id(values["wife_birth_date"]),
        "husband_id_number": _female_id(values["husband_birth_date"]),
    }
    assert _problems(KH, **swapped) == {
        "wife_id_number": "FIELD_ID_MISMATCH",
        "husband_id_number": "FIELD_ID_MISMATCH",
    }


def test_the_marriage_id_line_gives_document_number_issuer_and_date() -> None:
    values = _values(KH)
    text = _result(KH, values)
    issued = date.fromisoformat(values["wife_id_issue_date"]).strftime("%d/%m/%Y")
    assert (
        f"Thẻ căn cước công dân số {values['wife_id_number']}, do Cục Cảnh sát quản lý hành "
        f"chính về trật tự xã hội cấp ngày {issued}"
    ) in text
    assert _problems(KH, wife_id_issue_date="") == {"wife_id_issue_date": "FIELD_REQUIRED"}


def test_the_marriage_form_has_the_copies_box() -> None:
    assert "Đề nghị cấp bản sao Giấy chứng nhận kết hôn: Có, số lượng: 02 bản" in _declaration(
        KH, _values(KH, copies_requested=2)
    )
    assert "Đề nghị cấp bản sao Giấy chứng nhận kết hôn: Không" in _declaration(
        KH, _values(KH, copies_requested=0)
    )


# --- pledges word for word ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "field"),
    [
        (KS, "requester_pledge"),
        (KT, "requester_pledge"),
        (KH, "parties_pledge"),
        (TT, "requester_pledge"),
    ],
)
def test_the_pledge_on_the_tablet_is_the_one_printed(code: str, field: str) -> None:
    label = builtin().get(code).field(field).label.vi
    assert label in _declaration(code, _values(code))


def test_the_death_pledge_is_the_forms() -> None:
    label = builtin().get(KT).field("requester_pledge").label.vi
    assert label == (
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
        "pháp luật về cam đoan của mình."
    )
    assert "chịu hoàn toàn trách nhiệm" not in _declaration(KT, _values(KT))


# --- khai tử -----------------------------------------------------------------------------


def test_the_time_of_death_is_written_in_hours_and_minutes() -> None:
    values = _values(KT, death_time="07:05")
    date_vn = date.fromisoformat(values["death_date"]).strftime("%d/%m/%Y")
    assert f"Đã chết vào lúc: 07 giờ 05 phút, ngày {date_vn}" in _result(KT, values)
    assert "07 giờ 05 phút" in _declaration(KT, values)
    assert _problems(KT, death_time="7h5") == {"death_time": "FIELD_PATTERN"}
    assert _problems(KT, death_time="24:00") == {"death_time": "FIELD_PATTERN"}


# --- khai sinh ---------------------------------------------------------------------------


def test_a_mother_aged_nine_is_refused() -> None:
    values = sample_values(KS, TODAY, 1)
    child = date.fromisoformat(values["child_birth_date"])
    young = {
        **values,
        "mother_birth_date": str(child.year - 9),
        "mother_id_type": "ho_chieu",
        "mother_id_number": "C1234567",
        "mother_id_issuer": "Cục Quản lý xuất nhập cảnh",
        "mother_id_issue_date": "2025-01-02",
        "requester_id_type": "ho_chieu",
        "requester_id_number": "C1234567",
        "requester_id_issuer": "Cục Quản lý xuất nhập cảnh",
        "requester_id_issue_date": "2025-01-02",
        "requester_birth_date": f"{child.year - 9}-01-01",
    }
    problems = validate(builtin().get(KS), young, TODAY).problems
    assert [(p.field, p.code) for p in problems] == [
        ("mother_birth_date", "PARENT_AGE_IMPLAUSIBLE")
    ]
    assert "người mẹ mới 9 tuổi" in problems[0].message("vi")
    ok = {
        **young,
        "mother_birth_date": str(child.year - 19),
        "requester_birth_date": f"{child.year - 19}-01-01",
    }
    assert validate(builtin().get(KS), ok, TODAY).problems == []


def test_the_parents_birth_dates_have_one_label_and_the_requester_a_giay_to_tuy_than() -> None:
    values = _values(KS)
    declared = _declaration(KS, values)
    assert "Năm sinh:" not in declared
    assert declared.count("Ngày, tháng, năm sinh:") >= 3  # requester, mother, father
    assert f"Giấy tờ tùy thân: Số định danh cá nhân {values['requester_id_number']}" in declared
    certificate = _result(KS, {**values, "child_personal_id": "087326001234"})
    father = date.fromisoformat(values["father_birth_date"]).strftime("%d/%m/%Y")
    assert f"Ngày, tháng, năm sinh: {father}" in certificate
    assert "Số định danh cá nhân: 087326001234" in certificate


# --- chứng thực bản sao ------------------------------------------------------------------


def test_the_copy_counts_the_pages_of_the_original_and_notes_the_joining_seal() -> None:
    values = _values(BS, page_count=3)
    text = _result(BS, values)
    assert "Số trang của bản chính: 3" in text
    assert (
        "Lời chứng được ghi tại trang cuối của bản sao; bản sao có từ 02 tờ trở lên được đóng "
        "dấu giáp lai."
    ) in text
    assert "giáp lai" not in _result(BS, _values(BS, page_count=1))
    assert "Hẹn trả kéo dài thêm: 02 ngày làm việc" in _declaration(
        BS, _values(BS, extension_days=2)
    )
    assert _problems(BS, extension_days=3) == {"extension_days": "FIELD_MAX"}


# --- the lookup step (Nghị định 07/2025/NĐ-CP, 18/2026/NĐ-CP) ------------------------------


def test_which_lookups_a_dossier_needs() -> None:
    from shared.lookups import lookups_needed, verification_days

    ks = builtin().get(KS)
    values = _values(KS)
    keys = [n.key for n in lookups_needed(ks, values)]
    assert keys[0] == "parents_marriage"
    # the requester is the mother here: her card is looked up once
    assert values["requester_id_number"] == values["mother_id_number"]
    assert keys.count("identity:requester") == 1 and "identity:mother" not in keys
    # a foreign parent: the certificate is asked for instead of a lookup
    foreign = {**values, "father_nationality": "KR"}
    assert "parents_marriage" not in [n.key for n in lookups_needed(ks, foreign)]
    kh = builtin().get(KH)
    both = [n.key for n in lookups_needed(kh, _values(KH))]
    assert both[:2] == ["marital_status:wife", "marital_status:husband"]
    assert verification_days(KH) == 5 and verification_days(KS) == 0


def test_ethnic_codes_sent_out_follow_the_2008_list_not_the_1979_one() -> None:
    """Quyết định 1019/QĐ-TCTK (12/11/2008), as QCVN 109 Phụ lục E lists it: "04 Mường",
    "05 Khơ me", "06 Hoa (Hán)", "11 Ê-đê", "12 Ba-na", "13 Sán Chay" — where the 1979
    list (Quyết định 121-TCTK/PPCĐ) had Hoa at 04, Mường at 06 and Ngái at 11."""
    from shared.lists import ETHNIC_GROUPS, FOREIGNER, ethnic_code

    quoted = {
        "Kinh": "01",
        "Tày": "02",
        "Thái": "03",
        "Mường": "04",
        "Khơ-me": "05",
        "Hoa": "06",
        "Nùng": "07",
        "HMông": "08",
        "Dao": "09",
        "Gia-rai": "10",
        "Ê-đê": "11",
        "Ba na": "12",
        "Sán Chay": "13",
        "Chăm": "14",
        "Cơ-ho": "15",
        "Xơ-Đăng": "16",
        "Sán Dìu": "17",
        "Hrê": "18",
        "Ra-glai": "19",
        "Mnông": "20",
    }
    assert {n: ethnic_code(n) for n in quoted} == quoted
    # not the 1979 numbering
    assert ethnic_code("Hoa") != "04" and ethnic_code("Ngái") != "11"
    # every group has one code, 01–54, and the picker lists them in the decision's order
    assert [c for c, _ in ETHNIC_GROUPS] == [f"{i:02d}" for i in range(1, 55)]
    assert len({n for _, n in ETHNIC_GROUPS}) == 54
    # nothing is guessed: a foreigner or an unknown name has no code
    assert ethnic_code(FOREIGNER) is None and ethnic_code("Kinh (Việt)") is None
