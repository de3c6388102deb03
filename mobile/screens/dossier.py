"""Large-print preview, receipt and dossier detail screens."""

from __future__ import annotations

import flet as ft

from mobile.i18n import tr
from mobile.screens.checklist import missing_box
from mobile.screens.common import back_button, button, card, code_text, look_of, page_body, text
from mobile.screens.papers import papers_card
from mobile.state.app import AppState
from mobile.state.base import ROUTE_HOME
from mobile.state.fmt import (
    due_text,
    history_line,
    supplement_reason,
    timeline,
    when,
)
from mobile.state.form import FormState
from shared.day_text import day_text
from shared.errors import TaiChoError
from shared.workflow import status_label

READ_HINT = (
    "Khi ông/bà đã đọc hết và thấy đúng, bấm “Xác nhận”. Nếu có chỗ sai, bấm "
    "“Phần trước” hoặc “Sửa lại”."
)


@ft.component
def PreviewScreen(state: AppState, form: FormState) -> ft.Control:
    """The read-back: what the citizen reads before the dossier is received.

    One section per screen, in print twice the size of the form's text, black on white;
    the last screen asks the citizen to confirm ("Xác nhận"), and only then is the
    dossier offered for saving — the confirmation travels with the dossier.
    """
    look = look_of(state)
    c = look.c
    sections = form.preview()
    n = len(sections)
    page = min(form.read_page, max(0, n - 1))
    section = sections[page] if sections else None
    rows: list[ft.Control] = []
    for row in section.rows if section else ():
        rows.append(
            ft.Column(
                [
                    ft.Text(row.label, size=look.print_label, color="#333333"),
                    ft.Text(
                        row.value, size=look.print_value, weight=ft.FontWeight.BOLD, color="#000000"
                    ),
                ],
                spacing=2,
            )
        )
    block = ft.Container(
        content=ft.Column(
            [
                ft.Text(
                    section.title.upper() if section else "",
                    size=look.print_label,
                    weight=ft.FontWeight.BOLD,
                    color="#000000",
                ),
                *rows,
            ],
            spacing=16,
        ),
        bgcolor="#FFFFFF",
        border=ft.Border.all(look.border_width + 2, "#000000"),
        border_radius=8,
        padding=ft.Padding.all(24),
        key=f"read-{page}",
    )
    last = page >= n - 1
    confirmed = bool(form.read_back_at)
    checklist = form.checklist()
    nav: list[ft.Control] = [
        button(
            tr(state.lang, "Phần trước") if page > 0 else tr(state.lang, "Sửa lại"),
            (lambda: state.read_page(page - 1)) if page > 0 else state.back_to_form,
            look,
            primary=False,
            icon=ft.Icons.ARROW_BACK if page > 0 else ft.Icons.EDIT,
        ),
        ft.Container(expand=True),
    ]
    if not last:
        nav.append(
            button(
                tr(state.lang, "Phần tiếp"),
                lambda: state.read_page(page + 1),
                look,
                icon=ft.Icons.ARROW_FORWARD,
            )
        )
    elif not confirmed:
        nav.append(
            button(
                tr(state.lang, "Xác nhận: thông tin đúng"),
                state.confirm_read,
                look,
                icon=ft.Icons.TASK_ALT,
                tooltip=tr(state.lang, "Người dân đã đọc lại toàn bộ và xác nhận thông tin đúng"),
            )
        )
    elif not checklist.complete:
        # Only a complete dossier is received: back to the checklist (photo, tick) or
        # hand the citizen the supplement request there.
        nav.append(
            button(
                tr(state.lang, "Về thành phần hồ sơ"),
                state.back_to_checklist,
                look,
                icon=ft.Icons.CHECKLIST,
            )
        )
    else:
        nav.append(  # the declaration is signed next (screens/sign.py), then received
            button(
                tr(state.lang, "Tiếp: ký tờ khai"), state.start_signing, look, icon=ft.Icons.DRAW
            )
        )
    note: ft.Control | None = None
    if last and confirmed and not checklist.complete:
        note = missing_box(checklist, look, form.lang)
    elif last and confirmed:
        note = text(
            tr(state.lang, "Người dân đã xác nhận lúc {when}.", when=when(form.read_back_at)),
            look,
            look.print_label,
            bold=True,
            color=c.ok,
        )
    elif last:
        note = text(
            tr(state.lang, READ_HINT),
            look,
            look.print_label,
            color=c.fg,
        )
    return page_body(
        [
            ft.Text(
                tr(state.lang, "Xin ông/bà đọc lại thông tin"),
                size=look.fs(32),
                weight=ft.FontWeight.BOLD,
                color=c.fg,
            ),
            ft.Text(
                form.procedure.name.get(form.lang)
                + tr(state.lang, " — phần {i}/{n}", i=page + 1, n=max(n, 1)),
                size=look.print_label,
                color=c.fg,
                semantics_label=tr(
                    state.lang, "Đọc lại phần {i} trên {n}", i=page + 1, n=max(n, 1)
                ),
            ),
            ft.ProgressBar(
                value=(page + 1) / max(1, n),
                color=c.primary,
                bgcolor=c.border,
                height=8,
            ),
            block,
            note,
            ft.Row(nav),
            *(
                [
                    button(
                        tr(state.lang, "Sửa lại"),
                        state.back_to_form,
                        look,
                        primary=False,
                        icon=ft.Icons.EDIT,
                    )
                ]
                if page > 0
                else []
            ),
        ],
        key=f"read-page-{page}",
    )


