"""Keyed blind-index tokens for searching encrypted citizen records by name or number.

Names stay encrypted at rest on the tablet; to find "Nguyễn Thị Ánh" by typing
"nguyen thi anh" (or "anh nguy", or "duc" for "Đức") the store keeps, per citizen, HMAC
tokens of every folded word prefix and of the ID numbers, under a key derived from the
data key. A query is folded the same way; each query word becomes one token and a citizen
matches when every query word's token is among theirs (order-free, prefix match).

What the file alone reveals without the key: how many tokens each citizen has (≈ the
letters of the name) and which citizens share a token (equal prefixes) — not the names.
Folding uses `unidecode`, which maps đ/Đ to d (SQLite FTS5's remove_diacritics does not).
"""

from __future__ import annotations

import unicodedata

from unidecode import unidecode

from shared import crypto

MIN_PREFIX = 1
MAX_PREFIX = 16
TOKEN_LEN = 12


def fold(text: str) -> list[str]:
    """ "Nguyễn  Thị Ánh" → ["nguyen", "thi", "anh"]; "Đức" → ["duc"]."""
    plain = unidecode(unicodedata.normalize("NFC", text)).lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return [w for w in words if w]


def _name_token(key: bytes, prefix: str) -> bytes:
    return crypto.keyed_token(key, b"n\x00" + prefix.encode(), TOKEN_LEN)


def _number_token(key: bytes, number: str) -> bytes:
    return crypto.keyed_token(key, b"i\x00" + number.encode(), TOKEN_LEN)


def index_tokens(key: bytes, name: str, numbers: tuple[str, ...] = ()) -> set[bytes]:
    """Every token a citizen is findable by: word prefixes of the name, exact ID numbers."""
    tokens = {
        _name_token(key, word[:n])
        for word in fold(name)
        for n in range(MIN_PREFIX, min(len(word), MAX_PREFIX) + 1)
    }
    tokens |= {_number_token(key, n.strip()) for n in numbers if n.strip()}
    return tokens


def query_tokens(key: bytes, query: str) -> list[bytes]:
    """One token per query word (all must match); a digits-only query is an ID number."""
    q = query.strip()
    if q.isdigit() and len(q) in (9, 12):
        return [_number_token(key, q)]
    return [_name_token(key, word[:MAX_PREFIX]) for word in fold(q)]
