"""The control sheet carries a signed checkpoint of the audit chain (issue 11 §6).

A printed sheet kept in the dossier folder is an anchor held outside the station: read back
from the real PDF (pdftotext), it verifies against today's log and contradicts a log whose
tail was deleted afterwards.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.errors import TaiChoError
from sync_server.services import audit
from sync_server.services.station import Station


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
