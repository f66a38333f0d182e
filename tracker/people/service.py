"""Managing a newsroom's accounts: add, change a role, deactivate and reactivate.

Accounts are never deleted: the timeline keeps who recorded each entry. Rules: only editors
and admins manage people; only an admin grants or takes away the admin role; nobody changes
their own role or deactivates themselves; the newsroom's last active admin stays one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import clock
from tracker.api.service import revoke_all_tokens
from tracker.auth import sessions
from tracker.auth.service import AccountError, NewUser, create_user
from tracker.feeds.service import revoke_feed
from tracker.models import ROLES, User

ROLE_LABELS: dict[str, str] = {
    "reporter": "Reporter: sees the newsroom's requests, edits their own",
    "editor": "Editor: edits every request, manages people",
    "admin": "Admin: as an editor, and grants the admin role",
}


class PeopleError(ValueError):
    """A refused change; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewPerson:
    """Who to add to the newsroom."""

    email: str
    name: str
    role: str = "reporter"


def people_of(db: Session, newsroom_id: int) -> list[User]:
    """The newsroom's accounts: active first, then by name."""
    return list(
        db.scalars(
            sa.select(User)
            .where(User.newsroom_id == newsroom_id)
            .order_by(User.active.desc(), sa.func.lower(User.name), User.id)
        )
    )


def person_of(db: Session, actor: User, user_id: int) -> User | None:
    """An account of the actor's newsroom, else None (another newsroom's is not found)."""
    user = db.get(User, user_id)
    return user if user is not None and user.newsroom_id == actor.newsroom_id else None


def _require_manager(actor: User) -> None:
    if not actor.is_editor:
        raise PeopleError("Only editors and admins manage the newsroom's people.")


def _check_role(actor: User, role: str) -> None:
    if role not in ROLES:
        raise PeopleError("Pick one of the roles.", "role")
    if role == "admin" and actor.role != "admin":
        raise PeopleError("Only an admin can make someone an admin.", "role")


def _other_active_admins(db: Session, user: User) -> int:
    return (
        db.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(
                User.newsroom_id == user.newsroom_id,
                User.role == "admin",
                User.active.is_(True),
                User.id != user.id,
            )
        )
        or 0
    )


def _check_not_last_admin(db: Session, user: User, doing: str) -> None:
    if user.role == "admin" and user.active and _other_active_admins(db, user) == 0:
        raise PeopleError(
            f"{user.name} is the newsroom's last admin: make someone else an admin before "
            f"you {doing}."
        )


def temporary_password() -> str:
    """A random password to hand over once; its owner changes it."""
    return secrets.token_urlsafe(12)


def add_person(db: Session, actor: User, new: NewPerson) -> tuple[User, str]:
    """Create an account in the actor's newsroom; return it and its temporary password."""
    _require_manager(actor)
    _check_role(actor, new.role)
    if not new.name.strip():
        raise PeopleError("Type the person's name.", "name")
    password = temporary_password()
    try:
        user = create_user(
            db,
            NewUser(
                email=new.email,
                newsroom=actor.newsroom.name,
                password=password,
                name=new.name,
                role=new.role,
            ),
        )
    except AccountError as exc:
        raise PeopleError(str(exc), "email") from exc
    return user, password


def change_role(db: Session, actor: User, user: User, role: str) -> None:
    """Give an account another role; the caller commits."""
    _require_manager(actor)
    if user.id == actor.id:
        raise PeopleError("You cannot change your own role: ask another editor or admin.", "role")
    _check_role(actor, role)
    if user.role == "admin" and role != "admin":
        if actor.role != "admin":
            raise PeopleError("Only an admin can take away the admin role.", "role")
        _check_not_last_admin(db, user, "change this role")
    user.role = role
    db.flush()


def deactivate(db: Session, actor: User, user: User) -> None:
    """Stop an account from logging in (its sessions, tokens and feed stop too)."""
    _require_manager(actor)
    if user.id == actor.id:
        raise PeopleError("You cannot deactivate your own account.")
    if user.role == "admin" and actor.role != "admin":
        raise PeopleError("Only an admin can deactivate an admin.")
    _check_not_last_admin(db, user, "deactivate this account")
    now = clock.now()
    if user.active:
        user.active = False
        user.deactivated_at = now
    # Everything that let the account in ends now; reactivating brings none of it back.
    sessions.end_all(db, user.id, now)
    revoke_all_tokens(db, user.id, now)
    revoke_feed(db, user)
    db.flush()


def reactivate(db: Session, actor: User, user: User) -> None:
    """Let a deactivated account log in again (with new sessions, tokens and feed only)."""
    _require_manager(actor)
    if user.role == "admin" and actor.role != "admin":
        raise PeopleError("Only an admin can reactivate an admin.")
    user.active = True
    user.deactivated_at = None
    db.flush()
