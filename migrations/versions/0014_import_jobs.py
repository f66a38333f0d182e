"""Import jobs: large CSV imports run by the scheduler

Issue 17, part 6: an uploaded file's import is a row of ``import_job`` (one queued or running
per newsroom, through the unique ``active_key``), claimed and run by the scheduler, with its
phase, progress, a cancel flag and, once finished, its row-by-row report.

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-07 13:00:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0014"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("active_key", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("skip_invalid", sa.Boolean(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=False),
        sa.Column("requested_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=True),
        sa.Column("requests_done", sa.BigInteger(), nullable=False),
        sa.Column("requests_total", sa.BigInteger(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed', 'cancelled')",
            name=op.f("ck_import_job_status"),
        ),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_import_job_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_import_job_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_batch.id"],
            name=op.f("fk_import_job_import_id_import_batch"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
        sa.UniqueConstraint("active_key", name=op.f("uq_import_job_active_key")),
    )
    op.create_index(op.f("ix_import_job_newsroom_id"), "import_job", ["newsroom_id"])
    op.create_index("ix_import_job_status_id", "import_job", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_import_job_status_id", table_name="import_job")
    op.drop_index(op.f("ix_import_job_newsroom_id"), table_name="import_job")
    op.drop_table("import_job")
