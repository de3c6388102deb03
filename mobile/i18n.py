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
    # "Cơ quan giải quyết" (screens/competent.py, state/competent.py)
    "Cơ quan giải quyết": "Deciding authority",
    "Cơ quan giải quyết: {name}": "Deciding authority: {name}",
    " (xã, phường này — không chuyển)": " (this commune — not relayed)",
    "Lý do: {reason}": "Why: {reason}",
    "Đổi cơ quan giải quyết": "Change the deciding authority",
    "Máy chưa nhận danh sách xã, phường của tỉnh: hãy đồng bộ.": (
        "This tablet has no list of the province's communes yet: sync."
    ),
    "Tìm xã, phường theo tên (không cần dấu)": "Find a commune by name (accents optional)",
    "Còn {n} xã, phường nữa: gõ thêm tên để tìm.": "{n} more communes: type more of the name.",
    "Không có xã, phường nào có tên này.": "No commune has this name.",
    "Cán bộ đã chọn. Đề xuất theo luật: {name} — {why}": (
        "Chosen by the officer. The law proposes: {name} — {why}"
    ),
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
    "Tìm hồ sơ": "Find a dossier",
    "Tìm thủ tục": "Find a procedure",
    "Gõ mã, tên hoặc lĩnh vực (không dấu cũng được)": (
        "Type its code, name or field (accents optional)"
    ),
    "{n} trên {total} thủ tục": "{n} of {total} procedures",
    "Không có thủ tục nào khớp “{q}”.": "No procedure matches “{q}”.",
    "Tìm theo tên hoặc mã hồ sơ (gõ không dấu cũng được)": (
        "Search by name or dossier code (accents optional)"
    ),
    "trả trong ngày": "same day",
    "{n} ngày làm việc": "{n} working days",
    "Mã thủ tục {code} · {limit} · {fee}": "Procedure code {code} · {limit} · {fee}",
    "Chọn: {name}": "Choose: {name}",
    "Chọn thủ tục": "Choose a procedure",
    # form steps
    "Bước {i}/{n}: {title}": "Step {i}/{n}: {title}",
    "Bước {i} trên {n}": "Step {i} of {n}",
    "Quay lại bước trước": "Back to the previous step",
    "Quay lại chọn thủ tục": "Back to choosing a procedure",
    "Quay lại hồ sơ": "Back to the dossier",
    "Văn phòng yêu cầu bổ sung: {reason}": "The office asks for a supplement: {reason}",
    "Văn phòng yêu cầu bổ sung": "Asked for by the office",
    "Ảnh đã gửi: {name}": "Photo already sent: {name}",
    "Bỏ ảnh đã gửi này": "Drop this photo sent earlier",
    "Đã gửi": "Sent",
    "Quay lại danh sách": "Back to the list",
    "Xem trước": "Preview",
    "Tiếp": "Next",
    "Bổ sung hồ sơ: ": "Supplement: ",
    "Các ô có dấu * là bắt buộc.": "Fields marked * are required.",
    # dates
    "(tự điền khi nhập ngày)": "(filled in from the date)",
    "Nhập ngày/tháng/năm, ví dụ 15/03/2024": "Enter day/month/year, e.g. 15/03/2024",
    "Huỷ": "Cancel",
    "Chọn": "Choose",
    "Chọn {what} trên lịch": "Pick {what} on the calendar",
    "Bằng chữ: {words}": "In words (as printed): {words}",
    "Bằng chữ: (hiện khi nhập đủ ngày)": "In words: (shown once the date is complete)",
    # the chip ID card and the citizen book
    "Điền từ thẻ căn cước": "Fill from the ID card",
    "Điền từ thẻ căn cước: quét hoặc dán mã QR trên thẻ": (
        "Fill from the ID card: scan or paste the QR code on the card"
    ),
    "Mã QR trên thẻ căn cước (quét hoặc dán)": "QR code on the ID card (scan or paste)",
    "Đọc mã": "Read the code",
    "Hoặc tìm người dân đã có (tên, không cần dấu, hoặc số định danh)": (
        "Or find a known citizen (name, accents optional, or ID number)"
    ),
    "Tìm": "Find",
    "Nam": "Male",
    "Nữ": "Female",
    "{name} — sinh {born} — {sex}": "{name} — born {born} — {sex}",
    "Số định danh cá nhân: {n}": "Personal ID number: {n}",
    "Xã cũ đã chia cho nhiều đơn vị: chọn đơn vị hiện nay bên dưới.": (
        "The old commune was split between several units: choose today's unit below."
    ),
    "Không tìm được đơn vị hiện nay: nơi cư trú sẽ không được điền.": (
        "Today's unit was not found: the residence will not be filled in."
    ),
    "Địa chỉ in trên thẻ": "Address printed on the card",
    "Địa chỉ theo đơn vị hành chính hiện nay": "Address in today's administrative units",
    "Điền cho {who}": "Fill in for {who}",
    # checklist, read-back, receipt, dossier detail
    "In phiếu yêu cầu bổ sung": "Print the supplement request",
    "Hồ sơ chưa đủ — còn thiếu {n} mục:": "The dossier is incomplete — {n} item(s) missing:",
    (
        "Hồ sơ chưa đủ thì chưa được tiếp nhận. In phiếu yêu cầu bổ sung cho người dân; "
        "bản nháp được giữ lại."
    ): (
        "An incomplete dossier cannot be received. Print the supplement request for the "
        "citizen; the draft is kept."
    ),
    "In phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (liệt kê các giấy tờ còn thiếu)": (
        "Print the request to complete the dossier (it lists the missing papers)"
    ),
    ("Đánh dấu từng giấy tờ người dân đã nộp; giấy tờ “cần ảnh” thì chụp hoặc chọn ảnh."): (
        "Tick each paper the citizen handed in; for papers marked “photo needed”, take "
        "or choose a photo."
    ),
    "Bắt buộc": "Required",
    "Nếu có": "If any",
    "Cần ảnh": "Photo needed",
    "Đã nộp: {name}": "Handed in: {name}",
    "Ảnh: {name}": "Photo: {name}",
    "Hồ sơ đã đủ thành phần.": "The dossier is complete.",
    "Phiếu yêu cầu bổ sung": "Supplement request",
    "Đã gửi tệp {path} tới trình duyệt/máy.": "Sent the file {path} to the browser/device.",
    "Chụp / chọn ảnh": "Take / choose a photo",
    "Chụp / chọn ảnh: {name}": "Take / choose a photo: {name}",
    "Ảnh {name}": "Photo of {name}",
    "Bỏ ảnh này": "Remove this photo",
    "Máy chủ không nhận hồ sơ này: {why}": "The station refused this dossier: {why}",
    "Phần trước": "Previous part",
    "Sửa lại": "Correct it",
    "Phần tiếp": "Next part",
    "Người dân đã xác nhận lúc {when}.": "The citizen confirmed at {when}.",
    "Xin ông/bà đọc lại thông tin": "Please read the information back",
    "Giấy tiếp nhận": "Receipt",
    "Về trang chính": "Back to home",
    "Chưa có kết quả.": "No result yet.",
    "Kết quả bản giấy số {number}, ký ngày {day}: nhận tại bộ phận một cửa.": (
        "Paper result no. {number}, signed on {day}: collect it at the one-stop counter."
    ),
    "{name} · mã hồ sơ {code}": "{name} · dossier code {code}",
    "Trạng thái": "Status",
    "Tiến trình": "Progress",
    "Kết quả": "Result",
    "Quá trình xử lý": "History",
    "Xác nhận: thông tin đúng": "Confirm: the information is correct",
    (
        "Khi ông/bà đã đọc hết và thấy đúng, bấm “Xác nhận”. Nếu có chỗ sai, bấm “Phần "
        "trước” hoặc “Sửa lại”."
    ): (
        "When you have read it all and it is correct, tap “Confirm”. If something is "
        "wrong, tap “Previous part” or “Correct it”."
    ),
    " — phần {i}/{n}": " — part {i}/{n}",
    "Đọc lại phần {i} trên {n}": "Read-back part {i} of {n}",
    "Lý do: {why}": "Reason: {why}",
    "Không thực hiện": "Not reached",
    "Người dân đã đọc lại toàn bộ và xác nhận thông tin đúng": (
        "The citizen read everything back and confirms it is correct"
    ),
    "Về thành phần hồ sơ": "Back to the documents",
    "Tiếp: ký tờ khai": "Next: sign the declaration",
    "Đã tiếp nhận hồ sơ": "Dossier received",
    "Mã hồ sơ": "Dossier code",
    "Hồ sơ": "Dossier",
    "Nhận lúc: {when}": "Received: {when}",
    "Hạn trả kết quả: {due}": "Result due: {due}",
    "Trạng thái: {s}": "Status: {s}",
    "Văn phòng yêu cầu bổ sung hồ sơ": "The office asks for a supplement",
    "Bổ sung hồ sơ": "Supplement the dossier",
    "—": "—",
    "Trang {n} của kết quả": "Page {n} of the result",
    # papers (screens/papers.py)
    "Giấy tờ": "Papers",
    "In / chia sẻ: {what}": "Print / share: {what}",
    "{what} — hồ sơ {code}": "{what} — dossier {code}",
    (
        "Trên máy tính bảng: mở bảng chia sẻ (in, Zalo, thư điện tử…); "
        "trên trình duyệt: tải tệp PDF về để in."
    ): (
        "On a tablet: opens the share sheet (print, Zalo, e-mail…); "
        "in a browser: downloads the PDF to print."
    ),
    "Đã gửi tệp {path} để in hoặc lưu.": "Sent {path} to print or save.",
    "Bổ sung hồ sơ: sửa và gửi lại": "Supplement the dossier: correct and send again",
    # enrolment, unlock, signing
    "Đăng ký máy tính bảng với văn phòng": "Register this tablet with the office",
    "Thông tin đăng ký": "Registration details",
    "Địa chỉ máy chủ văn phòng": "Office station address",
    "Mã đăng ký thiết bị": "Device registration code",
    "Đăng ký thiết bị": "Register the device",
    "Cán bộ đã dùng máy này:": "Staff who used this tablet:",
    "Mở khoá": "Unlock",
    "Nhập tên đăng nhập và mã PIN": "Enter your user name and PIN",
    "Tên đăng nhập": "User name",
    "Mã PIN": "PIN",
    "Đã ký trên màn hình": "Signed on screen",
    "Điểm chỉ": "Thumbprint",
    "Sẽ ký trên bản in (giấy)": "Will sign the printed copy (paper)",
    "Ký lại": "Sign again",
    "Đã đủ chữ ký. Có thể tiếp nhận hồ sơ.": "All signatures are in. The dossier can be received.",
    "Ký trên giấy": "Sign on paper",
    "Ký tờ khai": "Sign the declaration",
    "Xem tờ khai (PDF)": "View the declaration (PDF)",
    "Xin ký vào khung dưới đây (dùng ngón tay hoặc bút).": (
        "Please sign in the box below (finger or pen)."
    ),
    "Người dân không ký được: điểm chỉ, có người làm chứng": (
        "The citizen cannot sign: thumbprint, with a witness"
    ),
    "Ký tay trên tờ khai in ra": "Sign by hand on the printed declaration",
    "Chưa xác nhận phần đọc lại.": "The read-back is not confirmed yet.",
    "Lưu tờ khai": "Save the declaration",
    "Lưu điểm chỉ": "Save the thumbprint",
    "Đọc lại": "Read back",
    "Gửi bổ sung hồ sơ": "Send the supplement",
    "Lưu – tiếp nhận hồ sơ": "Save – receive the dossier",
    # --- issue 21 (items 5, 7, 10): state-built strings and the rest of the chrome ---
    "Xoá hết": "Clear all",
    "Xoá một số": "Delete one digit",
    "Số {k}": "Digit {k}",
    "Chọn {name}": "Choose {name}",
    (
        "Quản trị viên tạo mã đăng ký một lần trên máy chủ văn phòng. Nhập địa chỉ máy chủ "
        "và mã đó để bắt đầu."
    ): (
        "The admin makes a one-time registration code on the office station. Enter the "
        "station's address and that code to start."
    ),
    (
        "Cán bộ tiếp nhận khác của văn phòng (lần đầu trên máy này cần kết nối máy chủ văn phòng):"
    ): "Other intake staff of the office (a first sign-in on this tablet needs the station):",
    # the app's own required inputs (mobile.state.base.required)
    "địa chỉ máy chủ văn phòng": "The office station address",
    "mã đăng ký thiết bị": "The device registration code",
    "tên đăng nhập": "The user name",
    "mã PIN": "The PIN",
    "(không ghi lý do)": "(no reason given)",
    "Bước {i}: {title} — còn {n} lỗi": "Step {i}: {title} — {n} problem(s) left",
    "Đi tới bước {i}: {title}": "Go to step {i}: {title}",
    "{label}: {words}": "{label}: {words}",
    "{label}: (hiện khi nhập đủ ngày)": "{label}: (shown once the date is complete)",
    (
        "Hồ sơ chưa đủ thành phần: nộp hoặc chụp ảnh các giấy tờ còn thiếu (danh sách bên "
        "dưới) trước khi người dân đọc lại và xác nhận."
    ): (
        "Papers are missing: hand in or photograph the missing papers (listed below) "
        "before the citizen reads back and confirms."
    ),
    "Khung ký: {who}": "Signature pad: {who}",
    (
        "Người dân không ký được: điểm chỉ (ngón trỏ phải) vào ô trên bản in, trước mặt "
        "người làm chứng."
    ): (
        "The citizen cannot sign: a thumbprint (right index finger) in the box on the "
        "printed copy, before a witness."
    ),
    "Xoá và ký lại ({who})": "Clear and sign again ({who})",
    "{name} — tờ khai đã điền sẵn theo thông tin ông/bà vừa xác nhận.": (
        "{name} — the declaration, pre-filled with the information just confirmed."
    ),
    "Họ, chữ đệm, tên người làm chứng": "Witness's full name",
    "Người làm chứng: {name}": "Witness: {name}",
    "Xem, in tờ khai": "View or print the declaration",
    "{text} (mã lỗi {id})": "{text} (error id {id})",
    "{text} (mục {field}).": "{text} ({field}).",
    "Đã có kết quả ({name}) — {size}": "Result ready ({name}) — {size}",
    "{at} — {action} — {who} ({role}) — chuyển sang: {status}": (
        "{at} — {action} — {who} ({role}) — now: {status}"
    ),
    ". Lý do: {why}": ". Reason: {why}",
    (
        "Đã nhập sai {n} lần trên máy này; còn tối đa {left} lần. Sau {max} lần sai liên "
        "tiếp, tài khoản bị khoá {minutes} phút."
    ): (
        "{n} wrong PIN(s) on this tablet; at most {left} more. After {max} wrong PINs in a "
        "row the account is locked for {minutes} minutes."
    ),
    (
        "Tài khoản có thể đang bị khoá {minutes} phút. Hãy đợi rồi thử lại, hoặc nhờ quản "
        "trị viên mở khoá ngay trên bàn làm việc của văn phòng (mục Cán bộ, nút Mở khoá)."
    ): (
        "The account may be locked for {minutes} minutes. Wait and try again, or ask the "
        "admin to unlock it now at the office desk (Staff page, Unlock button)."
    ),
    "Hồ sơ còn {n} lỗi — vui lòng sửa các ô được đánh dấu đỏ.": (
        "{n} problem(s) — please fix the fields marked in red."
    ),
    "Có": "Yes",
    "Không": "No",
    "Lệ phí, phí": "Fee",
    "Số tiền phải nộp": "Amount due",
    "Hồ sơ chưa đủ, chưa thể tiếp nhận. Còn thiếu: {what}": (
        "The dossier is incomplete and cannot be received. Missing: {what}"
    ),
    "Ảnh này đã có trong hồ sơ ({name}): không thêm lần nữa.": (
        "This photo is already in the dossier ({name}): not added again."
    ),
    "Hồ sơ chưa đủ: đã lập phiếu yêu cầu bổ sung; bản nháp được giữ lại.": (
        "The dossier is incomplete: the supplement request is made; the draft is kept."
    ),
    "Đã điền thông tin từ thẻ căn cước. Xin kiểm tra lại trước khi tiếp.": (
        "Filled in from the ID card. Please check before going on."
    ),
    "Chưa có người dân nào khớp.": "No citizen matches yet.",
    "Đã đăng ký thiết bị với văn phòng. Mời mở khoá.": (
        "The device is registered with the office. Please unlock."
    ),
    "Đã tự khoá sau {n} phút không sử dụng. Nhập mã PIN để mở lại.": (
        "Locked after {n} minutes without use. Enter your PIN to open again."
    ),
    "Còn thiếu chữ ký của: {who}.": "Still to sign: {who}.",
    (
        "Chưa có chữ ký trên màn hình: {who} ký tay trên tờ khai in ra (“Xem tờ khai (PDF)” "
        "để in); nhận lại bản đã ký rồi gửi."
    ): (
        "Not signed on screen: {who} will sign the printed declaration (“View the "
        "declaration (PDF)” to print it); take the signed copy back, then send."
    ),
    "Đã gửi tệp {name} tới trình duyệt/máy để xem hoặc in.": (
        "Sent the file {name} to the browser/device to view or print."
    ),
    "Đã đồng bộ: gửi {a}, nhận {b}.": "Synced: sent {a}, received {b}.",
    "{n} hồ sơ bị máy chủ từ chối — xem chi tiết hồ sơ.": (
        "{n} dossier(s) refused by the station — see the dossier."
    ),
    "{n} ảnh giấy tờ bị máy chủ từ chối (quá lớn hoặc hỏng).": (
        "{n} photo(s) of papers refused by the station (too large or damaged)."
    ),
    "Còn {n} ảnh giấy tờ chưa gửi.": "{n} photo(s) of papers not sent yet.",
    "Thành phần hồ sơ": "Documents handed in",
    "Mở danh sách: {what}": "Open the list: {what}",
    "Đóng danh sách: {what}": "Close the list: {what}",
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
