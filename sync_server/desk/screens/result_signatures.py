"""The spouses sign the Giấy chứng nhận kết hôn at the desk, before the seal
(``sync_server/services/office/party_signing.py``; Luật Hộ tịch 2014, Điều 18 khoản 2).

One block per spouse, in the form's order: a drawing pad (a ``GestureDetector`` over a
canvas, as on the tablet's "Ký tờ khai" screen, of the certificate box's shape
``shared.signatures.PAD_ASPECT``) with "Lưu chữ ký" and "Ký lại"; "Đã ký trên bản giấy"
when the spouse signed the printed copy by hand; a thumbprint with the witness's name.
Shown to whoever may record it (``dossier.sign_result``) while the dossier is approved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import flet as ft
import flet.canvas as cv

from shared.catalogue import Procedure
from shared.day_text import day_text
from shared.issuing import result_parties
from shared.model import Dossier, HistoryEntry
from shared.permissions import Verb, can
from shared.signatures import PAD_ASPECT, SCALE, SigningParty, party_name
from shared.workdays import vn_now
from shared.workflow import Action, Status
from sync_server.desk.screens.common import ERROR, MUTED, OK, button, card, text
from sync_server.desk.state import DeskState

INK = "#102A8C"  # ballpoint blue, as drawn into the PDF
PAD_WIDTH = 540
Stroke = list[list[int]]


def _to_pad(x: float, y: float, width: float, height: float) -> list[int]:
    """A point on the pad (logical pixels) as thousandths of its width and height."""
    nx = round(min(max(x / width, 0.0), 1.0) * SCALE)
    ny = round(min(max(y / height, 0.0), 1.0) * SCALE)
    return [int(nx), int(ny)]


@ft.component
def Ink(ink: ft.MutableRef[list[Stroke]], repaint: ft.MutableRef[Any]) -> ft.Control:
    """The pad's canvas: only this redraws while a stroke is drawn."""
    _, redraw = ft.use_state(0)
    repaint.current = redraw
    width, height = PAD_WIDTH, int(PAD_WIDTH / PAD_ASPECT)
    sx, sy = width / SCALE, height / SCALE
    paint = ft.Paint(
        color=INK,
        stroke_width=3.0,
        style=ft.PaintingStyle.STROKE,
        stroke_cap=ft.StrokeCap.ROUND,
        stroke_join=ft.StrokeJoin.ROUND,
    )
    shapes: list[cv.Shape] = [
        cv.Line(width * 0.06, height * 0.8, width * 0.94, height * 0.8, paint=ft.Paint(color=MUTED))
    ]
    for stroke in ink.current:
        if len(stroke) == 1:
            shapes.append(cv.Circle(stroke[0][0] * sx, stroke[0][1] * sy, 2.5, paint=paint))
            continue
        pts: list[ft.Offset | tuple[float, float]] = [(x * sx, y * sy) for x, y in stroke]
        shapes.append(cv.Points(points=pts, point_mode=cv.PointMode.POLYGON, paint=paint))
    return cv.Canvas(shapes=shapes, width=width, height=height)


