""" "Cơ quan giải quyết" on the form's last step, before the read-back: the commune that
will decide the dossier, why, and a list of the province's communes to pick another
(searched by name; big touch targets). The choice is the state's (state/competent.py)."""

from __future__ import annotations

from typing import Any

import flet as ft

from mobile.i18n import tr
from mobile.screens.common import StableTextField, button, panel, text
from mobile.state.app import AppState
from mobile.state.form import FormState
from mobile.theme import Look

TITLE = "Cơ quan giải quyết"
MAX_SHOWN = 12  # buttons drawn at once; the search box narrows a province's hundred


def _pick(state: AppState, unit_code: str) -> Any:
    return lambda: state.pick_competent(unit_code)


@ft.component
def CompetentCard(state: AppState, form: FormState, look: Look) -> ft.Control | None:
    view = state.competent()
    if view is None:
        return None
    c = look.c
    lang = form.lang
    name = view.name + (tr(lang, " (xã, phường này — không chuyển)") if view.here else "")
    parts: list[ft.Control] = [
        text(tr(lang, TITLE), look, look.fs(21), bold=True, color=c.primary),
        ft.Text(
            name,
            size=look.fs(22),
            weight=ft.FontWeight.BOLD,
            semantics_label=tr(lang, "Cơ quan giải quyết: {name}", name=name),
        ),
        text(tr(lang, "Lý do: {reason}", reason=view.reason), look, look.small, color=c.muted),
    ]
    if not form.competent_open:
        parts.append(
            ft.Row(
                [
                    button(
                        tr(lang, "Đổi cơ quan giải quyết"),
                        lambda: state.open_competent(True),
                        look,
                        primary=False,
                        icon=ft.Icons.SWAP_HORIZ,
                    )
                ],
                wrap=True,
            )
        )
    else:
        if view.listed == 0:
            parts.append(
                text(
                    tr(lang, "Máy chưa nhận danh sách xã, phường của tỉnh: hãy đồng bộ."),
                    look,
                    color=c.error,
                )
            )
        parts.append(
            StableTextField(
                form.competent_query,
                state.search_competent,
                0,
                label=tr(lang, "Tìm xã, phường theo tên (không cần dấu)"),
                text_size=look.body,
                autocorrect=False,
                enable_suggestions=False,
            )
        )
        for commune in view.options[:MAX_SHOWN]:
            parts.append(
                button(
                    tr(lang, "Chọn {name}", name=commune.name),
                    _pick(state, commune.unit_code),
                    look,
                    primary=False,
                    icon=ft.Icons.ACCOUNT_BALANCE,
                )
            )
        if len(view.options) > MAX_SHOWN:
            parts.append(
                text(
                    tr(
                        lang,
                        "Còn {n} xã, phường nữa: gõ thêm tên để tìm.",
                        n=len(view.options) - MAX_SHOWN,
                    ),
                    look,
                    look.small,
                    color=c.muted,
                )
            )
        if not view.options:
            parts.append(text(tr(lang, "Không có xã, phường nào có tên này."), look))
        parts.append(
            ft.Row(
                [
                    button(
                        tr(lang, "Đóng"),
                        lambda: state.open_competent(False),
                        look,
                        primary=False,
                        icon=ft.Icons.CLOSE,
                    )
                ]
            )
        )
    return panel(parts, look, key="competent")
