"""A covering index for a scorecard brought up to date institution by institution

After a change to one request, the scorecard is brought up to date by reading again the
requests of the institutions the change touched (tracker/scorecards/incremental.py). The
scorecard's covering index of 0005/0011 leads with the received day, so those requests were
read through ix_info_request_newsroom_institution_due_id and each one's table row (which holds
the title and text): at 1,000,000 requests, about 1.2 s for one institution of 11,000 requests
on a loaded machine. This index holds every column the scorecard reads, the institution second,
so they are read from the index alone: about 0.2 s on the same machine, in the same run.

The whole scorecard uses it too: its statement groups by institution, and SQLite's planner
chose ix_info_request_newsroom_institution_due_id over the covering index of 0011 for that
order, reading every request's table row. On this index the same plan reads no table row:
service.compute of the largest newsroom at 1,000,000 on SQLite, alternating old and new
databases in one run at load 10-11, 28.1 s -> 10.9 s (medians of 3). On PostgreSQL (1,000,000,
after VACUUM ANALYZE) the planner still reads one institution's requests by a bitmap scan of
ix_info_request_newsroom_institution_due_id and their table rows (about 90 ms of the 0.2-0.3 s
a change costs there); the whole scorecard reads either covering index, index-only.

A plain CREATE INDEX (no batch_alter_table): on SQLite a batch copy of info_request would drop
the search index triggers of 0004.

Revision ID: 0026_scorecard_by_institution
Revises: 0025_email_later_reading
Create Date: 2026-12-07 18:50:00
"""

from alembic import op

revision = "0026_scorecard_by_institution"
down_revision = "0025_list_places"
branch_labels = None
depends_on = None

COLUMNS = [
    "newsroom_id",
    "institution_id",
    "law_code",
    "received_on",
    "due_on",
    "responded_on",
    "closed_on",
    "id",
]


def upgrade() -> None:
    op.create_index("ix_info_request_scorecard_institution", "info_request", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_info_request_scorecard_institution", table_name="info_request")
