"""Offline check of a signed result PDF against the trust anchors pinned at enrolment.

``python -m mobile.headless --data DIR verify FILE.pdf`` uses it. It needs pyHanko, which
the station installs but which may not be in Flet's mobile package index: on the tablet
build it is optional (:func:`available`), and the check then runs on a PC with the tablet's
data folder (or with ``--ca ca.pem`` from ``python -m sync_server admin cert-export``).

A result is valid when every signature is cryptographically intact, chains to a pinned
anchor, the last one covers the whole file, and no later change was made that the earlier
signatures do not allow. The dossier code comes from the signatures' reason
("Phê duyệt hồ sơ <code>").
"""

from __future__ import annotations

import io
import re
from typing import Any

from shared.errors import problem
from shared.upstream import silence_known

_CODE_RE = re.compile(r"hồ sơ\s+(\S+)\s*$")


def available() -> bool:
    silence_known()  # before pyHanko is imported: see shared/upstream.py
    try:
        import pyhanko  # noqa: F401
    except ImportError:
        return False
    return True


def verify_pdf(pdf: bytes, anchors_pem: list[str]) -> dict[str, Any]:
    """``{valid, signers, code}`` for ``pdf``; ``signers`` in signing order."""
    if not available():
        raise problem(
            "REQUEST_INVALID",
            "verify",
            detail="needs pyHanko (run this on a PC)",
            detail_vi="cần pyHanko (chạy lệnh này trên máy tính)",
        )
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for block in anchors_pem:
        for _, _, der in pem.unarmor(block.encode("ascii"), multiple=True):
            roots.append(x509.Certificate.load(der))
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception as exc:  # not a PDF, or a broken one: "not valid", not a crash
        return {"valid": False, "signers": [], "code": None, "detail": str(exc)[:200]}
    signers: list[dict[str, Any]] = []
    code: str | None = None
    ok = bool(sigs)
    for i, sig in enumerate(sigs):
        vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        status = validate_pdf_signature(sig, vc)
        covers = (
            status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            if i == len(sigs) - 1
            else status.coverage is not None
            and status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        )
        good = bool(status.intact and status.valid and status.trusted and covers)
        if status.docmdp_ok is False:
            good = False
        ok = ok and good
        reason = str(sig.sig_object.get("/Reason", ""))
        match = _CODE_RE.search(reason)
        if match and code is None:
            code = match.group(1)
        subject = status.signing_cert.subject.native
        signers.append(
            {
                "field": sig.field_name,
                "name": str(subject.get("common_name", "")),
                "organisation": str(subject.get("organization_name", "")),
                "signed_at": status.signer_reported_dt.isoformat()
                if status.signer_reported_dt
                else None,
                "intact": bool(status.intact),
                "trusted": bool(status.trusted),
                "valid": good,
            }
        )
    return {"valid": ok, "signers": signers, "code": code}
