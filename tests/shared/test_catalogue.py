"""Catalogue loading: the shipped procedure is sound; broken files name file and place."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from shared.catalogue import BUILTIN_DIR, Catalogue, parse_procedure
from shared.errors import TaiChoError
from shared.procedures import builtin


def raw() -> dict[str, Any]:
    return json.loads((BUILTIN_DIR / "khai_sinh" / "procedure.json").read_text("utf-8"))


def test_khai_sinh_declares_the_form_fields() -> None:
    p = builtin().get("1.001193")
    assert p.name.vi == "Đăng ký khai sinh"
    ids = {f.id for f in p.fields}
    for needed in (
        "requester_full_name",
        "requester_relationship",
        "child_full_name",
        "child_birth_date",
        "child_birth_date_words",
        "child_sex",
        "child_ethnicity",
        "child_nationality",
        "child_birth_place",
        "child_hometown",
        "mother_full_name",
        "father_full_name",
        "copies_requested",
    ):
        assert needed in ids
    ethnic = [c.value for c in p.field("child_ethnicity").choices]
    assert len(ethnic) == 55 and ethnic[-1] == "Người nước ngoài"  # 54 GSO groups + foreigner
    for gso_name in ("Gié Triêng", "Co Lao", "Khơ-me", "HMông", "Kinh", "Rơ-măm"):
        assert gso_name in ethnic
    assert p.field("child_nationality").choice_label("VN") == "Việt Nam"
    assert p.time_limit_working_days == 0
    assert any(c.photo_required for c in p.components)


def test_unknown_procedure() -> None:
    with pytest.raises(TaiChoError) as exc:
        builtin().get("9.999999")
    assert exc.value.code == "PROCEDURE_UNKNOWN"


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.update(code="abc"), "$.code"),
        (lambda d: d["sections"][0]["fields"][0].update(type="colour"), "requester_full_name"),
        (
            lambda d: d["sections"][0]["fields"].append(dict(d["sections"][0]["fields"][0])),
            "duplicate",
        ),
        (lambda d: d["sections"][0]["fields"][5]["show_if"].update(field="nope"), "nope"),
        (lambda d: d.update(title_field="ghost"), "title_field"),
        (lambda d: d["sections"][1]["fields"][0].update(pattern="(["), "pattern"),
        (lambda d: d.pop("result"), "result"),
        (lambda d: d["result"].update(template="nope"), "template"),
        (lambda d: d.update(time_limit=3), "time_limit"),
        (lambda d: d["sections"][1]["fields"][0].update(requried=True), "requried"),
        (lambda d: d["components"][0].update(photo=True), "photo"),
    ],
)
def test_broken_documents_name_file_and_place(mutate: Any, where: str) -> None:
    doc = copy.deepcopy(raw())
    mutate(doc)
    with pytest.raises(TaiChoError) as exc:
        parse_procedure(doc, "broken.json")
    assert exc.value.code == "CATALOGUE_INVALID"
    msg = exc.value.message("en")
    assert "broken.json" in msg and where in msg


def test_bad_json_file_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"code": ', encoding="utf-8")
    with pytest.raises(TaiChoError) as exc:
        Catalogue.load_dir(tmp_path)
    assert "x.json" in exc.value.message("en") and "line 1" in exc.value.message("en")
