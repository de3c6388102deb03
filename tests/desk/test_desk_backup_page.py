"""The desk's "Sao lưu" page and its warning, without a browser, over a real in-process
station: the last backup (when, size, where), a missed backup, the "cần xử lý lại" list."""

from __future__ import annotations

import os
from pathlib import Path

import flet as ft

from shared import backup as fmt
from shared import crypto
from sync_server.desk.backend import DeskBackend
from sync_server.desk.screens.backup import _last, _redo, backup_warning
from sync_server.desk.state import ROUTE_BACKUP, DeskState
from sync_server.services.admin import backup
from sync_server.store import backup as backup_q
from tests.desk.conftest import run


def _words(controls: list[ft.Control]) -> str:
    return " ".join(str(getattr(c, "value", "")) for c in controls)


def test_admin_sees_where_the_last_backup_went_and_a_missed_one(
    backend: DeskBackend, tmp_path: Path
) -> None:
    with backend.station.session() as db:
        backup_q.put_json(
            db,
            backup_q.SCHEDULE_KEY,
            {"dir": str(tmp_path), "keep": 7, "hour": 12, "since": "2020-01-01T00:00:00+07:00"},
        )
    admin = DeskState(backend)
    assert run(admin.login("quantri", "567890"))
    assert admin.admin.backup["missed"] is True
    assert backup_warning(admin) is not None  # shown from the first screen on
    assert "Chưa có bản sao lưu nào" in _words(_last(admin.admin.backup))

    out = tmp_path / "usb" / "taicho.tcbackup"
    key = fmt.BackupKey.derive("một mật khẩu đủ dài", crypto.ScryptParams(os.urandom(16), n=2**10))
    backup.make_backup(backend.station, out, key)
    run(admin.open_admin(ROUTE_BACKUP))
    assert admin.current_route() == ROUTE_BACKUP
    assert admin.admin.backup["missed"] is False and backup_warning(admin) is None
    shown = _words(_last(admin.admin.backup))
    assert str(out) in shown and "KB" in shown and "12:00" in shown
    assert "chưa từng được khôi phục" in _words(_redo(admin.admin.backup))


def test_the_backup_page_is_for_the_admin_only(backend: DeskBackend) -> None:
    clerk = DeskState(backend)
    assert run(clerk.login("vanthu", "456789"))
    run(clerk.open_admin(ROUTE_BACKUP))
    assert clerk.current_route() != ROUTE_BACKUP and clerk.admin.backup == {}
