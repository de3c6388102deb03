"""The completeness checklist (thành phần hồ sơ): is a dossier complete, and what is missing.

A dossier is received only when every component its procedure requires is ticked by the
officer ("the citizen brought it"), and, where the procedure says so and the tablet takes
photos, photographed. The same pure function decides on the tablet (before the dossier
is numbered) and on the station (which never trusts the tablet), so both say the same
thing about the same dossier (docs/intake.md, "Completeness checklist"). The photos a
dossier lists are checked against the same components (:func:`check_refs`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from shared.attachments import MAX_PER_DOSSIER
from shared.catalogue import Component, Procedure, Text
from shared.errors import TaiChoError, problem
from shared.model import AttachmentRef
from shared.procedures import builtin
from shared.text import fold

Why = Literal["not_ticked", "photo_missing"]

_FORM = {
    "original": Text("Bản chính", "Original"),
    "copy": Text("Bản sao", "Copy"),
    "original_or_copy": Text("Bản chính hoặc bản sao", "Original or copy"),
}
_WHY = {
    "not_ticked": Text("chưa nộp", "not handed in"),
    "photo_missing": Text("chưa chụp ảnh", "no photo taken"),
}


def form_text(form: str, lang: str = "vi") -> str:
    """ "Bản chính" / "Bản sao" / "Bản chính hoặc bản sao" for a component's ``form``."""
    return _FORM[form].get(lang) if form in _FORM else form


@dataclass(frozen=True)
class Missing:
    """One thing that keeps a dossier from being complete."""

    component: str
    name: Text
    why: Why

    def text(self, lang: str = "vi") -> str:
        """ "Giấy chứng sinh – chưa nộp": how the app and the supplement request say it."""
        return f"{self.name.get(lang)} – {_WHY[self.why].get(lang)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "why": self.why,
            "name": self.name.vi,
            "name_en": self.name.en,
            "message": self.text("vi"),
            "message_en": self.text("en"),
        }


