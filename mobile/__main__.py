"""``python -m mobile [--web] [--port P] [--host H] [--data DIR]``: run the tablet app.

With ``--web`` the app is served to a browser (Flet's bundled web client, no CDN) and
the URL is printed; without it Flet's native client is used (desktop or device).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mobile.config import load_config


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m mobile", description=__doc__)
    p.add_argument("--web", action="store_true", help="serve as a web app")
    p.add_argument("--port", type=int, default=8550, help="web port (default 8550)")
    p.add_argument("--host", default="127.0.0.1", help="web host (default 127.0.0.1)")
    p.add_argument("--data", type=Path, default=None, help="tablet data folder")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = load_config()
    data_dir = args.data or config.data_dir
    if args.web:
        # Must be set before flet starts: never try to open a browser, never use a CDN.
        os.environ["FLET_FORCE_WEB_SERVER"] = "1"
        os.environ.setdefault("FLET_WEB_NO_CDN", "1")
    import flet as ft

    from mobile.app import make_main

    main_fn = make_main(data_dir, config)
    if args.web:
        print(f"Tại Chỗ: http://{args.host}:{args.port}/  (dữ liệu: {data_dir})", flush=True)
        ft.run(
            main_fn,
            view=ft.AppView.WEB_BROWSER,
            host=args.host,
            port=args.port,
            no_cdn=True,
        )
    else:
        ft.run(main_fn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
