"""The scheduler process: APScheduler wiring only; the jobs call the services.

Run exactly one: ``flask --app tracker scheduler``. It is never started by ``create_app`` or in
web workers. A lock held in the database lets only one scheduler work at a time: a session
advisory lock on PostgreSQL (released by the server when the process dies), a lease row in
``scheduler_lock`` on SQLite (renewed while alive, taken over once expired). A second
scheduler waits idle until the lock is free. Every send is idempotent in the database anyway.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

import click
import sqlalchemy as sa
from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from tracker.alerts import service
from tracker.core import clock, db
from tracker.core.context import current_flask_app
from tracker.core.db import refresh_statistics
from tracker.core.models import SchedulerLock
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _
from tracker.scorecards import snapshots

log = logging.getLogger("tracker.operations.scheduler")

LOCK_NAME = "scheduler"
# pg_try_advisory_lock keys: "ATIS" as a number, and the tracker's schema (advisory locks are
# per database: two trackers, or two test runs, in separate schemas of one database must not
# take each other's lock).
ADVISORY_KEY = 0x41544953
# How often the scheduler looks for a queued import (one indexed query): someone is waiting
# on the import's page.
IMPORT_POLL_SECONDS = 5


class DatabaseLock:
    """The one-scheduler-at-a-time lock (base: a lease row, used on SQLite)."""

    def __init__(self, engine: Engine, lease_seconds: int = 60) -> None:
        self.engine = engine
        self.lease = timedelta(seconds=lease_seconds)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held = False

    def try_acquire(self) -> bool:
        """Take the lock if it is free or its lease expired; True when this process holds it."""
        table = SchedulerLock.__table__
        now = clock.now()
        insert = (
            postgresql.insert(table)
            if self.engine.dialect.name == "postgresql"
            else sqlite.insert(table)
        )
        with self.engine.begin() as conn:
            conn.execute(
                insert.values(
                    name=LOCK_NAME, holder=self.holder, acquired_at=now, expires_at=now + self.lease
                ).on_conflict_do_nothing(index_elements=["name"])
            )
            taken = (
                conn.execute(
                    sa.update(table)
                    .where(
                        table.c.name == LOCK_NAME,
                        sa.or_(table.c.holder == self.holder, table.c.expires_at < now),
                    )
                    .values(holder=self.holder, expires_at=now + self.lease)
                ).rowcount
                == 1
            )
        self.held = taken
        return taken

    def renew(self) -> bool:
        """Extend the lease; False (and no longer held) when another scheduler took it."""
        table = SchedulerLock.__table__
        now = clock.now()
        with self.engine.begin() as conn:
            self.held = (
                conn.execute(
                    sa.update(table)
                    .where(table.c.name == LOCK_NAME, table.c.holder == self.holder)
                    .values(expires_at=now + self.lease)
                ).rowcount
                == 1
            )
        return self.held

    def release(self) -> None:
        """Give the lock up so a waiting scheduler starts at once."""
        if not self.held:
            return
        table = SchedulerLock.__table__
        with self.engine.begin() as conn:
            conn.execute(
                sa.delete(table).where(table.c.name == LOCK_NAME, table.c.holder == self.holder)
            )
        self.held = False


class AdvisoryLock(DatabaseLock):
    """PostgreSQL: a session advisory lock on a connection kept open while the process lives."""

    def __init__(self, engine: Engine, lease_seconds: int = 60) -> None:
        super().__init__(engine, lease_seconds)
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        """Take the advisory lock without waiting."""
        if self._conn is None:
            self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        self.held = bool(
            self._conn.scalar(
                sa.text("SELECT pg_try_advisory_lock(:key, hashtext(current_schema()))"),
                {"key": ADVISORY_KEY},
            )
        )
        return self.held

    def renew(self) -> bool:
        """Check that the connection holding the lock is still alive."""
        if self._conn is None:
            self.held = False
            return False
        try:
            self._conn.scalar(sa.text("SELECT 1"))
        except sa.exc.SQLAlchemyError:
            self.held = False
            self._drop()
        return self.held

    def release(self) -> None:
        """Unlock and close the connection."""
        if self._conn is not None and self.held:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                self._conn.scalar(
                    sa.text("SELECT pg_advisory_unlock(:key, hashtext(current_schema()))"),
                    {"key": ADVISORY_KEY},
                )
        self.held = False
        self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                self._conn.close()
            self._conn = None


def make_lock(engine: Engine, lease_seconds: int = 60) -> DatabaseLock:
    """The lock that suits the database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, lease_seconds)
    return DatabaseLock(engine, lease_seconds)


