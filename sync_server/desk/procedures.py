"""The admin page "Thủ tục" (procedures): what it holds, and the pure reading of it.

The catalogue's rows come from ``door.catalogue_list`` (verb ``catalogue.manage``,
docs/catalogue.md), as the command line's ``admin catalogue-list`` prints them. The page's
own state is a small observable part of its own (:class:`CatalogueView`): the screen
component takes it as an argument, so Flet redraws the page when it changes without the
desk state relaying it, and the desk state only holds it and fills it when the page opens.
What the page asks of the station is in ``procedure_settings.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import flet as ft

from shared.errors import problem
from shared.text import Label, fold

# What ``door.catalogue_set`` names when a setting is refused (REQUEST_INVALID's field),
# which is also the id of the field the message is shown under.
SETTING_FIELDS = ("time_limit_working_days", "fee_vnd", "decision")

# The page's words, Vietnamese first and English second (the desk reads ``vi``; headings
# and field labels show both).
T: dict[str, Label] = {
    "title": Label("Thủ tục", "Procedures"),
    "intro": Label(
        "Các thủ tục máy chủ giữ và gửi xuống máy tính bảng. Thủ tục nhập từ Cơ sở dữ liệu "
        "quốc gia có thể tắt/bật và đặt thời hạn, phí, lệ phí theo quyết định công bố của "
        "tỉnh; mỗi thay đổi là một phiên bản mới, gửi tới máy tính bảng khi đồng bộ.",
        "The procedures the station holds and sends to the tablets. Imported procedures "
        "can be switched off or on and given the province's own time limit and fee as its "
        "decision publishes them; every change is a new version, sent at the next sync.",
    ),
    "search": Label("Tìm thủ tục (mã hoặc tên)", "Find a procedure (code or name)"),
    "only_unchecked": Label("Chỉ thủ tục chưa kiểm tra", "Unchecked only"),
    "list": Label("Danh sách thủ tục", "Procedure list"),
    "none": Label("Không có thủ tục nào khớp.", "No procedure matches."),
    "enabled": Label("Đang dùng", "In use"),
    "disabled": Label("Đã tắt", "Switched off"),
    "checked": Label("Đã kiểm tra", "Checked"),
    "unchecked": Label("Chưa kiểm tra", "Not checked"),
    "builtin": Label("Có sẵn trong ứng dụng (mẫu kết quả riêng)", "Built in (own result form)"),
    "generic": Label("Kết quả từ hệ thống khác hoặc bản giấy", "Result made elsewhere or on paper"),
    "time_limit": Label("Thời hạn (ngày làm việc)", "Time limit (working days)"),
    "fee": Label("Phí, lệ phí (đồng)", "Fee (VND)"),
    "decision": Label("Quyết định công bố của tỉnh (số, ngày)", "The province's decision"),
    "settings": Label("Thời hạn, phí của tỉnh", "The province's time limit and fee"),
}


@ft.observable
@dataclass
class CatalogueView:
    """The "Thủ tục" page: the rows read (``door.catalogue_list``), the search, and the
    procedure whose settings form is open."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    query: str = ""
    only_unchecked: bool = False
    editing: str = ""  # the code whose time-limit/fee form is open ("" = none)

    def set_query(self, text: str) -> None:
        self.query = text

    def set_only_unchecked(self, on: bool) -> None:
        self.only_unchecked = on

    def edit(self, code: str) -> None:
        self.editing = code

    def visible(self) -> list[dict[str, Any]]:
        return select(self.rows, self.query, self.only_unchecked)

    def clear(self) -> None:
        self.rows, self.query, self.only_unchecked, self.editing = [], "", False, ""


def select(rows: list[dict[str, Any]], query: str, only_unchecked: bool) -> list[dict[str, Any]]:
    """The rows whose code or name holds ``query`` (accents and case ignored, as the
    queue's search), the unchecked ones only when asked."""
    needle = fold(query.strip())
    return [
        r
        for r in rows
        if (not needle or needle in fold(f"{r['code']} {r['name']}"))
        and not (only_unchecked and r.get("checked", True))
    ]


def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many procedures, in use, switched off, imported and unchecked."""
    return {
        "all": len(rows),
        "enabled": sum(1 for r in rows if r["enabled"]),
        "disabled": sum(1 for r in rows if not r["enabled"]),
        "imported": sum(1 for r in rows if r.get("imported")),
        "unchecked": sum(1 for r in rows if not r.get("checked", True)),
    }


def parse_count(text: str, name: str, top: int, *, grouped: bool = False) -> int | None:
    """What was typed in a number field: ``""`` → None (not changed); "15.000" → 15000
    when ``grouped`` (the way Vietnamese writes amounts); anything else that is not a
    whole number from 0 to ``top`` → ``REQUEST_INVALID`` naming the field."""
    t = unicodedata.normalize("NFC", text).strip().replace(" ", "")
    if not t:
        return None
    if grouped and re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", t):
        t = t.replace(".", "")
    if not re.fullmatch(r"[0-9]{1,9}", t) or int(t) > top:
        unit = "đồng" if grouped else "ngày làm việc"
        raise problem(
            "REQUEST_INVALID",
            name,
            detail=f"a whole number from 0 to {top}",
            detail_vi=f"nhập số nguyên từ 0 đến {top:,} {unit}".replace(",", "."),
        )
    return int(t)
