"""Mail in: agency correspondence kept, matched and proposed as timeline entries

Issue 21. ``mail_message`` keeps each message brought in (upload, ``ingest-mail``, IMAP) with
the SHA-256 of its original (stored with the other files), what was read from it, how it was
matched or why not, and the entry proposed from its text; ``mail_attachment`` the files taken
out of it; ``request_mail_token`` each request's tag; ``mailbox_poll`` the IMAP mailbox's last
poll and error. ``newsroom.mail_auto_acknowledge`` lets a newsroom confirm acknowledgements
without a click.

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-07 12:40:00
"""

import sqlalchemy as sa
from alembic import op

import tracker.core.db

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "newsroom",
        sa.Column("mail_auto_acknowledge", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("message_id", sa.String(length=500), nullable=True),
        sa.Column("in_reply_to", sa.Text(), nullable=False),
        sa.Column("sender", sa.String(length=500), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sent_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("auth_results", sa.Text(), nullable=False),
        sa.Column("match_rule", sa.String(length=32), nullable=True),
        sa.Column("match_reason", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("received_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('attached', 'review', 'skipped')", name=op.f("ck_mail_message_status")
        ),
        sa.CheckConstraint(
            "source IN ('upload', 'cli', 'imap')", name=op.f("ck_mail_message_source")
        ),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_mail_message_sha256_length")),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_mail_message_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_mail_message_request_id_info_request"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["timeline_event.id"],
            name=op.f("fk_mail_message_event_id_timeline_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_message")),
        sa.UniqueConstraint(
            "newsroom_id", "sha256", name=op.f("uq_mail_message_newsroom_id_sha256")
        ),
    )
    op.create_index(
        op.f("ix_mail_message_request_id"), "mail_message", ["request_id"], unique=False
    )
    op.create_index(
        "ix_mail_message_newsroom_status_id", "mail_message", ["newsroom_id", "status", "id"]
    )
    op.create_index(
        "ix_mail_message_newsroom_message_id", "mail_message", ["newsroom_id", "message_id"]
    )
    op.create_table(
        "mail_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.CheckConstraint("size >= 0", name=op.f("ck_mail_attachment_size")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_mail_attachment_sha256_length")),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["mail_message.id"],
            name=op.f("fk_mail_attachment_message_id_mail_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_attachment")),
    )
    op.create_index(op.f("ix_mail_attachment_message_id"), "mail_attachment", ["message_id"])
    op.create_index(op.f("ix_mail_attachment_sha256"), "mail_attachment", ["sha256"])
    op.create_table(
        "request_mail_token",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("created_at", tracker.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["info_request.id"],
            name=op.f("fk_request_mail_token_request_id_info_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_request_mail_token")),
    )
    op.create_table(
        "mailbox_poll",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("newsroom_id", sa.Integer(), nullable=True),
        sa.Column("last_attempt_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_error_at", tracker.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("filed", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["newsroom_id"],
            ["newsroom.id"],
            name=op.f("fk_mailbox_poll_newsroom_id_newsroom"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_mailbox_poll")),
    )


def downgrade() -> None:
    op.drop_table("mailbox_poll")
    op.drop_table("request_mail_token")
    op.drop_index(op.f("ix_mail_attachment_sha256"), table_name="mail_attachment")
    op.drop_index(op.f("ix_mail_attachment_message_id"), table_name="mail_attachment")
    op.drop_table("mail_attachment")
    op.drop_index("ix_mail_message_newsroom_message_id", table_name="mail_message")
    op.drop_index("ix_mail_message_newsroom_status_id", table_name="mail_message")
    op.drop_index(op.f("ix_mail_message_request_id"), table_name="mail_message")
    op.drop_table("mail_message")
    op.drop_column("newsroom", "mail_auto_acknowledge")