# ---------------------------------------------------------------------------------------------
# Jobs: plain service functions run in an app context, only while this process holds the lock.


def sweep_job(session: Session, config: Mapping[str, Any]) -> None:
    """Flag overdue requests and queue the day's alerts."""
    flagged, queued = service.sweep_and_plan(session, config)
    log.info("sweep: %d request(s) flagged overdue, %d alert(s) queued", flagged, queued)


def deliver_job(session: Session, config: Mapping[str, Any]) -> None:
    """Send the outbox."""
    result = service.deliver_pending(session, config)
    if result.sent or result.failed or result.retrying:
        log.info(
            "delivery: %d sent, %d failed, %d to retry", result.sent, result.failed, result.retrying
        )


def statistics_job(session: Session, config: Mapping[str, Any]) -> None:
    """Refresh the query planner's statistics (SQLite; PostgreSQL's autovacuum does its own)."""
    if refresh_statistics(session.connection()):
        session.commit()
        log.info("planner statistics refreshed")


def scorecard_job(session: Session, config: Mapping[str, Any]) -> None:
    """Compute the all-time scorecard of each newsroom whose data or day changed since the
    stored one, so the first view is fast too; delete the snapshots no longer valid."""
    refreshed, pruned = snapshots.refresh(session, config["TIMEZONE"])
    if refreshed or pruned:
        log.info("scorecards: %d refreshed, %d old snapshot(s) deleted", refreshed, pruned)


class _Interrupted(Exception):
    """The lock was lost, or a signal came, between two batches of recompute-deadlines."""


def recompute_job(app: Flask, lock: DatabaseLock, stop: threading.Event) -> bool:
    """Recompute the dates stored under other deadline rules, once, before the other jobs
    (the sweep and the alerts then read current dates); False when the lock was lost or a
    signal came meanwhile. It renews the lock between batches."""
    from tracker.requests.recompute import recompute_stale

    def between_batches() -> None:
        if stop.is_set() or not lock.renew():
            raise _Interrupted

    with app.app_context():
        try:
            recompute_stale(db.session(), app.config["TIMEZONE"], after_batch=between_batches)
        except _Interrupted:
            db.session().rollback()
            return False
        except Exception:  # the jobs run all the same; the next start tries again
            log.exception("recompute-deadlines failed")
            db.session().rollback()
    return True


def export_job(session: Session, config: Mapping[str, Any]) -> None:
    """Build the queued background exports (large newsrooms), delete the expired ones."""
    from tracker.exports import jobs

    ready = jobs.work(session, config)
    if ready:
        log.info("exports: %d ready", ready)


def records_job(session: Session, config: Mapping[str, Any]) -> None:
    """Read the queued attached files (text and OCR), one at a time."""
    from tracker.records import jobs

    queued = jobs.queue_missing(session)
    # At most a minute a run (then the next run goes on from the next page): a scheduler
    # asked to stop waits for its running jobs, never for a whole queue of scans.
    result = jobs.work(session, config, seconds=60)
    if queued or result.read or result.failed:
        log.info("records: %d read, %d failed", result.read, result.failed)


def import_job(session: Session, config: Mapping[str, Any]) -> None:
    """Run the queued CSV imports (large files uploaded on the import page)."""
    from tracker.imports import jobs

    done = jobs.work(session, config)
    if done:
        log.info("imports: %d done", done)


