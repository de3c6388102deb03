"""The import graph: no cycle anywhere, and the station's services in layers.

Read from the sources with the stdlib ``ast`` (nothing is imported), every ``import``
counted wherever it stands — in a function or under ``TYPE_CHECKING`` too — so a cycle
cannot hide behind a late import. docs/architecture.md ("Layers") explains the order.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("shared", "storekit", "mobile", "sync_server")
SERVICES = "sync_server.services"
# The station's services, top first. A module may import its own package and the
# packages below it, never one above. The door sits on top: it reaches every layer.
LAYERS = (
    "door",
    "admin",
    "province",
    "opening",
    "sync",
    "office",
    "reports",
    "pki",
    "setup",
    "core",
)
# Whole packages that must not reach each other (left never imports right).
APART = (
    ("shared", "sync_server"),
    ("shared", "mobile"),
    ("shared", "storekit"),
    ("mobile", "sync_server"),
    ("sync_server", "mobile"),
    ("storekit", "shared"),
    ("storekit", "mobile"),
    ("storekit", "sync_server"),
    # the station's SQL knows no service; the services know no front end
    ("sync_server.store", "sync_server.services"),
    ("sync_server.services", "sync_server.api"),
    ("sync_server.services", "sync_server.desk"),
    ("sync_server.services", "sync_server.app"),
    ("sync_server.services", "sync_server.__main__"),
)


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _known(name: str) -> str | None:
    """The project module an imported name lands in (the nearest enclosing one)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str, path: Path) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*up, *([base] if base else [])])
            # "from pkg import mod" imports the module pkg.mod; "from mod import name" mod
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            found = _known(target)
            if found is not None and found != module:
                yield found


def _graph() -> dict[str, set[str]]:
    graph = {m: set(_imports(m, p)) for m, p in MODULES.items()}
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _layer(module: str) -> int | None:
    """The rank of a services module (0 = top), None outside the services."""
    if not _within(module, SERVICES) or module == SERVICES:
        return None
    first = module.removeprefix(SERVICES + ".").split(".")[0]
    for rank, names in enumerate(LAYERS):
        if first in names.split("|"):
            return rank
    raise AssertionError(f"{module} is in no layer: add its package to LAYERS and the docs")


def test_the_walk_sees_the_project() -> None:
    assert len(MODULES) > 150
    assert "sync_server.services.core.feed" in GRAPH["sync_server.services.office.actions"]
    # a late import counts like any other
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    sub = {
        m: {d for d in deps if _within(d, package)}
        for m, deps in GRAPH.items()
        if _within(m, package)
    }
    assert _cycles(sub) == []


def test_no_import_cycle_across_packages() -> None:
    assert _cycles(GRAPH) == []


def test_every_services_module_has_a_layer() -> None:
    services = [m for m in MODULES if _within(m, SERVICES) and m != SERVICES]
    assert len(services) > 30
    for module in services:
        _layer(module)


def test_services_import_only_their_own_layer_and_those_below() -> None:
    wrong = []
    for module, deps in sorted(GRAPH.items()):
        rank = _layer(module)
        if rank is None:
            continue
        for dep in sorted(deps):
            dep_rank = _layer(dep)
            if dep_rank is not None and dep_rank < rank:
                wrong.append(f"{module} imports {dep} (a layer above it)")
    assert wrong == []


@pytest.mark.parametrize(("low", "high"), APART)
def test_packages_stay_apart(low: str, high: str) -> None:
    wrong = [
        f"{m} imports {d}"
        for m, deps in sorted(GRAPH.items())
        if _within(m, low)
        for d in sorted(deps)
        if _within(d, high)
    ]
    assert wrong == []
