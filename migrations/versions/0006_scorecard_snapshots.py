"""Scorecard snapshots and per-newsroom data revisions

The scorecard reads every request of a newsroom (1.6 s on PostgreSQL, 2.7 s on SQLite at
1,000,000 requests). ``scorecard_snapshot`` keeps computed scorecards, one per newsroom,
received range and day; ``data_revision`` is a counter per newsroom raised in the same
transaction as every write the scorecard reads (tracker/core/revisions.py). A snapshot is served only
while its revision is the newsroom's current one, for the same day and range.

Two new tables: nothing on info_request changes (a batch copy of it on SQLite would drop the
search index triggers of 0004). Both start empty: the first view computes live.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 16:00:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_revision",
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_data_revision_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("newsroom_id", name=op.f("pk_data_revision")),
    )
    op.create_table(
        "scorecard_snapshot",
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("received_from", sa.Date(), nullable=False),
        sa.Column("received_to", sa.Date(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("formula", sa.String(length=64), nullable=False),
        sa.Column("computed_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_scorecard_snapshot_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "newsroom_id", "received_from", "received_to", "day", name=op.f("pk_scorecard_snapshot")
        ),
    )


def downgrade() -> None:
    op.drop_table("scorecard_snapshot")
    op.drop_table("data_revision")
