"""The application behind Flask's ``current_app`` proxy."""

from __future__ import annotations

from flask import Flask, current_app


def current_flask_app() -> Flask:
    """The application itself, not the proxy: to hand to another thread, or to key a cache
    by."""
    # Flask declares current_app as a Flask (hiding its LocalProxy), so the proxy's own
    # documented method is unknown to the type checker: a gap in Flask's annotations.
    return current_app._get_current_object()  # type: ignore[attr-defined]
