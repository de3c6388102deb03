"""A desk change that leaves a dossier's status as it is, noted once for every kind.

An apology, a lookup and the spouses' signatures each make the dossier's next version
with a history entry that says who did what, when, with a note; the caller then saves it
and logs it (``actions.record_change``) in its transaction. A workflow action moves the
status and writes its own entry (``actions.apply_action``). The child's personal ID
(``actions.record_personal_id``) writes the same entry by hand for now: ``actions.py``
is being changed by the cross-commune relay work, and can take this after that merge.
"""

from __future__ import annotations

from shared.model import Dossier, HistoryEntry
from shared.workflow import Action
from sync_server.services.setup.staff import Staff


def append_note(d: Dossier, staff: Staff, action: Action, at: str, note: str | None) -> None:
    """The dossier's next version with a history entry that leaves its status as it is:
    who did ``action``, when, and the note (a reason, the number replaced, …)."""
    d.version += 1
    d.history.append(
        HistoryEntry(
            action, d.status.value, d.status.value, staff.username, staff.role.value, at, note
        )
    )
