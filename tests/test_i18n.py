"""The reader's language (issue 20, part 1): account preference, then the language switch's
cookie, then Accept-Language, then TRACKER_DEFAULT_LOCALE; anything else is the default,
never an error. Dates, numbers and plurals in the reader's language (part 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import write_po
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from tests.conftest import AuthActions, csrf_token, page
from tracker.core import db
from tracker.core.display import format_date, format_figure, format_filesize, format_number
from tracker.core.models import User
from tracker.language.i18n import COOKIE_NAME, compile_catalogues


def heading(response: Any) -> str:
    """The page's h1."""
    return page(response).find("h1").get_text(strip=True)


def lang(response: Any) -> str:
    """The page's <html lang>."""
    return str(page(response).find("html")["lang"])


def test_browser_language_picks_the_interface(client: FlaskClient) -> None:
    english = client.get("/login")
    french = client.get("/login", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert (heading(english), lang(english)) == ("Log in", "en")
    assert (heading(french), lang(french)) == ("Se connecter", "fr")
    assert "Mot de passe oublié?" in page(french).get_text()


@pytest.mark.parametrize("header", ["de-DE,de;q=0.9", "xx", "*", ";;;q=abc", "fr;q=0"])
def test_unsupported_language_is_the_default(client: FlaskClient, header: str) -> None:
    response = client.get("/login", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert lang(response) == "en"


def test_newsroom_default_locale(app_config: dict[str, Any]) -> None:
    from tracker import create_app

    app = create_app({**app_config, "DEFAULT_LOCALE": "fr"})
    try:
        client = app.test_client()
        assert heading(client.get("/login")) == "Se connecter"
        # The browser's stated preference still wins over the newsroom's.
        assert heading(client.get("/login", headers={"Accept-Language": "en"})) == "Log in"
    finally:
        app.extensions["engine"].dispose()


def switch(client: FlaskClient, locale: str, next_path: str = "/login") -> Any:
    """Click the language switch of a page."""
    token = csrf_token(client, next_path)
    return client.post("/language", data={"csrf_token": token, "locale": locale, "next": next_path})


def test_switch_works_logged_out_with_a_cookie(client: FlaskClient) -> None:
    soup = page(client.get("/login"))
    button = soup.select_one("form.language-switch button[name=locale]")
    assert button is not None and button["value"] == "fr" and button.get_text() == "Français"
    response = switch(client, "fr")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get_cookie(COOKIE_NAME).value == "fr"
    # The cookie beats the browser's header.
    french = client.get("/login", headers={"Accept-Language": "en"})
    assert heading(french) == "Se connecter"
    assert page(french).select_one("form.language-switch button").get_text() == "English"


@pytest.mark.parametrize("locale", ["de", "", "fr'><script>", "x" * 500])
def test_switch_to_an_unknown_language_changes_nothing(client: FlaskClient, locale: str) -> None:
    response = switch(client, locale)
    assert response.status_code == 302
    assert client.get_cookie(COOKIE_NAME) is None
    assert heading(client.get("/login")) == "Log in"


def test_switch_never_leaves_the_site(client: FlaskClient) -> None:
    token = csrf_token(client, "/login")
    response = client.post(
        "/language", data={"csrf_token": token, "locale": "fr", "next": "//evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_a_bad_cookie_is_ignored(client: FlaskClient) -> None:
    client.set_cookie(COOKIE_NAME, "klingon")
    assert heading(client.get("/login", headers={"Accept-Language": "fr"})) == "Se connecter"


def stored_locale(app: Flask, email: str = "reporter@example.org") -> str | None:
    """The account's language in the database."""
    with app.app_context():
        user = db.session().query(User).filter_by(email=email).one()
        return user.locale


def test_account_preference_beats_the_browser(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user: Any
) -> None:
    make_user()
    auth.login()
    settings = client.get("/settings/language", headers={"Accept-Language": "en"})
    assert heading(settings) == "Language"
    response = auth.post("/settings/language", {"locale": "fr"})
    assert response.status_code == 302
    assert stored_locale(app) == "fr"
    saved = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "Langue enregistrée." in page(saved).select_one(".flashes").get_text()
    dashboard = client.get("/", headers={"Accept-Language": "en"})
    assert lang(dashboard) == "fr"
    assert "Tableau de bord" in page(dashboard).select_one("nav").get_text()

    # Back to "my browser's language": the header decides again.
    auth.post("/settings/language", {"locale": ""})
    assert stored_locale(app) is None
    assert lang(client.get("/", headers={"Accept-Language": "en"})) == "en"


def test_switch_when_logged_in_sets_the_account(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user: Any
) -> None:
    make_user()
    auth.login()
    switch(client, "fr", "/requests")
    assert stored_locale(app) == "fr"
    # Another browser of the same account: French without any cookie.
    other = app.test_client()
    AuthActions(other).login()
    assert lang(other.get("/", headers={"Accept-Language": "en"})) == "fr"


def test_bad_preference_is_refused_beside_the_field(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user: Any
) -> None:
    make_user()
    auth.login()
    response = auth.post("/settings/language", {"locale": "tlh"})
    assert response.status_code == 200
    assert page(response).select_one("#locale-error") is not None
    assert stored_locale(app) is None


def test_stored_unknown_locale_falls_back(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user: Any
) -> None:
    """A value no longer offered (a language dropped) reads as no preference."""
    make_user()
    with app.app_context(), db.transaction() as session:
        session.query(User).update({"locale": "tlh"})
    auth.login()
    response = client.get("/", headers={"Accept-Language": "fr"})
    assert response.status_code == 200 and lang(response) == "fr"


def test_error_pages_in_french(client: FlaskClient) -> None:
    response = client.get("/nowhere", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert heading(response) == "Page introuvable"
    assert "Erreur 404" in page(response).get_text()


def test_catalogues_compile_when_missing(tmp_path: Path) -> None:
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    catalog = Catalog(locale="fr")
    catalog.add("Deadline", "Échéance")
    with po.open("wb") as out:
        write_po(out, catalog)
    assert compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    with po.with_suffix(".mo").open("rb") as mo:
        assert read_mo(mo).get("Deadline").string == "Échéance"
    assert compile_catalogues(tmp_path) == []  # up to date: left alone


def test_dates_numbers_and_plurals_follow_the_reader(app: Flask) -> None:
    day = date(2020, 3, 11)
    with app.test_request_context("/"):
        with force_locale("en"):
            assert format_date(day) == "2020-03-11 (Wed)"
            assert format_number(1234567) == "1,234,567"
            assert format_figure(61.5, "%") == "61.5%"
            assert format_filesize(1_300_000) == "1.2 MB"
        with force_locale("fr"):
            assert format_date(day) == "mer. 11 mars 2020"
            assert format_number(1234567).replace("\u202f", " ").replace("\xa0", " ") == (
                "1 234 567"
            )
            assert format_figure(61.5, " %") == "61,5 %"
            assert format_filesize(1_300_000) == "1,2 Mo"
            assert format_filesize(1) == "1 octet"
