"""Issue 19's "broken today": the secret pages are HTML, form fields are not announced as
invalid, links follow the address the tracker is served at."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import page
from tracker.auth.reset import reset_url
from tracker.core import db
from tracker.core.models import TimelineEvent
from tracker.core.urls import base_url
from tracker.feeds.views import feed_url
from tracker.operations.serve import served_url

ROOT = Path(__file__).resolve().parent.parent


def test_new_api_token_page_is_html_with_the_secret(make_user, auth, client):
    make_user()
    auth.login()
    response = auth.post("/settings/tokens", {"name": "Script"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    secret = page(response).select_one("#new-token")["value"]
    assert len(secret) > 20
    assert response.headers["Cache-Control"] == "no-store"


def test_calendar_feed_page_is_html_with_the_address(make_user, auth, client):
    make_user()
    auth.login()
    response = auth.post("/settings/calendar/new", {})
    assert response.mimetype == "text/html"
    assert "/calendar/" in page(response).select_one("#feed-url")["value"]


def test_fields_are_not_announced_invalid_until_refused(make_user, auth, client):
    make_user()
    auth.login()
    blank = client.get("/requests/new").get_data(as_text=True)
    assert '"None"' not in blank
    assert "aria-invalid" not in blank
    refused = page(auth.post("/requests/new", {"title": ""}))
    title = refused.select_one("#title")
    assert title["aria-invalid"] == "true"
    assert "title-error" in title["aria-describedby"]
    assert not refused.select('[aria-invalid="None"], [aria-describedby="None"]')


@pytest.fixture
def unset_base_url(app_config):
    """TRACKER_BASE_URL left unset."""
    app_config["BASE_URL"] = ""
    return app_config


def test_links_use_the_address_the_page_was_asked_at(unset_base_url, app):
    with app.test_request_context("/", base_url="http://desk.example:8080"):
        assert feed_url("s3cret") == "http://desk.example:8080/calendar/s3cret.ics"
    listed = app.test_client().get("/api/v1/openapi.json", base_url="http://desk.example:8080")
    assert listed.json["servers"][0]["url"].startswith("http://desk.example:8080/")


def test_mails_use_the_served_address_never_the_host_header(unset_base_url, app, make_user):
    user = make_user()
    with app.test_request_context("/", base_url="http://evil.example"):
        assert base_url(mail=True) == "http://127.0.0.1:5000"
        app.config["SERVED_URL"] = served_url("127.0.0.1", 8080)
        assert reset_url(app.config, user).startswith("http://127.0.0.1:8080/password/reset/")
        assert base_url() == "http://evil.example"
    app.config["BASE_URL"] = "https://tracker.example.org/"
    with app.test_request_context("/", base_url="http://evil.example"):
        assert base_url() == base_url(mail=True) == "https://tracker.example.org"


def test_make_run_takes_a_port():
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8080"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "serve --host 127.0.0.1 --port 8080" in dry.stdout


# --- Item 5: files on entries, corrections from current values, files of a refused form ---


@pytest.fixture
def entry(app):
    """A request with an acknowledgement carrying one file; (request id, entry id)."""
    with builders.desk(app, today=date(2024, 3, 1)) as desk:
        req = desk.request("RCMP", received=date(2024, 2, 1))
        req.acknowledgement(
            date(2024, 2, 5), "Acknowledged by phone.", uploads=(builders.upload("a.txt", b"A"),)
        )
        return req.id, req.last.id


def test_a_second_file_joins_the_entry_without_a_correction(app, entry, auth, client):
    request_id, event_id = entry
    auth.login()
    shown = page(client.get(f"/requests/{request_id}"))
    link = shown.select_one(f"#entry-{event_id}").find("a", string="Attach a file")
    assert link["href"] == f"/requests/{request_id}/events/{event_id}/files"
    response = auth.post(
        link["href"], {"files": [(io.BytesIO(b"B"), "b.pdf")]}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    with app.app_context():
        session = db.session()
        events = session.scalars(
            sa.select(TimelineEvent).where(TimelineEvent.request_id == request_id)
        ).all()
        assert [e.corrects_id for e in events] == [None, None]  # filed, acknowledgement
        names = sorted(a.original_name for a in session.get(TimelineEvent, event_id).attachments)
        assert names == ["a.txt", "b.pdf"]


def test_attaching_nothing_is_refused_beside_the_field(app, entry, auth):
    request_id, event_id = entry
    auth.login()
    refused = page(auth.post(f"/requests/{request_id}/events/{event_id}/files", {}))
    assert "Choose at least one file." in refused.select_one("#files-error").get_text()


def test_a_correction_starts_from_the_entry_and_says_to_choose_files_again(
    app, entry, auth, client
):
    request_id, event_id = entry
    auth.login()
    form = page(client.get(f"/requests/{request_id}/events/{event_id}/correct"))
    assert form.select_one("#note").get_text().strip() == "Acknowledged by phone."
    assert form.select_one("#occurred_on")["value"] == "2024-02-05"
    refused = page(
        auth.post(
            f"/requests/{request_id}/events/new?kind=acknowledgement",
            {"occurred_on": "", "files": [(io.BytesIO(b"C"), "lettre.pdf")]},
            content_type="multipart/form-data",
        )
    )
    assert refused.select_one("#occurred_on-error")
    assert "lettre.pdf" in refused.select_one("#files-again").get_text()
