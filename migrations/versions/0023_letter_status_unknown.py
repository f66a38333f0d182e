"""Letters: the status ``unknown`` for a send that never finished

Issue 22: a letter left ``sending`` by a crash (the claim committed, the outcome never
written) is marked ``unknown`` by the scheduler after ``STUCK_MINUTES``: the reporter checks
their sent mail or asks the recipient and records it as sent; it is never sent again by itself.

Revision ID: 0023
Revises: 0017
Create Date: 2026-12-07 14:05:00
"""

from alembic import op

revision = "0023"
down_revision = "0019"
branch_labels = None
depends_on = None

OLD = "'draft', 'sending', 'sent'"
NEW = OLD + ", 'unknown'"


def _statuses(statuses: str) -> None:
    with op.batch_alter_table("letter") as batch:
        batch.drop_constraint(op.f("ck_letter_status"), type_="check")
        batch.create_check_constraint("status", f"status IN ({statuses})")


def upgrade() -> None:
    _statuses(NEW)


def downgrade() -> None:
    # A send whose outcome is unknown is, for the older schema, still being sent.
    op.execute("UPDATE letter SET status = 'sending' WHERE status = 'unknown'")
    _statuses(OLD)
