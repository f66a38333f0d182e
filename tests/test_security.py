"""Security headers, login throttling, and the database going away mid-request."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from tests.conftest import PASSWORD, page
from tracker import create_app
from tracker.core.db import make_engine


def test_security_headers_on_pages(client, auth, make_user):
    make_user()
    auth.login()
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_when_cookies_are_secure(app_config):
    app = create_app({**app_config, "SESSION_COOKIE_SECURE": True})
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    app.extensions["engine"].dispose()


def test_no_inline_scripts_or_styles_in_pages(client, auth, make_user):
    make_user()
    auth.login()
    for url in (
        "/",
        "/requests/",
        "/requests/new",
        "/institutions/",
        "/institutions/new",
        "/account/password",
    ):
        soup = page(client.get(url))
        assert all(tag.get("src") for tag in soup.find_all("script")), url
        assert soup.find("style") is None, url
        assert soup.find(attrs={"style": True}) is None, url


def test_login_is_throttled_per_account_without_revealing_it(client, auth, make_user):
    make_user("reporter@example.org")
    for _ in range(5):
        assert auth.login("reporter@example.org", "wrong password!").status_code == 200
    blocked = auth.login("reporter@example.org", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many failed attempts" in page(blocked).get_text()
    for _ in range(5):
        auth.login("nobody@example.org", "wrong password!")
    unknown = auth.login("nobody@example.org", PASSWORD)
    assert unknown.status_code == 429  # the same answer for an account that does not exist
    assert page(unknown).select_one(".form-errors").get_text(strip=True) == page(
        blocked
    ).select_one(".form-errors").get_text(strip=True)


def test_login_is_throttled_per_address(client, auth, make_user):
    make_user("reporter@example.org")
    for i in range(20):
        auth.login(f"guess{i}@example.org", "wrong password!")
    assert auth.login("reporter@example.org", PASSWORD).status_code == 429


def test_successful_login_clears_the_account_failures(client, auth, make_user):
    make_user("reporter@example.org")
    for _ in range(4):
        auth.login("reporter@example.org", "wrong password!")
    assert auth.login("reporter@example.org", PASSWORD).status_code == 302
    auth.logout()
    for _ in range(4):
        auth.login("reporter@example.org", "wrong password!")
    assert auth.login("reporter@example.org", PASSWORD).status_code == 302


def test_database_gone_mid_request_is_a_503_page(app, client, auth, make_user):
    make_user()
    auth.login()
    app.extensions["engine"].dispose()
    broken = make_engine("postgresql://nobody@127.0.0.1:1/none")
    app.extensions["engine"] = broken
    app.extensions["sessionmaker"] = sessionmaker(broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/requests/")
    assert response.status_code == 503
    text = page(response).get_text()
    assert "nothing was saved" in text and "Traceback" not in text
