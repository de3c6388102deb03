"""The new-dossier form, drawn field by field from the procedure catalogue."""

from __future__ import annotations

import flet as ft

from mobile.screens.common import back_button, button, card, look_of, page_body, text
from mobile.state.app import ROUTE_PICK, AppState
from mobile.state.form import FormState, field_kind
from mobile.theme import Look
from shared.catalogue import Field

_KEYBOARD = {
    "cccd": ft.KeyboardType.NUMBER,
    "phone": ft.KeyboardType.PHONE,
    "integer": ft.KeyboardType.NUMBER,
    "year": ft.KeyboardType.NUMBER,
    "date": ft.KeyboardType.DATETIME,
}


def _label(form: FormState, f: Field) -> str:
    return form.label(f) + (" *" if f.required else "")


def _help(form: FormState, f: Field) -> str | None:
    return f.help.get(form.lang) if f.help else None


def _error_text(msg: str | None, look: Look) -> ft.Control | None:
    if not msg:
        return None
    return ft.Text(msg, color=look.c.error, size=look.small, weight=ft.FontWeight.W_600)


def field_control(state: AppState, form: FormState, f: Field, look: Look) -> ft.Control:
    """One catalogue field as the right control, wired to ``state.set_field``."""
    kind = field_kind(f)
    err = form.errors.get(f.id)
    value = form.value(f.id)

    if kind == "switch":
        return ft.Column(
            [
                ft.Switch(
                    label=form.label(f),
                    value=bool(value),
                    on_change=lambda e: state.set_field(f.id, bool(e.control.value)),
                    label_text_style=ft.TextStyle(size=look.body),
                    key=f.id,
                ),
                *[x for x in (_error_text(err, look),) if x],
            ],
            spacing=4,
        )
    if kind == "radio":
        parts: list[ft.Control] = [
            ft.Text(
                _label(form, f),
                size=look.body,
                weight=ft.FontWeight.W_600,
                color=look.c.error if err else look.c.fg,
            ),
            ft.RadioGroup(
                content=ft.Row(
                    [
                        ft.Radio(
                            value=ch.value,
                            label=ch.label.get(form.lang),
                            label_style=ft.TextStyle(size=look.body),
                        )
                        for ch in f.choices
                    ],
                    wrap=True,
                    spacing=18,
                ),
                value=value or None,
                on_change=lambda e: state.set_field(f.id, e.control.value),
                key=f.id,
            ),
        ]
        if e_ctl := _error_text(err, look):
            parts.append(e_ctl)
        if h := _help(form, f):
            parts.append(ft.Text(h, size=look.small, color=look.c.muted))
        return ft.Column(parts, spacing=4)
    if kind == "dropdown":
        return ft.Dropdown(
            label=_label(form, f),
            value=value or None,
            options=[
                ft.DropdownOption(key=ch.value, text=ch.label.get(form.lang)) for ch in f.choices
            ],
            on_select=lambda e: state.set_field(f.id, e.control.value),
            error_text=err,
            helper_text=_help(form, f),
            text_size=look.body,
            menu_height=420,
            enable_filter=True,
            editable=True,
            expand=True,
            key=f.id,
        )
    if kind == "derived":
        words = form.derived_text(f)
        return ft.TextField(
            label=form.label(f),
            value=words or "(tự điền khi nhập ngày)",
            read_only=True,
            text_size=look.body,
            key=f.id,
        )
    return TextInput(state, form, f, look, kind, key=f"input-{f.id}")


@ft.component
def TextInput(state: AppState, form: FormState, f: Field, look: Look, kind: str) -> ft.Control:
    """A text-like field whose TextField never changes after it appears.

    The field itself is the source of what is typed (``on_change`` reports it to the
    state). Anything that changes while typing — the error message, the date in words —
    is drawn as text under it: re-rendering the TextField with a changed property also
    re-sends its initial ``value`` and wipes what the person just typed.
    """
    shown, _ = ft.use_state(lambda: str(form.value(f.id) or ""))
    help_text = _help(form, f)
    if kind == "date":
        help_text = help_text or "Nhập dd/mm/yyyy"
    field = ft.TextField(
        label=_label(form, f),
        value=shown,
        on_change=lambda e: state.set_field(f.id, e.control.value),
        keyboard_type=(
            ft.KeyboardType.MULTILINE
            if f.multiline
            else _KEYBOARD.get(f.type, ft.KeyboardType.TEXT)
        ),
        multiline=f.multiline,
        min_lines=2 if f.multiline else None,
        max_lines=4 if f.multiline else 1,
        helper=help_text,
        helper_max_lines=3,
        text_size=look.body,
        max_length=12 if f.type == "cccd" else None,
    )
    parts: list[ft.Control] = [field]
    if kind == "date" and (words := form.words_for(f.id)):
        parts.append(ft.Text(f"Bằng chữ: {words}", size=look.small, color=look.c.muted))
    if e_ctl := _error_text(form.errors.get(f.id), look):
        parts.append(e_ctl)
    return ft.Column(parts, spacing=4)


@ft.component
def FormScreen(state: AppState, form: FormState) -> ft.Control:
    look = look_of(state)
    sections: list[ft.Control] = []
    for section, fields in form.sections():
        sections.append(
            card(
                section.title.get(form.lang),
                [field_control(state, form, f, look) for f in fields],
                look,
            )
        )
    summary = None
    if form.summary:
        summary = ft.Container(
            content=ft.Text(
                form.summary, color=look.c.error, size=look.body, weight=ft.FontWeight.BOLD
            ),
            border=ft.Border.all(look.border_width + 1, look.c.error),
            border_radius=10,
            padding=ft.Padding.all(14),
            bgcolor=look.c.surface,
        )
    actions = ft.Row(
        [
            back_button(lambda: state.go(ROUTE_PICK), look, "Quay lại chọn thủ tục"),
            ft.Container(expand=True),
            button(
                "Xem trước",
                state.preview,
                look,
                icon=ft.Icons.VISIBILITY,
                busy=state.busy == "check",
            ),
        ]
    )
    return page_body(
        [
            text(form.procedure.name.get(form.lang), look, look.title, bold=True),
            text("Các ô có dấu * là bắt buộc.", look, look.small, color=look.c.muted),
            summary,
            *sections,
            summary,
            actions,
        ]
    )