def letters_job(session: Session, config: Mapping[str, Any]) -> None:
    """Mark "unknown" the letters whose send was cut short (never re-sent by itself)."""
    from tracker.letters.service import resolve_stuck

    stuck = resolve_stuck(session)
    session.commit()
    if stuck:
        log.warning("letters: %d send(s) cut short, marked unknown", stuck)


def mail_poll_job(session: Session, config: Mapping[str, Any]) -> None:
    """Read the newsroom mailbox (TRACKER_IMAP_*): store, match and file its messages."""
    from tracker.mail_in import imap

    result = imap.poll(session, config)
    if result is not None and (result.filed or result.skipped or result.error):
        log.info(
            "mail poll: %d filed (%d attached, %d to review, %d already stored), %d skipped%s",
            result.filed,
            result.attached,
            result.queued,
            result.duplicates,
            result.skipped,
            f"; error: {result.error}" if result.error else "",
        )


def _run(app: Flask, lock: DatabaseLock, job: Callable[[Session, Mapping[str, Any]], None]) -> None:
    if not lock.held:
        return
    with app.app_context():
        job(db.session(), app.config)


JOBS: dict[str, Callable[[Session, Mapping[str, Any]], None]] = {
    "overdue-sweep": sweep_job,
    "deliver-alerts": deliver_job,
    "planner-statistics": statistics_job,
    "scorecards": scorecard_job,
    "exports": export_job,
    "imports": import_job,
    "records": records_job,
    "stuck-letters": letters_job,
    "mail-poll": mail_poll_job,
}


