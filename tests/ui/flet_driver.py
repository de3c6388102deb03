"""Helpers to drive Flet's Flutter web client through its semantics DOM with Playwright."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

LOCAL = ("http://127.0.0.1", "http://localhost")
ROOT_ARTEFACTS = Path(__file__).resolve().parents[2] / "artefacts" / "focus"

_ALL_TEXT_JS = """() => {
  const out = [];
  const sel = 'flt-semantics, flt-semantics *, [aria-label], [role]';
  for (const el of document.querySelectorAll(sel)) {
    const l = el.getAttribute('aria-label');
    if (l) out.push(l);
    if (el.childElementCount === 0 && el.textContent) out.push(el.textContent);
  }
  for (const el of document.querySelectorAll('input, textarea')) {
    if (el.value) out.push(el.value);
  }
  return out.join('\\n');
}"""


_FOCUS_JS = """() => {
  const a = document.activeElement;
  const out = ['active: ' + (a ? a.outerHTML.slice(0, 300) : 'none')];
  for (const el of document.querySelectorAll('input, textarea')) {
    out.push((el.getAttribute('aria-label') || '?').slice(0, 40) + ' = ' + JSON.stringify(el.value)
             + (el === a ? ' (focused)' : ''));
  }
  return out.join('\\n');
}"""


def open_app(page: Any, url: str, timeout: float = 60) -> None:
    """Load the app, abort non-local requests, switch on the semantics DOM."""
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort(),
    )
    page.goto(url)
    _semantics_on(page, timeout)


def reload_app(page: Any, timeout: float = 60) -> None:
    """Load the app again, as a person reloads a misbehaving screen (a new session)."""
    page.reload()
    _semantics_on(page, timeout)


def _semantics_on(page: Any, timeout: float) -> None:
    """Flutter's web client builds its accessibility DOM, which the tests read, only
    once its placeholder is clicked, on every load."""
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=timeout * 1000)
    page.locator("flt-semantics-placeholder").evaluate("el => el.click()")
    page.wait_for_selector("flt-semantics", state="attached", timeout=timeout * 1000)


def all_text(page: Any) -> str:
    return str(page.evaluate(_ALL_TEXT_JS))


def wait_text(page: Any, needle: str | re.Pattern[str], timeout: float = 30) -> str:
    """Wait until some semantics label/text contains ``needle``; return all the text."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = all_text(page)
        if needle.search(text) if isinstance(needle, re.Pattern) else needle in text:
            return text
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} not shown within {timeout}s; visible text:\n{text}")


def wait_no_text(page: Any, needle: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle not in all_text(page):
            return
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} still shown after {timeout}s")


def button(page: Any, name: str | re.Pattern[str]) -> Any:
    return page.get_by_role("button", name=name).first


def click(page: Any, name: str | re.Pattern[str], timeout: float = 30) -> None:
    """Tap a button once it has stopped moving: after a text-size change the app bar is
    laid out again over a few frames, and a tap during that lands beside the button (a
    lost tap on "Tương phản cao" once looked like a frozen page)."""
    for attempt in range(3):
        b = button(page, name)
        b.wait_for(state="attached", timeout=timeout * 1000)
        try:
            b.scroll_into_view_if_needed(timeout=timeout * 1000)
            when_still(b)
            b.click(timeout=timeout * 1000)
            return
        except Exception as err:  # the node was rebuilt under the scroll: look it up again
            if "not attached" not in str(err) or attempt == 2:
                raise
            time.sleep(0.3)


def _escaped(label: str) -> str:
    """``re.escape`` and a ``/`` escaped too: Playwright writes the pattern into its
    selector as ``/…/``, where a bare ``/`` ("ngày/tháng/năm") ends it early."""
    return re.escape(label).replace("/", "\\/")


def textbox(page: Any, label: str) -> Any:
    """The text field whose accessible name starts with ``label`` (then a * or its end)."""
    pattern = re.compile(r"^" + _escaped(label) + r"(\s\*)?(\n|$)")
    return page.get_by_role("textbox", name=pattern).first


