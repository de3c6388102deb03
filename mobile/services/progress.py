"""How far a sync has got, for the progress bar (written by the sync thread, read by the UI).

The sync runs on a worker thread; the app polls this small record a few times a second
instead of being called back from that thread, so no screen state is touched off the
event loop. Each field is replaced whole (one attribute store), so a reader never sees
a half-written value.
"""

from __future__ import annotations

from dataclasses import dataclass

# Phases, in the order a sync runs them.
PUSH = "push"  # sending the outbox: done / total envelopes
ATTACH = "attachments"  # sending photos of documents: chunks done / total
PULL = "pull"  # fetching the feed: items received so far (total unknown: 0)
APPLY = "apply"  # opening what came: done / total


@dataclass
class SyncProgress:
    phase: str = ""
    done: int = 0
    total: int = 0

    def set(self, phase: str, done: int, total: int) -> None:
        self.phase, self.done, self.total = phase, done, total

    def fraction(self) -> float | None:
        """0..1 when the total is known, None while only a count is known."""
        if self.total <= 0:
            return None
        return min(1.0, self.done / self.total)

    def words(self) -> str:
        """What the sync bar says while syncing, in Vietnamese."""
        if self.phase == PUSH:
            return f"Đang gửi hồ sơ lên văn phòng: {self.done}/{self.total}"
        if self.phase == ATTACH:
            return f"Đang gửi ảnh giấy tờ: {self.done}/{self.total} phần"
        if self.phase == PULL:
            return f"Đang nhận cập nhật từ văn phòng: {self.done}"
        if self.phase == APPLY:
            return f"Đang mở cập nhật đã nhận: {self.done}/{self.total}"
        return "Đang kết nối máy chủ văn phòng…"
