"""The desk's root component, the page set-up and the ASGI app mounted at ``/desk``."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import flet as ft

from sync_server.desk.backend import DeskBackend
from sync_server.desk.screens.backup import BackupScreen, backup_warning
from sync_server.desk.screens.calendar import CalendarScreen
from sync_server.desk.screens.common import BG, banner, top_bar
from sync_server.desk.screens.dossier import DossierScreen
from sync_server.desk.screens.login import LoginScreen
from sync_server.desk.screens.procedures import ProceduresScreen
from sync_server.desk.screens.queue import QueueScreen
from sync_server.desk.screens.report import ReportScreen
from sync_server.desk.screens.staff import StaffScreen
from sync_server.desk.screens.tablets import TabletsScreen
from sync_server.desk.screens.unit import UnitScreen
from sync_server.desk.state import (
    ROUTE_BACKUP,
    ROUTE_CALENDAR,
    ROUTE_DOSSIER,
    ROUTE_LOGIN,
    ROUTE_PROCEDURES,
    ROUTE_QUEUE,
    ROUTE_REPORT,
    ROUTE_STAFF,
    ROUTE_TABLETS,
    ROUTE_UNIT,
    DeskState,
)

ROUTES: dict[str, Callable[..., Any]] = {
    ROUTE_LOGIN: LoginScreen,
    ROUTE_QUEUE: QueueScreen,
    ROUTE_DOSSIER: DossierScreen,
    ROUTE_STAFF: StaffScreen,
    ROUTE_TABLETS: TabletsScreen,
    ROUTE_UNIT: UnitScreen,
    ROUTE_CALENDAR: CalendarScreen,
    ROUTE_REPORT: ReportScreen,
    ROUTE_BACKUP: BackupScreen,
    ROUTE_PROCEDURES: ProceduresScreen,
}
MOUNT = "/desk"


@ft.component
def Desk(state: DeskState) -> ft.Control:
    route = state.current_route()
    parts: list[ft.Control] = [top_bar(state)]
    if b := banner(state):
        parts.append(b)
    if w := backup_warning(state):
        parts.append(w)
    parts.append(ft.Container(content=ROUTES[route](state), expand=True, key=f"screen-{route}"))
    return ft.Container(
        content=ft.Column(
            parts, spacing=0, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH
        ),
        theme=ft.Theme(color_scheme_seed="#0B4F8A"),
        theme_mode=ft.ThemeMode.LIGHT,
        bgcolor=BG,
        expand=True,
    )


def station_base_url(page_url: str | None) -> str:
    """``ws://host:port/desk/ws`` → ``http://host:port`` (what a tablet enrols with).

    Flet reports the page's URL as its websocket's; the station's base is the same origin.
    """
    if not page_url:
        return ""
    parts = urlsplit(page_url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    return f"{scheme}://{parts.netloc}" if scheme and parts.netloc else ""


def make_main(backend: DeskBackend) -> Callable[[ft.Page], None]:
    def main(page: ft.Page) -> None:
        page.title = "Tại Chỗ — Bàn làm việc"
        page.padding = 0
        page.theme_mode = ft.ThemeMode.LIGHT
        page.views[0].padding = 0
        state = DeskState(
            backend, station_url=station_base_url(page.url), client=page.client_ip or "desk"
        )
        page.on_close = lambda _: state.logout()
        page.render(Desk, state)

    return main


def desk_asgi(backend: DeskBackend) -> Any:
    """Flet's ASGI app for the desk (bundled web client, no CDN: the office may be offline)."""
    os.environ.setdefault("FLET_WEB_NO_CDN", "1")
    from flet_web.fastapi import app as flet_app

    return flet_app(make_main(backend), no_cdn=True, app_name="Tại Chỗ — Bàn làm việc")
