"""Login and "forgot password" throttling that cannot lock a newsroom out (issue 16 part 4):
counted per (client, account) and, for browsers that never logged in to the account, per
account and per address; X-Forwarded-For is honoured only from TRACKER_PROXY_COUNT proxies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from api_helpers import quick_user
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSWORD, AuthActions
from tracker import create_app
from tracker.auth import reset, service
from tracker.core import db
from tracker.core.models import LoginFailure

EMAIL = "reporter@example.org"
WRONG = "not the password at all"
NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


@pytest.fixture
def proxied(app_config: dict[str, Any]):
    """The tracker behind one reverse proxy."""
    app = create_app({**app_config, "PROXY_COUNT": 1})
    yield app
    app.extensions["engine"].dispose()


def browser(app, forwarded_for: str | None = None, remote: str = "10.0.0.1"):
    """A browser whose requests reach the tracker from ``remote`` (the proxy) on behalf of
    ``forwarded_for``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = remote
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def login(client, email: str = EMAIL, password: str = PASSWORD) -> int:
    return AuthActions(client).login(email, password).status_code


def test_an_attacker_elsewhere_cannot_block_the_right_password(proxied):
    quick_user(proxied, EMAIL)
    attacker = browser(proxied, "198.51.100.66")
    for _ in range(5):
        assert login(attacker, password=WRONG) == 200
    assert login(attacker) == 429  # the attacker's own address is stopped, right password or not
    # The reporter, from an address without failures, logs in while the attack goes on.
    assert login(browser(proxied, "203.0.113.9")) == 302


def test_a_distributed_attack_stops_new_browsers_but_not_the_owners(proxied):
    quick_user(proxied, EMAIL)
    quick_user(proxied, "colleague@example.org")
    owners = browser(proxied, "203.0.113.9")
    assert login(owners) == 302  # an earlier login gives this browser a device cookie
    AuthActions(owners).logout()
    for n in range(10):
        attacker = browser(proxied, f"198.51.100.{n}")
        assert login(attacker, password=WRONG) == 200
    # Ten failures from ten addresses: a browser that never logged in to the account waits...
    assert login(browser(proxied, "192.0.2.44")) == 429
    # ...the owner's browser does not, even from the same address as the attack.
    owners.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.3"
    assert login(owners) == 302
    AuthActions(owners).logout()
    # Its cookie speaks for that account only.
    for _ in range(5):
        login(owners, "colleague@example.org", WRONG)
    assert login(owners, "colleague@example.org") == 429


def test_failures_of_a_trusted_browser_count_on_their_own(proxied):
    quick_user(proxied, EMAIL)
    owners = browser(proxied, "203.0.113.9")
    assert login(owners) == 302
    AuthActions(owners).logout()
    for _ in range(5):
        assert login(owners, password=WRONG) == 200
    assert login(owners) == 429
    # A colleague at the same address (the same newsroom office) is not stopped by them.
    assert login(browser(proxied, "203.0.113.9")) == 302


def test_x_forwarded_for_is_ignored_without_a_proxy(app):
    quick_user(app, EMAIL)
    for n in range(5):
        # Each try claims another address; without TRACKER_PROXY_COUNT they are one client.
        assert login(browser(app, f"198.51.100.{n}"), password=WRONG) == 200
    assert login(browser(app, "198.51.100.99")) == 429
    assert login(browser(app, remote="10.9.9.9")) == 302


def test_proxy_count_takes_the_address_the_nearest_proxy_saw(proxied):
    quick_user(proxied, EMAIL)
    # A client forging an X-Forwarded-For of its own: the proxy appends the real address.
    for n in range(5):
        assert login(browser(proxied, f"192.0.2.{n}, 198.51.100.66"), password=WRONG) == 200
    assert login(browser(proxied, "192.0.2.200, 198.51.100.66")) == 429


def test_forgot_password_cannot_be_blocked_by_someone_else(proxied, monkeypatch):
    quick_user(proxied, EMAIL)
    asked: list[str] = []
    monkeypatch.setattr(reset.LaterSender, "submit", lambda self, email: asked.append(email))
    flooder = browser(proxied, "198.51.100.66")
    for _ in range(8):
        AuthActions(flooder).post("/password/forgot", {"email": EMAIL})
    assert len(asked) == 5  # at most 5 mails a client asks for
    AuthActions(browser(proxied, "203.0.113.9")).post("/password/forgot", {"email": EMAIL})
    assert len(asked) == 6  # the owner, elsewhere, still gets one


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    failures=st.lists(
        st.tuples(
            st.sampled_from(["198.51.100.1", "198.51.100.2", "203.0.113.9", "10.0.0.1"]),
            st.sampled_from([EMAIL, "colleague@example.org", "reset:" + EMAIL]),
            st.sampled_from([None, "stolen-nonce"]),
        ),
        max_size=60,
    )
)
def test_nobody_elses_failures_lock_out_a_browser_that_logged_in_before(app, failures):
    """Whatever others get wrong, from any address (the owner's own too), the owner's browser
    with its device cookie and no failures of its own may still try its account."""
    owner = service.client_for("203.0.113.9", "owners-nonce")
    with app.app_context(), db.transaction() as session:
        session.execute(sa.delete(LoginFailure))
        for address, account, nonce in failures:
            service.record_login_failure(session, account, service.client_for(address, nonce), NOW)
        assert not service.login_throttled(session, EMAIL, owner, NOW)
        assert not service.login_throttled(session, "reset:" + EMAIL, owner, NOW)
