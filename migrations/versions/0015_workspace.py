"""A reporter's workspace (issue 19): temporary passwords to change at first login; projects
and tags; a request's other file numbers and its links to other requests

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 13:00:00
"""

import sqlalchemy as sa
from alembic import op

from tracker.db import UTCDateTime

# As declared in tracker.models on the day of this migration.
NUMBER_KINDS = "'previous', 'appeal', 'complaint', 'other'"
LINK_KINDS = "'split', 'transferred', 'consolidated', 'refiled'"

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "user_account",
        sa.Column(
            "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
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
    op.create_index(
        "ix_request_number_lower_number", "request_number", [sa.text("lower(number)")]
    )
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
        sa.CheckConstraint("from_request_id <> to_request_id", name=op.f("ck_request_link_not_itself")),
        sa.UniqueConstraint("from_request_id", "to_request_id", "kind"),
    )
    op.create_index("ix_request_link_to_request_id", "request_link", ["to_request_id"])


def downgrade() -> None:
    op.drop_table("request_link")
    op.drop_table("request_number")
    op.drop_table("request_tag")
    op.drop_table("tag")
    op.drop_table("request_project")
    op.drop_table("project")
    # A plain DROP COLUMN on both databases: a batch copy of user_account on SQLite would
    # break the foreign keys pointing at it.
    op.execute("ALTER TABLE user_account DROP COLUMN must_change_password")
