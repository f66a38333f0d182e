"""The list's "days late" order: days late of stopped clocks, stored and indexed

Issue 17, part 1: the list sorted by days late orders every request by the days late its page
shows (``state.clock_end``). A request whose clock stopped (a final response, or closed without
one) no longer changes: its calendar days late are stored in ``days_late_stopped`` (0 when it
stopped by its due date; NULL while the clock counts, whose days late are today's distance
from ``due_on``). The index (newsroom_id, days_late_stopped DESC, due_on, id) serves both
halves of the order: the stopped requests most days late first, and the counting ones
(``IS NULL``) by due date.

Existing rows are filled from their stored dates, as ``state.stopped_days_late`` computes
them. Plain ALTER TABLE and CREATE INDEX (no batch_alter_table): on SQLite a batch copy of
info_request would drop the search index triggers of 0004.

Revision ID: 0022
Revises: 0023
Create Date: 2026-12-07 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0023"
branch_labels = None
depends_on = None


def _days(later: str, earlier: str) -> str:
    """SQL for the calendar days from ``earlier`` to ``later`` (two date columns)."""
    if op.get_bind().dialect.name == "postgresql":
        return f"({later} - {earlier})"
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


def upgrade() -> None:
    op.add_column("info_request", sa.Column("days_late_stopped", sa.Integer(), nullable=True))
    end = "COALESCE(responded_on, closed_on)"
    op.execute(
        "UPDATE info_request SET days_late_stopped = "
        f"CASE WHEN {end} > due_on THEN {_days(end, 'due_on')} ELSE 0 END "
        "WHERE responded_on IS NOT NULL OR closed_on IS NOT NULL"
    )
    op.create_index(
        "ix_info_request_newsroom_stopped_late_due_id",
        "info_request",
        ["newsroom_id", sa.text("days_late_stopped DESC"), "due_on", "id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE info_request")


def downgrade() -> None:
    op.drop_index("ix_info_request_newsroom_stopped_late_due_id", table_name="info_request")
    op.drop_column("info_request", "days_late_stopped")