@ft.component
def ReceiptScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    r = state.receipt
    if r is None:
        return page_body(
            [button(tr(state.lang, "Về trang chính"), lambda: state.go(ROUTE_HOME), look)]
        )
    try:  # each procedure names its own subject (its file's "subject")
        subject = state.service.dossiers.procedure(r.procedure).subject_label(state.lang)
    except TaiChoError:  # a procedure this app version does not know
        subject = tr(state.lang, "Hồ sơ")
    return page_body(
        [
            ft.Row(
                [
                    ft.Icon(ft.Icons.CHECK_CIRCLE, color=look.c.ok, size=look.fs(44)),
                    ft.Container(  # wraps: at "Lớn" on a phone the heading ran off the edge
                        content=text(
                            tr(state.lang, "Đã tiếp nhận hồ sơ"),
                            look,
                            look.fs(30),
                            bold=True,
                            color=look.c.ok,
                        ),
                        expand=True,
                    ),
                ]
            ),
            card(
                tr(state.lang, "Giấy tiếp nhận"),
                [
                    text(tr(state.lang, "Mã hồ sơ"), look, look.print_label, color=look.c.muted),
                    code_text(r.code, look),
                    text(f"{subject}: {r.title}", look),
                    text(tr(state.lang, "Nhận lúc: {when}", when=when(r.received_at)), look),
                    text(
                        tr(
                            state.lang, "Hạn trả kết quả: {due}", due=due_text(r.due_at, state.lang)
                        ),
                        look,
                        look.fs(24),
                        bold=True,
                    ),
                    text(
                        tr(state.lang, "Trạng thái: {s}", s=status_label(r.status, state.lang)),
                        look,
                    ),
                ],
                look,
            ),
            papers_card(state, r.id, r.code, look),
            button(
                tr(state.lang, "Về trang chính"),
                lambda: state.go(ROUTE_HOME),
                look,
                icon=ft.Icons.HOME,
            ),
        ],
        max_width=800,
    )


