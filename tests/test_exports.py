"""CSV exports: the filtered list, the whole newsroom as a ZIP, formulas neutralised."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest

from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import User
from tracker.exports.service import safe_cell
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service as requests

TODAY = date(2024, 6, 3)


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "exports start with a byte-order mark for spreadsheets"
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


@pytest.fixture
def newsroom(app, make_user):
    """Two institutions, three requests (one answered, one overdue, one with a formula title)."""
    reporter = make_user("rep@example.org", newsroom="The Star", name="Rita Reporter")
    editor = make_user("ed@example.org", newsroom="The Star", role="editor", name="Ed")
    outsider = make_user("out@example.org", newsroom="Other Paper", role="editor")
    with app.app_context(), db.transaction() as session:
        owner = session.get(User, reporter.id)
        rcmp = create_institution(
            session, owner.newsroom_id, InstitutionData(name="RCMP", law_code="ca-atia")
        )
        city = create_institution(
            session,
            owner.newsroom_id,
            InstitutionData(name='=HYPERLINK("http://evil")', law_code="ca-on-mfippa"),
        )
        answered = requests.create_request(
            session,
            owner,
            requests.RequestData(
                institution_id=rcmp.id,
                title="Clearview AI",
                received_on=date(2024, 2, 1),
                file_number="A-2024-1",
                text='All records, "quoted", with, commas\nand lines',
            ),
            TODAY,
        )
        requests.add_event(
            session,
            owner,
            answered,
            requests.EventData(
                kind="final_response",
                occurred_on=date(2024, 3, 8),
                note="+1 late",
                details={"outcome": "partial"},
            ),
            TODAY,
            None,
            0,
        )  # type: ignore[arg-type]
        requests.create_request(
            session,
            owner,
            requests.RequestData(
                institution_id=rcmp.id,
                title="Body cameras",
                received_on=date(2024, 4, 1),
                file_number="A-2024-2",
            ),
            TODAY,
        )
        requests.create_request(
            session,
            owner,
            requests.RequestData(
                institution_id=city.id,
                title="=1+2",
                received_on=date(2024, 5, 30),
                file_number="-3",
                text="@SUM(A1:A2)",
            ),
            TODAY,
        )
        other = session.get(User, outsider.id)
        elsewhere = create_institution(
            session, other.newsroom_id, InstitutionData(name="Secret", law_code="ca-atia")
        )
        requests.create_request(
            session,
            other,
            requests.RequestData(
                institution_id=elsewhere.id,
                title="Other newsroom's scoop",
                received_on=date(2024, 5, 1),
            ),
            TODAY,
        )
    return {"reporter": reporter, "editor": editor, "rcmp": rcmp.id}


def test_safe_cell_neutralises_formula_starts():
    for dangerous in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Plain text") == "Plain text"
    assert safe_cell(12) == 12 and safe_cell("") == ""


def test_filtered_list_export_matches_the_list_page(client, auth, newsroom):
    auth.login("rep@example.org")
    response = client.get(f"/exports/requests.csv?institution={newsroom['rcmp']}&sort=received")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="requests-2024-06-03.csv"'
    )
    rows = read_csv(response.get_data(as_text=True))
    assert [r["title"] for r in rows] == ["Body cameras", "Clearview AI"]  # newest first
    clearview = rows[1]
    assert clearview["text"] == 'All records, "quoted", with, commas\nand lines'
    assert (clearview["received_on"], clearview["due_on"], clearview["responded_on"]) == (
        "2024-02-01",
        "2024-03-04",
        "2024-03-08",
    )
    assert clearview["days_late"] == "4" and clearview["status"] == "answered"
    assert clearview["owner"] == "Rita Reporter" and clearview["law_code"] == "ca-atia"
    assert clearview["url"].startswith("http://tracker.test/requests/")
    listed = page(client.get(f"/requests/?institution={newsroom['rcmp']}&sort=received"))
    assert [a.get_text() for a in listed.select("#request-list tbody tr td:first-child a")] == [
        r["title"] for r in rows
    ]


def test_export_has_every_page_and_a_search_filter(app, client, auth, newsroom):
    with app.app_context(), db.transaction() as session:
        owner = session.get(User, newsroom["reporter"].id)
        for n in range(30):
            requests.create_request(
                session,
                owner,
                requests.RequestData(
                    institution_id=newsroom["rcmp"], title=f"Bulk {n}", received_on=date(2024, 1, 2)
                ),
                TODAY,
            )
    auth.login("rep@example.org")
    everything = read_csv(client.get("/exports/requests.csv").get_data(as_text=True))
    assert len(everything) == 33  # more than one page of the list (25)
    searched = read_csv(client.get("/exports/requests.csv?q=clearview").get_data(as_text=True))
    assert [r["title"] for r in searched] == ["Clearview AI"]
    overdue = read_csv(client.get("/exports/requests.csv?overdue=1").get_data(as_text=True))
    assert {r["status"] for r in overdue} == {"overdue"} and len(overdue) == 31


def test_formulas_are_neutralised_in_the_export(client, auth, newsroom):
    auth.login("rep@example.org")
    raw = client.get("/exports/requests.csv?q=1%2B2").get_data(as_text=True)
    (row,) = read_csv(raw)
    assert row["title"] == "'=1+2"
    assert row["file_number"] == "'-3"
    assert row["text"] == "'@SUM(A1:A2)"
    assert row["institution"] == '\'=HYPERLINK("http://evil")'
    # No cell of the raw file starts a formula.
    for cells in csv.reader(io.StringIO(raw[1:], newline="")):
        assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_newsroom_zip_holds_every_table_of_this_newsroom_only(client, auth, newsroom):
    auth.login("ed@example.org")
    response = client.get("/exports/newsroom.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [
        "README.txt",
        "complaints.csv",
        "extensions.csv",
        "institutions.csv",
        "requests.csv",
        "timeline.csv",
    ]
    tables = {
        name: read_csv(archive.read(name).decode("utf-8"))
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    assert sorted(r["title"] for r in tables["requests.csv"]) == [
        "'=1+2",
        "Body cameras",
        "Clearview AI",
    ]
    assert {r["name"]: r["requests"] for r in tables["institutions.csv"]} == {
        "RCMP": "2",
        '\'=HYPERLINK("http://evil")': "1",
    }
    timeline = tables["timeline.csv"]
    assert [r["kind"] for r in timeline].count("filed") == 3
    final = next(r for r in timeline if r["kind"] == "final_response")
    assert final["note"] == "'+1 late" and final["details"] == '{"outcome": "partial"}'
    assert final["file_number"] == "A-2024-1" and final["recorded_by"] == "Rita Reporter"
    assert "Other newsroom's scoop" not in response.data.decode("latin-1")


def test_exports_need_a_login(client, newsroom):
    for path in ("/exports/", "/exports/requests.csv", "/exports/newsroom.zip"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_export_page_links(client, auth, newsroom):
    auth.login("rep@example.org")
    soup = page(client.get("/exports/"))
    links = {a["href"] for a in soup.select("a.button")}
    assert links == {"/exports/requests.csv", "/exports/newsroom.zip"}


def _semicolon_cells(raw: str) -> list[str]:
    """Every cell a spreadsheet in a comma-decimal locale (French) sees: it splits on ";"."""
    return [c for line in raw.splitlines() for c in line.split(";")] + [
        c for row in csv.reader(io.StringIO(raw, newline=""), delimiter=";") for c in row
    ]


def test_formulas_are_neutralised_for_a_semicolon_reading_too(app, client, auth, newsroom):
    with app.app_context(), db.transaction() as session:
        owner = session.get(User, newsroom["reporter"].id)
        requests.create_request(
            session,
            owner,
            requests.RequestData(
                institution_id=newsroom["rcmp"],
                title='Budget;=HYPERLINK("http://evil");+1; -2;@SUM(A1)',
                received_on=date(2024, 5, 1),
                file_number="X;=1+1",
                text="a, b;\t=cmd|' /C calc'!A0",
            ),
            TODAY,
        )
    assert safe_cell("a;=1+1") == "a;'=1+1" and safe_cell("a; -2") == "a;' -2"
    assert safe_cell("=a;@b") == "'=a;'@b" and safe_cell("a;b") == "a;b"
    auth.login("ed@example.org")
    raw = client.get("/exports/requests.csv?q=budget").get_data(as_text=True)[1:]
    (row,) = read_csv("\ufeff" + raw)
    assert row["title"] == "Budget;'=HYPERLINK(\"http://evil\");'+1;' -2;'@SUM(A1)"
    for cell in _semicolon_cells(raw):
        assert not cell.strip().strip('"').lstrip().startswith(("=", "+", "-", "@")), cell
    archive = zipfile.ZipFile(io.BytesIO(client.get("/exports/newsroom.zip").data))
    for name in archive.namelist():
        if name.endswith(".csv"):
            for cell in _semicolon_cells(archive.read(name).decode("utf-8-sig")):
                assert not cell.strip().strip('"').startswith(("=", "+", "-", "@")), (name, cell)
    # The separator is stated where a reader of the files looks.
    assert "comma-separated" in archive.read("README.txt").decode()
    assert "comma-separated" in page(client.get("/exports/")).get_text()
