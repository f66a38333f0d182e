"""JSON API: tokens, requests (list, read, create, update), timeline entries, deadlines,
institutions, newsroom isolation and JSON errors."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from tests import api_helpers as h
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import ApiToken, InfoRequest, TimelineEvent
from tracker.requests.service import MAX_EXTENSION_DAYS, REPORTER_KINDS
from tracker.timeline import kinds

REPORTER = "reporter@example.org"
COLLEAGUE = "colleague@example.org"
EDITOR = "editor@example.org"
OTHER = "other@example.org"  # another newsroom


@pytest.fixture
def frozen_today():
    """Fix "today" so deadlines do not drift."""
    with clock.frozen(h.TODAY) as day:
        yield day


@pytest.fixture
def people(app, frozen_today):
    h.quick_user(app, REPORTER, name="Marie Reporter")
    h.quick_user(app, COLLEAGUE, name="Luc Colleague")
    h.quick_user(app, EDITOR, name="Ed Editor", role="editor")
    h.quick_user(app, OTHER, name="Olga Other", newsroom="Le Devoir")


@pytest.fixture
def key(app, people):
    """The reporter's Authorization header."""
    return h.bearer(h.token(app, REPORTER))


def error_of(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] and body["reason"]
    if field is not None:
        assert body.get("field") == field, body
    return body


# --- Tokens -------------------------------------------------------------------------------


def test_token_made_in_settings_is_shown_once_stored_hashed_and_revocable(
    app, client, auth, people
):
    auth.login(REPORTER)
    response = auth.post("/settings/tokens", {"name": "newsroom bot"})
    assert response.status_code == 200
    secret = page(response).select_one("#new-token")["value"]
    assert secret.startswith("ati_") and len(secret) > 40
    with app.app_context():
        row = db.session().scalars(sa.select(ApiToken)).one()
        assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert row.name == "newsroom bot" and row.last_used_at is None
    listing = client.get("/settings/tokens")
    assert secret not in listing.get_data(as_text=True)
    assert "newsroom bot" in page(listing).select_one("table.data").get_text()

    assert client.get("/api/v1/institutions", headers=h.bearer(secret)).status_code == 200
    with app.app_context():
        assert db.session().scalars(sa.select(ApiToken)).one().last_used_at is not None

    response = auth.post(f"/settings/tokens/{row.id}/revoke", {})
    assert response.status_code == 302
    error_of(client.get("/api/v1/institutions", headers=h.bearer(secret)), 401)
    assert "Revoked" in page(client.get("/settings/tokens")).select_one("table.data").get_text()


def test_token_needs_a_name_shown_beside_the_field(client, auth, people):
    auth.login(REPORTER)
    soup = page(auth.post("/settings/tokens", {"name": "  "}))
    assert soup.select_one("#name-error") is not None
    assert soup.select_one("#new-token") is None


def test_someone_elses_token_cannot_be_revoked(app, client, auth, people):
    h.token(app, COLLEAGUE)
    auth.login(REPORTER)
    with app.app_context():
        token_id = db.session().scalars(sa.select(ApiToken.id)).one()
    assert auth.post(f"/settings/tokens/{token_id}/revoke", {}).status_code == 404
    with app.app_context():
        assert db.session().scalars(sa.select(ApiToken)).one().revoked_at is None