@ft.component
def PartyBlock(state: DeskState, party: SigningParty, name: str) -> ft.Control:
    """One spouse: the pad and the three ways to sign."""
    width, height = PAD_WIDTH, int(PAD_WIDTH / PAD_ASPECT)
    ink: ft.MutableRef[list[Stroke]] = ft.use_ref([])
    repaint: ft.MutableRef[Any] = ft.use_ref(None)
    witness = ft.use_ref("")

    def bump() -> None:
        if repaint.current is not None:
            repaint.current(lambda n: n + 1)

    def start(e: ft.DragStartEvent[Any]) -> None:
        p = e.local_position
        ink.current = [*ink.current, [_to_pad(p.x, p.y, width, height)]]
        bump()

    def move(e: ft.DragUpdateEvent[Any]) -> None:
        if not ink.current:
            return
        p = e.local_position
        point = _to_pad(p.x, p.y, width, height)
        if ink.current[-1] and ink.current[-1][-1] == point:
            return
        ink.current[-1].append(point)
        bump()

    def clear() -> None:
        ink.current = []
        bump()

    def typed(e: ft.Event[ft.TextField]) -> None:
        witness.current = e.control.value or ""

    async def save_drawn() -> None:
        await state.sign_result(party.party, "signature", [list(s) for s in ink.current])

    async def save_paper() -> None:
        await state.sign_result(party.party, "paper", [])

    async def save_thumb() -> None:
        await state.sign_result(party.party, "thumbprint", [], witness.current or "")

    label = f"{party.label_vi}: {name}"
    pad = ft.Container(
        content=ft.GestureDetector(
            content=Ink(ink, repaint),
            on_pan_start=start,
            on_pan_update=move,
            drag_interval=15,
            mouse_cursor=ft.MouseCursor.PRECISE,
        ),
        width=width + 4,
        height=height + 4,
        bgcolor="#FFFFFF",
        border=ft.Border.all(2, MUTED),
        border_radius=6,
    )
    busy = state.busy == f"sign:{party.party}"
    error = state.field_errors.get(f"sign:{party.party}")
    return ft.Column(
        [
            text(label, 17, bold=True),
            # Named for screen readers (and for the browser test to find the pad).
            ft.Semantics(
                content=pad,
                label=f"Khung ký: {party.label_vi.lower()}",
                container=True,
                image=True,
            ),
            *([text(error, 15, color=ERROR)] if error else []),
            ft.Row(
                [
                    button("Lưu chữ ký", save_drawn, icon=ft.Icons.DRAW, busy=busy),
                    button("Ký lại", clear, icon=ft.Icons.REFRESH, primary=False),
                    button(
                        "Đã ký trên bản giấy", save_paper, icon=ft.Icons.EDIT_NOTE, primary=False
                    ),
                ],
                wrap=True,
            ),
            ft.Row(
                [
                    ft.TextField(
                        label="Người làm chứng (khi điểm chỉ)", on_change=typed, width=320
                    ),
                    button("Điểm chỉ", save_thumb, icon=ft.Icons.FINGERPRINT, primary=False),
                ],
                wrap=True,
            ),
        ],
        spacing=8,
    )


def registered_day(history: Sequence[HistoryEntry]) -> str:
    """The day the certificate prints as its registration date: the approval's (ISO)."""
    approvals = [h.at for h in history if h.action == Action.APPROVE]
    return approvals[-1][:10] if approvals else ""


def result_signatures_card(
    state: DeskState, proc: Procedure | None, d: Dossier
) -> ft.Control | None:
    """The "Chữ ký của hai bên" card, or None when the result is not the people's to sign
    or not now (only an approved, not yet sealed certificate)."""
    user = state.user
    values = d.values
    if proc is None or user is None or d.status is not Status.APPROVED:
        return None
    parties = result_parties(proc)
    if not parties or not can(user, Verb.DOSSIER_SIGN_RESULT):
        return None
    rows: list[ft.Control] = [
        text(
            "Hai bên nam, nữ cùng ký vào Giấy chứng nhận kết hôn trước khi đóng dấu "
            "(Luật Hộ tịch 2014, Điều 18 khoản 2): ký trên màn hình, hoặc ghi nhận đã ký "
            "trên bản in.",
            15,
            color=MUTED,
        )
    ]
    # "Ngày, tháng, năm đăng ký kết hôn là ngày hai bên nam, nữ có mặt, ký vào Sổ đăng ký
    # kết hôn và Giấy chứng nhận kết hôn" (Thông tư 04/2020/TT-BTP, Điều 32).
    day = registered_day(d.history)
    if day:
        rows.append(
            text(
                f"Ngày đăng ký in trên giấy chứng nhận: {day_text(day)} — hai bên ký trong "
                "ngày này (Thông tư 04/2020/TT-BTP, Điều 32).",
                15,
            )
        )
        if day != vn_now().date().isoformat():
            rows.append(
                text(
                    f"Hôm nay không phải ngày {day_text(day)}: ngày đăng ký in trên giấy "
                    "chứng nhận phải là ngày hai bên ký.",
                    15,
                    bold=True,
                    color=ERROR,
                )
            )
    if state.opened.certificate_url:
        rows.append(
            ft.Row(
                [
                    button(
                        "In giấy chứng nhận để hai bên ký (PDF)",
                        None,
                        icon=ft.Icons.PRINT,
                        primary=False,
                        url=state.opened.certificate_url,
                    )
                ]
            )
        )
    for party in parties:
        name = party_name(party, values)
        if party.party in state.opened.result_signed:
            rows.append(text(f"{party.label_vi}: {name} — đã ký.", 17, bold=True, color=OK))
        else:
            rows.append(PartyBlock(state, party, name, key=f"sign-{party.party}"))  # type: ignore[call-arg]
    return card("Chữ ký của hai bên trên Giấy chứng nhận kết hôn", rows, key="result-signatures")
