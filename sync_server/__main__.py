"""``python -m sync_server``: run the station or administer its data dir.

A thin shell over the services: errors become a JSON problem on stderr and exit code 1,
exactly once, here.

Who runs ``admin``: whoever has the data folder — the office's administrator at the
station's machine. Every ``admin`` command acts as :data:`CLI_ACTOR`, the administrator
role, through the same checked services as the desk and the HTTP API
(``sync_server.services.door``): it manages staff, tablets, the unit, the calendar, the
certificates and the station, and its report leaves out the reasons and citizens'
comments. No command reads a citizen's dossier.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from shared.catalogue_import import ProcedureSettings
from shared.errors import Code, TaiChoError, problem
from shared.upstream import warnings_to_log
from shared.views import ReportView
from shared.workflow import Role
from sync_server.config import DEFAULT_HOST, DEFAULT_PORT, limits
from sync_server.services import door
from sync_server.services.admin import demo
from sync_server.services.core.station import Station
from sync_server.services.opening import open_station
from sync_server.services.pki import tls
from sync_server.services.setup.staff import Staff
from sync_server.services.sync import enrollment

# The command line acts as the administrator (module docstring). Its name cannot be a
# staff username ("@" is not allowed in one), so the audit log tells the two apart.
CLI_ACTOR = Staff("admin@cli", "Quản trị (dòng lệnh trên máy chủ)", Role.ADMIN, None)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sync_server", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the station (initialises DIR on first start)")
    serve.add_argument("--data", required=True, type=Path, metavar="DIR")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", default=DEFAULT_PORT, type=int)
    serve.add_argument("--demo", action="store_true", help="seed the demo commune and staff")
    serve.add_argument(
        "--http",
        action="store_true",
        help="plain HTTP instead of HTTPS: development on a loopback host (127.0.0.1) only",
    )
    _backup_schedule_args(serve)
    serve.add_argument(
        "--hub-every",
        type=int,
        default=60,
        metavar="MINUTES",
        help="registered with a provincial hub: send the day figures this often (0: never)",
    )
    serve.add_argument(
        "--relay-every",
        type=int,
        default=30,
        metavar="SECONDS",
        help="registered with a provincial hub: relay dossiers between communes this often "
        "(0: never)",
    )

    admin = sub.add_parser("admin", help="administer a station data dir")
    admin.add_argument("--data", type=Path, metavar="DIR", help="the station's data dir")
    cmds = admin.add_subparsers(dest="admin_command", required=True)
    _backup_parsers(cmds)
    add = cmds.add_parser("staff-add", help="add a staff member")
    add.add_argument("--username", required=True)
    add.add_argument(
        "--role", required=True, choices=["intake", "appraiser", "leader", "clerk", "admin"]
    )
    add.add_argument("--pin", required=True)
    add.add_argument("--full-name")
    add.add_argument("--title")
    cmds.add_parser("staff-list", help="list staff as JSON")
    unlock = cmds.add_parser("staff-unlock", help="lift a PIN lockout of a staff member")
    unlock.add_argument("--username", required=True)
    cmds.add_parser("enroll-code", help="create a one-time tablet enrollment code (15 min)")
    cmds.add_parser("device-list", help="list enrolled tablets as JSON")
    revoke = cmds.add_parser("device-revoke", help="revoke a tablet (it wipes on next contact)")
    revoke.add_argument("--device", required=True)
    verify = cmds.add_parser(
        "audit-verify",
        help="check the audit chain, its signed anchors and each dossier's status",
    )
    verify.add_argument(
        "--anchor",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a checkpoint printed earlier by audit-anchor (JSON); may be repeated",
    )
    cmds.add_parser("audit-anchor", help="sign, store and print a checkpoint of the audit head")
    unit_set = cmds.add_parser(
        "unit-set", help="set the commune this station serves (official 2025 list of units)"
    )
    unit_set.add_argument("--province", required=True, help='e.g. "Đồng Tháp"')
    unit_set.add_argument("--commune", required=True, help='e.g. "Xã Lai Vung"')
    unit_set.add_argument(
        "--agency-code", help="national agency code for dossier codes (default: derived)"
    )
    unit_set.add_argument("--former-name", help='e.g. "Xã Định Yên, Huyện Lấp Vò, Tỉnh Đồng Tháp"')
    unit_set.add_argument(
        "--public-url",
        help="the https address citizens' phones open to verify a result (its QR code); "
        "also: admin public-url URL",
    )
    cmds.add_parser("unit-show", help="print the unit this station serves as JSON")
    fee_set = cmds.add_parser(
        "fee-set", help="the fee the province's resolution sets for a procedure (đồng)"
    )
    fee_set.add_argument("--procedure", required=True, help="e.g. 1.004873")
    fee_set.add_argument("--vnd", required=True, type=int, help="e.g. 10000")
    ci_imp = cmds.add_parser(
        "catalogue-import",
        help="import procedures from a national-database file (JSON or CSV, docs/catalogue.md)",
    )
    ci_imp.add_argument("file", type=Path, help="e.g. data/catalogue/commune-procedures.json")
    cmds.add_parser("catalogue-list", help="print every procedure of the catalogue as JSON")
    ci_set = cmds.add_parser(
        "catalogue-set", help="switch an imported procedure on/off; the province's limit and fee"
    )
    ci_set.add_argument("--procedure", required=True, help="e.g. 1.001022")
    on_off = ci_set.add_mutually_exclusive_group()
    on_off.add_argument("--enable", dest="enabled", action="store_const", const=True)
    on_off.add_argument("--disable", dest="enabled", action="store_const", const=False)
    ci_set.add_argument("--time-limit", type=int, help="the province's working days")
    ci_set.add_argument("--fee-vnd", type=int, help="the province's fee in đồng")
    ci_set.add_argument("--decision", help='e.g. "Quyết định 123/QĐ-UBND ngày 01/08/2025"')
    cal_set = cmds.add_parser("calendar-set", help="local days off / make-up working days")
    cal_set.add_argument("--off", action="append", default=[], metavar="YYYY-MM-DD")
    cal_set.add_argument("--work", action="append", default=[], metavar="YYYY-MM-DD")
    cal_set.add_argument(
        "--clear", action="append", default=[], metavar="YYYY-MM-DD", help="back to national"
    )
    cal_set.add_argument("--note", help="e.g. the government decision")
    cmds.add_parser("calendar-list", help="print the local calendar overrides as JSON")
    ci = cmds.add_parser("cert-import", help="sign as commune/USERNAME with a real certificate")
    ci.add_argument("--for", dest="holder", required=True, metavar="commune|USERNAME")
    ci.add_argument("--p12", type=Path, help="PKCS#12 file (key + certificate + chain)")
    ci.add_argument("--password", help="PKCS#12 password, or the token's user PIN")
    ci.add_argument("--pkcs11-module", help="PKCS#11 library of a USB token")
    ci.add_argument("--pkcs11-label", help="label of the key and certificate on the token")
    ci.add_argument("--pkcs11-token", help="token label (default: the only token)")
    ce = cmds.add_parser("cert-export", help="write the signing trust anchor(s) as PEM")
    ce.add_argument("--out", required=True, type=Path)
    cmds.add_parser("cert-list", help="list the signing certificates as JSON")
    ti = cmds.add_parser(
        "tls-import",
        help="serve HTTPS with this certificate instead of the station's own (re-enrol tablets)",
    )
    ti.add_argument("--cert", required=True, type=Path, help="PEM: the certificate, then its chain")
    ti.add_argument("--key", required=True, type=Path, help="PEM: its private key (EC or RSA)")
    ti.add_argument("--password", help="password of the key file, if it has one")
    cmds.add_parser("tls-show", help="the HTTPS certificate: SHA-256 fingerprint, names, expiry")
    pu = cmds.add_parser("public-url", help="the station address printed in QR verify links")
    pu.add_argument("url")
    _report_parser(cmds)
    _hub_parsers(cmds)
    return p


def _backup_schedule_args(serve: argparse.ArgumentParser) -> None:
    g = serve.add_argument_group("scheduled backups (docs/operations.md)")
    g.add_argument("--backup-dir", type=Path, metavar="DIR", help="e.g. a second disk or USB")
    g.add_argument("--backup-keep", type=int, default=14, metavar="N", help="backups kept")
    g.add_argument("--backup-hour", type=int, default=12, metavar="H", help="daily, at H:00")
    g.add_argument("--backup-passphrase-file", type=Path, metavar="F")


def _backup_parsers(cmds: Any) -> None:
    bk = cmds.add_parser("backup", help="encrypted backup of the whole station, while it serves")
    bk.add_argument("--out", required=True, type=Path, metavar="FILE")
    bk.add_argument("--passphrase-file", type=Path, metavar="F", help="'-': standard input")
    bk.add_argument("--nice", type=int, default=10, help="lower priority (0: none)")
    bv = cmds.add_parser("backup-verify", help="check a backup file without restoring it")
    bv.add_argument("file", type=Path, metavar="FILE")
    bv.add_argument("--passphrase-file", type=Path, metavar="F", help="'-': standard input")
    rs = cmds.add_parser("restore", help="restore a backup onto a new, empty data dir")
    rs.add_argument("--from", dest="source", required=True, type=Path, metavar="FILE")
    rs.add_argument("--data", dest="restore_data", type=Path, metavar="DIR")
    rs.add_argument("--passphrase-file", type=Path, metavar="F", help="'-': standard input")
    cmds.add_parser("backup-status", help="the last backup, the schedule, a missed backup")
    cmds.add_parser("redo-list", help="after a restore: dossiers to redo at the desk (JSON)")


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    """From ``--passphrase-file`` (``-``: standard input; one trailing newline dropped), or
    typed twice (a new backup) or once at the terminal."""
    path = args.passphrase_file
    if path is not None:
        try:
            text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise problem(
                "REQUEST_INVALID",
                "passphrase",
                detail=f"cannot read {path}",
                detail_vi=f"không đọc được {path}",
            ) from None
        return text[:-1] if text.endswith("\n") else text
    if not sys.stdin.isatty():
        raise problem(
            "REQUEST_INVALID",
            "passphrase",
            detail="--passphrase-file F, or run at a terminal",
            detail_vi="--passphrase-file F, hoặc chạy ở cửa sổ lệnh",
        )
    import getpass

    first = getpass.getpass("Mật khẩu sao lưu / backup passphrase: ")
    if confirm and getpass.getpass("Nhập lại / again: ") != first:
        raise problem("BACKUP_PASSPHRASE_MISMATCH", "passphrase")
    return first


def _backup_command(args: argparse.Namespace) -> bool:
    """The backup commands that open no data dir (verify) or a new one (restore)."""
    if args.admin_command == "backup-verify":
        manifest = door.backup_verify(CLI_ACTOR, args.file, _passphrase(args, confirm=False))
        _print_json({"backup": "intact", **manifest.to_json()})
        return True
    if args.admin_command == "restore":
        target = args.restore_data or args.data
        if target is None:
            raise problem(
                "REQUEST_INVALID", "data", detail="--data DIR", detail_vi="cần --data THƯ_MỤC"
            )
        _print_json(door.restore(CLI_ACTOR, args.source, _passphrase(args, confirm=False), target))
        return True
    return False


def _backup_admin(station: Station, db: Database, args: argparse.Namespace) -> None:
    import os

    from shared.backup import BackupKey

    cmd = args.admin_command
    if cmd == "backup":
        key = BackupKey.new(_passphrase(args, confirm=True))
        if args.nice > 0:
            os.nice(args.nice)  # a backup while the station serves yields the CPU to it
        _print_json(door.backup_make(CLI_ACTOR, station, db, args.out, key).to_dict())
    elif cmd == "backup-status":
        _print_json(door.backup_status(CLI_ACTOR, station, db))
    elif cmd == "redo-list":
        _print_json(door.restore_status(CLI_ACTOR, station, db))


def _read_anchor(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise problem(
            "REQUEST_INVALID",
            "anchor",
            detail=f"cannot read anchor {path}",
            detail_vi=f"không đọc được tệp mốc {path}",
        ) from None


def _read_input(path: Path, name: str, code: Code = "TLS_CERT_INVALID") -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise problem(
            code,
            name,
            detail=f"cannot read {path}",
            detail_vi=f"không đọc được tệp {path}",
        ) from None


def _report_parser(cmds: Any) -> None:
    rep = cmds.add_parser("report", help="export the report of a period (json, csv or pdf)")
    rep.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--procedure", help="only this procedure code")
    rep.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
    rep.add_argument("--out", type=Path, help="write here instead of stdout")


def _report(station: Station, db: Any, args: argparse.Namespace) -> None:
    out = door.report(CLI_ACTOR, station, db, args.start, args.end, args.procedure, args.format)
    data = (
        json.dumps(out.to_dict(), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        if isinstance(out, ReportView)
        else out
    )
    if args.out is None:
        sys.stdout.buffer.write(data)
    else:
        args.out.write_bytes(data)
        print(f"{args.out} ({len(data)} bytes)", file=sys.stderr)


def _hub_parsers(cmds: Any) -> None:
    reg = cmds.add_parser("hub-register", help="join the provincial hub with its one-time code")
    reg.add_argument("--hub", required=True, metavar="URL", help="the hub's https:// address")
    reg.add_argument("--code", required=True, help="the code the hub's administrator issued")
    reg.add_argument("--url", help="this station's public https:// address (default: public-url)")
    cmds.add_parser("hub-status", help="the hub this station is registered with (JSON)")
    send = cmds.add_parser("hub-send", help="send the day figures of a period to the hub")
    send.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
    send.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
    look = cmds.add_parser("hub-lookup", help="another station's entry in the hub's directory")
    look.add_argument("--unit", required=True)
    cmds.add_parser("hub-relay", help="send and take the dossiers relayed between communes")
    cmds.add_parser("hub-relay-status", help="the dossiers travelling through the hub (JSON)")
    communes = cmds.add_parser(
        "hub-communes", help="the communes of the province this station relays to (JSON)"
    )
    communes.add_argument("--refresh", action="store_true", help="ask the hub for the list first")


def _hub(station: Station, db: Any, args: argparse.Namespace) -> bool:
    """The ``hub-*`` commands (docs/province.md); False for any other command."""
    cmd = args.admin_command
    if cmd == "hub-register":
        _print_json(door.hub_register(CLI_ACTOR, station, db, args.hub, args.code, args.url))
    elif cmd == "hub-status":
        _print_json(door.hub_status(CLI_ACTOR, station, db))
    elif cmd == "hub-send":
        _print_json(door.hub_send(CLI_ACTOR, station, db, args.start, args.end))
    elif cmd == "hub-lookup":
        _print_json(door.hub_lookup(CLI_ACTOR, station, db, args.unit))
    elif cmd == "hub-relay":
        _print_json(door.hub_relay(CLI_ACTOR, station, db))
    elif cmd == "hub-relay-status":
        _print_json(door.hub_relay_status(CLI_ACTOR, station, db))
    elif cmd == "hub-communes":
        _print_json(door.hub_communes(CLI_ACTOR, station, db, args.refresh))
    else:
        return False
    return True


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _admin(station: Station, args: argparse.Namespace) -> None:
    me = CLI_ACTOR
    with station.session() as db:
        cmd = args.admin_command
        if cmd == "staff-add":
            s = door.staff_add(
                me,
                station,
                db,
                username=args.username,
                role=args.role,
                pin=args.pin,
                full_name=args.full_name,
                title=args.title,
            )
            _print_json(s.to_dict())
        elif cmd == "staff-list":
            _print_json(door.staff_list(me, station, db))
        elif cmd == "staff-unlock":
            door.staff_unlock(me, station, db, args.username)
            _print_json({"username": args.username, "unlocked": True})
        elif cmd == "enroll-code":
            print(door.enroll_code(me, station, db))
            minutes = limits().enroll_code_ttl_minutes
            print(
                f"Mã dùng một lần, hết hạn sau {minutes} phút. Ba nhóm đầu là mã bí mật; "
                "năm nhóm sau để máy tính bảng nhận đúng chứng thư HTTPS của máy chủ.",
                file=sys.stderr,
            )
        elif cmd == "tls-import":
            installed = door.tls_import(
                me,
                station,
                db,
                _read_input(args.cert, "cert"),
                _read_input(args.key, "key"),
                args.password,
            )
            _print_json(installed.to_dict())
            print(
                "Khởi động lại máy chủ để dùng chứng thư mới; các máy tính bảng đã đăng ký "
                "phải đăng ký lại (chúng ghim chứng thư cũ).",
                file=sys.stderr,
            )
        elif cmd == "tls-show":
            cert = door.tls_show(me, station, db)
            _print_json(cert.to_dict() if cert else {})
        elif cmd == "device-list":
            _print_json(door.devices(me, station, db))
        elif cmd == "device-revoke":
            door.device_revoke(me, station, db, args.device)
            _print_json({"device_id": args.device, "revoked": True})
        elif cmd == "unit-set":
            unit = door.unit_set_from_names(
                me,
                station,
                db,
                args.province,
                args.commune,
                args.agency_code,
                args.former_name,
                args.public_url,
            )
            _print_json({**unit.to_dict(), **door.public_url_show(me, station, db)})
        elif cmd == "unit-show":
            shown = door.unit_record(me, station, db)
            if shown is None:
                raise problem("UNIT_NOT_CONFIGURED")
            _print_json({**shown.to_dict(), **door.public_url_show(me, station, db)})
        elif cmd == "catalogue-import":
            data = _read_input(args.file, "file", "REQUEST_INVALID")
            _print_json(door.catalogue_import(me, station, db, data, args.file.name))
        elif cmd == "catalogue-list":
            _print_json(door.catalogue_list(me, station, db))
        elif cmd == "catalogue-set":
            _print_json(
                door.catalogue_set(
                    me,
                    station,
                    db,
                    args.procedure,
                    ProcedureSettings(
                        enabled=args.enabled,
                        time_limit_working_days=args.time_limit,
                        fee_vnd=args.fee_vnd,
                        decision=args.decision,
                    ),
                )
            )
        elif cmd == "fee-set":
            _print_json(door.set_province_fee(me, station, db, args.procedure, args.vnd))
        elif cmd == "calendar-set":
            door.calendar_set(
                me, station, db, off=args.off, work=args.work, clear=args.clear, note=args.note
            )
            _print_json(door.calendar_list(me, station, db))
        elif cmd == "calendar-list":
            _print_json(door.calendar_list(me, station, db))
        elif cmd == "audit-verify":
            # each file: one anchor, or a list of them (`mobile.headless anchors` prints one)
            extra = [
                a
                for path in args.anchor
                for a in (lambda x: x if isinstance(x, list) else [x])(_read_anchor(path))
            ]
            _print_json({"audit": "intact", **door.audit_verify(me, station, db, extra)})
        elif cmd == "audit-anchor":
            _print_json(door.audit_anchor(me, station, db))
        elif cmd == "cert-import":
            _print_json(_cert_import(station, db, args))
        elif cmd == "cert-export":
            pem, anchors = door.cert_export(me, station, db)
            args.out.write_text(pem, encoding="ascii")
            _print_json({"out": str(args.out), "anchors": anchors})
        elif cmd == "cert-list":
            _print_json(door.cert_list(me, station, db))
        elif cmd == "public-url":
            _print_json(door.public_url_set(me, station, db, args.url))
        elif cmd == "report":
            _report(station, db, args)
        elif not _hub(station, db, args):
            _backup_admin(station, db, args)


def _cert_import(station: Station, db: Database, args: argparse.Namespace) -> dict[str, object]:
    return door.cert_import(
        CLI_ACTOR,
        station,
        db,
        args.holder,
        p12=None if args.p12 is None else _read_input(args.p12, "p12", "CERT_IMPORT_FAILED"),
        password=args.password,
        pkcs11_module=args.pkcs11_module,
        pkcs11_label=args.pkcs11_label,
        pkcs11_token=args.pkcs11_token,
    )


def _serve(station: Station, args: argparse.Namespace) -> None:
    """HTTPS with the station's certificate; ``--http`` only on a loopback host."""
    if args.http and not tls.is_loopback(args.host):
        raise problem(
            "PLAIN_HTTP_REFUSED",
            "host",
            detail=f"--http with --host {args.host}: serve HTTPS (drop --http)",
            detail_vi=f"--http với --host {args.host}: hãy chạy HTTPS (bỏ --http)",
        )
    files = None if args.http else tls.ensure(station.paths, args.host)
    schedule = _backup_schedule(station, args)
    sender = _hub_sender(station, args)
    relayer = _hub_relayer(station, args)
    try:
        _run_uvicorn(station, args, files)
    finally:
        if relayer is not None:
            relayer.stop()
        if sender is not None:
            sender.stop()
        if schedule is not None:
            print("Sao lưu khi tắt máy chủ…", file=sys.stderr, flush=True)
            schedule.stop(final=True)


