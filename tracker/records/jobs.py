"""Reading attached files in the background: the database is the queue, the scheduler (or
``flask --app tracker extract-text``) the worker.

Each attachment has one ``record_file`` row: queued when the file is uploaded (or found
without one), then reading, then done or failed with the reason. A worker claims one file at
a time (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional UPDATE on both),
stores its pages as it reads them with a heartbeat, and after a restart another claim goes on
from the first page not stored: pages already read are not read again. A file whose worker
stopped ``MAX_ATTEMPTS`` times is marked failed, so one file that kills its reader cannot
stop the queue. The original file is only read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.core import clock
from tracker.core.db import affected
from tracker.core.jobs import Queue
from tracker.core.models import Attachment, InfoRequest, RecordFile, RecordText, TimelineEvent
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.records import exemptions
from tracker.records.extract import ExtractionError, Limits, page_count, pages_of

log = logging.getLogger("tracker.records")

MAX_ATTEMPTS = 3
# Pages are committed this often (or every COMMIT_SECONDS), with the heartbeat.
COMMIT_PAGES = 50
COMMIT_SECONDS = 1.0


def limits_of(config: Mapping[str, Any]) -> Limits:
    """The reading limits the settings give."""
    return Limits(
        max_pages=int(config.get("RECORDS_MAX_PAGES", 2500)),
        ocr_page_seconds=float(config.get("OCR_PAGE_SECONDS", 120)),
        max_pixels=int(config.get("OCR_MAX_PIXELS", 60_000_000)),
    )


def stale_after(config: Mapping[str, Any]) -> timedelta:
    """How long a reading file may go without a heartbeat before it is claimed again."""
    return timedelta(seconds=float(config.get("OCR_PAGE_SECONDS", 120)) + 60)


# The files to read; its staleness is the settings' (``_queue``).
QUEUE = Queue(RecordFile, stale_after({}), MAX_ATTEMPTS, running="reading")


def _queue(config: Mapping[str, Any]) -> Queue:
    return QUEUE.with_stale(stale_after(config))


def _insert(db: Session) -> Any:
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert


def queue(db: Session, attachment_ids: Iterable[int]) -> int:
    """Queue attached files for reading (those already queued or read are left alone); the
    caller commits. How many were queued."""
    ids = list(attachment_ids)
    if not ids:
        return 0
    rows = db.execute(
        sa.select(Attachment.id, TimelineEvent.request_id)
        .join(TimelineEvent, TimelineEvent.id == Attachment.event_id)
        .where(Attachment.id.in_(ids))
    ).all()
    insert = _insert(db)
    queued = 0
    now = clock.now()
    for attachment_id, request_id in rows:
        queued += (
            affected(
                db.execute(
                    insert(RecordFile.__table__)
                    .values(
                        attachment_id=attachment_id,
                        request_id=request_id,
                        status="queued",
                        pages_done=0,
                        attempts=0,
                        queued_at=now,
                    )
                    .on_conflict_do_nothing(index_elements=["attachment_id"])
                )
            )
            or 0
        )
    return queued


def queue_missing(db: Session, request_id: int | None = None) -> int:
    """Queue every attached file (of one request, or all) that has no reading yet; commits."""
    query = (
        sa.select(Attachment.id)
        .join(TimelineEvent, TimelineEvent.id == Attachment.event_id)
        .outerjoin(RecordFile, RecordFile.attachment_id == Attachment.id)
        .where(RecordFile.id.is_(None))
    )
    if request_id is not None:
        query = query.where(TimelineEvent.request_id == request_id)
    queued = queue(db, db.scalars(query).all())
    db.commit()
    return queued


def requeue(db: Session, request_id: int) -> int:
    """Read a request's files again from the start (their pages are replaced); commits."""
    ids = list(
        db.scalars(sa.select(RecordFile.attachment_id).where(RecordFile.request_id == request_id))
    )
    if ids:
        db.execute(
            sa.delete(RecordText).where(
                RecordText.attachment_id.in_(ids), RecordText.source == "page"
            )
        )
        db.execute(
            sa.update(RecordFile)
            .where(RecordFile.request_id == request_id)
            .values(
                status="queued",
                reason=None,
                pages_done=0,
                pages_total=None,
                attempts=0,
                queued_at=clock.now(),
                started_at=None,
                finished_at=None,
            )
        )
    db.commit()
    return len(ids)


def claim_next(db: Session, config: Mapping[str, Any], request_id: int | None = None) -> int | None:
    """Claim the oldest queued file (or one whose worker stopped); its id, committed."""
    where = () if request_id is None else (RecordFile.request_id == request_id,)
    return _queue(config).claim_next(db, *where)


def give_up_repeated(db: Session, config: Mapping[str, Any]) -> int:
    """Files whose reader stopped MAX_ATTEMPTS times are marked failed."""
    return _queue(config).give_up_repeated(
        db,
        reason=_("Reading stopped %(times)s times before the file was read.", times=MAX_ATTEMPTS),
    )


def _finish(db: Session, file_id: int, status: str, reason: str | None, done: int) -> None:
    QUEUE.finish(db, file_id, status, reason=reason, pages_done=done)
    db.commit()


class Paused(Exception):
    """The worker's time ran out mid-file: the file is queued again, its pages kept."""


