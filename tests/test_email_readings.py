"""Issue 22: a request the tracker e-mails on a day its law reads two ways.

The design policy: where the law can be read two ways, the institution's deadline takes the
later reading (never call a request overdue too early) and the reporter's own window the
earlier one (never let a reporter miss it); the explanation shows both readings and the source
of each. A request e-mailed on a Saturday or a holiday under a law with no rule on e-mailed
requests is received the day the mail left (the earlier reading) or the institution's next
working day (the later one): the due date, the status, the API and the CSV count from the
later day, the complaint window from the due date of the earlier day.

Dates worked out by hand from the statutes (each case's comment), against the stored columns.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from api_helpers import bearer, token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import builders
from tests.conftest import page
from tracker import deadlines
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Letter, User
from tracker.deadlines.letters import closed_reason, email_receipt
from tracker.requests import service
from tracker.requests.state import derive_state

REPORTER = "marie@lapresse.ca"
TORONTO = ZoneInfo("America/Toronto")  # the test newsroom's zone

# (law, the day the mail left, the later reading, the institution's due date (later reading),
# the due date under the earlier reading, the last day of the reporter's deemed-refusal window)
CASES = [
    # ATIA s.7: 30 days after receipt. Sat 2024-03-02 + 30 = Mon 1 April, Easter Monday (a
    # holiday, Interpretation Act s.35): Tue 2 April (s.26). From Mon 4 March (the later
    # reading): Wed 3 April. s.31: 60 days from the deemed refusal of 2 April: Sat 1 June
    # (the reporter's reading does not roll past a Saturday).
    (
        "ca-atia",
        date(2024, 3, 2),
        date(2024, 3, 4),
        date(2024, 4, 3),
        date(2024, 4, 2),
        date(2024, 6, 1),
    ),
    # ATIA, Good Friday 2024-03-29 (s.35); Easter Monday 1 April too: the later reading is
    # Tue 2 April, + 30 = Thu 2 May. Earlier: Mar 29 + 30 = Sun 28 April: Mon 29 April (s.26).
    # s.31: 29 April + 60 = Fri 28 June.
    (
        "ca-atia",
        date(2024, 3, 29),
        date(2024, 4, 2),
        date(2024, 5, 2),
        date(2024, 4, 29),
        date(2024, 6, 28),
    ),
    # Ontario FIPPA s.26: 30 days after receipt. Family Day, Mon 2024-02-19 (a holiday,
    # Legislation Act, 2006 s.88): 19 Feb + 30 = Wed 20 March (2024 is a leap year); from
    # Tue 20 Feb: Thu 21 March. s.50(2): 30 days from the deemed refusal (s.29(4)) of
    # 20 March: Fri 19 April.
    (
        "ca-on-fippa",
        date(2024, 2, 19),
        date(2024, 2, 20),
        date(2024, 3, 21),
        date(2024, 3, 20),
        date(2024, 4, 19),
    ),
    # BC FIPPA s.7: 30 days, "day" excluding Saturdays and holidays (Schedule 1). From Sat
    # 2024-03-02, day 1 is Mon 4 March; Good Friday 29 March and Easter Monday 1 April
    # (Interpretation Act s.29) do not count: day 30 is Tue 16 April. From Mon 4 March: Wed
    # 17 April. s.53(3): no time limit for a review of a deemed refusal.
    ("ca-bc-fippa", date(2024, 3, 2), date(2024, 3, 4), date(2024, 4, 17), date(2024, 4, 16), None),
    # Québec s.47: within the 20 days following receipt. Sat 2024-03-02 (offices closed; the
    # institution's deadline rolls past a Saturday, IA s.52 read as the next business day):
    # earlier Fri 22 March; from Mon 4 March, day 20 is Sunday 24 March, a holiday (IA
    # s.61(23)): Mon 25 March (s.52). s.135: 30 days from 22 March: Sun 21 April: Mon 22 April.
    (
        "ca-qc-access",
        date(2024, 3, 2),
        date(2024, 3, 4),
        date(2024, 3, 25),
        date(2024, 3, 22),
        date(2024, 4, 22),
    ),
    # Québec, Good Friday 2024-03-29 (IA s.61(23)), then Saturday, Sunday and Easter Monday:
    # the later reading is Tue 2 April, + 20 = Mon 22 April; earlier: Thu 18 April. s.135:
    # 18 April + 30 = Sat 18 May (not a holiday in Québec: it stays).
    (
        "ca-qc-access",
        date(2024, 3, 29),
        date(2024, 4, 2),
        date(2024, 4, 22),
        date(2024, 4, 18),
        date(2024, 5, 18),
    ),
]


def _send_request(app, auth, law: str, day: date) -> int:
    """Log a request under ``law`` and send its request letter through the tracker's SMTP
    at 10:00 in Toronto on ``day``; returns the request's id."""
    with builders.desk(app, REPORTER, today=day - timedelta(days=3), name="Marie Côté") as desk:
        body = desk.institution(f"Ministère {law}", law, access_email="acces@example.gouv")
        request_id = desk.request(
            body, "Contrats", received=day - timedelta(days=3), text="Tous les contrats."
        ).id
    sent_at = datetime.combine(day, time(10, 0), tzinfo=TORONTO).astimezone(UTC)
    with clock.frozen_now(sent_at):
        auth.login(REPORTER)
        response = auth.post(
            f"/requests/{request_id}/letters", {"key": "request", "language": "en"}
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        letter_id = int(re.search(r"/letters/(\d+)$", response.headers["Location"]).group(1))
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
    return request_id


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, **smtp_server.config()}


