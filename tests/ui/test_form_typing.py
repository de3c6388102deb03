"""A person types the whole khai sinh form at human speed: no keystroke may be lost.

No re-runs of any kind: a lost keystroke is a product bug, not test noise.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from mobile.state.form import field_kind
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.browser_kit import INTAKE
from tests.ui import flet_driver as fd
from tests.ui.form_flow import fill_by_steps, read_back, type_into

pytestmark = [pytest.mark.browser]


def _unlock_typing(page: Any, who: tuple[str, str]) -> None:
    fd.wait_text(page, "Mở khoá")
    type_into(page, "Tên đăng nhập", who[0], 180)
    type_into(page, "Mã PIN", who[1], 200)
    fd.click(page, re.compile(r"^Mở khoá$"))
    fd.wait_text(page, "Hồ sơ")


def _shown_under(snaps: list[list[str]], label: str, value: str) -> bool:
    for lines in snaps:
        for at, line in enumerate(lines):
            if line == label and value in lines[at + 1 : at + 4]:
                return True
    return False


@pytest.mark.timeout(420)
def test_every_field_typed_at_human_speed_reaches_the_preview(page: Any, shots: Path) -> None:
    values = sample_values("1.001193", vn_now().date(), seed=11)
    for f in builtin().get("1.001193").fields:
        if field_kind(f) == "dropdown":  # long lists keep their default (Kinh)
            values[f.id] = f.default
    _unlock_typing(page, INTAKE)
    fd.click(page, "Hồ sơ mới")
    fd.click(page, "Chọn: Đăng ký khai sinh")
    mirror = fill_by_steps(page, values, human=True)
    fd.settled_screenshot(page, shots / "typed-last-step.png")
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    fd.settled_screenshot(page, shots / "typed-preview.png")
    snaps = read_back(page)
    missing = []
    for f in mirror.procedure.fields:
        if f.id not in values or not mirror.visible(f):
            continue
        shown = mirror.display(f, values[f.id])
        if not _shown_under(snaps, mirror.label(f), shown):  # value right under its label
            missing.append(f"{mirror.label(f)}: expected {shown!r}")
    assert not missing, "\n".join(missing) + "\n---\n" + "\n".join(snaps[-1])
