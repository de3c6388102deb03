"""Shared look of the desk: colours, text, buttons, cards, the top bar and the banner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import flet as ft

from shared.workflow import ROLE_LABEL_VI
from sync_server.desk.state import (
    ROUTE_BACKUP,
    ROUTE_CALENDAR,
    ROUTE_PROCEDURES,
    ROUTE_QUEUE,
    ROUTE_REPORT,
    ROUTE_STAFF,
    ROUTE_TABLETS,
    ROUTE_UNIT,
    DeskState,
)

PRIMARY = "#0B4F8A"
BG = "#F3F5F8"
SURFACE = "#FFFFFF"
FG = "#1B1F24"
MUTED = "#5A6470"
BORDER = "#C9D1DA"
ERROR = "#B3261E"
OK = "#1E6B35"
OVERDUE_BG = "#FDE2E0"
TODAY_BG = "#FFF1C2"


def text(value: str, size: int = 16, *, bold: bool = False, color: str = FG) -> ft.Text:
    return ft.Text(value, size=size, weight=ft.FontWeight.BOLD if bold else None, color=color)


def button(
    label: str,
    on_click: Callable[..., Any] | None,
    *,
    icon: ft.IconData | None = None,
    primary: bool = True,
    busy: bool = False,
    tooltip: str | None = None,
    url: str | None = None,
    color: str | None = None,
) -> ft.Control:
    style = ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=18, vertical=10),
        shape=ft.RoundedRectangleBorder(radius=8),
        bgcolor=color if primary and color else None,
    )
    cls = ft.FilledButton if primary else ft.OutlinedButton
    return cls(
        content=ft.Text(("Đang xử lý… " if busy else "") + label, size=16),
        icon=icon,
        on_click=None if busy else on_click,
        disabled=busy,
        style=style,
        tooltip=tooltip or label,
        url=url,
        height=46,
    )


def named(label: str) -> dict[str, Any]:
    """What names a (non-editable) Dropdown for screen readers: it is one button, and
    without a tooltip the browser announced a bare "button" (the desk's filters were
    unnamed, issue 21). Checked in Chromium's accessibility tree: ``label`` alone is not
    exposed, an icon's ``semantics_label`` is not either, a tooltip is."""
    return {"tooltip": label}


def card(title: str, controls: Sequence[ft.Control], *, key: str | None = None) -> ft.Control:
    return ft.Container(
        content=ft.Column(
            [text(title, 19, bold=True, color=PRIMARY), *controls],
            spacing=10,
            horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
        ),
        bgcolor=SURFACE,
        border=ft.Border.all(1, BORDER),
        border_radius=10,
        padding=ft.Padding.all(16),
        key=key,
    )


def set_ref(ref: Any) -> Any:
    """A text field's ``on_change`` that keeps what is typed in ``ref`` (no re-render per key)."""

    def handler(e: ft.Event[Any]) -> None:
        ref.current = e.control.value or ""

    return handler


def page_body(controls: list[ft.Control | None], *, max_width: int = 1200) -> ft.Control:
    return ft.Column(
        [
            ft.Container(
                content=ft.Column(
                    [c for c in controls if c is not None],
                    spacing=14,
                    horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                ),
                width=max_width,
                padding=ft.Padding.symmetric(horizontal=20, vertical=14),
            )
        ],
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        expand=True,
    )


