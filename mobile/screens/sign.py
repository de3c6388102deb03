"""The "Ký tờ khai" screen: each signing party signs the declaration on a drawing pad,
or gives a thumbprint with a witness, or signs the printed copy ("Ký trên giấy").

The pad is a ``GestureDetector`` (pan start / update / end) over a ``flet.canvas.Canvas``
that draws each stroke as a polyline (``Points`` in polygon mode). The ink lives in the
pad component (a ref, redrawn by a counter) so a stroke in progress re-renders the pad
only; each lifted stroke is handed to the state as the party's signature so far. Points
are kept as thousandths of the pad's size (``mobile.state.signing.to_pad``); the pad has
the declaration's signature-box shape (``shared.signatures.PAD_ASPECT``).
"""

from __future__ import annotations

from typing import Any

import flet as ft
import flet.canvas as cv

from mobile.i18n import tr
from mobile.screens.common import StableTextField, button, look_of, page_body, text
from mobile.state.app import AppState
from mobile.state.form import FormState
from mobile.state.parts import SigningState
from mobile.state.signing import Stroke, to_pad
from mobile.theme import Look
from shared.signatures import PAD_ASPECT, SCALE, SignatureMark, SigningParty, party_name

INK = "#102A8C"  # ballpoint blue, as drawn into the PDF
_KIND_VI = {
    "signature": "Đã ký trên màn hình",
    "thumbprint": "Điểm chỉ",
    "paper": "Sẽ ký trên bản in (giấy)",
}


THUMB_HINT = (
    "Người dân không ký được: điểm chỉ (ngón trỏ phải) vào ô trên bản in, trước mặt "
    "người làm chứng."
)
PREFILLED = "{name} — tờ khai đã điền sẵn theo thông tin ông/bà vừa xác nhận."


def _party_label(party: SigningParty, lang: str) -> str:
    return party.label_vi if lang == "vi" else party.label_en


def _pad_width(state: AppState) -> int:
    return int(max(280, min(state.width - 80, 720)))


def _now(fn: Any, *args: Any) -> Any:
    """A click handler taking no parameter (Flet passes its event to a one-parameter
    handler, see ``_call`` in screens/form.py)."""
    return lambda: fn(*args)


@ft.component
def Ink(
    ink: ft.MutableRef[list[Stroke]],
    repaint: ft.MutableRef[Any],
    width: int,
    height: int,
    look: Look,
) -> ft.Control:
    """The pad's canvas: only this redraws while a stroke is drawn (``repaint``)."""
    _, redraw = ft.use_state(0)
    repaint.current = redraw
    sx, sy = width / SCALE, height / SCALE
    colour = INK if not look.high_contrast else "#000000"
    paint = ft.Paint(
        color=colour,
        stroke_width=3.5,
        style=ft.PaintingStyle.STROKE,
        stroke_cap=ft.StrokeCap.ROUND,
        stroke_join=ft.StrokeJoin.ROUND,
    )
    shapes: list[cv.Shape] = [
        # the signing line, as on paper
        cv.Line(
            width * 0.06,
            height * 0.8,
            width * 0.94,
            height * 0.8,
            paint=ft.Paint(color=look.c.border, stroke_width=2),
        )
    ]
    for stroke in ink.current:
        if len(stroke) == 1:
            x0, y0 = stroke[0][0] * sx, stroke[0][1] * sy
            shapes.append(cv.Circle(x0, y0, 2.5, paint=ft.Paint(color=colour)))
            continue
        pts: list[ft.Offset | tuple[float, float]] = [(x * sx, y * sy) for x, y in stroke]
        shapes.append(cv.Points(points=pts, point_mode=cv.PointMode.POLYGON, paint=paint))
    return cv.Canvas(shapes=shapes, width=width, height=height)


