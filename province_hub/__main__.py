"""``python -m province_hub``: run the provincial hub or administer it.

The hub keeps its data in PostgreSQL (``--dsn``, or ``TAICHO_HUB_DSN``) and its HTTPS
certificate in a small folder (``--data DIR``: ``keys/tls.crt``, ``keys/tls.key``, made on
first start like a station's, and ``logs/``). Whoever runs ``admin`` holds the database's
credentials: the province's administrator. Errors are a JSON problem on stderr and exit
code 1, exactly once, here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

from province_hub import directory
from province_hub.db import connect, migrate
from shared.errors import TaiChoError, problem

DEFAULT_PORT = 8800
DSN_ENV = "TAICHO_HUB_DSN"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m province_hub", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the hub (migrates the database first)")
    serve.add_argument("--dsn", help=f"PostgreSQL DSN or URL (default: ${DSN_ENV})")
    serve.add_argument("--data", required=True, type=Path, metavar="DIR")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default=DEFAULT_PORT, type=int)
    serve.add_argument("--http", action="store_true", help="plain HTTP: loopback only")

    admin = sub.add_parser("admin", help="administer the hub")
    admin.add_argument("--dsn", help=f"PostgreSQL DSN or URL (default: ${DSN_ENV})")
    admin.add_argument("--data", type=Path, metavar="DIR", help="the hub's folder (TLS)")
    cmds = admin.add_subparsers(dest="admin_command", required=True)
    cmds.add_parser("migrate", help="apply the schema migrations (serve does it too)")
    init = cmds.add_parser("init", help="name the province this hub serves")
    init.add_argument("--province", required=True, help='e.g. "Đồng Tháp"')
    code = cmds.add_parser("register-code", help="one-time code for one commune's station")
    code.add_argument("--unit", required=True, help="the station's unit (agency) code")
    code.add_argument("--hours", type=int, default=72, help="valid for (default 72)")
    cmds.add_parser("stations", help="the directory as JSON")
    rev = cmds.add_parser("station-revoke", help="refuse a station from now on")
    rev.add_argument("--unit", required=True)
    reader = cmds.add_parser("reader-add", help="a bearer token to read the summary")
    reader.add_argument("--name", required=True)
    unread = cmds.add_parser("reader-revoke", help="stop every token of a reader at once")
    unread.add_argument("--name", required=True)
    return p


def _dsn(args: argparse.Namespace) -> str:
    dsn = args.dsn or os.environ.get(DSN_ENV)
    if not dsn:
        raise problem(
            "REQUEST_INVALID", "dsn", detail=f"--dsn or ${DSN_ENV}", detail_vi="cần --dsn"
        )
    return str(dsn)


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2))


def _fingerprint(data: Path | None) -> bytes | None:
    """The hub's certificate fingerprint (made now if the folder has none yet)."""
    if data is None:
        return None
    from sync_server.config import Paths
    from sync_server.services.pki import tls

    tls.ensure(Paths(data))
    info = tls.info(Paths(data))
    return None if info is None else info.fingerprint


def _admin(args: argparse.Namespace) -> None:
    cmd = args.admin_command
    with connect(_dsn(args)) as conn:
        if cmd == "migrate":
            _print_json({"applied": migrate(conn)})
            return
        migrate(conn)
        if cmd == "init":
            from sync_server.services.setup.units import find_province

            p = find_province(args.province)
            got = directory.set_province(conn, f"{p.code:02d}", p.full_name)
            _print_json({"province": got.name, "code": got.code})
        elif cmd == "register-code":
            if args.data is None:
                raise problem(
                    "REQUEST_INVALID",
                    "data",
                    detail="--data DIR: the code carries the hub's certificate pin",
                    detail_vi="cần --data THƯ_MỤC: mã mang dấu chứng thư của cổng",
                )
            hours = max(1, min(args.hours, 24 * 30))
            print(
                directory.issue_code(
                    conn, args.unit, _fingerprint(args.data), timedelta(hours=hours)
                )
            )
        elif cmd == "stations":
            _print_json(directory.stations(conn))
        elif cmd == "station-revoke":
            directory.revoke(conn, args.unit.strip().upper())
            _print_json({"revoked": args.unit})
        elif cmd == "reader-add":
            print(directory.add_reader(conn, args.name))
        elif cmd == "reader-revoke":
            _print_json({"revoked_tokens": directory.revoke_reader(conn, args.name)})


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from province_hub.app import create_app
    from sync_server.config import Paths
    from sync_server.services.pki import tls

    paths = Paths(args.data)
    paths.logs.mkdir(parents=True, exist_ok=True)
    if args.http and not tls.is_loopback(args.host):
        raise problem(
            "PLAIN_HTTP_REFUSED",
            "host",
            detail=f"--http with --host {args.host}: serve HTTPS (drop --http)",
            detail_vi=f"--http với --host {args.host}: hãy chạy HTTPS (bỏ --http)",
        )
    app = create_app(_dsn(args), paths.logs)
    host = f"[{args.host}]" if ":" in args.host else args.host
    if args.http:
        print(f"Cổng tỉnh: http://{host}:{args.port}/v1/hub/health", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
        return
    files = tls.ensure(paths, args.host)
    info = tls.info(paths)
    print(f"Cổng tỉnh: https://{host}:{args.port}/v1/hub/health", flush=True)
    if info is not None:
        print(f"HTTPS, chứng thư SHA-256: {info.sha256}", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        ssl_certfile=str(files.cert),
        ssl_keyfile=str(files.key),
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            _serve(args)
        else:
            _admin(args)
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
