"""The scorecard's rendered parts kept per worker (tracker.scorecards.rendered): a repeat view
is the same page, byte for byte, without rendering it again; any write, and another newsroom,
range, day or script root, gets parts of its own; the cache stays bounded."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner

from tests import test_scorecards_snapshots as snapshot_tests
from tests.conftest import page
from tests.test_scorecards_snapshots import EDITOR, cached, view
from tracker.core import clock, db
from tracker.core.models import Institution, Newsroom, User
from tracker.scorecards import rendered, views

# The snapshot tests' fixtures: today frozen (autouse) and the Star's newsroom.
frozen_today = snapshot_tests.frozen_today
star = snapshot_tests.star


@pytest.fixture(autouse=True)
def steady_csrf_token(monkeypatch):
    """The CSRF token in every page carries a timestamp in seconds: held still, two views of
    one page can be compared byte for byte."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: 1717430400)


@pytest.fixture
def editor(client, auth, star):
    auth.login(EDITOR)
    return auth


def body(client, path="/scorecards/", **kwargs) -> bytes:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return response.data


@pytest.fixture
def no_rendering(monkeypatch):
    """Call to make rendering a table or the chart fail: what is shown after comes from the
    cache."""

    def forbid():
        def refuse(*args, **kwargs):
            raise AssertionError("rendered again")

        monkeypatch.setattr(views, "score_rows", refuse)
        monkeypatch.setattr(views, "days_late_chart", refuse)
        monkeypatch.setattr(views, "write_csv", refuse)

    return forbid


def forget(app) -> None:
    """Empty this app's cache, as a freshly started worker has it."""
    app.extensions.pop("scorecard_parts", None)
    app.extensions.pop("scorecard_rows", None)


PATHS = (
    "/scorecards/",
    "/scorecards/days-late.svg",
    "/scorecards/institutions.csv",
    "/scorecards/laws.csv",
)


def test_a_repeat_view_comes_from_the_cache_and_equals_the_uncached_page(
    app, client, editor, no_rendering
):
    computed = {path: body(client, path) for path in PATHS}  # computed live, then stored
    forget(app)
    stored = {path: body(client, path) for path in PATHS}  # from the snapshot, rendered
    no_rendering()
    for _ in range(2):
        assert {path: body(client, path) for path in PATHS} == stored == computed
    assert b"RCMP" in stored["/scorecards/"] and b"RCMP" in stored["/scorecards/days-late.svg"]


def test_the_page_served_from_its_snapshot_is_cached_too(app, client, editor, no_rendering):
    body(client)
    forget(app)
    first = body(client)  # a new worker: the snapshot decoded and rendered once
    no_rendering()
    assert body(client) == first


def test_the_view_after_a_live_computation_reuses_its_parts(client, editor, no_rendering):
    """The figures computed live are stored under the identity they were rendered under."""
    first = body(client)
    no_rendering()
    assert body(client) == first


def test_a_write_shows_new_names_in_every_part(app, client, editor, star):
    before = cached(app, client)
    assert before["RCMP"]["filed"] == "3"
    with app.app_context(), db.transaction() as session:
        session.get(Institution, star["RCMP"]).name = "GRC"
    rows, _, soup = view(app, client)
    assert "GRC" in rows and "RCMP" not in rows and rows["GRC"] == before["RCMP"]
    assert "RCMP" not in soup.select_one("figure.chart").get_text()
    svg = client.get("/scorecards/days-late.svg").get_data(as_text=True)
    assert "GRC" in svg and "RCMP" not in svg
    assert "GRC,ca-atia,3," in client.get("/scorecards/institutions.csv").get_data(as_text=True)


def test_a_write_during_the_computation_is_never_hidden_by_the_cache(
    app,
    client,
    editor,
    star,
    monkeypatch,
):
    """Figures computed while a colleague writes are tagged with the revision before the
    write: neither they nor the parts rendered from them are shown again."""
    cached(app, client)
    with app.app_context(), db.transaction() as session:
        session.get(Institution, star["City of Toronto"]).name = "Toronto"
    real = rendered.snapshots.up_to_date

    def compute_then_a_colleague_writes(*args, **kwargs):
        cards = real(*args, **kwargs)
        with app.app_context(), db.transaction() as session:
            session.get(Institution, star["RCMP"]).name = "GRC"
        return cards

    monkeypatch.setattr(rendered.snapshots, "up_to_date", compute_then_a_colleague_writes)
    assert {"RCMP", "Toronto"} <= set(view(app, client)[0])
    monkeypatch.setattr(rendered.snapshots, "up_to_date", real)
    rows = view(app, client)[0]
    assert {"GRC", "Toronto"} <= set(rows) and "RCMP" not in rows
    assert "GRC" in client.get("/scorecards/days-late.svg").get_data(as_text=True)


