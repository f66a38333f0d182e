"""A search's page is read either by walking the list's order and testing each row, or from
the index's matches (tracker.requests.search): both give the same rows, in the list's order,
page after page through the "Next" links, and the same count, as a plain Python filter.

On SQLite the two are chosen by the walk's budget (forced here: a walk as long as needed,
none, and one interrupted after a few steps, which falls back to the index). On PostgreSQL the
condition is the same and the planner chooses: it is made to walk the list's index, or to
use the trigram indexes and sort.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from tests import builders
from tests.conftest import PG_URL
from tracker.core import clock, db
from tracker.core.models import InfoRequest
from tracker.core.textfold import fold
from tracker.requests import queries, search

TODAY = date(2024, 6, 3)
# Letters with and without accents (each folds alike on both databases), quotes, LIKE's
# wildcards and escape, FTS5's syntax, spaces.
ALPHABET = "abcAB" + "éÉèàçœŒ" + "’'\"%_\\*()- :"
WORDS = ["fire", "Wildfire", "école", "ECOLE", "l’accès", "100%", "a_b", '"memo"', "c:\\d"]

STRATEGIES = ["walk", "index", "interrupted"]


def _text(max_words: int) -> st.SearchStrategy[str]:
    # Mostly the same few words, so that a term is often in more rows than a page holds.
    piece = st.one_of(
        st.sampled_from(WORDS), st.sampled_from(WORDS), st.text(ALPHABET, min_size=1, max_size=6)
    )
    return st.lists(piece, min_size=1, max_size=max_words).map(" ".join)


ROW = st.tuples(
    _text(4),  # title
    _text(6),  # text
    st.one_of(st.none(), st.text(ALPHABET + "0123", min_size=1, max_size=6)),  # file number
    st.integers(0, 40),  # due in so many days
    st.integers(0, 40),  # received so many days ago
)


@st.composite
def rows_and_term(draw: Any) -> tuple[list[tuple[Any, ...]], str]:
    """Rows, and a term: cut from one of them (often), a word, or any short text."""
    rows = draw(st.lists(ROW, min_size=30, max_size=80))
    cut = st.builds(
        lambda row, start, size: (row[0] + " " + row[1])[start : start + size],
        st.sampled_from(rows),
        st.integers(0, 30),
        st.integers(1, 8),
    )
    term = draw(st.one_of(cut, st.sampled_from([*WORDS, "e", "ab", "é", "fi", "%", "_"]), _text(2)))
    term = term.strip()
    assume(term)  # no term: the whole list, not a search
    return rows, term


def expected_ids(rows: list[tuple[Any, ...]], ids: list[int], term: str) -> set[int]:
    """What the search means: the folded term inside a folded title, text or file number."""
    if not any(ch.isalnum() for ch in term):
        return set()
    needle = fold(term) or ""
    return {
        rid
        for rid, row in zip(ids, rows, strict=True)
        if any(needle in (fold(value) or "") for value in row[:3])
    }


@pytest.fixture
def newsroom(app: Any) -> tuple[int, dict[str, Any]]:
    """A newsroom with one request made by the service: the model of the rows inserted."""
    with builders.desk(app, "ed@example.org", today=TODAY) as desk:
        made = desk.request("Ministry", "Model", text="", file_number=None).row
        template = {
            c.key: getattr(made, c.key) for c in sa.inspect(InfoRequest).mapper.column_attrs
        }
        newsroom_id = desk.user.newsroom_id
        made_id = made.id
    with app.app_context(), db.transaction() as session:
        session.execute(sa.delete(InfoRequest).where(InfoRequest.id == made_id))
    template.pop("id")
    return newsroom_id, template


@contextmanager
def inserted(
    app: Any, template: dict[str, Any], rows: list[tuple[Any, ...]]
) -> Iterator[list[int]]:
    """The rows as requests (the index kept by its triggers), removed afterwards."""
    with app.app_context(), db.transaction() as session:
        ids = []
        for i, (title, text, number, due, received) in enumerate(rows):
            values = {
                **template,
                "title": title or "-",
                "text": text,
                "file_number": None if number is None else f"{number}#{i}",
                "due_on": TODAY + timedelta(days=due - 20),
                "received_on": TODAY - timedelta(days=received + 60),
                "sent_on": None,
            }
            ids.append(
                session.execute(sa.insert(InfoRequest).values(values)).inserted_primary_key[0]
            )
    # The file numbers as stored (made unique per institution above).
    for i, row in enumerate(rows):
        if row[2] is not None:
            rows[i] = (row[0] or "-", row[1], f"{row[2]}#{i}", *row[3:])
        else:
            rows[i] = (row[0] or "-", *row[1:])
    try:
        yield ids
    finally:
        with app.app_context(), db.transaction() as session:
            session.execute(sa.delete(InfoRequest).where(InfoRequest.id.in_(ids)))


@contextmanager
def strategy(session: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Read every page of a search one way (see the module)."""
    with monkeypatch.context() as patch:
        if PG_URL:
            off = (
                ["enable_bitmapscan", "enable_seqscan"]
                if name == "walk"
                else ["enable_indexscan", "enable_seqscan"]
            )
            for setting in off:
                session.execute(sa.text(f"SET LOCAL {setting} = off"))
        elif name == "walk":
            patch.setattr(
                search, "walk_budget", lambda *a: 10**9 if search.uses_index(a[1], a[2]) else 0
            )
        elif name == "index":
            patch.setattr(search, "walk_budget", lambda *a: 0)
        else:  # a walk that runs out at once: the page is read from the index
            patch.setattr(
                search, "walk_budget", lambda *a: 1 if search.uses_index(a[1], a[2]) else 0
            )
        yield


