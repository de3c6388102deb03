"""Warnings our libraries raise about *their own* dependencies, each silenced narrowly.

Why a list here and not a blanket ``ignore``: the test suite turns every warning into an
error (``filterwarnings = ["error"]`` in ``pyproject.toml``) because a warning is a bug
waiting; a broad ignore would hide the next real one. Each entry below names the exact
message, the category and the one module that raises it, and links the upstream change,
so it can be dropped once the library catches up. The same entries are in
``pyproject.toml``'s ``filterwarnings`` (pytest resets the filters around every test, so a
filter set at import time does not cover a later import there).

Front ends call :func:`silence_known` before importing the library (the station package
does it in ``sync_server/__init__.py``; the tablet's optional PDF check before it imports
pyHanko). Pure: it only registers filters with :mod:`warnings`, so the tablet (which runs
cryptography 43.0.1, where none of these warnings exist) can call it too.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path


@dataclass(frozen=True)
class KnownWarning:
    """One upstream warning: what it says, its class, the module that raises it, why."""

    message: str  # regex matched against the start of the warning's text
    category: str  # "module.ClassName", imported lazily (the tablet may lack the module)
    module: str  # regex matched against the raising module's full name
    link: str


KNOWN: tuple[KnownWarning, ...] = (
    # cryptography 51.0 deprecates DSA (https://github.com/pyca/cryptography/pull/15597);
    # pyHanko 0.38 imports DSAPrivateKey at module import for its isinstance checks, and
    # never signs with DSA here (our keys are RSA/ECDSA). Drop this once pyHanko stops
    # importing it.
    KnownWarning(
        message=r"DSA is deprecated",
        category="cryptography.utils.CryptographyDeprecationWarning",
        module=r"pyhanko\.sign\.signers\.pdf_cms",
        link="https://github.com/pyca/cryptography/pull/15597",
    ),
)


def _category(dotted: str) -> type[Warning] | None:
    module_name, _, name = dotted.rpartition(".")
    try:
        module = __import__(module_name, fromlist=[name])
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if isinstance(found, type) and issubclass(found, Warning) else None


def silence_known() -> None:
    """Register an ``ignore`` filter for each :data:`KNOWN` warning (idempotent)."""
    for known in KNOWN:
        category = _category(known.category)
        if category is None:
            continue
        warnings.filterwarnings(
            "ignore", message=known.message, category=category, module=known.module
        )


def warnings_to_log(log_file: Path) -> None:
    """Send every other library warning to ``log_file``, never to the person's terminal.

    For command-line entry points only (``python -m sync_server``, ``mobile.headless``):
    a warning is for the developer reading the log, not for the office clerk running a
    command. The file is opened only when a warning is written (``delay=True``), so a
    quiet run leaves nothing behind. Tests do not call this: there warnings stay errors.
    """
    silence_known()
    logging.captureWarnings(True)
    logger = logging.getLogger("py.warnings")
    logger.propagate = False
    if any(getattr(h, "baseFilename", None) == str(log_file) for h in logger.handlers):
        return
    handler = RotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
