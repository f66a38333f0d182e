"""Personal reminders: "remind me on DATE" about a request, whatever its status, mailed on
that day through the alert outbox (kind "reminder") and listed on the dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import Session

from tracker.core import clock
from tracker.core.db import affected
from tracker.core.models import Alert, InfoRequest, Reminder, User
from tracker.core.urls import base_url
from tracker.language.i18n import _

NOTE_MAX = 500


class ReminderError(ValueError):
    """A reminder refused, with the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def add_reminder(
    db: Session, user: User, request: InfoRequest, remind_on: date | None, note: str, today: date
) -> Reminder:
    """Remind the user about the request on ``remind_on`` (today or later)."""
    if request.newsroom_id != user.newsroom_id:
        raise ReminderError(_("That request is not your newsroom's."))
    if remind_on is None:
        raise ReminderError(_("Enter the day to be reminded."), "remind_on")
    if remind_on < today:
        raise ReminderError(
            _("Choose today or a later day (%(date)s has passed).", date=remind_on.isoformat()),
            "remind_on",
        )
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise ReminderError(_("At most %(limit)s characters.", limit=NOTE_MAX), "note")
    reminder = Reminder(user_id=user.id, request_id=request.id, remind_on=remind_on, note=text)
    db.add(reminder)
    db.flush()
    return reminder


@dataclass(frozen=True)
class Upcoming:
    """A reminder as the dashboard lists it."""

    id: int
    remind_on: date
    note: str
    request_id: int
    title: str
    queued: bool


def upcoming(db: Session, user: User, today: date, limit: int = 50) -> list[Upcoming]:
    """The user's reminders not yet sent, and those sent today, soonest first."""
    rows = db.execute(
        sa.select(Reminder, InfoRequest.title)
        .join(InfoRequest, InfoRequest.id == Reminder.request_id)
        .where(
            Reminder.user_id == user.id,
            sa.or_(Reminder.queued_at.is_(None), Reminder.remind_on >= today),
        )
        .order_by(Reminder.remind_on, Reminder.id)
        .limit(limit)
    )
    return [
        Upcoming(r.id, r.remind_on, r.note, r.request_id, title, r.queued_at is not None)
        for r, title in rows
    ]


def delete_reminder(db: Session, user: User, reminder_id: int) -> bool:
    """Delete one of the user's own reminders; False when they have no such reminder."""
    result = db.execute(
        sa.delete(Reminder).where(Reminder.id == reminder_id, Reminder.user_id == user.id)
    )
    return bool(affected(result))


def plan_reminders(
    db: Session, today: date, newsroom_ids: list[int] | None, config: Mapping[str, Any]
) -> int:
    """Put each reminder due by ``today`` (of these newsrooms) in the alert outbox, once;
    return how many were queued."""
    query = (
        sa.select(Reminder, InfoRequest, User)
        .join(InfoRequest, InfoRequest.id == Reminder.request_id)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.queued_at.is_(None), Reminder.remind_on <= today, User.active.is_(True))
        .order_by(Reminder.id)
    )
    if newsroom_ids is not None:
        query = query.where(InfoRequest.newsroom_id.in_(newsroom_ids))
    now = clock.now()
    queued = 0
    for reminder, request, user in db.execute(query).all():
        link = f"{base_url(config, mail=True)}/requests/{request.id}"
        context = {"reminder": reminder, "request": request, "user": user, "link": link}
        key = f"reminder:{request.id}:{user.id}:{reminder.remind_on.isoformat()}:{reminder.id}"
        if db.scalar(sa.select(Alert.id).where(Alert.dedupe_key == key)) is None:
            db.add(
                Alert(
                    dedupe_key=key,
                    kind="reminder",
                    user_id=user.id,
                    request_id=request.id,
                    deadline_on=reminder.remind_on,
                    recipient=user.alert_email or user.email,
                    subject=_("Reminder: %(title)s", title=request.title)[:300],
                    body_text=render_template("reminders/mail.txt", **context),
                    body_html=render_template("reminders/mail.html", **context),
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            queued += 1
        reminder.queued_at = now
    db.flush()
    return queued
