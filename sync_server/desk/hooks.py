"""HOOK: station services the desk shows when this build has them.

``sync_server/services/units.py`` (the official list of communes: lookup by province and
name) and ``sync_server/services/calendar.py`` (local days off and make-up working days)
are written separately. Until they are merged the desk's commune page edits the stored
unit by hand and its calendar page says "chưa có". When they land, wire their functions
in ``sync_server/desk/screens/admin.py`` where it says ``HOOK``.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def _optional(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:  # the module exists but one of *its* imports is missing
            raise
        return None


def units_module() -> ModuleType | None:
    return _optional("sync_server.services.units")


def calendar_module() -> ModuleType | None:
    return _optional("sync_server.services.calendar")
