"""The overdue sweep: flag every request whose due date passed with no final response.

Set-based: one INSERT ... SELECT adds the timeline entries (kind "deemed_refusal", headed in
each law's own words: "Deemed refusal" only where the law has one) and one UPDATE sets the
status, both over the indexed (status, due_on) columns. Python only computes the note of each
distinct (law, version, province, due date) with the deadline engine, never one row per
request; the version is the one in force on the request's received date.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock, revisions
from tracker.core.db import affected
from tracker.core.models import InfoRequest, Institution, Newsroom, TimelineEvent

SWEEP_LOCK_KEY = 0x53574550  # "SWEP"

# The per-deadline notes, in a temporary table joined to the requests.
_NOTES = sa.Table(
    "overdue_sweep_note",
    sa.MetaData(),
    sa.Column("law_code", sa.String(32), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("province", sa.String(8), primary_key=True),
    sa.Column("due_on", sa.Date, primary_key=True),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("dedupe_key", sa.String(100), nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
    prefixes=["TEMPORARY"],
)


def newsroom_days(db: Session, default_tz: str) -> list[tuple[date, list[int] | None]]:
    """Today in each newsroom's time zone: (today, newsroom ids), or (today, None) for all."""
    groups: dict[date, list[int]] = defaultdict(list)
    for newsroom_id, tz in db.execute(sa.select(Newsroom.id, Newsroom.timezone)):
        groups[clock.today(tz or default_tz)].append(newsroom_id)
    if len(groups) <= 1:
        return [(next(iter(groups), clock.today(default_tz)), None)]
    return sorted(groups.items())


def deadline_key(due_on: date) -> str:
    """The timeline dedupe key of the deemed refusal for one due date."""
    return f"deemed_refusal:{due_on.isoformat()}"


def version_index() -> sa.ColumnElement[int]:
    """The position in ``deadlines.LAW_VERSIONS`` of the version of each request's law in force
    on its received date, as SQL (0 for a law's first version)."""
    whens = [
        (
            sa.and_(
                InfoRequest.law_code == code,
                InfoRequest.received_on >= version.effective_from,
            ),
            index,
        )
        for code, versions in deadlines.LAW_VERSIONS.items()
        for index, version in reversed(list(enumerate(versions)))
        if index > 0
    ]
    return sa.case(*whens, else_=0) if whens else sa.literal(0)


def deemed_refusal_note(
    law_code: str,
    province: str | None,
    due_on: date,
    today: date,
    *,
    received: date | None = None,
) -> tuple[str, dict[str, Any]]:
    """The timeline note and details for a request due on ``due_on`` still unanswered today,
    in the words of the law's version in force on ``received`` (None: today's version)."""
    law = (
        deadlines.law_in_force(law_code, received)
        if received is not None
        else deadlines.LAWS[law_code]
    )
    try:
        late, working_late = deadlines.days_late(law_code, due_on, today, province=province)
    except ValueError:  # a province the law's calendar does not know: national holidays only
        late, working_late = deadlines.days_late(law_code, due_on, today)
    section = law.cite(law.deemed_refusal_section) if law.deemed_refusal_section else None
    if section:
        first = (
            f"No final response by the due date, {due_on.isoformat()} ({law.period_text}): "
            f"the request is deemed refused under {section}."
        )
    else:
        # Laws without a deemed refusal say what silence means in their own words (US FOIA
        # constructive exhaustion, a CPRA petition, a UK FOIA s.10(1) breach).
        effect = (
            law.lateness_effect.format(cite=law.silence_cite)
            if law.silence_cite
            else "The response is late."
        )
        first = (
            f"No final response by the due date, {due_on.isoformat()} ({law.period_text}). "
            f"The {law.name} names no deemed refusal. {effect}"
        )
    note = (
        f"{first} {late} day{'s' if late != 1 else ''} late as of {today.isoformat()} "
        f"({working_late} working day{'s' if working_late != 1 else ''})."
    )
    details = {
        "due_on": due_on.isoformat(),
        # The entry's heading (tracker.timeline.kinds.entry_label): the law's own words.
        "label": law.silence_label,
        "section": section,
        "days_late": late,
        "working_days_late": working_late,
        "as_of": today.isoformat(),
        "added_by": "overdue sweep",
    }
    return note, details


def _overdue_filter(
    today: date, newsroom_ids: Sequence[int] | None
) -> list[sa.ColumnElement[bool]]:
    conditions = [InfoRequest.status == "awaiting", InfoRequest.due_on < today]
    if newsroom_ids is not None:
        conditions.append(InfoRequest.newsroom_id.in_(newsroom_ids))
    return conditions


