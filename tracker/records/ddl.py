"""The search index's schema objects that no model describes, for migration 0019 and restore.

PostgreSQL: two text search configurations, ``records_fr`` and ``records_en`` (copies of
``french`` and ``english`` whose words go through ``unaccent`` first, so "decision" finds
"décision"), a trigger setting ``record_text.search_vector`` from both, stripped of positions
(GIN-indexed: the model ``RecordText``; migration 0024 stores it and the text out of line so
the table's rows stay small for the index's heap visits), and triggers that copy each request's title and text, and each
timeline note, into ``record_text``.

``unaccent`` is installed WITH SCHEMA public when it is missing (as pg_trgm is,
``tracker.core.db.trigram_schema``): the tests' per-run schemas then share it, and the
configurations name it with its schema. Where it may not be installed the configurations
are plain copies and the search keeps its accents.

SQLite: an external-content FTS5 table ``record_text_fts`` (unicode61 with diacritics
removed, Porter stemming) kept in step with ``record_text`` by triggers, and the same copy
triggers as PostgreSQL. A later migration that rebuilds ``info_request`` or
``timeline_event`` on SQLite (batch mode's copy-and-move) drops their triggers with the old
table and must create them again (``create_sqlite_copy_triggers``);
tests/test_records_search.py checks they are there at head.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from tracker.core.db import unaccent_schema

log = logging.getLogger("tracker.records")

FTS_TABLE = "record_text_fts"
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"


PG_FUNCTIONS = {
    "records_request_text": """
        BEGIN
          IF TG_OP = 'INSERT' THEN
            INSERT INTO record_text (newsroom_id, request_id, source, body)
            VALUES (NEW.newsroom_id, NEW.id, 'request', NEW.title || E'\\n' || NEW.text);
          ELSE
            UPDATE record_text SET body = NEW.title || E'\\n' || NEW.text
            WHERE request_id = NEW.id AND source = 'request';
          END IF;
          RETURN NULL;
        END""",
    "records_note_text": """
        BEGIN
          IF TG_OP = 'UPDATE' THEN
            DELETE FROM record_text WHERE event_id = NEW.id;
          END IF;
          IF NEW.note <> '' THEN
            INSERT INTO record_text (newsroom_id, request_id, source, event_id, body)
            SELECT r.newsroom_id, NEW.request_id, 'note', NEW.id, NEW.note
            FROM info_request r WHERE r.id = NEW.request_id;
          END IF;
          RETURN NULL;
        END""",
}
PG_FUNCTIONS["records_search_vector"] = """
        BEGIN
          NEW.search_vector := strip(to_tsvector('records_fr'::regconfig, NEW.body)
            || to_tsvector('records_en'::regconfig, NEW.body));
          RETURN NEW;
        END"""
PG_TRIGGERS = {
    "records_request_text": "AFTER INSERT OR UPDATE OF title, text ON info_request",
    "records_note_text": "AFTER INSERT OR UPDATE OF note ON timeline_event",
    "records_search_vector": "BEFORE INSERT OR UPDATE OF body ON record_text",
}


def create_postgresql(conn: sa.Connection) -> None:
    """The configurations, the copy functions and triggers, and the trigger that sets
    record_text.search_vector (the index is the model's)."""
    schema = unaccent_schema(conn)
    if schema is None:
        log.warning("unaccent is not available: the records search keeps accents")
    for name, base in (("records_fr", "french"), ("records_en", "english")):
        conn.execute(sa.text(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})"))
        if schema is not None:
            conn.execute(
                sa.text(
                    f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
                    f'hword, hword_part, word WITH "{schema}".unaccent, {base}_stem'
                )
            )
    for name, body in PG_FUNCTIONS.items():
        conn.execute(
            sa.text(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body${body}$body$"
            )
        )
        conn.execute(
            sa.text(
                f"CREATE TRIGGER {name} {PG_TRIGGERS[name]} FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        )


def drop_postgresql(conn: sa.Connection) -> None:
    """Remove what ``create_postgresql`` made (the tables may already be gone)."""
    for name in PG_FUNCTIONS:
        conn.execute(sa.text(f"DROP FUNCTION IF EXISTS {name}() CASCADE"))
    for name in ("records_fr", "records_en"):
        conn.execute(sa.text(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name} CASCADE"))


SQLITE_FTS_TRIGGERS = {
    "record_text_fts_insert": (
        "AFTER INSERT ON record_text BEGIN "
        "INSERT INTO record_text_fts (rowid, body) VALUES (new.id, new.body); END"
    ),
    "record_text_fts_delete": (
        "AFTER DELETE ON record_text BEGIN "
        "INSERT INTO record_text_fts (record_text_fts, rowid, body) VALUES ('delete', old.id, old.body);"
        " END"
    ),
    "record_text_fts_update": (
        "AFTER UPDATE OF body ON record_text BEGIN "
        "INSERT INTO record_text_fts (record_text_fts, rowid, body) VALUES ('delete', old.id, old.body);"
        " INSERT INTO record_text_fts (rowid, body) VALUES (new.id, new.body); END"
    ),
}
SQLITE_COPY_TRIGGERS = {
    "records_request_insert": (
        "AFTER INSERT ON info_request BEGIN "
        "INSERT INTO record_text (newsroom_id, request_id, source, body) "
        "VALUES (new.newsroom_id, new.id, 'request', new.title || char(10) || new.text); END"
    ),
    "records_request_update": (
        "AFTER UPDATE OF title, text ON info_request BEGIN "
        "UPDATE record_text SET body = new.title || char(10) || new.text "
        "WHERE request_id = new.id AND source = 'request'; END"
    ),
    "records_note_insert": (
        "AFTER INSERT ON timeline_event WHEN new.note <> '' BEGIN "
        "INSERT INTO record_text (newsroom_id, request_id, source, event_id, body) "
        "SELECT r.newsroom_id, new.request_id, 'note', new.id, new.note "
        "FROM info_request r WHERE r.id = new.request_id; END"
    ),
    "records_note_update": (
        "AFTER UPDATE OF note ON timeline_event BEGIN "
        "DELETE FROM record_text WHERE event_id = new.id; "
        "INSERT INTO record_text (newsroom_id, request_id, source, event_id, body) "
        "SELECT r.newsroom_id, new.request_id, 'note', new.id, new.note "
        "FROM info_request r WHERE r.id = new.request_id AND new.note <> ''; END"
    ),
}


def create_sqlite_copy_triggers(conn: sa.Connection) -> None:
    """The triggers copying requests and notes into record_text (SQLite)."""
    for name, body in SQLITE_COPY_TRIGGERS.items():
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
        conn.execute(sa.text(f"CREATE TRIGGER {name} {body}"))


def create_sqlite(conn: sa.Connection) -> None:
    """The FTS5 table, its triggers and the copy triggers."""
    conn.execute(
        sa.text(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(body, content='record_text', "
            f"content_rowid='id', tokenize='{SQLITE_TOKENIZER}')"
        )
    )
    for name, body in SQLITE_FTS_TRIGGERS.items():
        conn.execute(sa.text(f"CREATE TRIGGER {name} {body}"))
    create_sqlite_copy_triggers(conn)


def drop_sqlite(conn: sa.Connection) -> None:
    """Remove what ``create_sqlite`` made."""
    for name in (*SQLITE_FTS_TRIGGERS, *SQLITE_COPY_TRIGGERS):
        conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
    conn.execute(sa.text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))


def backfill(conn: sa.Connection) -> None:
    """Copy the existing requests and notes into record_text, queue every attached file."""
    conn.execute(
        sa.text(
            "INSERT INTO record_text (newsroom_id, request_id, source, body) "
            "SELECT newsroom_id, id, 'request', title || :nl || text FROM info_request"
        ),
        {"nl": "\n"},
    )
    conn.execute(
        sa.text(
            "INSERT INTO record_text (newsroom_id, request_id, source, event_id, body) "
            "SELECT r.newsroom_id, e.request_id, 'note', e.id, e.note FROM timeline_event e "
            "JOIN info_request r ON r.id = e.request_id WHERE e.note <> ''"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO record_file (attachment_id, request_id, status, pages_done, attempts, "
            "queued_at) SELECT a.id, e.request_id, 'queued', 0, 0, CURRENT_TIMESTAMP "
            "FROM attachment a JOIN timeline_event e ON e.id = a.event_id"
        )
    )
