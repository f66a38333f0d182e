"""Forgotten passwords: a signed, expiring link sent by e-mail that works once.

The link carries the user id and a fingerprint of the current password hash, signed with the
app's secret key (itsdangerous, salted, timestamped). It is refused once it is older than
``RESET_MAX_AGE_SECONDS``, and as soon as the password changes (the fingerprint no longer
matches), so a used link is dead. Nothing about the link is stored in the database.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Mapping
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

import sqlalchemy as sa
from flask import Flask, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from tracker.alerts.mail import Mailer, MailError
from tracker.auth.service import AccountError, hash_password, normalise_email, password_problem
from tracker.core import clock
from tracker.core import db as database
from tracker.core.models import User
from tracker.core.urls import base_url

log = logging.getLogger("tracker.auth.reset")

RESET_SALT = "password-reset"
RESET_MAX_AGE_SECONDS = 60 * 60


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(secret_key: str, user: User) -> str:
    """A signed, timestamped token naming the user and their current password."""
    return _serializer(secret_key).dumps({"u": user.id, "p": _fingerprint(user)})


def reset_url(config: Mapping[str, Any], user: User) -> str:
    """The link a user follows to choose a new password."""
    return f"{base_url(config, mail=True)}/password/reset/{reset_token(config['SECRET_KEY'], user)}"


def user_for_token(
    db: Session, secret_key: str, token: str, max_age: int = RESET_MAX_AGE_SECONDS
) -> User | None:
    """The active user a valid, unexpired, unused token names, else None."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.get(User, data["u"])
    if user is None or not user.active or data.get("p") != _fingerprint(user):
        return None
    return user


def set_new_password(user: User, new: str) -> None:
    """Replace the password (which kills every reset link); the caller commits."""
    problem = password_problem(new, user.email, user.name)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new)


def reset_message(user: User, config: Mapping[str, Any]) -> EmailMessage:
    """The reset mail: plain text with the link, in the tracker's mail format."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = user.email  # the login address, never the alert address
    message["Subject"] = "Reset your ATI tracker password"
    message["Date"] = format_datetime(clock.now())
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid("password-reset", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        render_template(
            "auth/mail/reset.txt",
            user=user,
            url=reset_url(config, user),
            minutes=RESET_MAX_AGE_SECONDS // 60,
        )
    )
    return message


class LaterSender:
    """Reset mails sent after the answer, in a small thread pool of the app: "forgot password"
    answers at once and in the same time whether or not the account exists (the account is
    looked up and the mail server spoken to afterwards)."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="reset-mail")
        self._pending: set[Future[bool]] = set()
        self._lock = threading.Lock()

    def submit(self, email: str) -> Future[bool]:
        """Look the address up and mail a link when it has an active account, later."""
        future = self._executor.submit(self._send, email)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def _done(self, future: Future[bool]) -> None:
        with self._lock:
            self._pending.discard(future)

    def _send(self, email: str) -> bool:
        with self._app.app_context():
            try:
                return send_reset(database.session(), email, self._app.config)
            except Exception:  # a thread's error would vanish: log it
                log.exception("password reset mail failed")
                return False

    def wait(self, timeout: float = 60) -> None:
        """Wait for the mails asked for so far (tests, shutdown)."""
        with self._lock:
            pending = list(self._pending)
        futures.wait(pending, timeout=timeout)


def later_sender(app: Flask) -> LaterSender:
    """The app's sender of reset mails, made on first use."""
    sender = app.extensions.get("reset_mail")
    if sender is None:
        sender = app.extensions.setdefault("reset_mail", LaterSender(app))
    return sender


def send_reset(db: Session, email: str, config: Mapping[str, Any]) -> bool:
    """Mail a reset link to the active account with this e-mail; False when none was sent.

    The caller answers the same whatever this returns, so nobody learns who has an account.
    """
    user = db.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        return False
    try:
        with Mailer(config) as mailer:
            mailer.send(reset_message(user, config))
    except MailError as exc:
        log.warning("password reset mail for user %s not sent: %s", user.id, exc.answer)
        return False
    return True
