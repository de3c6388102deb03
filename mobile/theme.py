"""The tablet's look: colours, type sizes and touch-target sizes in one place.

Two switches reachable from every screen serve elderly citizens and bright sunlight:
``text_level`` (normal / large / extra large) scales every font — labels, hints, typed
text — by 1, 1.3 or 1.6, and ``high_contrast`` swaps to black on white with strong
black borders everywhere. Screens ask a ``Look`` for sizes and colours instead of hard-coding
them, so both switches reach every control.
"""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

LARGE_TEXT_SCALE = 1.3
TEXT_SCALES = (1.0, LARGE_TEXT_SCALE, 1.6)  # normal, large, extra large
TEXT_LEVEL_NAMES = ("Thường", "Lớn", "Rất lớn")
NARROW_WIDTH = 700  # px: below this the app uses its phone layout
MIN_TOUCH = 56  # px: the smallest button height on a tablet (WCAG target size ≥ 44)


@dataclass(frozen=True)
class Palette:
    bg: str
    surface: str
    fg: str
    muted: str
    primary: str
    on_primary: str
    error: str
    ok: str
    warn: str
    border: str
    bar_bg: str
    bar_fg: str


NORMAL = Palette(
    bg="#F4F6F8",
    surface="#FFFFFF",
    fg="#1A1C1E",
    muted="#4A5560",
    primary="#B3261E",  # the red of official documents, dark enough for white text
    on_primary="#FFFFFF",
    error="#B00020",
    ok="#1B6E20",
    warn="#8A5300",
    border="#C4CBD2",
    bar_bg="#8E1B16",
    bar_fg="#FFFFFF",
)

HIGH_CONTRAST = Palette(
    bg="#FFFFFF",
    surface="#FFFFFF",
    fg="#000000",
    muted="#000000",
    primary="#000000",
    on_primary="#FFFFFF",
    error="#A00000",
    ok="#004D00",
    warn="#000000",
    border="#000000",
    bar_bg="#000000",
    bar_fg="#FFFFFF",
)


@dataclass(frozen=True)
class Look:
    large_text: bool = False
    high_contrast: bool = False
    text_level: int = -1  # 0 normal, 1 large, 2 extra large; -1: from ``large_text``
    narrow: bool = False  # phone-sized window
    lang: str = "vi"  # the app's language: what a shared control says by itself

    @property
    def level(self) -> int:
        if self.text_level >= 0:
            return min(self.text_level, len(TEXT_SCALES) - 1)
        return 1 if self.large_text else 0

    @property
    def scale(self) -> float:
        return TEXT_SCALES[self.level]

    @property
    def c(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    def fs(self, base: float) -> int:
        """A font size scaled for the large-text switch."""
        return round(base * self.scale)

    @property
    def body(self) -> int:
        return self.fs(18)

    @property
    def title(self) -> int:
        return self.fs(24)

    @property
    def small(self) -> int:
        return self.fs(15)

    @property
    def print_label(self) -> int:
        """Large-print read-back: labels."""
        return self.fs(24)

    @property
    def print_value(self) -> int:
        """Large-print read-back: values, twice the form's text at every text size."""
        return self.fs(36)

    @property
    def touch(self) -> int:
        return max(MIN_TOUCH, round(MIN_TOUCH * self.scale))

    @property
    def border_width(self) -> int:
        return 2 if self.high_contrast else 1

    def theme(self) -> ft.Theme:
        c = self.c
        ts = ft.TextStyle
        return ft.Theme(
            color_scheme=ft.ColorScheme(
                primary=c.primary,
                on_primary=c.on_primary,
                surface=c.surface,
                on_surface=c.fg,
                on_surface_variant=c.muted,
                error=c.error,
                outline=c.border,
                outline_variant=c.border,
                secondary=c.primary,
            ),
            text_theme=ft.TextTheme(
                body_large=ts(size=self.body, color=c.fg),
                body_medium=ts(size=self.body, color=c.fg),
                body_small=ts(size=self.small, color=c.muted),
                title_large=ts(size=self.title, color=c.fg),
                title_medium=ts(size=self.fs(20), color=c.fg),
                title_small=ts(size=self.fs(18), color=c.fg),
                label_large=ts(size=self.fs(18)),
                label_medium=ts(size=self.small),
                label_small=ts(size=self.fs(13)),
                headline_small=ts(size=self.fs(26), color=c.fg),
            ),
            scaffold_bgcolor=c.bg,
            card_bgcolor=c.surface,
            visual_density=ft.VisualDensity.STANDARD,
        )
