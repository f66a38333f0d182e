"""Server-side sessions

``user_session`` keeps each logged-in browser session (OWASP ASVS 3.3): the cookie carries a
secret whose SHA-256 is stored here, so logging out, changing a password or deactivating an
account ends sessions on the server, across gunicorn workers, and idle or old ones stop.
A new table: sessions made before it are not in it and end at the upgrade (people log in again).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_session_token_hash")),
    )
    op.create_index(op.f("ix_user_session_user_id"), "user_session", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_user_session_user_id"), table_name="user_session")
    op.drop_table("user_session")
