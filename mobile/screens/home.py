"""Home: today's dossiers and the way to a new one; the procedure picker."""

from __future__ import annotations

import flet as ft

from mobile.i18n import tr
from mobile.screens.common import (
    back_button,
    button,
    card,
    look_of,
    page_body,
    search_field,
    text,
)
from mobile.state.app import AppState
from mobile.state.base import ROUTE_HOME
from mobile.state.fmt import NEEDS_ACTION, STATUS_FILTERS, due_text, procedure_rows, when
from mobile.theme import Look
from shared import fee_text
from shared.model import DossierSummary
from shared.workflow import status_label


def _status_colour(status: str, look: Look) -> str:
    """Received is neutral (not red); needing action stands out; done is green."""
    c = look.c
    if status == "supplement_requested":
        return c.error
    if status in ("stamped", "returned"):
        return c.ok
    if status == "refused":
        return c.warn
    return c.fg


def status_chip(status: str, look: Look, lang: str = "vi") -> ft.Control:
    colour = _status_colour(status, look)
    return ft.Container(
        content=ft.Text(
            status_label(status, lang), size=look.small, weight=ft.FontWeight.BOLD, color=colour
        ),
        border=ft.Border.all(look.border_width + (1 if status in NEEDS_ACTION else 0), colour),
        border_radius=14,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
    )


def _row(state: AppState, d: DossierSummary) -> ft.Control:
    look = look_of(state)
    c = look.c
    lang = state.lang
    return ft.Container(
        content=ft.Row(
            [
                ft.Column(
                    [
                        ft.Text(
                            d.title or tr(lang, "(không tên)"),
                            size=look.fs(21),
                            weight=ft.FontWeight.BOLD,
                            color=c.fg,
                        ),
                        ft.Text(
                            tr(
                                lang,
                                "{code} · nhận lúc {when}",
                                code=d.code,
                                when=when(d.received_at),
                            ),
                            size=look.small,
                            color=c.muted,
                        ),
                    ],
                    spacing=2,
                    expand=True,
                ),
                ft.Column(
                    [
                        status_chip(d.status, look, state.lang),
                        ft.Text(
                            tr(lang, "Hạn trả: {due}", due=due_text(d.due_at, lang)),
                            size=look.small,
                            color=c.muted,
                        ),
                    ],
                    spacing=2,
                    horizontal_alignment=ft.CrossAxisAlignment.END,
                ),
                ft.Icon(ft.Icons.CHEVRON_RIGHT, color=c.muted, size=look.fs(28)),
            ],
            spacing=16,
        ),
        on_click=lambda: state.open_dossier(d.id),
        tooltip=tr(lang, "Xem hồ sơ {code}", code=d.code),
        bgcolor=c.surface,
        border=ft.Border.all(look.border_width, c.border),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=18, vertical=12),
        ink=True,
    )


