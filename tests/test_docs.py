"""Keeps docs/ honest: what the docs list must match what the code defines.

- docs/errors.md holds the error catalogue table, generated from ``shared.errors.CATALOGUE``
  and checked here to match it exactly; docs/architecture.md holds the permission table,
  generated from ``shared.permissions.PERMISSIONS`` the same way. Regenerate both after a
  change with ``.venv/bin/python tests/test_docs.py``.
- every sync kind and payload type (``KIND_*``, ``CHANGE_*``, ``FEED_*`` in shared/sync.py)
  and every message record declared in shared/messages.py is named in
  docs/sync-protocol.md;
- every field id of every procedure file is named in docs/procedures.md;
- the first code block of README.md shows the two commands a newcomer needs;
- relative links between the docs resolve.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # when run as a script to regenerate docs/errors.md
    sys.path.insert(0, str(ROOT))

from shared import messages, sync  # noqa: E402
from shared.catalogue import Catalogue  # noqa: E402
from shared.errors import CATALOGUE  # noqa: E402
from shared.permissions import PERMISSIONS, Role  # noqa: E402

DOCS = ROOT / "docs"
ERRORS_MD = DOCS / "errors.md"
BEGIN = "<!-- BEGIN error table: generated from shared/errors.py by tests/test_docs.py -->"
END = "<!-- END error table -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def errors_table() -> str:
    """The markdown table of the whole catalogue, in catalogue order."""
    lines = [
        "| code | HTTP | message (vi) | message (en) |",
        "|---|---|---|---|",
    ]
    for e in CATALOGUE.values():
        lines.append(f"| `{e.code}` | {e.status} | {_cell(e.vi)} | {_cell(e.en)} |")
    return "\n".join(lines)


def _table_in_errors_md() -> str:
    text = ERRORS_MD.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"{ERRORS_MD} lost its generated-table markers"
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def write_errors_md() -> None:
    """Replace the generated table in docs/errors.md (the prose around it is kept)."""
    text = ERRORS_MD.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    ERRORS_MD.write_text(f"{head}{BEGIN}\n{errors_table()}\n{END}{tail}", encoding="utf-8")


ARCHITECTURE_MD = DOCS / "architecture.md"
PERMS_BEGIN = (
    "<!-- BEGIN permission table: generated from shared/permissions.py by tests/test_docs.py -->"
)
PERMS_END = "<!-- END permission table -->"


def permissions_table() -> str:
    """The markdown table of every verb: its roles (a mark per role) and its labels."""
    roles = list(Role)
    lines = [
        "| verb | " + " | ".join(r.value for r in roles) + " | vi | en |",
        "|---|" + "---|" * len(roles) + "---|---|",
    ]
    for verb, p in PERMISSIONS.items():
        marks = " | ".join("✓" if r in p.roles else "" for r in roles)
        lines.append(f"| `{verb.value}` | {marks} | {_cell(p.label.vi)} | {_cell(p.label.en)} |")
    return "\n".join(lines)


def _between(path: Path, begin: str, end: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert begin in text and end in text, f"{path} lost its generated-table markers"
    return text.split(begin, 1)[1].split(end, 1)[0].strip()


def _write_between(path: Path, begin: str, end: str, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{table}\n{end}{tail}", encoding="utf-8")


def _all_docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


def test_errors_md_matches_the_catalogue_exactly() -> None:
    assert _table_in_errors_md() == errors_table(), (
        "docs/errors.md is out of date with shared/errors.py; "
        "regenerate with: .venv/bin/python tests/test_docs.py"
    )


def test_architecture_md_shows_the_permission_table_exactly() -> None:
    assert _between(ARCHITECTURE_MD, PERMS_BEGIN, PERMS_END) == permissions_table(), (
        "docs/architecture.md is out of date with shared/permissions.py; "
        "regenerate with: .venv/bin/python tests/test_docs.py"
    )


def test_every_error_code_is_documented() -> None:
    text = _all_docs_text()
    missing = [code for code in CATALOGUE if f"`{code}`" not in text]
    assert not missing, f"error codes not in any docs/*.md: {missing}"


def _sync_constants() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(sync).items()
        if name.startswith(("KIND_", "CHANGE_", "FEED_")) and isinstance(value, str)
    }


def test_every_sync_kind_and_payload_type_is_in_the_protocol_doc() -> None:
    constants = _sync_constants()
    assert {"KIND_CHANGE", "KIND_FEED", "CHANGE_DOSSIER_SUBMIT"} <= set(constants)
    path = DOCS / "sync-protocol.md"
    assert path.exists(), "docs/sync-protocol.md is missing"
    text = path.read_text(encoding="utf-8")
    # Quoted or in backticks, so a plain English "change" or "feed" does not count.
    missing = {
        name: value
        for name, value in constants.items()
        if f"`{value}`" not in text and f'"{value}"' not in text
    }
    assert not missing, f"sync constants not named in docs/sync-protocol.md: {missing}"


def test_every_declared_message_is_in_the_protocol_doc() -> None:
    text = (DOCS / "sync-protocol.md").read_text(encoding="utf-8")
    missing = [cls.__name__ for cls in messages.MESSAGES if f"`{cls.__name__}`" not in text]
    assert not missing, f"messages of shared/messages.py not in docs/sync-protocol.md: {missing}"
    types = [*messages.FEED_TYPES, *messages.CHANGE_TYPES]
    assert all(f'"type": "{t}"' in text or f"`{t}`" in text for t in types), types


def test_every_procedure_field_is_in_the_procedures_doc() -> None:
    text = (DOCS / "procedures.md").read_text(encoding="utf-8")
    catalogue = Catalogue.load_dir()
    assert catalogue.codes(), "no procedure files found"
    missing = [
        f"{p.code}:{f.id}" for p in catalogue.all() for f in p.fields if f"`{f.id}`" not in text
    ]
    assert not missing, f"procedure fields not in docs/procedures.md: {missing}"
    for code in catalogue.codes():
        assert code in text, f"procedure {code} not in docs/procedures.md"


def test_readme_first_code_block_has_demo_and_test() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"```[^\n]*\n(.*?)```", text, re.S)
    assert m, "README.md has no fenced code block"
    block = m.group(1)
    assert "bash scripts/demo.sh" in block
    assert "bash scripts/test.sh" in block


def test_relative_links_between_docs_resolve() -> None:
    broken = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken, f"broken links: {broken}"


if __name__ == "__main__":
    write_errors_md()
    print(f"wrote {ERRORS_MD.relative_to(ROOT)}")
    _write_between(ARCHITECTURE_MD, PERMS_BEGIN, PERMS_END, permissions_table())
    print(f"wrote {ARCHITECTURE_MD.relative_to(ROOT)}")
