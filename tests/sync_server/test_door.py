"""One door to the station: every person's action checks its verb, whoever the front end.

``sync_server/services/door.py`` holds every service function the HTTP API, the desk and
the command line call to perform a person's action. These tests walk all of them and
call each with every role that lacks its verb (it must refuse before reading anything),
and read the front ends' source to prove they reach no other service except the entry
points that authenticate by other means, each listed below with the reason.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.errors import TaiChoError
from shared.permissions import PERMISSIONS, Role, Verb, can
from shared.workflow import STATION_ACTIONS, TRANSITIONS
from sync_server.services import door
from sync_server.services.core.station import Station
from sync_server.services.opening import open_station
from sync_server.services.setup.staff import Staff

ROOT = Path(__file__).resolve().parents[2]
FRONT_ENDS = sorted(
    [
        *ROOT.glob("sync_server/api/*.py"),
        *ROOT.glob("sync_server/desk/**/*.py"),
        ROOT / "sync_server" / "__main__.py",
        ROOT / "sync_server" / "app.py",
    ]
)
# What a front end may take from sync_server.services besides the door, and why each is
# not a person's action behind a verb. Anything else must go through the door.
BESIDES_THE_DOOR: dict[str, dict[str, str]] = {
    "station": {
        "Station": "the runtime context a route passes on",
        "get_unit_record": "GET /v1/health: the unit's public name, for tablets",
    },
    "opening": {"open_station": "opening the data folder (app start, CLI)"},
    "staff": {
        "Staff": "the type of the acting person",
        "authenticate": "sign-in: the PIN is the credential (lockout, throttles)",
        "issue_token": "sign-in: the token of a PIN just checked",
        "change_pin": "checks the old PIN like a sign-in",
        "staff_for_token": "the bearer token is the credential",
        "current": "re-reads the signed-in person (a disabled account stops at once)",
    },
    "enrollment": {
        "enroll": "a tablet with a one-time enrolment code",
        "unlock": "a tablet's signed envelope plus the staff PIN",
        "new_enroll_code": "serve --demo prints a code for the demo tablet",
    },
    "ingest": {"push": "a tablet's signed envelopes (docs/sync-protocol.md)"},
    "devices": {"active_device": "a tablet's signed pull"},
    "pull": {"pull": "a tablet's signed pull"},
    "attachments": {
        "check_sha": "a path parameter's format",
        "open_upload": "a tablet's signed upload",
        "put_chunk": "a tablet's signed upload",
    },
    "verify": {
        "verify_code": "the public verify page: what the printed result already shows",
        "GENUINE": "its answer's constants",
        "ISSUED": "its answer's constants",
        "ALTERED": "its answer's constants",
        "UNKNOWN": "its answer's constants",
    },
    "recovery": {
        "notice": "a tablet's pull: whether the station was restored from a backup",
        "recover": "a tablet's report after a restore (it can only add what staff check)",
    },
    "backup_schedule": {
        "BackupSchedule": "serve's own daily backup (--backup-dir), not a person's action",
    },
    "sender": {
        "HubSender": "serve's own sending of day figures to the hub (--hub-every), not a "
        "person's action; registering and sending by hand go through the door",
        "HubRelayer": "serve's own relay timer (--relay-every): every run it makes is "
        "door.hub_relay with the CLI actor, as admin hub-relay by hand",
    },
    "guard": {
        "Throttle": "per-client brakes on anonymous endpoints",
        "Guards": "the per-client brakes a front end holds",
        "pin_attempt": "sign-in's per-client brake, claimed before the PIN check",
        "enrol_attempt": "enrolment's per-client brake, claimed before the code check",
        "lookup": "the public verify page's per-client brake",
    },
    "clock": {"utc_now": "the time"},
    "demo": {
        "seed": "serve --demo seeds the demo commune and its staff",
        "DEMO_UNIT": "serve --demo prints the demo commune's public name",
    },
    "tls": {
        "ensure": "serve: the station's own HTTPS certificate",
        "info": "serve: prints its fingerprint",
        "is_loopback": "serve --http only on a loopback host",
        "code_for_tablet": "serve --demo: the demo code with the certificate's pin",
    },
    "actions": {
        "PERSONAL_ID_FIELD": "a field name",
        "PERSONAL_ID_STATUSES": "when the desk shows the personal-id field",
        "RATINGS": "the survey's answers, as labels",
    },
}


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Station:
    """A real station (keys, schema) in a fresh data folder: the refusals must come
    before anything in it is read or written."""
    return open_station(tmp_path_factory.mktemp("door") / "station")


def _door_functions() -> list[tuple[str, Callable[..., Any]]]:
    return [
        (name, fn)
        for name, fn in inspect.getmembers(door, inspect.isfunction)
        if fn.__module__ == door.__name__ and not name.startswith("_")
    ]


# Door functions that run with no station open (a backup file checked, or restored onto
# a new folder): they take the actor first, then their own arguments.
NO_STATION = {"backup_verify", "restore"}


def _placeholders(fn: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    """Arguments for every required parameter after (actor, station, db): the verb is
    checked before any of them is looked at."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    skip = 1 if fn.__name__ in NO_STATION else 3
    for p in list(inspect.signature(fn).parameters.values())[skip:]:
        if p.default is not inspect.Parameter.empty:
            continue
        if p.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[p.name] = "x"
        else:
            args.append("x")
    return args, kwargs


