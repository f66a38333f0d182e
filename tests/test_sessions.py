"""Sessions that end on the server (OWASP ASVS 3.3, issue 16 part 1): logout, password changes
and resets, deactivation, the idle timeout and the absolute lifetime, across app instances
(gunicorn workers) sharing one database; the sessions page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from api_helpers import bearer, quick_user, token, user_by_email

from tests.conftest import PASSWORD, AuthActions, page
from tracker import create_app
from tracker.auth import reset
from tracker.core import clock, db
from tracker.core.models import ApiToken, CalendarFeed, UserSession
from tracker.feeds.service import issue_feed

EMAIL = "reporter@example.org"
EDITOR = "editor@example.org"
START = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def logged_in(app, email: str = EMAIL):
    """A new browser logged in as ``email``."""
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302
    return client


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def browser_with(app, cookie: str):
    """Another browser carrying a copied session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def works(client) -> bool:
    """True when the client's session still opens the dashboard."""
    response = client.get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def rows(app) -> list[UserSession]:
    with app.app_context():
        return list(db.session().scalars(sa.select(UserSession).order_by(UserSession.id)))


def test_logout_ends_the_session_on_the_server(app):
    quick_user(app, EMAIL)
    client = logged_in(app)
    copied = cookie_of(client)
    assert works(browser_with(app, copied))
    assert AuthActions(client).logout().status_code == 302
    # The cookie as it was before logging out no longer names anyone.
    assert not works(browser_with(app, copied))
    (row,) = rows(app)
    assert row.ended_at is not None
    # The secret is in the cookie, only its hash in the database.
    assert len(row.token_hash) == 64 and row.token_hash not in copied


def test_a_session_ended_in_one_worker_stops_in_another(app, app_config):
    """Two app instances on one database stand for two gunicorn workers."""
    quick_user(app, EMAIL)
    client = logged_in(app)
    other_worker = create_app(app_config)
    try:
        copied = browser_with(other_worker, cookie_of(client))
        assert works(copied)
        AuthActions(client).logout()
        assert not works(copied)
    finally:
        other_worker.extensions["engine"].dispose()


