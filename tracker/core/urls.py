"""The tracker's public address, for links in mails, feeds, exports and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, has_request_context, request

# Where `flask --app tracker serve` listens unless told otherwise.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def base_url(config: Mapping[str, Any] | None = None, *, mail: bool = False) -> str:
    """TRACKER_BASE_URL when set; otherwise the address the tracker is served at: the one
    this page was asked at, or (for mails, which never trust a request's Host header) the
    address `serve` listens on."""
    settings = current_app.config if config is None else config
    configured = settings.get("BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if not mail and has_request_context():
        return request.host_url.rstrip("/")
    return str(settings.get("SERVED_URL") or DEFAULT_BASE_URL).rstrip("/")
