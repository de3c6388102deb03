"""shared/ is the pure core: importable without flet, FastAPI, httpx or sqlite-utils."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import shared

ROOT = Path(__file__).resolve().parents[2]
BANNED = ("flet", "fastapi", "starlette", "httpx", "sqlite_utils", "uvicorn")


def test_shared_imports_without_io_or_ui_packages() -> None:
    modules = [m.name for m in pkgutil.walk_packages(shared.__path__, "shared.")]
    code = (
        "import sys\n"
        f"for name in {BANNED!r}:\n"
        "    sys.modules[name] = None  # any import of it now fails\n"
        f"for m in {modules!r}:\n"
        "    __import__(m)\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert len(modules) >= 10


def test_error_catalogue_is_bilingual_and_nfc() -> None:
    import unicodedata

    from shared.errors import CATALOGUE

    for entry in CATALOGUE.values():
        assert entry.vi and entry.en and entry.vi != entry.en
        assert unicodedata.normalize("NFC", entry.vi) == entry.vi
        assert 400 <= entry.status < 600


def _imports_without(banned: tuple[str, ...], modules: str) -> subprocess.CompletedProcess[str]:
    code = f"import sys\nfor n in {banned!r}:\n    sys.modules[n] = None\nimport {modules}\n"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_tablet_and_storekit_import_without_the_station() -> None:
    """The tablet never imports the station (nor FastAPI); storekit imports neither side."""
    station = ("sync_server", "fastapi", "starlette", "uvicorn")
    out = _imports_without(station, "mobile.services.tablet, mobile.headless")
    assert out.returncode == 0, out.stderr
    out = _imports_without((*station, "mobile", "flet", "httpx"), "storekit")
    assert out.returncode == 0, out.stderr
