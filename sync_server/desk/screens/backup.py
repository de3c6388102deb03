"""Admin page "Sao lưu": the last backup (when, size, where), the schedule, a missed
backup as a warning, and after a restore the "cần xử lý lại" (to redo) list."""

from __future__ import annotations

from typing import Any

import flet as ft

from shared.workflow import STATUS_LABELS, Status
from sync_server.desk.screens.common import ERROR, MUTED, OK, card, page_body, text
from sync_server.desk.state import ROUTE_BACKUP, DeskState


def _size(n: object) -> str:
    size = float(n) if isinstance(n, int | float) else 0.0
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _when(at: object) -> str:
    s = str(at or "")
    return f"{s[11:16]} ngày {s[8:10]}/{s[5:7]}/{s[:4]}" if len(s) >= 16 else "—"


def _status(value: object) -> str:
    try:
        return STATUS_LABELS[Status(str(value))].vi
    except ValueError:
        return "chưa có ở máy chủ" if not value else str(value)


def backup_warning(state: DeskState) -> ft.Control | None:
    """The warning under the top bar while a scheduled backup was missed (admins)."""
    if not (state.may(ROUTE_BACKUP) and state.admin.backup.get("missed")):
        return None
    last = state.admin.backup.get("last") or {}
    why = " (lần gần nhất bị lỗi)" if last and not last.get("ok") else ""
    return ft.Container(
        content=ft.Row(
            [
                ft.Icon(ft.Icons.WARNING_AMBER, color=ERROR),
                ft.Text(
                    f"Chưa có bản sao lưu mới trong hơn một ngày{why}. Kiểm tra ổ đĩa sao lưu "
                    "(USB) rồi xem trang Sao lưu.",
                    color=ERROR,
                    size=16,
                    expand=True,
                ),
            ]
        ),
        bgcolor="#FFF4F2",
        padding=ft.Padding.symmetric(horizontal=16, vertical=8),
    )


def _last(info: dict[str, Any]) -> list[ft.Control]:
    ok = info.get("last_ok")
    last = info.get("last") or {}
    rows: list[ft.Control] = []
    if ok:
        rows += [
            text(f"Bản sao lưu gần nhất: {_when(ok.get('at'))}", 17, bold=True),
            text(f"Dung lượng: {_size(ok.get('size'))}", 16),
            text(f"Nơi lưu: {ok.get('out')}", 16),
        ]
    else:
        rows.append(text("Chưa có bản sao lưu nào.", 17, bold=True, color=ERROR))
    if last and not last.get("ok"):
        rows.append(
            text(
                f"Lần sao lưu lúc {_when(last.get('at'))} vào {last.get('out')} bị lỗi "
                f"({last.get('error')}).",
                16,
                color=ERROR,
            )
        )
    schedule = info.get("schedule")
    if schedule:
        rows.append(
            text(
                f"Tự động mỗi ngày lúc {schedule.get('hour')}:00 và khi tắt máy chủ, vào "
                f"{schedule.get('dir')}, giữ {schedule.get('keep')} bản.",
                15,
                color=MUTED,
            )
        )
    else:
        rows.append(
            text(
                "Chưa đặt sao lưu tự động (serve --backup-dir …). Xem docs/operations.md.",
                15,
                color=ERROR,
            )
        )
    return rows


def _redo(info: dict[str, Any]) -> list[ft.Control]:
    restore = info.get("restore")
    if not restore:
        return [text("Máy chủ chưa từng được khôi phục từ bản sao lưu.", 15, color=MUTED)]
    rows: list[ft.Control] = [
        text(
            f"Khôi phục lúc {_when(restore.get('at'))} từ bản sao lưu lúc "
            f"{_when(restore.get('backup_created_at'))}. Các hồ sơ dưới đây đã được xử lý "
            "sau thời điểm sao lưu (theo bản sao trên máy tính bảng); hãy xử lý lại.",
            15,
            color=MUTED,
        )
    ]
    for r in info.get("redo") or []:
        done = bool(r.get("done"))
        rows.append(
            ft.Row(
                [
                    text(str(r["code"]), 16, bold=True),
                    text(f"Máy tính bảng thấy: {_status(r['tablet_status'])}", 15),
                    text(f"Máy chủ hiện: {_status(r.get('status_now'))}", 15),
                    text(
                        "đã xử lý lại" if done else "cần xử lý lại",
                        15,
                        color=OK if done else ERROR,
                    ),
                ],
                wrap=True,
                spacing=16,
            )
        )
    if len(rows) == 1:
        rows.append(text("Không có hồ sơ nào cần xử lý lại.", 15, color=OK))
    return rows


@ft.component
def BackupScreen(state: DeskState) -> ft.Control:
    info = state.admin.backup
    return page_body(
        [
            text("Sao lưu", 24, bold=True),
            card("Bản sao lưu", _last(info)),
            card("Cần xử lý lại (sau khi khôi phục)", _redo(info)),
        ],
        max_width=900,
    )
