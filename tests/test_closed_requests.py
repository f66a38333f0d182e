"""A request closed without an answer stops its clock on the day it closed (issue 17, part 1).

Four ATIA requests received 2024-02-01, due 2024-03-04 (day 30 is a Saturday, rolled):
withdrawn a week after receipt, abandoned 30 days after the due date, still open, and answered
10 days late. Every surface (request page, list, dashboard, CSV export, API, alert mail,
packet, scorecard) must give the same days late.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tests.api_helpers as h
from tests.conftest import page
from tracker import deadlines
from tracker.alerts.mail import request_facts
from tracker.core import clock, db
from tracker.packets.letter import draft_letter
from tracker.packets.service import dossier_for
from tracker.requests import service
from tracker.requests.describe import lateness
from tracker.requests.state import EventFact, clock_end, derive_state
from tracker.scorecards.service import compute

TODAY = date(2027, 1, 15)
RECEIVED = date(2024, 2, 1)
DUE = date(2024, 3, 4)
EMAIL = "reporter@example.org"


@pytest.fixture
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def four(app, auth, frozen_today):
    """The four requests, logged and closed through the request service; their ids."""
    h.quick_user(app, EMAIL, name="Marie Reporter")
    rcmp = h.institution(app, EMAIL)
    ids = {}
    for name in ("withdrawn", "abandoned", "open", "answered"):
        ids[name] = h.info_request(
            app, EMAIL, rcmp, title=f"Request {name}", received_on=RECEIVED, today=TODAY
        )
    h.event(app, EMAIL, ids["withdrawn"], "withdrawn", date(2024, 2, 8), today=TODAY)
    h.event(
        app,
        EMAIL,
        ids["abandoned"],
        "withdrawn",
        date(2024, 4, 3),
        {"closure": "abandoned"},
        today=TODAY,
    )
    h.event(
        app,
        EMAIL,
        ids["answered"],
        "final_response",
        date(2024, 3, 14),
        {"outcome": "partial"},
        today=TODAY,
    )
    auth.login(EMAIL)
    return ids


def expected_days() -> dict[str, int]:
    return {
        "withdrawn": 0,
        "abandoned": (date(2024, 4, 3) - DUE).days,
        "open": (TODAY - DUE).days,
        "answered": 10,
    }


def test_the_one_definition(app, four):
    """clock_end and lateness(): the answer, else the closing, else today."""
    assert clock_end(None, None, TODAY) == TODAY
    assert clock_end(date(2024, 3, 14), None, TODAY) == date(2024, 3, 14)
    assert clock_end(None, date(2024, 2, 8), TODAY) == date(2024, 2, 8)
    with app.app_context():
        for name, rid in four.items():
            request = service.load_request(db.session(), rid)
            late = lateness(request, TODAY)
            assert late.calendar_days_late == expected_days()[name], name
            assert late.counting == (name == "open"), name
    assert expected_days()["abandoned"] == 30


def test_request_page_says_when_the_clock_stopped(client, four):
    withdrawn = page(client.get(f"/requests/{four['withdrawn']}"))
    text = withdrawn.select_one("#lateness").get_text(" ", strip=True)
    assert "late" not in text.replace("closed before", "")
    assert "deemed refused from" not in withdrawn.select_one(".deadline-box").get_text()
    assert "never late nor deemed refused" in withdrawn.select_one("#closure").get_text()

    abandoned = page(client.get(f"/requests/{four['abandoned']}"))
    text = abandoned.select_one("#lateness").get_text(" ", strip=True)
    assert "30 calendar days late" in text
    assert "and counting" not in text
    assert "counted to" in text and "abandoned" in text
    # It was past due before it closed: the deemed refusal stands.
    assert "deemed refused from" in text

    still_open = page(client.get(f"/requests/{four['open']}"))
    text = still_open.select_one("#lateness").get_text(" ", strip=True)
    assert f"{(TODAY - DUE).days} calendar days late" in text and "and counting" in text


def _late_cells(soup, ids):
    cells = {}
    for name, rid in ids.items():
        link = soup.select_one(f'a[href$="/requests/{rid}"]')
        if link is not None:
            cells[name] = link.find_parent("tr").get_text(" ", strip=True)
    return cells


def test_list_sorted_by_days_late(client, four):
    soup = page(client.get("/requests/?sort=days_late"))
    cells = _late_cells(soup, four)
    assert "30 days late" in cells["abandoned"]
    assert "days late" not in cells["withdrawn"] and "closed before" in cells["withdrawn"]
    assert f"{(TODAY - DUE).days} days late" in cells["open"]
    order = [a["href"] for a in soup.select("table a[href*='/requests/']")]
    # The open (overdue) request comes first: the only one still counting.
    assert order[0].endswith(f"/requests/{four['open']}")


def test_dashboard_lists_only_the_open_request_as_overdue(client, four):
    soup = page(client.get("/"))
    cells = _late_cells(soup, four)
    assert set(cells) == {"open"}


def test_csv_export_days_late(client, four):
    text = client.get("/exports/requests.csv").get_data(as_text=True)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text[1:], newline=""))}
    for name, rid in four.items():
        assert int(rows[str(rid)]["days_late"]) == expected_days()[name], name


def test_api_lateness(app, client, four):
    secret = h.token(app, EMAIL)
    for name, rid in four.items():
        body = client.get(f"/api/v1/requests/{rid}", headers=h.bearer(secret)).get_json()
        assert body["lateness"]["calendar_days_late"] == expected_days()[name], name
        assert body["lateness"]["counting"] == (name == "open")
    abandoned = client.get(f"/api/v1/requests/{four['abandoned']}", headers=h.bearer(secret))
    assert abandoned.get_json()["lateness"]["counted_to"] == "2024-04-03"
    listed = client.get("/api/v1/requests?sort=days_late", headers=h.bearer(secret)).get_json()
    by_id = {item["id"]: item["lateness"]["calendar_days_late"] for item in listed["items"]}
    assert by_id[four["withdrawn"]] == 0 and by_id[four["abandoned"]] == 30


def test_alert_mail_counts_to_the_closing(app, four):
    with app.app_context():
        for name, rid in four.items():
            request = service.load_request(db.session(), rid)
            assert request_facts(request, TODAY)["days_late"] == expected_days()[name], name


def test_packet_counts_to_the_closing(app, four):
    with app.app_context():
        withdrawn = service.load_request(db.session(), four["withdrawn"])
        d = dossier_for(withdrawn, generated_at=clock.now(), today=TODAY, tz="America/Toronto")
        assert not d.late and d.deemed_refusal_on is None
        assert "before the deadline, without a response" in draft_letter(d)

        abandoned = service.load_request(db.session(), four["abandoned"])
        d = dossier_for(abandoned, generated_at=clock.now(), today=TODAY, tz="America/Toronto")
        assert d.days_late_calendar == 30 and d.lateness_as_of == date(2024, 4, 3)
        assert d.deemed_refusal_on == DUE + timedelta(days=1)
        assert "closed on 2024-04-03 without a response: 30 calendar days" in draft_letter(d)


def test_scorecard_counts_to_the_closing(app, four):
    with app.app_context():
        newsroom_id = h.user_by_email(db.session(), EMAIL).newsroom_id
        (rcmp,) = compute(db.session(), newsroom_id, TODAY).institutions
    assert rcmp.filed == 4
    assert rcmp.judged == 3  # the withdrawn one closed before its due date
    assert rcmp.late == 3 and rcmp.on_time == 0
    assert rcmp.worst_days_late == (TODAY - DUE).days
    assert rcmp.median_days_late == 30


@given(
    closed_after=st.integers(min_value=0, max_value=400),
    today_after=st.integers(min_value=0, max_value=4000),
)
def test_a_closed_request_is_never_late_beyond_its_closing(closed_after, today_after):
    """Whatever today is, a request closed without an answer is late by at most the days
    from its due date to its closing, and not at all when it closed by the due date."""
    closed_on = RECEIVED + timedelta(days=closed_after)
    today = closed_on + timedelta(days=today_after)
    events = [EventFact(1, "withdrawn", closed_on, details={"closure": "abandoned"})]
    state = derive_state("ca-atia", None, RECEIVED, events, today)
    assert state.status == "closed" and state.closed_on == closed_on
    until = clock_end(state.responded_on, state.closed_on, today)
    assert until == closed_on
    late, _ = deadlines.days_late("ca-atia", state.due_on, until)
    assert late == max(0, (closed_on - state.due_on).days)
