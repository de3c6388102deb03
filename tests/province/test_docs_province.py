"""docs/province.md stays true: every hub message, command, endpoint and error is in it."""

from __future__ import annotations

from pathlib import Path

from province_hub.__main__ import _parser
from shared.errors import CATALOGUE
from shared.hub_messages import HUB_MESSAGES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "province.md").read_text(encoding="utf-8")


def test_every_hub_message_is_documented() -> None:
    missing = [cls.__name__ for cls in HUB_MESSAGES if f"`{cls.__name__}`" not in DOC]
    assert not missing, missing


def test_every_hub_command_is_documented() -> None:
    parser = _parser()
    names: set[str] = set()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        names |= set(action.choices)
        admin = action.choices["admin"]  # type: ignore[index]
        for sub in admin._subparsers._group_actions:
            names |= set(sub.choices)
    missing = sorted(n for n in names if n not in DOC)
    assert not missing, missing


def test_every_hub_error_and_endpoint_is_documented() -> None:
    hub_codes = [c for c in CATALOGUE if c.startswith("HUB_")]
    assert hub_codes and all(f"`{c}`" in DOC for c in hub_codes)
    for endpoint in (
        "/v1/hub/health",
        "/v1/hub/stations",
        "/v1/hub/figures",
        "/v1/province/summary",
    ):
        assert endpoint in DOC
