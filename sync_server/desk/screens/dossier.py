"""One dossier: its fields by section, the five-stage timeline, the actions with dialogs."""

from __future__ import annotations

from typing import Any, cast

import flet as ft

from shared.catalogue import Procedure
from shared.model import Dossier, HistoryEntry
from shared.signatures import signing_parties
from shared.views import HeldEdit
from shared.workflow import Role, action_label
from sync_server.desk import views
from sync_server.desk.screens import external_result as external
from sync_server.desk.screens.common import (
    ERROR,
    FG,
    MUTED,
    OK,
    PRIMARY,
    button,
    card,
    modal,
    page_body,
    text,
    with_modal,
)
from sync_server.desk.screens.lookups import lookups_card
from sync_server.desk.screens.result_signatures import result_signatures_card
from sync_server.desk.state import DeskState
from sync_server.services.office.actions import (
    PERSONAL_ID_FIELD,
    PERSONAL_ID_STATUSES,
    RATINGS,
)

CONFIRM = {
    "start_appraisal": "Bắt đầu thẩm định hồ sơ này?",
    "accept": "Hồ sơ đạt yêu cầu: chuyển lãnh đạo phê duyệt?",
    "approve": "Phê duyệt hồ sơ và chuyển văn thư đóng dấu?",
    "stamp": "Đóng dấu: cấp số vào sổ và phát hành kết quả (PDF có chữ ký số)?",
}
RATING_COLOURS = {"very_satisfied": "#1E6B35", "satisfied": "#0B4F8A", "unsatisfied": "#B3261E"}


@ft.component
def ActionDialog(
    state: DeskState, action: str, components: list[str], made_elsewhere: bool = False
) -> ft.Control:
    """The open action's dialog, portalled to the page; its inputs live in refs.
    ``made_elsewhere``: the procedure has no result layout, so "stamp" records the
    result issued elsewhere (screens/external_result.py)."""
    reason = ft.use_ref("")
    paper_number = ft.use_ref("")
    paper_day = ft.use_ref("")
    other = ft.use_ref("")
    comment = ft.use_ref("")
    missing, set_missing = ft.use_state(frozenset[str]())
    rating, set_rating = ft.use_state("")
    pdf, set_pdf = ft.use_state(cast("tuple[str, bytes] | None", None))
    busy = state.busy == action

    async def confirm() -> None:
        items = [c for c in components if c in missing]
        if (other.current or "").strip():
            items.append(other.current or "")
        await state.act(
            action,
            reason=reason.current or "",
            missing=items,
            rating=rating or None,
            comment=comment.current or "",
            paper=(paper_number.current or "", paper_day.current or "")
            if action == "stamp" and made_elsewhere and pdf is None
            else None,
            pdf=pdf[1] if action == "stamp" and made_elsewhere and pdf is not None else None,
        )

    def set_ref(ref: Any) -> Any:
        def handler(e: ft.Event[ft.TextField]) -> None:
            ref.current = e.control.value or ""

        return handler

    body: list[ft.Control] = []
    title = action_label(action)
    if action == "stamp" and made_elsewhere:
        body.append(text(external.STAMP_NOTE, 16))
        body += external.pdf_fields(pdf, set_pdf)
        if pdf is None:
            body += external.stamp_fields(paper_number, paper_day)
    elif action in CONFIRM:
        body.append(text(CONFIRM[action], 17))
    elif action == "request_supplement":
        body += [
            ft.TextField(
                label="Lý do yêu cầu bổ sung",
                value=reason.current or "",
                on_change=set_ref(reason),
                multiline=True,
                min_lines=2,
                autofocus=True,
            ),
            text("Giấy tờ cần bổ sung:", 16, bold=True),
            *[
                ft.Checkbox(
                    label=c,
                    value=c in missing,
                    on_change=lambda e, c=c: set_missing(
                        missing | {c} if e.control.value else missing - {c}
                    ),
                )
                for c in components
            ],
            ft.TextField(
                label="Giấy tờ khác cần bổ sung",
                value=other.current or "",
                on_change=set_ref(other),
            ),
        ]
    elif action == "refuse":
        body.append(
            ft.TextField(
                label="Lý do từ chối",
                value=reason.current or "",
                on_change=set_ref(reason),
                multiline=True,
                min_lines=2,
                autofocus=True,
            )
        )
    elif action == "return":
        body.append(text("Người dân đánh giá mức độ hài lòng:", 17, bold=True))
        choices: list[ft.Control] = []
        for key, label in RATINGS.items():
            chosen = rating == key
            colour = RATING_COLOURS[key]
            choices.append(
                (ft.FilledButton if chosen else ft.OutlinedButton)(
                    icon=ft.Icons.CHECK_CIRCLE if chosen else None,
                    content=ft.Text(
                        label,
                        size=20,
                        weight=ft.FontWeight.BOLD,
                        text_align=ft.TextAlign.CENTER,
                    ),
                    style=ft.ButtonStyle(
                        shape=ft.RoundedRectangleBorder(radius=12),
                        side=ft.BorderSide(3, colour),
                        bgcolor=colour if chosen else "#FFFFFF",
                        color="#FFFFFF" if chosen else colour,
                    ),
                    width=190,
                    height=90,
                    on_click=lambda _, k=key: set_rating("" if rating == k else k),
                    tooltip=label,
                    key=f"rating-{key}",
                )
            )
        body += [
            ft.Row(choices, spacing=12),
            ft.TextField(
                label="Ý kiến của người dân (không bắt buộc)",
                value=comment.current or "",
                on_change=set_ref(comment),
                multiline=True,
            ),
        ]
    if state.opened.dialog_error:
        body.append(text(state.opened.dialog_error, 15, color=ERROR))
    return modal(
        title,
        body,
        [
            ft.TextButton(
                content=ft.Text("Huỷ", size=16),
                on_click=lambda: state.opened.close_dialog(),
                tooltip="Huỷ",
            ),
            button(f"Xác nhận: {title}", confirm, busy=busy, icon=ft.Icons.CHECK),
        ],
    )


