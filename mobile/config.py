"""The tablet app's settings: flet.toml defaults, overridable by environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO_FLET_TOML = Path(__file__).resolve().parent.parent / "flet.toml"


@dataclass(frozen=True)
class AppConfig:
    name: str
    org: str
    default_station_url: str
    data_dir: Path
    idle_lock_seconds: int


def load_config(path: Path = REPO_FLET_TOML) -> AppConfig:
    raw: dict[str, dict[str, object]] = {}
    if path.exists():
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    app, settings = raw.get("app", {}), raw.get("settings", {})
    data_dir = os.environ.get("TAICHO_DATA") or str(settings.get("data_dir", "~/.taicho/tablet"))
    return AppConfig(
        name=str(app.get("name", "Tại Chỗ")),
        org=str(app.get("org", "vn.gov.taicho")),
        default_station_url=os.environ.get("TAICHO_STATION_URL")
        or str(settings.get("default_station_url", "https://127.0.0.1:8765")),
        data_dir=Path(data_dir).expanduser(),
        idle_lock_seconds=int(str(settings.get("idle_lock_seconds", 300))),
    )
