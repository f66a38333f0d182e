"""The import's writer: a checked plan written in batches of multi-row INSERTs.

Each planned request is checked as the request service checks a request and its entries
(``check_new_request``, ``check_new_event``), its clock derived by the same pure code
(``derive_state``), then written with its timeline in batches of ``BATCH`` requests: one
multi-row INSERT of the requests (ids reserved beforehand, so no RETURNING is needed), one
of their timeline entries, one of their links to the import (SQLAlchemy's insertmanyvalues).
A refused row rolls its batch back to a savepoint and is looked for row by row, so the answer
names it; the caller's transaction then rolls everything back (all or nothing).

Two passes: the first derives every request's clock (the CPU work, no write), the second
writes. On SQLite the database's write lock is held only while the second runs, so the other
writers of the tracker wait for less time than the whole import takes.

SQLite's search index (migration 0004) is kept up to date by a trigger per inserted row, which
costs about 4 ms a row at the Toronto file's sizes (the whole import, 30 s); the writer drops
that trigger inside its own transaction, indexes each batch's rows with one
``INSERT ... SELECT`` (1,000 rows in about 0.15 s) and creates the trigger again before
returning. SQLite's DDL is transactional and the write lock is held meanwhile: no other
writer can insert a row while the trigger is away, and a rollback brings it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock, revisions
from tracker.core.db import sqlite_search_index
from tracker.core.models import ImportedRequest, InfoRequest, TimelineEvent, User
from tracker.requests import service as requests
from tracker.requests.state import EventFact, derive_state, stopped_days_late

# SQLite's search index (migration 0004, tracker.core.db.SQLITE_SEARCH_TABLE): a batch's rows.
# The index holds the folded text (migration 0016a), as the triggers write it.
_INDEX_BATCH = sa.text(
    "INSERT INTO info_request_search (rowid, title, text, file_number) "
    "SELECT id, tracker_fold(title), tracker_fold(text), tracker_fold(file_number) "
    "FROM info_request WHERE id BETWEEN :first AND :last"
)
_INSERT_TRIGGER = "info_request_search_insert"
#: Requests written per batch of INSERT statements (a batch is also the progress step).
BATCH = 1000
Progress = Callable[[str, int], None]


class RowRefused(ValueError):
    """A planned request the checks or the database refused; ``rows`` are its file rows."""

    def __init__(self, rows: list[int], label: str, reason: str, by_database: bool) -> None:
        super().__init__(reason)
        self.rows, self.label, self.reason, self.by_database = rows, label, reason, by_database


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    occurred_on: date
    note: str
    details: dict[str, Any]


@dataclass(frozen=True)
class Place:
    """What the checks and the clock read of a request's institution (it may not exist yet:
    the import creates it just before writing)."""

    name: str
    law_code: str
    province: str | None = None


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A planned request, checked: its law, the columns its derived clock fills and its
    timeline (the rest is read from the plan when written; a few dozen bytes a request)."""

    institution: str
    law_code: str
    status: str
    due_on: date
    complaint_due_on: date | None
    responded_on: date | None
    closed_on: date | None
    entries: tuple[_Entry, ...]


def _label(planned: Any) -> str:
    return str(planned.file_number or planned.title)


def _entries(planned: Any, imported: _Entry) -> list[_Entry]:
    """The request's timeline after "filed", as the request service would record it: earlier
    packages are partial releases, the last the final response, whose outcome sums up every
    package (all disclosed + nothing disclosed = in part); or how it closed."""
    from tracker.imports.service import _combine

    overall = _combine([outcome for _, outcome in planned.responses])
    decided = f"Decision in the spreadsheet: {', '.join(planned.decisions)}."
    entries: list[_Entry] = []
    for index, (day, _) in enumerate(planned.responses):
        final = index == len(planned.responses) - 1
        entries.append(
            _Entry(
                "final_response" if final else "partial_release",
                day,
                decided if final and planned.decisions else "Release package (from the import).",
                {"outcome": overall} if final else {},
            )
        )
    if planned.closure is not None:
        day, closure = planned.closure
        note = (
            f"Unanswered as of {day.isoformat()}: the imported file says nothing later."
            if closure == "unanswered_as_of"
            else decided
        )
        entries.append(_Entry("withdrawn", day, note, {"closure": closure}))
    return [*entries, imported]


