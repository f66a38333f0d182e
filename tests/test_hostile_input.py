"""Whatever a browser or a client sends gets a 4xx, never a 500: NUL characters, lone
surrogates, file names outside Latin-1, absurd numbers, and generated text in every form and
API body."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from api_helpers import bearer, token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token, page
from tracker.core import clock, db
from tracker.core.models import TimelineEvent, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service

TODAY = date(2024, 6, 3)
EDITOR = "ed@example.org"
NUL = "a\x00b"
# Text a browser can send (no surrogates: a browser encodes forms as UTF-8), NUL included.
FORM_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
) | st.sampled_from(["", "0", "-1", "100000", "2024-02-30", "9999-12-31", "=1+1", "\x00", "é"])
# Any JSON a client can send: lone surrogates come through as "\ud800" escapes.
JSON_TEXT = st.text(max_size=30) | st.sampled_from(["\ud800", "a\udfffb", "\x00", "2024-02-01"])
JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_TEXT, inner, max_size=3),
    max_leaves=6,
)
FAST = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def site(app, client, auth, make_user) -> dict[str, Any]:
    """An editor logged in, an institution, a request with an extension, a file named in
    Cyrillic, a complaint, and an API token."""
    make_user(EDITOR, newsroom="Le Devoir", role="editor", name="Édith")
    with app.app_context(), db.transaction() as session:
        editor = session.scalar(sa.select(User).where(User.email == EDITOR))
        institution = create_institution(
            session, editor.newsroom_id, InstitutionData("GRC", "ca-atia", "QC")
        )
        request = service.create_request(
            session,
            editor,
            service.RequestData(
                institution_id=institution.id, title="Clearview", received_on=date(2024, 2, 1)
            ),
            TODAY,
        )
        storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
        letter = service.add_event(
            session,
            editor,
            request,
            service.EventData(
                "extension",
                date(2024, 2, 20),
                details={"days": 30, "reason": "volume"},
                uploads=(
                    service.Upload(
                        "Требование №5 — 中文.pdf", "application/pdf", io.BytesIO(b"%PDF-1.4")
                    ),
                ),
            ),
            TODAY,
            storage,
            1_000_000,
        )
        attachment_id = letter.attachments[0].id
        ids = {"request": request.id, "institution": institution.id, "event": letter.id}
    auth.login(EDITOR)
    imported = auth.post(
        "/imports/",
        {"file": (io.BytesIO(b"file,received\nA-1,2024-01-03\n"), "Запросы 2024.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    return {
        **ids,
        "attachment": attachment_id,
        "import": imported.headers["Location"].rstrip("/").rsplit("/", 1)[1],
        "token": token(app, EDITOR),
    }


def form_pages(site: dict[str, Any]) -> list[str]:
    """Every page with a form an editor can send."""
    r, e = site["request"], site["event"]
    return [
        "/requests/new",
        f"/requests/{r}/edit",
        *[f"/requests/{r}/events/new?kind={kind}" for kind in service.REPORTER_KINDS],
        f"/requests/{r}/events/{e}/correct",
        "/institutions/new",
        f"/institutions/{site['institution']}/edit",
        "/settings/alerts",
        "/settings/tokens",
        "/account/password",
        "/settings/people/",
        f"/imports/{site['import']}",
    ]


def get_pages(site: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Pages read with a query string, and the parameters they read."""
    listing = ("q", "status", "institution", "owner", "law", "sort", "page", "after", "before")
    return {
        "/": ("page",),
        "/requests/": (*listing, "overdue"),
        "/exports/requests.csv": listing,
        "/institutions/": ("archived",),
        f"/institutions/{site['institution']}": ("page",),
        f"/requests/{site['request']}": ("x",),
        "/scorecards/": ("from", "to"),
        "/scorecards/days-late.svg": ("from", "to", "download"),
        "/scorecards/laws.csv": ("from", "to"),
        f"/requests/new?institution={site['institution']}": ("institution",),
        f"/imports/{site['import']}/check": ("x",),
    }


