"""Imported history measured against its own time, closing decisions, institution spellings,
and failures that name their row (issue 17, parts 2 and 3)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import page
from tracker import deadlines
from tracker.core import clock, db
from tracker.core.models import (
    ImportBatch,
    ImportedRequest,
    InfoRequest,
    Institution,
    Newsroom,
    TimelineEvent,
)
from tracker.imports import service
from tracker.imports.csvfile import parse_csv
from tracker.requests.describe import lateness
from tracker.scorecards.service import compute

TODAY = date(2026, 11, 22)
HEADER = "file number,title,received,completed,decision,institution\n"
MAPPING = {"title": "title", "default_law": "ca-on-mfippa"}
CALGARY = Path("/work/shared/data/calgary-completed-requests.csv")


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", newsroom="The Star", role="editor", name="Ed Itor")


def write(tmp_path, text, name="history.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner, path, *extra, mapping=MAPPING):
    args = ["import-csv", str(path), "--newsroom", "The Star", "--mapping", json.dumps(mapping)]
    return runner.invoke(args=[*args, *extra])


def requests_by_number(app) -> dict[str, InfoRequest]:
    with app.app_context():
        session = db.session()
        found = {r.file_number: r for r in session.scalars(sa.select(InfoRequest))}
        for r in found.values():
            _ = (r.institution, list(r.events))  # loaded before the session closes
        session.expunge_all()
        return found


FILE_2016 = (
    HEADER
    # MFIPPA s.19: 30 days; received 2016-01-04, due 2016-02-03.
    + "H-1,No answer,2016-01-04,,,City of Toronto\n"
    + "H-2,Answered,2016-01-04,2016-01-20,all disclosed,City of Toronto\n"
    + "H-3,Last date in the file,2016-05-09,2016-06-03,nothing disclosed,City of Toronto\n"
)


def test_unanswered_in_an_old_file_is_late_as_of_the_file_not_today(app, runner, tmp_path, editor):
    result = run(runner, write(tmp_path, FILE_2016), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Figures as of 2016-06-03" in result.output  # the file's latest date
    result = run(runner, write(tmp_path, FILE_2016))
    assert result.exit_code == 0, result.output
    found = requests_by_number(app)
    unanswered = found["H-1"]
    assert unanswered.status == "closed" and unanswered.closed_on == date(2016, 6, 3)
    assert unanswered.responded_on is None
    with app.app_context():
        late = lateness(db.session().merge(unanswered), TODAY)
    # Counted to 2016-06-03, not to 2026: 121 days, not 3,945.
    assert late.calendar_days_late == (date(2016, 6, 3) - date(2016, 2, 3)).days == 121
    assert not late.counting and late.until == date(2016, 6, 3)
    # The list's "days late" order reads the same figures, stored by the import's writer.
    assert unanswered.days_late_stopped == 121
    assert found["H-2"].days_late_stopped == 0
    with app.app_context():
        batch = db.session().scalar(sa.select(ImportBatch))
        assert (batch.filename, batch.as_of, batch.requests, batch.rows) == (
            "history.csv",
            date(2016, 6, 3),
            3,
            3,
        )
        linked = db.session().scalars(
            sa.select(ImportedRequest.request_id).where(ImportedRequest.import_id == batch.id)
        )
        assert set(linked) == {r.id for r in found.values()}


def test_as_of_option_and_today(app, runner, tmp_path, editor):
    path = write(tmp_path, FILE_2016)
    later = run(runner, path, "--as-of", "2016-12-31", "--dry-run")
    assert "Figures as of 2016-12-31" in later.output
    early = run(runner, path, "--as-of", "2016-05-01", "--dry-run")
    assert "after the as-of date 2016-05-01" in early.output
    bad = run(runner, path, "--as-of", "June 3rd")
    assert bad.exit_code == 1 and "is not a date" in bad.output and "--as-of" in bad.output
    future = run(runner, path, "--as-of", "2027-01-01")
    assert future.exit_code == 1 and "in the future" in future.output
    live = run(runner, path, "--as-of", "today")
    assert live.exit_code == 0, live.output
    assert requests_by_number(app)["H-1"].status == "overdue"


def test_closing_decisions_in_english_and_french(app, runner, tmp_path, editor):
    text = (
        HEADER
        + "D-1,a,2016-01-04,2016-01-11,Abandonnée,City of Toronto\n"
        + "D-2,b,2016-01-04,2016-03-01,retirée,City of Toronto\n"
        + "D-3,c,2016-01-04,2016-01-11,Withdrawn,City of Toronto\n"
        + "D-4,d,2016-01-04,2016-01-11,discontinued,City of Toronto\n"
        + "D-5,e,2016-01-04,2016-01-11,Transférée,City of Toronto\n"
        + "D-6,f,2016-01-04,2016-01-11,abandoned,City of Toronto\n"
        + "D-7,g,2016-01-04,2016-01-11,sent to the moon,City of Toronto\n"
        + "D-8,h,2016-01-04,2016-01-12,sent to the moon,City of Toronto\n"
    )
    path = write(tmp_path, text)
    dry = run(runner, path, "--dry-run")
    assert "Decisions the tracker does not know:\n  'sent to the moon': 2 rows" in dry.output
    result = run(runner, path, "--skip-invalid")
    assert result.exit_code == 0, result.output
    found = requests_by_number(app)
    closures = {
        n: [e.details.get("closure") for e in r.events if e.kind == "withdrawn"]
        for n, r in found.items()
    }
    assert closures == {
        "D-1": ["abandoned"],
        "D-2": ["withdrawn"],
        "D-3": ["withdrawn"],
        "D-4": ["discontinued"],
        "D-5": ["transferred"],
        "D-6": ["abandoned"],
    }
    assert all(r.status == "closed" and r.responded_on is None for r in found.values())
    # D-2 closed 2016-03-01, after its due date (2016-02-03): late by 27 days, to that day.
    with app.app_context():
        late = lateness(db.session().merge(found["D-2"]), TODAY)
    assert late.calendar_days_late == 27 and not late.counting


def test_a_file_without_a_decision_column_gives_outcome_unknown(app, runner, tmp_path, editor):
    text = "file number,title,received,completed\nU-1,a,2016-01-04,2016-01-20\n"
    mapping = {**MAPPING, "default_institution": "City of Toronto"}
    result = run(runner, write(tmp_path, text), mapping=mapping)
    assert result.exit_code == 0, result.output
    assert "No decision column (outcome unknown): 1 row" in result.output
    (request,) = requests_by_number(app).values()
    final = [e for e in request.events if e.kind == "final_response"]
    assert final[0].details == {"outcome": "unknown"}


def test_institution_spellings_are_one_institution(app, runner, tmp_path, editor):
    text = (
        HEADER
        + "S-1,a,2016-01-04,2016-01-20,all disclosed,Ville de Montréal\n"
        + "S-2,b,2016-01-04,2016-01-20,all disclosed,ville de montreal\n"
        + "S-3,c,2016-01-04,2016-01-20,all disclosed,Ville  de Montréal.\n"
        + "S-4,d,2016-01-04,2016-01-20,all disclosed,City of Toronto\n"
        + "S-5,e,2016-01-04,2016-01-20,all disclosed,CITY OF TORONTO\n"
    )
    path = write(tmp_path, text)
    dry = run(runner, path, "--dry-run")
    assert (
        "Spellings of one institution, imported under the first:\n"
        "  Ville de Montréal\n"
        "    also written: ville de montreal\n"
        "    also written: Ville  de Montréal.\n"
        "  City of Toronto\n"
        "    also written: CITY OF TORONTO\n"
    ) in dry.output
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = sorted(db.session().scalars(sa.select(Institution.name)))
    assert names == ["City of Toronto", "Ville de Montréal"]
    # A later file matches the tracker's spelling, whatever its own.
    again = run(
        runner,
        write(tmp_path, HEADER + "S-9,x,2016-02-01,,,city of toronto!\n", "more.csv"),
    )
    assert again.exit_code == 0, again.output
    assert "New institutions" not in again.output
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Institution)) == 2


def test_same_file_number_under_two_spellings_is_one_request(tmp_path, app, editor):
    table = parse_csv(
        (
            HEADER
            + "T-1,a,2016-01-04,2016-01-20,disclosed in part,City of Toronto\n"
            + "T-1,a,2016-01-04,2016-02-20,all disclosed,city of toronto\n"
        ).encode()
    )
    with app.app_context():
        newsroom_id = db.session().scalar(sa.select(Newsroom.id))
        plan = service.build_plan(
            db.session(),
            newsroom_id,
            table,
            service.Mapping.from_dict(
                {**service.guess_mapping(table.headers).to_dict(), **MAPPING}
            ),
            TODAY,
        )
    (planned,) = plan.requests
    assert planned.rows == [2, 3] and planned.institution_name == "City of Toronto"
    assert plan.institution_variants == {"City of Toronto": ["city of toronto"]}


def test_a_database_refusal_names_the_row_on_the_page(app, client, auth, editor, monkeypatch):
    """Whatever the dry run accepted but the database refuses answers with the row and the
    reason, never a 500, and writes nothing. Here the dry run is made blind to file numbers
    already taken, and H-1 is: the database's unique key refuses it."""
    real = service.build_plan

    def blind(*args, **kwargs):
        plan = real(*args, **kwargs)
        plan.problems = [p for p in plan.problems if p.code != "duplicate_file_number"]
        for planned in plan.requests:
            planned.valid = True
        return plan

    monkeypatch.setattr(service, "build_plan", blind)
    with app.app_context(), db.transaction() as other:
        toronto = Institution(
            newsroom_id=editor.newsroom_id, name="City of Toronto", law_code="ca-on-mfippa"
        )
        other.add(toronto)
        other.flush()
        other.add(
            InfoRequest(
                newsroom_id=editor.newsroom_id,
                owner_id=editor.id,
                institution_id=toronto.id,
                law_code="ca-on-mfippa",
                title="By hand",
                file_number="H-1",
                received_on=date(2016, 1, 4),
                due_on=date(2016, 2, 3),
            )
        )
    auth.login("editor@example.org")
    response = auth.post(
        "/imports/",
        {"file": (io.BytesIO(FILE_2016.replace(",No answer,", ",b,").encode()), "h.csv")},
        content_type="multipart/form-data",
    )
    preview = response.headers["Location"]
    mapping = {
        "title": "title",
        "file_number": "file number",
        "received_on": "received",
        "completed_on": "completed",
        "decision": "decision",
        "institution": "institution",
        "default_law": "ca-on-mfippa",
        "date_format": "iso",
        "as_of": "",
    }
    check = auth.post(preview, mapping).headers["Location"]
    soup = page(client.get(check))
    assert "2016-06-03" in soup.select_one("#as-of").get_text()
    token = check.rstrip("/").rsplit("/", 2)[-2]
    result = auth.post(f"/imports/{token}/import", {})
    assert result.status_code == 302
    flashed = page(client.get(result.headers["Location"])).select_one(".flash-error").get_text()
    assert "row 2 (H-1) was refused by the database: " in flashed
    assert "unique constraint" in flashed.lower()
    with app.app_context():
        session = db.session()
        assert session.scalar(sa.select(sa.func.count()).select_from(InfoRequest)) == 1
        assert session.scalar(sa.select(sa.func.count()).select_from(TimelineEvent)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) == 0


