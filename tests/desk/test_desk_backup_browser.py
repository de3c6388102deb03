"""The desk's "Sao lưu" page in headless Chromium against a real station: after an
``admin backup``, the admin sees when it was made, its size and where it went."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sync_server.launcher import ROOT, RunningStation
from tests.browser_kit import ADMIN
from tests.desk.test_desk_browser import click_to, shot, sign_in
from tests.ui import flet_driver as fd

pytestmark = pytest.mark.browser
ADMIN_CLI = (sys.executable, "-m", "sync_server", "admin")


def test_admin_sees_the_last_backup(
    page: Any, station: RunningStation, shots: Path, tmp_path: Path
) -> None:
    out = tmp_path / "usb" / "taicho.tcbackup"
    made = subprocess.run(
        [
            *ADMIN_CLI,
            "--data",
            str(station.data),
            "backup",
            "--out",
            str(out),
            "--passphrase-file",
            "-",
        ],
        cwd=ROOT,
        input="một câu mật khẩu đủ dài",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    sign_in(page, ADMIN)
    click_to(page, "Sao lưu", "Bản sao lưu gần nhất")
    text = fd.wait_text(page, str(out))
    assert "Chưa đặt sao lưu tự động" in text
    assert "chưa từng được khôi phục" in text
    # Every admin page in the bar, and "Đăng xuất" still on the office screen.
    box = fd.button(page, "Đăng xuất").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1366
    shot(page, shots, "backup-page")
