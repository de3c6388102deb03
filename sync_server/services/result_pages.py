"""The result's pages as pictures, for the tablet's result screen.

A tablet cannot draw a PDF by itself (no PDF renderer ships for Flet on Android/iOS), so
the station renders each page of the sealed result once, at stamp time, with PDFium
(pypdfium2), and sends the pictures with the PDF. The PDF stays the document; the
pictures only show it. Grey PNGs at ``DPI`` keep a two-page certificate near 150 kB.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium

from shared.errors import problem

DPI = 110
MAX_PAGES = 4


def render_pages(pdf: bytes, dpi: int = DPI, max_pages: int = MAX_PAGES) -> list[bytes]:
    """PNG bytes of the first ``max_pages`` pages of ``pdf``."""
    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise problem("RESULT_NOT_READY", None) from exc
    try:
        out = []
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=True)
            out.append(buf.getvalue())
            page.close()
        return out
    finally:
        doc.close()
