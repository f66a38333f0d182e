"""The request list under bad input and deep paging: a normal page, never a 500 or a scan."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.conftest import page
from tracker.auth.service import NewUser, create_user
from tracker.core import db
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service

TODAY = date(2024, 6, 3)
N = 60


@pytest.fixture
def filled(app, client, auth):
    """N requests of one newsroom, due on distinct days, and the editor logged in."""
    with app.app_context(), db.transaction() as session:
        user = create_user(session, NewUser("e@example.org", "Ed", "long enough pw", role="editor"))
        institution = create_institution(
            session, user.newsroom_id, InstitutionData("Transport Canada", "ca-atia")
        )
        for i in range(N):
            service.create_request(
                session,
                user,
                service.RequestData(
                    institution_id=institution.id,
                    title=f"Request {i:02d} on bridges",
                    received_on=TODAY - timedelta(days=400 - 3 * i),
                    file_number=f"A-{i:03d}",
                ),
                TODAY,
            )
    auth.login("e@example.org", "long enough pw")
    return client


def titles(response) -> list[str]:
    return [a.get_text() for a in page(response).select("#request-list tbody td a")]


def statements_of(app, client, url: str) -> tuple[object, list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return response, seen


def test_next_and_previous_links_walk_every_request_once_in_order(filled):
    seen: list[str] = []
    url = "/requests/?sort=received"
    for _ in range(5):
        response = filled.get(url)
        assert response.status_code == 200
        seen += titles(response)
        found = re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True))
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
        assert "after=" in url
    assert seen == [f"Request {i:02d} on bridges" for i in reversed(range(N))]
    # Back from the last page through the "Previous" links.
    back: list[str] = []
    for _ in range(5):
        response = filled.get(url)
        back = titles(response) + back
        found = re.search(r'href="([^"]+)" rel="prev"', response.get_data(as_text=True))
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
    assert back == seen


def test_page_past_the_end_shows_the_last_page(filled):
    response = filled.get("/requests/?page=999999")
    assert response.status_code == 200
    assert "page 3 of 3" in page(response).select_one(".count").get_text()
    assert titles(response) == [f"Request {i:02d} on bridges" for i in range(50, N)]
    # A page typed by number near the end is read from that end: same rows as walking there.
    assert titles(filled.get("/requests/?page=2")) == [
        f"Request {i:02d} on bridges" for i in range(25, 50)
    ]


BAD_QUERIES = (
    "sort=drop%20table",
    "sort=__class__",
    "page=abc&after=%01%01&before=~~~",
    "page=2&after=not-a-date~12",
    "page=2&after=2024-01-01~99999999999999999999",
    "sort=institution&page=2&after=%27%3B--~2024-01-01~1",
    "sort=days_late&page=2&before=x~2024-01-01~1",
    "page=-1",
)


def test_bad_sort_page_and_cursor_give_a_normal_page(filled):
    for query in BAD_QUERIES:
        response = filled.get(f"/requests/?{query}")
        assert response.status_code == 200, query
        assert len(titles(response)) in (25, 10), query
    # A NUL character is refused outright, naming the parameter (tracker.core.errors).
    response = filled.get("/requests/?page=abc&after=%00%00&before=~~~")
    assert response.status_code == 400 and "'after'" in page(response).get_text()


def test_search_of_punctuation_only_reads_no_request(app, filled):
    response, statements = statements_of(app, filled, "/requests/?q=%25%25__!!%20--")
    assert response.status_code == 200
    assert "No request matches" in page(response).get_text()
    assert not [s for s in statements if "FROM info_request" in s]
    # A real search still finds its request, punctuation included.
    assert titles(filled.get("/requests/?q=a-007")) == ["Request 07 on bridges"]


@pytest.fixture
def count_limit_10(monkeypatch):
    """Count at most 10 matches, as the list counts at most 10,000 in a big newsroom."""
    from tracker.requests import queries

    monkeypatch.setattr(queries, "COUNT_LIMIT", 10)


def test_beyond_the_count_limit_the_list_says_more_than_and_still_walks_every_row(
    app, filled, count_limit_10
):
    first, statements = statements_of(app, filled, "/requests/?sort=received")
    assert page(first).select_one(".count").get_text() == "More than 10 requests · page 1"
    assert "LIMIT" in next(s for s in statements if "count(" in s)
    assert len(titles(first)) == 25
    seen, url, response = [], "/requests/?sort=received", first
    for _ in range(5):
        seen += titles(response)
        found = re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True))
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
        response = filled.get(url)
    assert seen == [f"Request {i:02d} on bridges" for i in reversed(range(N))]
    last = page(response)
    assert last.select_one(".pager span").get_text() == "Page 3"
    assert last.select('a[rel="next"]') == []
    # Back from the last page: the rows of page 2.
    found = re.search(r'href="([^"]+)" rel="prev"', response.get_data(as_text=True))
    back = filled.get(found.group(1).replace("&amp;", "&"))
    assert titles(back) == [f"Request {i:02d} on bridges" for i in reversed(range(10, 35))]
    # A page typed beyond the limit counts every match, to know where the end is.
    typed = filled.get("/requests/?sort=received&page=99")
    assert page(typed).select_one(".count").get_text() == "60 requests · page 3 of 3"
    assert titles(typed) == [f"Request {i:02d} on bridges" for i in reversed(range(10))]
    # Under the limit the count is exact.
    few = filled.get("/requests/?q=request+0")
    assert page(few).select_one(".count").get_text() == "10 requests"


def test_dashboard_counts_stop_at_the_limit(app, filled, count_limit_10):
    from tracker.core import clock

    with clock.frozen(TODAY + timedelta(days=400)):
        board = page(filled.get("/"))
    numbers = [n.get_text() for n in board.select(".counts .n")]
    assert numbers[0] == "10+"  # all 60 are overdue by then
    assert "10+ requests not closed" in board.get_text()
    assert "All 10+ overdue requests" in board.get_text()


def test_overdue_by_days_late_walks_in_due_order_from_an_index(app, filled):
    from tracker.core import clock

    later = TODAY + timedelta(days=400)  # every request is overdue by then
    result = app.test_cli_runner().invoke(args=["sweep", "--today", later.isoformat()])
    assert result.exit_code == 0, result.output
    url, seen = "/requests/?overdue=1&sort=days_late", []
    with clock.frozen(later):
        for _ in range(5):
            response, statements = statements_of(app, filled, url)
            seen += titles(response)
            found = re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True))
            if not found:
                break
            url = found.group(1).replace("&amp;", "&")
    assert seen == [f"Request {i:02d} on bridges" for i in range(N)]  # most days late first
    # One status whose clock counts: only those requests are read, in the due date's order
    # (an index range); the stopped ones are not scanned (no UNION of the two halves).
    page_query = next(s for s in statements if "ORDER BY" in s and "LIMIT" in s)
    assert "ORDER BY info_request.due_on, info_request.id" in page_query
    assert "UNION" not in page_query
