"""Reading a catalogue an office imports: records in the shape of the national procedure
database (Cơ sở dữ liệu quốc gia về thủ tục hành chính), as JSON or CSV.

Every record is checked and every problem is collected with its row and field, as
pyxform reports a form (docs/catalogue.md lists the format); one wrong record refuses
the whole file (``CATALOGUE_IMPORT_INVALID``, nothing changes). A record that is fine
but worth a look (not commune level, a built-in procedure) is a *warning*, kept apart.

A record becomes a procedure document (``shared.catalogue``) of the generic procedure
(:mod:`shared.generic_procedure`): the national fields are kept under ``record`` and the
province's own time limit and fee, set later on the desk, under ``record.province``.
Pure: bytes in, documents out; the station decides versions and stores them.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.catalogue import GENERIC_TEMPLATE, Catalogue, Procedure, document_hash
from shared.errors import problem
from shared.generic_procedure import generic_sections

__all__ = [
    "CSV_COLUMNS",
    "MAX_FEE_VND",
    "MAX_TIME_LIMIT_DAYS",
    "ImportPlan",
    "ProcedureSettings",
    "parse_catalogue_file",
    "plan_import",
    "with_settings",
]

MAX_TIME_LIMIT_DAYS = 365
MAX_FEE_VND = 10_000_000
MAX_RECORDS = 2000
_CODE_RE = re.compile(r"^(\d\.\d{6})(\.[0-9A-Za-z.]+)?$")
_RECORD_KEYS = frozenset(
    {
        "ma_tthc",
        "ten",
        "ten_en",
        "linh_vuc",
        "cap_thuc_hien",
        "thoi_han_ngay_lam_viec",
        "thoi_han_ghi_chu",
        "phi_le_phi",
        "thanh_phan_ho_so",
        "can_cu_phap_ly",
        "co_quan_thuc_hien",
        "ket_qua",
        "nguon",
        "da_kiem_tra",
        "ghi_chu",
    }
)
_FEE_KEYS = frozenset({"vnd", "ghi_chu", "ghi_chu_en", "tinh_quy_dinh"})
_PART_KEYS = frozenset({"ten", "ten_en", "ban_chinh", "ban_sao", "bat_buoc"})
_SOURCE_KEYS = frozenset({"ten", "url", "ngay_kiem_tra"})
# The CSV columns (one record a row; list cells hold one item a line).
CSV_COLUMNS = (
    "ma_tthc",
    "ten",
    "ten_en",
    "linh_vuc",
    "cap_thuc_hien",
    "thoi_han_ngay_lam_viec",
    "thoi_han_ghi_chu",
    "phi_vnd",
    "phi_ghi_chu",
    "phi_tinh_quy_dinh",
    "thanh_phan_ho_so",
    "can_cu_phap_ly",
    "co_quan_thuc_hien",
    "ket_qua",
    "nguon_ten",
    "nguon_url",
    "ngay_kiem_tra",
    "da_kiem_tra",
    "ghi_chu",
)
_YES = {"có", "co", "x", "true", "1", "yes"}
_NO = {"không", "khong", "", "false", "0", "no"}


@dataclass
class _Issues:
    """Problems (refuse the file) and warnings (shown, imported anyway), by row/field."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def error(self, row: int, fld: str, vi: str, en: str) -> None:
        self.errors.append({"row": row, "field": fld, "message": vi, "message_en": en})

    def warn(self, row: int, fld: str, vi: str, en: str) -> None:
        self.warnings.append({"row": row, "field": fld, "message": vi, "message_en": en})


@dataclass(frozen=True)
class ImportPlan:
    """What an import would change: the documents to store (versions set), the codes
    unchanged, and the warnings."""

    documents: list[dict[str, Any]]
    unchanged: list[str]
    warnings: list[dict[str, Any]]
    records: int

    def summary(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "imported": [(d["code"], d["version"]) for d in self.documents],
            "unchanged": self.unchanged,
            "warnings": self.warnings,
        }


