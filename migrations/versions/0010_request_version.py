"""info_request.version: raised by every edit of a request's facts, so that an edit made from
a form opened before another person's edit is refused instead of overwriting it

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: a batch copy of info_request on SQLite would drop
    # the search index's triggers (migration 0004) and the rows referring to it.
    op.add_column(
        "info_request",
        sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE info_request DROP COLUMN version")
