"""The one error catalogue of Tại Chỗ.

Every failure a person or a client can see has a stable code here, a Vietnamese and an
English message template and the HTTP status it maps to. Domain code raises
``TaiChoError``; each boundary (HTTP problem response, app banner, CLI JSON) turns it into
its own shape exactly once, so codes never drift between the tablet and the station.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from dataclasses import field as _dc_field
from typing import Any


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    vi: str
    en: str


def _c(code: str, status: int, vi: str, en: str) -> ErrorCode:
    return ErrorCode(code, status, unicodedata.normalize("NFC", vi), en)


# Keep codes stable: tests, scripts and the docs refer to them by name.
CATALOGUE: dict[str, ErrorCode] = {
    e.code: e
    for e in [
        # --- CCCD chip-card QR and the personal identification number ---
        _c(
            "CCCD_QR_FIELDS",
            422,
            "Mã QR thẻ căn cước không đúng cấu trúc (đọc được {count} phần, cần 7).",
            "The ID-card QR code is malformed ({count} parts read, 7 expected).",
        ),
        _c(
            "CCCD_QR_NUMBER",
            422,
            "Số định danh trong mã QR phải gồm đúng 12 chữ số.",
            "The ID number in the QR code must be exactly 12 digits.",
        ),
        _c(
            "CCCD_QR_OLD_ID",
            422,
            "Số CMND cũ trong mã QR phải gồm 9 chữ số.",
            "The old ID number in the QR code must be 9 digits.",
        ),
        _c(
            "CCCD_QR_NAME",
            422,
            "Họ tên trong mã QR bị trống hoặc không hợp lệ.",
            "The name in the QR code is empty or invalid.",
        ),
        _c(
            "CCCD_QR_DOB",
            422,
            "Ngày sinh trong mã QR không hợp lệ (cần ngàythángnăm, ví dụ 05031990).",
            "The date of birth in the QR code is invalid (ddMMyyyy expected).",
        ),
        _c(
            "CCCD_QR_ISSUED",
            422,
            "Ngày cấp trong mã QR không hợp lệ.",
            "The issue date in the QR code is invalid.",
        ),
        _c(
            "CCCD_QR_SEX",
            422,
            "Giới tính trong mã QR phải là Nam hoặc Nữ.",
            "The sex in the QR code must be Nam or Nữ.",
        ),
        _c(
            "CCCD_QR_ADDRESS",
            422,
            "Mã QR thiếu nơi thường trú.",
            "The QR code has no address.",
        ),
        _c(
            "QR_NOT_FOUND",
            422,
            "Không tìm thấy mã QR trong ảnh. Hãy chụp lại mặt sau thẻ, rõ và đủ sáng.",
            "No QR code in the photo. Photograph the card again, sharp and well lit.",
        ),
        _c(
            "QR_PHOTO_UNREADABLE",
            422,
            "Không đọc được tệp ảnh (hỏng, quá lớn hoặc không phải ảnh).",
            "The photo file cannot be read (damaged, too large or not an image).",
        ),
        _c(
            "QR_DECODER_MISSING",
            501,
            "Máy này chưa có bộ đọc mã QR từ ảnh; hãy dùng máy quét hoặc dán mã.",
            "This device has no QR-from-photo decoder; use a scanner or paste the code.",
        ),
        _c(
            "PERSONAL_ID_FORMAT",
            422,
            "Số định danh cá nhân phải gồm đúng 12 chữ số.",
            "The personal identification number must be exactly 12 digits.",
        ),
        _c(
            "PERSONAL_ID_PROVINCE",
            422,
            "Ba chữ số đầu của số định danh không phải mã tỉnh hợp lệ.",
            "The first three digits of the ID number are not a valid province code.",
        ),
        _c(
            "PERSONAL_ID_SEX",
            422,
            "Chữ số thứ tư của số định danh không khớp với giới tính.",
            "The fourth digit of the ID number does not match the sex.",
        ),
        _c(
            "PERSONAL_ID_YEAR",
            422,
            "Số định danh không khớp với năm sinh.",
            "The ID number does not match the year of birth.",
        ),
        # --- input validation (per field) ---
        _c("FIELD_REQUIRED", 422, "Vui lòng nhập {label}.", "{label} is required."),
        _c("FIELD_TYPE", 422, "{label} không đúng định dạng.", "{label} has the wrong format."),
        _c("FIELD_TOO_LONG", 422, "{label} dài quá {max} ký tự.", "{label} is longer than {max}."),
        _c(
            "FIELD_TOO_SHORT",
            422,
            "{label} cần ít nhất {min} ký tự.",
            "{label} needs {min}+ chars.",
        ),
        _c("FIELD_PATTERN", 422, "{label} không hợp lệ.", "{label} is not valid."),
        _c("FIELD_MIN", 422, "{label} phải từ {min} trở lên.", "{label} must be at least {min}."),
        _c("FIELD_MAX", 422, "{label} không được lớn hơn {max}.", "{label} must be at most {max}."),
        _c(
            "FIELD_DATE_FUTURE",
            422,
            "{label} không được sau ngày hôm nay.",
            "{label} cannot be in the future.",
        ),
        _c(
            "FIELD_DATE_TOO_OLD",
            422,
            "{label} quá xa so với hiện tại.",
            "{label} is too far in the past.",
        ),
        _c(
            "FIELD_CHOICE",
            422,
            "{label}: giá trị không có trong danh sách.",
            "{label}: value is not one of the choices.",
        ),
        _c(
            "FIELD_UNKNOWN",
            422,
            "Trường '{name}' không thuộc thủ tục này.",
            "Field '{name}' is not part of this procedure.",
        ),
        _c("FIELD_CCCD", 422, "{label} phải gồm 12 chữ số.", "{label} must be 12 digits."),
        _c(
            "FIELD_PHONE",
            422,
            "{label} không phải số điện thoại hợp lệ.",
            "{label} is not a valid phone number.",
        ),
        _c(
            "FIELD_NOT_APPLICABLE",
            422,
            "{label} không áp dụng trong trường hợp này.",
            "{label} does not apply here.",
        ),
        _c(
            "DOSSIER_INVALID",
            422,
            "Hồ sơ chưa đầy đủ hoặc có thông tin sai ({count} lỗi).",
            "The dossier is incomplete or has errors ({count}).",
        ),
        _c("REQUEST_INVALID", 400, "Yêu cầu không hợp lệ: {detail}.", "Invalid request: {detail}."),
        # --- catalogue ---
        _c(
            "PROCEDURE_UNKNOWN",
            404,
            "Không có thủ tục mã {procedure}.",
            "No procedure {procedure}.",
        ),
        _c(
            "CATALOGUE_INVALID",
            500,
            "Tệp thủ tục {file} sai ở {where}: {detail}.",
            "Procedure file {file} is wrong at {where}: {detail}.",
        ),
        # --- workflow ---
        _c(
            "TRANSITION_NOT_ALLOWED",
            409,
            "Không thể '{action}' hồ sơ đang ở trạng thái '{status}'.",
            "Cannot '{action}' a dossier in status '{status}'.",
        ),
        _c(
            "ROLE_NOT_ALLOWED",
            403,
            "Vai trò '{role}' không được phép '{action}'.",
            "Role '{role}' may not '{action}'.",
        ),
        _c(
            "ACTION_UNKNOWN",
            400,
            "Thao tác '{action}' không tồn tại.",
            "Unknown action '{action}'.",
        ),
        _c("REASON_REQUIRED", 422, "Cần ghi rõ lý do.", "A reason is required."),
        _c("DOSSIER_NOT_FOUND", 404, "Không tìm thấy hồ sơ.", "Dossier not found."),
        _c("RESULT_NOT_READY", 409, "Hồ sơ chưa có kết quả.", "The result is not ready yet."),
        _c(
            "EDIT_CONFLICT",
            409,
            "Hồ sơ đã thay đổi ở nơi khác (phiên bản {server} > {base}); bản sửa được giữ lại.",
            "The dossier changed elsewhere (version {server} > {base}); the edit is kept.",
        ),
        _c(
            "DOSSIER_CODE_EXHAUSTED",
            409,
            "Thiết bị đã dùng hết 99 mã hồ sơ trong ngày.",
            "This device used all 99 dossier codes for today.",
        ),
        # --- auth / staff ---
        _c("AUTH_REQUIRED", 401, "Cần đăng nhập.", "Sign-in required."),
        _c("AUTH_FAILED", 401, "Tên đăng nhập hoặc mã PIN không đúng.", "Wrong username or PIN."),
        _c(
            "PIN_WRONG",
            401,
            "Mã PIN không đúng (còn {left} lần thử).",
            "Wrong PIN ({left} tries left).",
        ),
        _c(
            "PIN_LOCKED",
            423,
            "Đã nhập sai PIN quá nhiều lần. Cần kết nối máy chủ văn phòng để mở khoá.",
            "Too many wrong PINs. Connect to the office station to unlock.",
        ),
        _c(
            "PIN_FORMAT", 422, "Mã PIN phải gồm 4 đến 12 chữ số.", "The PIN must be 4 to 12 digits."
        ),
        _c(
            "LOCKED",
            423,
            "Ứng dụng đang khoá. Nhập mã PIN để mở.",
            "The app is locked. Enter a PIN.",
        ),
        _c(
            "FIRST_UNLOCK_NEEDS_STATION",
            503,
            "Lần đầu mở khoá trên máy này cần kết nối máy chủ văn phòng.",
            "The first unlock on this tablet needs the office station.",
        ),
        _c(
            "STAFF_EXISTS",
            409,
            "Cán bộ '{username}' đã tồn tại.",
            "Staff '{username}' already exists.",
        ),
        _c("ROLE_UNKNOWN", 422, "Vai trò '{role}' không tồn tại.", "Unknown role '{role}'."),
        # --- devices / enrollment ---
        _c(
            "NOT_ENROLLED",
            409,
            "Máy tính bảng chưa được đăng ký với văn phòng.",
            "This tablet is not enrolled yet.",
        ),
        _c(
            "ALREADY_ENROLLED",
            409,
            "Máy tính bảng đã được đăng ký.",
            "This tablet is already enrolled.",
        ),
        _c(
            "ENROLL_CODE_INVALID",
            403,
            "Mã đăng ký thiết bị không đúng hoặc đã dùng.",
            "The enrollment code is wrong or already used.",
        ),
        _c("DEVICE_UNKNOWN", 403, "Thiết bị không được nhận diện.", "Unknown device."),
        _c(
            "DEVICE_REVOKED",
            403,
            "Thiết bị đã bị thu hồi; dữ liệu trên máy phải xoá.",
            "This device was revoked; its local data must be wiped.",
        ),
        _c(
            "DEVICE_SLOTS_FULL",
            409,
            "Đã dùng hết 99 vị trí thiết bị.",
            "All 99 device slots are used.",
        ),
        # --- sync / crypto ---
        _c(
            "ENVELOPE_MALFORMED",
            400,
            "Gói dữ liệu đồng bộ sai cấu trúc: {detail}.",
            "Malformed sync envelope: {detail}.",
        ),
        _c(
            "ENVELOPE_BAD_SIGNATURE",
            400,
            "Chữ ký của gói dữ liệu không hợp lệ.",
            "The envelope signature is not valid.",
        ),
        _c(
            "ENVELOPE_CONTEXT_MISMATCH",
            400,
            "Gói dữ liệu không khớp ngữ cảnh ({detail}).",
            "The envelope does not match its context ({detail}).",
        ),
        _c(
            "DECRYPT_FAILED",
            400,
            "Không giải mã được dữ liệu (sai khoá hoặc dữ liệu bị sửa).",
            "Could not decrypt (wrong key or tampered data).",
        ),
        _c(
            "SYNC_OUT_OF_ORDER",
            409,
            "Thiếu gói số {expected}; cần gửi lại từ đó.",
            "Missing change {expected}; resend from there.",
        ),
        _c(
            "SYNC_REPLAY_MISMATCH",
            409,
            "Gói số {seq} đã nhận trước đó với nội dung khác.",
            "Change {seq} was received before with different content.",
        ),
        _c(
            "STATION_UNREACHABLE",
            503,
            "Không kết nối được máy chủ văn phòng.",
            "The office station cannot be reached.",
        ),
        _c(
            "STATION_ERROR", 502, "Máy chủ văn phòng trả lỗi: {detail}.", "Station error: {detail}."
        ),
        _c(
            "STATION_KEY_MISMATCH",
            502,
            "Khoá của máy chủ văn phòng không khớp khoá đã ghim.",
            "The station's key does not match the pinned key.",
        ),
        _c(
            "AUDIT_CHAIN_BROKEN",
            500,
            "Nhật ký kiểm tra bị sửa hoặc hỏng từ dòng số {seq}.",
            "The audit log was altered or damaged from entry {seq} on.",
        ),
        # --- store ---
        _c(
            "STORE_CORRUPT",
            500,
            "Dữ liệu lưu trữ bị hỏng: {detail}.",
            "Stored data is corrupt: {detail}.",
        ),
        _c(
            "INTERNAL",
            500,
            "Lỗi hệ thống. Dữ liệu đã nhập vẫn được giữ.",
            "Internal error. Entered data is kept.",
        ),
    ]
}


def _render(template: str, ctx: dict[str, Any]) -> str:
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


@dataclass
class TaiChoError(Exception):
    """A catalogued failure; ``ctx`` fills the message templates."""

    code: str
    field: str | None = None
    ctx: dict[str, Any] = _dc_field(default_factory=dict)
    details: list[dict[str, Any]] = _dc_field(default_factory=list)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"unknown error code {self.code!r}")
        super().__init__(self.code)

    @property
    def entry(self) -> ErrorCode:
        return CATALOGUE[self.code]

    @property
    def status(self) -> int:
        return self.entry.status

    def message(self, lang: str = "vi") -> str:
        if lang == "vi":
            return _render(self.entry.vi, self.ctx)
        ctx = {**self.ctx, "label": self.ctx.get("label_en", self.ctx.get("label"))}
        return _render(self.entry.en, ctx)

    def __str__(self) -> str:
        return f"{self.code}: {self.message('en')}"

    def to_problem(self) -> dict[str, Any]:
        """The wire/CLI shape: code, field, Vietnamese message, English message."""
        out: dict[str, Any] = {
            "code": self.code,
            "field": self.field,
            "message": self.message("vi"),
            "message_en": self.message("en"),
        }
        params = {k: v for k, v in self.ctx.items() if isinstance(v, (int, str))}
        if params:
            # Template values travel too, so the other side can re-render the message in
            # its own language and act on them (e.g. SYNC_OUT_OF_ORDER's "expected").
            out["params"] = params
        if self.details:
            out["details"] = self.details
        return out


def problem(code: str, field: str | None = None, **ctx: Any) -> TaiChoError:
    """Build (not raise) a catalogued error: ``raise problem("FIELD_REQUIRED", "x", label=...)``."""
    return TaiChoError(code, field, dict(ctx))
