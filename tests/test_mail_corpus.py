"""The labelled corpus (tests/mail_corpus.py, 320 messages in English and French): at least
95% reach the right request or the review queue as labelled, and none a wrong request."""

from __future__ import annotations

import random
from datetime import date

from flask import Flask

from tests import builders, mail_corpus
from tracker.core import clock, db
from tracker.core.models import MailMessage
from tracker.files.storage import LocalStorage
from tracker.mail_in import reasons, service

TODAY = date(2024, 3, 20)


def test_corpus_accuracy(app: Flask) -> None:
    with builders.desk(app, today=TODAY) as desk:
        plan = mail_corpus.build_newsroom(desk, random.Random(21))
    with builders.desk(app, "other@star.test", newsroom="The Star", today=TODAY) as other:
        for number in plan.foreign_numbers:
            other.request("RCMP", "Star's", file_number=number)
    corpus = mail_corpus.generate(plan, count=320)
    outcomes = []
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        context = service.Context(
            newsroom_id=1,
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=10 * 1024 * 1024,
            timezone="America/Toronto",
            today=TODAY,
        )
        for item in corpus:
            (result,) = service.ingest_file(session, context, item.name, item.data)
            row = session.get(MailMessage, result.mail_id)
            outcomes.append((result.request_id, row.proposal.get("kind", "")))
            if result.request_id is None:
                assert row.status == "review" and row.match_why
                assert all(c["code"] in reasons.NOT_FOUND for c in row.match_why)
    figures = mail_corpus.score(corpus, outcomes)
    print("\n".join(figures.lines()))
    assert {c.route.split(":")[0] for c in corpus} >= {
        "address tag",
        "subject tag",
        "reply",
        "file number",
        "domain",
        "review",
        "auto-reply",
    }
    assert figures.wrong == 0, figures.wrong_examples
    assert figures.right >= 0.95 * figures.total, figures.lines()
    assert figures.kinds_right >= 0.9 * figures.kinds_total, figures.lines()
