"""The desk's screens: thin Flet components that read :class:`DeskState` and call it."""
