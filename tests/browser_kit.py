"""What every browser test shares: Debian's Chromium, how it is started here, the demo logins.

One place for the launch flags /work/shared/TESTING.md found necessary on this machine
(without the background-networking flags Chromium's connections are refused by the
closed network), used by the tablet (tests/ui) and desk (tests/desk) browser tests.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The demo station's staff (sync_server/services/admin/demo.py).
INTAKE = ("tiepnhan", "123456")
APPRAISER = ("thamdinh", "234567")
LEADER = ("lanhdao", "345678")
CLERK = ("vanthu", "456789")
ADMIN = ("quantri", "567890")
