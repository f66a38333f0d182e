"""The import's preview and check in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import browser_login, screenshot
from tracker.core import clock

pytestmark = pytest.mark.browser
CALGARY = Path(__file__).parent / "data" / "calgary-sample.csv"


def test_import_preview_mapping_check_and_import(app, live_server, browser_page, make_user):
    tab = browser_page
    make_user("editor@example.org", newsroom="Calgary Herald", role="editor", name="Ed")
    with clock.frozen(date(2026, 11, 22)):
        browser_login(tab, live_server, "editor@example.org")
        tab.goto(f"{live_server}/imports/")
        tab.get_by_label("CSV file").set_input_files(str(CALGARY))
        tab.get_by_role("button", name="Upload and preview").click()

        # The preview: the file's facts, its first rows, and guessed columns.
        tab.wait_for_selector("#preview")
        assert "69 rows, 9 columns, comma-separated" in tab.locator("#file-facts").inner_text()
        assert tab.locator("#preview tbody tr").count() == 5
        assert tab.locator("#preview tbody tr").first.inner_text().count("2015-B-0003") == 1
        assert tab.get_by_label("Received (accepted) date").input_value() == "date_accepted"
        assert tab.get_by_label("File number (identifier)").input_value() == "identifier"

        # Without an institution the mapping is refused beside the field.
        tab.get_by_role("button", name="Check the file (dry run)").click()
        error = tab.locator("#default_institution-error")
        assert "type the institution" in error.inner_text()
        screenshot(tab, "import-preview-error")

        tab.get_by_label("Institution for rows without one").fill("City of Calgary")
        tab.get_by_label("Law for rows without one").select_option("ca-ab-foip")
        tab.get_by_role("button", name="Check the file (dry run)").click()

        # The dry run: grouping, ready and blocked requests, each row's problems.
        tab.wait_for_selector("#import-summary")
        assert "69 rows make 64 requests" in tab.locator("#grouping").inner_text()
        assert tab.locator("#ready").inner_text() == "57 requests"
        problems = tab.locator("#problems tbody tr")
        assert problems.count() == 7
        assert "0016-02-20 is a placeholder" in tab.locator("#problems").inner_text()
        screenshot(tab, "import-check")

        # Changing the mapping: unknown decisions become "refused" (warnings, not errors).
        tab.get_by_role("link", name="Change the mapping").click()
        assert (
            tab.get_by_label("Institution for rows without one").input_value() == "City of Calgary"
        )
        tab.get_by_label("When a completed row's decision is empty or unknown").select_option(
            "refused"
        )
        tab.get_by_role("button", name="Check the file (dry run)").click()
        tab.wait_for_selector("#import-summary")
        assert tab.locator("#ready").inner_text() == "59 requests"

        tab.get_by_label("Leave out the requests whose rows have errors").check()
        tab.get_by_role("button", name="Import 59 requests").click()
        tab.wait_for_selector(".flash-success")
        assert "Imported 59 requests from 63 rows" in tab.locator(".flash-success").inner_text()
        assert "Left out 6 rows with errors" in tab.locator(".flash-success").inner_text()
        assert "1 new institution: “City of Calgary”" in tab.locator(".flash-success").inner_text()
        # A file this small is imported at once: the page is already its report.
        assert tab.locator("#import-job").get_attribute("data-status") == "done"
        tab.get_by_role("link", name="See the requests").click()
        assert "25 of" not in tab.locator(".count").inner_text()
        assert tab.locator(".count").inner_text().startswith("59 requests")


def test_a_big_import_shows_its_progress_then_its_report(app, live_server, browser_page, make_user):
    """A file over the inline limit: the page waits for the scheduler, refreshes itself, and
    shows the report when the job is done, without the reporter doing anything."""
    from tracker.core import db
    from tracker.imports import jobs

    app.config["IMPORT_INLINE_ROWS"] = 10
    tab = browser_page
    make_user("editor@example.org", newsroom="Calgary Herald", role="editor", name="Ed")
    with clock.frozen(date(2026, 11, 22)):
        browser_login(tab, live_server, "editor@example.org")
        tab.goto(f"{live_server}/imports/")
        tab.get_by_label("CSV file").set_input_files(str(CALGARY))
        tab.get_by_role("button", name="Upload and preview").click()
        tab.wait_for_selector("#preview")
        tab.get_by_label("Institution for rows without one").fill("City of Calgary")
        tab.get_by_label("Law for rows without one").select_option("ca-ab-foip")
        tab.get_by_label("When a completed row's decision is empty or unknown").select_option(
            "refused"
        )
        tab.get_by_role("button", name="Check the file (dry run)").click()
        tab.wait_for_selector("#import-summary")
        assert "in the background" in tab.locator("#runs-in-background").inner_text()
        tab.get_by_label("Leave out the requests whose rows have errors").check()
        tab.get_by_role("button", name="Import 59 requests").click()

        tab.wait_for_selector('#import-job[data-status="queued"]')
        assert "Waiting for the scheduler" in tab.locator("#import-state").inner_text()
        assert tab.locator("#import-progress").is_visible()
        assert tab.get_by_role("button", name="Cancel the import").is_visible()
        screenshot(tab, "import-queued")

        with app.app_context():
            assert jobs.work(db.session(), app.config) == 1
        # The page reloads itself and shows the report.
        tab.wait_for_selector('#import-job[data-status="done"]', timeout=10_000)
        assert "Imported 59 requests from 63 rows." in tab.locator("#import-outcome").inner_text()
        assert tab.locator("#report-total").inner_text() == "69"
        assert tab.locator("#report-left-out").inner_text() == "6 rows"
        assert tab.locator("#problems tbody tr").count() > 0
        assert tab.get_by_role("button", name="Cancel the import").count() == 0
        screenshot(tab, "import-done")
        tab.reload()
        assert tab.locator("#import-job").get_attribute("data-status") == "done"
        tab.get_by_role("link", name="See the requests").click()
        assert tab.locator(".count").inner_text().startswith("59 requests")