@pytest.fixture
def smtp_server():
    from alerts_helpers import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def _state(app, request_id: int, today: date):
    with app.app_context():
        return service.state_of(service.load_request(db.session(), request_id), today)


@pytest.mark.parametrize(("law", "sent", "later", "due", "earlier_due", "window"), CASES)
def test_an_e_mailed_request_counts_the_institutions_time_from_the_later_reading(
    app, client, auth, law, sent, later, due, earlier_due, window
):
    request_id = _send_request(app, auth, law, sent)
    with app.app_context():
        row = db.session().get(InfoRequest, request_id)
        letter = db.session().scalar(sa.select(Letter).where(Letter.request_id == request_id))
        # sent_on and received_on hold the day the mail left (the earlier reading).
        assert (row.sent_on, row.received_on, letter.sent_on) == (sent, sent, sent)
        assert row.received_later_on == later
        # The due date from the later reading; the reporter's window from the earlier.
        assert row.due_on == due
        assert row.complaint_due_on == window
        assert row.status == "awaiting"
    # Between the two due dates the request is not overdue, and no overdue letter is offered.
    state = _state(app, request_id, earlier_due + timedelta(days=1))
    assert state.status == "awaiting"
    assert state.reporter_due_on == earlier_due
    with clock.frozen(earlier_due + timedelta(days=1)):
        auth.login(REPORTER)
        response = client.get(f"/requests/{request_id}/letters")
        assert response.status_code == 200
        offered = [li["data-key"] for li in page(response).select("li.offer")]
    assert "follow_up_overdue" not in offered and "complaint:delay" not in offered
    with clock.frozen(due + timedelta(days=1)):
        auth.login(REPORTER)
        offered = [
            li["data-key"]
            for li in page(client.get(f"/requests/{request_id}/letters")).select("li.offer")
        ]
    assert "follow_up_overdue" in offered
    # The day after the later due date it is.
    assert _state(app, request_id, due + timedelta(days=1)).status == "overdue"


def test_the_request_page_shows_both_readings_and_their_sources(app, client, auth):
    """ATIA, Saturday 2 March 2024: no rule on e-mailed requests (the earlier reading's
    source), the Saturday (the later reading's), each due date, in English and in French."""
    request_id = _send_request(app, auth, "ca-atia", date(2024, 3, 2))
    with clock.frozen(date(2024, 3, 10)):
        auth.login(REPORTER)
        response = client.get(f"/requests/{request_id}")
        assert response.status_code == 200, response.get_data(as_text=True)[-3000:]
        shown = page(response)
        assert shown.select_one("#due-date").get_text().startswith("2024-04-03")
        text = " ".join(shown.select_one("#received-readings").get_text().split())
        assert (
            "Earlier reading: 2024-03-02 (Sat), the day the mail left (no rule of this law" in text
        )
        assert (
            "Later reading: 2024-03-04 (Mon) (the institution’s office is closed on 2024-03-02"
            in text
        )
        assert "(Saturday)" in text
        assert "due date counts from the later reading: 2024-04-03 (Wed)" in text
        assert "under which the due date is 2024-04-02 (Tue)" in text
        # The reporter's windows on the page run from the earlier reading's due date.
        refusal = shown.select_one("#complaint-window").get_text()
        assert "Open until 2024-06-01 (Sat)" in refusal and "File by 2024-06-01" in refusal
        french = page(client.get(f"/requests/{request_id}", headers={"Accept-Language": "fr-CA"}))
        text_fr = " ".join(french.select_one("#received-readings").get_text().split())
        assert "Deux lectures de la date de réception" in text_fr
        assert "samedi" in text_fr and "2 mars 2024" in text_fr and "4 mars 2024" in text_fr
        assert "3 avril 2024" in text_fr and "2 avril 2024" in text_fr
        assert "Earlier reading" not in text_fr


