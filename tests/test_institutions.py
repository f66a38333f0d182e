"""Institution pages, and newsroom isolation: another newsroom's URLs answer 404."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import AuthActions, page
from tracker.core import db
from tracker.core.models import Institution


def _create(auth, **fields):
    data = {
        "name": "Royal Canadian Mounted Police",
        "law_code": "ca-atia",
        "province": "",
        "access_email": "atip@rcmp.example",
    }
    data.update(fields)
    return auth.post("/institutions/new", data)


def test_create_and_list_institution(client, auth, make_user):
    make_user()
    auth.login()
    assert "No institutions yet" in page(client.get("/institutions/")).get_text()
    response = _create(auth)
    assert response.status_code == 302
    show = page(client.get(response.headers["Location"]))
    assert show.find("h1").get_text() == "Royal Canadian Mounted Police"
    assert "Access to Information Act" in show.get_text()
    listing = page(client.get("/institutions/"))
    assert listing.find("a", string="Royal Canadian Mounted Police") is not None


def test_form_errors_keep_what_was_typed(client, auth, make_user):
    make_user()
    auth.login()
    response = _create(auth, name="", access_email="not an address", law_code="xx-nope")
    soup = page(response)
    assert response.status_code == 200
    assert soup.select_one("#name-error") is not None
    assert soup.select_one("#access_email-error") is not None
    assert soup.select_one("#law_code-error") is not None
    assert soup.find("input", attrs={"name": "access_email"})["value"] == "not an address"


def test_duplicate_name_is_refused_beside_the_field(client, auth, make_user):
    make_user()
    auth.login()
    _create(auth)
    response = _create(auth, name="royal canadian mounted police")
    assert "already has an institution" in page(response).select_one("#name-error").get_text()


def test_edit_institution(app, client, auth, make_user):
    make_user()
    auth.login()
    location = _create(auth).headers["Location"]
    response = auth.post(
        location + "/edit",
        {"name": "GRC", "law_code": "ca-atia", "province": "QC", "access_email": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session().scalar(sa.select(Institution))
        assert (row.name, row.province, row.access_email) == ("GRC", "QC", None)


def test_other_newsrooms_institutions_are_404(app, client, auth, make_user):
    make_user("a@lapresse.ca", newsroom="La Presse")
    make_user("b@ledevoir.com", newsroom="Le Devoir")
    auth.login("a@lapresse.ca")
    location = _create(auth).headers["Location"]
    auth.logout()

    other = app.test_client()
    AuthActions(other).login("b@ledevoir.com")
    assert other.get(location).status_code == 404
    assert other.get(location + "/edit").status_code == 404
    assert (
        AuthActions(other)
        .post(location + "/edit", {"name": "x", "law_code": "ca-atia"})
        .status_code
        == 404
    )
    assert "Royal Canadian" not in other.get("/institutions/").get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(sa.select(Institution.name)) == "Royal Canadian Mounted Police"


def test_archiving_keeps_requests_and_hides_it_from_new_requests(app, client, auth, make_user):
    make_user()
    auth.login()
    location = _create(auth).headers["Location"]
    institution_id = int(location.rstrip("/").rsplit("/", 1)[1])
    response = auth.post(
        "/requests/new",
        {
            "institution_id": str(institution_id),
            "title": "Clearview",
            "received_on": "2024-02-01",
            "law_code": "",
            "new_institution": "",
            "new_institution_province": "",
        },
    )
    assert response.status_code == 302
    request_url = response.headers["Location"]

    assert auth.post(location + "/archive", {"archived": "1"}).status_code == 302
    show = page(client.get(location))
    assert "Archived" in show.select_one(".notice").get_text()
    assert show.find("a", string="Clearview") is not None
    picker = page(client.get("/requests/new")).find("select", attrs={"name": "institution_id"})
    assert "Royal Canadian Mounted Police" not in picker.get_text()
    assert client.get(request_url).status_code == 200
    assert "archived" in page(client.get("/institutions/")).select_one(".badge").get_text()

    auth.post(location + "/archive", {"archived": "0"})
    picker = page(client.get("/requests/new")).find("select", attrs={"name": "institution_id"})
    assert "Royal Canadian Mounted Police" in picker.get_text()
