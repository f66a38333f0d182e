"""The scheduler process: starts, registers its jobs, works alone, stops cleanly."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from alerts_helpers import add_institution, add_request, statuses

from tracker.core import clock
from tracker.operations.scheduler import AdvisoryLock, DatabaseLock, make_lock

ROOT = Path(__file__).resolve().parent.parent


class Scheduler:
    """``flask --app tracker scheduler`` in a subprocess, its output read line by line."""

    def __init__(self, database_url: str, instance: Path, *args: str) -> None:
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": database_url,
            "TRACKER_INSTANCE_PATH": str(instance),
            "TRACKER_SECRET_KEY": "test-secret",
            "TRACKER_SCHEDULER_LEASE_SECONDS": "3",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("TRACKER_SMTP_HOST", None)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "tracker",
                "scheduler",
                "--poll-seconds",
                "0.2",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 90) -> str:
        """The first output line containing ``text`` (fails after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            self.output.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} in scheduler output: {self.output}")

    def stop(self) -> int:
        """SIGTERM, then the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(20)


@pytest.fixture
def schedulers(app_config):
    started: list[Scheduler] = []

    def start(*args: str) -> Scheduler:
        proc = Scheduler(app_config["DATABASE_URL"], Path(app_config["INSTANCE_PATH"]), *args)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait()


def test_scheduler_registers_its_jobs_runs_the_sweep_and_stops_cleanly(app, make_user, schedulers):
    reporter = make_user("reporter@example.org").id
    late = add_request(
        app, reporter, add_institution(app, reporter, "CBSA"), "Old request", date(2026, 6, 1)
    )
    app.extensions["engine"].dispose()
    proc = schedulers("--run-seconds", "4")
    started = proc.wait_for("scheduler started")
    assert (
        "jobs: overdue-sweep, deliver-alerts, planner-statistics, scorecards, exports, imports, "
        "records, stuck-letters, renew-lock" in started
    )
    proc.wait_for("scheduler stopped")
    assert proc.proc.wait(20) == 0
    assert statuses(app)[late] == "overdue"  # the sweep job ran at start
    # The lock was given back: a new scheduler starts at once.
    again = schedulers()
    again.wait_for("scheduler started")
    assert again.stop() == 0


def test_a_second_scheduler_waits_idle_until_the_first_stops(app, schedulers):
    first = schedulers()
    first.wait_for("scheduler started")
    second = schedulers()
    second.wait_for("another scheduler holds the lock; waiting")
    time.sleep(1)
    assert not any("scheduler started" in line for line in second.output)
    assert first.stop() == 0
    second.wait_for("scheduler started")
    assert second.stop() == 0
    second.wait_for("scheduler stopped")


def test_lease_lock_excludes_a_second_holder_and_expires(app):
    engine = app.extensions["engine"]
    a, b = DatabaseLock(engine, lease_seconds=60), DatabaseLock(engine, lease_seconds=60)
    assert a.try_acquire() and not b.try_acquire()
    assert a.renew() and a.try_acquire()  # re-entrant for its holder
    a.release()
    assert b.try_acquire() and not a.try_acquire()
    # b's process dies without releasing: after the lease, a takes over and b is told.
    with clock.frozen_now(clock.now() + timedelta(seconds=61)):
        assert a.try_acquire()
        assert not b.renew()
    a.release()


def test_the_lock_suits_the_database(app):
    engine = app.extensions["engine"]
    a, b = make_lock(engine), make_lock(engine)
    expected = AdvisoryLock if engine.dialect.name == "postgresql" else DatabaseLock
    assert type(a) is expected
    try:
        assert a.try_acquire() and not b.try_acquire()
        a.release()
        assert b.try_acquire() and b.renew()
    finally:
        a.release()
        b.release()


def test_statistics_job_gives_sqlite_planner_figures_for_every_index(app, make_user):
    import sqlalchemy as sa

    from tracker.core import db
    from tracker.operations.scheduler import JOBS

    reporter = make_user("reporter@example.org").id
    institution = add_institution(app, reporter, "CBSA")
    for day in range(1, 6):
        add_request(app, reporter, institution, f"Request {day}", date(2026, 6, day))
    with app.app_context():
        JOBS["planner-statistics"](db.session(), app.config)
        conn = db.session().connection()
        if conn.dialect.name != "sqlite":
            return  # PostgreSQL: autovacuum keeps statistics; the job does nothing there
        indexes = set(
            conn.execute(
                sa.text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'info_request'")
            ).scalars()
        )
    assert {"ix_info_request_scorecard", "ix_info_request_newsroom_due_id"} <= indexes


def test_statistics_job_reads_every_index_entry_not_the_first_reporters(app, make_user):
    """A sample reads the first entries of each index, which all belong to one reporter and one
    newsroom: SQLite then takes a reporter's requests for a newsroom's (a 1.25 s list)."""
    import sqlalchemy as sa

    from tracker.core import db
    from tracker.core.models import InfoRequest, User
    from tracker.operations.scheduler import JOBS

    owners = {
        make_user("a@example.org").id: 2_400,
        make_user("b@example.org").id: 600,
        make_user("c@example.org", newsroom="Other Paper").id: 1_000,
    }
    institutions = {owner: add_institution(app, owner, f"Institution {owner}") for owner in owners}
    with app.app_context():
        with db.transaction() as session:
            for owner, count in owners.items():
                user = session.get(User, owner)
                session.execute(
                    sa.insert(InfoRequest),
                    [
                        {
                            "newsroom_id": user.newsroom_id,
                            "owner_id": owner,
                            "institution_id": institutions[owner],
                            "law_code": "ca-atia",
                            "title": f"Request {n}",
                            "received_on": date(2020, 1, 1) + timedelta(days=n % 900),
                            "due_on": date(2020, 2, 1) + timedelta(days=n % 900),
                            "status": "answered",
                        }
                        for n in range(count)
                    ],
                )
        JOBS["planner-statistics"](db.session(), app.config)
        conn = db.session().connection()
        if conn.dialect.name != "sqlite":
            return  # PostgreSQL: autovacuum keeps statistics; the job does nothing there
        stats = dict(
            conn.execute(
                sa.text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'info_request'")
            ).all()
        )
    total = sum(owners.values())
    # Every index counted whole: its row count exact, a reporter's share the true average.
    assert {int(stat.split()[0]) for stat in stats.values()} == {total}
    assert stats["ix_info_request_owner_id"] == f"{total} {-(-total // len(owners))}"
    by_newsroom = stats["ix_info_request_newsroom_due_id"].split()
    assert int(by_newsroom[1]) == total // 2  # two newsrooms: 3,000 and 1,000 requests


def test_scorecard_job_stores_what_changed_and_deletes_what_can_no_longer_be_served(
    app, client, auth, make_user
):
    import sqlalchemy as sa

    from tests.test_query_counts import counting
    from tracker.core import db
    from tracker.core.models import Institution, ScorecardSnapshot
    from tracker.operations.scheduler import JOBS
    from tracker.scorecards import service as scorecards
    from tracker.scorecards import snapshots

    star = make_user("reporter@example.org", newsroom="The Star")
    other = make_user("other@example.org", newsroom="Other Paper")
    day = date(2026, 11, 18)
    cbsa = add_institution(app, star.id, "CBSA")
    add_request(app, star.id, cbsa, "Late", date(2026, 6, 1))
    add_request(app, other.id, add_institution(app, other.id, "RCMP"), "Theirs", date(2026, 7, 2))

    def run_job(on: date) -> None:
        with clock.frozen(on), app.app_context():
            JOBS["scorecards"](db.session(), app.config)

    def stored() -> dict:
        with app.app_context():
            rows = db.session().execute(
                sa.select(
                    ScorecardSnapshot.newsroom_id,
                    ScorecardSnapshot.received_from,
                    ScorecardSnapshot.day,
                    ScorecardSnapshot.computed_at,
                )
            )
            return {(n, f, d): at for n, f, d, at in rows}

    run_job(day)
    first = stored()
    # Today's and, so that midnight computes nothing on a view, tomorrow's.
    assert set(first) == {
        (room, snapshots.OPEN_FROM, on)
        for room in (star.newsroom_id, other.newsroom_id)
        for on in (day, day + timedelta(days=1))
    }
    # The first view of the day is served from what the job stored, and shows its figures.
    auth.login("reporter@example.org")
    with clock.frozen(day), counting(app) as statements:
        response = client.get("/scorecards/")
    assert response.status_code == 200 and "CBSA" in response.get_data(as_text=True)
    assert not any("info_request" in s for s in statements), statements
    with clock.frozen(day):
        assert client.get("/scorecards/?from=2026-01-01").status_code == 200  # a range, stored

    # The Star's data changes: only its scorecard is computed again; the stale range is kept
    # as the base its next view brings up to date, but never served as it is.
    with app.app_context(), db.transaction() as session:
        session.get(Institution, cbsa).name = "Canada Border Services Agency"
    run_job(day)
    second = stored()
    ranged = (star.newsroom_id, date(2026, 1, 1), day)
    assert set(second) == set(first) | {ranged}
    with app.app_context():
        assert snapshots.find(db.session(), star.newsroom_id, day, date(2026, 1, 1))[1] is None
    theirs = (other.newsroom_id, snapshots.OPEN_FROM, day)
    assert second[theirs] == first[theirs]  # not computed again
    with clock.frozen(day), app.app_context():
        session = db.session()
        _, found = snapshots.find(session, star.newsroom_id, day)
        cards = found.cards() if found is not None else None
        live = scorecards.compute(session, star.newsroom_id, day)
    assert cards is not None and cards.institutions == live.institutions
    assert cards.institutions[0].name == "Canada Border Services Agency"

    # Tomorrow's, stored by the same run, is tomorrow's live figures: tomorrow's first view
    # reads it and no request.
    tomorrow = day + timedelta(days=1)
    with clock.frozen(tomorrow), app.app_context():
        session = db.session()
        _, ahead = snapshots.find(session, star.newsroom_id, tomorrow)
        assert ahead is not None
        live = scorecards.compute(session, star.newsroom_id, tomorrow)
        assert ahead.cards().institutions == live.institutions
        assert ahead.cards().laws == live.laws
    with clock.frozen(tomorrow), counting(app) as statements:
        response = client.get("/scorecards/")
    assert response.status_code == 200 and "Canada Border Services Agency" in response.get_data(
        as_text=True
    )
    assert not any("info_request" in s for s in statements), statements

    # Next day: new snapshots; yesterday's kept (a reader in another zone may be on it) ...
    run_job(tomorrow)
    assert {d for _, _, d in stored()} == {day, tomorrow, day + timedelta(days=2)}
    # ... and gone the day after.
    run_job(day + timedelta(days=2))
    assert {d for _, _, d in stored()} == {
        tomorrow,
        day + timedelta(days=2),
        day + timedelta(days=3),
    }


def test_the_scheduler_recomputes_dates_of_other_rules_before_its_jobs(app, make_user, schedulers):
    import sqlalchemy as sa

    from tracker.core import db
    from tracker.core.models import InfoRequest, TimelineEvent

    reporter = make_user("reporter@example.org").id
    late = add_request(
        app, reporter, add_institution(app, reporter, "CBSA"), "Old request", date(2026, 6, 1)
    )
    with app.app_context(), db.transaction() as session:
        session.execute(
            sa.update(InfoRequest)
            .where(InfoRequest.id == late)
            .values(due_on=date(2026, 5, 28), rules_fingerprint="0123456789abcdef")
        )
    app.extensions["engine"].dispose()
    proc = schedulers("--run-seconds", "4")
    moved = proc.wait_for(f"request {late}\tdue_on\t2026-05-28 -> 2026-06-01")
    assert "recompute-deadlines" in moved  # logged
    proc.wait_for("scheduler started")
    assert proc.proc.wait(20) == 0
    with app.app_context():
        session = db.session()
        assert session.get(InfoRequest, late).due_on == date(2026, 6, 1)
        # The sweep ran after the recompute: its deemed refusal is the right date's.
        keys = session.scalars(
            sa.select(TimelineEvent.dedupe_key).where(TimelineEvent.kind == "deemed_refusal")
        ).all()
    assert keys == ["deemed_refusal:2026-06-01"]


def test_the_start_recompute_stops_between_batches_when_the_lock_is_lost(app, make_user):
    import sqlalchemy as sa

    from tracker.core import db
    from tracker.core.models import InfoRequest
    from tracker.operations.scheduler import recompute_job
    from tracker.requests import recompute

    reporter = make_user("reporter@example.org").id
    cbsa = add_institution(app, reporter, "CBSA")
    ids = [add_request(app, reporter, cbsa, f"R{n}", date(2026, 6, n + 1)) for n in range(3)]
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(InfoRequest).values(rules_fingerprint=None))
    lock = DatabaseLock(app.extensions["engine"], 60)
    assert lock.try_acquire()
    stop = threading.Event()
    renewals = []

    def renew() -> bool:
        renewals.append(1)
        lock.held = len(renewals) < 2  # taken by another scheduler after the first batch
        return lock.held

    lock.renew = renew  # type: ignore[method-assign]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(recompute, "BATCH_SIZE", 1)
        assert recompute_job(app, lock, stop) is False
    with app.app_context():
        stored = {
            row.id: row.rules_fingerprint
            for row in db.session().execute(
                sa.select(InfoRequest.id, InfoRequest.rules_fingerprint)
            )
        }
    # The first two batches were committed (the lock was lost after the second); not the third.
    assert [stored[i] is not None for i in ids] == [True, True, False]
    # With the lock kept and no signal, it runs to the end.
    lock.renew = lambda: True  # type: ignore[method-assign]
    assert recompute_job(app, lock, stop) is True
    stop.set()
    assert recompute_job(app, lock, stop) is True  # nothing left to do: no batch, no check
