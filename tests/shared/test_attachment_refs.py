"""Photo references on a dossier: declared once (shared/model.py), strict on the wire,
old dossiers without them still read, and each checked against the procedure."""

from __future__ import annotations

from typing import Any

import pytest

from shared import messages as m
from shared.attachments import MAX_PER_DOSSIER, chunk_count, chunk_length, megabytes
from shared.checklist import check_refs
from shared.errors import TaiChoError
from shared.model import AttachmentRef, Dossier
from shared.procedures import builtin

REF = {
    "sha256": "ab" * 32,
    "component": "birth_certificate_medical",
    "mime": "image/jpeg",
    "size": 912_345,
    "width": 2000,
    "height": 1500,
    "taken_at": "2026-11-28T09:15:00+07:00",
}


def dossier(**over: Any) -> dict[str, Any]:
    d = {
        "id": "d1",
        "code": "000.31.22.H20-261128-0001",
        "procedure": "1.001193",
        "procedure_version": 1,
        "values": {},
        "status": "received",
        "version": 1,
        "base_version": 0,
        "device_id": "dev",
        "received_by": "tiepnhan",
        "received_at": None,
        "due_at": None,
    }
    return {**d, **over}


def test_a_dossier_with_photos_round_trips_through_the_wire() -> None:
    d = Dossier.from_dict(dossier(attachments=[REF]))
    assert d.attachments == [AttachmentRef(**REF)]
    wire = m.to_json_bytes(m.DossierSubmit("dossier.submit", d))
    again = m.from_json_bytes(m.DossierSubmit, wire).dossier
    assert again == d


def test_an_older_dossier_without_photos_still_reads() -> None:
    d = Dossier.from_dict(dossier())
    assert d.attachments == []
    assert d.to_dict()["attachments"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sha256": "AB" * 32}, "attachments[0].sha256"),
        ({"sha256": "ab" * 31}, "attachments[0].sha256"),
        ({"mime": "application/pdf"}, "attachments[0].mime"),
        ({"size": 0}, "attachments[0].size"),
        ({"width": -1}, "attachments[0].width"),
        ({"component": ""}, "attachments[0].component"),
        ({"component": "x" * 81}, "attachments[0].component"),
        ({"extra": 1}, "attachments[0].extra"),
    ],
)
def test_a_bad_reference_is_refused_naming_it(change: dict[str, Any], field: str) -> None:
    with pytest.raises(TaiChoError) as exc:
        Dossier.from_dict(dossier(attachments=[{**REF, **change}]))
    assert (exc.value.code, exc.value.field) == ("REQUEST_INVALID", field)


def test_too_many_photos_are_refused() -> None:
    with pytest.raises(TaiChoError) as exc:
        Dossier.from_dict(dossier(attachments=[REF] * (MAX_PER_DOSSIER + 1)))
    assert exc.value.field == "attachments"


def test_references_are_checked_against_the_procedure() -> None:
    proc = builtin().get("1.001193")
    ok = AttachmentRef(**REF)
    check_refs(proc, [ok, AttachmentRef(**{**REF, "component": "requester_id"})])
    with pytest.raises(TaiChoError) as exc:
        check_refs(proc, [ok, ok])
    assert exc.value.field == "attachments[1]"
    with pytest.raises(TaiChoError) as exc:
        check_refs(proc, [AttachmentRef(**{**REF, "component": "passport_of_the_moon"})])
    assert exc.value.field == "attachments[0].component"


def test_chunk_arithmetic() -> None:
    assert chunk_count(1, 4096) == 1 and chunk_length(1, 4096, 0) == 1
    assert chunk_count(8192, 4096) == 2 and chunk_length(8192, 4096, 1) == 4096
    assert chunk_count(8193, 4096) == 3 and chunk_length(8193, 4096, 2) == 1
    assert (megabytes(8 * 1024 * 1024), megabytes(40_000), megabytes(13_107_200)) == (
        "8",
        "0.04",
        "12.5",
    )
