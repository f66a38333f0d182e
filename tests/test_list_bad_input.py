"""The request list under bad input and deep paging: a normal page, never a 500 or a scan."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests import builders
from tests.conftest import AuthActions, page

TODAY = date(2024, 6, 3)
N = 60
EDITOR, PASSWORD = "e@example.org", "long enough pw"


def _fill(app) -> None:
    """N requests of one newsroom, due on distinct days."""
    with builders.desk(
        app, EDITOR, newsroom="Ed", password=PASSWORD, role="editor", today=TODAY
    ) as desk:
        transport = desk.institution("Transport Canada", "ca-atia")
        for i in range(N):
            desk.request(
                transport,
                f"Request {i:02d} on bridges",
                received=TODAY - timedelta(days=400 - 3 * i),
                file_number=f"A-{i:03d}",
            )


@pytest.fixture(scope="module")
def dataset(module_app):
    """The requests, built once: every test here but the sweep's only reads them."""
    _fill(module_app)
    return module_app


@pytest.fixture
def reader(dataset):
    """The editor logged in on the module's dataset."""
    client = dataset.test_client()
    AuthActions(client).login(EDITOR, PASSWORD)
    return client


@pytest.fixture
def filled(app, client, auth):
    """The same requests in the test's own database (for a test that writes), the editor
    logged in."""
    _fill(app)
    auth.login(EDITOR, PASSWORD)
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


def test_next_and_previous_links_walk_every_request_once_in_order(reader):
    seen: list[str] = []
    url = "/requests/?sort=received"
    for _ in range(5):
        response = reader.get(url)
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
        response = reader.get(url)
        back = titles(response) + back
        found = re.search(r'href="([^"]+)" rel="prev"', response.get_data(as_text=True))
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
    assert back == seen


def test_page_past_the_end_shows_the_last_page(reader):
    response = reader.get("/requests/?page=999999")
    assert response.status_code == 200
    assert "page 3 of 3" in page(response).select_one(".count").get_text()
    assert titles(response) == [f"Request {i:02d} on bridges" for i in range(50, N)]
    # A page typed by number near the end is read from that end: same rows as walking there.
    assert titles(reader.get("/requests/?page=2")) == [
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


def test_bad_sort_page_and_cursor_give_a_normal_page(reader):
    for query in BAD_QUERIES:
        response = reader.get(f"/requests/?{query}")
        assert response.status_code == 200, query
        assert len(titles(response)) in (25, 10), query
    # A NUL character is refused outright, naming the parameter (tracker.core.errors).
    response = reader.get("/requests/?page=abc&after=%00%00&before=~~~")
    assert response.status_code == 400 and "'after'" in page(response).get_text()


def test_search_of_punctuation_only_reads_no_request(dataset, reader):
    response, statements = statements_of(dataset, reader, "/requests/?q=%25%25__!!%20--")
    assert response.status_code == 200
    assert "No request matches" in page(response).get_text()
    assert not [s for s in statements if "FROM info_request" in s]
    # A real search still finds its request, punctuation included.
    assert titles(reader.get("/requests/?q=a-007")) == ["Request 07 on bridges"]


@pytest.fixture
def count_limit_10(monkeypatch):
    """Count at most 10 matches, as the list counts at most 10,000 in a big newsroom."""
    from tracker.requests import queries

    monkeypatch.setattr(queries, "COUNT_LIMIT", 10)


def test_beyond_the_count_limit_the_list_says_more_than_and_still_walks_every_row(
    dataset, reader, count_limit_10
):
    first, statements = statements_of(dataset, reader, "/requests/?sort=received")
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
        response = reader.get(url)
    assert seen == [f"Request {i:02d} on bridges" for i in reversed(range(N))]
    last = page(response)
    assert last.select_one(".pager span").get_text() == "Page 3"
    assert last.select('a[rel="next"]') == []
    # Back from the last page: the rows of page 2.
    found = re.search(r'href="([^"]+)" rel="prev"', response.get_data(as_text=True))
    back = reader.get(found.group(1).replace("&amp;", "&"))
    assert titles(back) == [f"Request {i:02d} on bridges" for i in reversed(range(10, 35))]
    # A page typed beyond the limit counts every match, to know where the end is.
    typed = reader.get("/requests/?sort=received&page=99")
    assert page(typed).select_one(".count").get_text() == "60 requests · page 3 of 3"
    assert titles(typed) == [f"Request {i:02d} on bridges" for i in reversed(range(10))]
    # Under the limit the count is exact.
    few = reader.get("/requests/?q=request+0")
    assert page(few).select_one(".count").get_text() == "10 requests"


def test_dashboard_counts_stop_at_the_limit(reader, count_limit_10):
    from tracker.core import clock

    with clock.frozen(TODAY + timedelta(days=400)):
        board = page(reader.get("/"))
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
