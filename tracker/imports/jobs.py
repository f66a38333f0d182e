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
from tracker.core.db import engine_of
from tracker.core.jobs import Queue
from tracker.core.models import ImportJob, User
from tracker.files.storage import LocalStorage
from tracker.imports import service
from tracker.imports.csvfile import CsvFileError, open_csv
from tracker.imports.store import UploadStore
from tracker.language.i18n import _, lazy_gettext

log = logging.getLogger("tracker.imports")

# A running job without a heartbeat for this long lost its worker (a restart): run it again.
STALE = timedelta(minutes=2)
# A job whose worker stopped this many times is marked failed.
MAX_ATTEMPTS = 3
ACTIVE = ("queued", "running")
# Claiming starts the reading again; a finished job frees the newsroom's place in the queue.
QUEUE = Queue(
    ImportJob,
    STALE,
    MAX_ATTEMPTS,
    on_claim={"phase": "reading", "requests_done": 0},
    on_finish={"active_key": None},
)


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


def claim(db: Session, job_id: int) -> bool:
    """Mark one queued (or abandoned) job running, committed; False when someone else has it."""
    return QUEUE.claim(db, job_id)


def claim_next(db: Session) -> int | None:
    """Claim the oldest queued job, or one whose worker stopped; its id, committed."""
    return QUEUE.claim_next(db)


def request_cancel(db: Session, job: ImportJob) -> str:
    """Cancel a queued job at once, or ask the running one to stop at its next batch; the
    job's status afterwards ("cancelled", "running": stopping, or how it ended first)."""
    QUEUE.request_cancel(db, job.id)
    db.refresh(job)
    return job.status


# How a job ended, by key: the report keeps the key and its values, and the page writes the
# sentence in its reader's language (issue 20).
OUTCOMES: dict[str, str] = {
    "imported": lazy_gettext("Imported %(requests)s requests from %(rows)s rows."),
    "cancelled": lazy_gettext("Cancelled: nothing was imported."),
    "unexpected": lazy_gettext("The import stopped on an unexpected error: nothing was imported."),
    "upload_gone": lazy_gettext(
        "The uploaded file is no longer kept (uploads are kept for a day): upload it again."
    ),
    "asker_gone": lazy_gettext(
        "The person who asked for this import can no longer import into the newsroom."
    ),
}


class Said:
    """A sentence kept as its key and values: one of ``OUTCOMES``, of ``service.FAILURES``,
    or (``key`` None) text already written, such as a file's reading error."""

    def __init__(self, key: str | None, text: str = "", **params: Any) -> None:
        self.key, self.text, self.params = key, text, params

    @classmethod
    def of(cls, exc: Exception) -> Said:
        """An import's failure, by its key when it has one."""
        key = getattr(exc, "key", None)
        if key is not None:
            return cls(f"failure:{key}", **getattr(exc, "params", {}))
        return cls(None, str(exc))


def said_message(key: str | None, params: dict[str, Any], text: str = "") -> str:
    """A kept sentence in the reader's language."""
    if key is None:
        return text
    if key.startswith("failure:"):
        return service.failure_message(key.removeprefix("failure:"), params)
    template = OUTCOMES.get(key)
    if template is None:
        return text or key
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):  # a catalogue's placeholder is wrong
        return text or key


def _problem(p: service.Problem) -> dict[str, Any]:
    return {
        "row": p.row,
        "severity": p.severity,
        "code": p.code,
        "key": p.key,
        "params": p.params,
        "file_number": p.file_number,
    }


def rendered(report: dict[str, Any]) -> dict[str, Any]:
    """A kept report with its sentences written in the reader's language: ``message`` and
    each problem's ``message`` (a report kept before sentences were kept by key has its
    text, shown as it is)."""
    out = dict(report)
    if "message_key" in report:
        out["message"] = said_message(
            report["message_key"], report.get("message_params") or {}, report.get("message", "")
        )
    out["problems"] = [
        {**p, "message": service.problem_message(p["key"], p.get("params") or {})}
        if "key" in p
        else p
        for p in report.get("problems") or []
    ]
    return out


def report_of(
    plan: service.ImportPlan | None,
    result: service.ImportResult | None,
    message: Said,
    total_rows: int,
) -> dict[str, Any]:
    """The row-by-row report kept with a finished job: what was imported, what was left out
    and why, every problem of the dry run; imported and left-out rows add up to the file's.
    Its sentences are kept as keys and values, written when shown (``rendered``)."""
    imported_rows = result.rows if result is not None else 0
    return {
        "message_key": message.key,
        "message_params": message.params,
        "message": message.text,
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
    QUEUE.finish(db, job_id, status, report=report, error=error, import_id=import_id)


class _Progress:
    """Records a running job's phase and progress, and stops it when a cancel was asked."""

    def __init__(self, db: Session, job_id: int) -> None:
        self.engine = engine_of(db)
        self.job_id = job_id
        # SQLite: the import's transaction holds the write lock while it writes.
        self.quiet_while_writing = self.engine.dialect.name == "sqlite"

    def __call__(self, phase: str, done: int, total: int | None = None) -> None:
        with self.engine.connect() as conn:
            if QUEUE.cancel_asked(conn, self.job_id):
                raise ImportCancelled
        if phase == "writing" and self.quiet_while_writing and done:
            return
        values: dict[str, Any] = {"phase": phase, "requests_done": done}
        if total is not None:
            values["requests_total"] = total
        with self.engine.begin() as conn:
            QUEUE.heartbeat(conn, self.job_id, **values)


def run_job(db: Session, config: Mapping[str, Any], job_id: int) -> str:
    """Run a claimed job: read its file, check it again and import it, all or nothing; its
    status afterwards (done, failed or cancelled), with its report kept."""
    job = db.get(ImportJob, job_id, populate_existing=True)
    if job is None:
        return "failed"
    total_rows = job.rows_total
    upload = upload_store(config).path(job.token)
    user = db.get(User, job.requested_by_id) if job.requested_by_id else None
    problem = None
    if upload is None:
        problem = Said("upload_gone")
    elif user is None or not user.active or user.newsroom_id != job.newsroom_id:
        problem = Said("asker_gone")
    if problem is not None or upload is None or user is None:
        db.rollback()
        _finish(db, job_id, "failed", report_of(None, None, problem or Said(None), total_rows))
        db.commit()
        return "failed"
    progress = _Progress(db, job_id)
    plan = None
    try:
        progress("reading", 0)
        # The file is read in a stream, twice (checked, then each row into the plan's scratch
        # table); the plan keeps the rows on disk, so memory does not grow with the file.
        table = open_csv(upload)
        mapping = service.Mapping.from_dict(job.mapping)
        plan = service.build_plan(db, job.newsroom_id, table, mapping, job.day)
        progress("checking", 0, plan.valid_count)
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
        message = Said("imported", requests=result.requests, rows=result.rows)
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
        message = Said("cancelled")
        _finish(db, job_id, "cancelled", report_of(plan, None, message, total_rows))
        db.commit()
        return "cancelled"
    except (service.ImportFailure, CsvFileError) as exc:
        db.rollback()
        _finish(
            db, job_id, "failed", report_of(plan, None, Said.of(exc), total_rows), error=str(exc)
        )
        db.commit()
        return "failed"
    except Exception as exc:
        db.rollback()
        log.exception("import %s of newsroom %s failed", job_id, job.newsroom_id)
        message = Said("unexpected")
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
    return QUEUE.give_up_repeated(
        db, error=_("The import stopped several times before it ended: nothing was imported.")
    )


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
