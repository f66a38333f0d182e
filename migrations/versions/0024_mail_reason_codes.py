"""Mail match reasons stored as codes with parameters, put into words when shown

Issue 21: ``mail_message.match_reason`` held English sentences, shown as they were to French
readers. ``match_why`` holds the same as a list of clauses ``{"code": ..., params}``
(tracker.mail_in.reasons), rendered in the reader's language on pages, in ``ingest-mail``
and in the API. Existing rows are read back from the sentences the earlier code wrote; a
sentence not recognised is kept whole as ``{"code": "text", "text": ...}``. The downgrade
writes the English sentences again.

Revision ID: 0024_mail_reason_codes
Revises: 0024_records_search
Create Date: 2026-12-07 15:40:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0024_mail_reason_codes"
down_revision = "0024_records_search"
branch_labels = None
depends_on = None

_MAIL = sa.table(
    "mail_message",
    sa.column("id", sa.Integer),
    sa.column("match_rule", sa.String),
    sa.column("match_reason", sa.Text),
    sa.column("match_why", sa.JSON),
)

# The sentences written before this revision (tracker/mail_in/matching.py and service.py).
_FOUND = (
    (re.compile(r"address tag (\S+)"), lambda m: {"code": "address_tag", "tag": m[1]}),
    (re.compile(r"subject tag (\S+)"), lambda m: {"code": "subject_tag", "tag": m[1]}),
    (
        re.compile(r"a reply to the letter (.+)"),
        lambda m: {"code": "reply_letter", "message_id": m[1]},
    ),
    (re.compile(r"a reply to (.+)"), lambda m: {"code": "reply", "message_id": m[1]}),
    (
        re.compile(r"file number (.+)"),
        lambda m: {"code": "file_number", "numbers": m[1].split(", ")},
    ),
    (
        re.compile(r"sender's domain (\S+): the institution's one open request"),
        lambda m: {"code": "domain", "domain": m[1]},
    ),
    (re.compile(r"dropped on the request's page"), lambda m: {"code": "page"}),
    (re.compile(r"attached by (.+)"), lambda m: {"code": "manual", "user": m[1]}),
)
_NOT_FOUND = (
    (re.compile(r"no request tag"), lambda m: {"code": "no_tag"}),
    (re.compile(r"not a reply to a message the tracker holds"), lambda m: {"code": "not_reply"}),
    (
        re.compile(r"no request's file number in the subject or text"),
        lambda m: {"code": "no_number"},
    ),
    (
        re.compile(r"it names the file numbers of (\d+) requests \((.*)\)"),
        lambda m: {"code": "several_numbers", "count": int(m[1]), "numbers": m[2].split(", ")},
    ),
    (re.compile(r"its sender has no address"), lambda m: {"code": "no_sender"}),
    (
        re.compile(r"no institution has the sender's domain (\S+)"),
        lambda m: {"code": "unknown_domain", "domain": m[1]},
    ),
    (
        re.compile(r"(\d+) institutions share the domain (\S+)"),
        lambda m: {"code": "shared_domain", "count": int(m[1]), "domain": m[2]},
    ),
    (
        re.compile(r"the institution of (\S+) has no open request"),
        lambda m: {"code": "no_open_request", "domain": m[1]},
    ),
    (
        re.compile(r"the institution of (\S+) has several open requests"),
        lambda m: {"code": "several_open_requests", "domain": m[1]},
    ),
)


def _clause(text: str, patterns) -> dict | None:  # type: ignore[no-untyped-def]
    for pattern, make in patterns:
        found = pattern.fullmatch(text)
        if found:
            return make(found)
    return None


def read_sentence(text: str, matched: bool) -> list[dict]:
    """The clauses an earlier sentence says; the sentence whole when it is not recognised."""
    if not text:
        return []
    if matched:
        one = _clause(text, _FOUND)
        return [one] if one else [{"code": "text", "text": text}]
    clauses = [_clause(part, _NOT_FOUND) for part in text.split("; ")]
    if all(clauses):
        return clauses  # type: ignore[return-value]
    return [{"code": "text", "text": text}]


def _sentence(clauses: list[dict]) -> str:
    words = {
        "address_tag": "address tag {tag}",
        "subject_tag": "subject tag {tag}",
        "reply": "a reply to {message_id}",
        "reply_letter": "a reply to the letter {message_id}",
        "file_number": "file number {numbers}",
        "domain": "sender's domain {domain}: the institution's one open request",
        "page": "dropped on the request's page",
        "manual": "attached by {user}",
        "no_tag": "no request tag",
        "not_reply": "not a reply to a message the tracker holds",
        "no_number": "no request's file number in the subject or text",
        "several_numbers": "it names the file numbers of {count} requests ({numbers})",
        "no_sender": "its sender has no address",
        "unknown_domain": "no institution has the sender's domain {domain}",
        "shared_domain": "{count} institutions share the domain {domain}",
        "no_open_request": "the institution of {domain} has no open request",
        "several_open_requests": "the institution of {domain} has several open requests",
        "text": "{text}",
    }
    out = []
    for item in clauses or []:
        params = {
            k: ", ".join(v) if isinstance(v, list) else v for k, v in item.items() if k != "code"
        }
        try:
            out.append(words.get(item.get("code"), "{text}").format(**params))
        except KeyError:
            out.append(str(item.get("code", "")))
    return "; ".join(out)


def upgrade() -> None:
    op.add_column(
        "mail_message",
        sa.Column("match_why", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_MAIL.c.id, _MAIL.c.match_rule, _MAIL.c.match_reason).where(
            _MAIL.c.match_reason != ""
        )
    ).all()
    for row in rows:
        why = read_sentence(row.match_reason, row.match_rule is not None)
        bind.execute(_MAIL.update().where(_MAIL.c.id == row.id).values(match_why=why))
    op.drop_column("mail_message", "match_reason")


def downgrade() -> None:
    op.add_column(
        "mail_message",
        sa.Column("match_reason", sa.Text(), nullable=False, server_default=sa.text("''")),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(_MAIL.c.id, _MAIL.c.match_why)).all()
    for row in rows:
        if row.match_why:
            bind.execute(
                _MAIL.update()
                .where(_MAIL.c.id == row.id)
                .values(match_reason=_sentence(row.match_why))
            )
    op.drop_column("mail_message", "match_why")
