"""Who signs a procedure's declaration (tờ khai), the record of a mark, and whether the
marks given are sane.

Pure rules shared by the tablet (which captures the marks), the station (which decodes
them from a pushed dossier) and the declaration PDF (which draws them):

- :func:`signing_parties` — the people who sign the declaration, found from the field
  naming every procedure shares (``<party>_full_name``): both spouses for kết hôn (bên
  nữ, bên nam, in the form's order), otherwise the one requester (``requester``,
  ``signer`` or ``subject``).
- :func:`check_mark` — the bounds of one mark (runs on every decode of a
  :class:`SignatureMark`, so a peer cannot make us store or draw garbage):
  at most :data:`MAX_STROKES` strokes, :data:`MAX_POINTS_PER_STROKE` points per stroke
  and :data:`MAX_POINTS` in all, each point exactly ``[x, y]`` in 0..1000; a signature
  has ink, a thumbprint names its witness, a paper mark has no strokes.
- :func:`check_marks` / :func:`unsigned` — a set of marks against a procedure: each party
  known and present once; which parties have not signed yet.

Coordinates are integers (the wire carries no floats): thousandths of the pad's width
and height. The pad and the declaration's signature box share one shape,
:data:`PAD_ASPECT` (width / height), so a signature keeps its proportions on paper.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from shared import wire
from shared.catalogue import Procedure
from shared.errors import TaiChoError, problem
from shared.wire import spec

__all__ = [
    "KINDS",
    "MAX_POINTS",
    "MAX_POINTS_PER_STROKE",
    "MAX_STROKES",
    "PAD_ASPECT",
    "SCALE",
    "SignatureMark",
    "SigningParty",
    "check_mark",
    "check_marks",
    "party_name",
    "require_all",
    "signing_parties",
    "unsigned",
]

SCALE = 1000  # a coordinate is in 0..SCALE
PAD_ASPECT = 3.0  # the pad (and the PDF box) is three times as wide as it is high
MAX_STROKES = 60
MAX_POINTS_PER_STROKE = 1000
MAX_POINTS = 4000
KINDS = ("signature", "thumbprint", "paper")

# The single requester of a procedure, by the prefix its fields use (first one present).
_REQUESTERS = ("requester", "signer", "subject")
# Marriage: both parties sign, bên nữ first as on the form.
_COUPLE = ("wife", "husband")

_LABELS = {
    "requester": ("Người yêu cầu", "Requester"),
    "signer": ("Người yêu cầu chứng thực", "Requester"),
    "subject": ("Người yêu cầu", "Requester"),
    "wife": ("Bên nữ", "Bride"),
    "husband": ("Bên nam", "Groom"),
}


@dataclass
class SignatureMark:
    """One party's mark on the declaration (tờ khai), given at intake.

    ``kind``: "signature" — drawn on the tablet's pad, kept as vector ``strokes`` (each a
    list of ``[x, y]`` points, integers 0..1000 across the pad's width and height; the
    pad's shape is :data:`PAD_ASPECT`); "thumbprint" — the citizen cannot
    sign, so the printed declaration carries their thumbprint (điểm chỉ) and a named
    ``witness_name``; "paper" — the party signs the printed declaration by hand (no
    strokes). Bounds are checked by :func:`check_mark` on every decode.
    """

    party: str = spec(min_len=1, max_len=40, pattern="[a-z_]+")
    kind: Literal["signature", "thumbprint", "paper"] = spec()
    at: str = spec(max_len=wire.ISO_LEN, doc="ISO 8601 with offset: when the party signed")
    strokes: list[list[list[int]]] = spec(
        lo=0, hi=1000, max_items=1000, default=[], doc="strokes → points → [x, y] in 0..1000"
    )
    witness_name: str | None = spec(max_len=100, default=None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any, path: str = "signature") -> SignatureMark:
        return wire.decode(cls, data, path)

    def wire_check(self, path: str) -> None:
        check_mark(self, path)


@dataclass(frozen=True)
class SigningParty:
    """One person who signs the declaration: field prefix and how the form names them."""

    party: str  # the field prefix: "requester", "wife", …
    label_vi: str
    label_en: str
    name_field: str  # "<party>_full_name"

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


def _has(procedure: Procedure, field_id: str) -> bool:
    return any(f.id == field_id for f in procedure.fields)


def signing_parties(procedure: Procedure) -> list[SigningParty]:
    """The people who sign this procedure's declaration, in the form's order."""
    couple = [p for p in _COUPLE if _has(procedure, f"{p}_full_name")]
    if len(couple) == len(_COUPLE):
        prefixes: Sequence[str] = couple
    else:
        prefixes = [p for p in _REQUESTERS if _has(procedure, f"{p}_full_name")][:1]
    return [SigningParty(p, *_LABELS[p], f"{p}_full_name") for p in prefixes]


def party_name(party: SigningParty, values: dict[str, Any]) -> str:
    """The signer's name as the form holds it (NFC), "" when not filled."""
    return unicodedata.normalize("NFC", str(values.get(party.name_field) or "").strip())


