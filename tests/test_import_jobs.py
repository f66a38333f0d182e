"""Big files from the web (issue 17, part 6): the import runs as a job of the scheduler, with
its progress on a page that survives reloads, a cancel button, one import at a time per
newsroom, and the row-by-row report at the end; a failed or cancelled import writes nothing."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import ImportBatch, ImportJob, InfoRequest, Institution, TimelineEvent
from tracker.imports import bulk, jobs

TODAY = date(2026, 11, 22)
HEADER = "file number,title,received,completed,decision\n"
MAPPING = {
    "title": "title",
    "file_number": "file number",
    "received_on": "received",
    "completed_on": "completed",
    "decision": "decision",
    "default_institution": "City of Toronto",
    "default_law": "ca-on-mfippa",
    "date_format": "iso",
}


def rows(n: int, bad: int = 0, prefix: str = "J") -> bytes:
    """``n`` answered requests (MFIPPA), the last ``bad`` of them with an impossible date."""
    lines = [HEADER]
    for i in range(n):
        received = "2024-13-40" if i >= n - bad else f"2024-01-{2 + i % 27:02d}"
        lines.append(f"{prefix}-{i},Request {i},{received},2024-03-01,all disclosed\n")
    return "".join(lines).encode()


@pytest.fixture
def app_config(app_config):
    app_config["IMPORT_INLINE_ROWS"] = 10  # files of more rows go to the background
    return app_config


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


def checked(auth, data: bytes, name: str = "big.csv", **extra) -> str:
    """Upload a file and map it; the token of its check page."""
    preview = auth.post(
        "/imports/", {"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    ).headers["Location"]
    check = auth.post(preview, {**MAPPING, **extra}).headers["Location"]
    assert check.endswith("/check"), check
    return check.rstrip("/").rsplit("/", 2)[-2]


def run_scheduler_job(app) -> int:
    """What the scheduler's "imports" job does on its next turn."""
    with app.app_context():
        return jobs.work(db.session(), app.config)


def job_row(app, job_id: int) -> ImportJob:
    with app.app_context():
        session = db.session()
        job = session.get(ImportJob, job_id)
        session.expunge(job)
        return job


def test_a_big_file_is_imported_by_the_scheduler_with_progress_and_report(
    app, client, auth, editor
):
    auth.login("editor@example.org")
    token = checked(auth, rows(40, bad=3))
    check = page(client.get(f"/imports/{token}/check"))
    assert "imported in the background" in check.select_one("#runs-in-background").get_text()

    queued = auth.post(f"/imports/{token}/import", {"skip_invalid": "y"})
    assert queued.status_code == 302 and "/imports/jobs/" in queued.headers["Location"]
    job_url = queued.headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    # The web request only queued it: nothing is written yet.
    assert count(app, InfoRequest) == 0
    waiting = page(client.get(job_url))
    assert waiting.select_one("#import-job")["data-status"] == "queued"
    assert "Waiting for the scheduler" in waiting.select_one("#import-state").get_text()
    assert waiting.select_one("#import-progress") is not None
    assert waiting.select_one("#import-cancel") is not None
    refresh = waiting.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None and refresh["content"] == "2"

    assert run_scheduler_job(app) == 1
    assert run_scheduler_job(app) == 0  # nothing left in the queue

    report = page(client.get(job_url))
    assert report.select_one("#import-job")["data-status"] == "done"
    assert report.select_one('meta[http-equiv="refresh"]') is None
    assert report.select_one("#import-cancel") is None
    assert "Imported 37 requests from 37 rows." in report.select_one("#import-outcome").get_text()
    # The numbers add up to the rows in the file.
    assert report.select_one("#report-total").get_text() == "40"
    assert report.select_one("#report-imported").get_text() == "37 rows, 37 requests"
    assert report.select_one("#report-left-out").get_text() == "3 rows"
    errors = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in report.select("#problems tbody tr")
    ]
    assert [e[:3] for e in errors] == [[str(n), f"J-{n - 2}", "error"] for n in (39, 40, 41)]
    assert "is not a date" in errors[0][3]
    lines = client.get(f"/imports/jobs/{job_id}/report.csv").get_data(as_text=True).splitlines()
    assert lines[0].lstrip("\ufeff") == "row,file_number,severity,problem,message"
    assert len(lines) == 1 + 3

    assert count(app, InfoRequest) == 37 and count(app, ImportBatch) == 1
    job = job_row(app, job_id)
    assert job.status == "done" and job.active_key is None and job.import_id is not None
    assert job.requests_total == 37
    # The upload is gone once imported.
    assert not (Path(app.instance_path) / "imports" / f"{token}.csv").exists()
    with app.app_context():
        request = db.session().scalar(
            sa.select(InfoRequest).where(InfoRequest.file_number == "J-0")
        )
        assert (request.status, request.due_on, request.responded_on) == (
            "answered",
            date(2024, 2, 1),
            date(2024, 3, 1),
        )
        kinds = [e.kind for e in request.events]
        assert kinds == ["filed", "final_response", "imported"]


