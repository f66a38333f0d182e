"""user_account.deactivated_at: when an account was deactivated (accounts are never deleted)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:00:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deactivated_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite >= 3.35 and PostgreSQL): a batch copy of user_account would
    # DROP the table, and with foreign keys on SQLite that deletes the rows referring to it.
    op.execute("ALTER TABLE user_account DROP COLUMN deactivated_at")