@ft.component
def SignaturePad(
    state: AppState, party: SigningParty, look: Look, width: int, initial: list[Stroke]
) -> ft.Control:
    """The drawing pad of one party: strokes of the finger (or mouse) in ink.

    The gesture detector itself is never rebuilt while drawing (only the ``Ink`` canvas
    inside it is): a detector rebuilt mid-drag loses the drag's end, and the end is when
    the stroke is handed to the state.
    """
    height = int(width / PAD_ASPECT)
    ink: ft.MutableRef[list[Stroke]] = ft.use_ref([[list(p) for p in s] for s in initial])
    repaint: ft.MutableRef[Any] = ft.use_ref(None)
    c = look.c

    def bump() -> None:
        if repaint.current is not None:
            repaint.current(lambda n: n + 1)

    def start(e: ft.DragStartEvent[Any]) -> None:
        p = e.local_position
        ink.current = [*ink.current, [to_pad(p.x, p.y, width, height)]]
        bump()

    def move(e: ft.DragUpdateEvent[Any]) -> None:
        if not ink.current:
            return
        p = e.local_position
        point = to_pad(p.x, p.y, width, height)
        stroke = ink.current[-1]
        if stroke and stroke[-1] == point:
            return
        stroke.append(point)
        bump()

    def end() -> None:
        state.sign_strokes(party.party, ink.current)

    pad = ft.Container(
        content=ft.GestureDetector(
            content=Ink(ink, repaint, width, height, look),
            on_pan_start=start,
            on_pan_update=move,
            on_pan_end=lambda _: end(),
            on_pan_cancel=lambda _: end(),
            drag_interval=15,
            mouse_cursor=ft.MouseCursor.PRECISE,
        ),
        width=width + 2 * look.border_width,
        height=height + 2 * look.border_width,
        bgcolor="#FFFFFF",
        border=ft.Border.all(look.border_width + 1, c.fg if look.high_contrast else c.border),
        border_radius=6,
    )
    # Named for screen readers (and for the browser test to find the pad).
    return ft.Semantics(
        content=pad,
        label=tr(state.lang, "Khung ký: {who}", who=_party_label(party, state.lang).lower()),
        container=True,
        image=True,
    )


@ft.component
def WitnessBox(state: AppState, party: SigningParty, look: Look) -> ft.Control:
    """The witness's name for a thumbprint (the citizen cannot sign)."""
    name: ft.MutableRef[str] = ft.use_ref("")

    def set_name(value: str) -> None:
        name.current = value

    def done() -> None:
        state.sign_thumbprint(party.party, name.current or "")

    return ft.Column(
        [
            text(tr(state.lang, THUMB_HINT), look),
            StableTextField(
                "",
                set_name,
                0,
                label=tr(state.lang, "Họ, chữ đệm, tên người làm chứng"),
                on_submit=lambda _: done(),
                text_size=look.body,
                autofocus=True,
                key=f"witness-{party.party}",
            ),
            ft.Row(
                [
                    button(tr(state.lang, "Lưu điểm chỉ"), done, look, icon=ft.Icons.FINGERPRINT),
                    button(
                        tr(state.lang, "Huỷ"),
                        _now(state.clear_mark, party.party),
                        look,
                        primary=False,
                        icon=ft.Icons.CLOSE,
                    ),
                ],
                wrap=True,
            ),
        ],
        spacing=10,
    )


def _done(words: str, look: Look, size: int) -> ft.Control:
    """A mark taken: a tick icon (the app font has no ✓ glyph) and what was given."""
    return ft.Row(
        [
            ft.Icon(ft.Icons.CHECK_CIRCLE, color=look.c.ok, size=size + 4),
            text(words, look, size, bold=True, color=look.c.ok),
        ],
        spacing=8,
    )


