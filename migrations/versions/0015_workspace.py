"""A reporter's workspace (issue 19): temporary passwords to change at first login

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "user_account",
        sa.Column(
            "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )


def downgrade() -> None:
    # A plain DROP COLUMN on both databases: a batch copy of user_account on SQLite would
    # break the foreign keys pointing at it.
    op.execute("ALTER TABLE user_account DROP COLUMN must_change_password")
