"""The citizen's declaration (tờ khai) of a dossier as the station prints it.

Rendered on request from the stored dossier, its procedure version and the unit with
the same pure function the tablet uses (``shared.documents.declaration``), so the
station's copy and the tablet's are the same document.
"""

from __future__ import annotations

from sqlite_utils import Database

from shared.catalogue import Catalogue
from shared.documents.declaration import (
    declaration_file_name,
    declaration_of,
    render_declaration,
)
from shared.errors import TaiChoError
from sync_server.services.core.keys import StationKeys
from sync_server.services.office import dossiers as dossier_store
from sync_server.services.setup.units import require_unit


def declaration_pdf(
    db: Database, keys: StationKeys, catalogue: Catalogue, dossier_id: str
) -> tuple[bytes, str]:
    """The declaration's PDF and its file name (``DOSSIER_NOT_FOUND`` for an unknown id)."""
    d = dossier_store.load(db, keys, dossier_id)
    try:  # the version the dossier was filled under, as the tablet draws it
        proc = catalogue.get(d.procedure, d.procedure_version)
    except TaiChoError:
        proc = catalogue.get(d.procedure)
    pdf = render_declaration(declaration_of(d, proc, require_unit(db)))
    return pdf, declaration_file_name(d.code)
