"""The language of a request's packet and alert mails (issue 20, part 4): chosen per request,
else French under Québec's laws, else the reporter's language, else the newsroom's."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests.conftest import PASSWORD, AuthActions, page
from tests.packets_helpers import pdf_text, read_zip
from tracker.alerts.mail import compose_digest, compose_request_alert
from tracker.core import clock, db
from tracker.core.models import InfoRequest, User
from tracker.language.service import request_language

TODAY = date(2024, 4, 2)


def requests(app: Flask, locale: str | None = None) -> dict[str, int]:
    """A reporter (with ``locale``) with an overdue federal request and a Québec one."""
    with builders.desk(app, "journaliste@example.org", today=TODAY) as desk:
        desk.session.get(User, desk.user.id).locale = locale
        rcmp = desk.institution("Gendarmerie royale du Canada", "ca-atia")
        sq = desk.institution("Sûreté du Québec", "ca-qc-access")
        federal = desk.request(rcmp, "Clearview AI", received=date(2024, 2, 1))
        quebec = desk.request(sq, "Interventions policières", received=date(2024, 2, 1))
        return {"federal": federal.row.id, "quebec": quebec.row.id}


def language_of(app: Flask, request_id: int) -> str:
    with app.app_context():
        session = db.session()
        return request_language(session, session.get(InfoRequest, request_id), "en")


def test_default_language_of_a_request(app: Flask) -> None:
    ids = requests(app)
    assert language_of(app, ids["federal"]) == "en"  # no preference: the newsroom's
    assert language_of(app, ids["quebec"]) == "fr"  # Québec's bodies work in French
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(User).values(locale="fr"))
    assert language_of(app, ids["federal"]) == "fr"  # the reporter's


def test_choose_the_language_on_the_request_page(
    app: Flask, client: FlaskClient, make_user
) -> None:
    ids = requests(app)
    auth = AuthActions(client)
    auth.login("journaliste@example.org", PASSWORD)
    shown = page(client.get(f"/requests/{ids['federal']}"))
    assert "Default: English" in shown.select_one("#packet-language").get_text()
    response = auth.post(f"/requests/{ids['federal']}/language", {"language": "fr"})
    assert response.status_code == 302
    assert language_of(app, ids["federal"]) == "fr"
    with clock.frozen(TODAY):
        archive = read_zip(client.get(f"/requests/{ids['federal']}/packet.zip").data)
    pdf = " ".join(pdf_text(archive["packet.pdf"]).split())
    assert "Dossier de preuve" in pdf and "Ce qui manque au dossier" in pdf
    # An unknown language changes nothing and is no error.
    auth.post(f"/requests/{ids['federal']}/language", {"language": "tlh"})
    assert language_of(app, ids["federal"]) == "fr"
    # Back to the default.
    auth.post(f"/requests/{ids['federal']}/language", {"language": ""})
    assert language_of(app, ids["federal"]) == "en"
    # Someone else's newsroom cannot.
    make_user("other@example.org", newsroom="Le Devoir")
    other = AuthActions(app.test_client())
    other.login("other@example.org")
    assert other.post(f"/requests/{ids['federal']}/language", {"language": "fr"}).status_code == 404


def test_alert_mails_in_the_requests_language(app: Flask) -> None:
    ids = requests(app)
    with app.app_context(), clock.frozen(TODAY):
        session = db.session()
        user = session.scalar(sa.select(User))
        quebec = session.get(InfoRequest, ids["quebec"])
        federal = session.get(InfoRequest, ids["federal"])
        french = compose_request_alert("overdue", quebec, user, TODAY, app.config)
        english = compose_request_alert("overdue", federal, user, TODAY, app.config)
        digest = compose_digest(user, [federal], TODAY, app.config)
    assert french.subject.startswith("En retard")
    text = " ".join(french.text.split())
    assert "Bonjour" in text and "Ce que vous pouvez faire maintenant" in text
    assert "2 avril 2024" in text
    assert 'lang="fr"' in french.html
    assert english.subject.startswith("Overdue")
    assert "What you can do next" in english.text
    assert digest.subject.startswith("Weekly digest")  # the reader's language: none, English
