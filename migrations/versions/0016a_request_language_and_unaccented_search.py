"""Languages (issue 20): a request's language, and the request search without accents

The second migration of issue 20 (0016 added user_account.locale).

``info_request.language``: the language of a request's letters, packet and alert mails ("en",
"fr"); NULL: the default (Québec's laws French, else the reporter's language).

The search finds "policières" for "policieres" and "Sûreté" for "surete":

PostgreSQL: the ``unaccent`` extension (installed WITH SCHEMA public like pg_trgm, when
allowed) behind an IMMUTABLE function ``tracker_unaccent(text)`` (unaccent itself is only
STABLE, so no index may use it); the trigram indexes of 0003 are made again on
``lower(tracker_unaccent(column))``. Where unaccent cannot be installed the function returns
its argument: the search works, with accents.

SQLite: the FTS5 trigram index of 0004 now indexes the folded text (``tracker_fold()``, a
Python function every connection of the tracker registers, tracker.core.textfold): an external
content table reading the view ``info_request_search_content`` of folded columns, kept in step
by the same triggers, which now fold. ('remove_diacritics' is an option of FTS5's trigram
tokenizer only from SQLite 3.45; the folding in Python works on any version and on the scan
for short terms alike.) The folding function must be registered on any connection that
writes info_request: the tracker's engine does it (tracker.core.db).

Revision ID: 0016a
Revises: 0014
Create Date: 2026-12-07 13:00:00
"""

import logging

import sqlalchemy as sa
from alembic import op

from tracker.core.db import unaccent_schema

revision = "0016a"
down_revision = "0014"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

COLUMNS = ("title", "text", "file_number")
TABLE = "info_request_search"
VIEW = "info_request_search_content"
COLS = ", ".join(COLUMNS)


def _triggers(new_row: str, old_row: str) -> dict[str, str]:
    return {
        f"{TABLE}_insert": (
            "AFTER INSERT ON info_request BEGIN "
            f"INSERT INTO {TABLE} (rowid, {COLS}) VALUES ({new_row}); END"
        ),
        f"{TABLE}_delete": (
            "AFTER DELETE ON info_request BEGIN "
            f"INSERT INTO {TABLE} ({TABLE}, rowid, {COLS}) VALUES ({old_row}); END"
        ),
        f"{TABLE}_update": (
            f"AFTER UPDATE OF {COLS} ON info_request BEGIN "
            f"INSERT INTO {TABLE} ({TABLE}, rowid, {COLS}) VALUES ({old_row}); "
            f"INSERT INTO {TABLE} (rowid, {COLS}) VALUES ({new_row}); END"
        ),
    }


FOLDED = _triggers(
    "new.id, tracker_fold(new.title), tracker_fold(new.text), tracker_fold(new.file_number)",
    "'delete', old.id, tracker_fold(old.title), tracker_fold(old.text), "
    "tracker_fold(old.file_number)",
)
PLAIN = _triggers(  # as 0004 made them
    "new.id, new.title, new.text, new.file_number",
    "'delete', old.id, old.title, old.text, old.file_number",
)


def _sqlite_index(content: str, triggers: dict[str, str]) -> None:
    exists = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"),
        {"n": TABLE},
    )
    if not exists:  # no FTS5 or trigram tokenizer here (0004): the search scans
        return
    for name in FOLDED:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE {TABLE}")
    op.execute(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5({COLS}, content='{content}', "
        "content_rowid='id', tokenize='trigram')"
    )
    for name, body in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')")


def _pg_indexes(expression: str) -> None:
    schema = op.get_bind().scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    )
    for column in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_info_request_{column}_trgm")
        if schema is not None:
            op.execute(
                f"CREATE INDEX ix_info_request_{column}_trgm ON info_request "
                f'USING gin ({expression.format(column=column)} "{schema}".gin_trgm_ops)'
            )


def upgrade() -> None:
    op.add_column("info_request", sa.Column("language", sa.String(16), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            f"CREATE VIEW {VIEW} AS SELECT id, tracker_fold(title) AS title, "
            "tracker_fold(text) AS text, tracker_fold(file_number) AS file_number "
            "FROM info_request"
        )
        _sqlite_index(VIEW, FOLDED)
        return
    schema = unaccent_schema(bind)
    if schema is None:
        log.warning("unaccent left out: the search keeps accents")
    if schema is not None:
        body = f"SELECT \"{schema}\".unaccent('\"{schema}\".unaccent'::regdictionary, $1)"
    else:
        body = "SELECT $1"
    op.execute(
        "CREATE OR REPLACE FUNCTION tracker_unaccent(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ {body} $$"
    )
    _pg_indexes("lower(tracker_unaccent({column}))")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_index("info_request", PLAIN)
        op.execute(f"DROP VIEW IF EXISTS {VIEW}")
    else:
        _pg_indexes("lower({column})")
        op.execute("DROP FUNCTION IF EXISTS tracker_unaccent(text)")
    # A plain DROP COLUMN (SQLite >= 3.35 and PostgreSQL): a batch copy would DROP the table,
    # and with foreign keys on SQLite that deletes the rows referring to it.
    op.execute("ALTER TABLE info_request DROP COLUMN language")