def test_missing_or_unknown_token_is_401_json(client, people):
    for header in (None, "Bearer", "Bearer ati_unknown", "Basic abc", "Bearer not-a-token"):
        headers = {"Authorization": header} if header else {}
        response = client.get("/api/v1/requests", headers=headers)
        error_of(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_is_not_enough(client, auth, people):
    auth.login(REPORTER)
    error_of(client.get("/api/v1/requests"), 401)


def test_token_of_a_deactivated_user_is_401(app, client, key):
    with app.app_context(), db.transaction() as session:
        h.user_by_email(session, REPORTER).active = False
    error_of(client.get("/api/v1/requests", headers=key), 401)


# --- Create and read ------------------------------------------------------------------------


def test_create_request_computes_deadline_and_reads_back(app, client, key):
    inst = h.institution(app, REPORTER)
    response = client.post(
        "/api/v1/requests",
        headers=key,
        json={
            "institution_id": inst,
            "title": "Clearview AI",
            "received_on": "2024-02-01",
            "sent_on": "2024-02-01",
            "file_number": "A-1",
            "text": "All records.",
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/requests/{body['id']}"
    # ca-atia: day 30 is Saturday 2024-03-02, rolled to Monday 2024-03-04 (RULES.md vector).
    assert body["due_on"] == "2024-03-04"
    assert body["status"] == "overdue" and body["lateness"]["calendar_days_late"] == 16
    assert body["law"]["code"] == "ca-atia" and body["can_edit"] is True
    steps = body["deadline"]["steps"]
    assert any("Access to Information Act s.7" in s["text"] for s in steps)
    assert any(s["label"] == "Roll" for s in steps) or "2024-03-02" in body["deadline"]["text"]
    assert body["deadline"]["complaint"]["trigger"] == "deemed refusal"
    assert [e["kind"] for e in body["timeline"]] == ["filed"]
    with app.app_context():
        row = db.session().get(InfoRequest, body["id"])
        assert row.owner.email == REPORTER and row.due_on == date(2024, 3, 4)

    again = client.get(body["url"], headers=key)
    assert again.status_code == 200 and again.get_json() == body


CREATE_REFUSALS = [
    ({"title": "x", "received_on": "2024-02-01"}, "institution_id"),
    ({"institution_id": "INST", "received_on": "2024-02-01"}, "title"),
    ({"institution_id": "INST", "title": "   ", "received_on": "2024-02-01"}, "title"),
    ({"institution_id": "INST", "title": "x", "received_on": "01/02/2024"}, "received_on"),
    ({"institution_id": "INST", "title": "x", "received_on": "2024-02-30"}, "received_on"),
    ({"institution_id": "INST", "title": "x", "received_on": "2024-04-01"}, "received_on"),
    (
        {
            "institution_id": "INST",
            "title": "x",
            "received_on": "2024-02-01",
            "sent_on": "2024-02-05",
        },
        "received_on",
    ),
    (
        {"institution_id": "INST", "title": "x", "received_on": "2024-02-01", "law_code": "narnia"},
        "law_code",
    ),
    ({"institution_id": "INST", "title": "x" * 301, "received_on": "2024-02-01"}, "title"),
    (
        {"institution_id": "INST", "title": "x", "received_on": "2024-02-01", "colour": "red"},
        "colour",
    ),
    ({"institution_id": "OTHER", "title": "x", "received_on": "2024-02-01"}, "institution_id"),
]


def test_create_refusals_name_the_field_and_write_nothing(app, client, key):
    mine, theirs = h.institution(app, REPORTER), h.institution(app, OTHER)
    for payload, field in CREATE_REFUSALS:
        payload = {
            k: {"INST": mine, "OTHER": theirs}.get(v, v) if isinstance(v, str) else v
            for k, v in payload.items()
        }
        error_of(client.post("/api/v1/requests", headers=key, json=payload), 422, field)
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count(InfoRequest.id))) == 0


def test_body_that_is_not_a_json_object_is_400(client, key):
    error_of(client.post("/api/v1/requests", headers=key, data="title=x"), 400)
    error_of(client.post("/api/v1/requests", headers=key, json=[1, 2]), 400)


def test_duplicate_file_number_is_refused(app, client, key):
    inst = h.institution(app, REPORTER)
    h.info_request(app, REPORTER, inst, file_number="A-1")
    error_of(
        client.post(
            "/api/v1/requests",
            headers=key,
            json={
                "institution_id": inst,
                "title": "x",
                "received_on": "2024-02-01",
                "file_number": "A-1",
            },
        ),
        422,
        "file_number",
    )


def test_unknown_path_and_method_answer_json(client, key):
    error_of(client.get("/api/v1/nothing-here", headers=key), 404)
    error_of(client.delete("/api/v1/requests/1", headers=key), 405)
    error_of(client.get("/api/v1/requests/999", headers=key), 404)


# --- List -----------------------------------------------------------------------------------


def test_list_filters_like_the_list_page_and_pages_with_a_next_link(app, client, key):
    rcmp = h.institution(app, REPORTER)
    cbsa = h.institution(app, REPORTER, name="Canada Border Services Agency")
    for n in range(27):
        h.info_request(app, REPORTER, rcmp, title=f"Old request {n}")
    recent = h.info_request(
        app, REPORTER, cbsa, title="Detention records", received_on=date(2024, 3, 15)
    )
    h.info_request(app, OTHER, h.institution(app, OTHER), title="Other newsroom")

    first = client.get("/api/v1/requests", headers=key).get_json()
    assert first["total"] == 28 and first["pages"] == 2 and len(first["items"]) == 25
    assert first["links"]["prev"] is None
    second_response = client.get(first["links"]["next"], headers=key)
    second = second_response.get_json()
    assert second["page"] == 2 and len(second["items"]) == 3 and second["links"]["next"] is None
    ids = {i["id"] for i in first["items"]} | {i["id"] for i in second["items"]}
    assert len(ids) == 28
    assert all(i["title"] != "Other newsroom" for i in first["items"] + second["items"])

    awaiting = client.get("/api/v1/requests?status=awaiting", headers=key).get_json()
    assert [i["id"] for i in awaiting["items"]] == [recent]
    by_institution = client.get(f"/api/v1/requests?institution={cbsa}", headers=key).get_json()
    assert [i["id"] for i in by_institution["items"]] == [recent]
    searched = client.get("/api/v1/requests?q=detention", headers=key).get_json()
    assert [i["id"] for i in searched["items"]] == [recent]
    overdue = client.get(
        "/api/v1/requests?overdue=true&sort=received&page=2", headers=key
    ).get_json()
    assert overdue["total"] == 27 and len(overdue["items"]) == 2
    assert (
        "overdue=true" in overdue["links"]["prev"] and "sort=received" in overdue["links"]["prev"]
    )


LIST_REFUSALS = [
    ("status=lost", "status"),
    ("law=narnia", "law"),
    ("institution=abc", "institution"),
    ("page=0", "page"),
    ("page=%C2%B2", "page"),
    ("sort=random", "sort"),
    ("overdue=maybe", "overdue"),
    ("colour=red", "colour"),
    ("q=%00", "q"),
]


def test_list_refuses_filters_that_do_not_parse(client, key):
    for query, field in LIST_REFUSALS:
        error_of(client.get(f"/api/v1/requests?{query}", headers=key), 400, field)


# --- Newsroom isolation and permissions -----------------------------------------------------


def test_another_newsrooms_request_and_institution_are_404(app, client, people):
    inst = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, inst)
    theirs = h.bearer(h.token(app, OTHER))
    for path in (
        f"/api/v1/requests/{rid}",
        f"/api/v1/requests/{rid}/deadline",
        f"/api/v1/institutions/{inst}",
    ):
        error_of(client.get(path, headers=theirs), 404)
    error_of(client.patch(f"/api/v1/requests/{rid}", headers=theirs, json={"title": "x"}), 404)
    error_of(
        client.post(
            f"/api/v1/requests/{rid}/events",
            headers=theirs,
            json={"kind": "note", "occurred_on": "2024-03-01"},
        ),
        404,
    )
    assert client.get("/api/v1/requests", headers=theirs).get_json()["total"] == 0
    assert client.get("/api/v1/institutions", headers=theirs).get_json()["items"] == []
    with app.app_context():
        row = db.session().get(InfoRequest, rid)
        assert row.title == "Clearview AI" and len(row.events) == 1


