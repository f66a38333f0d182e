"""Mapping checks and the small things that cost trust (issue 17, parts 5 and 8)."""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import InfoRequest
from tracker.imports.csvfile import CsvFileError, parse_csv
from tracker.imports.service import Mapping
from tracker.scorecards.chart import days_late_chart, label_lines
from tracker.scorecards.service import Score

TODAY = date(2026, 11, 22)
HEADER = "file number,title,received,completed,decision\n"
BASE = {
    "title": "title",
    "default_institution": "City of Toronto",
    "default_law": "ca-on-mfippa",
}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", newsroom="The Star", role="editor")


def run(runner, tmp_path, text, *extra, mapping=BASE, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    args = ["import-csv", str(path), "--newsroom", "The Star", "--mapping", json.dumps(mapping)]
    return runner.invoke(args=[*args, *extra])


ONE_DATE = "id,title,date,decision\n1,a,2016-01-04,all disclosed\n2,b,2016-02-01,all disclosed\n"


def test_one_column_for_two_date_roles_needs_confirming(runner, tmp_path, editor):
    mapping = {**BASE, "received_on": "date", "completed_on": "date"}
    refused = run(runner, tmp_path, ONE_DATE, "--dry-run", mapping=mapping)
    assert refused.exit_code == 1
    assert "both the received and the completed date" in refused.output
    assert "confirm_same_date_column" in refused.output
    confirmed = run(
        runner,
        tmp_path,
        ONE_DATE,
        "--dry-run",
        mapping={**mapping, "confirm_same_date_column": "yes"},
    )
    assert confirmed.exit_code == 0, confirmed.output
    assert "warning: Every one of the 2 answered requests would be answered on time in 0 days" in (
        confirmed.output
    )


def test_every_request_answered_in_zero_days_is_warned_about(runner, tmp_path, editor):
    text = (
        HEADER
        + "1,a,2016-01-04,2016-01-04,all disclosed\n2,b,2016-02-01,2016-02-01,all disclosed\n"
    )
    result = run(runner, tmp_path, text, "--dry-run")
    assert "answered on time in 0 days" in result.output
    normal = (
        HEADER
        + "1,a,2016-01-04,2016-01-04,all disclosed\n2,b,2016-02-01,2016-02-11,all disclosed\n"
    )
    assert "0 days" not in run(runner, tmp_path, normal, "--dry-run").output


def test_the_mapping_page_asks_to_confirm_and_the_check_warns(client, auth, editor):
    auth.login("editor@example.org")
    uploaded = auth.post(
        "/imports/",
        {"file": (io.BytesIO(ONE_DATE.encode()), "one.csv")},
        content_type="multipart/form-data",
    )
    preview = uploaded.headers["Location"]
    fields = {
        "title": "title",
        "received_on": "date",
        "completed_on": "date",
        "decision": "decision",
        "default_institution": "City of Toronto",
        "default_law": "ca-on-mfippa",
        "date_format": "iso",
    }
    refused = auth.post(preview, fields)
    assert refused.status_code == 200
    error = page(refused).select_one("#completed_on-error").get_text()
    assert "both the received and the completed date" in error
    confirmed = auth.post(preview, {**fields, "confirm_same_date_column": "y"})
    assert confirmed.status_code == 302
    soup = page(client.get(confirmed.headers["Location"]))
    assert "0 days" in soup.select_one("#notices").get_text()
    # The confirmation is kept: the mapping page shows it ticked.
    again = page(client.get(preview))
    assert again.select_one("#confirm_same_date_column").has_attr("checked")


def test_help_lists_every_mapping_key(runner):
    result = runner.invoke(args=["import-csv", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for key in (f.name for f in dataclasses.fields(Mapping)):
        assert key in text, key
    assert "--as-of DATE" in text


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
    ],
)
def test_a_pdf_or_an_image_is_not_a_csv_file(data, kind, client, auth, runner, tmp_path, editor):
    with pytest.raises(CsvFileError, match=f"This is {kind}, not a CSV file"):
        parse_csv(data)
    cli = run(runner, tmp_path, data, name="requests.csv")
    assert cli.exit_code == 1 and "not a CSV file" in cli.output
    auth.login("editor@example.org")
    response = auth.post(
        "/imports/",
        {"file": (io.BytesIO(data), "requests.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "not a CSV file" in page(response).select_one("#file-error").get_text()


NEW_YEAR = (
    HEADER + "1,a,2016-01-01,2016-01-20,all disclosed\n2,b,2016-02-01,2016-02-11,all disclosed\n"
)


def test_new_year_is_a_likely_placeholder_importable_after_confirmation(
    app, runner, tmp_path, editor
):
    refused = run(runner, tmp_path, NEW_YEAR)
    assert refused.exit_code == 1
    assert "is 1 January" in refused.output and "confirm_new_year" in refused.output
    confirmed = run(runner, tmp_path, NEW_YEAR, mapping={**BASE, "confirm_new_year": "yes"})
    assert confirmed.exit_code == 0, confirmed.output
    assert "warning: 1 January (confirmed as real): 1 row (2)" in confirmed.output
    with app.app_context():
        received = sorted(db.session().scalars(sa.select(InfoRequest.received_on)))
    assert received == [date(2016, 1, 1), date(2016, 2, 1)]


def test_cli_warnings_are_grouped_with_a_count(runner, tmp_path, editor):
    rows = "".join(f"{n},t{n},2016-01-04,,\n" for n in range(300))
    result = run(runner, tmp_path, HEADER + rows, "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "No completion date" in line]
    assert len(lines) == 2  # the grouped line and the summary's count
    assert "300 rows (2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 290 more)" in lines[0]
    assert len(result.output.splitlines()) < 20


def test_long_institution_names_are_whole_in_the_chart(app):
    long_name = "Ministry of Children, Community and Social Services (Ontario)"
    longer = "Office of the Commissioner " * 6
    scores = [
        Score(str(n), name, "ca-on-fippa", 3, 2, 3, 1, 2, 0, 0, 0, 10.0, 40.0 - n, 60)
        for n, name in enumerate([long_name, longer, "RCMP"])
    ]
    with app.test_request_context():
        svg = ET.fromstring(days_late_chart(scores, TODAY, "The Star"))
    bars = svg.findall(f"{SVG}g")
    wrapped = bars[0].find(f"{SVG}text")
    assert " ".join(t.text for t in wrapped.findall(f"{SVG}tspan")) == long_name
    assert bars[0].findtext(f"{SVG}title") == long_name
    assert bars[1].findtext(f"{SVG}title") == longer
    assert label_lines(longer)[-1].endswith("…") and len(label_lines(longer)) == 3
    assert bars[2].find(f"{SVG}text").text == "RCMP"
    # Rows do not overlap: each bar starts below the previous row's label lines.
    tops = [float(g.find(f"{SVG}rect").get("y")) for g in bars]
    assert tops[1] - tops[0] >= 2 * 15 and tops[2] - tops[1] >= 3 * 15


def test_a_name_with_markup_is_text_in_the_chart(app):
    """The chart is a template: a name and a newsroom with markup are escaped, read back
    as the same text, and add no element."""
    name = 'Agency <script>x</script> & "Co"'  # one label line
    scores = [Score("1", name, "ca-atia", 3, 2, 3, 1, 2, 0, 0, 0, 10.0, 40.0, 60)]
    with app.test_request_context():
        svg = ET.fromstring(days_late_chart(scores, TODAY, "The <b>Star</b>"))
    (bar,) = svg.findall(f"{SVG}g")
    assert bar.findtext(f"{SVG}title") == name
    assert bar.find(f"{SVG}text").text == name
    assert "The <b>Star</b>" in svg.findall(f"{SVG}text")[1].text
    assert not [e for e in svg.iter() if e.tag in ("script", "b", f"{SVG}script", f"{SVG}b")]
