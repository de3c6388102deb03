"""Declarative Flet screens of the tablet: thin functions of ``mobile.state``."""
