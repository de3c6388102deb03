"""A dossier's papers filled from the dossier itself — the same on the station and the tablet.

The station prints them at the desk; the tablet prints the receipt and the supplement
request at the counter or the home visit, offline, from the dossier it holds (issue 21
§2). Both fill :class:`PaperDossier` here, so the two copies of a paper cannot drift.
Who someone is (full name and title) is the caller's to say: the station reads its staff
table, the tablet the office staff the station last sent it.

Which papers a dossier has (:func:`papers_of`) follows its state: a receipt once received,
a supplement request once the office asked for one, a refusal slip once refused, an
apology once recorded, the result once stamped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from shared.catalogue import Procedure
from shared.checklist import applicable_components, form_text
from shared.documents.paperwork.base import Component, PaperDossier
from shared.fees import fee_quote
from shared.model import Dossier, HistoryEntry
from shared.unit import Unit
from shared.workdays import parse_vn

__all__ = [
    "PAPER_NAMES",
    "NameOf",
    "as_receipt",
    "file_name",
    "paper_of",
    "papers_of",
    "split_items",
    "with_supplement_request",
]

# (full name, what they are) of a staff member by username; the username when unknown.
NameOf = Callable[[str], tuple[str, str]]

# Every paper of a dossier, in the order a person looks for them, with its name (vi, en).
PAPER_NAMES: dict[str, tuple[str, str]] = {
    "receipt": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and return appointment"),
    "declaration": ("Tờ khai", "Declaration"),
    "supplement-request": ("Phiếu yêu cầu bổ sung hồ sơ", "Supplement request"),
    "refusal": ("Phiếu từ chối", "Refusal slip"),
    "apology": ("Phiếu xin lỗi và hẹn lại ngày trả", "Apology and new return date"),
    "control-sheet": ("Phiếu kiểm soát quá trình giải quyết", "Processing control sheet"),
    "result": ("Kết quả", "Result"),
}
_ITEM_RE = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s*(.+)$")


def papers_of(status: str, actions: Iterable[str], has_result: bool) -> list[str]:
    """The papers a dossier in ``status`` with these history ``actions`` has (keys of
    :data:`PAPER_NAMES`, in its order)."""
    if status == "draft":
        return []
    done = set(actions)
    have = {"receipt", "declaration", "control-sheet"}
    if "request_supplement" in done:
        have.add("supplement-request")
    if status == "refused" and "refuse" in done:
        have.add("refusal")
    if "apologize" in done:
        have.add("apology")
    if has_result:
        have.add("result")
    return [k for k in PAPER_NAMES if k in have]


def file_name(code: str, paper: str) -> str:
    """``<code>-receipt.pdf``; the result keeps its plain ``<code>.pdf``."""
    return f"{code}.pdf" if paper == "result" else f"{code}-{paper}.pdf"


def split_items(reason: str) -> tuple[str, tuple[str, ...]]:
    """A reason whose lines start with "-", "•" or "1." lists the missing items."""
    items, rest = [], []
    for line in reason.splitlines():
        m = _ITEM_RE.match(line)
        if m:
            items.append(m.group(1).strip())
        elif line.strip():
            rest.append(line.strip())
    return " ".join(rest), tuple(items)


def paper_of(
    d: Dossier,
    proc: Procedure,
    unit: Unit,
    name_of: NameOf,
    province_fees: Mapping[str, int] | None = None,
) -> PaperDossier:
    """What every paper of ``d`` prints: the agency and its service centre, the citizen,
    the papers handed in, the times, the receiving officer and the fee
    (``shared.fees.fee_quote``, with the province's amounts where the station has them)."""
    v = d.values
    citizen = str(v.get("requester_full_name") or d.title(proc.title_field))
    receiver, receiver_title = name_of(d.received_by)
    # What was handed in (the checklist's ticks); a dossier from before the checklist
    # lists every component of its procedure, as the receipt did then.
    handed_in = set(d.components_received) or {c.id for c in proc.components}
    # Never a paper that does not apply to this dossier (the proof of divorce of a
    # never-married person, a certificate the office now looks up).
    components = tuple(
        Component(c.name.vi, form_text(c.form), 1)
        for c in applicable_components(proc, v)
        if c.id in handed_in
    )
    quote = fee_quote(proc, v, province_fees)
    received = parse_vn(d.received_at)
    return PaperDossier(
        agency_lines=unit.agency_lines,
        agency_name=unit.name,
        place_name=unit.place_name,
        code=d.code,
        procedure=f"{proc.name.vi} (mã thủ tục {proc.code})",
        citizen=citizen,
        citizen_address=str(v.get("requester_residence") or ""),
        citizen_phone=str(v.get("requester_phone") or ""),
        components=components,
        time_limit_days=proc.time_limit_working_days,
        received_at=received,
        due_at=parse_vn(d.due_at),
        collect_at=unit.service_centre,
        office_name=unit.service_centre,
        receiver=receiver,
        receiver_title=receiver_title,
        fee_vnd=quote.amount_vnd,
        fee_text=quote.text(),
    )


def as_receipt(p: PaperDossier) -> PaperDossier:
    """The receipt is dated the day the dossier was received."""
    return replace(p, issued_on=p.received_at.date() if p.received_at else None)


def _last(d: Dossier, action: str) -> HistoryEntry | None:
    return next((h for h in reversed(d.history) if h.action == action), None)


def with_supplement_request(p: PaperDossier, d: Dossier, name_of: NameOf) -> PaperDossier | None:
    """``p`` as the office's supplement request (its reason, the items listed in it, who
    asked and when), or None when nobody asked."""
    h = _last(d, "request_supplement")
    if h is None:
        return None
    reason, items = split_items(h.reason or "")
    by, title = name_of(h.actor)
    return replace(p, reason=reason, items=items, by=by, by_title=title, at=parse_vn(h.at))
