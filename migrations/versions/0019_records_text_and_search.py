"""Released records: text per page, extraction jobs, search, exemptions cited

Issue 23. ``record_file`` is the queue of attached files to read (one row per attachment,
queued, reading, done or failed with the reason), worked by the scheduler
(tracker.records.jobs); ``record_text`` holds every searchable text of a newsroom: a page of a
file with the engine that read it, a request's title and text, a timeline note (the last two
copied by triggers); ``record_exemption`` the exemptions cited per page. Search: PostgreSQL
full-text (French and English configurations through unaccent) and SQLite FTS5
(tracker.records.ddl). Every file already attached is queued; every request and note indexed.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-07 13:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import tracker.core.db
from tracker.records import ddl

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("pages_done", sa.Integer(), nullable=False),
        sa.Column("pages_total", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'reading', 'done', 'failed')", name=op.f("ck_record_file_status")
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_record_file_attachment_id_attachment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_record_file_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_file")),
        sa.UniqueConstraint("attachment_id", name=op.f("uq_record_file_attachment_id")),
    )
    op.create_index(op.f("ix_record_file_request_id"), "record_file", ["request_id"])
    op.create_index("ix_record_file_status_id", "record_file", ["status", "id"])
    op.create_table(
        "record_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=True),
        sa.Column("engine_version", sa.String(length=120), nullable=True),
        sa.Column(
            "search_vector",
            sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"),
            nullable=True,
        ),
        sa.CheckConstraint(
            "source IN ('page', 'request', 'note')", name=op.f("ck_record_text_source")
        ),
        sa.CheckConstraint("page IS NULL OR page >= 1", name=op.f("ck_record_text_page")),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_record_text_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_record_text_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["timeline_event.id"],
            name=op.f("fk_record_text_event_id_timeline_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_record_text_attachment_id_attachment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_text")),
        sa.UniqueConstraint(
            "attachment_id", "page", name=op.f("uq_record_text_attachment_id_page")
        ),
        sa.UniqueConstraint("event_id", name=op.f("uq_record_text_event_id")),
    )
    op.create_index("ix_record_text_newsroom_id", "record_text", ["newsroom_id", "id"])
    op.create_index("ix_record_text_request_source", "record_text", ["request_id", "source"])
    op.create_table(
        "record_exemption",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("law_code", sa.String(length=32), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("withheld_in_full", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["text_id"],
            ["record_text.id"],
            name=op.f("fk_record_exemption_text_id_record_text"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_record_exemption_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
            name=op.f("fk_record_exemption_institution_id_institution"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_exemption")),
        sa.UniqueConstraint("text_id", "section", name=op.f("uq_record_exemption_text_id_section")),
    )
    op.create_index("ix_record_exemption_request_id", "record_exemption", ["request_id"])
    op.create_index(
        "ix_record_exemption_institution_law",
        "record_exemption",
        ["institution_id", "law_code", "section"],
    )
    op.create_index(
        "ix_record_text_search", "record_text", ["search_vector"], postgresql_using="gin"
    )
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        ddl.create_postgresql(conn)
    else:
        ddl.create_sqlite(conn)
    ddl.backfill(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_record_text_search")
        ddl.drop_postgresql(conn)
    else:
        ddl.drop_sqlite(conn)
    op.drop_table("record_exemption")
    op.drop_table("record_text")
    op.drop_index("ix_record_file_status_id", table_name="record_file")
    op.drop_index(op.f("ix_record_file_request_id"), table_name="record_file")
    op.drop_table("record_file")
