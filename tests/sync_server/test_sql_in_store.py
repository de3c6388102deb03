"""All of the station's SQL lives in ``sync_server/store/`` (docs/architecture.md, "Where
SQL lives"): no other station module runs a statement or spells one out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = {"execute", "executemany", "executescript", "query"}
STATEMENT = re.compile(
    r"^\s*(SELECT\s|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|TRIGGER)"
    r"|DROP\s|ALTER\s+TABLE|PRAGMA\s|VACUUM\b|BEGIN\b)"
)


def _sql_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        method = (
            node.func.attr
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            else ""
        )
        if method in RUNS:
            found.append(f"{path.name}:{node.lineno} .{method}()")
        elif isinstance(node, ast.Constant) and STATEMENT.match(str(node.value)):
            found.append(f"{path.name}:{node.lineno} {node.value[:40]!r}")
    return found


def test_no_sql_outside_the_store() -> None:
    modules = [p for p in (ROOT / "sync_server").rglob("*.py") if "store" not in p.parts]
    assert len(modules) > 60
    assert [hit for p in modules for hit in _sql_in(p)] == []


def test_the_walk_sees_sql(tmp_path: Path) -> None:
    sneaky = tmp_path / "service.py"
    sneaky.write_text(
        "def f(db):\n    return db.query(\"SELECT key FROM meta WHERE key LIKE 'x:%'\")\n",
        encoding="utf-8",
    )
    assert len(_sql_in(sneaky)) == 2
