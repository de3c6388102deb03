"""The tablet app: one route table, the root component and the page set-up.

``ROUTES`` is the only place that knows which screen draws which route; the guards
(enrol first, unlock before citizen data) live in ``AppState.current_route``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flet as ft

from mobile.config import AppConfig, load_config
from mobile.screens.access import EnrollScreen, UnlockScreen
from mobile.screens.common import banner, look_of, sync_bar, top_bar
from mobile.screens.dossier import DossierScreen, PreviewScreen, ReceiptScreen
from mobile.screens.form import FormScreen
from mobile.screens.home import HomeScreen, PickProcedureScreen
from mobile.screens.sign import SignScreen
from mobile.services import device_secret
from mobile.state import base as routes
from mobile.state.app import AppState
from mobile.state.backend import Backend

log = logging.getLogger(__name__)

# route → screen; screens that edit a form also get the form state.
ROUTES: dict[str, Callable[..., Any]] = {
    routes.ROUTE_ENROLL: EnrollScreen,
    routes.ROUTE_UNLOCK: UnlockScreen,
    routes.ROUTE_HOME: HomeScreen,
    routes.ROUTE_PICK: PickProcedureScreen,
    routes.ROUTE_FORM: FormScreen,
    routes.ROUTE_PREVIEW: PreviewScreen,
    routes.ROUTE_SIGN: SignScreen,
    routes.ROUTE_RECEIPT: ReceiptScreen,
    routes.ROUTE_DOSSIER: DossierScreen,
}
FORM_ROUTES = {routes.ROUTE_FORM, routes.ROUTE_PREVIEW, routes.ROUTE_SIGN}


@ft.component
def App(state: AppState) -> ft.Control:
    look = look_of(state)
    route = state.current_route()
    screen = ROUTES[route]
    body = screen(state, state.form) if route in FORM_ROUTES else screen(state)
    parts: list[ft.Control] = [top_bar(state, look)]
    if state.device.enrolled:
        parts.append(sync_bar(state, look))
    if b := banner(state, look):
        parts.append(b)
    parts.append(ft.Container(content=body, expand=True, key=f"screen-{route}"))
    return ft.Container(
        content=ft.Column(
            parts, spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
        ),
        theme=look.theme(),
        theme_mode=ft.ThemeMode.LIGHT,
        bgcolor=look.c.bg,
        expand=True,
    )


async def _idle_watch(page: ft.Page, state: AppState, closed: asyncio.Event) -> None:
    period = 1.0  # drafts are saved within a second of the last change
    while not closed.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(closed.wait(), timeout=period)
        if closed.is_set():
            return
        try:
            state.save_draft()
            state.check_idle()
            state.expire_banner()
        except Exception:  # never let the watchdog die silently with the page open
            log.exception("idle check failed")


def make_main(
    data_dir: Path | None = None, config: AppConfig | None = None
) -> Callable[[ft.Page], None]:
    """The ``main(page)`` handed to ``ft.run``, bound to a data folder; one backend per
    page."""
    cfg = config or load_config()
    folder = Path(data_dir) if data_dir else cfg.data_dir

    def start(page: ft.Page, secret: bytes | None) -> None:
        # Each page (browser tab, device app) has its own service and keystore: one
        # session's unlock or idle lock never reaches another.
        backend = Backend.open(folder, cfg, secret)
        state = AppState(backend)
        state.on_device = device_secret.is_device(page)
        closed = asyncio.Event()

        def on_close(_: Any) -> None:
            closed.set()
            state.lock()
            backend.close()

        page.on_close = on_close
        state.set_width(page.width)
        page.on_resize = lambda e: state.set_width(e.width)
        page.render(App, state)
        page.run_task(_idle_watch, page, state, closed)

    async def start_on_device(page: ft.Page) -> None:
        """On a phone or tablet, PIN wraps are bound to a secret in the platform's secure
        store (an async call), read before the keystore opens."""
        start(page, await device_secret.load(page))

    def main(page: ft.Page) -> None:
        page.title = cfg.name
        page.padding = 0
        page.theme_mode = ft.ThemeMode.LIGHT
        page.views[0].padding = 0
        if device_secret.is_device(page):
            page.run_task(start_on_device, page)
        else:
            start(page, None)  # the web build: no secure store, PIN-only wraps

    return main
