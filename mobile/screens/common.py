"""Building blocks shared by the screens: the app bar, the sync bar, banners, buttons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import flet as ft

from mobile.i18n import lang_button, tr
from mobile.state.app import AppState
from mobile.state.fmt import when
from mobile.theme import NARROW_WIDTH, TEXT_LEVEL_NAMES, Look
from shared.workflow import role_label


def look_of(state: AppState) -> Look:
    return Look(
        text_level=state.text_level,
        high_contrast=state.high_contrast,
        narrow=state.width < NARROW_WIDTH,
        lang=state.lang,
    )


def text(
    value: str,
    look: Look,
    size: int | None = None,
    *,
    bold: bool = False,
    color: str | None = None,
    selectable: bool = False,
) -> ft.Text:
    return ft.Text(
        value,
        size=size or look.body,
        weight=ft.FontWeight.BOLD if bold else None,
        color=color or look.c.fg,
        selectable=selectable,
    )


def code_text(code: str, look: Look) -> ft.Text:
    """A dossier code in large type that breaks only after its hyphens.

    ``000.31.22.H20-261207-0001`` is longer than a phone's line; Flutter would cut it
    inside a run of digits ("…H20-2612 / 07-0001"), which is how a citizen copies it
    wrong. A zero-width space after each hyphen gives the line breaker its places;
    screen readers and tests read the plain code.
    """
    return ft.Text(
        code.replace("-", "-\u200b"),
        size=look.fs(28 if look.narrow else 34),
        weight=ft.FontWeight.BOLD,
        color=look.c.fg,
        semantics_label=code,
    )


def button(
    label: str,
    on_click: Callable[..., Any] | None,
    look: Look,
    *,
    icon: ft.IconData | None = None,
    primary: bool = True,
    busy: bool = False,
    disabled: bool = False,
    tooltip: str | None = None,
    expand: bool | int | None = None,
) -> ft.Control:
    """A big touch target (≥ 56 px tall). While ``busy`` it shows a ring and ignores taps.

    Its height comes from its padding, not a fixed height: a label that wraps (a long
    procedure name at "Rất lớn" on a phone) makes the button taller instead of being cut
    ("Chọn: Đăng ký khai tử" lost its second line in the screens tour)."""
    c = look.c
    content: ft.Control = (
        ft.Row(
            [
                ft.ProgressRing(
                    width=look.fs(20),
                    height=look.fs(20),
                    stroke_width=3,
                    color=c.on_primary if primary else c.primary,
                    semantics_label=tr(look.lang, "Đang xử lý"),
                ),
                ft.Text(label, size=look.fs(19)),
            ],
            tight=True,
            spacing=12,
        )
        if busy
        else ft.Text(label, size=look.fs(19))
    )
    # One line of text (≈ 1.2 × its size) plus this padding makes the touch height.
    vertical = max(12, round((look.touch - look.fs(19) * 1.2) / 2))
    style = ft.ButtonStyle(
        padding=ft.Padding.symmetric(horizontal=24, vertical=vertical),
        shape=ft.RoundedRectangleBorder(radius=10),
        side=ft.BorderSide(look.border_width + 1, c.primary) if not primary else None,
        icon_size=look.fs(22),  # left to Flutter, the icon shrank as the text grew
    )
    cls = ft.FilledButton if primary else ft.OutlinedButton
    return cls(
        content=content,
        icon=None if busy else icon,
        on_click=None if (busy or disabled) else on_click,
        disabled=disabled,
        style=style,
        tooltip=tooltip or label,
        expand=expand,
    )


def back_button(
    on_click: Callable[..., Any], look: Look, tooltip: str = "Quay lại", lang: str = "vi"
) -> ft.Control:
    """The one "Quay lại" button every screen uses, so it looks and reads the same."""
    return button(
        tr(lang, "Quay lại"),
        on_click,
        look,
        primary=False,
        icon=ft.Icons.ARROW_BACK,
        tooltip=tr(lang, tooltip),
    )


def card(title: str, controls: list[ft.Control], look: Look) -> ft.Control:
    return panel([text(title, look, look.fs(21), bold=True, color=look.c.primary), *controls], look)


def panel(parts: list[ft.Control], look: Look, key: str | None = None) -> ft.Control:
    """The framed white box every card and form section is drawn in."""
    c = look.c
    return ft.Container(
        content=ft.Column(parts, spacing=14, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        bgcolor=c.surface,
        border=ft.Border.all(look.border_width, c.border),
        border_radius=12,
        padding=ft.Padding.all(20),
        key=key,
    )


def search_field(
    value: str, on_change: Callable[[str], Any], look: Look, label: str, helper: str, key: str
) -> ft.Control:
    """A search box: a short label and the how-to as a helper that wraps (the whole
    sentence as the label overflowed a phone at "Rất lớn": a label is one line)."""
    c = look.c
    return StableTextField(
        value,
        on_change,
        label=label,
        helper=helper,
        helper_max_lines=3,
        helper_style=ft.TextStyle(size=look.small, color=c.muted),
        prefix_icon=ft.Icons.SEARCH,
        text_size=look.body,
        label_style=ft.TextStyle(size=look.body),
        border_color=c.border,
        border_width=look.border_width,
        key=key,
    )


def banner(state: AppState, look: Look) -> ft.Control | None:
    if not state.banner:
        return None
    c = look.c
    color = c.ok if state.banner_ok else c.error
    return ft.Container(
        content=ft.Row(
            [
                ft.Icon(
                    ft.Icons.INFO_OUTLINE if state.banner_ok else ft.Icons.ERROR_OUTLINE,
                    color=color,
                    size=look.fs(26),
                ),
                ft.Text(
                    state.banner,
                    size=look.body,
                    color=color,
                    expand=True,
                    weight=ft.FontWeight.W_600,
                ),
                ft.TextButton(
                    tr(state.lang, "Đóng"),
                    on_click=state.dismiss_banner,
                    tooltip=tr(state.lang, "Đóng thông báo"),
                ),
            ],
            spacing=12,
        ),
        bgcolor=c.surface,
        border=ft.Border.all(look.border_width + 1, color),
        border_radius=10,
        padding=ft.Padding.symmetric(horizontal=16, vertical=8),
        margin=ft.Margin.only(left=16, right=16, top=10),
    )


def _bar_button(
    label: str,
    icon: ft.IconData,
    on_click: Callable[..., Any],
    look: Look,
    tip: str,
    *,
    short: str = "",
    compact: bool = False,
) -> ft.Control:
    """An app-bar action: icon and words when there is room, the icon alone when
    ``compact`` (a phone, or extra-large text on a tablet); the tooltip still names it,
    for the screen reader and a long press. With ``short`` the compact form shows those
    few letters instead of the icon (the language switch: "EN"/"VI").

    A compact action is ``BAR_TOUCH`` wide whatever the text size: four actions at the
    extra-large touch size (90 px) left no room for the lock button on a phone."""
    c = look.c
    if compact and short:
        return ft.TextButton(
            content=ft.Text(
                short,
                color=c.bar_fg,
                size=min(look.fs(18), 24),
                weight=ft.FontWeight.BOLD,
                no_wrap=True,
                semantics_label=label,
            ),
            on_click=on_click,
            tooltip=tip,
            width=BAR_TOUCH,
            height=BAR_TOUCH,
            style=ft.ButtonStyle(padding=ft.Padding.all(0)),
        )
    if compact:
        return ft.IconButton(
            icon=ft.Icon(icon, color=c.bar_fg, size=min(look.fs(26), 32), semantics_label=label),
            tooltip=tip,
            on_click=on_click,
            width=BAR_TOUCH,
            height=BAR_TOUCH,
            style=ft.ButtonStyle(padding=ft.Padding.all(0)),
        )
    return ft.TextButton(
        content=ft.Row(
            [
                ft.Icon(icon, color=c.bar_fg, size=look.fs(22)),
                ft.Text(label, color=c.bar_fg, size=look.fs(17), no_wrap=True),
            ],
            tight=True,
            spacing=6,
        ),
        on_click=on_click,
        tooltip=tip,
        height=look.touch,
    )


# A compact app-bar action's side (px): above WCAG's 44 px target at every text size.
BAR_TOUCH = 52


def bar_is_compact(look: Look, width: float, labels: list[str], sub: str) -> bool:
    """Whether the app bar's actions must shrink to icons: on a phone, and on a tablet
    whenever their words would leave the unit/user line less than half the bar (at
    "Rất lớn" on a 1280 px tablet the line was cut to "Công ch…"). The widths are
    estimated from the text (about 0.58 em a letter in Roboto) — no layout pass exists
    on the server side to ask."""
    if look.narrow:
        return True
    em = 0.58
    actions = sum(len(t) * em * look.fs(17) + look.fs(22) + 6 + 24 for t in labels)
    room = width - 40 - actions - 4 * len(labels)
    needed = min(len(sub) * em * look.fs(15) / 2, width / 2)  # two lines of the sub line
    return room < needed


def top_bar(state: AppState, look: Look) -> ft.Control:
    """The app bar on every screen: who and where, plus the accessibility switches.

    On a phone the actions shrink to icons and the unit/user line goes under the title,
    so nothing wraps one letter per line; on a tablet at a large text size the actions
    shrink too when their words would squeeze the unit/user line (``bar_is_compact``)."""
    c = look.c
    who = ""
    if state.user:
        role = role_label(state.user.role, state.lang)
        who = f"{state.user.full_name or state.user.username} · {role}"
    lang = state.lang
    size_name = tr(lang, TEXT_LEVEL_NAMES[look.level])
    lang_label, lang_short, lang_tip = lang_button(lang)
    sub = " — ".join(x for x in (state.device.unit_name, who) if x)
    specs: list[tuple[str, ft.IconData, Callable[..., Any], str, str]] = [
        (
            tr(lang, "Chữ lớn: {size}", size=size_name),
            ft.Icons.FORMAT_SIZE,
            state.toggle_large_text,
            tr(lang, "Chữ lớn — cỡ chữ đang là {size}; bấm để đổi", size=size_name.lower()),
            "",
        ),
        (
            tr(lang, "Tương phản cao: bật" if state.high_contrast else "Tương phản cao"),
            ft.Icons.CONTRAST,
            state.toggle_high_contrast,
            tr(
                lang,
                "Tương phản cao (đen trên trắng) — đang bật"
                if state.high_contrast
                else "Tương phản cao (đen trên trắng)",
            ),
            "",
        ),
        (lang_label, ft.Icons.TRANSLATE, state.toggle_lang, lang_tip, lang_short),
    ]
    if state.user:
        locked = tr(lang, "Khoá máy")
        specs.append((locked, ft.Icons.LOCK, lambda: state.lock(), locked, ""))
    compact = bar_is_compact(look, state.width, [s[0] for s in specs], sub)
    actions: list[ft.Control] = [
        _bar_button(label, icon, fn, look, tip, short=short, compact=compact)
        for label, icon, fn, tip, short in specs
    ]
    title = ft.Text(
        "Tại Chỗ",
        size=min(look.fs(24), 30) if look.narrow else look.fs(24),
        weight=ft.FontWeight.BOLD,
        color=c.bar_fg,
        no_wrap=True,
    )
    sub_text = (
        ft.Text(
            sub,
            size=look.fs(15),
            color=c.bar_fg,
            max_lines=3,
            overflow=ft.TextOverflow.ELLIPSIS,
        )
        if sub
        else None
    )
    if look.narrow:
        rows: list[ft.Control] = [
            ft.Row(
                [ft.Container(content=title, expand=True), *actions],
                spacing=0,
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            )
        ]
        if sub_text:
            rows.append(sub_text)
        return ft.Container(
            content=ft.Column(rows, spacing=0),
            bgcolor=c.bar_bg,
            padding=ft.Padding.symmetric(horizontal=12, vertical=6),
        )
    return ft.Container(
        content=ft.Row(
            [
                ft.Column([title, *([sub_text] if sub_text else [])], spacing=0, expand=True),
                ft.Row(actions, spacing=4),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        bgcolor=c.bar_bg,
        padding=ft.Padding.symmetric(horizontal=20, vertical=8),
    )


def sync_bar(state: AppState, look: Look) -> ft.Control:
    """Always visible once enrolled: pending changes, last sync, last error, sync button."""
    c = look.c
    s = state.sync
    lang = state.lang
    pending = tr(lang, "Chờ gửi: {n}", n=s.pending)
    if s.inbox_waiting:
        pending += tr(lang, " · chờ mở: {n}", n=s.inbox_waiting)
    last = (
        tr(lang, "Đồng bộ lần cuối: {when}", when=when(s.last_sync_at))
        if s.last_sync_at
        else tr(lang, "Chưa đồng bộ lần nào")
    )
    # On a phone the strip keeps the "Lớn" size at "Rất lớn" and stacks its words beside
    # the button: wrapped at full size it took four lines of the first screen (the
    # screens tour, phone, "Rất lớn"); the page's own text still grows.
    if look.narrow:
        look = replace(look, text_level=min(look.level, 1))
    texts: list[ft.Control] = [
        ft.Text(pending, size=look.body, weight=ft.FontWeight.BOLD, color=c.fg),
        ft.Text(last, size=look.body, color=c.muted),
    ]
    if s.last_error:
        texts.append(
            ft.Text(
                tr(lang, "Lỗi: {error}", error=s.last_error),
                size=look.body,
                color=c.error,
                expand=not look.narrow,
                weight=ft.FontWeight.W_600,
            )
        )
    elif not look.narrow:
        texts.append(ft.Container(expand=True))
    sync = button(
        tr(lang, "Đồng bộ"),
        state.run_sync,
        look,
        icon=ft.Icons.SYNC,
        primary=False,
        busy=state.busy == "sync",
        disabled=bool(state.busy) and state.busy != "sync",
        tooltip=tr(lang, "Đồng bộ với máy chủ văn phòng"),
    )
    icon = ft.Icon(
        ft.Icons.CLOUD_DONE if not s.pending else ft.Icons.CLOUD_UPLOAD,
        color=c.ok if not s.pending else c.warn,
        size=look.fs(26),
    )
    parts: list[ft.Control] = (
        [icon, ft.Column(texts, spacing=0, expand=True, tight=True), sync]
        if look.narrow
        else [icon, *texts, sync]
    )
    row = ft.Row(
        parts,
        spacing=16 if not look.narrow else 8,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
    content: ft.Control = row
    if state.busy == "sync":
        words = state.sync.words or tr(lang, "Đang kết nối máy chủ văn phòng…")
        content = ft.Column(
            [
                row,
                ft.Text(words, size=look.small, color=c.fg),
                ft.ProgressBar(
                    value=state.sync.fraction,
                    color=c.primary,
                    bgcolor=c.border,
                    height=8,
                    semantics_label=words,
                ),
            ],
            spacing=4,
        )
    return ft.Container(
        content=content,
        bgcolor=c.surface,
        border=ft.Border.only(bottom=ft.BorderSide(look.border_width, c.border)),
        padding=ft.Padding.symmetric(horizontal=20, vertical=6),
    )


def page_body(
    controls: list[ft.Control | None], *, max_width: int = 1000, key: str | None = None
) -> ft.Control:
    """A scrolling, centred column for a screen's content, never wider than the window.

    A new ``key`` (the next form step, the next read-back section) starts the new content
    at the top instead of where the previous one was scrolled to.
    """
    try:
        window = ft.context.page.width
    except (RuntimeError, AttributeError):  # built outside a page (unit tests)
        window = None
    if window:
        max_width = min(max_width, int(window))
    return ft.Column(
        [
            ft.Container(
                content=ft.Column(
                    [x for x in controls if x is not None],
                    spacing=18,
                    horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
                ),
                width=max_width,
                padding=ft.Padding.symmetric(horizontal=12, vertical=12),
            )
        ],
        scroll=ft.ScrollMode.AUTO,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
        expand=True,
        key=key,
    )


@ft.component
def StableTextField(
    value: str, on_change: Callable[[str], Any], gen: int = 0, **props: Any
) -> ft.Control:
    """A TextField that keeps what is typed across re-renders of its parent.

    It is built with the value its live mirror holds (what the browser shows), never
    with an older one, so a re-render never sends stale text back (see screens/form.py).
    ``value`` is shown on the first draw and whenever ``gen`` changes (the app set it,
    e.g. from the PIN keypad).
    """
    live: ft.MutableRef[ft.TextField | None] = ft.use_ref(None)
    seen: ft.MutableRef[int] = ft.use_ref(gen)
    if live.current is not None and seen.current == gen:
        shown = live.current.value
    else:
        shown = value
        seen.current = gen
    field = ft.TextField(value=shown, on_change=lambda e: on_change(e.control.value), **props)
    live.current = field
    return field