@ft.component
def PersonalIdCard(state: DeskState, current: str) -> ft.Control:
    """The appraiser enters the child's số định danh cá nhân, issued by the national
    civil-status system; the Giấy khai sinh prints it."""
    number = ft.use_ref(current)

    def on_change(e: ft.Event[ft.TextField]) -> None:
        number.current = e.control.value or ""

    async def save() -> None:
        await state.save_personal_id(number.current or "")

    return card(
        "Số định danh cá nhân của trẻ",
        [
            text(
                "Nhập số do Hệ thống hộ tịch điện tử cấp (12 chữ số) trước khi chuyển lãnh "
                "đạo phê duyệt; số này được in trên Giấy khai sinh.",
                15,
                color=MUTED,
            ),
            ft.TextField(
                label="Số định danh cá nhân của trẻ (12 chữ số)",
                value=number.current or "",
                on_change=on_change,
                on_submit=save,
                keyboard_type=ft.KeyboardType.NUMBER,
                # a mask, not max_length (whose "0/14" counter contradicted "12 chữ số");
                # spaces are allowed as people group the digits, and dropped on saving
                input_filter=ft.InputFilter(regex_string=r"^[0-9 ]{0,15}$"),
                error=state.field_errors.get(PERSONAL_ID_FIELD),
                autocorrect=False,
                enable_suggestions=False,
            ),
            ft.Row(
                [
                    button(
                        "Lưu số định danh",
                        save,
                        icon=ft.Icons.SAVE,
                        busy=state.busy == "personal_id",
                    )
                ]
            ),
        ],
        key="personal-id",
    )


