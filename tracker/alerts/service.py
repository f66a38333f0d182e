"""Alerts: who gets which alert, planning them into the outbox, and delivering the outbox.

Exactly once
------------
Every alert is a row whose ``dedupe_key`` ("<kind>:<request id>:<user id>:<deadline>") is
UNIQUE in the database, and rows are inserted with ON CONFLICT DO NOTHING: a second sweep, a
second scheduler or a restart plans nothing twice. A sender claims a row with a conditional
UPDATE (pending -> sending, committed before the mail leaves), so two senders never both
send it; the row becomes "sent" after the server accepted the mail.

The crash-after-send window: if the process dies after the server accepted a mail but before
the row was marked "sent", the row stays "sending". Such a row is NEVER resent automatically
(a duplicate deadline mail is worse than a missing one that a human is told about): once it has
been "sending" for longer than ``stale_after`` it is marked "failed" with a last_error saying
the outcome is unknown, and it shows among ``failed_alerts_for``; ``requeue_alert`` sends it
again when a person asks. Mails carry a stable Message-ID so such a manual resend is recognisable.

A lost database is not a crash: when the connection breaks between claiming a row and marking
it, the sender still knows what happened (the mail left, or it did not), keeps that in a file
of the instance folder and writes it at the start of the next delivery: the row becomes
"sent", or "pending" again if the mail never left. Only a row whose sender itself stopped
is left to the unknown-outcome rule above.

Retries: a temporary failure (server down, 4xx answer) puts the row back to "pending" with
``next_attempt_at`` = now + ALERT_RETRY_SECONDS * 2^(tries-1) (at most 6 hours); after
ALERT_MAX_ATTEMPTS tries it is "failed" with the server's answer. A permanent refusal (5xx for
the sender or the recipient) fails that alert at once and the batch goes on.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from tracker.alerts import mail, sweep
from tracker.core import clock
from tracker.core.config import WEEKDAYS
from tracker.core.db import affected
from tracker.core.models import Alert, InfoRequest, User
from tracker.language.i18n import _, lazy_gettext
from tracker.reminders.service import plan_reminders
from tracker.requests.people import watchers_by_request

log = logging.getLogger("tracker.alerts")

#: The alert kinds a user chooses, with their labels on the settings page.
PREFERENCE_KINDS: dict[str, str] = {
    "due_in_7": lazy_gettext("A response is due in 7 days"),
    "due_in_2": lazy_gettext("A response is due in 2 days"),
    "due_today": lazy_gettext("A response is due today"),
    # "Deemed refused" only where the law has a deemed refusal (issue 15 part 3): the mail
    # itself says it for those laws.
    "overdue": lazy_gettext("A request became overdue"),
    "complaint_closes_in_14": lazy_gettext("The complaint window closes in 14 days"),
    "complaint_closes_in_3": lazy_gettext("The complaint window closes in 3 days"),
    "weekly_digest": lazy_gettext("Weekly digest of everything late"),
}
#: Preference key: an editor or admin receives the alerts of every request of the newsroom.
NEWSROOM_WIDE = "newsroom"
# An overdue alert is still sent when the scheduler was down for up to this many days.
OVERDUE_CATCH_UP_DAYS = 14
MAX_BACKOFF = timedelta(hours=6)
UNKNOWN_OUTCOME = (
    "Unknown outcome: the tracker stopped while sending this alert, so it may "
    "or may not have arrived. It is not resent automatically, to avoid a "
    "duplicate; send it again if it did not arrive."
)


class AlertSettingsError(ValueError):
    """Refused settings; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------------------------------------
# Preferences


def preferences_of(user: User) -> dict[str, bool]:
    """The user's choices: each alert kind (on unless turned off) and newsroom-wide (off)."""
    stored = user.alert_preferences or {}
    prefs = {kind: bool(stored.get(kind, True)) for kind in PREFERENCE_KINDS}
    prefs[NEWSROOM_WIDE] = bool(stored.get(NEWSROOM_WIDE, False)) and user.is_editor
    return prefs


