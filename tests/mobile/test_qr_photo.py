"""Reading the CCCD QR code from a photo.

A phone camera cannot exist here, so the "photo" is made: the real QR code of a CCCD
string (segno), pasted onto a card-coloured background, rotated, scaled down, blurred and
saved as JPEG — what a tablet camera hands the app. Everything after that is real.
"""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image, ImageFilter

from mobile.services.qr_photo import decode_qr_text
from shared.cccd import parse_cccd_qr
from shared.errors import TaiChoError

ADDRESS = "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp"
QR = f"087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|{ADDRESS}|12072021"


def card_photo(text: str, *, angle: float = 0, scale: float = 1.0, blur: float = 0) -> bytes:
    buf = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buf, kind="png", scale=6, border=4)
    qr = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    card = Image.new("RGB", (qr.width * 3, qr.height * 2), (214, 222, 236))
    card.paste(qr, (qr.width * 2 - 20, qr.height // 2))
    shot = card.rotate(angle, expand=True, fillcolor=(40, 40, 40))
    shot = shot.resize((int(shot.width * scale), int(shot.height * scale)))
    if blur:
        shot = shot.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    shot.save(out, format="JPEG", quality=80)
    return out.getvalue()


@pytest.mark.parametrize(
    ("angle", "scale", "blur"), [(0, 1.0, 0), (12, 0.8, 0.6), (90, 1.0, 0), (-25, 0.7, 0.8)]
)
def test_photo_of_the_card_gives_the_same_answer_as_the_scanner(
    angle: float, scale: float, blur: float
) -> None:
    text = decode_qr_text(card_photo(QR, angle=angle, scale=scale, blur=blur))
    assert text == QR
    assert parse_cccd_qr(text).to_dict() == parse_cccd_qr(QR).to_dict()


def test_photo_without_a_code() -> None:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 200, 200)).save(out, format="PNG")
    with pytest.raises(TaiChoError) as info:
        decode_qr_text(out.getvalue())
    assert info.value.code == "QR_NOT_FOUND"


@pytest.mark.parametrize("data", [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
def test_not_an_image(data: bytes) -> None:
    with pytest.raises(TaiChoError) as info:
        decode_qr_text(data)
    assert info.value.code == "QR_PHOTO_UNREADABLE"
