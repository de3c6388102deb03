"""The form's last step, "Thành phần hồ sơ": the completeness checklist.

One big row per component of the procedure: a tick ("handed in"), its name, bản chính /
bản sao, whether it is required for what was typed, and a "cần ảnh" badge with a "Chụp /
chọn ảnh" button when the procedure asks for a photo of it. What is still missing is
said in words at the bottom; while something is missing the dossier cannot be received,
and "In phiếu yêu cầu bổ sung" hands the citizen the supplement request instead (the
draft is kept for when they come back with the papers).
"""

from __future__ import annotations

from typing import Any

import flet as ft

from mobile.i18n import tr
from mobile.screens.common import button, panel, text
from mobile.state.app import AppState
from mobile.state.form import ChecklistRow, FormPhoto, FormState
from mobile.theme import Look
from shared.checklist import Checklist

# What the picker offers: photos (the web build's file dialog, a device's gallery/camera).
_IMAGE_TYPES = ["jpg", "jpeg", "png", "webp", "heic"]
_MIME = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
}


NOT_YET = (
    "Hồ sơ chưa đủ thì chưa được tiếp nhận. In phiếu yêu cầu bổ sung cho người dân; "
    "bản nháp được giữ lại."
)
TICK_HINT = "Đánh dấu từng giấy tờ người dân đã nộp; giấy tờ “cần ảnh” thì chụp hoặc chọn ảnh."
SENT = "Đã gửi tệp {path} tới trình duyệt/máy."


def _call(fn: Any, arg: str) -> Any:
    """A no-parameter handler (Flet passes its event to a handler that takes one)."""
    return lambda: fn(arg)


def _remove(state: AppState, index: int) -> Any:
    return lambda: state.remove_photo(index)


def _remove_kept(state: AppState, index: int) -> Any:
    return lambda: state.remove_kept(index)


