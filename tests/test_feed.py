"""Calendar feed: the settings page, the secret address, and the feed parsed back with
the icalendar library."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests import api_helpers as h
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import CalendarFeed

REPORTER = "reporter@example.org"


@pytest.fixture
def frozen_today():
    """Fix "today" so deadlines do not drift."""
    with clock.frozen(h.TODAY) as day:
        yield day


@pytest.fixture
def reporter(app, auth, frozen_today):
    h.quick_user(app, REPORTER, name="Marie Reporter")
    auth.login(REPORTER)
    return auth


def make_feed(auth) -> str:
    """Turn the feed on through the settings page; the address shown (once)."""
    response = auth.post("/settings/calendar/new", {})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return page(response).select_one("#feed-url")["value"]


def fetch(client, url: str) -> Calendar:
    response = client.get(url.removeprefix("http://tracker.test"))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_lists_due_date_and_complaint_window_as_all_day_events_with_reminders(
    app, client, reporter
):
    inst = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, inst, title="Clearview AI", file_number="A-2024-1")
    url = make_feed(reporter)
    assert url.startswith("http://tracker.test/calendar/") and url.endswith(".ics")

    calendar = fetch(client, url)
    events = events_by_uid(calendar)
    assert set(events) == {
        f"request-{rid}-due@tracker.test",
        f"request-{rid}-complaint@tracker.test",
    }
    due = events[f"request-{rid}-due@tracker.test"]
    # ca-atia, received 2024-02-01: day 30 is Saturday 2024-03-02, rolled to Monday 03-04.
    assert due.decoded("DTSTART") == date(2024, 3, 4)
    assert due.decoded("DTEND") == date(2024, 3, 5)
    assert not isinstance(due.decoded("DTSTART"), datetime)  # all-day: VALUE=DATE
    assert "Clearview AI" in str(due["SUMMARY"])
    assert str(due["URL"]) == f"http://tracker.test/requests/{rid}"
    description = str(due["DESCRIPTION"])
    assert "Access to Information Act s.7" in description
    assert f"http://tracker.test/requests/{rid}" in description
    assert "A-2024-1" in description
    alarms = due.walk("VALARM")
    assert len(alarms) == 1 and str(alarms[0]["ACTION"]) == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == timedelta(hours=-15)

    complaint = events[f"request-{rid}-complaint@tracker.test"]
    assert "Complaint window closes" in str(complaint["SUMMARY"])
    assert "s.31" in str(complaint["DESCRIPTION"])  # ATIA s.31: 60 days to complain
    assert complaint.decoded("DTSTART") > due.decoded("DTSTART")


def test_uids_stay_stable_as_an_extension_moves_the_deadline(app, client, reporter):
    inst = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, inst)
    url = make_feed(reporter)
    before = events_by_uid(fetch(client, url))

    h.event(
        app,
        REPORTER,
        rid,
        "extension",
        date(2024, 2, 20),
        {"days": 30, "reason": "volume", "notice_on": "2024-02-20", "commissioner_notified": False},
    )
    after = events_by_uid(fetch(client, url))
    due_uid, ext_uid = f"request-{rid}-due@tracker.test", f"request-{rid}-extension@tracker.test"
    complaint_uid = f"request-{rid}-complaint@tracker.test"
    assert set(after) == set(before) | {ext_uid}
    # The statutory date stays on the "due" event; the extended date is the extension's end.
    assert after[due_uid].decoded("DTSTART") == date(2024, 3, 4)
    assert "extended" in str(after[due_uid]["SUMMARY"]).lower()
    assert not after[due_uid].walk("VALARM")
    extension = after[ext_uid]
    with app.app_context():
        from tracker.core.models import InfoRequest

        due_on = db.session().get(InfoRequest, rid).due_on
    assert extension.decoded("DTSTART") == due_on > date(2024, 3, 4)
    assert "s.9(1)" in str(extension["DESCRIPTION"])
    assert extension.walk("VALARM")
    assert after[complaint_uid].decoded("DTSTART") > before[complaint_uid].decoded("DTSTART")


def test_feed_holds_only_the_owners_open_requests(app, client, reporter):
    h.quick_user(app, "colleague@example.org")
    h.quick_user(app, "other@example.org", newsroom="Le Devoir")
    mine = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, mine, title="Mine")
    withdrawn = h.info_request(app, REPORTER, mine, title="Withdrawn one")
    h.event(app, REPORTER, withdrawn, "withdrawn", date(2024, 3, 1))
    h.info_request(app, "colleague@example.org", mine, title="Colleague's")
    theirs = h.institution(app, "other@example.org")
    h.info_request(app, "other@example.org", theirs, title="Other newsroom's")

    events = events_by_uid(fetch(client, make_feed(reporter)))
    assert {uid.split("-")[1] for uid in events} == {str(rid)}


def test_answered_request_keeps_its_events_without_a_due_reminder(app, client, reporter):
    inst = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, inst)
    h.event(app, REPORTER, rid, "final_response", date(2024, 2, 28), {"outcome": "partial"})
    events = events_by_uid(fetch(client, make_feed(reporter)))
    assert not events[f"request-{rid}-due@tracker.test"].walk("VALARM")
    complaint = events[f"request-{rid}-complaint@tracker.test"]
    assert "response of 2024-02-28" in str(complaint["DESCRIPTION"])
    assert complaint.walk("VALARM")


def test_only_a_hash_is_stored_and_the_address_is_shown_once(app, client, reporter):
    url = make_feed(reporter)
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    with app.app_context():
        rows = list(db.session().scalars(sa.select(CalendarFeed)))
    assert [r.token_hash for r in rows] == [hashlib.sha256(secret.encode()).hexdigest()]
    settings = client.get("/settings/calendar")
    assert settings.status_code == 200
    assert secret not in settings.get_data(as_text=True)
    assert "Your feed is on" in page(settings).get_text()
    fetch(client, url)
    with app.app_context():
        assert db.session().scalars(sa.select(CalendarFeed)).one().last_fetched_at is not None


def test_regenerating_stops_the_old_address_and_revoking_stops_the_new(app, client, reporter):
    first = make_feed(reporter)
    second = make_feed(reporter)
    assert first != second
    assert client.get(first.removeprefix("http://tracker.test")).status_code == 404
    fetch(client, second)
    response = reporter.post("/settings/calendar/revoke", {})
    assert response.status_code == 302
    assert client.get(second.removeprefix("http://tracker.test")).status_code == 404
    assert "Your calendar feed is off" in page(client.get("/settings/calendar")).get_text()


def test_unknown_address_is_404_and_works_without_a_session(app, client, reporter):
    assert client.get("/calendar/not-a-real-secret.ics").status_code == 404
    url = make_feed(reporter)
    reporter.logout()
    fetch(client, url)


def test_feed_of_a_deactivated_user_is_404(app, client, reporter):
    url = make_feed(reporter)
    with app.app_context(), db.transaction() as session:
        h.user_by_email(session, REPORTER).active = False
    assert client.get(url.removeprefix("http://tracker.test")).status_code == 404


def test_settings_need_login_and_buttons_need_the_csrf_token(app, client):
    assert client.get("/settings/calendar").status_code == 302
    h.quick_user(app, REPORTER)
    from tests.conftest import AuthActions

    AuthActions(client).login(REPORTER)
    assert client.post("/settings/calendar/new", data={}).status_code == 400


def test_the_complaint_window_names_silence_in_each_laws_words(app, client, reporter):
    """Issue 15 part 3: FOISA has no deemed refusal; its window after silence (s.20(5)) is
    described as a failure to respond, the ATIA's as a deemed refusal (s.10(3))."""
    scot = h.institution(app, REPORTER, "Scottish Government", law_code="uk-sct-foisa")
    rcmp = h.institution(app, REPORTER)
    h.info_request(app, REPORTER, scot, title="Ferries", received_on=h.TODAY)
    h.info_request(app, REPORTER, rcmp, title="Body cameras", received_on=h.TODAY)
    calendar = fetch(client, make_feed(reporter))
    windows = {
        str(e["SUMMARY"]): str(e["DESCRIPTION"])
        for e in calendar.walk("VEVENT")
        if "Complaint window closes" in str(e["SUMMARY"])
    }
    foisa = windows["Complaint window closes: Ferries"]
    assert "unanswered after its due date (failure to respond)" in foisa
    assert "deemed refus" not in foisa
    atia = windows["Complaint window closes: Body cameras"]
    assert "unanswered after its due date (deemed refusal)" in atia
