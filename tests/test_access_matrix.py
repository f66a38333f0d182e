"""Every URL that takes an id or a secret, tried by the wrong people.

The matrix below must name every such route (the first test fails when a new one is not in
it). Each is tried as a user of another newsroom (404, or their own data only), as a logged-out
visitor (302 to the login page; 401 for the API), with a revoked API token (401), and the
bodies of those answers are searched for the newsroom's confidential words. Then the roles
inside one newsroom: reporters read every request but change only their own; people, failed
alerts, tokens and imports are not theirs to touch.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from api_helpers import bearer, info_request, institution, quick_user, token, user_by_email

from tests.conftest import AuthActions
from tracker.api.service import revoke_token
from tracker.core import clock, db
from tracker.core.models import (
    Alert,
    ApiToken,
    InfoRequest,
    Institution,
    Letter,
    TimelineEvent,
    User,
)
from tracker.feeds.service import issue_feed
from tracker.files.storage import LocalStorage
from tracker.imports.store import UploadStore
from tracker.projects import service as labels
from tracker.requests import service

OWNER = "owner@example.org"
COLLEAGUE = "colleague@example.org"
EDITOR = "editor@example.org"
OUTSIDER = "outsider@ledevoir.test"
# Words only newsroom A's data contains: none may appear in an answer to anyone else.
SECRETS = ("Nightjar", "NIGHTJAR", OWNER, "nightjar-letter")
TODAY = date(2024, 3, 20)


@dataclass
class Ids:
    """Newsroom A's objects, and credentials."""

    request: int = 0
    institution: int = 0
    event: int = 0
    attachment: int = 0
    alert: int = 0
    token_row: int = 0
    owner: int = 0
    colleague: int = 0
    import_token: str = ""
    export_token: str = ""
    feed_secret: str = ""
    owner_token: str = ""
    revoked_token: str = ""
    outsider_token: str = ""
    colleague_token: str = ""
    editor_token: str = ""
    export_job: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(app) -> Ids:
    """Newsroom A (owner, colleague, editor) with a request, a file, an alert, a token, an
    import and a calendar feed; newsroom B with one user."""
    ids = Ids()
    ids.owner = quick_user(app, OWNER, name="Nightjar Owner")
    ids.colleague = quick_user(app, COLLEAGUE, name="Colleague")
    quick_user(app, EDITOR, role="editor", name="Editor")
    quick_user(app, OUTSIDER, newsroom="Le Devoir", role="admin", name="Outsider")
    ids.institution = institution(app, OWNER, name="Nightjar Agency")
    ids.request = info_request(
        app, OWNER, ids.institution, title="Operation Nightjar", file_number="NJ-1"
    )
    with app.app_context(), db.transaction() as session:
        owner = user_by_email(session, OWNER)
        loaded = service.load_request(session, ids.request)
        event = service.add_event(
            session,
            owner,
            loaded,
            service.EventData(
                kind="acknowledgement",
                occurred_on=date(2024, 2, 5),
                note="Nightjar acknowledged",
                uploads=(
                    service.Upload(
                        "nightjar-letter.txt", "text/plain", io.BytesIO(b"NIGHTJAR-FILE")
                    ),
                ),
            ),
            TODAY,
            LocalStorage(app.config["ATTACHMENTS_DIR"]),
            1024,
        )
        ids.event, ids.attachment = event.id, event.attachments[0].id
        alert = Alert(
            dedupe_key="overdue:x",
            kind="overdue",
            user_id=owner.id,
            request_id=ids.request,
            recipient=OWNER,
            subject="Overdue: Operation Nightjar",
            body_text="Nightjar",
            status="failed",
        )
        session.add(alert)
        session.flush()
        ids.alert = alert.id
        ids.feed_secret = issue_feed(session, owner)
        ids.extra["project"] = labels.create_project(
            session, owner, labels.ProjectData("Nightjar project")
        ).id
        letter = Letter(
            newsroom_id=owner.newsroom_id,
            request_id=ids.request,
            kind="follow_up_overdue",
            language="en",
            recipient_email="nightjar@agency.test",
            subject="Nightjar follow-up",
            body="Operation Nightjar: where is the response?",
            created_by_id=owner.id,
        )
        session.add(letter)
        session.flush()
        ids.extra["letter"] = letter.id
    ids.owner_token = token(app, OWNER)
    ids.revoked_token = token(app, OWNER, "old script")
    ids.outsider_token = token(app, OUTSIDER)
    ids.colleague_token = token(app, COLLEAGUE)
    ids.editor_token = token(app, EDITOR)
    with app.app_context(), db.transaction() as session:
        owner = user_by_email(session, OWNER)
        rows = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == owner.id)).all()
        ids.token_row = rows[0].id
        revoke_token(session, owner, rows[1].id, clock.now())
    ids.import_token = UploadStore(Path(app.instance_path) / "imports").save(
        b"file number;title;received\nNJ-2;Operation Nightjar II;2024-01-05\n",
        {"user_id": ids.owner, "newsroom_id": 1, "filename": "nightjar.csv"},
    )
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("institutions.csv", "id,name,law_code\n")
        archive.writestr("requests.csv", "id,title,institution,law_code,received_on\n")
        archive.writestr("timeline.csv", "id,request_id,kind,occurred_on,note,details\n")
    ids.export_token = UploadStore(Path(app.instance_path) / "imports").save(
        export.getvalue(),
        {"user_id": ids.owner, "newsroom_id": 1, "filename": "export.zip", "kind": "export"},
    )
    with app.app_context(), db.transaction() as session:
        from tracker.exports import jobs

        owner = user_by_email(session, OWNER)
        ids.export_job = jobs.request_export(session, owner, TODAY).id
    with app.app_context():
        assert jobs.work(db.session(), app.config) == 1  # a prepared export holding Nightjar
    with app.app_context(), db.transaction() as session:
        from tracker.core.models import ImportJob

        owner = user_by_email(session, OWNER)
        finished = ImportJob(
            newsroom_id=owner.newsroom_id,
            status="done",
            requested_by_id=owner.id,
            token=ids.import_token,
            filename="nightjar-import.csv",
            day=TODAY,
            report={
                "problems": [
                    {
                        "row": 2,
                        "file_number": "NIGHTJAR-1",
                        "severity": "error",
                        "code": "bad_date",
                        "message": "Nightjar",
                    }
                ]
            },
        )
        session.add(finished)
        session.flush()
        ids.extra["import_job"] = finished.id
    with app.app_context(), db.transaction() as session:
        from tests.mail_helpers import message
        from tracker.mail_in import service as mail_in

        context = mail_in.Context(
            newsroom_id=1,
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=1024 * 1024,
            timezone="America/Toronto",
            today=TODAY,
        )
        (mail,) = mail_in.ingest_file(
            session,
            context,
            "nightjar.eml",
            message(
                "Nightjar NJ-1",
                "Nightjar records",
                attachments=(("nightjar-letter.txt", "text/plain", b"NIGHTJAR-FILE"),),
            ),
        )
        ids.extra["mail"] = mail.mail_id
        ids.extra["mail_file"] = session.get(mail_in.MailMessage, mail.mail_id).attachments[0].id
    return ids


