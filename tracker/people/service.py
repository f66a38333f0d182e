"""Managing a newsroom's accounts: invite, change a role, deactivate and reactivate.

Adding someone mails them a signed invitation (nothing is stored): the account is made when they
follow it and choose a password. An address that already has an account in another newsroom
gets a note saying so instead, and the editor's answer is the same either way, so the page
never tells who has an account elsewhere. Accounts are never deleted: the timeline keeps who recorded each entry. Rules: only editors
and admins manage people; only an admin grants or takes away the admin role; nobody changes
their own role or deactivates themselves; the newsroom's last active admin stays one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from tracker.api.service import revoke_all_tokens
from tracker.auth import sessions
from tracker.auth.service import AccountError, NewUser, create_user, normalise_email
from tracker.core import clock
from tracker.core.models import ROLES, Newsroom, User
from tracker.feeds.service import revoke_feed
from tracker.language.i18n import _, lazy_gettext

ROLE_LABELS: dict[str, str] = {
    "reporter": lazy_gettext("Reporter: sees the newsroom’s requests, edits their own"),
    "editor": lazy_gettext("Editor: edits every request, manages people"),
    "admin": lazy_gettext("Admin: as an editor, and grants the admin role"),
}
ROLE_NAMES: dict[str, str] = {
    "reporter": lazy_gettext("Reporter"),
    "editor": lazy_gettext("Editor"),
    "admin": lazy_gettext("Admin"),
}


def role_label(role: str) -> str:
    """A role's name in the reader's language ("reporter" → "Reporter", "Journaliste")."""
    return str(ROLE_NAMES.get(role, role))


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
        raise PeopleError(_("Only editors and admins manage the newsroom’s people."))


def _check_role(actor: User, role: str) -> None:
    if role not in ROLES:
        raise PeopleError(_("Pick one of the roles."), "role")
    if role == "admin" and actor.role != "admin":
        raise PeopleError(_("Only an admin can make someone an admin."), "role")


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
        if doing == "change this role":
            message = _(
                "%(name)s is the newsroom’s last admin: make someone else an admin before "
                "you change this role.",
                name=user.name,
            )
        else:
            message = _(
                "%(name)s is the newsroom’s last admin: make someone else an admin before "
                "you deactivate this account.",
                name=user.name,
            )
        raise PeopleError(message)


INVITATION_SALT = "people-invitation"
INVITATION_MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Invitation:
    """What an editor asked for: read back from the signed link, nothing is stored."""

    newsroom_id: int
    email: str
    name: str
    role: str
    inviter_id: int


@dataclass(frozen=True)
class Outgoing:
    """The one mail an "add" sends: an invitation, or a note to an address that already has
    an account in another newsroom. The editor's answer is the same for both."""

    email: str
    newsroom: str
    inviter: str
    invitation_token: str | None  # None: the address already has an account elsewhere


def _invitations(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=INVITATION_SALT)


def invite_person(db: Session, actor: User, new: NewPerson, secret_key: str) -> Outgoing:
    """Check an "add" and say what to mail. Refused only for what the editor may know: the
    role, the name, the address's form, or an account already in their own newsroom."""
    _require_manager(actor)
    _check_role(actor, new.role)
    if not new.name.strip():
        raise PeopleError(_("Type the person’s name."), "name")
    email = normalise_email(new.email)
    if "@" not in email:
        raise PeopleError(_("%(email)s is not an e-mail address.", email=repr(new.email)), "email")
    existing = db.scalar(sa.select(User).where(User.email == email))
    if existing is not None and existing.newsroom_id == actor.newsroom_id:
        raise PeopleError(
            _("An account for %(email)s already exists in your newsroom.", email=email), "email"
        )
    token = None
    if existing is None:
        token = _invitations(secret_key).dumps(
            {
                "n": actor.newsroom_id,
                "e": email,
                "m": new.name.strip(),
                "r": new.role,
                "b": actor.id,
            }
        )
    return Outgoing(
        email=email, newsroom=actor.newsroom.name, inviter=actor.name, invitation_token=token
    )


def read_invitation(db: Session, secret_key: str, token: str) -> Invitation | None:
    """The invitation a link carries while it holds: signed here, within 7 days, its inviter
    still allowed to make that account, and its address still without an account."""
    try:
        data = _invitations(secret_key).loads(
            token, max_age=int(INVITATION_MAX_AGE.total_seconds())
        )
    except BadSignature:
        return None
    try:
        invitation = Invitation(
            newsroom_id=int(data["n"]),
            email=str(data["e"]),
            name=str(data["m"]),
            role=str(data["r"]),
            inviter_id=int(data["b"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    inviter = db.get(User, invitation.inviter_id)
    if (
        inviter is None
        or not inviter.active
        or inviter.newsroom_id != invitation.newsroom_id
        or not inviter.is_editor
        or invitation.role not in ROLES
        or (invitation.role == "admin" and inviter.role != "admin")
    ):
        return None
    if db.scalar(sa.select(User.id).where(User.email == invitation.email)) is not None:
        return None
    return invitation


def accept_invitation(db: Session, invitation: Invitation, password: str) -> User:
    """Make the invited account with the password its owner chose; the caller commits."""
    newsroom = db.get(Newsroom, invitation.newsroom_id)
    if newsroom is None:
        raise PeopleError(_("This invitation no longer holds."))
    try:
        return create_user(
            db,
            NewUser(
                email=invitation.email,
                newsroom=newsroom.name,
                password=password,
                name=invitation.name,
                role=invitation.role,
            ),
        )
    except AccountError as exc:
        raise PeopleError(str(exc), "new") from exc


def change_role(db: Session, actor: User, user: User, role: str) -> None:
    """Give an account another role; the caller commits."""
    _require_manager(actor)
    if user.id == actor.id:
        raise PeopleError(
            _("You cannot change your own role: ask another editor or admin."), "role"
        )
    _check_role(actor, role)
    if user.role == "admin" and role != "admin":
        if actor.role != "admin":
            raise PeopleError(_("Only an admin can take away the admin role."), "role")
        _check_not_last_admin(db, user, "change this role")
    user.role = role
    db.flush()


def deactivate(db: Session, actor: User, user: User) -> None:
    """Stop an account from logging in (its sessions, tokens and feed stop too)."""
    _require_manager(actor)
    if user.id == actor.id:
        raise PeopleError(_("You cannot deactivate your own account."))
    if user.role == "admin" and actor.role != "admin":
        raise PeopleError(_("Only an admin can deactivate an admin."))
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
        raise PeopleError(_("Only an admin can reactivate an admin."))
    user.active = True
    user.deactivated_at = None
    db.flush()