@dataclass(frozen=True)
class Checklist:
    """The verdict on one dossier's components."""

    required: tuple[str, ...]  # ids required for these values, in catalogue order
    missing: tuple[Missing, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def raise_if_incomplete(self) -> None:
        """``DOSSIER_INCOMPLETE`` whose details list every missing item."""
        if self.missing:
            raise TaiChoError(
                "DOSSIER_INCOMPLETE",
                "components_received",
                {
                    "count": len(self.missing),
                    "items": "; ".join(m.text("vi") for m in self.missing),
                    "items_en": "; ".join(m.text("en") for m in self.missing),
                },
                [m.to_dict() for m in self.missing],
            )


def required_components(procedure: Procedure, values: Mapping[str, Any]) -> list[Component]:
    """The components a dossier with these values must include (``required`` or a
    ``required_if`` that holds). ``values`` are the visible ones: a hidden field never
    makes a paper required."""
    return [c for c in procedure.components if c.required_for(values)]


def applicable_components(procedure: Procedure, values: Mapping[str, Any]) -> list[Component]:
    """The papers that belong in a dossier with these values, in catalogue order: every
    component but those required only under a condition that does not hold (the proof
    of divorce of a never-married person; the parents' marriage certificate, which the
    office looks up instead since Nghị định 07/2025/NĐ-CP)."""
    return [c for c in procedure.components if c.applies_to(values)]


def check_components(
    procedure: Procedure,
    values: Mapping[str, Any],
    ticked: Iterable[str],
    photos: Mapping[str, int] | None = None,
) -> Checklist:
    """What is missing from a dossier: required components not ticked and, when
    ``photos`` (component id → number of photos) is given, ticked components whose
    photo the procedure asks for (``photo_required``) without one. ``photos=None``
    means photos are not judged here (the station, a script with no camera:
    docs/intake.md).

    A ticked id the procedure does not list is ``REQUEST_INVALID``: a tick must name a
    paper of this procedure version, never vanish silently. A tick for a paper that does
    not apply to these values (:func:`applicable_components`) is
    ``COMPONENT_NOT_APPLICABLE``: the receipt would otherwise list a paper the office may
    not ask for.
    """
    ticks = set(ticked)
    known = {c.id for c in procedure.components}
    if unknown := sorted(ticks - known):
        raise problem(
            "REQUEST_INVALID",
            "components_received",
            detail=f"unknown component(s) {', '.join(unknown)} for {procedure.code}",
            detail_vi=f"thành phần không có trong thủ tục {procedure.code}: {', '.join(unknown)}",
        )
    applicable = {c.id for c in applicable_components(procedure, values)}
    if stray := [c for c in procedure.components if c.id in ticks and c.id not in applicable]:
        raise problem(
            "COMPONENT_NOT_APPLICABLE",
            "components_received",
            items="; ".join(c.name.vi for c in stray),
            items_en="; ".join(c.name.en for c in stray),
        )
    required = required_components(procedure, values)
    needed = {c.id for c in required}
    missing: list[Missing] = []
    for c in procedure.components:
        if c.id in needed and c.id not in ticks:
            missing.append(Missing(c.id, c.name, "not_ticked"))
        elif c.id in ticks and c.photo_required and photos is not None and photos.get(c.id, 0) < 1:
            # A paper handed in whose photo the procedure asks for, required or not.
            missing.append(Missing(c.id, c.name, "photo_missing"))
    return Checklist(tuple(c.id for c in required), tuple(missing))


def every_component(
    procedure: Procedure | str, values: Mapping[str, Any] | None = None
) -> list[str]:
    """Every component id of a procedure (a built-in one by code) — with ``values``, every
    one that applies to them: what a script that stands for papers checked outside the
    app ticks (the headless CLI, tests, benches)."""
    proc = builtin().get(procedure) if isinstance(procedure, str) else procedure
    if values is not None:
        return [c.id for c in applicable_components(proc, values)]
    return [c.id for c in proc.components]


@dataclass(frozen=True)
class AskedFor:
    """What an appraiser's supplement reason names: papers (component ids) and fields
    (field ids), each in catalogue order. Empty when the reason names neither."""

    components: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


def _head(name: str) -> str:
    """A component's name without its parenthesised note: "Giấy chứng sinh"."""
    return name.split("(", 1)[0].strip()


def _clean(text: str) -> str:
    """Folded (no accents, lower case) words only: punctuation becomes a space."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())


def _names(haystack: str, name: str) -> bool:
    """``name`` (two words at least) appears as whole words in ``haystack`` (both folded)."""
    words = name.split()
    if len(words) < 2:
        return False
    return f" {' '.join(words)} " in f" {haystack} "


def asked_for(procedure: Procedure, reason: str) -> AskedFor:
    """The papers and fields an appraiser's reason names, found by their Vietnamese (or
    English) names, accents and case ignored: "Ảnh giấy chứng sinh mờ" names the component
    "Giấy chứng sinh (hoặc …)", "Ghi rõ nơi sinh" the field "Nơi sinh". The tablet opens a
    supplement at them and marks them (docs/intake.md, "Supplements")."""
    said = _clean(reason)
    if not said:
        return AskedFor()
    clean = _clean
    components = tuple(
        c.id
        for c in procedure.components
        if any(_names(said, clean(_head(n))) for n in (c.name.vi, c.name.en))
    )
    labels = {
        f.id: clean(f.label.vi) for f in procedure.fields if f.type not in ("derived", "bool")
    }
    hits = [fid for fid, label in labels.items() if _names(said, label)]
    # "Nơi sinh" inside a matched "Nơi sinh người mẹ" is not asked on its own
    fields = tuple(
        fid
        for fid in hits
        if not any(o != fid and labels[fid] in labels[o] and labels[o] != labels[fid] for o in hits)
    )
    return AskedFor(components, fields)


def check_refs(procedure: Procedure, refs: Sequence[AttachmentRef]) -> None:
    """The dossier's photo references make sense for its procedure (tablet and station).

    Each names one of the procedure's components; one photo is listed once per
    component; at most ``MAX_PER_DOSSIER``. A wrong reference is REQUEST_INVALID naming
    it (a programming error of the client, never the citizen's).
    """
    if len(refs) > MAX_PER_DOSSIER:
        raise problem(
            "REQUEST_INVALID",
            "attachments",
            detail=f"attachments: at most {MAX_PER_DOSSIER}",
            detail_vi=f"tối đa {MAX_PER_DOSSIER} ảnh trong một hồ sơ",
        )
    known = {c.id for c in procedure.components}
    seen: set[tuple[str, str]] = set()
    for i, ref in enumerate(refs):
        if ref.component not in known:
            raise problem(
                "REQUEST_INVALID",
                f"attachments[{i}].component",
                detail=f"attachments[{i}].component: '{ref.component}' is not a component "
                f"of {procedure.code}",
                detail_vi=f"ảnh thứ {i + 1} ghi thành phần '{ref.component}' không có trong "
                f"thủ tục {procedure.code}",
            )
        key = (ref.sha256, ref.component)
        if key in seen:
            raise problem(
                "REQUEST_INVALID",
                f"attachments[{i}]",
                detail=f"attachments[{i}]: listed twice",
                detail_vi=f"ảnh thứ {i + 1} được kê hai lần cho cùng một giấy tờ",
            )
        seen.add(key)
