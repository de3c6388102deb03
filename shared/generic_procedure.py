"""The generic procedure: what every procedure without a form of its own asks.

Most of a commune's catalogue (copies of extracts, nhận cha mẹ con, giám hộ, trợ cấp xã
hội, …) has no layout in Tại Chỗ. Such a procedure still goes the whole one-stop path:
its dossier holds the requester, how to reach them, and the request in the citizen's own
words; its components are the thành phần hồ sơ of the national record; its declaration is
the generic tờ khai (:mod:`shared.documents.generic_declaration`); its result is produced
in another system and attached at "stamp", or issued on paper and its number and date
recorded (docs/catalogue.md).

The fields are fixed here, once, so a tablet, the station and the generic tờ khai agree
on them whatever record was imported.
"""

from __future__ import annotations

import copy
import random
import unicodedata
from datetime import date
from typing import Any

from shared.catalogue import GENERIC_TEMPLATE, Procedure
from shared.procedures import people

__all__ = [
    "GENERIC_TEMPLATE",
    "PLEDGE_VI",
    "REQUEST_FIELD",
    "generic_sample",
    "generic_sections",
    "request_text",
]

REQUEST_FIELD = "request_text"
# The cam đoan of the hộ tịch tờ khai (Thông tư 04/2020/TT-BTP, e.g. Mẫu tờ khai đăng ký
# nhận cha, mẹ, con), used word for word: docs/legal.md, "The generic tờ khai".
PLEDGE_VI = (
    "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước "
    "pháp luật về cam đoan của mình."
)
_NAME_PATTERN = '[^\\d!@#$%^&*()_=+\\[\\]{};:\\"<>?/\\\\|~`]+'
_EMAIL_PATTERN = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"

_ID_CHOICES = [
    {
        "value": "cccd",
        "label": {
            "vi": "Số định danh cá nhân (thẻ căn cước, CCCD)",
            "en": "Personal identification number (ID card)",
        },
    },
    {"value": "ho_chieu", "label": {"vi": "Hộ chiếu", "en": "Passport"}},
    {"value": "khac", "label": {"vi": "Giấy tờ khác có ảnh", "en": "Other photo document"}},
]
_OTHER_DOC = {"field": "requester_id_type", "in": ["ho_chieu", "khac"]}

_SECTIONS: list[dict[str, Any]] = [
    {
        "id": "requester",
        "title": {"vi": "Người yêu cầu", "en": "Requester"},
        "fields": [
            {
                "id": "requester_full_name",
                "label": {"vi": "Họ, chữ đệm, tên người yêu cầu", "en": "Requester's full name"},
                "type": "text",
                "required": True,
                "max_length": 100,
                "pattern": _NAME_PATTERN,
            },
            {
                "id": "requester_birth_date",
                "label": {
                    "vi": "Ngày, tháng, năm sinh người yêu cầu",
                    "en": "Requester's date of birth",
                },
                "type": "date",
                "not_future": True,
                "max_age_years": 120,
            },
            {
                "id": "requester_id_type",
                "label": {
                    "vi": "Loại giấy tờ tùy thân người yêu cầu",
                    "en": "Requester's identity document",
                },
                "type": "choice",
                "required": True,
                "choices": _ID_CHOICES,
                "default": "cccd",
            },
            {
                "id": "requester_id_number",
                "label": {
                    "vi": "Số giấy tờ tùy thân người yêu cầu",
                    "en": "Requester's ID or document number",
                },
                "type": "cccd",
                "required": True,
                "help": {
                    "vi": "Thẻ căn cước: 12 chữ số; hộ chiếu, giấy tờ khác: số in trên đó.",
                    "en": "ID card: 12 digits; passport or other document: its number.",
                },
                "id_kind_field": "requester_id_type",
                "id_birth_field": "requester_birth_date",
            },
            {
                "id": "requester_id_issuer",
                "label": {
                    "vi": "Cơ quan cấp giấy tờ người yêu cầu",
                    "en": "Requester's document issuer",
                },
                "type": "text",
                "required": True,
                "max_length": 150,
                "show_if": _OTHER_DOC,
            },
            {
                "id": "requester_id_issue_date",
                "label": {
                    "vi": "Ngày cấp giấy tờ người yêu cầu",
                    "en": "Requester's document issue date",
                },
                "type": "date",
                "required": True,
                "not_future": True,
                "max_age_years": 100,
                "show_if": _OTHER_DOC,
            },
            {
                "id": "requester_residence",
                "label": {"vi": "Nơi cư trú người yêu cầu", "en": "Requester's residence"},
                "type": "text",
                "required": True,
                "max_length": 250,
                "multiline": True,
            },
        ],
    },
    {
        "id": "contact",
        "title": {"vi": "Liên hệ", "en": "Contact"},
        "fields": [
            {
                "id": "requester_phone",
                "label": {"vi": "Số điện thoại", "en": "Phone number"},
                "type": "phone",
            },
            {
                "id": "requester_email",
                "label": {"vi": "Thư điện tử", "en": "Email"},
                "type": "text",
                "max_length": 120,
                "pattern": _EMAIL_PATTERN,
            },
        ],
    },
    {
        "id": "request",
        "title": {"vi": "Nội dung yêu cầu", "en": "The request"},
        "fields": [
            {
                "id": REQUEST_FIELD,
                "label": {
                    "vi": "Nội dung đề nghị (lời người yêu cầu)",
                    "en": "The request, in the requester's words",
                },
                "type": "text",
                "required": True,
                "min_length": 5,
                "max_length": 2000,
                "multiline": True,
                "help": {
                    "vi": "Ghi đúng điều người dân đề nghị, theo lời của họ.",
                    "en": "Write what the citizen asks for, in their words.",
                },
            },
            {
                "id": "requester_pledge",
                "label": {
                    "vi": PLEDGE_VI,
                    "en": "I declare that the above is true and take full legal responsibility"
                    " for it.",
                },
                "type": "bool",
                "required": True,
                "must_accept": True,
            },
        ],
    },
]


