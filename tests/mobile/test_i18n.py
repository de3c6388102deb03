"""Vietnamese first, English a tap away (issue 10): the switch, and a table that misses no
string the screens pass to ``tr``."""

from __future__ import annotations

import ast
import asyncio
import re
from pathlib import Path

from mobile.config import AppConfig
from mobile.i18n import EN, lang_button, tr
from mobile.screens.sign import _KIND_VI
from mobile.services.tablet import TabletService
from mobile.state import AppState, Backend, FormState
from mobile.state.fmt import STATUS_FILTERS
from mobile.theme import TEXT_LEVEL_NAMES
from shared.procedures import builtin

MOBILE = Path(__file__).resolve().parents[2] / "mobile"
SCREENS = MOBILE / "screens"
# Every place a person's words are written: the screens, and the state that builds
# sentences for them (banners, history, hints, the signing line).
SOURCES = sorted([*SCREENS.glob("*.py"), *(MOBILE / "state").glob("*.py")])
# Vietnamese letters (NFC, lower case): a word carrying one is Vietnamese.
VI_LETTERS = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


def _tr_literals() -> dict[str, str]:
    """Every string literal given as ``tr``'s text (both arms of an ``a if c else b``),
    with where it is."""
    found: dict[str, str] = {}
    constants: dict[str, str] = {}  # NAME = "..." at module level, given to tr by name
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in SOURCES}
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


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _vi_side(test: ast.expr) -> str | None:
    """Which arm of ``a if TEST else b`` is the Vietnamese one, when TEST asks for the
    language (``vi``, ``lang == "vi"``, ``lang != "vi"``); None when it does not."""
    names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)} | {
        n.attr for n in ast.walk(test) if isinstance(n, ast.Attribute)
    }
    if not names & {"vi", "lang"}:
        return None
    if isinstance(test, ast.Compare) and isinstance(test.ops[0], ast.NotEq):
        return "orelse"
    return "body"


def _untranslated(path: Path) -> list[str]:
    """Vietnamese string literals of one module that can reach a screen in English.

    Allowed: a docstring; a literal given to ``tr`` (directly or through ``a if c else
    b``); the Vietnamese arm of a choice made on the language (its other arm must then
    have no Vietnamese); a ``*_vi`` keyword (a catalogue message's Vietnamese context);
    and any text that has an English entry (a module constant, a default argument, a
    table or a label translated where it is used, e.g. ``required``'s labels)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    up = _parents(tree)
    bad: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not VI_LETTERS.search(node.value.lower()) or isinstance(up.get(node), ast.Expr):
            continue
        where = f"{path.name}:{node.lineno}: {node.value[:60]!r}"
        cur: ast.AST = node
        ok = node.value in EN
        while not ok and cur in up:
            parent = up[cur]
            if isinstance(parent, ast.Call) and getattr(parent.func, "id", "") == "tr":
                ok = len(parent.args) > 1 and cur is parent.args[1]
                break
            if isinstance(parent, ast.keyword) and (parent.arg or "").endswith("_vi"):
                ok = True
                break
            if isinstance(parent, ast.IfExp) and cur is not parent.test:
                side = _vi_side(parent.test)
                if side is not None:
                    ok = cur is getattr(parent, side)
                    if not ok:
                        where += " (the English arm of a language choice)"
                    break
            if not isinstance(parent, ast.JoinedStr | ast.FormattedValue | ast.BinOp | ast.IfExp):
                break
            cur = parent
        if not ok:
            bad.append(where)
    return bad


def test_no_vietnamese_reaches_a_screen_without_its_english() -> None:
    """Issue 21, item 10: in English mode no Vietnamese sentence is left, whether a
    screen wrote it or the state built it (banners, history, hints, signing)."""
    bad = [line for path in SOURCES for line in _untranslated(path)]
    assert not bad, "Vietnamese text with no English:\n" + "\n".join(bad)
    # and no English entry is itself Vietnamese (the brand and the switch's own name
    # "Tiếng Việt" aside)
    leaks = {
        vi: en
        for vi, en in EN.items()
        if VI_LETTERS.search(en.lower()) and en not in ("Tại Chỗ",) and vi != en
    }
    assert not leaks, leaks


def test_state_built_strings_speak_one_language(tmp_path: Path) -> None:
    """What the state writes for people, rendered in English: no Vietnamese left; and in
    Vietnamese, none of the English. Every action, role and status of the workflow."""
    from mobile.state.backend import user_message
    from mobile.state.base import required
    from mobile.state.fmt import due_text, history_line, station_pin_hint, timeline
    from mobile.state.parts import SigningState
    from shared.errors import problem
    from shared.model import SignatureMark
    from shared.signatures import signing_parties
    from shared.workflow import ACTION_LABELS, Role, Status

    def english(text: str) -> None:
        assert not VI_LETTERS.search(text.lower()), text

    due = "2026-10-27T17:00:00+07:00"
    english(due_text(due, "en"))
    assert due_text(due, "en") == "17:00 on 27/10/2026" and "ngày" in due_text(due)
    history = [
        {
            "at": due,
            "action": action,
            "actor": "thamdinh",
            "role": role.value,
            "to_status": status.value,
            "reason": "",
        }
        for action in ACTION_LABELS
        for role, status in zip(Role, Status, strict=False)
    ]
    for h in history:
        english(history_line(h, "en"))
    english(
        " ".join(
            st.name + " ".join(x.who + x.action for x in st.steps) for st in timeline(history, "en")
        )
    )
    for n in range(1, 7):
        english(station_pin_hint(n, "en"))
        assert "lần" in station_pin_hint(n, "vi") or "khoá" in station_pin_hint(n, "vi")
    kh = builtin().get("1.000894")
    s = SigningState("k", signing_parties(kh))
    english(s.status("en"))
    s.marks = {p.party: SignatureMark(p.party, "paper", due) for p in s.parties}
    english(s.status("en"))
    assert "Xem tờ khai" in s.status("vi") and "View the declaration" in s.status("en")
    english(required("pin", "mã PIN", "en"))
    english(user_message(problem("REQUEST_INVALID", "component", detail="x"), "en"))
    english(user_message(RuntimeError("boom"), "en"))
    form = FormState.new(builtin().get("1.001193"), "en")
    form.set_value("requester_birth_date", "01/02/2027")
    from shared.validation import validate

    assert not form.apply_check(validate(form.procedure, form.values_for_check(), _today()))
    english(form.summary)
    english(" ".join(form.errors.values()))
    english(" ".join(m.text("en") for m in form.checklist().missing))


def _today():  # type: ignore[no-untyped-def]
    from shared.workdays import vn_now

    return vn_now().date()
