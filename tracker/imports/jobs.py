"""CSV imports in the background: the database is the queue, the scheduler the worker.

Importing an uploaded file puts a row in ``import_job`` with the upload's token, the mapping
chosen and who asked. A newsroom has one import queued or running at a time (``active_key``
is unique): a second one is refused with a message naming the first, never a database error.
A file of up to ``IMPORT_INLINE_ROWS`` rows is run at once by the web request that asked (the
same function, a second or two); a larger one by the scheduler (``work``), which claims the
oldest queued job (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional UPDATE on
SQLite).

Running a job reads the file, builds the plan (the dry run again: what was checked may have
changed since) and imports it in one transaction (``service.run_import``), all or nothing. Its
phase and progress are written after each batch of requests through a connection of their own,
so the page (which refreshes itself) shows them; on SQLite, while the import's transaction
holds the write lock, the writing phase records none (it would wait for that lock) and the
page says "writing". A cancel asked meanwhile is seen at the next batch: the transaction rolls
back and the job is marked cancelled. The job is marked done, with its row-by-row report, in
the import's own transaction: the report and the requests are committed together.

A job whose worker stopped (a restart) has no heartbeat for ``STALE``; it is claimed again and
run from the start (nothing of it was written). After ``MAX_ATTEMPTS`` it is marked failed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.core import clock
from tracker.core.db import affected, engine_of
from tracker.core.models import ImportJob, User
from tracker.files.storage import LocalStorage
from tracker.imports import service
from tracker.imports.csvfile import CsvFileError, parse_csv
from tracker.imports.store import UploadStore
from tracker.language.i18n import _

log = logging.getLogger("tracker.imports")

# A running job without a heartbeat for this long lost its worker (a restart): run it again.
STALE = timedelta(minutes=2)
# A job whose worker stopped this many times is marked failed.
MAX_ATTEMPTS = 3
ACTIVE = ("queued", "running")


class ImportBusy(Exception):
    """Another import into the newsroom is queued or running; ``job`` is that one."""

    def __init__(self, message: str, job: ImportJob | None) -> None:
        super().__init__(message)
        self.job = job


class ImportCancelled(Exception):
    """Someone asked to cancel the running import."""


def upload_store(config: Mapping[str, Any]) -> UploadStore:
    """Where uploaded files wait for their import (the instance folder's ``imports``)."""
    return UploadStore(Path(config["INSTANCE_PATH"]) / "imports")


def _insert(db: Session) -> Any:
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert


def active_job(db: Session, newsroom_id: int) -> ImportJob | None:
    """The newsroom's import queued or running, if any."""
    return db.scalars(
        sa.select(ImportJob)
        .where(ImportJob.active_key == newsroom_id)
        .execution_options(populate_existing=True)
    ).first()


def queue_import(
    db: Session,
    user: User,
    *,
    token: str,
    filename: str,
    mapping: service.Mapping,
    skip_invalid: bool,
    today: date,
    rows: int,
) -> ImportJob:
    """Queue the import of an uploaded file, committed; ``ImportBusy`` when another import
    into the newsroom is queued or running."""
    inserted = db.execute(
        _insert(db)(ImportJob.__table__)
        .values(
            newsroom_id=user.newsroom_id,
            active_key=user.newsroom_id,
            status="queued",
            requested_by_id=user.id,
            token=token,
            filename=filename[:255],
            mapping=mapping.to_dict(),
            skip_invalid=skip_invalid,
            day=today,
            rows_total=rows,
            requested_at=clock.now(),
            attempts=0,
            requests_done=0,
            requests_total=0,
            cancel_requested=False,
        )
        .on_conflict_do_nothing(index_elements=["active_key"])
        .returning(ImportJob.__table__.c.id)
    ).scalar()
    db.commit()
    if inserted is None:
        other = active_job(db, user.newsroom_id)
        raise ImportBusy(busy_message(db, other), other)
    return db.get_one(ImportJob, inserted)


def busy_message(db: Session, other: ImportJob | None) -> str:
    """Why a second import into a newsroom waits: the first one, named."""
    if other is None:
        return _("Another import into this newsroom has just started: try again in a moment.")
    who = db.get(User, other.requested_by_id) if other.requested_by_id else None
    return _(
        "Another import into this newsroom is under way (%(file)s, asked by %(who)s): one "
        "import runs at a time, so that two files cannot write the same requests. Wait until "
        "it ends, or cancel it, then import this file.",
        file=other.filename,
        who=who.name if who else _("someone no longer here"),
    )


def _claimable(now: Any) -> sa.ColumnElement[bool]:
    return sa.or_(
        ImportJob.status == "queued",
        sa.and_(
            ImportJob.status == "running",
            ImportJob.heartbeat_at < now - STALE,
            ImportJob.attempts < MAX_ATTEMPTS,
        ),
    )


def claim(db: Session, job_id: int) -> bool:
    """Mark one queued (or abandoned) job running, committed; False when someone else has it."""
    now = clock.now()
    claimed = affected(
        db.execute(
            sa.update(ImportJob)
            .where(ImportJob.id == job_id, _claimable(now))
            .values(
                status="running",
                started_at=now,
                heartbeat_at=now,
                attempts=ImportJob.attempts + 1,
                phase="reading",
                requests_done=0,
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.commit()
    return claimed == 1


def claim_next(db: Session) -> int | None:
    """Claim the oldest queued job, or one whose worker stopped; its id, committed."""
    query = sa.select(ImportJob.id).where(_claimable(clock.now())).order_by(ImportJob.id).limit(1)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job_id = db.scalar(query)
    if job_id is None:
        db.rollback()
        return None
    return job_id if claim(db, job_id) else None


def request_cancel(db: Session, job: ImportJob) -> str:
    """Cancel a queued job at once, or ask the running one to stop at its next batch; the
    job's status afterwards ("cancelled", "running": stopping, or how it ended first)."""
    now = clock.now()
    cancelled = affected(
        db.execute(
            sa.update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.status == "queued")
            .values(status="cancelled", active_key=None, finished_at=now, cancel_requested=True)
            .execution_options(synchronize_session=False)
        )
    )
    if not cancelled:
        db.execute(
            sa.update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.status == "running")
            .values(cancel_requested=True)
            .execution_options(synchronize_session=False)
        )
    db.commit()
    db.refresh(job)
    return job.status


def _problem(p: service.Problem) -> dict[str, Any]:
    return {
        "row": p.row,
        "severity": p.severity,
        "code": p.code,
        "message": str(p.message),
        "file_number": p.file_number,
    }


def report_of(
    plan: service.ImportPlan | None,
    result: service.ImportResult | None,
    message: str,
    total_rows: int,
) -> dict[str, Any]:
    """The row-by-row report kept with a finished job: what was imported, what was left out
    and why, every problem of the dry run; imported and left-out rows add up to the file's."""
    imported_rows = result.rows if result is not None else 0
    return {
        "message": str(message),
        "total_rows": plan.total_rows if plan is not None else total_rows,
        "imported_requests": result.requests if result is not None else 0,
        "imported_rows": imported_rows,
        "left_out_rows": (plan.total_rows if plan is not None else total_rows) - imported_rows,
        "institutions_created": list(result.institutions_created) if result is not None else [],
        "as_of": plan.as_of.isoformat() if plan is not None and plan.as_of else None,
        "problems": [_problem(p) for p in plan.problems] if plan is not None else [],
    }


def _finish(
    db: Session,
    job_id: int,
    status: str,
    report: dict[str, Any],
    *,
    error: str | None = None,
    import_id: int | None = None,
) -> None:
    """Mark the job finished (in the caller's transaction, which then commits)."""
    db.execute(
        sa.update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(
            status=status,
            active_key=None,
            finished_at=clock.now(),
            report=report,
            error=error,
            import_id=import_id,
        )
        .execution_options(synchronize_session=False)
    )


class _Progress:
    """Records a running job's phase and progress, and stops it when a cancel was asked."""

    def __init__(self, db: Session, job_id: int) -> None:
        self.engine = engine_of(db)
        self.job_id = job_id
        # SQLite: the import's transaction holds the write lock while it writes.
        self.quiet_while_writing = self.engine.dialect.name == "sqlite"

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        table = ImportJob.__table__
        with self.engine.connect() as conn:
            if conn.scalar(sa.select(table.c.cancel_requested).where(table.c.id == self.job_id)):
                raise ImportCancelled
        if phase == "writing" and self.quiet_while_writing and done:
            return
        values: dict[str, Any] = {"phase": phase, "requests_done": done}
        if total is not None:
            values["requests_total"] = total
        values["heartbeat_at"] = clock.now()
        with self.engine.begin() as conn:
            conn.execute(sa.update(table).where(table.c.id == self.job_id).values(**values))


def run_job(db: Session, config: Mapping[str, Any], job_id: int) -> str:
    """Run a claimed job: read its file, check it again and import it, all or nothing; its
    status afterwards (done, failed or cancelled), with its report kept."""
    job = db.get(ImportJob, job_id, populate_existing=True)
    if job is None:
        return "failed"
    total_rows = job.rows_total
    upload = upload_store(config).load(job.token)
    user = db.get(User, job.requested_by_id) if job.requested_by_id else None
    problem = None
    if upload is None:
        problem = _(
            "The uploaded file is no longer kept (uploads are kept for a day): upload it again."
        )
    elif user is None or not user.active or user.newsroom_id != job.newsroom_id:
        problem = _("The person who asked for this import can no longer import into the newsroom.")
    if problem is not None or upload is None or user is None:
        db.rollback()
        _finish(db, job_id, "failed", report_of(None, None, problem or "", total_rows))
        db.commit()
        return "failed"
    progress = _Progress(db, job_id)
    plan = None
    try:
        progress("reading", 0)
        table = parse_csv(upload.data)
        mapping = service.Mapping.from_dict(job.mapping)
        plan = service.build_plan(db, job.newsroom_id, table, mapping, job.day)
        # The plan holds what the import writes: the file and its parsed rows can go.
        del table
        upload = None
        progress("checking", 0, len(plan.valid_requests))
        result = service.run_import(
            db,
            plan,
            user,
            job.day,
            LocalStorage(config["ATTACHMENTS_DIR"]),
            source=job.filename,
            skip_invalid=job.skip_invalid,
            progress=progress,
        )
        message = _(
            "Imported %(requests)s requests from %(rows)s rows.",
            requests=result.requests,
            rows=result.rows,
        )
        _finish(
            db,
            job_id,
            "done",
            report_of(plan, result, message, total_rows),
            import_id=result.import_id,
        )
        db.commit()
    except ImportCancelled:
        db.rollback()
        message = _("Cancelled: nothing was imported.")
        _finish(db, job_id, "cancelled", report_of(plan, None, message, total_rows))
        db.commit()
        return "cancelled"
    except (service.ImportFailure, CsvFileError) as exc:
        db.rollback()
        _finish(db, job_id, "failed", report_of(plan, None, str(exc), total_rows), error=str(exc))
        db.commit()
        return "failed"
    except Exception as exc:
        db.rollback()
        log.exception("import %s of newsroom %s failed", job_id, job.newsroom_id)
        message = _("The import stopped on an unexpected error: nothing was imported.")
        _finish(
            db,
            job_id,
            "failed",
            report_of(plan, None, message, total_rows),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        db.commit()
        return "failed"
    upload_store(config).delete(job.token)
    return "done"


def give_up_repeated(db: Session) -> int:
    """Jobs whose workers stopped MAX_ATTEMPTS times are marked failed."""
    now = clock.now()
    failed = affected(
        db.execute(
            sa.update(ImportJob)
            .where(
                ImportJob.status == "running",
                ImportJob.heartbeat_at < now - STALE,
                ImportJob.attempts >= MAX_ATTEMPTS,
            )
            .values(
                status="failed",
                active_key=None,
                finished_at=now,
                error=_("The import stopped several times before it ended: nothing was imported."),
            )
            .execution_options(synchronize_session=False)
        )
    )
    db.commit()
    return int(failed or 0)


def work(db: Session, config: Mapping[str, Any], *, limit: int = 5) -> int:
    """The scheduler's job: run the queued imports (at most ``limit``); how many were done."""
    give_up_repeated(db)
    done = 0
    for _turn in range(limit):
        job_id = claim_next(db)
        if job_id is None:
            break
        done += run_job(db, config, job_id) == "done"
    return done
