"""The import in French (issue 20): the dry run's problems, a background import's report and
the command's output are written in the reader's language. A job's report keeps each sentence
as a key and its values, so the same report reads in French to one reader and in English to
another."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.conftest import page
from tests.test_import_jobs import (  # noqa: F401 (fixtures)
    MAPPING,
    app_config,
    checked,
    frozen_today,
    job_row,
    rows,
    run_scheduler_job,
)
from tracker.core import db
from tracker.core.models import User
from tracker.imports import jobs, service

NBSP = "\u00a0"  # French puts a no-break space before a colon


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", newsroom="The Star", role="editor", name="Ed Itor")


def speaks(app, language: str) -> None:
    """The editor's language preference (their account's setting)."""
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(User).values(locale=language))


def problem_cells(shown) -> list[list[str]]:
    return [
        [td.get_text(" ", strip=True) for td in tr.select("td")]
        for tr in shown.select("#problems tbody tr")
    ]


def test_a_french_reader_gets_the_dry_run_and_the_report_in_french(app, client, auth, editor):
    auth.login("editor@example.org")
    token = checked(auth, rows(14, bad=2))
    speaks(app, "fr")

    check = page(client.get(f"/imports/{token}/check"))
    cells = problem_cells(check)
    assert cells[0][:3] == ["14", "J-12", "erreur"]
    assert (
        cells[0][3]
        == "La date de réception '2024-13-40' n’est pas une date (AAAA-MM-JJ (2015-01-08))."
    )

    queued = auth.post(f"/imports/{token}/import", {"skip_invalid": "y"})
    job_url = queued.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    assert run_scheduler_job(app) == 1

    report = page(client.get(job_url))
    assert report.select_one("#import-outcome").get_text(strip=True) == (
        "12 demandes importées de 12 lignes."
    )
    french = problem_cells(report)
    assert [c[:3] for c in french] == [["14", "J-12", "erreur"], ["15", "J-13", "erreur"]]
    assert (
        french[1][3]
        == "La date de réception '2024-13-40' n’est pas une date (AAAA-MM-JJ (2015-01-08))."
    )
    csv_report = client.get(f"/imports/jobs/{job_id}/report.csv").get_data(as_text=True)
    assert "n’est pas une date" in csv_report

    # Kept as keys and values, not as either language's text.
    kept = job_row(app, job_id).report
    assert kept["message_key"] == "imported"
    assert kept["message_params"] == {"requests": 12, "rows": 12}
    first = kept["problems"][0]
    assert first["key"] == "bad_received"
    assert first["params"] == {"raw": "2024-13-40", "format": "iso"}
    assert "message" not in first
    assert "n’est pas" not in json.dumps(kept, ensure_ascii=False)

    # The same report, read by someone who works in English.
    speaks(app, "en")
    english = page(client.get(job_url))
    assert english.select_one("#import-outcome").get_text(strip=True) == (
        "Imported 12 requests from 12 rows."
    )
    assert problem_cells(english)[0][3] == (
        "The received date '2024-13-40' is not a date (YYYY-MM-DD (2015-01-08))."
    )


def test_a_failed_import_says_why_in_the_readers_language(app, client, auth, editor):
    auth.login("editor@example.org")
    token = checked(auth, rows(14, bad=2))
    job_url = auth.post(f"/imports/{token}/import", {}).headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    assert run_scheduler_job(app) == 0
    kept = job_row(app, job_id).report
    assert (kept["message_key"], kept["message_params"]) == ("failure:rows_with_errors", {"n": 2})
    speaks(app, "fr")
    shown = page(client.get(job_url)).select_one("#import-outcome").get_text(" ", strip=True)
    assert shown.startswith(f"Rien n’a été importé{NBSP}: 2 lignes comportent des erreurs.")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Completed 2024-01-02 before it was received 2024-02-01."),
        ("fr", "Traitée le 2024-01-02, avant d’avoir été reçue le 2024-02-01."),
    ],
)
def test_every_problem_sentence_reads_in_both_languages(app, language, expected):
    """Each kept sentence has its French, with the same values in it."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        assert (
            service.problem_message(
                "completed_before_received", {"completed": "2024-01-02", "received": "2024-02-01"}
            )
            == expected
        )
        if language == "fr":
            with force_locale("en"):
                english = {k: str(v) for k, v in service.MESSAGES.items()}
            french = {k: str(v) for k, v in service.MESSAGES.items()}
            untranslated = [k for k in service.MESSAGES if french[k] == english[k]]
            assert untranslated == []
            assert jobs.said_message("cancelled", {}) == f"Annulée{NBSP}: rien n’a été importé."


def test_the_command_speaks_the_newsrooms_default_language(app, runner, editor, tmp_path):
    """Outside a request the language is the newsroom's (TRACKER_DEFAULT_LOCALE)."""
    app.config["DEFAULT_LOCALE"] = "fr"
    path = tmp_path / "requests.csv"
    path.write_bytes(rows(3, bad=1))
    mapping = {key: value for key, value in MAPPING.items() if key != "date_format"}
    result = runner.invoke(
        args=[
            "import-csv",
            str(path),
            "--newsroom",
            "The Star",
            "--mapping",
            json.dumps(mapping),
            "--dry-run",
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"Essai à blanc{NBSP}: rien n’a été écrit." in result.output
    assert (
        f"ligne 4 (J-2){NBSP}: erreur{NBSP}: La date de réception '2024-13-40' n’est pas une date"
        in (result.output)
    )


def _notes(app, number: str) -> dict[str, str]:
    """The timeline notes of the imported request ``number``, by kind."""
    from tracker.core.models import InfoRequest

    with app.app_context():
        found = (
            db.session()
            .scalars(sa.select(InfoRequest).where(InfoRequest.file_number == number))
            .one()
        )
        return {e.kind: e.note for e in found.events}


@pytest.mark.parametrize(
    ("language", "imported", "decided"),
    [
        ("en", "Imported from big.csv, row 2.", "Decision in the spreadsheet: all disclosed."),
        (
            "fr",
            "Importée de big.csv, ligne 2.",
            f"Décision inscrite dans le tableur{NBSP}: all disclosed.",
        ),
    ],
)
def test_an_import_writes_its_notes_in_the_importers_language(
    app, client, auth, editor, language, imported, decided
):
    """A background import runs without the importer's browser: their account's language
    writes the notes; the notes stay as written whoever reads them later."""
    speaks(app, language)
    auth.login("editor@example.org")
    token = checked(auth, rows(12))
    auth.post(f"/imports/{token}/import", {})
    assert run_scheduler_job(app) == 1
    notes = _notes(app, "J-0")
    assert notes["imported"] == imported
    assert notes["final_response"] == decided


def test_the_import_command_writes_its_notes_in_the_newsrooms_language(
    app, runner, editor, tmp_path
):
    app.config["DEFAULT_LOCALE"] = "fr"
    path = tmp_path / "requests.csv"
    path.write_bytes(rows(2))
    mapping = {key: value for key, value in MAPPING.items() if key != "date_format"}
    result = runner.invoke(
        args=["import-csv", str(path), "--newsroom", "The Star", "--mapping", json.dumps(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert _notes(app, "J-1")["imported"] == "Importée de requests.csv, ligne 3."