def top_bar(state: DeskState) -> ft.Control:
    parts: list[ft.Control] = [
        ft.Icon(ft.Icons.ACCOUNT_BALANCE, color="#FFFFFF"),
        # The admin's bar holds every admin page: the short name keeps it on one line.
        text(
            "Tại Chỗ" if state.may(ROUTE_BACKUP) else "Tại Chỗ — Bàn làm việc một cửa",
            20,
            bold=True,
            color="#FFFFFF",
        ),
        ft.Container(expand=True),
    ]
    who = state.user
    if who is not None:

        def nav(label: str, route: str, icon: ft.IconData) -> ft.Control:
            async def go() -> None:
                if route == ROUTE_QUEUE:
                    state.back_to_queue()
                    await state.refresh()
                elif route == ROUTE_REPORT:
                    await state.open_report()
                else:
                    await state.open_admin(route)

            return ft.TextButton(
                content=ft.Text(label, color="#FFFFFF", size=15),
                icon=icon,
                icon_color="#FFFFFF",
                on_click=go,
                tooltip=label,
            )

        # Each page's entry only for whoever holds its verb (DeskState.may).
        parts += [
            nav(label, route, icon)
            for label, route, icon in (
                ("Hồ sơ", ROUTE_QUEUE, ft.Icons.INBOX),
                ("Báo cáo", ROUTE_REPORT, ft.Icons.INSIGHTS),
                ("Cán bộ", ROUTE_STAFF, ft.Icons.BADGE),
                ("Máy tính bảng", ROUTE_TABLETS, ft.Icons.TABLET_ANDROID),
                ("Đơn vị", ROUTE_UNIT, ft.Icons.LOCATION_CITY),
                ("Lịch nghỉ", ROUTE_CALENDAR, ft.Icons.CALENDAR_MONTH),
                ("Thủ tục", ROUTE_PROCEDURES, ft.Icons.LIST_ALT),
                (
                    "Sao lưu (!)" if state.admin.backup.get("missed") else "Sao lưu",
                    ROUTE_BACKUP,
                    ft.Icons.BACKUP,
                ),
            )
            if state.may(route)
        ]
        parts += [
            text(f"{who.full_name} · {ROLE_LABEL_VI[who.role]}", 15, color="#FFFFFF"),
            ft.TextButton(
                content=ft.Text("Đăng xuất", color="#FFFFFF", size=15),
                icon=ft.Icons.LOGOUT,
                icon_color="#FFFFFF",
                on_click=lambda: state.logout(),
                tooltip="Đăng xuất",
            ),
        ]
    # The admin's entries, the name and "Đăng xuất" wrap to a second line rather than
    # run into the window's edge (at 1366 px "Đăng xuất" touched it): they sit in a
    # wrapping row that takes what the title leaves.
    head, rest = parts[:2], parts[3:]
    return ft.Container(
        content=ft.Row(
            [
                *head,
                ft.Container(
                    content=ft.Row(
                        rest,
                        wrap=True,
                        spacing=10,
                        run_spacing=4,
                        alignment=ft.MainAxisAlignment.END,
                        vertical_alignment=ft.CrossAxisAlignment.CENTER,
                    ),
                    expand=True,
                ),
            ],
            spacing=10,
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        bgcolor=PRIMARY,
        padding=ft.Padding.only(left=18, right=28, top=10, bottom=10),
    )


def banner(state: DeskState) -> ft.Control | None:
    if not state.banner:
        return None
    color = OK if state.banner_ok else ERROR
    return ft.Container(
        content=ft.Row(
            [
                ft.Icon(
                    ft.Icons.CHECK_CIRCLE_OUTLINE if state.banner_ok else ft.Icons.ERROR_OUTLINE,
                    color=color,
                ),
                ft.Text(state.banner, color=color, size=16, expand=True),
                ft.IconButton(
                    ft.Icons.CLOSE, on_click=lambda: state.dismiss_banner(), tooltip="Đóng"
                ),
            ]
        ),
        bgcolor="#FFFFFF",
        border=ft.Border.all(2, color),
        padding=ft.Padding.symmetric(horizontal=16, vertical=6),
    )


def modal(
    title: str, body: Sequence[ft.Control], actions: Sequence[ft.Control], *, width: int = 680
) -> ft.Control:
    """A dialog drawn in the page over a dimmed backdrop.

    Drawn in the screen's own tree rather than as a Flet dialog route: it is then just
    more state to render, and a route left half-closed can never swallow the next click.
    """
    return ft.Container(
        content=ft.Container(
            content=ft.Column(
                [
                    text(title, 22, bold=True),
                    *body,
                    ft.Row(list(actions), alignment=ft.MainAxisAlignment.END, spacing=12),
                ],
                tight=True,
                spacing=12,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            ),
            width=width,
            bgcolor=SURFACE,
            border_radius=16,
            padding=ft.Padding.all(24),
        ),
        alignment=ft.Alignment.CENTER,
        bgcolor="#8A000000",
        left=0,
        top=0,
        right=0,
        bottom=0,
    )


def with_modal(body: ft.Control, overlay: ft.Control | None) -> ft.Control:
    """The screen, with its dialog on top; the screen keeps its place in the tree."""
    base = ft.Container(content=body, left=0, top=0, right=0, bottom=0)
    return ft.Stack([base] if overlay is None else [base, overlay], expand=True)
