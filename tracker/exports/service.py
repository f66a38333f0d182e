"""CSV exports: the filtered request list, and all of a newsroom's data as a ZIP of CSVs.

Every text cell a spreadsheet would run as a formula is neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core.db import sqlite_search_index
from tracker.core.models import (
    Attachment,
    Complaint,
    Extension,
    InfoRequest,
    Institution,
    Newsroom,
    TimelineEvent,
    User,
)
from tracker.requests import queries
from tracker.requests.describe import lateness, row_lateness
from tracker.timeline import kinds

# A spreadsheet treats a cell starting with one of these as a formula (tab and carriage return
# too: some programs strip them and read the next character).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets in locales whose decimal mark is a comma (French, German...) read a CSV file
# with semicolons between cells: there every ";" inside one of our cells starts a new cell.
_AFTER_SEMICOLON = re.compile(r";(?=\s*[=+\-@])")
REQUEST_COLUMNS: tuple[str, ...] = (
    "id",
    "file_number",
    "title",
    "institution",
    "law_code",
    "law",
    "status",
    "owner",
    "sent_on",
    "received_on",
    "due_on",
    "responded_on",
    "days_late",
    "complaint_due_on",
    "closed_on",
    "text",
    "url",
)


def safe_cell(value: Any) -> Any:
    """The value, with an apostrophe before each start a spreadsheet would run as a formula:
    the cell's own start, and each one a semicolon-separated reading would make (``;=``)."""
    if not isinstance(value, str):
        return value
    if ";" in value:
        value = _AFTER_SEMICOLON.sub(";'", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dict, list)):
        return safe_cell(json.dumps(value, ensure_ascii=False, sort_keys=True))
    return safe_cell(value)


BATCH = 1000  # rows read from the database, and written, at a time


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV text in pieces of BATCH lines: a byte-order mark (so spreadsheets read UTF-8) and
    the header first, every cell made safe. Joined, the pieces are ``write_csv``'s text."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(v) for v in row])
        if n % BATCH == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a byte-order mark (so spreadsheets read UTF-8), every cell made safe."""
    return "".join(csv_chunks(header, rows))


def _streamed(db: Session, statement: Any) -> Any:
    """The statement's result read BATCH rows at a time (a server-side cursor on PostgreSQL)."""
    return db.execute(statement.execution_options(yield_per=BATCH))


def filtered_requests(
    db: Session, newsroom_id: int, filters: queries.RequestFilters
) -> Iterator[InfoRequest]:
    """Every request the list page shows for these filters (all pages), in its order, read
    BATCH at a time."""
    fts = filters.searchable and sqlite_search_index(db)
    return _streamed(db, queries.ordered(newsroom_id, filters, fts=fts)).scalars()


def _filtered_rows(db: Session, newsroom_id: int, filters: queries.RequestFilters) -> Any:
    """``filtered_requests`` as plain rows of ``_request_columns`` (same rows, same order)."""
    fts = filters.searchable and sqlite_search_index(db)
    statement = queries.ordered(newsroom_id, filters, fts=fts)
    return _streamed(db, statement.with_only_columns(*_request_columns()).options())


def _request_rows(items: Iterable[InfoRequest], today: date, base_url: str) -> Iterable[list[Any]]:
    for r in items:
        late = lateness(r, today).calendar_days_late
        yield [
            r.id,
            r.file_number,
            r.title,
            r.institution.name,
            r.law_code,
            deadlines.LAWS[r.law_code].name,
            r.status,
            r.owner.name or r.owner.email,
            r.sent_on,
            r.received_on,
            r.due_on,
            r.responded_on,
            late,
            r.complaint_due_on,
            r.closed_on,
            r.text,
            f"{base_url}/requests/{r.id}",
        ]


def requests_csv_chunks(
    db: Session, newsroom_id: int, filters: queries.RequestFilters, today: date, base_url: str
) -> Iterator[str]:
    """The filtered request list as CSV, one line per request, in pieces as rows are read."""
    return csv_chunks(
        REQUEST_COLUMNS,
        _plain_request_rows(_filtered_rows(db, newsroom_id, filters), today, base_url),
    )


def requests_csv(
    db: Session, newsroom_id: int, filters: queries.RequestFilters, today: date, base_url: str
) -> str:
    """The filtered request list as CSV, one line per request."""
    return "".join(requests_csv_chunks(db, newsroom_id, filters, today, base_url))


