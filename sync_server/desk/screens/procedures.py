"""Admin page "Thủ tục": every procedure the station holds — code, name, version, in use
or switched off, checked or not against its publication (with the source), time limit
and fee — with the buttons to switch an imported one off or on and to give it the
province's own time limit and fee, as the province's decision publishes them.

Built-in procedures (their own forms and result layouts) are listed but not edited here;
their fees are the station's settings (``admin fee-set``). What the page holds and does
is in ``sync_server/desk/procedures.py`` and ``procedure_settings.py``.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from shared.day_text import day_text
from shared.text import Label
from sync_server.desk import procedure_settings as settings
from sync_server.desk import procedures as pv
from sync_server.desk.procedures import CatalogueView, T
from sync_server.desk.screens.common import (
    BORDER,
    ERROR,
    MUTED,
    OK,
    PRIMARY,
    SURFACE,
    button,
    card,
    page_body,
    text,
)
from sync_server.desk.state import DeskState

UNCHECKED_BG = "#FFF4F2"
OFF_BG = "#EEF0F3"


def both(label: Label) -> str:
    """A heading or field label in both languages: "Thời hạn · Time limit"."""
    return f"{label.vi} · {label.en}"


def _days(n: object) -> str:
    return f"{n} ngày làm việc" if n else "trong ngày"


def _chip(value: str, color: str, icon: ft.IconData) -> ft.Control:
    return ft.Container(
        content=ft.Row(
            [ft.Icon(icon, color=color, size=18), text(value, 15, bold=True, color=color)],
            spacing=4,
            tight=True,
        ),
        border=ft.Border.all(1, color),
        border_radius=14,
        padding=ft.Padding.symmetric(horizontal=10, vertical=3),
    )


def _source(r: dict[str, Any]) -> ft.Control:
    """The checked mark with its source: which publication, and when it was checked."""
    if not r.get("imported"):
        return text(T["builtin"].vi, 15, color=MUTED)
    src = r.get("source") or "—"
    on = day_text(r["checked_on"]) if r.get("checked_on") else "—"
    if r.get("checked"):
        return text(f"Nguồn: {src} (kiểm tra ngày {on})", 15, color=MUTED)
    return text(
        f"Chưa đối chiếu với văn bản công bố — nguồn: {src} (ngày {on}). Kiểm tra thời "
        "hạn, phí và thành phần hồ sơ theo quyết định của tỉnh trước khi dùng.",
        15,
        color=ERROR,
    )


def _limit_and_fee(r: dict[str, Any]) -> list[ft.Control]:
    limit = f"Thời hạn: {_days(r['time_limit_working_days'])}"
    national_limit = r.get("national_time_limit_working_days")
    if r.get("imported") and national_limit != r["time_limit_working_days"]:
        limit += f" (toàn quốc: {_days(national_limit)})"
    fee = f"Phí, lệ phí: {r.get('fee_text') or r['fee_vnd']}"
    national_fee = r.get("national_fee_vnd")
    if r.get("imported") and national_fee != r["fee_vnd"]:
        fee += f" (toàn quốc: {national_fee:,} đồng)".replace(",", ".")
    out: list[ft.Control] = [
        ft.Row([text(limit, 16), text(fee, 16)], wrap=True, spacing=24),
    ]
    if r.get("province_decision"):
        out.append(text(f"Theo {r['province_decision']}", 15, color=PRIMARY))
    return out


@ft.component
def SettingsForm(state: DeskState, row: dict[str, Any]) -> ft.Control:
    """The province's time limit and fee for one procedure, with its decision. What was
    typed stays in the fields when the station refuses it; the message is under the field."""
    code = row["code"]
    limit: Any = ft.use_ref(None)
    fee: Any = ft.use_ref(None)
    decision: Any = ft.use_ref(None)
    errors = state.field_errors
    busy = state.busy == "catalogue"

    def keep(ref: Any) -> Any:
        def handler(e: ft.Event[Any]) -> None:
            ref.current = e.control.value or ""

        return handler

    async def save() -> None:
        await settings.save_settings(
            state, code, limit.current or "", fee.current or "", decision.current or ""
        )

    async def national() -> None:
        await settings.back_to_national(state, code)

    def field(label: Label, ref: Any, name: str, hint: str, *, wide: bool = False) -> ft.Control:
        return ft.TextField(
            label=both(label),
            value=ref.current or "",
            hint_text=hint,
            error=errors.get(name),
            error_max_lines=3,
            on_change=keep(ref),
            width=None if wide else 420,
            expand=True if wide else None,
            text_size=17,
            autocorrect=False,
            enable_suggestions=False,
        )

    buttons = [
        button(f"Lưu thời hạn, phí {code}", save, icon=ft.Icons.SAVE, busy=busy),
        button(
            "Đóng",
            lambda: state.catalogue.edit(""),
            primary=False,
            tooltip="Đóng",
        ),
    ]
    if row.get("province_decision"):
        buttons.insert(
            1,
            button(
                f"Theo mức toàn quốc {code}",
                national,
                primary=False,
                busy=busy,
                tooltip=f"Bỏ thời hạn, phí của tỉnh cho {code}",
            ),
        )
    return ft.Container(
        content=ft.Column(
            [
                text(f"{both(T['settings'])} — {code}", 17, bold=True, color=PRIMARY),
                text(
                    "Để trống ô nào thì giữ nguyên mức đó. Cần ghi quyết định công bố của "
                    "tỉnh (số, ngày) mỗi khi đặt thời hạn hoặc phí.",
                    15,
                    color=MUTED,
                ),
                ft.Row(
                    [
                        field(
                            T["time_limit"],
                            limit,
                            "time_limit_working_days",
                            f"vd. {row['time_limit_working_days']}",
                        ),
                        field(T["fee"], fee, "fee_vnd", "vd. 15.000"),
                    ],
                    wrap=True,
                    spacing=16,
                ),
                ft.Row(
                    [
                        field(
                            T["decision"],
                            decision,
                            "decision",
                            "vd. Quyết định số 1234/QĐ-UBND ngày 01/12/2026",
                            wide=True,
                        )
                    ]
                ),
                ft.Row(
                    buttons,
                    wrap=True,
                ),
            ],
            spacing=12,
        ),
        bgcolor="#F5F9FD",
        border=ft.Border.all(1, PRIMARY),
        border_radius=8,
        padding=ft.Padding.all(14),
    )


def _row(state: DeskState, view: CatalogueView, r: dict[str, Any]) -> ft.Control:
    code = r["code"]
    on = bool(r["enabled"])
    busy = state.busy == "catalogue"
    chips = [
        text(f"Phiên bản {r['version']}", 15, color=MUTED),
        _chip(T["enabled"].vi, OK, ft.Icons.CHECK_CIRCLE)
        if on
        else _chip(T["disabled"].vi, MUTED, ft.Icons.BLOCK),
        _chip(T["checked"].vi, OK, ft.Icons.VERIFIED)
        if r.get("checked", True)
        else _chip(T["unchecked"].vi, ERROR, ft.Icons.WARNING_AMBER),
    ]
    if r.get("domain"):
        chips.append(text(f"Lĩnh vực: {r['domain']}", 15, color=MUTED))
    if not r.get("has_result_template", True):
        chips.append(text(T["generic"].vi, 15, color=MUTED))

    async def toggle() -> None:
        await settings.set_enabled(state, code, not on)

    actions: list[ft.Control] = []
    if r.get("imported"):
        actions = [
            button(
                f"Tắt {code}" if on else f"Bật {code}",
                toggle,
                icon=ft.Icons.TOGGLE_OFF if on else ft.Icons.TOGGLE_ON,
                primary=not on,
                busy=busy,
                tooltip=(
                    f"Tắt thủ tục {code}: máy tính bảng không nhận hồ sơ mới"
                    if on
                    else f"Bật thủ tục {code}"
                ),
            ),
            button(
                f"Sửa thời hạn, phí {code}",
                lambda: view.edit(code),
                icon=ft.Icons.EDIT_CALENDAR,
                primary=False,
                tooltip=f"Đặt thời hạn, phí của tỉnh cho {code}",
            ),
        ]
    parts: list[ft.Control] = [
        ft.Row(
            [text(code, 17, bold=True, color=PRIMARY), text(r["name"], 17, bold=True)],
            wrap=True,
            spacing=12,
        ),
        ft.Row(chips, wrap=True, spacing=12),
        *_limit_and_fee(r),
        _source(r),
    ]
    if actions:
        parts.append(ft.Row(actions, wrap=True, spacing=12))
    if view.editing == code:
        parts.append(SettingsForm(state, r))
    return ft.Container(
        content=ft.Column(parts, spacing=8),
        bgcolor=SURFACE if on and r.get("checked", True) else (OFF_BG if not on else UNCHECKED_BG),
        border=ft.Border.all(1, BORDER),
        border_radius=8,
        padding=ft.Padding.all(14),
        key=f"procedure-{code}",
    )


@ft.component
def CataloguePage(state: DeskState, view: CatalogueView) -> ft.Control:
    """The page itself; ``view`` is an argument so its changes redraw it."""
    n = pv.counts(view.rows)
    shown = view.visible()
    summary = (
        f"{n['all']} thủ tục: {n['enabled']} đang dùng, {n['disabled']} đã tắt; "
        f"{n['imported']} nhập từ danh mục, {n['unchecked']} chưa kiểm tra."
    )
    tools = ft.Row(
        [
            ft.TextField(
                label=both(T["search"]),
                value=view.query,  # the last typed value: a re-render never wipes it
                on_change=lambda e: view.set_query(e.control.value or ""),
                prefix_icon=ft.Icons.SEARCH,
                expand=True,
                autocorrect=False,
                enable_suggestions=False,
            ),
            ft.Checkbox(
                label=both(T["only_unchecked"]),
                value=view.only_unchecked,
                on_change=lambda e: view.set_only_unchecked(bool(e.control.value)),
            ),
        ],
        spacing=16,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    rows = [_row(state, view, r) for r in shown] or [text(T["none"].vi, 16, color=MUTED)]
    return page_body(
        [
            text(both(T["title"]), 24, bold=True),
            text(T["intro"].vi, 15, color=MUTED),
            text(T["intro"].en, 14, color=MUTED),
            text(summary, 16, bold=True),
            tools,
            card(both(T["list"]), rows),
        ],
        max_width=1100,
    )


@ft.component
def ProceduresScreen(state: DeskState) -> ft.Control:
    return CataloguePage(state, state.catalogue)
