"""Mail in, many messages at once (issue 21 part 6): a batch is stored in one transaction with
its files flushed to disk together, and keeps every promise of one message at a time: the same
content or Message-ID stored once (inside the batch too), a reply to a message of the same
batch matched to it, one bad message never keeping the others out, nothing dropped."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests import builders
from tests import mail_helpers as mh
from tests.test_mail_imap import _config, _rows
from tracker.core import clock, db
from tracker.core.models import MailMessage
from tracker.files import storage as storage_module
from tracker.files.storage import LocalStorage
from tracker.mail_in import imap, reading, service

TODAY = date(2024, 3, 10)


def _setup(app: Flask) -> tuple[int, int]:
    with builders.desk(app, today=TODAY) as desk:
        rcmp = desk.institution("RCMP", access_email="atip-aiprp@rcmp-grc.gc.ca")
        request_id = desk.request(rcmp, "Clearview", file_number="A-2024-00123").id
        desk.request(rcmp, "Drones", file_number="A-2024-00999")
        return desk.user.newsroom_id, request_id


def _context(app: Flask, newsroom_id: int) -> service.Context:
    return service.Context(
        newsroom_id=newsroom_id,
        storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
        max_bytes=1024 * 1024,
        timezone="America/Toronto",
        today=TODAY,
        source="imap",
    )


def test_a_batch_stores_once_and_follows_replies_inside_it(app: Flask) -> None:
    newsroom_id, request_id = _setup(app)
    first = mh.message("Response A-2024-00123", "Acknowledged.", message_id="<first@gc>")
    same_id = mh.message("Response (copy)", "Acknowledged!", message_id="<first@gc>")
    reply = mh.message("Re: more", "Further to our e-mail.", in_reply_to="<first@gc>")
    review = mh.message("Hello", "Nothing to go on.", sender="someone@elsewhere.test")
    too_big = mh.message("Big", "x" * (1024 * 1024 + 10))
    batch = [
        ("1.eml", first),
        ("2.eml", first),
        ("3.eml", same_id),
        ("4.eml", reply),
        ("5.eml", review),
        ("6.eml", too_big),
        ("7.eml", b"  \n"),
    ]
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        outcomes = service.ingest_batch(session, _context(app, newsroom_id), batch)
    done = [o for o in outcomes if isinstance(o, service.Ingested)]
    assert len(done) == len(outcomes)
    got = [(o.request_id, o.duplicate, o.skipped, o.how) for o in done]
    assert got == [
        (request_id, False, False, "file number A-2024-00123"),
        (request_id, True, False, "already stored (same content)"),
        (request_id, True, False, "already stored (same Message-ID)"),
        (request_id, False, False, "a reply to <first@gc>"),
        (None, False, False, got[4][3]),
        (None, False, True, "skipped: larger than the 1 MB upload limit; not stored"),
        (None, False, True, "skipped: empty file; not stored"),
    ]
    assert got[4][3].startswith("review queue: no request tag")
    assert done[1].mail_id == done[2].mail_id == done[0].mail_id
    rows = _rows(app)
    assert [(r.status, r.match_rule) for r in rows] == [
        ("attached", "file_number"),
        ("attached", "reply"),
        ("review", None),
        ("skipped", None),
        ("skipped", None),
    ]
    assert rows[1].match_why == [{"code": "reply", "message_id": "<first@gc>"}]
    # The same batch again: every message already there, nothing added.
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        again = service.ingest_batch(session, _context(app, newsroom_id), batch)
    assert all(o.duplicate for o in again)  # type: ignore[union-attr]
    assert len(_rows(app)) == 5


def test_a_bad_message_keeps_no_other_out(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    newsroom_id, request_id = _setup(app)
    real = service.parsing.parse

    def parse(name: str, data: bytes) -> Any:
        if b"poison" in data:
            raise RuntimeError("cannot read this one")
        return real(name, data)

    monkeypatch.setattr(service.parsing, "parse", parse)
    batch = [
        ("a.eml", mh.message("A-2024-00123", "First.")),
        ("b.eml", mh.message("A-2024-00123", "poison")),
        ("c.eml", mh.message("A-2024-00999", "Third.")),
    ]
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        outcomes = service.ingest_batch(session, _context(app, newsroom_id), batch)
    assert isinstance(outcomes[1], RuntimeError)
    assert outcomes[0].request_id == request_id  # type: ignore[union-attr]
    assert outcomes[2].request_id not in (None, request_id)  # type: ignore[union-attr]
    assert len(_rows(app)) == 2


def test_every_file_is_on_disk_for_good_before_the_rows_are_committed(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    newsroom_id, _ = _setup(app)
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(storage_module.os, "fsync", fsync)
    pdf = mh.pdf_bytes(3000)
    batch = [
        (f"{n}.eml", mh.message(f"A-2024-00123 #{n}", "Records.", attachments=_pdf(pdf, n)))
        for n in range(6)
    ]
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        service.ingest_batch(session, _context(app, newsroom_id), batch)
        # Not committed yet, and every file the rows name is already flushed.
        rows = list(session.scalars(sa.select(MailMessage)))
        named = {r.sha256 for r in rows} | {a.sha256 for r in rows for a in r.attachments}
        assert len(named) == 12
        storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
        paths = {str(storage.path_for(sha).resolve()) for sha in named}
        assert paths <= set(synced)
        # Their folders too (the renames that put them there).
        assert {str(Path(p).parent) for p in paths} <= set(synced)


def _pdf(pdf: bytes, n: int) -> tuple[tuple[str, str, bytes], ...]:
    return ((f"r{n}.pdf", "application/pdf", pdf + str(n).encode()),)


def test_a_poll_whose_batch_fails_stores_the_others_one_by_one(
    app: Flask, dovecot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    dovecot.empty()
    _, request_id = _setup(app)
    real = reading.read

    def read(subject: str, body: str, automatic: Any) -> Any:
        found = real(subject, body, automatic)
        if "poison" in body:
            # A value the database cannot take: the batch's one insert fails as a whole.
            found.details = {"bad": object()}
        return found

    monkeypatch.setattr(reading, "read", read)
    dovecot.append(
        mh.message("A-2024-00123", "First.", message_id="<p1@gc>"),
        mh.message("A-2024-00123", "poison", message_id="<p2@gc>"),
        mh.message("A-2024-00123", "Third.", message_id="<p3@gc>"),
    )
    config = _config(app, dovecot)
    with app.app_context():
        result = imap.poll(db.session(), config)
    assert result is not None
    assert (result.filed, result.attached, result.failed) == (2, 2, 1)
    assert "message UID" in result.error
    rows = _rows(app)
    assert [(r.message_id, r.request_id) for r in rows] == [
        ("<p1@gc>", request_id),
        ("<p3@gc>", request_id),
    ]
    # The bad one is left in the mailbox, the others filed.
    assert dovecot.count("INBOX") == 1 and dovecot.count("filed") == 2


def test_a_large_message_is_stored_alone_in_the_mailboxs_order(app: Flask, dovecot: Any) -> None:
    dovecot.empty()
    _setup(app)
    pdf = mh.pdf_bytes(imap.BULK_BYTES + 10_000)
    dovecot.append(
        mh.message("A-2024-00123", "First.", message_id="<s1@gc>"),
        mh.message(
            "A-2024-00123",
            "Release.",
            message_id="<big@gc>",
            attachments=(("r.pdf", "application/pdf", pdf),),
        ),
        mh.message("A-2024-00999", "Third.", message_id="<s3@gc>"),
    )
    with app.app_context():
        result = imap.poll(db.session(), _config(app, dovecot))
    assert result is not None and result.error == ""
    assert (result.filed, result.attached) == (3, 3)
    with app.app_context():
        rows = db.session().scalars(sa.select(MailMessage).order_by(MailMessage.id)).all()
        assert [r.message_id for r in rows] == ["<s1@gc>", "<big@gc>", "<s3@gc>"]
        assert [a.size for a in rows[1].attachments] == [len(pdf)]
    assert dovecot.count("INBOX") == 0 and dovecot.count("filed") == 3