def every_page(
    session: Any, newsroom_id: int, term: str, sort: str, count_limit: int | None
) -> tuple[list[int], list[tuple[int, bool]]]:
    """The ids of every page in order, following the "Next" links from page 1, and each
    page's count (with whether it is exact)."""
    seen: list[int] = []
    counts = []
    args: dict[str, Any] = {"q": term, "sort": sort}
    for _ in range(20):
        filters = queries.RequestFilters.from_args(
            {k: str(v) for k, v in args.items() if v is not None}
        )
        page = queries.list_requests(session, newsroom_id, filters, count_limit, today=TODAY)
        seen += [row.id for row in page.items]
        counts.append((page.total, page.exact))
        if page.next_params is None:
            break
        args.update(page.next_params)
    return seen, counts


def python_order(
    rows: list[tuple[Any, ...]], ids: list[int], found: set[int], sort: str
) -> list[int]:
    by_id = dict(zip(ids, rows, strict=True))

    def key(rid: int) -> tuple[Any, ...]:
        due, received = by_id[rid][3], by_id[rid][4]
        # received N days ago: newest first is N ascending, then id descending.
        return (due, rid) if sort == "due" else (received, -rid)

    return sorted(found, key=key)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(
    data=rows_and_term(),
    sort=st.sampled_from(["due", "received", "days_late"]),
    limited=st.booleans(),
)
def test_every_way_of_reading_finds_the_same_pages(app, newsroom, monkeypatch, data, sort, limited):
    rows, term = data
    newsroom_id, template = newsroom
    count_limit = 30 if limited else None
    with clock.frozen(TODAY), inserted(app, template, rows) as ids:
        found = expected_ids(rows, ids, term)
        event("more than a page" if len(found) > queries.PER_PAGE else "a page or less")
        event("index-sized term" if search.uses_index(term, True) else "short term")
        results = {}
        for name in STRATEGIES:
            with (
                app.app_context(),
                db.transaction() as session,
                strategy(session, name, monkeypatch),
            ):
                results[name] = every_page(session, newsroom_id, term, sort, count_limit)
        pages, counts = results["index"]
        assert set(pages) == found, term
        assert len(pages) == len(found)  # no row twice across pages
        if sort != "days_late":
            assert pages == python_order(rows, ids, found, sort)
        first_total, first_exact = counts[0]
        if count_limit is not None and len(found) > count_limit:
            assert (first_total, first_exact) == (count_limit + 1, False)
        else:
            assert (first_total, first_exact) == (len(found), True)
        for name in STRATEGIES:
            assert results[name] == results["index"], (name, term)


sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="SQLite's FTS5 index and budget")


def _plans(app: Any, run: Any) -> list[tuple[str, list[str]]]:
    """Each statement ``run`` sends that reads info_request, with its plan."""
    found: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        found.append((statement, parameters))

    engine = app.extensions["engine"]
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    plans = []
    with engine.connect() as conn:
        for statement, parameters in found:
            if "info_request" in statement and "sqlite_master" not in statement:
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans.append((statement, [row[3] for row in rows]))
    return plans


@sqlite_only
def test_a_frequent_term_walks_the_order_and_a_rare_one_reads_the_index(app, newsroom, monkeypatch):
    newsroom_id, template = newsroom
    rows: list[tuple[Any, ...]] = [
        (f"Wildfire briefing {i}" if i % 3 else f"Flood memo {i}", "", f"W-{i:03d}", i % 9, i)
        for i in range(300)
    ]  # 200 matches; the page's walk passes 38 rows
    with clock.frozen(TODAY), inserted(app, template, rows) as ids:

        def search_for(term: str) -> list[int]:
            with app.app_context():
                filters = queries.RequestFilters(q=term)
                got = queries.list_requests(db.session(), newsroom_id, filters, 500, today=TODAY)
                return [r.id for r in got.items]

        plans = _plans(app, lambda: search_for("wildfire"))
        count, page = plans[0][1], plans[-1][1]
        # The count: the FTS5 index as the outer loop, each match looked up in the index of
        # the filters' columns (migration 0025).
        assert any("VIRTUAL TABLE INDEX" in line for line in count), count
        assert any("COVERING INDEX ix_info_request_search_count" in line for line in count)
        # The page: the list's order walked, the index not read.
        assert any("ix_info_request_newsroom_due_id" in line for line in page), page
        assert not any("VIRTUAL TABLE" in line for line in page), page

        # A file number: one match, read from the index.
        plans = _plans(app, lambda: search_for("w-042"))
        assert any("VIRTUAL TABLE" in line for line in plans[-1][1])

        # A walk that runs out of budget is interrupted and the page read from the index:
        # the same rows.
        walked = search_for("wildfire")
        expected = python_order(rows, ids, expected_ids(rows, ids, "wildfire"), "due")
        assert walked == expected[:25]
        monkeypatch.setattr(search, "WALK_STEPS_BASE", 0)
        monkeypatch.setattr(search, "STEPS_PER_ROW", 0)  # tried all the same
        monkeypatch.setattr(search, "WALK_STEPS_PER_MATCH", 0.01)
        plans = _plans(app, lambda: search_for("wildfire"))
        pages = [p for s, p in plans if "ORDER BY" in s]
        assert len(pages) == 2  # the walk, interrupted; then the index
        assert not any("VIRTUAL TABLE" in line for line in pages[0])
        assert any("VIRTUAL TABLE" in line for line in pages[1])
        assert search_for("wildfire") == walked