def form_fields(client, url: str) -> dict[str, str]:
    """The names and current values of the form's text fields, as the page shows them."""
    response = client.get(url)
    assert response.status_code == 200, url
    form = page(response).select_one("main form[method=post]")
    assert form is not None, url
    fields: dict[str, str] = {}
    for tag in form.select("input[name], textarea[name], select[name]"):
        if tag.get("type") in ("submit", "file", "checkbox") or tag["name"] == "csrf_token":
            continue
        if tag.name == "select":
            chosen = tag.select_one("option[selected]") or tag.select_one("option")
            fields[tag["name"]] = chosen.get("value", "") if chosen else ""
        elif tag.name == "textarea":
            fields[tag["name"]] = tag.get_text()
        else:
            fields[tag["name"]] = tag.get("value", "")
    return fields


def post_form(client, url: str, data: dict[str, str]):
    """Send a form as the page would, with the session's CSRF token."""
    return client.post(
        url,
        data={**data, "csrf_token": csrf_token(client, "/")},
        content_type="multipart/form-data",
    )


def entries(app) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(sa.func.count()).select_from(TimelineEvent))


def test_nul_in_any_form_field_is_refused_and_nothing_is_saved(app, client, site):
    before = entries(app)
    for url in form_pages(site):
        fields = form_fields(client, url)
        assert fields, url
        for name in fields:
            response = post_form(client, url, {**fields, name: NUL})
            assert response.status_code == 400, (url, name, response.status_code)
            assert name in page(response).get_text() and "NUL" in page(response).get_text()
    assert entries(app) == before


def test_nul_in_any_query_parameter_or_path_is_refused(client, site):
    for url, params in get_pages(site).items():
        joiner = "&" if "?" in url else "?"
        for name in params:
            response = client.get(f"{url}{joiner}{name}=a%00b")
            assert response.status_code == 400, (url, name, response.status_code)
    assert client.get("/imports/ab%00cd").status_code == 400
    assert client.get("/calendar/ab%00cd.ics").status_code == 400
    api = client.get("/api/v1/requests?q=a%00b", headers=bearer(site["token"]))
    assert api.status_code == 400 and api.get_json()["field"] == "q"


def test_lone_surrogates_in_json_are_a_422_naming_the_field(client, site):
    headers = {**bearer(site["token"]), "Content-Type": "application/json"}
    body = '{"title": "Clearview \\ud800", "institution_id": %d, "received_on": "2024-02-01"}'
    created = client.post("/api/v1/requests", data=body % site["institution"], headers=headers)
    assert created.status_code == 422 and created.get_json()["field"] == "title"
    note = client.post(
        f"/api/v1/requests/{site['request']}/events",
        data='{"kind": "note", "occurred_on": "2024-03-01", "note": "\\udfff"}',
        headers=headers,
    )
    assert note.status_code == 422 and note.get_json()["field"] == "note"
    complaint = client.post(
        f"/api/v1/requests/{site['request']}/events",
        data='{"kind": "complaint_filed", "occurred_on": "2024-03-01", '
        '"details": {"grounds": "delay", "body": "OIC \\ud83d"}}',
        headers=headers,
    )
    assert complaint.status_code == 422 and complaint.get_json()["field"] == "details.body"


def test_file_names_outside_latin1_download(client, site):
    letter = client.get(f"/files/{site['attachment']}")
    assert letter.status_code == 200 and letter.data == b"%PDF-1.4"
    disposition = letter.headers["Content-Disposition"]
    assert "filename*=UTF-8''" + quote("Требование №5 — 中文.pdf") in disposition
    report = client.get(f"/imports/{site['import']}/report.csv")
    assert report.status_code in (200, 404)
    # Map the columns, so the dry run's report exists and carries the upload's name.
    mapping = {
        **form_fields(client, f"/imports/{site['import']}"),
        "file_number": "file",
        "received_on": "received",
        "default_institution": "GRC",
        "default_law": "ca-atia",
        "date_format": "iso",
    }
    assert post_form(client, f"/imports/{site['import']}", mapping).status_code == 302
    report = client.get(f"/imports/{site['import']}/report.csv")
    assert report.status_code == 200
    disposition = report.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''" + quote("Запросы 2024-problems.csv") in disposition
    disposition.encode("latin-1")  # a header a server can send


