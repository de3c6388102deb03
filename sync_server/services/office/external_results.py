"""Results produced outside Tại Chỗ (a procedure without a result layout), recorded at
"stamp": a signed PDF whose signatures pyHanko checks and the station keeps, or a paper
result's number and date.

The PDF is checked *before* the stamp transaction (like the seal signature, it takes
tens of milliseconds); inside it, :func:`record` stores it as the issued result (so the
tablet receives it and the public verify page knows it) and keeps what was checked.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlite_utils import Database

from shared import crypto
from shared.errors import TaiChoError, problem
from shared.external_result import MAX_PDF_BYTES, ExternalResult, RecordedResult, paper_result
from shared.model import Dossier, PaperResult
from shared.workdays import vn_now
from sync_server.services.core.clock import iso, utc_now
from sync_server.services.core.keys import StationKeys
from sync_server.services.office.result_pages import render_pages
from sync_server.store import external_results as q
from sync_server.store import results as results_q

TABLE = "external_results"
REGISTER = "external"  # the results table's register for attached PDFs
VERSION_ISSUED = 2  # as a sealed result (stamping.VERSION_SEALED)


@dataclass(frozen=True)
class CheckedResult:
    """An external result checked and ready to record (``pdf`` None: on paper)."""

    kind: str
    pdf: bytes | None
    sha256: str | None
    number: str | None
    issued_on: str | None
    signatures: tuple[dict[str, Any], ...]
    pages: tuple[bytes, ...] = ()


def check(given: ExternalResult | None) -> CheckedResult:
    """``RESULT_REQUIRED`` without one; a PDF must carry at least one signature and
    every signature must be intact (``RESULT_PDF_*``); a paper one a number and a date."""
    if given is None or (given.pdf is None and given.number is None and given.issued_on is None):
        raise problem("RESULT_REQUIRED", "result")
    if given.pdf is None:
        number, day = paper_result(given.number, given.issued_on, vn_now().date())
        return CheckedResult("paper", None, None, number, day, ())
    if given.number is not None or given.issued_on is not None:
        raise problem(
            "REQUEST_INVALID",
            "result",
            detail="a signed PDF or a paper result, not both",
            detail_vi="chỉ một trong hai: tệp PDF đã ký số hoặc kết quả bản giấy",
        )
    signatures = check_pdf(given.pdf)
    return CheckedResult(
        "pdf",
        given.pdf,
        crypto.sha256_hex(given.pdf),
        None,
        None,
        tuple(signatures),
        tuple(render_pages(given.pdf)),
    )


# Debian's CA bundle (the ca-certificates package): the roots a signer may chain to.
SYSTEM_ROOTS = Path("/etc/ssl/certs/ca-certificates.crt")


@lru_cache(maxsize=1)
def _roots() -> tuple[x509.Certificate, ...]:
    """The system's trusted roots, read once. pyHanko's own fallback to the system list is
    deprecated (and the suite turns its warning into an error: a PDF signed elsewhere
    was refused as "broken" under test): the list is passed explicitly instead."""
    if not SYSTEM_ROOTS.is_file():
        return ()
    data = SYSTEM_ROOTS.read_bytes()
    return tuple(x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True))


def _context() -> ValidationContext:
    """Offline (no OCSP or CRL fetched: the office may have no network), against the
    system's roots: ``trusted`` is recorded, an unknown CA does not refuse the result."""
    return ValidationContext(trust_roots=_roots(), allow_fetching=False)


def check_pdf(pdf: bytes) -> list[dict[str, Any]]:
    """Every signature of ``pdf`` validated by pyHanko (integrity and the signer's
    certificate; trust in another system's CA is recorded, not required)."""
    if len(pdf) > MAX_PDF_BYTES:
        raise problem(
            "RESULT_PDF_INVALID",
            "result_pdf",
            detail=f"at most {MAX_PDF_BYTES // (1024 * 1024)} MB",
            detail_vi=f"tối đa {MAX_PDF_BYTES // (1024 * 1024)} MB",
        )
    if not pdf.startswith(b"%PDF-"):
        raise problem(
            "RESULT_PDF_INVALID", "result_pdf", detail="not a PDF", detail_vi="không phải tệp PDF"
        )
    try:
        sigs = list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
    except Exception as exc:  # pyHanko raises many kinds for a damaged file
        raise problem(
            "RESULT_PDF_INVALID",
            "result_pdf",
            detail=type(exc).__name__,
            detail_vi="tệp PDF hỏng",
        ) from None
    if not sigs:
        raise problem("RESULT_PDF_UNSIGNED", "result_pdf")
    out = []
    for sig in sigs:
        try:
            status = validate_pdf_signature(sig, signer_validation_context=_context())
        except (TaiChoError, Exception):
            raise problem(
                "RESULT_PDF_SIGNATURE_INVALID", "result_pdf", signature=sig.field_name
            ) from None
        if not (status.intact and status.valid):
            raise problem("RESULT_PDF_SIGNATURE_INVALID", "result_pdf", signature=sig.field_name)
        cert = status.signing_cert
        subject = cert.subject.native if cert is not None else {}
        out.append(
            {
                "field": sig.field_name,
                "signer": str(subject.get("common_name", "")),
                "organisation": str(subject.get("organization_name", "")),
                "intact": True,
                "valid": True,
                "trusted": bool(status.trusted),
                "coverage": status.coverage.name if status.coverage is not None else "",
                "signed_at": status.signer_reported_dt.isoformat()
                if status.signer_reported_dt
                else "",
            }
        )
    return out


def record(
    db: Database, keys: StationKeys, d: Dossier, c: CheckedResult, name: str, by: str
) -> dict[str, Any] | None:
    """Inside the stamp transaction: keep what was checked and, for a PDF, issue it as
    the dossier's result. Returns the feed's ``result`` object (None on paper)."""
    now = iso(vn_now())
    data = {
        "kind": c.kind,
        "sha256": c.sha256,
        "number": c.number,
        "issued_on": c.issued_on,
        "signatures": list(c.signatures),
        "recorded_by": by,
    }
    q.put(
        db,
        d.id,
        c.kind,
        keys.encrypt(TABLE, d.id, 1, json.dumps(data, ensure_ascii=False).encode("utf-8")),
        now,
    )
    if c.pdf is None or c.sha256 is None:
        if c.number is not None and c.issued_on is not None:
            d.paper_result = PaperResult(c.number, c.issued_on)
        return None
    year = vn_now().year
    results_q.insert(
        db,
        {
            "dossier_id": d.id,
            "version": VERSION_ISSUED,
            "pdf_enc": keys.encrypt("results", d.id, VERSION_ISSUED, c.pdf),
            "sha256": c.sha256,
            "content_sha256": c.sha256,
            "register": REGISTER,
            "register_year": year,
            "register_number": results_q.take_register_number(db, REGISTER, year),
            "created_at": iso(utc_now()),
            "issued_at": now,
            "layout": None,
        },
    )
    d.result_sha256 = c.sha256
    return {
        "sha256": c.sha256,
        "pdf_b64": crypto.b64e(c.pdf),
        "name": name,
        "pages_png_b64": [crypto.b64e(p) for p in c.pages],
    }


def recorded(db: Database, keys: StationKeys, dossier_id: str) -> RecordedResult | None:
    """What was recorded at "stamp" for an external result, or None."""
    row = q.get(db, dossier_id)
    if row is None:
        return None
    return RecordedResult.from_dict(json.loads(keys.decrypt(TABLE, dossier_id, 1, row["data_enc"])))