def build_scheduler(app: Flask, lock: DatabaseLock) -> BlockingScheduler:
    """A BlockingScheduler with the sweep, delivery, statistics, scorecard, export, import,
    records, stuck-letter and lock-renewal jobs registered."""
    scheduler = BlockingScheduler(
        timezone=app.config["TIMEZONE"],
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )
    start = datetime.now().astimezone()
    # (the job's id in JOBS, what it does, how often, first run after the start)
    jobs: list[tuple[str, str, IntervalTrigger, timedelta]] = [
        (
            "overdue-sweep",
            "flag overdue requests and queue alerts",
            IntervalTrigger(minutes=app.config["SWEEP_MINUTES"]),
            timedelta(0),
        ),
        (
            "deliver-alerts",
            "send pending alerts",
            IntervalTrigger(seconds=app.config["DELIVER_SECONDS"]),
            timedelta(seconds=1),
        ),
        (
            "planner-statistics",
            "refresh the query planner's statistics",
            IntervalTrigger(hours=24),
            timedelta(minutes=5),
        ),
        (
            "scorecards",
            "refresh the scorecards whose data or day changed",
            IntervalTrigger(minutes=app.config["SCORECARD_MINUTES"]),
            timedelta(seconds=2),
        ),
        (
            "exports",
            "build the newsrooms' background exports",
            IntervalTrigger(seconds=app.config["DELIVER_SECONDS"]),
            timedelta(seconds=3),
        ),
        (
            "imports",
            "run the queued CSV imports",
            IntervalTrigger(seconds=IMPORT_POLL_SECONDS),
            timedelta(seconds=4),
        ),
        (
            "records",
            "read the text of attached files (OCR)",
            IntervalTrigger(seconds=app.config["RECORDS_SECONDS"]),
            timedelta(seconds=5),
        ),
        (
            "stuck-letters",
            "mark letters whose send was cut short as unknown",
            IntervalTrigger(minutes=5),
            timedelta(seconds=5),
        ),
    ]
    if app.config.get("IMAP_HOST"):
        jobs.append(
            (
                "mail-poll",
                "read the newsroom mailbox",
                IntervalTrigger(minutes=app.config["IMAP_MINUTES"]),
                timedelta(seconds=4),
            )
        )
    for job_id, name, trigger, delay in jobs:
        scheduler.add_job(
            _run,
            trigger,
            args=(app, lock, JOBS[job_id]),
            id=job_id,
            name=name,
            next_run_time=start + delay,
        )

    def renew() -> None:
        if not lock.renew():
            log.error("the scheduler lock was lost; stopping the jobs")
            scheduler.shutdown(wait=False)

    lease = app.config["SCHEDULER_LEASE_SECONDS"]
    scheduler.add_job(
        renew,
        IntervalTrigger(seconds=max(1, lease // 3)),
        id="renew-lock",
        name="keep the scheduler lock",
    )
    return scheduler


def _shutdown(scheduler: BlockingScheduler) -> None:
    with contextlib.suppress(SchedulerNotRunningError):
        scheduler.shutdown(wait=True)


def run_scheduler(
    app: Flask,
    *,
    run_seconds: float | None = None,
    poll_seconds: float = 5.0,
    echo: Callable[[str], None] = click.echo,
) -> None:
    """Wait for the lock, then run the jobs until SIGTERM/SIGINT (or ``run_seconds``)."""
    stop = threading.Event()
    current: list[BlockingScheduler] = []

    stopping: list[threading.Thread] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Never block in a signal handler: a job thread may need a lock the interrupted main
        # thread holds (logging). Another thread stops the scheduler and waits for the jobs.
        stop.set()
        for scheduler in current:
            if scheduler.state != STATE_STOPPED:
                thread = threading.Thread(target=_shutdown, args=(scheduler,))
                thread.start()
                stopping.append(thread)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    timer = None
    if run_seconds is not None:
        timer = threading.Timer(run_seconds, os.kill, (os.getpid(), signal.SIGTERM))
        timer.daemon = True
        timer.start()
    lock = make_lock(app.extensions["engine"], app.config["SCHEDULER_LEASE_SECONDS"])
    # The lines it prints, in the newsroom's language (TRACKER_DEFAULT_LOCALE): worded here,
    # where the application's context is, not in the scheduler's threads.
    with app.app_context():
        waiting = _("another scheduler holds the lock; waiting")
        lost = _("scheduler lock lost; waiting to take it again")
        started = _("scheduler started (lock held by %(holder)s); jobs: %(jobs)s")
        stopped = _("scheduler stopped")
    try:
        while not stop.is_set():
            said_waiting = False
            while not stop.is_set() and not lock.try_acquire():
                if not said_waiting:
                    echo(waiting)
                    said_waiting = True
                stop.wait(poll_seconds)
            if stop.is_set():
                break
            if not recompute_job(app, lock, stop):
                if not stop.is_set():
                    echo(lost)
                continue
            scheduler = build_scheduler(app, lock)
            jobs = ", ".join(job.id for job in scheduler.get_jobs())

            def on_start(
                _event: Any, scheduler: BlockingScheduler = scheduler, jobs: str = jobs
            ) -> None:
                echo(started % {"holder": lock.holder, "jobs": jobs})
                if stop.is_set():  # a signal arrived before the scheduler was running
                    scheduler.shutdown(wait=False)

            scheduler.add_listener(on_start, EVENT_SCHEDULER_STARTED)
            current[:] = [scheduler]
            scheduler.start()  # blocks until a signal or a lost lock shuts it down
            current.clear()
            for thread in stopping:
                thread.join()  # running jobs finish before the lock is given back
            if not stop.is_set():
                echo(lost)
    finally:
        lock.release()
        if timer is not None:
            timer.cancel()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    echo(stopped)


@click.command("scheduler", cls=TranslatedCommand)
@click.option(
    "--run-seconds",
    type=float,
    default=None,
    help="Stop after this many seconds (tests, smoke checks).",
)
@click.option(
    "--poll-seconds",
    type=float,
    default=5.0,
    show_default=True,
    help="How often a waiting scheduler checks whether the lock is free.",
)
@with_appcontext
def scheduler_command(run_seconds: float | None, poll_seconds: float) -> None:
    """Run the scheduler: overdue sweep, alert planning and delivery (run exactly one)."""
    app = current_flask_app()
    run_scheduler(app, run_seconds=run_seconds, poll_seconds=poll_seconds)


COMMANDS = [scheduler_command]
