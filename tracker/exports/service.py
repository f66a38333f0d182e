"""CSV exports: the filtered request list, and all of a newsroom's data as a ZIP of CSVs.

Every text cell a spreadsheet would run as a formula is neutralised (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker import deadlines
from tracker.db import sqlite_search_index
from tracker.models import Complaint, Extension, InfoRequest, Institution, Newsroom, TimelineEvent
from tracker.requests import queries
from tracker.requests.describe import lateness
from tracker.requests.service import KIND_LABELS

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


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a byte-order mark (so spreadsheets read UTF-8), every cell made safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def filtered_requests(
    db: Session, newsroom_id: int, filters: queries.RequestFilters
) -> list[InfoRequest]:
    """Every request the list page shows for these filters (all pages), in its order."""
    fts = filters.searchable and sqlite_search_index(db)
    return list(db.scalars(queries.ordered(newsroom_id, filters, fts=fts)))


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


def requests_csv(
    db: Session, newsroom_id: int, filters: queries.RequestFilters, today: date, base_url: str
) -> str:
    """The filtered request list as CSV, one line per request."""
    return write_csv(
        REQUEST_COLUMNS, _request_rows(filtered_requests(db, newsroom_id, filters), today, base_url)
    )


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


def newsroom_zip(db: Session, newsroom: Newsroom, today: date, base_url: str) -> bytes:
    """All of a newsroom's data: requests, timeline, institutions, extensions, complaints."""
    nid = newsroom.id
    all_requests = list(
        db.scalars(
            sa.select(InfoRequest)
            .where(InfoRequest.newsroom_id == nid)
            .options(joinedload(InfoRequest.institution), joinedload(InfoRequest.owner))
            .order_by(InfoRequest.id)
        )
    )
    events = db.scalars(
        sa.select(TimelineEvent)
        .join(TimelineEvent.request)
        .where(InfoRequest.newsroom_id == nid)
        .options(
            joinedload(TimelineEvent.request),
            joinedload(TimelineEvent.recorded_by),
            selectinload(TimelineEvent.attachments),
        )
        .order_by(TimelineEvent.request_id, TimelineEvent.occurred_on, TimelineEvent.id)
    )
    counts = dict(
        db.execute(
            sa.select(InfoRequest.institution_id, sa.func.count())
            .where(InfoRequest.newsroom_id == nid)
            .group_by(InfoRequest.institution_id)
        ).all()
    )
    institutions = db.scalars(
        sa.select(Institution)
        .where(Institution.newsroom_id == nid)
        .order_by(sa.func.lower(Institution.name))
    )
    extensions = db.execute(
        sa.select(Extension, InfoRequest.file_number)
        .join(InfoRequest, InfoRequest.id == Extension.request_id)
        .where(InfoRequest.newsroom_id == nid)
        .order_by(Extension.id)
    )
    complaints = db.execute(
        sa.select(Complaint, InfoRequest.file_number)
        .join(InfoRequest, InfoRequest.id == Complaint.request_id)
        .where(InfoRequest.newsroom_id == nid)
        .order_by(Complaint.id)
    )
    files = {
        "README.txt": README.format(newsroom=newsroom.name, today=today.isoformat()),
        "requests.csv": write_csv(REQUEST_COLUMNS, _request_rows(all_requests, today, base_url)),
        "timeline.csv": write_csv(
            (
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
            ),
            (
                [
                    e.id,
                    e.request_id,
                    e.request.file_number,
                    e.kind,
                    KIND_LABELS.get(e.kind, e.kind),
                    e.occurred_on,
                    e.note,
                    e.details or {},
                    (e.recorded_by.name or e.recorded_by.email) if e.recorded_by else "system",
                    e.recorded_at,
                    e.corrects_id,
                    "; ".join(a.original_name for a in e.attachments),
                ]
                for e in events
            ),
        ),
        "institutions.csv": write_csv(
            (
                "id",
                "name",
                "law_code",
                "law",
                "province",
                "access_email",
                "archived_at",
                "requests",
            ),
            (
                [
                    i.id,
                    i.name,
                    i.law_code,
                    deadlines.LAWS[i.law_code].name,
                    i.province,
                    i.access_email,
                    i.archived_at,
                    counts.get(i.id, 0),
                ]
                for i in institutions
            ),
        ),
        "extensions.csv": write_csv(
            (
                "id",
                "request_id",
                "file_number",
                "days",
                "reason",
                "notice_on",
                "commissioner_notified",
                "superseded",
            ),
            (
                [
                    x.id,
                    x.request_id,
                    number,
                    x.days,
                    x.reason,
                    x.notice_on,
                    x.commissioner_notified,
                    x.superseded,
                ]
                for x, number in extensions
            ),
        ),
        "complaints.csv": write_csv(
            (
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
            ),
            (
                [
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
                for c, number in complaints
            ),
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()
