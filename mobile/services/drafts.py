"""Unfinished forms, saved encrypted so that nothing typed is lost.

A draft is what staff typed into a form that was not yet received: saved every second
while typing, kept when the tablet locks, listed on home, reopened after the app was
killed. Each draft is one file under ``<data>/drafts/`` sealed with the tablet's data
key (``Keystore.seal_blob``, the draft id bound as associated data), written atomically
(temporary file, then rename). Without the PIN a draft is unreadable, like every record.
Files rather than a table: drafts are private to this tablet, never synced, and a
crashed write must never damage the dossier database.
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mobile.services.keystore import Keystore
from shared.errors import TaiChoError, problem

log = logging.getLogger(__name__)
_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Draft:
    id: str
    procedure: str
    title: str
    saved_at: str
    values: dict[str, Any]
    supplement_of: str = ""
    components: list[str] = field(default_factory=list)  # the checklist's ticks so far
    # The photos taken so far (AttachmentRef dicts; the pictures stay sealed in the
    # tablet's attachment store, named by hash).
    photos: list[dict[str, Any]] = field(default_factory=list)


def new_draft_id() -> str:
    return uuid.uuid4().hex


class Drafts:
    """The drafts of one tablet data folder, sealed with its keystore's data key."""

    def __init__(self, data_dir: Path, keys: Keystore) -> None:
        self.folder = Path(data_dir) / "drafts"
        self.keys = keys

    def _path(self, draft_id: str) -> Path:
        if not _ID.match(draft_id):
            raise problem("DOSSIER_NOT_FOUND", "id")
        return self.folder / f"{draft_id}.draft"

    @staticmethod
    def _label(draft_id: str) -> str:
        return f"draft:{draft_id}"

    def save(self, draft: Draft) -> None:
        """Seal and write one draft (replacing the previous save of the same id)."""
        body = json.dumps(draft.__dict__, ensure_ascii=False, sort_keys=True).encode()
        blob = self.keys.seal_blob(self._label(draft.id), body)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(draft.id)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)

    def load(self, draft_id: str) -> Draft:
        path = self._path(draft_id)
        if not path.exists():
            raise problem("DOSSIER_NOT_FOUND", "id")
        data = json.loads(self.keys.open_blob(self._label(draft_id), path.read_bytes()))
        return Draft(**data)

    def list(self) -> list[Draft]:
        """Every readable draft, newest first (a damaged file is skipped, not fatal)."""
        if not self.folder.exists():
            return []
        out = []
        for path in self.folder.glob("*.draft"):
            try:
                out.append(self.load(path.stem))
            except TaiChoError as err:
                if err.code != "DECRYPT_FAILED":
                    raise  # LOCKED: the caller must unlock first
                log.warning("unreadable draft %s: %s", path.name, err.code)
            except (ValueError, KeyError, TypeError) as err:  # damaged: leave it, say so
                log.warning("unreadable draft %s: %s", path.name, err)
        return sorted(out, key=lambda d: d.saved_at, reverse=True)

    def delete(self, draft_id: str) -> None:
        self._path(draft_id).unlink(missing_ok=True)
