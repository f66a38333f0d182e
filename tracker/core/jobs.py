"""Background work queued in the database: claim, heartbeat, give up, cancel.

The exports, the imports and the reading of records each keep their jobs in a table of their
own, worked by the scheduler (APScheduler calls each feature's ``work``): there is no broker.
A ``Queue`` names that table and its words, and does what every such queue does the same way:

- **claim**: a queued job, or a running one whose worker stopped (no heartbeat for
  ``stale``) and that has tries left, is marked running by one conditional UPDATE, so of
  two workers (two sessions, two processes) that pick the same job only one gets it.
  ``claim_next`` picks the oldest, with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL
  so that concurrent workers pick different jobs;
- **heartbeat**: the worker writes ``heartbeat_at`` (with its progress) as it goes;
- **give up**: a job whose workers stopped ``max_attempts`` times is marked failed, so one
  job that kills its worker cannot hold the queue;
- **finish**: the job's outcome, with ``finished_at``;
- **cancel** (tables with ``cancel_requested``): a queued job is cancelled at once, a running
  one is asked to stop, and its worker checks ``cancel_asked`` between batches.

The table needs ``id``, ``status``, ``attempts``, ``started_at``, ``heartbeat_at`` and
``finished_at`` columns. Each method commits only where it says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from tracker.core import clock
from tracker.core.db import affected

Executor = Session | Connection


@dataclass(frozen=True)
class Queue:
    """A table of jobs worked as a queue."""

    model: Any  # the ORM class of the table
    stale: timedelta  # a running job without a heartbeat this long lost its worker
    max_attempts: int = 3
    running: str = "running"  # the status of a job being worked
    # Set when a job is claimed (progress reset), and when it finishes or is given up.
    on_claim: Mapping[str, Any] = field(default_factory=dict)
    on_finish: Mapping[str, Any] = field(default_factory=dict)

    def with_stale(self, stale: timedelta) -> Queue:
        """The same queue with another staleness (one read from the settings)."""
        return replace(self, stale=stale)

    def _table(self) -> sa.Table:
        table: sa.Table = self.model.__table__
        return table

    def _stopped(self, now: Any) -> sa.ColumnElement[bool]:
        m = self.model
        return sa.and_(m.status == self.running, m.heartbeat_at < now - self.stale)

    def claimable(self) -> sa.ColumnElement[bool]:
        """Queued, or running without a heartbeat for ``stale`` with tries left."""
        m = self.model
        return sa.or_(
            m.status == "queued",
            sa.and_(self._stopped(clock.now()), m.attempts < self.max_attempts),
        )

    def claim(self, db: Session, job_id: int) -> bool:
        """Mark the job running (one more attempt, a fresh heartbeat), committed; False when
        it is not claimable (another worker has it, or it ended)."""
        now, m = clock.now(), self.model
        claimed = affected(
            db.execute(
                sa.update(m)
                .where(m.id == job_id, self.claimable())
                .values(
                    status=self.running,
                    started_at=now,
                    heartbeat_at=now,
                    attempts=m.attempts + 1,
                    **self.on_claim,
                )
                .execution_options(synchronize_session=False)
            )
        )
        db.commit()
        return claimed == 1

    def claim_next(self, db: Session, *where: sa.ColumnElement[bool]) -> int | None:
        """Claim the oldest claimable job (among those ``where`` keeps); its id, committed,
        or None when there is none or another worker took it first."""
        m = self.model
        query = sa.select(m.id).where(self.claimable(), *where).order_by(m.id).limit(1)
        if db.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        job_id: int | None = db.scalar(query)
        if job_id is None:
            db.rollback()
            return None
        return job_id if self.claim(db, job_id) else None

    def heartbeat(self, db: Executor, job_id: int, **progress: Any) -> None:
        """The worker is alive: ``heartbeat_at`` now, with its progress (the caller
        commits)."""
        table = self._table()
        db.execute(
            sa.update(table)
            .where(table.c.id == job_id)
            .values(heartbeat_at=clock.now(), **progress)
        )

    def finish(self, db: Executor, job_id: int, status: str, **values: Any) -> None:
        """The job ended with ``status`` (the caller commits)."""
        table = self._table()
        db.execute(
            sa.update(table)
            .where(table.c.id == job_id)
            .values(status=status, finished_at=clock.now(), **{**self.on_finish, **values})
        )

    def give_up_repeated(self, db: Session, **values: Any) -> int:
        """Mark failed the jobs whose workers stopped ``max_attempts`` times (``values``: the
        error to keep); how many, committed."""
        now, m = clock.now(), self.model
        failed = affected(
            db.execute(
                sa.update(m)
                .where(self._stopped(now), m.attempts >= self.max_attempts)
                .values(status="failed", finished_at=now, **{**self.on_finish, **values})
                .execution_options(synchronize_session=False)
            )
        )
        db.commit()
        return int(failed or 0)

    def request_cancel(self, db: Session, job_id: int) -> None:
        """Cancel a queued job at once, or ask the running one to stop; committed."""
        m = self.model
        cancelled = affected(
            db.execute(
                sa.update(m)
                .where(m.id == job_id, m.status == "queued")
                .values(
                    status="cancelled",
                    finished_at=clock.now(),
                    cancel_requested=True,
                    **self.on_finish,
                )
                .execution_options(synchronize_session=False)
            )
        )
        if not cancelled:
            db.execute(
                sa.update(m)
                .where(m.id == job_id, m.status == self.running)
                .values(cancel_requested=True)
                .execution_options(synchronize_session=False)
            )
        db.commit()

    def cancel_asked(self, db: Executor, job_id: int) -> bool:
        """Whether someone asked the job to stop."""
        table = self._table()
        return bool(db.scalar(sa.select(table.c.cancel_requested).where(table.c.id == job_id)))