def test_the_api_and_the_csv_carry_the_later_due_date(app, client, auth):
    request_id = _send_request(app, auth, "ca-on-fippa", date(2024, 2, 19))
    with clock.frozen(date(2024, 3, 21)):
        auth.login(REPORTER)
        rows = list(
            csv.DictReader(io.StringIO(client.get("/exports/requests.csv").get_data(as_text=True)))
        )
        (row,) = rows
        assert (row["received_on"], row["due_on"], row["complaint_due_on"]) == (
            "2024-02-19",
            "2024-03-21",
            "2024-04-19",
        )
        read = client.get(f"/api/v1/requests/{request_id}", headers=bearer(token(app, REPORTER)))
        assert read.status_code == 200
        body = read.get_json()
        assert body["due_on"] == "2024-03-21"
        explained = client.get(
            f"/api/v1/requests/{request_id}/deadline", headers=bearer(token(app, REPORTER))
        ).get_json()
        assert (explained["received_on"], explained["received_later_on"]) == (
            "2024-02-19",
            "2024-02-20",
        )
        assert (explained["due_on"], explained["earlier_due_on"]) == ("2024-03-21", "2024-03-20")
        assert explained["complaint"]["due_on"] == "2024-04-19"


def test_an_acknowledged_received_date_replaces_both_readings(app, auth):
    """The reporter enters the received date the institution's acknowledgement gives: one
    reading again, the due date from it."""
    request_id = _send_request(app, auth, "ca-atia", date(2024, 3, 2))
    with app.app_context(), db.transaction() as session:
        user = session.scalar(sa.select(User).where(User.email == REPORTER))
        request = service.load_request(session, request_id)
        data = service.RequestData(
            institution_id=request.institution_id,
            title=request.title,
            received_on=date(2024, 3, 5),
            law_code=request.law_code,
            text=request.text,
            sent_on=request.sent_on,
        )
        service.update_request(session, user, request, data, date(2024, 3, 6))
    with app.app_context():
        row = db.session().get(InfoRequest, request_id)
        # ATIA s.7: 5 March + 30 = Thu 4 April; s.31 from it: 60 days, Mon 3 June.
        assert (row.received_later_on, row.due_on) == (None, date(2024, 4, 4))
        assert row.complaint_due_on == date(2024, 6, 3)


# ---------------------------------------------------------------------------------------------
# The property: over any day and time a request is e-mailed, under the laws without a rule of
# their own on e-mailed requests, the due date is never earlier than the later reading gives and
# the reporter's window never later than the earlier reading allows.

