"""The child's personal identification number entered by the appraiser, and approve /
stamp signing outside the SQLite write transaction with an optimistic commit.

Real station (FastAPI TestClient over real SQLite and real keys), real signatures, the
PDF read back with ``pdftotext``. Where a test needs something to happen *while* a
result is being signed, it wraps the signing function to do it from a second connection
— the way a tablet sync or another desk user would.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet, sample_values

from shared.personal_id import make_personal_id
from shared.workdays import vn_now
from sync_server.services.core.station import Station
from sync_server.services.office import actions
from sync_server.services.pki import signing
from sync_server.services.setup.staff import get_staff
from sync_server.store import results as results_q
from sync_server.store.db import transaction

FIELD = "child_personal_id"


def _act(client: TestClient, headers: dict[str, str], did: str, action: str) -> Any:
    return client.post(f"/v1/dossiers/{did}/actions", json={"action": action}, headers=headers)


def _put_id(client: TestClient, headers: dict[str, str], did: str, number: str) -> Any:
    return client.put(
        f"/v1/dossiers/{did}/child-personal-id", json={FIELD: number}, headers=headers
    )


def _push(tablet: Tablet) -> dict[str, Any]:
    d = tablet.dossier(sample_values())
    assert tablet.push([tablet.change(d)]).status_code == 200
    return d


def _good_number(values: dict[str, Any], serial: int = 123) -> str:
    born = date.fromisoformat(values["child_birth_date"])
    return make_personal_id("087", values["child_sex"] == "nu", born.year, serial)


def _pdf_text(
    client: TestClient, headers: dict[str, str], did: str, tmp_path: Path, name: str = "result.pdf"
) -> str:
    r = client.get(f"/v1/dossiers/{did}/{name}", headers=headers)
    assert r.status_code == 200, r.text
    path = tmp_path / f"{did}-{name}"
    path.write_bytes(r.content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return out.stdout


def _audit_actions(station: Station, did: str) -> list[str]:
    with station.session() as db:
        rows = db.execute(
            "SELECT action FROM audit WHERE dossier_id = ? ORDER BY rowid", (did,)
        ).fetchall()
    return [r[0] for r in rows]


def test_appraiser_enters_the_childs_personal_id_and_the_certificate_prints_it(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    d = _push(tablet)
    did, values = d["id"], d["values"]
    good = _good_number(values)
    appraiser = as_user("thamdinh")

    # Malformed numbers: the precise problem, on the field.
    wrong_sex = good[:3] + str(int(good[3]) ^ 1) + good[4:]
    for number, code in (
        ("08712345", "FIELD_CCCD"),
        ("0871234567ab", "FIELD_CCCD"),
        ("999" + good[3:], "FIELD_ID_PROVINCE"),
        (wrong_sex, "FIELD_ID_MISMATCH"),
        ("", "FIELD_REQUIRED"),
    ):
        r = _put_id(client, appraiser, did, number)
        assert r.status_code == 422, (number, r.text)
        assert r.json()["code"] == code and r.json()["field"] == FIELD, (number, r.json())

    # Only the appraiser may enter it.
    for who in ("tiepnhan", "lanhdao", "vanthu"):
        r = _put_id(client, as_user(who), did, good)
        assert r.status_code == 403 and r.json()["code"] == "ROLE_NOT_ALLOWED", who

    r = _put_id(client, appraiser, did, good[:6] + " " + good[6:])  # spaces are dropped
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["values"][FIELD] == good and view["version"] == d["version"] + 1
    last = view["history"][-1]
    assert last["action"] == "record_personal_id" and last["actor"] == "thamdinh"
    assert last["from_status"] == last["to_status"] == "received"
    assert _audit_actions(station, did)[-1] == "record_personal_id"

    for who, action in (("thamdinh", "accept"), ("lanhdao", "approve")):
        assert _act(client, as_user(who), did, action).status_code == 200
    # Approved: the number is on the signed document now and can no longer change.
    r = _put_id(client, appraiser, did, _good_number(values, 456))
    assert r.status_code == 409 and r.json()["code"] == "TRANSITION_NOT_ALLOWED"
    assert _act(client, as_user("vanthu"), did, "stamp").status_code == 200

    text = _pdf_text(client, as_user("vanthu"), did, tmp_path)
    assert f"Số định danh cá nhân: {good}" in text
    # Entering the number is not a handover: the control sheet has no row for it.
    sheet = _pdf_text(client, as_user("vanthu"), did, tmp_path, "control-sheet.pdf")
    assert "PHIẾU KIỂM SOÁT" in sheet and "record_personal_id" not in sheet


def _wrap(monkeypatch: pytest.MonkeyPatch, name: str, before: Callable[[int], None]) -> list[int]:
    """Make ``signing.<name>`` call ``before(call number)`` first; returns the calls."""
    original = getattr(signing, name)
    calls: list[int] = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls.append(len(calls) + 1)
        before(calls[-1])
        return original(*args, **kwargs)

    monkeypatch.setattr(signing, name, wrapped)
    return calls


def _to_appraised(client: TestClient, tablet: Tablet, as_user: Any) -> dict[str, Any]:
    d = _push(tablet)
    assert _act(client, as_user("thamdinh"), d["id"], "accept").status_code == 200
    return d


def test_signing_leaves_the_database_free_for_other_writers(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the leader's signature and the seal are made, another connection can take
    SQLite's write lock at once (it would fail with "database is locked" otherwise)."""
    d = _to_appraised(client, tablet, as_user)
    took: list[str] = []

    def write_elsewhere(_call: int) -> None:
        other = sqlite3.connect(station.paths.db, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            took.append("lock")
        finally:
            other.close()

    _wrap(monkeypatch, "sign_leader", write_elsewhere)
    _wrap(monkeypatch, "sign_seal", write_elsewhere)
    assert _act(client, as_user("lanhdao"), d["id"], "approve").status_code == 200
    assert _act(client, as_user("vanthu"), d["id"], "stamp").status_code == 200
    assert took == ["lock", "lock"]


def test_a_change_made_while_signing_is_kept_and_the_approval_is_refused(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    d = _to_appraised(client, tablet, as_user)
    did = d["id"]
    number = _good_number(d["values"])

    def appraiser_enters_the_number(call: int) -> None:
        if call == 1:
            with station.session() as db:
                appraiser = get_staff(db, "thamdinh")
                assert appraiser is not None
                actions.record_personal_id(
                    db, station.keys, station.catalogue, appraiser, did, number
                )

    calls = _wrap(monkeypatch, "sign_leader", appraiser_enters_the_number)
    r = _act(client, as_user("lanhdao"), did, "approve")
    assert r.status_code == 409 and r.json()["code"] == "ACTION_CONFLICT", r.text
    assert "chưa có gì được lưu" in r.json()["message"]

    # Nothing of the approval landed; the appraiser's change did.
    view = client.get(f"/v1/dossiers/{did}", headers=as_user("lanhdao")).json()
    assert view["status"] == "appraised" and view["values"][FIELD] == number
    assert [h["action"] for h in view["history"]][-1] == "record_personal_id"
    with station.session() as db:
        assert results_q.get(db, did) is None
        assert results_q.next_register_number(db, "khai_sinh", vn_now().year) == 1
    assert "approve" not in _audit_actions(station, did)

    # Approving again signs the dossier as it is now, with the first register number.
    assert _act(client, as_user("lanhdao"), did, "approve").status_code == 200
    assert _act(client, as_user("vanthu"), did, "stamp").status_code == 200
    assert calls == [1, 2]
    text = _pdf_text(client, as_user("vanthu"), did, tmp_path)
    assert f"Số định danh cá nhân: {number}" in text and "Số: 1\n" in text


def test_a_register_number_taken_meanwhile_is_not_printed_twice(
    client: TestClient,
    tablet: Tablet,
    as_user: Any,
    station: Station,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Another approval takes number 1 while this one signs with it: this result is
    rendered and signed again with number 2 — no reuse, no gap."""
    d = _to_appraised(client, tablet, as_user)
    year = vn_now().year

    def another_approval_takes_the_number(call: int) -> None:
        if call == 1:
            with station.session() as db, transaction(db):
                assert results_q.take_register_number(db, "khai_sinh", year) == 1

    calls = _wrap(monkeypatch, "sign_leader", another_approval_takes_the_number)
    assert _act(client, as_user("lanhdao"), d["id"], "approve").status_code == 200
    assert calls == [1, 2]
    with station.session() as db:
        row = results_q.get(db, d["id"])
        assert row is not None and row["register_number"] == 2
        assert results_q.next_register_number(db, "khai_sinh", year) == 3
    assert _act(client, as_user("vanthu"), d["id"], "stamp").status_code == 200
    assert "Số: 2\n" in _pdf_text(client, as_user("vanthu"), d["id"], tmp_path)


def test_an_imported_certificate_signs_at_once_despite_the_signer_cache(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    """Software signers are kept between signatures; importing a certificate for the same
    holder must make the very next signature use it."""
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from test_signing import issue, pdfsig

    from sync_server.__main__ import main as cli
    from sync_server.services.pki import certs

    _, before = issue(client, tablet, as_user)  # the demo certificate, now cached
    (tmp_path / "before.pdf").write_bytes(before)
    assert "Common Name: Lê Minh Tâm\n" in pdfsig(tmp_path / "before.pdf")

    ca, ca_key = certs._new_ca()
    subject = certs._name("Lê Minh Tâm (chứng thư mới)", org="UBND xã Lai Vung")
    cert, key = certs._new_end_entity(ca, ca_key, subject)
    p12 = tmp_path / "lanhdao.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"l", key, cert, [ca], BestAvailableEncryption(b"k"))
    )
    data = str(station.paths.data_dir)
    args = ["admin", "--data", data, "cert-import", "--for", "lanhdao", "--p12", str(p12)]
    assert cli([*args, "--password", "k"]) == 0

    _, after = issue(client, tablet, as_user)
    (tmp_path / "after.pdf").write_bytes(after)
    out = pdfsig(tmp_path / "after.pdf")
    assert out.count("Signature is Valid.") == 2
    assert "Common Name: Lê Minh Tâm (chứng thư mới)" in out


def test_a_supplement_from_the_tablet_keeps_the_number_entered_at_the_station(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = tablet.dossier({k: v for k, v in sample_values().items() if k != FIELD})
    assert tablet.push([tablet.change(d)]).status_code == 200  # received without the number
    did, number = d["id"], _good_number(d["values"])
    h = as_user("thamdinh")
    assert _put_id(client, h, did, number).status_code == 200  # version 2
    r = client.post(
        f"/v1/dossiers/{did}/actions",
        json={"action": "request_supplement", "reason": "Thiếu giấy chứng sinh"},
        headers=h,
    )
    assert r.status_code == 200  # version 3
    server = client.get(f"/v1/dossiers/{did}", headers=h).json()
    back = {
        "action": "supplement",
        "from_status": "supplement_requested",
        "to_status": "received",
        "actor": "tiepnhan",
        "role": "intake",
        "at": server["history"][-1]["at"],
        "reason": None,
    }
    again = {**d, "version": 4, "base_version": 3, "history": [*server["history"], back]}
    assert FIELD not in again["values"]  # the tablet never had it
    assert tablet.push([tablet.change(again)]).status_code == 200
    got = client.get(f"/v1/dossiers/{did}", headers=h).json()
    assert got["status"] == "received" and got["version"] == 4
    assert got["values"][FIELD] == number
