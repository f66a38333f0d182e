"""A page number typed in the URL shows exactly the rows the pager's Next links reach, in the
same order, for every sort (and with filters and search), counted exactly or not."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution

TODAY = date(2024, 6, 3)
N = 92  # four pages of 25, the last one short

# Names whose order changes with case ("Bank" < "agence" byte-wise), under different laws.
INSTITUTIONS = (
    ("agence du revenu", "ca-atia"),
    ("Bank of Canada", "ca-atia"),
    ("CBSA", "ca-on-fippa"),
    ("department of Finance", "us-foia"),
)


@pytest.fixture(scope="module")
def dataset(module_app):
    """N requests of one newsroom: several received on each day (so due dates tie and the id
    decides), some overdue and some not, half of them about bridges. Built once: every test
    here only reads."""
    with builders.desk(
        module_app,
        "e@example.org",
        newsroom="Ed",
        password="long enough pw",
        role="editor",
        today=TODAY,
    ) as desk:
        institutions = [desk.institution(name, law) for name, law in INSTITUTIONS]
        for i in range(N):
            desk.request(
                institutions[(i * 7) % len(institutions)],
                f"Request {i:02d} about {'bridges' if i % 2 else 'ports'}",
                received=TODAY - timedelta(days=5 + (i % 23) * 6),
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


def expected_order(app, sort: str, law: str | None, q: str, status: str | None) -> list[int]:
    """The list's order worked out here, in Python, from the rows themselves."""
    with app.app_context():
        rows = db.session().execute(
            sa.select(
                InfoRequest.id,
                InfoRequest.status,
                InfoRequest.due_on,
                InfoRequest.received_on,
                InfoRequest.law_code,
                InfoRequest.title,
                Institution.name,
            ).join(InfoRequest.institution)
        )
        rows = [
            r
            for r in rows
            if (law is None or r.law_code == law)
            and (status is None or r.status == status)
            and q.lower() in r.title.lower()
        ]
    keys = {
        "due": lambda r: (r.due_on, r.id),
        "received": lambda r: (r.received_on, r.id),
        "institution": lambda r: (r.name.lower(), r.due_on, r.id),
        "days_late": (
            (lambda r: (r.due_on, r.id))
            if status
            else (lambda r: (0 if r.status == "overdue" else 1, r.due_on, r.id))
        ),
    }
    return [r.id for r in sorted(rows, key=keys[sort], reverse=sort == "received")]


def ids(response) -> list[int]:
    assert response.status_code == 200
    links = page(response).select("#request-list tbody td a")
    return [int(a["href"].rsplit("/", 1)[1]) for a in links]


def walk(client, url: str) -> list[list[int]]:
    """Every page reached from the first through the "Next" links."""
    pages: list[list[int]] = []
    for _ in range(10):
        response = client.get(url)
        pages.append(ids(response))
        found = re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True))
        if not found:
            return pages
        url = found.group(1).replace("&amp;", "&")
        assert "after=" in url
    raise AssertionError("the Next links did not end")


@pytest.fixture(params=[None, 10], ids=["exact count", "count stops at 10"])
def count_limit(request, monkeypatch):
    """The list as it is, and as a big newsroom sees it (counting stops at the limit)."""
    if request.param is not None:
        from tracker.requests import queries

        monkeypatch.setattr(queries, "COUNT_LIMIT", request.param)
    return request.param


WALKS = [
    ("due", None, "", None),
    ("received", None, "", None),
    ("institution", None, "", None),
    ("days_late", None, "", None),
    ("days_late", "ca-atia", "", None),
    ("days_late", None, "bridges", None),
    ("institution", None, "bridges", None),
    ("received", None, "bridges", "overdue"),
    ("days_late", None, "", "overdue"),
]


@pytest.mark.parametrize(("sort", "law", "q", "status"), WALKS)
def test_a_typed_page_is_the_page_the_next_links_reach(
    app, filled, count_limit, sort, law, q, status
):
    query = f"/requests/?sort={sort}"
    query += f"&law={law}" if law else ""
    query += f"&q={q}" if q else ""
    query += f"&status={status}" if status else ""
    expected = expected_order(app, sort, law, q, status)
    assert len(expected) > 25  # more than one page, or nothing is compared
    with clock.frozen(TODAY):
        walked = walk(filled, query)
        assert [i for p in walked for i in p] == expected
        for number, rows in enumerate(walked, start=1):
            assert ids(filled.get(f"{query}&page={number}")) == rows, number
        # Past the end: the last page.
        assert ids(filled.get(f"{query}&page={len(walked) + 7}")) == walked[-1]


def test_every_sort_has_overdue_and_other_requests_and_ties_in_due_dates(app, filled):
    """The fixture exercises what the order depends on (or the test above proves little)."""
    with app.app_context():
        rows = db.session().execute(sa.select(InfoRequest.status, InfoRequest.due_on)).all()
    statuses = {status for status, _ in rows}
    assert {"overdue", "awaiting"} <= statuses
    assert len({due for _, due in rows}) < len(rows)


def test_a_cursor_that_does_not_parse_gives_the_typed_page(filled):
    """Cursors are read from the URL: one that does not parse is ignored, never a 500; one
    holding a NUL character (which no PostgreSQL text holds) is a 400 naming it."""
    for sort, cursor in (("institution", "~2024-01-01~1"), ("due", "2024-01-01~1x")):
        typed = ids(filled.get(f"/requests/?sort={sort}&page=2"))
        assert len(typed) == 25
        assert ids(filled.get(f"/requests/?sort={sort}&page=2&after={cursor}")) == typed
        assert ids(filled.get(f"/requests/?sort={sort}&page=2&before={cursor}")) == typed
    for sort, cursor in (("institution", "%00~2024-01-01~1"), ("due", "2024-01-01~1%00")):
        for param in ("after", "before"):
            response = filled.get(f"/requests/?sort={sort}&page=2&{param}={cursor}")
            assert response.status_code == 400, (sort, param)