def _actor(role: Role) -> Staff:
    return Staff(f"test.{role.value}", "Người thử", role, None)


def test_every_door_function_declares_its_verb() -> None:
    found = _door_functions()
    assert len(found) >= 30
    assert {name for name, _ in found} == set(door.CHECKED)
    for name, fn in found:
        params = list(inspect.signature(fn).parameters)
        if name in NO_STATION:
            assert params[:1] == ["actor"] and "db" not in params, name
            continue
        assert params[:3] == ["actor", "station", "db"], name
    # Every verb a person uses at the station is behind some door (receive, supplement and
    # withdraw are the tablet's, reaching the station by sync; the transitions' own
    # verbs are checked inside door.act).
    tablet_side = {Verb.DOSSIER_RECEIVE, Verb.DOSSIER_SUPPLEMENT, Verb.DOSSIER_WITHDRAW}
    inside_act = {TRANSITIONS[a].verb for a in STATION_ACTIONS}
    assert set(door.CHECKED.values()) | tablet_side | inside_act | {
        Verb.REPORT_READ_FREE_TEXT
    } == set(Verb)


@pytest.mark.parametrize("name", sorted(door.CHECKED))
def test_each_door_function_refuses_every_role_without_its_verb(
    name: str, station: Station
) -> None:
    fn = getattr(door, name)
    verb = door.CHECKED[name]
    args, kwargs = _placeholders(fn)
    lacking = [r for r in Role if not can(r, verb)]
    assert lacking, f"{name}: {verb} is everyone's"
    with station.session() as db:
        before = db.conn.total_changes
        for role in lacking:
            with pytest.raises(TaiChoError) as exc:
                if name in NO_STATION:
                    fn(_actor(role), *args, **kwargs)
                else:
                    fn(_actor(role), station, db, *args, **kwargs)
            assert exc.value.code == "ROLE_NOT_ALLOWED", (name, role)
            assert PERMISSIONS[verb].label.vi in exc.value.message("vi"), (name, role)
        assert db.conn.total_changes == before, f"{name} wrote before refusing"


@pytest.mark.parametrize("action", sorted(STATION_ACTIONS))
def test_an_action_also_needs_its_own_verb(action: str, station: Station) -> None:
    """``door.act`` checks ``dossier.read_personal`` and then ``dossier.<action>``, both
    before the dossier is looked up (an unknown id answers 404 only to who may act)."""
    verb = TRANSITIONS[action].verb
    with station.session() as db:
        for role in Role:
            with pytest.raises(TaiChoError) as exc:
                door.act(_actor(role), station, db, "no-such-dossier", action, "Lý do")
            if can(role, Verb.DOSSIER_READ_PERSONAL) and can(role, verb):
                assert exc.value.code == "DOSSIER_NOT_FOUND", (action, role)
            else:
                assert exc.value.code == "ROLE_NOT_ALLOWED", (action, role)


def _service_uses(path: Path) -> set[tuple[str, str]]:
    """(service module, name) pairs a source file takes from sync_server.services."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    used: set[tuple[str, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if not node.module.startswith("sync_server.services"):
                continue
            folder = ROOT.joinpath(*node.module.split("."))
            for a in node.names:
                if (folder / f"{a.name}.py").exists():  # a module: its attributes are used
                    aliases[a.asname or a.name] = a.name
                else:  # a name taken from a module (packages hold none)
                    used.add((node.module.rpartition(".")[2], a.name))
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("sync_server.services") for a in node.names), path
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            used.add((aliases[node.value.id], node.attr))
    # a module imported but only passed around whole would escape the attribute walk
    passed = {
        n.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) and n.id in aliases and isinstance(n.ctx, ast.Load)
    }
    attributed = {
        n.value.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
    }
    assert passed <= attributed, f"{path}: a service module is used whole: {passed - attributed}"
    return used


def test_front_ends_reach_services_only_through_the_door() -> None:
    assert len(FRONT_ENDS) > 15
    seen_door = False
    for path in FRONT_ENDS:
        for module, name in sorted(_service_uses(path)):
            if module == "door":
                seen_door = True
                assert name in door.CHECKED or name == "CHECKED", (path, name)
                continue
            why = BESIDES_THE_DOOR.get(module, {}).get(name)
            assert why, (
                f"{path.relative_to(ROOT)} calls sync_server.services.{module}.{name}: a "
                "person's action goes through sync_server/services/door.py (with its verb)"
            )
    assert seen_door


def test_the_walk_would_see_a_front_end_going_round_the_door(tmp_path: Path) -> None:
    sneaky = tmp_path / "route.py"
    sneaky.write_text(
        "from sync_server.services.office import dossiers as d\n"
        "from sync_server.services.reports.reports import render\n"
        "def f(db, keys, cat):\n"
        "    return d.list_view(db, keys, cat, 'admin', None), render\n",
        encoding="utf-8",
    )
    uses = _service_uses(sneaky)
    assert ("dossiers", "list_view") in uses and ("reports", "render") in uses
    for module, name in uses:
        assert BESIDES_THE_DOOR.get(module, {}).get(name) is None