def prepare(
    planned: Any,
    *,
    institution: Place,
    today: date,
    imported: _Entry,
) -> _Prepared:
    """Check one planned request and its entries as the request service would, and derive its
    clock; ``RowRefused`` names its rows when refused."""
    law_code = planned.law_code or institution.law_code
    data = requests.RequestData(
        institution_id=0,  # not read by the checks
        title=planned.title,
        received_on=planned.received_on,
        law_code=law_code,
        text=planned.text,
        file_number=planned.file_number,
    )
    entries = _entries(planned, imported)
    try:
        requests.check_new_request(data, law_code, today)
        checked = [
            _Entry(
                e.kind,
                e.occurred_on,
                e.note,
                requests.check_new_event(
                    law_code,
                    planned.received_on,
                    requests.EventData(e.kind, e.occurred_on, e.note, e.details),
                    today,
                ),
            )
            if e.kind != "imported"
            else e
            for e in entries
        ]
    except requests.RequestError as exc:
        raise RowRefused(planned.rows, _label(planned), str(exc), by_database=False) from exc
    province = (
        institution.province if deadlines.LAWS[law_code].province_mode == "institution" else None
    )
    facts = [EventFact(id=0, kind="filed", occurred_on=planned.received_on)] + [
        EventFact(id=n, kind=e.kind, occurred_on=e.occurred_on, details=e.details)
        for n, e in enumerate(checked, start=1)
    ]
    state = derive_state(law_code, province, planned.received_on, facts, today)
    filed = _Entry("filed", planned.received_on, requests.filed_note(None, planned.received_on), {})
    return _Prepared(
        institution=institution.name,
        law_code=law_code,
        status=state.status,
        due_on=state.due_on,
        complaint_due_on=state.complaint_due_on,
        responded_on=state.responded_on,
        closed_on=state.closed_on,
        entries=(filed, *checked),
    )


def check_all(
    todo: list[Any],
    owner: User,
    today: date,
    *,
    places: dict[str, Place],
    imported: Callable[[Any], _Entry],
    progress: Progress | None = None,
) -> list[_Prepared]:
    """Check every planned request and derive its clock, writing nothing;
    ``progress("checking", done)`` after each batch. ``RowRefused`` names a refused row."""
    prepared: list[_Prepared] = []
    for done, planned in enumerate(todo, start=1):
        prepared.append(
            prepare(
                planned,
                institution=places[planned.institution_name],
                today=today,
                imported=imported(planned),
            )
        )
        if progress is not None and (done % BATCH == 0 or done == len(todo)):
            progress("checking", done)
    return prepared


def write(
    db: Session,
    prepared: list[_Prepared],
    todo: list[Any],
    owner: User,
    *,
    batch_id: int,
    institution_ids: dict[str, int],
    progress: Progress | None = None,
) -> None:
    """Write checked requests in the caller's transaction, in batches;
    ``progress("writing", done)`` after each."""
    # Every request, entry and link written below is this newsroom's and these institutions':
    # the data revision (tracker.core.revisions) is raised for them alone, at COMMIT.
    found = revisions.changes(db)
    found.newsrooms.add(owner.newsroom_id)
    found.institutions |= set(institution_ids.values())
    quiet = {revisions.FIGURES_UNCHANGED: True}
    recorded_at = clock.now()
    done = 0
    trigger = _suspend_search_trigger(db)
    ids = _reserve_ids(db, len(prepared))
    for start in range(0, len(prepared), BATCH):
        batch = prepared[start : start + BATCH]
        _write_batch(
            db,
            batch,
            todo[start : start + BATCH],
            ids[start : start + BATCH],
            owner,
            batch_id,
            recorded_at,
            quiet,
            institution_ids,
            index=trigger is not None,
        )
        done += len(batch)
        if progress is not None:
            progress("writing", done)
    if trigger is not None:
        db.execute(sa.text(trigger))


def _suspend_search_trigger(db: Session) -> str | None:
    """SQLite with the search index: drop its per-row INSERT trigger in this transaction and
    return its SQL (to create it again); None elsewhere."""
    if not sqlite_search_index(db):
        return None
    found = db.scalar(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": _INSERT_TRIGGER},
    )
    if found is None:
        return None
    db.execute(sa.text("DROP TRIGGER info_request_search_insert"))
    return str(found)


