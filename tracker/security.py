"""Response headers that keep pages from being framed, sniffed or fed foreign scripts."""

from __future__ import annotations

from flask import Flask
from werkzeug.wrappers import Response

# No inline scripts or styles anywhere: templates load /static files only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _headers(app: Flask, response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(lambda response: _headers(app, response))
