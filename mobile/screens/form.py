"""The new-dossier form: one catalogue section per step, drawn field by field.

Why text never gets lost: Flet keeps a server-side mirror of every control. When the
browser reports a keystroke it first patches the mirror's ``value`` and then fires
``on_change``. If a re-render (a date in words appearing, a choice tapped, a show-if
flipping) builds the TextField again with an older ``value`` — the value it had when
the component was first drawn, or the value the state had one event ago — the frozen
diff sees old mirror ≠ new description and sends the old text to the browser, wiping
what was typed in between. ``TextInput`` therefore always builds its TextField with
the value the live mirror holds right now, so a re-render never emits a ``value``
patch; only a value the app sets itself (date picker, draft) is pushed, and that is
counted by ``FormState.push_value`` so the field knows to show it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import flet as ft

from mobile.i18n import tr
from mobile.screens.checklist import checklist_body
from mobile.screens.common import (
    StableTextField,
    back_button,
    button,
    look_of,
    page_body,
    text,
)
from mobile.screens.competent import CompetentCard
from mobile.state.app import AppState
from mobile.state.form import FormState, field_kind
from mobile.theme import Look
from shared.card_fill import parties, residence_text
from shared.catalogue import Field
from shared.validation import parse_date

_KEYBOARD = {
    "cccd": ft.KeyboardType.NUMBER,
    "phone": ft.KeyboardType.PHONE,
    "integer": ft.KeyboardType.NUMBER,
    "year": ft.KeyboardType.NUMBER,
    "date": ft.KeyboardType.DATETIME,
}
# What the keyboard may put into a field: a mask that never rewrites typed text.
_FILTERS = {
    "date": r"^[0-9/]{0,10}$",
    "cccd": r"^[0-9]{0,12}$",
    "integer": r"^[0-9]{0,6}$",
    "year": r"^[0-9]{0,4}$",
    "phone": r"^[0-9+ .]{0,15}$",
}


def _label(form: FormState, f: Field) -> str:
    return form.label(f) + (" *" if f.required else "")


def _help(form: FormState, f: Field) -> str | None:
    return f.help.get(form.lang) if f.help else None


def _error_text(msg: str | None, look: Look) -> ft.Control | None:
    if not msg:
        return None
    return ft.Text(msg, color=look.c.error, size=look.small, weight=ft.FontWeight.W_600)


def _field_title(form: FormState, f: Field, look: Look, err: str | None) -> ft.Control:
    return ft.Text(
        _label(form, f),
        size=look.body,
        weight=ft.FontWeight.W_600,
        color=look.c.error if err else look.c.fg,
    )


def _boxed(content: ft.Control, look: Look, err: str | None) -> ft.Control:
    """A border around a non-text control: red (and thicker) when it has an error."""
    return ft.Container(
        content=content,
        border=ft.Border.all(
            look.border_width + (1 if err else 0), look.c.error if err else look.c.border
        ),
        border_radius=8,
        padding=ft.Padding.all(8),
    )


def choice_buttons(state: AppState, form: FormState, f: Field, look: Look) -> ft.Control:
    """A short list of choices as big segmented buttons across the width (one tap each)."""
    err = form.errors.get(f.id)
    value = form.value(f.id)
    n = max(1, len(f.choices))
    longest = max((len(ch.label.get(form.lang)) for ch in f.choices), default=0)
    wide = 12 // n if longest * n <= 60 else 4  # long labels: three per row
    cells: list[ft.Control] = []
    for ch in f.choices:
        on = ch.value == value
        label = ch.label.get(form.lang)
        content = ft.Row(
            [
                *([ft.Icon(ft.Icons.CHECK, size=look.fs(22), color=look.c.on_primary)] * on),
                ft.Text(
                    label,
                    size=look.body,
                    weight=ft.FontWeight.BOLD if on else None,
                    text_align=ft.TextAlign.CENTER,
                    # wraps, never cut: "Số định danh cá nhân (thẻ căn cướ…" at "Rất lớn"
                    expand=True,
                ),
            ],
            spacing=6,
            alignment=ft.MainAxisAlignment.CENTER,
        )
        style = ft.ButtonStyle(
            shape=ft.RoundedRectangleBorder(radius=8),
            side=ft.BorderSide(
                look.border_width + (1 if err else 0), look.c.error if err else look.c.primary
            ),
            # the touch height from the padding, so a wrapped label makes it taller
            padding=ft.Padding.symmetric(
                horizontal=8, vertical=max(8, round((look.touch - look.body * 1.2) / 2))
            ),
        )
        cls = ft.FilledButton if on else ft.OutlinedButton
        cells.append(
            ft.Container(
                content=cls(
                    content=content,
                    on_click=lambda _, v=ch.value: state.set_field(f.id, v),
                    style=style,
                    expand=True,
                ),
                col={
                    "xs": 12 if len(label) > 14 else 6,
                    "sm": 4 if n > 3 else 12 // n,
                    "lg": wide,
                },
                key=f"{f.id}={ch.value}",
            )
        )
    parts: list[ft.Control] = [
        _field_title(form, f, look, err),
        ft.ResponsiveRow(cells, spacing=8, run_spacing=8),
    ]
    if e_ctl := _error_text(err, look):
        parts.append(e_ctl)
    if h := _help(form, f):
        parts.append(ft.Text(h, size=look.small, color=look.c.muted))
    return ft.Column(parts, spacing=6, key=f.id)


def field_control(state: AppState, form: FormState, f: Field, look: Look) -> ft.Control | None:
    """One catalogue field as the right control, wired to ``state.set_field``."""
    kind = field_kind(f)
    err = form.errors.get(f.id)
    value = form.value(f.id)

    if kind == "switch":
        return ft.Column(
            [
                _boxed(
                    ft.Switch(
                        label=_label(form, f),
                        value=bool(value),
                        on_change=lambda e: state.set_field(f.id, bool(e.control.value)),
                        label_text_style=ft.TextStyle(size=look.body, color=look.c.fg),
                    ),
                    look,
                    err,
                ),
                *[x for x in (_error_text(err, look),) if x],
            ],
            spacing=4,
            key=f.id,
        )
    if kind == "radio":
        return choice_buttons(state, form, f, look)
    if kind == "dropdown":
        c = look.c
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
            label_style=ft.TextStyle(size=look.body),
            error_style=ft.TextStyle(size=look.small, color=c.error),
            border_color=c.border,
            border_width=look.border_width,
            focused_border_color=c.primary,
            # the arrow that opens the list is a button of its own: named, or a screen
            # reader says only "button" beside "Dân tộc"
            trailing_icon=ft.Icon(
                ft.Icons.ARROW_DROP_DOWN,
                semantics_label=tr(form.lang, "Mở danh sách: {what}", what=form.label(f)),
            ),
            selected_trailing_icon=ft.Icon(
                ft.Icons.ARROW_DROP_UP,
                semantics_label=tr(form.lang, "Đóng danh sách: {what}", what=form.label(f)),
            ),
            menu_height=420,
            enable_filter=True,
            editable=True,
            expand=True,
            key=f.id,
        )
    if kind == "derived" and any(x.id == f.derived_from for x in form.procedure.fields):
        # The date in words is drawn once, under its date field (TextInput); the preview
        # lists it as a row of its own. (It was drawn here too: shown twice.)
        return None
    if kind == "derived":
        return ft.Text(
            f"{form.label(f)}: "
            + (form.derived_text(f) or tr(form.lang, "(tự điền khi nhập ngày)")),
            size=look.small,
            color=look.c.muted,
            key=f.id,
        )
    return TextInput(state, form, f, look, kind, key=f"input-{f.id}")  # type: ignore[call-arg]


def _input_decoration(look: Look, err: str | None) -> dict[str, Any]:
    """Sizes and borders every text input shares: large text and high contrast reach
    the label, hint, helper, error and typed text; an error makes the border red."""
    c = look.c
    return {
        "text_size": look.body,
        "text_style": ft.TextStyle(size=look.body, color=c.fg),
        "label_style": ft.TextStyle(size=look.body, color=c.error if err else c.muted),
        "hint_style": ft.TextStyle(size=look.body, color=c.muted),
        "helper_style": ft.TextStyle(size=look.small, color=c.muted),
        "error_style": ft.TextStyle(size=look.small, color=c.error, weight=ft.FontWeight.W_600),
        "error": err,
        "border_color": c.error if err else c.border,
        "border_width": look.border_width + (1 if err else 0),
        "focused_border_color": c.error if err else c.primary,
        "focused_border_width": look.border_width + 1,
        "cursor_color": c.fg,
    }


@ft.component
def TextInput(state: AppState, form: FormState, f: Field, look: Look, kind: str) -> ft.Control:
    """A text-like field that keeps its own text across re-renders (see module doc)."""
    live: ft.MutableRef[ft.TextField | None] = ft.use_ref(None)
    seen: ft.MutableRef[int] = ft.use_ref(-1)
    picking, set_picking = ft.use_state(False)
    gen = form.push_gen(f.id)
    if live.current is not None and seen.current == gen:
        value = live.current.value  # what the browser shows now: never patched back
    else:
        value = str(form.value(f.id) or "")  # first draw, or a value the app pushed
        seen.current = gen
    err = form.errors.get(f.id)
    help_text = _help(form, f)
    if kind == "date":
        help_text = help_text or tr(form.lang, "Nhập ngày/tháng/năm, ví dụ 15/03/2024")
    field = ft.TextField(
        label=_label(form, f),
        value=value,
        on_change=lambda e: state.set_field(f.id, e.control.value),
        # checked when left (issue 21, item 5): a wrong value shows at once, not at
        # "Xem trước"
        on_blur=lambda _: state.blur_field(f.id),
        keyboard_type=(
            ft.KeyboardType.MULTILINE
            if f.multiline
            else _KEYBOARD.get(f.type, ft.KeyboardType.TEXT)
        ),
        input_filter=(
            ft.InputFilter(regex_string=_FILTERS[f.type]) if f.type in _FILTERS else None
        ),
        hint_text="dd/mm/yyyy" if kind == "date" else None,
        multiline=f.multiline,
        min_lines=2 if f.multiline else None,
        max_lines=4 if f.multiline else 1,
        helper=help_text,
        # Whole sentences, not "Vui lòng nhập Ngày, tháng, năm sinh người yêu …" (screens
        # tour, phone at "Rất lớn").
        helper_max_lines=6,
        error_max_lines=8,
        expand=kind == "date" and not look.narrow,
        **_input_decoration(look, err),
    )
    live.current = field
    if kind != "date":
        return field

    def picked(e: Any) -> None:
        set_picking(False)
        d = e.control.value
        if isinstance(d, dt.datetime | dt.date):
            form_date = d.date() if isinstance(d, dt.datetime) else d
            state.pick_date(f.id, form_date.strftime("%d/%m/%Y"))

    today = state.today()
    current = parse_date(form.value(f.id))
    ft.use_dialog(
        ft.DatePicker(
            value=dt.datetime.combine(current or today, dt.time()),
            first_date=dt.datetime(1900, 1, 1),
            last_date=dt.datetime.combine(today, dt.time()),
            help_text=form.label(f),
            cancel_text=tr(form.lang, "Huỷ"),
            confirm_text=tr(form.lang, "Chọn"),
            on_change=picked,
            on_dismiss=lambda _: set_picking(False),
        )
        if picking
        else None
    )
    calendar_tip = tr(form.lang, "Chọn {what} trên lịch", what=form.label(f).lower())
    words_field = form.words_field(f.id)
    words = form.derived_text(words_field) if words_field is not None else ""
    words_line: ft.Control | None = None
    if words_field is not None:  # only a date printed in words says so, once
        words_line = ft.Text(
            tr(form.lang, "{label}: {words}", label=form.label(words_field), words=words)
            if words
            else tr(form.lang, "{label}: (hiện khi nhập đủ ngày)", label=form.label(words_field)),
            size=look.body,
            color=look.c.fg if words else look.c.muted,
            weight=ft.FontWeight.W_600 if words else None,
        )
    calendar = ft.IconButton(
        # named on the icon: a tooltip is not an accessible name on the web
        icon=ft.Icon(ft.Icons.CALENDAR_MONTH, size=look.fs(30), semantics_label=calendar_tip),
        tooltip=calendar_tip,
        on_click=lambda: set_picking(True),
        width=look.touch,
        height=look.touch,
    )
    # On a phone the field takes the whole width and the calendar goes under it: beside
    # it, at "Rất lớn", the label ran over the field's border in four lines (screens tour).
    entry: ft.Control = (
        ft.Column([field, calendar], spacing=4)
        if look.narrow
        else ft.Row([field, calendar], vertical_alignment=ft.CrossAxisAlignment.START)
    )
    return ft.Column([entry, *([words_line] if words_line is not None else [])], spacing=6)


CHECKLIST_TITLE = "Thành phần hồ sơ"
PAPERS_FIRST = (
    "Hồ sơ chưa đủ thành phần: nộp hoặc chụp ảnh các giấy tờ còn thiếu (danh sách bên dưới) "
    "trước khi người dân đọc lại và xác nhận."
)


def step_titles(form: FormState) -> list[tuple[str, str]]:
    """(key, title) of every step: the sections, then the checklist."""
    out = [(s.id, s.title.get(form.lang)) for s, _ in form.sections()]
    if form.has_checklist():
        out.append(("checklist", tr(form.lang, CHECKLIST_TITLE)))
    return out


def _progress(state: AppState, form: FormState, look: Look) -> ft.Control:
    """Step k of n with every section's name; the current one bold, ones with errors red
    (with their count). A chip is a button: it jumps to its step."""
    c = look.c
    titles = step_titles(form)
    n = len(titles)
    cur = form.current_step()
    chips: list[ft.Control] = []
    for i, (key, title) in enumerate(titles):
        bad = form.step_errors(i)
        colour = c.error if bad else (c.primary if i == cur else c.muted)
        label = f"{i + 1}. {title}" + (f" ({bad})" if bad else "")
        tip = (
            tr(form.lang, "Bước {i}: {title} — còn {n} lỗi", i=i + 1, title=title, n=bad)
            if bad
            else tr(form.lang, "Đi tới bước {i}: {title}", i=i + 1, title=title)
        )
        chips.append(
            ft.Container(
                content=ft.Text(
                    label,
                    size=look.small,
                    color=c.on_primary if i == cur else colour,
                    weight=ft.FontWeight.BOLD if i == cur or bad else None,
                ),
                bgcolor=colour if i == cur else None,
                border=ft.Border.all(look.border_width + (1 if bad else 0), colour),
                border_radius=16,
                padding=ft.Padding.symmetric(horizontal=12, vertical=8),
                on_click=None if i == cur else _jump(state, i),
                tooltip=tip,
                ink=True,
                key=f"step-{key}",
            )
        )
    return ft.Column(
        [
            text(
                tr(form.lang, "Bước {i}/{n}: {title}", i=cur + 1, n=n, title=titles[cur][1]),
                look,
                look.fs(21),
                bold=True,
                color=c.primary,
            ),
            ft.ProgressBar(
                value=(cur + 1) / max(1, n),
                color=c.primary,
                bgcolor=c.border,
                height=8,
                semantics_label=tr(form.lang, "Bước {i} trên {n}", i=cur + 1, n=n),
            ),
            # On a phone the chips stay on one line that scrolls sideways: wrapped, at
            # "Rất lớn" they took most of the first screen before the first field.
            ft.Row(chips, scroll=ft.ScrollMode.ALWAYS, spacing=6)
            if look.narrow
            else ft.Row(chips, wrap=True, spacing=6, run_spacing=6),
        ],
        spacing=8,
    )


def _jump(state: AppState, index: int) -> Any:
    return lambda: state.form_step(index)


def _call(fn: Any, arg: str) -> Any:
    """A click handler taking no parameter (Flet passes its event to a handler that takes
    one, so ``lambda x=value: …`` would receive the event instead of the value)."""
    return lambda: fn(arg)


@ft.component
def CardPanel(state: AppState, form: FormState, look: Look) -> ft.Control:
    """ "Điền từ thẻ căn cước": a QR scanner types the card's code into the box (or staff
    paste it), the card and its address — as printed and as today's unit, side by side —
    are shown, and one tap fills a chosen person's fields. Nothing is filled before staff
    tap; the residence only from a unit they confirmed."""
    c = look.c
    lang = form.lang
    opened, set_opened = ft.use_state(False)
    raw: ft.MutableRef[str] = ft.use_ref("")
    query: ft.MutableRef[str] = ft.use_ref("")
    gen, set_gen = ft.use_state(0)
    card = state.card.scan
    if not opened:
        return ft.Row(
            [
                button(
                    tr(lang, "Điền từ thẻ căn cước"),
                    lambda: set_opened(True),
                    look,
                    primary=False,
                    icon=ft.Icons.QR_CODE_SCANNER,
                    tooltip=tr(lang, "Điền từ thẻ căn cước: quét hoặc dán mã QR trên thẻ"),
                )
            ]
        )

    def read() -> None:
        if state.scan_card(raw.current or ""):
            raw.current = ""
            set_gen(gen + 1)  # an empty box for the next card

    def close() -> None:
        state.close_scan()
        raw.current = ""
        set_opened(False)

    def set_raw(value: str) -> None:
        raw.current = value

    def set_query(value: str) -> None:
        query.current = value

    def find() -> None:
        state.find_citizens(query.current or "")

    parts: list[ft.Control] = [
        text(tr(lang, "Điền từ thẻ căn cước"), look, look.fs(20), bold=True, color=c.primary),
        StableTextField(
            raw.current or "",
            set_raw,
            gen,
            label=tr(lang, "Mã QR trên thẻ căn cước (quét hoặc dán)"),
            on_submit=lambda _: read(),
            text_size=look.body,
            autocorrect=False,
            enable_suggestions=False,
            error=state.card.scan_error or None,
        ),
        ft.Row(
            [
                button(tr(lang, "Đọc mã"), read, look, icon=ft.Icons.DOCUMENT_SCANNER),
                button(tr(lang, "Đóng"), close, look, primary=False, icon=ft.Icons.CLOSE),
            ],
            wrap=True,
        ),
        StableTextField(
            query.current or "",
            set_query,
            0,
            label=tr(lang, "Hoặc tìm người dân đã có (tên, không cần dấu, hoặc số định danh)"),
            on_submit=lambda _: find(),
            text_size=look.body,
            autocorrect=False,
            enable_suggestions=False,
        ),
        ft.Row([button(tr(lang, "Tìm"), find, look, primary=False, icon=ft.Icons.PERSON_SEARCH)]),
    ]
    for hit in state.card.citizen_hits:
        born = dt.date.fromisoformat(hit.dob).strftime("%d/%m/%Y") if hit.dob else "—"
        parts.append(
            button(
                tr(lang, "Chọn: {name}", name=f"{hit.name} — {born} — {hit.number}"),
                _call(state.use_citizen, hit.id),
                look,
                primary=False,
                icon=ft.Icons.PERSON,
            )
        )
    if card is not None:
        mapped = card["address_mapped"]
        born = dt.date.fromisoformat(str(card["dob"])).strftime("%d/%m/%Y")
        sex = {"male": tr(lang, "Nam"), "female": tr(lang, "Nữ")}.get(str(card["sex"]), "")
        parts.append(
            text(
                tr(lang, "{name} — sinh {born} — {sex}", name=card["name"], born=born, sex=sex),
                look,
                bold=True,
            )
        )
        parts.append(text(tr(lang, "Số định danh cá nhân: {n}", n=card["number"]), look))
        if mapped["status"] == "ambiguous":
            today = tr(lang, "Xã cũ đã chia cho nhiều đơn vị: chọn đơn vị hiện nay bên dưới.")
        elif mapped["status"] == "not_found":
            today = tr(lang, "Không tìm được đơn vị hiện nay: nơi cư trú sẽ không được điền.")
        else:
            # As the documents will write it (shared.card_fill.residence_text).
            today = residence_text(mapped["street"], f"{mapped['commune']}, {mapped['province']}")
        parts.append(
            ft.ResponsiveRow(
                [
                    ft.Column(
                        [
                            text(tr(lang, "Địa chỉ in trên thẻ"), look, look.small, color=c.muted),
                            text(str(card["address_printed"]), look),
                        ],
                        col={"xs": 12, "md": 6},
                    ),
                    ft.Column(
                        [
                            text(
                                tr(lang, "Địa chỉ theo đơn vị hành chính hiện nay"),
                                look,
                                look.small,
                                color=c.muted,
                            ),
                            text(today, look, bold=True),
                        ],
                        col={"xs": 12, "md": 6},
                    ),
                ]
            )
        )
        if mapped["candidates"]:
            parts.append(
                ft.Row(
                    [
                        button(
                            tr(lang, "Chọn: {name}", name=u),
                            _call(state.pick_scan_unit, u),
                            look,
                            primary=state.card.scan_unit == u,
                            icon=ft.Icons.CHECK if state.card.scan_unit == u else None,
                        )
                        for u in mapped["candidates"]
                    ],
                    wrap=True,
                )
            )
        parts.append(
            ft.Row(
                [
                    button(
                        tr(lang, "Điền cho {who}", who=party.label),
                        _call(state.fill_from_scan, party.prefix),
                        look,
                        icon=ft.Icons.PERSON_ADD_ALT,
                    )
                    for party in parties(form.procedure, form.lang)
                ],
                wrap=True,
            )
        )
    return ft.Container(
        content=ft.Column(parts, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        border=ft.Border.all(look.border_width + 1, c.primary),
        border_radius=10,
        padding=ft.Padding.all(16),
        bgcolor=c.surface,
    )


@ft.component
def FormScreen(state: AppState, form: FormState) -> ft.Control:
    look = look_of(state)
    c = look.c
    secs = form.sections()
    cur = form.current_step()
    summary = None
    said = form.summary
    if form.on_checklist() and form.papers_missing and not form.checklist().complete:
        # "Xem trước" found papers missing: said before the citizen reads anything
        said = " ".join([x for x in (said, tr(form.lang, PAPERS_FIRST)) if x])
    if said:
        summary = ft.Container(
            content=ft.Text(said, color=c.error, size=look.body, weight=ft.FontWeight.BOLD),
            border=ft.Border.all(look.border_width + 1, c.error),
            border_radius=10,
            padding=ft.Padding.all(14),
            bgcolor=c.surface,
        )
    if form.on_checklist():
        body = checklist_body(state, form, look)
    else:
        section, fields = secs[cur]
        body = ft.Container(
            content=ft.Column(
                [x for f in fields if (x := field_control(state, form, f, look)) is not None],
                spacing=18,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            ),
            bgcolor=c.surface,
            border=ft.Border.all(look.border_width, c.border),
            border_radius=12,
            padding=ft.Padding.all(20),
            key=f"section-{section.id}",
        )
    last = cur == form.step_count() - 1
    nav: list[ft.Control] = [
        back_button(
            (lambda: state.form_step(cur - 1)) if cur > 0 else state.leave_form,
            look,
            "Quay lại bước trước"
            if cur > 0
            else ("Quay lại hồ sơ" if form.supplement_of else "Quay lại chọn thủ tục"),
            lang=form.lang,
        ),
        ft.Container(expand=True),
    ]
    if last:
        nav.append(
            button(
                tr(form.lang, "Xem trước"),
                state.preview,
                look,
                icon=ft.Icons.VISIBILITY,
                busy=state.busy == "check",
            )
        )
    else:
        nav.append(
            button(
                tr(form.lang, "Tiếp"),
                state.next_step,
                look,
                icon=ft.Icons.ARROW_FORWARD,
            )
        )
    return page_body(
        [
            text(
                (tr(form.lang, "Bổ sung hồ sơ: ") if form.supplement_of else "")
                + form.procedure.name.get(form.lang),
                look,
                look.title,
                bold=True,
            ),
            text(
                tr(form.lang, "Văn phòng yêu cầu bổ sung: {reason}", reason=form.asked_reason),
                look,
                bold=True,
                color=c.primary,
            )
            if form.asked_reason
            else None,
            _progress(state, form, look),
            text(tr(form.lang, "Các ô có dấu * là bắt buộc."), look, look.small, color=c.muted),
            None if form.on_checklist() else CardPanel(state, form, look),
            summary,
            body,
            CompetentCard(state, form, look) if last else None,
            ft.Row(nav),
        ],
        key=f"form-step-{cur}",
    )
