"""The work queues: one tab per stage with its count, filters, earliest due first."""

from __future__ import annotations

import flet as ft

from shared.views import DossierRow
from shared.workflow import STATUS_LABEL_VI
from sync_server.desk import queue as qv
from sync_server.desk.screens.common import (
    BORDER,
    ERROR,
    MUTED,
    OVERDUE_BG,
    PRIMARY,
    SURFACE,
    TODAY_BG,
    named,
    page_body,
    text,
)
from sync_server.desk.state import DeskState

ALL = "__all__"


def _tabs(state: DeskState) -> ft.Control:
    counts = state.queue.counts()
    items: list[ft.Control] = []
    for t in qv.TABS:
        label = f"{t.label} ({counts[t.key]})"
        selected = t.key == state.queue.tab
        style = ft.ButtonStyle(shape=ft.RoundedRectangleBorder(radius=20))
        items.append(
            (ft.FilledButton if selected else ft.OutlinedButton)(
                content=ft.Text(label, size=16),
                on_click=lambda _, k=t.key: state.queue.set_tab(k),
                style=style,
                tooltip=f"Hàng đợi {label}",
                height=42,
            )
        )
    return ft.Row(items, wrap=True, spacing=8)


def _filters(state: DeskState) -> ft.Control:
    statuses = sorted(
        qv.TAB_BY_KEY[state.queue.tab].statuses, key=lambda s: list(STATUS_LABEL_VI).index(s)
    )
    return ft.Row(
        [
            ft.TextField(
                label="Tìm theo mã hồ sơ hoặc tên",
                value=state.queue.query,  # the last typed value: a re-render never wipes it
                on_change=lambda e: state.queue.set_query(e.control.value or ""),
                prefix_icon=ft.Icons.SEARCH,
                expand=2,
                autocorrect=False,
                enable_suggestions=False,
            ),
            ft.Dropdown(
                label="Thủ tục",
                value=state.queue.procedure or ALL,
                options=[
                    ft.DropdownOption(key=ALL, text="Tất cả thủ tục"),
                    *[ft.DropdownOption(key=c, text=n) for c, n in state.procedures()],
                ],
                on_select=lambda e: state.queue.set_procedure(
                    "" if e.control.value in (None, ALL) else str(e.control.value)
                ),
                expand=2,
                **named("Lọc theo thủ tục"),
            ),
            ft.Dropdown(
                label="Trạng thái",
                value=state.queue.status or ALL,
                options=[
                    ft.DropdownOption(key=ALL, text="Mọi trạng thái"),
                    *[ft.DropdownOption(key=s.value, text=STATUS_LABEL_VI[s]) for s in statuses],
                ],
                on_select=lambda e: state.queue.set_status(
                    "" if e.control.value in (None, ALL) else str(e.control.value)
                ),
                expand=1,
                **named("Lọc theo trạng thái"),
            ),
        ],
        spacing=10,
    )


def _row(state: DeskState, r: DossierRow) -> ft.Control:
    now = state.now()
    level = qv.urgency(r, now)
    bg = {qv.OVERDUE: OVERDUE_BG, qv.DUE_TODAY: TODAY_BG}.get(level, SURFACE)
    tag = {qv.OVERDUE: "Quá hạn", qv.DUE_TODAY: "Đến hạn hôm nay"}.get(level, "")

    async def open_it() -> None:
        await state.open_dossier(r.id)

    due: list[ft.Control] = [text(f"Hạn: {qv.due_day_label(r, now.date())}", 15)]
    if tag:
        due.append(text(tag, 14, bold=True, color=ERROR if level == qv.OVERDUE else "#7A5200"))
    return ft.Container(
        content=ft.Row(
            [
                ft.Column(
                    [
                        ft.TextButton(  # the code is the link: its text names the button
                            content=ft.Text(
                                r.code, size=16, weight=ft.FontWeight.BOLD, color=PRIMARY
                            ),
                            on_click=open_it,
                            style=ft.ButtonStyle(padding=ft.Padding.all(0)),
                        ),
                        text(r.title or "(chưa có tên)", 17, bold=True),
                        text(r.procedure_name, 14, color=MUTED),
                    ],
                    spacing=2,
                    expand=3,
                ),
                ft.Column([text(r.status_label, 15)], expand=2),
                ft.Column(due, spacing=2, expand=2),
                ft.FilledButton(
                    content=ft.Text("Mở", size=16),
                    icon=ft.Icons.FOLDER_OPEN,
                    on_click=open_it,
                    tooltip=f"Mở hồ sơ {r.code}",
                    height=44,
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        bgcolor=bg,
        border=ft.Border.all(1, BORDER),
        border_radius=8,
        padding=ft.Padding.symmetric(horizontal=14, vertical=10),
        key=r.id,
    )


@ft.component
def QueueScreen(state: DeskState) -> ft.Control:
    rows = state.queue.visible()

    async def reload() -> None:
        await state.refresh()

    header = ft.Row(
        [
            text("Hồ sơ cần xử lý", 24, bold=True),
            ft.Container(expand=True),
            ft.OutlinedButton(
                content=ft.Text("Tải lại", size=15),
                icon=ft.Icons.REFRESH,
                on_click=reload,
                tooltip="Tải lại danh sách",
            ),
        ]
    )
    listing: list[ft.Control] = [_row(state, r) for r in rows] or [
        text("Không có hồ sơ nào trong hàng đợi này.", 16, color=MUTED)
    ]
    return page_body([header, _tabs(state), _filters(state), *listing])
