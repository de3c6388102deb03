"""Issue 21 §9: each procedure names its own subject in its data — a chứng thực receipt no
longer reads "Người được khai sinh / tiêu đề: Bằng tốt nghiệp…"."""

from __future__ import annotations

import copy

import pytest

from shared.catalogue import parse_procedure
from shared.procedures import builtin

SUBJECTS = {
    "1.001193": ("Người được khai sinh", "Child registered"),
    "1.000656": ("Người đã chết", "Deceased"),
    "1.000894": ("Bên nữ", "Bride"),
    "1.004873": (
        "Người được xác nhận tình trạng hôn nhân",
        "Person whose marital status is certified",
    ),
    "2.000815": ("Giấy tờ được chứng thực", "Document certified"),
    "2.000884": ("Người ký", "Signer"),
}


@pytest.mark.parametrize("code", sorted(SUBJECTS))
def test_every_procedure_names_its_subject(code: str) -> None:
    proc = builtin().get(code)
    assert (proc.subject_label("vi"), proc.subject_label("en")) == SUBJECTS[code]


def test_without_a_subject_the_title_fields_label_is_said() -> None:
    proc = builtin().get("2.000815")
    raw = copy.deepcopy(proc.source)
    del raw["subject"]
    bare = parse_procedure(raw, "test")
    assert bare.subject is None
    assert bare.subject_label("vi") == "Tên giấy tờ, văn bản"
