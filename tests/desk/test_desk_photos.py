"""The desk shows the photos of a dossier's documents, in headless Chromium against a real
station: a thumbnail per photo under its component, a link to the full picture, and
"chưa nhận ảnh" for a photo the tablet has not sent yet — until the next sync brings it.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageDraw

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import RunningStation
from tests.browser_kit import APPRAISER, INTAKE
from tests.desk.test_desk_browser import open_dossier, shot, sign_in
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
PROCEDURE = "1.001193"


def page_photo(label: str, colour: tuple[int, int, int]) -> bytes:
    img = Image.new("RGB", (1200, 1600), (245, 243, 235))
    draw = ImageDraw.Draw(img)
    draw.rectangle((60, 60, 1140, 300), fill=colour)
    for i in range(30):
        draw.text((80, 360 + i * 40), f"{label} — dong {i + 1}", fill=(20, 20, 20))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.mark.timeout(600)
def test_desk_shows_photos_per_component(
    page: Any, station: RunningStation, tmp_path: Path, shots: Path
) -> None:
    tablet = TabletService(tmp_path / "tablet")
    tablet.enrolment.enroll(station.url, station.enroll_code())
    tablet.unlock(*INTAKE)
    cert = tablet.add_attachment(
        page_photo("GIAY CHUNG SINH", (180, 30, 30)), "image/jpeg", "birth_certificate_medical"
    )
    card = tablet.add_attachment(page_photo("CAN CUOC", (30, 60, 180)), None, "requester_id")
    made = tablet.intake(
        PROCEDURE,
        sample_values(PROCEDURE, vn_now().date(), 7),
        attachments=[cert, card],
        components_received=every_component(
            PROCEDURE, sample_values(PROCEDURE, vn_now().date(), 7)
        ),
    )
    # The tablet loses its connection after sending the dossier and the first photo: the
    # second waits on the tablet (held aside here as the cut connection would leave it).
    client = tablet.ctx.client()
    try:
        tablet.outbox.push(client)
        tablet.store.db.execute(
            "UPDATE attachment_uploads SET error = 'HELD' WHERE sha256 = ?", [card.sha256]
        )
        assert tablet.attachments.upload(client).completed == 1
    finally:
        client.close()

    sign_in(page, APPRAISER)
    open_dossier(page, made.code)
    fd.wait_text(page, "Ảnh giấy tờ")
    text = fd.wait_text(page, "chưa nhận ảnh")
    assert "Giấy chứng sinh" in text and "(1 ảnh, 1 chưa nhận)" in text
    thumb = page.get_by_role("img", name="Ảnh 1: Giấy chứng sinh")
    thumb.first.wait_for(state="attached", timeout=30_000)
    shot(page, shots, "01-photo-and-missing")
    # The thumbnail is really drawn: its box on the screen holds the photo's red band.
    box = thumb.first.bounding_box()
    assert box is not None and box["width"] > 40
    png = page.screenshot(clip=box)
    with Image.open(io.BytesIO(png)) as seen:
        raw = seen.convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    reds = sum(1 for r, g, b in pixels if r > 140 and g < 80 and b < 80)
    assert reds > 50, "the thumbnail is not on the screen"

    # "Xem ảnh lớn" opens the full picture in a new tab.
    with page.context.expect_page(timeout=30_000) as popup:
        fd.click(page, "Xem ảnh lớn")
    big = popup.value
    big.wait_for_load_state()
    body = httpx.get(big.url, timeout=30)
    assert body.status_code == 200 and body.headers["content-type"] == "image/jpeg"
    assert hashlib.sha256(body.content).hexdigest() == cert.sha256
    big.close()

    # The next sync brings the second photo; reopening the dossier shows it.
    tablet.store.db.execute("UPDATE attachment_uploads SET error = NULL")
    assert tablet.sync().photos_pending == 0
    fd.click(page, "Quay lại danh sách")
    open_dossier(page, made.code)
    fd.wait_no_text(page, "chưa nhận ảnh")
    assert page.get_by_role("img", name="Ảnh 1: Giấy chứng sinh").count() == 1
    shot(page, shots, "02-both-photos")
    tablet.close()