def _hub_sender(station: Station, args: argparse.Namespace) -> Any:
    """A station registered with a hub (now or later) sends its day figures on its own
    (services/province/sender.py); ``--hub-every 0`` turns that off."""
    from sync_server.services.province.sender import HubSender

    if args.hub_every == 0:
        return None
    try:
        sender = HubSender(station, args.hub_every)
    except ValueError as err:
        raise problem(
            "REQUEST_INVALID", "hub_every", detail=str(err), detail_vi="--hub-every 0…1440 phút"
        ) from None
    sender.start()  # a station registered later is picked up at the next run
    with station.session() as db:
        if door.hub_status(CLI_ACTOR, station, db) is not None:
            print(f"Gửi số liệu tổng hợp lên cổng tỉnh mỗi {args.hub_every} phút.", flush=True)
    return sender


def _hub_relayer(station: Station, args: argparse.Namespace) -> Any:
    """Cross-commune intake: a station registered with a hub (now or later) relays the
    dossiers it received for other communes, and takes theirs, every ``--relay-every``
    seconds (services/province/relay.py); ``0`` turns that off (``admin hub-relay``)."""
    from sync_server.services.province.sender import HubRelayer

    if args.relay_every == 0:
        return None

    def relay_once() -> object:
        with station.session() as db:
            return door.hub_relay(CLI_ACTOR, station, db)

    try:
        relayer = HubRelayer(relay_once, args.relay_every)
    except ValueError as err:
        raise problem(
            "REQUEST_INVALID", "relay_every", detail=str(err), detail_vi="--relay-every 0…3600 giây"
        ) from None
    relayer.start()
    return relayer


