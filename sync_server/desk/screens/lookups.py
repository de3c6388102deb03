"""The lookup step on the desk's dossier page (shared.lookups): each paper the office now
looks up instead of asking for, what was recorded, and the verifications still open."""

from __future__ import annotations

import flet as ft

from shared.lookups import DATABASES, RESULTS, LookupNeed, LookupRecord
from shared.permissions import Verb, can
from shared.views import LookupsView
from sync_server.desk.screens.common import ERROR, MUTED, OK, button, card, text
from sync_server.desk.state import DeskState

_RESULT_OPTIONS = [ft.DropdownOption(key=k, text=vi) for k, (vi, _) in RESULTS.items()]


@ft.component
def LookupForm(state: DeskState, needs: list[LookupNeed]) -> ft.Control:
    """Record one lookup: which one (of those not yet found), which database, the result,
    a note (required unless found) — one compact form for all of them."""
    key = ft.use_ref(needs[0].key)
    database = ft.use_ref(needs[0].databases[0])
    result = ft.use_ref("found")
    note = ft.use_ref("")

    def pick_need(e: ft.Event[ft.Dropdown]) -> None:
        key.current = str(e.control.value or "")

    def pick_db(e: ft.Event[ft.Dropdown]) -> None:
        database.current = str(e.control.value or "")

    def pick_result(e: ft.Event[ft.Dropdown]) -> None:
        result.current = str(e.control.value or "")

    def typed(e: ft.Event[ft.TextField]) -> None:
        note.current = e.control.value or ""

    async def save() -> None:
        await state.record_lookup(
            key.current or "", database.current or "", result.current or "", note.current or ""
        )

    need_options = [ft.DropdownOption(key=n.key, text=n.what) for n in needs]
    used = list(dict.fromkeys(d for n in needs for d in n.databases))
    db_options = [ft.DropdownOption(key=d, text=DATABASES[d][0]) for d in used]
    errors = [state.field_errors.get(f"lookup:{n.key}") for n in needs]
    return ft.Column(
        [
            ft.Dropdown(
                value=key.current,
                options=need_options,
                on_select=pick_need,
                label="Việc tra cứu",
                width=780,
            ),
            ft.Row(
                [
                    ft.Dropdown(
                        value=database.current,
                        options=db_options,
                        on_select=pick_db,
                        label="Tra cứu trên",
                        width=380,
                    ),
                    ft.Dropdown(
                        value=result.current,
                        options=_RESULT_OPTIONS,
                        on_select=pick_result,
                        label="Kết quả",
                        width=380,
                    ),
                ],
                wrap=True,
            ),
            ft.TextField(
                label="Ghi chú (bắt buộc khi không có hoặc không khớp thông tin)",
                on_change=typed,
                max_length=500,
                error=next((e for e in errors if e), None),
            ),
            ft.Row(
                [
                    button(
                        "Ghi kết quả tra cứu",
                        save,
                        icon=ft.Icons.MANAGE_SEARCH,
                        busy=state.busy.startswith("lookup:"),
                    )
                ]
            ),
        ],
        spacing=8,
    )


@ft.component
def CloseForm(state: DeskState, record: LookupRecord) -> ft.Control:
    """Close an open verification with its outcome."""
    lookup_id = record.id
    note = ft.use_ref("")

    def typed(e: ft.Event[ft.TextField]) -> None:
        note.current = e.control.value or ""

    async def save() -> None:
        await state.close_verification(lookup_id, note.current or "")

    return ft.Column(
        [
            ft.TextField(
                label="Kết quả xác minh",
                on_change=typed,
                max_length=500,
                error=state.field_errors.get(f"verify:{lookup_id}"),
            ),
            ft.Row(
                [
                    button(
                        "Ghi kết quả xác minh",
                        save,
                        icon=ft.Icons.TASK_ALT,
                        busy=state.busy == f"verify:{lookup_id}",
                        tooltip=f"Ghi kết quả xác minh: {record.what}",
                    )
                ]
            ),
        ],
        spacing=8,
    )


def lookups_card(state: DeskState, view: LookupsView | None) -> ft.Control | None:
    """The "Tra cứu thay giấy tờ" card (``view``: DeskBackend.lookups), or None when the
    dossier needs no lookup."""
    if view is None or not view.needs:
        return None
    user = state.user
    may_record = view.may_record and user is not None and can(user, Verb.DOSSIER_RECORD_LOOKUP)
    may_close = view.may_record and user is not None
    may_close = may_close and user is not None and can(user, Verb.DOSSIER_CLOSE_VERIFICATION)
    rows: list[ft.Control] = [
        text(
            "Cơ quan không yêu cầu nộp các giấy tờ này mà tra cứu trên cơ sở dữ liệu "
            "(Nghị định 07/2025/NĐ-CP, Nghị định 18/2026/NĐ-CP).",
            15,
            color=MUTED,
        )
    ]
    for item in view.needs:
        need, rec = item.need, item.record
        rows.append(text(need.what, 17, bold=True))
        rows.append(text(f"Thay cho: {need.replaces} — {need.source}", 14, color=MUTED))
        if rec is None:
            rows.append(text("Chưa tra cứu.", 16, color=ERROR))
        else:
            color = OK if rec.result == "found" else ERROR
            where, found = DATABASES[rec.database][0], RESULTS[rec.result][0]
            rows.append(text(f"{where}: {found} — {rec.by}, {rec.at}", 16, color=color))
            if rec.note:
                rows.append(text(f"Ghi chú: {rec.note}", 15))
            if rec.verification == "open":
                rows.append(text("Đang xác minh.", 16, bold=True, color=ERROR))
                if may_close:
                    rows.append(CloseForm(state, rec, key=f"close-{rec.id}"))  # type: ignore[call-arg]
            elif rec.verification == "closed":
                rows.append(text(f"Đã xác minh: {rec.closed_note}", 16, color=OK))
    open_needs = [n.need for n in view.needs if n.record is None or n.record.result != "found"]
    if may_record and open_needs:
        rows.append(LookupForm(state, open_needs, key="lookup-form"))  # type: ignore[call-arg]
    return card("Tra cứu thay giấy tờ", rows, key="lookups")