@dataclass(frozen=True)
class Case:
    """One route and method with the URL to try; what others get."""

    rule: str
    method: str
    url: str
    data: dict[str, Any] | None = None
    kind: str = "page"  # page: login needed; api: token needed; public: a secret in the URL
    outsider: int = 404  # what a user of another newsroom gets


def matrix(ids: Ids) -> list[Case]:
    """Every route with an id or a secret, aimed at newsroom A's objects."""
    r, i, e = ids.request, ids.institution, ids.event
    letter = ids.extra["letter"]
    import_job = ids.extra["import_job"]
    note = {"occurred_on": "2024-03-01", "note": "x"}
    request_form = {"institution_id": str(i), "title": "Renamed", "received_on": "2024-02-01"}
    institution_form = {"name": "Renamed", "law_code": "ca-atia", "province": ""}
    api_event = {"kind": "note", "occurred_on": "2024-03-01", "note": "x"}
    return [
        Case("/requests/<int:request_id>", "GET", f"/requests/{r}"),
        Case("/requests/<int:request_id>/edit", "GET", f"/requests/{r}/edit"),
        Case("/requests/<int:request_id>/edit", "POST", f"/requests/{r}/edit", request_form),
        Case("/requests/<int:request_id>/events/new", "GET", f"/requests/{r}/events/new"),
        Case(
            "/requests/<int:request_id>/events/new",
            "POST",
            f"/requests/{r}/events/new?kind=note",
            note,
        ),
        Case(
            "/requests/<int:request_id>/events/<int:event_id>/correct",
            "GET",
            f"/requests/{r}/events/{e}/correct",
        ),
        Case(
            "/requests/<int:request_id>/events/<int:event_id>/correct",
            "POST",
            f"/requests/{r}/events/{e}/correct",
            note,
        ),
        Case("/requests/<int:request_id>/packet.zip", "GET", f"/requests/{r}/packet.zip"),
        Case(
            "/requests/<int:request_id>/language",
            "POST",
            f"/requests/{r}/language",
            {"language": "fr"},
        ),
        Case(
            "/requests/<int:request_id>/events/<int:event_id>/files",
            "GET",
            f"/requests/{r}/events/{e}/files",
        ),
        Case(
            "/requests/<int:request_id>/events/<int:event_id>/files",
            "POST",
            f"/requests/{r}/events/{e}/files",
            {},
        ),
        Case("/requests/<int:request_id>/labels", "GET", f"/requests/{r}/labels"),
        Case("/requests/<int:request_id>/numbers", "GET", f"/requests/{r}/numbers"),
        Case("/requests/<int:request_id>/people", "GET", f"/requests/{r}/people"),
        Case("/requests/<int:request_id>/remind", "GET", f"/requests/{r}/remind"),
        Case(
            "/requests/<int:request_id>/remind",
            "POST",
            f"/requests/{r}/remind",
            {"remind_on": "2099-01-01", "note": "x"},
        ),
        Case("/reminders/<int:reminder_id>/delete", "POST", "/reminders/1/delete", {}),
        Case(
            "/requests/<int:request_id>/people",
            "POST",
            f"/requests/{r}/people",
            {"w-user": ids.colleague, "w-submit": "1"},
        ),
        Case(
            "/requests/<int:request_id>/watchers/<int:user_id>/remove",
            "POST",
            f"/requests/{r}/watchers/{ids.owner}/remove",
            {},
        ),
        Case(
            "/requests/<int:request_id>/numbers",
            "POST",
            f"/requests/{r}/numbers",
            {"n-kind": "previous", "n-number": "NJ-0", "n-submit": "1"},
        ),
        Case(
            "/requests/<int:request_id>/numbers/<int:number_id>/remove",
            "POST",
            f"/requests/{r}/numbers/1/remove",
            {},
        ),
        Case(
            "/requests/<int:request_id>/links/<int:link_id>/remove",
            "POST",
            f"/requests/{r}/links/1/remove",
            {},
        ),
        Case(
            "/requests/<int:request_id>/labels",
            "POST",
            f"/requests/{r}/labels",
            {"tags": "nightjar-tag"},
        ),
        Case("/projects/<int:project_id>", "GET", f"/projects/{ids.extra.get('project', 0)}"),
        Case("/requests/<int:request_id>/letters", "GET", f"/requests/{r}/letters"),
        Case(
            "/requests/<int:request_id>/letters",
            "POST",
            f"/requests/{r}/letters",
            {"key": "follow_up_overdue", "language": "en"},
        ),
        Case("/letters/<int:letter_id>", "GET", f"/letters/{letter}"),
        Case(
            "/letters/<int:letter_id>",
            "POST",
            f"/letters/{letter}",
            {"recipient_email": "x@example.org", "subject": "Renamed", "body": "x"},
        ),
        Case("/letters/<int:letter_id>.pdf", "GET", f"/letters/{letter}.pdf"),
        Case("/letters/<int:letter_id>.eml", "GET", f"/letters/{letter}.eml"),
        Case("/letters/<int:letter_id>/send", "POST", f"/letters/{letter}/send", {"confirm": "y"}),
        Case(
            "/letters/<int:letter_id>/record",
            "POST",
            f"/letters/{letter}/record",
            {"sent_on": "2024-03-01"},
        ),
        Case(
            "/requests/<int:request_id>/letters/review",
            "POST",
            f"/requests/{r}/letters/review",
            {"sent_on": "2024-03-01"},
        ),
        Case("/files/<int:attachment_id>", "GET", f"/files/{ids.attachment}"),
        Case("/records/files/<int:attachment_id>", "GET", f"/records/files/{ids.attachment}"),
        Case("/requests/<int:request_id>/records/status", "GET", f"/requests/{r}/records/status"),
        Case("/mail/<int:mail_id>", "GET", f"/mail/{ids.extra['mail']}"),
        Case("/mail/<int:mail_id>/original", "GET", f"/mail/{ids.extra['mail']}/original"),
        Case("/mail/files/<int:attachment_id>", "GET", f"/mail/files/{ids.extra['mail_file']}"),
        Case(
            "/mail/<int:mail_id>/attach",
            "POST",
            f"/mail/{ids.extra['mail']}/attach",
            {"request_id": str(r)},
        ),
        Case("/requests/<int:request_id>/mail", "POST", f"/requests/{r}/mail", {}),
        Case("/institutions/<int:institution_id>", "GET", f"/institutions/{i}"),
        Case("/institutions/<int:institution_id>/edit", "GET", f"/institutions/{i}/edit"),
        Case(
            "/institutions/<int:institution_id>/edit",
            "POST",
            f"/institutions/{i}/edit",
            institution_form,
        ),
        Case(
            "/institutions/<int:institution_id>/archive", "POST", f"/institutions/{i}/archive", {}
        ),
        Case(
            "/settings/alerts/<int:alert_id>/resend",
            "POST",
            f"/settings/alerts/{ids.alert}/resend",
            {},
        ),
        Case(
            "/settings/tokens/<int:token_id>/revoke",
            "POST",
            f"/settings/tokens/{ids.token_row}/revoke",
            {},
        ),
        Case("/imports/<token>", "GET", f"/imports/{ids.import_token}"),
        Case("/imports/<token>", "POST", f"/imports/{ids.import_token}", {}),
        Case("/imports/<token>/check", "GET", f"/imports/{ids.import_token}/check"),
        Case("/imports/<token>/import", "POST", f"/imports/{ids.import_token}/import", {}),
        Case("/imports/<token>/report.csv", "GET", f"/imports/{ids.import_token}/report.csv"),
        Case("/imports/jobs/<int:job_id>", "GET", f"/imports/jobs/{import_job}"),
        Case("/imports/jobs/<int:job_id>/cancel", "POST", f"/imports/jobs/{import_job}/cancel", {}),
        Case(
            "/imports/jobs/<int:job_id>/report.csv", "GET", f"/imports/jobs/{import_job}/report.csv"
        ),
        Case("/imports/<token>/restore", "GET", f"/imports/{ids.export_token}/restore"),
        Case("/imports/<token>/restore", "POST", f"/imports/{ids.export_token}/restore", {}),
        Case(
            "/settings/people/<int:user_id>/role",
            "POST",
            f"/settings/people/{ids.colleague}/role",
            {"role": "editor"},
        ),
        Case(
            "/settings/people/<int:user_id>/deactivate",
            "POST",
            f"/settings/people/{ids.colleague}/deactivate",
            {},
        ),
        Case(
            "/settings/people/<int:user_id>/reactivate",
            "POST",
            f"/settings/people/{ids.colleague}/reactivate",
            {},
        ),
        Case(
            "/settings/people/<int:user_id>/password-link",
            "POST",
            f"/settings/people/{ids.colleague}/password-link",
            {},
        ),
        Case(
            "/exports/jobs/<int:job_id>/download",
            "GET",
            f"/exports/jobs/{ids.export_job}/download",
        ),
        # Scorecards are per newsroom: another newsroom's user gets their own, empty ones.
        Case("/scorecards/<kind>.csv", "GET", "/scorecards/institutions.csv", outsider=200),
        Case(
            "/api/v1/institutions/<int:institution_id>",
            "GET",
            f"/api/v1/institutions/{i}",
            kind="api",
        ),
        Case("/api/v1/requests/<int:request_id>", "GET", f"/api/v1/requests/{r}", kind="api"),
        Case(
            "/api/v1/requests/<int:request_id>",
            "PATCH",
            f"/api/v1/requests/{r}",
            {"title": "Renamed"},
            kind="api",
        ),
        Case(
            "/api/v1/requests/<int:request_id>/deadline",
            "GET",
            f"/api/v1/requests/{r}/deadline",
            kind="api",
        ),
        Case(
            "/api/v1/requests/<int:request_id>/events",
            "POST",
            f"/api/v1/requests/{r}/events",
            api_event,
            kind="api",
        ),
        Case(
            "/api/v1/requests/<int:request_id>/letters",
            "GET",
            f"/api/v1/requests/{r}/letters",
            kind="api",
        ),
        Case("/api/v1/letters/<int:letter_id>", "GET", f"/api/v1/letters/{letter}", kind="api"),
        Case(
            "/api/v1/requests/<int:request_id>/mail",
            "GET",
            f"/api/v1/requests/{r}/mail",
            kind="api",
        ),
        # Secret-addressed: anyone holding a wrong secret gets 404, logged in or not.
        Case("/calendar/<secret>.ics", "GET", "/calendar/not-the-secret.ics", kind="public"),
        Case(
            "/alerts/unsubscribe/<token>", "GET", "/alerts/unsubscribe/forged.token", kind="public"
        ),
        Case(
            "/alerts/unsubscribe/<token>", "POST", "/alerts/unsubscribe/forged.token", kind="public"
        ),
        Case("/invitation/<token>", "GET", "/invitation/forged.token", kind="public"),
        Case(
            "/invitation/<token>",
            "POST",
            "/invitation/forged.token",
            {"new": "a long new secret", "confirm": "a long new secret"},
            kind="public",
        ),
        Case("/password/reset/<token>", "GET", "/password/reset/forged.token", kind="public"),
        Case(
            "/password/reset/<token>",
            "POST",
            "/password/reset/forged.token",
            {"new": "a long new secret", "confirm": "a long new secret"},
            kind="public",
        ),
    ]