def _backup_schedule(station: Station, args: argparse.Namespace) -> Any:
    """``--backup-dir``: daily backups and one at shutdown (services/admin/backup_schedule.py)."""
    if args.backup_dir is None:
        return None
    from sync_server.services.admin.backup_schedule import BackupSchedule

    if args.backup_passphrase_file is None:
        raise problem(
            "REQUEST_INVALID",
            "backup_passphrase_file",
            detail="--backup-dir needs --backup-passphrase-file F",
            detail_vi="--backup-dir cần --backup-passphrase-file F",
        )
    args.passphrase_file = args.backup_passphrase_file
    try:
        schedule = BackupSchedule(
            station,
            args.backup_dir,
            args.backup_keep,
            args.backup_hour,
            _passphrase(args, confirm=False),
        )
    except ValueError as err:
        raise problem(
            "REQUEST_INVALID", "backup_keep", detail=str(err), detail_vi="số bản sao lưu giữ lại"
        ) from None
    schedule.start()
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again: handled as an
    # exit (not the default instant death), the shutdown backup in ``_serve`` still runs.
    signal.signal(signal.SIGTERM, _exit_on_term)
    print(
        f"Sao lưu tự động: {args.backup_dir}, mỗi ngày lúc {args.backup_hour}:00 và khi tắt, "
        f"giữ {args.backup_keep} bản.",
        flush=True,
    )
    return schedule


