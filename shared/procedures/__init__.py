"""The procedure registry: every procedure is one bundle folder, found here.

A bundle is a sub-folder of ``shared/procedures/`` (a Python package) holding

- ``procedure.json`` — the definition (fields, choices and their labels, constraints,
  show-if rules, cross-field rules, components, legal basis, time limit, fee rule,
  result name and title), loaded by :mod:`shared.catalogue`;
- ``__init__.py`` — the code parts: ``render(procedure, values, meta, *, demo=False)``
  → :class:`~shared.documents.result.RenderedResult` (the result document),
  ``sample(today, seed)`` → complete valid values, and optionally
  ``check(procedure, values, today)`` → list of problems (rules too particular for the
  declarative ``rules`` of the file).

The folder name is the result template name (``result.template`` in the file). Adding a
procedure means adding one folder and its section in docs/procedures.md (which
``tests/test_docs.py`` checks); no code lists procedures by name.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from shared.catalogue import DEFINITION, Catalogue, Procedure, parse_procedure, result_templates
from shared.documents.result import RenderedResult, ResultMeta
from shared.errors import TaiChoError, problem

__all__ = [
    "BUNDLE_DIR",
    "Bundle",
    "builtin",
    "bundle",
    "bundles",
    "check_hook",
    "render_result",
    "renderer",
    "result_templates",
    "sample_values",
]

BUNDLE_DIR = Path(__file__).resolve().parent


class Renderer(Protocol):
    """A bundle's result renderer: values + meta → PDF and its signature rooms."""

    def __call__(
        self, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
    ) -> RenderedResult: ...


CheckHook = Callable[[Procedure, Mapping[str, Any], date], list[TaiChoError]]


@dataclass(frozen=True)
class Bundle:
    folder: str
    procedure: Procedure
    module: Any

    def render(
        self, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
    ) -> RenderedResult:
        out: RenderedResult = self.module.render(self.procedure, values, meta, demo=demo)
        return out

    def sample(self, today: date, seed: int = 0) -> dict[str, Any]:
        values: dict[str, Any] = self.module.sample(today, seed)
        return values

    @property
    def check(self) -> CheckHook | None:
        hook: CheckHook | None = getattr(self.module, "check", None)
        return hook


@functools.lru_cache(maxsize=1)
@functools.lru_cache(maxsize=1)
def _by_folder() -> dict[str, Bundle]:
    out: dict[str, Bundle] = {}
    for folder in sorted(result_templates()):
        path = BUNDLE_DIR / folder / DEFINITION
        name = f"{folder}/{DEFINITION}"
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise problem(
                "CATALOGUE_INVALID", None, file=name, where=f"line {exc.lineno}", detail=exc.msg
            ) from None
        procedure = parse_procedure(doc, name)
        if procedure.result_template != folder:
            raise problem(
                "CATALOGUE_INVALID",
                None,
                file=name,
                where="$.result.template",
                detail=f"a bundle's template is its folder name '{folder}'",
            )
        module = importlib.import_module(f"{__name__}.{folder}")
        for needed in ("render", "sample"):
            if not callable(getattr(module, needed, None)):
                raise problem(
                    "CATALOGUE_INVALID",
                    None,
                    file=f"{folder}/__init__.py",
                    where=needed,
                    detail="a bundle must define render() and sample()",
                )
        out[folder] = Bundle(folder, procedure, module)
    return out


def bundles() -> dict[str, Bundle]:
    """Every built-in bundle by procedure code."""
    return {b.procedure.code: b for b in _by_folder().values()}


@functools.lru_cache(maxsize=1)
def builtin() -> Catalogue:
    """The catalogue shipped with the code (every bundle's definition), parsed once."""
    return Catalogue(b.procedure for b in bundles().values())


def bundle(code: str) -> Bundle:
    try:
        return bundles()[code]
    except KeyError:
        raise problem("PROCEDURE_UNKNOWN", "procedure", procedure=code) from None


def renderer(template: str) -> Renderer | None:
    """The result renderer of a template (a bundle folder), or None if there is none."""
    b = _by_folder().get(template)
    if b is None:
        return None
    return b.render


def render_result(
    code: str, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    return bundle(code).render(values, meta, demo=demo)


def check_hook(code: str) -> CheckHook | None:
    """The bundle's procedure-specific check, if it has one (None for unknown codes:
    a procedure that came by sync without code is checked by its declared rules only)."""
    b = bundles().get(code)
    return b.check if b is not None else None


def sample_values(code: str, today: date, seed: int = 0) -> dict[str, Any]:
    """A complete valid dossier of procedure ``code``; ``seed`` varies the people."""
    return bundle(code).sample(today, seed)
