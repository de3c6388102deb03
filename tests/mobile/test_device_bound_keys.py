"""Keys a copied tablet file cannot yield: PIN wraps bound to the device's secret.

What a thief gets from ``tablet.db`` alone, tested the way they would try it: read the
PIN wrap out of the file and run the real scrypt with the *right* PIN. With a device
secret (a phone or tablet's secure store) that opens nothing; without one (the web build,
the headless CLI) it does — the documented limit of that build.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from mobile.services import device_secret
from mobile.services.tablet import TabletService
from shared import crypto
from shared.errors import TaiChoError
from tests.mobile.conftest import INTAKE, InProcessStation

SECRET = bytes(range(32))


def _enrolled_and_unlocked(station: InProcessStation, folder: Path, secret: bytes | None) -> None:
    tablet = TabletService(folder, http=station.http, device_secret=secret)
    try:
        tablet.enrolment.enroll(station.url, station.enroll_code())
        tablet.unlock(*INTAKE)  # first unlock via the station: makes the local PIN wrap
    finally:
        tablet.close()


def _device_id(folder: Path) -> str:
    tablet = TabletService(folder)
    try:
        return tablet.ctx.device_id
    finally:
        tablet.close()


def _offline_guess(folder: Path, username: str, pin: str) -> bytes | None:
    """The thief's attack on the file alone: the stored wrap, the real KDF, a PIN."""
    db = sqlite3.connect(folder / "tablet.db")
    try:
        row = db.execute(
            "SELECT params, wrapped FROM key_wraps WHERE username = ?", (username,)
        ).fetchone()
    finally:
        db.close()
    params = json.loads(row[0])
    kek = crypto.derive_pin_key(pin, crypto.ScryptParams.from_dict(params["kdf"]))
    try:
        return crypto.unwrap_key(kek, row[1], b"taicho/pin-wrap/" + username.encode())
    except TaiChoError:
        return None


def test_a_copied_file_does_not_open_even_with_the_right_pin(
    station: InProcessStation, tmp_path: Path
) -> None:
    tablet_dir, copy_dir = tmp_path / "tablet", tmp_path / "stolen"
    _enrolled_and_unlocked(station, tablet_dir, SECRET)
    shutil.copytree(tablet_dir, copy_dir)

    assert _offline_guess(copy_dir, *INTAKE) is None
    thief = TabletService(copy_dir, http=station.http)  # no device secret on their machine
    try:
        with pytest.raises(TaiChoError) as err:
            thief.keys.unlock_local(*INTAKE)
        assert err.value.code == "FIRST_UNLOCK_NEEDS_STATION"
    finally:
        thief.close()

    # Through the app, a bound wrap it cannot open sends the unlock to the station, which
    # checks the PIN with its lockout and refuses a revoked tablet.
    station.revoke(_device_id(copy_dir))
    thief = TabletService(copy_dir, http=station.http)
    try:
        with pytest.raises(TaiChoError) as err:
            thief.unlock(*INTAKE)
        assert err.value.code == "DEVICE_REVOKED"
    finally:
        thief.close()

    # The tablet itself (same secure store) still unlocks offline with the PIN.
    own = TabletService(tablet_dir, device_secret=SECRET)
    try:
        assert own.keys.unlock_local(*INTAKE).username == INTAKE[0]
    finally:
        own.close()


def test_without_a_device_secret_the_file_alone_yields_to_the_right_pin(
    station: InProcessStation, tmp_path: Path
) -> None:
    """The web build's documented limit: PIN-only wraps can be guessed offline."""
    folder = tmp_path / "web-tablet"
    _enrolled_and_unlocked(station, folder, None)
    assert _offline_guess(folder, *INTAKE) is not None


def test_a_pin_only_wrap_is_bound_at_the_next_unlock_on_a_device(
    station: InProcessStation, tmp_path: Path
) -> None:
    folder = tmp_path / "tablet"
    _enrolled_and_unlocked(station, folder, None)
    upgraded = TabletService(folder, device_secret=SECRET)
    try:
        upgraded.keys.unlock_local(*INTAKE)
    finally:
        upgraded.close()
    assert _offline_guess(folder, *INTAKE) is None
    again = TabletService(folder, device_secret=SECRET)
    try:
        assert again.keys.unlock_local(*INTAKE).username == INTAKE[0]
    finally:
        again.close()


def test_no_secure_store_in_the_web_build_or_on_a_desktop() -> None:
    web = SimpleNamespace(web=True, platform=SimpleNamespace(value="android"))
    desktop = SimpleNamespace(web=False, platform=SimpleNamespace(value="linux"))
    assert asyncio.run(device_secret.load(web)) is None
    assert asyncio.run(device_secret.load(desktop)) is None
    assert device_secret.is_device(
        SimpleNamespace(web=False, platform=SimpleNamespace(value="ios"))
    )


def test_a_damaged_stored_secret_is_replaced() -> None:
    assert device_secret.decode(None) is None
    assert device_secret.decode("not base64 !") is None
    assert device_secret.decode(crypto.b64e(b"short")) is None
    assert device_secret.decode(crypto.b64e(SECRET)) == SECRET


def test_when_the_secure_store_is_unavailable_the_station_unlocks(
    station: InProcessStation, tmp_path: Path
) -> None:
    folder = tmp_path / "tablet"
    _enrolled_and_unlocked(station, folder, SECRET)
    degraded = TabletService(folder, http=station.http)  # the store failed on this start
    try:
        assert degraded.unlock(*INTAKE).username == INTAKE[0]
    finally:
        degraded.close()