_LAWS = (
    "ca-atia",
    "ca-on-fippa",
    "ca-on-mfippa",
    "ca-bc-fippa",
    "ca-qc-access",
    "ca-mb-fippa",
    "us-ny-foil",
    "uk-sct-foisa",
    "us-foia",
    "uk-foia",
    "ca-nb-rtippa",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    law=st.sampled_from(_LAWS),
    sent=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 1), timezones=st.just(TORONTO)
    ),
)
def test_the_due_date_takes_the_later_reading_and_the_window_the_earlier(law, sent):
    province = "ON" if deadlines.LAWS[law].province_mode == "institution" else None
    receipt = email_receipt(law, sent, province=province)
    earlier = receipt.received_on
    assert earlier == sent.date()  # sent_on and received_on: the day the mail left
    today = earlier + timedelta(days=400)
    state = derive_state(law, province, earlier, [], today, received_later_on=receipt.later_on)
    due_earlier = deadlines.due_date(law, earlier, province=province)
    due_later = deadlines.due_date(law, receipt.later_on or earlier, province=province)
    assert state.due_on == due_later >= due_earlier
    assert state.reporter_due_on == due_earlier
    if receipt.later_on is not None:
        assert receipt.later_on > earlier
        assert closed_reason(law, receipt.later_on, province) is None
        if receipt.why_later == "closed":
            assert closed_reason(law, earlier, province) is not None
    else:
        # No later reading: the law's own rule (UK FOIA, New Brunswick) or an open office.
        assert (receipt.rule is not None and not receipt.rule.later_reading) or (
            closed_reason(law, earlier, province) is None and sent.time() < time(17, 0)
        )
    window_earlier = deadlines.deemed_refusal_complaint_deadline(
        law, due_earlier, province, received=earlier
    )
    assert state.complaint_due_on == window_earlier
    window_later = deadlines.deemed_refusal_complaint_deadline(
        law, due_later, province, received=earlier
    )
    if window_earlier is not None and window_later is not None:
        assert state.complaint_due_on <= window_later
    # Overdue only after the later reading's due date.
    assert (
        derive_state(
            law, province, earlier, [], due_later, received_later_on=receipt.later_on
        ).status
        == "awaiting"
    )


def test_the_packet_counts_the_window_from_the_earlier_reading(app, auth):
    """The evidence packet names the earlier reading's due date as the window's start, with
    the later reading the institution's due date counts from."""
    from tracker.packets import dossier

    request_id = _send_request(app, auth, "ca-atia", date(2024, 3, 2))
    with app.test_request_context():
        request = service.load_request(db.session(), request_id)
        found = dossier.gather(
            request,
            generated_at=datetime(2024, 4, 10, 12, 0, tzinfo=UTC),
            today=date(2024, 4, 10),
            tz="America/Toronto",
        )
    assert found.due_on == date(2024, 4, 3)
    assert found.deemed_refusal_on == date(2024, 4, 4)
    text = " ".join(found.complaint_window_text.split())
    assert "the last day to complain" in text and "2024-06-01" in text
    assert "the earlier reading of the received date, 2024-04-02" in text, text
    assert "the later reading, 2024-03-04, and its due date is 2024-04-03" in text, text
    from packets_helpers import pdf_text

    from tracker.packets.pdf import render_pdf

    with app.test_request_context():
        shown = " ".join(pdf_text(render_pdf(found)).split())
    assert "the complaint window counts from it); the institution's time counts from" in shown
    assert "2024-03-04" in shown


def test_the_migration_gives_requests_e_mailed_before_it_the_later_reading(app, auth):
    """A request e-mailed on a Saturday before migration 0025 (received and due as the day
    the mail left gave): the migration stores the later reading and clears the fingerprint,
    and the recompute that `db upgrade` runs moves the due date, not the window."""
    from tracker.core.migrate import downgrade, upgrade
    from tracker.requests.recompute import recompute_stale

    request_id = _send_request(app, auth, "ca-atia", date(2024, 3, 2))
    other_id = _send_request(app, auth, "ca-atia", date(2024, 3, 5))  # a Tuesday: one reading
    with app.app_context(), db.transaction() as session:
        # As the tracker stored it before: the due date from the Saturday (ATIA s.7: Tue 2 April).
        session.execute(
            sa.update(InfoRequest)
            .where(InfoRequest.id == request_id)
            .values(received_later_on=None, due_on=date(2024, 4, 2))
        )
    downgrade(app, "0025_email_later_reading-1")
    upgrade(app)
    with app.app_context():
        session = db.session()
        rows = {
            r.id: r
            for r in session.execute(
                sa.select(
                    InfoRequest.id,
                    InfoRequest.received_later_on,
                    InfoRequest.rules_fingerprint,
                    InfoRequest.due_on,
                )
            )
        }
        assert rows[request_id].received_later_on == date(2024, 3, 4)
        assert rows[request_id].rules_fingerprint is None
        assert rows[other_id].received_later_on is None
        assert rows[other_id].rules_fingerprint is not None
        moves = []
        summary = recompute_stale(session, "America/Toronto", report=moves.append)
        assert summary.moved_requests == 1
        (due_move,) = [m for m in moves if m.field == "due_on"]
        assert (due_move.old, due_move.new) == (date(2024, 4, 2), date(2024, 4, 3))
        assert "later reading of the e-mailed request's received date, 2024-03-04" in due_move.why
        row = session.get(InfoRequest, request_id)
        assert (row.due_on, row.complaint_due_on) == (date(2024, 4, 3), date(2024, 6, 1))