def parse_catalogue_file(
    data: bytes, name: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The file's records as procedure documents (version 1, no province settings) and
    the warnings; every problem at once as ``CATALOGUE_IMPORT_INVALID``."""
    issues = _Issues()
    rows = _rows(data, name, issues)
    docs: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row, raw in rows:
        doc = _document(raw, row, issues)
        if doc is None:
            continue
        code = doc["code"]
        if code in seen:
            issues.error(
                row,
                "ma_tthc",
                f"mã thủ tục {code} trùng với dòng {seen[code]}",
                f"code {code} repeats row {seen[code]}",
            )
            continue
        seen[code] = row
        docs.append(doc)
    if not rows and not issues.errors:
        issues.error(0, "procedures", "tệp không có thủ tục nào", "the file holds no procedure")
    if issues.errors:
        err = problem("CATALOGUE_IMPORT_INVALID", None, file=name, count=len(issues.errors))
        err.details = issues.errors
        raise err
    return docs, issues.warnings


def plan_import(current: Catalogue, data: bytes, name: str) -> ImportPlan:
    """Versions for the file's records against ``current``: a new code starts at 1, a
    changed record is the next version and keeps what the office set (enabled, the
    province's limit and fee), an unchanged one is left; a built-in procedure (with its
    own form and result) is never replaced by a record (a warning)."""
    docs, warnings = parse_catalogue_file(data, name)
    out: list[dict[str, Any]] = []
    unchanged: list[str] = []
    for i, doc in enumerate(docs):
        code = doc["code"]
        if code in current:
            now = current.get(code)
            if now.has_result_template:
                warnings.append(
                    {
                        "row": doc["record"].get("row", i + 1),
                        "field": "ma_tthc",
                        "message": f"thủ tục {code} đã có sẵn mẫu riêng; giữ nguyên",
                        "message_en": f"procedure {code} is built in with its own form; kept",
                    }
                )
                continue
            doc = _carry_settings(doc, now)
            if _same(doc, now.source):
                unchanged.append(code)
                continue
            doc["version"] = now.version + 1
        out.append(doc)
    return ImportPlan(out, unchanged, warnings, len(docs))


@dataclass(frozen=True)
class ProcedureSettings:
    """What the office may set on an imported procedure, declared once for every layer
    that passes it on (the desk, the command line, the door, the catalogue service):
    switched on or off (``enabled``), the province's own time limit and fee with the
    decision that publishes them, or back to the national values (``clear_province``).
    None leaves a setting as it is."""

    enabled: bool | None = None
    time_limit_working_days: int | None = None
    fee_vnd: int | None = None
    decision: str | None = None
    clear_province: bool = False


def with_settings(procedure: Procedure, settings: ProcedureSettings) -> dict[str, Any]:
    """The next version of an imported procedure with the office's settings: switched on
    or off, and the province's own time limit and fee "as published in its decision"
    (a decision is required with either). ``REQUEST_INVALID`` names the wrong field."""
    enabled, decision = settings.enabled, settings.decision
    time_limit_working_days, fee_vnd = settings.time_limit_working_days, settings.fee_vnd
    if procedure.has_result_template:
        raise problem(
            "REQUEST_INVALID",
            "procedure",
            detail=f"{procedure.code} is built in; its definition is not edited here",
            detail_vi=f"thủ tục {procedure.code} có sẵn trong ứng dụng, không sửa ở đây",
        )
    doc = copy.deepcopy(procedure.source)
    record = doc.setdefault("record", {})
    province = dict(record.get("province") or {})
    if settings.clear_province:
        province = {}
    if time_limit_working_days is not None:
        if _bad_int(time_limit_working_days, MAX_TIME_LIMIT_DAYS):
            raise problem(
                "REQUEST_INVALID",
                "time_limit_working_days",
                detail=f"0–{MAX_TIME_LIMIT_DAYS} working days",
                detail_vi=f"thời hạn phải từ 0 đến {MAX_TIME_LIMIT_DAYS} ngày làm việc",
            )
        province["time_limit_working_days"] = time_limit_working_days
    if fee_vnd is not None:
        if _bad_int(fee_vnd, MAX_FEE_VND):
            raise problem(
                "REQUEST_INVALID",
                "fee_vnd",
                detail=f"0–{MAX_FEE_VND} VND",
                detail_vi=f"mức thu phải từ 0 đến {MAX_FEE_VND} đồng",
            )
        province["fee_vnd"] = fee_vnd
    if time_limit_working_days is not None or fee_vnd is not None:
        text = (decision or "").strip()
        if not 5 <= len(text) <= 300:
            raise problem(
                "REQUEST_INVALID",
                "decision",
                detail="the province's decision (number, date) is required, 5–300 characters",
                detail_vi="cần ghi quyết định của tỉnh (số, ngày), từ 5 đến 300 ký tự",
            )
        province["decision"] = text
    record["province"] = province
    if enabled is not None:
        doc["enabled"] = bool(enabled)
    _apply_province(doc)
    doc["version"] = procedure.version + 1
    return doc


# --- reading the file ------------------------------------------------------------------


def _rows(data: bytes, name: str, issues: _Issues) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        issues.error(0, "file", "tệp không phải UTF-8", "the file is not UTF-8")
        return []
    if name.lower().endswith(".csv"):
        return _csv_rows(text, issues)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as exc:
        issues.error(
            exc.lineno,
            "file",
            f"JSON sai cú pháp ở dòng {exc.lineno}",
            f"bad JSON at line {exc.lineno}: {exc.msg}",
        )
        return []
    records = parsed.get("procedures") if isinstance(parsed, dict) else parsed
    if not isinstance(records, list):
        issues.error(
            0,
            "procedures",
            "cần một danh sách thủ tục (khóa procedures)",
            "a list of procedures (key 'procedures') is needed",
        )
        return []
    if len(records) > MAX_RECORDS:
        issues.error(0, "procedures", f"tối đa {MAX_RECORDS} thủ tục", f"at most {MAX_RECORDS}")
        return []
    return [(i + 1, r) for i, r in enumerate(records)]


def _csv_rows(text: str, issues: _Issues) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in ("ma_tthc", "ten") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        issues.error(
            1,
            ", ".join(missing or unknown),
            "thiếu cột " + ", ".join(missing) if missing else "cột lạ " + ", ".join(unknown),
            "missing column(s) " + ", ".join(missing)
            if missing
            else "unknown column(s) " + ", ".join(unknown),
        )
        return []
    out = []
    for i, cells in enumerate(reader):
        row = i + 2  # the header is row 1, as a spreadsheet numbers them
        out.append(
            (row, _from_csv({k: (v or "").strip() for k, v in cells.items() if k}, row, issues))
        )
        if len(out) > MAX_RECORDS:
            issues.error(0, "procedures", f"tối đa {MAX_RECORDS} thủ tục", f"at most {MAX_RECORDS}")
            return []
    return out


def _lines(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n;]", cell) if part.strip()]


def _flag(cell: str, row: int, fld: str, issues: _Issues) -> bool | None:
    value = cell.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    issues.error(row, fld, "phải là Có hoặc Không", "must be Có (yes) or Không (no)")
    return None


def _from_csv(c: dict[str, str], row: int, issues: _Issues) -> dict[str, Any]:
    """A CSV row as the JSON record shape (numbers stay text: checked like JSON's)."""
    parts = []
    for j, item in enumerate(p for p in c.get("thanh_phan_ho_so", "").split("\n") if p.strip()):
        bits = [b.strip() for b in item.split("|")]
        part: dict[str, Any] = {"ten": bits[0]}
        for key, at in (("ban_chinh", 1), ("ban_sao", 2)):
            part[key] = _int_text(bits[at]) if len(bits) > at else 0
        if len(bits) > 3:
            flag = _flag(
                "không" if bits[3].lower() in ("khong_bat_buoc", "không bắt buộc") else "có",
                row,
                f"thanh_phan_ho_so[{j + 1}]",
                issues,
            )
            part["bat_buoc"] = flag
        parts.append(part)
    record: dict[str, Any] = {
        "ma_tthc": c.get("ma_tthc", ""),
        "ten": c.get("ten", ""),
        "linh_vuc": c.get("linh_vuc", ""),
        "cap_thuc_hien": _lines(c.get("cap_thuc_hien", "")),
        "thoi_han_ngay_lam_viec": _int_text(c.get("thoi_han_ngay_lam_viec", "")),
        "phi_le_phi": {"vnd": _int_text((c.get("phi_vnd", "") or "0").replace(".", ""))},
        "thanh_phan_ho_so": parts,
        "can_cu_phap_ly": [p.strip() for p in c.get("can_cu_phap_ly", "").split("\n") if p.strip()],
        "co_quan_thuc_hien": c.get("co_quan_thuc_hien", ""),
        "nguon": {
            "ten": c.get("nguon_ten", ""),
            "url": c.get("nguon_url", ""),
            "ngay_kiem_tra": c.get("ngay_kiem_tra", ""),
        },
    }
    if c.get("phi_ghi_chu"):
        record["phi_le_phi"]["ghi_chu"] = c["phi_ghi_chu"]
    if c.get("phi_tinh_quy_dinh"):
        record["phi_le_phi"]["tinh_quy_dinh"] = _flag(
            c["phi_tinh_quy_dinh"], row, "phi_tinh_quy_dinh", issues
        )
    for key in ("ten_en", "thoi_han_ghi_chu", "ket_qua", "ghi_chu"):
        if c.get(key):
            record[key] = c[key]
    if c.get("da_kiem_tra"):
        record["da_kiem_tra"] = _flag(c["da_kiem_tra"], row, "da_kiem_tra", issues)
    return record


def _int_text(text: str) -> Any:
    """ "15" → 15, "-3" → -3; anything else stays text (the check names it)."""
    t = text.strip()
    return int(t) if re.fullmatch(r"-?\d+", t) else text


# --- checking one record ---------------------------------------------------------------


def _text(
    r: Mapping[str, Any], key: str, row: int, issues: _Issues, *, limit: int, required: bool = True
) -> str:
    value = r.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            issues.error(row, key, "bắt buộc, chưa có", "required, missing")
        return ""
    if not isinstance(value, str):
        issues.error(row, key, "phải là chữ", "must be text")
        return ""
    if len(value) > limit:
        issues.error(row, key, f"tối đa {limit} ký tự", f"at most {limit} characters")
    return _nfc(value.strip())


def _nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


def _bad_int(value: Any, top: int) -> bool:
    return isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top


def _document(raw: Any, row: int, issues: _Issues) -> dict[str, Any] | None:
    before = len(issues.errors)
    if not isinstance(raw, dict):
        issues.error(row, "", "mỗi thủ tục là một đối tượng", "each procedure is an object")
        return None
    for key in sorted(set(raw) - _RECORD_KEYS):
        issues.error(row, key, "khóa lạ", "unknown key")
    code_text = _text(raw, "ma_tthc", row, issues, limit=40)
    m = _CODE_RE.match(code_text) if code_text else None
    if code_text and m is None:
        issues.error(
            row,
            "ma_tthc",
            f"'{code_text}' không phải mã thủ tục dạng 1.001193",
            f"'{code_text}' is not a procedure code like 1.001193",
        )
    name = _text(raw, "ten", row, issues, limit=500)
    name_en = _text(raw, "ten_en", row, issues, limit=500, required=False)
    domain = _text(raw, "linh_vuc", row, issues, limit=200)
    agency = _text(raw, "co_quan_thuc_hien", row, issues, limit=300)
    result_name = _text(raw, "ket_qua", row, issues, limit=300, required=False)
    levels = _list_of_text(raw, "cap_thuc_hien", row, issues, limit=60)
    if levels and not any("xã" in lv.lower() for lv in levels):
        issues.warn(
            row, "cap_thuc_hien", "không phải thủ tục cấp xã", "not a commune-level procedure"
        )
    basis = _list_of_text(raw, "can_cu_phap_ly", row, issues, limit=500)
    limit = raw.get("thoi_han_ngay_lam_viec")
    if limit is None:
        issues.error(row, "thoi_han_ngay_lam_viec", "bắt buộc, chưa có", "required, missing")
    elif _bad_int(limit, MAX_TIME_LIMIT_DAYS):
        issues.error(
            row,
            "thoi_han_ngay_lam_viec",
            f"phải là số ngày làm việc từ 0 đến {MAX_TIME_LIMIT_DAYS}",
            f"must be a number of working days, 0–{MAX_TIME_LIMIT_DAYS}",
        )
    fee = _fee(raw.get("phi_le_phi"), row, issues)
    parts = _parts(raw.get("thanh_phan_ho_so"), row, issues)
    src = _source(raw.get("nguon"), row, issues)
    checked = raw.get("da_kiem_tra", False)
    if not isinstance(checked, bool):
        issues.error(row, "da_kiem_tra", "phải là true hoặc false", "must be true or false")
    if checked is not True:
        issues.warn(
            row,
            "da_kiem_tra",
            "chưa đối chiếu với bản công bố",
            "not checked against a publication",
        )
    if len(issues.errors) > before or m is None:
        return None
    code = m.group(1)
    record: dict[str, Any] = {
        "row": row,
        "ma_tthc": code_text,
        "linh_vuc": domain,
        "cap_thuc_hien": levels,
        "co_quan_thuc_hien": agency,
        "thoi_han_ngay_lam_viec": limit,
        "phi_le_phi": fee,
        "thanh_phan_ho_so": parts,
        "nguon": src,
        "checked": checked is True,
    }
    for key in ("thoi_han_ghi_chu", "ghi_chu"):
        if isinstance(raw.get(key), str) and raw[key].strip():
            record[key] = _nfc(raw[key].strip())
    doc: dict[str, Any] = {
        "code": code,
        "version": 1,
        "name": {"vi": name, "en": name_en or name},
        "legal_basis": basis,
        "time_limit_working_days": limit,
        "fee": {},
        "title_field": "requester_full_name",
        "subject": {"vi": "Người yêu cầu", "en": "Requester"},
        "sections": generic_sections(),
        "components": [
            {
                "id": f"tp_{i + 1}",
                "name": {"vi": p["ten"], "en": p.get("ten_en") or p["ten"]},
                "form": _form(p),
                "required": p["bat_buoc"],
            }
            for i, p in enumerate(parts)
        ],
        "result": {
            "template": GENERIC_TEMPLATE,
            "name": {
                "vi": result_name or "Kết quả giải quyết thủ tục hành chính",
                "en": "Result of the procedure",
            },
        },
        "enabled": True,
        "record": record,
    }
    _apply_province(doc)
    return doc


def _form(part: Mapping[str, Any]) -> str:
    original, copies = part["ban_chinh"], part["ban_sao"]
    if original and not copies:
        return "original"
    if copies and not original:
        return "copy"
    return "original_or_copy"


def _list_of_text(
    r: Mapping[str, Any], key: str, row: int, issues: _Issues, *, limit: int
) -> list[str]:
    value = r.get(key)
    if isinstance(value, str):
        value = _lines(value)
    if not isinstance(value, list) or not value:
        issues.error(row, key, "cần ít nhất một mục", "at least one item is needed")
        return []
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item) > limit:
            issues.error(
                row,
                f"{key}[{i + 1}]",
                f"phải là chữ, tối đa {limit} ký tự",
                f"text of at most {limit} characters",
            )
            continue
        out.append(_nfc(item.strip()))
    return out


def _fee(value: Any, row: int, issues: _Issues) -> dict[str, Any]:
    """The fee rule: ``{"vnd": amount ≥ 0, "ghi_chu": text, "tinh_quy_dinh": bool}``."""
    if value is None:
        return {"vnd": 0}
    if not isinstance(value, dict):
        issues.error(
            row,
            "phi_le_phi",
            "phải là một đối tượng {vnd, ghi_chu, tinh_quy_dinh}",
            "must be an object {vnd, ghi_chu, tinh_quy_dinh}",
        )
        return {}
    for key in sorted(set(value) - _FEE_KEYS):
        issues.error(row, f"phi_le_phi.{key}", "khóa lạ", "unknown key")
    vnd = value.get("vnd", 0)
    if _bad_int(vnd, MAX_FEE_VND):
        issues.error(
            row,
            "phi_le_phi.vnd",
            f"mức thu phải là số đồng từ 0 đến {MAX_FEE_VND}",
            f"the amount must be a whole number of đồng, 0–{MAX_FEE_VND}",
        )
    by_province = value.get("tinh_quy_dinh", False)
    if not isinstance(by_province, bool):
        issues.error(
            row, "phi_le_phi.tinh_quy_dinh", "phải là true hoặc false", "must be true or false"
        )
    note = value.get("ghi_chu")
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        issues.error(
            row,
            "phi_le_phi.ghi_chu",
            "phải là chữ, tối đa 500 ký tự",
            "text of at most 500 characters",
        )
    out: dict[str, Any] = {"vnd": vnd, "tinh_quy_dinh": by_province is True}
    if isinstance(note, str) and note.strip():
        out["ghi_chu"] = _nfc(note.strip())
        if isinstance(value.get("ghi_chu_en"), str) and value["ghi_chu_en"].strip():
            out["ghi_chu_en"] = value["ghi_chu_en"].strip()
    return out


def _parts(value: Any, row: int, issues: _Issues) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        issues.error(
            row,
            "thanh_phan_ho_so",
            "cần ít nhất một thành phần hồ sơ",
            "at least one component is needed",
        )
        return []
    out = []
    for i, p in enumerate(value):
        where = f"thanh_phan_ho_so[{i + 1}]"
        if not isinstance(p, dict):
            issues.error(
                row,
                where,
                "phải là một đối tượng {ten, ban_chinh, ban_sao}",
                "must be an object {ten, ban_chinh, ban_sao}",
            )
            continue
        for key in sorted(set(p) - _PART_KEYS):
            issues.error(row, f"{where}.{key}", "khóa lạ", "unknown key")
        name = p.get("ten")
        if not isinstance(name, str) or not name.strip() or len(name) > 500:
            issues.error(
                row,
                f"{where}.ten",
                "tên giấy tờ bắt buộc, tối đa 500 ký tự",
                "the paper's name, at most 500 characters",
            )
            continue
        counts = {}
        for key in ("ban_chinh", "ban_sao"):
            n = p.get(key, 0)
            if _bad_int(n, 99):
                issues.error(
                    row, f"{where}.{key}", "số lượng phải từ 0 đến 99", "the count must be 0–99"
                )
                n = 0
            counts[key] = n
        required = p.get("bat_buoc", True)
        if not isinstance(required, bool):
            issues.error(
                row, f"{where}.bat_buoc", "phải là true hoặc false", "must be true or false"
            )
        part = {"ten": _nfc(name.strip()), **counts, "bat_buoc": required is not False}
        if isinstance(p.get("ten_en"), str) and p["ten_en"].strip():
            part["ten_en"] = p["ten_en"].strip()
        out.append(part)
    return out


def _source(value: Any, row: int, issues: _Issues) -> dict[str, str]:
    """Where the record was published and when it was checked (both required)."""
    if not isinstance(value, dict):
        issues.error(
            row,
            "nguon",
            "cần nguồn công bố {ten, url, ngay_kiem_tra}",
            "the source {ten, url, ngay_kiem_tra} is required",
        )
        return {}
    for key in sorted(set(value) - _SOURCE_KEYS):
        issues.error(row, f"nguon.{key}", "khóa lạ", "unknown key")
    out = {}
    for key in ("ten", "url", "ngay_kiem_tra"):
        text = value.get(key)
        if not isinstance(text, str) or not text.strip() or len(text) > 500:
            issues.error(
                row,
                f"nguon.{key}",
                "bắt buộc, tối đa 500 ký tự",
                "required, at most 500 characters",
            )
            continue
        out[key] = text.strip()
    day = out.get("ngay_kiem_tra")
    if day is not None:
        try:
            date.fromisoformat(day)
        except ValueError:
            issues.error(row, "nguon.ngay_kiem_tra", "ngày dạng YYYY-MM-DD", "a date YYYY-MM-DD")
    return out


# --- the province's settings and versions ----------------------------------------------


def _apply_province(doc: dict[str, Any]) -> None:
    """Time limit and fee from the national record, replaced by the province's own."""
    record = doc["record"]
    province = record.get("province") or {}
    national_fee = record.get("phi_le_phi") or {}
    doc["time_limit_working_days"] = province.get(
        "time_limit_working_days", record.get("thoi_han_ngay_lam_viec", 0)
    )
    fee: dict[str, Any] = {"amount_vnd": province.get("fee_vnd", national_fee.get("vnd", 0))}
    if "fee_vnd" in province:
        fee["note"] = {
            "vi": f"Mức thu theo {province['decision']}.",
            "en": f"Amount set by {province['decision']}.",
        }
    elif national_fee.get("ghi_chu"):
        fee["note"] = {
            "vi": national_fee["ghi_chu"],
            "en": national_fee.get("ghi_chu_en") or national_fee["ghi_chu"],
        }
    if national_fee.get("tinh_quy_dinh") and "fee_vnd" not in province:
        fee["set_by_province"] = True
    doc["fee"] = fee


def _carry_settings(doc: dict[str, Any], now: Procedure) -> dict[str, Any]:
    """A re-imported record keeps what the office set on the one in use."""
    out = copy.deepcopy(doc)
    province = now.record.get("province")
    if province:
        out["record"]["province"] = copy.deepcopy(province)
    out["enabled"] = now.enabled
    _apply_province(out)
    return out


def _same(doc: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    def strip(d: Mapping[str, Any]) -> Any:
        out = {k: v for k, v in d.items() if k != "version"}
        out["record"] = {k: v for k, v in dict(d.get("record") or {}).items() if k != "row"}
        return out

    return document_hash(strip(doc)) == document_hash(strip(current))
