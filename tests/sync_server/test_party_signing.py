"""The spouses sign the Giấy chứng nhận kết hôn before the commune's seal (issue 17, §2
Kết hôn), at the real station app with real pyHanko signatures checked by poppler's
``pdfsig`` and pyHanko's validator.

"Hai bên nam, nữ cùng ký vào Giấy chứng nhận kết hôn" (Luật Hộ tịch 2014, Điều 18 khoản
2) and a seal goes only on a signed paper: leader → bên nữ → bên nam → seal, each an
incremental update, the seal's covering the whole file. Bad paths: stamping before both
signed, a party signing twice, an unknown party, an empty pad, a thumbprint without its
witness, another procedure, another status, a role without the verb.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from mobile.services.verify import verify_pdf
from shared.checklist import every_component
from shared.procedures import sample_values
from shared.workdays import vn_now
from shared.workflow import timeline
from sync_server.services.core.station import Station
from sync_server.services.pki import certs

KH, KT = "1.000894", "1.000656"
# A signature as a pad gives it: two strokes of points in 0..1000.
STROKES = [
    [[100 + 10 * i, 500 + (i % 7) * 40] for i in range(30)],
    [[450 + 12 * i, 300 + (i % 5) * 60] for i in range(30)],
]


def _approved(client: TestClient, tablet: Tablet, as_user: Any, code: str = KH) -> Any:
    values = sample_values(code, vn_now().date(), 5)
    d = tablet.dossier(values, procedure=code)
    d["components_received"] = every_component(code, values)
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied", r.text
    for who, action in (("thamdinh", "accept"), ("lanhdao", "approve")):
        r = _act(client, as_user, d["id"], action, who)
        assert r.status_code == 200, r.text
    return d, values


def _act(client: TestClient, as_user: Any, did: str, action: str, who: str) -> Any:
    return client.post(f"/v1/dossiers/{did}/actions", json={"action": action}, headers=as_user(who))


def _mark(party: str, kind: str = "signature", **extra: Any) -> dict[str, Any]:
    strokes = STROKES if kind == "signature" else []
    return {"party": party, "kind": kind, "at": vn_now().isoformat(), "strokes": strokes, **extra}


def _sign(client: TestClient, as_user: Any, did: str, marks: list[Any], who: str = "vanthu") -> Any:
    return client.post(
        f"/v1/dossiers/{did}/result/signatures", json={"signatures": marks}, headers=as_user(who)
    )


def _pdfsig(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "gcnkh.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout


def test_the_spouses_sign_before_the_seal_and_the_seal_covers_them(
    client: TestClient, tablet: Tablet, as_user: Any, station: Station, tmp_path: Path
) -> None:
    d, values = _approved(client, tablet, as_user)
    # The clerk cannot seal before both have signed.
    r = _act(client, as_user, d["id"], "stamp", "vanthu")
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["code"] == "RESULT_PARTIES_UNSIGNED"
    assert "bên nữ, bên nam chưa ký vào Giấy chứng nhận kết hôn" in problem["message"]

    # The bride signs on screen (the appraiser — công chức tư pháp – hộ tịch — is there).
    r = _sign(client, as_user, d["id"], [_mark("wife")], who="thamdinh")
    assert r.status_code == 200, r.text
    r = _act(client, as_user, d["id"], "stamp", "vanthu")
    assert r.status_code == 409 and "bên nam chưa ký" in r.json()["message"]
    # The groom signed the printed copy by hand.
    r = _sign(client, as_user, d["id"], [_mark("husband", "paper")])
    assert r.status_code == 200, r.text
    shown = r.json()
    assert shown["status"] == "approved"
    steps = [s for s in shown["history"] if s["action"] == "sign_result"]
    assert steps[0]["reason"] == f"Bên nữ {values['wife_full_name']} ký trên màn hình"
    assert steps[1]["reason"] == f"Bên nam {values['husband_full_name']} ký trên bản giấy"
    stages = {s.key: s for s in timeline(shown["history"])}
    assert [s.action for s in stages["stamp"].steps] == ["sign_result", "sign_result"]
    assert not stages["stamp"].done  # the spouses' signatures do not stamp it

    r = _act(client, as_user, d["id"], "stamp", "vanthu")
    assert r.status_code == 200, r.text
    pdf = client.get(f"/v1/dossiers/{d['id']}/result.pdf", headers=as_user("vanthu")).content

    out = _pdfsig(pdf, tmp_path)
    assert out.count("Signature is Valid.") == 4, out
    fields = re.findall(r"Signature Field Name: (\S+)", out)
    assert fields == ["ChuKyLanhDao", "ChuKyBenNu", "ChuKyBenNam", "DauCoQuan"], out
    # Each signature covers the revisions before it; the seal's the whole file.
    ends = [int(e) for e in re.findall(r"Signed Ranges: \[0 - \d+\], \[\d+ - (\d+)\]", out)]
    assert ends == sorted(ends) and len(set(ends)) == 4 and ends[-1] == len(pdf), out
    assert out.count("Total document signed") == 1, out

    with station.session() as db:
        anchors = certs.trust_anchors_pem(db)
    answer = verify_pdf(pdf, anchors)
    assert answer["valid"] is True, answer
    assert [s["field"] for s in answer["signers"]] == fields
    assert answer["code"] == d["code"]

    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "GIẤY CHỨNG NHẬN KẾT HÔN" in text


def test_bad_signatures_are_refused_with_the_field_at_fault(
    client: TestClient, tablet: Tablet, as_user: Any
) -> None:
    d, _ = _approved(client, tablet, as_user)
    did = d["id"]

    def code_field(marks: Any, who: str = "vanthu") -> tuple[int, str, str | None]:
        r = client.post(
            f"/v1/dossiers/{did}/result/signatures",
            json={"signatures": marks},
            headers=as_user(who),
        )
        body = r.json()
        return r.status_code, body["code"], body.get("field")

    assert code_field([_mark("requester")]) == (
        400,
        "SIGNATURE_PARTY_UNKNOWN",
        "signatures[0].party",
    )
    empty = {**_mark("wife"), "strokes": [[[10, 10]]]}
    assert code_field([empty]) == (400, "SIGNATURE_INVALID", "signatures[0].strokes")
    assert code_field([_mark("wife", "thumbprint")]) == (
        400,
        "SIGNATURE_WITNESS_REQUIRED",
        "signatures[0].witness_name",
    )
    assert code_field([_mark("wife"), _mark("wife")])[1:] == (
        "SIGNATURE_INVALID",
        "signatures[1].party",
    )
    off_pad = {**_mark("wife"), "strokes": [[[0, 0], [1001, 5]]]}
    # coordinates beyond the pad are refused by the wire decoder, naming the point
    status, code, field = code_field([off_pad])
    assert (status, code) == (400, "REQUEST_INVALID") and field and "signatures[0]" in field
    assert code_field([_mark("wife")], who="lanhdao")[:2] == (403, "ROLE_NOT_ALLOWED")
    # A thumbprint with its witness is a mark; the same party cannot sign again.
    ok = _sign(client, as_user, did, [_mark("wife", "thumbprint", witness_name="Trần Văn Chứng")])
    assert ok.status_code == 200, ok.text
    assert code_field([_mark("wife")]) == (400, "SIGNATURE_INVALID", "signatures[0].party")
    # After the seal it is too late.
    assert _sign(client, as_user, did, [_mark("husband")]).status_code == 200
    assert _act(client, as_user, did, "stamp", "vanthu").status_code == 200
    assert code_field([_mark("husband")])[:2] == (409, "TRANSITION_NOT_ALLOWED")


@pytest.mark.parametrize("status_step", ["received", "other_procedure"])
def test_only_an_approved_certificate_the_spouses_sign_is_signed(
    client: TestClient, tablet: Tablet, as_user: Any, status_step: str
) -> None:
    if status_step == "other_procedure":
        d, _ = _approved(client, tablet, as_user, KT)
        r = _sign(client, as_user, d["id"], [_mark("wife")])
        assert r.status_code == 400 and r.json()["code"] == "REQUEST_INVALID"
        # a result only the office signs is stamped as before
        assert _act(client, as_user, d["id"], "stamp", "vanthu").status_code == 200
        return
    values = sample_values(KH, vn_now().date(), 6)
    d = tablet.dossier(values, procedure=KH)
    d["components_received"] = every_component(KH, values)
    assert tablet.push([tablet.change(d)]).status_code == 200
    r = _sign(client, as_user, d["id"], [_mark("wife")])
    assert r.status_code == 409 and r.json()["code"] == "TRANSITION_NOT_ALLOWED"
