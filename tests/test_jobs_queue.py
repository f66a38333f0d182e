"""The queue the exports, the imports and the reading of records share
(tracker.core.jobs): a job is claimed by one worker only, a job whose worker stopped is
claimed again until it has had its tries and is then given up, and a cancel stops a queued
job at once and asks a running one to stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.test_import_jobs import job_row
from tracker.core import clock, db
from tracker.core.jobs import Queue
from tracker.core.models import ImportJob, Newsroom

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
QUEUE = Queue(
    ImportJob,
    timedelta(minutes=2),
    max_attempts=3,
    on_claim={"phase": "reading"},
    on_finish={"active_key": None},
)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with clock.frozen_now(NOW):
        yield


def _job(app, name: str, **values) -> int:
    """A queued job of a newsroom of its own (one active job per newsroom)."""
    with app.app_context(), db.transaction() as session:
        newsroom = Newsroom(name=name)
        session.add(newsroom)
        session.flush()
        job = ImportJob(
            newsroom_id=newsroom.id,
            active_key=newsroom.id,
            status="queued",
            token=name,
            filename=f"{name}.csv",
            day=date(2026, 12, 7),
            **values,
        )
        session.add(job)
        session.flush()
        return job.id


def test_a_job_is_claimed_by_one_of_two_workers(app):
    job_id = _job(app, "one")
    engine = app.extensions["engine"]
    with Session(engine) as first, Session(engine) as second:
        # Both workers saw the job queued; only the first claim takes it.
        assert first.scalar(sa.select(ImportJob.id).where(QUEUE.claimable())) == job_id
        assert second.scalar(sa.select(ImportJob.id).where(QUEUE.claimable())) == job_id
        second.rollback()
        assert QUEUE.claim(first, job_id) is True
        assert QUEUE.claim(second, job_id) is False
        assert QUEUE.claim_next(second) is None
    job = job_row(app, job_id)
    assert (job.status, job.attempts, job.phase, job.heartbeat_at) == ("running", 1, "reading", NOW)


def test_claim_next_takes_the_oldest_among_those_asked_for(app):
    older, newer = _job(app, "older"), _job(app, "newer")
    with app.app_context():
        session = db.session()
        assert QUEUE.claim_next(session, ImportJob.id == newer) == newer
        assert QUEUE.claim_next(session) == older
        assert QUEUE.claim_next(session) is None


def test_a_stale_heartbeat_is_claimed_again_then_given_up(app):
    job_id = _job(app, "stops")
    with app.app_context():
        session = db.session()
        for attempt in range(1, QUEUE.max_attempts + 1):
            assert QUEUE.claim_next(session) == job_id
            QUEUE.heartbeat(session, job_id, requests_done=attempt)
            session.commit()
            # Alive a minute later: not claimed, not given up.
            with clock.frozen_now(NOW + timedelta(minutes=1)):
                assert QUEUE.claim_next(session) is None
                assert QUEUE.give_up_repeated(session, error="stopped") == 0
            assert job_row(app, job_id).attempts == attempt
            # The worker stopped: past ``stale`` another worker may take it, while it has tries.
            session.execute(
                sa.update(ImportJob)
                .where(ImportJob.id == job_id)
                .values(heartbeat_at=NOW - QUEUE.stale - timedelta(seconds=1))
            )
            session.commit()
        assert QUEUE.claim_next(session) is None
        assert QUEUE.give_up_repeated(session, error="stopped") == 1
    job = job_row(app, job_id)
    assert (job.status, job.attempts, job.active_key, job.error) == ("failed", 3, None, "stopped")
    assert job.finished_at == NOW and job.requests_done == 3


def test_cancel_stops_a_queued_job_and_asks_a_running_one(app):
    queued, running = _job(app, "queued"), _job(app, "running")
    with app.app_context():
        session = db.session()
        assert QUEUE.claim(session, running)
        QUEUE.request_cancel(session, queued)
        QUEUE.request_cancel(session, running)
        assert QUEUE.cancel_asked(session, running) is True
        assert QUEUE.claim_next(session) is None  # a cancelled job is never claimed
    job = job_row(app, queued)
    assert (job.status, job.active_key, job.finished_at) == ("cancelled", None, NOW)
    job = job_row(app, running)
    assert (job.status, job.cancel_requested) == ("running", True)
    assert job.active_key is not None  # its worker ends it, at its next batch
    with app.app_context():
        session = db.session()
        QUEUE.finish(session, running, "cancelled")
        session.commit()
        QUEUE.request_cancel(session, running)  # a cancel after the end changes nothing
    job = job_row(app, running)
    assert (job.status, job.active_key, job.finished_at) == ("cancelled", None, NOW)
