"""user_account.locale: the language a person chose for the interface (issue 20)

NULL (every existing account) means no choice: the browser's Accept-Language, else the
newsroom's TRACKER_DEFAULT_LOCALE. A value the tracker does not speak is ignored when read, so
there is no CHECK: adding a language needs no migration.

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-07 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both databases: a batch copy of user_account on SQLite would DROP
    # the table, and with foreign keys on that deletes the rows referring to it.
    op.add_column("user_account", sa.Column("locale", sa.String(16), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE user_account DROP COLUMN locale")