def test_scorecard_of_one_source_says_which(app, client, auth, runner, tmp_path, editor):
    assert run(runner, write(tmp_path, FILE_2016)).exit_code == 0
    other = HEADER + "O-1,x,2016-01-04,2016-09-01,all disclosed,Police\n"
    assert run(runner, write(tmp_path, other, "police.csv")).exit_code == 0
    with app.app_context():
        session = db.session()
        newsroom_id = session.scalar(sa.select(Newsroom.id))
        first = session.scalar(sa.select(ImportBatch).where(ImportBatch.filename == "history.csv"))
        scoped = compute(session, newsroom_id, TODAY, import_id=first.id)
        everything = compute(session, newsroom_id, TODAY)
    assert [s.name for s in scoped.institutions] == ["City of Toronto"]
    (toronto,) = scoped.institutions
    # H-1 late by 121 days as of 2016-06-03; H-2 and H-3 on time.
    assert (toronto.filed, toronto.judged, toronto.late, toronto.worst_days_late) == (3, 3, 1, 121)
    assert {s.name for s in everything.institutions} == {"City of Toronto", "Police"}

    auth.login("editor@example.org")
    imports_page = page(client.get("/imports/"))
    links = [a["href"] for a in imports_page.select("#import-sources a")]
    assert f"/scorecards/?source={first.id}" in links
    soup = page(client.get(f"/scorecards/?source={first.id}"))
    note = soup.select_one("#source-note").get_text(" ", strip=True)
    assert "history.csv" in note and "as of" in note and "3 requests" in note
    names = [th.get_text(strip=True) for th in soup.select("#by-institution tbody th")]
    assert "Police" not in " ".join(names)
    csv_text = client.get(f"/scorecards/institutions.csv?source={first.id}").get_data(True)
    assert "Police" not in csv_text and "City of Toronto" in csv_text
    # Another newsroom's import, or nonsense: every request, no note.
    assert page(client.get("/scorecards/?source=99999")).select_one("#source-note") is None


