"""Mail in: stored byte for byte with its files, matched in the issue's order with the reason,
never to another newsroom, never dropped; the ingest-mail command."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from tests import builders
from tests import mail_helpers as mh
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Letter, MailMessage, Newsroom, TimelineEvent
from tracker.files.storage import LocalStorage
from tracker.mail_in import service

TODAY = date(2024, 3, 10)


def _context(app: Flask, newsroom_id: int, max_mb: int = 50) -> service.Context:
    return service.Context(
        newsroom_id=newsroom_id,
        storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
        max_bytes=max_mb * 1024 * 1024,
        timezone="America/Toronto",
        today=TODAY,
        source="upload",
    )


def _setup(app: Flask) -> dict[str, int]:
    with builders.desk(app, today=TODAY) as desk:
        rcmp = desk.institution("RCMP", access_email="atip-aiprp@rcmp-grc.gc.ca")
        cbsa = desk.institution("CBSA", access_email="atip@cbsa-asfc.gc.ca")
        desk.institution("Health", access_email="atip@hc-sc.gc.ca")
        ids = {
            "clearview": desk.request(rcmp, "Clearview", file_number="A-2024-00123").id,
            "drones": desk.request(rcmp, "Drones", file_number="A-2024-00999").id,
            "cbsa": desk.request(cbsa, "Airport screening").id,
        }
        token = service.token_for(desk.session, desk.session.get(InfoRequest, ids["cbsa"]))
        ids["cbsa_key"] = token.key  # type: ignore[assignment]
        ids["newsroom"] = desk.user.newsroom_id
    with builders.desk(app, "other@star.test", newsroom="The Star", today=TODAY) as other:
        ids["star"] = other.request(
            other.institution("RCMP", access_email="atip-aiprp@rcmp-grc.gc.ca"),
            "Star's",
            file_number="A-2024-77777",
        ).id
        ids["star_newsroom"] = other.user.newsroom_id
    return ids


def _ingest(app: Flask, newsroom_id: int, name: str, data: bytes, **kw) -> list[service.Ingested]:
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        return service.ingest_file(session, _context(app, newsroom_id, **kw), name, data)


def test_original_and_attachments_are_stored_byte_for_byte_once(app: Flask) -> None:
    ids = _setup(app)
    pdf = mh.pdf_bytes(5000)
    data = mh.message(
        "Release A-2024-00123",
        "Please find enclosed the records, released in full.",
        attachments=(("release.pdf", "application/pdf", pdf), ("copy.pdf", "application/pdf", pdf)),
    )
    (result,) = _ingest(app, ids["newsroom"], "release.eml", data)
    assert result.request_id == ids["clearview"] and "file number A-2024-00123" in result.how
    again = _ingest(app, ids["newsroom"], "release.eml", data)
    assert again[0].duplicate and again[0].how == "already stored (same content)"
    storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
    with app.app_context():
        row = db.session().scalar(sa.select(MailMessage))
        assert row is not None
        assert storage.path_for(row.sha256).read_bytes() == data
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert [(a.filename, a.sha256) for a in row.attachments] == [
            ("release.pdf", hashlib.sha256(pdf).hexdigest()),
            ("copy.pdf", hashlib.sha256(pdf).hexdigest()),
        ]
        assert "dmarc=pass" in row.auth_results
        assert row.proposal["kind"] == "final_response"
        assert row.proposal["details"] == {"outcome": "full"}
        assert row.proposal["occurred_on"] == "2024-03-04"
    files = [p for p in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if p.is_file()]
    assert len(files) == 2  # the message and one PDF (stored once)


def test_matching_order_and_reasons(app: Flask) -> None:
    ids = _setup(app)
    nid = ids["newsroom"]
    tagged = mh.message(
        "Your request A-2024-00123",
        "Acknowledged.",
        to=f"newsroom+r{ids['cbsa']}-{ids['cbsa_key']}@example.org",
        message_id="<tagged@agency>",
    )
    (first,) = _ingest(app, nid, "a.eml", tagged)
    # The tag wins over the file number of another request.
    assert (first.request_id, first.how) == (
        ids["cbsa"],
        f"address tag +r{ids['cbsa']}-{ids['cbsa_key']}",
    )
    reply = mh.message("Re: more", "Further to our letter.", in_reply_to="<tagged@agency>")
    assert _ingest(app, nid, "b.eml", reply)[0].how == "a reply to <tagged@agency>"
    subject_tag = mh.message(f"[ATI-{ids['drones']}] Letter", "Hello.")
    assert _ingest(app, nid, "c.eml", subject_tag)[0].request_id == ids["drones"]
    domain = mh.message("Update", "Your file.", sender="atip@cbsa-asfc.gc.ca")
    (by_domain,) = _ingest(app, nid, "d.eml", domain)
    assert by_domain.request_id == ids["cbsa"] and by_domain.how.startswith("sender's domain")
    # The RCMP has two open requests: the domain alone does not say which.
    (review,) = _ingest(app, nid, "e.eml", mh.message("Update", "Your file is progressing."))
    assert review.request_id is None
    assert "several open requests" in review.how and review.how.startswith("review queue")
    two = mh.message("Files", "About A-2024-00123 and A-2024-00999.")
    assert "file numbers of 2 requests" in _ingest(app, nid, "f.eml", two)[0].how


def test_never_another_newsrooms_request(app: Flask) -> None:
    ids = _setup(app)
    foreign = mh.message(
        f"[ATI-{ids['star']}] A-2024-77777",
        "Released A-2024-77777.",
        to=f"newsroom+r{ids['star']}-abcd@example.org",
    )
    (result,) = _ingest(app, ids["newsroom"], "x.eml", foreign)
    assert result.request_id is None
    with app.app_context():
        row = db.session().get(MailMessage, result.mail_id)
        assert row is not None and row.status == "review" and row.newsroom_id == ids["newsroom"]


def test_oversize_and_empty_are_recorded_as_skipped(app: Flask) -> None:
    ids = _setup(app)
    big = mh.message(attachments=(("big.pdf", "application/pdf", mh.pdf_bytes(1_200_000)),))
    (result,) = _ingest(app, ids["newsroom"], "big.eml", big, max_mb=1)
    assert result.skipped and "larger than the 1 MB upload limit" in result.how
    with app.app_context():
        queue = service.review_queue(db.session(), ids["newsroom"])
        assert [(m.status, m.original_name) for m in queue] == [("skipped", "big.eml")]


def test_a_20_mb_pdf_release_is_kept(app: Flask) -> None:
    ids = _setup(app)
    pdf = mh.pdf_bytes(20 * 1024 * 1024)
    data = mh.message(
        "Final response A-2024-00999",
        "Please find attached the records. Certain information was severed under "
        "sections 16(2)(c) and 19(1) of the Act.",
        attachments=(("release.pdf", "application/pdf", pdf),),
    )
    (result,) = _ingest(app, ids["newsroom"], "r.eml", data)
    assert result.request_id == ids["drones"]
    with app.app_context():
        row = db.session().get(MailMessage, result.mail_id)
        assert row is not None and row.attachments[0].size == len(pdf)
        assert row.proposal["details"] == {"outcome": "partial", "exemptions": "16(2)(c), 19(1)"}


def test_ingest_mail_command_prints_one_line_per_message(app: Flask, tmp_path: Path) -> None:
    ids = _setup(app)
    mbox = tmp_path / "box.mbox"
    one = mh.message("A-2024-00123", "Acknowledged.", message_id="<one@agency>")
    two = mh.message("Hello", "Nothing to see.", message_id="<two@agency>", sender="x@unknown.test")
    mbox.write_bytes(b"From a Mon Mar 4 2024\n" + one + b"\nFrom b Mon Mar 4 2024\n" + two)
    msg = tmp_path / "ext.msg"
    msg.write_bytes(
        mh.outlook_msg(
            "Prorogation A-2024-00999",
            "Le délai est prorogé de 120 jours en vertu de l'alinéa 9(1)a).",
            "AIPRP",
            "atip-aiprp@rcmp-grc.gc.ca",
            "Message-ID: <three@agency>\r\n\r\n",
        )
    )
    result = app.test_cli_runner().invoke(
        args=["ingest-mail", str(mbox), str(msg), "--newsroom", "La Presse"]
    )
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.strip().splitlines()]
    assert lines[0] == ["<one@agency>", str(ids["clearview"]), "file number A-2024-00123"]
    assert lines[1][:2] == ["<two@agency>", "unmatched"]
    assert "no institution has the sender's domain unknown.test" in lines[1][2]
    assert lines[2][:2] == ["<three@agency>", str(ids["drones"])]
    bad = app.test_cli_runner().invoke(args=["ingest-mail", str(msg), "--newsroom", "Nope"])
    assert bad.exit_code != 0 and "No newsroom named 'Nope'" in bad.output
    with app.app_context():
        rows = db.session().scalars(sa.select(MailMessage).order_by(MailMessage.id)).all()
        assert rows[2].proposal["details"] == {"days": 120, "section": "9(1)a)"}
        assert db.session().scalar(sa.select(sa.func.count(Newsroom.id))) == 2


def test_newsroom_setting_confirms_acknowledgements_without_a_click(app: Flask) -> None:
    ids = _setup(app)
    with app.app_context(), db.transaction() as session:
        session.get(Newsroom, ids["newsroom"]).mail_auto_acknowledge = True
    ack = mh.message("A-2024-00123", "We acknowledge receipt of your request.")
    ext = mh.message("A-2024-00123", "We extend the time limit by 30 days under s.9(1)(a).")
    (first,) = _ingest(app, ids["newsroom"], "ack.eml", ack)
    (second,) = _ingest(app, ids["newsroom"], "ext.eml", ext)
    with app.app_context():
        session = db.session()
        acked = session.get(MailMessage, first.mail_id)
        assert acked is not None and acked.event_id is not None
        event = session.get(TimelineEvent, acked.event_id)
        assert event.kind == "acknowledgement" and event.request_id == ids["clearview"]
        assert event.occurred_on == date(2024, 3, 4)
        assert [a.original_name for a in event.attachments] == ["ack.eml"]
        # Only acknowledgements: the extension waits for the reporter.
        assert session.get(MailMessage, second.mail_id).event_id is None


def test_a_reply_to_a_letter_the_tracker_sent_reaches_its_request(app: Flask) -> None:
    ids = _setup(app)
    with app.app_context(), db.transaction() as session:
        session.add(
            Letter(
                newsroom_id=ids["newsroom"],
                request_id=ids["drones"],
                kind="follow_up",
                subject="Follow-up",
                body="Where is my answer?",
                status="sent",
                sent_on=date(2024, 3, 1),
                sent_via="smtp",
                message_id="<letter-7@tracker.test>",
            )
        )
    reply = mh.message(
        "RE: Follow-up", "We are working on it.", in_reply_to="<letter-7@tracker.test>"
    )
    (result,) = _ingest(app, ids["newsroom"], "r.eml", reply)
    assert result.request_id == ids["drones"]
    assert result.how == "a reply to the letter <letter-7@tracker.test>"


def test_any_of_a_requests_numbers_matches(app: Flask) -> None:
    """A request's previous number (tracker.requests.numbers) matches as its current one does."""
    from tracker.requests import numbers

    ids = _setup(app)
    with app.app_context(), db.transaction() as session:
        drones = session.get(InfoRequest, ids["drones"])
        assert drones is not None
        numbers.add_number(session, drones, "previous", "A-2023-04567")
    (result,) = _ingest(
        app, ids["newsroom"], "p.eml", mh.message("Your file A-2023-04567", "Acknowledged.")
    )
    assert result.request_id == ids["drones"] and "A-2023-04567" in result.how
