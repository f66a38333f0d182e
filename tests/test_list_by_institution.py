"""The list sorted by institution: Next and Previous links walk every request once in the order
(name in any case, institution, due date, id), two institutions of one name are not
interleaved, old or broken cursors give a normal page, and a page is read by walking the
indexes, not by sorting every match."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from urllib.parse import unquote_plus

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests import builders
from tests.conftest import PG_URL, page
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution
from tracker.requests import queries

TODAY = date(2024, 6, 3)
N = 83  # four pages of 25, the last one short
# Filed through the service, which refuses a second name differing only in case...
NAMES = ("Bank of Canada", "agence du revenu", "CBSA")
# ... and written straight to the table, as older data or an import may hold them.
TWINS = ("BANK OF CANADA", "cbsa")


@pytest.fixture(scope="module")
def dataset(module_app):
    """N requests over five institutions (two pairs of one name in different cases, with due
    dates in the same range, so an order by name and due date alone would interleave them),
    some overdue. Built once: every test here only reads."""
    with builders.desk(
        module_app,
        "e@example.org",
        newsroom="Ed",
        password="long enough pw",
        role="editor",
        today=TODAY,
    ) as desk:
        institutions = [desk.institution(name, "ca-atia").id for name in NAMES]
        for name in TWINS:
            twin = Institution(newsroom_id=desk.user.newsroom_id, name=name, law_code="ca-atia")
            desk.session.add(twin)
            desk.session.flush()
            institutions.append(twin.id)
        for i in range(N):
            desk.request(
                institutions[(i * 3) % len(institutions)],
                f"Request {i:02d} about {'bridges' if i % 2 else 'ports'}",
                received=TODAY - timedelta(days=5 + (i % 17) * 7),
                file_number=f"F-{i:03d}",
            )
    result = module_app.test_cli_runner().invoke(args=["sweep", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    return module_app


@pytest.fixture
def app(dataset):
    """The module's dataset (conftest's `app` would be an empty database of the test's own)."""
    return dataset


@pytest.fixture
def filled(client, auth):
    """The editor logged in."""
    auth.login("e@example.org", "long enough pw")
    return client


@pytest.fixture(params=[None, 10], ids=["exact count", "count stops at 10"])
def count_limit(request, monkeypatch):
    """The list as a small newsroom sees it (its few matches sorted, on SQLite) and as a big
    one does (counting stops at the limit: the pages walk the indexes)."""
    if request.param is not None:
        monkeypatch.setattr(queries, "COUNT_LIMIT", request.param)
    return request.param


@pytest.fixture
def count_limit_many(monkeypatch):
    """Count at most 10: the matches are "many", as in a big newsroom, so the pages walk."""
    monkeypatch.setattr(queries, "COUNT_LIMIT", 10)


def expected(app, status: str | None = None, q: str = "") -> list[int]:
    """The order worked out in Python from the rows themselves."""
    with app.app_context():
        rows = db.session().execute(
            sa.select(
                InfoRequest.id,
                InfoRequest.due_on,
                InfoRequest.status,
                InfoRequest.title,
                Institution.id.label("institution_id"),
                Institution.name,
            ).join(InfoRequest.institution)
        )
        rows = [
            r
            for r in rows
            if (status is None or r.status == status) and q.lower() in r.title.lower()
        ]
    rows.sort(key=lambda r: (r.name.lower(), r.institution_id, r.due_on, r.id))
    return [r.id for r in rows]


def ids(response) -> list[int]:
    assert response.status_code == 200
    links = page(response).select("#request-list tbody td a")
    return [int(a["href"].rsplit("/", 1)[1]) for a in links]


def follow(client, url: str, rel: str) -> tuple[list[list[int]], str]:
    """The pages reached from url through the links marked rel, and the last page's url."""
    pages: list[list[int]] = []
    for _ in range(10):
        response = client.get(url)
        pages.append(ids(response))
        found = re.search(rf'href="([^"]+)" rel="{rel}"', response.get_data(as_text=True))
        if not found:
            return pages, url
        url = found.group(1).replace("&amp;", "&")
    raise AssertionError(f"the {rel} links did not end")


