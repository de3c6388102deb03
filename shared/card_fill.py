"""From a scanned chip ID card to the form's fields of one party ("Ngày không viết").

Every procedure names a person's fields the same way — ``<party>_full_name``,
``<party>_birth_date``, ``<party>_sex``, ``<party>_id_type``, ``<party>_id_number``,
``<party>_residence`` (requester, mother, father, wife, husband, signer, deceased,
subject, …) — so one rule fills any of them: only the fields the procedure has, in the
form the staff would have typed (dates dd/mm/yyyy). The residence is filled only from an
address staff confirmed (today's two-tier unit, or the candidate they picked when the old
commune was split), never guessed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.catalogue import Procedure
from shared.citizen import Citizen
from shared.text import fold

SUFFIXES = ("full_name", "birth_date", "sex", "id_type", "id_number", "residence")
_SEX_LABELS = {"male": "nam", "female": "nu"}  # folded choice labels "Nam" / "Nữ"


@dataclass(frozen=True)
class Party:
    """A person on the form that a card can fill: the prefix and its label."""

    prefix: str
    label: str


def parties(procedure: Procedure, lang: str = "vi") -> list[Party]:
    """The people of this procedure a card can fill (they have an ID number field)."""
    out = []
    for f in procedure.fields:
        if f.id.endswith("_id_number"):
            prefix = f.id[: -len("_id_number")]
            name = _field(procedure, f"{prefix}_full_name") or f
            who = _who(name.label.get(lang))
            if not who:  # "Họ, chữ đệm, tên" alone: the section says whose
                section = next(s for s in procedure.sections if s.id == name.section)
                title = section.title.get(lang)
                who = title[:1].lower() + title[1:]
            out.append(Party(prefix, who))
    return out


def _who(label: str) -> str:
    """ "Họ, chữ đệm, tên người mẹ" → "người mẹ"; "… tên (bên nữ)" → "bên nữ"; "" when
    the label names no one (the button says "Điền cho người mẹ")."""
    for head in ("Họ, chữ đệm, tên", "Họ, chữ đệm và tên", "Họ và tên", "Họ tên"):
        if label.startswith(head):
            return label[len(head) :].strip().strip("()").strip()
    return label


def _field(procedure: Procedure, field_id: str) -> Any:
    try:
        return procedure.field(field_id)
    except KeyError:
        return None


# The common nouns of administrative units: written in lower case inside a text, the
# unit's own name capitalised ("xã Lai Vung, tỉnh Đồng Tháp"; docs/legal.md, Nghị định
# 30/2020/NĐ-CP, Phụ lục II). The unit list prints them capitalised, as names on their own.
UNIT_NOUNS = ("đặc khu", "thành phố", "thị trấn", "thị xã", "phường", "xã", "huyện", "quận", "tỉnh")


def _common_noun_lower(part: str) -> str:
    low = part.lower()
    for noun in UNIT_NOUNS:
        if low.startswith(noun + " "):
            return noun + part[len(noun) :]
    return part


def residence_text(street: str, unit: str) -> str:
    """ "Ấp An Bình" + "Xã Lai Vung, Tỉnh Đồng Tháp" → "Ấp An Bình, xã Lai Vung, tỉnh
    Đồng Tháp" (NFC): one address line as documents write it — the unit nouns in lower
    case after the first part, the line's first letter capitalised."""
    street = unicodedata.normalize("NFC", (street or "").strip())
    units = [u.strip() for u in unicodedata.normalize("NFC", unit or "").split(",") if u.strip()]
    parts = ([street] if street else []) + units
    out = [parts[0]] + [_common_noun_lower(p) for p in parts[1:]] if parts else []
    return ", ".join(out)


def fill_from_card(
    procedure: Procedure, prefix: str, card: dict[str, Any], residence: str | None
) -> dict[str, Any]:
    """The values to put into the form for ``prefix`` from ``card`` (``scanned_card``'s
    dict). ``residence`` is the address staff confirmed, or None to leave it as is."""
    values: dict[str, Any] = {}
    f = _field(procedure, f"{prefix}_full_name")
    if f is not None:
        values[f.id] = str(card["name"])
    f = _field(procedure, f"{prefix}_birth_date")
    if f is not None:
        values[f.id] = date.fromisoformat(str(card["dob"])).strftime("%d/%m/%Y")
    f = _field(procedure, f"{prefix}_sex")
    if f is not None and f.choices:
        want = _SEX_LABELS.get(str(card.get("sex")), "")
        for ch in f.choices:
            if fold(ch.label.vi) == want:
                values[f.id] = ch.value
    f = _field(procedure, f"{prefix}_id_type")
    if f is not None and any(ch.value == "cccd" for ch in f.choices):
        values[f.id] = "cccd"
    f = _field(procedure, f"{prefix}_id_number")
    if f is not None:
        values[f.id] = str(card["number"])
    f = _field(procedure, f"{prefix}_residence")
    if f is not None and residence:
        values[f.id] = residence
    return values


def card_of(citizen: Citizen) -> dict[str, Any]:
    """A citizen from the book in the shape of a scanned card, so the same panel shows
    them and the same one tap fills a person; the unit staff confirmed the first time
    is kept (a split former commune is not asked again)."""
    from shared.addresses import map_printed_address

    mapped = map_printed_address(citizen.address_printed) if citizen.address_printed else None
    confirmed = bool(citizen.address_commune and citizen.address_province)
    return {
        "number": citizen.number,
        "old_id": citizen.old_id,
        "name": citizen.name,
        "dob": citizen.dob,
        "sex": citizen.sex,
        "address_printed": citizen.address_printed,
        "address_mapped": {
            "street": mapped.street if mapped else "",
            "commune": citizen.address_commune if confirmed else "",
            "province": citizen.address_province if confirmed else "",
            "candidates": [] if confirmed or mapped is None else list(mapped.candidates),
            "status": "matched" if confirmed else (mapped.status if mapped else "not_found"),
        },
    }