def test_a_second_import_into_the_newsroom_is_refused_with_a_clear_message(
    app, client, auth, editor, make_user
):
    make_user("other@example.org", newsroom="The Star", role="reporter", name="Ann Other")
    auth.login("editor@example.org")
    first = checked(auth, rows(20, prefix="A"), "first.csv")
    job_url = auth.post(f"/imports/{first}/import", {}).headers["Location"]

    auth.logout()
    auth.login("other@example.org")
    second = checked(auth, rows(20, prefix="B"), "second.csv")
    # The check page says so before anyone tries.
    note = page(client.get(f"/imports/{second}/check")).select_one("#import-active")
    assert "first.csv" in note.get_text() and note.select_one("a")["href"] == job_url
    refused = auth.post(f"/imports/{second}/import", {})
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/check")
    message = page(client.get(refused.headers["Location"])).select_one(".flash-error").get_text()
    assert "Another import into this newsroom is under way (first.csv, asked by Ed Itor)" in message
    # Even a small file waits its turn.
    small = checked(auth, rows(3, prefix="C"), "small.csv")
    assert auth.post(f"/imports/{small}/import", {}).headers["Location"].endswith("/check")
    assert count(app, ImportJob) == 1

    # Another newsroom is not held up, and cannot see this newsroom's import.
    make_user("daily@example.org", newsroom="The Daily", role="editor", name="Dee")
    auth.logout()
    auth.login("daily@example.org")
    assert client.get(job_url).status_code == 404
    theirs = checked(auth, rows(3, prefix="D"), "theirs.csv")
    assert "/imports/jobs/" in auth.post(f"/imports/{theirs}/import", {}).headers["Location"]

    assert run_scheduler_job(app) == 1
    auth.logout()
    auth.login("other@example.org")
    # Once the first is done, the second goes ahead.
    assert "/imports/jobs/" in auth.post(f"/imports/{second}/import", {}).headers["Location"]
    assert run_scheduler_job(app) == 1
    assert count(app, InfoRequest) == 20 + 3 + 20


def test_the_command_line_waits_its_turn_too(app, auth, runner, tmp_path, editor):
    auth.login("editor@example.org")
    token = checked(auth, rows(20, prefix="W"), "web.csv")
    auth.post(f"/imports/{token}/import", {})
    path = tmp_path / "cli.csv"
    path.write_bytes(rows(3, prefix="K"))
    args = ["import-csv", str(path), "--newsroom", "The Star", "--mapping", json.dumps(MAPPING)]
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1
    assert "another import into 'The Star' is under way (web.csv, queued)" in refused.output
    assert count(app, InfoRequest) == 0
    assert run_scheduler_job(app) == 1
    assert runner.invoke(args=args).exit_code == 0
    assert count(app, InfoRequest) == 23


def test_cancelling_a_queued_import(app, client, auth, editor):
    auth.login("editor@example.org")
    token = checked(auth, rows(20))
    job_url = auth.post(f"/imports/{token}/import", {}).headers["Location"]
    cancelled = auth.post(f"{job_url}/cancel", {})
    assert cancelled.status_code == 302
    shown = page(client.get(job_url))
    assert shown.select_one("#import-job")["data-status"] == "cancelled"
    assert "nothing was imported" in shown.select_one(".flash-success").get_text()
    # The file is kept, to change the mapping and try again.
    assert shown.select_one(f'a[href="/imports/{token}/check"]') is not None
    assert run_scheduler_job(app) == 0
    assert count(app, InfoRequest) == 0
    # Cancelling again is refused: it is no longer running.
    assert auth.post(f"{job_url}/cancel", {}).status_code == 409


