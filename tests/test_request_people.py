"""Reassignment and watchers (issue 19, item 9): an editor hands a request to another
reporter, recorded in the timeline; colleagues watching a request receive its alerts."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import AuthActions, page
from tracker.core import clock, db
from tracker.core.models import Alert, InfoRequest, TimelineEvent, User

TODAY = date(2024, 3, 1)


@pytest.fixture
def desk(app):
    """Rita's request due within 7 days; Ed (editor), Rita and Sam (reporters) of La Presse."""
    with builders.desk(app, "rita@example.org", today=TODAY, name="Rita Reporter") as d:
        request = d.request("RCMP", "Clearview", received=date(2024, 2, 2))
        d.colleague("sam@example.org", name="Sam Reporter")
        d.colleague("ed@example.org", name="Ed Editor", role="editor")
        d.colleague("gone@example.org", name="Gone Reporter")
    with app.app_context(), db.transaction() as session:
        ids = {u.email: u.id for u in session.scalars(sa.select(User))}
        session.get(User, ids["gone@example.org"]).active = False
    return {"request": request.id, **ids}


def _login(app, email):
    client = app.test_client()
    auth = AuthActions(client)
    auth.login(email)
    return client, auth


def test_an_editor_reassigns_and_the_timeline_says_so(app, desk):
    client, auth = _login(app, "ed@example.org")
    url = f"/requests/{desk['request']}/people"
    with clock.frozen(TODAY):
        done = auth.post(url, {"r-owner": desk["sam@example.org"], "r-submit": "1"})
    assert done.status_code == 302
    shown = page(client.get(f"/requests/{desk['request']}"))
    assert "Reporter: Sam Reporter" in shown.select_one("#people").get_text()
    entry = shown.select_one(".kind-reassigned")
    assert "From Rita Reporter to Sam Reporter" in entry.get_text(" ", strip=True)
    assert "Ed Editor" in entry.select_one(".entry-meta").get_text()
    with app.app_context():
        session = db.session()
        assert session.get(InfoRequest, desk["request"]).owner_id == desk["sam@example.org"]
        event = session.scalar(sa.select(TimelineEvent).where(TimelineEvent.kind == "reassigned"))
        assert event.occurred_on == TODAY and event.details["from_id"] == desk["rita@example.org"]
    # A deactivated account, or the same reporter again, is refused beside the field.
    refused = page(auth.post(url, {"r-owner": desk["gone@example.org"], "r-submit": "1"}))
    assert "active colleague" in refused.select_one("#r-owner-error").get_text()


def test_a_reporter_cannot_reassign(app, desk):
    client, auth = _login(app, "rita@example.org")
    url = f"/requests/{desk['request']}/people"
    assert page(client.get(url)).select_one("#r-owner") is None
    refused = page(auth.post(url, {"r-owner": desk["sam@example.org"], "r-submit": "1"}))
    assert "Only an editor" in refused.select_one("#r-owner-error").get_text()
    with app.app_context():
        assert db.session().get(InfoRequest, desk["request"]).owner_id == desk["rita@example.org"]


def test_watchers_receive_the_requests_alerts(app, desk, runner):
    client, auth = _login(app, "rita@example.org")
    url = f"/requests/{desk['request']}/people"
    assert auth.post(url, {"w-user": desk["sam@example.org"], "w-submit": "1"}).status_code == 302
    itself = page(auth.post(url, {"w-user": desk["rita@example.org"], "w-submit": "1"}))
    assert "is the request's reporter" in itself.select_one("#w-user-error").get_text()
    shown = page(client.get(f"/requests/{desk['request']}"))
    assert "Watching: Sam Reporter" in shown.select_one("#people").get_text()
    with clock.frozen(TODAY):
        result = runner.invoke(args=["sweep", "--today", "2024-03-01"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        sent = db.session().execute(sa.select(Alert.kind, Alert.recipient).order_by(Alert.id))
        assert sorted(sent) == [("due_in_7", "rita@example.org"), ("due_in_7", "sam@example.org")]
    # The watcher stops watching: no further alert for them.
    sam_client, sam = _login(app, "sam@example.org")
    removed = sam.post(f"/requests/{desk['request']}/watchers/{desk['sam@example.org']}/remove", {})
    assert removed.status_code == 302
    assert (
        "Watching"
        not in page(sam_client.get(f"/requests/{desk['request']}")).select_one("#people").get_text()
    )