def _field_rows(rows: list[tuple[str, str]]) -> list[ft.Control]:
    return [
        ft.Row(
            [
                ft.Container(text(label, 15, color=MUTED), width=300),
                ft.Text(value, size=16, expand=True),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
        for label, value in rows
    ]


THUMB = 160


def _photo_tile(item: dict[str, Any], label: str) -> ft.Control:
    """One photo: its thumbnail and a link to the full picture, or "chưa nhận ảnh"."""
    if not item.get("received"):
        return ft.Container(
            content=ft.Column(
                [
                    ft.Icon(ft.Icons.HOURGLASS_EMPTY, color=MUTED),
                    text("chưa nhận ảnh", 15, color=MUTED),
                ],
                horizontal_alignment=ft.CrossAxisAlignment.CENTER,
                alignment=ft.MainAxisAlignment.CENTER,
                spacing=4,
            ),
            width=THUMB,
            height=THUMB,
            border=ft.Border.all(1, MUTED),
            border_radius=8,
            tooltip="Máy tính bảng chưa gửi ảnh này; ảnh sẽ đến ở lần đồng bộ sau.",
        )
    return ft.Column(
        [
            ft.Container(
                content=ft.Image(
                    src=item["thumb"],
                    width=THUMB,
                    height=THUMB,
                    fit=ft.BoxFit.CONTAIN,
                    semantics_label=label,
                ),
                width=THUMB,
                height=THUMB,
                border_radius=8,
                url=item["url"],
                tooltip="Bấm để xem ảnh lớn",
            ),
            ft.TextButton(
                content=ft.Text("Xem ảnh lớn", size=15),
                icon=ft.Icons.OPEN_IN_NEW,
                url=item["url"],
                tooltip=f"Xem ảnh lớn: {label}",
            ),
        ],
        spacing=2,
        horizontal_alignment=ft.CrossAxisAlignment.CENTER,
    )


def _photos(photos: list[dict[str, Any]], names: dict[str, str]) -> ft.Control | None:
    """The photos of the documents, grouped by the catalogue component they show."""
    if not photos:
        return None
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in photos:
        groups.setdefault(item["component"], []).append(item)
    order = [c for c in names if c in groups] + [c for c in groups if c not in names]
    lines: list[ft.Control] = []
    for comp in order:
        name = names.get(comp, comp)
        items = groups[comp]
        waiting = sum(1 for i in items if not i.get("received"))
        head = f"{name} ({len(items)} ảnh" + (f", {waiting} chưa nhận)" if waiting else ")")
        tiles = [_photo_tile(i, f"Ảnh {n}: {name}") for n, i in enumerate(items, start=1)]
        lines += [text(head, 16, bold=True), ft.Row(tiles, wrap=True, spacing=12)]
    return card("Ảnh giấy tờ", lines, key="photos")


def _timeline(history: list[HistoryEntry]) -> ft.Control:
    lines: list[ft.Control] = []
    for i, stage in enumerate(views.timeline(history), start=1):
        mark = ft.Icon(
            ft.Icons.CHECK_CIRCLE if stage.done else ft.Icons.RADIO_BUTTON_UNCHECKED,
            color=OK if stage.done else MUTED,
        )
        steps: list[ft.Control] = [text(f"{i}. {stage.name}", 17, bold=True)]
        for s in stage.steps:
            steps.append(text(f"{s.at} — {s.label} — {s.who}", 15))
            if s.reason:
                steps.append(text(f"Lý do: {s.reason}", 15, color=ERROR))
        if stage.skipped:
            steps.append(text("Không thực hiện", 15, color=MUTED))
        elif not stage.done:
            steps.append(text("Chưa thực hiện", 15, color=MUTED))
        lines.append(ft.Row([mark, ft.Column(steps, spacing=2, expand=True)]))
    return card("Quá trình giải quyết (5 bước tại chỗ)", lines)


_MARK_VI = {
    "signature": "đã ký trên máy tính bảng",
    "thumbprint": "điểm chỉ",
    "paper": "ký tay trên tờ khai in",
}


def _signatures(d: Dossier, proc: Procedure | None) -> ft.Control | None:
    """Who signed the declaration (tờ khai) at intake, and how (docs/intake.md)."""
    if proc is None or not d.signatures:
        return None
    labels = {p.party: p.label_vi for p in signing_parties(proc)}
    lines = []
    for m in d.signatures:
        line = f"{labels.get(m.party, m.party)}: {_MARK_VI.get(m.kind, m.kind)}"
        if m.witness_name:
            line += f" (người làm chứng: {m.witness_name})"
        lines.append(text(f"{line} — {views.when(m.at)}", 16))
    lines.append(text("Tờ khai có các chữ ký: mục “Giấy tờ của hồ sơ” bên trên.", 14, color=MUTED))
    return card("Chữ ký trên tờ khai", lines)


def held_card(held: list[HeldEdit]) -> ft.Control | None:
    """The tablets' edits kept as conflicts: who sent them, on which version, and what
    they would change (handbook, "Conflicts": shown to staff, never dropped)."""
    if not held:
        return None
    lines: list[ft.Control] = [
        text(
            "Máy tính bảng đã sửa hồ sơ này trên một phiên bản cũ, sau khi văn phòng đã xử "
            "lý tiếp. Bản sửa được giữ lại, không áp dụng: nếu cần, tiếp nhận bổ sung theo "
            "quy trình.",
            15,
            color=MUTED,
        )
    ]
    for h in held:
        lines.append(
            text(
                f"{h.device_name or h.device_id} gửi lúc {views.when(h.created_at)}: sửa "
                f"trên phiên bản {h.base_version}, văn phòng đang ở phiên bản "
                f"{h.server_version}.",
                16,
                bold=True,
            )
        )
        rows = [
            (c.label, f"{c.office or '—'}, máy tính bảng sửa thành: {c.tablet or '—'}")
            for c in h.changes
        ]
        lines += _field_rows(rows) if rows else [text("Không đổi giá trị nào.", 15)]
    return card("Bản sửa bị giữ lại (xung đột)", lines, key="held")


def _papers(links: list[tuple[str, str]]) -> ft.Control | None:
    """Every paper of the dossier, each a short-lived link the browser opens as a PDF
    (to print or save), issue 21 §2."""
    if not links:
        return None
    return card(
        "Giấy tờ của hồ sơ",
        [
            text("Mở để in hoặc lưu (PDF). Liên kết có hiệu lực 5 phút.", 15, color=MUTED),
            ft.Row(
                [
                    button(label, None, icon=ft.Icons.PRINT, url=url, primary=False, tooltip=label)
                    for label, url in links
                ],
                wrap=True,
                spacing=10,
            ),
        ],
        key="papers",
    )


@ft.component
def DossierScreen(state: DeskState) -> ft.Control:
    view = state.opened.detail
    if view is None:
        # Leaving the dossier: this component may be re-rendered once more before the
        # root swaps it out. It must never raise: an exception in a render stops
        # Flet's update loop for the whole session (the page then ignores every click).
        return ft.Container()
    d, row = view.dossier, view.row
    catalogue = state.backend.station.catalogue
    proc = catalogue.get(d.procedure) if d.procedure in catalogue else None
    components = [c.name.vi for c in proc.components] if proc else []

    actions: list[ft.Control] = [
        button(
            action_label(a),
            lambda _, a=a: state.opened.open_dialog(a),
            icon=ft.Icons.ARROW_FORWARD,
            primary=a not in ("refuse", "request_supplement"),
            tooltip=action_label(a),
        )
        for a in row.allowed_actions
    ]
    head = card(
        row.code,
        [
            text(row.title, 22, bold=True),
            text(row.procedure_name, 16, color=MUTED),
            ft.Row(
                [
                    text(f"Trạng thái: {row.status_label}", 16, bold=True),
                    text(f"Tiếp nhận: {views.when(row.received_at)}", 16),
                    text(f"Hẹn trả: {views.when(row.due_at)}", 16),
                    text(
                        f"Người dân đã đọc lại và xác nhận: {views.when(d.read_back_at)}"
                        if d.read_back_at
                        else "Người dân chưa xác nhận đọc lại trên máy tính bảng",
                        16,
                        color=FG if d.read_back_at else MUTED,
                    ),
                ],
                spacing=30,
                wrap=True,
            ),
            ft.Row(actions, wrap=True, spacing=10)
            if actions
            else text("Vai trò của bạn không có thao tác nào ở bước này.", 15, color=MUTED),
        ],
    )
    result: ft.Control | None = None
    result_name = proc.result_name.vi if proc else "kết quả"
    if view.external_result is not None:
        result = external.result_card(view.external_result, result_name, state.opened.result_url)
    elif state.opened.result_url:
        result = card(
            "Kết quả",
            [
                text(f"Đã đóng dấu: {result_name} (PDF có chữ ký số).", 16),
                ft.Row(
                    [
                        button(
                            "Xem kết quả (PDF)",
                            None,
                            icon=ft.Icons.PICTURE_AS_PDF,
                            url=state.opened.result_url,
                            primary=False,
                        )
                    ]
                ),
            ],
        )
    rating = view.rating
    rated: ft.Control | None = None
    if rating is not None:
        lines = [text(f"Đánh giá: {rating.label}", 17, bold=True, color=PRIMARY)]
        if rating.comment:
            lines.append(text(f"Ý kiến: {rating.comment}", 16))
        rated = card("Mức độ hài lòng", lines)
    personal_id: ft.Control | None = None
    if (
        proc is not None
        and any(f.id == PERSONAL_ID_FIELD for f in proc.fields)
        and state.user is not None
        and state.user.role is Role.APPRAISER
        and d.status in PERSONAL_ID_STATUSES
    ):
        current = str(d.values.get(PERSONAL_ID_FIELD) or "")
        personal_id = PersonalIdCard(state, current, key=f"pid-{d.id}")  # type: ignore[call-arg]
    sections = [card(title, _field_rows(rows)) for title, rows in views.sections(d.values, proc)]
    signed = _signatures(d, proc)
    dialog = (
        ActionDialog(  # type: ignore[call-arg]
            state,
            state.opened.dialog,
            components,
            proc is not None and not proc.has_result_template,
            key=f"dlg-{state.opened.dialog}",
        )
        if state.opened.dialog
        else None
    )
    back = ft.OutlinedButton(
        content=ft.Text("Quay lại danh sách", size=15),
        icon=ft.Icons.ARROW_BACK,
        on_click=lambda: state.back_to_queue(),
        tooltip="Quay lại danh sách",
    )
    names = {c.id: c.name.vi for c in proc.components} if proc else {}
    photos = _photos(state.opened.photos, names)
    return with_modal(
        page_body(
            [
                ft.Row([back]),
                head,
                personal_id,
                result_signatures_card(state, proc, d),
                result,
                _papers(state.opened.paper_links),
                rated,
                signed,
                photos,
                lookups_card(state, state.opened.lookups),
                held_card(state.opened.held),
                _timeline(d.history),
                *sections,
            ]
        ),
        dialog,
    )
