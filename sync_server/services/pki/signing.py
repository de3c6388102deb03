"""PAdES signatures on result documents (pyHanko): the leader's, then the commune's seal.

Nghị định 30/2020 lets an agency seal (or sign as an organisation) only a document the
competent person has already signed. So a result gets two signatures, each an
incremental update that leaves the earlier bytes — and the earlier signature — intact:

1. :func:`sign_leader` at approval: the leader's signature with a visible appearance
   (who signed, title, agency, signing time) in the signature room of the document;
   then, on a result the people sign themselves (the Giấy chứng nhận kết hôn, Luật Hộ
   tịch 2014, Điều 18 khoản 2), :func:`sign_party` once per spouse: their mark (strokes
   drawn on a screen, a thumbprint with its witness, or a note that they signed the
   printed copy) in their box, each a signature field of its own made with the commune's
   certificate — the office's record that this person signed before this officer;
2. :func:`sign_seal` at stamping: the commune's organisation signature whose appearance
   is the round red seal, over the left third of the leader's signature as on paper.

Appearances are drawn as vector glyph outlines of Liberation Serif (the documents' font)
instead of embedded text: no font subsetting per signature (that keeps a signature a few
milliseconds of work), full Vietnamese coverage, and nothing that scrambles the text that
``pdftotext`` gives back for the document itself.

Box positions are parameters (:class:`SignatureLayout`, millimetres from the page's top
left); :data:`DEFAULT_LAYOUT` fits the signature block of today's Giấy khai sinh.
"""

from __future__ import annotations

import functools
import io
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import tsp, x509
from fontTools.pens.basePen import BasePen  # type: ignore[import-untyped]
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.attributes import CMSAttributeProvider, SignedAttributeProviderSpec
from pyhanko.sign.general import SigningError, as_signing_certificate_v2
from pyhanko.sign.signers import Signer
from pyhanko.stamp import StaticStampStyle

from shared.documents.official import SEAL_RADIUS, OfficialDocument, glyph_outlines, nfc
from shared.signatures import PAD_ASPECT, SCALE

__all__ = [
    "DEFAULT_LAYOUT",
    "LEADER_FIELD",
    "REASON_LEADER",
    "REASON_SEAL",
    "SEAL_FIELD",
    "Box",
    "SignatureLayout",
    "sign_leader",
    "sign_party",
    "sign_seal",
    "signed_fields",
]

LEADER_FIELD = "ChuKyLanhDao"
SEAL_FIELD = "DauCoQuan"
_PT_PER_MM = 72.0 / 25.4
_A4_HEIGHT_PT = 841.89
_INK_BLUE = (0.05, 0.15, 0.55)
# Each signature's /Reason names the dossier, so a verifier finds the code offline.
REASON_LEADER = "Phê duyệt hồ sơ"
REASON_SEAL = "Đóng dấu hồ sơ"
_SEAL_RED = (212 / 255, 22 / 255, 38 / 255)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Box:
    """A rectangle on a page, in millimetres from the page's top-left corner."""

    x: float
    y: float
    w: float
    h: float
    page: int = 0  # 0-based; -1 = the last page

    def pdf_rect(self, page_height_pt: float = _A4_HEIGHT_PT) -> tuple[int, int, int, int]:
        """(x1, y1, x2, y2) in PDF points from the bottom left, as pyHanko wants."""
        x1 = self.x * _PT_PER_MM
        y2 = page_height_pt - self.y * _PT_PER_MM
        return (
            round(x1),
            round(y2 - self.h * _PT_PER_MM),
            round(x1 + self.w * _PT_PER_MM),
            round(y2),
        )


@dataclass(frozen=True)
class SignatureLayout:
    """Where the signatures' appearances go (``parties``: the people's own boxes, left to
    right, on a result they sign themselves)."""

    leader: Box
    seal: Box
    parties: tuple[Box, ...] = ()


def _seal_over_left_third(leader: Box, radius: float = SEAL_RADIUS) -> Box:
    """The seal's square: its right edge a third into the leader's box, centred on it."""
    right = leader.x + leader.w / 3
    cy = leader.y + leader.h / 2
    return Box(right - 2 * radius - 0.5, cy - radius - 0.5, 2 * radius + 1, 2 * radius + 1)


