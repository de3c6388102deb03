"""Least privilege: a role × entry matrix over every front end of the station.

Scenario (issue 11 §7, issue 19): the administrator manages staff, tablets and settings
but must not read citizen data — through the HTTP API, the desk or the command line.
Every ``/v1`` route, every method of the desk's backend and every ``admin`` command must
be classified here; a new one that is not fails its ``test_every_…_is_in_the_matrix``
until someone decides who may call it. The expectations come from the permission table
(``shared.permissions``): a role may call an entry iff it holds the entry's verb.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from station_kit import MOTHER, PINS, SECRETS, Tablet

import sync_server.__main__ as cli
from shared.catalogue_import import ProcedureSettings
from shared.errors import TaiChoError
from shared.permissions import Verb, can
from shared.workdays import vn_now
from shared.workflow import ROLE_LABELS, Role
from sync_server.desk.backend import DeskBackend
from sync_server.services import door
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.setup.staff import Staff

ANONYMOUS = "anonymous"
CASEWORKERS = frozenset({Role.INTAKE, Role.APPRAISER, Role.LEADER, Role.CLERK})
USERS = {
    Role.INTAKE: "tiepnhan",
    Role.APPRAISER: "thamdinh",
    Role.LEADER: "lanhdao",
    Role.CLERK: "vanthu",
    Role.ADMIN: "quantri",
}
# (method, path) → who may call it: PUBLIC routes authenticate by other means (PIN in the
# body, one-time code, signed envelopes) or carry no citizen data.
PUBLIC = "public"
MATRIX: dict[tuple[str, str], str | frozenset[Role]] = {
    ("GET", "/v1/health"): PUBLIC,
    # Public by design: says whether a document is genuine, shows only what the paper shows.
    ("GET", "/v1/verify/{code}"): PUBLIC,
    ("POST", "/v1/auth/token"): PUBLIC,
    ("POST", "/v1/auth/pin"): PUBLIC,
    ("POST", "/v1/sync/enroll"): PUBLIC,
    ("POST", "/v1/sync/unlock"): PUBLIC,
    ("POST", "/v1/sync/push"): PUBLIC,
    ("POST", "/v1/sync/pull"): PUBLIC,
    # After a restore: like pull, unsigned; it can only add what a restore lost (recovery.py).
    ("POST", "/v1/sync/recover"): PUBLIC,
    # Photos of documents: authenticated by the device's signed envelopes, like a push.
    ("PUT", "/v1/sync/attachments/{sha256}"): PUBLIC,
    ("PUT", "/v1/sync/attachments/{sha256}/chunks/{n}"): PUBLIC,
    ("GET", "/v1/dossiers"): CASEWORKERS,
    # Reports are aggregates for the office's leadership and its administrator.
    ("GET", "/v1/reports/summary"): frozenset({Role.LEADER, Role.ADMIN}),
    ("GET", "/v1/reports/summary.csv"): frozenset({Role.LEADER, Role.ADMIN}),
    ("GET", "/v1/reports/summary.pdf"): frozenset({Role.LEADER, Role.ADMIN}),
    ("GET", "/v1/dossiers/{dossier_id}"): CASEWORKERS,
    ("POST", "/v1/dossiers/{dossier_id}/actions"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/result.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/receipt.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/supplement-request.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/refusal.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/apology.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/control-sheet.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/declaration.pdf"): CASEWORKERS,
    ("GET", "/v1/dossiers/{dossier_id}/attachments/{sha256}"): CASEWORKERS,
    # Only the counter and the leader promise a new date (sync_server/services/office/paperwork.py).
    ("POST", "/v1/dossiers/{dossier_id}/apology"): frozenset({Role.INTAKE, Role.LEADER}),
    # The child's personal id comes from the appraiser (sync_server/services/office/actions.py).
    ("PUT", "/v1/dossiers/{dossier_id}/child-personal-id"): frozenset({Role.APPRAISER}),
    # The lookup step (sync_server/services/lookups.py): reading it is a caseworker's;
    # the counter or the appraiser records a lookup, the appraiser closes a verification.
    ("GET", "/v1/dossiers/{dossier_id}/lookups"): CASEWORKERS,
    ("POST", "/v1/dossiers/{dossier_id}/lookups"): frozenset({Role.INTAKE, Role.APPRAISER}),
    ("POST", "/v1/dossiers/{dossier_id}/lookups/{lookup_id}/close"): frozenset({Role.APPRAISER}),
    # The spouses sign the certificate before the seal (services/office/party_signing.py):
    # recorded by the civil-status officer (appraiser) or the clerk who seals.
    ("POST", "/v1/dossiers/{dossier_id}/result/signatures"): frozenset(
        {Role.APPRAISER, Role.CLERK}
    ),
    # What was recorded at stamp for a result made elsewhere (docs/catalogue.md).
    ("GET", "/v1/dossiers/{dossier_id}/external-result"): CASEWORKERS,
}
# Harmless bodies: an unknown action changes nothing, empty sync bodies are refused.
BODIES: dict[str, Any] = {
    "/v1/dossiers/{dossier_id}/actions": {"action": "nothing"},
    "/v1/dossiers/{dossier_id}/apology": {"new_due_at": "not a date", "reason": ""},
    "/v1/dossiers/{dossier_id}/child-personal-id": {"child_personal_id": "1"},
    "/v1/dossiers/{dossier_id}/lookups": {"key": "x", "database": "x", "result": "x"},
    "/v1/dossiers/{dossier_id}/lookups/{lookup_id}/close": {"note": ""},
    "/v1/dossiers/{dossier_id}/result/signatures": {"signatures": [{}]},
}


def _v1_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every /v1 operation the app serves, as its OpenAPI document lists them."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return [
        (method.upper(), path)
        for path, ops in paths.items()
        if path.startswith("/v1")
        for method in ops
    ]


def test_every_route_is_in_the_matrix(client: TestClient) -> None:
    assert sorted(_v1_routes(client)) == sorted(MATRIX)


@pytest.mark.parametrize("who", [ANONYMOUS, *Role])
def test_role_endpoint_matrix(client: TestClient, tablet: Tablet, as_user: Any, who: str) -> None:
    d = tablet.dossier()
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied"
    headers = {} if who == ANONYMOUS else as_user(USERS[Role(who)])
    for (method, path), allowed in MATRIX.items():
        url = path.replace("{dossier_id}", d["id"])
        body = BODIES.get(path, {}) if method in ("POST", "PUT") else None
        r = client.request(method, url, json=body, headers=headers)
        where = f"{who} {method} {path} → {r.status_code} {r.text[:120]}"
        if allowed == PUBLIC:
            assert r.status_code not in (401, 403) or r.json()["code"] in {
                "AUTH_FAILED",
                "DEVICE_UNKNOWN",
            }, where
            continue
        assert isinstance(allowed, frozenset)
        if who == ANONYMOUS:
            assert r.status_code == 401 and r.json()["code"] == "AUTH_REQUIRED", where
        elif Role(who) in allowed:
            assert r.status_code not in (401, 403), where
        else:
            assert r.status_code == 403, where
            assert r.json()["code"] in ("ROLE_FORBIDDEN", "ROLE_NOT_ALLOWED"), where
            label = ROLE_LABELS[Role(who)].vi
            assert label in r.json()["message"] and who not in r.json()["message"], where
        if who == ANONYMOUS or Role(who) not in allowed:
            assert not any(secret in r.text for secret in SECRETS), where


# --- the desk -----------------------------------------------------------------------------

DeskCall = Callable[[DeskBackend, Staff, str], object]
TODAY = vn_now().date().isoformat()  # the report's days are Vietnam's (UTC+7)
# method → (the verb it needs, or PUBLIC; a call with harmless arguments). Ticket methods
# resolve a link issued to the person (as the desk would have when they had the right).
DESK: dict[str, tuple[Verb | str, DeskCall]] = {
    "login": (PUBLIC, lambda b, who, d: b.login(who.username, PINS[who.username])),
    "procedures": (PUBLIC, lambda b, who, d: b.procedures()),
    "queue": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.queue(who)),
    "detail": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.detail(who, d)),
    "act": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.act(who, d, "nothing", None)),
    "record_personal_id": (
        Verb.DOSSIER_RECORD_PERSONAL_ID,
        lambda b, who, d: b.record_personal_id(who, d, "1"),
    ),
    "held_edits": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.held_edits(who, d)),
    "lookups": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.lookups(who, d)),
    "record_lookup": (
        Verb.DOSSIER_RECORD_LOOKUP,
        lambda b, who, d: b.record_lookup(who, d, "x", "x", "x", ""),
    ),
    "close_verification": (
        Verb.DOSSIER_CLOSE_VERIFICATION,
        lambda b, who, d: b.close_verification(who, d, "x", ""),
    ),
    "sign_result": (Verb.DOSSIER_SIGN_RESULT, lambda b, who, d: b.sign_result(who, d, [{}])),
    "result_signed_by": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.result_signed_by(who, d)),
    "result_link": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.result_link(who, d)),
    "result_pdf": (
        Verb.DOSSIER_READ_PERSONAL,
        lambda b, who, d: b.result_pdf(b.links.issue(who.username, d)),
    ),
    "paper_links": (
        Verb.DOSSIER_READ_PERSONAL,
        lambda b, who, d: b.paper_links(who, b.detail(who, d)),
    ),
    "paper_file": (
        Verb.DOSSIER_READ_PERSONAL,
        lambda b, who, d: b.paper_file(b.links.issue(who.username, f"paper|receipt|{d}")),
    ),
    "photos": (Verb.DOSSIER_READ_PERSONAL, lambda b, who, d: b.photos(who, d)),
    "photo_file": (
        Verb.DOSSIER_READ_PERSONAL,
        lambda b, who, d: b.photo_file(b.links.issue(who.username, f"photo|{d}|{'0' * 64}")),
    ),
    "report": (Verb.REPORT_READ, lambda b, who, d: b.report(who, TODAY, TODAY, None)),
    "report_link": (
        Verb.REPORT_READ,
        lambda b, who, d: b.report_link(who, "csv", TODAY, TODAY, None),
    ),
    "report_file": (
        Verb.REPORT_READ,
        lambda b, who, d: b.report_file(
            b.links.issue(who.username, f"report|csv|{TODAY}|{TODAY}|")
        ),
    ),
    "province_linked": (Verb.REPORT_READ, lambda b, who, d: b.province_linked(who)),
    # Not registered with a hub: the door's check comes first, then HUB_NOT_REGISTERED.
    "province_report": (
        Verb.REPORT_READ,
        lambda b, who, d: b.province_report(who, TODAY, TODAY, None),
    ),
    "staff_list": (Verb.STAFF_MANAGE, lambda b, who, d: b.staff_list(who)),
    "staff_add": (
        Verb.STAFF_MANAGE,
        lambda b, who, d: b.staff_add(
            who, username="x", role="intake", pin="246813", full_name="", title=""
        ),
    ),
    "staff_set_active": (
        Verb.STAFF_MANAGE,
        lambda b, who, d: b.staff_set_active(who, "nobody", True),
    ),
    "staff_reset_pin": (
        Verb.STAFF_MANAGE,
        lambda b, who, d: b.staff_reset_pin(who, "nobody", "246813"),
    ),
    "staff_set_role": (
        Verb.STAFF_MANAGE,
        lambda b, who, d: b.staff_set_role(who, "nobody", "intake"),
    ),
    "staff_unlock": (Verb.STAFF_MANAGE, lambda b, who, d: b.staff_unlock(who, "nobody")),
    "devices": (Verb.DEVICE_MANAGE, lambda b, who, d: b.devices(who)),
    "revoke": (Verb.DEVICE_MANAGE, lambda b, who, d: b.revoke(who, "no-such-tablet")),
    "enroll_ticket": (Verb.DEVICE_MANAGE, lambda b, who, d: b.enroll_ticket(who, "")),
    "unit": (Verb.UNIT_MANAGE, lambda b, who, d: b.unit(who)),
    "set_unit": (Verb.UNIT_MANAGE, lambda b, who, d: b.set_unit(who, dict(demo.DEMO_UNIT))),
    "set_unit_from_names": (
        Verb.UNIT_MANAGE,
        lambda b, who, d: b.set_unit_from_names(
            who, demo.DEMO_PROVINCE, demo.DEMO_COMMUNE, demo.DEMO_AGENCY_CODE
        ),
    ),
    "public_url": (Verb.STATION_MANAGE, lambda b, who, d: b.public_url(who)),
    "set_public_url": (
        Verb.STATION_MANAGE,
        lambda b, who, d: b.set_public_url(who, "https://xalaivung.example"),
    ),
    "calendar": (Verb.CALENDAR_MANAGE, lambda b, who, d: b.calendar(who)),
    "backup_status": (Verb.STATION_MANAGE, lambda b, who, d: b.backup_status(who)),
    "calendar_set": (
        Verb.CALENDAR_MANAGE,
        lambda b, who, d: b.calendar_set(who, clear=["2030-01-02"]),
    ),
    "catalogue_list": (Verb.CATALOGUE_MANAGE, lambda b, who, d: b.catalogue_list(who)),
    # A built-in procedure is not edited: refused by the door, or (admin) by the check.
    "catalogue_set": (
        Verb.CATALOGUE_MANAGE,
        lambda b, who, d: b.catalogue_set(who, "1.001193", ProcedureSettings(enabled=False)),
    ),
}


def test_every_desk_method_is_in_the_matrix() -> None:
    methods = {
        n for n in vars(DeskBackend) if not n.startswith("_") and callable(getattr(DeskBackend, n))
    }
    assert methods == set(DESK)


def _refused(err: BaseException, who: Role, where: str) -> None:
    assert isinstance(err, TaiChoError) and err.code == "ROLE_NOT_ALLOWED", where
    assert ROLE_LABELS[who].vi in err.message("vi"), where
    assert not any(secret in str(err.to_problem()) for secret in SECRETS), where


@pytest.mark.parametrize("who", list(Role))
def test_role_desk_matrix(demo_station: Station, tablet: Tablet, who: Role) -> None:
    d = tablet.dossier()
    r = tablet.push([tablet.change(d)])
    assert r.status_code == 200 and r.json()["results"][0]["outcome"] == "applied"
    backend = DeskBackend(demo_station)
    me = backend.login(USERS[who], PINS[USERS[who]])
    for method, (verb, call) in DESK.items():
        where = f"{who} desk.{method}"
        allowed = verb == PUBLIC or (isinstance(verb, Verb) and can(who, verb))
        try:
            out = call(backend, me, d["id"])
        except TaiChoError as err:
            if not allowed:
                _refused(err, who, where)
            else:
                assert not err.code.startswith("ROLE_"), f"{where}: {err}"
            continue
        assert allowed, f"{where} answered {str(out)[:120]}"
    if not can(who, Verb.DOSSIER_READ_PERSONAL):
        return
    shown = json.dumps(backend.detail(me, d["id"]).to_dict(), ensure_ascii=False)
    assert all(secret in shown for secret in SECRETS[:3]), who


# --- the command line ---------------------------------------------------------------------

# admin command → (the verb it needs, harmless arguments; {tmp} is a scratch folder
# holding junk files for the commands that read one).
CLI: dict[str, tuple[Verb, list[str]]] = {
    "staff-add": (
        Verb.STAFF_MANAGE,
        ["--username", "cli.test", "--role", "intake", "--pin", "246813"],
    ),
    "staff-list": (Verb.STAFF_MANAGE, []),
    "staff-unlock": (Verb.STAFF_MANAGE, ["--username", "tiepnhan"]),
    "enroll-code": (Verb.DEVICE_MANAGE, []),
    "device-list": (Verb.DEVICE_MANAGE, []),
    "device-revoke": (Verb.DEVICE_MANAGE, ["--device", "no-such-tablet"]),
    "audit-verify": (Verb.AUDIT_VERIFY, []),
    "audit-anchor": (Verb.AUDIT_VERIFY, []),
    "unit-set": (
        Verb.UNIT_MANAGE,
        ["--province", demo.DEMO_PROVINCE, "--commune", demo.DEMO_COMMUNE],
    ),
    "unit-show": (Verb.UNIT_MANAGE, []),
    "fee-set": (Verb.UNIT_MANAGE, ["--procedure", "1.004873", "--vnd", "10000"]),
    "calendar-set": (Verb.CALENDAR_MANAGE, ["--clear", "2030-01-02"]),
    "calendar-list": (Verb.CALENDAR_MANAGE, []),
    "cert-import": (Verb.CERT_MANAGE, ["--for", "commune"]),
    "cert-export": (Verb.CERT_MANAGE, ["--out", "{tmp}/ca.pem"]),
    "cert-list": (Verb.CERT_MANAGE, []),
    "tls-import": (Verb.STATION_MANAGE, ["--cert", "{tmp}/no.pem", "--key", "{tmp}/no.key"]),
    "tls-show": (Verb.STATION_MANAGE, []),
    "public-url": (Verb.STATION_MANAGE, ["https://xalaivung.example"]),
    "report": (Verb.REPORT_READ, ["--from", TODAY, "--to", TODAY, "--format", "csv"]),
    "backup": (
        Verb.STATION_MANAGE,
        [
            "--out",
            "{tmp}/station.tcbak",
            "--passphrase-file",
            "{tmp}/passphrase.txt",
            "--nice",
            "0",
        ],
    ),
    "backup-status": (Verb.STATION_MANAGE, []),
    "backup-verify": (
        Verb.STATION_MANAGE,
        ["{tmp}/no-such.tcbak", "--passphrase-file", "{tmp}/passphrase.txt"],
    ),
    "restore": (
        Verb.STATION_MANAGE,
        ["--from", "{tmp}/no-such.tcbak", "--passphrase-file", "{tmp}/passphrase.txt"],
    ),
    "redo-list": (Verb.STATION_MANAGE, []),
    # The provincial hub: refused by the door, or (admin) by the code or the missing link,
    # before any connection is made.
    "hub-register": (Verb.HUB_MANAGE, ["--hub", "https://127.0.0.1:9", "--code", "X"]),
    "hub-status": (Verb.HUB_MANAGE, []),
    "hub-send": (Verb.HUB_MANAGE, ["--from", TODAY, "--to", TODAY]),
    "hub-lookup": (Verb.HUB_MANAGE, ["--unit", "000.31.22.H20"]),
    # Cross-commune intake: one relay run (admin: HUB_NOT_REGISTERED, nothing sent) and
    # the relay's queue (ids and problems only, no citizen data).
    "hub-relay": (Verb.HUB_RELAY, []),
    "hub-relay-status": (Verb.HUB_RELAY, []),
    "hub-communes": (Verb.HUB_RELAY, []),
    # The procedure catalogue: a junk file and a built-in procedure are refused (admin).
    "catalogue-import": (Verb.CATALOGUE_MANAGE, ["{tmp}/no.pem"]),
    "catalogue-list": (Verb.CATALOGUE_MANAGE, []),
    "catalogue-set": (Verb.CATALOGUE_MANAGE, ["--procedure", "1.001193", "--disable"]),
}


def test_every_admin_command_is_in_the_matrix() -> None:
    parser = cli._parser()
    commands: set[str] = set()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        admin = action.choices["admin"]  # type: ignore[index]
        for sub in admin._subparsers._group_actions:
            commands |= set(sub.choices)
    assert commands == set(CLI)


def test_the_command_line_acts_as_the_admin() -> None:
    """Whoever has the data folder runs ``admin`` as the administrator: the commands
    offer only what that role may do, and it reads no citizen data."""
    assert cli.CLI_ACTOR.role is Role.ADMIN
    assert all(can(cli.CLI_ACTOR, verb) for verb, _ in CLI.values())
    assert not can(cli.CLI_ACTOR, Verb.DOSSIER_READ_PERSONAL)
    assert not can(cli.CLI_ACTOR, Verb.REPORT_READ_FREE_TEXT)


@pytest.mark.parametrize("who", list(Role))
def test_role_command_line_matrix(
    client: TestClient,
    as_user: Any,
    tablet: Tablet,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    who: Role,
) -> None:
    """Each command run as if each role sat at the machine (the actor is the one thing
    swapped): refused exactly where the role lacks the command's verb. Nothing printed
    names a citizen — nor the report, whose supplement reason below does, unless the
    role may read the free text (the leader)."""
    d = tablet.dossier()
    assert tablet.push([tablet.change(d)]).json()["results"][0]["outcome"] == "applied"
    reason = f"Thiếu giấy khai sinh của mẹ, bà {MOTHER}"
    r = client.post(
        f"/v1/dossiers/{d['id']}/actions",
        json={"action": "request_supplement", "reason": reason},
        headers=as_user("thamdinh"),
    )
    assert r.status_code == 200, r.text
    monkeypatch.setattr(cli, "CLI_ACTOR", Staff(f"{who.value}@cli", "Người thử", who, None))
    (tmp_path / "passphrase.txt").write_text("một cụm mật khẩu đủ dài 2026\n", encoding="utf-8")
    for junk in ("no.pem", "no.key"):  # read by the shell, refused by the door or the checks
        (tmp_path / junk).write_text("not a certificate\n", encoding="ascii")
    for command, (verb, args) in CLI.items():
        argv = ["admin", "--data", str(data_dir), command, *(a.format(tmp=tmp_path) for a in args)]
        code = cli.main(argv)
        out, err = capsys.readouterr()
        where = f"{who} {command} → {code} {err[:160]}"
        if can(who, verb):
            assert code == 0 or not json.loads(err.splitlines()[-1])["code"].startswith("ROLE_"), (
                where
            )
        else:
            assert code == 1 and json.loads(err)["code"] == "ROLE_NOT_ALLOWED", where
            assert ROLE_LABELS[who].vi in json.loads(err)["message"], where
        shown = out + err
        if command == "report" and can(who, Verb.REPORT_READ_FREE_TEXT):
            assert reason in shown, where  # the leader's report lists the reasons
            continue
        assert not any(secret in shown for secret in (*SECRETS, reason)), where


def test_the_door_refuses_the_command_line_any_dossier(demo_station: Station) -> None:
    with demo_station.session() as db:
        for read in (door.dossiers, lambda *a: door.dossier(*a, "x")):
            with pytest.raises(TaiChoError) as exc:
                read(cli.CLI_ACTOR, demo_station, db)
            assert exc.value.code == "ROLE_NOT_ALLOWED"
