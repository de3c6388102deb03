"""Home: today's dossiers and the way to a new one; the procedure picker."""

from __future__ import annotations

import flet as ft

from mobile.screens.common import back_button, button, card, look_of, page_body, text
from mobile.state.app import ROUTE_HOME, AppState
from mobile.state.fmt import due_text, status_label, when
from shared.model import DossierSummary


def _row(state: AppState, d: DossierSummary) -> ft.Control:
    look = look_of(state)
    c = look.c
    return ft.Container(
        content=ft.Row(
            [
                ft.Column(
                    [
                        ft.Text(
                            d.title or "(không tên)",
                            size=look.fs(21),
                            weight=ft.FontWeight.BOLD,
                            color=c.fg,
                        ),
                        ft.Text(
                            f"{d.code} · nhận lúc {when(d.received_at, with_date=False)}",
                            size=look.small,
                            color=c.muted,
                        ),
                    ],
                    spacing=2,
                    expand=True,
                ),
                ft.Column(
                    [
                        ft.Text(
                            status_label(d.status),
                            size=look.body,
                            weight=ft.FontWeight.W_600,
                            color=c.ok if d.has_result else c.primary,
                        ),
                        ft.Text(f"Hạn trả: {due_text(d.due_at)}", size=look.small, color=c.muted),
                    ],
                    spacing=2,
                    horizontal_alignment=ft.CrossAxisAlignment.END,
                ),
                ft.Icon(ft.Icons.CHEVRON_RIGHT, color=c.muted, size=look.fs(28)),
            ],
            spacing=16,
        ),
        on_click=lambda: state.open_dossier(d.id),
        tooltip=f"Xem hồ sơ {d.code}",
        bgcolor=c.surface,
        border=ft.Border.all(look.border_width, c.border),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=18, vertical=12),
        ink=True,
    )


@ft.component
def HomeScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    items: list[ft.Control] = [_row(state, d) for d in state.dossiers]
    if not items:
        items = [text("Hôm nay chưa tiếp nhận hồ sơ nào.", look, color=look.c.muted)]
    return page_body(
        [
            ft.Row(
                wrap=True,
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                run_spacing=8,
                controls=[
                    text(f"Hồ sơ hôm nay ({len(state.dossiers)})", look, look.title, bold=True),
                    button(
                        "Hồ sơ mới",
                        lambda: state.go("new"),
                        look,
                        icon=ft.Icons.ADD,
                    ),
                ],
            ),
            *items,
        ]
    )


@ft.component
def PickProcedureScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    rows: list[ft.Control] = []
    for p in state.service.procedures():
        limit = (
            "trả trong ngày"
            if p.time_limit_working_days == 0
            else f"{p.time_limit_working_days} ngày làm việc"
        )
        fee = "miễn phí" if p.fee_vnd == 0 else f"{p.fee_vnd:,} đồng".replace(",", ".")
        rows.append(
            card(
                p.name.vi,
                [
                    text(
                        f"Mã thủ tục {p.code} · {limit} · {fee}",
                        look,
                        look.small,
                        color=look.c.muted,
                    ),
                    button(
                        f"Chọn: {p.name.vi}",
                        lambda _, code=p.code: state.new_dossier(code),
                        look,
                        icon=ft.Icons.DESCRIPTION,
                        tooltip=p.name.vi,
                    ),
                ],
                look,
            )
        )
    return page_body(
        [
            ft.Row(
                [
                    text("Chọn thủ tục", look, look.title, bold=True, color=None),
                    ft.Container(expand=True),
                    back_button(lambda: state.go(ROUTE_HOME), look),
                ]
            ),
            *rows,
        ]
    )
