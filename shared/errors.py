"""The one error catalogue of Tại Chỗ.

Every failure a person or a client can see has a stable code here, a Vietnamese and an
English message template and the HTTP status it maps to. Domain code raises
``TaiChoError``; each boundary (HTTP problem response, app banner, CLI JSON) turns it into
its own shape exactly once, so codes never drift between the tablet and the station.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field as _dc_field
from typing import Any, Literal, TypeGuard, get_args

# Every catalogued code, as a type: mypy rejects ``problem("TYPO")`` at the call site, and
# tests/shared/test_errors.py checks this list and ``CATALOGUE`` name the same codes.
Code = Literal[
    "FIELD_REQUIRED",
    "FIELD_TYPE",
    "FIELD_TOO_LONG",
    "FIELD_TOO_SHORT",
    "FIELD_PATTERN",
    "FIELD_MIN",
    "FIELD_MAX",
    "FIELD_DATE_FUTURE",
    "FIELD_DATE_TOO_OLD",
    "FIELD_CHOICE",
    "FIELD_UNKNOWN",
    "FIELD_CCCD",
    "FIELD_PHONE",
    "FIELD_NOT_APPLICABLE",
    "DOSSIER_INVALID",
    "REQUEST_INVALID",
    "PROCEDURE_UNKNOWN",
    "CATALOGUE_INVALID",
    "CATALOGUE_DOWNGRADE",
    "CATALOGUE_IMPORT_INVALID",
    "PROCEDURE_DISABLED",
    "RESULT_REQUIRED",
    "RESULT_PDF_INVALID",
    "RESULT_PDF_UNSIGNED",
    "RESULT_PDF_SIGNATURE_INVALID",
    "RESULT_PAPER_INVALID",
    "PROCEDURE_VERSION_UNKNOWN",
    "TRANSITION_NOT_ALLOWED",
    "ROLE_NOT_ALLOWED",
    "ACTION_UNKNOWN",
    "REASON_REQUIRED",
    "DOSSIER_NOT_FOUND",
    "RESULT_NOT_READY",
    "EDIT_CONFLICT",
    "ACTION_CONFLICT",
    "DOSSIER_CODE_EXHAUSTED",
    "DOSSIER_CODE_TAKEN",
    "AUTH_REQUIRED",
    "AUTH_FAILED",
    "PIN_WRONG",
    "PIN_LOCKED",
    "PIN_FORMAT",
    "PIN_GUESSABLE",
    "LOCKED",
    "FIRST_UNLOCK_NEEDS_STATION",
    "STAFF_EXISTS",
    "ROLE_UNKNOWN",
    "NOT_ENROLLED",
    "ALREADY_ENROLLED",
    "ENROLL_CODE_INVALID",
    "DEVICE_UNKNOWN",
    "DEVICE_REVOKED",
    "DEVICE_SLOTS_FULL",
    "ENVELOPE_MALFORMED",
    "ENVELOPE_BAD_SIGNATURE",
    "ENVELOPE_CONTEXT_MISMATCH",
    "DECRYPT_FAILED",
    "SYNC_OUT_OF_ORDER",
    "SYNC_REPLAY_MISMATCH",
    "STATION_LOST_CHANGES",
    "AUDIT_DOSSIER_MISSING",
    "STATION_UNREACHABLE",
    "STATION_ERROR",
    "STATION_KEY_MISMATCH",
    "STATION_CERT_MISMATCH",
    "PLAIN_HTTP_REFUSED",
    "TLS_CERT_INVALID",
    "ENROLL_CODE_INCOMPLETE",
    "AUDIT_CHAIN_BROKEN",
    "STORE_CORRUPT",
    "INTERNAL",
    "RATE_LIMITED",
    "BODY_TOO_LARGE",
    "DISK_FULL",
    "DEVICE_DISK_FULL",
    "ROLE_FORBIDDEN",
    "RECEIVED_AT_IMPLAUSIBLE",
    "AUDIT_ANCHOR_MISMATCH",
    "AUDIT_STATUS_MISMATCH",
    "FIELD_ID_PROVINCE",
    "FIELD_ID_MISMATCH",
    "FIELD_DOCUMENT_NUMBER",
    "FIELD_MIN_AGE",
    "FIELD_MUST_ACCEPT",
    "FIELD_MUST_MATCH",
    "FIELD_DATE_ORDER",
    "USE_OTHER_PROCEDURE",
    "COMPONENT_NOT_APPLICABLE",
    "MARRIAGE_SAME_SEX",
    "PARENT_AGE_IMPLAUSIBLE",
    "SIGNATURE_IS_CONTRACT",
    "PERSONAL_ID_MISSING",
    "RESULT_PARTIES_UNSIGNED",
    "LOOKUP_INVALID",
    "LOOKUPS_PENDING",
    "UNIT_NOT_CONFIGURED",
    "UNIT_UNKNOWN",
    "PAPER_NOT_APPLICABLE",
    "PUBLIC_URL_INVALID",
    "PUBLIC_URL_NOT_READY",
    "CALENDAR_INVALID",
    "SIGNER_UNAVAILABLE",
    "CERT_IMPORT_FAILED",
    "CCCD_QR_FIELDS",
    "CCCD_QR_NUMBER",
    "CCCD_QR_OLD_ID",
    "CCCD_QR_NAME",
    "CCCD_QR_DOB",
    "CCCD_QR_ISSUED",
    "CCCD_QR_SEX",
    "CCCD_QR_ADDRESS",
    "QR_NOT_FOUND",
    "QR_PHOTO_UNREADABLE",
    "QR_DECODER_MISSING",
    "PERSONAL_ID_FORMAT",
    "PERSONAL_ID_PROVINCE",
    "PERSONAL_ID_SEX",
    "PERSONAL_ID_YEAR",
    "SIGNATURE_INVALID",
    "SIGNATURE_WITNESS_REQUIRED",
    "SIGNATURE_PARTY_UNKNOWN",
    "SIGNATURE_MISSING",
    "DOSSIER_INCOMPLETE",
    "ATTACHMENT_NOT_IMAGE",
    "ATTACHMENT_TOO_LARGE",
    "ATTACHMENT_PIXELS",
    "ATTACHMENT_QUOTA",
    "ATTACHMENT_UNKNOWN",
    "ATTACHMENT_NOT_FOUND",
    "ATTACHMENT_NOT_RECEIVED",
    "ATTACHMENT_HASH_MISMATCH",
    "ATTACHMENT_CHUNK_INVALID",
    "BACKUP_PASSPHRASE_WRONG",
    "BACKUP_PASSPHRASE_WEAK",
    "BACKUP_PASSPHRASE_MISMATCH",
    "BACKUP_DAMAGED",
    "BACKUP_FAILED",
    "RESTORE_TARGET_NOT_EMPTY",
    "HUB_CODE_INVALID",
    "HUB_STATION_UNKNOWN",
    "HUB_STATION_REVOKED",
    "HUB_SIGNATURE_INVALID",
    "HUB_REQUEST_STALE",
    "HUB_NOT_REGISTERED",
    "HUB_UNREACHABLE",
    "HUB_CERT_MISMATCH",
    "HUB_ERROR",
    "HUB_DATABASE_UNAVAILABLE",
    "HUB_FIGURES_REFUSED",
    "HUB_READER_TOKEN_INVALID",
    "HUB_RELAY_ELSEWHERE",
    "HUB_RELAY_REFUSED",
]


@dataclass(frozen=True)
class ErrorCode:
    code: Code
    status: int
    vi: str
    en: str


def _c(code: Code, status: int, vi: str, en: str) -> ErrorCode:
    return ErrorCode(code, status, unicodedata.normalize("NFC", vi), en)


# Keep codes stable: tests, scripts and the docs refer to them by name.
CATALOGUE: dict[Code, ErrorCode] = {
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
            "The sex in the QR code must be male (Nam) or female (Nu).",
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
        # --- photos of documents (attachments) ---
        _c(
            "ATTACHMENT_NOT_IMAGE",
            422,
            "Tệp không phải ảnh JPEG hoặc PNG đọc được; hãy chụp lại giấy tờ.",
            "The file is not a readable JPEG or PNG picture; photograph the document again.",
        ),
        _c(
            "ATTACHMENT_TOO_LARGE",
            413,
            "Ảnh quá lớn ({size_mb} MB); tối đa {limit_mb} MB.",
            "The photo is too large ({size_mb} MB); at most {limit_mb} MB.",
        ),
        _c(
            "ATTACHMENT_PIXELS",
            413,
            "Ảnh quá lớn ({width} × {height} điểm ảnh); cạnh dài tối đa {max_side} điểm ảnh.",
            "The picture is too large ({width} x {height} pixels); its long side may be at "
            "most {max_side} pixels.",
        ),
        _c(
            "ATTACHMENT_QUOTA",
            429,
            "Máy tính bảng này đã gửi {count} ảnh ({size_mb} MB) chưa thuộc hồ sơ nào; tối đa "
            "{max_count} ảnh, {max_mb} MB. Hãy gửi hồ sơ trước, ảnh sau.",
            "This tablet has sent {count} photos ({size_mb} MB) that no dossier refers to; at "
            "most {max_count} photos, {max_mb} MB. Send the dossiers first, then the photos.",
        ),
        _c(
            "ATTACHMENT_UNKNOWN",
            422,
            "Không có ảnh {sha} trên máy này; hãy chụp lại giấy tờ.",
            "Photo {sha} is not on this device; photograph the document again.",
        ),
        _c(
            "ATTACHMENT_NOT_FOUND",
            404,
            "Hồ sơ không có ảnh này.",
            "The dossier has no such photo.",
        ),
        _c(
            "ATTACHMENT_NOT_RECEIVED",
            409,
            "Chưa nhận ảnh này từ máy tính bảng; ảnh sẽ đến ở lần đồng bộ sau.",
            "This photo has not arrived from the tablet yet; it comes with the next sync.",
        ),
        _c(
            "ATTACHMENT_HASH_MISMATCH",
            422,
            "Ảnh nhận được không khớp mã SHA-256 đã khai; các phần đã nhận bị bỏ, cần gửi lại.",
            "The photo received does not match its declared SHA-256; its chunks were dropped.",
        ),
        _c(
            "ATTACHMENT_CHUNK_INVALID",
            409,
            "Phần {n} của ảnh không hợp lệ[: {detail_vi}].",
            "Chunk {n} of the photo is not valid[: {detail}].",
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
            "Ba chữ số đầu của số định danh không phải mã tỉnh hoặc mã quốc gia hợp lệ.",
            "The first three digits of the ID number are not a valid province or country code.",
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
        # --- procedure bundles: identity numbers, cross-field rules ---
        _c(
            "FIELD_ID_PROVINCE",
            422,
            "{label}: ba chữ số đầu ({prefix}) không phải mã tỉnh, thành phố hoặc mã quốc gia.",
            "{label}: the first three digits ({prefix}) are not a province or country code.",
        ),
        _c(
            "FIELD_ID_MISMATCH",
            422,
            "{label} không khớp với giới tính hoặc năm sinh đã khai.",
            "{label} does not match the declared sex or year of birth.",
        ),
        _c(
            "FIELD_DOCUMENT_NUMBER",
            422,
            "{label}: số giấy tờ không hợp lệ.",
            "{label}: not a valid document number.",
        ),
        _c(
            "FIELD_MIN_AGE",
            422,
            "{label}: chưa đủ {min} tuổi.",
            "{label}: under {min} years of age.",
        ),
        _c("FIELD_MUST_ACCEPT", 422, "Cần xác nhận: {label}.", "{label} must be confirmed."),
        _c(
            "FIELD_MUST_MATCH",
            422,
            "{label} phải giống {other}.",
            "{label} must be the same as {other_en}.",
        ),
        _c(
            "FIELD_DATE_ORDER",
            422,
            "{label} không được trước {other}.",
            "{label} cannot be before {other_en}.",
        ),
        _c(
            "USE_OTHER_PROCEDURE",
            422,
            "Trường hợp này thuộc thủ tục {procedure} – {procedure_name}.",
            "This case belongs to procedure {procedure} ({procedure_name_en}).",
        ),
        # --- rules of the law (docs/legal.md) ---
        _c(
            "COMPONENT_NOT_APPLICABLE",
            422,
            "Giấy tờ không thuộc hồ sơ này, không được đánh dấu đã nộp: {items}.",
            "These papers do not belong to this dossier and cannot be ticked: {items_en}.",
        ),
        _c(
            "MARRIAGE_SAME_SEX",
            422,
            "Hai bên cùng giới tính: Nhà nước không thừa nhận hôn nhân giữa những người cùng "
            "giới tính (Luật Hôn nhân và gia đình 2014, Điều 8 khoản 2).",
            "Both parties are of the same sex: the State does not recognise marriage between "
            "persons of the same sex (Law on Marriage and Family 2014, art. 8(2)).",
        ),
        _c(
            "PARENT_AGE_IMPLAUSIBLE",
            422,
            "{label}: người {parent} mới {age} tuổi khi trẻ sinh ra — kiểm tra lại ngày sinh.",
            "{label_en}: the {parent_en} would have been {age} when the child was born — "
            "check the date of birth.",
        ),
        _c(
            "SIGNATURE_IS_CONTRACT",
            422,
            "Không chứng thực chữ ký trên giấy tờ, văn bản có nội dung là hợp đồng, giao dịch "
            "(Nghị định 23/2015/NĐ-CP, Điều 25): dùng thủ tục chứng thực hợp đồng, giao dịch.",
            "A signature on a contract or transaction is not certified this way (Decree "
            "23/2015, art. 25): use the certification of contracts and transactions.",
        ),
        _c(
            "PERSONAL_ID_MISSING",
            409,
            "Chưa nhập {label}: Giấy khai sinh phải ghi số định danh cá nhân được cấp khi "
            "đăng ký khai sinh.",
            "{label_en} not entered yet: the birth certificate must carry the personal "
            "identification number issued at registration.",
        ),
        _c(
            "RESULT_PARTIES_UNSIGNED",
            409,
            "Chưa đóng dấu được: {parties} chưa ký vào Giấy chứng nhận kết hôn (hai bên nam, "
            "nữ cùng ký trước khi đóng dấu).",
            "Cannot seal yet: {parties_en} not yet signed the marriage certificate (both "
            "spouses sign before the seal).",
        ),
        _c(
            "LOOKUP_INVALID",
            422,
            "Kết quả tra cứu không hợp lệ: {detail_vi}.",
            "The lookup record is not valid: {detail}.",
        ),
        _c(
            "LOOKUPS_PENDING",
            409,
            "Chưa thể chuyển hồ sơ: còn việc tra cứu hoặc xác minh chưa xong ({items}).",
            "The dossier cannot move on: lookups or verifications are still open ({items_en}).",
        ),
        _c(
            "DOSSIER_INVALID",
            422,
            "Hồ sơ chưa đầy đủ hoặc có thông tin sai ({count} lỗi).",
            "The dossier is incomplete or has errors ({count}).",
        ),
        _c(
            "DOSSIER_INCOMPLETE",
            422,
            "Hồ sơ chưa đủ thành phần ({count} mục): {items}.",
            "The dossier is incomplete ({count} item(s)): {items_en}.",
        ),
        _c(
            "REQUEST_INVALID",
            400,
            "Yêu cầu không hợp lệ[: {detail_vi}].",
            "Invalid request[: {detail}].",
        ),
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
            "Tệp thủ tục {file} sai ở mục {where}.",
            "Procedure file {file} is wrong at {where}: {detail}.",
        ),
        _c(
            "CATALOGUE_DOWNGRADE",
            409,
            "Thủ tục {procedure}: không nhận phiên bản {version} vì đang dùng phiên bản {current}"
            " mới hơn.",
            "Procedure {procedure}: version {version} refused, newer version {current} in use.",
        ),
        _c(
            "CATALOGUE_IMPORT_INVALID",
            422,
            "Tệp danh mục {file} có {count} lỗi (xem từng dòng, từng trường); chưa nhập thủ "
            "tục nào, danh mục cũ giữ nguyên.",
            "Catalogue file {file} has {count} error(s) (see each row and field); nothing "
            "was imported, the old catalogue is kept.",
        ),
        _c(
            "PROCEDURE_DISABLED",
            409,
            "Thủ tục {procedure} đang tạm ngừng tiếp nhận tại đơn vị này.",
            "Procedure {procedure} is switched off at this office.",
        ),
        _c(
            "RESULT_REQUIRED",
            422,
            "Thủ tục này không có mẫu kết quả trong ứng dụng: đính kèm tệp PDF kết quả đã ký "
            "số, hoặc ghi số và ngày của kết quả bản giấy.",
            "This procedure has no result layout here: attach the signed PDF result, or "
            "record the number and date of the paper result.",
        ),
        _c(
            "RESULT_PDF_INVALID",
            422,
            "Tệp kết quả đính kèm không đọc được như một tệp PDF[ ({detail_vi})].",
            "The attached result is not a readable PDF[ ({detail})].",
        ),
        _c(
            "RESULT_PDF_UNSIGNED",
            422,
            "Tệp PDF kết quả chưa có chữ ký số; chỉ nhận kết quả đã ký số, hoặc ghi kết quả "
            "bản giấy.",
            "The result PDF carries no digital signature; attach a signed one, or record a "
            "paper result.",
        ),
        _c(
            "RESULT_PDF_SIGNATURE_INVALID",
            422,
            "Chữ ký số {signature} trong tệp PDF kết quả không hợp lệ: tệp đã bị sửa sau khi "
            "ký hoặc chữ ký hỏng.",
            "Signature {signature} of the result PDF is not valid: the file was changed "
            "after signing, or the signature is broken.",
        ),
        _c(
            "RESULT_PAPER_INVALID",
            422,
            "Kết quả bản giấy: {detail_vi}.",
            "Paper result: {detail}.",
        ),
        _c(
            "PROCEDURE_VERSION_UNKNOWN",
            409,
            "Trạm chưa có phiên bản {version} của thủ tục {procedure}; hãy cập nhật trạm.",
            "The station does not know version {version} of procedure {procedure}; update it.",
        ),
        # --- the unit a station serves, its calendar and paperwork ---
        _c(
            "UNIT_UNKNOWN",
            422,
            "Không tìm thấy '{name}' ({scope}) trong danh mục đơn vị hành chính 2025. "
            "Gần đúng: {candidates}.",
            "'{name}' ({scope}) is not in the 2025 list of administrative units. "
            "Closest: {candidates}.",
        ),
        _c(
            "PAPER_NOT_APPLICABLE",
            409,
            "Hồ sơ ở trạng thái '{status}' không có {paper}.",
            "A dossier in status '{status}' has no {paper}.",
        ),
        # --- the public verify address (QR code on results) ---
        _c(
            "PUBLIC_URL_INVALID",
            422,
            "Địa chỉ tra cứu công khai không hợp lệ[: {detail_vi}].",
            "The public verify address is not valid[: {detail}].",
        ),
        _c(
            "PUBLIC_URL_NOT_READY",
            409,
            "Chưa thể ký ban hành kết quả: địa chỉ tra cứu công khai in trong mã QR "
            "{why}. Quản trị viên cần khai báo địa chỉ https mà điện thoại người dân mở "
            "được (trang Đơn vị trên bàn làm việc, hoặc lệnh admin public-url).",
            "The result cannot be issued yet: the public verify address printed in its QR "
            "code {why}. An administrator must set an https address citizens' phones can "
            "open (the desk's Unit page, or admin public-url).",
        ),
        # --- the declaration and the citizen's signature ---
        _c(
            "SIGNATURE_INVALID",
            400,
            "Chữ ký trên màn hình không hợp lệ[: {detail_vi}].",
            "The on-screen signature is invalid[: {detail}].",
        ),
        _c(
            "SIGNATURE_WITNESS_REQUIRED",
            400,
            "Người dân điểm chỉ thay cho chữ ký: cần ghi họ, tên người làm chứng.",
            "A thumbprint instead of a signature needs the witness's full name.",
        ),
        _c(
            "SIGNATURE_PARTY_UNKNOWN",
            400,
            "'{party}' không phải người ký tờ khai của thủ tục này.",
            "'{party}' does not sign this procedure's declaration.",
        ),
        _c(
            "SIGNATURE_MISSING",
            400,
            "Tờ khai chưa có chữ ký của {parties}.",
            "The declaration is not yet signed by {parties}.",
        ),
        _c(
            "CALENDAR_INVALID",
            422,
            "Ngày {day} không hợp lệ cho lịch làm việc[: {detail_vi}].",
            "Date {day} is not valid for the working calendar[: {detail}].",
        ),
        # --- workflow ---
        _c(
            "TRANSITION_NOT_ALLOWED",
            409,
            "Không thể '{action}' hồ sơ đang ở trạng thái '{status}'.",
            "Cannot '{action}' a dossier that is '{status}'.",
        ),
        _c(
            "ROLE_NOT_ALLOWED",
            403,
            "{role} không được phép '{action}'.",
            "{role} may not '{action}'.",
        ),
        _c(
            "ACTION_UNKNOWN",
            400,
            "Thao tác '{action}' không tồn tại.",
            "Unknown action '{action}'.",
        ),
        _c(
            "RECEIVED_AT_IMPLAUSIBLE",
            422,
            "Thời điểm tiếp nhận lệch quá xa so với giờ của máy chủ văn phòng.",
            "The receipt time is too far from the station's clock.",
        ),
        _c("REASON_REQUIRED", 422, "Cần ghi rõ lý do.", "A reason is required."),
        _c("DOSSIER_NOT_FOUND", 404, "Không tìm thấy hồ sơ.", "Dossier not found."),
        _c("RESULT_NOT_READY", 409, "Hồ sơ chưa có kết quả.", "The result is not ready yet."),
        _c(
            "SIGNER_UNAVAILABLE",
            503,
            "Không ký được: chưa có chứng thư số hoặc thiết bị ký của '{holder}'.",
            "Cannot sign: no certificate or signing token available for '{holder}'.",
        ),
        _c(
            "CERT_IMPORT_FAILED",
            422,
            "Không nạp được chứng thư số[: {detail_vi}].",
            "Could not load the certificate[: {detail}].",
        ),
        _c(
            "EDIT_CONFLICT",
            409,
            "Hồ sơ đã thay đổi ở nơi khác (phiên bản {server} > {base}); bản sửa được giữ lại.",
            "The dossier changed elsewhere (version {server} > {base}); the edit is kept.",
        ),
        _c(
            "ACTION_CONFLICT",
            409,
            "Hồ sơ vừa được thay đổi ở nơi khác trong lúc '{action}' (phiên bản {server} ≠ "
            "{base}); chưa có gì được lưu. Xin mở lại hồ sơ và thực hiện lại.",
            "The dossier changed elsewhere during '{action}' (version {server} ≠ {base}); "
            "nothing was saved. Open the dossier again and repeat the action.",
        ),
        _c(
            "DOSSIER_CODE_EXHAUSTED",
            409,
            "Máy đã dùng hết số hồ sơ được cấp cho hôm nay; hãy đồng bộ với trạm để nhận thêm.",
            "This device used every dossier number it holds for today; sync to get more.",
        ),
        _c(
            "DOSSIER_CODE_TAKEN",
            409,
            "Mã hồ sơ {dossier_code} đã được dùng cho hồ sơ khác (máy được khôi phục hoặc sao "
            "chép?); máy sẽ cấp mã mới khi đăng ký lại.",
            "Dossier code {dossier_code} is already used by another dossier (a restored or cloned "
            "tablet?); the tablet gives it a new code when it re-enrols.",
        ),
        # --- auth / staff ---
        _c("AUTH_REQUIRED", 401, "Cần đăng nhập.", "Sign-in required."),
        _c(
            "ROLE_FORBIDDEN",
            403,
            "{role} không được dùng chức năng này.",
            "{role} may not use this function.",
        ),
        _c(
            "AUTH_FAILED",
            401,
            "Tên đăng nhập hoặc mã PIN không đúng, hoặc tài khoản đang tạm khoá vì nhập sai "
            "nhiều lần (thử lại sau 15 phút hoặc nhờ quản trị mở khoá).",
            "Wrong username or PIN, or the account is locked for a while after repeated "
            "wrong PINs (retry in 15 minutes or ask the administrator to unlock it).",
        ),
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
            "PIN_FORMAT",
            422,
            "Mã PIN phải gồm {min} đến {max} chữ số.",
            "The PIN must be {min} to {max} digits.",
        ),
        _c(
            "PIN_GUESSABLE",
            422,
            "Mã PIN này quá dễ đoán (dãy liên tiếp, lặp lại hoặc mẫu phổ biến như 123456, "
            "111111, 121212); hãy chọn mã khác.",
            "This PIN is too easy to guess (a run, a repeat or a common pattern such as "
            "123456, 111111, 121212); choose another.",
        ),
        _c(
            "RATE_LIMITED",
            429,
            "Thử quá nhiều lần. Vui lòng đợi {wait} giây rồi thử lại.",
            "Too many attempts. Wait {wait} seconds and try again.",
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
            "Mã đăng ký thiết bị không đúng, đã dùng hoặc đã hết hạn.",
            "The enrollment code is wrong, used or expired.",
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
        _c(
            "UNIT_NOT_CONFIGURED",
            409,
            "Máy chủ văn phòng chưa khai báo xã (đơn vị hành chính) phục vụ; "
            "quản trị viên cần khai báo xã (trang Quản trị trên bàn làm việc, hoặc lệnh "
            "unit-set) trước khi đăng ký máy và nhận hồ sơ.",
            "The office station has no commune (administrative unit) set up; an administrator "
            "must set it (desk admin page, or admin unit-set) before tablets can enrol and "
            "receive dossiers.",
        ),
        # --- sync / crypto ---
        _c(
            "ENVELOPE_MALFORMED",
            400,
            "Gói dữ liệu đồng bộ sai cấu trúc.",
            "Malformed sync envelope[: {detail}].",
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
            "Gói dữ liệu không khớp ngữ cảnh (thiết bị, số thứ tự hoặc phiên bản).",
            "The envelope does not match its context[ ({detail})].",
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
            "Gói số {seq} đã nhận trước đó với nội dung khác: máy này có thể đã được khôi phục "
            "hoặc sao chép. Hãy đăng ký lại máy (khôi phục) với mã đăng ký mới từ văn phòng.",
            "Change {seq} was received before with different content: this tablet may have "
            "been restored or cloned. Re-enrol it (recovery) with a new enrolment code.",
        ),
        _c(
            "STATION_LOST_CHANGES",
            409,
            "CẢNH BÁO: máy chủ văn phòng không còn giữ đủ hồ sơ đã xác nhận nhận từ máy này "
            "({count} lần gửi, từ số {first}). Báo ngay lãnh đạo và quản trị; máy này vẫn giữ "
            "bản của mình.",
            "WARNING: the office station no longer holds everything it acknowledged from this "
            "tablet ({count} change(s), from change {first} on). Tell the leader and the "
            "administrator now; this tablet keeps its copies.",
        ),
        _c(
            "STATION_UNREACHABLE",
            503,
            "Không kết nối được máy chủ văn phòng.",
            "The office station cannot be reached.",
        ),
        _c(
            "STATION_ERROR",
            502,
            "Máy chủ văn phòng trả lời không đúng giao thức.",
            "Station error[: {detail}].",
        ),
        _c(
            "STATION_KEY_MISMATCH",
            502,
            "Khoá của máy chủ văn phòng không khớp khoá đã ghim.",
            "The station's key does not match the pinned key.",
        ),
        _c(
            "STATION_CERT_MISMATCH",
            502,
            "Máy chủ trả lời bằng chứng thư bảo mật khác với chứng thư đã ghim khi đăng ký: "
            "có thể có máy giả mạo trên mạng. Chưa gửi dữ liệu nào; hãy báo quản trị.",
            "The station presented a TLS certificate other than the one pinned at enrolment "
            "(a machine in the middle?). Nothing was sent; tell the administrator.",
        ),
        _c(
            "PLAIN_HTTP_REFUSED",
            400,
            "HTTP không mã hoá chỉ dùng để thử trên chính máy này (127.0.0.1)[: {detail_vi}].",
            "Plain HTTP is for development on this machine (loopback) only[: {detail}].",
        ),
        _c(
            "TLS_CERT_INVALID",
            422,
            "Không nạp được chứng thư TLS của máy chủ[: {detail_vi}].",
            "Could not install the station's TLS certificate[: {detail}].",
        ),
        _c(
            "ENROLL_CODE_INCOMPLETE",
            422,
            "Mã đăng ký thiếu phần xác thực máy chủ: nhập đủ 8 nhóm ký tự như văn phòng in ra.",
            "The enrolment code lacks the station's certificate part: type all 8 groups as "
            "the office printed them.",
        ),
        _c(
            "AUDIT_ANCHOR_MISMATCH",
            500,
            "Nhật ký kiểm tra không khớp mốc đã ký lúc {at} (dòng {rows}): "
            "nhật ký đã bị cắt bớt hoặc dựng lại.",
            "The audit log contradicts the signed anchor of {at} (entry {rows}): "
            "it was truncated or rebuilt.",
        ),
        _c(
            "AUDIT_STATUS_MISMATCH",
            500,
            "Trạng thái của hồ sơ {dossier} không khớp nhật ký kiểm tra.",
            "The status of dossier {dossier} does not match the audit log.",
        ),
        _c(
            "AUDIT_DOSSIER_MISSING",
            500,
            "Nhật ký đồng bộ ghi đã nhận thay đổi số {seq} của máy {device} nhưng hồ sơ của nó "
            "không còn, hoặc nhật ký thiếu dòng: dữ liệu đã bị xoá.",
            "The sync log says change {seq} of device {device} was received, but its dossier "
            "is gone or the log has a gap: data was deleted.",
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
            "Dữ liệu lưu trữ bị hỏng.",
            "Stored data is corrupt[: {detail}].",
        ),
        _c(
            "INTERNAL",
            500,
            "Lỗi hệ thống[ (mã lỗi {error_id})]. Dữ liệu đã nhập vẫn được giữ.",
            "Internal error[ (error id {error_id})]. Entered data is kept.",
        ),
        _c(
            "BODY_TOO_LARGE",
            413,
            "Dữ liệu gửi lên quá lớn (tối đa {max_mb} MB).",
            "The request body is too large (at most {max_mb} MB).",
        ),
        _c(
            "DISK_FULL",
            507,
            "Máy chủ văn phòng hết dung lượng ổ đĩa; dữ liệu chưa được lưu, hãy báo quản trị.",
            "The office station's disk is full; nothing was saved. Tell the administrator.",
        ),
        _c(
            "DEVICE_DISK_FULL",
            507,
            "Máy tính bảng hết dung lượng lưu trữ; thao tác vừa rồi chưa được lưu (dữ liệu cũ vẫn "
            "còn). Hãy xoá bớt ảnh hoặc ứng dụng khác trên máy rồi thử lại.",
            "The tablet's storage is full; the last action was not saved (earlier data is "
            "kept). Free some space (photos, other apps) and try again.",
        ),
        # --- backup and restore (docs/operations.md) ---
        _c(
            "BACKUP_PASSPHRASE_WRONG",
            403,
            "Mật khẩu sao lưu không đúng; không có gì được ghi.",
            "Wrong backup passphrase; nothing was written.",
        ),
        _c(
            "BACKUP_PASSPHRASE_WEAK",
            422,
            "Mật khẩu sao lưu cần ít nhất {min} ký tự.",
            "The backup passphrase needs at least {min} characters.",
        ),
        _c(
            "BACKUP_PASSPHRASE_MISMATCH",
            422,
            "Hai lần nhập mật khẩu sao lưu không giống nhau.",
            "The two backup passphrases typed differ.",
        ),
        _c(
            "BACKUP_DAMAGED",
            422,
            "Tệp sao lưu bị hỏng hoặc đã bị sửa[: {detail_vi}]; không có gì được ghi.",
            "The backup file is damaged or was altered[: {detail}]; nothing was written.",
        ),
        _c(
            "BACKUP_FAILED",
            500,
            "Không sao lưu được vào {path}[: {detail_vi}]. Hãy kiểm tra ổ đĩa sao lưu.",
            "The backup to {path} failed[: {detail}]. Check the backup drive.",
        ),
        _c(
            "RESTORE_TARGET_NOT_EMPTY",
            409,
            "Thư mục {path} đã có dữ liệu; hãy khôi phục vào một thư mục mới, trống.",
            "Folder {path} is not empty; restore into a new, empty folder.",
        ),
        # --- the provincial hub (docs/province.md) ---
        _c(
            "HUB_CODE_INVALID",
            403,
            "Mã đăng ký với cổng tỉnh không đúng, đã dùng, đã hết hạn hoặc cấp cho đơn vị "
            "khác[ ({detail_vi})]. Hãy xin quản trị cổng tỉnh mã mới.",
            "The provincial hub registration code is wrong, used, expired or issued for "
            "another unit[ ({detail})]. Ask the hub's administrator for a new one.",
        ),
        _c(
            "HUB_STATION_UNKNOWN",
            401,
            "Cổng tỉnh không có máy chủ xã {unit} trong danh bạ; hãy đăng ký lại bằng mã mới.",
            "The provincial hub has no station {unit} in its directory; register again "
            "with a new code.",
        ),
        _c(
            "HUB_STATION_REVOKED",
            403,
            "Máy chủ xã {unit} đã bị cổng tỉnh thu hồi; hãy liên hệ quản trị cổng tỉnh.",
            "Station {unit} was revoked by the provincial hub; contact the hub's administrator.",
        ),
        _c(
            "HUB_SIGNATURE_INVALID",
            401,
            "Chữ ký của yêu cầu gửi cổng tỉnh không hợp lệ[ ({detail_vi})]; không có gì được ghi.",
            "The signature of the request to the provincial hub is not valid[ ({detail})]; "
            "nothing was written.",
        ),
        _c(
            "HUB_REQUEST_STALE",
            401,
            "Yêu cầu gửi cổng tỉnh đã cũ hoặc bị gửi lại[ ({detail_vi})]; hãy kiểm tra đồng hồ "
            "của máy chủ rồi gửi lại.",
            "The request to the provincial hub is stale or replayed[ ({detail})]; check the "
            "station's clock and send again.",
        ),
        _c(
            "HUB_NOT_REGISTERED",
            409,
            "Máy chủ xã chưa đăng ký với cổng tỉnh (admin hub-register).",
            "This station is not registered with a provincial hub (admin hub-register).",
        ),
        _c(
            "HUB_UNREACHABLE",
            503,
            "Không kết nối được cổng tỉnh[ ({detail_vi})]; số liệu và hồ sơ chờ gửi được giữ "
            "lại và gửi sau.",
            "The provincial hub cannot be reached[ ({detail})]; the figures and dossiers "
            "waiting are kept and sent later.",
        ),
        _c(
            "HUB_CERT_MISMATCH",
            502,
            "Cổng tỉnh trả lời bằng chứng thư bảo mật khác với chứng thư đã ghim: có thể có máy "
            "giả mạo trên mạng. Chưa gửi dữ liệu nào; hãy báo quản trị.",
            "The provincial hub presented a TLS certificate other than the pinned one (a "
            "machine in the middle?). Nothing was sent; tell the administrator.",
        ),
        _c(
            "HUB_ERROR",
            502,
            "Cổng tỉnh trả lời không như mong đợi[ ({detail_vi})].",
            "The provincial hub answered unexpectedly[ ({detail})].",
        ),
        _c(
            "HUB_DATABASE_UNAVAILABLE",
            503,
            "Cổng tỉnh không kết nối được cơ sở dữ liệu; chưa ghi gì, hãy thử lại sau.",
            "The provincial hub cannot reach its database; nothing was written, try again later.",
        ),
        _c(
            "HUB_FIGURES_REFUSED",
            422,
            "Cổng tỉnh không nhận số liệu ngày {day}[: {detail_vi}]; không ngày nào được ghi.",
            "The provincial hub refused the figures of {day}[: {detail}]; no day was written.",
        ),
        _c(
            "HUB_READER_TOKEN_INVALID",
            401,
            "Mã truy cập cổng tỉnh không đúng hoặc đã bị thu hồi.",
            "The provincial hub access token is wrong or was revoked.",
        ),
        _c(
            "HUB_RELAY_ELSEWHERE",
            409,
            "Hồ sơ {dossier_code} được chuyển qua cổng tỉnh: việc này làm tại {unit}.",
            "Dossier {dossier_code} travels through the provincial hub: this is done at {unit}.",
        ),
        _c(
            "HUB_RELAY_REFUSED",
            422,
            "Xã có thẩm quyền {unit} không nhận hồ sơ chuyển đến[: {detail_vi}]; hồ sơ vẫn "
            "ở xã tiếp nhận.",
            "The competent commune {unit} did not take the dossier sent to it[: {detail}]; "
            "the dossier stays at the receiving commune.",
        ),
    ]
}

if set(get_args(Code)) != set(CATALOGUE):  # pragma: no cover - a merge/edit mistake
    raise RuntimeError(f"Code and CATALOGUE differ: {set(get_args(Code)) ^ set(CATALOGUE)}")


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class _Missing(dict[str, Any]):
    """Format mapping that shows an ellipsis rather than a raw ``{placeholder}``."""

    def __missing__(self, key: str) -> str:
        return "…"


def _render(template: str, ctx: dict[str, Any]) -> str:
    """Fill ``{placeholders}``; a ``[...]`` segment appears only when all its values exist.

    Optional segments let one template serve callers with and without a detail, so a
    message never shows a bare ``{detail}`` and a language never gets the other's text.
    """

    def optional(m: re.Match[str]) -> str:
        names = _PLACEHOLDER.findall(m.group(1))
        return m.group(1) if all(ctx.get(n) not in (None, "") for n in names) else ""

    return _OPTIONAL.sub(optional, template).format_map(_Missing(ctx))


@dataclass
class TaiChoError(Exception):
    """A catalogued failure; ``ctx`` fills the message templates."""

    code: Code
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
        """The message in ``vi`` or ``en``.

        Context keys follow one convention: a plain key (``label``, ``role``) holds the
        Vietnamese or language-neutral value, ``<key>_en`` its English counterpart, which
        replaces it in the English message; ``detail`` is English (technical, for
        developers and logs) and Vietnamese templates show ``detail_vi`` instead.
        """
        if lang == "vi":
            return _render(self.entry.vi, self.ctx)
        ctx = dict(self.ctx)
        for key, value in self.ctx.items():
            if key.endswith("_en"):
                ctx[key[:-3]] = value
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


def is_code(value: object) -> TypeGuard[Code]:
    """True for a catalogued code: how a code read off the wire becomes a ``Code``."""
    return isinstance(value, str) and value in CATALOGUE


def problem(code: Code, field: str | None = None, **ctx: Any) -> TaiChoError:
    """Build (not raise) a catalogued error: ``raise problem("FIELD_REQUIRED", "x", label=...)``."""
    return TaiChoError(code, field, dict(ctx))
