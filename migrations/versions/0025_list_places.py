"""The list's places and the dashboard kept by a token of what they show; one reporter's index

Issue 18, speed targets: a page number typed deep into the list, the last page and the
dashboard read every matching request when computed afresh. tracker.requests.places keeps what
they need (the number of matches, the sort key of every 2,500th row, the dashboard's figures)
in the process, under a token that changes with every write to what the list shows:
``data_revision.list_state``. It is changed in the same transaction as ``revision`` (every
write the scorecard reads), and also by the writes that leave the scorecard's figures as they
are but move requests in the list (the overdue sweep's change of status):
tracker.core.revisions.

A token, not a counter: a random number, so that a database restored from a backup (whose
counters go back) never meets a token kept for other data. Existing rows start at a random
token too.

The list filtered by one reporter (``owner``) was read through ``ix_info_request_owner_id`` and
sorted (21 ms at 1,000,000 requests, 4 at 100,000): (newsroom_id, owner_id, due_on, id) makes
its page an index range and its count an index-only scan.

Revision ID: 0025_list_places
Revises: 0025_email_later_reading
Create Date: 2026-12-07 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_list_places"
down_revision = "0025_email_later_reading"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "data_revision",
        sa.Column("list_state", sa.BigInteger(), nullable=False, server_default="0"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE data_revision SET list_state = floor(random() * 4503599627370496)")
    else:
        op.execute("UPDATE data_revision SET list_state = abs(random() % 4503599627370496)")
    op.create_index(
        "ix_info_request_newsroom_owner_due_id",
        "info_request",
        ["newsroom_id", "owner_id", "due_on", "id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE info_request")


def downgrade() -> None:
    op.drop_index("ix_info_request_newsroom_owner_due_id", table_name="info_request")
    # Plain ALTER TABLE (SQLite 3.35+): a batch copy is not needed for a column without index.
    op.drop_column("data_revision", "list_state")