def test_changing_the_password_ends_every_other_session(app):
    quick_user(app, EMAIL)
    here, elsewhere = logged_in(app), logged_in(app)
    response = AuthActions(here).post(
        "/account/password",
        {"current": PASSWORD, "new": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    assert works(here)
    assert not works(elsewhere)


def test_resetting_the_password_ends_every_session(app, monkeypatch):
    quick_user(app, EMAIL)
    client = logged_in(app)
    with app.app_context():
        user = user_by_email(db.session(), EMAIL)
        path = reset.reset_url(app.config, user).removeprefix(app.config["BASE_URL"])
    stranger = app.test_client()
    done = AuthActions(stranger).post(
        path, {"new": "a much longer secret", "confirm": "a much longer secret"}
    )
    assert done.status_code == 302
    assert not works(client)


def test_deactivation_ends_sessions_tokens_and_feed_and_reactivation_brings_none_back(app):
    user_id = quick_user(app, EMAIL)
    quick_user(app, EDITOR, role="editor")
    client = logged_in(app)
    secret = token(app, EMAIL)
    with app.app_context(), db.transaction() as session:
        feed = issue_feed(session, user_by_email(session, EMAIL))
    assert app.test_client().get("/api/v1/requests", headers=bearer(secret)).status_code == 200
    assert app.test_client().get(f"/calendar/{feed}.ics").status_code == 200

    editor = AuthActions(logged_in(app, EDITOR))
    assert editor.post(f"/settings/people/{user_id}/deactivate", {}).status_code == 302
    assert editor.post(f"/settings/people/{user_id}/reactivate", {}).status_code == 302

    assert not works(client)
    assert app.test_client().get("/api/v1/requests", headers=bearer(secret)).status_code == 401
    assert app.test_client().get(f"/calendar/{feed}.ics").status_code == 404
    with app.app_context():
        s = db.session()
        assert s.scalars(sa.select(ApiToken.revoked_at)).all() != [None]
        assert None not in s.scalars(sa.select(ApiToken.revoked_at)).all()
        assert None not in s.scalars(sa.select(CalendarFeed.revoked_at)).all()
        mine = s.scalars(sa.select(UserSession).where(UserSession.user_id == user_id)).all()
        assert mine and all(row.ended_at is not None for row in mine)
    # Logging in again works, with a new session.
    assert works(logged_in(app))


def test_idle_timeout_and_absolute_lifetime(app_config):
    app = create_app({**app_config, "SESSION_IDLE_MINUTES": 30, "SESSION_MAX_HOURS": 2})
    try:
        quick_user(app, EMAIL)
        with clock.frozen_now(START):
            client = logged_in(app)
        # Used every 29 minutes, it lives until two hours after the login, not a minute more.
        at = START
        while at + timedelta(minutes=29) < START + timedelta(hours=2):
            at += timedelta(minutes=29)
            with clock.frozen_now(at):
                assert works(client), at
        with clock.frozen_now(START + timedelta(hours=2, seconds=1)):
            assert not works(client)

        with clock.frozen_now(START):
            idle = logged_in(app)
        with clock.frozen_now(START + timedelta(minutes=29)):
            assert works(idle)
        with clock.frozen_now(START + timedelta(minutes=59, seconds=1)):
            assert not works(idle)
    finally:
        app.extensions["engine"].dispose()


def test_last_seen_is_written_at_most_once_a_minute(app):
    quick_user(app, EMAIL)
    with clock.frozen_now(START):
        client = logged_in(app)
    statements: list[str] = []
    sa.event.listen(
        app.extensions["engine"],
        "before_cursor_execute",
        lambda conn, cursor, statement, *args: statements.append(statement),
    )
    with clock.frozen_now(START + timedelta(seconds=59)):
        assert works(client) and works(client)
    assert not [s for s in statements if re.match(r"\s*UPDATE user_session", s)]
    assert rows(app)[0].last_seen_at == START
    with clock.frozen_now(START + timedelta(seconds=61)):
        assert works(client)
    assert rows(app)[0].last_seen_at == START + timedelta(seconds=61)


def test_sessions_page_lists_ends_one_and_logs_out_everywhere(app):
    quick_user(app, EMAIL)
    phone = app.test_client()
    phone.environ_base.update(HTTP_USER_AGENT="Phone browser/1.0", REMOTE_ADDR="203.0.113.7")
    assert AuthActions(phone).login().status_code == 302
    laptop, tablet = logged_in(app), logged_in(app)
    listing = page(laptop.get("/account/sessions"))
    table = listing.select("#sessions tbody tr")
    assert len(table) == 3
    assert "Phone browser/1.0" in listing.get_text() and "203.0.113.7" in listing.get_text()
    assert len(listing.select("#sessions tr.current")) == 1
    assert listing.select_one("a[href='/account/sessions']") is not None  # in the menu

    phone_row = next(r for r in rows(app) if r.user_agent == "Phone browser/1.0")
    response = AuthActions(laptop).post("/account/sessions/end", {"session_id": phone_row.id})
    assert response.status_code == 302
    assert not works(phone) and works(laptop) and works(tablet)
    assert len(page(laptop.get("/account/sessions")).select("#sessions tbody tr")) == 2

    response = AuthActions(laptop).post("/account/sessions/end-all", {})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not works(laptop) and not works(tablet)


def test_a_session_of_someone_else_cannot_be_ended(app):
    quick_user(app, EMAIL)
    quick_user(app, EDITOR, role="editor")
    victim = logged_in(app)
    attacker = logged_in(app, EDITOR)
    victim_row = rows(app)[0]
    AuthActions(attacker).post("/account/sessions/end", {"session_id": victim_row.id})
    assert works(victim)
