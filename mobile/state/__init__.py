"""Observable app state of the tablet UI (no Flet controls, no SQL, no crypto)."""

from mobile.state.app import AppState, SyncView
from mobile.state.backend import Backend
from mobile.state.form import FormState, PreviewRow, PreviewSection, field_kind

__all__ = [
    "AppState",
    "Backend",
    "FormState",
    "PreviewRow",
    "PreviewSection",
    "SyncView",
    "field_kind",
]