def generic_sections() -> list[dict[str, Any]]:
    """The sections of every generic procedure document (a fresh copy to embed)."""
    return copy.deepcopy(_SECTIONS)


# The result name of a record that gives none (shared.catalogue_import): nothing to name.
_NO_RESULT = "Kết quả giải quyết thủ tục hành chính"


def _action(procedure: Procedure) -> str:
    """What the citizen asks for, from the procedure's name: "Thủ tục đăng ký giám hộ" →
    "đăng ký giám hộ", "Cấp bản sao Trích lục hộ tịch" → "cấp bản sao Trích lục hộ tịch"
    (only the first letter is lowered: a document's name keeps its capital)."""
    name = procedure.name.vi.strip()
    if name.casefold().startswith("thủ tục "):
        name = name[len("thủ tục ") :].strip()
    return name[:1].lower() + name[1:]


def _agency(procedure: Procedure) -> str:
    """Whom the request is addressed to, as a citizen writes it: the record's cơ quan thực
    hiện ("Ủy ban nhân dân cấp xã" → "Ủy ban nhân dân xã")."""
    agency = str(procedure.record.get("co_quan_thuc_hien") or "").strip()
    return agency.replace(" cấp xã", " xã") if agency else "Ủy ban nhân dân xã"


def request_text(procedure: Procedure, variant: int = 0) -> str:
    """The request in the citizen's words for ``procedure``, made from its own record:
    the name says what is asked, the cơ quan thực hiện whom, the kết quả what the citizen
    will receive. ``variant`` (0–2) picks one of three ways of saying it, so samples of
    one procedure do not all read alike."""
    action, agency = _action(procedure), _agency(procedure)
    result = procedure.result_name.vi.strip()
    if variant % 3 == 0:
        return f"Tôi đề nghị {agency} giải quyết cho tôi việc {action}."
    if variant % 3 == 1:
        wanted = f"; kết quả xin nhận: {result}" if result and result != _NO_RESULT else ""
        return f"Tôi làm đơn này đề nghị được {action}{wanted}."
    return f"Kính đề nghị {agency} xem xét, {action} theo hồ sơ kèm theo."


def generic_sample(procedure: Procedure, today: date, seed: int = 0) -> dict[str, Any]:
    """A complete valid dossier of a generic procedure (``headless sample``), whose
    request is that procedure's own (:func:`request_text`)."""
    rng = random.Random(f"{procedure.code}:{seed}")
    female = rng.random() < 0.5
    born = people.birth_date(rng, today, 25, 70)
    variant = rng.randrange(3)
    return {
        "requester_full_name": people.full_name(rng, female),
        "requester_birth_date": born.isoformat(),
        "requester_id_type": "cccd",
        "requester_id_number": people.personal_id(rng, female, born),
        "requester_residence": rng.choice(people.PLACES),
        "requester_phone": people.phone(rng),
        REQUEST_FIELD: unicodedata.normalize("NFC", request_text(procedure, variant)),
        "requester_pledge": True,
    }


def is_generic(procedure: Procedure) -> bool:
    return procedure.result_template == GENERIC_TEMPLATE
