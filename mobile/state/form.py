"""State of one new-dossier form, rendered from the procedure catalogue.

``raw`` keeps exactly what staff typed (strings, and booleans for switches) for every
field ever touched, hidden ones included: hiding the father's fields and showing them
again loses nothing, and a failed check never clears a value. Only visible, non-derived,
non-empty values are sent to validation. Checking (``apply_check``) is pure: the caller
runs ``DossierService.check`` and hands the result in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import flet as ft

from mobile.i18n import tr
from mobile.services.drafts import Draft, new_draft_id
from shared import fee_text
from shared.catalogue import Field, Procedure, Section
from shared.checklist import (
    Checklist,
    applicable_components,
    asked_for,
    check_components,
    form_text,
    required_components,
)
from shared.model import AttachmentRef
from shared.numwords import date_to_words
from shared.validation import ValidationResult, is_visible, parse_date, partial_date_text

# Fields with at most this many choices are big segmented buttons (one tap); longer lists
# are searchable pickers.
RADIO_MAX = 6


def field_kind(f: Field) -> str:
    """Which control a field is drawn with: text, number, date, radio, dropdown, switch,
    derived."""
    if f.type in ("integer", "year"):
        return "number"
    if f.type == "choice":
        return "radio" if len(f.choices) <= RADIO_MAX else "dropdown"
    if f.type == "bool":
        return "switch"
    if f.type in ("date", "derived"):
        return f.type
    return "text"  # text, cccd, phone


def _initial(f: Field) -> Any:
    if f.type == "bool":
        return bool(f.default) if f.default is not None else False
    return "" if f.default is None else str(f.default)


@dataclass(frozen=True)
class FormPhoto:
    """A photo of one component, taken (or picked) on this tablet while filling the form.

    ``ref`` is what the tablet's attachment store returned (``TabletService.add_attachment``,
    sealed there, referenced by hash from the dossier); ``thumb`` the picked bytes, kept in
    memory only to show a thumbnail beside its component."""

    component: str
    ref: AttachmentRef
    thumb: bytes
    mime: str


@dataclass(frozen=True)
class ChecklistRow:
    """One component as the checklist step draws it."""

    id: str
    name: str
    form: str  # "Bản chính" / "Bản sao" / …
    required: bool  # for the values typed now (``required_if`` included)
    photo_required: bool
    ticked: bool
    photos: tuple[FormPhoto, ...]
    kept: tuple[FormPhoto, ...] = ()  # a supplement's photos already sent with the dossier
    asked: bool = False  # the office's supplement reason names this paper


@dataclass(frozen=True)
class PreviewRow:
    field_id: str
    label: str
    value: str


@dataclass(frozen=True)
class PreviewSection:
    title: str
    rows: tuple[PreviewRow, ...]


class Typed:
    """What staff typed, by field id.

    Deliberately a plain object, not a dict: Flet wraps dict fields of an observable so
    that every change re-renders, and a re-render of the whole form per keystroke races
    with the next field being typed. ``FormState.set_value`` notifies only when what is
    drawn depends on the value (show-if sources, the date in words, an error to clear).
    """

    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(values or {})

    def get(self, field_id: str, default: Any = None) -> Any:
        return self.values.get(field_id, default)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Typed) and other.values == self.values

    __hash__ = None  # type: ignore[assignment]


@ft.observable
@dataclass
class FormState:
    procedure: Procedure
    raw: Typed = field(default_factory=Typed)
    revision: int = 0  # bumped when a value that changes the drawing is typed
    errors: dict[str, str] = field(default_factory=dict)  # field id → message, shown
    # Problems of the last check that belong to no visible field (said in the summary).
    others: list[str] = field(default_factory=list)
    # Fields whose problems are shown (issue 21, item 5): one left with a value typed,
    # every field of a step left, every field once "Xem trước" checked them all. A
    # field not yet reached stays quiet: a blank form is not a page of red.
    shown: list[str] = field(default_factory=list)
    # The papers were found missing when "Xem trước" was pressed (item 6): the
    # checklist step says so at the top until they are complete.
    papers_missing: bool = False
    checked: dict[str, Any] | None = None
    fee_vnd: int | None = None  # what the checked dossier costs (shared.validation)
    lang: str = "vi"
    draft_id: str = ""  # the encrypted draft this form autosaves to (services/drafts.py)
    supplement_of: str = ""  # dossier id when this form corrects a sent-back dossier
    step: int = 0  # index into ``sections()``: the form is filled one section per step
    pushed: Typed = field(default_factory=Typed)  # field id → generation of app-set values
    read_page: int = 0  # read-back: the section the citizen is reading (one per screen)
    read_back_at: str = ""  # when the citizen confirmed the read-back ("" = not yet)
    # The completeness checklist (the step after the last section): ticked component
    # ids and the photos taken. Lists are replaced, never mutated, so a tap redraws.
    ticked: list[str] = field(default_factory=list)
    photos: list[FormPhoto] = field(default_factory=list)
    # A supplement's photos already sent (thumbnails read back from the tablet's store),
    # what the office asked for (``shared.checklist.asked_for``) and why.
    kept: list[FormPhoto] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)  # component ids named by the reason
    asked_reason: str = ""
    # "Cơ quan giải quyết" (state/competent.py): the commune the officer picked ("": the
    # one the law proposes), whether the list is open, and its search box.
    competent_pick: str = ""
    competent_open: bool = False
    competent_query: str = ""

    @classmethod
    def new(cls, procedure: Procedure, lang: str = "vi") -> FormState:
        """A blank form with the catalogue's defaults filled in."""
        raw = {f.id: _initial(f) for f in procedure.fields if f.type != "derived"}
        return cls(procedure=procedure, raw=Typed(raw), lang=lang, draft_id=new_draft_id())

    @classmethod
    def from_draft(cls, procedure: Procedure, draft: Draft, lang: str = "vi") -> FormState:
        """A form reopened from its draft: every typed value, the same draft id."""
        form = cls.new(procedure, lang)
        form.raw.values.update(draft.values)
        known = {c.id for c in procedure.components}  # a newer version may have dropped one
        form.ticked = [c for c in draft.components if c in known]
        form.draft_id = draft.id
        form.supplement_of = draft.supplement_of
        return form

    def title(self) -> str:
        """What identifies the draft on home: the title field as typed."""
        return str(self.raw.get(self.procedure.title_field, "") or "").strip()

    @classmethod
    def for_supplement(
        cls,
        procedure: Procedure,
        dossier_id: str,
        values: dict[str, Any],
        lang: str = "vi",
        *,
        ticked: list[str] | None = None,
        kept: list[FormPhoto] | None = None,
        reason: str = "",
    ) -> FormState:
        """A form holding a stored dossier's values as staff would type them again, with
        the components ticked when it was received and the photos it already has; opened
        at what the office's ``reason`` asks for (a field's step, else the checklist when
        it names a paper), those papers marked."""
        form = cls.new(procedure, lang)
        known = {c.id for c in procedure.components}
        form.ticked = [c for c in ticked or [] if c in known]
        form.kept = [p for p in kept or [] if p.component in known]
        for f in procedure.fields:
            if f.type == "derived" or f.id not in values:
                continue
            v = values[f.id]
            if f.type == "bool":
                form.raw.values[f.id] = bool(v)
            elif f.type == "date":
                d = parse_date(v)
                form.raw.values[f.id] = d.strftime("%d/%m/%Y") if d else str(v)
            elif f.type == "partial_date":
                form.raw.values[f.id] = partial_date_text(v)
            else:
                form.raw.values[f.id] = "" if v is None else str(v)
        form.supplement_of = dossier_id
        form.draft_id = new_draft_id()
        form.ask(reason)
        return form

    def ask(self, reason: str) -> None:
        """Mark what the office's supplement reason names and open the form there."""
        asked = asked_for(self.procedure, reason)
        self.asked_reason = reason.strip()
        self.asked = list(asked.components)
        for i, (_, fields) in enumerate(self.sections()):
            if any(f.id in asked.fields for f in fields):
                self.step = i
                return
        if self.asked and self.has_checklist():
            self.step = len(self.sections())

    # --- reading ---
    def label(self, f: Field) -> str:
        return f.label.get(self.lang)

    def value(self, field_id: str) -> Any:
        return self.raw.get(field_id, "")

    def visible(self, f: Field) -> bool:
        return is_visible(f, self.raw.values)

    def sections(self) -> list[tuple[Section, list[Field]]]:
        """Sections in catalogue order with their currently visible fields."""
        out = []
        for s in self.procedure.sections:
            fields = [f for f in self.procedure.fields_in(s.id) if self.visible(f)]
            if fields:
                out.append((s, fields))
        return out

    def derived_text(self, f: Field) -> str:
        """Live value of a derived field (the date in words) from what is typed now."""
        if f.derivation != "date_words" or not f.derived_from:
            return ""
        d = parse_date(self.raw.get(f.derived_from))
        return date_to_words(d) if d else ""

    def words_field(self, date_field_id: str) -> Field | None:
        """The derived "… bằng chữ" field based on a date field, if there is one."""
        for f in self.procedure.fields:
            if f.type == "derived" and f.derived_from == date_field_id:
                return f
        return None

    def words_for(self, date_field_id: str) -> str:
        """The date in words for a date field, if some derived field is based on it."""
        f = self.words_field(date_field_id)
        return self.derived_text(f) if f is not None else ""

    def values_for_check(self) -> dict[str, Any]:
        """What goes to validation: visible, non-derived, non-empty values."""
        out: dict[str, Any] = {}
        for f in self.procedure.fields:
            if f.type == "derived" or not self.visible(f):
                continue
            v = self.raw.get(f.id)
            if isinstance(v, str):
                v = v.strip()
                if not v:
                    continue
            if v is None:
                continue
            out[f.id] = v
        return out

    def push_gen(self, field_id: str) -> int:
        """How many times the app (not the keyboard) has set this field's text."""
        return int(self.pushed.get(field_id, 0))

    # --- steps ---
    def has_checklist(self) -> bool:
        return bool(self.procedure.components)

    def step_count(self) -> int:
        """The sections, then the checklist ("Thành phần hồ sơ") if the procedure has one."""
        return len(self.sections()) + (1 if self.has_checklist() else 0)

    def current_step(self) -> int:
        """The shown step, clamped: a show-if may have removed a later section."""
        return max(0, min(self.step, self.step_count() - 1))

    def on_checklist(self) -> bool:
        return self.has_checklist() and self.current_step() == len(self.sections())

    # --- the completeness checklist ---
    def photos_of(self, component_id: str) -> tuple[FormPhoto, ...]:
        return tuple(p for p in self.photos if p.component == component_id)

    def attachment_refs(self) -> list[AttachmentRef]:
        """Every photo the dossier will refer to: a supplement's earlier ones, then new;
        each picture once per component (``shared.checklist.check_refs`` refuses a
        repeat, and the same paper photographed twice is the same picture)."""
        refs = [*(p.ref for p in self.kept), *(p.ref for p in self.photos)]
        return list({(r.sha256, r.component): r for r in refs}.values())

    def has_photo(self, component: str, sha256: str) -> bool:
        """This picture is already on the form for this paper (sent or taken)."""
        return any(
            p.component == component and p.ref.sha256 == sha256 for p in (*self.kept, *self.photos)
        )

    def checklist(self) -> Checklist:
        """What is missing for the values typed now: the tablet takes photos, so a
        photo-required paper handed in needs its photo here (shared.checklist)."""
        counts = Counter(p.component for p in self.photos)
        counts.update(p.component for p in self.kept)
        values = self.values_for_check()
        # A paper ticked before a value made it not apply (the status changed to "never
        # married") is not handed in with the dossier.
        applicable = {c.id for c in applicable_components(self.procedure, values)}
        ticks = [c for c in self.ticked if c in applicable]
        return check_components(self.procedure, values, ticks, counts)

    def checklist_rows(self) -> list[ChecklistRow]:
        values = self.values_for_check()
        needed = {c.id for c in required_components(self.procedure, values)}
        return [
            ChecklistRow(
                c.id,
                c.name.get(self.lang),
                form_text(c.form, self.lang),
                c.id in needed,
                c.photo_required,
                c.id in self.ticked,
                self.photos_of(c.id),
                tuple(p for p in self.kept if p.component == c.id),
                c.id in self.asked,
            )
            for c in applicable_components(self.procedure, values)
        ]

    def toggle(self, component_id: str) -> None:
        """Tick (handed in) or untick one component of this procedure."""
        if component_id in self.ticked:
            self.ticked = [c for c in self.ticked if c != component_id]
            return
        values = self.values_for_check()
        if component_id not in {c.id for c in applicable_components(self.procedure, values)}:
            return  # not a paper of this dossier: no tick (shared.checklist)
        if component_id in self.ticked:
            self.ticked = [c for c in self.ticked if c != component_id]
        else:
            order = [c.id for c in self.procedure.components]
            self.ticked = [c for c in order if c in self.ticked or c == component_id]

    def add_photo(self, photo: FormPhoto) -> bool:
        """A photo of a component: the paper is in hand, so it is ticked too. False (and
        nothing added) when that very picture is already there for that paper."""
        if self.has_photo(photo.component, photo.ref.sha256):
            return False
        self.photos = [*self.photos, photo]
        if photo.component not in self.ticked:
            self.toggle(photo.component)
        return True

    def remove_photo(self, index: int) -> None:
        self.photos = [p for i, p in enumerate(self.photos) if i != index]

    def remove_kept(self, index: int) -> None:
        """A supplement drops a photo sent earlier (a blurred one, replaced by a new one)."""
        self.kept = [p for i, p in enumerate(self.kept) if i != index]

    def go_step(self, index: int) -> None:
        self.step = max(0, min(index, self.step_count() - 1))

    def first_error_step(self) -> int | None:
        """The step holding the first field with an error (catalogue order)."""
        for i, (_, fields) in enumerate(self.sections()):
            if any(f.id in self.errors for f in fields):
                return i
        return None

    def step_errors(self, index: int) -> int:
        secs = self.sections()
        if not 0 <= index < len(secs):
            return 0
        return sum(1 for f in secs[index][1] if f.id in self.errors)

    def step_field_ids(self, index: int) -> list[str]:
        """The visible, typed (non-derived) fields of one section step."""
        secs = self.sections()
        if not 0 <= index < len(secs):
            return []
        return [f.id for f in secs[index][1] if f.type != "derived"]

    def error_count(self) -> int:
        """What the summary counts, live: the red fields now, plus problems of no field."""
        return len(self.errors) + len(self.others)

    @property
    def summary(self) -> str:
        """ "Hồ sơ còn N lỗi", counted from what is red now: it drops as each is fixed
        (it was a sentence written once by "Xem trước" and kept saying 2 after both
        errors were fixed)."""
        n = self.error_count()
        if not n:
            return ""
        text = tr(self.lang, "Hồ sơ còn {n} lỗi — vui lòng sửa các ô được đánh dấu đỏ.", n=n)
        return " ".join([text, *self.others])

    # --- checking while typing (issue 21, item 5) ---
    def show(self, result: ValidationResult, ids: list[str] | tuple[str, ...] = ()) -> None:
        """Show ``result``'s problems of the fields shown so far plus ``ids``: the whole
        dossier is always checked (a rule may tie two fields), but only fields staff
        have reached turn red."""
        new = [i for i in ids if i not in self.shown]
        if new:
            self.shown = [*self.shown, *new]
        keep = set(self.shown)
        visible_ids = {f.id for f in self.procedure.fields if self.visible(f)}
        errors = {
            fid: err.message(self.lang)
            for fid, err in result.by_field().items()
            if fid in visible_ids and fid in keep
        }
        # Assigned only when different: every assignment redraws the form, and a
        # redraw per blur would race the next field being typed.
        if errors != self.errors:
            self.errors = errors
        if self.others:
            self.others = []

    def blur(self, field_id: str, result: ValidationResult) -> None:
        """A field lost the focus: with something typed in it, its problem shows now
        (a birth date in 2027, an ID of 5 digits); an empty field waits for its step
        to be left, so tabbing through a form does not paint it red."""
        v = self.raw.get(field_id)
        typed = bool(v.strip()) if isinstance(v, str) else v is not None
        self.show(result, (field_id,) if typed else ())

    def leave_step(self, index: int, result: ValidationResult) -> int:
        """Leaving a section step shows every problem of its fields, required ones
        included; returns how many that step has."""
        self.show(result, tuple(self.step_field_ids(index)))
        return self.step_errors(index)

    # --- changing ---
    def push_value(self, field_id: str, value: Any) -> None:
        """Set a value from the app (date picker, draft): the text field must show it."""
        self.pushed.values[field_id] = self.push_gen(field_id) + 1
        self.set_value(field_id, value)
        self.revision += 1

    def set_value(self, field_id: str, value: Any) -> None:
        self.raw.values[field_id] = value
        if field_id in self.errors:
            del self.errors[field_id]  # the red border goes as soon as the value changes
        if self.checked is not None:
            self.checked = None
            self.read_back_at = ""  # a changed value must be read back again
        if field_id in self._redraw_ids():
            self.revision += 1

    def _redraw_ids(self) -> set[str]:
        """Fields whose value changes what is drawn: show-if and derivation sources, and
        every non-text control (its drawn value comes from this state)."""
        ids = {f.show_if.field for f in self.procedure.fields if f.show_if}
        ids |= {f.derived_from for f in self.procedure.fields if f.derived_from}
        ids |= {f.id for f in self.procedure.fields if field_kind(f) not in ("text", "number")}
        return ids

    def apply_check(self, result: ValidationResult) -> bool:
        """Map a validation result onto the form; True when it can be previewed. Every
        field is shown from now on: "Xem trước" checked them all."""
        by_field = result.by_field()
        visible_ids = {f.id for f in self.procedure.fields if self.visible(f)}
        self.shown = [f.id for f in self.procedure.fields if f.type != "derived"]
        self.errors = {
            fid: err.message(self.lang) for fid, err in by_field.items() if fid in visible_ids
        }
        self.others = [p.message(self.lang) for p in result.problems if p.field not in visible_ids]
        if result.ok:
            self.checked = dict(result.values)
            self.fee_vnd = result.fee_vnd
            self.read_page = 0
            self.read_back_at = ""
            return True
        first = self.first_error_step()
        if first is not None:
            self.step = first
        self.checked = None
        return False

    # --- preview ---
    def display(self, f: Field, value: Any) -> str:
        """A checked value as the citizen should read it: labels, not codes."""
        if value is None or value == "":
            return "—"
        if f.type == "choice":
            return f.choice_label(value, self.lang)
        if f.type == "bool":
            return tr(self.lang, "Có" if value else "Không")
        if f.type == "date":
            d = parse_date(value)
            return d.strftime("%d/%m/%Y") if d else str(value)
        if f.type == "partial_date":
            return partial_date_text(value)
        return str(value)

    def read_go(self, page: int) -> None:
        """Turn the read-back to another section (clamped to the sections there are)."""
        self.read_page = max(0, min(page, len(self.preview()) - 1))

    def read_is_last(self) -> bool:
        return self.read_page >= len(self.preview()) - 1

    def confirm_read(self, at: str) -> None:
        """The citizen read every section and said it is right: recorded with the dossier."""
        if self.checked is not None:
            self.read_back_at = at

    def preview(self) -> list[PreviewSection]:
        """Sections of (label, readable value) from the last successful check."""
        values = self.checked or {}
        out = []
        for s in self.procedure.sections:
            rows = []
            for f in self.procedure.fields_in(s.id):
                if f.id not in values:
                    continue
                rows.append(PreviewRow(f.id, self.label(f), self.display(f, values[f.id])))
            if rows:
                out.append(PreviewSection(s.title.get(self.lang), tuple(rows)))
        if self.checked is not None and self.fee_vnd is not None:
            # The fee computed from this dossier (pages, copies, cases), read before intake.
            # Words from shared.fee_text, as the procedure picker and the receipt say it.
            lang = self.lang
            amount = fee_text.amount(self.fee_vnd, lang)
            how = fee_text.rule(self.procedure, lang)
            amount = amount[:1].upper() + amount[1:] + (f" ({how})" if how != amount else "")
            out.append(
                PreviewSection(
                    tr(lang, "Lệ phí, phí"),
                    (PreviewRow("fee_vnd", tr(lang, "Số tiền phải nộp"), amount),),
                )
            )
        return out