@ft.component
def DossierScreen(state: AppState) -> ft.Control:
    look = look_of(state)
    c = look.c
    d = state.shown.detail
    back = back_button(lambda: state.go(ROUTE_HOME), look, "Quay lại danh sách", lang=state.lang)
    if not d or "code" not in d:
        return page_body([back])
    try:
        proc = state.service.dossiers.procedure(d["procedure"])
        title = str(d["values"].get(proc.title_field, ""))
        proc_name = proc.name.get(state.lang)
    except TaiChoError:  # a procedure this app version does not know
        title, proc_name = "", d.get("procedure", "")
    history: list[ft.Control] = [
        text(history_line(h, state.lang), look, look.small) for h in d.get("history", [])
    ]

    result: list[ft.Control] = []
    if d.get("has_result"):
        # Printed or shared with the other papers ("Giấy tờ" below the status).
        result = [text(state.shown.result_info, look, bold=True, color=c.ok)]
        for n, png in enumerate(state.shown.result_images, start=1):
            result.append(
                ft.Container(
                    content=ft.Image(
                        src=png,
                        fit=ft.BoxFit.CONTAIN,
                        semantics_label=tr(state.lang, "Trang {n} của kết quả", n=n),
                    ),
                    border=ft.Border.all(look.border_width, c.border),
                    bgcolor="#FFFFFF",
                    padding=ft.Padding.all(4),
                )
            )
    elif d.get("paper_result"):
        # A result issued on paper by another system (docs/catalogue.md): its number and
        # date as the clerk recorded them at "stamp".
        paper = d["paper_result"]
        result = [
            text(
                tr(
                    state.lang,
                    "Kết quả bản giấy số {number}, ký ngày {day}: nhận tại bộ phận một cửa.",
                    number=paper["number"],
                    day=day_text(paper["issued_on"]),
                ),
                look,
                bold=True,
                color=c.ok,
            )
        ]
    else:
        result = [text(tr(state.lang, "Chưa có kết quả."), look, color=c.muted)]
    hist = list(d.get("history", []))
    stages: list[ft.Control] = []
    for st in timeline(hist, state.lang):
        lines: list[ft.Control] = [
            text(st.name, look, look.fs(20), bold=True, color=c.fg if st.done else c.muted)
        ]
        for step in st.steps:
            lines.append(text(f"{step.at} — {step.action} — {step.who}", look))
            if step.reason:
                lines.append(text(tr(state.lang, "Lý do: {why}", why=step.reason), look, bold=True))
        if st.skipped:
            lines.append(text(tr(state.lang, "Không thực hiện"), look, color=c.muted))
        stages.append(
            ft.Row(
                [
                    ft.Icon(
                        ft.Icons.CHECK_CIRCLE if st.done else ft.Icons.RADIO_BUTTON_UNCHECKED,
                        color=c.ok if st.done else c.muted,
                        size=look.fs(28),
                    ),
                    ft.Column(lines, spacing=2, expand=True),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        )
    supplement: ft.Control | None = None
    if d["status"] == "supplement_requested":
        supplement = ft.Container(
            content=ft.Column(
                [
                    text(
                        tr(state.lang, "Văn phòng yêu cầu bổ sung hồ sơ"),
                        look,
                        look.fs(24),
                        bold=True,
                        color=c.error,
                    ),
                    text(
                        tr(
                            state.lang,
                            "Lý do: {why}",
                            why=supplement_reason(hist) or tr(state.lang, "(không ghi lý do)"),
                        ),
                        look,
                        look.fs(21),
                        bold=True,
                    ),
                    button(
                        tr(state.lang, "Bổ sung hồ sơ"),
                        state.start_supplement,
                        look,
                        icon=ft.Icons.EDIT_DOCUMENT,
                        tooltip=tr(state.lang, "Bổ sung hồ sơ: sửa và gửi lại"),
                    ),
                ],
                spacing=10,
            ),
            border=ft.Border.all(look.border_width + 2, c.error),
            border_radius=10,
            padding=ft.Padding.all(18),
            bgcolor=c.surface,
        )
    problem_box = None
    if d.get("sync_problem"):
        problem_box = text(
            tr(
                state.lang,
                "Máy chủ không nhận hồ sơ này: {why}",
                why=d["sync_problem"].get("message", ""),
            ),
            look,
            bold=True,
            color=c.error,
        )
    status_lines: list[ft.Control] = [
        text(status_label(d["status"], state.lang), look, look.fs(26), bold=True, color=c.primary),
        text(tr(state.lang, "Hạn trả: {due}", due=due_text(d.get("due_at"), state.lang)), look),
    ]
    if problem_box:
        status_lines.append(problem_box)
    return page_body(
        [
            ft.Row([back]),
            text(title or tr(state.lang, "(không tên)"), look, look.fs(28), bold=True),
            text(
                tr(state.lang, "{name} · mã hồ sơ {code}", name=proc_name, code=d["code"]),
                look,
                color=c.muted,
            ),
            supplement,
            card(tr(state.lang, "Trạng thái"), status_lines, look),
            papers_card(state, d["id"], d["code"], look),
            card(tr(state.lang, "Tiến trình"), stages, look),
            card(tr(state.lang, "Kết quả"), result, look),
            card(
                tr(state.lang, "Quá trình xử lý"),
                history or [text(tr(state.lang, "—"), look)],
                look,
            ),
        ]
    )
