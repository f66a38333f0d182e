"""Work at the same moment on one request: derived dates as a sequential run leaves them, and
no edit silently overwriting another (issue 16, parts 2 and 3)."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import InfoRequest, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service

TODAY = date(2024, 6, 3)
PAIRS = 12
EXTENSION = service.EventData(
    "extension",
    date(2024, 2, 20),
    details={"days": 30, "reason": "volume", "commissioner_notified": True},
)
RESPONSE = service.EventData("final_response", date(2024, 3, 25), details={"outcome": "partial"})


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def editor(app, make_user) -> User:
    return make_user("ed@example.org", newsroom="Le Devoir", role="editor", name="Ed")


def _requests(app, user: User, count: int) -> tuple[int, list[int]]:
    with app.app_context(), db.transaction() as session:
        institution = create_institution(
            session, user.newsroom_id, InstitutionData("GRC", "ca-atia", "QC")
        )
        ids = [
            service.create_request(
                session,
                session.get(User, user.id),
                service.RequestData(
                    institution_id=institution.id,
                    title=f"Request {n}",
                    received_on=date(2024, 2, 1),
                ),
                TODAY,
            ).id
            for n in range(count)
        ]
        return institution.id, ids


def _add(app, user_id: int, request_id: int, entry: service.EventData, start, errors) -> None:
    """One person's browser: the request read when the form opened, then the entry saved."""
    try:
        with app.app_context():
            session = db.session()
            user = session.get(User, user_id)
            loaded = service.load_request(session, request_id)
            start.wait(30)
            with db.transaction() as tx:
                service.add_event(
                    tx,
                    user,
                    loaded,
                    entry,
                    TODAY,
                    LocalStorage(app.config["ATTACHMENTS_DIR"]),
                    1024,
                )
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)


def test_an_extension_and_a_response_at_once_leave_the_sequential_dates(app, editor, monkeypatch):
    _, ids = _requests(app, editor, PAIRS)
    real_facts = service.event_facts

    def slow_facts(events):
        # Widen the window between reading the timeline and storing what it gives, as a
        # loaded server does; the answer must not depend on it.
        time.sleep(0.01)
        return real_facts(events)

    monkeypatch.setattr(service, "event_facts", slow_facts)
    errors: list[BaseException] = []
    for request_id in ids:
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=_add, args=(app, editor.id, request_id, e, start, errors))
            for e in (EXTENSION, RESPONSE)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    monkeypatch.undo()

    with app.app_context():
        session = db.session()
        wrong = []
        for request_id in ids:
            stored = session.get(InfoRequest, request_id)
            assert sorted(e.kind for e in stored.events) == [
                "extension",
                "filed",
                "final_response",
            ]
            derived = service.state_of(stored, TODAY)
            got = (stored.status, stored.due_on, stored.complaint_due_on, stored.responded_on)
            want = (derived.status, derived.due_on, derived.complaint_due_on, derived.responded_on)
            if got != want:
                wrong.append((request_id, got, want))
        assert wrong == [], f"{len(wrong)} of {PAIRS} pairs stored other dates"
        # And they are those of a sequential run: the extension moved the due date.
        first = session.get(InfoRequest, ids[0])
        assert first.status == "answered" and first.due_on > date(2024, 3, 4)


# --- No lost update (part 3) ------------------------------------------------------------------


def _edit_form(client, request_id: int) -> dict[str, str]:
    soup = page(client.get(f"/requests/{request_id}/edit"))
    form = soup.select_one("main form[method=post]")
    fields: dict[str, str] = {}
    for tag in form.select("input[name], textarea[name], select[name]"):
        if tag.get("type") == "submit":
            continue
        if tag.name == "select":
            chosen = tag.select_one("option[selected]")
            fields[tag["name"]] = chosen.get("value", "") if chosen else ""
        elif tag.name == "textarea":
            fields[tag["name"]] = tag.get_text().lstrip("\n")
        else:
            fields[tag["name"]] = tag.get("value", "")
    return fields


def _login(app, email: str):
    from tests.conftest import AuthActions

    browser = app.test_client()
    AuthActions(browser).login(email)
    return browser


