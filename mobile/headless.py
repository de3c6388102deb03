"""The tablet's services without UI, for scripts, tests and benchmarks.

``python -m mobile.headless --data DIR [--user U --pin PIN] <command>``; every command
prints one JSON document on stdout. Errors exit non-zero with a JSON problem
(``code``, ``field``, ``message``) on stdout (and a copy on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mobile.config import load_config
from mobile.services import verify
from mobile.services.tablet import TabletService
from shared.errors import TaiChoError, problem
from shared.samples import sample_values
from shared.workdays import vn_now

NEEDS_UNLOCK = {"intake", "supplement", "show", "result", "list"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mobile.headless", description=__doc__)
    p.add_argument("--data", type=Path, default=None, help="tablet data folder")
    p.add_argument("--user", help="staff username (unlocks citizen data)")
    p.add_argument("--pin", help="staff PIN")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("enroll", help="enroll this tablet with a station")
    e.add_argument("url")
    e.add_argument("code")
    e.add_argument("--name", help="device name shown at the station")
    s = sub.add_parser("sample", help="print a complete valid example dossier")
    s.add_argument("--procedure", required=True)
    s.add_argument("--seed", type=int, default=0)
    i = sub.add_parser("intake", help="validate, store and queue a received dossier")
    i.add_argument("--procedure", required=True)
    i.add_argument("--json", dest="json_file", type=Path, required=True)
    su = sub.add_parser("supplement", help="re-submit a dossier sent back for a supplement")
    su.add_argument("id")
    su.add_argument("--json", dest="json_file", type=Path, required=True)
    sub.add_parser("sync", help="push the outbox and pull the feed")
    sub.add_parser("status", help="sync state (pending changes, last sync)")
    sub.add_parser("list", help="list dossiers on this tablet")
    sh = sub.add_parser("show", help="show one dossier by id or code")
    sh.add_argument("id")
    r = sub.add_parser("result", help="write a dossier's result PDF")
    r.add_argument("id")
    r.add_argument("--out", type=Path, required=True)
    v = sub.add_parser("verify", help="check a result PDF's signatures offline (needs pyHanko)")
    v.add_argument("file", type=Path)
    v.add_argument("--ca", type=Path, help="trust anchors (PEM) instead of the pinned ones")
    return p


def _read_values(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise problem("REQUEST_INVALID", "json", detail=f"không có tệp {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise problem("REQUEST_INVALID", "json", detail=f"JSON sai: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("values"), dict):
        data = data["values"]
    if not isinstance(data, dict):
        raise problem("REQUEST_INVALID", "json", detail="cần một đối tượng JSON")
    return data


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise problem("REQUEST_INVALID", "file", detail=f"không đọc được tệp {path}") from None


def run(args: argparse.Namespace) -> Any:
    if args.command == "sample":
        return sample_values(args.procedure, vn_now().date(), args.seed)
    if args.command == "verify" and args.ca is not None:
        return verify.verify_pdf(_read_file(args.file), [_read_file(args.ca).decode("ascii")])
    data_dir = args.data or load_config().data_dir
    service = TabletService(data_dir)
    try:
        if args.command in NEEDS_UNLOCK:
            if not args.user or not args.pin:
                raise problem("LOCKED", "pin")
            service.unlock(args.user, args.pin)
        elif args.command == "sync" and args.user and args.pin:
            service.unlock(args.user, args.pin)
        match args.command:
            case "enroll":
                return service.enroll(args.url, args.code, args.name)
            case "intake":
                s = service.intake(args.procedure, _read_values(args.json_file))
                return {"id": s.id, "code": s.code, "status": s.status, "due_at": s.due_at}
            case "supplement":
                s = service.supplement(args.id, _read_values(args.json_file))
                return {"id": s.id, "code": s.code, "status": s.status, "version": s.version}
            case "sync":
                return service.sync().to_dict()
            case "status":
                return service.sync_state().to_dict()
            case "list":
                return [s.to_dict() for s in service.list_dossiers()]
            case "show":
                return service.get(args.id)
            case "verify":
                anchors = service.store.get_meta("station_signing_ca") or []
                return verify.verify_pdf(_read_file(args.file), list(anchors))
            case "result":
                pdf = service.result_pdf(args.id)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_bytes(pdf)
                return {"id": args.id, "out": str(args.out), "bytes": len(pdf)}
        raise problem("REQUEST_INVALID", "command", detail=args.command)
    finally:
        service.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        out = run(args)
    except TaiChoError as err:
        text = json.dumps(err.to_problem(), ensure_ascii=False)
        print(text)
        print(text, file=sys.stderr)
        return 1
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