README = """ATI tracker export of {newsroom}, made {today}.

requests.csv      one line per request (days_late: calendar days past the due date, as of {today})
timeline.csv      every timeline entry (corrections point to the entry they correct)
institutions.csv  the newsroom's institutions and the law that governs each
extensions.csv    extensions claimed (superseded = replaced by a correction)
complaints.csv    complaints and appeals, with their findings

The files are comma-separated (RFC 4180), UTF-8 with a byte-order mark. A spreadsheet set to
a locale whose decimal mark is a comma (French, German...) expects semicolons: open them with
its text import (LibreOffice: Separator options, Comma; Excel: Data, From Text/CSV,
Delimiter: Comma) rather than by double-clicking.

Text cells that start with = + - @ are prefixed with an apostrophe so that spreadsheets do not
run them as formulas; so is any such start after a semicolon inside a cell (";=" becomes
";'="), which a semicolon-separated reading would make the start of a cell.
"""


TIMELINE_COLUMNS: tuple[str, ...] = (
    "id",
    "request_id",
    "file_number",
    "kind",
    "kind_label",
    "occurred_on",
    "note",
    "details",
    "recorded_by",
    "recorded_at",
    "corrects_id",
    "attachments",
)
INSTITUTION_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "law_code",
    "law",
    "province",
    "access_email",
    "archived_at",
    "requests",
)
EXTENSION_COLUMNS: tuple[str, ...] = (
    "id",
    "request_id",
    "file_number",
    "days",
    "reason",
    "notice_on",
    "commissioner_notified",
    "superseded",
)
COMPLAINT_COLUMNS: tuple[str, ...] = (
    "id",
    "request_id",
    "file_number",
    "body",
    "grounds",
    "filed_on",
    "body_file_number",
    "finding",
    "finding_on",
    "superseded",
)
# The ZIP's entries are dated with the export's day, not the moment of writing.
_ZIP_TIME = (0, 0, 0)
Progress = Callable[[int], None]


def newsroom_row_count(db: Session, newsroom_id: int) -> int:
    """How many CSV lines the newsroom's export holds (its progress bar's end)."""
    in_room = sa.select(InfoRequest.id).where(InfoRequest.newsroom_id == newsroom_id)
    total = 0
    for model in (TimelineEvent, Extension, Complaint):
        total += db.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.request_id.in_(in_room))
        )
    for model in (InfoRequest, Institution):
        total += db.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.newsroom_id == newsroom_id)
        )
    return int(total)


def _timeline_rows(db: Session, nid: int) -> Iterator[list[Any]]:
    """The timeline's lines, read as plain rows (an ORM object each cost 130 us a line) with
    each batch's attachment names read in one statement."""
    e, r = TimelineEvent, InfoRequest
    events = _streamed(
        db,
        sa.select(
            e.id,
            e.request_id,
            r.file_number,
            e.kind,
            e.occurred_on,
            e.note,
            e.details,
            User.name.label("user_name"),
            User.email.label("user_email"),
            e.recorded_at,
            e.corrects_id,
        )
        .join(r, r.id == e.request_id)
        .outerjoin(User, User.id == e.recorded_by_id)
        .where(r.newsroom_id == nid)
        .order_by(e.request_id, e.occurred_on, e.id),
    )
    for batch in events.partitions():
        names: dict[int, list[str]] = {}
        for event_id, name in db.execute(
            sa.select(Attachment.event_id, Attachment.original_name)
            .where(Attachment.event_id.in_([row.id for row in batch]))
            .order_by(Attachment.id)
        ):
            names.setdefault(event_id, []).append(name)
        for row in batch:
            yield [
                row.id,
                row.request_id,
                row.file_number,
                row.kind,
                kinds.entry_label(row.kind, row.details),
                row.occurred_on,
                row.note,
                row.details or {},
                (row.user_name or row.user_email) if row.user_email else "system",
                row.recorded_at,
                row.corrects_id,
                "; ".join(names.get(row.id, ())),
            ]


def _institution_rows(db: Session, nid: int) -> Iterator[list[Any]]:
    counts = (
        sa.select(InfoRequest.institution_id, sa.func.count().label("n"))
        .where(InfoRequest.newsroom_id == nid)
        .group_by(InfoRequest.institution_id)
        .subquery()
    )
    institutions = _streamed(
        db,
        sa.select(Institution, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.institution_id == Institution.id)
        .where(Institution.newsroom_id == nid)
        .order_by(sa.func.lower(Institution.name)),
    )
    for i, n in institutions:
        yield [
            i.id,
            i.name,
            i.law_code,
            deadlines.LAWS[i.law_code].name,
            i.province,
            i.access_email,
            i.archived_at,
            n,
        ]


def _extension_rows(db: Session, nid: int) -> Iterator[list[Any]]:
    extensions = _streamed(
        db,
        sa.select(Extension, InfoRequest.file_number)
        .join(InfoRequest, InfoRequest.id == Extension.request_id)
        .where(InfoRequest.newsroom_id == nid)
        .order_by(Extension.id),
    )
    for x, number in extensions:
        yield [
            x.id,
            x.request_id,
            number,
            x.days,
            x.reason,
            x.notice_on,
            x.commissioner_notified,
            x.superseded,
        ]