@pytest.mark.skipif(not CALGARY.exists(), reason="the shared Calgary file is not here")
def test_the_calgary_file_invents_no_days(app, runner, editor):
    """Issue 17: the Calgary file gave 86 discontinued requests 'late and counting' and
    343,984 invented days. Every request of it now has its days late counted to its own
    response or closing, inside the file's years."""
    mapping = {"default_institution": "City of Calgary", "default_law": "ca-ab-foip"}
    result = run(runner, CALGARY, "--skip-invalid", mapping=mapping)
    assert result.exit_code == 0, result.output
    with app.app_context():
        session = db.session()
        rows = session.scalars(sa.select(InfoRequest)).all()
        discontinued = [r for r in rows if r.status == "closed" and r.responded_on is None]
        assert len(discontinued) >= 86
        for r in rows:
            late = lateness(r, TODAY)
            assert not late.counting, r.file_number
            assert late.until.year <= 2016
            assert late.calendar_days_late <= (late.until - r.due_on).days or (
                late.calendar_days_late == 0
            )
        total = sum(lateness(r, TODAY).calendar_days_late for r in discontinued)
        assert total < 5_000
        newsroom_id = session.scalar(sa.select(Newsroom.id))
        (calgary,) = compute(session, newsroom_id, TODAY).institutions
    assert calgary.worst_days_late < 400
    assert deadlines.LAWS["ca-ab-foip"]


