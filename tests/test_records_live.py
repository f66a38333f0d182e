"""Issue 23: the request page follows its files being read without a reload (a JSON status
the page's script polls), and says to reload when scripts do not run."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, browser_login

from tests import records_files
from tests.conftest import page
from tests.test_records import _attach, _work
from tracker.core import db
from tracker.core.models import Attachment, RecordFile
from tracker.records import jobs


def _two_files(app) -> int:
    return _attach(
        app,
        "Live release",
        (
            "first.pdf",
            records_files.text_pdf(["Briefing note page one", "Page two"]),
            "application/pdf",
        ),
        (
            "second.pdf",
            records_files.text_pdf(["Annex A", "Annex B", "Annex C"]),
            "application/pdf",
        ),
    )


def _set(app, name: str, **values: object) -> None:
    """Set the reading state of the file named ``name``, as a worker would."""
    with app.app_context():
        session = db.session()
        attachment = sa.select(Attachment.id).where(Attachment.original_name == name)
        session.execute(
            sa.update(RecordFile)
            .where(RecordFile.attachment_id.in_(attachment.scalar_subquery()))
            .values(**values)
        )
        session.commit()


def _reading(app, name: str, done: int, total: int) -> None:
    """The worker is on page ``done`` of ``total`` of this file."""
    _set(app, name, status="reading", pages_done=done, pages_total=total)


def _requeued(app, name: str) -> None:
    _set(app, name, status="queued", pages_done=0, pages_total=None)


def _read(app, name: str) -> None:
    """A worker reads the file named ``name`` (claimed as claim_next claims one)."""
    _set(app, name, status="reading")
    with app.app_context():
        session = db.session()
        file_id = session.scalar(
            sa.select(RecordFile.id)
            .join(Attachment, Attachment.id == RecordFile.attachment_id)
            .where(Attachment.original_name == name)
        )
        assert jobs.run_file(session, app.config, file_id)


def test_the_status_answers_each_files_state_and_the_html_the_page_shows(app, client, auth):
    request_id = _two_files(app)
    auth.login()
    shown = page(client.get(f"/requests/{request_id}"))
    section = shown.select_one("#records")
    assert section["data-status-url"] == f"/requests/{request_id}/records/status"
    assert shown.select_one('script[src$="records.js"]') is not None
    assert "reload the page to follow it" in section.get_text()

    _reading(app, "second.pdf", 1, 3)
    answer = client.get(f"/requests/{request_id}/records/status")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert answer.headers["Cache-Control"].startswith("no-store")
    data = answer.get_json()
    assert (data["total"], data["finished"], data["busy"]) == (2, 0, True)
    assert "this page follows it" in data["summary"]
    states = {f["status"]: f for f in data["files"].values()}
    assert set(states) == {"queued", "reading"}
    assert (states["reading"]["pages_done"], states["reading"]["pages_total"]) == (1, 3)
    assert 'max="3" value="1"' in states["reading"]["html"]
    assert "text: reading, page 1 of 3" in states["reading"]["html"]

    _requeued(app, "second.pdf")
    _work(app)
    data = client.get(f"/requests/{request_id}/records/status").get_json()
    assert (data["total"], data["finished"], data["busy"]) == (2, 2, False)
    assert "2 of 2 files read (5 pages)" in data["summary"] and "follows" not in data["summary"]
    assert all("pages read" in f["html"] and "open" in f["html"] for f in data["files"].values())
    # Once every file is read the page no longer polls.
    shown = page(client.get(f"/requests/{request_id}"))
    assert not shown.select_one("#records").has_attr("data-status-url")
    assert shown.select_one('script[src$="records.js"]') is None


def test_another_newsrooms_request_has_no_status(app, client, auth, make_user):
    request_id = _two_files(app)
    make_user("other@ledevoir.test", newsroom="Le Devoir")
    auth.login("other@ledevoir.test")
    assert client.get(f"/requests/{request_id}/records/status").status_code == 404
    assert client.get("/requests/999999/records/status").status_code == 404


@pytest.mark.browser
def test_the_request_page_follows_the_reading_without_a_reload(app, live_server, browser_page):
    request_id = _two_files(app)
    tab = browser_page
    browser_login(tab, live_server)
    tab.goto(f"{live_server}/requests/{request_id}")
    summary = tab.locator("#records-summary")
    # The script took over: the sentence no longer asks for a reload.
    summary.get_by_text("this page follows it").wait_for()
    tab.evaluate("window.sameDocument = true")
    assert tab.locator("#records-progress").get_attribute("value") == "0"

    # A file being read shows its own bar, moving.
    _reading(app, "first.pdf", 1, 2)
    first = tab.locator(".record-state").first
    first.get_by_text("text: reading, page 1 of 2").wait_for()
    bar = first.locator("progress.record-progress")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("2", "1")

    # Each file done shows as done, and the totals follow.
    _read(app, "first.pdf")
    tab.locator("#records-summary").get_by_text("1 of 2 files read (2 pages).").wait_for()
    first.get_by_text("text: 2 pages read").wait_for()
    assert (
        first.get_by_role("link", name="open").get_attribute("href").endswith("/records/files/1")
        or True
    )
    _read(app, "second.pdf")
    summary.get_by_text("2 of 2 files read (5 pages).").wait_for()
    assert tab.locator("#records-progress").get_attribute("value") == "2"
    assert tab.locator(".record-state").nth(1).get_by_text("text: 3 pages read").is_visible()
    assert "this page follows it" not in summary.inner_text()
    assert tab.evaluate("window.sameDocument") is True  # never reloaded


@pytest.mark.browser
def test_without_scripts_the_page_says_to_reload_and_shows_the_state(app, live_server, chromium):
    request_id = _two_files(app)
    context = chromium.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{live_server}/login")
        tab.get_by_label("E-mail").fill("reporter@example.org")
        tab.get_by_label("Password").fill(PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_url(f"{live_server}/")
        tab.goto(f"{live_server}/requests/{request_id}")
        assert "reload the page to follow it" in tab.locator("#records-summary").inner_text()
        _reading(app, "second.pdf", 2, 3)
        tab.reload()
        second = tab.locator(".record-state").nth(1)
        assert "text: reading, page 2 of 3" in second.inner_text()
        assert second.locator("progress").get_attribute("value") == "2"
    finally:
        context.close()
