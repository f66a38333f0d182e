"""A reporter clicks the packet button on the request page and receives the ZIP."""

from __future__ import annotations

import json
import zipfile

import pytest
from conftest import PASSWORD, browser_login
from packets_helpers import TODAY, pdf_text, seed_case

from tracker.core import clock

pytestmark = pytest.mark.browser


def test_packet_button_downloads_the_zip(app, live_server, browser_page, make_user):
    make_user("marie@lapresse.ca", newsroom="La Presse", name="Marie Côté")
    built = seed_case(app, "marie@lapresse.ca")
    tab = browser_page
    with clock.frozen(TODAY):
        browser_login(tab, live_server, "marie@lapresse.ca", PASSWORD)
        tab.goto(f"{live_server}/requests/{built.request_id}")
        with tab.expect_download() as info:
            tab.get_by_role("link", name="Download evidence packet").click()
        download = info.value
    assert download.failure() is None
    assert download.suggested_filename == f"request-{built.request_id}-evidence-packet.zip"
    with zipfile.ZipFile(download.path()) as archive:
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json"))
        text = " ".join(pdf_text(archive.read("packet.pdf")).split())
    assert manifest["request_id"] == built.request_id
    assert "Due Wednesday 2020-03-11" in text and "765 calendar days" in text
