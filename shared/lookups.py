"""The lookup step (tra cứu): papers the office looks up instead of asking for.

Since Nghị định 07/2025/NĐ-CP (in force 09/01/2025; Công văn 481/BTP-HTQTCT) the office
no longer asks for the parents' Giấy chứng nhận kết hôn at a khai sinh (unless a parent is
a foreigner), nor for a Giấy xác nhận tình trạng hôn nhân or a Trích lục ghi chú ly hôn
from Vietnamese citizens who marry: the officer looks the marital status up in the
electronic civil-status database and the national population database, and verifies it
(xác minh) when nothing is found. Since Nghị định 18/2026/NĐ-CP (14/01/2026) a passport,
thẻ căn cước or CCCD is given by its number (or the số định danh) and looked up; the
original is asked for only when the lookup fails.

This module says which lookups a dossier needs (:func:`lookups_needed`), what a recorded
one holds (:class:`LookupRecord`), which verifications are still open and how many working
days a verification may add to the due time (:func:`verification_days`: only where the
law allows it). Pure: the station stores the records and an :class:`LookupSource` answers
them — today an officer typing the result (:class:`ManualSource`), later the provincial
system.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from shared.catalogue import Procedure
from shared.errors import problem

__all__ = [
    "DATABASES",
    "RESULTS",
    "LookupNeed",
    "LookupRecord",
    "LookupSource",
    "ManualSource",
    "lookups_needed",
    "open_verifications",
    "parse_answer",
    "verification_days",
]

DATABASES: dict[str, tuple[str, str]] = {
    "ho_tich": ("Cơ sở dữ liệu hộ tịch điện tử", "Electronic civil-status database"),
    "dan_cu": ("Cơ sở dữ liệu quốc gia về dân cư", "National population database"),
}
Result = Literal["found", "not_found", "mismatch"]
RESULTS: dict[str, tuple[str, str]] = {
    "found": ("Có thông tin, khớp với tờ khai", "Found, matches the declaration"),
    "not_found": ("Không có thông tin — phải xác minh", "Nothing found — to verify"),
    "mismatch": ("Thông tin không khớp — phải xác minh", "Does not match — to verify"),
}
# Verification may add working days only where a text allows it. Luật Hộ tịch 2014,
# Điều 18 khoản 2: "Trường hợp cần xác minh điều kiện kết hôn của hai bên nam, nữ thì
# thời hạn giải quyết không quá 05 ngày làm việc." No text found for the others: none.
_VERIFICATION_DAYS = {"1.000894": 5}
_NOTE_MAX = 500
_ID_KINDS_LOOKED_UP = frozenset({"cccd", "the_can_cuoc", "can_cuoc_dien_tu", "ho_chieu"})
SOURCE_07_2025 = "Nghị định 07/2025/NĐ-CP; Công văn 481/BTP-HTQTCT"
SOURCE_18_2026 = "Nghị định 18/2026/NĐ-CP"


@dataclass(frozen=True)
class LookupNeed:
    """One lookup a dossier calls for."""

    key: str  # stable id: "parents_marriage", "marital_status:wife", "identity:requester"
    what: str  # "Tình trạng hôn nhân của cha, mẹ (Bùi Thị Kim Tuyết, Lê Quốc Lộc)"
    what_en: str
    databases: tuple[str, ...]  # keys of DATABASES, where to look
    source: str  # the text that replaced the paper with this lookup
    replaces: str  # the paper no longer asked for

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "what": self.what,
            "what_en": self.what_en,
            "databases": list(self.databases),
            "source": self.source,
            "replaces": self.replaces,
        }


def _name(values: Mapping[str, Any], key: str) -> str:
    return str(values.get(key) or "").strip()


def lookups_needed(procedure: Procedure, values: Mapping[str, Any]) -> list[LookupNeed]:
    """The lookups of a dossier with these values, marital status first."""
    out: list[LookupNeed] = []
    tpl = procedure.result_template
    married = bool(values.get("father_known") and values.get("parents_married"))
    citizens = values.get("mother_nationality") == values.get("father_nationality") == "VN"
    if tpl == "khai_sinh" and married and citizens:
        who = f"{_name(values, 'mother_full_name')}, {_name(values, 'father_full_name')}"
        out.append(
            LookupNeed(
                "parents_marriage",
                f"Tình trạng hôn nhân của cha, mẹ ({who})",
                f"The parents' marriage ({who})",
                ("ho_tich", "dan_cu"),
                SOURCE_07_2025,
                "Giấy chứng nhận kết hôn của cha, mẹ",
            )
        )
    if tpl == "ket_hon":
        for side, vi, en in (("wife", "bên nữ", "bride"), ("husband", "bên nam", "groom")):
            if values.get(f"{side}_nationality") == "VN":
                who = _name(values, f"{side}_full_name")
                out.append(
                    LookupNeed(
                        f"marital_status:{side}",
                        f"Tình trạng hôn nhân của {vi} ({who})",
                        f"Marital status of the {en} ({who})",
                        ("ho_tich", "dan_cu"),
                        SOURCE_07_2025,
                        "Giấy xác nhận tình trạng hôn nhân; Trích lục ghi chú ly hôn",
                    )
                )
    seen: set[str] = set()  # one lookup per document (the requester is often the mother)
    for f in procedure.fields:
        if f.type != "cccd" or not f.id.endswith("_id_number") or not values.get(f.id):
            continue
        if str(values[f.id]) in seen:
            continue
        seen.add(str(values[f.id]))
        prefix = f.id.removesuffix("_id_number")
        kind = values.get(f.id_kind_field or "", "cccd") if f.id_kind_field else "cccd"
        if kind not in _ID_KINDS_LOOKED_UP:
            continue
        who = _name(values, f"{prefix}_full_name") or f.label.vi
        out.append(
            LookupNeed(
                f"identity:{prefix}",
                f"Giấy tờ tùy thân số {values[f.id]} ({who})",
                f"Identity document {values[f.id]} ({who})",
                ("dan_cu",),
                SOURCE_18_2026,
                "Bản chính giấy tờ tùy thân (chỉ khi tra cứu không được)",
            )
        )
    return out


def verification_days(procedure_code: str) -> int:
    """Working days a verification may add to the due time (0: the law allows none)."""
    return _VERIFICATION_DAYS.get(procedure_code, 0)


@dataclass(frozen=True)
class LookupRecord:
    """A lookup as recorded at the desk: what, in which database, the result, who, when;
    and, when nothing was found, the verification (xác minh) it opened."""

    id: str
    dossier_id: str
    key: str
    what: str
    database: str
    result: Result
    note: str
    by: str
    role: str
    at: str  # ISO time, Việt Nam
    verification: Literal["open", "closed"] | None = None
    closed_by: str | None = None
    closed_at: str | None = None
    closed_note: str | None = None

    @property
    def verification_open(self) -> bool:
        return self.verification == "open"

    def summary(self) -> str:
        """ "Tình trạng hôn nhân của cha, mẹ — Cơ sở dữ liệu hộ tịch điện tử: Có thông tin…" """
        return f"{self.what} — {DATABASES[self.database][0]}: {RESULTS[self.result][0]}" + (
            f" ({self.note})" if self.note else ""
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "dossier_id": self.dossier_id,
            "key": self.key,
            "what": self.what,
            "database": self.database,
            "database_name": DATABASES[self.database][0],
            "result": self.result,
            "result_text": RESULTS[self.result][0],
            "note": self.note,
            "by": self.by,
            "role": self.role,
            "at": self.at,
            "verification": self.verification,
            "closed_by": self.closed_by,
            "closed_at": self.closed_at,
            "closed_note": self.closed_note,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LookupRecord:
        return cls(
            id=str(d["id"]),
            dossier_id=str(d["dossier_id"]),
            key=str(d["key"]),
            what=str(d["what"]),
            database=str(d["database"]),
            result=d["result"],
            note=str(d.get("note") or ""),
            by=str(d["by"]),
            role=str(d["role"]),
            at=str(d["at"]),
            verification=d.get("verification"),
            closed_by=d.get("closed_by"),
            closed_at=d.get("closed_at"),
            closed_note=d.get("closed_note"),
        )


def open_verifications(records: Iterable[LookupRecord]) -> list[LookupRecord]:
    return [r for r in records if r.verification_open]


def _clean(text: Any, limit: int, field: str) -> str:
    if text is None:
        return ""
    if not isinstance(text, str) or len(text) > limit:
        raise problem(
            "LOOKUP_INVALID",
            field,
            detail=f"{field}: text of at most {limit} characters",
            detail_vi=f"{field}: tối đa {limit} ký tự",
        )
    clean = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", unicodedata.normalize("NFC", text))
    return " ".join(clean.split())


@dataclass(frozen=True)
class Answer:
    """What a source says about one lookup."""

    key: str
    database: str
    result: Result
    note: str


def parse_answer(
    needs: Iterable[LookupNeed], key: Any, database: Any, result: Any, note: Any
) -> Answer:
    """Check what an officer (or a system) recorded: a lookup this dossier needs, a
    database that holds it, a known result; else ``LOOKUP_INVALID`` naming the field."""
    by_key = {n.key: n for n in needs}
    if not isinstance(key, str) or key not in by_key:
        raise problem(
            "LOOKUP_INVALID",
            "key",
            detail=f"key: one of {', '.join(by_key) or '(none for this dossier)'}",
            detail_vi=f"việc tra cứu phải là một trong: {', '.join(by_key) or '(không có)'}",
        )
    need = by_key[key]
    if not isinstance(database, str) or database not in need.databases:
        raise problem(
            "LOOKUP_INVALID",
            "database",
            detail=f"database: one of {', '.join(need.databases)}",
            detail_vi="cơ sở dữ liệu phải là: "
            + "; ".join(DATABASES[d][0] for d in need.databases),
        )
    if not isinstance(result, str) or result not in RESULTS:
        raise problem(
            "LOOKUP_INVALID",
            "result",
            detail=f"result: one of {', '.join(RESULTS)}",
            detail_vi="kết quả phải là: có thông tin, không có thông tin hoặc không khớp",
        )
    clean = _clean(note, _NOTE_MAX, "note")
    if result != "found" and not clean:
        raise problem(
            "LOOKUP_INVALID",
            "note",
            detail="note: say what was searched and what is missing",
            detail_vi="ghi rõ đã tra cứu gì và thiếu thông tin gì",
        )
    return Answer(key, database, result, clean)  # type: ignore[arg-type]


class LookupSource(Protocol):
    """Who answers a lookup: an officer at the desk today, the provincial system
    (Hệ thống thông tin giải quyết thủ tục hành chính cấp tỉnh) once connected."""

    @property
    def name(self) -> str: ...

    def answer(self, need: LookupNeed, database: str) -> Answer | None:
        """The answer, or None when this source cannot answer (the officer records it)."""
        ...


@dataclass(frozen=True)
class ManualSource:
    """The officer looks the record up in the state's own application and types the
    result: this source never answers by itself."""

    name: str = "manual"

    def answer(self, need: LookupNeed, database: str) -> Answer | None:
        return None


def close_note(text: Any) -> str:
    """The verification's outcome, required when closing it."""
    clean = _clean(text, _NOTE_MAX, "note")
    if not clean:
        raise problem(
            "LOOKUP_INVALID",
            "note",
            detail="note: the outcome of the verification",
            detail_vi="ghi kết quả xác minh",
        )
    return clean
