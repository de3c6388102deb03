"""Which commune is competent to decide a dossier: the default the tablet proposes.

Since 1 July 2025 a commune's Trung tâm Phục vụ hành chính công receives dossiers
regardless of administrative boundaries within the province (Nghị định 118/2025/NĐ-CP),
but the commune that *decides* is still the one the procedure's rule of competence names
(docs/legal.md, "The competent commune"): for a khai sinh the commune where the father or
the mother resides (Luật Hộ tịch 2014, Điều 13), for a khai tử where the deceased
last resided (Điều 32), for a kết hôn where either party resides (Điều 17), for a marital
status certificate where the person resides (Nghị định 123/2015/NĐ-CP, Điều 21).

:func:`choose` reads the residence fields the rule names, in order, and matches each
address against the communes of the province the station relays to (the hub's list,
``shared.messages.Commune``). The receiving commune itself wins whenever one of those
residences lies in it (no relay); otherwise the first residence that names a commune of
the list; when none does, the receiving commune, saying that the officer must choose.
A procedure without a residence rule here (chứng thực) stays at the receiving commune.
The officer may always change the choice; the reason is shown beside it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.messages import Commune
from shared.text import fold

# Unit kinds a commune-level name starts with (2025 two-tier units), folded.
_KINDS = ("xa ", "phuong ", "dac khu ", "thi tran ")


@dataclass(frozen=True)
class CompetenceRule:
    """A procedure's rule of competence: the residence fields naming the competent
    commune, in the order they are tried, and the text of the law it comes from."""

    fields: tuple[str, ...]
    basis: str  # "Luật Hộ tịch 2014, Điều 13"
    who_vi: str  # "nơi cư trú của người cha hoặc người mẹ"
    who_en: str


RULES: dict[str, CompetenceRule] = {
    "1.001193": CompetenceRule(
        ("mother_residence", "father_residence"),
        "Luật Hộ tịch 2014, Điều 13",
        "nơi cư trú của người cha hoặc người mẹ",
        "where the father or the mother resides",
    ),
    "1.000656": CompetenceRule(
        ("deceased_residence",),
        "Luật Hộ tịch 2014, Điều 32",
        "nơi cư trú cuối cùng của người chết",
        "where the deceased last resided",
    ),
    "1.000894": CompetenceRule(
        ("wife_residence", "husband_residence"),
        "Luật Hộ tịch 2014, Điều 17",
        "nơi cư trú của một trong hai bên nam, nữ",
        "where either party resides",
    ),
    "1.004873": CompetenceRule(
        ("subject_residence",),
        "Nghị định 123/2015/NĐ-CP, Điều 21 khoản 1",
        "nơi thường trú (hoặc tạm trú) của người yêu cầu",
        "where the person is registered as resident",
    ),
}


@dataclass(frozen=True)
class CompetentChoice:
    """The commune proposed as competent, and why (shown beside it on the tablet).

    ``unit_code`` None: the receiving commune itself (no relay). ``field``: the residence
    field whose address decided it; ``basis``: the article of law."""

    unit_code: str | None
    name: str
    reason_vi: str
    reason_en: str
    basis: str | None = None
    field: str | None = None
    matched: bool = False  # False: no address named a commune; the officer must choose

    def reason(self, lang: str) -> str:
        return self.reason_en if lang == "en" else self.reason_vi


def _bare(folded: str) -> str:
    for kind in _KINDS:
        if folded.startswith(kind):
            return folded[len(kind) :].strip()
    return folded


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def find_commune(address: str, communes: Sequence[Commune]) -> Commune | None:
    """The commune of the list an address lies in, or None.

    The address is read part by part (comma-separated, as on an ID card or a form: "Ấp
    Hưng Thạnh, xã Lai Vung, tỉnh Đồng Tháp"), accent- and case-insensitively. A part that
    names its kind ("xã", "phường", "đặc khu", "thị trấn") must match the commune's full
    name, so "Phường Sa Đéc" is not "Xã Sa Đéc"; a part without a kind matches the name
    without it. A pre-2025 address (with a district) is mapped to today's commune first
    (``shared.addresses``). One commune only: two candidates are no answer."""
    text = _nfc(address)
    if not text or not communes:
        return None
    full = {fold(c.name): c for c in communes}
    bare: dict[str, list[Commune]] = {}
    for c in communes:
        bare.setdefault(_bare(fold(c.name)), []).append(c)
    parts = [fold(p) for p in re.split(r"[,;\n]", text) if p.strip()]
    for part in reversed(parts):  # the commune comes after the hamlet and the street
        if part in full:
            return full[part]
        if _bare(part) == part and len(bare.get(part, [])) == 1:
            return bare[part][0]
    if any(fold(p).startswith("huyen ") or " huyen " in fold(p) for p in text.split(",")):
        from shared.addresses import map_printed_address

        mapped = map_printed_address(text)
        if mapped.status == "matched" and mapped.commune:
            return full.get(fold(mapped.commune))
    return None


def _value(values: Mapping[str, Any], field: str) -> str:
    v = values.get(field)
    return v if isinstance(v, str) else ""


def choose(
    procedure: str,
    values: Mapping[str, Any],
    communes: Sequence[Commune],
    own_code: str,
    own_name: str,
    field_labels: Mapping[str, tuple[str, str]] | None = None,
) -> CompetentChoice:
    """The default competent commune of a dossier (module docstring).

    ``communes``: the province's communes the station relays to (its own may be among
    them); ``own_code``/``own_name``: the receiving commune; ``field_labels``: field id →
    (Vietnamese, English) label, to name the residence in the reason."""
    rule = RULES.get(procedure)
    if rule is None:
        return CompetentChoice(
            None,
            own_name,
            "Thủ tục này giải quyết tại nơi tiếp nhận.",
            "This procedure is decided where it is received.",
        )
    labels = field_labels or {}
    known = list(communes)
    if own_name and all(c.unit_code != own_code for c in known):
        known.append(Commune(own_code, own_name))  # a list not fetched yet: still itself
    found: list[tuple[str, Commune]] = []
    for field in rule.fields:
        c = find_commune(_value(values, field), known)
        if c is not None:
            found.append((field, c))
    mine = next(((f, c) for f, c in found if c.unit_code == own_code), None)
    pick = mine or (found[0] if found else None)
    law_vi = f"{rule.basis}: {rule.who_vi}"
    law_en = f"{rule.basis}: {rule.who_en}"
    if pick is None:
        return CompetentChoice(
            None,
            own_name,
            f"Chưa xác định được xã, phường từ địa chỉ ({law_vi}); hãy chọn trong danh sách.",
            f"No commune found in the addresses ({law_en}); choose from the list.",
            rule.basis,
        )
    field, commune = pick
    vi, en = labels.get(field, (field, field))
    here = commune.unit_code == own_code
    return CompetentChoice(
        None if here else commune.unit_code,
        commune.name,
        f"{vi}: {commune.name} — {law_vi}.",
        f"{en}: {commune.name} — {law_en}.",
        rule.basis,
        field,
        True,
    )


def search(communes: Iterable[Commune], query: str, limit: int = 50) -> list[Commune]:
    """Communes whose name holds every word of ``query`` (accent- and case-insensitive,
    so "sa dec" finds "Phường Sa Đéc"), in the list's order."""
    words = fold(_nfc(query)).split()
    out = [c for c in communes if all(w in fold(c.name) for w in words)]
    return out[:limit]
