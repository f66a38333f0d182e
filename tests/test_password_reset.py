"""Forgotten passwords: the reset mail arrives at a real SMTP server (aiosmtpd), its link sets a
new password once, and dies when used or expired; the answer never says who has an account."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from alerts_helpers import SmtpServer
from api_helpers import quick_user
from itsdangerous.timed import TimestampSigner

from tests.conftest import PASSWORD, page
from tracker.auth import reset
from tracker.core import db
from tracker.core.models import User

EMAIL = "reporter@example.org"
NEW_PASSWORD = "a much longer secret"


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


def ask(auth, email: str):
    """Ask for a link, then wait for the mail, which is sent after the answer (issue 16)."""
    response = auth.post("/password/forgot", {"email": email})
    reset.later_sender(auth._client.application).wait()
    return response


def link_in(smtp: SmtpServer, index: int = -1) -> str:
    body = smtp.handler.messages[index][1].get_body(("plain",)).get_content()
    found = re.search(r"http://tracker\.test(/password/reset/\S+)", body)
    assert found, body
    return found.group(1)


def test_login_page_offers_the_reset(client):
    link = page(client.get("/login")).find("a", string="Forgot your password?")
    assert link["href"] == "/password/forgot"


def test_reset_by_mail_sets_a_new_password_once(app, client, auth, smtp):
    quick_user(app, EMAIL, name="Marie")
    response = ask(auth, "  Reporter@Example.org ")
    assert response.status_code == 200
    assert page(response).select_one("#reset-sent") is not None
    assert smtp.handler.received() == [(EMAIL, "Reset your ATI tracker password")]
    message = smtp.handler.messages[0][1]
    assert message["From"] == "ATI tracker <alerts@tracker.test>"
    path = link_in(smtp)

    form_page = client.get(path)
    assert form_page.status_code == 200
    assert form_page.headers["Referrer-Policy"] == "no-referrer"
    assert form_page.headers["Cache-Control"] == "no-store"
    assert EMAIL in page(form_page).get_text()
    # The password policy applies, errors beside the fields.
    refused = auth.post(path, {"new": "short", "confirm": "short"})
    assert "at least 10 characters" in page(refused).select_one("#new-error").get_text()
    refused = auth.post(path, {"new": EMAIL, "confirm": EMAIL})
    assert "e-mail" in page(refused).select_one("#new-error").get_text()

    done = auth.post(path, {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert auth.login(EMAIL, PASSWORD).status_code == 200
    assert auth.login(EMAIL, NEW_PASSWORD).status_code == 302
    auth.logout()

    # The link is dead once used: the page and a replayed form are both refused.
    again = client.get(path)
    assert again.status_code == 404
    assert "expired or was already used" in page(again).select_one("#reset-invalid").get_text()
    replay = auth.post(path, {"new": "yet another secret", "confirm": "yet another secret"})
    assert replay.status_code == 404
    assert auth.login(EMAIL, NEW_PASSWORD).status_code == 302


def test_the_answer_is_the_same_for_unknown_and_inactive_accounts(app, client, auth, smtp):
    quick_user(app, EMAIL)
    gone = quick_user(app, "gone@example.org")
    with app.app_context(), db.transaction() as session:
        session.get(User, gone).active = False
    answers = [
        page(ask(auth, email)).select_one("main").get_text(" ", strip=True)
        for email in (EMAIL, "nobody@example.org", "gone@example.org")
    ]
    assert answers[0] == answers[1] == answers[2]
    assert smtp.handler.received() == [(EMAIL, "Reset your ATI tracker password")]


def test_expired_and_tampered_links_are_refused(app, client, auth, smtp, monkeypatch):
    user_id = quick_user(app, EMAIL)
    with app.app_context():
        user = db.session().get(User, user_id)
        fresh = reset.reset_token("test-secret", user)
        with monkeypatch.context() as m:
            now = int(time.time())
            m.setattr(TimestampSigner, "get_timestamp", lambda self: now - 59 * 60)
            almost = reset.reset_token("test-secret", user)
            m.setattr(TimestampSigner, "get_timestamp", lambda self: now - 61 * 60)
            expired = reset.reset_token("test-secret", user)
        other_key = reset.reset_token("another-secret", user)
    assert client.get(f"/password/reset/{almost}").status_code == 200
    assert client.get(f"/password/reset/{expired}").status_code == 404
    assert client.get(f"/password/reset/{other_key}").status_code == 404
    assert client.get(f"/password/reset/{fresh[:-2]}xx").status_code == 404
    response = auth.post(
        f"/password/reset/{expired}", {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert auth.login(EMAIL, PASSWORD).status_code == 302


def test_asking_again_and_again_sends_five_mails_at_most(app, auth, smtp):
    quick_user(app, EMAIL)
    answers = {
        page(ask(auth, EMAIL)).select_one("main").get_text(" ", strip=True) for _ in range(7)
    }
    assert len(answers) == 1
    assert len(smtp.handler.messages) == 5


def test_mail_server_down_gives_the_same_answer(app, auth, smtp, caplog):
    quick_user(app, EMAIL)
    smtp.stop()
    response = ask(auth, EMAIL)
    assert response.status_code == 200
    assert page(response).select_one("#reset-sent") is not None
    assert any("not sent" in r.getMessage() for r in caplog.records)


def test_editor_sends_a_set_password_link_from_the_people_page(app, auth, smtp):
    quick_user(app, "editor@example.org", role="editor")
    newcomer = quick_user(app, "new@example.org", name="Nia")
    auth.login("editor@example.org")
    response = auth.post(f"/settings/people/{newcomer}/password-link", {})
    assert response.status_code == 302
    assert smtp.handler.received() == [("new@example.org", "Reset your ATI tracker password")]
    auth.logout()
    path = link_in(smtp)
    assert auth.post(path, {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert auth.login("new@example.org", NEW_PASSWORD).status_code == 302


def test_forgot_password_answers_before_looking_the_account_up(app, auth, monkeypatch):
    """Issue 16 part 11: the answer never waits for the account's lookup or the mail server,
    so it takes the same time whether or not the account exists."""
    quick_user(app, EMAIL)
    release = threading.Event()
    looked_up: list[str] = []

    def slow_send(session, email, config):
        release.wait(10)  # a mail server taking its time
        looked_up.append(email)
        return True

    monkeypatch.setattr(reset, "send_reset", slow_send)
    answers = []
    for email in (EMAIL, "nobody@example.org"):
        response = auth.post("/password/forgot", {"email": email})
        assert not looked_up  # answered while the lookup and the mail are still to come
        answers.append(page(response).select_one("main").get_text(" ", strip=True))
    assert answers[0] == answers[1]
    release.set()
    reset.later_sender(app).wait()
    assert sorted(looked_up) == sorted([EMAIL, "nobody@example.org"])
