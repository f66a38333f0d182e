"""The later reading of an e-mailed request's received date, which its due date counts from

Issue 22: where the law can be read two ways, the institution's deadline takes the later
reading and the reporter's windows the earlier one. A request the tracker e-mails on a day its
law does not count (a Saturday, a holiday) was stored as received the day the mail left (the
earlier reading), and its due date counted from that day too: it could be called overdue up to
two days early. ``info_request.received_later_on`` holds the later reading (the institution's
next working day, or the next one after office hours; ``email_receipt`` in
tracker/deadlines/letters.py); the due date and status count from it, the complaint window
from ``received_on``.

Existing rows: each request whose request letter the tracker sent by SMTP, still received on
the letter's day, under a law that leaves room (not UK FOIA s.10(6)(a), not New Brunswick's
Electronic Transactions Act s.17(2)(a)), on a day its law does not count, gets the next working
day; its rules fingerprint is cleared, so the recompute that ``db upgrade`` (and the
scheduler's start) runs stores its dates again. The time of sending is not read back (the
newsroom's zone at the time is not known here), so a mail sent after office hours on a working
day keeps one reading. Plain ALTER TABLE (no batch_alter_table): on SQLite a batch copy of
info_request would drop the search index triggers of 0004.

Revision ID: 0025_email_later_reading
Revises: 0024_mail_reason_codes
Create Date: 2026-12-07 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_email_later_reading"
down_revision = "0024_mail_reason_codes"
branch_labels = None
depends_on = None

_REQUEST = sa.table(
    "info_request",
    sa.column("id", sa.Integer),
    sa.column("law_code", sa.String),
    sa.column("institution_id", sa.Integer),
    sa.column("received_on", sa.Date),
    sa.column("received_later_on", sa.Date),
    sa.column("rules_fingerprint", sa.String),
)
_INSTITUTION = sa.table(
    "institution", sa.column("id", sa.Integer), sa.column("province", sa.String)
)
_LETTER = sa.table(
    "letter",
    sa.column("request_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("status", sa.String),
    sa.column("sent_via", sa.String),
    sa.column("sent_on", sa.Date),
)


def upgrade() -> None:
    op.add_column("info_request", sa.Column("received_later_on", sa.Date(), nullable=True))
    from tracker import deadlines
    from tracker.deadlines.letters import EMAIL_RULES, closed_reason, next_open_day

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _REQUEST.c.id, _REQUEST.c.law_code, _REQUEST.c.received_on, _INSTITUTION.c.province
        )
        .join(_INSTITUTION, _INSTITUTION.c.id == _REQUEST.c.institution_id)
        .join(_LETTER, _LETTER.c.request_id == _REQUEST.c.id)
        .where(
            _LETTER.c.kind == "request",
            _LETTER.c.status == "sent",
            _LETTER.c.sent_via == "smtp",
            _LETTER.c.sent_on == _REQUEST.c.received_on,
        )
        .distinct()
    ).all()
    for request_id, law_code, received_on, institution_province in rows:
        rule = EMAIL_RULES.get(law_code)
        if law_code not in deadlines.LAWS or (rule is not None and not rule.later_reading):
            continue
        law = deadlines.LAWS[law_code]
        province = institution_province if law.province_mode == "institution" else None
        try:
            if closed_reason(law_code, received_on, province) is None:
                continue
            later = next_open_day(law_code, received_on, province)
        except ValueError:
            continue  # a day the holiday data does not cover: one reading, as before
        bind.execute(
            sa.update(_REQUEST)
            .where(_REQUEST.c.id == request_id)
            .values(received_later_on=later, rules_fingerprint=None)
        )


def downgrade() -> None:
    # The due dates counted from the later reading stay until the next recompute.
    op.execute("UPDATE info_request SET rules_fingerprint = NULL WHERE received_later_on IS NOT NULL")
    op.drop_column("info_request", "received_later_on")
