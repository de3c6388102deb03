"""The device secret: 32 random bytes in the platform's secure store, binding PIN wraps.

On Android the store is the Keystore-backed encrypted preferences, on iOS the Keychain
(``flet-secure-storage``, Flutter's ``flutter_secure_storage``); the secret is made on the
first start and never leaves it. ``Keystore`` mixes it into every PIN wrap, so a copy of
``tablet.db`` without the device cannot be PIN-guessed offline (docs/security.md).

The web build has no such store (a browser's storage is readable by whoever holds the
profile), and the headless CLI has no page: both return None and keep the PIN-only wraps,
as documented.
"""

from __future__ import annotations

import logging
from typing import Any

from shared import crypto
from shared.errors import TaiChoError

KEY = "taicho.device_secret.v1"
DEVICE_PLATFORMS = frozenset({"android", "ios"})
_log = logging.getLogger("mobile")


def is_device(page: Any) -> bool:
    """A native app on a phone or tablet (not the web build, not a desktop run)."""
    platform = getattr(getattr(page, "platform", None), "value", "")
    return not getattr(page, "web", True) and str(platform) in DEVICE_PLATFORMS


def decode(raw: object) -> bytes | None:
    """A stored secret, or None when missing or damaged (a new one is then made)."""
    if not isinstance(raw, str):
        return None
    try:
        secret = crypto.b64d(raw)
    except TaiChoError:
        _log.warning("device secret in the secure store is damaged; making a new one")
        return None
    return secret if len(secret) == 32 else None


async def load(page: Any) -> bytes | None:
    """The device secret, made on first use; None where there is no secure store.

    A failure of the store is logged and answered with None: the tablet then works with
    PIN-only wraps (as the web build does) rather than not at all.
    """
    if not is_device(page):
        return None
    try:
        from flet_secure_storage import SecureStorage
    except ImportError:
        _log.warning("flet-secure-storage is not in this build; PIN wraps are not device-bound")
        return None
    try:
        storage = SecureStorage()
        secret = decode(await storage.get(KEY))
        if secret is None:
            secret = crypto.random_key()
            await storage.set(KEY, crypto.b64e(secret))
        return secret
    except Exception:
        _log.exception("secure store unavailable; PIN wraps are not device-bound")
        return None