def run_file(
    db: Session, config: Mapping[str, Any], file_id: int, *, deadline: float | None = None
) -> bool:
    """Read a claimed file, storing each page not stored yet; True when it was read. Past
    ``deadline`` (``time.monotonic()``) the file goes back to the queue with the pages read
    so far (Paused), so a scheduler that is stopping never waits for a long file."""
    row = db.execute(
        sa.select(RecordFile, Attachment, InfoRequest)
        .join(Attachment, Attachment.id == RecordFile.attachment_id)
        .join(InfoRequest, InfoRequest.id == RecordFile.request_id)
        .where(RecordFile.id == file_id)
    ).first()
    if row is None:
        db.rollback()
        return False
    _record, attachment, request = row
    attachment_id, name, content_type = (
        attachment.id,
        attachment.original_name,
        attachment.content_type,
    )
    newsroom_id, request_id = request.newsroom_id, request.id
    storage = LocalStorage(config["ATTACHMENTS_DIR"])
    path = Path(storage.path_for(attachment.sha256))
    stored = set(
        db.scalars(
            sa.select(RecordText.page).where(
                RecordText.attachment_id == attachment_id, RecordText.source == "page"
            )
        )
    )
    db.rollback()
    if not path.is_file():
        missing = _("The original file is missing from storage.")
        _finish(db, file_id, "failed", missing, len(stored))
        return False
    total = page_count(path, name, content_type)
    QUEUE.heartbeat(db, file_id, pages_total=total, pages_done=len(stored))
    db.commit()
    done = len(stored)
    last_commit = time.monotonic()
    pending = 0
    try:
        for page in pages_of(path, name, content_type, limits_of(config)):
            if page.number in stored:
                continue
            db.add(
                RecordText(
                    newsroom_id=newsroom_id,
                    request_id=request_id,
                    source="page",
                    attachment_id=attachment_id,
                    page=page.number,
                    body=page.text,
                    engine=page.engine,
                    engine_version=page.engine_version,
                )
            )
            done += 1
            pending += 1
            if deadline is not None and time.monotonic() > deadline:
                db.execute(
                    sa.update(RecordFile)
                    .where(RecordFile.id == file_id)
                    .values(status="queued", pages_done=done, attempts=RecordFile.attempts - 1)
                )
                db.commit()
                raise Paused
            if pending >= COMMIT_PAGES or time.monotonic() - last_commit >= COMMIT_SECONDS:
                QUEUE.heartbeat(db, file_id, pages_done=done)
                db.commit()
                pending, last_commit = 0, time.monotonic()
    except Paused:
        raise
    except ExtractionError as exc:
        db.commit()  # the pages read before the failure stay searchable
        _finish(db, file_id, "failed", str(exc), done)
        log.info("record file %s (%s) failed: %s", file_id, name, exc)
        return False
    except Exception as exc:
        db.rollback()
        log.exception("record file %s (%s) could not be read", file_id, name)
        reason = _("The file could not be read (%(error)s).", error=type(exc).__name__)
        _finish(db, file_id, "failed", reason, done)
        return False
    db.flush()
    exemptions.record_for_attachment(db, attachment_id)
    db.execute(
        sa.update(RecordFile)
        .where(RecordFile.id == file_id)
        .values(
            status="done",
            reason=None,
            pages_done=done,
            pages_total=sa.func.coalesce(RecordFile.pages_total, done),
            finished_at=clock.now(),
        )
    )
    db.commit()
    return True


@dataclass
class WorkResult:
    """What one pass over the queue did."""

    read: int = 0
    failed: int = 0
    paused: int = 0


def work(
    db: Session,
    config: Mapping[str, Any],
    *,
    request_id: int | None = None,
    limit: int | None = None,
    on_file: Callable[[int, bool], None] | None = None,
    seconds: float | None = None,
) -> WorkResult:
    """Read queued files one at a time until the queue is empty (or ``limit`` files, or
    ``seconds`` spent: a file still being read then is queued again, its pages kept)."""
    give_up_repeated(db, config)
    result = WorkResult()
    deadline = None if seconds is None else time.monotonic() + seconds
    while limit is None or result.read + result.failed < limit:
        if deadline is not None and time.monotonic() > deadline:
            break
        file_id = claim_next(db, config, request_id)
        if file_id is None:
            break
        try:
            ok = run_file(db, config, file_id, deadline=deadline)
        except Paused:
            result.paused += 1
            break
        if ok:
            result.read += 1
        else:
            result.failed += 1
        if on_file is not None:
            on_file(file_id, ok)
    return result


@dataclass(frozen=True)
class Progress:
    """A request's files being read: each file's state and the totals for the bar."""

    files: dict[int, RecordFile]  # by attachment id
    total: int
    finished: int
    pages_done: int

    @property
    def busy(self) -> bool:
        """True while a file is queued or being read."""
        return self.finished < self.total

    @property
    def percent(self) -> int:
        """How much of the request's files is read, 0-100."""
        return 100 if not self.total else round(100 * self.finished / self.total)


def progress(db: Session, request_id: int) -> Progress:
    """The reading state of a request's files (one statement)."""
    rows = db.scalars(sa.select(RecordFile).where(RecordFile.request_id == request_id)).all()
    files = {r.attachment_id: r for r in rows}
    finished = sum(1 for r in rows if r.status in ("done", "failed"))
    return Progress(files, len(rows), finished, sum(r.pages_done for r in rows))
