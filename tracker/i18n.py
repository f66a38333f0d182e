"""Languages: Flask-Babel, with the reader's language picked for each request.

Every string a user sees goes through these functions (templates have ``_`` and ``ngettext``
from Flask-Babel's Jinja extension); the catalogues live in ``tracker/translations/``.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import Babel, format_date, format_decimal, gettext, lazy_gettext, ngettext

from tracker.config import LOCALES, PROJECT_ROOT

__all__ = [
    "LOCALES",
    "_",
    "format_date",
    "format_decimal",
    "gettext",
    "init_app",
    "lazy_gettext",
    "ngettext",
    "select_locale",
]

_ = gettext
babel = Babel()


def select_locale() -> str:
    """The reader's language: the browser's preference among ours, else the newsroom's."""
    default = current_app.config.get("DEFAULT_LOCALE", "en")
    if has_request_context():
        best = request.accept_languages.best_match(LOCALES)
        if best:
            return best
    return default


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the tracker's catalogues and language choice."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config.get("DEFAULT_LOCALE", "en"))
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "tracker" / "translations")
    )
    babel.init_app(app, locale_selector=select_locale)
