"""The reporter's main journey in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import browser_login, screenshot
from tracker.core import clock

pytestmark = pytest.mark.browser


def test_main_journey(app, live_server, browser_page, make_user, tmp_path):
    tab = browser_page
    make_user("reporter@example.org", name="Marie Reporter")
    with clock.frozen(date(2024, 3, 20)):
        browser_login(tab, live_server)

        # Create an institution.
        tab.get_by_role("link", name="Institutions").first.click()
        tab.get_by_role("link", name="Add an institution").click()
        tab.get_by_label("Name").fill("Royal Canadian Mounted Police")
        tab.get_by_label("Law").select_option("ca-atia")
        tab.get_by_role("button", name="Save institution").click()
        tab.wait_for_selector("h1:has-text('Royal Canadian Mounted Police')")

        # Log a request to it.
        tab.get_by_role("link", name="Requests").first.click()
        tab.get_by_role("link", name="Log your first request").click()
        tab.get_by_label("Institution", exact=True).select_option(
            label="Royal Canadian Mounted Police"
        )
        tab.get_by_label("Title").fill("Clearview AI records")
        tab.get_by_label("What you asked for").fill("Tous les documents sur Clearview AI.")
        tab.get_by_label("Date sent").fill("2024-02-01")
        tab.get_by_label("Date received by the institution").fill("2024-02-01")
        tab.get_by_role("button", name="Save request").click()
        assert tab.locator("#due-date").inner_text() == "2024-03-04 (Mon)"

        # Add an extension and watch the deadline move.
        tab.get_by_label("Add to the timeline").select_option("extension")
        tab.get_by_role("button", name="Add…").click()
        tab.get_by_label("Date", exact=True).fill("2024-02-20")
        tab.get_by_label("Days of extension").fill("30")
        tab.get_by_label("Reason given").select_option("consultation")
        tab.get_by_role("button", name="Add to timeline").click()
        assert tab.locator("#due-date").inner_text() == "2024-04-02 (Tue)"

        # Upload a letter and download it back.
        letter = tmp_path / "lettre-accusé.txt"
        letter.write_text("Accusé de réception de la GRC", encoding="utf-8")
        tab.get_by_label("Add to the timeline").select_option("acknowledgement")
        tab.get_by_role("button", name="Add…").click()
        tab.get_by_label("Files").set_input_files(str(letter))
        tab.get_by_role("button", name="Add to timeline").click()
        with tab.expect_download() as info:
            tab.get_by_role("link", name="lettre-accusé.txt").click()
        download = info.value
        assert download.suggested_filename == "lettre-accusé.txt"
        assert Path(download.path()).read_text(encoding="utf-8") == "Accusé de réception de la GRC"
        screenshot(tab, "request-page")

        tab.get_by_role("link", name="Dashboard").click()
        assert tab.locator("#due-soon").is_visible()
        screenshot(tab, "dashboard")


def test_seed_case_reads_765_days_late(app, runner, live_server, browser_page):
    with clock.frozen(date(2026, 11, 22)):
        lines = runner.invoke(args=["demo"]).output.splitlines()
        _, email, password = lines[0].split(" ")
        seed_id = lines[1].split("\t")[0]
        browser_page.goto(f"{live_server}/login")
        browser_page.get_by_label("E-mail").fill(email)
        browser_page.get_by_label("Password").fill(password)
        browser_page.get_by_role("button", name="Log in").click()
        # The printed password is temporary: choose one's own first.
        browser_page.wait_for_url(f"{live_server}/account/password")
        browser_page.get_by_label("Current password").fill(password)
        browser_page.get_by_label("New password", exact=True).fill("Quartz-lantern-meadow-42")
        browser_page.get_by_label("New password again").fill("Quartz-lantern-meadow-42")
        browser_page.get_by_role("button", name="Change password").click()
        browser_page.wait_for_url(f"{live_server}/")
        browser_page.get_by_role("link", name="Requests").first.click()
        browser_page.get_by_label("Search").fill("Clearview")
        browser_page.get_by_role("button", name="Show").click()
        browser_page.get_by_role(
            "link", name="La Presse: RCMP use of Clearview AI facial recognition"
        ).click()
        assert browser_page.url.endswith(f"/requests/{seed_id}")
        assert "765 calendar days late" in browser_page.locator("#lateness").inner_text()
        screenshot(browser_page, "seed-case")


def test_phone_width_layout_has_no_horizontal_scroll(app, live_server, browser_page, make_user):
    make_user()
    browser_page.set_viewport_size({"width": 375, "height": 800})
    browser_login(browser_page, live_server)
    width = browser_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
