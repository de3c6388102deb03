"""Entry point for ``flet build`` / ``flet run``: exposes ``main(page)``."""

from __future__ import annotations

import flet as ft

from mobile.app import make_main

main = make_main()

if __name__ == "__main__":
    ft.run(main)
