"""A reporter drafts a follow-up in French in the browser, edits it while the preview follows,
and sends it through a real SMTP server (aiosmtpd) after ticking the confirmation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from alerts_helpers import SmtpServer
from conftest import PASSWORD, browser_login

from tests import builders
from tracker.core import clock

pytestmark = pytest.mark.browser

TODAY = date(2020, 3, 6)  # five days before the due date of 2020-03-11


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server collecting messages."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    """The test app sends mail through the test server."""
    return {**app_config, **smtp.config()}


def test_draft_edit_and_send_a_french_follow_up(app, live_server, browser_page, smtp):
    with builders.desk(app, "marie@lapresse.ca", today=TODAY, name="Marie Côté") as desk:
        rcmp = desk.institution("Gendarmerie royale du Canada", "ca-atia")
        request = desk.request(
            rcmp, "Clearview AI", received=date(2020, 2, 10), file_number="A-2019-12345"
        )
        request_id = request.id
    tab = browser_page
    with clock.frozen(TODAY):
        browser_login(tab, live_server, "marie@lapresse.ca", PASSWORD)
        tab.goto(f"{live_server}/requests/{request_id}")
        tab.get_by_role("link", name="Letters").click()
        offer = tab.locator("li.offer[data-key=follow_up]")
        offer.get_by_label("Language").select_option("fr")
        offer.get_by_role("button", name="Draft this letter").click()
        tab.wait_for_url(re.compile(r"/letters/\d+$"))
        body = tab.get_by_label("Letter", exact=True)
        assert "la réponse est attendue au plus tard le 2020-03-11" in body.input_value()
        # The preview follows the typing, before anything is saved.
        body.press("Control+End")
        body.type("Merci de votre aide.")
        tab.get_by_label("To (e-mail address)").fill("aiprp@grc.gc.ca")
        assert "Merci de votre aide." in tab.locator("#preview-body").inner_text()
        assert "aiprp@grc.gc.ca" in tab.locator("#preview-recipient").inner_text()
        tab.get_by_role("button", name="Save draft").click()
        tab.wait_for_selector(".flash-success")
        # Sending needs the box ticked; then it goes once.
        tab.get_by_label(re.compile("I have read this letter")).check()
        tab.get_by_role("button", name="Send", exact=True).click()
        tab.wait_for_selector(".flash-success")
        assert "Sent" in tab.locator("#letter-status").inner_text()
        assert tab.locator("#send-form").count() == 0
    assert len(smtp.handler.messages) == 1
    (recipients, message) = smtp.handler.messages[0]
    assert "aiprp@grc.gc.ca" in recipients
    text = message.get_body(("plain",)).get_content()
    assert "Madame, Monsieur," in text and "Merci de votre aide." in text
    assert message["Content-Language"] == "fr"
