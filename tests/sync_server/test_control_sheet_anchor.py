"""The control sheet carries a signed checkpoint of the audit chain (issue 11 §6).

A printed sheet kept in the dossier folder is an anchor held outside the station: read back
from the real PDF (pdftotext), it verifies against today's log and contradicts a log whose
tail was deleted afterwards.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.errors import TaiChoError
from sync_server.services.core import audit
from sync_server.services.core.station import Station
from sync_server.store import audit as audit_store


def _printed_anchor(client: TestClient, h: dict[str, str], did: str, tmp: Path) -> Any:
    r = client.get(f"/v1/dossiers/{did}/control-sheet.pdf", headers=h)
    assert r.status_code == 200, r.text
    pdf = tmp / "sheet.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text).split("audit-verify--anchor):", 1)[1]
    return json.loads(flat[: flat.index("}") + 1])


def test_printed_anchor_verifies_and_catches_a_deleted_tail(
    client: TestClient, tablet: Tablet, station: Station, as_user: Any, tmp_path: Path
) -> None:
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    anchor = _printed_anchor(client, as_user("thamdinh"), d["id"], tmp_path)
    assert set(anchor) == {"rows", "head", "at", "sig"} and anchor["rows"] >= 1
    with station.session() as db:
        audit.check_anchor(db, station.keys.ed_pk, anchor)
        db.execute("DELETE FROM audit WHERE seq = ?", (anchor["rows"],))
        with pytest.raises(TaiChoError) as err:
            audit.check_anchor(db, station.keys.ed_pk, anchor)
    assert err.value.code == "AUDIT_ANCHOR_MISMATCH"


def test_the_printed_report_carries_a_signed_anchor(
    client: TestClient, tablet: Tablet, station: Station, as_user: Any, tmp_path: Path
) -> None:
    """Issue 22 §5: the day's printed report is an anchor kept off the station too."""
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    day = d["received_at"][:10]
    r = client.get(f"/v1/reports/summary.pdf?from={day}&to={day}", headers=as_user("lanhdao"))
    assert r.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text).split("audit-verify--anchor):", 1)[1]
    anchor = json.loads(flat[: flat.index("}") + 1])
    with station.session() as db:
        audit.check_anchor(db, station.keys.ed_pk, anchor)
        assert anchor["rows"] == audit.chain_head(db)["rows"]


def test_a_pull_anchors_the_head_when_the_newest_anchor_is_an_hour_old(
    client: TestClient, tablet: Tablet, station: Station
) -> None:
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    with station.session() as db:
        head = audit.chain_head(db)["rows"]
        newest = max(int(json.loads(a)["rows"]) for a in audit_store.anchors(db))
        assert newest < head  # the day's anchor sits on its first row
        # The newest anchor is now two hours old.
        for key_value in db.query("SELECT key, value FROM meta WHERE key LIKE 'audit_anchor/%'"):
            a = json.loads(key_value["value"])
            a["at"] = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
            db.execute("UPDATE meta SET value = ? WHERE key = ?", (json.dumps(a), key_value["key"]))
    r = client.post(
        "/v1/sync/pull",
        json={"device_id": tablet.device_id, "after": tablet.base, "anchor_rows": newest},
    )
    assert r.status_code == 200, r.text
    items = [tablet.open_feed(i) for i in r.json()["items"]]
    anchors = [i for i in items if i["type"] == "audit.anchor"]
    assert anchors and anchors[-1]["rows"] == head
    with station.session() as db:
        audit.check_anchor(db, station.keys.ed_pk, anchors[-1])
