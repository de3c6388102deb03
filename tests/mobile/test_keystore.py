"""The tablet keystore on a real SQLite file: wraps, lockout, nothing unwrapped at rest."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from mobile.services.keystore import MAX_PIN_FAILURES, Keystore, Session
from mobile.services.store import TabletStore
from shared import crypto
from shared.errors import TaiChoError


def enrolled_keystore(folder: Path) -> tuple[Keystore, bytes]:
    """What enrollment leaves behind, minus the station: device keys wrapped under DK."""
    store = TabletStore(folder)
    device_id = str(uuid.uuid4())
    store.set_meta("device_id", device_id)
    keys = Keystore(store)
    dk, _ = keys.new_device_keys(device_id)
    return keys, dk


def test_install_then_offline_unlock(tmp_path: Path) -> None:
    keys, dk = enrolled_keystore(tmp_path)
    keys.install_data_key(dk, "123456", Session("lan", "intake", "Nguyễn Thị Lan"))
    blob = keys.seal_record("r1", 1, {"ten": "Lê Hoàng Phúc"})
    keys.lock()
    with pytest.raises(TaiChoError) as exc:
        keys.open_record("r1", 1, blob)
    assert exc.value.code == "LOCKED"
    again = Keystore(TabletStore(tmp_path))
    assert again.unlock_local("lan", "123456").full_name == "Nguyễn Thị Lan"
    assert again.open_record("r1", 1, blob) == {"ten": "Lê Hoàng Phúc"}
    with pytest.raises(TaiChoError):
        again.open_record("r1", 2, blob)  # the version is bound as associated data


def test_wrong_pins_count_down_then_the_wrap_is_forgotten(tmp_path: Path) -> None:
    keys, dk = enrolled_keystore(tmp_path)
    keys.install_data_key(dk, "123456", Session("lan", "intake", ""))
    keys.lock()
    for left in range(MAX_PIN_FAILURES - 1, 0, -1):
        with pytest.raises(TaiChoError) as exc:
            keys.unlock_local("lan", "999999")
        assert (exc.value.code, exc.value.ctx["left"]) == ("PIN_WRONG", left)
    with pytest.raises(TaiChoError) as exc:
        keys.unlock_local("lan", "999999")
    assert exc.value.code == "PIN_LOCKED"
    with pytest.raises(TaiChoError) as exc:
        keys.unlock_local("lan", "123456")  # even the right PIN now needs the station
    assert exc.value.code == "FIRST_UNLOCK_NEEDS_STATION"


def test_a_good_pin_resets_the_failure_count(tmp_path: Path) -> None:
    keys, dk = enrolled_keystore(tmp_path)
    keys.install_data_key(dk, "123456", Session("lan", "intake", ""))
    for _ in range(MAX_PIN_FAILURES - 1):
        with pytest.raises(TaiChoError):
            keys.unlock_local("lan", "000000")
    keys.unlock_local("lan", "123456")
    with pytest.raises(TaiChoError) as exc:
        keys.unlock_local("lan", "000000")
    assert exc.value.ctx["left"] == MAX_PIN_FAILURES - 1


@pytest.mark.parametrize("pin", ["", "12", "abcd", "1234567890123"])
def test_pin_format(tmp_path: Path, pin: str) -> None:
    keys, _ = enrolled_keystore(tmp_path)
    with pytest.raises(TaiChoError) as exc:
        keys.unlock_local("lan", pin)
    assert exc.value.code == "PIN_FORMAT"


def test_a_wrong_data_key_is_refused(tmp_path: Path) -> None:
    keys, _ = enrolled_keystore(tmp_path)
    with pytest.raises(TaiChoError) as exc:
        keys.install_data_key(crypto.random_key(), "123456", Session("lan", "intake", ""))
    assert exc.value.code == "DECRYPT_FAILED"
    assert not keys.unlocked and keys.store.wrap_usernames() == []


def test_no_key_material_rests_unwrapped(tmp_path: Path) -> None:
    keys, dk = enrolled_keystore(tmp_path)
    keys.install_data_key(dk, "123456", Session("lan", "intake", ""))
    device = keys.device
    keys.store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("tablet.db*"))
    for secret in (dk, device.x25519_sk, device.ed25519_sk):
        assert secret not in raw and crypto.b64e(secret).encode() not in raw
