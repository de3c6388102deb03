"""The result's pages as pictures, for the tablet's result screen.

A tablet cannot draw a PDF by itself (no PDF renderer ships for Flet on Android/iOS), so
the station renders each page of the sealed result once, at stamp time, with PDFium
(pypdfium2), and sends the pictures with the PDF. The PDF stays the document; the
pictures only show it. Grey PNGs at ``DPI`` keep a two-page certificate near 150 kB.

PDFium is not thread-safe (pypdfium2's documentation: one PDFium call at a time per
process), and stamps run on the request thread pool, so every use of it here holds
``_PDFIUM_LOCK``: parallel stamps render one after another (about 60 ms a page).
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL import Image

from shared.errors import problem

DPI = 110
MAX_PAGES = 4
_PDFIUM_LOCK = threading.Lock()


def render_pages(pdf: bytes, dpi: int = DPI, max_pages: int = MAX_PAGES) -> list[bytes]:
    """PNG bytes of the first ``max_pages`` pages of ``pdf``."""
    with _PDFIUM_LOCK:
        pages = _render_locked(pdf, dpi, max_pages)
    out = []
    for image in pages:  # PNG encoding is Pillow's, outside the lock
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        out.append(buf.getvalue())
    return out


def _render_locked(pdf: bytes, dpi: int, max_pages: int) -> list[Image.Image]:
    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise problem("RESULT_NOT_READY", None) from exc
    try:
        out = []
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            bitmap = page.render(scale=dpi / 72)
            out.append(bitmap.to_pil().convert("L"))  # a copy: owns its pixels
            bitmap.close()
            page.close()
        return out
    finally:
        doc.close()