# Today's Giấy khai sinh: right column x 95–195 mm; the signature room (32 mm high) starts
# about 228 mm from the top for the sample dossiers. The bundle's template reserves its own
# rectangle; pass it as SignatureLayout(leader=Box(...), seal=...).
_LEADER_DEFAULT = Box(x=105.0, y=229.0, w=84.0, h=30.0)
DEFAULT_LAYOUT = SignatureLayout(_LEADER_DEFAULT, _seal_over_left_third(_LEADER_DEFAULT))


# --- glyph outlines ------------------------------------------------------------------


class _PdfPathPen(BasePen):  # type: ignore[misc]
    """Collects a glyph outline as PDF path operators, in font units."""

    def __init__(self, glyph_set: Any) -> None:
        super().__init__(glyph_set)
        self.ops: list[str] = []

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(f"{pt[0]:g} {pt[1]:g} m")

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self.ops.append(f"{pt[0]:g} {pt[1]:g} l")

    def _curveToOne(
        self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]
    ) -> None:
        self.ops.append(f"{p1[0]:g} {p1[1]:g} {p2[0]:g} {p2[1]:g} {p3[0]:g} {p3[1]:g} c")

    def _closePath(self) -> None:
        self.ops.append("h")


@functools.lru_cache(maxsize=2048)
def _glyph(style: str, ch: str) -> tuple[str, float]:
    """(path operators in font units, advance in font units) of one character.

    The outline comes from :func:`~shared.documents.official.glyph_outlines`, which reads
    the font under a lock and hands back an immutable record: request threads draw
    appearances in parallel (issue 22: a shared TTFont answered 500s on a fresh start).
    """
    outline = glyph_outlines(style).glyph(ch)
    pen = _PdfPathPen(None)
    outline.draw(pen)
    return " ".join(pen.ops), outline.advance


def _text_width(text: str, style: str, size_pt: float) -> float:
    upem = glyph_outlines(style).units_per_em
    return sum(_glyph(style, ch)[1] for ch in nfc(text)) * size_pt / upem


def _text_ops(text: str, x: float, y: float, size_pt: float, style: str = "") -> str:
    """Fill ``text`` as outlines with its baseline starting at (x, y) points."""
    s = size_pt / glyph_outlines(style).units_per_em
    out = []
    for ch in nfc(text):
        path, adv = _glyph(style, ch)
        if path:
            out.append(f"q {s:.6f} 0 0 {s:.6f} {x:.3f} {y:.3f} cm {path} f Q")
        x += adv * s
    return "\n".join(out)


def _fit_size(lines: Sequence[tuple[str, str]], width: float, size: float) -> float:
    widest = max(_text_width(t, st, size) for t, st in lines)
    return size if widest <= width else size * width / widest


# --- appearances -----------------------------------------------------------------------


def _leader_appearance(box: Box, lines: Sequence[tuple[str, str]]) -> content.PdfContent:
    """Lines of text (``(text, style)``) in blue ink with a thin frame.

    The text sits left-aligned in the right two thirds of the box: the seal, stamped later
    over the left third, must not hide who signed or when.
    """
    w, h = box.w * _PT_PER_MM, box.h * _PT_PER_MM
    pad = 4.0
    left = w / 3 + pad
    size = _fit_size(lines, w - left - pad, 8.5)
    lead = size * 1.35
    top = h / 2 + lead * len(lines) / 2 - size
    r, g, b = _INK_BLUE
    ops = [f"q {r} {g} {b} rg {r} {g} {b} RG 0.6 w 1 1 {w - 2:.2f} {h - 2:.2f} re S"]
    for i, (text, style) in enumerate(lines):
        ops.append(_text_ops(text, left, top - i * lead, size, style))
    ops.append("Q")
    raw = "\n".join(ops).encode("ascii")
    return content.RawContent(raw, box=layout.BoxConstraints(width=w, height=h))


