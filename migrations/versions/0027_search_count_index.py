"""SQLite: an index for the search's count, by request id with the list's filter columns

The list counts a search's matches up to COUNT_LIMIT + 1 with SQLite's FTS5 index as the outer
loop (tracker.requests.search): each match is checked for the newsroom and the list's filters
by its id. Read from the table, each is a wide row (title, text) on a page of its own: at
1,000,000 requests the count of a common word read 16,000 of them. This index holds the id
and every column the filters test, a few bytes a request. It is made on PostgreSQL too, so that
both schemas are the models' (PostgreSQL counts through its trigram indexes).

Revision ID: 0027_search_count_index
Revises: 0026_scorecard_by_institution
Create Date: 2026-12-07 18:40:00
"""

from alembic import op

revision = "0027_search_count_index"
down_revision = "0026_scorecard_by_institution"
branch_labels = None
depends_on = None

NAME = "ix_info_request_search_count"
COLUMNS = ["id", "newsroom_id", "status", "institution_id", "owner_id", "law_code"]


def upgrade() -> None:
    op.create_index(NAME, "info_request", COLUMNS)


def downgrade() -> None:
    op.drop_index(NAME, table_name="info_request")
