"""The completeness checklist: what is missing, for every procedure, and the catalogue's
``required_if`` (real built-in catalogue)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.catalogue import Catalogue, parse_procedure
from shared.checklist import check_components, every_component, required_components
from shared.errors import TaiChoError
from shared.procedures import builtin
from shared.samples import sample_values
from shared.validation import validate

TODAY = date(2026, 3, 10)
KS = "1.001193"  # khai sinh
TT = "1.004873"  # tình trạng hôn nhân


def clean(code: str, seed: int = 0, **changes: Any) -> dict[str, Any]:
    proc = builtin().get(code)
    values = {**sample_values(code, TODAY, seed), **changes}
    return validate(proc, values, TODAY).raise_if_invalid()


@pytest.mark.parametrize("code", builtin().codes())
def test_every_procedure_is_complete_with_every_paper_and_incomplete_without(code: str) -> None:
    proc = builtin().get(code)
    values = clean(code)
    assert check_components(proc, values, every_component(code, values)).complete
    nothing = check_components(proc, values, [])
    assert not nothing.complete
    assert [m.component for m in nothing.missing] == list(nothing.required)
    assert {m.why for m in nothing.missing} == {"not_ticked"}


def test_missing_items_name_the_paper_in_both_languages_and_the_reason() -> None:
    proc = builtin().get(KS)
    values = clean(KS)
    result = check_components(proc, values, ["requester_id"], photos={})
    with pytest.raises(TaiChoError) as exc:
        result.raise_if_incomplete()
    err = exc.value
    assert err.code == "DOSSIER_INCOMPLETE" and err.field == "components_received"
    by_id = {d["component"]: d for d in err.details}
    birth = by_id["birth_certificate_medical"]
    assert birth["why"] == "not_ticked" and birth["name"].startswith("Giấy chứng sinh")
    assert birth["message"].endswith("– chưa nộp") and birth["message_en"].endswith("not handed in")
    assert "Giấy chứng sinh" in err.message("vi") and "Medical birth" in err.message("en")
    # ticked but not photographed, where the tablet takes photos
    photo = check_components(proc, values, every_component(KS, values), photos={})
    assert [(m.component, m.why) for m in photo.missing] == [
        ("birth_certificate_medical", "photo_missing")
    ]
    assert photo.missing[0].text("vi").endswith("chưa chụp ảnh")
    assert check_components(
        proc, values, every_component(KS, values), photos={"birth_certificate_medical": 1}
    ).complete
    # the station does not judge photos (photos=None)
    assert check_components(proc, values, every_component(KS, values)).complete


def test_marriage_certificate_is_looked_up_not_asked_unless_a_parent_is_a_foreigner() -> None:
    """Nghị định 07/2025/NĐ-CP: the office looks the parents' marriage up; the certificate
    is asked for only when a parent is a foreigner — and never ticked otherwise."""
    proc = builtin().get(KS)
    married = clean(KS)
    assert married["parents_married"] is True
    assert "marriage_certificate" not in {c.id for c in required_components(proc, married)}
    assert "marriage_certificate" not in every_component(KS, married)
    with pytest.raises(TaiChoError) as exc:
        check_components(proc, married, [*every_component(KS, married), "marriage_certificate"])
    assert exc.value.code == "COMPONENT_NOT_APPLICABLE"
    assert "Giấy chứng nhận kết hôn của cha, mẹ" in exc.value.message("vi")
    foreign = {**married, "father_nationality": "KR"}
    assert "marriage_certificate" in {c.id for c in required_components(proc, foreign)}
    ticks = every_component(KS, married)
    assert check_components(proc, married, ticks).complete
    assert not check_components(proc, foreign, ticks).complete
    unmarried = {**married, "parents_married": False, "father_nationality": "KR"}
    assert "marriage_certificate" not in {c.id for c in required_components(proc, unmarried)}


def test_a_never_married_person_cannot_hand_in_a_proof_of_divorce() -> None:
    """The receipt of a never-married person listed "Giấy tờ chứng minh đã ly hôn"."""
    proc = builtin().get(TT)
    values = {"marital_status": "chua_ket_hon"}
    with pytest.raises(TaiChoError) as exc:
        check_components(proc, values, ["requester_id", "status_proof"])
    assert exc.value.code == "COMPONENT_NOT_APPLICABLE" and exc.value.field == (
        "components_received"
    )
    assert check_components(
        proc, {"marital_status": "da_ly_hon"}, ["requester_id", "status_proof"]
    ).complete


@pytest.mark.parametrize(
    ("status", "needed"),
    [
        ("chua_ket_hon", False),
        ("dang_co_vo_chong", False),
        ("da_ly_hon", True),
        ("vo_chong_chet", True),
    ],
)
def test_proof_of_divorce_or_death_only_for_those_statuses(status: str, needed: bool) -> None:
    proc = builtin().get(TT)
    values = {"marital_status": status}
    assert ("status_proof" in {c.id for c in required_components(proc, values)}) is needed
    result = check_components(proc, values, ["requester_id"])
    assert result.complete is (not needed)


def test_an_unknown_tick_is_refused_not_dropped() -> None:
    proc = builtin().get(KS)
    with pytest.raises(TaiChoError) as exc:
        check_components(proc, clean(KS), [*every_component(KS, clean(KS)), "giay_la"])
    assert exc.value.code == "REQUEST_INVALID" and "giay_la" in exc.value.message("en")


_PROCS = st.sampled_from(builtin().codes())


@settings(max_examples=150, deadline=None)
@given(code=_PROCS, data=st.data())
def test_complete_exactly_when_every_required_paper_is_ticked(code: str, data: Any) -> None:
    """Over any subset of ticks and photos: complete ⇔ required ⊆ ticked and every ticked
    photo paper has a photo; and the missing list is exactly the difference."""
    proc = builtin().get(code)
    values = clean(code, seed=data.draw(st.integers(0, 20)))
    ids = every_component(code, values)
    ticked = data.draw(st.sets(st.sampled_from(ids))) if ids else set()
    photographed = data.draw(st.sets(st.sampled_from(ids))) if ids else set()
    photos = {c: 1 for c in photographed}
    result = check_components(proc, values, sorted(ticked), photos)
    required = {c.id for c in required_components(proc, values)}
    want_tick = required - ticked
    want_photo = {
        c.id
        for c in proc.components
        if c.id in ticked and c.photo_required and c.id not in photographed
    }
    assert {m.component for m in result.missing if m.why == "not_ticked"} == want_tick
    assert {m.component for m in result.missing if m.why == "photo_missing"} == want_photo
    assert result.complete is (not want_tick and not want_photo)
    assert check_components(proc, values, sorted(ticked)).complete is (not want_tick)


def _doc(code: str) -> dict[str, Any]:
    return copy.deepcopy(builtin().get(code).source)


def test_required_if_is_parsed_strictly() -> None:
    doc = _doc(TT)
    comp = doc["components"][1]
    assert comp["required_if"] == {"field": "marital_status", "in": ["da_ly_hon", "vo_chong_chet"]}
    bad_field = copy.deepcopy(doc)
    bad_field["components"][1]["required_if"] = {"field": "no_such_field", "equals": "x"}
    both = copy.deepcopy(doc)
    both["components"][1]["required"] = True
    typo = copy.deepcopy(doc)
    typo["components"][1]["required_iff"] = typo["components"][1].pop("required_if")
    shape = copy.deepcopy(doc)
    shape["components"][1]["required_if"] = {"field": "marital_status"}
    dup = copy.deepcopy(doc)
    dup["components"].append(copy.deepcopy(dup["components"][0]))
    wrong_type = copy.deepcopy(doc)
    wrong_type["components"][0]["photo_required"] = "yes"
    for broken, where in (
        (bad_field, "unknown field 'no_such_field'"),
        (both, "'required_if' needs 'required': false"),
        (typo, "unknown key(s) required_iff"),
        (shape, "needs 'equals', 'in' or 'not_in'"),
        (dup, "duplicate component id"),
        (wrong_type, "photo_required"),
    ):
        with pytest.raises(TaiChoError) as exc:
            parse_procedure(broken, "office.json")
        assert exc.value.code == "CATALOGUE_INVALID", where
        assert where in str(exc.value.ctx), (where, exc.value.ctx)


def test_components_without_required_default_to_required_and_catalogues_reload() -> None:
    doc = _doc(KS)
    for c in doc["components"]:
        if "required_if" not in c:
            c.pop("required", None)
    proc = parse_procedure(doc, "x.json")
    by_id = {c.id: c for c in proc.components}
    assert by_id["requester_id"].required and not by_id["marriage_certificate"].required
    assert by_id["marriage_certificate"].required_if is not None
    again = Catalogue.from_documents({"a.json": builtin().get(KS).source})
    assert again.get(KS).components == builtin().get(KS).components
