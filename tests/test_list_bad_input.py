"""The request list under bad input and deep paging: a normal page, never a 500 or a scan."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.conftest import page
from tracker import db
from tracker.auth.service import NewUser, create_user
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
    "page=abc&after=%00%00&before=~~~",
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


def test_search_of_punctuation_only_reads_no_request(app, filled):
    response, statements = statements_of(app, filled, "/requests/?q=%25%25__!!%20--")
    assert response.status_code == 200
    assert "No request matches" in page(response).get_text()
    assert not [s for s in statements if "FROM info_request" in s]
    # A real search still finds its request, punctuation included.
    assert titles(filled.get("/requests/?q=a-007")) == ["Request 07 on bridges"]
