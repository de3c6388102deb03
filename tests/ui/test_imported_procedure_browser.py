"""An imported procedure on the tablet's own screens (issue 18, "Done when": "a browser
test takes one imported procedure through the tablet and the desk"; the desk half is
tests/desk/test_desk_procedures_browser.py).

The station imports the starter catalogue with ``admin catalogue-import`` while it runs;
the tablet app, already enrolled, gets the 30 procedures by "Đồng bộ". The intake officer
finds one in the picker by typing part of its name without accents (36 procedures no
longer fit a screen), fills the generic tờ khai key by key, hands in its papers, lets the
citizen read back, and receives it; the station then holds that procedure's dossier with
the typed values. Real station, real Flet web client in Debian's Chromium.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shared.catalogue import parse_procedure
from shared.catalogue_import import parse_catalogue_file
from shared.generic_procedure import REQUEST_FIELD, generic_sample
from shared.workdays import vn_now
from tests.ui import flet_driver as fd
from tests.ui.conftest import ROOT, Station
from tests.ui.form_flow import (
    CONFIRM,
    fill_by_steps,
    read_back,
    receive_and_sync,
    station_dossier,
    type_into,
    unlock_typing,
)

pytestmark = [pytest.mark.browser]
CATALOGUE = ROOT / "data" / "catalogue" / "commune-procedures.json"
CODE = "1.001022"  # Đăng ký nhận cha, mẹ, con: imported, no form or result of its own


@pytest.mark.timeout(600)
def test_an_imported_procedure_is_found_filled_and_received_on_the_tablet(
    page: Any, station: Station, shots: Path
) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "sync_server",
            "admin",
            "--data",
            str(station.data),
            "catalogue-import",
            str(CATALOGUE),
        ],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=True,
    )
    docs, _ = parse_catalogue_file(CATALOGUE.read_bytes(), CATALOGUE.name)
    [doc] = [d for d in docs if d["code"] == CODE]
    procedure = parse_procedure(doc, CATALOGUE.name)
    values = generic_sample(procedure, vn_now().date(), seed=3)

    unlock_typing(page)
    fd.click(page, "Đồng bộ")
    fd.wait_text(page, "Chờ gửi: 0")
    fd.click(page, "Hồ sơ mới")
    fd.wait_text(page, "36 trên 36 thủ tục")  # the six built in and the 30 imported
    type_into(page, "Tìm thủ tục", "nhan cha me", 180)  # no accents, as people type
    # this one and "khai sinh kết hợp đăng ký nhận cha, mẹ, con"; nothing else
    text = fd.wait_text(page, "2 trên 36 thủ tục")
    assert f"Mã thủ tục {CODE}" in text and "Mã thủ tục 1.001193" not in text
    fd.settled_screenshot(page, shots / "01-picker-found.png")
    fd.click(page, re.compile(f"^Chọn: {re.escape(procedure.name.vi)}$"))

    mirror = fill_by_steps(page, values, human=True, procedure=procedure)
    fd.settled_screenshot(page, shots / "02-papers.png")
    fd.click(page, "Xem trước")
    fd.wait_text(page, "Xin ông/bà đọc lại thông tin")
    seen = "\n".join(line for snap in read_back(page, shots) for line in snap)
    assert values["requester_full_name"] in seen and values[REQUEST_FIELD] in seen
    fd.click(page, CONFIRM)
    fd.click(page, "Tiếp: ký tờ khai")
    fd.click(page, re.compile("^Ký trên giấy"))
    code = receive_and_sync(page, shots / "03-receipt.png")

    held = station_dossier(station, code)
    assert held["procedure"] == CODE and held["procedure_version"] == procedure.version
    for key in ("requester_full_name", "requester_id_number", REQUEST_FIELD):
        assert held["values"][key] == values[key], key
    wanted = {c.id for c in procedure.components if c.required_for(values)}
    assert wanted <= set(held["components_received"]), mirror.checklist_rows()
