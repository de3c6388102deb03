"""The tablet package holds only what the tablet runs.

``flet build`` packages ``[project].dependencies`` for Android/iPad, where only pure-Python
wheels and the binary wheels Flet publishes exist; the station's packages (FastAPI,
uvicorn, pyHanko, python-pkcs11, …) are the ``station`` extra. The tablet's code must not
import them at module level either (``mobile/services/verify.py`` imports pyHanko lazily
and says so when it is missing).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATION_ONLY = {
    "fastapi",
    "uvicorn",
    "pyhanko",
    "pyhanko_certvalidator",
    "pkcs11",
    "vietnam_provinces",
    "flet_web",
    "swagger_ui_bundle",
    "starlette",
    "flet_charts",
}


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return dict(tomllib.load(f)["project"])


def test_station_packages_are_an_extra_not_tablet_dependencies() -> None:
    project = _project()
    deps = [
        str(d).split("=")[0].split("[")[0].split(">")[0].strip().lower()
        for d in project["dependencies"]
    ]  # type: ignore[attr-defined]
    names = {d.replace("-", "_") for d in deps}
    assert not names & {"fastapi", "uvicorn", "pyhanko", "python_pkcs11", "flet_web"}, names
    extras = project["optional-dependencies"]
    assert isinstance(extras, dict) and "station" in extras


def test_tablet_code_imports_no_station_package_at_module_level() -> None:
    bad: list[str] = []
    for path in [*(ROOT / "mobile").rglob("*.py"), *(ROOT / "shared").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: lazy imports inside functions are fine
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in STATION_ONLY:
                    bad.append(f"{path.relative_to(ROOT)}: {name}")
    assert not bad, bad
