"""Personal API tokens: made and revoked by their owner, stored as SHA-256 hashes only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tracker.core.db import affected
from tracker.core.models import ApiToken, User

PREFIX = "ati_"
# last_used_at is written at most this often per token (not on every call).
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """Refused input; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def hash_token(secret: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(db: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for the user; return the row and the secret (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise TokenError("Name the token after the script or tool that will use it.", "name")
    if len(name) > 100:
        raise TokenError("At most 100 characters.", "name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(secret))
    db.add(token)
    db.flush()
    return token, secret


def tokens_of(db: Session, user: User) -> list[ApiToken]:
    """The user's tokens, those in force first, newest first."""
    return list(
        db.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(
                ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
            )
        )
    )


def revoke_token(db: Session, user: User, token_id: int, now: datetime) -> ApiToken | None:
    """Revoke one of the user's own tokens; None when it is not theirs."""
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        return None
    if token.revoked_at is None:
        token.revoked_at = now
        db.flush()
    return token


def revoke_all_tokens(db: Session, user_id: int, now: datetime) -> int:
    """Revoke every token of a user in force (deactivation); return how many."""
    result = db.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return int(affected(result))


def authenticate(db: Session, secret: str, now: datetime) -> User | None:
    """The active user owning this token in force (noting its use), else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = db.scalar(
        sa.select(ApiToken)
        .where(ApiToken.token_hash == hash_token(secret), ApiToken.revoked_at.is_(None))
        .options(selectinload(ApiToken.user))
    )
    if token is None or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        db.flush()
    return token.user
