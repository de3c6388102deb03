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


# Nghị định 118/2025/NĐ-CP, as docs/legal.md quotes it (cross-commune intake).
NO_BOUNDARY = (
    "Thực hiện TTHC không phụ thuộc vào địa giới hành chính là việc cho phép tổ chức, cá "
    "nhân nộp hồ sơ và nhận kết quả giải quyết TTHC qua hình thức trực tuyến tại Cổng Dịch "
    "vụ công quốc gia hoặc qua dịch vụ bưu chính công ích hoặc trực tiếp tại bất kỳ bộ phận "
    "một cửa nào để thuận tiện cho việc thực hiện của tổ chức, cá nhân, không phân biệt cấp "
    "chính quyền, địa giới hành chính cư trú, nơi đặt trụ sở hoặc nơi đã cấp các loại giấy "
    "tờ cho tổ chức, cá nhân"
)


def test_cross_commune_intake_cites_its_decree_word_for_word() -> None:
    legal = (Path(__file__).resolve().parents[2] / "docs" / "legal.md").read_text("utf-8")
    row = next(line for line in legal.splitlines() if line.startswith("| Cross-commune intake"))
    assert f'"{NO_BOUNDARY}"' in row
    assert "Nghị định 118/2025/NĐ-CP (09/6/2025, in force 01/7/2025)" in row
    assert "sync_server/services/province/relay.py" in row
    assert "Nghị định 118/2025/NĐ-CP" in DOC and "Cross-commune intake" in DOC