def routes_with_arguments(app) -> set[tuple[str, str]]:
    """(rule, method) of every route that takes a value from its path."""
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.arguments and rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def no_secrets(response: Any, where: str) -> None:
    body = response.get_data(as_text=True)
    leaked = [word for word in SECRETS if word in body]
    assert not leaked, f"{where}: {leaked} in the answer"


def send(client: Any, case: Case, headers: dict[str, str] | None = None) -> Any:
    """Make the request; forms carry the session's CSRF token like the page would."""
    if case.kind == "api":
        return client.open(case.url, method=case.method, json=case.data, headers=headers or {})
    if case.method == "GET":
        return client.get(case.url)
    return AuthActions(client).post(case.url, case.data or {})


def snapshot(app) -> tuple[Any, ...]:
    """What the attacks must not change in newsroom A."""
    with app.app_context():
        s = db.session()
        return (
            s.scalar(sa.select(InfoRequest.title)),
            s.scalar(sa.select(Institution.name)),
            s.scalar(sa.select(Institution.archived_at)),
            s.scalar(sa.select(sa.func.count()).select_from(TimelineEvent)),
            s.scalar(sa.select(Alert.status)),
            tuple(s.scalars(sa.select(ApiToken.revoked_at).order_by(ApiToken.id))),
            tuple(s.execute(sa.select(User.email, User.role, User.active).order_by(User.id))),
            s.scalar(sa.select(sa.func.count()).select_from(InfoRequest)),
            tuple(s.execute(sa.select(Letter.subject, Letter.status).order_by(Letter.id))),
        )


