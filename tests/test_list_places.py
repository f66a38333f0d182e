"""Typed pages and the dashboard served from what tracker.requests.places keeps: the same rows
and counts as plain SQL, for any filters and sort, and never the figures of an older state.

The list keeps a count and places (the sort key of every PLACE_EVERY-th row) for a page typed
beyond the count limit; the tests make both small (PLACE_EVERY from 1, the limit 5) so that
every page past the first is read from kept places, stepped to on the way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import DataRevision, InfoRequest, User
from tracker.core.revisions import FIGURES_UNCHANGED, LISTS_UNCHANGED
from tracker.requests import places, queries
from tracker.requests.queries import RequestFilters

TODAY = date(2024, 6, 3)
LIMIT = 5  # the count limit: every page but the first is read from kept places
INSTITUTIONS = (
    ("agence du revenu", "ca-atia"),
    ("Bank of Canada", "ca-atia"),
    ("CBSA", "ca-on-fippa"),
    ("department of Finance", "us-foia"),
)


def fill(app: Any, n: int, today: date = TODAY) -> None:
    """n requests of one newsroom, over three reporters and four institutions under three
    laws: due dates that tie, some answered (late or not), some closed, the rest swept."""
    with builders.desk(
        app, "e@example.org", newsroom="Ed", password="long enough pw", role="editor", today=today
    ) as desk:
        institutions = [desk.institution(name, law) for name, law in INSTITUTIONS]
        desks = [desk, desk.colleague("a@example.org"), desk.colleague("b@example.org")]
        for i in range(n):
            received = today - timedelta(days=3 + (i * 37) % 97)
            made = desks[i % 3].request(
                institutions[(i * 7) % 4], f"Request {i:03d}", received=received
            )
            if i % 5 == 1:
                made.final_response(min(today, received + timedelta(days=10 + i % 60)))
            elif i % 11 == 2:
                made.withdrawn(min(today, received + timedelta(days=4)))
    result = app.test_cli_runner().invoke(args=["sweep", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output


@contextmanager
def small(every: int) -> Iterator[None]:
    """Places every ``every`` rows, kept afresh."""
    with mock.patch.object(places, "PLACE_EVERY", every):
        yield


def newsroom(session: Any) -> int:
    return session.scalar(sa.select(User.newsroom_id).where(User.email == "e@example.org"))


def reference(session: Any, filters: RequestFilters, today: date) -> list[int]:
    """Every matching id in the list's order: one plain ORDER BY, no paging."""
    query = queries.ordered(newsroom(session), filters, today=today)
    return list(session.scalars(query.with_only_columns(InfoRequest.id)))


def typed(session: Any, filters: RequestFilters, number: int, today: date) -> queries.Page:
    return queries.list_requests(
        session,
        newsroom(session),
        RequestFilters(**{**filters.__dict__, "page": number}),
        count_limit=LIMIT,
        today=today,
    )


