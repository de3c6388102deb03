"""``python -m sync_server``: run the station or administer its data dir.

A thin shell over the services: errors become a JSON problem on stderr and exit code 1,
exactly once, here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shared.errors import TaiChoError, problem
from sync_server.config import DEFAULT_HOST, DEFAULT_PORT
from sync_server.services import audit, demo, enrollment, staff
from sync_server.services.station import Station, open_station


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sync_server", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the station (initialises DIR on first start)")
    serve.add_argument("--data", required=True, type=Path, metavar="DIR")
    serve.add_argument("--host", default=DEFAULT_HOST)
    serve.add_argument("--port", default=DEFAULT_PORT, type=int)
    serve.add_argument("--demo", action="store_true", help="seed the demo commune and staff")

    admin = sub.add_parser("admin", help="administer a station data dir")
    admin.add_argument("--data", required=True, type=Path, metavar="DIR")
    cmds = admin.add_subparsers(dest="admin_command", required=True)
    add = cmds.add_parser("staff-add", help="add a staff member")
    add.add_argument("--username", required=True)
    add.add_argument(
        "--role", required=True, choices=["intake", "appraiser", "leader", "clerk", "admin"]
    )
    add.add_argument("--pin", required=True)
    add.add_argument("--full-name")
    add.add_argument("--title")
    cmds.add_parser("staff-list", help="list staff as JSON")
    cmds.add_parser("enroll-code", help="create a one-time tablet enrollment code (24 h)")
    cmds.add_parser("device-list", help="list enrolled tablets as JSON")
    revoke = cmds.add_parser("device-revoke", help="revoke a tablet (it wipes on next contact)")
    revoke.add_argument("--device", required=True)
    cmds.add_parser("audit-verify", help="check the hash-chained audit log end to end")
    return p


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _admin(station: Station, args: argparse.Namespace) -> None:
    with station.session() as db:
        cmd = args.admin_command
        if cmd == "staff-add":
            s = staff.add_staff(
                db,
                username=args.username,
                role=args.role,
                pin=args.pin,
                full_name=args.full_name,
                title=args.title,
            )
            _print_json(s.to_dict())
        elif cmd == "staff-list":
            _print_json(staff.list_staff(db))
        elif cmd == "enroll-code":
            print(enrollment.new_enroll_code(db))
            print("Mã dùng một lần, hết hạn sau 24 giờ.", file=sys.stderr)
        elif cmd == "device-list":
            _print_json(enrollment.list_devices(db))
        elif cmd == "device-revoke":
            enrollment.revoke_device(db, station.keys, args.device)
            _print_json({"device_id": args.device, "revoked": True})
        elif cmd == "audit-verify":
            bad = audit.verify_audit_chain(db)
            if bad is not None:
                raise problem("AUDIT_CHAIN_BROKEN", None, seq=bad)
            _print_json({"audit": "intact", **audit.chain_head(db)})


def _serve(station: Station, args: argparse.Namespace) -> None:
    import uvicorn

    from sync_server.app import create_app

    if args.demo:
        with station.session() as db:
            people = demo.seed(db)
            code = enrollment.new_enroll_code(db)
        print("Đơn vị mẫu: UBND xã Định Yên, tỉnh Đồng Tháp (000.31.22.H20)")
        print("Tài khoản mẫu (tên đăng nhập / PIN):")
        for s in people:
            print(f"  {s.username:<9} / {s.pin}  {s.role:<9} {s.full_name}")
        print(f"Mã đăng ký máy tính bảng: {code}")
    base = f"http://{args.host}:{args.port}"
    print(f"Bàn làm việc: {base}/desk   API: {base}/v1   Tài liệu API: {base}/docs", flush=True)
    uvicorn.run(create_app(args.data, desk=True), host=args.host, port=args.port, log_level="info")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
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
    sys.exit(main())