def _thumb(
    state: AppState, row: ChecklistRow, photo: FormPhoto, look: Look, on_remove: Any, sent: bool
) -> ft.Control:
    """One photo beside its paper: a thumbnail (or an icon when the picture is no longer
    held here), "Đã gửi" under one sent earlier, and a button to drop it."""
    size = look.fs(96)
    picture: ft.Control = (
        ft.Image(
            src=photo.thumb,
            width=size,
            height=size,
            fit=ft.BoxFit.CONTAIN,
            semantics_label=tr(
                state.lang, "Ảnh đã gửi: {name}" if sent else "Ảnh {name}", name=row.name
            ),
            border_radius=6,
        )
        if photo.thumb
        else ft.Container(
            content=ft.Icon(ft.Icons.IMAGE, size=size // 2, color=look.c.muted),
            width=size,
            height=size,
            alignment=ft.Alignment.CENTER,
        )
    )
    drop = tr(state.lang, "Bỏ ảnh đã gửi này" if sent else "Bỏ ảnh này")
    stack = ft.Stack(
        [
            picture,
            ft.IconButton(
                # named on the icon: an icon button's tooltip is not its accessible name
                icon=ft.Icon(ft.Icons.CLOSE, size=look.fs(20), semantics_label=drop),
                tooltip=drop,
                on_click=on_remove,
                width=look.touch,
                height=look.touch,
                right=-8,
                top=-8,
            ),
        ],
        width=size + 8,
        height=size + 8,
    )
    if not sent:
        return stack
    return ft.Column(
        [stack, ft.Text(tr(state.lang, "Đã gửi"), size=look.small, color=look.c.fg)],
        spacing=2,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )


def mime_of(name: str) -> str | None:
    """The MIME type from a picked file's extension (None: let the store sniff it)."""
    return _MIME.get(name.rsplit(".", 1)[-1].lower()) if "." in name else None


def _badge(label: str, look: Look, *, strong: bool = False) -> ft.Control:
    c = look.c
    return ft.Container(
        content=ft.Text(
            label,
            size=look.small,
            color=c.on_primary if strong else c.fg,
            weight=ft.FontWeight.W_600,
        ),
        bgcolor=c.primary if strong else None,
        border=ft.Border.all(look.border_width, c.primary if strong else c.border),
        border_radius=12,
        padding=ft.Padding.symmetric(horizontal=10, vertical=4),
    )


def _photo_picker(state: AppState, row: ChecklistRow) -> Any:
    """Open the file dialog (web) / picker (device), read the bytes, hand them to state."""

    async def pick() -> None:
        picker = ft.FilePicker()
        files = await picker.pick_files(
            dialog_title=tr(state.lang, "Ảnh: {name}", name=row.name),
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=_IMAGE_TYPES,
            allow_multiple=True,
            with_data=True,
            cancel_upload_on_window_blur=False,
        )
        for f in files:
            if f.bytes:
                await state.add_photo(row.id, f.bytes, mime_of(f.name))

    return pick


def _tick(state: AppState, row: ChecklistRow, look: Look) -> ft.Control:
    """The "handed in" tick, drawn at the text size: Flutter's Checkbox is 18 px at every
    size, a speck beside "Rất lớn" text, and enlarging it with a scale transform put its
    accessibility box somewhere else once the list scrolled (the screens tour's tap
    landed on the summary below). It is still a checkbox to a screen reader."""
    c = look.c
    side = look.fs(28)
    box = ft.Container(
        content=ft.Icon(ft.Icons.CHECK, color=c.on_primary, size=side - 4) if row.ticked else None,
        width=side,
        height=side,
        bgcolor=c.primary if row.ticked else c.surface,
        border=ft.Border.all(look.border_width + 1, c.primary if row.ticked else c.fg),
        border_radius=4,
        alignment=ft.Alignment.CENTER,
    )
    return ft.Semantics(
        content=ft.Container(
            content=box,
            width=look.touch,
            height=look.touch,
            alignment=ft.Alignment.CENTER,
            on_click=_call(state.toggle_component, row.id),
            border_radius=look.touch // 2,
            ink=True,
        ),
        label=tr(state.lang, "Đã nộp: {name}", name=row.name),
        checked=row.ticked,
        container=True,
        key=f"tick-{row.id}",
    )


def _row(state: AppState, form: FormState, row: ChecklistRow, look: Look) -> ft.Control:
    c = look.c
    missing_here = row.required and not row.ticked
    badges: list[ft.Control] = [_badge(row.form, look)]
    badges.append(
        _badge(
            tr(state.lang, "Bắt buộc") if row.required else tr(state.lang, "Nếu có"),
            look,
            strong=row.required,
        )
    )
    if row.photo_required:
        badges.append(_badge(tr(state.lang, "Cần ảnh"), look, strong=True))
    if row.asked:
        badges.append(_badge(tr(state.lang, "Văn phòng yêu cầu bổ sung"), look, strong=True))
    tick = _tick(state, row, look)
    parts: list[ft.Control] = [
        # The name beside the tick wraps (as the checkbox's own label it ran off the edge
        # of a phone at "Rất lớn"); tapping it ticks too, as the label did.
        ft.Row(
            [
                tick,
                ft.Container(
                    content=ft.Text(
                        row.name, size=look.body, weight=ft.FontWeight.W_600, color=c.fg
                    ),
                    on_click=_call(state.toggle_component, row.id),
                    expand=True,
                    padding=ft.Padding.only(top=max(6, (look.touch - look.body * 1.4) // 2)),
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
            spacing=4,
        ),
        ft.Row(badges, wrap=True, spacing=8, run_spacing=6),
    ]
    thumbs: list[ft.Control] = [
        _thumb(state, row, p, look, _remove_kept(state, i), sent=True)
        for i, p in enumerate(form.kept)
        if p.component == row.id
    ]
    thumbs += [
        _thumb(state, row, p, look, _remove(state, i), sent=False)
        for i, p in enumerate(form.photos)
        if p.component == row.id
    ]
    if row.photo_required or thumbs or row.asked:
        parts.append(
            ft.Row(
                [
                    button(
                        tr(state.lang, "Chụp / chọn ảnh"),
                        _photo_picker(state, row),
                        look,
                        primary=False,
                        icon=ft.Icons.PHOTO_CAMERA,
                        busy=state.busy == "photo",
                        tooltip=tr(state.lang, "Chụp / chọn ảnh: {name}", name=row.name),
                    ),
                    *thumbs,
                ],
                wrap=True,
                spacing=12,
                run_spacing=8,
            )
        )
    return ft.Container(
        content=ft.Column(parts, spacing=10),
        border=ft.Border.all(
            look.border_width + (1 if missing_here or row.asked else 0),
            c.error if missing_here else (c.primary if row.asked else c.border),
        ),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=16, vertical=12),
        bgcolor=c.surface,
        key=f"component-{row.id}",
    )


def missing_box(checklist: Checklist, look: Look, lang: str = "vi") -> ft.Control:
    """What is still missing, in words (or that the dossier is complete)."""
    c = look.c
    if checklist.complete:
        return ft.Container(
            content=text(tr(lang, "Hồ sơ đã đủ thành phần."), look, bold=True, color=c.ok),
            border=ft.Border.all(look.border_width + 1, c.ok),
            border_radius=10,
            padding=ft.Padding.all(14),
        )
    lines: list[ft.Control] = [
        text(
            tr(lang, "Hồ sơ chưa đủ — còn thiếu {n} mục:", n=len(checklist.missing)),
            look,
            bold=True,
            color=c.error,
        ),
        *[text(f"• {m.text(lang)}", look, color=c.error) for m in checklist.missing],
        text(
            tr(lang, NOT_YET),
            look,
            look.small,
            color=c.fg,
        ),
    ]
    return ft.Container(
        content=ft.Column(lines, spacing=6),
        border=ft.Border.all(look.border_width + 1, c.error),
        border_radius=10,
        padding=ft.Padding.all(14),
        bgcolor=c.surface,
        key="missing",
    )


def paper_button(state: AppState, look: Look) -> ft.Control:
    """ "In phiếu yêu cầu bổ sung": the PDF to the browser download or the device's
    save/share sheet (like the result PDF); nothing unencrypted stays on the tablet."""

    async def download() -> None:
        got = await state.supplement_request()
        if got is None:
            return
        name, pdf = got
        picker = ft.FilePicker()
        await picker.save_file(
            dialog_title=tr(state.lang, "Phiếu yêu cầu bổ sung"), file_name=name, src_bytes=pdf
        )

    return button(
        tr(state.lang, "In phiếu yêu cầu bổ sung"),
        download,
        look,
        primary=False,
        icon=ft.Icons.PRINT,
        busy=state.busy == "paper",
        tooltip=tr(
            state.lang, "In phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (liệt kê các giấy tờ còn thiếu)"
        ),
    )


def checklist_body(state: AppState, form: FormState, look: Look) -> ft.Control:
    """The step's content: the rows, then what is missing and the supplement request."""
    c = look.c
    checklist = form.checklist()
    parts: list[ft.Control] = [
        text(
            tr(form.lang, TICK_HINT),
            look,
            look.small,
            color=c.muted,
        ),
        *[_row(state, form, row, look) for row in form.checklist_rows()],
        missing_box(checklist, look, form.lang),
    ]
    if not checklist.complete:
        parts.append(ft.Row([paper_button(state, look)], wrap=True))
        if state.paper_path:
            parts.append(text(tr(state.lang, SENT, path=state.paper_path), look))
    return panel(parts, look, key="section-checklist")
