"""Server-side sessions (OWASP ASVS 3.3): each login is a row that can end.

The signed session cookie carries the user id and a random secret; the database keeps only the
secret's SHA-256 (``user_session.token_hash``), so whoever reads the database cannot take over a
session. A session works while its row is not ended, was seen within the idle timeout and was
made within the absolute lifetime: the check is one indexed statement with the user's own load,
and it holds across gunicorn workers because the state is in the database. ``last_seen_at`` is
written at most once a minute per session, not on every request.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager

from tracker.core.db import affected
from tracker.core.models import User, UserSession

# The key of the session cookie that holds this session's secret.
COOKIE_KEY = "sid"
# last_seen_at is written at most this often per session.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Limits:
    """How long a session lasts without use, and at most."""

    idle: timedelta
    maximum: timedelta


def limits(config: Any) -> Limits:
    """The configured idle timeout and absolute lifetime."""
    return Limits(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        maximum=timedelta(hours=config["SESSION_MAX_HOURS"]),
    )


def hash_secret(secret: str) -> str:
    """The stored form of a session's secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _live(now: datetime, bounds: Limits) -> sa.ColumnElement[bool]:
    return sa.and_(
        UserSession.ended_at.is_(None),
        UserSession.last_seen_at > now - bounds.idle,
        UserSession.created_at > now - bounds.maximum,
    )


def start(
    db: Session, user: User, *, user_agent: str, address: str, now: datetime, bounds: Limits
) -> str:
    """Open a session for the user; return its secret (for the cookie). The caller commits.

    The user's sessions that ended or expired are deleted on the way: the table holds about
    one row per live session."""
    db.execute(
        sa.delete(UserSession).where(UserSession.user_id == user.id, sa.not_(_live(now, bounds)))
    )
    secret = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_secret(secret),
            created_at=now,
            last_seen_at=now,
            user_agent=user_agent[:300],
            address=address[:64],
        )
    )
    db.flush()
    return secret


@functools.cache
def _load_statement() -> sa.Select[User, int, datetime]:
    # Built once: every page runs it (the layout shows the user and their newsroom).
    return (
        sa.select(User, UserSession.id, UserSession.last_seen_at)
        .join(User.newsroom)
        .join(UserSession, UserSession.user_id == User.id)
        .options(contains_eager(User.newsroom))
        .where(
            User.id == sa.bindparam("user_id"),
            User.active.is_(True),
            UserSession.token_hash == sa.bindparam("token_hash"),
            UserSession.ended_at.is_(None),
            UserSession.last_seen_at > sa.bindparam("idle_since"),
            UserSession.created_at > sa.bindparam("born_since"),
        )
    )


def load(
    db: Session, user_id: int, secret: str, now: datetime, bounds: Limits
) -> tuple[User, int] | None:
    """The active user and session id of a live session, noting its use; else None.

    ``last_seen_at`` is written (and committed) at most once a minute; callers load the user
    before doing any work of their own (tracker.create_app's before_request hook)."""
    row = db.execute(
        _load_statement(),
        {
            "user_id": user_id,
            "token_hash": hash_secret(secret),
            "idle_since": now - bounds.idle,
            "born_since": now - bounds.maximum,
        },
    ).first()
    if row is None:
        return None
    user, session_id, last_seen = row
    if now - last_seen >= TOUCH_EVERY:
        db.execute(
            sa.update(UserSession).where(UserSession.id == session_id).values(last_seen_at=now)
        )
        db.commit()
    return user, session_id


def end(db: Session, user_id: int, session_id: int, now: datetime) -> bool:
    """End one of the user's sessions; True when it was live. The caller commits."""
    result = db.execute(
        sa.update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
        )
        .values(ended_at=now)
    )
    return bool(affected(result))


def end_all(db: Session, user_id: int, now: datetime, *, keep: int | None = None) -> int:
    """End every session of the user but ``keep``; return how many. The caller commits."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep)
    return int(affected(db.execute(query.values(ended_at=now))))


def live_sessions(db: Session, user_id: int, now: datetime, bounds: Limits) -> list[UserSession]:
    """The user's sessions that still work, most recently seen first."""
    return list(
        db.scalars(
            sa.select(UserSession)
            .where(UserSession.user_id == user_id, _live(now, bounds))
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def expires_at(row: UserSession, bounds: Limits) -> datetime:
    """When a session stops unless used again (the earlier of idle and absolute ends)."""
    return min(row.last_seen_at + bounds.idle, row.created_at + bounds.maximum)
