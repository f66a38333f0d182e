"""Account use cases: create users, check passwords, change them."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.models import LoginFailure, Newsroom, User

MIN_PASSWORD_LENGTH = 10
# Failed logins allowed within the window, per e-mail typed and per client address.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
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
    """An account operation was refused; the message is safe to show."""


@dataclass(frozen=True)
class NewUser:
    """What it takes to create an account."""

    email: str
    newsroom: str
    password: str
    name: str = ""
    role: str = "reporter"


@functools.cache
def _session_user_statement() -> sa.Select[tuple[User]]:
    # Built once: every page runs it, and building an ORM statement with its options costs
    # more than SQLite takes to run it.
    return (
        sa.select(User)
        .join(User.newsroom)
        .options(contains_eager(User.newsroom))
        .where(User.id == sa.bindparam("user_id"))
    )


def session_user(db: Session, user_id: int) -> User | None:
    """The logged-in user of a session, with their newsroom (every page shows its name and
    reads its zone) in the same statement; None when gone or deactivated."""
    user = db.scalar(_session_user_statement(), {"user_id": user_id})
    return user if user is not None and user.active else None


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def password_problem(password: str, email: str) -> str | None:
    """Why a password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if password.strip().lower() == normalise_email(email):
        return "The password cannot be your e-mail address."
    return None


def get_or_create_newsroom(db: Session, name: str) -> Newsroom:
    """The newsroom with this name, created when missing."""
    name = name.strip()
    if not name:
        raise AccountError("A newsroom needs a name.")
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
        raise AccountError(f"{new.email!r} is not an e-mail address.")
    problem = password_problem(new.password, email)
    if problem:
        raise AccountError(problem)
    if db.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise AccountError(f"An account for {email} already exists.")
    newsroom = get_or_create_newsroom(db, new.newsroom)
    user = User(
        email=email,
        name=new.name.strip() or email.split("@")[0],
        password_hash=hash_password(new.password),
        role=new.role,
        newsroom=newsroom,
        alert_preferences={},
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
        raise AccountError("The current password is not right.")
    problem = password_problem(new, user.email)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(new)


def login_throttled(db: Session, email: str, address: str, now: datetime) -> bool:
    """True when this e-mail or this address failed too often within the window."""
    since = now - THROTTLE_WINDOW
    recent = sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.at > since)
    by_account = db.scalar(recent.where(LoginFailure.email == normalise_email(email))) or 0
    by_address = db.scalar(recent.where(LoginFailure.address == address)) or 0
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def record_login_failure(db: Session, email: str, address: str, now: datetime) -> None:
    """Count a failed login and forget the ones older than the window; the caller commits."""
    db.execute(sa.delete(LoginFailure).where(LoginFailure.at <= now - THROTTLE_WINDOW))
    db.add(LoginFailure(email=normalise_email(email)[:254], address=address[:64], at=now))


def clear_login_failures(db: Session, email: str) -> None:
    """Forget an account's failures after a successful login; the caller commits."""
    db.execute(sa.delete(LoginFailure).where(LoginFailure.email == normalise_email(email)))