def _party_block(
    state: AppState, s: SigningState, form: FormState, party: SigningParty, look: Look
) -> ft.Control:
    c = look.c
    mark: SignatureMark | None = s.marks.get(party.party)
    name = party_name(party, form.values_for_check())
    parts: list[ft.Control] = [
        # one language at a time: "Người yêu cầu", or "Requester" in English
        text(_party_label(party, state.lang), look, look.fs(22), bold=True, color=c.primary),
        text(name or "—", look, look.print_value, bold=True),
    ]
    if mark is not None and mark.kind != "signature":
        parts.append(_done(tr(state.lang, _KIND_VI[mark.kind]), look, look.print_label))
        if mark.kind == "thumbprint":
            parts.append(
                text(tr(state.lang, "Người làm chứng: {name}", name=mark.witness_name), look)
            )
    elif s.witness_for == party.party:
        parts.append(WitnessBox(state, party, look, key=f"wbox-{party.party}-{s.generation}"))  # type: ignore[call-arg]
    else:
        parts.append(
            text(
                tr(state.lang, "Xin ký vào khung dưới đây (dùng ngón tay hoặc bút)."),
                look,
                color=c.fg,
            )
        )
        parts.append(
            ft.Row(
                [
                    SignaturePad(  # type: ignore[call-arg]
                        state,
                        party,
                        look,
                        _pad_width(state),
                        mark.strokes if mark is not None else [],
                        key=f"pad-{party.party}-{s.generation}-{_pad_width(state)}",
                    )
                ],
                alignment=ft.MainAxisAlignment.CENTER,
            )
        )
        if mark is not None:
            parts.append(_done(tr(state.lang, _KIND_VI["signature"]), look, look.body))
    actions: list[ft.Control] = [
        button(
            tr(state.lang, "Ký lại"),
            _now(state.clear_mark, party.party),
            look,
            primary=False,
            icon=ft.Icons.REFRESH,
            tooltip=tr(
                state.lang,
                "Xoá và ký lại ({who})",
                who=_party_label(party, state.lang).lower(),
            ),
        )
    ]
    if s.witness_for != party.party and (mark is None or mark.kind == "signature"):
        actions += [
            button(
                tr(state.lang, "Điểm chỉ"),
                _now(state.ask_witness, party.party),
                look,
                primary=False,
                icon=ft.Icons.FINGERPRINT,
                tooltip=tr(state.lang, "Người dân không ký được: điểm chỉ, có người làm chứng"),
            ),
            button(
                tr(state.lang, "Ký trên giấy"),
                _now(state.sign_on_paper, party.party),
                look,
                primary=False,
                icon=ft.Icons.PRINT,
                tooltip=tr(state.lang, "Ký tay trên tờ khai in ra"),
            ),
        ]
    parts.append(ft.Row(actions, wrap=True, spacing=10, run_spacing=10))
    return ft.Container(
        content=ft.Column(parts, spacing=10),
        bgcolor=c.surface,
        border=ft.Border.all(look.border_width + (1 if mark is None else 0), c.border),
        border_radius=10,
        padding=ft.Padding.all(16),
        key=f"sign-{party.party}",
    )


@ft.component
def SignScreen(state: AppState, form: FormState) -> ft.Control:
    """Ký tờ khai: a block per signing party, "Xem tờ khai", then receive the dossier."""
    if state.signing is None:
        return page_body([text(tr(state.lang, "Chưa xác nhận phần đọc lại."), look_of(state))])
    # The signing state is handed on as a prop: a component redraws when an observable
    # it was given changes (a mark taken), not when one merely read off ``state`` does.
    return SignBody(state, form, state.signing)


@ft.component
def SignBody(state: AppState, form: FormState, s: SigningState) -> ft.Control:
    look = look_of(state)
    c = look.c
    missing = s.missing()

    async def show_declaration() -> None:
        got = await state.declaration_bytes()
        if got is None:
            return
        name, pdf = got
        # In the browser this is a download; on a device, the system's save/share sheet.
        picker = ft.FilePicker()
        await picker.save_file(
            dialog_title=tr(state.lang, "Lưu tờ khai"), file_name=name, src_bytes=pdf
        )
        state.declaration_sent(name)

    done = not missing and not s.on_paper()
    status = text(
        s.status(state.lang),
        look,
        look.print_label,
        bold=done,
        color=c.ok if done else c.fg,
    )
    return page_body(
        [
            ft.Text(
                tr(state.lang, "Ký tờ khai"),
                size=look.fs(32),
                weight=ft.FontWeight.BOLD,
                color=c.fg,
            ),
            text(
                tr(state.lang, PREFILLED, name=form.procedure.name.get(form.lang)),
                look,
                look.print_label,
            ),
            button(
                tr(state.lang, "Xem tờ khai (PDF)"),
                show_declaration,
                look,
                primary=False,
                icon=ft.Icons.PICTURE_AS_PDF,
                busy=state.busy == "declaration",
                tooltip=tr(state.lang, "Xem, in tờ khai"),
            ),
            *[_party_block(state, s, form, p, look) for p in s.parties],
            text(s.error, look, bold=True, color=c.error) if s.error else None,
            status,
            ft.Row(
                [
                    button(
                        tr(state.lang, "Đọc lại"),
                        state.back_to_read,
                        look,
                        primary=False,
                        icon=ft.Icons.ARROW_BACK,
                    ),
                    ft.Container(expand=True),
                    button(
                        tr(state.lang, "Gửi bổ sung hồ sơ")
                        if form.supplement_of
                        else tr(state.lang, "Lưu – tiếp nhận hồ sơ"),
                        state.save,
                        look,
                        icon=ft.Icons.SAVE,
                        busy=state.busy == "intake",
                        disabled=bool(missing),
                    ),
                ],
            ),
        ],
        key="sign",
    )