def _bad(path: str, detail: str, detail_vi: str) -> TaiChoError:
    return problem("SIGNATURE_INVALID", path or None, detail=detail, detail_vi=detail_vi)


def check_mark(mark: SignatureMark, path: str = "signature") -> None:
    """Raise ``SIGNATURE_INVALID`` / ``SIGNATURE_WITNESS_REQUIRED`` for a mark out of bounds.

    (The wire decoder has already checked the types and that coordinates are in 0..1000.)
    """
    where = f"{path}.strokes" if path else "strokes"
    if len(mark.strokes) > MAX_STROKES:
        raise _bad(where, f"at most {MAX_STROKES} strokes", f"tối đa {MAX_STROKES} nét")
    total = 0
    for i, stroke in enumerate(mark.strokes):
        if not stroke:
            raise _bad(f"{where}[{i}]", "an empty stroke", "một nét không có điểm nào")
        if len(stroke) > MAX_POINTS_PER_STROKE:
            raise _bad(
                f"{where}[{i}]",
                f"at most {MAX_POINTS_PER_STROKE} points per stroke",
                f"tối đa {MAX_POINTS_PER_STROKE} điểm một nét",
            )
        for j, point in enumerate(stroke):
            if len(point) != 2:
                raise _bad(f"{where}[{i}][{j}]", "a point is [x, y]", "mỗi điểm là [x, y]")
            if not all(
                isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= SCALE for c in point
            ):
                raise _bad(
                    f"{where}[{i}][{j}]",
                    f"coordinates are integers 0..{SCALE}",
                    f"toạ độ là số nguyên 0..{SCALE}",
                )
        total += len(stroke)
    if total > MAX_POINTS:
        raise _bad(where, f"at most {MAX_POINTS} points", f"tối đa {MAX_POINTS} điểm")
    if mark.kind not in KINDS:
        raise _bad(f"{path}.kind", f"kind is one of {list(KINDS)}", "loại chữ ký không đúng")
    if mark.kind == "signature" and total < 2:
        raise _bad(where, "the pad is empty", "khung ký còn trống")
    if mark.kind == "paper" and mark.strokes:
        raise _bad(where, "signed on paper: no strokes", "ký trên giấy: không có nét")
    if mark.kind == "thumbprint" and not (mark.witness_name or "").strip():
        raise problem("SIGNATURE_WITNESS_REQUIRED", f"{path}.witness_name")


def check_marks(procedure: Procedure, marks: Iterable[SignatureMark]) -> list[SignatureMark]:
    """Each mark sane, for a party of this procedure, at most once; returned in the
    form's order. (Whether every party signed is :func:`unsigned`'s question.)"""
    known = {p.party: i for i, p in enumerate(signing_parties(procedure))}
    seen: dict[str, SignatureMark] = {}
    for i, mark in enumerate(marks):
        path = f"signatures[{i}]"
        if mark.party not in known:
            raise problem("SIGNATURE_PARTY_UNKNOWN", f"{path}.party", party=mark.party)
        if mark.party in seen:
            raise _bad(f"{path}.party", "a party signs once", "mỗi người chỉ ký một lần")
        check_mark(mark, path)
        seen[mark.party] = mark
    return sorted(seen.values(), key=lambda m: known[m.party])


def unsigned(procedure: Procedure, marks: Iterable[SignatureMark]) -> list[SigningParty]:
    """The parties with no mark yet (an on-screen signature, a thumbprint or "paper")."""
    have = {m.party for m in marks}
    return [p for p in signing_parties(procedure) if p.party not in have]


def require_all(procedure: Procedure, marks: Sequence[SignatureMark]) -> list[SignatureMark]:
    """:func:`check_marks`, and ``SIGNATURE_MISSING`` naming whoever has not signed."""
    clean = check_marks(procedure, marks)
    missing = unsigned(procedure, clean)
    if missing:
        raise problem(
            "SIGNATURE_MISSING",
            "signatures",
            parties=", ".join(p.label_vi.lower() for p in missing),
        )
    return clean