def test_the_matrix_covers_every_route_with_an_id_or_a_secret(app, world):
    covered = {(case.rule, case.method) for case in matrix(world)}
    missing = routes_with_arguments(app) - covered
    assert not missing, f"add these routes to the access matrix: {sorted(missing)}"
    assert covered - routes_with_arguments(app) == set()


def test_another_newsroom_gets_404_and_sees_nothing(app, world):
    before = snapshot(app)
    outsider = app.test_client()
    assert AuthActions(outsider).login(OUTSIDER).status_code == 302
    for case in matrix(world):
        headers = bearer(world.outsider_token) if case.kind == "api" else None
        response = send(outsider, case, headers)
        assert response.status_code == case.outsider, (case.method, case.url)
        no_secrets(response, f"outsider {case.method} {case.url}")
    # Their own lists and exports hold none of it either.
    for url in ("/", "/requests/", "/institutions/", "/scorecards/", "/exports/requests.csv"):
        no_secrets(outsider.get(url), url)
    for url in ("/api/v1/requests", "/api/v1/institutions"):
        no_secrets(outsider.get(url, headers=bearer(world.outsider_token)), url)
    assert snapshot(app) == before


def test_logged_out_visitors_are_sent_to_log_in_and_see_nothing(app, client, world):
    before = snapshot(app)
    for case in matrix(world):
        response = send(client, case)
        if case.kind == "page":
            assert response.status_code == 302, (case.method, case.url)
            assert response.headers["Location"].startswith("/login"), case.url
        elif case.kind == "api":
            assert response.status_code == 401, case.url
            assert response.is_json
        else:
            assert response.status_code == 404, (case.method, case.url)
        no_secrets(response, f"visitor {case.method} {case.url}")
    assert snapshot(app) == before


