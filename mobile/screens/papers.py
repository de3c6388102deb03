"""“In / chia sẻ”: a dossier's papers handed to the printer, Zalo, e-mail… (issue 21 §2).

The citizen leaves the counter, or the home visit, with the receipt in hand. On a phone or
tablet each paper goes to the system share sheet (print, save, send), handed over from
memory; in the web build it is a download the browser can print. Which papers a dossier
has comes from ``shared.documents.paperwork.of_dossier`` (the desk lists the same).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft

from mobile.i18n import tr
from mobile.screens.common import button, card, text
from mobile.state.app import AppState
from mobile.theme import Look
from shared.documents.paperwork.of_dossier import PAPER_NAMES

SENT_PAPER = "Đã gửi tệp {path} để in hoặc lưu."


def paper_name(paper: str, lang: str) -> str:
    vi, en = PAPER_NAMES.get(paper, (paper, paper))
    return en if lang == "en" else vi


def papers_card(state: AppState, dossier_id: str, code: str, look: Look) -> ft.Control | None:
    """One "In / chia sẻ" button per paper of the dossier (``state.shown.papers``)."""
    if not state.shown.papers:
        return None
    lang = state.lang

    def handler(paper: str) -> Callable[[], Awaitable[None]]:
        async def hand_over() -> None:
            got = await state.paper_bytes(dossier_id, paper)
            if got is None:
                return
            name, pdf = got
            what = paper_name(paper, lang)
            if state.on_device:
                await ft.Share().share_files(
                    [ft.ShareFile.from_bytes(pdf, mime_type="application/pdf", name=name)],
                    title=tr(lang, "{what} — hồ sơ {code}", what=what, code=code),
                )
            else:  # the web build: a download, printed from the browser
                await ft.FilePicker().save_file(dialog_title=what, file_name=name, src_bytes=pdf)

        return hand_over

    buttons: list[ft.Control] = [
        button(
            tr(lang, "In / chia sẻ: {what}", what=paper_name(p, lang)),
            handler(p),
            look,
            primary=p == "receipt",
            icon=ft.Icons.PRINT,
            busy=state.busy == f"paper-{p}",
            tooltip=tr(lang, "In / chia sẻ: {what}", what=paper_name(p, lang)),
        )
        for p in state.shown.papers
    ]
    lines: list[ft.Control] = [
        text(
            tr(
                lang,
                "Trên máy tính bảng: mở bảng chia sẻ (in, Zalo, thư điện tử…); "
                "trên trình duyệt: tải tệp PDF về để in.",
            ),
            look,
            look.small,
            color=look.c.muted,
        ),
        ft.Row(buttons, wrap=True, spacing=10, run_spacing=10),
    ]
    if state.shown.paper_sent:
        lines.append(text(tr(lang, SENT_PAPER, path=state.shown.paper_sent), look))
    return card(tr(lang, "Giấy tờ"), lines, look)
