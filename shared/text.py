"""Accent-insensitive text for searching and matching Vietnamese names.

One fold for the tablet's home search, the desk's queue search and the address mapping:
NFD, drop the combining marks, đ/Đ → d (NFD keeps đ as a letter of its own), case-folded,
runs of whitespace collapsed. "  Đặng  Quốc PHÚC " → "dang quoc phuc".
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
