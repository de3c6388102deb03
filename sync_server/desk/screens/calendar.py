"""The desk's calendar page (admin): the days off and make-up working days the government
decides each year, which the holidays package does not know."""

from __future__ import annotations

from typing import Any

import flet as ft

from shared.day_text import day_text
from sync_server.desk.screens.common import (
    ERROR,
    MUTED,
    OK,
    button,
    card,
    page_body,
    set_ref,
    text,
)
from sync_server.desk.state import DeskState

KIND_LABEL = {"off": "Ngày nghỉ", "work": "Ngày làm bù"}


@ft.component
def CalendarScreen(state: DeskState) -> ft.Control:
    day: Any = ft.use_ref(None)
    note: Any = ft.use_ref(None)
    cal, errors = state.admin.calendar, state.field_errors

    def change(kind: str) -> Any:
        async def handler() -> None:
            if await state.calendar_change(kind, day.current or "", note.current or ""):
                day.current = note.current = None

        return handler

    rows: list[ft.Control] = [
        ft.Row(
            [
                text(day_text(e["day"]), 16, bold=True),
                text(
                    KIND_LABEL.get(e["kind"], e["kind"]),
                    15,
                    color=ERROR if e["kind"] == "off" else OK,
                ),
                text(e.get("note") or "", 15),
                text(f"({e.get('set_by') or '—'})", 14, color=MUTED),
            ],
            wrap=True,
            spacing=16,
        )
        for e in cal.get("entries") or []
    ]
    busy = state.busy == "admin"
    form: list[ft.Control] = [
        ft.TextField(
            label="Ngày (năm-tháng-ngày, vd. 2026-01-02)",
            value=day.current or "",
            error=errors.get("day"),
            on_change=set_ref(day),
        ),
        ft.TextField(
            label="Ghi chú (không bắt buộc, vd. số quyết định)",
            value=note.current or "",
            on_change=set_ref(note),
        ),
        ft.Row(
            [
                button("Đặt ngày nghỉ", change("off"), icon=ft.Icons.EVENT_BUSY, busy=busy),
                button("Đặt ngày làm bù", change("work"), icon=ft.Icons.EVENT_AVAILABLE, busy=busy),
                button("Bỏ (theo lịch chung)", change("clear"), primary=False, busy=busy),
            ],
            wrap=True,
        ),
    ]
    return page_body(
        [
            text("Lịch ngày nghỉ", 24, bold=True),
            text(
                "Ngày nghỉ và ngày làm bù của địa phương, ngoài lịch nghỉ lễ chung; "
                "thời hạn giải quyết và các máy tính bảng dùng lịch này.",
                15,
                color=MUTED,
            ),
            card("Thêm / bỏ một ngày", form),
            card("Các ngày đã đặt", rows or [text("Chưa có ngày nào.", 15, color=MUTED)]),
        ],
        max_width=900,
    )