def test_reporters_change_only_their_own_requests_editors_any(app, client, people):
    rid = h.info_request(app, REPORTER, h.institution(app, REPORTER))
    colleague = h.bearer(h.token(app, COLLEAGUE))
    assert client.get(f"/api/v1/requests/{rid}", headers=colleague).get_json()["can_edit"] is False
    error_of(
        client.patch(f"/api/v1/requests/{rid}", headers=colleague, json={"title": "Mine now"}), 403
    )
    error_of(
        client.post(
            f"/api/v1/requests/{rid}/events",
            headers=colleague,
            json={"kind": "note", "occurred_on": "2024-03-01"},
        ),
        403,
    )
    editor = h.bearer(h.token(app, EDITOR))
    response = client.patch(f"/api/v1/requests/{rid}", headers=editor, json={"title": "Edited"})
    assert response.status_code == 200 and response.get_json()["title"] == "Edited"


# --- Update ---------------------------------------------------------------------------------


def test_update_changes_only_the_fields_sent_and_recomputes_the_deadline(app, client, key):
    inst = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, inst, file_number="A-1")
    response = client.patch(
        f"/api/v1/requests/{rid}",
        headers=key,
        json={"received_on": "2024-03-01", "title": "Clearview AI, again"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["title"] == "Clearview AI, again" and body["file_number"] == "A-1"
    assert body["received_on"] == "2024-03-01" and body["due_on"] == "2024-04-02"
    assert body["status"] == "awaiting"
    notes = [e for e in body["timeline"] if e["kind"] == "note"]
    assert notes and "received on" in notes[-1]["note"]
    cleared = client.patch(
        f"/api/v1/requests/{rid}", headers=key, json={"file_number": None}
    ).get_json()
    assert cleared["file_number"] is None

    error_of(
        client.patch(f"/api/v1/requests/{rid}", headers=key, json={"title": None}), 422, "title"
    )
    error_of(
        client.patch(f"/api/v1/requests/{rid}", headers=key, json={"received_on": "2030-01-01"}),
        422,
        "received_on",
    )


# --- Timeline entries -----------------------------------------------------------------------


def test_extension_entry_moves_the_due_date_and_is_checked(app, client, key):
    rid = h.info_request(app, REPORTER, h.institution(app, REPORTER))
    response = client.post(
        f"/api/v1/requests/{rid}/events",
        headers=key,
        json={
            "kind": "extension",
            "occurred_on": "2024-02-20",
            "note": "Letter of 20 Feb.",
            "details": {"days": 45, "reason": "volume", "commissioner_notified": False},
        },
    )
    assert response.status_code == 201, response.get_json()
    entry = response.get_json()
    assert entry["kind"] == "extension" and entry["details"]["days"] == 45
    assert entry["details"]["notice_on"] == "2024-02-20"
    assert entry["recorded_by"]["name"] == "Marie Reporter"
    deadline = client.get(f"/api/v1/requests/{rid}/deadline", headers=key).get_json()
    assert deadline["extension_days"] == 45
    assert any(s["label"] == "Extension" for s in deadline["steps"])
    # ATIA s.9(2): more than 30 days needs notice to the Commissioner.
    problems = deadline["extensions"][0]["problems"]
    assert any("9(2)" in p["citation"] for p in problems)
    with app.app_context():
        assert db.session().get(InfoRequest, rid).due_on == date.fromisoformat(deadline["due_on"])
        assert date.fromisoformat(deadline["due_on"]) > date(2024, 3, 4)


ENTRY_REFUSALS = [
    ({"kind": "filed", "occurred_on": "2024-02-10"}, "kind"),
    ({"kind": "note"}, "occurred_on"),
    ({"kind": "note", "occurred_on": "2024-03-21"}, "occurred_on"),
    ({"kind": "acknowledgement", "occurred_on": "2024-01-10"}, "occurred_on"),
    ({"kind": "withdrawn", "occurred_on": "2024-01-10"}, "occurred_on"),
    (
        {
            "kind": "extension",
            "occurred_on": "2024-02-10",
            "details": {"days": 0, "reason": "volume"},
        },
        "details.days",
    ),
    (
        {
            "kind": "extension",
            "occurred_on": "2024-02-10",
            "details": {"days": 30, "reason": "boredom"},
        },
        "details.reason",
    ),
    (
        {
            "kind": "extension",
            "occurred_on": "2024-02-10",
            "details": {"days": 30, "reason": "volume", "notice_on": "2024-01-01"},
        },
        "details.notice_on",
    ),
    ({"kind": "final_response", "occurred_on": "2024-02-10", "details": {}}, "details.outcome"),
    (
        {"kind": "note", "occurred_on": "2024-02-10", "details": {"outcome": "full"}},
        "details.outcome",
    ),
    (
        {
            "kind": "complaint_finding",
            "occurred_on": "2024-02-10",
            "details": {"finding": "well_founded"},
        },
        "kind",
    ),
    ({"kind": "note", "occurred_on": "2024-02-10", "corrects_id": 999}, "corrects_id"),
]


def test_entry_refusals_name_the_field_and_write_nothing(app, client, key):
    rid = h.info_request(app, REPORTER, h.institution(app, REPORTER))
    for payload, field in ENTRY_REFUSALS:
        error_of(
            client.post(f"/api/v1/requests/{rid}/events", headers=key, json=payload), 422, field
        )
    with app.app_context():
        kinds = db.session().scalars(sa.select(TimelineEvent.kind)).all()
    assert kinds == ["filed"]


def test_final_response_then_correction(app, client, key):
    rid = h.info_request(app, REPORTER, h.institution(app, REPORTER))
    first = client.post(
        f"/api/v1/requests/{rid}/events",
        headers=key,
        json={
            "kind": "final_response",
            "occurred_on": "2024-02-28",
            "details": {"outcome": "partial", "pages": 12},
        },
    ).get_json()
    body = client.get(f"/api/v1/requests/{rid}", headers=key).get_json()
    assert body["status"] == "answered" and body["responded_on"] == "2024-02-28"
    assert body["deadline"]["complaint"]["trigger"] == "response"

    error_of(
        client.post(
            f"/api/v1/requests/{rid}/events",
            headers=key,
            json={"kind": "note", "occurred_on": "2024-03-01", "corrects_id": first["id"]},
        ),
        422,
        "kind",
    )
    fixed = client.post(
        f"/api/v1/requests/{rid}/events",
        headers=key,
        json={
            "kind": "final_response",
            "occurred_on": "2024-03-08",
            "corrects_id": first["id"],
            "details": {"outcome": "full"},
        },
    )
    assert fixed.status_code == 201
    body = client.get(f"/api/v1/requests/{rid}", headers=key).get_json()
    assert body["responded_on"] == "2024-03-08" and body["lateness"]["is_late"] is True
    original = next(e for e in body["timeline"] if e["id"] == first["id"])
    assert original["corrected_by_id"] == fixed.get_json()["id"]


# --- Institutions and the OpenAPI document --------------------------------------------------


def test_institutions_list_and_read(app, client, key):
    inst = h.institution(app, REPORTER, name="Ontario Provincial Police", law_code="ca-on-fippa")
    items = client.get("/api/v1/institutions", headers=key).get_json()["items"]
    assert [(i["id"], i["name"], i["law_code"]) for i in items] == [
        (inst, "Ontario Provincial Police", "ca-on-fippa")
    ]
    one = client.get(f"/api/v1/institutions/{inst}", headers=key).get_json()
    assert one == items[0]


def test_openapi_document_describes_every_route_without_a_token(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1")
    described = {
        (path, method.upper())
        for path, item in doc["paths"].items()
        for method in item
        if method != "parameters"
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi_document":
            path = rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace(">", "}")
            routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert described == routes
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                assert "401" in operation["responses"], (path, method)


def test_the_api_takes_no_csrf_token(client, key, app):
    app.config["WTF_CSRF_ENABLED"] = True
    inst = h.institution(app, REPORTER)
    response = client.post(
        "/api/v1/requests",
        headers=key,
        json={"institution_id": inst, "title": "x", "received_on": "2024-02-01"},
    )
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers


def test_bc_permission_needs_its_date_and_windows_are_served(app, client, key):
    inst = h.institution(app, REPORTER, name="Ministry of Health", law_code="ca-bc-fippa")
    rid = h.info_request(app, REPORTER, inst)
    details = {"days": 45, "reason": "volume", "commissioner_permission": True}
    refused = client.post(
        f"/api/v1/requests/{rid}/events",
        headers=key,
        json={"kind": "extension", "occurred_on": "2024-02-20", "details": details},
    )
    # Named under details, as every other fact of an entry (it was the bare name).
    error_of(refused, 422, "details.commissioner_permission_on")
    deadline = client.get(f"/api/v1/requests/{rid}/deadline", headers=key).get_json()
    # BC FIPPA s.53(3): no time limit to ask for a review of a failure to respond.
    assert [w["kind"] for w in deadline["windows"]] == ["no-limit"]
    assert "s.53(3)" in deadline["windows"][0]["citation"]
    details["commissioner_permission_on"] = "2024-02-19"
    added = client.post(
        f"/api/v1/requests/{rid}/events",
        headers=key,
        json={"kind": "extension", "occurred_on": "2024-02-20", "details": details},
    )
    assert added.status_code == 201, added.get_json()
    deadline = client.get(f"/api/v1/requests/{rid}/deadline", headers=key).get_json()
    assert deadline["extensions"][0]["days_counted"] == 45
    assert deadline["extensions"][0]["permission_on"] == "2024-02-19"


# --- Typed models: strict reading, and the document generated from the same models ------------

STRICT_REFUSALS = [
    (
        "POST",
        "",
        {"institution_id": "INST", "title": "x", "received_on": "2024-02-01"},
        "institution_id",
    ),
    (
        "POST",
        "",
        {"institution_id": True, "title": "x", "received_on": "2024-02-01"},
        "institution_id",
    ),
    ("POST", "", {"institution_id": 1, "title": 5, "received_on": "2024-02-01"}, "title"),
    ("POST", "", {"institution_id": 1, "title": "a\x00b", "received_on": "2024-02-01"}, "title"),
    ("POST", "", {"institution_id": 1, "title": "x", "received_on": 20240201}, "received_on"),
    ("POST", "", {"institution_id": 1, "title": "x", "received_on": "2024-2-1"}, "received_on"),
    ("POST", "", {"institution_id": 1, "title": "x", "received_on": "20240201"}, "received_on"),
    ("PATCH", "/RID", {"version": True}, "version"),
    ("PATCH", "/RID", {"text": None}, "text"),
    ("PATCH", "/RID", {"sent_on": "2024-02-30"}, "sent_on"),
    (
        "POST",
        "/RID/events",
        {"kind": "extension", "occurred_on": "2024-02-10", "details": {"days": "30"}},
        "details.days",
    ),
    (
        "POST",
        "/RID/events",
        {
            "kind": "extension",
            "occurred_on": "2024-02-10",
            "details": {"days": 30, "reason": "volume", "commissioner_notified": "yes"},
        },
        "details.commissioner_notified",
    ),
    (
        "POST",
        "/RID/events",
        {"kind": "transfer", "occurred_on": "2024-02-10", "details": {"to_institution": "  "}},
        "details.to_institution",
    ),
    ("POST", "/RID/events", {"kind": "note", "occurred_on": "2024-02-10", "note": 7}, "note"),
    ("POST", "/RID/events", {"occurred_on": "2024-02-10"}, "kind"),
    (
        "POST",
        "/RID/events",
        {"kind": "note", "occurred_on": "2024-02-10", "corrects_id": "1"},
        "corrects_id",
    ),
]


def test_json_types_are_read_strictly_and_each_refusal_names_its_field(app, client, key):
    inst = h.institution(app, REPORTER)
    rid = h.info_request(app, REPORTER, inst)
    for method, path, payload, field in STRICT_REFUSALS:
        payload = {k: str(inst) if v == "INST" else v for k, v in payload.items()}  # "5", not 5
        url = "/api/v1/requests" + path.replace("RID", str(rid))
        body = error_of(client.open(url, method=method, headers=key, json=payload), 422, field)
        assert set(body) == {"error", "reason", "field"} and "pydantic" not in body["reason"]
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count(InfoRequest.id))) == 1
        assert db.session().scalars(sa.select(TimelineEvent.kind)).all() == ["filed"]
        assert db.session().get(InfoRequest, rid).version == 1


def test_a_body_that_is_not_an_object_is_400_on_every_operation(app, client, key):
    rid = h.info_request(app, REPORTER, h.institution(app, REPORTER))
    for method, url in (
        ("PATCH", f"/api/v1/requests/{rid}"),
        ("POST", f"/api/v1/requests/{rid}/events"),
        ("POST", "/api/v1/requests"),
    ):
        for data in ("[]", '"text"', "{not json", "null"):
            response = client.open(
                url, method=method, headers={**key, "Content-Type": "application/json"}, data=data
            )
            error_of(response, 400)


def test_the_document_describes_each_kinds_details_from_the_models(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    mapping = schemas["EventCreate"]["discriminator"]["mapping"]
    assert set(mapping) == set(REPORTER_KINDS)
    for kind in REPORTER_KINDS:
        entry = schemas[mapping[kind].rsplit("/", 1)[1]]
        assert entry["properties"]["kind"]["const"] == kind
        details = schemas[entry["properties"]["details"]["$ref"].rsplit("/", 1)[1]]
        declared = kinds.get(kind)
        assert declared is not None
        assert set(details["properties"]) == {f.name for f in declared.fields}
        assert details["additionalProperties"] is False
    # The same limit as the web form's (tracker.requests.service), read from one place.
    assert schemas["ExtensionDetails"]["properties"]["days"]["maximum"] == MAX_EXTENSION_DAYS
    lateness = schemas["Lateness"]
    assert {"counted_to", "counting"} <= set(lateness["required"])
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    page = next(p for p in doc["paths"]["/requests"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["minimum"] == 1 and page["in"] == "query"