def _strokes_ops(
    strokes: Sequence[Sequence[Sequence[int]]], x: float, y: float, w: float, h: float
) -> str:
    """Strokes (points in 0..1000 of a pad :data:`PAD_ASPECT` times as wide as high) drawn
    as round-capped lines fitted into the rectangle (x, y, w, h) in points, keeping the
    pad's proportions (so a signature is not stretched)."""
    scale = min(w / PAD_ASPECT, h)
    pw, ph = scale * PAD_ASPECT, scale
    ox, oy = x + (w - pw) / 2, y + (h - ph) / 2
    ops = ["1 J 1 j 1.1 w"]
    for stroke in strokes:
        pts = [(ox + p[0] * pw / SCALE, oy + ph - p[1] * ph / SCALE) for p in stroke]
        if len(pts) == 1:
            pts = [pts[0], (pts[0][0] + 0.3, pts[0][1])]
        ops.append(f"{pts[0][0]:.2f} {pts[0][1]:.2f} m")
        ops.extend(f"{px:.2f} {py:.2f} l" for px, py in pts[1:])
        ops.append("S")
    return "\n".join(ops)


def _party_appearance(
    box: Box, strokes: Sequence[Sequence[Sequence[int]]], caption: Sequence[str]
) -> content.PdfContent:
    """A party's mark: the strokes in blue ink (if any) over small caption lines."""
    w, h = box.w * _PT_PER_MM, box.h * _PT_PER_MM
    size = _fit_size([(c, "I") for c in caption], w - 4, 6.5) if caption else 6.5
    lead = size * 1.25
    text_h = lead * len(caption) + 2
    r, g, b = _INK_BLUE
    ops = [f"q {r} {g} {b} rg {r} {g} {b} RG"]
    if strokes:
        ops.append(_strokes_ops(strokes, 2, text_h, w - 4, h - text_h - 2))
    for i, line in enumerate(caption):
        ops.append(_text_ops(line, 2, text_h - 2 - (i + 1) * lead + size * 0.25, size, "I"))
    ops.append("Q")
    raw = "\n".join(ops).encode("ascii")
    return content.RawContent(raw, box=layout.BoxConstraints(width=w, height=h))


class _ImportedPdfBytes(content.PdfContent):
    """The first page of an in-memory PDF as a form XObject (pyHanko's own importer wants
    a file name)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobj = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)), page_ix=0)
        self.resources.xobject["/SealArt"] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return b"/SealArt Do"


@functools.lru_cache(maxsize=8)
def seal_art(agency_lines: tuple[str, ...], size_mm: float, centre_text: str | None) -> bytes:
    """A one-page PDF of just the round red seal (drawn by the documents' own seal code)."""
    doc = OfficialDocument(title="Dấu")
    doc.set_margins(0, 0, 0)
    doc.set_auto_page_break(False)
    doc.add_page(format=(size_mm, size_mm))
    doc.draw_seal(size_mm / 2, size_mm / 2, agency_lines, centre_text=centre_text)
    return bytes(doc.output())


# --- signing ---------------------------------------------------------------------------


# Room for the CMS container beyond the certificates it embeds: signed attributes
# (content type, digest, signing certificate v2, time: ~350 bytes), the signature itself
# (≤ 512 bytes for RSA-4096) and the structure around them, with a wide margin.
_CMS_OVERHEAD = 2048


def _bytes_reserved(signer: Signer) -> int:
    """Hex digits to reserve for ``signer``'s signature container.

    pyHanko's default estimate builds a whole dummy CMS signature first (a "dry run"),
    nearly doubling the cost of a signature; the container's size is bounded by the
    certificates it carries, so it is computed from them instead.
    """
    certs = [signer.signing_cert, *(signer.cert_registry or ())]
    return 2 * (sum(len(c.dump()) for c in certs if c is not None) + _CMS_OVERHEAD)


class _SigningCertificateV2(CMSAttributeProvider):
    """The signing-certificate-v2 attribute from its encoding, computed once."""

    attribute_type = "signing_certificate_v2"

    def __init__(self, der: bytes) -> None:
        self._der = der

    async def build_attr_value(self, dry_run: bool = False) -> tsp.SigningCertificateV2:
        return tsp.SigningCertificateV2.load(self._der)


class _PadesSignedAttributes(SignedAttributeProviderSpec):
    """The signed attributes pyHanko puts in a PAdES signature (besides content type and
    message digest, which it always adds): just signing-certificate-v2 — PAdES keeps the
    signing time in the signature dictionary, not in the CMS.

    pyHanko rebuilds that attribute from the certificate for every signature, and
    asn1crypto then re-encodes the freshly built structure several times over: about
    8 ms of a signature's 9 ms of CMS work. Its value depends on the certificate only,
    so it is encoded once per signer and loaded from those bytes afterwards.
    """

    def __init__(self, signing_cert: x509.Certificate) -> None:
        self._der = as_signing_certificate_v2(signing_cert).dump()

    def signed_attr_providers(
        self, data_digest: bytes, digest_algorithm: str
    ) -> Iterator[CMSAttributeProvider]:
        yield _SigningCertificateV2(self._der)


def _prepare(signer: Signer) -> None:
    """Give ``signer`` the precomputed PAdES attributes (once; signers are reused)."""
    if signer.signed_attr_prov_spec is None and signer.signing_cert is not None:
        signer.signed_attr_prov_spec = _PadesSignedAttributes(signer.signing_cert)


def _sign(
    pdf: bytes,
    signer: Signer,
    field: str,
    box: Box,
    style: StaticStampStyle,
    *,
    reason: str,
    location: str,
    name: str,
) -> bytes:
    _prepare(signer)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page = box.page
    if page < 0:
        page = int(writer.root["/Pages"]["/Count"]) + page
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=name,
    )
    spec = fields.SigFieldSpec(sig_field_name=field, on_page=page, box=box.pdf_rect())
    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=_bytes_reserved(signer))
    except SigningError as exc:
        if "larger than expected" not in str(exc):
            raise
        # A container larger than the certificates suggest (an unusual token or CA):
        # let pyHanko measure it with a dummy signature, on a fresh writer.
        log.warning("signature container over the reserved size; re-signing: %s", exc)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def signing_time_text(at: datetime) -> str:
    """ "28/11/2026 15:20:01 +07:00" as printed on the appearance."""
    offset = at.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{at.strftime('%d/%m/%Y %H:%M:%S')} {offset}".strip()


