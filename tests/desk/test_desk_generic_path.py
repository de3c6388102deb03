"""The generic path at the desk (issue 18, docs/catalogue.md "The generic path"): an
imported procedure's dossier is stamped at the desk with a paper result's number and date
— the desk's dossier page shows them, and the tablet's feed item carries them — and a
wrong number or date is named in the dialog with nothing stamped. The report's
per-procedure table (desk page, CSV, PDF) then lists the imported procedures by their
catalogue names with their own figures.

A real in-process station (real SQLite, real crypto) that imported the starter catalogue;
the tablet is the protocol's smallest honest client (station_kit.Tablet)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync_server"))

from station_kit import PINS, Tablet, login

from shared.generic_procedure import generic_sample
from shared.model import PaperResult
from shared.workdays import vn_now
from sync_server.app import create_app
from sync_server.desk.backend import DeskBackend
from sync_server.desk.screens import external_result as external
from sync_server.desk.state import DeskState
from sync_server.services import door
from sync_server.services.admin import demo
from sync_server.services.setup import staff as staff_service
from sync_server.services.sync import enrollment
from tests.cert_kit import signed_result_pdf
from tests.desk.conftest import run

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "data" / "catalogue" / "commune-procedures.json"
CODE = "2.000635"  # Cấp bản sao Trích lục hộ tịch: imported, no result layout
OTHER = "1.001022"  # Đăng ký nhận cha, mẹ, con: imported, no result layout
DESK_STAFF = [(who, PINS[who]) for who in ("tiepnhan", "thamdinh", "lanhdao", "vanthu")]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(tmp_path / "station", desk=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        station = app.state.station
        with station.session() as db:
            demo.seed(db)
            admin = staff_service.get_staff(db, "quantri")
            assert admin is not None
            door.catalogue_import(admin, station, db, CATALOGUE.read_bytes(), CATALOGUE.name)
        yield c


@pytest.fixture
def backend(client: TestClient) -> DeskBackend:
    b: DeskBackend = client.app.state.desk  # type: ignore[attr-defined]
    return b


@pytest.fixture
def tablet(client: TestClient, backend: DeskBackend) -> Tablet:
    with backend.station.session() as db:
        code = enrollment.new_enroll_code(db)
    t = Tablet(client)
    t.enroll(code)
    t.unlock()
    return t


def approved(backend: DeskBackend, tablet: Tablet) -> str:
    """An imported procedure's dossier pushed by the tablet, appraised and approved."""
    proc = backend.station.catalogue.get(CODE)
    values = generic_sample(proc, vn_now().date())
    ticked = [c.id for c in proc.components if c.applies_to(values)]
    d = tablet.dossier(
        values, procedure=CODE, procedure_version=proc.version, components_received=ticked
    )
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    for who, pin, action in (
        ("thamdinh", "234567", "accept"),
        ("lanhdao", "345678", "approve"),
    ):
        s = signed_in(backend, who, pin)
        run(s.open_dossier(d["id"]))
        assert run(s.act(action)), s.opened.dialog_error or s.banner
    return str(d["id"])


def signed_in(backend: DeskBackend, username: str, pin: str) -> DeskState:
    s = DeskState(backend)
    assert run(s.login(username, pin)), s.field_errors
    return s


def state_items(tablet: Tablet, dossier_id: str) -> list[dict[str, Any]]:
    items = [tablet.open_feed(i) for i in tablet.pull()["items"]]
    return [i for i in items if i["type"] == "dossier.state" and i["dossier_id"] == dossier_id]


def test_the_clerk_records_a_paper_result_the_desk_and_the_tablet_show_it(
    backend: DeskBackend, tablet: Tablet
) -> None:
    dossier_id = approved(backend, tablet)
    clerk = signed_in(backend, "vanthu", "456789")
    run(clerk.open_dossier(dossier_id))
    today = vn_now().date()
    clerk.opened.open_dialog("stamp")
    # typed as the paper prints it, day first
    assert run(clerk.act("stamp", paper=("12/TLHT", today.strftime("%d/%m/%Y"))))
    view = clerk.opened.detail
    assert view is not None and view.row.status == "stamped"
    assert view.dossier.paper_result == PaperResult("12/TLHT", today.isoformat())
    kept = view.external_result
    assert kept is not None and kept.kind == "paper" and kept.recorded_by == "vanthu"
    name = backend.station.catalogue.get(CODE).result_name.vi
    said = external.lines(kept, name)
    assert said[0] == (
        f"{name}: kết quả bản giấy số 12/TLHT, ký ngày {today.strftime('%d/%m/%Y')}."
    )
    assert view.to_dict()["external_result"]["number"] == "12/TLHT"
    # the tablet's feed item carries the number and the date from the stamp on
    stamped = [i for i in state_items(tablet, dossier_id) if i["status"] == "stamped"]
    assert stamped and stamped[-1]["paper_result"] == {
        "number": "12/TLHT",
        "issued_on": today.isoformat(),
    }
    assert stamped[-1].get("result") is None
    # returned: the paper result stays on the dossier and in every later item
    returner = signed_in(backend, "tiepnhan", "123456")
    run(returner.open_dossier(dossier_id))
    assert run(returner.act("return", rating="satisfied"))
    last = state_items(tablet, dossier_id)[-1]
    assert last["status"] == "returned" and last["paper_result"]["number"] == "12/TLHT"


