"""Letters out: drafts and sent letters, and the reporter's address and telephone

Issue 22: ``letter`` holds each letter drafted for a request (a draft, then sent over SMTP
with its Message-ID kept, or recorded as sent another way on a given date); the status
``sending`` is the claim that keeps a double click or a retry from sending it twice.
``user_account`` gains ``mailing_address`` and ``telephone`` for the letters' signature and
the commissioners' complaint forms.

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-07 12:40:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("mailing_address", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("telephone", sa.String(length=40), nullable=True))
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ground", sa.String(length=32), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("recipient_name", sa.String(length=300), nullable=False),
        sa.Column("recipient_email", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_via", sa.String(length=16), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('request', 'follow_up', 'follow_up_overdue', 'review', 'complaint', "
            "'complaint_follow_up')",
            name=op.f("ck_letter_kind"),
        ),
        sa.CheckConstraint("status IN ('draft', 'sending', 'sent')", name=op.f("ck_letter_status")),
        sa.CheckConstraint("language IN ('en', 'fr')", name=op.f("ck_letter_language")),
        sa.CheckConstraint(
            "sent_via IS NULL OR sent_via IN ('smtp', 'manual')", name=op.f("ck_letter_sent_via")
        ),
        sa.CheckConstraint(
            "status <> 'sent' OR sent_on IS NOT NULL", name=op.f("ck_letter_sent_has_date")
        ),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_letter_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_letter_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_letter_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["timeline_event.id"],
            name=op.f("fk_letter_event_id_timeline_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter")),
        sa.UniqueConstraint("message_id", name=op.f("uq_letter_message_id")),
    )
    op.create_index(op.f("ix_letter_newsroom_id"), "letter", ["newsroom_id"])
    op.create_index("ix_letter_request_id_status", "letter", ["request_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_letter_request_id_status", table_name="letter")
    op.drop_index(op.f("ix_letter_newsroom_id"), table_name="letter")
    op.drop_table("letter")
    # A plain DROP COLUMN (SQLite >= 3.35 and PostgreSQL): a batch copy of user_account would
    # DROP the table, and with foreign keys on SQLite that deletes the rows referring to it.
    op.execute("ALTER TABLE user_account DROP COLUMN telephone")
    op.execute("ALTER TABLE user_account DROP COLUMN mailing_address")
