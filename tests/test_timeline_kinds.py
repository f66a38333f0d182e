"""The registry of timeline kinds (tracker.timeline.kinds): a kind declared once is in the web
form, the API's schema and validation, the timeline and the state derivation; every limit is
the same on the web and in the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from api_helpers import bearer, info_request, institution, quick_user, token
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.conftest import csrf_token, page
from tracker import deadlines
from tracker.api import inputs, openapi
from tracker.core import clock, db
from tracker.core.models import EVENT_KINDS, InfoRequest, TimelineEvent, User
from tracker.timeline import kinds

TODAY = date(2024, 3, 20)
EDITOR = "desk@example.org"

# A kind no law has: declared here only, to show what one declaration brings.
PHONE = kinds.Kind(
    "fee_estimate_by_phone",
    "Fee estimate given by phone",
    fields=(
        kinds.Field(
            "minutes",
            "Minutes on the phone",
            "integer",
            required=True,
            minimum=1,
            maximum=240,
            unit="minutes",
            missing="Enter the minutes.",
        ),
        kinds.Field("spoke_with", "Spoke with", "text", maximum=80),
        kinds.Field("tone", "Tone", "choice", choices={"helpful": "Helpful", "evasive": "Evasive"}),
    ),
    # US FOIA 5 U.S.C. 552(a)(6)(A)(ii)(II): a fee question tolls the clock.
    clock=kinds.Clock(pause_starts="fee"),
)


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[date]:
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def phone_kind() -> Iterator[kinds.Kind]:
    """The throwaway kind, declared for one test."""
    kinds.register(PHONE)
    yield PHONE
    kinds.unregister(PHONE.code)


def _check(codes: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{c}'" for c in codes) + ")"


@pytest.fixture
def database_takes_it(app, phone_kind) -> Iterator[None]:
    """What the new kind's migration does: widen timeline_event's CHECK constraint. PostgreSQL
    alters it (and puts it back); SQLite would rebuild the table, so its check is switched off
    for this test's connections instead."""
    engine = app.extensions["engine"]
    if engine.dialect.name == "sqlite":

        def ignore_checks(connection: Any, _record: Any) -> None:
            connection.execute("PRAGMA ignore_check_constraints = ON")

        sa.event.listen(engine, "connect", ignore_checks)
        engine.dispose()
        yield
        sa.event.remove(engine, "connect", ignore_checks)
        engine.dispose()
        return
    alter = "ALTER TABLE timeline_event DROP CONSTRAINT ck_timeline_event_kind, ADD CONSTRAINT "
    with engine.begin() as conn:
        conn.execute(sa.text(f"{alter}ck_timeline_event_kind CHECK ({_check(kinds.codes())})"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DELETE FROM timeline_event WHERE kind = '{PHONE.code}'"))
            conn.execute(sa.text(f"{alter}ck_timeline_event_kind CHECK ({_check(EVENT_KINDS)})"))


def _post_form(client, url: str, data: dict[str, str]):
    return client.post(
        url,
        data={**data, "csrf_token": csrf_token(client, "/")},
        content_type="multipart/form-data",
    )


def _entries(app) -> int:
    with app.app_context():
        return db.session().scalar(sa.select(sa.func.count()).select_from(TimelineEvent))


def _setup(app, auth, law_code: str) -> tuple[int, str]:
    quick_user(app, EDITOR, role="editor", name="Desk")
    institution_id = institution(app, EDITOR, name="An agency", law_code=law_code)
    request_id = info_request(app, EDITOR, institution_id, received_on=date(2024, 2, 1))
    auth.login(EDITOR)
    return request_id, token(app, EDITOR)


def test_a_kind_declared_once_is_in_the_form_the_api_the_timeline_and_the_clock(
    app, client, auth, database_takes_it
):
    rid, secret = _setup(app, auth, "us-foia")
    code = PHONE.code
    # The request page offers it; its form asks for its fields.
    offered = page(client.get(f"/requests/{rid}")).select(f"option[value={code}]")
    assert [o.get_text() for o in offered] == [PHONE.label]
    url = f"/requests/{rid}/events/new?kind={code}"
    form = page(client.get(url))
    assert form.select_one("h1").get_text(strip=True) == PHONE.label
    assert form.select_one("label[for=minutes]").get_text() == "Minutes on the phone"
    assert form.select_one("#spoke_with")["maxlength"] == "80"
    assert [o["value"] for o in form.select("#tone option")] == ["", "helpful", "evasive"]
    # The API's schema lists it and its limits.
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    entry = schema["EventCreate"]["discriminator"]["mapping"][code].rsplit("/", 1)[1]
    assert schema[entry]["properties"]["kind"]["const"] == code
    assert code in schema["TimelineEvent"]["properties"]["kind"]["enum"]
    details_ref = schema[entry]["properties"]["details"]["$ref"].rsplit("/", 1)[1]
    details = schema[details_ref]["properties"]
    assert details["minutes"]["maximum"] == 240
    assert schema[details_ref]["required"] == ["minutes"]
    assert details["spoke_with"]["anyOf"][0]["maxLength"] == 80
    assert details["tone"]["anyOf"] == [
        {"enum": ["helpful", "evasive"], "type": "string"},
        {"type": "null"},
    ]

    # Over its limit: refused beside the field on the web, 422 naming it in the API.
    before = _entries(app)
    fields = {"occurred_on": "2024-02-10", "minutes": "241", "spoke_with": "", "tone": ""}
    refused = _post_form(client, url, fields)
    assert refused.status_code == 200
    assert "240" in page(refused).select_one("#minutes-error").get_text()
    assert page(refused).select_one("#minutes")["value"] == "241"
    api = client.post(
        f"/api/v1/requests/{rid}/events",
        json={"kind": code, "occurred_on": "2024-02-10", "details": {"minutes": 241}},
        headers=bearer(secret),
    )
    assert api.status_code == 422 and api.get_json()["field"] == "details.minutes"
    assert _entries(app) == before

    # Within it: the timeline reads it, and the clock pauses as its declaration says.
    fields.update(minutes="12", spoke_with="Ms <b>Lee</b>", tone="evasive")
    assert _post_form(client, url, fields).status_code == 302
    entry = page(client.get(f"/requests/{rid}")).select_one(f"li.kind-{code}")
    assert entry.select_one(".entry-kind").get_text() == PHONE.label
    assert entry.select_one(".entry-head + p").get_text() == (
        "12 minutes · Spoke with: Ms <b>Lee</b> · Evasive"
    )
    with app.app_context():
        assert db.session().get(InfoRequest, rid).status == "on_hold"
    added = client.post(
        f"/api/v1/requests/{rid}/events",
        json={"kind": code, "occurred_on": "2024-02-11", "details": {"minutes": 3}},
        headers=bearer(secret),
    )
    assert added.status_code == 201, added.get_json()
    timeline = client.get(f"/api/v1/requests/{rid}", headers=bearer(secret)).get_json()["timeline"]
    assert [e["kind_label"] for e in timeline if e["kind"] == code] == [PHONE.label] * 2
    law = deadlines.LAWS["us-foia"]
    assert kinds.record(code, {"minutes": 3}, law) == "minutes: 3"


def _valid(f: kinds.Field, law: deadlines.Law) -> Any:
    """A value the field takes under ``law``."""
    if f.type == "integer":
        return max(f.minimum, 1)
    if f.type == "choice":
        return f.options(law)[0][0]
    return "x"


def _bounded_fields() -> list[tuple[str, kinds.Field]]:
    """Every reporter kind's fields that have a limit, with their kind."""
    return [
        (k.code, f)
        for k in kinds.every()
        if k.added_by == "reporter"
        for f in k.fields
        if f.maximum is not None
    ]


def test_every_limit_is_the_same_on_the_web_and_in_the_api(app, client, auth):
    rid, secret = _setup(app, auth, "ca-atia")
    law = deadlines.law_in_force("ca-atia", date(2024, 2, 1))
    cases = [(code, f.name, f) for code, f in _bounded_fields()]
    cases.append(
        ("note", "note", kinds.Field("note", "Note", "text", maximum=kinds.NOTE_MAX_LENGTH))
    )
    assert {name for _, name, _ in cases} >= {"days", "amount", "to_institution", "pages", "note"}
    before = _entries(app)
    for code, name, bounded in cases:
        over: Any = (
            bounded.maximum + 1 if bounded.type == "integer" else "x" * (bounded.maximum + 1)
        )
        declared = kinds.get(code)
        assert declared is not None
        details = {f.name: _valid(f, law) for f in declared.fields if f.required}
        if name != "note":
            details[name] = over
        web = {"occurred_on": "2024-02-10", **{k: str(v) for k, v in details.items()}}
        body: dict[str, Any] = {"kind": code, "occurred_on": "2024-02-10", "details": details}
        if name == "note":
            web["note"] = body["note"] = over
        response = _post_form(client, f"/requests/{rid}/events/new?kind={code}", web)
        assert response.status_code == 200, (code, name)
        error = page(response).select_one(f"#{name}-error")
        assert error is not None and str(bounded.maximum) in error.get_text(), (code, name)
        api = client.post(f"/api/v1/requests/{rid}/events", json=body, headers=bearer(secret))
        assert api.status_code == 422, (code, name, api.get_json())
        field = name if name == "note" else f"details.{name}"
        assert api.get_json()["field"] == field, (code, name)
        # The same words in both: the registry's (kinds.Field.refusal).
        assert api.get_json()["reason"] == error.get_text(strip=True), (code, name)
    assert _entries(app) == before


def _set_locale(app, email: str, locale: str) -> None:
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(User).where(User.email == email).values(locale=locale))


@pytest.mark.parametrize(
    ("locale", "days", "words"),
    [
        ("en", "100000", "At most 3650 days."),
        ("en", "99999999999999999999", "At most 3650 days."),
        ("en", "0", "An extension is at least one day."),
        ("en", "30.5", "Must be a whole number."),
        ("fr", "100000", "Au plus 3650 jours."),
        ("fr", "-4", "Une prorogation compte au moins un jour."),
        ("fr", "trente", "Indiquez un nombre entier."),
    ],
)
def test_an_extension_out_of_bounds_is_the_same_clear_error_on_the_web_and_in_the_api(
    app, client, auth, locale, days, words
):
    rid, secret = _setup(app, auth, "ca-atia")
    _set_locale(app, EDITOR, locale)
    before = _entries(app)
    url = f"/requests/{rid}/events/new?kind=extension"
    web = {"occurred_on": "2024-02-10", "days": days, "notice_on": "2024-02-10"}
    refused = _post_form(client, url, web)
    assert refused.status_code == 200
    # One message beside the field, not the limits' messages after a failed conversion.
    assert page(refused).select_one("#days-error").get_text(strip=True) == words
    value: Any = days if not days.lstrip("-").isdigit() else int(days)
    if days == "30.5":
        value = 30.5
    api = client.post(
        f"/api/v1/requests/{rid}/events",
        json={"kind": "extension", "occurred_on": "2024-02-10", "details": {"days": value}},
        headers=bearer(secret),
    )
    assert api.status_code == 422
    assert api.get_json() == {
        "error": "Unprocessable Content",
        "field": "details.days",
        "reason": words,
    }
    assert _entries(app) == before


def test_every_field_a_reporter_types_is_bounded():
    """Integers and text have a maximum, choices their options: nothing unbounded reaches
    the database from either input."""
    for code, f in [(k.code, f) for k in kinds.every() for f in k.fields]:
        if f.type in ("integer", "text"):
            assert f.maximum is not None, (code, f.name)
        if f.type == "choice":
            assert f.every_option(), (code, f.name)


def test_the_database_constraint_lists_every_declared_kind():
    assert kinds.codes() == EVENT_KINDS
    assert set(kinds.REPORTER_KINDS) | {"filed", "deemed_refusal", "imported", "reassigned"} == set(
        EVENT_KINDS
    )


def test_a_declared_kind_reads_in_words_and_a_duplicate_is_refused(phone_kind):
    assert kinds.summary(PHONE.code, {"minutes": 5, "tone": "helpful"}) == "5 minutes · Helpful"
    assert kinds.summary(PHONE.code, {}) == ""
    assert PHONE.code in kinds.pause_kinds("fee")[0]
    with pytest.raises(ValueError, match="already declared"):
        kinds.register(PHONE)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_api_and_the_service_agree_on_every_bounded_number(data):
    """For any whole number, the API's reading and the service's check of a declared integer
    accept it or refuse it together, naming the same field."""
    code, f = data.draw(
        st.sampled_from([(c, f) for c, f in _bounded_fields() if f.type == "integer"])
    )
    value = data.draw(st.integers(min_value=-(2**40), max_value=2**40))
    law = deadlines.law_in_force("ca-atia", date(2024, 2, 1))
    declared = kinds.get(code)
    assert declared is not None
    details = {g.name: _valid(g, law) for g in declared.fields if g.required}
    details[f.name] = value
    body = {"kind": code, "occurred_on": "2024-02-10", "details": details}
    context = kinds.Context("ca-atia", law, date(2024, 2, 1), date(2024, 2, 10), TODAY)
    try:
        inputs.EventCreate.model_validate(body)
        api_refused = None
    except ValidationError as exc:
        api_refused = openapi.refused_field(exc.errors(include_url=False)[0], exc.title)
    try:
        kinds.clean(code, details, context)
        service_refused = None
    except kinds.KindError as exc:
        service_refused = exc.field
    within = f.minimum <= value <= (f.maximum or 0)
    assert (api_refused is None) == within == (service_refused is None), (code, value)
    if not within:
        assert api_refused == f"details.{f.name}" and service_refused == f.name
