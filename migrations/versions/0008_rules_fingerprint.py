"""info_request.rules_fingerprint: the deadline rules that computed a request's stored dates

Existing requests get NULL, so `flask --app tracker db upgrade` (which runs
recompute-deadlines after migrating) recomputes each of them once under the current rules.

Plain ALTER TABLE (no batch_alter_table): on SQLite a batch copy of info_request would drop
the search index triggers of 0004.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("info_request", sa.Column("rules_fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite >= 3.35 and PostgreSQL), as in 0002.
    op.execute("ALTER TABLE info_request DROP COLUMN rules_fingerprint")
