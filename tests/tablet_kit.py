"""What the tablet's tests share to look for leaks and read documents back.

A tablet's files must never hold a citizen's value in clear (docs/security.md), and a
document must give its Vietnamese text back through ``pdftotext`` (NFC): the scenario tests
of ``tests/mobile`` and ``tests/integration`` check both the same way, with these.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path
from typing import Any

from mobile.services.tablet import TabletService
from shared.checklist import every_component
from shared.model import DossierSummary
from shared.samples import sample_values
from shared.workdays import vn_now

# The sample birth registration's values that identify the family (shared/samples.py).
CITIZEN_KEYS = (
    "child_full_name",
    "mother_full_name",
    "father_full_name",
    "requester_id_number",
    "mother_id_number",
    "requester_residence",
    "requester_phone",
)


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text as poppler gives it back (layout kept), in NFC."""
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def db_bytes(folder: Path) -> bytes:
    """Every SQLite file of a tablet (with its WAL), as a thief copying them would get."""
    return b"".join(p.read_bytes() for p in folder.rglob("*.db*") if p.is_file())


def citizen_strings(values: dict[str, Any]) -> list[str]:
    """The identifying values of a dossier that must never be found in clear."""
    return [str(values[k]) for k in CITIZEN_KEYS if values.get(k)]


def receive_sample(tablet: TabletService, seed: int) -> DossierSummary:
    """Receive the sample birth registration ``seed`` on an unlocked tablet, every paper
    ticked."""
    values = sample_values("1.001193", vn_now().date(), seed)
    return tablet.intake(
        "1.001193", values, components_received=every_component("1.001193", values)
    )


def enrol_folder(data: Path, url: str, code: str, name: str) -> Path:
    """A tablet's data folder enrolled with the station at ``url``, closed again: what
    an app started on that folder finds."""
    tablet = TabletService(data)
    try:
        tablet.enrolment.enroll(url, code, name)
    finally:
        tablet.close()
    return data