def _insert(db: Session, table: sa.Table) -> Any:
    return (
        postgresql.insert(table)
        if db.get_bind().dialect.name == "postgresql"
        else sqlite.insert(table)
    )


def _copy_notes(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY the notes into the temporary table (far faster than INSERTs)."""
    names = [c.name for c in _NOTES.columns]
    dbapi = conn.connection.dbapi_connection
    if dbapi is None:  # only a connection closed meanwhile has none
        raise RuntimeError("the connection was closed before the overdue notes were copied")
    cursor = dbapi.cursor()
    try:
        with cursor.copy(f"COPY overdue_sweep_note ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[n]) if n == "details" else row[n] for n in names])
    finally:
        cursor.close()


def flag_group(
    db: Session, today: date, newsroom_ids: Sequence[int] | None, dry_run: bool = False
) -> int:
    """Flag the overdue requests of newsrooms sharing one "today"; return how many."""
    conditions = _overdue_filter(today, newsroom_ids)
    if dry_run:
        return (
            db.scalar(sa.select(sa.func.count()).select_from(InfoRequest).where(*conditions)) or 0
        )
    province = sa.func.coalesce(Institution.province, "")
    version = version_index()
    groups = db.execute(
        sa.select(InfoRequest.law_code, version, province, InfoRequest.due_on)
        .distinct()
        .join(Institution, Institution.id == InfoRequest.institution_id)
        .where(*conditions)
    ).all()
    if not groups:
        return 0
    rows = []
    for law_code, index, prov, due_on in groups:
        in_force = deadlines.LAW_VERSIONS[law_code][index].effective_from
        note, details = deemed_refusal_note(
            law_code, prov or None, due_on, today, received=in_force
        )
        rows.append(
            {
                "law_code": law_code,
                "version": index,
                "province": prov,
                "due_on": due_on,
                "occurred_on": due_on + timedelta(days=1),  # deemed refused the day after
                "dedupe_key": deadline_key(due_on),
                "note": note,
                "details": details,
            }
        )
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        # Two sweeps at once queue behind each other instead of deadlocking on the same rows.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": SWEEP_LOCK_KEY})
    else:
        # SQLite: the same queue, by taking the write lock before anything is read. A sweep
        # that read first and then found the other one writing would be refused at once
        # ("database is locked"), not made to wait.
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")
    # Rolled back with the transaction on error (SQLite and PostgreSQL both roll back DDL).
    _NOTES.drop(conn, checkfirst=True)
    _NOTES.create(conn)
    if conn.dialect.name == "postgresql":
        _copy_notes(conn, rows)
        conn.execute(sa.text("ANALYZE overdue_sweep_note"))
    else:
        conn.execute(_NOTES.insert(), rows)
    now = clock.now()
    select = (
        sa.select(
            InfoRequest.id,
            sa.literal("deemed_refusal"),
            _NOTES.c.occurred_on,
            _NOTES.c.note,
            _NOTES.c.details,
            sa.literal(now, TimelineEvent.recorded_at.type),
            _NOTES.c.dedupe_key,
        )
        .join(Institution, Institution.id == InfoRequest.institution_id)
        .join(
            _NOTES,
            sa.and_(
                _NOTES.c.law_code == InfoRequest.law_code,
                _NOTES.c.version == version,
                _NOTES.c.province == province,
                _NOTES.c.due_on == InfoRequest.due_on,
            ),
        )
        .where(*conditions)
    )
    columns = ["request_id", "kind", "occurred_on", "note", "details", "recorded_at", "dedupe_key"]
    db.execute(
        _insert(db, TimelineEvent.__table__)
        .from_select(columns, select)
        .on_conflict_do_nothing(index_elements=["request_id", "dedupe_key"])
    )
    flagged = affected(
        db.execute(
            sa.update(InfoRequest)
            .where(*conditions)
            .values(status="overdue", updated_at=now)
            .execution_options(synchronize_session=False, **{revisions.FIGURES_UNCHANGED: True})
        )
    )
    _NOTES.drop(conn)
    return flagged


def flag_overdue(db: Session, default_tz: str, *, dry_run: bool = False) -> int:
    """Flag every request now deemed refused, adding its timeline entry once; return the count."""
    return sum(flag_group(db, today, ids, dry_run) for today, ids in newsroom_days(db, default_tz))
