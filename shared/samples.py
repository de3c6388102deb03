"""Complete, valid example dossiers: for `headless sample`, demos, tests and benchmarks.

Each procedure's sample is its bundle's ``sample.json`` (``shared/procedures/<folder>/``,
drawn by :mod:`shared.sample_spec`); this module is the stable entry point callers use.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.procedures import bundles
from shared.procedures import sample_values as _sample

__all__ = ["sample_codes", "sample_values"]


def sample_values(procedure: str, today: date, seed: int = 0) -> dict[str, Any]:
    """A complete valid dossier for ``procedure``; ``seed`` varies the people."""
    return _sample(procedure, today, seed)


def sample_codes() -> list[str]:
    return sorted(bundles())
