"""The API's list pages with cursors: links.next walks every request once, in the list's
order, at a constant number of statements a page; counts stop at the limit and say so; a
malformed cursor is a 400 in JSON."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests import api_helpers as h
from tests import builders
from tracker.core import clock, db
from tracker.requests import queries

REPORTER = "reporter@example.org"
OTHER = "other@example.org"  # another newsroom
N = 60  # three pages of 25, the last one short
NAMES = ("agence du revenu", "Bank of Canada", "CBSA")  # byte order differs from lower()


@pytest.fixture(scope="module")
def dataset(module_app):
    """N requests in the reporter's newsroom (three received on each day, so due dates tie),
    a few in another newsroom, and the reporter's API token. Built once: every test here
    only reads."""
    with builders.desk(module_app, REPORTER, name="Marie Reporter", today=h.TODAY) as desk:
        institutions = [desk.institution(name) for name in NAMES]
        for i in range(N):
            desk.request(
                institutions[i % 3],
                f"Request {i:02d} about {'bridges' if i % 2 else 'ports'}",
                received=date(2023, 1, 2) + timedelta(days=(i // 3) * 17),
            )
        other = desk.colleague(OTHER, name="Olga Other", newsroom="Le Devoir")
        theirs = other.institution()
        for i in range(5):
            other.request(theirs, f"Theirs {i}")
    with clock.frozen(h.TODAY):
        return module_app, h.bearer(h.token(module_app, REPORTER))


@pytest.fixture
def app(dataset):
    """The module's dataset (conftest's `app` would be an empty database of the test's own)."""
    return dataset[0]


@pytest.fixture
def key(dataset):
    """The reporter's Authorization header, today frozen as when the data were made."""
    with clock.frozen(h.TODAY):
        yield dataset[1]


@pytest.fixture
def count_limit_10(monkeypatch):
    """Count at most 10 matches, as the API counts at most 10,000 in a big newsroom."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", 10)


def ordered_ids(app, **filters) -> list[int]:
    """Every matching request of the reporter's newsroom in one ordered read."""
    with app.app_context():
        session = db.session()
        newsroom_id = h.user_by_email(session, REPORTER).newsroom_id
        query = queries.ordered(newsroom_id, queries.RequestFilters(**filters))
        return [r.id for r in session.scalars(query)]


class Statements:
    """Counts the SQL statements the app's engine runs."""

    def __init__(self, app) -> None:
        self.count = 0
        self.engine = app.extensions["engine"]

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, *args: object) -> None:
        self.count += 1


def walk(app, client, key, url: str) -> tuple[list[dict], list[int]]:
    """Every page from ``url`` through links.next, and the statements each one ran."""
    bodies: list[dict] = []
    statements: list[int] = []
    while url and len(bodies) < 10:
        with Statements(app) as counted:
            response = client.get(url, headers=key)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        bodies.append(body)
        statements.append(counted.count)
        url = body["links"]["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
    return bodies, statements


QUERIES = [
    ("due", {}),
    ("received", {}),
    ("institution", {}),
    ("days_late", {}),
    ("institution", {"q": "bridges"}),
]


@pytest.mark.parametrize(("sort", "more"), QUERIES)
def test_next_links_walk_every_request_once_in_order_at_constant_cost(
    app, client, key, count_limit_10, sort, more
):
    url = "/api/v1/requests?" + "&".join(f"{k}={v}" for k, v in {"sort": sort, **more}.items())
    expected = ordered_ids(app, sort=sort, **more)
    assert len(expected) > 25
    with clock.frozen(h.TODAY):
        client.get(url, headers=key)  # the token's first use is noted, once
        bodies, statements = walk(app, client, key, url)
    assert [i["id"] for b in bodies for i in b["items"]] == expected
    assert [b["page"] for b in bodies] == list(range(1, len(bodies) + 1))
    assert all("after=" in b["links"]["next"] for b in bodies[:-1])
    assert len(set(statements)) == 1, statements  # the first page, the cursor pages, the last
    # Counting stopped at the limit, and says so; the number of pages is then unknown.
    assert (bodies[0]["total"], bodies[0]["total_exact"], bodies[0]["pages"]) == (10, False, None)
    # Back from the last page through links.prev: the same pages.
    url, back = bodies[-1]["links"]["prev"], [bodies[-1]["items"]]
    while url:
        body = client.get(url, headers=key).get_json()
        back.insert(0, body["items"])
        url = body["links"]["prev"]
    assert back == [b["items"] for b in bodies]


def test_pages_by_number_still_work_and_count_exactly_beyond_the_limit(
    app, client, key, count_limit_10
):
    expected = ordered_ids(app, sort="received")
    with clock.frozen(h.TODAY):
        bodies = [
            client.get(f"/api/v1/requests?sort=received&page={n}", headers=key).get_json()
            for n in (1, 2, 3)
        ]
        past_the_end = client.get("/api/v1/requests?sort=received&page=99", headers=key)
    assert [i["id"] for b in bodies for i in b["items"]] == expected
    # A page typed beyond the limit counts every match, to know where the end is.
    assert [(b["total"], b["total_exact"], b["pages"]) for b in bodies[1:]] == [(N, True, 3)] * 2
    assert past_the_end.get_json()["page"] == 3
    assert past_the_end.get_json()["items"] == bodies[2]["items"]


def test_under_the_limit_the_total_is_exact(client, key):
    with clock.frozen(h.TODAY):
        body = client.get("/api/v1/requests?q=bridges", headers=key).get_json()
    assert (body["total"], body["total_exact"], body["pages"]) == (N // 2, True, 2)


BAD_CURSORS = [
    ("page=2&after=garbage", "after"),
    ("page=2&after=", "after"),
    ("page=2&before=2023-13-01~4", "before"),
    ("page=2&after=2023-01-02~-4", "after"),
    ("sort=institution&page=2&after=2023-01-02~4", "after"),  # a due-date cursor
    ("sort=institution&page=2&after=agence~2023-01-02~4", "after"),  # before 0007: no id
    ("sort=days_late&page=2&after=agence~2023-01-02~4", "after"),
    ("sort=institution&page=2&after=%00~2023-01-02~4", "after"),
    ("page=2&after=2023-01-02~" + "4" * 500, "after"),
    ("page=2&after=2023-01-02~4&before=2023-01-02~9", "before"),
    ("after=2023-01-02~4", "page"),  # a cursor without the page it leads to
    ("page=1&after=2023-01-02~4", "page"),
]


@pytest.mark.parametrize(("query", "field"), BAD_CURSORS)
def test_a_malformed_cursor_is_a_400_naming_it(client, key, query, field):
    response = client.get(f"/api/v1/requests?{query}", headers=key)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == "Bad Request" and body["reason"] and body["field"] == field


def test_a_cursor_never_reaches_another_newsroom(app, client, key):
    with clock.frozen(h.TODAY):
        body = client.get("/api/v1/requests?page=2&after=1900-01-01~0", headers=key).get_json()
    assert not [i for i in body["items"] if i["title"].startswith("Theirs")]
    assert [i["id"] for i in body["items"]] == ordered_ids(app)[:25]