def test_an_edit_from_a_stale_form_comes_back_with_both_versions(app, editor, make_user):
    make_user("rita@example.org", newsroom="Le Devoir", role="editor", name="Rita")
    _, (request_id,) = _requests(app, editor, 1)
    ed, rita = _login(app, "ed@example.org"), _login(app, "rita@example.org")
    ed_form = _edit_form(ed, request_id)  # Ed opens the form...
    rita_form = _edit_form(rita, request_id)
    assert ed_form["version"] == rita_form["version"] == "1"
    # ...Rita saves a new title and file number first.
    saved = rita.post(
        f"/requests/{request_id}/edit",
        data={**rita_form, "title": "Rita's title", "file_number": "A-2024-7"},
    )
    assert saved.status_code == 302
    # Ed's save, from the form opened before: refused, both versions shown, his kept.
    refused = ed.post(
        f"/requests/{request_id}/edit", data={**ed_form, "title": "Ed's title", "text": "More"}
    )
    assert refused.status_code == 200
    soup = page(refused)
    assert "Someone else changed this request" in soup.select_one(".form-errors").get_text()
    assert soup.select_one("#title")["value"] == "Ed's title"
    assert "Rita's title" in soup.select_one("#title-theirs").get_text()
    assert "A-2024-7" in soup.select_one("#file_number-theirs").get_text()
    assert soup.select_one("#text-theirs") is not None  # Rita left the text empty, Ed did not
    assert soup.select_one("#received_on-theirs") is None  # the same in both
    with app.app_context():
        stored = db.session().get(InfoRequest, request_id)
        assert (stored.title, stored.file_number, stored.text, stored.version) == (
            "Rita's title",
            "A-2024-7",
            "",
            2,
        )
    # Having seen Rita's version, Ed saves again from the page he got back: it goes through.
    again = _edit_form_from(soup)
    assert again["version"] == "2"
    assert ed.post(f"/requests/{request_id}/edit", data=again).status_code == 302
    with app.app_context():
        stored = db.session().get(InfoRequest, request_id)
        assert (stored.title, stored.file_number, stored.version) == ("Ed's title", None, 3)


def _edit_form_from(soup) -> dict[str, str]:
    fields = {}
    for tag in soup.select("main form[method=post] input[name], main form textarea[name]"):
        if tag.get("type") != "submit":
            fields[tag["name"]] = (
                tag.get_text().lstrip("\n") if tag.name == "textarea" else tag.get("value", "")
            )
    for tag in soup.select("main form[method=post] select[name]"):
        chosen = tag.select_one("option[selected]")
        fields[tag["name"]] = chosen.get("value", "") if chosen else ""
    return fields


def test_an_api_update_with_an_old_version_is_a_409(app, client, editor):
    from api_helpers import bearer, token

    _, (request_id,) = _requests(app, editor, 1)
    headers = bearer(token(app, "ed@example.org"))
    read = client.get(f"/api/v1/requests/{request_id}", headers=headers).get_json()
    assert read["version"] == 1
    first = client.patch(
        f"/api/v1/requests/{request_id}", json={"title": "First", "version": 1}, headers=headers
    )
    assert first.status_code == 200 and first.get_json()["version"] == 2
    stale = client.patch(
        f"/api/v1/requests/{request_id}", json={"title": "Second", "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    answer: dict[str, Any] = stale.get_json()
    assert answer["error"] == "Conflict" and answer["field"] == "version"
    assert "version 2" in answer["reason"]
    with app.app_context():
        assert (
            db.session().scalar(sa.select(InfoRequest.title).where(InfoRequest.id == request_id))
            == "First"
        )
    bad = client.patch(f"/api/v1/requests/{request_id}", json={"version": "two"}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["field"] == "version"


def test_two_api_updates_of_different_fields_at_once_keep_both(app, editor, monkeypatch):
    from api_helpers import bearer, token

    from tracker.api import views as api_views

    _, ids = _requests(app, editor, 6)
    headers = bearer(token(app, "ed@example.org"))
    real_body = api_views._json_body

    def slow_body():
        # Between reading the request and writing it, as on a loaded server.
        time.sleep(0.02)
        return real_body()

    monkeypatch.setattr(api_views, "_json_body", slow_body)
    errors: list[BaseException] = []

    def patch(request_id: int, body: dict[str, Any], start) -> None:
        try:
            start.wait(30)
            answer = app.test_client().patch(
                f"/api/v1/requests/{request_id}", json=body, headers=headers
            )
            assert answer.status_code == 200, answer.get_json()
        except BaseException as exc:  # pragma: no cover - reported by the test
            errors.append(exc)

    for request_id in ids:
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=patch, args=(request_id, body, start))
            for body in ({"title": "New title"}, {"file_number": f"F-{request_id}"})
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    with app.app_context():
        rows = db.session().execute(
            sa.select(
                InfoRequest.id, InfoRequest.title, InfoRequest.file_number, InfoRequest.version
            ).where(InfoRequest.id.in_(ids))
        )
        assert sorted(rows) == [(i, "New title", f"F-{i}", 3) for i in ids]
