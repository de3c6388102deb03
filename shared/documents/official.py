"""The A4 official-document base of Tại Chỗ, after Nghị định 30/2020/NĐ-CP (Phụ lục I).

:class:`OfficialDocument` is an ``FPDF`` with

- A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm;
- Liberation Serif 2.1.5 (Times New Roman metrics, full Vietnamese coverage) shipped in
  ``fonts/`` and registered as family ``"LiberationSerif"`` (styles "", B, I, BI);
- :meth:`~OfficialDocument.official_header`: agency name top left (the upper-level
  agency upper case regular, the agency upper case bold with a short rule under it),
  "Số: …" below it; Quốc hiệu upper case bold top right, tiêu ngữ bold with a rule the
  width of the text, the place-and-date line in italics beside "Số";
- :meth:`~OfficialDocument.signature_block`: the signer's authority and title in bold
  upper case, room for the signature, the signer's name in bold, and the red seal placed
  over the left third of the signature;
- :meth:`~OfficialDocument.draw_seal`: the round red seal — two rings, the agency's name
  around the ring, a five-pointed star in the centre.

The seal's lettering is drawn as vector outlines (from the font's glyphs), not as text:
like an ink stamp it cannot be copied out of the PDF, and it does not scramble the text
that ``pdftotext`` gives back for the document itself.

Every string is normalised to NFC before it is drawn.
"""

from __future__ import annotations

import copy
import datetime
import functools
import io
import math
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import subset as ft_subset  # type: ignore[import-untyped]
from fontTools.pens.basePen import BasePen  # type: ignore[import-untyped]
from fontTools.pens.recordingPen import DecomposingRecordingPen  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF
from fpdf.drawing import PaintedPath
from fpdf.enums import PathPaintRule, TextEmphasis
from fpdf.fonts import SubsetMap, TTFFont

__all__ = [
    "FONT_DIR",
    "FONT_FAMILY",
    "QUOC_HIEU",
    "SEAL_RED",
    "TIEU_NGU",
    "GlyphOutline",
    "GlyphOutlines",
    "OfficialDocument",
    "SignatureBox",
    "date_line",
    "glyph_outlines",
    "nfc",
    "place_date_line",
]

FONT_DIR = Path(__file__).resolve().with_name("fonts")
FONT_FAMILY = "LiberationSerif"
_FONT_FILES = {
    "": "LiberationSerif-Regular.ttf",
    "B": "LiberationSerif-Bold.ttf",
    "I": "LiberationSerif-Italic.ttf",
    "BI": "LiberationSerif-BoldItalic.ttf",
}

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

# Nghị định 30/2020/NĐ-CP, Phụ lục I: margins in mm.
MARGIN_TOP = 20.0
MARGIN_BOTTOM = 20.0
MARGIN_LEFT = 30.0
MARGIN_RIGHT = 15.0

# Header columns: the agency on the left, Quốc hiệu and tiêu ngữ on the right.
LEFT_COLUMN_W = 65.0
BODY_SIZE = 13.0
LINE_H = 7.0

SEAL_RED = (212, 22, 38)
SEAL_RADIUS = 17.5  # a commune seal is about 35 mm across

