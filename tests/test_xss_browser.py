"""Every text field is escaped: a real browser visits every page that shows stored script
payloads and no dialog ever opens. The browser ignores the Content-Security-Policy here
(bypass_csp), so the test proves the escaping itself, not only the CSP behind it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from api_helpers import token, user_by_email

from tests.conftest import PASSWORD, AuthActions, browser_login
from tracker.auth.service import NewUser, create_user
from tracker.core import clock, db
from tracker.core.models import Alert
from tracker.feeds.service import issue_feed
from tracker.files.storage import LocalStorage
from tracker.imports.store import UploadStore
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
BOTH = f"{SCRIPT} {IMG}"
EDITOR = "editor@example.org"
TODAY = date(2024, 3, 20)


def store_payloads(app: Any) -> dict[str, Any]:
    """A newsroom whose every text field holds the two payloads."""
    with app.app_context(), db.transaction() as session:
        editor = create_user(
            session,
            NewUser(
                email=EDITOR,
                newsroom=f"Newsroom {BOTH}",
                password=PASSWORD,
                name=f"Ed {BOTH}",
                role="editor",
            ),
        )
        session.flush()
        first = create_institution(
            session, editor.newsroom_id, InstitutionData(name=f"A {SCRIPT}", law_code="ca-atia")
        )
        second = create_institution(
            session, editor.newsroom_id, InstitutionData(name=f"B {IMG}", law_code="ca-on-fippa")
        )
        ids: dict[str, Any] = {"institution": first.id}
        files = LocalStorage(app.config["ATTACHMENTS_DIR"])
        for institution in (first, second):
            request = service.create_request(
                session,
                editor,
                service.RequestData(
                    institution_id=institution.id,
                    title=f"Title {BOTH}",
                    received_on=date(2024, 1, 10),
                    text=f"Text {BOTH}",
                    file_number=f"{IMG}{institution.id}",
                ),
                TODAY,
            )
            ids.setdefault("request", request.id)
            loaded = service.load_request(session, request.id)
            note = service.add_event(
                session,
                editor,
                loaded,
                service.EventData(
                    kind="note",
                    occurred_on=date(2024, 1, 15),
                    note=f"Note {BOTH}",
                    uploads=(
                        service.Upload(f"{IMG}.pdf", "application/pdf", io.BytesIO(b"1")),
                        service.Upload(f"{SCRIPT}.txt", "text/html", io.BytesIO(b"2")),
                    ),
                ),
                TODAY,
                files,
                1024,
            )
            ids.setdefault("event", note.id)
            service.add_event(
                session,
                editor,
                loaded,
                service.EventData(
                    kind="complaint_filed",
                    occurred_on=date(2024, 3, 1),
                    note=f"Complaint {BOTH}",
                    details={"grounds": "delay", "body": f"Body {BOTH}"},
                ),
                TODAY,
                files,
                1024,
            )
        session.add(
            Alert(
                dedupe_key="overdue:xss",
                kind="overdue",
                user_id=editor.id,
                request_id=ids["request"],
                recipient=EDITOR,
                subject=f"Overdue: {BOTH}",
                body_text="x",
                status="failed",
                last_error=f"550 {BOTH}",
            )
        )
        create_user(
            session,
            NewUser(email="r@example.org", newsroom=editor.newsroom.name, password=PASSWORD),
        ).name = f"Rita {IMG}"
        ids["feed"] = issue_feed(session, editor)
        ids["newsroom"] = editor.newsroom_id
        ids["user"] = editor.id
    token(app, EDITOR, name=f"Token {BOTH}")
    ids["import"] = UploadStore(Path(app.instance_path) / "imports").save(
        f'title;"{IMG}"\n"{SCRIPT}";"{IMG}"\n'.encode(),
        {"user_id": ids["user"], "newsroom_id": ids["newsroom"], "filename": f"{IMG}.csv"},
    )
    return ids


@pytest.fixture
def stored(app) -> dict[str, Any]:
    with clock.frozen(TODAY):
        yield store_payloads(app)


def test_no_page_runs_a_stored_script(app, stored, live_server, chromium):
    context = chromium.new_context(bypass_csp=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        browser_login(tab, live_server, EDITOR)
        rid, eid = stored["request"], stored["event"]
        pages = [
            "/",
            "/requests/",
            f"/requests/?q={IMG}",
            f"/requests/{rid}",
            f"/requests/{rid}/edit",
            f"/requests/{rid}/events/{eid}/correct",
            "/institutions/",
            f"/institutions/{stored['institution']}",
            f"/institutions/{stored['institution']}/edit",
            "/scorecards/",
            "/settings/alerts",
            "/settings/tokens",
            "/exports/",
            "/settings/people/",
            f"/imports/{stored['import']}",
        ]
        for path in pages:
            tab.goto(live_server + path)
            text = tab.locator("body").inner_text()
            assert "onerror=alert(1)" in text, f"{path}: the payload is not shown as text"
            injected = tab.evaluate(
                "() => document.querySelectorAll('script:not([src]), img[onerror], [onload]')"
                ".length"
            )
            assert injected == 0, f"{path}: markup from stored text became elements"
        tab.goto(f"{live_server}/requests/{rid}")
        assert SCRIPT in tab.locator("body").inner_text()  # titles and notes shown whole
    finally:
        context.close()
    assert dialogs == [], f"a stored script ran: {dialogs}"
    assert errors == []


def test_feeds_and_csv_files_are_never_html(app, client, stored):
    AuthActions(client).login(EDITOR)
    responses = {
        "feed": client.get(f"/calendar/{stored['feed']}.ics"),
        "export": client.get("/exports/requests.csv"),
        "scorecard": client.get("/scorecards/institutions.csv"),
    }
    with app.app_context():
        assert user_by_email(db.session(), EDITOR).role == "editor"
    expected = {"feed": "text/calendar", "export": "text/csv", "scorecard": "text/csv"}
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert response.mimetype == expected[name], name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert "onerror=alert(1)" in response.get_data(as_text=True), name  # kept, as data
    for name in ("export", "scorecard"):
        assert responses[name].headers["Content-Disposition"].startswith("attachment"), name
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Alert)) == 1
