"""The desk's staff page (admin): accounts, roles, PIN resets, unlocking after wrong PINs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import flet as ft

from shared.policy import PIN_MAX_DIGITS, PIN_MIN_DIGITS
from shared.workdays import VN_TZ
from shared.workflow import ROLE_LABEL_VI, Role
from sync_server.desk import views
from sync_server.desk.screens.common import (
    BORDER,
    ERROR,
    MUTED,
    OK,
    SURFACE,
    button,
    card,
    modal,
    named,
    page_body,
    set_ref,
    text,
    with_modal,
)
from sync_server.desk.state import DeskState

ROLE_OPTIONS = [ft.DropdownOption(key=r.value, text=ROLE_LABEL_VI[r]) for r in Role]


def _locked(row: dict[str, Any]) -> bool:
    until = row.get("locked_until")
    if not until:
        return False
    try:
        return datetime.fromisoformat(until) > datetime.now(VN_TZ)
    except ValueError:
        return False


@ft.component
def PinDialog(state: DeskState, username: str, close: Any) -> ft.Control:
    pin = ft.use_ref("")

    async def save() -> None:
        if await state.reset_pin(username, pin.current or ""):
            close()

    return modal(
        f"Đặt lại mã PIN cho {username}",
        [
            ft.TextField(
                label=f"Mã PIN mới ({PIN_MIN_DIGITS}–{PIN_MAX_DIGITS} chữ số)",
                max_length=PIN_MAX_DIGITS,
                value=pin.current or "",
                on_change=set_ref(pin),
                password=True,
                can_reveal_password=True,
                autofocus=True,
            ),
            text(state.banner if not state.banner_ok else "", 15, color=ERROR),
        ],
        [
            ft.TextButton(content=ft.Text("Huỷ"), on_click=lambda: close(), tooltip="Huỷ"),
            button("Lưu mã PIN", save, icon=ft.Icons.SAVE),
        ],
        width=460,
    )


@ft.component
def StaffScreen(state: DeskState) -> ft.Control:
    username, full_name, title, pin = ft.use_ref(""), ft.use_ref(""), ft.use_ref(""), ft.use_ref("")
    role, set_role = ft.use_state("intake")
    pin_for, set_pin_for = ft.use_state("")
    form_key, set_form_key = ft.use_state(0)
    errors = state.field_errors

    async def add() -> None:
        ok = await state.add_staff(
            username.current or "",
            full_name.current or "",
            title.current or "",
            role,
            pin.current or "",
        )
        if ok:
            for r in (username, full_name, title, pin):
                r.current = ""
            set_form_key(form_key + 1)  # fresh, empty fields

    rows: list[ft.Control] = []
    for s in state.admin.staff:
        name = s["username"]
        locked = _locked(s)
        status = (
            "Đã vô hiệu hoá"
            if not s["active"]
            else f"Đang bị khoá đến {views.when(s['locked_until'])}"
            if locked
            else "Đang hoạt động"
        )

        async def toggle(_: Any, n: str = name, active: bool = bool(s["active"])) -> None:
            await state.set_active(n, not active)

        async def unlock(_: Any, n: str = name) -> None:
            await state.unlock_staff(n)

        async def change_role(e: ft.Event[ft.Dropdown], n: str = name) -> None:
            await state.set_role(n, str(e.control.value))

        acts: list[ft.Control] = [
            ft.Dropdown(
                value=s["role"],
                options=ROLE_OPTIONS,
                on_select=change_role,
                width=270,
                label="Vai trò",
                dense=True,
                **named(f"Vai trò của {name}"),
            ),
            button(
                "Đặt lại PIN",
                lambda _, n=name: set_pin_for(n),
                primary=False,
                tooltip=f"Đặt lại PIN {name}",
            ),
            button(
                "Mở lại" if not s["active"] else "Vô hiệu hoá",
                toggle,
                primary=False,
                tooltip=f"{'Mở lại' if not s['active'] else 'Vô hiệu hoá'} {name}",
            ),
        ]
        if locked:
            acts.append(
                button("Mở khoá", unlock, icon=ft.Icons.LOCK_OPEN, tooltip=f"Mở khoá {name}")
            )
        rows.append(
            ft.Container(
                content=ft.Row(
                    [
                        ft.Column(
                            [
                                text(f"{s['full_name']} ({name})", 16, bold=True),
                                text(s.get("title") or "", 14, color=MUTED),
                            ],
                            spacing=2,
                            expand=2,
                        ),
                        ft.Column(
                            [text(status, 15, color=ERROR if locked or not s["active"] else OK)],
                            expand=2,
                        ),
                        ft.Row(acts, spacing=8, wrap=True, expand=4),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                bgcolor=SURFACE,
                border=ft.Border.all(1, BORDER),
                border_radius=8,
                padding=ft.Padding.all(12),
                key=f"staff-{name}",
            )
        )
    form = card(
        "Thêm cán bộ",
        [
            ft.Row(
                [
                    ft.TextField(
                        label="Tên đăng nhập mới",
                        value=username.current or "",
                        on_change=set_ref(username),
                        error=errors.get("username"),
                        expand=1,
                    ),
                    ft.TextField(
                        label="Họ và tên",
                        value=full_name.current or "",
                        on_change=set_ref(full_name),
                        expand=2,
                    ),
                ]
            ),
            ft.Row(
                [
                    ft.TextField(
                        label="Chức danh",
                        value=title.current or "",
                        on_change=set_ref(title),
                        expand=2,
                    ),
                    ft.Dropdown(
                        label="Vai trò",
                        value=role,
                        options=ROLE_OPTIONS,
                        on_select=lambda e: set_role(str(e.control.value)),
                        expand=1,
                        **named("Vai trò của cán bộ mới"),
                    ),
                    ft.TextField(
                        label="Mã PIN ban đầu",
                        value=pin.current or "",
                        on_change=set_ref(pin),
                        password=True,
                        error=errors.get("pin"),
                        expand=1,
                    ),
                ]
            ),
            ft.Row(
                [button("Thêm cán bộ", add, icon=ft.Icons.PERSON_ADD, busy=state.busy == "admin")]
            ),
        ],
        key=f"add-{form_key}",
    )
    dialog = (
        PinDialog(state, pin_for, lambda: set_pin_for(""), key=f"pin-{pin_for}")  # type: ignore[call-arg]
        if pin_for
        else None
    )
    return with_modal(page_body([text("Cán bộ", 24, bold=True), *rows, form]), dialog)
