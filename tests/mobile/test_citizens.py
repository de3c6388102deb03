"""The citizen book on a real tablet database: encrypted at rest, found by blind index."""

from __future__ import annotations

import unicodedata
import uuid
from pathlib import Path

import pytest

from mobile.services.citizens import CitizenBook
from mobile.services.keystore import Keystore, Session
from mobile.services.store import TabletStore
from shared.cccd import parse_cccd_qr
from shared.citizen import Citizen
from shared.errors import TaiChoError

PEOPLE = [
    ("087192004321", "Nguyễn Thị Ánh"),
    ("087085001234", "Trần Văn Đức"),
    ("087090004567", "Lê Đức Anh"),
    ("087199000001", "Nguyễn Thị Anh Thư"),
    ("001200000777", "Phạm Minh Khôi"),
]


@pytest.fixture
def book(tmp_path: Path) -> tuple[CitizenBook, TabletStore, Keystore]:
    store = TabletStore(tmp_path)
    store.set_meta("device_id", str(uuid.uuid4()))
    keys = Keystore(store)
    dk, _ = keys.new_device_keys(store.get_meta("device_id"))
    keys.install_data_key(dk, "123456", Session("lan", "intake", "Nguyễn Thị Lan"))
    b = CitizenBook(store.db, keys)
    for number, name in PEOPLE:
        b.remember(
            Citizen(id=str(uuid.uuid5(uuid.NAMESPACE_OID, number)), number=number, name=name)
        )
    return b, store, keys


def names(found: list[Citizen]) -> list[str]:
    return [c.name for c in found]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nguyen thi anh", {"Nguyễn Thị Ánh", "Nguyễn Thị Anh Thư"}),
        ("NGUYỄN THỊ ÁNH", {"Nguyễn Thị Ánh", "Nguyễn Thị Anh Thư"}),
        ("duc", {"Trần Văn Đức", "Lê Đức Anh"}),
        ("Đức", {"Trần Văn Đức", "Lê Đức Anh"}),
        ("anh le", {"Lê Đức Anh"}),  # word order does not matter
        ("ngu th", {"Nguyễn Thị Ánh", "Nguyễn Thị Anh Thư"}),  # prefixes
        ("thu", {"Nguyễn Thị Anh Thư"}),
        ("khoi pham", {"Phạm Minh Khôi"}),
        (unicodedata.normalize("NFD", "Khôi"), {"Phạm Minh Khôi"}),
        ("087085001234", {"Trần Văn Đức"}),
        ("nguyen xyz", set()),
        ("", set()),
    ],
)
def test_search(
    book: tuple[CitizenBook, TabletStore, Keystore], query: str, expected: set[str]
) -> None:
    assert set(names(book[0].search(query))) == expected


def test_whole_word_hits_rank_first(book: tuple[CitizenBook, TabletStore, Keystore]) -> None:
    assert names(book[0].search("anh"))[0] in {"Lê Đức Anh", "Nguyễn Thị Anh Thư"}


def test_update_replaces_tokens(book: tuple[CitizenBook, TabletStore, Keystore]) -> None:
    b = book[0]
    cid = str(uuid.uuid5(uuid.NAMESPACE_OID, "001200000777"))
    b.remember(Citizen(id=cid, number="001200000777", name="Phạm Minh Khang"))
    assert names(b.search("khoi")) == []
    assert names(b.search("khang")) == ["Phạm Minh Khang"]
    assert b.count() == len(PEOPLE)


def test_no_name_at_rest_and_locked_book_refuses(
    book: tuple[CitizenBook, TabletStore, Keystore], tmp_path: Path
) -> None:
    b, store, keys = book
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    for _, name in PEOPLE:
        for form in ("NFC", "NFD"):
            assert unicodedata.normalize(form, name).encode() not in raw
    assert b"087192004321" not in raw
    keys.lock()
    with pytest.raises(TaiChoError) as info:
        b.search("anh")
    assert info.value.code == "LOCKED"


def test_from_a_scanned_card(book: tuple[CitizenBook, TabletStore, Keystore]) -> None:
    card = parse_cccd_qr(
        "087300001111||Võ Thị Hồng|01012000|Nữ|Ấp 1, Định Yên, Lấp Vò, Đồng Tháp|02022022"
    )
    book[0].remember(Citizen.from_card(str(uuid.uuid4()), card, "Xã Lai Vung", "Tỉnh Đồng Tháp"))
    (hit,) = book[0].search("vo hong")
    assert (hit.dob, hit.address_commune) == ("2000-01-01", "Xã Lai Vung")


def test_wipe_forgets_citizens(book: tuple[CitizenBook, TabletStore, Keystore]) -> None:
    book[1].wipe()
    assert book[0].count() == 0
