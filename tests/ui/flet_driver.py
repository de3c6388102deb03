"""Helpers to drive Flet's Flutter web client through its semantics DOM with Playwright."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

LOCAL = ("http://127.0.0.1", "http://localhost")

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


def open_app(page: Any, url: str, timeout: float = 60) -> None:
    """Load the app, abort non-local requests, switch on the semantics DOM."""
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort(),
    )
    page.goto(url)
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
    b = button(page, name)
    b.wait_for(state="attached", timeout=timeout * 1000)
    b.scroll_into_view_if_needed(timeout=timeout * 1000)
    b.click(timeout=timeout * 1000)


def textbox(page: Any, label: str) -> Any:
    """The text field whose accessible name starts with ``label`` (then a * or its end)."""
    pattern = re.compile(r"^" + re.escape(label) + r"(\s\*)?(\n|$)")
    return page.get_by_role("textbox", name=pattern).first


def _fill_once(page: Any, label: str, value: str, timeout: float) -> None:
    box = textbox(page, label)
    box.wait_for(state="attached", timeout=timeout * 1000)
    box.scroll_into_view_if_needed(timeout=timeout * 1000)
    # Hold the element itself: its accessible name may change once focused (hint text).
    el = box.element_handle(timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while True:
        el.click(timeout=timeout * 1000)
        if el.evaluate("el => el === document.activeElement"):
            break
        if time.monotonic() > deadline:
            raise AssertionError(f"field {label!r} would not take focus")
        time.sleep(0.2)
    time.sleep(0.3)  # let Flutter attach its text-editing strategy to the focused input
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
