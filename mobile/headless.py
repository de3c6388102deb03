"""The tablet's services without UI, for scripts, tests and benchmarks.

``python -m mobile.headless --data DIR [--user U --pin PIN] <command>``; every command
prints one JSON document on stdout. Every failure — a catalogued problem, a wrong
command line, or a bug — exits non-zero with a JSON problem (``code``, ``field``,
``message``) on stdout (and a copy on stderr), never a traceback. A bug is printed as
``INTERNAL`` with an ``error_id``; its traceback goes, under that id, to the rotating log
``logs/headless.log`` in the data folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import secrets
import sys
from pathlib import Path
from typing import Any, NoReturn

from mobile.config import load_config
from mobile.services import verify
from mobile.services.tablet import TabletService
from shared.cccd import scanned_card
from shared.checklist import every_component
from shared.errors import TaiChoError, problem
from shared.generic_procedure import generic_sample
from shared.model import AttachmentRef
from shared.samples import sample_codes, sample_values
from shared.upstream import warnings_to_log
from shared.workdays import vn_now
from storekit import is_disk_full

NEEDS_UNLOCK = {"intake", "supplement", "show", "result", "list", "recover"}
LOG_NAME = "headless.log"
_log = logging.getLogger("mobile.headless")


class _Parser(argparse.ArgumentParser):
    """argparse that raises a catalogued problem instead of printing usage and exiting 2."""

    def error(self, message: str) -> NoReturn:
        raise problem(
            "REQUEST_INVALID", "command", detail=message, detail_vi=f"dòng lệnh sai ({message})"
        )


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m mobile.headless", description=__doc__)
    p.add_argument("--data", type=Path, default=None, help="tablet data folder")
    p.add_argument("--user", help="staff username (unlocks citizen data)")
    p.add_argument("--pin", help="staff PIN")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    e = sub.add_parser("enroll", help="enroll this tablet with a station")
    e.add_argument("url")
    e.add_argument("code")
    e.add_argument("--name", help="device name shown at the station")
    r = sub.add_parser(
        "recover",
        help="a restored or cloned tablet: re-enrol as a new device, send unsent dossiers again",
    )
    r.add_argument("url")
    r.add_argument("code", help="a new enrolment code from the office")
    r.add_argument("--name", help="device name shown at the station")
    s = sub.add_parser("sample", help="print a complete valid example dossier")
    s.add_argument("--procedure", required=True)
    s.add_argument("--seed", type=int, default=0)
    i = sub.add_parser("intake", help="validate, store and queue a received dossier")
    i.add_argument("--procedure", required=True)
    i.add_argument("--json", dest="json_file", type=Path, required=True)
    i.add_argument(
        "--components",
        help="the components handed in, comma-separated ids (default: every component of"
        " the procedure — a script stands for papers checked outside the app)",
    )
    i.add_argument(
        "--photo",
        action="append",
        default=[],
        metavar="COMPONENT=FILE",
        help="a photo of one component's document (repeatable)",
    )
    su = sub.add_parser("supplement", help="re-submit a dossier sent back for a supplement")
    su.add_argument("id")
    su.add_argument("--json", dest="json_file", type=Path, required=True)
    su.add_argument(
        "--components",
        help="the components handed in now, comma-separated ids (default: the ticks of the"
        " dossier as received)",
    )
    su.add_argument(
        "--photo",
        action="append",
        default=[],
        metavar="COMPONENT=FILE",
        help="a new photo of one component's document, added to those already sent"
        " (repeatable; a picture already there for that paper is listed once)",
    )
    sub.add_parser(
        "procedures",
        help="the procedures this tablet holds (code, name, version, has_result_template)",
    )
    sub.add_parser("sync", help="push the outbox and pull the feed")
    sub.add_parser("status", help="sync state (pending changes, last sync)")
    sub.add_parser("list", help="list dossiers on this tablet")
    sub.add_parser(
        "anchors",
        help="the station's audit anchors this tablet holds (JSON list, for audit-verify --anchor)",
    )
    sh = sub.add_parser("show", help="show one dossier by id or code")
    sh.add_argument("id")
    r = sub.add_parser("result", help="write a dossier's result PDF")
    r.add_argument("id")
    r.add_argument("--out", type=Path, required=True)
    v = sub.add_parser("verify", help="check a result PDF's signatures offline (needs pyHanko)")
    v.add_argument("file", type=Path)
    v.add_argument("--ca", type=Path, help="trust anchors (PEM) instead of the pinned ones")
    pc = sub.add_parser("parse-cccd", help="read a CCCD chip-card QR string (or --photo)")
    pc.add_argument(
        "qr", nargs="?", help="the QR text: number|old id|name|ddMMyyyy|sex|address|ddMMyyyy"
    )
    pc.add_argument("--photo", type=Path, help="a photo of the card instead of the text")
    return p


def _read_values(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise problem(
            "REQUEST_INVALID", "json", detail=f"no file {path}", detail_vi=f"không có tệp {path}"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise problem(
            "REQUEST_INVALID", "json", detail=f"bad JSON: {exc}", detail_vi="tệp JSON sai cú pháp"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("values"), dict):
        data = data["values"]
    if not isinstance(data, dict):
        raise problem(
            "REQUEST_INVALID",
            "json",
            detail="a JSON object is needed",
            detail_vi="cần một đối tượng JSON",
        )
    return data


def _read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise problem(
            "REQUEST_INVALID",
            "file",
            detail=f"cannot read {path}",
            detail_vi=f"không đọc được tệp {path}",
        ) from None


def _photos(service: TabletService, specs: list[str]) -> list[AttachmentRef]:
    """``COMPONENT=FILE`` pairs stored as photos (downscaled, encrypted) → references."""
    refs = []
    for spec in specs:
        component, sep, file = spec.partition("=")
        if not sep or not component or not file:
            raise problem(
                "REQUEST_INVALID",
                "photo",
                detail="--photo COMPONENT=FILE",
                detail_vi="--photo cần dạng THÀNH_PHẦN=TỆP",
            )
        refs.append(service.add_attachment(_read_file(Path(file)), None, component))
    return refs


def _parse_cccd(args: argparse.Namespace) -> dict[str, Any]:
    """Needs no enrolment and no unlock: nothing is stored, only parsed and mapped."""
    if args.photo is not None:
        from mobile.services.qr_photo import decode_qr_text

        text = decode_qr_text(_read_file(args.photo))
    elif args.qr:
        text = args.qr
    else:
        raise problem("CCCD_QR_FIELDS", "qr", count=0)
    return scanned_card(text, vn_now().date())


def _components(text: str) -> list[str]:
    """ "a,b" → ["a", "b"] (blanks dropped): the ticks of the completeness checklist."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _procedures(service: TabletService) -> list[dict[str, Any]]:
    """What `procedures` prints: every current procedure the tablet holds."""
    return [
        {
            "code": p.code,
            "name": p.name.vi,
            "version": p.version,
            "has_result_template": p.has_result_template,
            "enabled": p.enabled,
            "checked": p.checked,
        }
        for p in service.ctx.catalogue.all()  # shipped + synced
    ]