def test_the_fixture_holds_twins_whose_requests_interleave_by_due_date(app, filled):
    """Without the institution's id in the order, the twins' requests would mix."""
    with app.app_context():
        rows = db.session().execute(
            sa.select(Institution.name, InfoRequest.due_on).join(InfoRequest.institution)
        )
        dues: dict[str, set[date]] = {}
        for name, due in rows:
            dues.setdefault(name, set()).add(due)
    assert dues["Bank of Canada"] & dues["BANK OF CANADA"]
    assert dues["CBSA"] & dues["cbsa"]


@pytest.mark.parametrize(
    ("status", "q"), [(None, ""), ("overdue", ""), (None, "bridges")], ids=["all", "overdue", "q"]
)
def test_next_and_previous_links_walk_the_order_by_institution(app, filled, count_limit, status, q):
    query = "/requests/?sort=institution"
    query += f"&status={status}" if status else ""
    query += f"&q={q}" if q else ""
    order = expected(app, status, q)
    assert len(order) > 25  # more than one page, or nothing is compared
    with clock.frozen(TODAY):
        forward, last = follow(filled, query, "next")
        assert [i for p in forward for i in p] == order
        backward, first = follow(filled, last, "prev")
        assert list(reversed(backward)) == forward
        assert ids(filled.get(first)) == forward[0]
        for number, rows in enumerate(forward, start=1):  # typed page numbers agree
            assert ids(filled.get(f"{query}&page={number}")) == rows, number


def _next_cursor(client, url: str) -> str:
    found = re.search(r'href="[^"]*after=([^"&]+)[^"]*" rel="next"', client.get(url).text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    "cursor",
    [
        "Bank+of+Canada~2024-01-01~1",  # a cursor of before the institution's id was in it
        "CBSA~2024-06-01~999",
        "Bank+of+Canada~x~2024-01-01~1",
        "Bank+of+Canada~1~2024-13-01~1",
        "Bank+of+Canada~1~2024-01-01~",
        "Bank+of+Canada~-1~2024-01-01~1",
        "Bank+of+Canada~1~2024-01-01~99999999999999999999",
        "~~~",
    ],
)
def test_an_old_or_broken_cursor_gives_the_typed_page(filled, count_limit, cursor):
    typed = ids(filled.get("/requests/?sort=institution&page=2"))
    assert len(typed) == 25
    for param in ("after", "before"):
        response = filled.get(f"/requests/?sort=institution&page=2&{param}={cursor}")
        assert ids(response) == typed, (param, cursor)


def test_a_cursor_with_a_nul_character_is_refused(filled, count_limit):
    for param in ("after", "before"):
        response = filled.get(f"/requests/?sort=institution&page=2&{param}=%00~1~2024-01-01~1")
        assert response.status_code == 400, param


def test_a_cursor_of_no_row_gives_the_rows_past_its_key(app, filled, count_limit):
    """A cursor that parses but names no row (quotes in its name, an unknown institution)
    is a place in the order like any other."""
    order = expected(app)
    response = filled.get("/requests/?sort=institution&page=2&after=%27%3B--~1~2024-01-01~1")
    assert ids(response) == order[:25]  # "';--" sorts before every name
    response = filled.get("/requests/?sort=institution&page=2&before=zzz~1~2024-01-01~1")
    assert ids(response) == order[-25:]


def test_a_cursor_names_the_institution_of_its_row(app, filled):
    """The links carry (name, institution id, due date, id): the name may hold the separator."""
    cursor = unquote_plus(_next_cursor(filled, "/requests/?sort=institution"))
    name, institution_id, due, request_id = cursor.rsplit("~", 3)
    with app.app_context():
        row = db.session().get(InfoRequest, int(request_id))
        assert row is not None
        assert (name, int(institution_id)) == (row.institution.name, row.institution_id)
        assert date.fromisoformat(due) == row.due_on