def test_a_revoked_or_unknown_token_is_401(app, client, world):
    before = snapshot(app)
    for secret in (world.revoked_token, world.owner_token + "x", "not a token"):
        for case in matrix(world):
            if case.kind == "api":
                response = send(client, case, bearer(secret))
                assert response.status_code == 401, (secret, case.url)
                no_secrets(response, case.url)
    assert client.get("/api/v1/requests", headers=bearer(world.revoked_token)).status_code == 401
    # The owner's token in force still works: the 401s above are about the token.
    response = client.get(f"/api/v1/requests/{world.request}", headers=bearer(world.owner_token))
    assert response.status_code == 200 and "Nightjar" in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_the_owner_reaches_everything(app, world):
    owner = app.test_client()
    AuthActions(owner).login(OWNER)
    for url in (
        f"/requests/{world.request}",
        f"/requests/{world.request}/edit",
        f"/requests/{world.request}/events/{world.event}/correct",
        f"/files/{world.attachment}",
        f"/institutions/{world.institution}",
        f"/imports/{world.import_token}",
        f"/imports/{world.export_token}/restore",
        f"/calendar/{world.feed_secret}.ics",
        f"/requests/{world.request}/packet.zip",
    ):
        assert owner.get(url).status_code == 200, url


def test_reporters_read_the_newsrooms_requests_but_change_only_their_own(app, world):
    before = snapshot(app)
    colleague = app.test_client()
    AuthActions(colleague).login(COLLEAGUE)
    r = world.request
    for url in (
        f"/requests/{r}",
        f"/files/{world.attachment}",
        f"/institutions/{world.institution}",
    ):
        assert colleague.get(url).status_code == 200, url
    by_case = {(c.rule, c.method): c for c in matrix(world)}
    forbidden = [
        ("/requests/<int:request_id>/edit", "GET"),
        ("/requests/<int:request_id>/edit", "POST"),
        ("/requests/<int:request_id>/events/new", "GET"),
        ("/requests/<int:request_id>/events/new", "POST"),
        ("/requests/<int:request_id>/events/<int:event_id>/correct", "GET"),
        ("/requests/<int:request_id>/events/<int:event_id>/correct", "POST"),
        ("/requests/<int:request_id>/events/<int:event_id>/files", "GET"),
        ("/requests/<int:request_id>/events/<int:event_id>/files", "POST"),
        ("/requests/<int:request_id>/labels", "GET"),
        ("/requests/<int:request_id>/labels", "POST"),
        ("/requests/<int:request_id>/numbers", "GET"),
        ("/requests/<int:request_id>/people", "GET"),
        ("/requests/<int:request_id>/people", "POST"),
        ("/requests/<int:request_id>/watchers/<int:user_id>/remove", "POST"),
        ("/requests/<int:request_id>/numbers", "POST"),
        ("/requests/<int:request_id>/numbers/<int:number_id>/remove", "POST"),
        ("/requests/<int:request_id>/links/<int:link_id>/remove", "POST"),
        ("/settings/people/<int:user_id>/role", "POST"),
        ("/settings/people/<int:user_id>/deactivate", "POST"),
        ("/settings/people/<int:user_id>/reactivate", "POST"),
        ("/settings/people/<int:user_id>/password-link", "POST"),
        ("/api/v1/requests/<int:request_id>", "PATCH"),
        ("/api/v1/requests/<int:request_id>/events", "POST"),
        ("/requests/<int:request_id>/letters", "POST"),
        ("/requests/<int:request_id>/language", "POST"),
        ("/letters/<int:letter_id>", "POST"),
        ("/letters/<int:letter_id>/send", "POST"),
        ("/letters/<int:letter_id>/record", "POST"),
        ("/requests/<int:request_id>/letters/review", "POST"),
    ]
    for key in forbidden:
        case = by_case[key]
        headers = bearer(world.colleague_token) if case.kind == "api" else None
        assert send(colleague, case, headers).status_code == 403, key
    # Someone else's failed alert, API token and import are not found.
    for key in (
        ("/settings/alerts/<int:alert_id>/resend", "POST"),
        ("/settings/tokens/<int:token_id>/revoke", "POST"),
        ("/imports/<token>", "GET"),
        ("/imports/<token>/check", "GET"),
        ("/imports/<token>/import", "POST"),
        ("/imports/<token>/restore", "GET"),
        ("/imports/<token>/restore", "POST"),
    ):
        assert send(colleague, by_case[key]).status_code == 404, key
    assert colleague.get("/settings/people/").status_code == 403
    assert snapshot(app) == before


def test_editors_change_any_request_of_the_newsroom(app, world):
    editor = app.test_client()
    AuthActions(editor).login(EDITOR)
    assert editor.get(f"/requests/{world.request}/edit").status_code == 200
    assert editor.get(f"/requests/{world.request}/events/new?kind=note").status_code == 200
    response = editor.patch(
        f"/api/v1/requests/{world.request}",
        json={"title": "Operation Nightjar (edited)"},
        headers=bearer(world.editor_token),
    )
    assert response.status_code == 200
    assert editor.get("/settings/people/").status_code == 200
