"""The station receives only complete dossiers: a tablet cannot push a received dossier
missing a paper its procedure version requires (real station app, real envelopes)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.checklist import every_component
from sync_server.services.core.station import Station

KS = "1.001193"


def _count(station: Station, table: str) -> int:
    with station.session() as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def _father_unknown(married: dict[str, Any]) -> dict[str, Any]:
    """The sample without a father: no parents' marriage, the child takes the mother's name."""
    values = {
        k: v for k, v in married.items() if not k.startswith(("father_", "marriage_", "parents_"))
    }
    values["father_known"] = False
    family = married["mother_full_name"].split()[0]
    values["child_full_name"] = " ".join([family, *married["child_full_name"].split()[1:]])
    return values


def _push_one(tablet: Tablet, dossier: dict[str, Any]) -> dict[str, Any]:
    r = tablet.push([tablet.change(dossier)])
    assert r.status_code == 200, r.text
    [result] = r.json()["results"]
    return dict(result)


def test_a_dossier_missing_a_required_paper_is_rejected_and_reported(
    tablet: Tablet, station: Station
) -> None:
    d = tablet.dossier(components_received=["requester_id"])
    result = _push_one(tablet, d)
    assert result["outcome"] == "rejected"
    problem = result["problem"]
    assert problem["code"] == "DOSSIER_INCOMPLETE" and problem["field"] == "components_received"
    missing = {x["component"]: x["why"] for x in problem["details"]}
    # the sample's parents are married Vietnamese citizens: their certificate is looked
    # up, not asked for (Nghị định 07/2025/NĐ-CP)
    assert missing == {"birth_certificate_medical": "not_ticked"}
    assert "Giấy chứng sinh" in problem["message"]
    assert _count(station, "dossiers") == 0
    [item] = tablet.pull()["items"]
    payload = tablet.open_feed(item)
    assert payload["type"] == "dossier.rejected"
    assert payload["problem"]["code"] == "DOSSIER_INCOMPLETE"


def test_a_dossier_from_before_the_checklist_is_not_received(tablet: Tablet) -> None:
    d = tablet.dossier()
    del d["components_received"]  # the shape of an older tablet: parses as []
    result = _push_one(tablet, d)
    assert result["outcome"] == "rejected"
    assert result["problem"]["code"] == "DOSSIER_INCOMPLETE"


def test_required_if_follows_the_values_and_photos_are_not_demanded(
    tablet: Tablet, station: Station
) -> None:
    """Father not identified: no parents' marriage, so no marriage certificate asked."""
    d = tablet.dossier(components_received=["birth_certificate_medical", "requester_id"])
    d["values"] = _father_unknown(d["values"])
    # no photo reference anywhere: the station judges the ticks only (docs/intake.md)
    assert _push_one(tablet, d)["outcome"] == "applied"
    assert _count(station, "dossiers") == 1


def test_an_unknown_paper_is_refused(tablet: Tablet) -> None:
    d = tablet.dossier(components_received=[*every_component(KS), "so_ho_khau"])
    result = _push_one(tablet, d)
    assert result["outcome"] == "rejected"
    assert result["problem"]["code"] == "REQUEST_INVALID"
    assert result["problem"]["field"] == "components_received"


def test_a_supplement_must_be_complete_too(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d = tablet.dossier()
    assert _push_one(tablet, d)["outcome"] == "applied"
    r = client.post(
        f"/v1/dossiers/{d['id']}/actions",
        json={"action": "request_supplement", "reason": "Bổ sung giấy chứng sinh"},
        headers=as_user("thamdinh"),
    )
    assert r.status_code == 200
    dropped = {
        **d,
        "version": 3,
        "base_version": 2,
        "components_received": ["requester_id"],
    }
    result = _push_one(tablet, dropped)
    assert result["outcome"] == "rejected" and result["problem"]["code"] == "DOSSIER_INCOMPLETE"
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert got["status"] == "supplement_requested"
    complete = {**dropped, "components_received": every_component(KS, d["values"])}
    assert _push_one(tablet, complete)["outcome"] == "applied"
    got = client.get(f"/v1/dossiers/{d['id']}", headers=as_user("thamdinh")).json()
    assert got["status"] == "received"
    assert got["components_received"] == every_component(KS, d["values"])


def test_the_receipt_lists_the_papers_handed_in(
    client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    """Giấy tiếp nhận, item 1: what the officer ticked, not the procedure's whole list."""
    d = tablet.dossier(components_received=["birth_certificate_medical", "requester_id"])
    d["values"] = _father_unknown(d["values"])
    assert _push_one(tablet, d)["outcome"] == "applied"
    r = client.get(f"/v1/dossiers/{d['id']}/receipt.pdf", headers=as_user("tiepnhan"))
    assert r.status_code == 200, r.text
    path = tmp_path / "receipt.pdf"
    path.write_bytes(r.content)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(out.split())
    assert "Giấy chứng sinh" in flat and "Giấy tờ tùy thân của người yêu cầu" in flat
    assert "Giấy chứng nhận kết hôn" not in flat