@pytest.mark.parametrize(
    ("number", "day", "says"),
    [
        ("", "{today}", "số của kết quả"),
        ("12/TLHT", "", "ngày ký kết quả"),
        ("12/TLHT", "31/02/2026", "ngày ký kết quả"),
        ("12/TLHT", "{tomorrow}", "ở tương lai"),
        ("12<script>", "{today}", "số của kết quả"),
    ],
)
def test_a_wrong_paper_result_is_named_in_the_dialog_and_nothing_is_stamped(
    backend: DeskBackend, tablet: Tablet, number: str, day: str, says: str
) -> None:
    dossier_id = approved(backend, tablet)
    clerk = signed_in(backend, "vanthu", "456789")
    run(clerk.open_dossier(dossier_id))
    today = vn_now().date()
    typed = day.format(
        today=today.strftime("%d/%m/%Y"),
        tomorrow=(today + timedelta(days=1)).strftime("%d/%m/%Y"),
    )
    clerk.opened.open_dialog("stamp")
    assert not run(clerk.act("stamp", paper=(number, typed)))
    assert clerk.opened.dialog == "stamp" and says in clerk.opened.dialog_error
    run(clerk.open_dossier(dossier_id))
    view = clerk.opened.detail
    assert view is not None and view.row.status == "approved"
    assert view.dossier.paper_result is None and view.external_result is None


def test_without_a_result_the_stamp_is_refused(backend: DeskBackend, tablet: Tablet) -> None:
    dossier_id = approved(backend, tablet)
    clerk = signed_in(backend, "vanthu", "456789")
    run(clerk.open_dossier(dossier_id))
    clerk.opened.open_dialog("stamp")
    assert not run(clerk.act("stamp"))
    assert "kết quả" in clerk.opened.dialog_error.lower()
    assert clerk.opened.detail is not None and clerk.opened.detail.row.status == "approved"


def test_a_tablet_cannot_claim_a_paper_result(backend: DeskBackend, tablet: Tablet) -> None:
    """Only the station records a stamp: a pushed dossier's ``paper_result`` is dropped."""
    proc = backend.station.catalogue.get(CODE)
    values = generic_sample(proc, vn_now().date())
    d = tablet.dossier(
        values,
        procedure=CODE,
        procedure_version=proc.version,
        components_received=[c.id for c in proc.components if c.applies_to(values)],
        paper_result={"number": "99/GIA", "issued_on": vn_now().date().isoformat()},
    )
    r = tablet.push([tablet.change(d)])
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    appraiser = signed_in(backend, "thamdinh", "234567")
    run(appraiser.open_dossier(d["id"]))
    shown = appraiser.opened.detail
    assert shown is not None and shown.dossier.paper_result is None


def _pdf_text(pdf: bytes, tmp: Path) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_the_per_procedure_table_lists_imported_procedures_with_their_figures(
    backend: DeskBackend, tablet: Tablet, tmp_path: Path
) -> None:
    returned = approved(backend, tablet)
    clerk = signed_in(backend, "vanthu", "456789")
    run(clerk.open_dossier(returned))
    today = vn_now().date()
    assert run(clerk.act("stamp", paper=("12/TLHT", today.isoformat())))
    assert run(clerk.act("return", rating="very_satisfied"))
    # a second imported procedure, received and still in progress
    other = backend.station.catalogue.get(OTHER)
    values = generic_sample(other, today)
    d = tablet.dossier(
        values,
        procedure=OTHER,
        procedure_version=other.version,
        components_received=[c.id for c in other.components if c.applies_to(values)],
    )
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"

    names = {code: backend.station.catalogue.get(code).name.vi for code in (CODE, OTHER)}
    day = today.isoformat()
    leader = signed_in(backend, "lanhdao", "345678")
    assert leader.user is not None
    page = backend.report(leader.user, day, day, None)["page"]
    rows = {r["code"]: r for r in page["procedures"]}
    assert set(rows) == {CODE, OTHER}  # only what the period holds: no built-in rows
    done, busy = rows[CODE], rows[OTHER]
    assert done["name"] == names[CODE] and busy["name"] == names[OTHER]
    assert (done["received"], done["early"] + done["on_time"], done["late"]) == (1, 1, 0)
    assert (done["in_progress"], done["satisfaction_rate"]) == (0, "100,0 %")
    assert (busy["received"], busy["in_progress"], busy["early"] + busy["on_time"]) == (1, 1, 0)
    # the office's total is the sum of the procedures' rows
    assert page["tiles"][0] == {"label": "Tiếp nhận", "value": "2"}

    with backend.station.session() as db:
        raw = door.report(leader.user, backend.station, db, day, day, None, "csv")
        pdf = door.report(leader.user, backend.station, db, day, day, None, "pdf")
    assert isinstance(raw, bytes) and isinstance(pdf, bytes)
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    scopes = {r[0] for r in table if r}
    assert {f"{CODE} {names[CODE]}", f"{OTHER} {names[OTHER]}"} <= scopes
    received = {r[0]: r[3] for r in table if r[1:3] == ["Tiếp nhận", "Tổng số hồ sơ"]}
    assert received[f"{CODE} {names[CODE]}"] == "1" and received["Tất cả thủ tục"] == "2"
    pending = {r[0]: r[3] for r in table if r[1:3] == ["Đang giải quyết", "Tổng số"]}
    assert pending[f"{OTHER} {names[OTHER]}"] == "1" and pending[f"{CODE} {names[CODE]}"] == "0"

    text = _pdf_text(pdf, tmp_path)
    section = text.split("II. THEO THỦ TỤC", 1)[1].split("III. BIỂU ĐỒ", 1)[0]
    printed = _table_rows(section)
    # each imported procedure's row: its code and whole catalogue name (wrapped in its
    # cell, never cut), then the page's figures on the name's first line
    for code, r in rows.items():
        figures = " ".join(
            str(r[k])
            for k in (
                "received",
                "early",
                "on_time",
                "late",
                "refused",
                "in_progress",
                "same_day_rate",
                "satisfaction_rate",
            )
        )
        assert printed[code] == (names[code], figures), printed[code]