def test_an_export_restored_keeps_the_later_reading(app, auth, runner, tmp_path):
    """newsroom.zip carries received_later_on; importing it back counts the due date from it."""
    import tests.api_helpers as h
    from tracker.exports.service import newsroom_zip

    request_id = _send_request(app, auth, "ca-atia", date(2024, 3, 2))
    with app.app_context():
        session = db.session()
        from tracker.core.models import Newsroom

        room = session.get(Newsroom, session.get(InfoRequest, request_id).newsroom_id)
        data = newsroom_zip(session, room, date(2024, 3, 10), "http://tracker.test")
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    h.quick_user(app, "restored@example.org", newsroom="Empty newsroom", role="editor")
    with clock.frozen(date(2024, 3, 10)):
        result = runner.invoke(args=["import-csv", str(path), "--newsroom", "Empty newsroom"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        restored = db.session().scalar(
            sa.select(InfoRequest).where(
                InfoRequest.id != request_id, InfoRequest.title == "Contrats"
            )
        )
        assert (restored.received_on, restored.received_later_on) == (
            date(2024, 3, 2),
            date(2024, 3, 4),
        )
        assert (restored.due_on, restored.complaint_due_on) == (date(2024, 4, 3), date(2024, 6, 1))


def test_a_law_with_its_own_rule_has_one_reading(app, client, auth):
    """UK FOIA s.10(6)(a): the day the authority receives it, a Saturday included; New
    Brunswick's Electronic Transactions Act s.17(2)(a) likewise: no later reading, and the
    page shows none."""
    for law in ("uk-foia", "ca-nb-rtippa"):
        request_id = _send_request(app, auth, law, date(2024, 3, 2))
        with app.app_context():
            row = db.session().get(InfoRequest, request_id)
            assert (row.received_on, row.received_later_on) == (date(2024, 3, 2), None)
            assert row.due_on == deadlines.due_date(law, date(2024, 3, 2))
        with clock.frozen(date(2024, 3, 10)):
            auth.login(REPORTER)
            response = client.get(f"/requests/{request_id}")
            assert response.status_code == 200
            assert page(response).select_one("#received-readings") is None


def test_after_office_hours_the_later_reading_is_the_next_working_day(app, client, auth):
    """ATIA, Tuesday 5 March 2024 at 18:30 in Toronto: after OFFICE_CLOSES (17:00), the
    later reading is Wednesday 6 March: 30 days (s.7) to Fri 5 April; from the Tuesday,
    Thu 4 April."""
    with builders.desk(app, REPORTER, today=date(2024, 3, 1), name="Marie Côté") as desk:
        body = desk.institution("Ministère", "ca-atia", access_email="acces@example.gouv")
        request_id = desk.request(body, "Contrats", received=date(2024, 3, 1), text="Tout.").id
    evening = datetime(2024, 3, 5, 18, 30, tzinfo=TORONTO).astimezone(UTC)
    with clock.frozen_now(evening):
        auth.login(REPORTER)
        response = auth.post(
            f"/requests/{request_id}/letters", {"key": "request", "language": "en"}
        )
        letter_id = int(re.search(r"/letters/(\d+)$", response.headers["Location"]).group(1))
        assert auth.post(f"/letters/{letter_id}/send", {"confirm": "y"}).status_code == 302
        shown = page(client.get(f"/requests/{request_id}"))
    text = " ".join(shown.select_one("#received-readings").get_text().split())
    assert "Later reading: 2024-03-06 (Wed) (the mail left after office hours" in text
    with app.app_context():
        row = db.session().get(InfoRequest, request_id)
        assert (row.received_on, row.received_later_on) == (date(2024, 3, 5), date(2024, 3, 6))
        assert (row.due_on, row.complaint_due_on) == (date(2024, 4, 5), date(2024, 6, 3))
