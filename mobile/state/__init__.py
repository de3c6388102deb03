"""Observable app state of the tablet UI (no Flet controls, no SQL, no crypto)."""

from mobile.state.app import AppState, Backend, SyncView, UserView
from mobile.state.form import FormState, PreviewRow, PreviewSection, field_kind

__all__ = [
    "AppState",
    "Backend",
    "FormState",
    "PreviewRow",
    "PreviewSection",
    "SyncView",
    "UserView",
    "field_kind",
]
