"""CSV import: reading files, the dry run, the all-or-nothing import, the pages and the command."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution, TimelineEvent
from tracker.imports.csvfile import CsvFileError, parse_csv

DATA = Path(__file__).parent / "data"
TORONTO = DATA / "toronto-sample.csv"
CALGARY = DATA / "calgary-sample.csv"
TODAY = date(2026, 11, 22)
TORONTO_MAPPING = {"default_institution": "City of Toronto", "default_law": "ca-on-mfippa"}
HEADER = "file number;title;received;completed;decision;institution;law\n"


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", newsroom="The Star", role="editor", name="Ed Itor")


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(sa.func.count()).select_from(model))


def import_csv(runner, path, *extra, mapping=TORONTO_MAPPING, newsroom="The Star"):
    args = ["import-csv", str(path), "--newsroom", newsroom]
    if mapping is not None:
        args += ["--mapping", json.dumps(mapping)]
    return runner.invoke(args=[*args, *extra])


def write(tmp_path, text, name="requests.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


# --- reading the file -------------------------------------------------------------------------


def test_reads_bom_semicolons_and_quoted_newlines():
    data = (
        "\ufeff" + HEADER + 'A-1;"Budget; 2024 ""draft""\nsecond line";2024-02-01;;;'
        "City of Québec;ca-qc-access\n"
    ).encode()
    table = parse_csv(data)
    assert table.had_bom and table.delimiter_name == "semicolon"
    assert table.headers[0] == "file number"
    ((number, record),) = table.records()
    assert number == 2
    assert record["title"] == 'Budget; 2024 "draft"\nsecond line'
    assert record["institution"] == "City of Québec"


@pytest.mark.parametrize(
    "data, reason",
    [
        ("file,received\nA-1,2024-01-02\nB-é,2024-01-03\n".encode("cp1252"), "not UTF-8 text"),
        (b"", "empty"),
        (b"PK\x03\x04rest-of-a-workbook", "Excel workbook"),
        (b"A-1,2024-01-02,Budget\nA-2,2024-01-03,Roads\n", "holds data"),
        (b"file,,received\nA-1,x,2024-01-02\n", "no name"),
        (b"file,File\nA-1,x\n", "Two columns"),
        (b"file,received\n", "no rows"),
        ("file,received\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_unreadable_files_get_one_clear_reason(data, reason):
    with pytest.raises(CsvFileError, match=reason) as info:
        parse_csv(data)
    if reason == "not UTF-8 text":
        assert "line 3" in str(info.value)


# --- the dry run and the import from the command line -----------------------------------------


def test_dry_run_reports_every_problem_by_row_and_writes_nothing(app, runner, editor):
    result = import_csv(runner, TORONTO, "--dry-run")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "136 rows make 130 requests" in out
    assert "AG-2011-01664 on rows 45, 46" in out
    assert re.search(
        r"row 2 \(AG-2015-00088\): error: The received date 1301-01-01 is a "
        r"placeholder",
        out,
    )
    assert "row 11 (AG-2014-01671): error: The received date 3101-01-01 is a placeholder" in out
    assert "row 6 (AG-2015-00791): error: The received date 2001-01-01 is 1 January" in out
    assert (
        "row 18 (AP-2011-02138): error: Completed 2011-02-12 before it was received 2011-11-18"
    ) in out
    assert "row 15 (AP-2011-01100): error: Unknown decision 'correction'" in out
    assert "row 65 (AP-2011-02229): error: No received date" in out
    # Warnings are grouped, one line per kind with a count (issue 17; this pinned one line
    # per row before); a request without a response is unanswered as of the file's date.
    assert (
        "warning: No completion date (unanswered as of the file's date): 5 rows "
        "(9, 32, 34, 36, 40), e.g. row 9: No completion date: imported as unanswered as of "
        "2014-12-08"
    ) in out
    assert "row 9 (AG-2011-00175): warning" not in out
    assert "Figures as of 2014-12-08" in out
    assert "Decisions the tracker does not know:\n  'correction': 2 rows" in out
    assert "109 requests ready, 21 with errors" in out
    assert "Dry run: nothing was written." in out
    assert count(app, InfoRequest) == 0 and count(app, Institution) == 0


def test_errors_stop_the_whole_import(app, runner, editor):
    result = import_csv(runner, TORONTO)
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "--skip-invalid" in result.output
    assert count(app, InfoRequest) == 0 and count(app, Institution) == 0


def test_thousands_of_bad_rows_give_one_report_and_write_nothing(app, runner, editor, tmp_path):
    lines = [HEADER.replace(";", ",")]
    for n in range(3000):
        lines.append(f"X-{n},Request {n},1301-01-01,,,City of Toronto,\n")
    path = write(tmp_path, "".join(lines))
    result = import_csv(
        runner,
        path,
        mapping={
            "title": "title",
            "file_number": "file number",
            "received_on": "received",
            "default_law": "ca-on-mfippa",
        },
    )
    assert result.exit_code == 1
    assert result.output.count("error: The received date 1301-01-01 is a placeholder") == 3000
    assert re.search(r"^\s+3000 error: Placeholder date$", result.output, re.MULTILINE)
    assert "Nothing was imported: 3000 rows have errors" in result.output
    assert count(app, InfoRequest) == 0


def test_skip_invalid_imports_the_rest_with_deadlines_and_timeline(app, runner, editor):
    result = import_csv(runner, TORONTO, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert (
        "Imported 109 requests from 113 rows into 'The Star', owned by editor@example.org"
        in result.output
    )
    with app.app_context():
        session = db.session()
        (toronto,) = session.scalars(sa.select(Institution)).all()
        assert (toronto.name, toronto.law_code) == ("City of Toronto", "ca-on-mfippa")
        requests = {r.file_number: r for r in session.scalars(sa.select(InfoRequest))}
        assert len(requests) == 109
        # Rows with errors are left out, whole groups included.
        assert "AG-2015-00088" not in requests and "AG-2011-01664" not in requests
        # MFIPPA s.19: 30 days from receipt; day 30 is Saturday 2011-06-11, rolled to Monday.
        one = requests["AG-2011-00904"]
        assert (one.received_on, one.due_on) == (date(2011, 5, 12), date(2011, 6, 13))
        assert one.responded_on == date(2011, 5, 30) and one.status == "answered"
        assert one.title.startswith(one.text.split()[0]) and one.owner.email == "editor@example.org"
        kinds = [e.kind for e in one.events]
        assert kinds == ["filed", "final_response", "imported"]
        final = one.events[1]
        assert final.details == {"outcome": "partial"}
        assert "disclosed in part" in final.note
        imported = one.events[2]
        assert imported.occurred_on == TODAY
        assert imported.details["source"] == "toronto-sample.csv"
        assert imported.details["rows"] == [30]
        # No completion date: unanswered as of the file's latest date (2014-12-08), not
        # overdue and counting today (issue 17; this pinned "overdue" before).
        unanswered = requests["AG-2011-00175"]
        assert unanswered.status == "closed" and unanswered.closed_on == date(2014, 12, 8)
        assert unanswered.events[-2].details == {"closure": "unanswered_as_of"}
        assert "Unanswered as of 2014-12-08" in unanswered.events[-2].note
        # Discontinued: closed as discontinued on the row's date, no response.
        discontinued = [
            r
            for r in requests.values()
            if any(e.details.get("closure") == "discontinued" for e in r.events)
        ]
        assert discontinued and all(
            r.status == "closed" and r.responded_on is None for r in discontinued
        )
        assert imported.details["as_of"] == "2014-12-08"


def test_imported_requests_and_later_ones_are_found_by_search(app, runner, client, auth, editor):
    """The writer indexes its rows for the list's search itself (SQLite: its per-row
    trigger is set aside during the import) and puts the trigger back for later requests."""
    from tracker.requests import service as requests

    assert import_csv(runner, TORONTO, "--skip-invalid").exit_code == 0
    with app.app_context(), db.transaction() as session:
        toronto = session.scalar(sa.select(Institution))
        user = session.merge(editor)
        requests.create_request(
            session,
            user,
            requests.RequestData(toronto.id, "Zamboni maintenance logs", date(2026, 11, 2)),
            TODAY,
        )
    auth.login("editor@example.org")
    found = page(client.get("/requests/?q=AG-2011-00904"))
    assert [a.get_text() for a in found.select("td a[href*='/requests/']")][:1]
    assert "AG-2011-00904" in found.get_text() and "1 request" in found.get_text()
    later = page(client.get("/requests/?q=zamboni"))
    assert "Zamboni maintenance logs" in later.get_text()


def test_rows_sharing_a_file_number_are_one_request(app, runner, tmp_path, editor):
    path = write(
        tmp_path,
        HEADER.replace(";", ",")
        + "T-1,Budget,2024-03-01,2024-03-20,disclosed in part,City of Toronto,\n"
        + "T-1,Budget,2024-03-01,2024-04-15,all disclosed,city of toronto,\n"
        + "T-2,Roads,2024-03-04,2024-03-05,Nothing disclosed,City of Toronto,\n",
    )
    result = import_csv(runner, path, mapping={"title": "title", "default_law": "ca-on-mfippa"})
    assert result.exit_code == 0, result.output
    assert "3 rows make 2 requests: 1 file numbers appear on several rows" in result.output
    with app.app_context():
        session = db.session()
        grouped = session.scalar(sa.select(InfoRequest).where(InfoRequest.file_number == "T-1"))
        assert [e.kind for e in grouped.events] == [
            "filed",
            "partial_release",
            "final_response",
            "imported",
        ]
        assert grouped.responded_on == date(2024, 4, 15)
        assert grouped.events[2].details == {"outcome": "partial"}  # mixed packages
        assert grouped.events[3].details["rows"] == [2, 3]
        assert session.scalar(sa.select(sa.func.count()).select_from(Institution)) == 1


def test_existing_institution_matched_by_name_and_duplicates_refused(
    app, runner, tmp_path, editor, make_user
):
    make_user("other@example.org", newsroom="Other", role="admin")
    with app.app_context(), db.transaction() as session:
        from tracker.institutions.service import InstitutionData, create_institution

        create_institution(
            session,
            editor.newsroom_id,
            InstitutionData(name="CITY OF CALGARY", law_code="ca-ab-foip", province="AB"),
        )
    result = import_csv(
        runner, CALGARY, "--skip-invalid", mapping={"default_institution": "City of Calgary"}
    )
    assert result.exit_code == 0, result.output
    assert "Institutions created" not in result.output
    with app.app_context():
        laws = db.session().scalars(sa.select(InfoRequest.law_code).distinct()).all()
        assert laws == ["ca-ab-foip"]
    before = count(app, InfoRequest)
    again = import_csv(
        runner, CALGARY, "--dry-run", mapping={"default_institution": "City of Calgary"}
    )
    assert "CITY OF CALGARY already has a request with file number 2015-B-0003" in again.output
    assert count(app, InfoRequest) == before
    # Another newsroom's identical file is its own business.
    other = import_csv(
        runner,
        CALGARY,
        "--dry-run",
        newsroom="Other",
        mapping={"default_institution": "City of Calgary", "default_law": "ca-ab-foip"},
    )
    assert "already has a request" not in other.output


def test_law_column_unknown_law_and_missing_institution(app, runner, tmp_path, editor):
    path = write(
        tmp_path,
        HEADER
        + "A-1;Ledger;2024-03-01;;;Ministry of Finance;MFIPPA\n"
        + "A-2;Memo;2024-03-01;;;Ministry of Finance;Freedom Act\n"
        + "A-3;Note;2024-03-01;;;;ca-on-mfippa\n"
        + "A-4;Plan;2024-02-30;;;Ministry of Finance;ca-on-mfippa\n"
        + "A-5;Plan;2027-02-03;;;Ministry of Finance;ca-on-mfippa\n",
    )
    result = import_csv(runner, path, "--dry-run", mapping={"title": "title"})
    out = result.output
    assert "row 3 (A-2): error: Unknown law 'Freedom Act'" in out
    assert "row 4 (A-3): error: No institution" in out
    assert "row 5 (A-4): error: The received date '2024-02-30' is not a date" in out
    assert "row 6 (A-5): error: The received date 2027-02-03 is in the future" in out
    assert "1 requests ready" in out
    assert "New institutions:\n  Ministry of Finance (ca-on-mfippa)\n" in out


def test_missing_columns_are_named(app, runner, tmp_path, editor):
    path = write(tmp_path, "id,summary\n1,Budget\n")
    result = import_csv(runner, path, mapping=None)
    assert result.exit_code == 1
    assert "received (accepted) each request" in result.output
    assert "columns: id, summary" in result.output
    bad = import_csv(runner, path, mapping={"received_on": "when"})
    assert bad.exit_code != 0 and "no column 'when'" in bad.output
    unknown = import_csv(runner, path, mapping={"recieved": "id"})
    assert unknown.exit_code != 0 and "Unknown mapping key 'recieved'" in unknown.output


def test_wrong_encoding_from_the_command_line(app, runner, tmp_path, editor):
    path = write(tmp_path, "file,received\nB-é,2024-01-03\n", encoding="latin-1")
    result = import_csv(runner, path)
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.output and "line 2" in result.output
    assert count(app, InfoRequest) == 0


def test_owner_option_and_default_owner(app, runner, make_user, tmp_path):
    make_user("rep@example.org", newsroom="The Star", role="reporter")
    path = write(tmp_path, HEADER + "A-1;Ledger;2024-03-01;;;City of Toronto;ca-on-mfippa\n")
    no_editor = import_csv(runner, path, mapping={"title": "title"})
    assert no_editor.exit_code == 1 and "--owner EMAIL" in no_editor.output
    ok = import_csv(runner, path, "--owner", "rep@example.org", mapping={"title": "title"})
    assert ok.exit_code == 0, ok.output
    assert "owned by rep@example.org" in ok.output


def test_progress_bar_on_large_files(app, runner, tmp_path, editor):
    lines = [HEADER]
    for n in range(250):
        day = date(2024, 1, 2 + n % 28).isoformat()
        lines.append(f"B-{n};Request {n};{day};;;City of Toronto;ca-on-mfippa\n")
    result = import_csv(runner, write(tmp_path, "".join(lines)), mapping={"title": "title"})
    assert result.exit_code == 0, result.output
    # Off a terminal click prints the bar's label once instead of redrawing it.
    assert "\nImporting\n" in result.output
    assert count(app, InfoRequest) == 250
    small = import_csv(
        runner,
        write(tmp_path, HEADER + "B-x;One;2024-01-02;;;City of Toronto;\n", "small.csv"),
        mapping={"title": "title"},
    )
    assert small.exit_code == 0, small.output
    assert "Importing" not in small.output


def test_a_refusal_half_way_rolls_everything_back(app, tmp_path, editor, monkeypatch):
    """A file number another import wrote after the dry run: the database refuses it in the
    third batch; the answer names the row, and the batches already written go too."""
    from tracker.files.storage import LocalStorage
    from tracker.imports import bulk, service
    from tracker.requests import service as requests

    monkeypatch.setattr(bulk, "BATCH", 2)
    lines = [HEADER] + [
        f"C-{n};Request {n};2024-01-0{n + 2};;;City of Toronto;ca-on-mfippa\n" for n in range(6)
    ]
    table = parse_csv("".join(lines).encode())
    mapping = service.Mapping.from_dict(
        {**service.guess_mapping(table.headers).to_dict(), "title": "title"}
    )
    with app.app_context():
        session = db.session()
        user = session.merge(editor)
        plan = service.build_plan(session, user.newsroom_id, table, mapping, TODAY)
        assert not plan.errors and len(plan.valid_requests) == 6
        # Meanwhile someone logs C-4 by hand at the institution the dry run just created.
        with db.transaction() as other:
            toronto = Institution(
                newsroom_id=user.newsroom_id, name="City of Toronto", law_code="ca-on-mfippa"
            )
            other.add(toronto)
            other.flush()
            requests.create_request(
                other,
                user,
                requests.RequestData(toronto.id, "By hand", date(2024, 1, 2), file_number="C-4"),
                TODAY,
            )
        plan = service.build_plan(session, user.newsroom_id, table, mapping, TODAY)
        assert [p.code for p in plan.errors] == ["duplicate_file_number"]
        # The plan made before the request was logged is the one written.
        stale = service.ImportPlan(**{**plan.__dict__, "problems": []})
        for planned in stale.requests:
            planned.valid = True
            planned.institution_id = toronto.id
        with pytest.raises(service.ImportRefused) as refused:
            with db.transaction() as write:
                service.run_import(
                    write,
                    stale,
                    user,
                    TODAY,
                    LocalStorage(tmp_path),
                    source="c.csv",
                )
    assert "Nothing was imported: row 6 (C-4) was refused by the database" in str(refused.value)
    assert count(app, InfoRequest) == 1 and count(app, Institution) == 1
    assert count(app, TimelineEvent) == 1


# --- the pages --------------------------------------------------------------------------------


def upload(auth, data: bytes, name="requests.csv"):
    return auth.post(
        "/imports/", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_upload_preview_check_and_import(app, client, auth, editor):
    auth.login("editor@example.org")
    response = upload(auth, TORONTO.read_bytes(), "toronto.csv")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    # Kept in the instance folder under the token, not in the session cookie.
    assert (
        Path(app.instance_path) / "imports" / f"{token}.csv"
    ).read_bytes() == TORONTO.read_bytes()
    soup = page(client.get(preview_url))
    assert "136 rows" in soup.select_one("#file-facts").get_text()
    assert [th.get_text() for th in soup.select("#preview thead th")][1:4] == [
        "division_id",
        "identifier",
        "position",
    ]
    assert len(soup.select("#preview tbody tr")) == 5
    # Guessed from the column names.
    assert soup.select_one("#received_on option[selected]")["value"] == "date_accepted"
    assert soup.select_one("#file_number option[selected]")["value"] == "identifier"

    missing = auth.post(
        preview_url, {"received_on": "date_accepted", "text": "abstract", "date_format": "iso"}
    )
    assert missing.status_code == 200
    assert (
        "type the institution" in page(missing).select_one("#default_institution-error").get_text()
    )

    mapping = {
        "title": "",
        "text": "abstract",
        "file_number": "identifier",
        "received_on": "date_accepted",
        "completed_on": "date",
        "decision": "decision",
        "institution": "",
        "law": "",
        "default_institution": "City of Toronto",
        "default_law": "ca-on-mfippa",
        "date_format": "iso",
        "default_outcome": "",
    }
    checked = auth.post(preview_url, mapping)
    assert checked.status_code == 302 and checked.headers["Location"].endswith("/check")
    soup = page(client.get(checked.headers["Location"]))
    assert "136 rows make 130 requests" in soup.select_one("#grouping").get_text()
    assert "109 requests" in soup.select_one("#ready").get_text()
    rows = {
        tuple(td.get_text(strip=True) for td in tr.select("td"))[:3]
        for tr in soup.select("#problems tbody tr")
    }
    assert ("18", "AP-2011-02138", "error") in rows
    assert count(app, InfoRequest) == 0

    report = client.get(f"/imports/{token}/report.csv")
    assert report.headers["Content-Disposition"].startswith("attachment")
    lines = report.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "row,file_number,severity,problem,message"
    assert len(lines) == 1 + 36  # 31 errors and 5 warnings

    refused = auth.post(f"/imports/{token}/import", {})
    assert refused.status_code == 302
    assert count(app, InfoRequest) == 0
    follow = page(client.get(refused.headers["Location"]))
    assert "Nothing was imported: 21 rows have errors" in follow.get_text()

    done = auth.post(f"/imports/{token}/import", {"skip_invalid": "y"})
    # A small file is imported at once; its page is the report.
    assert done.status_code == 302 and "/imports/jobs/" in done.headers["Location"]
    assert count(app, InfoRequest) == 109
    report = page(client.get(done.headers["Location"]))
    assert "Imported 109 requests from 113 rows" in report.select_one(".flash-success").get_text()
    assert "Left out 23 rows with errors" in report.select_one(".flash-success").get_text()
    assert report.select_one("#import-job")["data-status"] == "done"
    assert report.select_one("#report-total").get_text() == "136"
    assert report.select_one("#report-imported").get_text() == "113 rows, 109 requests"
    assert report.select_one("#report-left-out").get_text() == "23 rows"
    assert ("18", "AP-2011-02138", "error") in {
        tuple(td.get_text(strip=True) for td in tr.select("td"))[:3]
        for tr in report.select("#problems tbody tr")
    }
    assert not (Path(app.instance_path) / "imports" / f"{token}.csv").exists()
    assert client.get(preview_url).status_code == 404


def test_upload_refuses_wrong_encoding_beside_the_field(app, client, auth, editor):
    auth.login("editor@example.org")
    response = upload(auth, "file,received\nB-é,2024-01-03\n".encode("cp1252"))
    assert response.status_code == 200
    error = page(response).select_one("#file-error").get_text()
    assert "not UTF-8 text" in error
    assert not list((Path(app.instance_path) / "imports").glob("*.csv"))


def test_huge_uploads_are_refused_at_the_size_limit(app_config, make_user):
    from tests.conftest import AuthActions
    from tracker import create_app

    app_config["MAX_UPLOAD_MB"] = 1  # the request limit becomes 2 MB (1 MB + form room)
    app = create_app(app_config)
    try:
        make_user_in(app, "editor@example.org")
        client = app.test_client()
        auth = AuthActions(client)
        auth.login("editor@example.org")
        big = b"file,received\n" + b"A-1,2024-01-02\n" * 100_000  # 1.5 MB
        response = upload(auth, big)
        assert response.status_code == 200
        assert "larger than 1 MB" in page(response).select_one("#file-error").get_text()
        huge = b"file,received\n" + b"A-1,2024-01-02\n" * 200_000  # 3 MB
        assert upload(auth, huge).status_code == 413
        assert not list((Path(app.instance_path) / "imports").glob("*.csv"))
    finally:
        app.extensions["engine"].dispose()


def make_user_in(app, email):
    from tests.conftest import PASSWORD
    from tracker.auth.service import NewUser, create_user

    with app.app_context(), db.transaction() as session:
        create_user(
            session,
            NewUser(email=email, newsroom="The Star", password=PASSWORD, name="Ed", role="editor"),
        )


def test_another_users_upload_is_not_found(app, client, auth, editor, make_user):
    make_user("colleague@example.org", newsroom="The Star", role="editor")
    auth.login("editor@example.org")
    location = upload(auth, CALGARY.read_bytes()).headers["Location"]
    auth.logout()
    auth.login("colleague@example.org")
    assert client.get(location).status_code == 404
    assert client.get("/imports/not-a-token").status_code == 404
    assert client.get("/imports/" + "a" * 40 + "/check").status_code == 404
