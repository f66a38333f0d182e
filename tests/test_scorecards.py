"""Scorecards: numbers per institution and per law, the SVG chart, the CSV, a real sample."""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import User
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service as requests
from tracker.scorecards.service import compute

TODAY = date(2024, 6, 3)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


def entry(session, user, request, kind, day, **details):
    return requests.add_event(
        session,
        user,
        request,
        requests.EventData(kind=kind, occurred_on=day, details=details),
        TODAY,
        None,
        0,
    )  # type: ignore[arg-type]


@pytest.fixture
def newsroom(app):
    """RCMP (ATIA): on time, 4 days late + upheld complaint, extended and 62 days overdue, not
    yet due. City (MFIPPA): 10 days late, withdrawn. Another newsroom's late request."""
    with builders.desk(app, "rep@example.org", newsroom="The Star", today=TODAY) as desk:
        rcmp = desk.institution("RCMP", "ca-atia")
        city = desk.institution("City of Toronto", "ca-on-mfippa")
        on_time = desk.request(rcmp, "On time", received=date(2024, 2, 1))  # due 2024-03-04
        on_time.final_response(date(2024, 2, 20), outcome="full")
        (
            desk.request(rcmp, "Four days late", received=date(2024, 2, 1))
            .final_response(date(2024, 3, 8), outcome="partial")
            .complaint(date(2024, 3, 10), grounds="delay")
            .finding(date(2024, 5, 1), finding="well_founded")
        )
        desk.request(rcmp, "Extended, never answered", received=date(2024, 2, 1)).extension(
            date(2024, 2, 10), days=30, reason="volume"
        )  # due 2024-04-02
        desk.request(rcmp, "Not yet due", received=date(2024, 5, 30))
        desk.request(city, "Ten days late", received=date(2024, 1, 2)).final_response(
            date(2024, 2, 11), outcome="refused"
        )  # due 2024-02-01
        desk.request(city, "Withdrawn", received=date(2024, 1, 2)).withdrawn(date(2024, 1, 10))
        outsider = desk.colleague("out@example.org", newsroom="Other Paper")
        outsider.request("Elsewhere", "Not ours", received=date(2023, 1, 3))
        return desk.user


def test_scores_per_institution_and_per_law(app, newsroom):
    with app.app_context():
        cards = compute(db.session(), newsroom.newsroom_id, TODAY)
    by_name = {s.name: s for s in cards.institutions}
    assert sorted(by_name) == ["City of Toronto", "RCMP"]
    rcmp = by_name["RCMP"]
    assert (rcmp.filed, rcmp.answered, rcmp.judged, rcmp.on_time, rcmp.late) == (4, 2, 3, 1, 2)
    assert rcmp.on_time_pct == 33.3
    assert rcmp.median_days_to_answer == 27.5  # 19 and 36 days
    assert (rcmp.median_days_late, rcmp.worst_days_late) == (33.0, 62)  # 4 and 62 days late
    assert (rcmp.with_extension, rcmp.extension_pct) == (1, 25.0)
    assert (rcmp.complaints, rcmp.well_founded) == (1, 1)
    city = by_name["City of Toronto"]
    assert (city.filed, city.answered, city.judged, city.on_time, city.late) == (2, 1, 1, 0, 1)
    assert (city.on_time_pct, city.median_days_to_answer) == (0.0, 40.0)
    assert (city.median_days_late, city.worst_days_late, city.complaints) == (10.0, 10, 0)
    laws = {s.law_code: s for s in cards.laws}
    assert sorted(laws) == ["ca-atia", "ca-on-mfippa"]
    assert (laws["ca-atia"].filed, laws["ca-atia"].worst_days_late) == (4, 62)
    assert laws["ca-on-mfippa"].name.startswith("Municipal Freedom of Information")


def test_received_range_narrows_the_scorecard(app, newsroom):
    with app.app_context():
        cards = compute(
            db.session(),
            newsroom.newsroom_id,
            TODAY,
            received_from=date(2024, 2, 1),
            received_to=date(2024, 3, 1),
        )
    (rcmp,) = cards.institutions
    assert (rcmp.name, rcmp.filed, rcmp.late) == ("RCMP", 3, 2)


