"""Calendar feed use cases: issue, revoke and resolve secret feed addresses; build the feed.

Only the SHA-256 of a feed's secret is stored, so its address is shown once, when made.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from icalendar import Alarm, Calendar, Event, vDuration
from sqlalchemy.orm import Session, selectinload

from tracker import deadlines
from tracker.core.db import utcnow
from tracker.core.display import STATUS_LABELS
from tracker.core.models import CalendarFeed, InfoRequest, User
from tracker.requests.describe import Deadline, describe
from tracker.requests.service import province_of

# How long before an all-day deadline the reminder fires: 09:00 the day before.
REMINDER = timedelta(hours=-15)
# Clients that honour it re-read the feed this often.
REFRESH = timedelta(hours=1)
# Deadlines that still need the reporter: these statuses get reminders.
_AWAITING = ("awaiting", "on_hold", "overdue")


def hash_secret(secret: str) -> str:
    """The stored form of a feed secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def active_feed(db: Session, user: User) -> CalendarFeed | None:
    """The user's feed in force, if any."""
    return db.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    )


def revoke_feed(db: Session, user: User) -> bool:
    """Stop the user's feed address from working; True when one was in force."""
    feed = active_feed(db, user)
    if feed is None:
        return False
    feed.revoked_at = utcnow()
    db.flush()
    return True


def issue_feed(db: Session, user: User) -> str:
    """Make a new feed address for the user (the old one stops); return its secret."""
    revoke_feed(db, user)
    secret = secrets.token_urlsafe(32)
    db.add(CalendarFeed(user_id=user.id, token_hash=hash_secret(secret)))
    db.flush()
    return secret


def feed_owner(db: Session, secret: str) -> User | None:
    """The active user whose feed in force has this secret, else None."""
    if not secret or len(secret) > 200:
        return None
    feed = db.scalar(
        sa.select(CalendarFeed)
        .where(CalendarFeed.token_hash == hash_secret(secret), CalendarFeed.revoked_at.is_(None))
        .options(selectinload(CalendarFeed.user))
    )
    if feed is None or not feed.user.active:
        return None
    feed.last_fetched_at = utcnow()
    return feed.user


def requests_in_feed(db: Session, user: User) -> list[InfoRequest]:
    """The user's own requests that still have a deadline to show (not closed)."""
    return list(
        db.scalars(
            sa.select(InfoRequest)
            .where(
                InfoRequest.owner_id == user.id,
                InfoRequest.newsroom_id == user.newsroom_id,
                InfoRequest.status != "closed",
            )
            .order_by(InfoRequest.due_on, InfoRequest.id)
            .options(selectinload(InfoRequest.institution), selectinload(InfoRequest.events))
        )
    )


@dataclass(frozen=True)
class FeedEvent:
    """One all-day deadline in the feed."""

    uid: str
    day: date
    summary: str
    description: str
    url: str
    remind: bool


def _host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "ati-tracker"


def _facts(request: InfoRequest, url: str) -> str:
    number = f" (file {request.file_number})" if request.file_number else ""
    return (
        f"Request: {request.title}{number}\nInstitution: {request.institution.name}\n"
        f"Status: {STATUS_LABELS.get(request.status, request.status)}\n{url}"
    )


def deadline_events(request: InfoRequest, deadline: Deadline, base_url: str) -> list[FeedEvent]:
    """The due date, extension end and complaint-window end of one request."""
    law, state = deadline.law, deadline.state
    host, url = _host(base_url), f"{base_url}/requests/{request.id}"
    facts = _facts(request, url)
    awaiting = request.status in _AWAITING
    events = []
    if state.extension_days:
        statutory = deadlines.due_date(
            request.law_code, state.clock_start, province=province_of(request), pauses=state.pauses
        )
    else:
        statutory = request.due_on
    refusal = (
        " " + law.lateness_effect.format(cite=law.cite(law.deemed_refusal_section))
        if law.deemed_refusal_section
        else ""
    )
    if state.extension_days:
        summary = f"Was due (extended to {request.due_on.isoformat()}): {request.title}"
        lead = (
            f"Response period under {law.period_text}, before the institution extended it "
            f"to {request.due_on.isoformat()}."
        )
    else:
        summary = f"Response due: {request.title}"
        lead = f"Last day to respond under {law.period_text}.{refusal}"
    events.append(
        FeedEvent(
            f"request-{request.id}-due@{host}",
            statutory,
            summary,
            f"{lead}\n\n{facts}",
            url,
            awaiting and not state.extension_days,
        )
    )
    if state.extension_days:
        step = next((s for s in deadline.explanation.steps if s.label == "Extension"), None)
        sections = {
            r.code: r.section
            for r in deadlines.extension_reasons(request.law_code, request.received_on)
        }
        cites = [step.citation] if step is not None and step.citation else []
        cites += [
            law.cite(sections[x.reason])
            for x in state.extensions
            if x.counted and x.reason in sections
        ]
        cite = "; ".join(dict.fromkeys(cites)) or law.period_text
        events.append(
            FeedEvent(
                f"request-{request.id}-extension@{host}",
                request.due_on,
                f"Extension ends: {request.title}",
                f"Last day to respond after an extension of {state.extension_days} "
                f"{law.unit} days ({cite}).{refusal}\n\n{facts}",
                url,
                awaiting,
            )
        )
    window = law.complaint_window
    if request.complaint_due_on is not None and window is not None:
        if state.complaint_trigger == "response":
            why = f"after the response of {(request.responded_on or request.due_on).isoformat()}"
        elif awaiting and request.status != "overdue":
            # In the law's own words: "deemed refusal" only where it has one (issue 15 part 3).
            why = f"if the request is still unanswered after its due date ({law.silence_term})"
        else:
            why = f"after the {law.silence_term}"
        events.append(
            FeedEvent(
                f"request-{request.id}-complaint@{host}",
                request.complaint_due_on,
                f"Complaint window closes: {request.title}",
                f"Last day to complain to the {law.complaint_body} ({law.cite(window.section)}) "
                f"{why}.\n\n{facts}",
                url,
                request.status in ("awaiting", "on_hold", "overdue", "answered"),
            )
        )
    return events


def build_calendar(
    user: User, requests: list[InfoRequest], today: date, base_url: str, stamp: datetime
) -> bytes:
    """The iCalendar file of the requests' deadlines as all-day events with reminders."""
    calendar = Calendar()
    calendar.add("prodid", "-//ATI tracker//Request deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"ATI deadlines: {user.name}")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for request in requests:
        for item in deadline_events(request, describe(request, today), base_url):
            event = Event()
            event.add("uid", item.uid)
            event.add("dtstamp", stamp)
            event.add("last-modified", request.updated_at)
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
            event.add("summary", item.summary)
            event.add("description", item.description)
            event.add("url", item.url)
            event.add("transp", "TRANSPARENT")
            if item.remind:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", item.summary)
                alarm.add("trigger", REMINDER)
                event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