def test_another_newsroom_has_its_own(app, client, auth, editor, make_user):
    mine = cached(app, client)
    make_user("out2@example.org", newsroom="Other Paper")
    auth.logout()
    auth.login("out2@example.org")
    theirs = cached(app, client)
    assert "Elsewhere" in theirs and "RCMP" not in theirs
    svg = client.get("/scorecards/days-late.svg").get_data(as_text=True)
    assert "Other Paper" in svg and "The Star" not in svg
    auth.logout()
    auth.login(EDITOR)
    assert view(app, client)[0] == mine


def test_each_range_and_day_has_its_own(app, client, editor):
    everything = cached(app, client)
    ranged = cached(app, client, "/scorecards/?from=2024-02-01&to=2024-03-01")
    assert (everything["RCMP"]["filed"], ranged["RCMP"]["filed"]) == ("3", "2")
    with clock.frozen(date(2024, 7, 10)):  # "Not yet due" was due 2024-07-02
        later = cached(app, client)
        assert "As of 2024-07-10" in body(client).decode()
    assert (everything["RCMP"]["late"], later["RCMP"]["late"]) == ("1", "2")
    assert view(app, client)[0] == everything
    assert "As of 2024-06-03" in body(client).decode()


def test_each_script_root_has_its_own_links(app, client, editor, star):
    plain = f"/requests/?institution={star['RCMP']}"
    mounted = f"/tracker/requests/?institution={star['RCMP']}"

    def links(**kwargs):
        return {
            a["href"]
            for a in page_of(client.get("/scorecards/", **kwargs)).select("#by-institution a")
        }

    for _ in range(2):  # each served from the cache the second time
        assert plain in links() and mounted not in links()
        under = links(base_url="http://localhost/tracker/")
        assert mounted in under and plain not in under


def test_a_renamed_newsroom_shows_its_new_name_in_the_chart(app, client, editor):
    cached(app, client)
    assert "The Star" in client.get("/scorecards/days-late.svg").get_data(as_text=True)
    with app.app_context(), db.transaction() as session:
        user = session.scalar(sa.select(User).where(User.email == EDITOR))
        session.get(Newsroom, user.newsroom_id).name = "The Evening Star"
    svg = client.get("/scorecards/days-late.svg").get_data(as_text=True)
    assert "The Evening Star" in svg
    assert "The Evening Star ·" in page_of(client.get("/scorecards/")).select_one(
        "figure.chart"
    ).get_text(" ")


def test_the_cache_stays_bounded(app, client, editor, monkeypatch):
    monkeypatch.setattr(rendered, "SIZE", 4)
    forget(app)
    everything = cached(app, client)
    for month in range(1, 7):
        cached(app, client, f"/scorecards/?from=2024-{month:02d}-01")
    with app.app_context():
        assert len(rendered.parts()) <= 4
    assert view(app, client)[0] == everything  # its parts were dropped: rendered again


def test_least_recently_used_parts_go_first():
    parts = rendered.Parts(2)
    built = []

    def build(name):
        built.append(name)
        return name.upper()

    assert parts.get("a", lambda: build("a")) == "A"
    parts.get("b", lambda: build("b"))
    assert parts.get("a", lambda: build("again")) == "A"  # kept; now the most recent
    parts.get("c", lambda: build("c"))  # drops b
    assert parts.get("a", lambda: build("again")) == "A"
    assert parts.get("b", lambda: build("b")) == "B"
    assert built == ["a", "b", "c", "b"] and len(parts) == 2


def page_of(response):
    assert response.status_code == 200
    return page(response)


def test_after_a_change_only_the_changed_rows_are_rendered_and_the_page_is_the_same(
    app, client, editor, star, monkeypatch
):
    """Each table row is kept under its figures: after a change the rows whose figures did
    not change are reused, and the page is byte for byte the one a fresh worker renders."""
    body(client)
    with app.app_context(), db.transaction() as session:
        session.get(Institution, star["RCMP"]).name = "GRC"
    macro_rows: list[str] = []
    real = views.get_template_attribute

    def counting(template, name):
        macro = real(template, name)

        def call(scores, *args):
            macro_rows.extend(s.name for s in scores)
            return macro(scores, *args)

        return call

    monkeypatch.setattr(views, "get_template_attribute", counting)
    after = body(client)
    assert macro_rows == ["GRC"]  # the law rows and the other institutions' are reused
    forget(app)
    macro_rows.clear()
    assert body(client) == after  # a fresh worker renders every row: the same page
    assert "GRC" in macro_rows and len(macro_rows) > 1
    assert b"GRC" in after and b">RCMP<" not in after
