"""The one-stop shop's paperwork for each dossier (fpdf2, on the Nghị định 30 page)."""

from shared.documents.paperwork.base import Component, PaperDossier, Stage
from shared.documents.paperwork.forms import (
    APOLOGY_TITLE,
    CONTROL_SHEET_TITLE,
    RECEIPT_TITLE,
    REFUSAL_TITLE,
    SUPPLEMENT_TITLE,
    render_apology,
    render_control_sheet,
    render_receipt,
    render_refusal,
    render_supplement_request,
)

__all__ = [
    "APOLOGY_TITLE",
    "CONTROL_SHEET_TITLE",
    "RECEIPT_TITLE",
    "REFUSAL_TITLE",
    "SUPPLEMENT_TITLE",
    "Component",
    "PaperDossier",
    "Stage",
    "render_apology",
    "render_control_sheet",
    "render_receipt",
    "render_refusal",
    "render_supplement_request",
]