def _reserve_ids(db: Session, n: int) -> list[int]:
    """``n`` ids for new requests: PostgreSQL's sequence, advanced once for them all; on
    SQLite the ones after the largest (this transaction holds the write lock, taken by the
    import batch's row, so no other writer can take them meanwhile)."""
    if n == 0:
        return []
    if db.get_bind().dialect.name == "postgresql":
        return list(
            db.scalars(
                sa.text(
                    "SELECT nextval(pg_get_serial_sequence('info_request', 'id')) "
                    "FROM generate_series(1, :n)"
                ),
                {"n": n},
            )
        )
    largest = db.scalar(sa.select(sa.func.max(InfoRequest.id))) or 0
    return list(range(largest + 1, largest + 1 + n))


def _write_batch(
    db: Session,
    batch: list[_Prepared],
    plans: list[Any],
    ids: list[int],
    owner: User,
    batch_id: int,
    recorded_at: Any,
    quiet: dict[str, Any],
    institution_ids: dict[str, int],
    *,
    index: bool,
) -> None:
    """One batch under a savepoint; a refusal is looked for row by row, then raised."""
    try:
        with db.begin_nested():
            _insert(
                db,
                batch,
                plans,
                ids,
                owner,
                batch_id,
                recorded_at,
                quiet,
                institution_ids,
                index=index,
            )
    except sa.exc.IntegrityError:
        for prepared, planned, request_id in zip(batch, plans, ids, strict=True):
            try:
                with db.begin_nested():
                    _insert(
                        db,
                        [prepared],
                        [planned],
                        [request_id],
                        owner,
                        batch_id,
                        recorded_at,
                        quiet,
                        institution_ids,
                        index=False,
                    )
            except sa.exc.IntegrityError as exc:
                reason = (
                    str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
                )
                raise RowRefused(planned.rows, _label(planned), reason, by_database=True) from exc
        raise  # the batch failed but no row alone does: say so as the database did


def _insert(
    db: Session,
    batch: list[_Prepared],
    plans: list[Any],
    ids: list[int],
    owner: User,
    batch_id: int,
    recorded_at: Any,
    quiet: dict[str, Any],
    institution_ids: dict[str, int],
    *,
    index: bool,
) -> None:
    """The batch's requests, their timeline entries and their links to the import (and on
    SQLite, with ``index``, their rows of the search index)."""
    fingerprint = deadlines.rules_fingerprint()
    db.execute(
        sa.insert(InfoRequest.__table__).values(
            created_at=recorded_at, updated_at=recorded_at, version=1
        ),
        [
            {
                "id": request_id,
                "newsroom_id": owner.newsroom_id,
                "owner_id": owner.id,
                "institution_id": institution_ids[p.institution],
                "law_code": p.law_code,
                "title": planned.title.strip(),
                "text": planned.text.strip(),
                "file_number": (planned.file_number or "").strip() or None,
                "sent_on": None,
                "received_on": planned.received_on,
                "status": p.status,
                "due_on": p.due_on,
                "complaint_due_on": p.complaint_due_on,
                "responded_on": p.responded_on,
                "closed_on": p.closed_on,
                "days_late_stopped": stopped_days_late(p.due_on, p.responded_on, p.closed_on),
                "rules_fingerprint": fingerprint,
            }
            for request_id, p, planned in zip(ids, batch, plans, strict=True)
        ],
        execution_options=quiet,
    )
    db.execute(
        sa.insert(TimelineEvent.__table__).values(recorded_by_id=owner.id, recorded_at=recorded_at),
        [
            {
                "request_id": request_id,
                "kind": e.kind,
                "occurred_on": e.occurred_on,
                "note": e.note.strip(),
                "details": e.details,
            }
            for request_id, prepared in zip(ids, batch, strict=True)
            for e in prepared.entries
        ],
        execution_options=quiet,
    )
    db.execute(
        sa.insert(ImportedRequest.__table__),
        [{"import_id": batch_id, "request_id": request_id} for request_id in ids],
        execution_options=quiet,
    )
    if index:
        db.execute(
            _INDEX_BATCH,
            {"first": ids[0], "last": ids[-1]},
            execution_options=quiet,
        )
