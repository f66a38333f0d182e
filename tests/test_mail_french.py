"""Mail read in, in French (issue 20): a message's problem note, its proposed entry's "why" and
the note of an entry confirmed without a click are written in the language of whoever reads
the mail in (the newsroom's TRACKER_DEFAULT_LOCALE for the command and the scheduler), or of
the request's owner for the entry added in their name."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from tests import mail_helpers as mh
from tests.test_mail_in import _ingest, _setup
from tracker.core import db
from tracker.core.models import MailMessage, Newsroom, TimelineEvent, User

NBSP = "\u00a0"


def _row(app: Flask, mail_id: int) -> MailMessage:
    with app.app_context():
        session = db.session()
        row = session.get(MailMessage, mail_id)
        session.expunge(row)
        return row


EXTENSION = mh.message(
    "A-2024-00123",
    "We extend the time limit by 30 days under s.9(1)(a).",
    attachments=(("../secret/notes.pdf", "application/pdf", mh.pdf_bytes(3000)),),
)


@pytest.mark.parametrize(
    ("language", "why", "renamed", "empty"),
    [
        (
            "en",
            "an extension of 30 days, citing 9(1)(a)",
            "Its name '../secret/notes.pdf' was not a plain file name; kept as",
            "empty file; not stored",
        ),
        (
            "fr",
            "une prorogation de 30 jours, invoquant 9(1)(a)",
            "Son nom '../secret/notes.pdf' n’était pas un simple nom de fichier; conservé sous "
            "le nom",
            "fichier vide, non enregistré",
        ),
    ],
)
def test_problems_and_why_in_the_language_of_who_reads_the_mail_in(
    app: Flask, language: str, why: str, renamed: str, empty: str
) -> None:
    app.config["DEFAULT_LOCALE"] = language
    ids = _setup(app)
    (read,) = _ingest(app, ids["newsroom"], "ext.eml", EXTENSION)
    row = _row(app, read.mail_id)
    assert row.proposal["why"] == why
    assert renamed in row.problem
    (skipped,) = _ingest(app, ids["newsroom"], "blank.eml", b"  \n")
    assert _row(app, skipped.mail_id).problem == empty


def test_an_entry_confirmed_without_a_click_is_in_its_owners_language(app: Flask) -> None:
    ids = _setup(app)
    with app.app_context(), db.transaction() as session:
        session.get(Newsroom, ids["newsroom"]).mail_auto_acknowledge = True
        session.execute(
            sa.update(User).where(User.email == "reporter@example.org").values(locale="fr")
        )
    ack = mh.message("A-2024-00123", "We acknowledge receipt of your request.")
    (first,) = _ingest(app, ids["newsroom"], "ack.eml", ack)
    with app.app_context():
        session = db.session()
        event = session.get(TimelineEvent, session.get(MailMessage, first.mail_id).event_id)
        assert event.note == (
            f"Courriel de ATIP Office <atip-aiprp@rcmp-grc.gc.ca>{NBSP}: A-2024-00123"
        )
