"""The list's "days late" order (issue 17, part 1): every request by the days late its page
shows (``state.clock_end``), overdue, answered late, closed late, on time and still open alike,
ties broken by whether the clock still counts, the due date and the id; the API's cursors and
typed pages walk that one order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

import tests.api_helpers as h
from tests.conftest import AuthActions, page
from tracker import deadlines
from tracker.core import clock, db
from tracker.core.models import InfoRequest

TODAY = date(2027, 1, 15)
EMAIL = "reporter@example.org"


def _due(received: date) -> date:
    return deadlines.due_date("ca-atia", received)


@pytest.fixture(scope="module")
def dataset(module_app):
    """The module's requests (``_mix``), built once: the tests that read them share them."""
    return module_app, _mix(module_app)


@pytest.fixture
def data(dataset):
    """The app holding the module's requests."""
    return dataset[0]


@pytest.fixture
def mix(dataset):
    """The module's requests' ids."""
    return dataset[1]


@pytest.fixture
def reader(data):
    """A browser (or API client) on the module's requests."""
    return data.test_client()


def _mix(app) -> list[int]:
    """28 ATIA requests, twice the same 14 (so equal days late meet across a page break):
    overdue, not yet due, answered late and on time, closed late and before the due date."""
    h.quick_user(app, EMAIL, name="Marie Reporter")
    rcmp = h.institution(app, EMAIL)
    answered_received = date(2026, 3, 2)
    ids: list[int] = []
    with clock.frozen(TODAY):
        for copy in range(2):
            for days in (100, 4, 0, -10):  # still counting: due that many days before today
                target = TODAY - timedelta(days=days)
                received = next(
                    target - timedelta(days=n)
                    for n in range(20, 60)
                    if _due(target - timedelta(days=n)) == target
                )
                ids.append(
                    h.info_request(
                        app,
                        EMAIL,
                        rcmp,
                        title=f"open {days} {copy}",
                        received_on=received,
                        today=TODAY,
                    )
                )
            due = _due(answered_received)
            for late in (30, 4, -3, 100, 4):
                rid = h.info_request(
                    app,
                    EMAIL,
                    rcmp,
                    title=f"answered {late} {copy}",
                    received_on=answered_received,
                    today=TODAY,
                )
                h.event(
                    app,
                    EMAIL,
                    rid,
                    "final_response",
                    due + timedelta(days=late),
                    {"outcome": "partial"},
                    today=TODAY,
                )
                ids.append(rid)
            for late in (200, 100, 30, -5):
                rid = h.info_request(
                    app,
                    EMAIL,
                    rcmp,
                    title=f"closed {late} {copy}",
                    received_on=answered_received,
                    today=TODAY,
                )
                h.event(
                    app,
                    EMAIL,
                    rid,
                    "withdrawn",
                    due + timedelta(days=late),
                    {"closure": "abandoned"},
                    today=TODAY,
                )
                ids.append(rid)
    return ids


def expected(app) -> list[int]:
    """The order by the days late each request's API answer gives, then the tie-breaks."""
    with app.app_context():
        rows = (
            db.session()
            .execute(
                sa.select(
                    InfoRequest.id,
                    InfoRequest.due_on,
                    InfoRequest.responded_on,
                    InfoRequest.closed_on,
                )
            )
            .all()
        )
    keys = {}
    for rid, due, responded, closed in rows:
        counting = responded is None and closed is None
        end = TODAY if counting else (responded or closed)
        keys[rid] = (-max(0, (end - due).days), 0 if counting else 1, due, rid)
    return sorted(keys, key=keys.__getitem__)


def _walk(client, secret, url):
    """Every page from ``url`` through links.next: the ids and the pages' bodies."""
    bodies = []
    while url:
        body = client.get(url, headers=h.bearer(secret)).get_json()
        bodies.append(body)
        url = body["links"].get("next")
    return [item["id"] for b in bodies for item in b["items"]], bodies


def test_every_request_by_the_days_late_it_shows(data, reader, mix):
    with clock.frozen(TODAY):
        secret = h.token(data, EMAIL)
        order, bodies = _walk(reader, secret, "/api/v1/requests?sort=days_late")
        assert len(bodies) == 2 and sorted(order) == sorted(mix)
        shown = [
            (item["lateness"]["calendar_days_late"], item["lateness"]["counting"])
            for b in bodies
            for item in b["items"]
        ]
        # Most days late first, whatever stopped the clock; counting first at equal days.
        assert shown == sorted(shown, key=lambda s: (-s[0], not s[1]))
        assert shown[0] == (200, False) and {
            (100, True),
            (100, False),
            (4, True),
            (4, False),
        } <= set(shown)
        assert order == expected(data)
        # Back through links.prev from page 2, and page 2 typed: the same rows.
        back = reader.get(bodies[1]["links"]["prev"], headers=h.bearer(secret)).get_json()
        assert [i["id"] for i in back["items"]] == order[:25]
        typed = reader.get("/api/v1/requests?sort=days_late&page=2", headers=h.bearer(secret))
        assert [i["id"] for i in typed.get_json()["items"]] == order[25:]

        # The list page: the same order, with the days late shown in it.
        AuthActions(reader).login(EMAIL)
        soup = page(reader.get("/requests/?sort=days_late"))
        links = [a["href"] for a in soup.select("table a[href*='/requests/']")]
        assert [int(x.rsplit("/", 1)[1]) for x in links] == order[:25]


