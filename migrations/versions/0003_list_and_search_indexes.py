"""Indexes for the request list's orders and filters, and trigram search on PostgreSQL

The list orders a newsroom's requests by due date or by receipt: an index on each order makes
a page (keyset or near either end) an index range. On PostgreSQL, GIN trigram indexes
(pg_trgm) on lower(title), lower(text) and lower(file_number) serve the list's search
(LIKE '%term%'); where the extension cannot be installed they are left out and search scans.
SQLite has no such index; its search index is an FTS5 trigram table (0004).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 13:00:00
"""

import sqlalchemy as sa
from alembic import op

from tracker.core.db import trigram_schema

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TRIGRAM_COLUMNS = ("title", "text", "file_number")


def upgrade() -> None:
    with op.batch_alter_table("info_request", schema=None) as batch_op:
        batch_op.create_index(
            "ix_info_request_newsroom_due_id", ["newsroom_id", "due_on", "id"], unique=False
        )
        batch_op.create_index(
            "ix_info_request_newsroom_received_id",
            ["newsroom_id", "received_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_info_request_newsroom_law_due", ["newsroom_id", "law_code", "due_on"], unique=False
        )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = trigram_schema(bind)
    if schema is None:
        return
    for column in TRIGRAM_COLUMNS:
        op.execute(
            f"CREATE INDEX ix_info_request_{column}_trgm ON info_request "
            f'USING gin (lower({column}) "{schema}".gin_trgm_ops)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column in TRIGRAM_COLUMNS:
            op.execute(f"DROP INDEX IF EXISTS ix_info_request_{column}_trgm")
    with op.batch_alter_table("info_request", schema=None) as batch_op:
        batch_op.drop_index("ix_info_request_newsroom_law_due")
        batch_op.drop_index("ix_info_request_newsroom_received_id")
        batch_op.drop_index("ix_info_request_newsroom_due_id")
