"""Issue 8, "Done when": for each of the six procedures, `mobile.headless sample` gives a
complete valid dossier that goes intake → sync → accept → approve → stamp → result PDF,
whose text shows the procedure's own title. A real station and the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from shared.procedures import builtin
from tests.integration.conftest import APPRAISER, CLERK, LEADER, Station
from tests.integration.test_headless_cli import headless

pytestmark = pytest.mark.integration


# Six intakes, a sync and six results, each a fresh interpreter: ~50 s on an idle
# machine, over 300 s once when other suites shared the two cores.
@pytest.mark.timeout(900)
def test_each_procedure_from_sample_to_titled_result(
    module_station: Station, tmp_path: Path
) -> None:
    data = tmp_path / "tablet"
    rc, _ = headless(data, "enroll", module_station.url, module_station.enroll_code(), unlock=False)
    assert rc == 0
    made: dict[str, dict[str, str]] = {}
    for code in builtin().codes():
        rc, sample = headless(data, "sample", "--procedure", code, unlock=False)
        assert rc == 0, sample
        path = tmp_path / f"{code}.json"
        path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
        rc, made[code] = headless(data, "intake", "--procedure", code, "--json", str(path))
        assert rc == 0, made[code]
    assert len({m["code"] for m in made.values()}) == 6
    rc, report = headless(data, "sync", unlock=False)
    assert rc == 0 and report["pushed"] == 6 and report["rejected"] == [], report
    for m in made.values():
        module_station.record_child_number(m["id"])  # only a khai sinh has one
        for action, who in (("accept", APPRAISER), ("approve", LEADER), ("stamp", CLERK)):
            if action == "stamp":
                module_station.sign_certificate(m["id"])  # only a kết hôn's spouses sign
            r = module_station.act(m["id"], action, who)
            assert r.status_code == 200, r.text
    rc, report = headless(data, "sync")
    assert rc == 0, report
    for code, m in made.items():
        out = tmp_path / f"{code}.pdf"
        rc, written = headless(data, "result", m["id"], "--out", str(out))
        assert rc == 0, written
        text = subprocess.run(
            ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        title = builtin().get(code).result_title
        assert title and title in text, (code, title)
        assert m["code"] in text
