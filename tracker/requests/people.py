"""Who a request is for: its reporter (an editor may reassign it, which the timeline records)
and the colleagues watching it, who receive its alerts as its reporter does."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.core.db import affected
from tracker.core.models import InfoRequest, RequestWatcher, TimelineEvent, User
from tracker.language.i18n import _
from tracker.requests.service import can_edit, lock_request


class PeopleError(ValueError):
    """A reassignment or watcher refused, with the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def colleagues(db: Session, newsroom_id: int) -> list[User]:
    """The newsroom's active accounts, by name."""
    return list(
        db.scalars(
            sa.select(User)
            .where(User.newsroom_id == newsroom_id, User.active.is_(True))
            .order_by(sa.func.lower(User.name), User.id)
        )
    )


def _colleague(db: Session, newsroom_id: int, user_id: int | None, field: str) -> User:
    found = db.get(User, user_id) if user_id else None
    if found is None or found.newsroom_id != newsroom_id or not found.active:
        raise PeopleError(_("Choose an active colleague of the newsroom."), field)
    return found


def reassign(
    db: Session, actor: User, request: InfoRequest, new_owner_id: int | None, today: date
) -> TimelineEvent:
    """Hand the request to another reporter (editors only); a "reassigned" entry records who
    had it, who has it now and who decided."""
    if not actor.is_editor:
        raise PeopleError(_("Only an editor can reassign a request."), "owner")
    lock_request(db, request)
    new_owner = _colleague(db, request.newsroom_id, new_owner_id, "owner")
    if new_owner.id == request.owner_id:
        raise PeopleError(_("The request is already %(name)s's.", name=new_owner.name), "owner")
    old_owner = db.get(User, request.owner_id)
    event = TimelineEvent(
        request_id=request.id,
        kind="reassigned",
        occurred_on=today,
        note="",
        details={
            "from_id": request.owner_id,
            "from_name": old_owner.name if old_owner is not None else "",
            "to_id": new_owner.id,
            "to_name": new_owner.name,
        },
        recorded_by_id=actor.id,
    )
    db.add(event)
    request.owner_id = new_owner.id
    request.version = (request.version or 1) + 1
    # The new reporter no longer needs to watch it.
    db.execute(
        sa.delete(RequestWatcher).where(
            RequestWatcher.request_id == request.id, RequestWatcher.user_id == new_owner.id
        )
    )
    db.flush()
    return event


def watchers_of(db: Session, request_id: int) -> list[User]:
    """The colleagues watching the request, by name."""
    return list(
        db.scalars(
            sa.select(User)
            .join(RequestWatcher, RequestWatcher.user_id == User.id)
            .where(RequestWatcher.request_id == request_id)
            .order_by(sa.func.lower(User.name), User.id)
        )
    )


def add_watcher(db: Session, actor: User, request: InfoRequest, user_id: int | None) -> User:
    """Add a colleague who will receive the request's alerts (its reporter or an editor)."""
    if not can_edit(actor, request):
        raise PeopleError(_("Only the request's reporter or an editor can add watchers."), "user")
    user = _colleague(db, request.newsroom_id, user_id, "user")
    if user.id == request.owner_id:
        raise PeopleError(_("%(name)s is the request's reporter.", name=user.name), "user")
    exists = db.get(RequestWatcher, (request.id, user.id))
    if exists is None:
        db.add(RequestWatcher(request_id=request.id, user_id=user.id))
        db.flush()
    return user


def remove_watcher(db: Session, actor: User, request: InfoRequest, user_id: int) -> bool:
    """Stop a colleague watching (the reporter, an editor, or the watcher themself)."""
    if not (can_edit(actor, request) or actor.id == user_id):
        raise PeopleError(_("Only the request's reporter or an editor can remove watchers."))
    result = db.execute(
        sa.delete(RequestWatcher).where(
            RequestWatcher.request_id == request.id, RequestWatcher.user_id == user_id
        )
    )
    return bool(affected(result))


def watchers_by_request(db: Session, request_ids: list[int]) -> dict[int, list[int]]:
    """The watchers' user ids of each request (for alert planning)."""
    found: dict[int, list[int]] = {}
    for start in range(0, len(request_ids), 500):
        chunk = request_ids[start : start + 500]
        for request_id, user_id in db.execute(
            sa.select(RequestWatcher.request_id, RequestWatcher.user_id).where(
                RequestWatcher.request_id.in_(chunk)
            )
        ):
            found.setdefault(request_id, []).append(user_id)
    return found