def _complaint_rows(db: Session, nid: int) -> Iterator[list[Any]]:
    complaints = _streamed(
        db,
        sa.select(Complaint, InfoRequest.file_number)
        .join(InfoRequest, InfoRequest.id == Complaint.request_id)
        .where(InfoRequest.newsroom_id == nid)
        .order_by(Complaint.id),
    )
    for c, number in complaints:
        yield [
            c.id,
            c.request_id,
            number,
            c.body,
            c.grounds,
            c.filed_on,
            c.body_file_number,
            c.finding,
            c.finding_on,
            c.superseded,
        ]


def _request_columns() -> list[Any]:
    r = InfoRequest
    return [
        r.id,
        r.file_number,
        r.title,
        Institution.name.label("institution_name"),
        Institution.province.label("institution_province"),
        r.law_code,
        r.status,
        User.name.label("owner_name"),
        User.email.label("owner_email"),
        r.sent_on,
        r.received_on,
        r.due_on,
        r.responded_on,
        r.complaint_due_on,
        r.closed_on,
        r.text,
    ]


def _plain_request_rows(rows: Iterable[Any], today: date, base_url: str) -> Iterator[list[Any]]:
    """Request lines from plain rows of ``_request_columns`` (the cells ``_request_rows``
    makes of ORM objects)."""
    for row in rows:
        yield [
            row.id,
            row.file_number,
            row.title,
            row.institution_name,
            row.law_code,
            deadlines.LAWS[row.law_code].name,
            row.status,
            row.owner_name or row.owner_email,
            row.sent_on,
            row.received_on,
            row.due_on,
            row.responded_on,
            row_lateness(row, today).calendar_days_late,
            row.complaint_due_on,
            row.closed_on,
            row.text,
            f"{base_url}/requests/{row.id}",
        ]


def _all_request_rows(db: Session, nid: int, today: date, base_url: str) -> Iterator[list[Any]]:
    """The newsroom's requests as lines, read as plain rows (an ORM object each cost 104 us
    a line)."""
    r = InfoRequest
    rows = _streamed(
        db,
        sa.select(*_request_columns())
        .join(Institution, Institution.id == r.institution_id)
        .join(User, User.id == r.owner_id)
        .where(r.newsroom_id == nid)
        .order_by(r.id),
    )
    yield from _plain_request_rows(rows, today, base_url)


def _counted(rows: Iterable[list[Any]], progress: Progress | None) -> Iterator[list[Any]]:
    """The rows, telling ``progress`` how many were written every BATCH rows."""
    n = 0
    for n, row in enumerate(rows, 1):
        yield row
        if progress is not None and n % BATCH == 0:
            progress(BATCH)
    if progress is not None and n % BATCH:
        progress(n % BATCH)


def write_newsroom_zip(
    db: Session,
    newsroom: Newsroom,
    today: date,
    base_url: str,
    target: IO[bytes],
    progress: Progress | None = None,
) -> None:
    """Write all of a newsroom's data (requests, timeline, institutions, extensions,
    complaints) as a ZIP of CSVs into ``target``, each table read and written BATCH rows at
    a time, so memory does not grow with the newsroom. ``progress`` is told how many lines
    were written as they are."""
    nid = newsroom.id
    tables: list[tuple[str, Sequence[str], Iterable[list[Any]]]] = [
        ("requests.csv", REQUEST_COLUMNS, _all_request_rows(db, nid, today, base_url)),
        ("timeline.csv", TIMELINE_COLUMNS, _timeline_rows(db, nid)),
        ("institutions.csv", INSTITUTION_COLUMNS, _institution_rows(db, nid)),
        ("extensions.csv", EXTENSION_COLUMNS, _extension_rows(db, nid)),
        ("complaints.csv", COMPLAINT_COLUMNS, _complaint_rows(db, nid)),
    ]
    stamp = (today.year, today.month, today.day, *_ZIP_TIME)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("README.txt", stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        text = README.format(newsroom=newsroom.name, today=today.isoformat())
        archive.writestr(info, text.encode("utf-8"))
        for name, header, rows in tables:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                for piece in csv_chunks(header, _counted(rows, progress)):
                    entry.write(piece.encode("utf-8"))


def newsroom_zip(db: Session, newsroom: Newsroom, today: date, base_url: str) -> bytes:
    """All of a newsroom's data as ZIP bytes (tests, small newsrooms; see write_newsroom_zip)."""
    buffer = io.BytesIO()
    write_newsroom_zip(db, newsroom, today, base_url, buffer)
    return buffer.getvalue()
