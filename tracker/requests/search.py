"""The request list's search: which requests hold a term, and how a page of them is read.

A request matches when the term is inside its title, text or file number, without regard to
accents or case (both sides folded, tracker.core.textfold, migration 0016), or inside one of
its other file numbers (tracker.requests.numbers).

A page of matches is read one of two ways, which give the same rows:

- From the index: every match is found (SQLite: the FTS5 trigram index of the folded text;
  PostgreSQL: the trigram GIN indexes on the folded columns), then ordered by the list's
  sort. Its cost grows with the matches: a common word at 1,000,000 requests has tens of
  thousands, and ordering them all for 25 rows took most of the page's time.
- By walking the list's order: the index the list reads its pages from (for example
  ``(newsroom_id, due_on, id)``) is read in order and each row's folded text tested, until
  the page is full. When one request in ``k`` matches, a page passes about ``25 k`` rows,
  whatever the number of requests.

``read_page`` chooses from the term's frequency, which the list has already counted (up to
COUNT_LIMIT + 1, from the index): a term with more matches than the page needs is first
walked for, within a budget that grows with its matches (SQLite: virtual machine steps,
``walk_budget``): matches may gather at the far end of the order (a word of recent years,
sorted oldest first), and past the budget the page is read from the index instead, at a
cost of the same order as the walk already spent. PostgreSQL's planner weighs the two
itself, from its statistics of the folded columns: the condition is the same.

The count on SQLite is read with the index as the outer loop (``count_upto``), so it stops
after COUNT_LIMIT + 1 matches instead of first gathering every match of the term.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Join

from tracker.core.db import SQLITE_SEARCH_TABLE, folded
from tracker.core.models import InfoRequest
from tracker.core.textfold import fold
from tracker.requests import numbers

T = TypeVar("T")

# The trigram tokenizer indexes every run of 3 characters: a shorter term matches nothing
# there, and is found by testing each row.
FTS_MIN_LENGTH = 3
# SQLite: the walk's budget in virtual machine steps for each match the count found: a row
# passed takes about 15 steps (measured at 1,000,000 requests), so about a row for every
# four matches. The budget is checked every _STEPS_PER_CALL steps.
WALK_STEPS_PER_MATCH = 4
STEPS_PER_ROW = 15
# And the steps of the statement itself (its page's rows read in full, with their
# institution and owner), whatever the matches.
WALK_STEPS_BASE = 2_000
_STEPS_PER_CALL = 100

_SEARCH_INDEX = sa.table(SQLITE_SEARCH_TABLE, sa.column("rowid"))


def needle(term: str) -> str:
    """The term as the index and the folded columns hold text."""
    return fold(term) or ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def uses_index(term: str, fts: bool) -> bool:
    """Whether SQLite's FTS5 index can find the term: it is there (``fts``) and the folded
    term has a trigram (a term of 3 characters may fold to fewer: "e" and a combining accent
    twice is "e")."""
    return fts and len(needle(term)) >= FTS_MIN_LENGTH


def _phrase(term: str) -> str:
    """The term as an FTS5 phrase of its trigrams: a substring match. Inside double quotes
    FTS5 gives meaning to nothing but a doubled double quote."""
    return '"' + needle(term).replace('"', '""') + '"'


def _index_matches(term: str) -> sa.Select[Any]:
    """SQLite: the ids of the requests whose folded title, text or file number holds the term,
    read from the FTS5 index."""
    return sa.select(_SEARCH_INDEX.c.rowid).where(
        sa.literal_column(SQLITE_SEARCH_TABLE).match(_phrase(term))
    )


def row_test(term: str) -> sa.ColumnElement[bool]:
    """The term inside a request's folded title, text or file number, tested on the row
    (PostgreSQL serves it from its trigram indexes; SQLite calls ``tracker_fold``)."""
    pattern = folded(sa.literal(f"%{_escape_like(needle(term))}%"))
    return sa.or_(
        *[
            folded(col).like(pattern, escape="\\")
            for col in (InfoRequest.title, InfoRequest.text, InfoRequest.file_number)
        ]
    )


class _among(sa.sql.functions.FunctionElement[Any]):
    """``_among(id, ids)``: ``id IN (ids)``; on PostgreSQL ``id = ANY(ARRAY(ids))``, which
    its planner reads as one more index scan of a BitmapOr beside the trigram indexes' (an
    ``IN`` subplan in an OR keeps it from using any of them: every row of the newsroom is
    then tested, seconds at 1,000,000 requests). Of no type: typed Boolean, SQLite would
    get ``... IN (...) = 1``, which no index serves."""

    type = sa.types.NullType()
    inherit_cache = True


@compiles(_among)
def _among_default(element: _among, compiler: Any, **kw: Any) -> str:
    column, ids = list(element.clauses)
    return f"{compiler.process(column, **kw)} IN {compiler.process(ids, **kw)}"


@compiles(_among, "postgresql")
def _among_postgresql(element: _among, compiler: Any, **kw: Any) -> str:
    column, ids = list(element.clauses)
    return f"{compiler.process(column, **kw)} = ANY(ARRAY{compiler.process(ids, **kw)})"


def _other_numbers(term: str) -> sa.ColumnElement[bool]:
    """Requests with the term among their other file numbers (tracker.requests.numbers)."""
    return _among(InfoRequest.id, numbers.other_numbers_ids(term).scalar_subquery())


def condition(term: str, fts: bool) -> sa.ColumnElement[bool]:
    """Requests whose title, text or file number holds the term, in any case and without
    accents, or one of whose other file numbers does (``fts``: read SQLite's FTS5 index,
    for a term it can find; otherwise each row is tested)."""
    if uses_index(term, fts):
        # A request's other file numbers are not in the index.
        return sa.or_(InfoRequest.id.in_(_index_matches(term)), _other_numbers(term))
    return sa.or_(row_test(term), _other_numbers(term))


# SQLite: the index the count reads each match's filter columns from (migration 0025).
COUNT_INDEX = "ix_info_request_search_count"


class _IndexFirst(Join):
    """An inner join whose left side is the outer loop: on SQLite a CROSS JOIN, which its
    planner never reorders (reading FTS5 for each row of the right side would restart its
    query for each)."""

    inherit_cache = True
    indexed_by: str | None = None


class _IndexFirstCovered(_IndexFirst):
    """The same, reading the right side (info_request) through COUNT_INDEX, which its
    planner does not choose over the primary key by itself."""

    inherit_cache = True
    indexed_by = COUNT_INDEX


@compiles(_IndexFirst, "sqlite")
def _cross_join(join: _IndexFirst, compiler: Any, **kw: Any) -> str:
    sql: str = compiler.visit_join(join, **kw)
    sql = sql.replace(" JOIN ", " CROSS JOIN ", 1)
    if join.indexed_by:
        table = InfoRequest.__tablename__
        sql = sql.replace(f" {table} ON ", f" {table} INDEXED BY {join.indexed_by} ON ", 1)
    return sql


def _has_count_index(db: Session) -> bool:
    """Whether the database has COUNT_INDEX (not before migration 0025)."""
    query = sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = :name")
    return db.scalar(query, {"name": COUNT_INDEX}) == 1


def count_upto(db: Session, unsearched: sa.Select[Any], term: str, limit: int) -> int:
    """SQLite with the index: how many of ``unsearched`` (the list's query with its other
    filters, selecting InfoRequest) hold the term, or ``limit`` + 1 when more than ``limit``
    do.

    The index is the outer loop (a CROSS JOIN, which SQLite does not reorder), each match
    looked up by its id in COUNT_INDEX (its filter columns, not the wide row) and its
    filters tested, and the count stops at ``limit`` + 1: a condition ``id IN (matches)``
    first gathers every match of the term in every newsroom.
    The requests found only by another file number, fewer, are counted apart: those the
    index does not hold (their folded columns lack the term, the same test as the index's).
    """
    join = _IndexFirstCovered if _has_count_index(db) else _IndexFirst
    indexed = (
        unsearched.with_only_columns(InfoRequest.id)
        .select_from(join(_SEARCH_INDEX, InfoRequest, _SEARCH_INDEX.c.rowid == InfoRequest.id))
        .where(sa.literal_column(SQLITE_SEARCH_TABLE).match(_phrase(term)))
        .limit(limit + 1)
    )
    # NULL columns make the test NULL: coalesce, so that "not in the index" holds for them.
    by_number = unsearched.with_only_columns(InfoRequest.id).where(
        _other_numbers(term), sa.not_(sa.func.coalesce(row_test(term), sa.false()))
    )
    head = sa.select(sa.func.count()).select_from(indexed.subquery()).scalar_subquery()
    rest = (
        sa.select(sa.func.count())
        .select_from(by_number.limit(limit + 1).subquery())
        .scalar_subquery()
    )
    found, other = db.execute(sa.select(head, rest)).one()
    return min(found + other, limit + 1)


def walk_budget(
    db: Session, term: str, fts: bool, matches: int, skipped: int, per_page: int
) -> int:
    """How far a page of a search may walk the list's order (SQLite virtual machine steps),
    or 0 to read it from the index (see the module).

    SQLite with the index, a term the index finds, and more matches (``matches``, the count,
    maybe stopped beyond COUNT_LIMIT) than the rows before the page (``skipped``) and the
    page: fewer, and the walk would pass every row to the end of the list. Reading from the
    index costs about as much as passing one row for every two matches (each is found,
    read by id and sorted); the walk may pass one row for every four (WALK_STEPS_PER_MATCH,
    beyond the statement's own WALK_STEPS_BASE), so a walk that runs out costs at most about
    half what the page then costs anyway.

    No walk either when even spread over every request (the highest id, one look at the
    primary key) the matches are too few for the walk to reach the page within twice its
    budget (a file number's 200 matches among 1,000,000 requests): interrupted, it would
    only add to the page's cost."""
    if not uses_index(term, fts) or matches <= skipped + per_page:
        return 0
    budget = WALK_STEPS_BASE + int(matches * WALK_STEPS_PER_MATCH)
    rows = db.scalar(sa.select(sa.func.max(InfoRequest.id))) or 0
    if (skipped + per_page + 1) * rows * STEPS_PER_ROW > 2 * budget * matches:
        return 0
    return budget


@contextmanager
def _budget(db: Session, steps: int) -> Iterator[Callable[[], bool]]:
    """SQLite: interrupt the statements run inside after ``steps`` virtual machine steps;
    yields whether it did."""
    raw = db.connection().connection.driver_connection
    if not isinstance(raw, sqlite3.Connection):  # walk_budget() gives none elsewhere
        raise TypeError("a walk's budget is counted on SQLite only")
    spent = [0]

    def tick() -> int:
        spent[0] += _STEPS_PER_CALL
        return 1 if spent[0] > steps else 0

    raw.set_progress_handler(tick, _STEPS_PER_CALL)
    try:
        yield lambda: spent[0] > steps
    finally:
        raw.set_progress_handler(None, 0)


def read_page(budget: int, fts: bool, db: Session, read: Callable[[bool], T]) -> T:
    """A page of the list: ``read(fts)`` runs its statement, reading the search index or
    not. With a ``budget`` (``walk_budget``), first without the index, in the list's order,
    interrupted past the budget; then from the index."""
    if not budget:
        return read(fts)
    with _budget(db, budget) as exhausted:
        try:
            return read(False)
        except sa.exc.OperationalError:
            if not exhausted():
                raise
    return read(fts)
