"""Samples as data (issue 18): each folder's ``sample.json`` is drawn by
:mod:`shared.sample_spec`; one seed always gives the same people, the draws follow the
file's order, and a wrong file is refused saying where and what. Sampling and checking a
dossier import no Python of a procedure folder."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared import procedures
from shared.errors import TaiChoError
from shared.procedures import BUNDLE_DIR, builtin, bundles
from shared.sample_spec import SampleSpecError, load_sample_json, parse_sample_spec
from shared.samples import sample_values
from shared.validation import validate

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)
FIELDS = {"name", "born", "sex", "id", "time", "count", "place", "issued"}


def _draw(values: dict[str, Any], seed: int = 0) -> dict[str, Any]:
    return parse_sample_spec({"values": values}, FIELDS).draw(TODAY, seed)


def test_every_folder_has_a_sample_that_is_valid_for_many_seeds() -> None:
    for folder in sorted(p.parent.name for p in BUNDLE_DIR.glob("*/procedure.json")):
        assert (BUNDLE_DIR / folder / "sample.json").is_file(), folder
    for code in builtin().codes():
        for seed in range(20):
            result = validate(builtin().get(code), sample_values(code, TODAY, seed), TODAY)
            assert result.ok, (code, seed, [p.to_problem() for p in result.problems])


def test_one_seed_one_dossier_and_seeds_vary_the_people() -> None:
    for code in builtin().codes():
        assert sample_values(code, TODAY, 3) == sample_values(code, TODAY, 3)
        title = builtin().get(code).title_field
        names = {sample_values(code, TODAY, s).get(title) for s in range(8)}
        assert len(names) > 1, code


def test_the_khai_sinh_sample_keeps_its_family_together() -> None:
    v = sample_values("1.001193", TODAY, 5)
    assert v["child_full_name"].split()[0] == v["father_full_name"].split()[0]
    assert v["requester_full_name"] == v["mother_full_name"]
    assert v["requester_id_number"] == v["mother_id_number"]
    assert v["child_sex"] == ("nu" if v["child_full_name"].split()[1] in ("Thị", "Ngọc") else "nam")
    born = date.fromisoformat(v["child_birth_date"])
    assert 3 <= (TODAY - born).days <= 55


def test_draws_follow_the_order_written() -> None:
    spec = {
        "$female": {"chance": 0.5},
        "$born": {"birth_date": [20, 40]},
        "name": {"full_name": {"female": "$female"}},
        "born": "$born",
        "sex": {"if": ["$female", "nu", "nam"]},
        "id": {"personal_id": {"female": "$female", "born": "$born"}},
        "time": {"format": ["{:02d}:{:02d}", {"int": [0, 23]}, {"int": [0, 59]}]},
        "count": {"int": [1, 3]},
        "place": {"one_of": "places"},
        "issued": {"card_issued": "$born"},
    }
    values = _draw(spec, 11)
    assert list(values) == ["name", "born", "sex", "id", "time", "count", "place", "issued"]
    assert values == _draw(spec, 11)
    female = values["sex"] == "nu"
    assert int(values["id"][3]) % 2 == (1 if female else 0)  # the id agrees with the person
    assert values["id"][4:6] == values["born"][2:4]
    assert len(values["time"]) == 5 and values["time"][2] == ":"
    assert values["issued"] > values["born"]
    # a draw moved earlier changes what every later entry draws
    swapped = {"count": spec["count"], **{k: v for k, v in spec.items() if k != "count"}}
    assert _draw(swapped, 11) != values


@pytest.mark.parametrize(
    ("values", "where", "detail"),
    [
        ({"name": {"full_nam": {"female": True}}}, "$.values.name", "unknown generator 'full_nam'"),
        (
            {"id": {"personal_id": {"female": True, "born": "$born"}}},
            "$.values.id.personal_id.born",
            "used before it is drawn",
        ),
        ({"nickname": "Tí"}, "$.values.nickname", "no field 'nickname'"),
        ({"count": {"int": [5, 1]}}, "$.values.count.int", "lowest is above highest"),
        ({"count": {"int": [1]}}, "$.values.count.int", "[lowest, highest]"),
        ({"count": {"int": ["1", 3]}}, "$.values.count.int[0]", "whole number"),
        ({"sex": {"chance": 2}}, "$.values.sex.chance", "between 0 and 1"),
        (
            {"name": {"full_name": {"sex": "nu"}}},
            "$.values.name.full_name",
            "unknown argument(s) sex",
        ),
        ({"name": {"full_name": {}}}, "$.values.name.full_name", "missing argument(s) female"),
        ({"time": {"format": ["{x}:{}", 1, 2]}}, "$.values.time.format", "plain '{}' slot"),
        ({"time": {"format": ["{}", 1, 2]}}, "$.values.time.format", "2 plain '{}' slot"),
        ({"place": {"one_of": "streets"}}, "$.values.place.one_of", "unknown list 'streets'"),
        ({"place": ["a", "b"]}, "$.values.place", "a list is an argument"),
        ({"sex": {"if": ["$x", "nu"]}}, "$.values.sex.if", "[test, value if true"),
        ({"name": {"phone": {}, "int": [1, 2]}}, "$.values.name", "object of one key"),
        ({"$1x": 1}, "$.values.$1x", "a variable is $ and a name"),
        ({}, "$.values", "non-empty"),
    ],
)
def test_a_bad_sample_says_where_and_what(values: dict[str, Any], where: str, detail: str) -> None:
    with pytest.raises(SampleSpecError) as err:
        parse_sample_spec({"values": values}, FIELDS)
    assert err.value.where == where
    assert detail in err.value.detail


def test_a_repeated_key_is_refused_not_silently_replaced() -> None:
    with pytest.raises(SampleSpecError) as err:
        load_sample_json('{"values": {"count": 1, "count": {"int": [1, 2]}}}')
    assert err.value.where == "$.values.count"


def test_the_registry_refuses_a_folders_bad_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "khai_tu"
    folder.mkdir()
    for name in ("procedure.json", "result.json", "declaration.json"):
        (folder / name).write_text((BUNDLE_DIR / "khai_tu" / name).read_text("utf-8"), "utf-8")
    sample = json.loads((BUNDLE_DIR / "khai_tu" / "sample.json").read_text("utf-8"))
    sample["values"]["deceased_nickname"] = "Út"
    (folder / "sample.json").write_text(json.dumps(sample, ensure_ascii=False), "utf-8")
    monkeypatch.setattr(procedures, "BUNDLE_DIR", tmp_path)
    with pytest.raises(TaiChoError) as err:
        procedures._sample("khai_tu", builtin().get("1.000656"))
    assert err.value.code == "CATALOGUE_INVALID"
    assert err.value.ctx == {
        "file": "khai_tu/sample.json",
        "where": "$.values.deceased_nickname",
        "detail": "the procedure has no field 'deceased_nickname'",
    }
    (folder / "sample.json").unlink()
    with pytest.raises(TaiChoError) as missing:
        procedures._sample("khai_tu", builtin().get("1.000656"))
    assert missing.value.ctx["detail"] == "every bundle has a sample"


_DATA_ALONE = r"""
import sys
from datetime import date
from shared.procedures import BUNDLE_DIR, builtin, bundles
from shared.validation import validate

today = date(2026, 12, 7)
for code, b in sorted(bundles().items()):
    for seed in range(3):
        assert validate(b.procedure, b.sample(today, seed), today).ok, code
folders = {p.name for p in BUNDLE_DIR.iterdir() if p.is_dir()}
print(sorted(m for m in sys.modules if m.split(".")[:2] == ["shared", "procedures"]
             and len(m.split(".")) > 2 and m.split(".")[2] in folders))
"""


def test_sampling_and_checking_import_no_folder_python() -> None:
    run = subprocess.run(
        [sys.executable, "-c", _DATA_ALONE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert run.stdout.strip() == "[]"
    # the only Python left in a folder is the scanned copy (docs/procedures.md says why)
    left = sorted(p.parent.name for p in BUNDLE_DIR.glob("*/*.py"))
    assert left == ["chung_thuc_ban_sao"]
    assert bundles()["2.000815"].scanned_copy == "render_scan"
