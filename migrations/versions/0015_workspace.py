"""A reporter's workspace (issue 19): temporary passwords to change at first login; projects
and tags; a request's other file numbers and its links to other requests; watchers and
personal reminders; the "reassigned" timeline kind (the timeline_event.kind CHECK widened as
0013 widened law_code: rewritten in place on SQLite, dropped and made again on PostgreSQL)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

from tracker.core.db import UTCDateTime

OLD_KINDS = (
    "filed", "acknowledgement", "extension", "fee_notice", "fee_paid",
    "clarification_requested", "clarification_answered", "transfer", "partial_release",
    "final_response", "complaint_filed", "complaint_finding", "deemed_refusal", "withdrawn",
    "imported", "note",
)  # fmt: skip
NEW_KINDS = (*OLD_KINDS, "reassigned")


OLD_ALERT_KINDS = (
    "due_in_7", "due_in_2", "due_today", "overdue", "complaint_closes_in_14",
    "complaint_closes_in_3", "weekly_digest", "password_reset", "export_ready",
)  # fmt: skip
NEW_ALERT_KINDS = (*OLD_ALERT_KINDS, "reminder")


def _kinds(codes: tuple[str, ...]) -> str:
    return "kind IN ({})".format(", ".join(f"'{c}'" for c in codes))


def _swap_kinds(codes: tuple[str, ...], table: str = "timeline_event") -> None:
    """The ``table``.kind CHECK allows exactly ``codes`` (rows checked first)."""
    conn = op.get_bind()
    found = sorted(
        conn.scalars(sa.text(f"SELECT DISTINCT kind FROM {table} WHERE NOT ({_kinds(codes)})"))
    )
    if found:
        raise RuntimeError(
            f"timeline_event has entries of kind {', '.join(found)}: delete them first"
        )
    if conn.dialect.name != "sqlite":
        op.drop_constraint(op.f(f"ck_{table}_kind"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_kind"), table, _kinds(codes))
        return
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        sql = conn.scalar(
            sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"),
            {"n": table},
        )
        pattern = re.compile(rf"CONSTRAINT ck_{table}_kind CHECK \(kind IN \([^)]*\)\)")
        new_sql, count = pattern.subn(f"CONSTRAINT ck_{table}_kind CHECK ({_kinds(codes)})", sql)
        if count != 1:
            raise RuntimeError(f"{table}: the kind CHECK constraint was not found once")
        conn.execute(
            sa.text("UPDATE sqlite_master SET sql = :s WHERE type = 'table' AND name = :n"),
            {"s": new_sql, "n": table},
        )
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"SQLite integrity check after 0015: {problems[:5]}")


# As declared in tracker.core.models on the day of this migration.
NUMBER_KINDS = "'previous', 'appeal', 'complaint', 'other'"
LINK_KINDS = "'split', 'transferred', 'consolidated', 'refiled'"

revision = "0015"
down_revision = "0016a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _swap_kinds(NEW_KINDS)
    _swap_kinds(NEW_ALERT_KINDS, "alert")
    op.add_column(
        "user_account",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "newsroom_id",
            sa.Integer(),
            sa.ForeignKey("newsroom.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "uq_project_newsroom_lower_name",
        "project",
        ["newsroom_id", sa.text("lower(name)")],
        unique=True,
    )
    op.create_table(
        "request_project",
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("project.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_request_project_project_id", "request_project", ["project_id"])
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "newsroom_id",
            sa.Integer(),
            sa.ForeignKey("newsroom.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(50), nullable=False),
    )
    op.create_index(
        "uq_tag_newsroom_lower_name", "tag", ["newsroom_id", sa.text("lower(name)")], unique=True
    )
    op.create_table(
        "request_tag",
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "tag_id", sa.Integer(), sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True
        ),
    )
    op.create_index("ix_request_tag_tag_id", "request_tag", ["tag_id"])
    op.create_table(
        "request_number",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({NUMBER_KINDS})", name=op.f("ck_request_number_kind")),
        sa.UniqueConstraint("request_id", "kind", "number"),
    )
    op.create_index("ix_request_number_lower_number", "request_number", [sa.text("lower(number)")])
    op.create_table(
        "request_link",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "from_request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "to_request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column(
            "created_by_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({LINK_KINDS})", name=op.f("ck_request_link_kind")),
        sa.CheckConstraint(
            "from_request_id <> to_request_id", name=op.f("ck_request_link_not_itself")
        ),
        sa.UniqueConstraint("from_request_id", "to_request_id", "kind"),
    )
    op.create_index("ix_request_link_to_request_id", "request_link", ["to_request_id"])
    op.create_table(
        "request_watcher",
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("added_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_request_watcher_user_id", "request_watcher", ["user_id"])
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("user_account.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "request_id",
            sa.Integer(),
            sa.ForeignKey("info_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("queued_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_reminder_user_id", "reminder", ["user_id"])
    op.create_index("ix_reminder_request_id", "reminder", ["request_id"])
    op.create_index("ix_reminder_remind_on_queued", "reminder", ["remind_on", "queued_at"])


def downgrade() -> None:
    op.drop_table("reminder")
    op.drop_table("request_watcher")
    _swap_kinds(OLD_ALERT_KINDS, "alert")
    _swap_kinds(OLD_KINDS)
    op.drop_table("request_link")
    op.drop_table("request_number")
    op.drop_table("request_tag")
    op.drop_table("tag")
    op.drop_table("request_project")
    op.drop_table("project")
    # A plain DROP COLUMN on both databases: a batch copy of user_account on SQLite would
    # break the foreign keys pointing at it.
    op.execute("ALTER TABLE user_account DROP COLUMN must_change_password")
