"""Vietnamese first, English a tap away (issue 10): the switch, and a table that misses no
string the screens pass to ``tr``."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

from mobile.config import AppConfig
from mobile.i18n import EN, lang_button, tr
from mobile.screens.sign import _KIND_VI
from mobile.services.tablet import TabletService
from mobile.state import AppState, Backend, FormState
from mobile.state.fmt import STATUS_FILTERS
from mobile.theme import TEXT_LEVEL_NAMES
from shared.procedures import builtin

SCREENS = Path(__file__).resolve().parents[2] / "mobile" / "screens"


def _tr_literals() -> dict[str, str]:
    """Every string literal given as ``tr``'s text (both arms of an ``a if c else b``),
    with where it is."""
    found: dict[str, str] = {}
    constants: dict[str, str] = {}  # NAME = "..." at module level, given to tr by name
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SCREENS.glob("*.py"))}
    for tree in trees.values():
        for stmt in tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        constants[target.id] = stmt.value.value
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "tr"):
                continue
            if len(node.args) < 2:
                continue
            todo: list[ast.expr] = [node.args[1]]
            while todo:
                arg = todo.pop()
                if isinstance(arg, ast.IfExp):
                    todo += [arg.body, arg.orelse]
                elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found[arg.value] = f"{path.name}:{node.lineno}"
                elif isinstance(arg, ast.Name) and arg.id in constants:
                    found[constants[arg.id]] = f"{path.name}:{node.lineno}"
    return found


def test_every_text_the_screens_translate_has_an_english_entry() -> None:
    literals = _tr_literals()
    assert len(literals) > 40  # the scan sees the wrapped screens, not nothing
    missing = {vi: where for vi, where in literals.items() if vi not in EN}
    assert not missing, f"no English for: {missing}"
    # texts that reach tr through a variable
    for vi in [label for _, label in STATUS_FILTERS] + [*TEXT_LEVEL_NAMES, *_KIND_VI.values()]:
        assert vi in EN, vi
    # an entry keeps its placeholders, so .format never raises in English
    for vi, en in EN.items():
        assert sorted(_fields(vi)) == sorted(_fields(en)), vi


def _fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def test_missing_entry_falls_back_to_vietnamese() -> None:
    assert tr("en", "Chưa có trong bảng") == "Chưa có trong bảng"
    assert tr("vi", "Hồ sơ ({n})", n=3) == "Hồ sơ (3)"
    assert tr("en", "Hồ sơ ({n})", n=3) == "Dossiers (3)"


def _app(tmp_path: Path) -> AppState:
    cfg = AppConfig("Tại Chỗ", "vn.gov.taicho", "http://127.0.0.1:9", tmp_path, 1)
    return AppState(Backend(TabletService(tmp_path / "tablet"), cfg))


def test_switching_language_changes_labels_errors_and_chrome(tmp_path: Path) -> None:
    app = _app(tmp_path)
    assert app.lang == "vi"
    assert lang_button(app.lang)[0] == "English"
    procedure = builtin().get("1.001193")
    app.form = FormState.new(procedure, app.lang)
    field = procedure.field("child_full_name")
    vi_label = app.form.label(field)

    app.toggle_lang()
    assert app.lang == "en" and app.form.lang == "en"
    assert app.form.label(field) == field.label.get("en") != vi_label
    assert lang_button(app.lang)[0] == "Tiếng Việt"
    assert tr(app.lang, "Hồ sơ mới") == "New dossier"
    assert tr(app.lang, "Tiếp") == "Next"
    # an error staff see: the station is unreachable, now in English
    app.form = None
    assert not asyncio.run(app.enroll("http://127.0.0.1:9", "ABCD-EFGH-JKMN"))
    said = app.banner + " ".join(app.field_errors.values())
    assert "station" in said.lower() and "máy chủ" not in said, said

    app.toggle_lang()
    assert app.lang == "vi"
    assert not asyncio.run(app.enroll("http://127.0.0.1:9", "ABCD-EFGH-JKMN"))
    assert "máy chủ văn phòng" in app.banner + " ".join(app.field_errors.values())


def test_a_new_form_starts_in_the_apps_language_and_lock_keeps_it(tmp_path: Path) -> None:
    app = _app(tmp_path)
    app.toggle_lang()
    app.new_dossier("1.001193")  # the built-in catalogue, no station needed
    assert app.form is not None and app.form.lang == "en"
    assert app.form.label(app.form.procedure.field("child_full_name")).isascii()
    app.lock()
    assert app.lang == "en"  # a choice for the session, not for one sign-in
