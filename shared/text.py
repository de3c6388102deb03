"""Text people read: names in two languages, and accent-insensitive matching.

:class:`Label` is a name shown to people in Vietnamese and English (statuses, roles,
actions, permissions). :func:`fold` is the one fold for the tablet's home search, the
desk's queue search and the address mapping: NFD, drop the combining marks, đ/Đ → d (NFD
keeps đ as a letter of its own), case-folded, runs of whitespace collapsed.
"  Đặng  Quốc PHÚC " → "dang quoc phuc".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A name shown to people, in both languages (messages, buttons, lists)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
