"""`python -m mobile.headless` fails only with a JSON problem and a non-zero exit code:
catalogued problems, wrong command lines and bugs alike (a bug is logged with an id)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from shared.samples import sample_values
from shared.workdays import vn_now
from sync_server.launcher import ROOT
from tests.mobile.conftest import INTAKE, InProcessStation
from tests.mobile.test_tablet_service_unit import OLD_EMPTY_UNIT


def headless(*args: str) -> tuple[int, Any, str]:
    out = subprocess.run(
        [sys.executable, "-m", "mobile.headless", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in out.stdout + out.stderr
    return out.returncode, json.loads(out.stdout), out.stderr


def test_intake_without_a_commune_prints_the_problem(
    station: InProcessStation, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.unlock(*INTAKE)  # leaves this staff member's PIN wrap on the tablet
    tablet.store.set_meta("unit", OLD_EMPTY_UNIT)  # as enrolled with a unit-less station
    tablet.close()
    values = tmp_path / "ks.json"
    sample = sample_values("1.001193", vn_now().date(), 1)
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    rc, problem, err = headless(
        "--data", str(data), "--user", INTAKE[0], "--pin", INTAKE[1],
        "intake", "--procedure", "1.001193", "--json", str(values),
    )  # fmt: skip
    assert rc != 0
    assert (problem["code"], problem["field"]) == ("UNIT_NOT_CONFIGURED", "unit")
    assert "chưa khai báo xã" in problem["message"]
    assert json.loads(err) == problem


def test_wrong_command_line_is_a_problem_not_usage(tmp_path: Path) -> None:
    rc, problem, _ = headless("--data", str(tmp_path), "no-such-command")
    assert rc != 0 and (problem["code"], problem["field"]) == ("REQUEST_INVALID", "command")
    rc, problem, _ = headless("--data", str(tmp_path), "intake", "--procedure", "1.001193")
    assert rc != 0 and problem["code"] == "REQUEST_INVALID"


def test_a_bug_is_internal_with_an_error_id_and_a_logged_traceback(tmp_path: Path) -> None:
    data = tmp_path / "tablet"
    data.mkdir()
    (data / "tablet.db").write_bytes(b"this is not a SQLite database" * 100)
    rc, problem, _ = headless("--data", str(data), "status")
    assert rc != 0 and problem["code"] == "INTERNAL"
    error_id = problem["error_id"]
    assert len(error_id) == 8 and problem["message"]
    log = (data / "logs" / "headless.log").read_text(encoding="utf-8")
    assert f"error {error_id}" in log and "Traceback" in log and "DatabaseError" in log


QR = (
    "087192004321|341234567|Nguyễn Thị Ánh|05031992|Nữ|"
    "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp|12072021"
)


def test_parse_cccd_prints_the_card_and_todays_commune(tmp_path: Path) -> None:
    rc, card, _ = headless("--data", str(tmp_path / "t"), "parse-cccd", QR)
    assert rc == 0
    assert {k: card[k] for k in ("number", "old_id", "name", "dob", "sex", "issued")} == {
        "number": "087192004321",
        "old_id": "341234567",
        "name": "Nguyễn Thị Ánh",
        "dob": "1992-03-05",
        "sex": "female",
        "issued": "2021-07-12",
    }
    assert card["address_printed"] == "Ấp An Bình, Định Yên, Lấp Vò, Đồng Tháp"
    mapped = card["address_mapped"]
    assert (mapped["commune"], mapped["province"], mapped["candidates"]) == (
        "Xã Lai Vung",
        "Tỉnh Đồng Tháp",
        [],
    )


def test_parse_cccd_malformed_is_a_problem_and_nothing_else(tmp_path: Path) -> None:
    for text, field in (
        ("087192004321|341234567|Nguyễn Thị Ánh", "qr"),  # wrong field count
        (QR.replace("05031992", "31021992"), "dob"),  # impossible date
        (QR.replace("087192004321", "08719200432A"), "number"),  # not digits
    ):
        rc, answer, _ = headless("--data", str(tmp_path / "t"), "parse-cccd", text)
        assert rc != 0
        assert answer["field"] == field and answer["code"].startswith("CCCD_QR_")
        assert "number" not in answer and "name" not in answer  # nothing half-filled


def test_intake_with_photos_of_the_documents(station: InProcessStation, tmp_path: Path) -> None:
    from tests.mobile.test_attachments import document_photo

    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.unlock(*INTAKE)
    tablet.sync()  # the dossier numbers reserved at enrolment
    tablet.close()
    values = tmp_path / "ks.json"
    sample = sample_values("1.001193", vn_now().date(), 2)
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    photo = tmp_path / "giay-chung-sinh.jpg"
    photo.write_bytes(document_photo(1600, 1200, seed=21))
    login = ("--data", str(data), "--user", INTAKE[0], "--pin", INTAKE[1])
    rc, made, _ = headless(
        *login, "intake", "--procedure", "1.001193", "--json", str(values),
        "--photo", f"birth_certificate_medical={photo}",
    )  # fmt: skip
    assert rc == 0, made
    [ref] = made["attachments"]
    assert ref["component"] == "birth_certificate_medical" and ref["width"] == 1600
    rc, shown, _ = headless(*login, "show", made["id"])
    assert rc == 0 and shown["attachments"] == [ref]
    text = tmp_path / "note.jpg"
    text.write_text("not a photo", encoding="utf-8")
    for spec, code in (
        (f"requester_id={text}", "ATTACHMENT_NOT_IMAGE"),
        ("nonsense", "REQUEST_INVALID"),
    ):
        rc, problem, _ = headless(
            *login, "intake", "--procedure", "1.001193", "--json", str(values), "--photo", spec
        )
        assert rc != 0 and problem["code"] == code


def test_supplement_with_ticks_and_a_new_photo(station: InProcessStation, tmp_path: Path) -> None:
    """`supplement ID --json FILE --components … --photo COMPONENT=FILE` (issue 21): the
    new photo joins the ones sent; the same picture again is listed once; the station
    takes the supplement and the appraiser reads both photos."""
    from tests.mobile.conftest import APPRAISER
    from tests.mobile.test_attachments import document_photo

    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.unlock(*INTAKE)
    tablet.sync()
    tablet.close()
    values = tmp_path / "ks.json"
    sample = sample_values("1.001193", vn_now().date(), 4)
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    first = tmp_path / "giay-chung-sinh.jpg"
    first.write_bytes(document_photo(1200, 900, seed=31))
    sharper = tmp_path / "giay-chung-sinh-ro.jpg"
    sharper.write_bytes(document_photo(1200, 900, seed=32))
    login = ("--data", str(data), "--user", INTAKE[0], "--pin", INTAKE[1])
    rc, made, _ = headless(
        *login, "intake", "--procedure", "1.001193", "--json", str(values),
        "--photo", f"birth_certificate_medical={first}",
    )  # fmt: skip
    assert rc == 0, made

    def sync() -> None:
        t = station.tablet(data, enroll=False)
        t.unlock(*INTAKE)
        report = t.sync()
        t.close()
        assert report.rejected == [], report.rejected

    sync()
    r = station.act(made["id"], "request_supplement", APPRAISER, "Ảnh giấy chứng sinh mờ")
    assert r.status_code == 200, r.text
    sync()
    ticks = "birth_certificate_medical,requester_id"
    rc, again, _ = headless(
        *login, "supplement", made["id"], "--json", str(values), "--components", ticks,
        "--photo", f"birth_certificate_medical={sharper}",
        "--photo", f"birth_certificate_medical={first}",
    )  # fmt: skip
    assert rc == 0, again
    assert again["version"] == 3 and again["status"] == "received"
    shas = [a["sha256"] for a in again["attachments"]]
    assert len(shas) == 2 and shas[0] == made["attachments"][0]["sha256"]
    rc, shown, _ = headless(*login, "show", made["id"])
    assert shown["components_received"] == ticks.split(",")
    sync()
    h = {"Authorization": f"Bearer {station.token(*APPRAISER)}"}
    seen = station.http.get(f"/v1/dossiers/{made['id']}", headers=h).json()
    assert [a["sha256"] for a in seen["attachments"]] == shas
    assert station.act(made["id"], "accept", APPRAISER).status_code == 200
    # a tick the procedure does not have is named, in Vietnamese, not a bare refusal
    rc, problem, _ = headless(
        *login, "supplement", made["id"], "--json", str(values), "--components", "x"
    )
    assert rc != 0 and problem["code"] in ("REQUEST_INVALID", "TRANSITION_NOT_ALLOWED")
    assert problem["message"] != "Yêu cầu không hợp lệ."


def test_a_full_tablet_disk_is_its_own_problem(
    station: InProcessStation, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    """Issue 22 §6: a full tablet raised a raw sqlite3.OperationalError (INTERNAL with an
    error id, as a bug). Now it is DEVICE_DISK_FULL at both of the tablet's edges: the
    command line and the app's banner (``user_message``)."""
    import contextlib
    import itertools
    import sqlite3

    from mobile import headless as cli
    from mobile.services import store as tablet_store
    from mobile.state.backend import user_message

    data = tmp_path / "tablet"
    tablet = station.tablet(data)
    tablet.unlock(*INTAKE)
    tablet.sync()  # today's dossier numbers
    tablet.close()
    real_init = tablet_store.TabletStore.__init__

    def full_disk(self: Any, data_dir: Path) -> None:
        real_init(self, data_dir)
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        self.db.execute(f"PRAGMA max_page_count = {pages}")
        # The disk fills up: nothing more fits.
        with contextlib.suppress(sqlite3.OperationalError):
            for n in itertools.count():
                self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"fill{n}", "x"))

    monkeypatch.setattr(tablet_store.TabletStore, "__init__", full_disk)
    values = tmp_path / "ks.json"
    sample = sample_values("1.001193", vn_now().date(), 1)
    values.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    rc = cli.main(
        ["--data", str(data), "--user", INTAKE[0], "--pin", INTAKE[1],
         "intake", "--procedure", "1.001193", "--json", str(values)]
    )  # fmt: skip
    out = capsys.readouterr().out
    problem = json.loads(out)
    assert rc != 0 and problem["code"] == "DEVICE_DISK_FULL", problem
    assert "hết dung lượng" in problem["message"] and "error_id" not in problem

    err = sqlite3.OperationalError("database or disk is full")
    err.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    assert "hết dung lượng" in user_message(err) and "mã lỗi" not in user_message(err)