def wants(user: User, kind: str) -> bool:
    """Whether the user gets this kind of alert."""
    return user.active and preferences_of(user).get(kind, False)


def address_of(user: User) -> str:
    """Where the user's alerts go: their alert address, else their login e-mail."""
    return user.alert_email or user.email


def check_address(address: str) -> str:
    """The address normalised, or AlertSettingsError when it is not an e-mail address."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise AlertSettingsError(f"This is not an e-mail address: {exc}", "alert_email") from exc


def save_settings(
    db: Session, user: User, choices: Mapping[str, bool], alert_email: str | None
) -> None:
    """Store which alerts the user gets and at what address (blank: the login e-mail)."""
    unknown = sorted(set(choices) - set(PREFERENCE_KINDS) - {NEWSROOM_WIDE})
    if unknown:
        raise AlertSettingsError(f"Unknown alert preference: {', '.join(unknown)}.")
    if choices.get(NEWSROOM_WIDE) and not user.is_editor:
        raise AlertSettingsError(
            "Only editors and admins can receive the whole newsroom's alerts.", NEWSROOM_WIDE
        )
    address = check_address(alert_email) if alert_email and alert_email.strip() else None
    prefs = dict(preferences_of(user))
    prefs.update({key: bool(value) for key, value in choices.items()})
    user.alert_preferences = prefs
    user.alert_email = address
    db.flush()


def stop_kind(db: Session, user_id: int, kind: str) -> User | None:
    """Turn one kind of alert off for a user (the unsubscribe link); None if no such user."""
    user = db.get(User, user_id)
    if user is None or kind not in PREFERENCE_KINDS:
        return None
    user.alert_preferences = {**(user.alert_preferences or {}), kind: False}
    db.flush()
    return user


# ---------------------------------------------------------------------------------------------
# Planning


@dataclass(frozen=True)
class Planned:
    """An alert to put in the outbox."""

    kind: str
    user: User
    request: InfoRequest | None
    deadline_on: date
    late: tuple[InfoRequest, ...] = ()  # a digest's late requests

    @property
    def dedupe_key(self) -> str:
        """One per (kind, request, recipient, deadline date)."""
        target = str(self.request.id) if self.request is not None else "-"
        return f"{self.kind}:{target}:{self.user.id}:{self.deadline_on.isoformat()}"


def due_kind(days_left: int) -> str | None:
    """The due-date alert for a response due in ``days_left`` days (the most urgent applies)."""
    if days_left == 0:
        return "due_today"
    if 1 <= days_left <= 2:
        return "due_in_2"
    if 3 <= days_left <= 7:
        return "due_in_7"
    return None


def complaint_kind(days_left: int) -> str | None:
    """The complaint-window alert for a window closing in ``days_left`` days."""
    if 0 <= days_left <= 3:
        return "complaint_closes_in_3"
    if 4 <= days_left <= 14:
        return "complaint_closes_in_14"
    return None


def _recipients(
    request: InfoRequest,
    users: Mapping[int, User],
    newsroom_watchers: Mapping[int, list[User]],
    request_watchers: Mapping[int, list[int]] | None = None,
) -> list[User]:
    people = {}
    owner = users.get(request.owner_id)
    if owner is not None and owner.newsroom_id == request.newsroom_id:
        people[owner.id] = owner
    for watcher in newsroom_watchers.get(request.newsroom_id, []):
        people[watcher.id] = watcher
    # Colleagues watching this request (tracker.requests.people), while active.
    for user_id in (request_watchers or {}).get(request.id, []):
        colleague = users.get(user_id)
        if colleague is not None and colleague.newsroom_id == request.newsroom_id:
            people[colleague.id] = colleague
    return list(people.values())


def _candidates(db: Session, today: date, newsroom_ids: list[int] | None) -> list[InfoRequest]:
    r = InfoRequest
    # "awaiting" past its due date counts as overdue: the sweep flags it (or would, in a dry run).
    windows = sa.or_(
        sa.and_(r.status == "awaiting", r.due_on.between(today, today + timedelta(days=7))),
        sa.and_(
            r.status.in_(("awaiting", "overdue")),
            r.due_on.between(
                today - timedelta(days=OVERDUE_CATCH_UP_DAYS), today - timedelta(days=1)
            ),
        ),
        sa.and_(
            r.status.in_(("overdue", "answered")),
            r.complaint_due_on.between(today, today + timedelta(days=14)),
        ),
    )
    query = sa.select(r).where(windows).options(selectinload(r.institution)).order_by(r.id)
    if newsroom_ids is not None:
        query = query.where(r.newsroom_id.in_(newsroom_ids))
    return list(db.scalars(query))


def plan_group(
    db: Session, today: date, newsroom_ids: list[int] | None, digest_weekday: int
) -> list[Planned]:
    """Every alert due today for the newsrooms sharing this "today" (existing ones included)."""
    user_query = sa.select(User).where(User.active.is_(True))
    if newsroom_ids is not None:
        user_query = user_query.where(User.newsroom_id.in_(newsroom_ids))
    users = {u.id: u for u in db.scalars(user_query)}
    watchers: dict[int, list[User]] = defaultdict(list)
    for user in users.values():
        if preferences_of(user)[NEWSROOM_WIDE]:
            watchers[user.newsroom_id].append(user)

    planned: list[Planned] = []
    candidates = _candidates(db, today, newsroom_ids)
    request_watchers = watchers_by_request(db, [r.id for r in candidates])
    for request in candidates:
        kinds: list[tuple[str, date]] = []
        days_left = (request.due_on - today).days
        if request.status == "awaiting" and days_left >= 0:
            kind = due_kind(days_left)
            if kind:
                kinds.append((kind, request.due_on))
        elif request.status in ("awaiting", "overdue") and days_left < 0:
            kinds.append(("overdue", request.due_on))
        if request.status in ("overdue", "answered") and request.complaint_due_on is not None:
            kind = complaint_kind((request.complaint_due_on - today).days)
            if kind:
                kinds.append((kind, request.complaint_due_on))
        for user in _recipients(request, users, watchers, request_watchers):
            planned.extend(
                Planned(kind, user, request, deadline)
                for kind, deadline in kinds
                if wants(user, kind)
            )

    if today.weekday() >= digest_weekday:
        digest_day = today - timedelta(days=today.weekday() - digest_weekday)
        late_by_newsroom: dict[int, list[InfoRequest]] = defaultdict(list)
        late_query = (
            sa.select(InfoRequest)
            .where(InfoRequest.status == "overdue")
            .options(selectinload(InfoRequest.institution))
            .order_by(InfoRequest.id)
        )
        if newsroom_ids is not None:
            late_query = late_query.where(InfoRequest.newsroom_id.in_(newsroom_ids))
        for request in db.scalars(late_query):
            late_by_newsroom[request.newsroom_id].append(request)
        for user in users.values():
            late = late_for(user, late_by_newsroom)
            if late and wants(user, "weekly_digest"):
                planned.append(Planned("weekly_digest", user, None, digest_day, tuple(late)))
    return planned


def late_for(user: User, late_by_newsroom: Mapping[int, list[InfoRequest]]) -> list[InfoRequest]:
    """The late requests a user's digest lists: their own, or the newsroom's when they watch it."""
    late = late_by_newsroom.get(user.newsroom_id, [])
    if preferences_of(user)[NEWSROOM_WIDE]:
        return list(late)
    return [r for r in late if r.owner_id == user.id]


def _existing_keys(db: Session, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(db.scalars(sa.select(Alert.dedupe_key).where(Alert.dedupe_key.in_(chunk))))
    return found


def _insert_alert(db: Session, values: dict[str, Any]) -> bool:
    table = Alert.__table__
    statement = (
        postgresql.insert(table)
        if db.get_bind().dialect.name == "postgresql"
        else sqlite.insert(table)
    )
    # RETURNING, not rowcount: drivers report -1 for ON CONFLICT DO NOTHING.
    inserted = db.execute(
        statement.values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(table.c.id)
    ).first()
    return inserted is not None


def plan_alerts(db: Session, config: Mapping[str, Any], *, dry_run: bool = False) -> int:
    """Queue every alert due today in the outbox, once each; return how many were new."""
    digest_weekday = WEEKDAYS.index(config.get("DIGEST_WEEKDAY", "monday"))
    queued = 0
    for today, newsroom_ids in sweep.newsroom_days(db, config["TIMEZONE"]):
        planned = plan_group(db, today, newsroom_ids, digest_weekday)
        existing = _existing_keys(db, [p.dedupe_key for p in planned])
        fresh = [p for p in planned if p.dedupe_key not in existing]
        if dry_run:
            queued += len(fresh)
            continue
        # Personal reminders due today go out through the same outbox (tracker.reminders).
        queued += plan_reminders(db, today, newsroom_ids, config)
        now = clock.now()
        for item in fresh:
            if item.request is not None:
                composed = mail.compose_request_alert(
                    item.kind, item.request, item.user, today, config
                )
            else:
                composed = mail.compose_digest(item.user, list(item.late), today, config)
            queued += _insert_alert(
                db,
                {
                    "dedupe_key": item.dedupe_key,
                    "kind": item.kind,
                    "user_id": item.user.id,
                    "request_id": item.request.id if item.request is not None else None,
                    "deadline_on": item.deadline_on,
                    "recipient": address_of(item.user),
                    "subject": composed.subject,
                    "body_text": composed.text,
                    "body_html": composed.html,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
        db.commit()
    return queued


# ---------------------------------------------------------------------------------------------
# Delivery


@dataclass
class Delivery:
    """What one pass over the outbox did."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: base, 2 x base, 4 x base... at most 6 h."""
    return min(timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def stale_after(config: Mapping[str, Any]) -> timedelta:
    """How long a row may stay "sending" before it is given up as unknown (see module doc)."""
    return timedelta(seconds=max(600, 4 * int(config.get("SMTP_TIMEOUT") or 30)))


def give_up_stale(db: Session, config: Mapping[str, Any]) -> int:
    """Mark rows left "sending" by a crashed sender as failed with an unknown outcome."""
    cutoff = clock.now() - stale_after(config)
    count = affected(
        db.execute(
            sa.update(Alert)
            .where(Alert.status == "sending", Alert.sending_since < cutoff)
            .values(status="failed", last_error=UNKNOWN_OUTCOME)
            .execution_options(synchronize_session=False)
        )
    )
    db.commit()
    if count:
        log.warning(
            "%d alert(s) left 'sending' by a stopped sender marked failed (unknown outcome)", count
        )
    return count


def _claim(db: Session, alert_id: int, claimed_at: datetime) -> bool:
    """pending -> sending, for one sender only; committed before the mail leaves."""
    claimed = (
        affected(
            db.execute(
                sa.update(Alert)
                .where(Alert.id == alert_id, Alert.status == "pending")
                .values(status="sending", sending_since=claimed_at, attempts=Alert.attempts + 1)
                .execution_options(synchronize_session=False)
            )
        )
        == 1
    )
    db.commit()
    return claimed


def _settle(db: Session, alert_id: int, claimed_at: datetime | None, values: dict[str, Any]) -> int:
    """Write the outcome of this sender's try, if the row is still its claim ("sending")."""
    query = sa.update(Alert).where(Alert.id == alert_id, Alert.status == "sending")
    if claimed_at is not None:
        query = query.where(Alert.sending_since == claimed_at)
    count = db.execute(query.values(**values).execution_options(synchronize_session=False))
    db.commit()
    return affected(count)


def _mark_sent(db: Session, alert_id: int) -> None:
    _settle(db, alert_id, None, {"status": "sent", "sent_at": clock.now(), "last_error": None})


def _failed_try(alert: Alert, error: mail.MailError, config: Mapping[str, Any]) -> dict[str, Any]:
    """The row's new values after a failed try: retried later, or failed for good."""
    max_attempts = int(config.get("ALERT_MAX_ATTEMPTS") or 10)
    if error.permanent or alert.attempts >= max_attempts:
        status, when = "failed", alert.next_attempt_at
        answer = (
            error.answer
            if error.permanent
            else (f"{error.answer} (gave up after {alert.attempts} tries)")
        )
    else:
        status, answer = "pending", error.answer
        when = clock.now() + backoff(alert.attempts, int(config.get("ALERT_RETRY_SECONDS") or 60))
    return {"status": status, "last_error": answer[:2000], "next_attempt_at": when}


# Outcomes a sender knew but could not write because the database went away between claiming
# a row and marking it: kept in a file of the instance folder (one JSON line each) and written
# at the start of the next delivery, by this process or the next (a cron ``sweep``).
OUTCOMES_FILE = "alert-outcomes.jsonl"


def _outcomes_path(config: Mapping[str, Any]) -> Path:
    return Path(config["INSTANCE_PATH"]) / OUTCOMES_FILE


def _remember(config: Mapping[str, Any], outcome: dict[str, Any]) -> None:
    """Keep an outcome the database could not take, for ``settle_interrupted``."""
    path = _outcomes_path(config)
    line = json.dumps(outcome, default=datetime.isoformat)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        # Not even the disk: the row stays "sending" and is given up as unknown (never resent).
        log.exception("could not keep the outcome of alert %s: %s", outcome["alert"], line)
        return
    log.warning(
        "database lost while marking alert %s %s; it will be settled on the next delivery",
        outcome["alert"],
        outcome["values"]["status"],
    )


def settle_interrupted(db: Session, config: Mapping[str, Any]) -> int:
    """Write the outcomes kept by ``_remember``: a row left "sending" by a sender that lost
    the database becomes "sent", or goes back to "pending" when the mail did not leave (never
    resent when it did). Returns how many rows were settled."""
    path = _outcomes_path(config)
    if path.exists():
        # Taken whole, so outcomes kept meanwhile by another process go to a new file.
        os.replace(path, path.with_name(f"{OUTCOMES_FILE}.{uuid.uuid4().hex}.settling"))
    taken = sorted(path.parent.glob(f"{OUTCOMES_FILE}.*.settling"))
    settled = 0
    for part in taken:
        try:
            lines = part.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            continue  # settled by another process (a cron sweep beside the scheduler)
        for line in lines:
            if not line.strip():
                continue
            outcome = json.loads(line)
            values = {
                name: datetime.fromisoformat(value)
                if name in ("sent_at", "next_attempt_at") and value
                else value
                for name, value in outcome["values"].items()
            }
            done = _settle(
                db, outcome["alert"], datetime.fromisoformat(outcome["claimed_at"]), values
            )
            if done:
                log.info("alert %s settled as %s", outcome["alert"], values["status"])
            settled += done
        part.unlink(missing_ok=True)
    return settled


def _lost_database(db: Session) -> None:
    """Drop the session's broken connection, so that nothing more is tried on it."""
    try:
        db.rollback()
    except sa.exc.SQLAlchemyError:
        db.invalidate()


def deliver_pending(db: Session, config: Mapping[str, Any], *, limit: int = 500) -> Delivery:
    """Send the outbox's due rows once each; retry later on temporary failures.

    If the database goes away after a row was claimed, what this sender knows (sent, or not
    sent and to be retried) is kept on disk and written at the start of the next delivery;
    the error is raised.
    """
    settle_interrupted(db, config)
    result = Delivery(failed=give_up_stale(db, config))
    ids = list(
        db.scalars(
            sa.select(Alert.id)
            .where(Alert.status == "pending", Alert.next_attempt_at <= clock.now())
            .order_by(Alert.next_attempt_at, Alert.id)
            .limit(limit)
        )
    )
    with mail.Mailer(config) as mailer:
        for alert_id in ids:
            claimed_at = clock.now()
            # Until the mail leaves, the outcome is "not sent": back to pending, untried.
            outcome: dict[str, Any] = {
                "alert": alert_id,
                "claimed_at": claimed_at,
                "values": {"status": "pending", "next_attempt_at": claimed_at},
            }
            try:
                if not _claim(db, alert_id, claimed_at):
                    continue  # another sender has it
                alert = db.get(Alert, alert_id, populate_existing=True)
                if alert is None:
                    continue  # deleted with its user or request since it was listed
                try:
                    mailer.send(mail.build_message(alert, config))
                except mail.MailError as error:
                    values = _failed_try(alert, error, config)
                    outcome["values"] = values
                    _settle(db, alert_id, claimed_at, values)
                    if values["status"] == "failed":
                        result.failed += 1
                        log.warning(
                            "alert %s to %s failed: %s", alert.id, alert.recipient, error.answer
                        )
                    else:
                        result.retrying += 1
                        log.info(
                            "alert %s to %s will be retried: %s",
                            alert.id,
                            alert.recipient,
                            error.answer,
                        )
                    if error.connection_lost:
                        break  # the server is away: leave the rest pending, untried
                    continue
                outcome["values"] = {"status": "sent", "sent_at": clock.now(), "last_error": None}
                _mark_sent(db, alert_id)
            except sa.exc.SQLAlchemyError:
                _remember(config, outcome)
                _lost_database(db)
                raise
            result.sent += 1
    return result


def failed_alerts_for(db: Session, user: User, limit: int = 50) -> list[Alert]:
    """Failed alerts a user should see: their own, and for editors the newsroom's."""
    query = sa.select(Alert).join(User, User.id == Alert.user_id).where(Alert.status == "failed")
    if user.is_editor:
        query = query.where(User.newsroom_id == user.newsroom_id)
    else:
        query = query.where(Alert.user_id == user.id)
    return list(db.scalars(query.order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)))


