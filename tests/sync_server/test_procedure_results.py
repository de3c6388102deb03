"""Every bundled procedure goes through the station: push → accept → approve → stamp, and
the result PDF shows its own title (issue 8, "Done when")."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.personal_id import make_personal_id
from shared.procedures import builtin
from shared.samples import sample_values
from shared.workdays import vn_now
from tests.browser_kit import sign_certificate


@pytest.mark.parametrize("code", builtin().codes())
def test_each_procedure_reaches_a_titled_result(
    code: str, client: TestClient, tablet: Tablet, as_user: Any, tmp_path: Path
) -> None:
    procedure = builtin().get(code)
    values = sample_values(code, vn_now().date(), seed=11)
    d = tablet.dossier(values, procedure=code, procedure_version=procedure.version)
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["outcome"] == "applied", r.text
    if code == "1.001193":  # the appraiser's number, which the Giấy khai sinh prints
        born = values["child_birth_date"]
        number = make_personal_id("087", values["child_sex"] == "nu", int(born[:4]), 4321)
        r = client.put(
            f"/v1/dossiers/{d['id']}/child-personal-id",
            json={"child_personal_id": number},
            headers=as_user("thamdinh"),
        )
        assert r.status_code == 200, r.text
    for who, action in (("thamdinh", "accept"), ("lanhdao", "approve"), ("vanthu", "stamp")):
        if action == "stamp":  # the spouses sign a Giấy chứng nhận kết hôn before the seal
            sign_certificate(client, d["id"], as_user("vanthu"))
        r = client.post(
            f"/v1/dossiers/{d['id']}/actions",
            json={"action": action, "reason": None},
            headers=as_user(who),
        )
        assert r.status_code == 200, r.text
    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu"))
    assert pdf.status_code == 200
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert procedure.result_title in text
    assert d["code"] in text