def _table_rows(section: str) -> dict[str, tuple[str, str]]:
    """The per-procedure table as pdftotext -layout prints it: code → (name, figures);
    a row's first line holds the code, the start of the name and the figures, the next
    lines the rest of the name."""
    out: dict[str, tuple[str, str]] = {}
    code = ""
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"\s{2,}", line.strip()) if c.strip()]
        if not cells:
            continue
        first = re.match(r"^(\d\.\d{6}) (.*)$", cells[0])
        if first:
            code = first[1]
            out[code] = (first[2], " ".join(cells[1:]))
        elif code and len(cells) == 1:
            name, figures = out[code]
            out[code] = (f"{name} {cells[0]}", figures)
    return out


def test_every_imported_procedure_goes_from_the_tablet_to_a_returned_result(
    client: TestClient, backend: DeskBackend, tablet: Tablet, tmp_path: Path
) -> None:
    """Issue 18, "Done when": each of the starter catalogue's 30 procedures, from its
    generic sample on the tablet through the five stages at the desk — half with a signed
    PDF made elsewhere (pyHanko checks it at stamp), half with a paper result — to its
    return and rating; the report then has a row for each, received and resolved."""
    imported = [r["ma_tthc"] for r in json.loads(CATALOGUE.read_text("utf-8"))["procedures"]]
    assert len(imported) == 30
    today = vn_now().date()
    pdf = base64.b64encode(signed_result_pdf(tmp_path)).decode()
    clerk_token = login(client, "vanthu", "456789")
    staff = {who: signed_in(backend, who, pin) for who, pin in DESK_STAFF}
    for n, code in enumerate(imported):
        proc = backend.station.catalogue.get(code)
        values = generic_sample(proc, today, seed=n)
        d = tablet.dossier(
            values,
            procedure=code,
            procedure_version=proc.version,
            components_received=[c.id for c in proc.components if c.applies_to(values)],
        )
        r = tablet.push([tablet.change(d)])
        assert r.json()["results"][0]["outcome"] == "applied", (code, r.text)
        for who, action in (("thamdinh", "accept"), ("lanhdao", "approve")):
            s = staff[who]
            run(s.open_dossier(d["id"]))
            assert run(s.act(action)), (code, action, s.opened.dialog_error or s.banner)
        if n % 2:
            r = client.post(
                f"/v1/dossiers/{d['id']}/actions",
                json={"action": "stamp", "result_pdf_b64": pdf},
                headers=clerk_token,
            )
            assert r.status_code == 200 and r.json()["status"] == "stamped", (code, r.text)
        else:
            clerk = staff["vanthu"]
            run(clerk.open_dossier(d["id"]))
            assert run(clerk.act("stamp", paper=(f"{n}/KQ", today.isoformat()))), code
        counter = staff["tiepnhan"]
        run(counter.open_dossier(d["id"]))
        assert run(counter.act("return", rating="satisfied")), (code, counter.banner)

    day = today.isoformat()
    leader = staff["lanhdao"]
    assert leader.user is not None
    page = backend.report(leader.user, day, day, None)["page"]
    rows = {r["code"]: r for r in page["procedures"]}
    assert set(rows) == set(imported)
    for code, row in rows.items():
        assert row["name"] == backend.station.catalogue.get(code).name.vi
        assert (row["received"], row["early"] + row["on_time"], row["late"]) == (1, 1, 0), row
        assert (row["in_progress"], row["satisfaction_rate"]) == (0, "100,0 %"), row
    assert page["tiles"][0] == {"label": "Tiếp nhận", "value": "30"}
