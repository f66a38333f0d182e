"""Database wiring: one engine per app, one session per request or job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from tracker.core.textfold import fold

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model; names constraints predictably for Alembic."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    # Every model maps one table (SQLAlchemy types it as any FromClause, which insert(),
    # update() and delete() do not take).
    __table__: ClassVar[sa.Table]


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets zones)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


M = TypeVar("M", bound=Base)


def get_or_404(session: Session, model: type[M], object_id: int) -> M:
    """The row with this id, read again in a transaction's session after the view checked it
    in its own: 404 when it was deleted in between."""
    row = session.get(model, object_id)
    if row is None:
        abort(404)
    return row


def engine_of(db: Session) -> Engine:
    """The engine behind a session, to write on connections of its own (a job's progress,
    seen by other sessions while the job's transaction is still open)."""
    bind = db.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def affected(result: sa.Result[Any]) -> int:
    """The rows an INSERT, UPDATE or DELETE run through ``Session.execute`` changed. The
    session types its result as a plain ``Result``; for those statements it is the driver's
    ``CursorResult``, which counts them."""
    if not isinstance(result, sa.CursorResult):
        raise TypeError(f"{type(result).__name__} does not count rows")
    return result.rowcount


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The search's folding (tracker.core.textfold), read by the search index's triggers (0016).
    dbapi_connection.create_function(SQLITE_FOLD, 1, fold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine for a URL, with SQLite set up to enforce foreign keys."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to the app; close sessions after each request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    from tracker.core import revisions  # imports the models, which import this module

    revisions.watch(app.extensions["sessionmaker"])
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["engine"]


def session() -> Session:
    """The session of the current app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


@contextmanager
def transaction() -> Iterator[Session]:
    """Yield the current session and commit at the end, or roll back on error."""
    db_session = session()
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def check_connection(app: Flask) -> None:
    """Open and close one connection; raise ``ConnectionError`` naming the setting on failure."""
    try:
        with app.extensions["engine"].connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        url = make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
        reason = (
            str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            if str(exc)
            else type(exc).__name__
        )
        raise ConnectionError(
            f"cannot reach the database at TRACKER_DATABASE_URL={url}: {reason}"
        ) from exc


# SQLite: the FTS5 trigram index over info_request(title, text, file_number) (migration 0004),
# of their folded text (no accents, lower case) since migration 0016.
SQLITE_SEARCH_TABLE = "info_request_search"
# The folding function: Python's on SQLite connections, unaccent's on PostgreSQL (0016).
SQLITE_FOLD = "tracker_fold"
PG_UNACCENT = "tracker_unaccent"


class folded(sa.sql.functions.FunctionElement[str]):
    """``folded(x)``: the text of x as the search compares it, without accents or case
    (tracker.core.textfold): ``tracker_fold(x)`` on SQLite, ``lower(tracker_unaccent(x))`` on
    PostgreSQL (what its trigram indexes hold), ``lower(x)`` elsewhere."""

    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FOLD}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({PG_UNACCENT}({compiler.process(element.clauses, **kw)}))"


# SQLite: the FTS5 index over record_text, the records' search (migration 0019).
SQLITE_RECORDS_TABLE = "record_text_fts"


def is_search_index_table(name: str | None) -> bool:
    """True for the SQLite search indexes and the shadow tables FTS5 keeps beside them: schema
    objects the migrations own but no model describes (autogenerate must leave them alone)."""
    return name is not None and any(
        name == table or name.startswith(f"{table}_")
        for table in (SQLITE_SEARCH_TABLE, SQLITE_RECORDS_TABLE)
    )


def autogenerate_includes(name: str | None, type_: str, _parents: Any) -> bool:
    """Alembic's ``include_name``: everything but the search index tables, so that comparing
    the models with the database (and ``db revision --autogenerate``) leaves them alone."""
    return not (type_ == "table" and is_search_index_table(name))


def sqlite_search_index(db: Session) -> bool:
    """True when the session's database is SQLite and has the search index (one look at the
    schema, a fraction of a millisecond: nothing is cached, so a migration run by another
    process while the tracker serves takes effect at once)."""
    if db.get_bind().dialect.name != "sqlite":
        return False
    query = sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name")
    return db.scalar(query, {"name": SQLITE_SEARCH_TABLE}) == 1


def trigram_schema(conn: sa.Connection) -> str | None:
    """PostgreSQL: the schema holding pg_trgm, installing it in "public" when allowed.

    None when the extension is not available or may not be installed: search then scans.
    """
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    schema = conn.scalar(query)
    if schema is None:
        try:
            with conn.begin_nested():
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
        except sa.exc.DBAPIError:
            return None
        schema = conn.scalar(query)
    return schema


def unaccent_schema(conn: sa.Connection) -> str | None:
    """PostgreSQL: the schema holding the unaccent extension (behind ``tracker_unaccent``,
    migration 0016), installing it in "public" when allowed; None when it cannot be."""
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'"
    )
    schema = conn.scalar(query)
    if schema is None:
        try:
            with conn.begin_nested():
                conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public"))
        except sa.exc.DBAPIError:
            return None
        schema = conn.scalar(query)
    return schema


# SQLite's ANALYZE reads every index entry (PRAGMA analysis_limit=0): 1.8 s for a database of
# 1,000,000 requests (3,000,000 timeline entries). A sample is no cheaper in a way that
# matters and is wrong where it counts: analysis_limit reads the first N entries of each index,
# which all belong to one newsroom and one reporter, so a sample of 1,000 told the planner
# that a reporter has as many requests as a newsroom, and the list filtered by reporter
# counted 600,000 requests through the newsroom's index (1.25 s instead of 18 ms).
ANALYSIS_LIMIT = 0


def refresh_statistics(conn: sa.Connection) -> bool:
    """Refresh the query planner's statistics on SQLite (a full ANALYZE); True if it ran.

    SQLite keeps no statistics until ANALYZE runs, and without them it may pick an index that
    reads a whole newsroom (a 13 ms search took 360 ms at 1,000,000 requests when a new index
    had none). The scheduler runs this daily and ``db upgrade`` after migrating. PostgreSQL's
    autovacuum keeps its own statistics: nothing to do there.
    """
    if conn.dialect.name != "sqlite":
        return False
    conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    conn.exec_driver_sql("ANALYZE")
    return True
