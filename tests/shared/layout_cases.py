"""The cases whose PDF text must not change when a procedure's layouts move into data.

Each case is one procedure, one sample seed and a few changed values, rendered as the
result and as the declaration. The golden files in ``tests/shared/golden/layouts/`` were
written from the Python renderers *before* the layouts became data (issue 18, item 1);
``tests/shared/test_layout_golden.py`` renders the same cases now and compares the text
pdftotext reads (``-layout``: the lines and their order, not just the words).

``python -m tests.shared.layout_cases`` rewrites the golden files: only for a deliberate
change of a document, reviewed in the diff.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from shared.documents.result import ResultMeta
from tests.shared.commune import UNIT, result_meta

GOLDEN = Path(__file__).resolve().parent / "golden" / "layouts"
TODAY = date(2026, 12, 7)
# The Lai Vung result of tests/shared/commune.py, with a verification link and a receiver.
META = result_meta(
    TODAY,
    verify_text="https://example.invalid/verify/000.31.22.H20-261207-0101",
    verify_printed="example.invalid/verify/000.31.22.H20-261207-0101",
    receiver_name="Trần Thị Mai",
)
DEPUTY = {"signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", "receiver_name": ""}

KS, KT, KH, TT, BS, CK = (
    "1.001193",
    "1.000656",
    "1.000894",
    "1.004873",
    "2.000815",
    "2.000884",
)


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    seed: int
    changes: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


PASSPORT = {
    "id_type": "ho_chieu",
    "id_number": "C1234567",
    "id_issuer": "Cục Quản lý xuất nhập cảnh",
}


def _person(prefix: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {f"{prefix}_{k}": v for k, v in extra.items()}


CASES: tuple[Case, ...] = (
    *(Case(f"seed{s}", c, s) for c in (KS, KT, KH, TT, BS, CK) for s in range(4)),
    Case("father-unknown", KS, 5, {"father_known": False, "parents_married": False}),
    Case(
        "married-cert",
        KS,
        6,
        {
            "marriage_cert_number": "12",
            "marriage_cert_book": "01/2020",
            "marriage_cert_date": "2020-05-04",
            "marriage_cert_place": "Ủy ban nhân dân xã Lai Vung",
            "requester_relationship": "khac",
            "requester_relationship_other": "Bà ngoại",
        },
    ),
    Case(
        "no-time-passport",
        KT,
        5,
        {
            "death_time": "",
            "death_notice_number": "",
            **_person("requester", {**PASSPORT, "id_issue_date": "2020-01-02"}),
        },
    ),
    Case(
        "passports",
        KH,
        5,
        {**_person("wife", PASSPORT), "husband_id_type": "cccd", "contact_phone": ""},
    ),
    Case(
        "other-purpose",
        TT,
        5,
        {
            "purpose": "khac",
            "purpose_other": "Bổ sung hồ sơ vay vốn ngân hàng",
            "marital_status": "dang_co_vo_chong",
            "spouse_full_name": "Lê Văn Hùng",
        },
    ),
    Case(
        "divorced-filer",
        TT,
        6,
        {
            "marital_status": "da_ly_hon",
            "status_details": "Bản án ly hôn số 12/2020/HNGĐ-ST",
            "requester_relationship": "uy_quyen",
            "filer_full_name": "Phạm Văn Tư",
            "filer_id_type": "cccd",
            "filer_id_number": "087080001234",
            "residence_period": "",
        },
    ),
    Case("one-page", BS, 5, {"page_count": 1, "extension_days": 2, "document_issuer": ""}),
    Case("many-pages", BS, 6, {"page_count": 4, "original_presented": False}),
    Case(
        "outside",
        CK,
        5,
        {
            "signed_outside_office": True,
            "signing_place": "Bệnh viện Đa khoa Lai Vung",
            "signing_time": "09:30",
            "signer_phone": "",
        },
        DEPUTY,
    ),
)


def case_values(case: Case) -> dict[str, Any]:
    """The case's values as the station holds them: validated (derived fields filled)."""
    from shared.procedures import builtin
    from shared.samples import sample_values
    from shared.validation import validate

    raw = {**sample_values(case.code, TODAY, case.seed), **case.changes}
    return dict(validate(builtin().get(case.code), raw, TODAY).values)


def case_meta(case: Case) -> ResultMeta:
    from dataclasses import replace

    return replace(META, **case.meta)


def pdf_text(pdf: bytes) -> str:
    """pdftotext -layout, NFC, trailing blanks dropped."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    text = unicodedata.normalize("NFC", out)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def golden_name(case: Case, kind: str) -> str:
    return f"{case.code}-{case.name}-{kind}.txt"


def render_texts(case: Case, render_result: Any, render_declaration: Any) -> dict[str, str]:
    """{"result": text, "declaration": text} of one case with the given renderers."""
    from shared.documents.declaration import DeclarationInput
    from shared.procedures import builtin

    values = case_values(case)
    result = render_result(case.code, values, case_meta(case))
    declaration = render_declaration(
        DeclarationInput(
            builtin().get(case.code),
            values,
            UNIT,
            code=META.dossier_code,
            moments=("2026-12-07T09:15:00+07:00",),
        )
    )
    return {"result": pdf_text(result.pdf), "declaration": pdf_text(declaration)}


def main() -> None:
    from shared.documents.declaration import render_declaration
    from shared.procedures import render_result

    GOLDEN.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        for kind, text in render_texts(case, render_result, render_declaration).items():
            (GOLDEN / golden_name(case, kind)).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