def requeue_alert(db: Session, user: User, alert_id: int) -> bool:
    """Send a failed alert again (a person's decision); False if it is not theirs or not failed."""
    alert = next((a for a in failed_alerts_for(db, user, limit=10_000) if a.id == alert_id), None)
    if alert is None:
        return False
    alert.status, alert.attempts, alert.next_attempt_at = "pending", 0, clock.now()
    alert.last_error, alert.sending_since = None, None
    db.flush()
    return True


# ---------------------------------------------------------------------------------------------
# The jobs


@dataclass(frozen=True)
class Summary:
    """What one sweep did, as the ``sweep`` command prints it."""

    flagged: int
    queued: int
    sent: int
    failed: int
    retrying: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        suffix = _(" (dry run: nothing written or sent)") if self.dry_run else ""
        return [
            _("requests flagged overdue: %(num)s", num=self.flagged) + suffix,
            _("alerts queued: %(num)s", num=self.queued),
            _("alerts sent: %(num)s", num=self.sent),
            _("alerts failed: %(num)s", num=self.failed),
            _("alerts waiting to retry: %(num)s", num=self.retrying),
        ]


def sweep_and_plan(
    db: Session, config: Mapping[str, Any], *, dry_run: bool = False
) -> tuple[int, int]:
    """Flag overdue requests, then queue the day's alerts; return (flagged, queued)."""
    flagged = sweep.flag_overdue(db, config["TIMEZONE"], dry_run=dry_run)
    if dry_run:
        db.rollback()
    else:
        db.commit()
    queued = plan_alerts(db, config, dry_run=dry_run)
    return flagged, queued


def run_all(db: Session, config: Mapping[str, Any], *, dry_run: bool = False) -> Summary:
    """Every job once: the overdue sweep, alert planning and delivery."""
    flagged, queued = sweep_and_plan(db, config, dry_run=dry_run)
    if dry_run:
        return Summary(flagged, queued, 0, 0, 0, dry_run=True)
    delivery = deliver_pending(db, config)
    return Summary(flagged, queued, delivery.sent, delivery.failed, delivery.retrying)


def pending_count(db: Session) -> int:
    """Alerts still waiting in the outbox."""
    return (
        db.scalar(sa.select(sa.func.count()).select_from(Alert).where(Alert.status == "pending"))
        or 0
    )