@ft.component
def HomeScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    c = look.c
    lang = state.lang
    rows = state.home.rows()
    items: list[ft.Control] = [_row(state, d) for d in rows]
    if not items:
        items = [
            text(
                tr(
                    lang,
                    "Không có hồ sơ nào khớp."
                    if state.home.dossiers
                    else "Chưa tiếp nhận hồ sơ nào.",
                ),
                look,
                color=c.muted,
            )
        ]
    filters: list[ft.Control] = []
    for key, vi_label in STATUS_FILTERS:
        on = state.home.status_filter == key
        label = tr(lang, vi_label)
        filters.append(
            button(
                label,
                lambda _, k=key: state.set_status_filter(k),
                look,
                primary=on,
                tooltip=tr(lang, "Lọc: {label} (đang chọn)" if on else "Lọc: {label}", label=label),
            )
        )
    waiting = sum(1 for d in state.home.dossiers if d.status in NEEDS_ACTION)
    drafts: list[ft.Control] = []
    if state.home.drafts:
        drafts = [
            card(
                tr(lang, "Bản nháp chưa tiếp nhận ({n})", n=len(state.home.drafts)),
                [
                    ft.Row(
                        [
                            ft.Column(
                                [
                                    text(d.title or tr(lang, "(chưa có tên)"), look, bold=True),
                                    text(
                                        tr(lang, "Lưu lúc {when}", when=when(d.saved_at)),
                                        look,
                                        look.small,
                                        color=c.muted,
                                    ),
                                ],
                                spacing=2,
                                expand=True,
                            ),
                            button(
                                tr(lang, "Mở nháp"),
                                lambda _, i=d.id: state.open_draft(i),
                                look,
                                primary=False,
                                icon=ft.Icons.EDIT_NOTE,
                                tooltip=tr(
                                    lang,
                                    "Mở nháp: {title}",
                                    title=d.title or tr(lang, "chưa có tên"),
                                ),
                            ),
                        ],
                        key=f"draft-{d.id}",
                    )
                    for d in state.home.drafts
                ],
                look,
            )
        ]
    return page_body(
        [
            ft.Row(
                wrap=True,
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
                run_spacing=8,
                controls=[
                    text(
                        tr(lang, "Hồ sơ ({n})", n=len(state.home.dossiers)),
                        look,
                        look.title,
                        bold=True,
                    ),
                    button(tr(lang, "Hồ sơ mới"), lambda: state.go("new"), look, icon=ft.Icons.ADD),
                ],
            ),
            text(tr(lang, "Cần xử lý: {n} hồ sơ", n=waiting), look, bold=True, color=c.error)
            if waiting
            else None,
            search_field(
                state.home.search,
                state.set_search,
                look,
                tr(lang, "Tìm hồ sơ"),
                tr(lang, "Tìm theo tên hoặc mã hồ sơ (gõ không dấu cũng được)"),
                "home-search",
            ),
            *drafts,
            ft.Row(filters, wrap=True, spacing=8, run_spacing=8),
            *items,
        ]
    )


@ft.component
def PickProcedureScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    lang = state.lang
    c = look.c
    held = state.service.dossiers.procedures()
    shown = procedure_rows(held, state.home.procedure_search)
    rows: list[ft.Control] = []
    for p in shown:
        limit = (
            tr(lang, "trả trong ngày")
            if p.time_limit_working_days == 0
            else tr(lang, "{n} ngày làm việc", n=p.time_limit_working_days)
        )
        fee = fee_text.rule(p, lang)  # what compute_fee will charge (the read-back's sum)
        name = p.name.get(lang)
        rows.append(
            card(
                name,
                [
                    text(
                        tr(
                            lang,
                            "Mã thủ tục {code} · {limit} · {fee}",
                            code=p.code,
                            limit=limit,
                            fee=fee,
                        ),
                        look,
                        look.small,
                        color=look.c.muted,
                    ),
                    button(
                        tr(lang, "Chọn: {name}", name=name),
                        lambda _, code=p.code: state.new_dossier(code),
                        look,
                        icon=ft.Icons.DESCRIPTION,
                        tooltip=name,
                    ),
                ],
                look,
            )
        )
    return page_body(
        [
            ft.Row(  # wraps: on a phone at "Rất lớn" "Quay lại" went past the edge
                [
                    back_button(lambda: state.go(ROUTE_HOME), look, lang=lang),
                    text(tr(lang, "Chọn thủ tục"), look, look.title, bold=True, color=None),
                ],
                wrap=True,
                spacing=16,
                run_spacing=8,
            ),
            search_field(
                state.home.procedure_search,
                state.set_procedure_search,
                look,
                tr(lang, "Tìm thủ tục"),
                tr(lang, "Gõ mã, tên hoặc lĩnh vực (không dấu cũng được)"),
                "procedure-search",
            ),
            text(
                tr(lang, "{n} trên {total} thủ tục", n=len(shown), total=len(held))
                if shown
                else tr(lang, "Không có thủ tục nào khớp “{q}”.", q=state.home.procedure_search),
                look,
                look.small,
                color=c.muted if shown else c.error,
            ),
            *rows,
        ]
    )
