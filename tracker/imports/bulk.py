"""The import's writer: a checked plan written in batches of multi-row INSERTs.

Each planned request is checked as the request service checks a request and its entries
(``check_new_request``, ``check_new_event``), its clock derived by the same pure code
(``derive_state``), then written with its timeline in batches of ``BATCH`` requests: the
requests (ids reserved beforehand), their timeline entries, their links to the import, as
multi-row INSERTs (SQLAlchemy's insertmanyvalues pages, see ``_many``).
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

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock, revisions
from tracker.core.db import sqlite_search_index
from tracker.core.models import ImportedRequest, InfoRequest, TimelineEvent, User
from tracker.language.i18n import _
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
#: SQLite's page cache (KB) for the connection while an import writes: a bound, not per row.
SQLITE_CACHE_KB = 65536
#: PostgreSQL's GIN pending list (KB) while an import writes (SET LOCAL: this transaction).
PG_GIN_PENDING_KB = 65536
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
class Ready:
    """A planned request, checked, with the columns its derived clock fills and its timeline:
    what ``write`` inserts (kept on disk between the checks and the writing: ``dump``)."""

    rows: tuple[int, ...]
    label: str
    institution: str  # the institution's name key (``institution_ids`` maps it to an id)
    law_code: str
    title: str
    text: str
    file_number: str | None
    received_on: date
    status: str
    due_on: date
    complaint_due_on: date | None
    responded_on: date | None
    closed_on: date | None
    entries: tuple[_Entry, ...]


def _day(value: date | None) -> int | None:
    return value.toordinal() if value is not None else None


def _from_day(value: int | None) -> date | None:
    return date.fromordinal(value) if value is not None else None


def dump(ready: Ready) -> str:
    """``ready`` as JSON text (dates as day numbers)."""
    return json.dumps(
        [
            ready.rows,
            ready.label,
            ready.institution,
            ready.law_code,
            ready.title,
            ready.text,
            ready.file_number,
            _day(ready.received_on),
            ready.status,
            _day(ready.due_on),
            _day(ready.complaint_due_on),
            _day(ready.responded_on),
            _day(ready.closed_on),
            [[e.kind, _day(e.occurred_on), e.note, e.details] for e in ready.entries],
        ],
        separators=(",", ":"),
    )


def load(text: str) -> Ready:
    """The ``Ready`` that ``dump`` wrote."""
    (
        rows,
        label,
        institution,
        law_code,
        title,
        body,
        file_number,
        received,
        status,
        due,
        complaint_due,
        responded,
        closed,
        entries,
    ) = json.loads(text)
    return Ready(
        rows=tuple(rows),
        label=label,
        institution=institution,
        law_code=law_code,
        title=title,
        text=body,
        file_number=file_number,
        received_on=date.fromordinal(received),
        status=status,
        due_on=date.fromordinal(due),
        complaint_due_on=_from_day(complaint_due),
        responded_on=_from_day(responded),
        closed_on=_from_day(closed),
        entries=tuple(_Entry(k, date.fromordinal(d), n, det) for k, d, n, det in entries),
    )


def _label(planned: Any) -> str:
    return str(planned.file_number or planned.title)


@dataclass(frozen=True, slots=True)
class Wording:
    """The import's notes in the current language, looked up once for a whole import (a
    catalogue look-up for each request's notes was about a tenth of the checking's time):
    each template as gettext returns it, filled as gettext fills it (``template % values``)."""

    decided: str
    release: str
    unanswered: str

    @classmethod
    def current(cls) -> Wording:
        """The templates in the current language (run_import sets the importer's)."""
        return cls(
            decided=_("Decision in the spreadsheet: %(decisions)s."),
            release=_("Release package (from the import)."),
            unanswered=_("Unanswered as of %(day)s: the imported file says nothing later."),
        )


def _entries(planned: Any, imported: _Entry, wording: Wording) -> list[_Entry]:
    """The request's timeline after "filed", as the request service would record it: earlier
    packages are partial releases, the last the final response, whose outcome sums up every
    package (all disclosed + nothing disclosed = in part); or how it closed."""
    from tracker.imports.service import _combine

    overall = _combine([outcome for _day, outcome in planned.responses])
    decided = wording.decided % {"decisions": ", ".join(planned.decisions)}
    entries: list[_Entry] = []
    for index, (day, _outcome) in enumerate(planned.responses):
        final = index == len(planned.responses) - 1
        entries.append(
            _Entry(
                "final_response" if final else "partial_release",
                day,
                decided if final and planned.decisions else wording.release,
                {"outcome": overall} if final else {},
            )
        )
    if planned.closure is not None:
        day, closure = planned.closure
        note = (
            wording.unanswered % {"day": day.isoformat()}
            if closure == "unanswered_as_of"
            else decided
        )
        entries.append(_Entry("withdrawn", day, note, {"closure": closure}))
    return [*entries, imported]


def prepare(
    planned: Any,
    *,
    institution: Place,
    institution_key: str,
    today: date,
    imported: _Entry,
    wording: Wording | None = None,
) -> Ready:
    """Check one planned request and its entries as the request service would, and derive its
    clock; ``RowRefused`` names its rows when refused. ``wording``: the notes' templates
    (``Wording.current()`` when not given)."""
    law_code = planned.law_code or institution.law_code
    data = requests.RequestData(
        institution_id=0,  # not read by the checks
        title=planned.title,
        received_on=planned.received_on,
        law_code=law_code,
        text=planned.text,
        file_number=planned.file_number,
    )
    entries = _entries(planned, imported, wording or Wording.current())
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
    state = _derived(
        law_code,
        province,
        planned.received_on,
        tuple(
            (e.kind, e.occurred_on, _frozen(e.details) if e.kind != "imported" else None)
            for e in checked
        ),
        today,
    )
    filed = _Entry("filed", planned.received_on, requests.filed_note(None, planned.received_on), {})
    return Ready(
        rows=tuple(planned.rows),
        label=_label(planned),
        institution=institution_key,
        law_code=law_code,
        title=planned.title,
        text=planned.text,
        file_number=planned.file_number,
        received_on=planned.received_on,
        status=state[0],
        due_on=state[1],
        complaint_due_on=state[2],
        responded_on=state[3],
        closed_on=state[4],
        entries=(filed, *checked),
    )


def _frozen(details: dict[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, default=str)


# Requests with the same law, province, received date, entries (kind, day and details) and
# day have the same clock: it is derived once for them all. Bounded, so memory stays flat.
@functools.lru_cache(maxsize=8192)
def _derived(
    law_code: str,
    province: str | None,
    received_on: date,
    events: tuple[tuple[str, date, str | None], ...],
    today: date,
) -> tuple[str, date, date | None, date | None, date | None]:
    facts = [EventFact(id=0, kind="filed", occurred_on=received_on)] + [
        EventFact(
            id=n,
            kind=kind,
            occurred_on=day,
            details=json.loads(details) if details is not None else {},
        )
        for n, (kind, day, details) in enumerate(events, start=1)
    ]
    state = derive_state(law_code, province, received_on, facts, today)
    return state.status, state.due_on, state.complaint_due_on, state.responded_on, state.closed_on


def write(
    db: Session,
    batches: Iterable[list[Ready]],
    owner: User,
    *,
    batch_id: int,
    institution_ids: dict[str, int],
    progress: Progress | None = None,
) -> None:
    """Write checked requests in the caller's transaction, one batch (``BATCH`` requests) at a
    time as it comes; ``progress("writing", done)`` after each."""
    # Every request, entry and link written below is this newsroom's and these institutions':
    # the data revision (tracker.core.revisions) is raised for them alone, at COMMIT.
    found = revisions.changes(db)
    found.newsrooms.add(owner.newsroom_id)
    found.institutions |= set(institution_ids.values())
    # Named above, the newsroom's revision and list token are raised at COMMIT: its statements
    # need not raise every newsroom's.
    quiet = {revisions.FIGURES_UNCHANGED: True, revisions.LISTS_UNCHANGED: True}
    recorded_at = clock.now()
    fingerprint = deadlines.rules_fingerprint()
    done = 0
    trigger = _suspend_search_trigger(db)
    cache = _widen_sqlite_cache(db)
    for batch in batches:
        ids = _reserve_ids(db, len(batch))
        _write_batch(
            db,
            batch,
            ids,
            owner,
            batch_id,
            recorded_at,
            quiet,
            institution_ids,
            fingerprint,
            index=trigger is not None,
        )
        done += len(batch)
        if progress is not None:
            progress("writing", done)
    if trigger is not None:
        db.execute(sa.text(trigger))
    if cache is not None:
        db.execute(sa.text(f"PRAGMA cache_size = {int(cache)}"))


def _widen_sqlite_cache(db: Session) -> int | None:
    """SQLite: give this connection ``SQLITE_CACHE_KB`` of page cache while it writes (the
    default 2 MB spills the pages of a long transaction's tables and indexes to disk, and the
    writing slows as the transaction grows); the former setting, to restore. None elsewhere."""
    if db.get_bind().dialect.name == "postgresql":
        # The trigram and full-text GIN indexes take the batch's rows into their pending list
        # and merge it when it fills: a larger list for this transaction merges less often.
        db.execute(sa.text(f"SET LOCAL gin_pending_list_limit = {PG_GIN_PENDING_KB}"))
        return None
    if db.get_bind().dialect.name != "sqlite":
        return None
    former = db.scalar(sa.text("PRAGMA cache_size"))
    db.execute(sa.text(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}"))
    return int(former) if former is not None else None


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
    batch: list[Ready],
    ids: list[int],
    owner: User,
    batch_id: int,
    recorded_at: Any,
    quiet: dict[str, Any],
    institution_ids: dict[str, int],
    fingerprint: str,
    *,
    index: bool,
) -> None:
    """One batch under a savepoint; a refusal is looked for row by row, then raised."""
    try:
        with db.begin_nested():
            _insert(
                db,
                batch,
                ids,
                owner,
                batch_id,
                recorded_at,
                quiet,
                institution_ids,
                fingerprint,
                index=index,
            )
    except sa.exc.IntegrityError:
        for ready, request_id in zip(batch, ids, strict=True):
            try:
                with db.begin_nested():
                    _insert(
                        db,
                        [ready],
                        [request_id],
                        owner,
                        batch_id,
                        recorded_at,
                        quiet,
                        institution_ids,
                        fingerprint,
                        index=False,
                    )
            except sa.exc.IntegrityError as exc:
                reason = (
                    str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
                )
                raise RowRefused(list(ready.rows), ready.label, reason, by_database=True) from exc
        raise  # the batch failed but no row alone does: say so as the database did


def _many(db: Session, statement: Any, rows: list[dict[str, Any]], quiet: dict[str, Any]) -> None:
    """Insert ``rows`` as multi-row ``INSERT ... VALUES (...), (...)`` statements: the
    ``RETURNING`` (whose rows are not read) makes SQLAlchemy send "insertmanyvalues" pages of
    up to 1,000 rows, where a plain list of parameters is an executemany, one statement a row.

    SQLite: in a transaction, each statement that writes the records search's FTS5 table
    (``record_text_fts``, filled by triggers from requests and notes) makes FTS5 write its
    pending terms out as a segment of their own: one segment a row, which FTS5 then keeps
    merging, more slowly the larger the index (the writing of 1,000 requests went from 1 s at
    10,000 requests to 17 s at 90,000). PostgreSQL: a statement a row costs the server each
    row's statement start and end (its AFTER ROW triggers' queue, the foreign keys' checks)
    on top of the row's own work: 10,000 rows, 35-44 s in these INSERTs by executemany
    against 21 s in pages, in the same minutes (bench/RESULTS.md, "Imports")."""
    if len(rows) > 1:
        primary = statement.table.primary_key.columns
        db.execute(statement.returning(*primary), rows, execution_options=quiet).close()
    else:
        db.execute(statement, rows, execution_options=quiet)


def _insert(
    db: Session,
    batch: list[Ready],
    ids: list[int],
    owner: User,
    batch_id: int,
    recorded_at: Any,
    quiet: dict[str, Any],
    institution_ids: dict[str, int],
    fingerprint: str,
    *,
    index: bool,
) -> None:
    """The batch's requests, their timeline entries and their links to the import (and on
    SQLite, with ``index``, their rows of the search index)."""
    # The values every row shares are in each row's parameters, not in ``.values()``: a
    # statement's own values are matched to each row's parameters again (SQLAlchemy's
    # extracted parameters), about a tenth of the writing's Python time.
    _many(
        db,
        sa.insert(InfoRequest.__table__),
        [
            {
                "created_at": recorded_at,
                "updated_at": recorded_at,
                "version": 1,
                "id": request_id,
                "newsroom_id": owner.newsroom_id,
                "owner_id": owner.id,
                "institution_id": institution_ids[p.institution],
                "law_code": p.law_code,
                "title": p.title.strip(),
                "text": p.text.strip(),
                "file_number": (p.file_number or "").strip() or None,
                "sent_on": None,
                "received_on": p.received_on,
                "status": p.status,
                "due_on": p.due_on,
                "complaint_due_on": p.complaint_due_on,
                "responded_on": p.responded_on,
                "closed_on": p.closed_on,
                "days_late_stopped": stopped_days_late(p.due_on, p.responded_on, p.closed_on),
                "rules_fingerprint": fingerprint,
            }
            for request_id, p in zip(ids, batch, strict=True)
        ],
        quiet,
    )
    _many(
        db,
        sa.insert(TimelineEvent.__table__),
        [
            {
                "recorded_by_id": owner.id,
                "recorded_at": recorded_at,
                "request_id": request_id,
                "kind": e.kind,
                "occurred_on": e.occurred_on,
                "note": e.note.strip(),
                "details": e.details,
            }
            for request_id, prepared in zip(ids, batch, strict=True)
            for e in prepared.entries
        ],
        quiet,
    )
    _many(
        db,
        sa.insert(ImportedRequest.__table__),
        [{"import_id": batch_id, "request_id": request_id} for request_id in ids],
        quiet,
    )
    if index:
        db.execute(
            _INDEX_BATCH,
            {"first": ids[0], "last": ids[-1]},
            execution_options=quiet,
        )
