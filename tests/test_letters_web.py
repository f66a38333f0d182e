"""Letters on the web: drafted from the offers, edited, sent once through a real SMTP server
(aiosmtpd), recorded as sent, downloaded; refused with a message when they cannot go."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from datetime import date
from email import policy
from typing import Any

import pytest
import sqlalchemy as sa
from alerts_helpers import SmtpServer

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import Attachment, Letter, TimelineEvent, User

REPORTER = "marie@lapresse.ca"
TODAY = date(2020, 3, 20)  # the seed case, nine days after its due date of 2020-03-11


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server collecting messages."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    """The test app sends mail through the test server."""
    return {**app_config, **smtp.config()}


def seed(app) -> int:
    """The La Presse / RCMP request as it stood on 2020-03-20: acknowledged, no response."""
    with builders.desk(app, REPORTER, today=TODAY, name="Marie Côté") as desk:
        rcmp = desk.institution(
            "Royal Canadian Mounted Police", "ca-atia", access_email="atip-aiprp@rcmp-grc.gc.ca"
        )
        request = desk.request(
            rcmp,
            "Clearview AI",
            received=date(2020, 2, 10),
            sent_on=date(2020, 2, 10),
            file_number="A-2019-12345",
        )
        request.acknowledgement(date(2020, 2, 14))
        return request.id


def offers_on(client, request_id: int) -> list[str]:
    return [
        li["data-key"]
        for li in page(client.get(f"/requests/{request_id}/letters")).select("li.offer")
    ]


def draft(auth, request_id: int, key: str, language: str = "en") -> int:
    response = auth.post(f"/requests/{request_id}/letters", {"key": key, "language": language})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/letters/(\d+)$", response.headers["Location"]).group(1))


def letter(app, letter_id: int) -> Letter:
    with app.app_context():
        found = db.session().get(Letter, letter_id)
        db.session().expunge(found)
        return found


def test_a_follow_up_is_sent_once_through_smtp_with_its_copy_on_the_timeline(
    app, client, auth, smtp
):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        assert offers_on(client, request_id) == ["complaint:delay", "follow_up_overdue"]
        letter_id = draft(auth, request_id, "follow_up_overdue", "fr")
        editor = page(client.get(f"/letters/{letter_id}"))
        body = editor.select_one("textarea[name=body]").get_text().lstrip("\r\n")
        assert "La réponse était attendue le 2020-03-11" in body
        assert (
            editor.select_one("input[name=recipient_email]")["value"] == "atip-aiprp@rcmp-grc.gc.ca"
        )
        assert editor.select_one("#preview-body").get_text() == body
        form = {
            "recipient_name": "GRC, Bureau de l'AIPRP",
            "recipient_email": "atip-aiprp@rcmp-grc.gc.ca",
            "subject": "Votre dossier A-2019-12345 : réponse en retard",
            "body": body + "\nMerci.\n",
        }
        assert auth.post(f"/letters/{letter_id}", form).status_code == 302
        # Not without the confirmation.
        refused = auth.post(f"/letters/{letter_id}/send", {})
        assert refused.status_code == 422
        assert page(refused).select_one("#confirm-error") is not None
        assert smtp.handler.messages == []
        sent = auth.post(f"/letters/{letter_id}/send", {"confirm": "y"})
        assert sent.status_code == 302
        # A double click or a retry: refused, nothing more leaves.
        again = auth.post(f"/letters/{letter_id}/send", {"confirm": "y"})
        assert again.status_code == 409
        assert "already sent" in page(again).get_text()
    assert len(smtp.handler.messages) == 1
    rcpts, message = smtp.handler.messages[0]
    assert rcpts == ["atip-aiprp@rcmp-grc.gc.ca"]
    assert message["Subject"] == "Votre dossier A-2019-12345 : réponse en retard"
    assert message["Reply-To"].addresses[0].addr_spec == REPORTER
    assert message["From"].addresses[0].addr_spec == "alerts@tracker.test"
    assert message["From"].addresses[0].display_name == "Marie Côté"
    assert "Merci." in message.get_body(("plain",)).get_content()
    stored = letter(app, letter_id)
    assert stored.status == "sent" and stored.sent_on == TODAY and stored.sent_via == "smtp"
    assert message["Message-ID"] == stored.message_id
    with app.app_context():
        s = db.session()
        event = s.get(TimelineEvent, stored.event_id)
        assert event.kind == "note" and event.occurred_on == TODAY
        assert stored.message_id in event.note
        (attachment,) = s.scalars(sa.select(Attachment).where(Attachment.event_id == event.id))
        assert attachment.original_name.endswith(".eml")
        assert attachment.content_type == "message/rfc822"


def test_a_sent_complaint_is_on_the_timeline_and_not_offered_again(app, client, auth, smtp):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "complaint:delay")
        text = (
            page(client.get(f"/letters/{letter_id}")).select_one("textarea[name=body]").get_text()
        )
        assert "I make this complaint under ATIA s.30(1)(a)" in text
        assert "by 2020-05-11 (ATIA s.31)" in text
        assert "Complaint type: Delay or deemed refusal" in text
        # The Commissioner's address is the reporter's to give: sending without it is refused.
        refused = auth.post(f"/letters/{letter_id}/send", {"confirm": "y"})
        assert refused.status_code == 422
        assert "e-mail address" in page(refused).select_one("#recipient_email-error").get_text()
        form = {
            "recipient_name": "Information Commissioner of Canada",
            "recipient_email": "plaintes@oic-ci.gc.ca",
            "subject": "Complaint: RCMP A-2019-12345",
            "body": text,
        }
        auth.post(f"/letters/{letter_id}", form)
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
        shown = page(client.get(f"/requests/{request_id}"))
        assert "Complaint or appeal filed" in shown.get_text()
        assert offers_on(client, request_id) == [
            "follow_up_overdue",
            "complaint_follow_up:delay",
        ]
    assert [r for r, _ in smtp.handler.received()] == ["plaintes@oic-ci.gc.ca"]


def test_bad_input_is_refused_beside_the_field(app, client, auth, smtp):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "follow_up_overdue")
        bad = auth.post(
            f"/letters/{letter_id}",
            {"recipient_email": "not an address", "subject": "S", "body": "Text"},
        )
        assert bad.status_code == 422
        assert "not an e-mail address" in page(bad).select_one("#recipient_email-error").get_text()
        assert page(bad).select_one("input[name=recipient_email]")["value"] == "not an address"
        empty = auth.post(
            f"/letters/{letter_id}",
            {"recipient_email": "a@example.org", "subject": "S", "body": "   "},
        )
        assert empty.status_code == 422
        assert "empty" in page(empty).select_one("#body-error").get_text()
        # Not offered: refused with a message.
        other = auth.post(f"/requests/{request_id}/letters", {"key": "request", "language": "en"})
        assert other.status_code == 422
        assert "not offered" in page(other).select_one("#letter-error").get_text()
    assert smtp.handler.messages == []
    assert letter(app, letter_id).status == "draft"


def test_downloads_and_profile(app, client, auth, smtp):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        saved = auth.post(
            "/settings/letters",
            {"mailing_address": "7 rue Saint-Jacques\nMontréal QC", "telephone": "514 555 0100"},
        )
        assert saved.status_code == 302
        letter_id = draft(auth, request_id, "complaint:delay")
        pdf = client.get(f"/letters/{letter_id}.pdf")
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
        eml = client.get(f"/letters/{letter_id}.eml")
        assert eml.headers["Content-Type"].startswith("message/rfc822")
        message = email.message_from_bytes(eml.data, policy=policy.default)
        text = message.get_body(("plain",)).get_content()
        assert "Mailing address: 7 rue Saint-Jacques, Montréal QC" in text
        assert "Telephone: 514 555 0100" in text
        assert message["Message-ID"].startswith(f"<letter-{letter_id}.")


def test_without_smtp_the_page_says_why_and_the_letter_is_recorded_as_sent(app_config, smtp):
    from tracker import create_app

    app = create_app({**app_config, "SMTP_HOST": None})
    client = app.test_client()
    from tests.conftest import AuthActions

    auth = AuthActions(client)
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "complaint:delay")
        shown = page(client.get(f"/letters/{letter_id}"))
        assert "no mail server is configured" in shown.select_one("#no-smtp").get_text()
        assert shown.select_one("#send-form") is None
        refused = auth.post(f"/letters/{letter_id}/send", {"confirm": "y"})
        assert refused.status_code == 422
        future = auth.post(f"/letters/{letter_id}/record", {"sent_on": "2020-03-21"})
        assert future.status_code == 422
        assert "future" in page(future).select_one("#sent_on-error").get_text()
        done = auth.post(f"/letters/{letter_id}/record", {"sent_on": "2020-03-19"})
        assert done.status_code == 302
        again = auth.post(f"/letters/{letter_id}/record", {"sent_on": "2020-03-19"})
        assert again.status_code == 422
        assert "complaint:delay" not in offers_on(client, request_id)
    stored = letter(app, letter_id)
    assert stored.status == "sent" and stored.sent_on == date(2020, 3, 19)
    assert stored.sent_via == "manual"
    assert smtp.handler.messages == []


def test_from_policy_sends_from_the_reporter(app_config, smtp):
    from tests.conftest import AuthActions
    from tracker import create_app

    app = create_app({**app_config, "MAIL_FROM_POLICY": "from"})
    client = app.test_client()
    auth = AuthActions(client)
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "follow_up_overdue")
        auth.post(f"/letters/{letter_id}/send", {"confirm": "y"})
    ((_, message),) = smtp.handler.messages
    assert message["From"].addresses[0].addr_spec == REPORTER
    assert message["Sender"].addresses[0].addr_spec == "alerts@tracker.test"
    with app.app_context():
        assert db.session().scalar(sa.select(User.email)) == REPORTER


def test_dashboard_and_alert_mail_name_the_letter_due(app, client, auth, smtp):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        due = page(client.get("/")).select_one("#letters-due")
        assert due is not None
        text = " ".join(due.get_text().split())
        assert "the window for this letter closes on 2020-05-11" in text
        link = due.find("a", href=f"/requests/{request_id}/letters")
        assert "Complaint or appeal about delay" in link.get_text()
    from tracker.alerts.mail import compose_request_alert
    from tracker.core.models import InfoRequest

    with app.app_context(), clock.frozen(TODAY):
        s = db.session()
        request = s.get(InfoRequest, request_id)
        user = s.scalar(sa.select(User).where(User.email == REPORTER))
        mail = compose_request_alert("overdue", request, user, TODAY, app.config)
    text = " ".join(mail.text.split())
    assert (
        "The window for this letter closes on 2020-05-11: draft it (Complaint or appeal about "
        f"delay) at http://tracker.test/requests/{request_id}/letters" in text
    )
    assert f'href="http://tracker.test/requests/{request_id}/letters"' in mail.html
    # A reminder, not a robot: nothing was sent by itself.
    assert smtp.handler.messages == []


def test_the_weekly_digest_names_the_letter_due_on_each_request(app, smtp):
    request_id = seed(app)
    from bs4 import BeautifulSoup

    from tracker.alerts.mail import compose_digest
    from tracker.core.models import InfoRequest

    with app.app_context(), clock.frozen(TODAY):
        s = db.session()
        request = s.get(InfoRequest, request_id)
        user = s.scalar(sa.select(User).where(User.email == REPORTER))
        mail = compose_digest(user, [request], TODAY, app.config)
        # A request with its delay complaint filed: no letter with a window is due on it.
        s.add(
            TimelineEvent(
                request_id=request_id,
                kind="complaint_filed",
                occurred_on=date(2020, 3, 19),
                details={"grounds": "delay", "body": "Information Commissioner of Canada"},
                recorded_by_id=user.id,
            )
        )
        s.flush()
        s.expire(request)
        after = compose_digest(user, [request], TODAY, app.config)
        s.rollback()
    text = " ".join(mail.text.split())
    assert (
        "The window for this letter closes on 2020-05-11: draft it (Complaint or appeal about "
        f"delay) at http://tracker.test/requests/{request_id}/letters" in text
    )
    assert "Nothing is sent until you send it yourself." in text
    cell = BeautifulSoup(mail.html, "html.parser").select_one(".letter-due")
    assert cell.find("a")["href"] == f"http://tracker.test/requests/{request_id}/letters"
    assert "closes on 2020-05-11" in cell.get_text()
    assert "draft it" not in after.text
    assert BeautifulSoup(after.html, "html.parser").select_one(".letter-due") is None
    # A reminder, not a robot: nothing was sent by itself.
    assert smtp.handler.messages == []


def test_the_request_letter_sent_by_mail_sets_the_sent_and_received_dates(app, client, auth, smtp):
    from tracker.core.models import InfoRequest

    day = date(2020, 2, 12)
    with builders.desk(app, REPORTER, today=day, name="Marie Côté") as desk:
        rcmp = desk.institution(
            "Royal Canadian Mounted Police", "ca-atia", access_email="atip-aiprp@rcmp-grc.gc.ca"
        )
        request_id = desk.request(
            rcmp, "Clearview AI", received=date(2020, 2, 10), text="All records about Clearview."
        ).id
    with clock.frozen(day):
        auth.login(REPORTER)
        assert offers_on(client, request_id) == ["request"]
        letter_id = draft(auth, request_id, "request")
        text = page(client.get(f"/letters/{letter_id}")).select_one("textarea").get_text()
        assert (
            "I make this request under the Access to Information Act (ATIA s.6), in writing" in text
        )
        assert "All records about Clearview." in text
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
        assert "request" not in offers_on(client, request_id)
    with app.app_context():
        row = db.session().get(InfoRequest, request_id)
        assert row.sent_on == day and row.received_on == day
        assert row.due_on == date(2020, 3, 13)  # 30 days from the e-mail's day (ATIA s.7)
    assert smtp.handler.received()[0][0] == "atip-aiprp@rcmp-grc.gc.ca"


def test_two_sends_at_once_send_one_mail(app, smtp):
    """Two clicks arriving together: one claims the letter, the other is refused."""
    import threading

    from tracker.core.models import InfoRequest
    from tracker.files.storage import LocalStorage
    from tracker.letters import service

    request_id = seed(app)
    with app.app_context(), clock.frozen(TODAY), db.transaction() as s:
        user = s.scalar(sa.select(User).where(User.email == REPORTER))
        row = s.get(InfoRequest, request_id)
        letter_id = service.create_draft(s, user, row, "follow_up_overdue", "en", TODAY).id
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def click() -> None:
        with app.app_context(), clock.frozen(TODAY):
            user = db.session().scalar(sa.select(User).where(User.email == REPORTER))
            start.wait()
            try:
                service.send(
                    user,
                    letter_id,
                    app.config,
                    LocalStorage(app.config["ATTACHMENTS_DIR"]),
                    TODAY,
                    1_000_000,
                    transaction=db.transaction,
                )
                outcomes.append("sent")
            except service.LetterError as exc:
                outcomes.append(str(exc))

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == [
        "This letter was already sent: it cannot be changed or sent again.",
        "sent",
    ], outcomes
    assert len(smtp.handler.messages) == 1
    assert letter(app, letter_id).status == "sent"


@pytest.mark.parametrize(
    "law",
    [
        "ca-atia",
        "ca-privacy",
        "ca-on-fippa",
        "ca-on-mfippa",
        "ca-bc-fippa",
        "ca-ab-foip",
        "ca-qc-access",
        "ca-nb-rtippa",
        "ca-mb-fippa",
        "ca-sk-foip",
        "ca-sk-lafoip",
    ],
)
def test_each_canadian_commissioners_form_is_complete(app, law):
    """Every field of the complaint form, from the profile and the timeline, in both languages."""
    from tracker import deadlines
    from tracker.letters import compose
    from tracker.letters.rules import LetterFacts, offers
    from tracker.requests.state import derive_state

    received = date(2026, 1, 5)
    due = deadlines.due_date(law, received)
    today = due + date.resolution
    state = derive_state(law, None, received, [], today)
    facts = LetterFacts(deadlines.law_in_force(law, received), state, today, received)
    (offer,) = [o for o in offers(facts) if o.key == "complaint:delay"]
    reporter = compose.Reporter(
        "Marie Côté", REPORTER, "La Presse", "7 rue Saint-Jacques\nMontréal QC", "514 555 0100"
    )
    request = compose.RequestFacts(
        "Ministry", None, "Records", "", "A-1", received, received, ("2026-01-07 Ack: a.pdf",)
    )
    with app.app_context():
        english = compose.draft(offer, facts, request, reporter, "en").body
        french = compose.draft(offer, facts, request, reporter, "fr").body
    for line in (
        "Complainant: Marie Côté",
        "Mailing address: 7 rue Saint-Jacques, Montréal QC",
        "Telephone: 514 555 0100",
        f"E-mail: {REPORTER}",
        "On behalf of: La Presse",
        "Institution: Ministry",
        "Request number: A-1",
        "Date of the request: 2026-01-05",
        "Complaint type: Delay or deemed refusal",
        f"Description: Request received 2026-01-05; response due {due.isoformat()}; no "
        f"response as of {today.isoformat()}, 1 calendar day(s) late.",
        "Attached: 2026-01-07 Ack: a.pdf",
    ):
        assert line in english, line
    for line in (
        "Plaignant : Marie Côté",
        "Adresse postale : 7 rue Saint-Jacques, Montréal QC",
        "Type de plainte : Retard ou présomption de refus",
        f"Description : Demande reçue le 2026-01-05; réponse attendue le {due.isoformat()}; "
        f"aucune réponse au {today.isoformat()}, 1 jour(s) civil(s) de retard.",
        "Pièces jointes : 2026-01-07 Ack: a.pdf",
    ):
        assert line in french, line


def test_a_refused_mail_leaves_the_draft_with_the_servers_answer(app, client, auth, smtp):
    request_id = seed(app)
    smtp.handler.refused_recipients.add("atip-aiprp@rcmp-grc.gc.ca")
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "follow_up_overdue")
        refused = auth.post(f"/letters/{letter_id}/send", {"confirm": "y"})
        assert refused.status_code == 422
        shown = page(refused)
        assert "Nothing was sent" in shown.get_text()
        assert "550 5.1.1" in shown.select_one("#last-error").get_text()
        smtp.handler.refused_recipients.clear()
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
    stored = letter(app, letter_id)
    assert stored.status == "sent" and stored.last_error is None
    assert len(smtp.handler.messages) == 1


def test_a_letter_left_sending_says_so_and_can_be_recorded(app, client, auth, smtp):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "follow_up_overdue")
        with app.app_context(), db.transaction() as s:  # a crash after the claim
            s.get(Letter, letter_id).status = "sending"
        shown = page(client.get(f"/letters/{letter_id}"))
        assert "does not know whether it left" in shown.select_one("#sending").get_text()
        assert shown.select_one("#send-form") is None
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 409
        done = auth.post(f"/letters/{letter_id}/record", {"sent_on": TODAY.isoformat()})
        assert done.status_code == 302
    assert letter(app, letter_id).status == "sent"
    assert smtp.handler.messages == []


def test_the_scheduler_marks_a_cut_short_send_unknown_and_never_resends_it(app, client, auth, smtp):
    from datetime import timedelta

    from tracker.letters.service import STUCK_MINUTES
    from tracker.operations.scheduler import JOBS

    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        stuck_id = draft(auth, request_id, "follow_up_overdue")
        fresh_id = draft(auth, request_id, "follow_up_overdue")
    claimed = clock.now() - timedelta(minutes=STUCK_MINUTES + 1)
    with app.app_context(), db.transaction() as s:  # a crash after each claim
        s.execute(
            sa.update(Letter)
            .where(Letter.id == stuck_id)
            .values(status="sending", updated_at=claimed)
        )
        s.execute(sa.update(Letter).where(Letter.id == fresh_id).values(status="sending"))
    with app.app_context():
        JOBS["stuck-letters"](db.session(), app.config)
    assert letter(app, stuck_id).status == "unknown"
    assert letter(app, fresh_id).status == "sending"  # a send in flight is left alone
    with clock.frozen(TODAY):
        shown = page(client.get(f"/letters/{stuck_id}"))
        assert "Unknown: check your sent mail" in shown.select_one("#unknown").get_text()
        assert shown.select_one("#send-form") is None
        listing = page(client.get(f"/requests/{request_id}/letters")).select_one("#letters")
        assert "Unknown: check your sent mail" in listing.get_text()
        assert auth.post(f"/letters/{stuck_id}/send", {"confirm": "y"}).status_code == 409
        done = auth.post(f"/letters/{stuck_id}/record", {"sent_on": TODAY.isoformat()})
        assert done.status_code == 302
    assert letter(app, stuck_id).status == "sent"
    assert smtp.handler.messages == []


def test_the_letters_pages_in_french(app, client, auth, smtp):
    request_id = seed(app)
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        french = {"Accept-Language": "fr-CA"}
        shown = page(client.get(f"/requests/{request_id}/letters", headers=french))
        assert shown.select_one("#offered-h").get_text() == "Lettres à écrire maintenant"
        assert "Rédiger cette lettre" in shown.select_one("#offers").get_text()
        letter_id = draft(auth, request_id, "follow_up_overdue", "fr")
        editor = page(client.get(f"/letters/{letter_id}", headers=french))
        assert editor.select_one("#preview-h").get_text() == "Aperçu"
        due = page(client.get("/", headers=french)).select_one("#letters-due")
        assert "rédiger" in due.get_text()


@pytest.mark.parametrize(
    ("law", "received", "due", "said"),
    [
        # UK FOIA s.10(6)(a): the day the authority receives it, a Saturday included.
        (
            "uk-foia",
            date(2024, 3, 2),
            # 20 working days following Sat 2 March (s.10(1)): 4 March onwards, past 18 March
            # (Northern Ireland), Good Friday and Easter Monday: Wed 3 April.
            date(2024, 4, 3),
            "Received on 2024-03-02 by the law's rule for e-mailed requests (FOIA s.10(6)(a))",
        ),
        # ATIA: no rule read; the Saturday is recorded (the reporter's reading), and the
        # institution's due date counts from Monday, the later reading (issue 22): 30 days
        # from 2024-03-04 (s.7): Wed 2024-04-03. From the Saturday, day 30 would be Easter
        # Monday 1 April (s.35): Tue 2 April.
        (
            "ca-atia",
            date(2024, 3, 2),
            date(2024, 4, 3),
            "The law can also be read as counting from 2024-03-04 (the mail left on a day the "
            "law does not count): the tracker counts the institution's time from 2024-03-04, "
            "due on 2024-04-03",
        ),
    ],
)
def test_a_request_e_mailed_on_a_saturday_is_received_by_its_laws_rule(
    app, client, auth, smtp, law, received, due, said
):
    """Issue 22: the received date of a request the tracker e-mails follows the law's rule
    for e-mailed requests, cited on the timeline; without one, the reporter's reading (the
    day the mail left) with the later day beside it."""
    from datetime import UTC, datetime

    from tracker.core.models import InfoRequest

    saturday = datetime(2024, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in Toronto, the newsroom's zone
    with builders.desk(app, REPORTER, today=date(2024, 3, 1), name="Marie Côté") as desk:
        body = desk.institution("Home Office", law, access_email="foi@example.gov")
        request_id = desk.request(
            body, "Contracts", received=date(2024, 3, 1), text="All contracts of 2023."
        ).id
    with clock.frozen_now(saturday):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "request")
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
    with app.app_context():
        row = db.session().get(InfoRequest, request_id)
        assert (row.sent_on, row.received_on, row.due_on) == (date(2024, 3, 2), received, due)
        notes = db.session().scalars(
            sa.select(TimelineEvent.note).where(
                TimelineEvent.request_id == request_id, TimelineEvent.kind == "note"
            )
        )
        text = " ".join(" ".join(n.split()) for n in notes if n)
    assert said in text


def test_a_french_reader_sees_the_e_mail_rule_in_french(app, client, auth, smtp):
    """New Brunswick's rule is the French version's own words (al. 17(2)a) de la Loi sur les
    opérations électroniques), on the note a French-speaking reporter's send writes."""
    from datetime import UTC, datetime

    from tracker.core.models import User

    monday = datetime(2024, 3, 4, 15, 0, tzinfo=UTC)
    with builders.desk(app, REPORTER, today=date(2024, 3, 1), name="Marie Côté") as desk:
        body = desk.institution("Ville de Moncton", "ca-nb-rtippa", access_email="ai@moncton.ca")
        request_id = desk.request(
            body, "Contrats", received=date(2024, 3, 1), text="Tous les contrats de 2023."
        ).id
    with app.app_context(), db.transaction() as session:
        session.scalar(sa.select(User).where(User.email == REPORTER)).locale = "fr"
    with clock.frozen_now(monday):
        auth.login(REPORTER)
        letter_id = draft(auth, request_id, "request", "fr")
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
    with app.app_context():
        notes = db.session().scalars(
            sa.select(TimelineEvent.note).where(
                TimelineEvent.request_id == request_id, TimelineEvent.kind == "note"
            )
        )
        text = " ".join(" ".join(n.split()) for n in notes if n)
    assert "al. 17(2)a) de la Loi sur les opérations électroniques (N.-B.)" in text
    assert "présumée être reçue" in text
    assert "presumed received" not in text
