"""The procedure registry: every procedure is one bundle folder, found here.

A bundle is a sub-folder of ``shared/procedures/`` holding

- ``procedure.json`` — the definition (fields, choices and their labels, constraints,
  show-if rules, named rules of :mod:`shared.rules`, components, legal basis, time limit,
  fee rule, result name and title), loaded by :mod:`shared.catalogue`;
- ``result.json`` — the result's layout (:mod:`shared.documents.result_layout`);
- ``declaration.json`` — the tờ khai's layout (:mod:`shared.documents.declaration_layout`);
- ``sample.json`` — the sample values (:mod:`shared.sample_spec`);
- ``__init__.py`` only where a part cannot be data, each case listed with its reason in
  docs/procedures.md: today one, the scanned copy of chứng thực bản sao
  (``result.json``'s ``"scanned_copy"`` names the function drawing it). Rendering a
  result or a declaration, drawing a sample and checking a dossier import no module of
  a folder.

The folder name is the result template name (``result.template`` in the file). Adding a
procedure means adding one folder and its section in docs/procedures.md (which
``tests/test_docs.py`` checks); no code lists procedures by name.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from shared.catalogue import DEFINITION, Catalogue, Procedure, parse_procedure, result_templates
from shared.documents.declaration_layout import DeclarationLayout, parse_declaration_layout
from shared.documents.layout_text import LayoutError
from shared.documents.result import RenderedResult, ResultMeta
from shared.documents.result_layout import ResultLayout, parse_result_layout
from shared.errors import problem
from shared.sample_spec import SampleSpec, SampleSpecError, load_sample_json, parse_sample_spec

__all__ = [
    "BUNDLE_DIR",
    "Bundle",
    "builtin",
    "bundle",
    "bundles",
    "declaration_layout",
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


RESULT_LAYOUT = "result.json"
DECLARATION_LAYOUT = "declaration.json"
SAMPLE = "sample.json"


@dataclass(frozen=True)
class Bundle:
    folder: str
    procedure: Procedure
    sample_spec: SampleSpec
    result: ResultLayout | None = None
    declaration: DeclarationLayout | None = None
    scanned_copy: str | None = None  # the module's function drawing a scanned copy

    @property
    def module(self) -> Any:
        """The folder's Python, imported only when a scanned copy needs it (None for a
        folder without ``__init__.py``)."""
        if not (BUNDLE_DIR / self.folder / "__init__.py").exists():
            return None
        return importlib.import_module(f"{__name__}.{self.folder}")

    def render(
        self, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
    ) -> RenderedResult:
        if meta.scan_pages and self.scanned_copy:
            draw = getattr(self.module, self.scanned_copy)
            out: RenderedResult = draw(self.procedure, values, meta, demo=demo)
            return out
        if self.result is None:
            raise problem("PROCEDURE_UNKNOWN", "procedure", procedure=self.procedure.code)
        return self.result.render(self.procedure, values, meta, demo=demo)

    def sample(self, today: date, seed: int = 0) -> dict[str, Any]:
        """A complete valid dossier drawn from the folder's ``sample.json``."""
        return self.sample_spec.draw(today, seed)


def _load_json(folder: str, name: str) -> Any:
    path = BUNDLE_DIR / folder / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise problem(
            "CATALOGUE_INVALID",
            None,
            file=f"{folder}/{name}",
            where=f"line {exc.lineno}",
            detail=exc.msg,
        ) from None


def _layouts(
    folder: str, procedure: Procedure
) -> tuple[ResultLayout | None, DeclarationLayout | None, str | None]:
    """The folder's result and declaration layouts, parsed against its procedure."""
    result = declaration = None
    scanned: str | None = None
    for name in (RESULT_LAYOUT, DECLARATION_LAYOUT):
        if not (BUNDLE_DIR / folder / name).exists():
            continue
        data = _load_json(folder, name)
        try:
            if name == RESULT_LAYOUT:
                if isinstance(data, dict) and "scanned_copy" in data:
                    data = dict(data)
                    scanned = str(data.pop("scanned_copy"))
                result = parse_result_layout(data, procedure)
            else:
                declaration = parse_declaration_layout(data, procedure)
        except LayoutError as exc:
            raise problem(
                "CATALOGUE_INVALID",
                None,
                file=f"{folder}/{name}",
                where=exc.where,
                detail=exc.detail,
            ) from None
    return result, declaration, scanned


def _sample(folder: str, procedure: Procedure) -> SampleSpec:
    """The folder's ``sample.json``, checked against its procedure's fields."""
    name = f"{folder}/{SAMPLE}"
    path = BUNDLE_DIR / folder / SAMPLE
    try:
        return parse_sample_spec(
            load_sample_json(path.read_text(encoding="utf-8")), {f.id for f in procedure.fields}
        )
    except FileNotFoundError:
        raise problem(
            "CATALOGUE_INVALID", None, file=name, where="$", detail="every bundle has a sample"
        ) from None
    except json.JSONDecodeError as exc:
        raise problem(
            "CATALOGUE_INVALID", None, file=name, where=f"line {exc.lineno}", detail=exc.msg
        ) from None
    except SampleSpecError as exc:
        raise problem(
            "CATALOGUE_INVALID", None, file=name, where=exc.where, detail=exc.detail
        ) from None


@functools.lru_cache(maxsize=1)
def _by_folder() -> dict[str, Bundle]:
    out: dict[str, Bundle] = {}
    for folder in sorted(result_templates()):
        name = f"{folder}/{DEFINITION}"
        doc = _load_json(folder, DEFINITION)
        procedure = parse_procedure(doc, name)
        if procedure.result_template != folder:
            raise problem(
                "CATALOGUE_INVALID",
                None,
                file=name,
                where="$.result.template",
                detail=f"a bundle's template is its folder name '{folder}'",
            )
        result, declaration, scanned = _layouts(folder, procedure)
        sample = _sample(folder, procedure)
        out[folder] = Bundle(folder, procedure, sample, result, declaration, scanned)
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


def declaration_layout(template: str) -> DeclarationLayout | None:
    """The declaration layout of a template (a bundle folder), None if it has none."""
    b = _by_folder().get(template)
    return b.declaration if b is not None else None


def render_result(
    code: str, values: Mapping[str, Any], meta: ResultMeta, *, demo: bool = False
) -> RenderedResult:
    return bundle(code).render(values, meta, demo=demo)


def sample_values(code: str, today: date, seed: int = 0) -> dict[str, Any]:
    """A complete valid dossier of procedure ``code``; ``seed`` varies the people."""
    return bundle(code).sample(today, seed)