def test_one_status_by_days_late(data, reader, mix):
    """A status filter keeps the order by days late: answered ones by how late they were."""
    with clock.frozen(TODAY):
        secret = h.token(data, EMAIL)
        order, bodies = _walk(reader, secret, "/api/v1/requests?sort=days_late&status=answered")
        late = [i["lateness"]["calendar_days_late"] for b in bodies for i in b["items"]]
        assert late == [100, 100, 30, 30, 4, 4, 4, 4, 0, 0]
        assert order == [rid for rid in expected(data) if rid in order]
        order, bodies = _walk(reader, secret, "/api/v1/requests?sort=days_late&overdue=1")
        late = [i["lateness"]["calendar_days_late"] for b in bodies for i in b["items"]]
        assert late == [100, 100, 4, 4]
        assert order == [rid for rid in expected(data) if rid in order]


def test_the_stored_figure(data, mix):
    """The days late of a stopped clock are stored; a counting one stores none."""
    with data.app_context():
        session = db.session()
        rid = session.scalar(sa.select(InfoRequest.id).where(InfoRequest.title == "answered 30 0"))
        stored = session.scalar(
            sa.select(InfoRequest.days_late_stopped).where(InfoRequest.id == rid)
        )
        counting = session.scalar(
            sa.select(InfoRequest.days_late_stopped).where(InfoRequest.title == "open 100 0")
        )
    assert stored == 30 and counting is None


def test_a_hand_made_cursor_is_a_page_or_a_400_never_a_500(data, reader, mix):
    with clock.frozen(TODAY):
        secret = h.token(data, EMAIL)
        for cursor in ("999999999999~1~2026-01-01~1", "5~1~2026-01-01~1", "3~2~2026-01-01~1"):
            for way in ("after", "before"):
                url = f"/api/v1/requests?sort=days_late&page=2&{way}={cursor}"
                assert reader.get(url, headers=h.bearer(secret)).status_code in (200, 400), url
        answer = reader.get(
            "/api/v1/requests?sort=days_late&page=2&after=3000000~1~2026-01-01~1",
            headers=h.bearer(secret),
        )
        # Every request is less late than that: the page starts at the list's first row.
        assert answer.status_code == 200
        assert [i["id"] for i in answer.get_json()["items"]] == expected(data)[:25]


def test_the_list_csv_orders_by_the_days_late_it_shows_in_the_readers_day(app, client, auth):
    """A Honolulu reader at 06:00 UTC on 18 November: still the 17th there, already the 18th
    in Toronto (the server's default). A clock still counting is 5 days late for the reader
    (6 in Toronto); a request closed 6 days late stays 6. The CSV, sorted by days late, puts
    the closed one first, as its own column says; counting to Toronto's day tied them and put
    the counting one first."""
    import csv
    import io
    from datetime import UTC, datetime

    from tracker.core.models import Newsroom

    h.quick_user(app, EMAIL)
    with app.app_context(), db.transaction() as session:
        session.scalar(sa.select(Newsroom)).timezone = "Pacific/Honolulu"
    rcmp = h.institution(app, EMAIL)
    reader_today = date(2026, 11, 17)

    def received_for(due: date) -> date:
        return next(
            due - timedelta(days=n) for n in range(20, 60) if _due(due - timedelta(days=n)) == due
        )

    with clock.frozen(reader_today):
        counting = h.info_request(
            app,
            EMAIL,
            rcmp,
            title="counting",
            received_on=received_for(reader_today - timedelta(days=5)),
            today=reader_today,
        )
        closed_received = date(2026, 6, 1)
        closed = h.info_request(
            app, EMAIL, rcmp, title="closed", received_on=closed_received, today=reader_today
        )
        h.event(
            app,
            EMAIL,
            closed,
            "withdrawn",
            _due(closed_received) + timedelta(days=6),
            {"closure": "abandoned"},
            today=reader_today,
        )
    with clock.frozen_now(datetime(2026, 11, 18, 6, 0, tzinfo=UTC)):
        auth.login(EMAIL)
        response = client.get("/exports/requests.csv?sort=days_late")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    ids_column = next(name for name in rows[0] if name.lower() in {"id", "request id"})
    late_column = next(name for name in rows[0] if "late" in name.lower())
    assert [(int(r[ids_column]), int(r[late_column])) for r in rows] == [(closed, 6), (counting, 5)]
