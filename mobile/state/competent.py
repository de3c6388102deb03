""" "Cơ quan giải quyết": the commune that will decide the dossier, shown before the
read-back and changeable by the officer (issue 20, the competent commune chosen).

The default is ``shared.competence.choose``: the procedure's rule of competence matched
against the residences typed in the form, over the province's communes the station
synced to this tablet (``TabletService.communes``; offline too). The officer may pick
another commune from that list, searched by name; the pick is kept in the form
(``FormState.competent_pick``) and travels as ``Dossier.competent_unit`` — none when it
is this commune (no relay)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mobile.i18n import tr
from mobile.state.form import FormState
from shared.competence import choose, search
from shared.messages import Commune


@dataclass(frozen=True)
class CompetentView:
    """What the "Cơ quan giải quyết" card draws."""

    unit_code: str | None  # the dossier's ``competent_unit``; None: this commune decides
    name: str  # "Phường Sa Đéc"
    reason: str  # why, in the form's language
    here: bool  # this commune itself (no relay)
    options: tuple[Commune, ...]  # the list, filtered by the search box (this commune first)
    listed: int  # how many communes the tablet holds (0: never synced one)


def _own(service: Any) -> Commune:
    unit = service.ctx.unit()
    return Commune(str(unit.get("code", "")), str(unit.get("commune") or unit.get("name") or ""))


def competent_view(service: Any, form: FormState) -> CompetentView | None:
    """The card's content for this form, or None for a supplement (its competent commune
    was fixed when it was first received)."""
    if form.supplement_of:
        return None
    own = _own(service)
    held = service.communes()
    communes = [
        c for c in (held.communes if held is not None else ()) if c.unit_code != own.unit_code
    ]
    every = [own, *communes]
    lang = form.lang
    labels = {f.id: (f.label.get("vi"), f.label.get("en")) for f in form.procedure.fields}
    auto = choose(
        form.procedure.code, form.values_for_check(), communes, own.unit_code, own.name, labels
    )
    picked = next((c for c in every if c.unit_code == form.competent_pick), None)
    if picked is None:
        unit_code, name, reason = auto.unit_code, auto.name, auto.reason(lang)
    else:
        unit_code = None if picked.unit_code == own.unit_code else picked.unit_code
        name = picked.name
        reason = tr(
            lang,
            "Cán bộ đã chọn. Đề xuất theo luật: {name} — {why}",
            name=auto.name,
            why=auto.reason(lang),
        )
    return CompetentView(
        unit_code,
        name,
        reason,
        unit_code is None,
        tuple(search(every, form.competent_query)),
        len(communes),
    )
