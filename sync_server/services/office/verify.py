"""Public verification of an issued result: ``/verify/{code}`` and ``/v1/verify/{code}``.

Anyone holding the paper (QR code) or the PDF may ask whether it is genuine. The answer
names only what the paper itself shows: the kind of document, Số / Quyển số, the issuing
commune, the issue date, the signers (the leader's name and title, the commune) and the
SHA-256 of the signed file — never the citizen's data. A dossier that was not issued
(not yet sealed, refused, withdrawn) is "unknown", like a code that does not exist.

``sha256`` may be either the hash printed in the QR link (of the printed data) or the
SHA-256 of the PDF file someone received; anything else is "altered".
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.views import Signer, Verification, VerifyStatus
from sync_server.services.core.keys import StationKeys
from sync_server.services.core.station import get_unit
from sync_server.services.office import stamping
from sync_server.store import dossiers as dossier_q
from sync_server.store import results as result_q

_SHA_RE = re.compile(r"^[0-9a-f]{64}$")

GENUINE, ISSUED, ALTERED, UNKNOWN = (
    VerifyStatus.GENUINE,
    VerifyStatus.ISSUED,
    VerifyStatus.ALTERED,
    VerifyStatus.UNKNOWN,
)


def _signers(pdf: bytes) -> list[Signer]:
    """Who signed, as the signature appearances show it (names from the certificates)."""
    out = []
    for sig in PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures:
        cert = sig.signer_cert
        subject = cert.subject.native if cert is not None else {}
        out.append(
            Signer(
                field=sig.field_name,
                name=str(subject.get("common_name", "")),
                title=str(subject.get("title", "")),
                organisation=str(subject.get("organization_name", "")),
            )
        )
    return out


def verify_code(
    db: Database,
    keys: StationKeys,
    catalogue: Catalogue,
    code: str,
    sha256: str | None,
) -> Verification:
    """The verification answer for ``code`` (and optionally a document's ``sha256``)."""
    given = (sha256 or "").strip().lower() or None
    base = Verification(code, UNKNOWN, genuine=False)
    if given is not None and not _SHA_RE.match(given):
        return replace(base, detail="sha256 must be 64 hex digits")
    row = dossier_q.get_by_code(db, code) if len(code) <= 64 else None
    result = result_q.get(db, row["id"]) if row else None
    if row is None or result is None or not result["issued_at"] or not row["result_sha256"]:
        return base
    unit = get_unit(db) or {}
    procedure = row["procedure"]
    document = catalogue.get(procedure).result_name.vi if procedure in catalogue else ""
    pdf = stamping.result_pdf(db, keys, row["id"])
    if given is None:
        status = ISSUED
    elif given in (result["sha256"], result["content_sha256"]):
        status = GENUINE
    else:
        status = ALTERED
    return Verification(
        code,
        status,
        genuine=status == GENUINE,
        document=document,
        issuer=unit.get("name") or unit.get("registration_office") or "",
        issued_at=result["issued_at"],
        register_number=int(result["register_number"]),
        register_book=f"01/{result['register_year']}",
        file_sha256=result["sha256"],
        signers=_signers(pdf),
    )