def sign_leader(
    pdf: bytes,
    signer: Signer,
    *,
    full_name: str,
    title: str,
    agency: str,
    at: datetime,
    location: str,
    code: str,
    box: Box = DEFAULT_LAYOUT.leader,
) -> bytes:
    """The leader's approval signature, with a visible appearance in ``box``."""
    title_line = re.sub(r"\s+", " ", title).strip()
    lines = [
        (f"Ký bởi: {full_name}", "B"),
        (f"Chức vụ: {title_line}", ""),
        (f"Cơ quan: {agency}", ""),
        (f"Thời gian ký: {signing_time_text(at)}", ""),
    ]
    style = StaticStampStyle(
        background=_leader_appearance(box, [(t, s) for t, s in lines if not t.endswith(": ")]),
        border_width=0,
        background_opacity=1.0,
    )
    return _sign(
        pdf,
        signer,
        LEADER_FIELD,
        box,
        style,
        reason=f"{REASON_LEADER} {code}",
        location=location,
        name=full_name,
    )


def sign_party(
    pdf: bytes,
    signer: Signer,
    *,
    field: str,
    box: Box,
    strokes: Sequence[Sequence[Sequence[int]]],
    caption: Sequence[str],
    name: str,
    reason: str,
    location: str,
) -> bytes:
    """One person's own mark on the result, as a signature field of its own (``field``)
    made with ``signer`` (the commune's certificate: the office records that this person
    signed); ``reason`` names the person, the officer before whom they signed and the
    dossier."""
    style = StaticStampStyle(
        background=_party_appearance(box, strokes, caption),
        border_width=0,
        background_opacity=1.0,
    )
    return _sign(pdf, signer, field, box, style, reason=reason, location=location, name=name)


def signed_fields(pdf: bytes) -> list[str]:
    """The names of the signature fields already signed in ``pdf``, in signing order."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [str(s.field_name) for s in reader.embedded_signatures]


def sign_seal(
    pdf: bytes,
    signer: Signer,
    *,
    agency_lines: Sequence[str],
    agency: str,
    location: str,
    code: str,
    centre_text: str | None = None,
    box: Box = DEFAULT_LAYOUT.seal,
) -> bytes:
    """The commune's seal: an organisation signature whose appearance is the red seal."""
    art = seal_art(tuple(agency_lines), min(box.w, box.h), centre_text)
    style = StaticStampStyle(
        background=_ImportedPdfBytes(art), border_width=0, background_opacity=1.0
    )
    return _sign(
        pdf,
        signer,
        SEAL_FIELD,
        box,
        style,
        reason=f"{REASON_SEAL} {code}",
        location=location,
        name=agency,
    )
