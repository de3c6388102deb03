"""The demo commune: Xã Lai Vung, tỉnh Đồng Tháp, with one login per role.

The unit is looked up in the official 2025 list like any real station's (``unit-set``);
its former name is the seed's old commune, Xã Định Yên of Huyện Lấp Vò, which merged
into Lai Vung on 1 July 2025 (addresses on older ID cards still say so). With the
station's keys the demo also sets the 2026 calendar decision (2 Jan off, Sat 10 Jan
worked).

Idempotent: staff that already exist are left alone (PINs are not reset), the unit is
rewritten with the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import set_unit
from sync_server.services.setup import calendar, public_address, units
from sync_server.services.setup.staff import add_staff, get_staff

DEMO_PROVINCE = "Đồng Tháp"
DEMO_COMMUNE = "Xã Lai Vung"
DEMO_AGENCY_CODE = "000.31.22.H20"
DEMO_FORMER_NAME = "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"
DEMO_UNIT: dict[str, Any] = units.unit_from_names(
    DEMO_PROVINCE, DEMO_COMMUNE, agency_code=DEMO_AGENCY_CODE, former_name=DEMO_FORMER_NAME
).to_dict()


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


def seed(
    db: Database, keys: StationKeys | None = None, public_url: str | None = None
) -> list[DemoStaff]:
    """Write the demo unit, staff and (given ``keys``) calendar; returns the staff.

    The station is marked as the demo (its results say "MẪU" and may point the QR code
    at the station's own address); ``public_url``, when given and none is set yet, is
    the verify address it prints — ``serve --demo`` passes the address it listens on.
    """
    set_unit(db, DEMO_UNIT)
    public_address.mark_demo(db)
    if public_url and public_address.public_url(db) is None:
        public_address.set_public_url(db, public_url)
    if keys is not None:
        calendar.seed_demo(db, keys)
    for s in DEMO_STAFF:
        if get_staff(db, s.username) is None:
            add_staff(
                db,
                username=s.username,
                role=s.role,
                pin=s.pin,
                full_name=s.full_name,
                title=s.title,
                demo_pin=True,  # the documented demo logins (README, scripts/demo.sh)
            )
    return list(DEMO_STAFF)
