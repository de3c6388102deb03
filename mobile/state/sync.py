"""Sync part of the app state: the sync indicator and the manual sync."""

from __future__ import annotations

import asyncio
import contextlib

from mobile.i18n import tr
from mobile.services.progress import SyncProgress
from mobile.state.backend import Failed, run_guarded
from mobile.state.base import StateBase


class SyncMixin(StateBase):
    """The sync bar's view and the sync action."""

    def refresh_sync(self) -> None:
        if not self.device.enrolled:
            self.sync.show()
            return
        s = self.backend.call(self.service.sync_state)
        self.device.office_staff = self.backend.call(self.service.sessions.office_staff)
        # The station's loss of what it acknowledged outranks any other sync error.
        err = s.station_alarm or s.last_error or {}
        self.sync.show(
            pending=s.pending,
            inbox_waiting=s.inbox_waiting,
            last_sync_at=s.last_sync_at,
            last_error=str(err.get("message", "")) if err else "",
            station_url=s.station_url or "",
        )

    async def _follow(self, progress: SyncProgress) -> None:
        """Copy the sync thread's progress into the state a few times a second."""
        while True:
            words, fraction = progress.words(), progress.fraction()
            if (words, fraction) != (self.sync.words, self.sync.fraction):
                self.sync.words, self.sync.fraction = words, fraction
            await asyncio.sleep(0.25)

    async def run_sync(self) -> bool:
        self.touch()
        if self.busy:
            return False
        report = None
        progress = SyncProgress()
        ticker = asyncio.create_task(self._follow(progress))
        try:
            with contextlib.suppress(Failed):  # the banner says what went wrong
                report = await run_guarded(self, "sync", self.service.sync, progress)
        finally:
            ticker.cancel()
            self.sync.words, self.sync.fraction = "", None
        self.refresh()
        if self.shown.detail is not None:
            self._reload_detail()
        ok = report is not None
        if report is not None:
            lang = self.lang
            parts = [tr(lang, "Đã đồng bộ: gửi {a}, nhận {b}.", a=report.pushed, b=report.pulled)]
            if report.rejected:
                parts.append(
                    tr(
                        lang,
                        "{n} hồ sơ bị máy chủ từ chối — xem chi tiết hồ sơ.",
                        n=len(report.rejected),
                    )
                )
            if report.photos_refused:
                parts.append(
                    tr(
                        lang,
                        "{n} ảnh giấy tờ bị máy chủ từ chối (quá lớn hoặc hỏng).",
                        n=len(report.photos_refused),
                    )
                )
            elif report.photos_pending:
                parts.append(tr(lang, "Còn {n} ảnh giấy tờ chưa gửi.", n=report.photos_pending))
            self._info(" ".join(parts))
        return ok
