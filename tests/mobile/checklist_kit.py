"""Hand every paper in, as staff do on the checklist step: tick each component and take
a photo of each one the procedure asks a photo of (state tests without a browser)."""

from __future__ import annotations

import asyncio
import io

from PIL import Image, ImageDraw

from mobile.state import AppState


def page_photo(seed: int = 1) -> bytes:
    """A small JPEG of a printed page (the attachment store downsizes and re-encodes)."""
    img = Image.new("RGB", (640, 480), (236, 232, 220))
    draw = ImageDraw.Draw(img)
    for i in range(12):
        draw.text((30, 30 + i * 34), f"GIAY TO {seed:03d}-{i:02d}", fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def hand_in_everything(state: AppState) -> None:
    form = state.form
    assert form is not None
    for row in form.checklist_rows():
        if not row.ticked:
            state.toggle_component(row.id)
        if row.photo_required and not row.photos:
            assert asyncio.run(state.add_photo(row.id, page_photo(), "image/jpeg")), state.banner
    assert form.checklist().complete, form.checklist().missing


def sign_all_on_paper(state: AppState) -> None:
    """Every party signs the printed declaration ("Ký trên giấy"), after the read-back."""
    state.start_signing()
    assert state.signing is not None
    for p in state.signing.parties:
        assert state.sign_on_paper(p.party), state.banner
