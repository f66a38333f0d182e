"""Stored scorecards: served again only while exactly right (same data, day, range and code).

Each way the tracker writes what the scorecard counts is exercised: a snapshot is first served
(no statement reads the requests), then the data changes through that path, and the next view
shows the new figures.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests import builders
from tests.api_helpers import bearer, token
from tests.conftest import page
from tests.test_query_counts import counting
from tests.test_requests import add_entry, log_request
from tracker.alerts.sweep import flag_overdue
from tracker.core import clock, db, revisions
from tracker.core.models import (
    Complaint,
    Extension,
    InfoRequest,
    Institution,
    ScorecardSnapshot,
    User,
)
from tracker.scorecards import rendered, service, snapshots

TODAY = date(2024, 6, 3)
EDITOR = "ed@example.org"
COLUMNS = (
    "filed",
    "on_time",
    "to_answer",
    "late",
    "median_late",
    "worst_late",
    "extension",
    "complaints",
    "well_founded",
)


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def star(app):
    """The Star (an editor): RCMP (ATIA) with a request answered on time and complained about,
    one extended and late, one not yet due; City (MFIPPA) with one 10 days late. Another
    newsroom with a request of its own. Returns the ids by name."""
    with builders.desk(app, EDITOR, newsroom="The Star", role="editor", today=TODAY) as desk:
        rcmp = desk.institution("RCMP", "ca-atia")
        city = desk.institution("City of Toronto", "ca-on-mfippa")
        made = {
            "On time": desk.request(rcmp, "On time", received=date(2024, 2, 1))  # due 2024-03-04
            .final_response(date(2024, 2, 20), outcome="full")
            .complaint(date(2024, 3, 1), grounds="fees"),
            "Extended": desk.request(rcmp, "Extended", received=date(2024, 2, 1)).extension(
                date(2024, 2, 10), days=30, reason="volume"
            ),  # due 2024-04-02, unanswered: 62 days late
            "Not yet due": desk.request(rcmp, "Not yet due", received=date(2024, 5, 30)),
            "Ten days late": desk.request(
                city, "Ten days late", received=date(2024, 1, 2)
            ).final_response(date(2024, 2, 11), outcome="refused"),  # due 2024-02-01
            "Not ours": desk.colleague("out@example.org", newsroom="Other Paper").request(
                "Elsewhere", "Not ours", received=date(2023, 1, 3)
            ),
        }
        ids = {title: built.id for title, built in made.items()}
        ids["RCMP"], ids["City of Toronto"] = rcmp.id, city.id
    return ids


@pytest.fixture
def editor(client, auth, star):
    auth.login(EDITOR)
    return auth


def view(app, client, path="/scorecards/"):
    """The page's rows (institutions and laws, by name) and the statements it ran."""
    with counting(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    soup = page(response)
    rows = {}
    for table in ("#by-institution", "#by-law"):
        for th in soup.select(f"{table} tbody th"):
            name = th.find("a").get_text(strip=True) if th.find("a") else th.get_text(strip=True)
            cells = [td.get_text(" ", strip=True) for td in th.find_next_siblings("td")]
            rows[name] = dict(zip(COLUMNS, cells, strict=True))
    return rows, statements, soup


def reads_requests(statements) -> bool:
    return any("info_request" in s for s in statements)


def cached(app, client, path="/scorecards/"):
    """View twice: the second view must come from the stored snapshot; its rows."""
    first, _, _ = view(app, client, path)
    again, statements, _ = view(app, client, path)
    assert not reads_requests(statements), statements
    assert again == first
    return again


# --- the snapshot is used, and equals a live computation ------------------------------------


def test_a_repeat_view_reads_no_request_and_shows_the_same_figures(app, client, editor):
    first, statements, soup = view(app, client)
    assert reads_requests(statements)
    assert first["RCMP"]["filed"] == "3" and first["RCMP"]["late"] == "1"
    assert first["RCMP"]["complaints"] == "1" and first["City of Toronto"]["late"] == "1"
    assert "Elsewhere" not in first
    computed = soup.select_one("main").get_text(" ", strip=True)
    for _ in range(3):
        again, statements, soup = view(app, client)
        # The logged-in user (with the newsroom), the snapshot with the current revision, the
        # newsroom's projects for the filter (issue 19) and the exemptions its released
        # records cite (issue 23, counted per page when read): nothing reads the requests.
        assert len(statements) == 4, statements
        assert any("FROM project" in s for s in statements)
        assert "record_exemption" in statements[-1] and not reads_requests(statements)
        assert again == first
    assert soup.select_one("main").get_text(" ", strip=True) == computed


def test_the_csv_and_the_chart_use_the_same_snapshot(app, client, editor):
    cached(app, client)
    for path in (
        "/scorecards/institutions.csv",
        "/scorecards/laws.csv",
        "/scorecards/days-late.svg",
    ):
        with counting(app) as statements:
            response = client.get(path)
        assert response.status_code == 200
        assert not reads_requests(statements), path
    assert "RCMP,ca-atia,3," in client.get("/scorecards/institutions.csv").get_data(as_text=True)


@pytest.mark.parametrize(
    "received_from, received_to",
    [(None, None), (date(2024, 2, 1), date(2024, 3, 1)), (date(2024, 1, 1), None)],
)
def test_stored_figures_equal_a_live_computation(app, star, received_from, received_to):
    newsroom_id = _newsroom_id(app)
    with app.app_context():
        session = db.session()
        args = (session, newsroom_id, TODAY, received_from, received_to)
        stored = rendered.scorecard(*args).cards
        served = rendered.scorecard(*args).cards
        live = service.compute(session, newsroom_id, TODAY, received_from, received_to)
    assert served.computed_at == stored.computed_at  # the second came from the snapshot
    for cards in (stored, served):
        assert (cards.today, cards.institutions, cards.laws) == (
            live.today,
            live.institutions,
            live.laws,
        )
    # Floats, whole numbers and missing figures come back as they went in (the CSV shows
    # 33.0, not 33).
    for got, expected in zip(
        served.institutions + served.laws, live.institutions + live.laws, strict=True
    ):
        assert [type(v) for v in dataclasses.astuple(got)] == [
            type(v) for v in dataclasses.astuple(expected)
        ]


def test_the_page_says_when_its_figures_were_computed(app, client, editor):
    with clock.frozen_now(datetime(2024, 6, 3, 18, 5, tzinfo=UTC)):
        view(app, client)
    with clock.frozen_now(datetime(2024, 6, 3, 20, 0, tzinfo=UTC)):
        _, statements, soup = view(app, client)
    assert not reads_requests(statements)
    # Toronto is on EDT in June: the time the figures were computed, not the time of the view.
    assert "figures computed 2024-06-03 14:05 EDT" in soup.select_one("main").get_text(" ")


# --- every write path makes the next view compute again -------------------------------------


def test_logging_a_request_on_the_web(app, client, editor, star):
    assert cached(app, client)["RCMP"]["filed"] == "3"
    log_request(editor, star["RCMP"], received_on="2024-01-02", sent_on="2024-01-02")
    rows, statements, _ = view(app, client)
    assert rows["RCMP"]["filed"] == "4" and rows["RCMP"]["late"] == "2"
    assert reads_requests(statements)


def test_a_timeline_entry_on_the_web(app, client, editor, star):
    assert cached(app, client)["RCMP"]["on_time"].startswith("50%")
    add_entry(
        editor, star["Extended"], "final_response", {"occurred_on": "2024-03-20", "outcome": "full"}
    )
    rows, _, _ = view(app, client)
    assert rows["RCMP"]["on_time"].startswith("100%") and rows["RCMP"]["late"] == "0"


def test_an_institution_renamed_on_the_web(app, client, editor, star):
    assert "RCMP" in cached(app, client)
    response = editor.post(
        f"/institutions/{star['RCMP']}/edit",
        {"name": "GRC", "law_code": "ca-atia", "province": "", "access_email": ""},
    )
    assert response.status_code == 302
    rows, _, _ = view(app, client)
    assert "GRC" in rows and "RCMP" not in rows


def test_the_api_creates_changes_and_adds_entries(app, client, editor, star):
    key = bearer(token(app, EDITOR))
    cached(app, client)
    created = client.post(
        "/api/v1/requests",
        headers=key,
        json={
            "institution_id": star["City of Toronto"],
            "title": "Roads",
            "received_on": "2024-05-01",
        },
    )
    assert created.status_code == 201, created.get_json()
    assert cached(app, client)["City of Toronto"]["filed"] == "2"
    # A request moved to another law counts under that law.
    moved = client.patch(
        f"/api/v1/requests/{star['Not yet due']}", headers=key, json={"law_code": "ca-privacy"}
    )
    assert moved.status_code == 200, moved.get_json()
    rows = cached(app, client)
    assert any(name.startswith("Privacy Act") for name in rows)
    answered = client.post(
        f"/api/v1/requests/{created.get_json()['id']}/events",
        headers=key,
        json={
            "kind": "final_response",
            "occurred_on": "2024-05-10",
            "details": {"outcome": "full"},
        },
    )
    assert answered.status_code == 201, answered.get_json()
    rows, _, _ = view(app, client)
    assert rows["City of Toronto"]["on_time"].startswith("50%")


def test_an_import(app, client, runner, editor, tmp_path):
    assert "Parks" not in cached(app, client)
    path = tmp_path / "requests.csv"
    path.write_text(
        "file number,title,received,completed,decision,institution,law\n"
        "P-1,Budget,2024-03-01,2024-03-20,all disclosed,Parks,\n"
        "P-2,Roads,2024-03-04,,,Parks,\n"
    )
    mapping = {"title": "title", "default_law": "ca-on-mfippa"}
    result = runner.invoke(
        args=[
            "import-csv",
            str(path),
            "--newsroom",
            "The Star",
            "--mapping",
            json.dumps(mapping),
            # P-2 stays open and counting (issue 17: by default it is "unanswered as of" the
            # file's latest date, 2024-03-20, before its due date, and not late).
            "--as-of",
            "today",
        ]
    )
    assert result.exit_code == 0, result.output
    rows, _, _ = view(app, client)
    assert rows["Parks"]["filed"] == "2" and rows["Parks"]["late"] == "1"


def test_the_demo_loader(app, client, auth, runner, make_user):
    make_user("someone@example.org", newsroom="Demo newsroom")
    auth.login("someone@example.org")
    view(app, client)
    _, statements, soup = view(app, client)
    assert not reads_requests(statements) and soup.select_one(".empty") is not None
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    rows, _, _ = view(app, client)
    assert any(name.startswith("Royal Canadian Mounted Police") for name in rows), rows


def test_orm_changes_to_extensions_complaints_and_requests(app, client, editor, star):
    before = cached(app, client)
    assert (before["RCMP"]["extension"], before["RCMP"]["well_founded"]) == ("33.3%", "0")
    with app.app_context(), db.transaction() as session:  # an extension alone changes
        session.scalar(sa.select(Extension)).superseded = True
    assert cached(app, client)["RCMP"]["extension"] == "0%"
    with app.app_context(), db.transaction() as session:  # a complaint alone changes
        session.scalar(sa.select(Complaint)).finding = "well_founded"
    assert cached(app, client)["RCMP"]["well_founded"] == "1"
    with app.app_context(), db.transaction() as session:  # ... or is deleted
        session.delete(session.scalar(sa.select(Complaint)))
    assert cached(app, client)["RCMP"]["complaints"] == "0"
    with app.app_context(), db.transaction() as session:  # a request changes institution
        session.get(InfoRequest, star["Ten days late"]).institution_id = star["RCMP"]
    rows = cached(app, client)
    assert rows["RCMP"]["filed"] == "4" and "City of Toronto" not in rows


def test_statements_run_through_the_session(app, client, editor, star):
    cached(app, client)
    with app.app_context(), db.transaction() as session:
        session.execute(
            sa.update(InfoRequest)
            .where(InfoRequest.id == star["Extended"])
            .values(responded_on=date(2024, 3, 1))
        )
    assert cached(app, client)["RCMP"]["late"] == "0"
    with app.app_context(), db.transaction() as session:
        session.execute(
            sa.text("UPDATE info_request SET responded_on = NULL WHERE id = :id"),
            {"id": star["Extended"]},
        )
    assert cached(app, client)["RCMP"]["late"] == "1"
    # A request is deleted with its timeline (the database cascades; the ORM would not).
    with app.app_context(), db.transaction() as session:
        session.execute(sa.delete(InfoRequest).where(InfoRequest.id == star["Ten days late"]))
    rows, _, _ = view(app, client)
    assert rows["RCMP"]["filed"] == "3" and "City of Toronto" not in rows


def test_a_write_on_a_bare_connection_calls_bump(app, client, editor, star):
    cached(app, client)
    with app.extensions["engine"].begin() as conn:
        conn.execute(
            sa.update(Institution).where(Institution.id == star["RCMP"]).values(name="GRC")
        )
        revisions.bump(conn)
    assert "GRC" in view(app, client)[0]


def test_the_overdue_sweep(app, client, editor, star):
    later = TODAY + timedelta(days=40)  # "Not yet due" (due 2024-07-02) is now late
    with clock.frozen(later):
        assert cached(app, client)["RCMP"]["late"] == "2"
        with app.app_context(), db.transaction() as session:
            assert flag_overdue(session, app.config["TIMEZONE"]) == 1
            assert session.get(InfoRequest, star["Not yet due"]).status == "overdue"
        # The sweep changes only what the scorecard does not count (awaiting -> overdue), so
        # the stored figures stay in use, and they are still those a live computation gives.
        rows, statements, _ = view(app, client)
        assert not reads_requests(statements), statements
        assert rows["RCMP"]["late"] == "2"
        with app.app_context(), db.transaction() as session:
            session.execute(sa.delete(ScorecardSnapshot))
        assert view(app, client)[0] == rows


def test_the_sweep_with_a_write_that_counts_recomputes(app, client, editor, star):
    later = TODAY + timedelta(days=40)
    with clock.frozen(later):
        cached(app, client)
        with app.app_context(), db.transaction() as session:
            session.get(Institution, star["RCMP"]).name = "GRC"
            assert flag_overdue(session, app.config["TIMEZONE"]) == 1
        rows, statements, _ = view(app, client)
        assert reads_requests(statements)
        assert "GRC" in rows


def test_a_write_then_a_rolled_back_savepoint_still_counts(app, client, editor, star):
    cached(app, client)
    with app.app_context(), db.transaction() as session:
        session.get(Institution, star["RCMP"]).name = "GRC"
        session.flush()
        nested = session.begin_nested()
        session.get(Institution, star["City of Toronto"]).name = "Ville"
        session.flush()
        nested.rollback()
    rows, _, _ = view(app, client)
    assert "GRC" in rows and "City of Toronto" in rows


def test_a_rolled_back_write_or_another_newsroom_leaves_the_snapshot(app, client, editor, star):
    cached(app, client)
    with pytest.raises(RuntimeError), app.app_context(), db.transaction() as session:
        session.get(Institution, star["RCMP"]).name = "GRC"
        session.flush()
        raise RuntimeError("the form was refused")
    with app.app_context(), db.transaction() as session:
        session.get(InfoRequest, star["Not ours"]).title = "Still not ours"
    rows, statements, _ = view(app, client)
    assert not reads_requests(statements) and "RCMP" in rows


# --- the day, the range, the code -----------------------------------------------------------


def test_a_new_day_computes_again(app, client, editor):
    assert cached(app, client)["RCMP"]["late"] == "1"
    with clock.frozen(date(2024, 7, 10)):  # "Not yet due" was due 2024-07-02
        rows, statements, soup = view(app, client)
    assert reads_requests(statements)
    assert rows["RCMP"]["late"] == "2" and "As of 2024-07-10" in soup.get_text()
    assert cached(app, client)["RCMP"]["late"] == "1"  # back on the first day: its own snapshot


def test_each_received_range_has_its_own_snapshot(app, client, editor):
    everything = cached(app, client)
    ranged = cached(app, client, "/scorecards/?from=2024-02-01&to=2024-03-01")
    assert (everything["RCMP"]["filed"], ranged["RCMP"]["filed"]) == ("3", "2")
    assert "City of Toronto" not in ranged
    assert cached(app, client, "/scorecards/?from=2024-02-01")["RCMP"]["filed"] == "3"
    assert view(app, client)[0] == everything


def test_new_code_computes_again(app, client, editor, monkeypatch):
    cached(app, client)
    monkeypatch.setattr(snapshots, "formula", lambda: "a later release")
    _, statements, _ = view(app, client)
    assert reads_requests(statements)
    _, statements, _ = view(app, client)
    assert not reads_requests(statements)


# --- concurrency ----------------------------------------------------------------------------


def test_a_write_committed_during_the_computation_is_never_hidden(
    app, client, editor, star, monkeypatch
):
    """The revision is read before the figures are: a colleague's write committed after the
    figures were read, before they are stored, leaves them tagged with the revision before
    the write, which is never served. (Read after, it would be the new one.)"""
    real = snapshots.up_to_date

    def compute_then_a_colleague_writes(*args, **kwargs):
        cards = real(*args, **kwargs)
        with app.app_context(), db.transaction() as session:  # another session, committed
            session.get(Institution, star["RCMP"]).name = "GRC"
        return cards

    monkeypatch.setattr(snapshots, "up_to_date", compute_then_a_colleague_writes)
    assert "RCMP" in view(app, client)[0]  # figures read before the write
    monkeypatch.setattr(snapshots, "up_to_date", real)
    rows, statements, _ = view(app, client)
    assert reads_requests(statements) and "GRC" in rows and "RCMP" not in rows


def test_workers_storing_the_same_scorecard_at_once(app, star):
    newsroom_id = _newsroom_id(app)
    barrier = threading.Barrier(4)
    failures: list[BaseException] = []

    def worker():
        try:
            with app.app_context():
                session = db.session()
                revision, _ = snapshots.find(session, newsroom_id, TODAY)
                cards = service.compute(session, newsroom_id, TODAY)
                barrier.wait(10)
                assert snapshots.store(session, newsroom_id, cards, revision)
        except BaseException as exc:  # reported below, from the main thread
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    with app.app_context():
        session = db.session()
        assert session.scalar(sa.select(sa.func.count()).select_from(ScorecardSnapshot)) == 1
        assert snapshots.find(session, newsroom_id, TODAY)[1] is not None


def test_an_older_computation_never_replaces_a_newer_one(app, star):
    newsroom_id = _newsroom_id(app)
    with app.app_context():
        session = db.session()
        old_revision, _ = snapshots.find(session, newsroom_id, TODAY)
        old = service.compute(session, newsroom_id, TODAY)
    with app.app_context(), db.transaction() as session:
        session.get(Institution, star["RCMP"]).name = "GRC"
    with app.app_context():
        session = db.session()
        new = rendered.scorecard(session, newsroom_id, TODAY).cards
        assert snapshots.store(session, newsroom_id, old, old_revision)  # a slow worker
        revision, stored = snapshots.find(session, newsroom_id, TODAY)
        served = stored.cards() if stored is not None else None
    assert revision > old_revision
    assert served is not None and served.institutions == new.institutions
    assert any(s.name == "GRC" for s in served.institutions)


def _newsroom_id(app) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(User.newsroom_id).where(User.email == EDITOR))