def _sample(args: argparse.Namespace) -> dict[str, Any]:
    """A built-in bundle's sample needs no data folder; an imported procedure's (the
    generic tờ khai) is made from the definition this tablet synced."""
    if args.procedure in sample_codes():
        return sample_values(args.procedure, vn_now().date(), args.seed)
    service = TabletService(args.data or load_config().data_dir)
    try:
        return generic_sample(
            service.dossiers.procedure(args.procedure), vn_now().date(), args.seed
        )
    finally:
        service.close()


def run(args: argparse.Namespace) -> Any:
    if args.command == "sample":
        return _sample(args)
    if args.command == "parse-cccd":
        return _parse_cccd(args)
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
                return service.enrolment.enroll(args.url, args.code, args.name)
            case "recover":
                return service.recovery.recover(args.url, args.code, args.name).to_dict()
            case "intake":
                values = _read_values(args.json_file)
                refs = _photos(service, args.photo)
                s = service.intake(
                    args.procedure,
                    values,
                    components_received=_components(args.components)
                    if args.components is not None
                    else every_component(service.dossiers.procedure(args.procedure), values),
                    attachments=refs or None,
                )
                return {
                    "id": s.id,
                    "code": s.code,
                    "status": s.status,
                    "due_at": s.due_at,
                    "attachments": [r.to_dict() for r in refs],
                }
            case "supplement":
                values = _read_values(args.json_file)
                refs = _photos(service, args.photo)
                attachments = None  # no new photo: the dossier keeps the ones it has
                if refs:
                    sent = [
                        AttachmentRef.from_dict(a)
                        for a in service.dossiers.get(args.id)["attachments"]
                    ]
                    both = {(r.sha256, r.component): r for r in [*sent, *refs]}
                    attachments = list(both.values())
                s = service.dossiers.supplement(
                    args.id,
                    values,
                    components_received=_components(args.components)
                    if args.components is not None
                    else None,
                    attachments=attachments,
                )
                return {
                    "id": s.id,
                    "code": s.code,
                    "status": s.status,
                    "version": s.version,
                    "attachments": [r.to_dict() for r in attachments or []],
                }
            case "procedures":
                return _procedures(service)
            case "sync":
                return service.sync().to_dict()
            case "status":
                return service.sync_state().to_dict()
            case "list":
                return [s.to_dict() for s in service.dossiers.list_dossiers()]
            case "anchors":
                return service.audit_anchors()
            case "show":
                return service.dossiers.get(args.id)
            case "verify":
                anchors = service.store.get_meta("station_signing_ca") or []
                return verify.verify_pdf(_read_file(args.file), list(anchors))
            case "result":
                pdf = service.dossiers.result_pdf(args.id)
                args.out.parent.mkdir(parents=True, exist_ok=True)
                args.out.write_bytes(pdf)
                return {"id": args.id, "out": str(args.out), "bytes": len(pdf)}
        raise problem(
            "REQUEST_INVALID",
            "command",
            detail=args.command,
            detail_vi=f"không có lệnh {args.command}",
        )
    finally:
        service.close()


