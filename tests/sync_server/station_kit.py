"""Helpers for station tests: sample dossier values and a tiny in-test tablet.

The tablet is built from ``shared.crypto`` / ``shared.envelope`` and the message
declarations of ``shared.messages`` only, so these tests exercise the wire protocol
exactly as a third-party client would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from shared import crypto, hpke
from shared import messages as m
from shared.checklist import every_component
from shared.codes import make_code
from shared.envelope import Envelope, EnvelopeContext, open_envelope, seal_envelope
from shared.model import Dossier, HistoryEntry
from shared.procedures import builtin
from shared.sync import UNLOCK_REQUEST_INFO
from shared.workdays import vn_now
from shared.workflow import Status
from sync_server.services.admin import demo

UNIT = demo.DEMO_UNIT["code"]
CHILD = "Nguyễn Thị Mai Anh"
MOTHER = "Trần Thị Thu Hà"
FATHER = "Lê Văn Bình"
REQUESTER_CCCD = "087092001234"
MOTHER_CCCD = "087195004321"
ADDRESS = "Ấp Hòa Khánh, xã Lai Vung, tỉnh Đồng Tháp"
SECRETS = (CHILD, MOTHER, FATHER, REQUESTER_CCCD, MOTHER_CCCD, ADDRESS, "Hòa Khánh")


def sample_values() -> dict[str, Any]:
    """Values of 1.001193 that pass shared.validation today."""
    born = (vn_now().date() - timedelta(days=10)).isoformat()
    return {
        "requester_full_name": FATHER,
        "requester_birth_date": "1992-04-12",
        "requester_id_type": "cccd",
        "requester_id_number": REQUESTER_CCCD,
        "requester_relationship": "cha",
        "requester_residence": ADDRESS,
        "requester_phone": "0912345678",
        "child_full_name": CHILD,
        "child_birth_date": born,
        "child_sex": "nu",
        "child_ethnicity": "Kinh",
        "child_nationality": "VN",
        "child_birth_place": "Trạm Y tế xã Lai Vung, tỉnh Đồng Tháp",
        "child_hometown": "Đồng Tháp",
        "mother_full_name": MOTHER,
        "mother_birth_date": "1995",
        "mother_ethnicity": "Kinh",
        "mother_nationality": "VN",
        "mother_id_number": MOTHER_CCCD,
        "mother_residence": ADDRESS,
        "father_known": True,
        "father_full_name": FATHER,
        "father_birth_date": "1992-04-12",
        "father_ethnicity": "Kinh",
        "father_nationality": "VN",
        "father_residence": ADDRESS,
        "father_id_type": "cccd",
        "father_id_number": REQUESTER_CCCD,
        "parents_married": True,
        "marriage_cert_number": "12",
        "marriage_cert_date": "2018-05-20",
        "marriage_cert_place": "UBND xã Lai Vung, tỉnh Đồng Tháp",
        "copies_requested": 2,
        "requester_pledge": True,
        # The number the appraiser records before approval (docs/legal.md: no Giấy khai sinh
        # is signed without it); tests of that step take it out.
        "child_personal_id": f"0873{born[2:4]}001234",
    }


def _papers_of(code: str, values: dict[str, Any]) -> list[str]:
    """Every paper of a known procedure that applies to the values ([] for a procedure
    the station does not know)."""
    return every_component(code, values) if code in builtin() else []


def _version_of(procedure: str) -> int:
    return builtin().get(procedure).version if procedure in builtin() else 1


class Tablet:
    """The smallest honest client of the sync protocol."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.device_id = str(uuid.uuid4())
        self.x_sk, self.x_pk = crypto.new_x25519()
        self.ed_sk, self.ed_pk = crypto.new_ed25519()
        self.data_key = crypto.random_key()
        health = client.get("/v1/health").json()["station"]
        self.station_x = crypto.b64d(health["x25519_pub"])
        self.station_ed = crypto.b64d(health["ed25519_pub"])
        self.slot = 0
        self.seq = 0
        # Dossier numbers the station reserved to this tablet, by day, not yet used; and
        # the feed items enrolment queued (numbers, catalogue, calendar), read once at
        # enrolment so tests see the dossier items after them from ``pull()``.
        self.pool: dict[str, list[int]] = {}
        self.enrol_items: list[dict[str, Any]] = []
        self.base = 0

    def enroll_body(self, code: str) -> dict[str, Any]:
        ctx = EnvelopeContext("escrow", self.device_id, "station", 0, self.device_id, 1)
        escrow = seal_envelope(ctx, self.data_key, self.station_x, self.ed_sk)
        request = m.EnrollRequest(
            code=code,
            device_id=self.device_id,
            device_name="Máy tính bảng 1",
            x25519_pub=crypto.b64e(self.x_pk),
            ed25519_pub=crypto.b64e(self.ed_pk),
            escrow=escrow,
        )
        return m.to_dict(request)

    def enroll(self, code: str) -> dict[str, Any]:
        r = self.client.post("/v1/sync/enroll", json=self.enroll_body(code))
        assert r.status_code == 200, r.text
        answer = m.decode(m.EnrollAnswer, r.json())
        self.slot = answer.slot
        self.base = -1  # read from the start
        more = True
        while more:
            page = self.pull(self.base)
            self.enrol_items += [self.open_feed(i) for i in page["items"]]
            self.base, more = page["next"], page["more"]
        for raw in self.enrol_items:
            if raw["type"] == "numbers" and raw["unit"] == UNIT:
                self.pool.setdefault(raw["day"], []).extend(range(raw["lo"], raw["hi"] + 1))
        return dict(r.json())

    def unlock(self, username: str = "tiepnhan", pin: str = "123456") -> None:
        """First unlock through the station: what lets ``username`` receive on this tablet."""
        r = self.client.post("/v1/sync/unlock", json=self.unlock_body(username, pin)[0])
        assert r.status_code == 200, r.text

    def next_number(self) -> int:
        """The next of today's numbers reserved at enrolment (50: enough for a test)."""
        return self.pool[vn_now().date().isoformat()].pop(0)

    def dossier(self, values: dict[str, Any] | None = None, **over: Any) -> dict[str, Any]:
        now = vn_now()
        at = now.isoformat(timespec="seconds")
        values = sample_values() if values is None else values
        d = Dossier(
            id=str(uuid.uuid4()),
            code=make_code(UNIT, now.date(), self.next_number()),
            procedure=over.get("procedure", "1.001193"),
            # The version the station knows it by (a dossier records what it was filled under).
            procedure_version=_version_of(over.get("procedure", "1.001193")),
            values=values,
            status=Status.RECEIVED,
            version=1,
            base_version=0,
            device_id=self.device_id,
            received_by="tiepnhan",
            received_at=at,
            due_at=None,
            history=[HistoryEntry("receive", "draft", "received", "tiepnhan", "intake", at)],
            # Every paper handed in (a test of the checklist passes its own ticks in ``over``).
            components_received=_papers_of(over.get("procedure", "1.001193"), values),
        )
        return {**d.to_dict(), **over}

    def change(
        self, dossier: dict[str, Any], seq: int | None = None, payload: Any = None
    ) -> dict[str, Any]:
        if seq is None:
            self.seq += 1
            seq = self.seq
        ctx = EnvelopeContext(
            "change", self.device_id, "station", seq, dossier["id"], dossier["version"]
        )
        if payload is None:
            submit = m.DossierSubmit("dossier.submit", m.decode(m.Dossier, dossier))
            raw = m.to_json_bytes(submit)
        else:
            raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return seal_envelope(ctx, raw, self.station_x, self.ed_sk).to_json()

    def push(self, changes: list[dict[str, Any]]) -> Any:
        return self.client.post(
            "/v1/sync/push", json={"device_id": self.device_id, "changes": changes}
        )

    def pull(self, after: int = 0, limit: int = 200) -> dict[str, Any]:
        """The feed after ``after``; from 0, it starts after what enrolment queued."""
        after = self.base if after == 0 else max(after, 0)
        r = self.client.post(
            "/v1/sync/pull", json={"device_id": self.device_id, "after": after, "limit": limit}
        )
        assert r.status_code == 200, r.text
        m.decode(m.PullAnswer, r.json())
        return dict(r.json())

    def open_feed(self, item: dict[str, Any]) -> dict[str, Any]:
        env = Envelope.from_json(item)
        assert env.ctx.kind == "feed" and env.ctx.recipient == self.device_id
        raw = json.loads(open_envelope(env, self.x_sk, self.station_ed))
        m.decode_feed_item(raw)  # every feed item the station sends decodes as declared
        return dict(raw)

    def unlock_body(self, username: str, pin: str) -> tuple[dict[str, Any], bytes, str]:
        reply_sk, reply_pk = crypto.new_x25519()
        nonce = crypto.b64e(crypto.random_key()[:16])
        secret = m.UnlockSecret(username, pin, crypto.b64e(reply_pk), nonce)
        enc, ct = hpke.seal(
            self.station_x, UNLOCK_REQUEST_INFO, self.device_id.encode(), m.to_json_bytes(secret)
        )
        body = m.UnlockRequest(self.device_id, crypto.b64e(enc), crypto.b64e(ct))
        return m.to_dict(body), reply_sk, nonce


def login(client: TestClient, username: str, pin: str) -> dict[str, str]:
    r = client.post("/v1/auth/token", json={"username": username, "pin": pin})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


PINS = {s.username: s.pin for s in demo.DEMO_STAFF}

# The demo commune as ``admin unit-set`` takes it.
LAI_VUNG = ("--province", "Đồng Tháp", "--commune", "Xã Lai Vung")


def admin_cli(data: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m sync_server admin --data DATA ARGS…`` as an administrator types it: its
    JSON on stdout, a JSON problem on stderr and exit code 1 on a refusal."""
    return subprocess.run(
        [sys.executable, "-m", "sync_server", "admin", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
