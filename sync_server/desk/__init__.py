"""The desk: the office staff's Flet web app, served by the station at ``/desk``.

Declarative Flet 1.0: ``state.DeskState`` is the per-session observable, ``screens/``
hold the components, ``backend.DeskBackend`` is the only way to the station's services.
"""
