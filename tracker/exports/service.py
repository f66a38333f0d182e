"""CSV exports: the filtered request list, and all of a newsroom's data as a ZIP of CSVs.

Every text cell a spreadsheet would run as a formula is neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
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
from tracker.requests.describe import lateness
from tracker.requests.state import calendar_days_late
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
    # Issue 22: the later reading of an e-mailed request's received date, which due_on counts
    # from (empty: one reading); last, so the columns before it keep their places.
    "received_later_on",
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

# The export's own tables are written from plain rows whose column types are known, so each
# cell is made ready for csv.writer without _cell's tests: csv.writer itself writes None as an
# empty cell, and integers and dates (str(date) is its ISO form) as _cell would.
_FORMULA_START = frozenset(FORMULA_TRIGGERS)
_YES_NO: dict[Any, str | None] = {True: "yes", False: "no", None: None}


def _text(value: str | None) -> str | None:
    """A text cell (None for NULL) made safe: ``safe_cell`` called only where it can change
    the value (the cell starts with a trigger, or holds a semicolon)."""
    if value and (value[0] in _FORMULA_START or ";" in value):
        return safe_cell(value)
    return value


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


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


def _filtered_rows(
    db: Session, newsroom_id: int, filters: queries.RequestFilters, today: date
) -> Iterator[Sequence[Any]]:
    """``filtered_requests`` as plain rows of ``_request_columns`` (same rows, same order),
    a batch at a time; ``today``: the reader's, which the "days late" order counts to (as
    the list page the reader exports from)."""
    fts = filters.searchable and sqlite_search_index(db)
    statement = queries.ordered(newsroom_id, filters, fts=fts, today=today)
    return _batches(db, statement.with_only_columns(*_request_columns()).options())


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
            r.received_later_on,
        ]


def requests_csv_chunks(
    db: Session, newsroom_id: int, filters: queries.RequestFilters, today: date, base_url: str
) -> Iterator[str]:
    """The filtered request list as CSV, one line per request, in pieces as rows are read."""
    return _csv_pieces(
        REQUEST_COLUMNS,
        _request_lines(_filtered_rows(db, newsroom_id, filters, today), today, base_url),
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
# zlib's level for the ZIP's entries. Measured on a newsroom of 59,941 requests (bench/RESULTS.md,
# "Newsroom ZIP speed"): level 1 takes a fifth less time than zlib's default 6, for a file
# 39% larger (10.6 MB against 7.6 MB). Levels above 1 buy size with time the export lacks.
ZIP_LEVEL = 1
Progress = Callable[[int], None]


def newsroom_row_count(db: Session, newsroom_id: int) -> int:
    """How many CSV lines the newsroom's export holds (its progress bar's end)."""
    in_room = sa.select(InfoRequest.id).where(InfoRequest.newsroom_id == newsroom_id)
    counts = [
        *(
            sa.select(sa.func.count()).where(column.in_(in_room))
            for column in (TimelineEvent.request_id, Extension.request_id, Complaint.request_id)
        ),
        *(
            sa.select(sa.func.count()).where(column == newsroom_id)
            for column in (InfoRequest.newsroom_id, Institution.newsroom_id)
        ),
    ]
    return sum(db.scalar(count) or 0 for count in counts)


Lines = list[tuple[Any, ...]]
# Cells computed once per export and kept (kind, label and details cells of each stored
# (kind, details); the recorder's name): an export repeats few of them. At most this many.
_LABEL_MEMO = 4096


def _batches(db: Session, statement: Any) -> Iterator[Sequence[Any]]:
    """The statement's rows in lists of BATCH, read through Core (no ORM row processing) with
    a server-side cursor on PostgreSQL."""
    result = db.connection().execute(statement.execution_options(yield_per=BATCH))
    yield from result.partitions()


def _timeline_lines(db: Session, nid: int) -> Iterator[Lines]:
    """The timeline's lines, a batch at a time, with each batch's attachment names read in one
    statement. The details are read as stored text: the label and the cell of each (kind,
    details) are computed once (most entries of a kind carry the same details)."""
    e, r = TimelineEvent, InfoRequest
    # Ordered by the request's key rather than the entry's request_id (the same order): both
    # databases then walk the requests and each one's entries by index, with no sort.
    statement = (
        sa.select(
            e.id,
            e.request_id,
            r.file_number,
            e.kind,
            e.occurred_on,
            e.note,
            sa.cast(e.details, sa.Text),
            User.name,
            User.email,
            e.recorded_at,
            e.corrects_id,
        )
        .join(r, r.id == e.request_id)
        .outerjoin(User, User.id == e.recorded_by_id)
        .where(r.newsroom_id == nid)
        .order_by(r.id, e.occurred_on, e.id)
    )
    # A batch's entries belong to a run of requests in key order: their attachments are read
    # by that run's first and last request (two parameters, one cached statement, rather
    # than a thousand entry keys to bind).
    attached = (
        sa.select(Attachment.event_id, Attachment.original_name)
        .join(e, e.id == Attachment.event_id)
        .where(e.request_id.between(sa.bindparam("first"), sa.bindparam("last")))
        .order_by(Attachment.id)
    )
    conn = db.connection()
    shown: dict[tuple[str, str | None], tuple[Any, Any, Any]] = {}
    recorders: dict[tuple[str | None, str | None], Any] = {}
    for batch in _batches(db, statement):
        names: dict[int, list[str]] = {}
        for event_id, name in conn.execute(
            attached, {"first": batch[0][1], "last": batch[-1][1]}
        ).all():
            names.setdefault(event_id, []).append(name)
        lines: Lines = []
        add = lines.append
        for event_id, request_id, number, kind, on, note, raw, name, email, at, corrects in batch:
            kind_cells = shown.get((kind, raw))
            if kind_cells is None:
                details = None if raw is None else json.loads(raw)
                entry_label = kinds.entry_label(kind, details)
                kind_cells = (_text(kind), _text(str(entry_label)), _cell(details or {}))
                if len(shown) >= _LABEL_MEMO:
                    shown.clear()
                shown[(kind, raw)] = kind_cells
            recorder = recorders.get((name, email))
            if recorder is None:
                recorder = _text(name or email) if email else "system"
                if len(recorders) >= _LABEL_MEMO:
                    recorders.clear()
                recorders[(name, email)] = recorder
            kind_cell, label, cell = kind_cells
            files = names.get(event_id)
            add(
                (
                    event_id,
                    request_id,
                    _text(number),
                    kind_cell,
                    label,
                    on,
                    _text(note),
                    cell,
                    recorder,
                    _moment(at),
                    corrects,
                    _text("; ".join(files)) if files else None,
                )
            )
        yield lines


def _institution_lines(db: Session, nid: int) -> Iterator[Lines]:
    i = Institution
    counts = (
        sa.select(InfoRequest.institution_id, sa.func.count().label("n"))
        .where(InfoRequest.newsroom_id == nid)
        .group_by(InfoRequest.institution_id)
        .subquery()
    )
    statement = (
        sa.select(
            i.id,
            i.name,
            i.law_code,
            i.province,
            i.access_email,
            i.archived_at,
            sa.func.coalesce(counts.c.n, 0),
        )
        .outerjoin(counts, counts.c.institution_id == i.id)
        .where(i.newsroom_id == nid)
        .order_by(sa.func.lower(i.name))
    )
    for batch in _batches(db, statement):
        yield [
            (
                id_,
                _text(name),
                _text(law_code),
                _text(deadlines.LAWS[law_code].name),
                _text(province),
                _text(email),
                _moment(archived_at),
                n,
            )
            for id_, name, law_code, province, email, archived_at, n in batch
        ]


def _extension_lines(db: Session, nid: int) -> Iterator[Lines]:
    x = Extension
    statement = (
        sa.select(
            x.id,
            x.request_id,
            InfoRequest.file_number,
            x.days,
            x.reason,
            x.notice_on,
            x.commissioner_notified,
            x.superseded,
        )
        .join(InfoRequest, InfoRequest.id == x.request_id)
        .where(InfoRequest.newsroom_id == nid)
        .order_by(x.id)
    )
    for batch in _batches(db, statement):
        yield [
            (
                id_,
                request_id,
                _text(number),
                days,
                _text(reason),
                notice_on,
                _YES_NO[notified],
                _YES_NO[superseded],
            )
            for id_, request_id, number, days, reason, notice_on, notified, superseded in batch
        ]


def _complaint_lines(db: Session, nid: int) -> Iterator[Lines]:
    c = Complaint
    statement = (
        sa.select(
            c.id,
            c.request_id,
            InfoRequest.file_number,
            c.body,
            c.grounds,
            c.filed_on,
            c.body_file_number,
            c.finding,
            c.finding_on,
            c.superseded,
        )
        .join(InfoRequest, InfoRequest.id == c.request_id)
        .where(InfoRequest.newsroom_id == nid)
        .order_by(c.id)
    )
    for batch in _batches(db, statement):
        yield [
            (
                id_,
                request_id,
                _text(number),
                _text(body),
                _text(grounds),
                filed_on,
                _text(body_number),
                _text(finding),
                finding_on,
                _YES_NO[superseded],
            )
            for (
                id_,
                request_id,
                number,
                body,
                grounds,
                filed_on,
                body_number,
                finding,
                finding_on,
                superseded,
            ) in batch
        ]


def _request_columns() -> list[Any]:
    r = InfoRequest
    return [
        r.id,
        r.file_number,
        r.title,
        Institution.name,
        r.law_code,
        r.status,
        User.name,
        User.email,
        r.sent_on,
        r.received_on,
        r.due_on,
        r.responded_on,
        r.complaint_due_on,
        r.closed_on,
        r.text,
        r.received_later_on,
    ]


def _request_lines(batches: Iterable[Sequence[Any]], today: date, base_url: str) -> Iterator[Lines]:
    """Request lines, a batch at a time, from plain rows of ``_request_columns`` (the cells
    ``_request_rows`` makes of ORM objects)."""
    laws: dict[str, Any] = {}
    links = f"{base_url}/requests/"
    for batch in batches:
        lines: Lines = []
        add = lines.append
        for (
            id_,
            number,
            title,
            institution,
            law_code,
            status,
            owner_name,
            owner_email,
            sent_on,
            received_on,
            due_on,
            responded_on,
            complaint_due_on,
            closed_on,
            text,
            received_later_on,
        ) in batch:
            law = laws.get(law_code)
            if law is None:
                law = laws[law_code] = _text(deadlines.LAWS[law_code].name)
            add(
                (
                    id_,
                    _text(number),
                    _text(title),
                    _text(institution),
                    _text(law_code),
                    law,
                    _text(status),
                    _text(owner_name or owner_email),
                    sent_on,
                    received_on,
                    due_on,
                    responded_on,
                    calendar_days_late(due_on, responded_on, closed_on, today),
                    complaint_due_on,
                    closed_on,
                    _text(text),
                    _text(f"{links}{id_}"),
                    received_later_on,
                )
            )
        yield lines


def _all_request_lines(db: Session, nid: int, today: date, base_url: str) -> Iterator[Lines]:
    """The newsroom's requests as lines, read as plain rows (an ORM object each cost 104 us
    a line)."""
    r = InfoRequest
    statement = (
        sa.select(*_request_columns())
        .join(Institution, Institution.id == r.institution_id)
        .join(User, User.id == r.owner_id)
        .where(r.newsroom_id == nid)
        .order_by(r.id)
    )
    return _request_lines(_batches(db, statement), today, base_url)


def _csv_pieces(
    header: Sequence[str], batches: Iterable[Lines], progress: Progress | None = None
) -> Iterator[str]:
    """CSV text a batch of lines at a time (the byte-order mark and the header with the
    first): the same text ``csv_chunks`` writes of the same cells. ``progress`` is told how
    many lines each batch held."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for lines in batches:
        writer.writerows(lines)
        if progress is not None and lines:
            progress(len(lines))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


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
    tables: list[tuple[str, Sequence[str], Iterable[Lines]]] = [
        ("requests.csv", REQUEST_COLUMNS, _all_request_lines(db, nid, today, base_url)),
        ("timeline.csv", TIMELINE_COLUMNS, _timeline_lines(db, nid)),
        ("institutions.csv", INSTITUTION_COLUMNS, _institution_lines(db, nid)),
        ("extensions.csv", EXTENSION_COLUMNS, _extension_lines(db, nid)),
        ("complaints.csv", COMPLAINT_COLUMNS, _complaint_lines(db, nid)),
    ]
    stamp = (today.year, today.month, today.day, *_ZIP_TIME)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        info = _entry("README.txt", stamp)
        text = README.format(newsroom=newsroom.name, today=today.isoformat())
        archive.writestr(info, text.encode("utf-8"))
        for name, header, batches in tables:
            with archive.open(_entry(name, stamp), "w", force_zip64=True) as entry:
                for piece in _csv_pieces(header, batches, progress):
                    entry.write(piece.encode("utf-8"))


def _entry(name: str, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    """A deflated entry of the export, dated ``stamp``, at ZIP_LEVEL."""
    info = zipfile.ZipInfo(name, stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.open(ZipInfo, "w") takes the level from the entry, not from the archive.
    if sys.version_info >= (3, 13):
        info.compress_level = ZIP_LEVEL
    else:
        info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # its name before 3.13
    return info


def newsroom_zip(db: Session, newsroom: Newsroom, today: date, base_url: str) -> bytes:
    """All of a newsroom's data as ZIP bytes (tests, small newsrooms; see write_newsroom_zip)."""
    buffer = io.BytesIO()
    write_newsroom_zip(db, newsroom, today, base_url, buffer)
    return buffer.getvalue()
