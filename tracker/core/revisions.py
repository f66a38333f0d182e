"""Data revisions: a counter per newsroom that moves with every write the scorecard reads.

A computed scorecard may be served again only while the data it was computed from is exactly
the current data (tracker.scorecards.snapshots). Rather than compare the data, each newsroom
has a counter in ``data_revision`` that is raised in the same transaction as any write to
requests, institutions, extensions or complaints, so a committed change and a new revision
are never seen apart.

Every write the tracker makes goes through a session from ``tracker.core.db`` (web, API, import,
demo, CLI, scheduler); ``watch`` hooks that session factory:

- ``after_flush``: the ORM rows written (added, changed, deleted) name their newsroom, or their
  request (extensions, complaints), whose newsroom is looked up;
- ``do_orm_execute``: an INSERT, UPDATE or DELETE statement on those tables run through the
  session (a bulk insert, or SQL text naming them) raises every newsroom's revision: its rows
  are not known. A statement marked ``FIGURES_UNCHANGED`` (the overdue sweep's UPDATE, which
  changes nothing the scorecard reads) raises nothing;
- ``before_commit``: the revisions are raised once, just before COMMIT, so the row lock on a
  newsroom's revision is held only while committing (a long import does not make the other
  writers of its newsroom wait), and always last (no lock-order deadlock on PostgreSQL).

The same statement draws a new ``list_state`` for those newsrooms: a random token of what the
request list and the dashboard show (tracker.requests.places keeps their counts and places
under it). A few writes change what the list shows but no figure of the scorecard: the overdue
sweep's change of status, marked ``FIGURES_UNCHANGED``. Such a statement on a watched table
draws a new token for every newsroom (its rows are not known) and leaves ``revision`` as it
is, unless it is also marked ``LISTS_UNCHANGED`` (a write that changes nothing shown: the lock
of a request, the rules fingerprint). A random token rather than a counter: a database restored
from an older backup never meets a token kept for other data.

A transaction that rolls back raises nothing, as it changed nothing. A write made outside
these sessions (a bare connection, SQL typed by hand) must call ``bump`` itself, or clear
``scorecard_snapshot``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.util import identity_key

from tracker.core.models import (
    Complaint,
    DataRevision,
    Extension,
    InfoRequest,
    Institution,
    Newsroom,
    ScorecardChange,
)

# The tables the scorecard reads (tracker.scorecards.service.compute).
WATCHED_TABLES = frozenset(
    {
        InfoRequest.__tablename__,
        Institution.__tablename__,
        Extension.__tablename__,
        Complaint.__tablename__,
    }
)
_BY_NEWSROOM = (InfoRequest, Institution)
_BY_REQUEST = (Extension, Complaint)
_DML_TEXT = re.compile(
    r"\b(insert\s+into|update|delete\s+from)\s+\"?(" + "|".join(sorted(WATCHED_TABLES)) + r")\b",
    re.IGNORECASE,
)
_INFO_KEY = "tracker.core.revisions"
# More newsrooms or unknown requests than this in one commit: raise every newsroom's revision
# rather than send a list of ids that long.
MAX_LISTED = 500


@dataclass
class Changes:
    """What a session's transaction wrote so far: newsrooms, requests, or unknown rows."""

    newsrooms: set[int] = field(default_factory=set)
    requests: set[int] = field(default_factory=set)
    everything: bool = False
    # The institutions whose scorecard figures may have changed (scorecard_change), and
    # whether some could not be named (then any of the newsroom's may have).
    institutions: set[int] = field(default_factory=set)
    any_institution: bool = False
    # A statement changed what the lists show, not the scorecard's figures, in rows not
    # known: every newsroom's list token is drawn again (``list_state``).
    lists: bool = False

    def __bool__(self) -> bool:
        return self.everything or self.lists or bool(self.newsrooms or self.requests)

    @property
    def figures(self) -> bool:
        """Whether the scorecard's figures may have changed (``revision`` is raised)."""
        return self.everything or bool(self.newsrooms or self.requests)


def changes(session: Session) -> Changes:
    """The changes recorded for the session's current transaction."""
    found = session.info.get(_INFO_KEY)
    if found is None:
        found = session.info[_INFO_KEY] = Changes()
    return found


