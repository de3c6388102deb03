"""Test-run wide settings: how the suite is shared between pytest-xdist workers.

CI has two cores and the suite is half browser tests, which mostly wait (keys typed one
at a time, Flutter frames) and half CPU-bound tests (crypto, hypothesis, PDFs). With
``-n 2 --dist loadgroup`` (scripts/test.sh) the browser tests run one after another on one
worker — as before, so no two Chromium pages race each other for the same machine — while
the other worker takes the rest, a whole module at a time so that a module's fixtures (a
station, an enrolled tablet) are built once. Without xdist the groups change nothing.
"""

from __future__ import annotations

import pytest

BROWSER_GROUP = "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        group = BROWSER_GROUP if item.get_closest_marker("browser") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