def test_scorecard_page_chart_and_csv(client, auth, newsroom):
    auth.login("rep@example.org")
    soup = page(client.get("/scorecards/"))
    row = {
        th.get_text(" ", strip=True).split(" ")[0]: [
            td.get_text(" ", strip=True) for td in th.find_next_siblings("td")
        ]
        for th in soup.select("#by-institution tbody th")
    }
    assert row["RCMP"][:7] == ["4", "33.3% (1/3)", "27.5", "2", "33", "62", "25%"]
    assert "Not ours" not in soup.get_text() and "Elsewhere" not in soup.get_text()
    inline = soup.select_one("figure.chart svg")
    assert inline is not None and inline["role"] == "img"

    response = client.get("/scorecards/days-late.svg?download=1")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("attachment")
    svg = ET.fromstring(response.data)
    assert svg.findtext(f"{SVG}title") == "Days late per institution"
    desc = svg.findtext(f"{SVG}desc")
    assert "RCMP: median 33 days late, worst 62, 2 of 3 late" in desc
    assert "City of Toronto: median 10 days late, worst 10, 1 of 1 late" in desc
    bars = svg.findall(f"{SVG}g")
    labels = [g.findall(f"{SVG}text")[0].text for g in bars]
    assert labels == ["RCMP", "City of Toronto"]  # most days late first
    widths = [float(g.findall(f"{SVG}rect")[1].get("width")) for g in bars]
    assert widths[0] > widths[1]
    assert "script" not in response.get_data(as_text=True).lower()

    table = client.get("/scorecards/institutions.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))
    rcmp = next(r for r in rows if r["name"] == "RCMP")
    assert (
        rcmp["filed"],
        rcmp["on_time_pct"],
        rcmp["median_days_late"],
        rcmp["worst_days_late"],
        rcmp["well_founded"],
    ) == ("4", "33.3", "33.0", "62", "1")
    laws = client.get("/scorecards/laws.csv?from=2024-01-01").get_data(as_text=True)
    assert "ca-on-mfippa" in laws and "ca-atia" in laws
    assert client.get("/scorecards/other.csv").status_code == 404


def test_empty_newsroom_has_an_empty_scorecard(client, auth, make_user):
    make_user("new@example.org", newsroom="Fresh")
    auth.login("new@example.org")
    soup = page(client.get("/scorecards/"))
    assert "No requests yet" in soup.select_one(".empty").get_text()
    svg = ET.fromstring(client.get("/scorecards/days-late.svg").data)
    assert "No institution was late" in svg.findtext(f"{SVG}desc")


def test_imported_sample_gives_plausible_figures(app, runner, make_user):
    """The Calgary sample imported: FOIP s.11's 30 days, medians near the raw data's."""
    make_user("ed@example.org", newsroom="Calgary Herald", role="editor")
    sample = Path(__file__).parent / "data" / "calgary-sample.csv"
    with clock.frozen(date(2026, 11, 22)):
        result = runner.invoke(
            args=[
                "import-csv",
                str(sample),
                "--newsroom",
                "Calgary Herald",
                "--skip-invalid",
                "--mapping",
                json.dumps({"default_institution": "City of Calgary", "default_law": "ca-ab-foip"}),
            ]
        )
        assert result.exit_code == 0, result.output
        with app.app_context():
            newsroom_id = db.session().scalar(__import__("sqlalchemy").select(User.newsroom_id))
            (calgary,) = compute(db.session(), newsroom_id, date(2026, 11, 22)).institutions
    # Independent figures from the file: answered requests with sane dates, grouped.
    rows = list(csv.DictReader(sample.open(encoding="utf-8", newline="")))
    assert calgary.filed == 57
    # Every sane row was completed, and 2015-G-0026 was discontinued on 2015-03-10, a day
    # after its due date (2015-03-09): judged, and late by the day it closed (issue 17).
    assert calgary.answered + 1 == calgary.judged
    days = sorted(calgary_days(rows))
    assert (
        calgary.median_days_to_answer == float(days[len(days) // 2])
        or calgary.median_days_to_answer == (days[len(days) // 2 - 1] + days[len(days) // 2]) / 2
    )
    assert 0 < calgary.on_time_pct < 100 and calgary.worst_days_late > 0


def calgary_days(rows):
    """Days from acceptance to the last completion per identifier, for rows the import takes."""
    groups = {}
    for row in rows:
        groups.setdefault(row["identifier"], []).append(row)
    for members in groups.values():
        try:
            accepted = {date.fromisoformat(r["date_accepted"]) for r in members}
            done = [date.fromisoformat(r["date"]) for r in members]
        except ValueError:
            continue
        decisions = {r["decision"] for r in members}
        if len(accepted) != 1 or "" in decisions or decisions == {"discontinued"}:
            continue
        (start,) = accepted
        if start.year < 1967 or min(done) < start:
            continue
        yield (max(done) - start).days


def _expected(session, newsroom_id, today, received_from=None, received_to=None):
    """The scorecard computed in Python from the stored rows, one request at a time."""
    from tracker.core.models import Complaint, Extension, InfoRequest, Institution

    extended = {
        e.request_id for e in session.scalars(sa.select(Extension).filter_by(superseded=False))
    }
    complaints = session.scalars(sa.select(Complaint).filter_by(superseded=False)).all()
    groups = {}
    for r in session.scalars(sa.select(InfoRequest).filter_by(newsroom_id=newsroom_id)):
        if (received_from and r.received_on < received_from) or (
            received_to and r.received_on > received_to
        ):
            continue
        answered = r.responded_on is not None
        late = (answered and r.responded_on > r.due_on) or (
            not answered and r.due_on < today and r.status != "closed"
        )
        institution = session.get(Institution, r.institution_id)
        keys = (("institution", str(r.institution_id), institution.name), ("law", r.law_code, ""))
        for kind, key, name in keys:
            g = groups.setdefault(
                (kind, key),
                {"name": name, "filed": 0, "on_time": 0, "ext": 0, "to_answer": [], "late": []},
            )
            g["filed"] += 1
            g["on_time"] += answered and r.responded_on <= r.due_on
            g["ext"] += r.id in extended
            g["complaints"] = g.get("complaints", 0) + sum(c.request_id == r.id for c in complaints)
            g["well_founded"] = g.get("well_founded", 0) + sum(
                c.request_id == r.id and c.finding == "well_founded" for c in complaints
            )
            if answered:
                g["to_answer"].append((r.responded_on - r.received_on).days)
            if late:
                g["late"].append(((r.responded_on or today) - r.due_on).days)

    def median(values):
        return float(statistics.median(values)) if values else None

    return {
        kind_key: (
            g["filed"],
            len(g["to_answer"]),
            g["on_time"] + len(g["late"]),
            g["on_time"],
            len(g["late"]),
            g["ext"],
            g["complaints"],
            g["well_founded"],
            median(g["to_answer"]),
            median(g["late"]),
            max(g["late"]) if g["late"] else None,
        )
        for kind_key, g in groups.items()
    }


def _figures(score):
    return (
        score.filed,
        score.answered,
        score.judged,
        score.on_time,
        score.late,
        score.with_extension,
        score.complaints,
        score.well_founded,
        score.median_days_to_answer,
        score.median_days_late,
        score.worst_days_late,
    )


@pytest.fixture(scope="module")
def varied(module_app):
    """Five institutions under three laws (one request under a law not its institution's),
    about 120 requests: answered early and late, overdue, withdrawn, not yet due, extended,
    complained about; hand-made groups with ties and even counts; one with nothing to judge.
    Built once: the tests that use it only read."""
    rng = random.Random(20240603)
    with builders.desk(module_app, "many@example.org", newsroom="Varied", today=TODAY) as desk:

        def new(inst, received, law=None):
            return desk.request(inst, "R", received=received, law_code=law)

        ties = desk.institution("Ties", "ca-atia")  # days to answer 10, 20, 20, 31: median 20
        for days in (10, 20, 20, 31):
            new(ties, date(2024, 1, 8)).final_response(date(2024, 1, 8) + timedelta(days=days))
        pair = desk.institution("Pair", "ca-on-fippa")  # 3 and 8 days: median 5.5
        for days in (3, 8):
            new(pair, date(2024, 3, 4)).final_response(date(2024, 3, 4) + timedelta(days=days))
        quiet = desk.institution("Quiet", "ca-atia")  # nothing answered, nothing late yet
        new(quiet, TODAY - timedelta(days=2))
        busy = [desk.institution("Busy A", "ca-atia"), desk.institution("Busy B", "ca-on-mfippa")]
        for i in range(110):
            received = TODAY - timedelta(days=rng.randint(5, 300))
            law = "ca-on-fippa" if i % 17 == 0 else None
            request = new(rng.choice(busy), received, law)
            fate = rng.random()
            if fate < 0.15:
                request.extension(received + timedelta(days=5), days=30, reason="volume")
            if fate < 0.6:
                on = min(TODAY, received + timedelta(days=rng.randint(0, 80)))
                request.final_response(on, outcome="full")
                if fate < 0.25:
                    request.complaint(on, grounds="delay")
                    if fate < 0.12:
                        request.finding(on, finding="well_founded")
            elif fate < 0.7:
                request.withdrawn(received + timedelta(days=3))
        return desk.user


@pytest.mark.parametrize(
    "received_from, received_to",
    [(None, None), (date(2024, 1, 1), date(2024, 3, 31)), (TODAY - timedelta(days=60), None)],
)
def test_figures_and_medians_equal_a_python_computation(
    module_app, varied, received_from, received_to
):
    with module_app.app_context():
        session = db.session()
        cards = compute(session, varied.newsroom_id, TODAY, received_from, received_to)
        expected = _expected(session, varied.newsroom_id, TODAY, received_from, received_to)
    got = {("institution", s.key): _figures(s) for s in cards.institutions}
    got |= {("law", s.key): _figures(s) for s in cards.laws}
    assert got == expected
    assert len(cards.laws) >= 2 and all(s.name for s in cards.institutions + cards.laws)


def test_medians_with_ties_even_counts_and_nothing_to_judge(module_app, varied):
    with module_app.app_context():
        cards = compute(db.session(), varied.newsroom_id, TODAY)
    by_name = {s.name: s for s in cards.institutions}
    assert by_name["Ties"].median_days_to_answer == 20.0
    assert by_name["Pair"].median_days_to_answer == 5.5
    quiet = by_name["Quiet"]
    assert (quiet.filed, quiet.judged, quiet.on_time_pct) == (1, 0, None)
    assert (quiet.median_days_to_answer, quiet.median_days_late, quiet.worst_days_late) == (
        None,
        None,
        None,
    )
    # The law of one request in 17 is not its institution's: it counts under that law.
    laws = {s.law_code: s.filed for s in cards.laws}
    assert sum(laws.values()) == sum(s.filed for s in cards.institutions)
    assert laws["ca-on-fippa"] > 2


def test_names_are_shown_as_text_and_link_to_the_institutions_requests(app, client, auth, newsroom):
    name = '<script>alert("x")</script> & "Sons"'
    with app.app_context(), db.transaction() as session:
        user = session.get(User, newsroom.id)
        made = create_institution(session, user.newsroom_id, InstitutionData(name, "ca-atia"))
        requests.create_request(
            session,
            user,
            requests.RequestData(institution_id=made.id, title="R", received_on=date(2024, 5, 1)),
            TODAY,
        )
    auth.login("rep@example.org")
    soup = page(client.get("/scorecards/"))
    assert soup.select("#by-institution script") == []
    link = next(a for a in soup.select("#by-institution tbody th a") if a.get_text() == name)
    assert link["href"] == f"/requests/?institution={made.id}"