def watch(factory: sessionmaker[Session]) -> None:
    """Raise the revisions of what every session of ``factory`` writes, when it commits."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _after_statement)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _after_transaction_end)


def _values(obj: Any, attribute: str) -> tuple[set[int], bool]:
    """The values an attribute had and has in this flush; False when one could not be known
    without loading it (a deleted row whose attribute was expired)."""
    state = inspect(obj)
    history = state.attrs[attribute].history
    values = {v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None}
    known = bool(values) or attribute in state.dict
    return values, known


def _after_flush(session: Session, _context: Any) -> None:
    found = changes(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _BY_NEWSROOM):
            ids, known = _values(obj, "newsroom_id")
            found.newsrooms |= ids
            if isinstance(obj, InfoRequest):
                places, named = _values(obj, "institution_id")
            else:
                places, named = _values(obj, "id")
            found.institutions |= places
            found.any_institution |= not named
        elif isinstance(obj, _BY_REQUEST):
            ids, known = _values(obj, "request_id")
            found.requests |= ids
        else:
            continue
        if not known:
            found.everything = True


def _table_name(statement: Any) -> str | None:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None)


# An execution option for a statement that writes a watched table without changing anything
# the scorecard reads: the overdue sweep, which turns "awaiting"/"on hold" into "overdue"
# (the scorecard reads the status only to leave closed requests out) and stamps updated_at.
# Without it every hourly sweep would make every newsroom's scorecard be computed again.
FIGURES_UNCHANGED = "tracker.core.revisions.figures_unchanged"
# With FIGURES_UNCHANGED: a statement that changes nothing the request list or the dashboard
# shows either (a lock's no-op UPDATE, the rules fingerprint), so no list token is drawn.
LISTS_UNCHANGED = "tracker.core.revisions.lists_unchanged"


def _after_statement(state: ORMExecuteState) -> None:
    writes = False
    if state.is_insert or state.is_update or state.is_delete:
        writes = _table_name(state.statement) in WATCHED_TABLES
    elif isinstance(state.statement, sa.TextClause):
        writes = bool(_DML_TEXT.search(state.statement.text))
    if not writes:
        return
    options = state.execution_options
    if not options.get(FIGURES_UNCHANGED):
        changes(state.session).everything = True
    elif not options.get(LISTS_UNCHANGED):
        changes(state.session).lists = True


def _before_commit(session: Session) -> None:
    session.flush()  # commit flushes after this hook: record those rows now
    found = session.info.get(_INFO_KEY)
    if found:
        bump(session, _owners_known(session, found))
        session.info[_INFO_KEY] = Changes()


def _owners_known(session: Session, found: Changes) -> Changes:
    """The same changes with the requests already in the session replaced by their newsroom
    (no query); the others are looked up by ``bump``, or, when very many, every newsroom."""
    resolved = Changes(
        set(found.newsrooms),
        set(),
        found.everything,
        set(found.institutions),
        found.any_institution,
        found.lists,
    )
    for request_id in found.requests:
        loaded = session.identity_map.get(identity_key(InfoRequest, request_id))
        newsroom_id = loaded.__dict__.get("newsroom_id") if loaded is not None else None
        institution_id = loaded.__dict__.get("institution_id") if loaded is not None else None
        if newsroom_id is None or institution_id is None:
            resolved.requests.add(request_id)
        else:
            resolved.newsrooms.add(newsroom_id)
            resolved.institutions.add(institution_id)
    if len(resolved.requests) + len(resolved.newsrooms) > MAX_LISTED:
        resolved.everything = True
    return resolved


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_INFO_KEY, None)


def _migrated(conn: sa.Connection) -> bool:
    """True when the database has ``data_revision`` (one look at the schema, asked at each
    commit that has something to raise, like ``tracker.core.db.sqlite_search_index``: a migration
    run while the tracker serves takes effect at once). A database not yet migrated to 0006
    has no stored scorecards either: its writes have nothing to raise, and go through."""
    return sa.inspect(conn).has_table(DataRevision.__tablename__)


def _has_list_state(conn: sa.Connection) -> bool:
    """True when ``data_revision`` has the list token (migration 0025)."""
    columns = sa.inspect(conn).get_columns(DataRevision.__tablename__)
    return any(c["name"] == "list_state" for c in columns)


def new_token() -> int:
    """A new list token: random, 52 bits (never 0, the token of a newsroom without a row)."""
    return secrets.randbits(52) | 1


def bump(session: Session | sa.Connection, found: Changes | None = None) -> None:
    """Raise the revision of the newsrooms ``found`` names (every newsroom when None), in the
    caller's transaction, and draw their list token. A newsroom without a revision row gets
    one at 1 (no row means 0). ``found.lists`` alone: every newsroom's list token is drawn,
    its revision left as it is."""
    conn = session.connection() if isinstance(session, Session) else session
    if not _migrated(conn):
        return
    found = found if found is not None else Changes(everything=True)
    listed = _has_list_state(conn)
    if found.lists and listed:
        _upsert(session, conn, sa.true(), revision=False)
    if not found.figures:
        return
    newsroom = Newsroom.__table__
    condition: sa.ColumnElement[bool] = sa.true()
    if not found.everything:
        owners = sa.select(InfoRequest.newsroom_id).where(InfoRequest.id.in_(found.requests))
        condition = sa.or_(newsroom.c.id.in_(found.newsrooms), newsroom.c.id.in_(owners))
    _upsert(session, conn, condition, revision=True, token=listed)
    if sa.inspect(conn).has_table(ScorecardChange.__tablename__):
        _record_institutions(session, conn, found)


def _upsert(
    session: Session | sa.Connection,
    conn: sa.Connection,
    condition: sa.ColumnElement[bool],
    *,
    revision: bool,
    token: bool = True,
) -> None:
    """For each newsroom matching ``condition``: raise its revision (``revision``) and draw a
    new list token (``token``), one draw for all of them, creating its row if it has none."""
    newsroom = Newsroom.__table__
    table = DataRevision.__table__
    insert = postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)
    drawn = sa.literal(new_token(), sa.BigInteger)
    columns: list[Any] = [newsroom.c.id, sa.literal(1 if revision else 0, sa.BigInteger)]
    names = ["newsroom_id", "revision"]
    changed: dict[str, Any] = {"revision": table.c.revision + 1} if revision else {}
    if token:
        columns.append(drawn)
        names.append("list_state")
        changed["list_state"] = drawn
    # Newsrooms in id order: two transactions raising several lock them in the same order.
    rows = sa.select(*columns).where(condition).order_by(newsroom.c.id)
    statement = insert.from_select(names, rows).on_conflict_do_update(
        index_elements=["newsroom_id"], set_=changed
    )
    session.execute(statement)


def _record_institutions(
    session: Session | sa.Connection, conn: sa.Connection, found: Changes
) -> None:
    """Write which institutions the new revisions touched (NULL: any), beside them."""
    institutions: set[int] | None = None
    if not (found.everything or found.any_institution):
        institutions = set(found.institutions)
        if found.requests:
            places = session.execute(
                sa.select(InfoRequest.id, InfoRequest.institution_id).where(
                    InfoRequest.id.in_(found.requests)
                )
            ).all()
            if len(places) == len(found.requests):
                institutions |= {place for _, place in places}
            else:  # a request deleted since: its institution is not known
                institutions = None
    if institutions is not None and (not institutions or len(institutions) > MAX_LISTED):
        institutions = None
    table = DataRevision.__table__
    revisions = sa.select(table.c.newsroom_id, table.c.revision)
    if not found.everything:
        owners = sa.select(InfoRequest.newsroom_id).where(InfoRequest.id.in_(found.requests))
        revisions = revisions.where(
            sa.or_(table.c.newsroom_id.in_(found.newsrooms), table.c.newsroom_id.in_(owners))
        )
    rows = [
        {"newsroom_id": newsroom_id, "revision": revision, "institution_id": place}
        for newsroom_id, revision in session.execute(revisions)
        for place in (sorted(institutions) if institutions is not None else [None])
    ]
    if rows:
        session.execute(sa.insert(ScorecardChange.__table__), rows)
