"""Error pages in the tracker's layout; JSON for API paths."""

from __future__ import annotations

from typing import TypeVar

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from tracker.language.i18n import _, browser_locale, force_locale, lazy_gettext

T = TypeVar("T")


def validated(value: T | None) -> T:
    """A required field's data once its form validated: WTForms types every field's data as
    optional, and a required field that validated holds a value."""
    if value is None:
        raise ValueError("a required field is empty after its form validated")
    return value


# The page's title and sentence for the usual codes, in the reader's language (the API's JSON
# keeps werkzeug's English names: its clients are programs). A view's own description (abort
# with a message) is shown instead of the sentence.
HTTP_TEXTS = {
    400: (
        lazy_gettext("Bad Request"),
        lazy_gettext("The tracker could not understand what was sent; nothing was saved."),
    ),
    401: (lazy_gettext("Unauthorized"), lazy_gettext("Log in to see this page.")),
    403: (lazy_gettext("Forbidden"), lazy_gettext("Your account may not see or change this.")),
    404: (
        lazy_gettext("Not Found"),
        lazy_gettext(
            "There is nothing at this address. Check the link, or start again from the dashboard."
        ),
    ),
    405: (
        lazy_gettext("Method Not Allowed"),
        lazy_gettext("This address does not accept that kind of request."),
    ),
    409: (
        lazy_gettext("Conflict"),
        lazy_gettext("Someone changed this meanwhile; reload the page and try again."),
    ),
    410: (lazy_gettext("Gone"), lazy_gettext("What was at this address is no longer there.")),
    413: (
        lazy_gettext("Request Entity Too Large"),
        lazy_gettext("The upload is too large; nothing was saved."),
    ),
    429: (
        lazy_gettext("Too Many Requests"),
        lazy_gettext("Too many tries in a short time. Wait a moment, then try again."),
    ),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _http_error(exc: HTTPException) -> tuple[str | Response, int]:
    code = exc.code or 500
    if code == 413:
        from flask import current_app

        exc.description = _(
            "The upload is larger than the %(limit)s MB limit; nothing was saved. "
            "Go back and choose a smaller file.",
            limit=current_app.config["MAX_UPLOAD_MB"],
        )
    title, message = HTTP_TEXTS.get(code, (exc.name, exc.description))
    if exc.description != type(exc).description:  # the view's own words
        message = exc.description
    if _wants_json():
        # "error" stays the status's English name (a stable code); "reason" in the reader's language.
        return jsonify(error=exc.name, reason=str(message)), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _csrf_error(exc: CSRFError) -> tuple[str | Response, int]:
    message = _(
        "This form expired or was not sent from the tracker’s own page. "
        "Go back, reload the page and send it again."
    )
    if _wants_json():
        return jsonify(error="Bad Request", reason=str(message)), 400
    return render_template(
        "errors/error.html", code=400, title=_("Form expired"), message=message
    ), 400


def _database_down(exc: Exception) -> tuple[str | Response, int]:
    from flask import current_app

    current_app.logger.error(
        "Database unavailable on %s %s: %s",
        request.method,
        request.path,
        str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
    )
    reason = "The database is unavailable; nothing was saved. Try again in a moment."
    if _wants_json():
        return jsonify(error="Service Unavailable", reason=reason), 503
    # Rendered without context processors: Flask-Login's would ask the database who is
    # logged in, and the layout would too.
    # In the browser's language: the account's would need the database.
    with force_locale(browser_locale()):
        html = current_app.jinja_env.get_template("errors/unavailable.html").render(
            message=_("The database is unavailable; nothing was saved. Try again in a moment.")
        )
    return html, 503


def _unexpected(exc: Exception) -> tuple[str | Response, int]:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    if isinstance(exc, (OperationalError, InterfaceError)):
        return _database_down(exc)
    # Logged with its traceback; the page shows none.
    from flask import current_app

    current_app.logger.exception("Unexpected error on %s %s", request.method, request.path)
    error = InternalServerError()
    if _wants_json():
        return jsonify(error=error.name, reason="Unexpected error; it has been logged."), 500
    return render_template(
        "errors/error.html",
        code=500,
        title=_("Something went wrong"),
        message=_(
            "The error has been logged. Nothing you typed was saved "
            "unless the page said so; please try again."
        ),
    ), 500


def _nul_field() -> str | None:
    """The name of the first path part, query parameter or form field holding a NUL character
    (no database keeps one in text: PostgreSQL refuses it), or None. Uploaded files' names
    are cleaned instead (service.safe_display_name), as they come from the sender's disk."""
    pairs = [
        *(request.view_args or {}).items(),
        *request.args.items(multi=True),
        *request.form.items(multi=True),
    ]
    for name, value in pairs:
        if "\x00" in name or "\x00" in str(value):
            return name.replace("\x00", "")
    return None


def refuse_nul_characters() -> tuple[str | Response, int] | None:
    """Answer 400, naming the field, to a request whose text holds a NUL character."""
    if request.method == "OPTIONS":
        return None
    field = _nul_field()
    if field is None:
        return None
    if _wants_json():
        reason = (
            f"The field {field!r} holds a NUL character (U+0000), which no text may contain; "
            "nothing was saved. Remove it and send again."
        )
        return jsonify(error="Bad Request", reason=reason, field=field), 400
    message = _(
        "The field %(field)s holds a NUL character (U+0000), which no text may contain; "
        "nothing was saved. Remove it and send again.",
        field=repr(field),
    )
    return render_template(
        "errors/error.html", code=400, title=_("Bad Request"), message=message
    ), 400


def register_errorhandlers(app: Flask) -> None:
    """Render every HTTP error and unexpected exception in the tracker's layout; refuse NUL
    characters before any view reads them."""
    app.before_request(refuse_nul_characters)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
