"""Logging in and out, passwords, CSRF, and the pages that need a session."""

from __future__ import annotations

from tests.conftest import PASSWORD, csrf_token, page


def test_pages_need_a_session(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.get("/institutions/").status_code == 302


def test_login_page_has_labelled_fields(client):
    soup = page(client.get("/login"))
    for name in ("email", "password"):
        field = soup.find("input", attrs={"name": name})
        assert soup.find("label", attrs={"for": field["id"]}) is not None


def test_login_and_logout(client, auth, make_user):
    make_user("reporter@example.org", name="Marie")
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = page(client.get("/"))
    assert "Marie" in home.get_text()
    assert "La Presse" in home.get_text()

    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_login_is_case_insensitive_on_email(client, auth, make_user):
    make_user("reporter@example.org")
    assert auth.login("  Reporter@Example.org ").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth, make_user):
    make_user("reporter@example.org")
    wrong_password = auth.login("reporter@example.org", "not the password")
    unknown_email = auth.login("nobody@example.org", PASSWORD)
    assert wrong_password.status_code == unknown_email.status_code == 200
    messages = [
        page(r).select_one(".form-errors").get_text(strip=True)
        for r in (wrong_password, unknown_email)
    ]
    assert messages[0] == messages[1] == "E-mail or password is incorrect."
    # The e-mail typed is kept; the password is not echoed back.
    soup = page(wrong_password)
    assert soup.find("input", attrs={"name": "email"})["value"] == "reporter@example.org"
    assert not soup.find("input", attrs={"name": "password"}).get("value")


def test_inactive_user_cannot_log_in(app, client, auth, make_user):
    from tracker.core import db
    from tracker.core.models import User

    user = make_user("gone@example.org")
    with app.app_context():
        with db.transaction() as session:
            session.get(User, user.id).active = False
    assert auth.login("gone@example.org").status_code == 200


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("reporter@example.org")
    response = client.post("/login", data={"email": "reporter@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Form expired" in page(response).get_text()
    assert client.get("/").status_code == 302


def test_logout_needs_post_and_csrf(client, auth, make_user):
    make_user()
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_login_redirects_only_to_local_next(client, make_user):
    make_user()
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "email": "reporter@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_login_follows_local_next(client, make_user):
    make_user()
    response = client.get("/institutions/")
    assert "next=" in response.headers["Location"]
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "email": "reporter@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/institutions/",
        },
    )
    assert response.headers["Location"] == "/institutions/"


def test_change_password(client, auth, make_user):
    make_user()
    auth.login()
    response = auth.post(
        "/account/password",
        {"current": PASSWORD, "new": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login(password=PASSWORD).status_code == 200
    assert auth.login(password="a brand new secret").status_code == 302


def test_change_password_errors_are_shown_beside_fields(client, auth, make_user):
    make_user()
    auth.login()
    response = auth.post(
        "/account/password", {"current": "wrong one here", "new": "short", "confirm": "different"}
    )
    soup = page(response)
    assert response.status_code == 200
    assert "at least 10 characters" in soup.select_one("#new-error").get_text()
    assert "differ" in soup.select_one("#confirm-error").get_text()

    response = auth.post(
        "/account/password",
        {"current": "wrong one here", "new": "a brand new secret", "confirm": "a brand new secret"},
    )
    assert "not right" in page(response).select_one("#current-error").get_text()


def test_session_cookie_flags(client, auth, make_user):
    make_user()
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookies_when_asked(app_config, make_user, monkeypatch):
    from tracker import create_app

    monkeypatch.setenv("TRACKER_SECURE_COOKIES", "1")
    app = create_app(app_config)
    make_user()
    client = app.test_client()
    from tests.conftest import AuthActions

    response = AuthActions(client).login()
    assert "Secure" in response.headers["Set-Cookie"]
    app.extensions["engine"].dispose()


def test_production_hashes_passwords_with_scrypt():
    from tracker.auth import service as accounts

    assert accounts.DEFAULT_HASH_METHOD == "scrypt"
    assert accounts.HASH_METHOD.startswith("pbkdf2")  # the suite's fast stand-in
    original = accounts.HASH_METHOD
    accounts.HASH_METHOD = accounts.DEFAULT_HASH_METHOD
    try:
        assert accounts.hash_password("long enough pw").startswith("scrypt:")
    finally:
        accounts.HASH_METHOD = original