def expect_pages(session: Any, filters: RequestFilters, numbers: list[int], today: date) -> None:
    """Each typed page holds the reference's rows for its number (the last page past the end)."""
    everything = reference(session, filters, today)
    pages = max(1, -(-len(everything) // 25))
    for number in numbers:
        shown = typed(session, filters, number, today)
        at = min(number, pages)
        assert shown.page == at
        if number == 1 and len(everything) > LIMIT:  # counted up to the limit only
            assert not shown.exact and shown.total == LIMIT + 1
        else:
            assert shown.total == len(everything) and shown.exact
        assert [r.id for r in shown.items] == everything[(at - 1) * 25 : at * 25], (number, filters)


@pytest.fixture(scope="module")
def dataset(module_app):
    fill(module_app, 140)
    return module_app


FILTERS = st.builds(
    RequestFilters,
    sort=st.sampled_from(sorted(queries.SORTS)),
    status=st.sampled_from([None, None, "overdue", "answered", "closed", "awaiting"]),
    law_code=st.sampled_from([None, None, "ca-atia", "us-foia"]),
    overdue=st.booleans(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    filters=FILTERS,
    owner=st.integers(0, 3),
    every=st.sampled_from([1, 2, 3, 7, 24, 25, 26, 2500]),
    numbers=st.lists(st.integers(1, 8), min_size=1, max_size=6),
    days=st.integers(0, 40),
)
def test_typed_pages_from_kept_places_are_the_plain_order(
    dataset, filters, owner, every, numbers, days
):
    today = TODAY + timedelta(days=days)
    with dataset.app_context(), small(every):
        session = db.session()
        if owner:
            people = sorted(session.scalars(sa.select(User.id)))
            filters = RequestFilters(**{**filters.__dict__, "owner_id": people[owner - 1]})
        # Twice: the first pages find and keep the places, in the order asked; then read again.
        expect_pages(session, filters, numbers, today)
        expect_pages(session, filters, [*reversed(numbers), 99], today)


def test_the_next_links_reach_the_typed_pages(dataset):
    filters = RequestFilters(sort="days_late")
    with dataset.app_context(), small(3):
        session = db.session()
        walked: list[list[int]] = []
        current = typed(session, filters, 1, TODAY)
        while True:
            walked.append([r.id for r in current.items])
            if not current.next_params:
                break
            current = typed(
                session,
                RequestFilters(sort="days_late", after=current.next_params["after"]),
                current.next_params["page"],
                TODAY,
            )
        assert len(walked) == 6
        for number, rows in enumerate(walked, 1):
            assert [r.id for r in typed(session, filters, number, TODAY).items] == rows


def test_a_deep_page_is_read_from_places_not_walked(dataset, monkeypatch):
    """Kept places: the second view of page 3 finds no place and skips fewer than
    PLACE_EVERY rows (the OFFSET of its one page query)."""
    offsets: list[int] = []
    found: list[int] = []
    real_page_query, real_place = queries.page_query, queries._place

    def page_query(*args: Any, **kw: Any) -> Any:
        offsets.append(kw.get("offset", 0))
        return real_page_query(*args, **kw)

    def place(*args: Any, **kw: Any) -> Any:
        found.append(1)
        return real_place(*args, **kw)

    monkeypatch.setattr(queries, "page_query", page_query)
    monkeypatch.setattr(queries, "_place", place)
    with dataset.app_context(), small(10):
        session = db.session()
        filters = RequestFilters(sort="received")
        typed(session, filters, 3, TODAY)  # first view: finds the place before page 3
        assert found == [1]
        offsets.clear()
        typed(session, filters, 3, TODAY)
        assert found == [1]  # nothing more to find
        assert offsets and max(offsets) < 10


# Writes that change the list, each through another path; each must show at once.


def _new_request(app: Any) -> None:
    with builders.desk(app, "e@example.org", today=TODAY, newsroom="Ed") as desk:
        desk.request("CBSA", "Filed today, due long ago", received=TODAY - timedelta(days=400))


def _sql_text(app: Any) -> None:
    with app.app_context(), db.transaction() as session:
        first = session.scalar(sa.select(sa.func.min(InfoRequest.id)))
        session.execute(
            sa.text("UPDATE info_request SET due_on = :d WHERE id = :i"),
            {"d": TODAY - timedelta(days=900), "i": first},
        )


def _bulk_delete(app: Any) -> None:
    with app.app_context(), db.transaction() as session:
        last = session.scalar(sa.select(sa.func.max(InfoRequest.id)))
        session.execute(sa.delete(InfoRequest).where(InfoRequest.id == last))


def _sweep_tomorrow(app: Any) -> None:
    later = TODAY + timedelta(days=30)
    result = app.test_cli_runner().invoke(args=["sweep", "--today", later.isoformat()])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("write", "filters"),
    [
        (_new_request, RequestFilters()),
        (_sql_text, RequestFilters(sort="due")),
        (_bulk_delete, RequestFilters(sort="received")),
        (_sweep_tomorrow, RequestFilters(status="overdue", sort="institution")),
        (_sweep_tomorrow, RequestFilters(overdue=True, sort="days_late")),
    ],
    ids=["form", "sql text", "bulk delete", "sweep, status", "sweep, days late"],
)
def test_the_page_after_a_write_shows_the_write(app, write, filters):
    fill(app, 90)
    with small(4):
        with app.app_context():
            session = db.session()
            before = reference(session, filters, TODAY)
            expect_pages(session, filters, [4, 2, 3], TODAY)
        write(app)
        with app.app_context():
            session = db.session()
            after = reference(session, filters, TODAY)
            assert after != before  # the write changed the list
            expect_pages(session, filters, [4, 2, 3, 9], TODAY)


def test_a_new_day_reorders_the_days_late(app):
    fill(app, 60)
    filters = RequestFilters(sort="days_late")
    with app.app_context(), small(2):
        session = db.session()
        for days in (0, 1, 0, 45, 1):
            expect_pages(session, filters, [3, 2], TODAY + timedelta(days=days))


def test_the_list_page_typed_deep_after_a_write(app, client, auth, monkeypatch):
    """Through the web: a page typed beyond the count limit, a request filed, the page again."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", 10)
    fill(app, 60)
    auth.login("e@example.org", "long enough pw")

    def shown() -> list[int]:
        with clock.frozen(TODAY):
            response = client.get("/requests/?page=3&sort=received")
        links = page(response).select("#request-list tbody td a")
        return [int(a["href"].rsplit("/", 1)[1]) for a in links]

    first = shown()
    assert len(first) == 10
    with builders.desk(app, "e@example.org", today=TODAY, newsroom="Ed") as desk:
        desk.request("CBSA", "The newest", received=TODAY)
    again = shown()
    assert again[1:] == first  # everything moved down one row: page 2's last came in
    assert len(again) == 11


# The dashboard.


def plain_counts(session: Any, today: date) -> dict[str, int]:
    n = newsroom(session)
    mine = sa.select(sa.func.count()).select_from(InfoRequest).where(InfoRequest.newsroom_id == n)
    return {
        "overdue": session.scalar(mine.where(InfoRequest.status == "overdue")),
        "due_soon": session.scalar(
            mine.where(
                InfoRequest.status.in_(("awaiting", "on_hold")),
                InfoRequest.due_on.between(today, today + timedelta(days=7)),
            )
        ),
        "complaint_closing": session.scalar(
            mine.where(
                InfoRequest.status.in_(("overdue", "answered")),
                InfoRequest.complaint_due_on.between(today, today + timedelta(days=14)),
            )
        ),
        "open": session.scalar(mine.where(InfoRequest.status != "closed")),
    }


def board(app: Any, today: date) -> tuple[queries.Dashboard, dict[str, int]]:
    with app.app_context():
        session = db.session()
        return queries.dashboard(session, newsroom(session), today), plain_counts(session, today)


def test_the_dashboard_counts_are_plain_counts_after_each_write(app):
    fill(app, 50)
    shown, counts = board(app, TODAY)
    assert shown.counts == counts
    assert board(app, TODAY)[0] is shown  # kept: the same figures, not read again
    with builders.desk(app, "e@example.org", today=TODAY, newsroom="Ed") as desk:
        desk.request("CBSA", "Due within the week", received=TODAY - timedelta(days=25))
    after, counts = board(app, TODAY)
    assert after.counts == counts
    assert after.counts["due_soon"] == shown.counts["due_soon"] + 1
    _sweep_tomorrow(app)  # the sweep changes statuses alone
    later, counts = board(app, TODAY)
    assert later.counts == counts and later.counts["overdue"] > after.counts["overdue"]
    # Another day: other windows.
    tomorrow, counts = board(app, TODAY + timedelta(days=1))
    assert tomorrow.counts == counts


def test_the_dashboard_page_shows_a_new_overdue_request(app, client, auth):
    fill(app, 20)
    auth.login("e@example.org", "long enough pw")
    with clock.frozen(TODAY):
        before = client.get("/").get_data(as_text=True)
    with builders.desk(app, "e@example.org", today=TODAY, newsroom="Ed") as desk:
        desk.request("CBSA", "Long overdue: ferries", received=TODAY - timedelta(days=200))
    _sweep_tomorrow(app)
    with clock.frozen(TODAY):
        after = client.get("/").get_data(as_text=True)
    assert "ferries" not in before and "ferries" in after


# The token itself.


def state(app: Any) -> tuple[int, int]:
    with app.app_context():
        row = db.session().execute(sa.select(DataRevision.revision, DataRevision.list_state)).one()
        return row[0], row[1]


def test_which_writes_draw_a_new_token(app):
    fill(app, 3)
    revision, token = state(app)
    assert token != 0

    def update(**options: Any) -> None:
        with app.app_context(), db.transaction() as session:
            session.execute(
                sa.update(InfoRequest)
                .values(updated_at=InfoRequest.updated_at)
                .execution_options(synchronize_session=False, **options)
            )

    update(**{FIGURES_UNCHANGED: True, LISTS_UNCHANGED: True})
    assert state(app) == (revision, token)
    update(**{FIGURES_UNCHANGED: True})
    moved, drawn = state(app)
    assert moved == revision and drawn != token
    update()
    assert state(app)[0] == revision + 1 and state(app)[1] != drawn


def test_the_store_is_bounded():
    kept = places.Store(size=3)
    for i in range(10):
        kept.put(i, i)
    assert len(kept) == 3 and kept.get(9) == 9 and kept.get(0) is None


def test_nothing_is_kept_for_a_search_or_labels(dataset):
    assert queries.keepable(RequestFilters(status="overdue", owner_id=1, law_code="ca-atia"))
    for filters in (
        RequestFilters(q="bridge"),
        RequestFilters(project_id=1),
        RequestFilters(tag="x"),
        RequestFilters(ids=(1, 2)),
    ):
        assert not queries.keepable(filters)


# The dashboard's letters due soonest (tracker.letters.service.reminders).


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days=st.integers(-60, 60), limit=st.sampled_from([1, 3, 10, 30, 200]))
def test_the_letters_due_soonest_are_the_plain_order(dataset, days, limit):
    from tracker.letters import service as letters

    today = TODAY + timedelta(days=days)
    with dataset.app_context():
        session = db.session()
        rows = session.execute(
            sa.select(
                InfoRequest.id, InfoRequest.status, InfoRequest.due_on, InfoRequest.complaint_due_on
            ).where(InfoRequest.newsroom_id == newsroom(session))
        ).all()
        matching = [
            r
            for r in rows
            if r.status in letters._OPEN
            and (
                (r.complaint_due_on is not None and r.complaint_due_on >= today)
                or today <= r.due_on <= today + timedelta(days=letters.FOLLOW_UP_DAYS)
            )
        ]
        matching.sort(key=lambda r: (r.complaint_due_on or r.due_on, r.id))
        found = session.scalars(letters._soonest(newsroom(session), today, limit)).all()
        assert list(found) == [r.id for r in matching[:limit]]