def test_cancelling_a_running_import_writes_nothing(app, client, auth, editor, monkeypatch):
    """Cancel pressed while the job is half-way through: it stops at its next batch and
    rolls back (the institution it created too)."""
    monkeypatch.setattr(bulk, "BATCH", 5)
    auth.login("editor@example.org")
    token = checked(auth, rows(30))
    job_url = auth.post(f"/imports/{token}/import", {}).headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])
    seen: list[tuple[str, int]] = []
    real = jobs._Progress.__call__

    def reporter_presses_cancel(self, phase, done, total=None):
        seen.append((phase, done))
        if (phase, done) == ("checking", 10):
            # The page, reloaded meanwhile, shows how far it got; then Cancel.
            shown = page(client.get(job_url))
            assert shown.select_one("#import-job")["data-status"] == "running"
            assert "5 of 30" in shown.select_one("#import-state").get_text()
            assert shown.select_one("#import-progress")["value"] == "5"
            assert shown.select_one("#import-progress")["max"] == "60"
            assert auth.post(f"{job_url}/cancel", {}).status_code == 302
        return real(self, phase, done, total)

    monkeypatch.setattr(jobs._Progress, "__call__", reporter_presses_cancel)
    assert run_scheduler_job(app) == 0
    assert seen[-1] == ("checking", 10)
    shown = page(client.get(job_url))
    assert shown.select_one("#import-job")["data-status"] == "cancelled"
    assert "Cancelled: nothing was imported." in shown.select_one("#import-outcome").get_text()
    assert job_row(app, job_id).active_key is None
    assert count(app, InfoRequest) == 0 and count(app, Institution) == 0
    assert count(app, TimelineEvent) == 0 and count(app, ImportBatch) == 0


def test_a_failed_background_import_reports_rows_and_writes_nothing(app, client, auth, editor):
    auth.login("editor@example.org")
    token = checked(auth, rows(20, bad=2))
    job_url = auth.post(f"/imports/{token}/import", {}).headers["Location"]
    assert run_scheduler_job(app) == 0
    shown = page(client.get(job_url))
    assert shown.select_one("#import-job")["data-status"] == "failed"
    assert (
        "Nothing was imported: 2 rows have errors" in shown.select_one("#import-outcome").get_text()
    )
    assert shown.select_one("#report-left-out").get_text() == "20 rows"
    assert [tr.select("td")[0].get_text() for tr in shown.select("#problems tbody tr")] == [
        "20",
        "21",
    ]
    assert shown.select_one(f'a[href="/imports/{token}/check"]') is not None
    assert count(app, InfoRequest) == 0 and count(app, Institution) == 0


def test_a_job_whose_worker_stopped_is_run_again_then_given_up(app, auth, editor):
    auth.login("editor@example.org")
    token = checked(auth, rows(20))
    job_id = int(auth.post(f"/imports/{token}/import", {}).headers["Location"].rsplit("/", 1)[1])
    start = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    with app.app_context():
        session = db.session()
        for attempt in range(jobs.MAX_ATTEMPTS):
            # A worker claims it and dies (a restart): its heartbeat stops.
            with clock.frozen_now(start + attempt * timedelta(minutes=10)):
                assert jobs.claim_next(session) == job_id
            with clock.frozen_now(start + attempt * timedelta(minutes=10) + timedelta(minutes=1)):
                assert jobs.claim_next(session) is None  # still alive, as far as we know
        with clock.frozen_now(start + timedelta(hours=1)):
            assert jobs.claim_next(session) is None
            assert jobs.give_up_repeated(session) == 1
    job = job_row(app, job_id)
    assert (job.status, job.attempts, job.active_key) == ("failed", jobs.MAX_ATTEMPTS, None)
    assert "stopped several times" in job.error
    assert count(app, InfoRequest) == 0


def test_the_scheduler_runs_the_imports():
    from tracker.operations import scheduler

    assert scheduler.JOBS["imports"] is scheduler.import_job
