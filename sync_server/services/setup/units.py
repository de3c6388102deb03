"""Which commune this station serves, picked from the official 2025 list of units.

Since 1 July 2025 Vietnam has two tiers: 34 provinces and 3,321 communes, wards and
special zones. The list comes from the ``vietnam-provinces`` package (pinned; its data
file is read once), so a commune office never types its official name, codes or
letterhead by hand — it names its province and commune the way people say them
("Đồng Tháp", "lai vung", "Xã Lai Vung") and gets the official record back.

Why a derived default agency code: the national agency code (mã định danh cơ quan,
e.g. ``000.31.22.H20``) is issued by the province and is not in the list; until the
office types it with ``--agency-code`` the station uses ``<province code>.<commune
code>`` (``82.30226`` for Xã Lai Vung), which is unique nationwide and valid in a
dossier code.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import vietnam_provinces
from sqlite_utils import Database

from shared.errors import problem
from shared.unit import Unit
from sync_server.services.core.station import get_unit_record, set_unit

__all__ = [
    "DATA_VERSION",
    "PACKAGE_VERSION",
    "Commune",
    "Province",
    "find_commune",
    "find_province",
    "load_unit",
    "require_unit",
    "set_unit_from_names",
    "unit_from_names",
    "units_count",
]

PACKAGE_VERSION: str = vietnam_provinces.__version__
DATA_VERSION: str = vietnam_provinces.__data_version__

# Prefixes people add or leave out; longest first so "thanh pho" wins over nothing.
_PROVINCE_PREFIXES = ("thanh pho truc thuoc trung uong", "thanh pho", "tinh", "tp.", "tp")
_COMMUNE_PREFIXES = ("dac khu", "phuong", "xa", "p.", "x.")
_CANDIDATES = 5


def _spaced(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).lower()).strip()


def fold(text: str) -> str:
    """Accent-, case- and spacing-insensitive form: "Xã  Lai Vung" → "xa lai vung".

    One character in, one character out (after :func:`_spaced`), so an offset found in
    the folded form is valid in the accented one.
    """
    spaced = _spaced(text).replace("đ", "d")
    # NFD puts the base letter first and its marks after: keep the base letter only.
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in spaced)


def _strip_prefix(folded: str, prefixes: tuple[str, ...]) -> str:
    for p in prefixes:
        if folded.startswith(p + " ") or (p.endswith(".") and folded.startswith(p)):
            return folded[len(p) :].strip()
    return folded


def _keys(name: str, prefixes: tuple[str, ...]) -> tuple[str, str, str, str]:
    """(accented, accented without prefix, folded, folded without prefix)."""
    accented, folded = _spaced(name), fold(name)
    bare = _strip_prefix(folded, prefixes)
    cut = len(folded) - len(bare)
    return accented, accented[cut:].strip(), folded, bare


@dataclass(frozen=True)
class Province:
    code: int
    name: str  # "Đồng Tháp", "Thành phố Hà Nội" (as the list spells it)
    division_type: str  # "tỉnh" | "thành phố trung ương"

    @property
    def full_name(self) -> str:
        """ "Tỉnh Đồng Tháp", "Thành phố Hà Nội"."""
        return self.name if self.division_type != "tỉnh" else f"Tỉnh {self.name}"

    @property
    def in_sentence(self) -> str:
        """ "tỉnh Đồng Tháp", "thành phố Hà Nội" (inside a sentence)."""
        full = self.full_name
        return full[0].lower() + full[1:]


@dataclass(frozen=True)
class Commune:
    code: int
    name: str  # "Xã Lai Vung"
    division_type: str  # "xã" | "phường" | "đặc khu"
    province: Province

    @property
    def short_name(self) -> str:
        """ "Lai Vung": the name without its kind, for the date line of documents."""
        kind = self.division_type
        return (
            self.name[len(kind) + 1 :]
            if fold(self.name).startswith(fold(kind) + " ")
            else self.name
        )


@functools.lru_cache(maxsize=1)
def _divisions() -> tuple[tuple[Province, tuple[Commune, ...]], ...]:
    raw = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    out = []
    for p in raw:
        prov = Province(int(p["code"]), p["name"], p["division_type"])
        communes = tuple(
            Commune(int(w["code"]), w["name"], w["division_type"], prov) for w in p["wards"]
        )
        out.append((prov, communes))
    return tuple(out)


def units_count() -> dict[str, int]:
    """How many provinces and communes the shipped list holds (34 and 3,321)."""
    data = _divisions()
    return {"provinces": len(data), "communes": sum(len(c) for _, c in data)}


def _closest(query: str, names: list[str], prefixes: tuple[str, ...]) -> str:
    folded = {fold(n): n for n in names}
    bare = {_strip_prefix(k, prefixes): n for k, n in folded.items()}
    q = _strip_prefix(fold(query), prefixes)
    hits = difflib.get_close_matches(q, list(bare), n=_CANDIDATES, cutoff=0.5)
    # A name typed in part ("Lai") still finds the units that contain it.
    hits += [k for k in bare if q and q in k and k not in hits]
    return ", ".join(bare[k] for k in hits[:_CANDIDATES]) or "—"


def _match(query: str, items: list[Any], name_of: Any, prefixes: tuple[str, ...]) -> list[Any]:
    """The best level that matches: accents kept before accents dropped, with the
    "Xã"/"Tỉnh" prefix before without it ("Mỹ Thọ" must not find "Mỹ Tho")."""
    q = _keys(query, prefixes)
    keyed = [(i, _keys(name_of(i), prefixes)) for i in items]
    for level in (0, 1, 2, 3):
        hits = [i for i, k in keyed if k[level] == q[level]]
        if hits:
            return hits
    return []


def _the_one(
    query: str,
    items: list[Any],
    name_of: Callable[[Any], str],
    prefixes: tuple[str, ...],
    field: str,
    scope: str,
) -> Any:
    """The one unit that ``query`` names, or ``UNIT_UNKNOWN`` naming ``field`` with the
    candidates: the units it matches equally, or else the closest names."""
    hits = _match(query, items, name_of, prefixes)
    if len(hits) == 1:
        return hits[0]
    candidates = (
        ", ".join(name_of(i) for i in hits)
        if hits
        else _closest(query, [name_of(i) for i in items], prefixes)
    )
    raise problem("UNIT_UNKNOWN", field, scope=scope, name=query, candidates=candidates)


def find_province(name: str) -> Province:
    """The province named ``name`` (accent-insensitive, "Tỉnh"/"Thành phố" optional)."""
    provinces = [p for p, _ in _divisions()]
    found: Province = _the_one(
        name, provinces, lambda p: p.full_name, _PROVINCE_PREFIXES, "province", "tỉnh/thành phố"
    )
    return found


def find_commune(province: str, commune: str) -> Commune:
    """The commune, ward or special zone ``commune`` of ``province``.

    "Lai Vung", "xa lai vung" and "Xã Lai Vung" all match; a bare name shared by a xã and
    a phường of the same province is refused with both as candidates.
    """
    prov = find_province(province)
    communes = list(next(c for p, c in _divisions() if p.code == prov.code))
    scope = f"xã/phường/đặc khu, {prov.in_sentence}"
    found: Commune = _the_one(
        commune, communes, lambda c: c.name, _COMMUNE_PREFIXES, "commune", scope
    )
    return found


def default_agency_code(c: Commune) -> str:
    """``<province code>.<commune code>``, e.g. ``82.30226`` (see the module docstring)."""
    return f"{c.province.code:02d}.{c.code:05d}"


def unit_from_names(
    province: str,
    commune: str,
    *,
    agency_code: str | None = None,
    former_name: str | None = None,
) -> Unit:
    """The :class:`~shared.unit.Unit` for a commune named the way people say it."""
    c = find_commune(province, commune)
    kind = c.division_type  # "xã", "phường", "đặc khu"
    name = f"Ủy ban nhân dân {kind} {c.short_name}"
    code = (agency_code or "").strip().upper() or default_agency_code(c)
    return Unit.from_dict(
        {
            "code": code,
            "name": name,
            "commune": c.name,
            "province": c.province.full_name,
            "place_name": c.short_name,
            "agency_lines": ["ỦY BAN NHÂN DÂN", f"{kind} {c.short_name}".upper()],
            "registration_office": f"{name}, {c.province.in_sentence}",
            "former_name": (former_name or "").strip(),
            "commune_code": f"{c.code:05d}",
            "province_code": f"{c.province.code:02d}",
        }
    )


def set_unit_from_names(
    db: Database,
    province: str,
    commune: str,
    agency_code: str | None = None,
    former_name: str | None = None,
) -> Unit:
    """Look the commune up and make it the station's unit; returns what was stored.

    Setting the same commune again without an agency code keeps the code already set:
    dossier codes already issued carry it, and the derived default must never replace a
    real national code by accident (desk form or CLI alike).
    """
    current = load_unit(db)
    unit = unit_from_names(province, commune, agency_code=agency_code, former_name=former_name)
    if (
        agency_code is None
        and current is not None
        and current.commune_code
        and current.commune_code == unit.commune_code
    ):
        unit = dataclasses.replace(unit, code=current.code)
    set_unit(db, unit.to_dict())
    return unit


def load_unit(db: Database) -> Unit | None:
    """The station's unit as a :class:`Unit`, or None before ``unit-set``."""
    return get_unit_record(db)


def require_unit(db: Database) -> Unit:
    """The unit, or ``UNIT_NOT_CONFIGURED``: intake and enrolment wait for ``unit-set``."""
    unit = load_unit(db)
    if unit is None:
        raise problem("UNIT_NOT_CONFIGURED")
    return unit
