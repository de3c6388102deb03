"""The demo commune: UBND xã Định Yên, tỉnh Đồng Tháp, with one login per role.

Idempotent: staff that already exist are left alone (PINs are not reset), the unit is
rewritten with the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sync_server.services.staff import add_staff, get_staff
from sync_server.services.station import set_unit

DEMO_UNIT: dict[str, Any] = {
    "code": "000.31.22.H20",
    "name": "UBND xã Định Yên",
    "province": "Đồng Tháp",
    "place_name": "Định Yên",
    "agency_lines": ["UỶ BAN NHÂN DÂN", "XÃ ĐỊNH YÊN"],
    "registration_office": "UBND xã Định Yên, tỉnh Đồng Tháp",
    # Before the July 2025 reorganisation the address named a district; today the area lies
    # in Xã Lai Vung. Both are kept so staff can match old ID-card addresses.
    "former_name": "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp",
    "current_name": "Xã Lai Vung, Tỉnh Đồng Tháp",
}


@dataclass(frozen=True)
class DemoStaff:
    username: str
    pin: str
    role: str
    full_name: str
    title: str | None


DEMO_STAFF = (
    DemoStaff("tiepnhan", "123456", "intake", "Nguyễn Thị Lan", "Công chức tiếp nhận"),
    DemoStaff("thamdinh", "234567", "appraiser", "Trần Văn Hùng", "Công chức tư pháp – hộ tịch"),
    DemoStaff("lanhdao", "345678", "leader", "Lê Minh Tâm", "CHỦ TỊCH"),
    DemoStaff("vanthu", "456789", "clerk", "Phạm Thị Hoa", "Văn thư"),
    DemoStaff("quantri", "567890", "admin", "Võ Quốc Bảo", "Quản trị hệ thống"),
)


def seed(db: Database) -> list[DemoStaff]:
    """Write the demo unit and staff; returns the staff (for printing their logins)."""
    set_unit(db, DEMO_UNIT)
    for s in DEMO_STAFF:
        if get_staff(db, s.username) is None:
            add_staff(
                db,
                username=s.username,
                role=s.role,
                pin=s.pin,
                full_name=s.full_name,
                title=s.title,
            )
    return list(DEMO_STAFF)
