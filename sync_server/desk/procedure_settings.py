"""What the admin page "Thủ tục" asks of the station: every change goes through
``door.catalogue_set`` (verb ``catalogue.manage``, docs/catalogue.md), as the command
line's ``admin catalogue-set`` does, and the rows are read again after it.

These are functions of the desk state rather than its methods so the page stays in its own
modules (this one, ``procedures.py`` and ``screens/procedures.py``); they use the state's
one guarded call (busy flag, banner, errors under the field they name) as its methods do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.catalogue_import import MAX_FEE_VND, MAX_TIME_LIMIT_DAYS, ProcedureSettings
from shared.errors import TaiChoError, problem
from sync_server.desk.procedures import SETTING_FIELDS, parse_count
from sync_server.desk.state import DeskState, Failed


def _setting_field(err: TaiChoError) -> str | None:
    return err.field if err.code == "REQUEST_INVALID" and err.field in SETTING_FIELDS else None


async def load(state: DeskState) -> None:
    """Read the rows again after a change."""
    if state.user is None:
        return
    state.catalogue.rows = await state._run(state.backend.catalogue_list, state.user)


async def _apply(
    state: DeskState,
    code: str,
    settings: ProcedureSettings,
    said: Callable[[int], str],
    *,
    field_errors: bool = False,
    close_editor: bool = True,
) -> bool:
    """One ``catalogue_set`` through the state's guarded call; once stored, ``said`` of the
    new version in the banner, the settings editor closed (unless ``close_editor`` is
    False: switching a procedure on or off keeps what is being typed for another) and the
    rows read again. A refusal is shown in the banner (or under the field it names, with
    ``field_errors``)."""
    on_error = state._under_field(_setting_field) if field_errors else None
    try:
        row: dict[str, Any] = await state._guarded(
            "catalogue",
            state.backend.catalogue_set,
            state.user,
            code,
            settings,
            on_error=on_error,
        )
    except Failed:  # shown under its field or in the banner by _guarded
        return False
    state._info(said(int(row["version"])))
    if close_editor:
        state.catalogue.editing = ""
    await load(state)
    return True


async def set_enabled(state: DeskState, code: str, enabled: bool) -> bool:
    """Switch an imported procedure on or off (a new version, sent to the tablets)."""
    if state.user is None:
        return False
    state.banner = ""
    word = "bật (đang dùng)" if enabled else "tắt (máy tính bảng không nhận hồ sơ mới)"
    return await _apply(
        state,
        code,
        ProcedureSettings(enabled=enabled),
        lambda version: f"Đã {word} thủ tục {code}, phiên bản {version}.",
        close_editor=False,
    )


async def save_settings(
    state: DeskState, code: str, time_limit: str, fee: str, decision: str
) -> bool:
    """The province's own time limit and fee for ``code``, with its decision: what was
    typed is checked field by field (the message under the field, nothing stored, the
    typing kept), then one new version."""
    if state.user is None:
        return False
    state.field_errors = {}
    state.banner = ""
    try:
        days = parse_count(time_limit, "time_limit_working_days", MAX_TIME_LIMIT_DAYS)
        vnd = parse_count(fee, "fee_vnd", MAX_FEE_VND, grouped=True)
    except TaiChoError as err:
        state.field_errors = {str(err.field): err.message("vi")}
        return False
    if days is None and vnd is None:
        state.field_errors = {
            "time_limit_working_days": problem(
                "REQUEST_INVALID",
                "time_limit_working_days",
                detail="give a time limit or a fee",
                detail_vi="nhập thời hạn hoặc mức phí, lệ phí",
            ).message("vi")
        }
        return False
    settings = ProcedureSettings(time_limit_working_days=days, fee_vnd=vnd, decision=decision)
    return await _apply(
        state,
        code,
        settings,
        lambda version: f"Đã lưu thời hạn, phí của tỉnh cho thủ tục {code} (phiên bản {version}).",
        field_errors=True,
    )


async def back_to_national(state: DeskState, code: str) -> bool:
    """Drop the province's time limit and fee: the national record's values apply again."""
    if state.user is None:
        return False
    state.field_errors = {}
    state.banner = ""
    return await _apply(
        state,
        code,
        ProcedureSettings(clear_province=True),
        lambda version: f"Thủ tục {code} theo thời hạn, phí toàn quốc (phiên bản {version}).",
    )
