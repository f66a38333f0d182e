"""Records search on PostgreSQL: a narrow heap and stripped search vectors

Issue 23, part 5 (search p95 at most 50 ms at 100,000 pages). EXPLAIN ANALYZE showed the
time of a word on a few percent of pages going to the bitmap heap scan: 7,048 matching rows
on 6,339 heap blocks (each row holds its page's text inline, about 1.8 KB), 150-310 ms under
load. Two changes, PostgreSQL only:

- ``toast_tuple_target = 128`` on ``record_text``: a page's text and its search vector are
  stored out of line (TOAST), so the table itself holds only small rows (193 MB -> 11 MB at
  100,000 pages); the same scan then reads 1,423 blocks, already cached, in about 15 ms. Only
  the 20 texts a page of results shows are read from TOAST, for their snippets.
- ``strip()`` of the search vector: positions and weights, which nothing reads (no phrase
  search, no ranking: hits come newest first), are dropped (3.4 KB -> 2.0 KB a page); the
  newest-pages walk of the search reads them whole.

The table is written afresh once (ALTER COLUMN ... TYPE ... USING strip(), which keeps only
the live rows and builds the indexes again: about 70 s at 100,000 pages under load; the
table is locked meanwhile). And ``records_search_ids()``, the search's index path with bitmap scans
only (see SEARCH_IDS).

Revision ID: 0024_records_search
Revises: 0022
Create Date: 2026-12-07 15:45:00
"""

from alembic import op

revision = "0024_records_search"
down_revision = "0022"
branch_labels = None
depends_on = None

VECTOR = """
        BEGIN
          NEW.search_vector := {wrap}(to_tsvector('records_fr'::regconfig, NEW.body)
            || to_tsvector('records_en'::regconfig, NEW.body));
          RETURN NEW;
        END"""


def _vector_function(wrap: str) -> None:
    body = VECTOR.format(wrap=wrap)
    op.execute(
        "CREATE OR REPLACE FUNCTION records_search_vector() RETURNS trigger LANGUAGE plpgsql "
        f"AS $body${body}$body$"
    )


# The search's index path (tracker.records.search): the newest ``$4`` ids of a newsroom's
# texts matching ``$2`` (before id ``$3`` when given). Its SET clauses leave the planner
# bitmap scans only, for this statement alone: it does not count the cost of reading each
# row's vector out of line, and for a word it expects on many pages it walked the table
# reading every vector (1.6-2 s at 100,000 pages, against about 30 ms through the index).
SEARCH_IDS = """
CREATE OR REPLACE FUNCTION records_search_ids(integer, tsquery, integer, integer)
RETURNS SETOF integer LANGUAGE sql STABLE
SET enable_seqscan = off SET enable_indexscan = off
AS $body$
  SELECT id FROM record_text
  WHERE numnode($2) > 0 AND search_vector @@ $2 AND newsroom_id = $1
    AND ($3 IS NULL OR id < $3)
  ORDER BY id DESC LIMIT $4
$body$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SEARCH_IDS)
    op.execute("ALTER TABLE record_text SET (toast_tuple_target = 128)")
    _vector_function("strip")
    # A rewrite of the table (not an UPDATE, which would leave each row's new version on
    # its old page beside the dead one): only live rows, their texts moved out of line, the
    # indexes built again.
    op.execute(
        "ALTER TABLE record_text ALTER COLUMN search_vector TYPE tsvector"
        " USING strip(search_vector)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP FUNCTION IF EXISTS records_search_ids(integer, tsquery, integer, integer)")
    op.execute("ALTER TABLE record_text RESET (toast_tuple_target)")
    _vector_function("")
    op.execute(
        "ALTER TABLE record_text ALTER COLUMN search_vector TYPE tsvector"
        " USING to_tsvector('records_fr'::regconfig, body)"
        " || to_tsvector('records_en'::regconfig, body)"
    )