def _page_statement(app, filters: queries.RequestFilters) -> tuple[str, object]:
    """The statement that reads a page of the list (the one ordered by the name)."""
    found: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "ORDER BY lower(institution.name)" in statement:
            found.append((statement, parameters))

    engine = app.extensions["engine"]
    with app.app_context():
        session = db.session()
        newsroom_id = session.scalar(sa.select(Institution.newsroom_id).limit(1))
        event.listen(engine, "before_cursor_execute", record)
        try:
            result = queries.list_requests(session, newsroom_id, filters, queries.COUNT_LIMIT)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(result.items) == 25
    assert len(found) == 1, found
    return found[0]


def _cursor_filters(app, **extra) -> list[queries.RequestFilters]:
    """The first page, a page through a Next cursor and one through a Previous cursor."""
    first = queries.RequestFilters(sort="institution", **extra)
    with app.app_context():
        session = db.session()
        newsroom_id = session.scalar(sa.select(Institution.newsroom_id).limit(1))
        one = queries.list_requests(session, newsroom_id, first, queries.COUNT_LIMIT)
        after = queries.RequestFilters(sort="institution", page=2, after=one.next_cursor, **extra)
        two = queries.list_requests(session, newsroom_id, after, queries.COUNT_LIMIT)
        three = queries.list_requests(
            session,
            newsroom_id,
            queries.RequestFilters(sort="institution", page=3, after=two.next_cursor, **extra),
            queries.COUNT_LIMIT,
        )
    before = queries.RequestFilters(sort="institution", page=2, before=three.prev_cursor, **extra)
    return [first, after, before]


def _subquery_lines(rows) -> list[str]:
    """The lines of an EXPLAIN QUERY PLAN under "LIST SUBQUERY" (the ids query; the outer
    query sorts the page's 25 rows, which is fine)."""
    parents = {row[0]: row[1] for row in rows}
    details = {row[0]: row[3] for row in rows}
    top = next(i for i, d in details.items() if d.startswith("LIST SUBQUERY"))

    def under(node: int) -> bool:
        while node:
            if node == top:
                return True
            node = parents.get(node, 0)
        return False

    return [details[i] for i in details if i != top and under(i)]


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's plan")
def test_sqlite_walks_the_indexes_in_order_without_sorting_the_matches(
    app, filled, count_limit_many
):
    for filters in _cursor_filters(app) + _cursor_filters(app, status="overdue"):
        statement, parameters = _page_statement(app, filters)
        with app.extensions["engine"].connect() as conn:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        inner = _subquery_lines(rows)
        assert any("ix_institution_newsroom_lower_name_id" in d for d in inner), inner
        assert any("ix_info_request_newsroom_institution_due_id" in d for d in inner), inner
        assert not any("TEMP B-TREE" in d for d in inner), inner


def _nodes(plan: dict) -> list[dict]:
    found = [plan]
    for child in plan.get("Plans", []):
        found += _nodes(child)
    return found


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's plan")
def test_postgresql_sorts_no_more_than_each_institution_s_run(app, filled, count_limit_many):
    """On a table this small the planner would rather sort everything: sorts are discouraged
    so that the test shows the walk is a plan the indexes and the statement allow (at
    1,000,000 requests the planner picks it unasked, bench/pages.py)."""
    for filters in _cursor_filters(app) + _cursor_filters(app, status="overdue"):
        statement, parameters = _page_statement(app, filters)
        with app.extensions["engine"].begin() as conn:
            conn.exec_driver_sql("SET LOCAL enable_sort = off")
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            raw = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
        plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
        limit = next(n for n in _nodes(plan) if n["Node Type"] == "Limit")
        inner = _nodes(limit)
        types = [n["Node Type"] for n in inner]
        assert "Sort" not in types, types
        scans = {n.get("Index Name") for n in inner}
        assert "ix_institution_newsroom_lower_name_id" in scans, scans
        assert "ix_info_request_newsroom_institution_due_id" in scans, scans
