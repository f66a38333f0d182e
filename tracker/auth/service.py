"""Account use cases: create users, check passwords, change them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from tracker.auth import password_feedback
from tracker.core.models import LoginFailure, Newsroom, User
from tracker.language.i18n import _

MIN_PASSWORD_LENGTH = 10
# Failed logins allowed within the window (tracker.auth.service.login_throttled): per account
# and client (address, or device cookie of a browser that logged in to it before); per account
# and per address, from clients without such a cookie.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_CLIENT = 5
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ADDRESS = 20
# zxcvbn's score (0-4) a new password needs: 3 is "safely unguessable" for an online attack
# and resists offline guessing of a slow hash (ASVS 2.1.7: no common or patterned passwords).
MIN_PASSWORD_SCORE = 3
# zxcvbn's cost grows with the length; past this many characters a password is long enough.
ESTIMATE_CHARACTERS = 72
# Checked against when the e-mail is unknown, so a wrong e-mail costs as much as a wrong password.
# werkzeug's scrypt. The test suite swaps in a fast method (tests/conftest.py); never lower it
# in production.
DEFAULT_HASH_METHOD = "scrypt"
HASH_METHOD = DEFAULT_HASH_METHOD


def hash_password(password: str) -> str:
    """A salted hash of the password, with the method recorded in it."""
    return generate_password_hash(password, method=HASH_METHOD)


@functools.cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-0000")


class AccountError(ValueError):
    """An account operation was refused; the message is safe to show; ``field`` names the
    form field it belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewUser:
    """What it takes to create an account."""

    email: str
    newsroom: str
    password: str
    name: str = ""
    role: str = "reporter"
    # A password someone else chose or saw: to be changed at first login.
    temporary: bool = False


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def password_problem(password: str, email: str, name: str = "") -> str | None:
    """Why a password is refused, or None when it is acceptable.

    Common passwords, keyboard walks, repeats, dates and words from the e-mail or name are
    refused by zxcvbn's estimate of how many guesses they take."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(num)s characters.", num=MIN_PASSWORD_LENGTH)
    if password.strip().lower() == normalise_email(email):
        return _("The password cannot be your e-mail address.")
    address = normalise_email(email)
    inputs = [address, address.partition("@")[0], *re.split(r"[^\w]+", address)]
    inputs += [*re.split(r"[^\w]+", name.lower()), "ati", "tracker", "access", "information"]
    estimate = zxcvbn(password[:ESTIMATE_CHARACTERS], user_inputs=[w for w in inputs if w])
    if estimate["score"] < MIN_PASSWORD_SCORE:
        advice = _("Choose a less common password: a few unrelated words work.")
        # zxcvbn's own sentences, through the catalogues (tracker.auth.password_feedback).
        warning, suggestions = password_feedback.feedback(
            estimate["feedback"].get("warning"), estimate["feedback"].get("suggestions", ())
        )
        warning = warning or _("This password is easy to guess.")
        return " ".join([warning, advice, *suggestions[:2]])
    return None


def get_or_create_newsroom(db: Session, name: str) -> Newsroom:
    """The newsroom with this name, created when missing."""
    name = name.strip()
    if not name:
        raise AccountError(_("A newsroom needs a name."))
    newsroom = db.scalar(sa.select(Newsroom).where(Newsroom.name == name))
    if newsroom is None:
        newsroom = Newsroom(name=name)
        db.add(newsroom)
        db.flush()
    return newsroom


def create_user(db: Session, new: NewUser) -> User:
    """Create an account in a newsroom (created when missing); the caller commits."""
    email = normalise_email(new.email)
    if "@" not in email:
        raise AccountError(_("%(email)s is not an e-mail address.", email=repr(new.email)))
    problem = password_problem(new.password, email, new.name)
    if problem:
        raise AccountError(problem)
    if db.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise AccountError(_("An account for %(email)s already exists.", email=email))
    newsroom = get_or_create_newsroom(db, new.newsroom)
    user = User(
        email=email,
        name=new.name.strip() or email.split("@")[0],
        password_hash=hash_password(new.password),
        role=new.role,
        newsroom=newsroom,
        alert_preferences={},
        must_change_password=new.temporary,
    )
    db.add(user)
    db.flush()
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same cost either way)."""
    user = db.scalar(sa.select(User).where(User.email == normalise_email(email)))
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; the caller commits."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(_("The current password is not right."), "current")
    if new == current:
        raise AccountError(_("Choose a new password, not the one you have now."), "new")
    problem = password_problem(new, user.email, user.name)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new)
    user.must_change_password = False


@dataclass(frozen=True)
class Client:
    """Who is trying: ``key`` is what failures are counted under for one account, either the
    address or, for a browser that logged in to that account before, its device cookie."""

    address: str
    key: str
    trusted: bool = False


DEVICE_PREFIX = "device:"


def client_for(address: str, device: str | None) -> Client:
    """The client of a login try: a device cookie's nonce (already checked against the
    account) makes it trusted and counted on its own."""
    if device:
        return Client(address=address, key=DEVICE_PREFIX + device, trusted=True)
    return Client(address=address, key=address)


def login_throttled(db: Session, account: str, client: Client, now: datetime) -> bool:
    """True when this client may not try this account now.

    A client is stopped after ``MAX_FAILURES_PER_CLIENT`` failures on the account. An untrusted
    client (no device cookie of the account) is also stopped while the account has
    ``MAX_FAILURES_PER_ACCOUNT`` failures from untrusted clients, or its address
    ``MAX_FAILURES_PER_ADDRESS`` on any account. A browser that logged in to the account before
    is counted only on its own, so nobody else's failures lock its owner out."""
    since = now - THROTTLE_WINDOW
    account = normalise_email(account)
    recent = sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
    by_client = (
        db.scalar(recent.where(LoginFailure.email == account, LoginFailure.address == client.key))
        or 0
    )
    if by_client >= MAX_FAILURES_PER_CLIENT:
        return True
    if client.trusted:
        return False
    untrusted = sa.not_(LoginFailure.address.startswith(DEVICE_PREFIX, autoescape=True))
    by_account = db.scalar(recent.where(LoginFailure.email == account, untrusted)) or 0
    by_address = db.scalar(recent.where(LoginFailure.address == client.address)) or 0
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def record_login_failure(db: Session, account: str, client: Client, now: datetime) -> None:
    """Count a failed try and forget the ones older than the window; the caller commits."""
    db.execute(sa.delete(LoginFailure).where(LoginFailure.at <= now - THROTTLE_WINDOW))
    db.add(LoginFailure(email=normalise_email(account)[:254], address=client.key[:64], at=now))


def clear_client_failures(db: Session, account: str, client: Client) -> None:
    """Forget this client's failures on the account after it logged in; the caller commits."""
    db.execute(
        sa.delete(LoginFailure).where(
            LoginFailure.email == normalise_email(account), LoginFailure.address == client.key
        )
    )


def clear_login_failures(db: Session, email: str) -> None:
    """Forget every failure on an account (its owner proved the mailbox); the caller commits."""
    db.execute(sa.delete(LoginFailure).where(LoginFailure.email == normalise_email(email)))
