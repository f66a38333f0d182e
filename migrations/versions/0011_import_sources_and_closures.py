"""Import sources, and the scorecard's covering index with the closing day

Issue 17: a request closed without an answer stops its clock on the day it closed, so the
scorecard reads ``closed_on``, which joins the covering index of 0005 (the scorecard reads that
index alone). Scorecards can be restricted to one import: each import is a row of
``import_batch`` (file, "as of" day, who, when) and ``imported_request`` links it to the
requests it brought.

No column is added to info_request (on SQLite a batch copy of it would drop the search index
triggers of 0004, and older migrations' tests write through the models): the index is dropped
and created again with a plain CREATE INDEX.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_COLUMNS = [
    "newsroom_id",
    "received_on",
    "institution_id",
    "law_code",
    "due_on",
    "responded_on",
    "status",
    "id",
]
NEW_COLUMNS = [
    "newsroom_id",
    "received_on",
    "institution_id",
    "law_code",
    "due_on",
    "responded_on",
    "closed_on",
    "status",
    "id",
]


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["user_account.id"],
            name=op.f("fk_import_batch_imported_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["newsroom_id"], ["newsroom.id"], name=op.f("fk_import_batch_newsroom_id_newsroom")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_index(
        op.f("ix_import_batch_newsroom_id"), "import_batch", ["newsroom_id"], unique=False
    )
    op.create_table(
        "imported_request",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_batch.id"],
            name=op.f("fk_imported_request_import_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_imported_request_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "request_id", name=op.f("pk_imported_request")),
    )
    op.create_index(
        op.f("ix_imported_request_request_id"), "imported_request", ["request_id"], unique=False
    )
    op.drop_index("ix_info_request_scorecard", table_name="info_request")
    op.create_index("ix_info_request_scorecard", "info_request", NEW_COLUMNS, unique=False)
    # What the scorecard counts changed (closed requests): stored ones are not served again.
    op.execute("DELETE FROM scorecard_snapshot")


def downgrade() -> None:
    op.drop_index("ix_info_request_scorecard", table_name="info_request")
    op.create_index("ix_info_request_scorecard", "info_request", OLD_COLUMNS, unique=False)
    op.drop_index(op.f("ix_imported_request_request_id"), table_name="imported_request")
    op.drop_table("imported_request")
    op.drop_index(op.f("ix_import_batch_newsroom_id"), table_name="import_batch")
    op.drop_table("import_batch")
