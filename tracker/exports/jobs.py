"""Large exports in the background: the database is the queue, the scheduler the worker.

A newsroom with more than ``EXPORT_BACKGROUND_REQUESTS`` requests gets its ZIP built by a job
(``export_job``) instead of during a page view. Asking puts a job in the queue, or joins the
one already queued or running for that newsroom (``active_key`` is unique), and records the
user in ``export_waiter``: two people asking at once share one job and both are mailed.

The scheduler claims a queued job (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, a
conditional UPDATE on SQLite), writes the ZIP to a temporary name beside its final one while
recording progress, checks it (every entry's CRC, the expected files, every line counted) and
only then renames it into place and marks the job ready, in one transaction with one
``export_ready`` mail per waiter in the outbox. A job whose worker stopped (a restart) stops
sending heartbeats; after ``STALE`` it is claimed again and written again from the start, so
a half-written ZIP is never offered. A ready ZIP is kept ``EXPORT_KEEP_HOURS`` and served
only to that newsroom's users.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import os
import zipfile
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.alerts.service import address_of
from tracker.core import clock
from tracker.core.db import engine_of
from tracker.core.jobs import Queue
from tracker.core.models import Alert, ExportJob, ExportWaiter, InfoRequest, Newsroom, User
from tracker.core.urls import base_url
from tracker.exports import service

log = logging.getLogger("tracker.exports")

# A running job without a heartbeat for this long lost its worker (a restart): run it again.
STALE = timedelta(minutes=2)
# A job that failed this many times (each worker stopping mid-way) is marked failed.
MAX_ATTEMPTS = 3
# Claiming starts the row count again; a finished job frees the newsroom's place in the queue.
QUEUE = Queue(
    ExportJob,
    STALE,
    MAX_ATTEMPTS,
    on_claim={"rows_done": 0},
    on_finish={"active_key": None},
)
EXPECTED_FILES = (
    "README.txt",
    "requests.csv",
    "timeline.csv",
    "institutions.csv",
    "extensions.csv",
    "complaints.csv",
)


class ExportCheckError(RuntimeError):
    """A written ZIP failed its check; it is not published."""


def exports_dir(config: Mapping[str, Any]) -> Path:
    """Where prepared exports are kept (the instance folder's ``exports``)."""
    folder = Path(config["INSTANCE_PATH"]) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_path(config: Mapping[str, Any], job_id: int) -> Path:
    """The published ZIP of a job."""
    return exports_dir(config) / f"export-{job_id}.zip"


def _part_path(config: Mapping[str, Any], job_id: int) -> Path:
    return exports_dir(config) / f"export-{job_id}.zip.part"


def is_large(db: Session, newsroom_id: int, config: Mapping[str, Any]) -> bool:
    """Whether the newsroom has more requests than an export built during a page view may
    hold (counted no further than the threshold)."""
    threshold = int(config["EXPORT_BACKGROUND_REQUESTS"])
    first = (
        sa.select(InfoRequest.id)
        .where(InfoRequest.newsroom_id == newsroom_id)
        .limit(threshold + 1)
        .subquery()
    )
    return int(db.scalar(sa.select(sa.func.count()).select_from(first)) or 0) > threshold


def _insert(db: Session) -> Any:
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert


def request_export(db: Session, user: User, today: date) -> ExportJob:
    """Queue the newsroom's export for ``user``, or join the job already queued or running;
    the user is mailed when it is ready. The caller commits."""
    insert = _insert(db)
    job = None
    while job is None:
        db.execute(
            insert(ExportJob.__table__)
            .values(
                newsroom_id=user.newsroom_id,
                active_key=user.newsroom_id,
                status="queued",
                requested_by_id=user.id,
                day=today,
                requested_at=clock.now(),
                attempts=0,
                rows_done=0,
                rows_total=0,
            )
            .on_conflict_do_nothing(index_elements=["active_key"])
        )
        # Locked (PostgreSQL) until this user is among its waiters: the worker marks it
        # ready, and reads whom to mail, only after. None when the job in the way finished
        # between the two statements (READ COMMITTED): a new one is queued on the next turn.
        job = db.scalars(
            sa.select(ExportJob)
            .where(ExportJob.active_key == user.newsroom_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
    db.execute(
        insert(ExportWaiter.__table__)
        .values(job_id=job.id, user_id=user.id, asked_at=clock.now())
        .on_conflict_do_nothing(index_elements=["job_id", "user_id"])
    )
    return job


def latest_job(db: Session, newsroom_id: int) -> ExportJob | None:
    """The newsroom's newest export job (what the Export page shows), if any."""
    return db.scalars(
        sa.select(ExportJob)
        .where(ExportJob.newsroom_id == newsroom_id, ExportJob.status != "expired")
        .order_by(ExportJob.id.desc())
        .limit(1)
    ).first()


def downloadable(
    db: Session, newsroom_id: int, job_id: int, config: Mapping[str, Any]
) -> Path | None:
    """The ZIP of a ready, unexpired job of this newsroom, else None."""
    job = db.get(ExportJob, job_id)
    if job is None or job.newsroom_id != newsroom_id or job.status != "ready":
        return None
    if job.expires_at is None or job.expires_at <= clock.now():
        return None
    path = job_path(config, job.id)
    return path if path.is_file() else None


def claim_next(db: Session) -> int | None:
    """Claim the oldest queued job, or one whose worker stopped; its id, committed."""
    return QUEUE.claim_next(db)


def check_zip(path: Path, lines: int) -> None:
    """The written ZIP opens, every entry's CRC matches, the files are those expected and
    the CSVs hold ``lines`` data lines between them."""
    with zipfile.ZipFile(path) as archive:
        names = tuple(archive.namelist())
        if names != EXPECTED_FILES:
            raise ExportCheckError(f"unexpected files in the export: {names}")
        broken = archive.testzip()
        if broken is not None:
            raise ExportCheckError(f"{broken} is damaged")
        counted = 0
        for name in EXPECTED_FILES[1:]:
            with archive.open(name) as entry:
                reader = csv.reader(io.TextIOWrapper(entry, encoding="utf-8-sig", newline=""))
                counted += sum(1 for _ in reader) - 1
        if counted != lines:
            raise ExportCheckError(f"{counted} lines written, {lines} expected")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _mails(db: Session, job: ExportJob, newsroom: Newsroom, config: Mapping[str, Any]) -> int:
    """One ``export_ready`` mail per user who asked, in the outbox (once each)."""
    users = db.scalars(
        sa.select(User)
        .join(ExportWaiter, ExportWaiter.user_id == User.id)
        .where(ExportWaiter.job_id == job.id, User.active.is_(True))
        .order_by(User.id)
    ).all()
    link = f"{base_url(config, mail=True)}/exports/jobs/{job.id}/download"
    insert = _insert(db)
    for user in users:
        context = {
            "user": user,
            "newsroom": newsroom,
            "job": job,
            "link": link,
            "page": f"{base_url(config, mail=True)}/exports/",
            "keep_hours": config["EXPORT_KEEP_HOURS"],
        }
        db.execute(
            insert(Alert.__table__)
            .values(
                dedupe_key=f"export_ready:job-{job.id}:{user.id}",
                kind="export_ready",
                user_id=user.id,
                request_id=None,
                deadline_on=None,
                recipient=address_of(user),
                subject=f"Your export of {newsroom.name} is ready",
                body_text=render_template("exports/mail/ready.txt", **context),
                body_html="",
                status="pending",
                attempts=0,
                next_attempt_at=clock.now(),
                created_at=clock.now(),
            )
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
    return len(users)


def run_job(db: Session, config: Mapping[str, Any], job_id: int) -> bool:
    """Build a claimed job's ZIP under a temporary name, check it, publish it and mail the
    users who asked; True when it is ready. A failure marks the job failed (the temporary
    file removed)."""
    job = db.get(ExportJob, job_id)
    if job is None:
        return False
    newsroom = db.get(Newsroom, job.newsroom_id)
    if newsroom is None:  # deleted meanwhile (the job goes with it)
        return False
    day = job.day
    total = service.newsroom_row_count(db, newsroom.id)
    db.rollback()
    engine = engine_of(db)
    with engine.begin() as conn:
        QUEUE.heartbeat(conn, job_id, rows_total=total)
    done = [0]

    def progress(rows: int) -> None:
        done[0] += rows
        with engine.begin() as conn:
            QUEUE.heartbeat(conn, job_id, rows_done=done[0])

    part, final = _part_path(config, job_id), job_path(config, job_id)
    try:
        with part.open("wb") as handle:
            service.write_newsroom_zip(
                db, newsroom, day, base_url(config, mail=True), handle, progress
            )
        db.rollback()
        check_zip(part, done[0])
        size, digest = part.stat().st_size, _sha256(part)
        os.replace(part, final)
    except Exception as exc:
        db.rollback()
        part.unlink(missing_ok=True)
        log.exception("export %s of newsroom %s failed", job_id, newsroom.id)
        QUEUE.finish(db, job_id, "failed", error=f"{type(exc).__name__}: {exc}"[:2000])
        db.commit()
        return False
    now = clock.now()
    job = db.get(ExportJob, job_id, populate_existing=True)
    if job is None:
        return False
    job.status = "ready"
    job.active_key = None
    job.finished_at = now
    job.expires_at = now + timedelta(hours=int(config["EXPORT_KEEP_HOURS"]))
    job.rows_done = done[0]
    job.rows_total = max(total, done[0])
    job.size = size
    job.sha256 = digest
    job.error = None
    db.flush()
    mailed = _mails(db, job, newsroom, config)
    db.commit()
    log.info(
        "export %s of newsroom %s ready: %d bytes, %d mail(s)", job_id, newsroom.id, size, mailed
    )
    return True


def give_up_repeated(db: Session) -> int:
    """Jobs whose workers stopped MAX_ATTEMPTS times are marked failed (and their temporary
    file is left to the next prune)."""
    return QUEUE.give_up_repeated(
        db, error="The export stopped several times before it was written."
    )


def prune(db: Session, config: Mapping[str, Any]) -> int:
    """Delete the ZIPs of expired jobs (and leftover temporary files of finished ones)."""
    now = clock.now()
    expired = list(
        db.scalars(
            sa.select(ExportJob.id).where(ExportJob.status == "ready", ExportJob.expires_at <= now)
        )
    )
    for job_id in expired:
        job_path(config, job_id).unlink(missing_ok=True)
    if expired:
        db.execute(sa.update(ExportJob).where(ExportJob.id.in_(expired)).values(status="expired"))
    finished = set(
        db.scalars(sa.select(ExportJob.id).where(ExportJob.status.in_(("failed", "expired"))))
    )
    for leftover in exports_dir(config).glob("export-*.zip.part"):
        number = leftover.name.removeprefix("export-").removesuffix(".zip.part")
        if number.isdigit() and int(number) in finished:
            leftover.unlink(missing_ok=True)
    db.commit()
    return len(expired)


def work(db: Session, config: Mapping[str, Any], *, limit: int = 10) -> int:
    """The scheduler's job: prune expired exports, then build queued ones (at most
    ``limit``); how many became ready."""
    prune(db, config)
    give_up_repeated(db)
    ready = 0
    for _ in range(limit):
        job_id = claim_next(db)
        if job_id is None:
            break
        ready += run_job(db, config, job_id)
    return ready
