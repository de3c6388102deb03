"""Browser test (issue 10): Vietnamese first, English one tap away on any screen, and
back. Screenshots go to ``$TAICHO_UI_SHOTS`` (git-ignored ``artefacts/``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.ui import flet_driver as fd
from tests.ui.form_flow import unlock_typing

pytestmark = [pytest.mark.browser]


@pytest.mark.timeout(240)
def test_english_is_one_tap_away_and_back(page: Any, shots: Path) -> None:
    unlock_typing(page)
    fd.wait_text(page, "Tìm theo tên hoặc mã hồ sơ")
    fd.click(page, re.compile("^English"))
    home = fd.wait_text(page, "Search by name or dossier code")
    assert "New dossier" in home and "Waiting to send:" in home
    assert "Tìm theo tên" not in home
    assert "Intake officer" in home and "Công chức tiếp nhận" not in home  # the app bar's role
    fd.button(page, re.compile("^Tiếng Việt")).wait_for(state="attached", timeout=20_000)
    fd.settled_screenshot(page, shots / "home-en.png")
    # the procedure and its form come from the catalogue in English
    fd.click(page, "New dossier")
    fd.click(page, "Choose: Birth registration")
    form = fd.wait_text(page, "Step 1/")
    assert "Requester's full name" in form and "Họ, chữ đệm, tên người yêu cầu" not in form
    fd.settled_screenshot(page, shots / "form-en.png")
    # back to Vietnamese in the middle of the form: nothing lost, labels in Vietnamese
    fd.click(page, re.compile("^Tiếng Việt"))
    back = fd.wait_text(page, "Họ, chữ đệm, tên người yêu cầu")
    assert "Bước 1/" in back and "Requester's full name" not in back
    fd.button(page, re.compile("^English")).wait_for(state="attached", timeout=20_000)
