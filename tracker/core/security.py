"""Response headers that keep pages from being framed, sniffed, fed foreign scripts, or kept
in caches when they hold a newsroom's data."""

from __future__ import annotations

from flask import Flask, g, request, session
from werkzeug.wrappers import Response

# No inline scripts or styles anywhere: templates load /static files only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _common_headers(app: Flask, response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def _private(response: Response) -> bool:
    """True for an answer to a logged-in session or an API token, and for every download
    (the layout's own static files excepted)."""
    if request.endpoint == "static":
        return False
    if "api_user" in g or response.headers.get("Content-Disposition", "").startswith("attachment"):
        return True
    # Flask-Login's user of this request, loaded before the view ran when the session names
    # one; never loaded here (the database may be what failed).
    user = g.get("_login_user")
    if user is not None:
        return bool(user.is_authenticated)
    return "_user_id" in session


def _headers(app: Flask, response: Response) -> Response:
    if _private(response):
        # Confidential pages and files stay out of browser, proxy and shared caches; the
        # back button after logging out shows nothing either.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return _common_headers(app, response)


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(lambda response: _headers(app, response))
