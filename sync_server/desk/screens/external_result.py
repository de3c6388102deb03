"""A result made outside Tại Chỗ on the desk's dossier page (docs/catalogue.md, "The
generic path"): the clerk's fields at "stamp" for a paper result, and the card showing
what was recorded — the paper result's number and date, or the attached PDF with the
signatures the station checked.

A procedure with its own result layout never shows these: its result is drawn, signed
and sealed here (the card "Kết quả" of ``screens/dossier.py``).
"""

from __future__ import annotations

from typing import Any

import flet as ft

from shared.day_text import day_text
from shared.external_result import RecordedResult
from sync_server.desk.screens.common import MUTED, OK, button, card, text

STAMP_NOTE = (
    "Kết quả của thủ tục này do hệ thống khác hoặc cơ quan khác ban hành. Kết quả là tệp "
    "PDF đã ký số: chọn tệp (máy chủ kiểm tra chữ ký số rồi lưu). Kết quả bản giấy: ghi "
    "số và ngày ký."
)
NUMBER_LABEL = "Số của kết quả (vd. 12/TLHT)"
DAY_LABEL = "Ngày ký kết quả (ngày/tháng/năm, vd. 07/12/2026)"
PICK_PDF = "Chọn tệp PDF kết quả đã ký số"
DROP_PDF = "Bỏ tệp đã chọn"


def chosen_text(name: str, size: int) -> str:
    """What the dialog says of the chosen file (tested without a browser)."""
    kb = max(1, round(size / 1024))
    return f"Đã chọn tệp: {name} ({kb:,} KB).".replace(",", ".")


def pdf_picker(on_chosen: Any) -> Any:
    """The browser's file dialog for one PDF; its name and bytes go to ``on_chosen``.
    The station checks it at "stamp" (signatures with pyHanko, at most 5 MB)."""

    async def pick() -> None:
        files = await ft.FilePicker().pick_files(
            dialog_title=PICK_PDF,
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=["pdf"],
            with_data=True,
            cancel_upload_on_window_blur=False,
        )
        for f in files[:1]:
            if f.bytes is not None:
                on_chosen((f.name, f.bytes))

    return pick


def pdf_fields(chosen: tuple[str, bytes] | None, on_chosen: Any) -> list[ft.Control]:
    """The PDF half of the stamp dialog: pick a file, or drop the one picked (then the
    paper fields below are what is recorded)."""
    if chosen is None:
        return [ft.Row([button(PICK_PDF, pdf_picker(on_chosen), icon=ft.Icons.UPLOAD_FILE)])]
    return [
        text(chosen_text(chosen[0], len(chosen[1])), 16, bold=True, color=OK),
        ft.Row([button(DROP_PDF, lambda: on_chosen(None), icon=ft.Icons.CLOSE, primary=False)]),
    ]


def stamp_fields(number: Any, day: Any) -> list[ft.Control]:
    """The stamp dialog's paper fields for a procedure without a result layout; what is
    typed lives in the refs ``number`` and ``day`` (a re-render never wipes it)."""

    def keep(ref: Any) -> Any:
        def handler(e: ft.Event[Any]) -> None:
            ref.current = e.control.value or ""

        return handler

    return [
        ft.TextField(
            label=NUMBER_LABEL,
            value=number.current or "",
            on_change=keep(number),
            autocorrect=False,
            enable_suggestions=False,
        ),
        ft.TextField(
            label=DAY_LABEL,
            value=day.current or "",
            on_change=keep(day),
            autocorrect=False,
            enable_suggestions=False,
        ),
    ]


def lines(kept: RecordedResult, result_name: str) -> list[str]:
    """What the card says, line by line (tested without a browser)."""
    if kept.kind == "paper":
        return [
            f"{result_name}: kết quả bản giấy số {kept.number}, ký ngày "
            f"{day_text(kept.issued_on or '')}.",
            f"Văn thư ghi nhận: {kept.recorded_by}.",
        ]
    out = [f"{result_name}: tệp PDF do hệ thống khác ban hành, đã kiểm tra chữ ký số."]
    for s in kept.signatures:
        who = s.signer + (f" ({s.organisation})" if s.organisation else "")
        trust = "chứng thư tin cậy" if s.trusted else "chứng thư chưa có trong danh sách tin cậy"
        out.append(f"Chữ ký {s.field}: {who} — nguyên vẹn, hợp lệ; {trust}.")
    out.append(f"Văn thư ghi nhận: {kept.recorded_by}.")
    return out


def result_card(kept: RecordedResult, result_name: str, result_url: str) -> ft.Control:
    body: list[ft.Control] = [
        text(line, 16 if n == 0 else 15, bold=n == 0, color=OK if n == 0 else MUTED)
        for n, line in enumerate(lines(kept, result_name))
    ]
    if kept.kind == "pdf" and result_url:
        body.append(
            ft.Row(
                [
                    button(
                        "Xem kết quả (PDF)",
                        None,
                        icon=ft.Icons.PICTURE_AS_PDF,
                        url=result_url,
                        primary=False,
                    )
                ]
            )
        )
    return card("Kết quả", body, key="external-result")