def test_a_100000_day_extension_is_refused_beside_the_field_as_in_the_api(app, client, site):
    url = f"/requests/{site['request']}/events/new?kind=extension"
    fields = {
        **form_fields(client, url),
        "occurred_on": "2024-02-25",
        "days": "100000",
        "reason": "volume",
    }
    before = entries(app)
    response = post_form(client, url, fields)
    assert response.status_code == 200
    error = page(response).select_one("#days-error")
    assert error is not None and "3650" in error.get_text()
    assert page(response).select_one("#days")["value"] == "100000"  # kept as typed
    api = client.post(
        f"/api/v1/requests/{site['request']}/events",
        json={
            "kind": "extension",
            "occurred_on": "2024-02-25",
            "details": {"days": 100000, "reason": "volume"},
        },
        headers=bearer(site["token"]),
    )
    assert api.status_code == 422 and api.get_json()["field"] == "details.days"
    assert "3650" in api.get_json()["reason"]
    assert entries(app) == before


@FAST
@given(data=st.data())
def test_every_form_takes_generated_text_without_a_500(client, site, data):
    url = data.draw(st.sampled_from(form_pages(site)), label="form")
    fields = form_fields(client, url)
    changed = data.draw(
        st.dictionaries(st.sampled_from(sorted(fields)), FORM_TEXT, min_size=1), label="fields"
    )
    response = post_form(client, url, {**fields, **changed})
    assert response.status_code < 500, (url, changed)


@FAST
@given(data=st.data())
def test_every_query_string_takes_generated_text_without_a_500(client, site, data):
    pages = get_pages(site)
    url = data.draw(st.sampled_from(sorted(pages)), label="page")
    params = data.draw(
        st.dictionaries(st.sampled_from(pages[url]), FORM_TEXT, min_size=1), label="params"
    )
    joiner = "&" if "?" in url else "?"
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
    response = client.get(f"{url}{joiner}{query}")
    assert response.status_code < 500, (url, params)


@FAST
@given(data=st.data())
def test_every_api_body_takes_generated_json_without_a_500(client, site, data):
    r = site["request"]
    method, url, known = data.draw(
        st.sampled_from(
            [
                ("POST", "/api/v1/requests", ("title", "institution_id", "received_on", "text")),
                ("PATCH", f"/api/v1/requests/{r}", ("title", "received_on", "file_number")),
                ("POST", f"/api/v1/requests/{r}/events", ("kind", "occurred_on", "note")),
            ]
        ),
        label="endpoint",
    )
    body = data.draw(
        st.dictionaries(st.sampled_from(known) | JSON_TEXT, JSON_VALUE, max_size=4) | JSON_VALUE,
        label="body",
    )
    if method == "POST" and url.endswith("/events") and isinstance(body, dict):
        body.setdefault("kind", data.draw(st.sampled_from(sorted(service.REPORTER_KINDS))))
        body.setdefault("occurred_on", "2024-03-01")
        body.setdefault("details", data.draw(st.dictionaries(JSON_TEXT, JSON_VALUE, max_size=3)))
    response = client.open(
        url,
        method=method,
        data=json.dumps(body),
        headers={**bearer(site["token"]), "Content-Type": "application/json"},
    )
    assert response.status_code < 500, (url, body)
    if response.status_code >= 400:
        answer = response.get_json()
        assert set(answer) <= {"error", "reason", "field"} and answer["reason"]


def test_nul_in_the_login_and_password_forms_is_refused(app, make_user):
    make_user(EDITOR, newsroom="Le Devoir", role="editor")
    anonymous = app.test_client()
    for url in ("/login", "/password/forgot"):
        fields = form_fields(anonymous, url)
        for name in fields:
            token = csrf_token(anonymous, url)
            response = anonymous.post(url, data={**fields, name: NUL, "csrf_token": token})
            assert response.status_code == 400, (url, name, response.status_code)