def when_still(loc: Any, timeout: float = 5) -> None:
    """Wait until the element stops moving (a line appearing above shifts the view for a
    frame or two; a tap during the shift lands on a neighbour, for a person as for a test)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        box = loc.bounding_box()
        if box is not None and box == last:
            return
        last = box
        time.sleep(0.25)


def show_whole(page: Any, loc: Any, timeout: float = 20) -> dict[str, float]:
    """Scroll with the mouse wheel, as a person does, until the whole element is inside
    the window; return its box.

    Playwright's ``scroll_into_view_if_needed`` scrolls Flutter's semantics DOM, not the
    Flutter view: a field half below the window edge stayed cut (its box measured 51 px
    instead of 80) — which a test measuring sizes must not mistake for a small field.
    """
    vp = page.viewport_size or {"width": 1280, "height": 800}
    deadline = time.monotonic() + timeout
    while True:
        when_still(loc)
        box = loc.bounding_box()
        if box is None:
            raise AssertionError("element has no box")
        below = box["y"] + box["height"] - (vp["height"] - 8)
        above = 8 - box["y"]
        if (below <= 0 and above <= 0) or time.monotonic() > deadline:
            return dict(box)
        page.mouse.move(vp["width"] / 2, vp["height"] / 2)
        page.mouse.wheel(0, below + 60 if below > 0 else -(above + 60))


def diagnose(page: Any, label: str) -> str:
    """Save what the page showed when a field would not take focus (for the CI log)."""
    folder = Path(os.environ.get("TAICHO_UI_SHOTS", ROOT_ARTEFACTS))
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^0-9A-Za-z]+", "-", label)[:30] or "field"
    try:
        page.screenshot(path=str(folder / f"nofocus-{name}.png"))
        active = page.evaluate(_FOCUS_JS)
    except Exception as exc:  # the page itself may be gone; say so rather than hide it
        active = f"<page unreadable: {exc}>"
    return f"active element and inputs: {active}"


def _keeps_focus(el: Any, hold: float = 0.8) -> bool:
    """True when the element has the focus and still has it ``hold`` seconds later.

    Right after a screen change Flutter may still be settling the focus of a field that
    just went away (the last field of the previous step); a click that lands before that
    settles is undone a moment later and the keys typed next go nowhere. A person sees
    the keyboard close and taps again; the test does the same, before typing anything.
    """
    deadline = time.monotonic() + hold
    while True:
        if not el.evaluate("el => el.isConnected && el === document.activeElement"):
            return False
        if time.monotonic() >= deadline:
            return True
        time.sleep(0.1)


_STRAY_EDITOR_JS = """(blur) => {
  const a = document.activeElement;
  if (!a || a.tagName !== 'INPUT' && a.tagName !== 'TEXTAREA') return false;
  if (a.getAttribute('aria-label') || a.closest('flt-semantics')) return false;
  if (blur) a.blur();
  return true;
}"""


def _stray_editor(page: Any, *, blur: bool) -> bool:
    """Whether Flutter's own hidden text-editing input, not the field, holds the focus
    (and, with ``blur``, blur it).

    Under load the framework may start editing before the semantics field's DOM focus
    arrives; Flutter then edits through a hidden, unlabelled ``flt-text-editing`` input
    (seen in CI: "would not take focus" with the field drawn focused, for 45 s). The keys
    typed then still reach the field the click focused — the hidden input is how Flutter
    edits it — so :func:`focus` first blurs it and taps again, as a person's second tap
    would, and after that accepts it: the caller checks the field's value afterwards.
    """
    try:
        return bool(page.evaluate(_STRAY_EDITOR_JS, blur))
    except Exception:  # the page changed under us: the next try looks again
        return False


def _input_spot(el: Any) -> dict[str, float] | None:
    """Where a person taps a text field: on its input line, near the top of its box.

    A field's semantics box also holds its error text; a long one (the wrong-PIN message
    wraps to five lines on a phone) makes the box 195 px tall, and its middle falls on the
    error text's own semantics node, which takes the tap (the screens tour stopped there
    after the English round trip). None: the middle, for a box no taller than a field.
    """
    box = el.bounding_box()
    if box is None or box["height"] <= 80:
        return None
    return {"x": box["width"] / 2, "y": 28.0}


def focus(page: Any, label: str, *, role: str = "textbox", timeout: float = 45) -> Any:
    """Click a text field until it holds the keyboard focus; return its element.

    The field is looked up afresh on every try: Flutter may rebuild the semantics node
    between the lookup and the click (seen under load in CI, where a held handle was
    clicked for 20 s without ever taking focus). Each click waits until the field is
    still, as a person's tap would.
    """
    pattern = re.compile(r"^" + _escaped(label) + r"(\s\*)?(\n|$)")
    deadline = time.monotonic() + timeout
    strays = 0
    while True:
        left = max(1.0, deadline - time.monotonic())
        box = page.get_by_role(role, name=pattern).first
        try:
            box.wait_for(state="attached", timeout=left * 1000)
            box.scroll_into_view_if_needed(timeout=min(left, 10) * 1000)
            when_still(box, timeout=min(left, 5))
            el = box.element_handle(timeout=min(left, 10) * 1000)
            el.click(position=_input_spot(el), timeout=min(left, 10) * 1000)
            if _keeps_focus(el):
                return el
            if _stray_editor(page, blur=False):
                if strays >= 1:
                    time.sleep(0.8)
                    if _stray_editor(page, blur=False):
                        return el  # typing reaches the field through Flutter's editor
                strays += 1
                _stray_editor(page, blur=True)
                time.sleep(0.3)
        except Exception:  # a node rebuilt under the click: look it up again
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"field {label!r} would not take focus; {diagnose(page, label)}")
        time.sleep(0.3)


_STRAY_VALUE_JS = """() => {
  const a = document.activeElement;
  if (!a || a.tagName !== 'INPUT' && a.tagName !== 'TEXTAREA') return null;
  if (a.getAttribute('aria-label') || a.closest('flt-semantics')) return null;
  return a.value;
}"""

_FOCUS_LOST_JS = """() => {
  const a = document.activeElement;
  return !a || a === document.body || a.tagName === 'FLUTTER-VIEW';
}"""


def type_text(
    page: Any,
    label: str,
    text: str,
    *,
    delay: int = 150,
    role: str = "textbox",
    timeout: float = 45,
    settle: float = 3,
) -> Any:
    """Tap the field, select what it holds, type ``text`` key by key; return the element.

    The value is read back from the field. A lost key is a bug to report, not to paper
    over, so a field showing anything else fails — with one exception: under load
    Flutter sometimes routes the keys into its own hidden, unlabelled editor instead of
    the field (seen in CI: the hidden input held "quantri" while "Tên đăng nhập" stayed
    empty), or the focus falls back to the page before the first key (the desk's first
    screen, still settling). Nothing reached the field then, as a person would see; the
    test taps the field again and retypes, as the person would, at most twice.
    """
    shown = ""
    for _ in range(3):
        el = focus(page, label, role=role, timeout=timeout)
        page.keyboard.press("Control+A")
        page.keyboard.type(text, delay=delay)
        deadline = time.monotonic() + settle
        while True:
            try:
                shown = el.input_value() if el.evaluate("el => el.isConnected") else "<gone>"
            except Exception:  # the node was rebuilt under the read
                shown = "<gone>"
            if shown == text:
                return el
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if shown == "<gone>":
            # Flutter rebuilt the field's semantics node after the typing: its text
            # reaches the new node's input once that holds the focus — read it there
            again = focus(page, label, role=role, timeout=timeout)
            shown = again.input_value()
            if shown == text:
                return again
        try:
            stray = page.evaluate(_STRAY_VALUE_JS)
            lost = not shown and bool(page.evaluate(_FOCUS_LOST_JS))
        except Exception:  # the page changed under us
            stray, lost = None, False
        if lost:
            # the field let go of the focus before the first key (seen in CI on the desk's
            # first screen, still settling): no key reached any input — tap again and retype
            time.sleep(0.5)
            continue
        if not stray or shown:  # keys went into the field and were lost, or elsewhere
            break
        _stray_editor(page, blur=True)
        time.sleep(0.5)
    shots = os.environ.get("TAICHO_UI_SHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"lost-{label[:20]}.png"))
    raise AssertionError(
        f"field {label!r} shows {shown!r} after typing {text!r}; {diagnose(page, label)}"
    )


def _fill_once(page: Any, label: str, value: str, timeout: float) -> None:
    # Hold the element itself: its accessible name may change once focused (hint text).
    el = focus(page, label, timeout=timeout)
    el.fill(value)


def fill(page: Any, label: str, value: str, timeout: float = 20, attempts: int = 3) -> None:
    """Focus a field first, then fill it, then check the value stuck.

    Filling an unfocused field is sometimes lost (TESTING.md); here a fill made right
    after the previous field's round trip is also occasionally lost (the semantics
    input is rebuilt), so the value is read back from a fresh lookup and retried.
    """
    for _ in range(attempts):
        _fill_once(page, label, value, timeout)
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            try:
                if textbox(page, label).input_value(timeout=1000) == value:
                    return
            except Exception:  # the node may be rebuilt meanwhile
                pass
            time.sleep(0.15)
    try:
        got = textbox(page, label).input_value(timeout=1000)
    except Exception:  # the node may be rebuilt meanwhile
        got = "<unreadable>"
    raise AssertionError(f"field {label!r} did not keep {value!r} (it shows {got!r})")


def settled_screenshot(page: Any, path: Path, timeout: float = 15) -> Path:
    """Screenshot once two consecutive frames are identical (the canvas paints late)."""
    deadline = time.monotonic() + timeout
    prev = page.screenshot()
    while time.monotonic() < deadline:
        time.sleep(0.3)
        cur = page.screenshot()
        if cur == prev:
            break
        prev = cur
    path.write_bytes(prev)
    return path
