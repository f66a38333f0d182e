"""Export jobs, and scorecards brought up to date per institution

Issue 25: past ``TRACKER_EXPORT_BACKGROUND_REQUESTS`` requests the newsroom's ZIP is built by
the scheduler. ``export_job`` is the queue (one queued or running job per newsroom, through
the unique ``active_key``), ``export_waiter`` the users who asked (each mailed once), and the
outbox learns the kind ``export_ready``. ``scorecard_change`` records which institutions each
data revision touched and ``scorecard_snapshot.groups`` the figures per (institution, law),
so a stale scorecard is brought up to date by recomputing those institutions alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 11:00:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "'due_in_7', 'due_in_2', 'due_today', 'overdue', 'complaint_closes_in_14', "
    "'complaint_closes_in_3', 'weekly_digest', 'password_reset'"
)
NEW_KINDS = OLD_KINDS + ", 'export_ready'"


def _alert_kinds(kinds: str) -> None:
    with op.batch_alter_table("alert") as batch:
        batch.drop_constraint(op.f("ck_alert_kind"), type_="check")
        batch.create_check_constraint("kind", f"kind IN ({kinds})")


def upgrade() -> None:
    op.create_table(
        "export_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("active_key", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("requested_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("expires_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.BigInteger(), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'ready', 'failed', 'expired')",
            name=op.f("ck_export_job_status"),
        ),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_export_job_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_export_job_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_job")),
        sa.UniqueConstraint("active_key", name=op.f("uq_export_job_active_key")),
    )
    op.create_index(op.f("ix_export_job_newsroom_id"), "export_job", ["newsroom_id"])
    op.create_index("ix_export_job_status_id", "export_job", ["status", "id"])
    op.create_table(
        "export_waiter",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["export_job.id"],
            name=op.f("fk_export_waiter_job_id_export_job"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_export_waiter_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "user_id", name=op.f("pk_export_waiter")),
    )
    _alert_kinds(NEW_KINDS)
    op.add_column("scorecard_snapshot", sa.Column("groups", sa.Text(), nullable=True))
    op.create_table(
        "scorecard_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_scorecard_change_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_change")),
    )
    op.create_index(
        "ix_scorecard_change_newsroom_id_revision", "scorecard_change", ["newsroom_id", "revision"]
    )


def downgrade() -> None:
    op.drop_index("ix_scorecard_change_newsroom_id_revision", table_name="scorecard_change")
    op.drop_table("scorecard_change")
    with op.batch_alter_table("scorecard_snapshot") as batch:
        batch.drop_column("groups")
    op.execute("DELETE FROM alert WHERE kind = 'export_ready'")
    _alert_kinds(OLD_KINDS)
    op.drop_table("export_waiter")
    op.drop_index("ix_export_job_status_id", table_name="export_job")
    op.drop_index(op.f("ix_export_job_newsroom_id"), table_name="export_job")
    op.drop_table("export_job")
