"""Languages: Flask-Babel, with the reader's language picked for each request.

Every string a user sees goes through these functions (templates have ``_`` and ``ngettext``
from Flask-Babel's Jinja extension); the catalogues live in ``tracker/translations/``.

The reader's language, first that applies: their account's preference (``User.locale``), the
language switch's cookie (works logged out), the browser's ``Accept-Language``, the newsroom's
``TRACKER_DEFAULT_LOCALE``. A value we do not speak is skipped, never an error.

The ``.po`` catalogues are committed; their compiled ``.mo`` files are not: ``make install``
compiles them, and :func:`compile_catalogues` does it again at start-up when one is missing or
older than its ``.po`` (a fresh clone, a merge that touched a catalogue).
"""

from __future__ import annotations

import logging
import os
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import click
from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask.cli import ScriptInfo
from flask_babel import (
    Babel,
    force_locale,
    format_date,
    format_decimal,
    get_locale,
    gettext,
    lazy_gettext,
    ngettext,
)

from tracker.core.config import LOCALES, PROJECT_ROOT

__all__ = [
    "COOKIE_NAME",
    "LOCALES",
    "LOCALE_NAMES",
    "TRANSLATIONS",
    "_",
    "browser_locale",
    "command_context",
    "compile_catalogues",
    "force_locale",
    "format_date",
    "format_decimal",
    "get_locale",
    "gettext",
    "init_app",
    "lazy_gettext",
    "locale_of",
    "ngettext",
    "normalize_locale",
    "select_locale",
]

_ = gettext
babel = Babel()
log = logging.getLogger(__name__)

TRANSLATIONS = PROJECT_ROOT / "tracker" / "translations"
#: The language switch's cookie (a year; read when no account preference applies).
COOKIE_NAME = "tracker_locale"
#: Each language named in itself, as the switch shows it.
LOCALE_NAMES: dict[str, str] = {"en": "English", "fr": "Français"}


def normalize_locale(value: object) -> str | None:
    """``"fr-CA"``, ``"FR"`` or ``"fr_CA"`` as ``"fr"``; None for anything we do not speak."""
    if not isinstance(value, str):
        return None
    code = value.strip().lower().replace("-", "_").split("_")[0]
    return code if code in LOCALES else None


def _default_locale() -> str:
    return normalize_locale(current_app.config.get("DEFAULT_LOCALE")) or "en"


def select_locale() -> str:
    """The reader's language: account, then the switch's cookie, then the browser, then ours."""
    if not has_request_context():
        return _default_locale()
    # Only the account already loaded for this request (tracker.register_extensions loads it
    # first): loading it here would ask the database again while an error page is drawn
    # because the database is gone.
    # The API's token holder (tracker.api.views) reads in their account's language too.
    user = g.get("_login_user") or g.get("api_user")
    if user is not None and getattr(user, "is_authenticated", False):
        chosen = normalize_locale(getattr(user, "locale", None))
        if chosen:
            return chosen
    return browser_locale()


def browser_locale() -> str:
    """The language the browser asks for (the switch's cookie, else Accept-Language), else
    the newsroom's: what a page reads when it must not ask the database who is logged in."""
    chosen = normalize_locale(request.cookies.get(COOKIE_NAME))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(LOCALES)
    return normalize_locale(best) or _default_locale()


def locale_of(user: object) -> str:
    """The language of the person doing something now: their account's preference, else the
    reader's (this request's browser, or outside a request the newsroom's default). Notes
    written for them into a request (an import's, a restore's, mail read in) use it."""
    return normalize_locale(getattr(user, "locale", None)) or select_locale()


def command_context(ctx: click.Context) -> AbstractContextManager[object]:
    """The application's context for a command's option callback, which runs before
    ``with_appcontext`` pushes it: its messages then use TRACKER_DEFAULT_LOCALE too."""
    info = ctx.find_object(ScriptInfo)
    if has_app_context() or info is None:
        return nullcontext()
    return info.load_app().app_context()


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each ``.po`` under ``directory`` whose ``.mo`` is missing or older; the written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written: list[Path] = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parent.parent.name)
        # Beside it under a name of this process's own, then renamed: two workers starting at
        # once each write whole files, and a reader never sees half of one.
        partial = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        partial.replace(mo_path)
        written.append(mo_path)
    return written


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the tracker's catalogues and language choice."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config.get("DEFAULT_LOCALE", "en"))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    try:
        compile_catalogues()
    except OSError as exc:  # a read-only install: `make install` compiled them already
        log.warning("could not compile the translation catalogues: %s", exc)
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_helpers() -> dict[str, object]:
        return {
            "current_locale": str(get_locale() or _default_locale()),
            "locale_names": LOCALE_NAMES,
        }
