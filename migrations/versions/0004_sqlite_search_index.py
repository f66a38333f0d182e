"""SQLite: a trigram full-text index for the request list's search

The list's search finds a term anywhere in a request's title, text or file number. PostgreSQL
serves it with trigram indexes (0003); on SQLite this adds an external-content FTS5 table with
the trigram tokenizer (SQLite 3.34+) over info_request(title, text, file_number), so that
``info_request_search MATCH '"term"'`` (a case-insensitive substring match, for terms of 3 or
more characters) is an index lookup instead of a scan. Triggers keep it in step with
info_request on INSERT, DELETE and UPDATE OF title, text, file_number only (the overdue sweep,
which updates the status of many rows, never touches it); the existing rows are indexed once
('rebuild'). Where SQLite lacks FTS5 or the trigram tokenizer nothing is created and the search
keeps scanning. On PostgreSQL this revision does nothing.

A later migration that rebuilds info_request on SQLite (batch_alter_table's copy-and-move)
drops these triggers with the old table: it must create them again and 'rebuild'.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 14:00:00
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "info_request_search"
COLUMNS = "title, text, file_number"
NEW_ROW = "new.id, new.title, new.text, new.file_number"
OLD_ROW = "'delete', old.id, old.title, old.text, old.file_number"
TRIGGERS = {
    f"{TABLE}_insert": (
        "AFTER INSERT ON info_request BEGIN "
        f"INSERT INTO {TABLE} (rowid, {COLUMNS}) VALUES ({NEW_ROW}); END"
    ),
    f"{TABLE}_delete": (
        "AFTER DELETE ON info_request BEGIN "
        f"INSERT INTO {TABLE} ({TABLE}, rowid, {COLUMNS}) VALUES ({OLD_ROW}); END"
    ),
    f"{TABLE}_update": (
        f"AFTER UPDATE OF {COLUMNS} ON info_request BEGIN "
        f"INSERT INTO {TABLE} ({TABLE}, rowid, {COLUMNS}) VALUES ({OLD_ROW}); "
        f"INSERT INTO {TABLE} (rowid, {COLUMNS}) VALUES ({NEW_ROW}); END"
    ),
}

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    try:
        op.execute(
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5({COLUMNS}, content='info_request', "
            "content_rowid='id', tokenize='trigram')"
        )
    except sa.exc.OperationalError as exc:  # no FTS5, or SQLite older than 3.34
        log.warning("search index left out, the list's search will scan: %s", exc.orig)
        return
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
