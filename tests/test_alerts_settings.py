"""The alert settings page and the preference rules."""

from __future__ import annotations

import pytest
from conftest import csrf_token, page

from tracker.alerts import service
from tracker.alerts.mail import unsubscribe_token
from tracker.core import db
from tracker.core.models import User

SETTINGS = "/settings/alerts"


def _post(client, data: dict[str, str]):
    token = csrf_token(client, SETTINGS)
    return client.post(SETTINGS, data={**data, "csrf_token": token})


def _user(app, email: str) -> User:
    with app.app_context():
        user = db.session().query(User).filter_by(email=email).one()
        db.session().expunge(user)
        return user


def test_settings_page_saves_kinds_and_address(app, client, auth, make_user):
    make_user("reporter@example.org")
    auth.login()
    form = page(client.get(SETTINGS))
    boxes = {box["name"]: box.has_attr("checked") for box in form.select("input[type=checkbox]")}
    assert boxes == {f"kind_{kind}": True for kind in service.PREFERENCE_KINDS}  # all on
    assert form.find("input", attrs={"name": "newsroom"}) is None  # reporters: not offered

    response = _post(
        client, {"kind_due_in_7": "y", "kind_overdue": "y", "alert_email": "Desk@Example.org"}
    )
    assert response.status_code == 302
    user = _user(app, "reporter@example.org")
    prefs = service.preferences_of(user)
    assert [k for k in service.PREFERENCE_KINDS if prefs[k]] == ["due_in_7", "overdue"]
    assert user.alert_email == "Desk@example.org"  # the domain is normalised
    assert service.address_of(user) == "Desk@example.org"
    checked = {box["name"] for box in page(client.get(SETTINGS)).select("input[checked]")}
    assert checked == {"kind_due_in_7", "kind_overdue"}


@pytest.mark.parametrize("address", ["not an address", "a@", "reporter@@example.org"])
def test_an_address_that_is_not_an_address_is_refused_beside_the_field(
    app, client, auth, make_user, address
):
    make_user("reporter@example.org")
    auth.login()
    response = _post(client, {"kind_due_in_7": "y", "alert_email": address})
    assert response.status_code == 200
    error = page(response).find(id="alert_email-error")
    assert error is not None and "not an e-mail address" in error.text
    assert _user(app, "reporter@example.org").alert_email is None


def test_editors_can_receive_the_whole_newsroom(app, client, auth, make_user):
    make_user("editor@example.org", role="editor")
    auth.login("editor@example.org")
    assert page(client.get(SETTINGS)).find("input", attrs={"name": "newsroom"}) is not None
    _post(client, {"newsroom": "y", "kind_overdue": "y"})
    assert service.preferences_of(_user(app, "editor@example.org"))["newsroom"] is True


def test_service_refuses_unknown_preferences_and_reporters_newsroom_wide(app, make_user):
    make_user("reporter@example.org")
    with app.app_context():
        session = db.session()
        user = session.query(User).filter_by(email="reporter@example.org").one()
        with pytest.raises(service.AlertSettingsError, match="Unknown alert preference: sms"):
            service.save_settings(session, user, {"sms": True}, None)
        with pytest.raises(service.AlertSettingsError, match="Only editors"):
            service.save_settings(session, user, {"newsroom": True}, None)
        with pytest.raises(service.AlertSettingsError, match="not an e-mail address"):
            service.save_settings(session, user, {}, "nobody")
        # A stored unknown key (an older version's) is ignored when planning.
        user.alert_preferences = {"sms": True, "due_today": False}
        assert service.wants(user, "due_today") is False
        assert service.wants(user, "sms") is False
        assert service.wants(user, "due_in_7") is True


def test_unsubscribe_link_needs_no_login_and_stops_one_kind(app, client, make_user):
    user_id = make_user("reporter@example.org").id
    token = unsubscribe_token(app.config["SECRET_KEY"], user_id, "due_in_2")
    shown = page(client.get(f"/alerts/unsubscribe/{token}"))
    assert "A response is due in 2 days" in shown.text
    assert client.post(f"/alerts/unsubscribe/{token}").status_code == 200
    prefs = service.preferences_of(_user(app, "reporter@example.org"))
    assert prefs["due_in_2"] is False and prefs["due_in_7"] is True
    forged = unsubscribe_token("another key", user_id, "due_in_7")
    assert client.post(f"/alerts/unsubscribe/{forged}").status_code == 404
    unknown_kind = unsubscribe_token(app.config["SECRET_KEY"], user_id, "sms")
    assert client.get(f"/alerts/unsubscribe/{unknown_kind}").status_code == 404