def _emit_problem(body: dict[str, Any]) -> int:
    text = json.dumps(body, ensure_ascii=False)
    print(text)
    print(text, file=sys.stderr)
    return 1


def _log_file(data_dir: Path | None) -> Path | None:
    """Where bugs are written: ``logs/headless.log`` in the data folder, if it can exist."""
    try:
        folder = (data_dir or load_config().data_dir) / "logs"
        folder.mkdir(parents=True, exist_ok=True)
    except (OSError, TaiChoError):
        return None
    return folder / LOG_NAME


def _log_bug(exc: BaseException, data_dir: Path | None) -> str:
    """Write the traceback under a short id the person can quote; returns the id."""
    error_id = secrets.token_hex(4)
    path = _log_file(data_dir)
    handler: logging.Handler = (
        logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        if path is not None
        else logging.NullHandler()
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    _log.addHandler(handler)
    try:
        _log.error("error %s: %s", error_id, type(exc).__name__, exc_info=exc)
    finally:
        _log.removeHandler(handler)
        handler.close()
    return error_id


def main(argv: list[str] | None = None, *, warnings_log: bool = False) -> int:
    """Run one command. ``warnings_log`` (the real command line, not tests, where warnings
    stay errors): library warnings go to ``logs/warnings.log`` beside the bug log."""
    data_dir: Path | None = None
    try:
        args = _parser().parse_args(argv)
        data_dir = args.data
        log = _log_file(data_dir) if warnings_log else None
        if log is not None:
            warnings_to_log(log.with_name("warnings.log"))
        out = run(args)
        text = json.dumps(out, ensure_ascii=False, indent=2)
    except TaiChoError as err:
        return _emit_problem(err.to_problem())
    except SystemExit as exit_:  # --help prints and exits 0; keep that
        return int(exit_.code or 0)
    except Exception as exc:  # the one place a bug becomes a problem, logged with an id
        if is_disk_full(exc):  # a full tablet is not a bug: its own catalogued problem
            return _emit_problem(problem("DEVICE_DISK_FULL").to_problem())
        error_id = _log_bug(exc, data_dir)
        body = problem("INTERNAL", None, error_id=error_id).to_problem()
        body["error_id"] = error_id
        return _emit_problem(body)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(warnings_log=True))
