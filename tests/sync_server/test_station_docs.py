"""docs/sync-protocol.md stays honest: every message type and sync error code is in it."""

from __future__ import annotations

import re
from pathlib import Path

from shared import sync

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "sync-protocol.md").read_text(encoding="utf-8")
SYNC_MODULES = ("sync/ingest.py", "sync/enrollment.py", "sync/pull.py", "core/feed.py")


def test_every_message_type_is_documented() -> None:
    names = [n for n in dir(sync) if n.startswith(("KIND_", "CHANGE_", "FEED_"))]
    assert names
    for name in names:
        assert f'"{getattr(sync, name)}"' in DOC or f"`{getattr(sync, name)}`" in DOC, name
    for outcome in sync.Outcome:
        assert outcome.value in DOC


def test_every_sync_error_code_is_documented() -> None:
    codes: set[str] = set()
    for module in SYNC_MODULES:
        src = (ROOT / "sync_server" / "services" / module).read_text(encoding="utf-8")
        codes |= set(re.findall(r'problem\(\s*"([A-Z_]+)"', src))
    codes |= {"SYNC_OUT_OF_ORDER", "SYNC_REPLAY_MISMATCH", "DECRYPT_FAILED", "EDIT_CONFLICT"}
    codes |= {"AUTH_FAILED", "RATE_LIMITED"}  # unlock shares the sign-in checks
    missing = sorted(c for c in codes if f"`{c}`" not in DOC)
    assert not missing, missing