_RGB = tuple[int, int, int]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def date_line(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2026": a date as every document writes it in words and
    Arabic numerals (Nghị định 30/2020/NĐ-CP, Phụ lục I, the place-and-date line). The one
    copy: the papers, the results, the declaration, the report and the certification
    sentences all call it."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def place_date_line(place: str, day: datetime.date) -> str:
    """ "Lai Vung, ngày 25 tháng 11 năm 2026": the place-and-date line under the header."""
    return nfc(f"{place}, {date_line(day)}")


@dataclass(frozen=True)
class SignatureBox:
    """Where :meth:`OfficialDocument.signature_block` put things (mm, page coordinates)."""

    x: float  # left of the block's column
    w: float  # width of the block's column
    signature_top: float  # the blank room left for the hand-written signature
    signature_bottom: float
    seal_centre: tuple[float, float] | None
    bottom: float  # below the signer's name


# --- glyph outlines, for the seal's lettering and the signature appearances -----------
#
# fontTools' TTFont reads its tables lazily and decompiles each glyph on first use, in
# place: one TTFont shared by request threads gives KeyError 'uni0309' or "'Glyph' object
# has no attribute 'flags'" when two threads draw at once (issue 22). So the font is read
# only under one lock per style, each character's outline is recorded there once (with
# composite glyphs decomposed, so drawing never goes back to the font), and every later
# drawing replays that immutable record without any lock.


@dataclass(frozen=True)
class GlyphOutline:
    """One character's outline and advance, in font units (y up, origin on the baseline)."""

    advance: float
    commands: tuple[tuple[str, tuple[Any, ...]], ...]

    def draw(self, pen: Any) -> None:
        """Replay the outline into a fontTools pen (moveTo, lineTo, qCurveTo, …)."""
        for op, args in self.commands:
            getattr(pen, op)(*args)


_OUTLINE_CACHE_MAX = 4096  # characters remembered per style (Vietnamese needs ~200)


class GlyphOutlines:
    """The outlines of one style of the documents' font, safe to use from any thread."""

    def __init__(self, style: str) -> None:
        self._style = style
        self._lock = threading.Lock()
        self._font: Any = None
        self._upem = 0.0
        self._glyphs: dict[str, GlyphOutline] = {}

    def _open(self) -> Any:  # called with the lock held
        if self._font is None:
            # From memory: a cached font must not hold a file open for the process's life.
            font = TTFont(io.BytesIO((FONT_DIR / _FONT_FILES[self._style]).read_bytes()))
            self._upem = float(font["head"].unitsPerEm)
            self._font = font
        return self._font

    @property
    def units_per_em(self) -> float:
        if not self._upem:
            with self._lock:
                self._open()
        return self._upem

    def glyph(self, ch: str) -> GlyphOutline:
        hit = self._glyphs.get(ch)
        if hit is not None:
            return hit
        with self._lock:
            hit = self._glyphs.get(ch)
            if hit is None:
                font = self._open()
                name = font.getBestCmap().get(ord(ch), ".notdef")
                glyph_set = font.getGlyphSet()
                pen = DecomposingRecordingPen(glyph_set)
                glyph_set[name].draw(pen)
                hit = GlyphOutline(
                    float(font["hmtx"][name][0]),
                    tuple((op, tuple(args)) for op, args in pen.value),
                )
                if len(self._glyphs) < _OUTLINE_CACHE_MAX:
                    self._glyphs[ch] = hit
            return hit

    def prepare(self, text: str) -> None:
        """Record the outlines of ``text``'s characters now (e.g. at start-up)."""
        for ch in nfc(text):
            self.glyph(ch)


_OUTLINES = {style: GlyphOutlines(style) for style in _FONT_FILES}


def glyph_outlines(style: str) -> GlyphOutlines:
    """The shared, thread-safe outlines of ``style`` ("", "B", "I" or "BI")."""
    return _OUTLINES[style]


# --- the documents' fonts, parsed once per process --------------------------------------
#
# fpdf2's add_font parses the whole TTF (cmap, widths of ~2 300 characters) for every
# document, and at output subsets it with fontTools, recomputing every used glyph's
# bounding box. Both are most of the cost of a result. So, once per process and style:
#
# - a *prototype* TTFFont is parsed (metrics, cmap, glyph ids, descriptor);
# - a *reduced* font file is cut from the full one: the Latin scripts (Vietnamese
#   included), combining marks and common punctuation, without hinting instructions.
#
# Each document gets a shallow copy of the prototype with its own mutable state (widths
# table, subset map, missing glyphs) and its own TTFont object over the reduced file —
# fpdf2 subsets that object in place, so it must never be shared. At output, a document
# whose text needs a glyph outside the reduced file gets the full file instead
# (:func:`_choose_font_file`): the embedded glyphs and their ids are the same either way.

_FONT_KEY = FONT_FAMILY.lower()
_REDUCED_RANGES = (
    (0x20, 0x7E),  # Basic Latin
    (0xA0, 0x17F),  # Latin-1 Supplement and Latin Extended-A (À … ÿ, Ă Đ Ĩ Ũ …)
    (0x1A0, 0x1A1),  # Ơ ơ
    (0x1AF, 0x1B0),  # Ư ư
    (0x300, 0x303),  # combining grave, acute, circumflex, tilde
    (0x306, 0x306),  # combining breve
    (0x309, 0x309),  # combining hook above
    (0x31B, 0x31B),  # combining horn
    (0x323, 0x323),  # combining dot below
    (0x1EA0, 0x1EF9),  # the Vietnamese part of Latin Extended Additional (Ạ … ỹ)
    (0x2010, 0x2027),  # dashes, quotation marks, bullet, ellipsis
    (0x2030, 0x203A),  # per mille, primes, guillemets
    (0x20AB, 0x20AB),  # ₫
    (0x2116, 0x2116),  # №
)


@dataclass(frozen=True)
class _FontFiles:
    full: bytes
    reduced: bytes
    reduced_glyphs: frozenset[str]


def _subset_options(*, hinting: bool) -> Any:
    """fpdf2's own subsetting options (output.py), so the reduced file is what fpdf2
    would have embedded, minus hinting (PDF viewers do not use TrueType hinting)."""
    options = ft_subset.Options(
        notdef_outline=True, recommended_glyphs=True, glyph_names=True, hinting=hinting
    )
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta"]
    return options


@functools.lru_cache(maxsize=4)
def _font_files(style: str) -> _FontFiles:
    full = (FONT_DIR / _FONT_FILES[style]).read_bytes()
    font = TTFont(io.BytesIO(full))
    subsetter = ft_subset.Subsetter(_subset_options(hinting=False))
    subsetter.populate(unicodes=[c for lo, hi in _REDUCED_RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return _FontFiles(full, out.getvalue(), frozenset(font.getGlyphOrder()))


_prototype_lock = threading.Lock()
_prototypes: dict[str, TTFFont] = {}


def _prototype(style: str) -> TTFFont:
    with _prototype_lock:
        proto = _prototypes.get(style)
        if proto is None:
            proto = TTFFont(FPDF(), FONT_DIR / _FONT_FILES[style], _FONT_KEY + style, style)
            proto.close()  # its metrics are read; copies get their own font objects
            _prototypes[style] = proto
        return proto


def _open_font(data: bytes) -> Any:
    # Glyph bounding boxes are taken from the file as they are: recomputing them (fpdf2's
    # default) decompiles and recompiles every embedded glyph.
    return TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)


def _font_for(style: str, index: int) -> TTFFont:
    """A document's own TTFFont for ``style``: shared read-only tables, own state."""
    proto = _prototype(style)
    font = copy.copy(proto)
    font.i = index
    font.cw = copy.copy(proto.cw)  # a defaultdict: lookups of unknown characters add keys
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.ttfont = _open_font(_font_files(style).reduced)
    font.subset = SubsetMap(font)
    return font


def _choose_font_file(font: TTFFont, style: str) -> None:
    files = _font_files(style)
    used = set(font.subset.get_all_glyph_names())
    if not used <= files.reduced_glyphs:
        font.ttfont.close()
        font.ttfont = _open_font(files.full)


_Map = Callable[[float, float], tuple[float, float]]


class _OutlinePen(BasePen):  # type: ignore[misc]
    """Draws a glyph's outline into an fpdf2 path, mapping font units to the page."""

    def __init__(self, glyph_set: Any, path: PaintedPath, to_page: _Map) -> None:
        super().__init__(glyph_set)
        self._path = path
        self._to_page = to_page

    def _moveTo(self, pt: tuple[float, float]) -> None:
        self._path.move_to(*self._to_page(*pt))

    def _lineTo(self, pt: tuple[float, float]) -> None:
        self._path.line_to(*self._to_page(*pt))

    def _curveToOne(
        self, p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float]
    ) -> None:
        self._path.curve_to(*self._to_page(*p1), *self._to_page(*p2), *self._to_page(*p3))

    def _qCurveToOne(self, p1: tuple[float, float], p2: tuple[float, float]) -> None:
        self._path.quadratic_curve_to(*self._to_page(*p1), *self._to_page(*p2))

    def _closePath(self) -> None:
        self._path.close()


class OfficialDocument(FPDF):
    """An A4 page set up after Nghị định 30/2020/NĐ-CP; see the module docstring."""

    def __init__(
        self,
        *,
        title: str = "",
        subject: str = "",
        author: str = "",
        created: datetime.datetime | datetime.date | None = None,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        # Styles are installed when first used (see set_font): fpdf2 embeds every
        # installed font, used or not.
        self.set_font(FONT_FAMILY, "", BODY_SIZE)
        self.set_lang("vi")
        self.set_creator("Tại Chỗ")
        if title:
            self.set_title(nfc(title))
        if subject:
            self.set_subject(nfc(subject))
        if author:
            self.set_author(nfc(author))
        if created is not None:
            if not isinstance(created, datetime.datetime):
                created = datetime.datetime.combine(created, datetime.time(8, 0))
            if created.tzinfo is None:  # offices keep Vietnamese time (UTC+7)
                created = created.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
            self.set_creation_date(created)

    def discard(self) -> None:
        """Release the font files of a document that will not be output.

        (``output()`` does this itself; a document dropped unrendered would otherwise
        leave them to the garbage collector.)
        """
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if callable(close):
                close()

    # --- fonts ------------------------------------------------------------------------

    def set_font(
        self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0
    ) -> None:
        """fpdf2's ``set_font``, installing a Liberation Serif style on its first use."""
        if (family or self.font_family or "").lower() == _FONT_KEY:
            raw = style.style if isinstance(style, TextEmphasis) else style
            key = "".join(sorted(ch for ch in raw.upper() if ch in "BI"))
            if _FONT_KEY + key not in self.fonts:
                self.fonts[_FONT_KEY + key] = _font_for(key, len(self.fonts) + 1)
        super().set_font(family, style, size)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        """fpdf2's ``output``, embedding each font from the smallest file that holds every
        glyph this document uses (see :func:`_font_for`)."""
        for key, font in self.fonts.items():
            if key.startswith(_FONT_KEY) and isinstance(font, TTFFont):
                _choose_font_file(font, key[len(_FONT_KEY) :])
        return super().output(*args, **kwargs)

    # --- small helpers ----------------------------------------------------------------

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    @property
    def right_column(self) -> tuple[float, float]:
        """(x, width) of the right header column (Quốc hiệu, signature)."""
        x = self.l_margin + LEFT_COLUMN_W
        return x, float(self.w - self.r_margin - x)

    @property
    def left_column(self) -> tuple[float, float]:
        return float(self.l_margin), LEFT_COLUMN_W

    def use(self, style: str = "", size: float = BODY_SIZE) -> None:
        self.set_font(FONT_FAMILY, style, size)

    def centred_lines(
        self,
        x: float,
        w: float,
        y: float,
        text: str,
        *,
        style: str = "",
        size: float = BODY_SIZE,
        h: float = LINE_H,
    ) -> float:
        """Draw ``text`` (may hold newlines; long lines wrap) centred in [x, x+w].

        Returns the y below the last line.
        """
        self.use(style, size)
        self.set_xy(x, y)
        self.multi_cell(w, h, nfc(text), align="C", new_x="LEFT", new_y="NEXT")
        return float(self.get_y())

    def rule(self, x_centre: float, y: float, width: float, line_width: float = 0.3) -> None:
        """A horizontal solid rule centred on ``x_centre``."""
        self.set_draw_color(0, 0, 0)
        self.set_line_width(line_width)
        self.line(x_centre - width / 2, y, x_centre + width / 2, y)

    # --- header -----------------------------------------------------------------------

    def official_header(
        self,
        agency_lines: Sequence[str],
        *,
        number: str | None = None,
        extra_left: Sequence[str] = (),
        place_date: str | None = None,
    ) -> float:
        """Draw the ND30 header at the top margin and return the y below it.

        ``agency_lines``: the upper-level agency (optional, regular) then the issuing
        agency (bold), e.g. ``("ỦY BAN NHÂN DÂN", "XÃ LAI VUNG")``; they are set upper
        case. ``number`` is the full "Số: …" text, ``extra_left`` more lines under it
        (e.g. "Quyển số: 01/2026"), ``place_date`` the italic line on the right
        ("Lai Vung, ngày 25 tháng 11 năm 2026").
        """
        if not agency_lines:
            raise ValueError("official_header needs at least the issuing agency")
        top = float(self.t_margin)
        lx, lw = self.left_column
        rx, rw = self.right_column
        head_size = 12.5

        # Left: the agency, the last line bold with a rule under it (1/3–1/2 its width).
        y = top
        *upper, agency = [nfc(line).upper() for line in agency_lines]
        for line in upper:
            y = self.centred_lines(lx, lw, y, line, size=head_size, h=5.6)
        y = self.centred_lines(lx, lw, y, agency, style="B", size=head_size, h=5.6)
        self.use("B", head_size)
        agency_w = min(float(self.get_string_width(agency)), lw)
        self.rule(lx + lw / 2, y + 1.0, max(agency_w * 0.4, 12.0))
        left_bottom = y + 1.0

        # Right: Quốc hiệu, tiêu ngữ underlined over its whole width.
        y = self.centred_lines(rx, rw, top, QUOC_HIEU, style="B", size=head_size, h=5.6)
        y = self.centred_lines(rx, rw, y, TIEU_NGU, style="B", size=13.5, h=6.0)
        self.use("B", 13.5)
        self.rule(rx + rw / 2, y + 0.8, float(self.get_string_width(nfc(TIEU_NGU))), 0.3)
        right_bottom = y + 0.8

        # Second row: "Số: …" on the left, place and date in italics on the right.
        row = max(left_bottom, right_bottom) + 3.5
        y_left = row
        for line in ([number] if number else []) + list(extra_left):
            y_left = self.centred_lines(lx, lw, y_left, line, size=BODY_SIZE, h=LINE_H)
        y_right = row
        if place_date:
            y_right = self.centred_lines(rx, rw, row, place_date, style="I", size=BODY_SIZE)
        bottom = max(y_left, y_right, row)
        self.set_xy(self.l_margin, bottom)
        self.use()
        return bottom

    # --- signature and seal -----------------------------------------------------------

    def signature_block(
        self,
        title: str,
        signer_name: str,
        *,
        heading: str | None = None,
        hint: str | None = None,
        seal_lines: Sequence[str] | None = None,
        seal_centre_text: str | None = None,
        y: float | None = None,
        signature_room: float = 32.0,
    ) -> SignatureBox:
        """Draw the signature block in the right column, starting at ``y``.

        ``title`` is the signer's authority and position, one per line
        ("CHỦ TỊCH" or "KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH"); ``heading`` an optional line
        above it (e.g. "NGƯỜI KÝ GIẤY KHAI SINH") with an italic ``hint`` under it.
        With ``seal_lines`` the red seal is stamped over the left third of the
        signature, as Nghị định 30 prescribes.
        """
        x, w = self.right_column
        cy = float(self.get_y()) if y is None else y
        if heading:
            cy = self.centred_lines(x, w, cy, heading.upper(), style="B")
        if hint:
            cy = self.centred_lines(x, w, cy, hint, style="I", size=11.5, h=5.2)
        cy = self.centred_lines(x, w, cy, title.upper(), style="B")
        sig_top = cy
        sig_bottom = sig_top + signature_room
        bottom = self.centred_lines(x, w, sig_bottom, signer_name, style="B")

        seal_centre: tuple[float, float] | None = None
        if seal_lines:
            # The signature is taken as the middle 44 mm of the column; the seal's right
            # edge reaches a third of the way into it.
            centre_x = x + w / 2
            sig_w = 44.0
            right_edge = centre_x - sig_w / 2 + sig_w / 3
            seal_centre = (right_edge - SEAL_RADIUS, (sig_top + sig_bottom) / 2 - 1.5)
            self.draw_seal(*seal_centre, seal_lines, centre_text=seal_centre_text)
        self.set_xy(self.l_margin, bottom)
        self.use()
        return SignatureBox(x, w, sig_top, sig_bottom, seal_centre, bottom)

    @contextmanager
    def _ink(self) -> Iterator[None]:
        """Stamp ink: red, multiplied over what is below, so text still shows through."""
        with self.local_context(blend_mode="Multiply", fill_opacity=0.92, stroke_opacity=0.92):
            self.set_draw_color(*SEAL_RED)
            self.set_fill_color(*SEAL_RED)
            yield

    def draw_seal(
        self,
        x: float,
        y: float,
        agency_lines: Sequence[str],
        *,
        centre_text: str | None = None,
        radius: float = SEAL_RADIUS,
    ) -> None:
        """Draw the round red seal centred on (``x``, ``y``).

        The ``agency_lines`` run clockwise around the ring from the lower left, upper
        case, separated by small stars; a five-pointed star sits in the centre, and
        ``centre_text`` (e.g. the commune's name), if given, is set across the middle
        under it.
        """
        lines = [nfc(line).upper().strip() for line in agency_lines if line.strip()]
        with self._ink():
            self.set_line_width(0.9)
            self.circle(x, y, radius, style="D")
            self.set_line_width(0.35)
            inner = radius - 6.2
            self.circle(x, y, inner, style="D")
            star_y = y - (2.6 if centre_text else 0.0)
            self.star(x, star_y, 2.2, 5.6 if not centre_text else 4.4, 5, 180, style="F")
            if lines:
                self._ring_text(x, y, radius - 5.1, lines)
            if centre_text:
                self._straight_outline_text(x, y + 5.2, nfc(centre_text).upper(), 2.9)

    def _glyph_run(self, text: str, size_mm: float) -> list[tuple[GlyphOutline, float]]:
        """Outlines and advances (mm) of ``text`` in Liberation Serif Bold."""
        outlines = glyph_outlines("B")
        scale = size_mm / outlines.units_per_em
        return [(g, g.advance * scale) for g in (outlines.glyph(ch) for ch in text)]

    def _draw_glyph(self, glyph: GlyphOutline, size_mm: float, to_page: _Map) -> None:
        scale = size_mm / glyph_outlines("B").units_per_em
        with self.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
            path.style.fill_color = "#{:02x}{:02x}{:02x}".format(*SEAL_RED)
            path.style.stroke_color = None
            pen = _OutlinePen(None, path, lambda gx, gy: to_page(gx * scale, gy * scale))
            glyph.draw(pen)

    def _ring_text(self, cx: float, cy: float, baseline_r: float, lines: Sequence[str]) -> None:
        size = 3.4  # mm from baseline to em top; capitals about 2.3 mm high
        star_gap = 3.2
        runs = [self._glyph_run(line, size) for line in lines]
        text_len = sum(adv for run in runs for _, adv in run)
        circumference = 2 * math.pi * baseline_r
        n_glyphs = sum(len(run) for run in runs)
        # Spread the letters evenly over what the stars leave free.
        free = circumference - star_gap * len(lines)
        tracking = max((free - text_len) / max(n_glyphs, 1), 0.0)
        if text_len > free:  # too long for the ring: condense the lettering
            size *= free / text_len
            runs = [self._glyph_run(line, size) for line in lines]
            tracking = 0.0

        # Start at the lower left (about 7 o'clock) and go clockwise.
        arc = -0.5 * star_gap
        start = math.radians(-145.0)
        for run in runs:
            for glyph, adv in run:
                mid = arc + (adv + tracking) / 2
                self._glyph_on_ring(glyph, size, adv, cx, cy, baseline_r, start + mid / baseline_r)
                arc += adv + tracking
            arc += star_gap / 2
            theta = start + arc / baseline_r
            sx = cx + (baseline_r + 1.0) * math.sin(theta)
            sy = cy - (baseline_r + 1.0) * math.cos(theta)
            self.star(sx, sy, 0.45, 1.1, 5, 180 - math.degrees(theta), style="F")
            arc += star_gap / 2

    def _glyph_on_ring(
        self,
        glyph: GlyphOutline,
        size: float,
        adv: float,
        cx: float,
        cy: float,
        r: float,
        theta: float,
    ) -> None:
        # theta: clockwise from 12 o'clock. The glyph's up points away from the centre.
        ux, uy = math.sin(theta), -math.cos(theta)  # outward (page y grows downwards)
        tx, ty = math.cos(theta), math.sin(theta)  # clockwise tangent

        def to_page(gx: float, gy: float) -> tuple[float, float]:
            along = gx - adv / 2
            return (cx + ux * (r + gy) + tx * along, cy + uy * (r + gy) + ty * along)

        self._draw_glyph(glyph, size, to_page)

    def _straight_outline_text(self, cx: float, baseline: float, text: str, size: float) -> None:
        run = self._glyph_run(text, size)
        width = sum(adv for _, adv in run)
        limit = 2 * (SEAL_RADIUS - 7.0)
        if width > limit:
            size *= limit / width
            run = self._glyph_run(text, size)
            width = limit
        x = cx - width / 2
        for glyph, adv in run:
            self._draw_glyph(glyph, size, _shifted(x, baseline))
            x += adv


def _shifted(left: float, baseline: float) -> _Map:
    """Font space (y up, origin on the baseline) to the page at (``left``, ``baseline``)."""

    def to_page(gx: float, gy: float) -> tuple[float, float]:
        return left + gx, baseline - gy

    return to_page
