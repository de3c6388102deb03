"""The desk's tablets page (admin): the enrolment code as a QR, the tablets, revoking a lost one
with what the office must re-take."""

from __future__ import annotations

from typing import Any

import flet as ft

from shared.workdays import VN_TZ
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
    page_body,
    text,
    with_modal,
)
from sync_server.desk.state import DeskState


def _loose_ends(d: dict[str, Any]) -> str:
    """One line: what the station knows is not settled with this tablet."""
    return (
        f"Hồ sơ chưa vào được văn phòng: {d.get('not_landed', 0)} · "
        f"chờ bổ sung: {d.get('supplement', 0)}"
    )


def _held_alarm(alarm: dict[str, Any]) -> str:
    """The station's side of STATION_LOST_CHANGES (services/sync/holdings.py)."""
    return (
        f"CẢNH BÁO ({views.when(alarm.get('at'))}): máy báo văn phòng không còn giữ "
        f"{alarm.get('count')} lần gửi đã xác nhận (từ số {alarm.get('first')}). Dữ liệu có "
        "thể đã bị xoá: chạy audit-verify và báo lãnh đạo."
    )


def _revoke_note(d: dict[str, Any]) -> str:
    """What the office must re-take once this tablet is wiped (what the station knows)."""
    told = ""
    if d.get("pending_reported") is not None:
        told = (
            f"Lần liên lạc cuối ({views.when(d.get('pending_reported_at'))}) máy báo còn "
            f"{d['pending_reported']} hồ sơ chưa gửi lên văn phòng. "
        )
    return (
        told + f"Lần gửi dữ liệu cuối: {views.when(d.get('last_contact_at'))}. "
        f"{d.get('not_landed', 0)} hồ sơ máy đã gửi nhưng chưa vào được văn phòng "
        f"(bị từ chối hoặc xung đột) và {d.get('supplement', 0)} hồ sơ nhận trên máy đang "
        "chờ bổ sung: cần tiếp nhận lại trên máy khác. Hồ sơ nhận trên máy sau lần gửi "
        "cuối thì văn phòng không biết — hỏi cán bộ giữ máy."
    )


@ft.component
def TabletsScreen(state: DeskState) -> ft.Control:
    confirm, set_confirm = ft.use_state("")

    async def new_code() -> None:
        await state.new_enroll_code()

    async def revoke() -> None:
        device = confirm
        set_confirm("")
        await state.revoke(device)

    t = state.admin.ticket
    enrol: list[ft.Control] = [
        text(
            "Tạo mã đăng ký dùng một lần cho máy tính bảng mới. Trên máy mới, nhập địa chỉ "
            "máy chủ và mã dưới đây (hoặc quét mã QR).",
            15,
            color=MUTED,
        ),
        ft.Row(
            [
                button(
                    "Tạo mã đăng ký", new_code, icon=ft.Icons.QR_CODE_2, busy=state.busy == "admin"
                )
            ]
        ),
    ]
    if t is not None:
        expires = t.expires_at.astimezone(VN_TZ)
        enrol.append(
            ft.Row(
                [
                    ft.Image(src=t.qr_png, width=220, height=220, semantics_label="Mã QR đăng ký"),
                    ft.Column(
                        [
                            text("Mã đăng ký:", 16, color=MUTED),
                            ft.Text(
                                t.code,
                                size=24,
                                weight=ft.FontWeight.BOLD,
                                font_family="monospace",
                            ),
                            text(
                                f"Hết hạn lúc {expires:%H:%M} ngày {expires:%d/%m/%Y} "
                                "(dùng một lần).",
                                16,
                            ),
                            text(f"Địa chỉ máy chủ: {state.station_url}", 15, color=MUTED),
                        ],
                        spacing=6,
                    ),
                ],
                spacing=24,
            )
        )
    rows: list[ft.Control] = []
    for d in state.admin.devices:
        revoked = bool(d.get("revoked_at"))
        rows.append(
            ft.Container(
                content=ft.Row(
                    [
                        ft.Column(
                            [
                                text(f"{d['name']} (số {d['slot']:02d})", 16, bold=True),
                                text(d["id"], 12, color=MUTED),
                            ],
                            spacing=2,
                            expand=3,
                        ),
                        ft.Column(
                            [
                                text(f"Đăng ký: {views.when(d.get('enrolled_at'))}", 14),
                                text(
                                    f"Gửi dữ liệu gần nhất: {views.when(d.get('last_contact_at'))}",
                                    14,
                                ),
                                text(
                                    _loose_ends(d),
                                    14,
                                    color=ERROR
                                    if d.get("not_landed") or d.get("supplement")
                                    else MUTED,
                                ),
                                *(
                                    [text(_held_alarm(d["held_alarm"]), 14, bold=True, color=ERROR)]
                                    if d.get("held_alarm")
                                    else []
                                ),
                            ],
                            spacing=2,
                            expand=3,
                        ),
                        text(
                            "Đã thu hồi" if revoked else "Đang dùng",
                            15,
                            color=ERROR if revoked else OK,
                        ),
                        button(
                            "Thu hồi",
                            lambda _, i=d["id"]: set_confirm(i),
                            primary=False,
                            tooltip=f"Thu hồi {d['name']}",
                        )
                        if not revoked
                        else ft.Container(),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.CENTER,
                ),
                bgcolor=SURFACE,
                border=ft.Border.all(1, BORDER),
                border_radius=8,
                padding=ft.Padding.all(12),
                key=f"dev-{d['id']}",
            )
        )
    ask = (
        modal(
            "Thu hồi máy tính bảng?",
            [
                text(
                    "Máy sẽ không đồng bộ được nữa và tự xoá dữ liệu khi kết nối lại. "
                    "Hồ sơ đã gửi lên văn phòng vẫn còn.",
                    16,
                ),
                *(
                    [text(_revoke_note(target), 16, bold=True)]
                    if (
                        target := next((d for d in state.admin.devices if d["id"] == confirm), None)
                    )
                    else []
                ),
            ],
            [
                ft.TextButton(
                    content=ft.Text("Huỷ"), on_click=lambda: set_confirm(""), tooltip="Huỷ"
                ),
                button("Thu hồi máy", revoke, color=ERROR),
            ],
            width=520,
        )
        if confirm
        else None
    )
    return with_modal(
        page_body(
            [
                text("Máy tính bảng", 24, bold=True),
                card("Đăng ký máy mới", enrol),
                card("Các máy đã đăng ký", rows or [text("Chưa có máy nào.", 15, color=MUTED)]),
            ]
        ),
        ask,
    )
