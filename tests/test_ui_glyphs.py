"""Every text the tablet and the desk draw can be drawn by the app's font.

Flet's web client draws with Roboto and, offline, cannot fetch fallback fonts, so a
character Roboto lacks shows as an empty box (once "→" on the form and "⌫" on the PIN
keypad). Texts are the string literals of the screen and state modules; Vietnamese
letters, digits and the usual punctuation pass, symbols and arrows do not.
"""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    *sorted((ROOT / "mobile" / "screens").glob("*.py")),
    *sorted((ROOT / "mobile" / "state").glob("*.py")),
    *sorted((ROOT / "sync_server" / "desk").rglob("*.py")),
]
PUNCTUATION = set("–—‘’“”…·•×°")
# Drawn as nothing by the shaper whatever the font (default-ignorable code points): the
# zero-width space only marks where a long dossier code may break (screens/common.code_text).
INVISIBLE = {"\u200b"}


def _drawable(ch: str) -> bool:
    if ch.isascii():
        return True
    if ch in PUNCTUATION or ch in INVISIBLE:
        return True
    return unicodedata.name(ch, "").startswith("LATIN")


def test_screen_texts_use_only_characters_the_font_has() -> None:
    bad: list[str] = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # docstrings are for readers of the code, not drawn on screen
        docs = {
            id(n.value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if id(node) in docs:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for ch in set(node.value):
                    if not _drawable(ch):
                        name = unicodedata.name(ch, hex(ord(ch)))
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ch!r} {name}")
    assert not bad, "\n".join(sorted(bad))


def test_texts_are_nfc() -> None:
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path
