"""A fresh install is what was tested: the venv equals the lock, and no library warning
reaches a person running a command.

``scripts/setup.sh`` installs from ``uv.lock`` only (``uv sync --locked``); these tests
prove the running venv is exactly that lock, that the tablet's crypto lock shares the test
tools' versions, and that the one upstream warning we silence is silenced narrowly.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from shared.upstream import KNOWN

ROOT = Path(__file__).resolve().parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_versions() -> dict[str, str]:
    with (ROOT / "uv.lock").open("rb") as f:
        lock = tomllib.load(f)
    return {_norm(p["name"]): p["version"] for p in lock["package"] if "version" in p}


def _requirements(path: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", path.read_text(), re.MULTILINE)
    return {_norm(name): version for name, version in found}


def test_every_installed_package_is_the_locked_version() -> None:
    locked = _lock_versions()
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed.pop("taicho", None)  # the project itself, installed editable
    missing = sorted(set(installed) - set(locked))
    differ = {n: (v, locked[n]) for n, v in installed.items() if n in locked and locked[n] != v}
    assert not missing, f"installed but not in uv.lock: {missing}"
    assert not differ, f"installed version != locked version: {differ}"


def test_pinned_requirements_equal_the_lock() -> None:
    """Every ``==`` pin in pyproject.toml is the version the lock holds."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    locked = _lock_versions()
    for spec in specs:
        name, sep, version = spec.partition("==")
        if sep:
            assert locked[_norm(name.split("[")[0])] == version, spec


def test_tablet_crypto_lock_is_43_0_1_with_the_suite_s_test_tools() -> None:
    crypto = _requirements(ROOT / "locks" / "tablet-crypto43.txt")
    assert crypto["cryptography"] == "43.0.1"  # what Flet ships for Android/iOS
    locked = _lock_versions()
    for tool in ("pytest", "pytest-timeout", "hypothesis"):
        assert crypto[tool] == locked[tool], tool
    text = (ROOT / "locks" / "tablet-crypto43.txt").read_text()
    assert text.count("--hash=sha256:") >= len(crypto)  # every package carries its hashes


def test_uv_itself_is_pinned_with_hashes() -> None:
    uv = _requirements(ROOT / "locks" / "uv.txt")
    assert set(uv) == {"uv"}
    assert "--hash=sha256:" in (ROOT / "locks" / "uv.txt").read_text()


def test_pytest_filters_mirror_the_known_upstream_warnings() -> None:
    with (ROOT / "pyproject.toml").open("rb") as f:
        filters = tomllib.load(f)["tool"]["pytest"]["ini_options"]["filterwarnings"]
    assert filters[0] == "error"  # never loosened
    expected = [f"ignore:{k.message}:{k.category}:{k.module}" for k in KNOWN]
    assert filters[1:] == expected


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_dsa_warning_is_silenced_only_from_pyhanko() -> None:
    # The station imports pyHanko with every other warning an error: no error.
    out = _python("import sync_server.services.pki.certs, sync_server.services.pki.signing")
    assert out.returncode == 0, out.stderr
    # The same warning from any other module still is an error.
    out = _python(
        "import sync_server\n"
        "import warnings\n"
        "from cryptography.utils import CryptographyDeprecationWarning as W\n"
        "warnings.warn('DSA is deprecated and support will be removed', W)\n"
    )
    assert out.returncode != 0
    assert "CryptographyDeprecationWarning" in out.stderr


def test_station_and_tablet_commands_print_no_library_warning(tmp_path: Path) -> None:
    station = tmp_path / "station"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=False
        )

    set_unit = run(
        "-m",
        "sync_server",
        "admin",
        "--data",
        str(station),
        "unit-set",
        "--province",
        "Đồng Tháp",
        "--commune",
        "Xã Lai Vung",
    )
    assert set_unit.returncode == 0, set_unit.stderr
    show = run("-m", "sync_server", "admin", "--data", str(station), "unit-show")
    assert show.returncode == 0
    assert show.stderr == ""
    assert "Lai Vung" in show.stdout
    tablet = run("-m", "mobile.headless", "--data", str(tmp_path / "tablet"), "status")
    assert tablet.returncode == 0, tablet.stdout
    assert tablet.stderr == ""
