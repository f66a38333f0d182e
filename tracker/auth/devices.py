"""Device cookies (OWASP "Slow down online guessing attacks with device cookies").

After a successful login the browser gets a signed cookie naming the account and a random
nonce. It is not a session and logs nobody in: it only says "this browser knew the password of
this account before", so the login throttle counts that browser's failures on their own and
never locks it out for other people's failures (tracker.auth.service.login_throttled).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from tracker.auth.service import normalise_email

COOKIE = "tracker_device"
SALT = "login-device"
MAX_AGE_SECONDS = 180 * 24 * 60 * 60


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def remember(response: Response, config: Mapping[str, Any], email: str) -> None:
    """Give the browser a device cookie for the account it just logged in to."""
    value = _serializer(config["SECRET_KEY"]).dumps(
        {"e": normalise_email(email), "n": secrets.token_urlsafe(16)}
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=bool(config.get("SESSION_COOKIE_SECURE")),
    )


def nonce_for(secret_key: str, cookie: str | None, email: str) -> str | None:
    """The nonce of a valid device cookie of this account, else None."""
    if not cookie or len(cookie) > 500:
        return None
    try:
        data = _serializer(secret_key).loads(cookie, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != normalise_email(email):
        return None
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 40 else None