def test_the_pages_say_unanswered_as_of_and_list_wordings_and_spellings(
    app, client, auth, runner, tmp_path, editor
):
    text = FILE_2016 + "H-4,Odd,2016-01-04,2016-01-20,sent to the moon,city of toronto.\n"
    auth.login("editor@example.org")
    uploaded = auth.post(
        "/imports/",
        {"file": (io.BytesIO(text.encode()), "h.csv")},
        content_type="multipart/form-data",
    )
    mapping = {
        "title": "title",
        "file_number": "file number",
        "received_on": "received",
        "completed_on": "completed",
        "decision": "decision",
        "institution": "institution",
        "default_law": "ca-on-mfippa",
        "date_format": "iso",
    }
    check = auth.post(uploaded.headers["Location"], mapping).headers["Location"]
    soup = page(client.get(check))
    wordings = [td.get_text() for td in soup.select("#unknown-decisions td")]
    assert wordings == ["sent to the moon", "1"]
    variants = soup.select_one("#institution-variants").get_text(" ", strip=True)
    assert "City of Toronto" in variants and "city of toronto." in variants

    assert run(runner, write(tmp_path, FILE_2016)).exit_code == 0
    rid = requests_by_number(app)["H-1"].id
    shown = page(client.get(f"/requests/{rid}"))
    lateness_text = shown.select_one("#lateness").get_text(" ", strip=True)
    assert "121 calendar days late" in lateness_text
    assert "counted to" in lateness_text and "still unanswered then" in lateness_text
    assert "and counting" not in lateness_text
    assert "Unanswered as of its source" in shown.select_one("#closure").get_text()
