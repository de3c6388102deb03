"""Signing part of the app state: the declaration (tờ khai) signed before the dossier is
received ("Ngày không viết": the citizen writes nothing, but signs what was written).

After the read-back's "Xác nhận", the "Ký tờ khai" screen asks each signing party
(``shared.signatures.signing_parties``: both spouses for kết hôn) for a mark:

- a signature drawn on the pad (vector strokes, normalised to 0..1000 of the pad);
- a thumbprint ("Điểm chỉ") for a citizen who cannot sign, with a named witness;
- "Ký trên giấy": the party signs the printed declaration by hand (the choice is
  recorded, no strokes).

Decision: the dossier is received only when every party has one of the three (the save
button waits for it, and ``DossierService.intake`` checks it). Paper stays possible, as
the issue asks, so no citizen is turned away for a tablet that cannot capture a mark.

The marks belong to one confirmed read-back: any change to the form clears the
confirmation (``FormState.set_value``), and a new confirmation starts a new signing.
"""

from __future__ import annotations

import json

from mobile.i18n import tr
from mobile.state.backend import Failed, run_guarded
from mobile.state.base import ROUTE_PREVIEW, ROUTE_SIGN, StateBase
from mobile.state.form import FormState
from mobile.state.parts import SigningState
from shared.errors import TaiChoError
from shared.signatures import SCALE, SignatureMark, check_mark, signing_parties

Stroke = list[list[int]]


def form_key(form: FormState) -> str:
    """What a signing belongs to: this form, these values, this confirmation."""
    return json.dumps(
        [form.draft_id, form.supplement_of, form.read_back_at, form.values_for_check()],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )


def to_pad(x: float, y: float, width: float, height: float) -> list[int]:
    """A point on the pad (logical pixels) as thousandths of its width and height."""
    nx = round(min(max(x / width, 0.0), 1.0) * SCALE) if width > 0 else 0
    ny = round(min(max(y / height, 0.0), 1.0) * SCALE) if height > 0 else 0
    return [int(nx), int(ny)]


class SigningMixin(StateBase):
    """Start signing, take each party's mark, show the declaration."""

    def start_signing(self) -> None:
        """From the confirmed read-back to the "Ký tờ khai" screen (marks kept while the
        form and its confirmation are unchanged)."""
        self.touch()
        form = self.form
        if form is None or not form.read_back_at:
            return
        key = form_key(form)
        if self.signing is None or self.signing.key != key:
            self.signing = SigningState(key, signing_parties(form.procedure))
        self.banner = ""
        self.route = ROUTE_SIGN

    def back_to_read(self) -> None:
        self.go(ROUTE_PREVIEW)

    def _now(self) -> str:
        return self.service.clock().isoformat(timespec="seconds")

    def _put(self, mark: SignatureMark) -> bool:
        s = self.signing
        if s is None:
            return False
        try:
            check_mark(mark, mark.party)
        except TaiChoError as err:
            s.error = err.message(self.lang)
            return False
        s.marks = {**s.marks, mark.party: mark}
        s.error = ""
        return True

    def sign_strokes(self, party: str, strokes: list[Stroke]) -> bool:
        """The pad's ink so far becomes this party's signature (each lifted stroke)."""
        self.touch()
        kept = [[list(p) for p in s] for s in strokes if s]
        if not kept or sum(len(s) for s in kept) < 2:
            return False  # a tap is not a signature yet
        return self._put(SignatureMark(party, "signature", self._now(), kept))

    def clear_mark(self, party: str) -> None:
        """ "Ký lại": the pad is blank again and the party has no mark."""
        self.touch()
        s = self.signing
        if s is None:
            return
        s.marks = {k: v for k, v in s.marks.items() if k != party}
        s.witness_for = "" if s.witness_for == party else s.witness_for
        s.error = ""
        s.generation += 1

    def ask_witness(self, party: str) -> None:
        """ "Điểm chỉ": the citizen cannot sign; ask who witnesses the thumbprint."""
        self.touch()
        if self.signing is not None:
            self.signing.witness_for = party
            self.signing.error = ""

    def sign_thumbprint(self, party: str, witness: str) -> bool:
        self.touch()
        name = " ".join(witness.split())
        ok = self._put(SignatureMark(party, "thumbprint", self._now(), [], name))
        if ok and self.signing is not None:
            self.signing.witness_for = ""
            self.signing.generation += 1
        return ok

    def sign_on_paper(self, party: str) -> bool:
        """ "Ký trên giấy": the party signs the printed declaration by hand."""
        self.touch()
        ok = self._put(SignatureMark(party, "paper", self._now()))
        if ok and self.signing is not None:
            self.signing.generation += 1
        return ok

    def declaration_sent(self, name: str) -> None:
        self._info(
            tr(self.lang, "Đã gửi tệp {name} tới trình duyệt/máy để xem hoặc in.", name=name)
        )

    async def declaration_bytes(self) -> tuple[str, bytes] | None:
        """The declaration of the form being signed (marks so far drawn in) and a file
        name, for the screen to hand to the browser download or the device's save sheet;
        nothing is written unencrypted to the tablet's disk."""
        form = self.form
        if form is None:
            return None
        marks = self.signing.ordered() if self.signing is not None else []
        try:
            pdf = await run_guarded(
                self,
                "declaration",
                self.service.dossiers.form_declaration_pdf,
                form.procedure.code,
                form.values_for_check(),
                form.read_back_at or None,
                marks,
            )
        except Failed:
            return None
        return f"to-khai-{form.procedure.result_template.replace('_', '-')}.pdf", pdf
