"""The app's own words in English: Vietnamese is the source, English a switch away.

Staff work in Vietnamese; a visitor, an auditor or a trainer may want English (issue
10). Procedure texts already carry both languages in the catalogue (``Text.get``) and
errors in ``shared/errors.py``; this table covers only the chrome the screens write
themselves. It is keyed by the Vietnamese text, so a screen reads as Vietnamese and a
missing entry falls back to it (never an empty label). ``tests/test_i18n.py`` lists every
literal passed to ``tr`` in ``mobile/screens`` and fails if one has no English entry.
"""

from __future__ import annotations

LANGS = ("vi", "en")

EN: dict[str, str] = {
    # app bar
    "Tại Chỗ": "Tại Chỗ",
    "Chữ lớn: {size}": "Text size: {size}",
    "Chữ lớn — cỡ chữ đang là {size}; bấm để đổi": "Text size — now {size}; tap to change",
    "Tương phản cao": "High contrast",
    "Tương phản cao: bật": "High contrast: on",
    "Tương phản cao (đen trên trắng)": "High contrast (black on white)",
    "Tương phản cao (đen trên trắng) — đang bật": "High contrast (black on white) — on",
    "Khoá máy": "Lock",
    "Thường": "Normal",
    "Lớn": "Large",
    "Rất lớn": "Extra large",
    # shared pieces
    "Quay lại": "Back",
    "Đóng": "Close",
    "Đóng thông báo": "Close the message",
    "Đang xử lý": "Working",
    # sync bar
    "Chờ gửi: {n}": "Waiting to send: {n}",
    " · chờ mở: {n}": " · waiting to open: {n}",
    "Đồng bộ lần cuối: {when}": "Last sync: {when}",
    "Chưa đồng bộ lần nào": "Never synced",
    "Lỗi: {error}": "Error: {error}",
    "Đồng bộ": "Sync",
    "Đồng bộ với máy chủ văn phòng": "Sync with the office station",
    "Đang kết nối máy chủ văn phòng…": "Connecting to the office station…",
    # home
    "Tất cả": "All",
    "Cần xử lý": "Needs action",
    "Đã tiếp nhận": "Received",
    "Đang giải quyết": "In progress",
    "Đã trả": "Returned",
    "(không tên)": "(untitled)",
    "{code} · nhận lúc {when}": "{code} · received {when}",
    "Hạn trả: {due}": "Due: {due}",
    "Xem hồ sơ {code}": "Open dossier {code}",
    "Không có hồ sơ nào khớp.": "No dossier matches.",
    "Chưa tiếp nhận hồ sơ nào.": "No dossier received yet.",
    "Lọc: {label}": "Filter: {label}",
    "Lọc: {label} (đang chọn)": "Filter: {label} (selected)",
    "Bản nháp chưa tiếp nhận ({n})": "Drafts not yet received ({n})",
    "(chưa có tên)": "(no name yet)",
    "Lưu lúc {when}": "Saved {when}",
    "Mở nháp": "Open draft",
    "Mở nháp: {title}": "Open draft: {title}",
    "chưa có tên": "no name yet",
    "Hồ sơ ({n})": "Dossiers ({n})",
    "Hồ sơ mới": "New dossier",
    "Cần xử lý: {n} hồ sơ": "Needs action: {n} dossiers",
    "Tìm theo tên hoặc mã hồ sơ (gõ không dấu cũng được)": (
        "Search by name or dossier code (accents optional)"
    ),
    "trả trong ngày": "same day",
    "{n} ngày làm việc": "{n} working days",
    "miễn phí": "free",
    "{fee} đồng": "{fee} VND",
    "Mã thủ tục {code} · {limit} · {fee}": "Procedure code {code} · {limit} · {fee}",
    "Chọn: {name}": "Choose: {name}",
    "Chọn thủ tục": "Choose a procedure",
    # form steps
    "Bước {i}/{n}: {title}": "Step {i}/{n}: {title}",
    "Bước {i} trên {n}": "Step {i} of {n}",
    "Quay lại bước trước": "Back to the previous step",
    "Quay lại chọn thủ tục": "Back to choosing a procedure",
    "Quay lại danh sách": "Back to the list",
    "Xem trước": "Preview",
    "Tiếp": "Next",
    "Bổ sung hồ sơ: ": "Supplement: ",
    "Các ô có dấu * là bắt buộc.": "Fields marked * are required.",
}


def tr(lang: str, vi_text: str, **values: object) -> str:
    """``vi_text`` in ``lang``, with ``{name}`` placeholders filled from ``values``.

    A text without an English entry stays Vietnamese: better a Vietnamese word than a
    blank or a key on a citizen-facing screen."""
    template = EN.get(vi_text, vi_text) if lang == "en" else vi_text
    return template.format(**values) if values else template


def lang_button(lang: str) -> tuple[str, str, str]:
    """The language switch's label, short phone label and tooltip: it names the language
    it switches TO, in that language, so a reader of either finds it."""
    if lang == "en":
        return "Tiếng Việt", "VI", "Chuyển sang tiếng Việt (Switch to Vietnamese)"
    return "English", "EN", "Switch to English (Chuyển sang tiếng Anh)"