def _reachable(base: str, host: str) -> str:
    """``base`` with a listen-on-every-address host (0.0.0.0, ::) replaced by this
    machine's address on its network, which a phone beside it can open."""
    import ipaddress
    import socket

    try:
        if not ipaddress.ip_address(host.strip("[]")).is_unspecified:
            return base
    except ValueError:
        return base
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            mine = str(s.getsockname()[0])
    except OSError:
        return base
    return base.replace(f"//{host}:", f"//{mine}:", 1)


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _run_uvicorn(station: Station, args: argparse.Namespace, files: Any) -> None:
    import uvicorn

    from sync_server.app import create_app

    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"{'http' if files is None else 'https'}://{host}:{args.port}"
    if args.demo:
        with station.session() as db:
            # The demo's verify QR opens this station (a real one sets its public address).
            people = demo.seed(db, station.keys, public_url=_reachable(base, args.host))
            code = enrollment.new_enroll_code(db)
        if files is not None:
            code = tls.code_for_tablet(station.paths, code)
        u = demo.DEMO_UNIT
        print(f"Đơn vị mẫu: {u['name']}, {u['province']} ({u['code']})")
        print(f"  Tên cũ: {u['former_name']}")
        print("  Lịch 2026: nghỉ 02/01, làm bù thứ Bảy 10/01")
        print("Tài khoản mẫu (tên đăng nhập / PIN):")
        for s in people:
            print(f"  {s.username:<9} / {s.pin}  {s.role:<9} {s.full_name}")
        print(f"Mã đăng ký máy tính bảng: {code}")
        print(f"Mã QR trên kết quả mở: {_reachable(base, args.host)}/verify/…")
    print(f"Bàn làm việc: {base}/desk   API: {base}/v1   Tài liệu API: {base}/docs", flush=True)
    if files is None:
        print(
            "Cảnh báo: HTTP không mã hoá, chỉ để thử trên máy này (127.0.0.1).",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.run(
            create_app(args.data, desk=True), host=args.host, port=args.port, log_level="info"
        )
        return
    cert = tls.info(station.paths)
    if cert is not None:
        print(f"HTTPS, chứng thư SHA-256: {cert.sha256}", flush=True)
        if cert.self_signed:
            print(
                '  Chứng thư tự ký của máy chủ: trình duyệt sẽ cảnh báo "kết nối không riêng tư" '
                "lần đầu; so vân tay SHA-256 ở trên rồi chọn tiếp tục. Máy tính bảng ghim "
                "chứng thư này qua mã đăng ký.",
                flush=True,
            )
    uvicorn.run(
        create_app(args.data, desk=True),
        host=args.host,
        port=args.port,
        log_level="info",
        ssl_certfile=str(files.cert),
        ssl_keyfile=str(files.key),
    )


def main(argv: list[str] | None = None, *, warnings_log: bool = False) -> int:
    """Run one command. ``warnings_log`` (the real command line, not tests, where warnings
    stay errors): library warnings go to ``logs/warnings.log`` in the data folder."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "admin" and _backup_command(args):
            return 0  # verify opens no data dir; restore writes only a whole, checked one
        if args.data is None:
            raise problem(
                "REQUEST_INVALID", "data", detail="--data DIR", detail_vi="cần --data THƯ_MỤC"
            )
        if warnings_log:
            logs = Path(args.data) / "logs"
            logs.mkdir(parents=True, exist_ok=True)
            warnings_to_log(logs / "warnings.log")
        station = open_station(args.data)
        if args.command == "serve":
            _serve(station, args)
        else:
            _admin(station, args)
    except TaiChoError as err:
        print(json.dumps(err.to_problem(), ensure_ascii=False), file=sys.stderr)
        return 1
    except OSError as err:
        err_json = problem("INTERNAL").to_problem() | {"detail": str(err)}
        print(json.dumps(err_json, ensure_ascii=False), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(warnings_log=True))
