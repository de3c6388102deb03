"""Read the CCCD QR code from a photo of the card (camera on a device, file in the web build).

Decoding uses zxing-cpp (a maintained port of ZXing) on a Pillow image: it finds the
code when the card is rotated, small in the frame or photographed in poor light
(``try_rotate``, ``try_downscale``, ``try_invert``). The decoded text then goes through
``shared.cccd.parse_cccd_qr`` like scanner or pasted input, so all three paths give the
same answer. zxing-cpp is not in Flet's mobile package index today; on a device build
without it the app falls back to a keyboard-wedge scanner or paste, and this module
answers ``QR_DECODER_MISSING`` instead of crashing (docs/intake.md).
"""

from __future__ import annotations

import io
import logging

from shared.errors import problem

log = logging.getLogger(__name__)
MAX_PHOTO_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 40_000_000


def decode_qr_text(photo: bytes) -> str:
    """The text of the first QR code in the photo; a catalogued problem otherwise."""
    if not photo or len(photo) > MAX_PHOTO_BYTES:
        raise problem("QR_PHOTO_UNREADABLE", "photo")
    try:
        import zxingcpp
    except ImportError:
        raise problem("QR_DECODER_MISSING", "photo") from None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(photo)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise problem("QR_PHOTO_UNREADABLE", "photo")
            img.load()
            gray = img.convert("L")
    except (UnidentifiedImageError, OSError, ValueError) as err:
        log.info("photo not decodable as an image: %s", type(err).__name__)
        raise problem("QR_PHOTO_UNREADABLE", "photo") from None
    for code in zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    ):
        if code.valid and code.text:
            return str(code.text)
    raise problem("QR_NOT_FOUND", "photo")
