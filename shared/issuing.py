"""What a result needs before it is signed and sealed.

- A Giấy khai sinh carries the child's số định danh cá nhân, issued at registration by
  the national population database (Luật Căn cước 2023, Điều 12; Thông tư 04/2020/TT-BTP
  as amended by Thông tư 04/2024/TT-BTP, the Giấy khai sinh form): the appraiser records
  it (by hand until the provincial system answers), and the leader cannot sign — nor the
  clerk seal — a certificate without it.
- A Giấy chứng nhận kết hôn is signed by the spouses themselves: "Hai bên nam, nữ cùng
  ký vào Giấy chứng nhận kết hôn" (Luật Hộ tịch 2014, Điều 18 khoản 2). The seal of the
  commune may only be put on what is already signed (Nghị định 30/2020/NĐ-CP), so the
  clerk cannot seal before both spouses' signatures are on the certificate
  (:func:`require_parties_signed`). Each spouse's mark — strokes drawn on a screen, a
  thumbprint with its witness, or "signed on the printed copy" — is added to the
  leader-signed PDF as a signature field of its own (:data:`PARTY_FIELDS`) before the
  seal's signature, which then covers them.
- A chứng thực bản sao made by scanning issues the scanned pages themselves, with the
  statement on the last one (Nghị định 23/2015/NĐ-CP, Điều 20): the pages are the
  dossier's photos of the copies the requester brought, else of the original
  (:func:`scanned_copy`); a photo that has not reached the station holds the approval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shared.catalogue import Procedure
from shared.errors import problem
from shared.model import AttachmentRef
from shared.signatures import SigningParty, signing_parties

__all__ = [
    "PARTY_FIELDS",
    "PERSONAL_ID_FIELD",
    "RESULT_SIGNED_BY_PARTIES",
    "parties_unsigned",
    "ready_to_issue",
    "require_parties_signed",
    "result_parties",
    "scanned_copy",
]

PERSONAL_ID_FIELD = "child_personal_id"
# Results the people themselves sign (procedure code → why): the Giấy chứng nhận kết hôn.
RESULT_SIGNED_BY_PARTIES: Mapping[str, str] = {
    "1.000894": "Luật Hộ tịch 2014, Điều 18 khoản 2",
}
# The PDF signature field of each party's mark on the result (one per party, stable: the
# station reads them back to know who has signed).
PARTY_FIELDS: Mapping[str, str] = {"wife": "ChuKyBenNu", "husband": "ChuKyBenNam"}
# Results that are a copy of the dossier's own photos (procedure code → the components
# whose photos are its pages, by preference): the chứng thực bản sao.
SCANNED_COPY: Mapping[str, tuple[str, ...]] = {"2.000815": ("copies", "original")}


def ready_to_issue(procedure: Procedure, values: Mapping[str, Any]) -> None:
    """Raise ``PERSONAL_ID_MISSING`` when the result would print a blank number."""
    field = next((f for f in procedure.fields if f.id == PERSONAL_ID_FIELD), None)
    if field is not None and not str(values.get(PERSONAL_ID_FIELD) or "").strip():
        raise problem(
            "PERSONAL_ID_MISSING", PERSONAL_ID_FIELD, label=field.label.vi, label_en=field.label.en
        )


def result_parties(procedure: Procedure) -> list[SigningParty]:
    """The people who sign this procedure's result themselves, in the form's order
    (none for a result only the office signs)."""
    if procedure.code not in RESULT_SIGNED_BY_PARTIES:
        return []
    return [p for p in signing_parties(procedure) if p.party in PARTY_FIELDS]


def parties_unsigned(procedure: Procedure, signed_fields: Iterable[str]) -> list[SigningParty]:
    """Those of :func:`result_parties` whose signature field is not on the result yet."""
    have = set(signed_fields)
    return [p for p in result_parties(procedure) if PARTY_FIELDS[p.party] not in have]


def require_parties_signed(procedure: Procedure, signed_fields: Iterable[str]) -> None:
    """``RESULT_PARTIES_UNSIGNED`` (naming who) while a party has not signed the result."""
    missing = parties_unsigned(procedure, signed_fields)
    if missing:
        names = ", ".join(p.label_vi.lower() for p in missing)
        names_en = ", ".join(p.label_en.lower() for p in missing)
        raise problem("RESULT_PARTIES_UNSIGNED", "signatures", parties=names, parties_en=names_en)


def scanned_copy(procedure_code: str, attachments: Iterable[AttachmentRef]) -> list[AttachmentRef]:
    """The photos that are the pages of the result, in the order they were taken ([] for
    a procedure whose result is not a copy, or a dossier without such photos)."""
    refs = list(attachments)
    for component in SCANNED_COPY.get(procedure_code, ()):
        pages = [a for a in refs if a.component == component]
        if pages:
            return sorted(pages, key=lambda a: a.taken_at)
    return []
