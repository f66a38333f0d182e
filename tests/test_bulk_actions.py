"""Bulk actions on the list's chosen rows (issue 19, item 11): tag, add to a project,
reassign, export; refusals beside the field, the choice kept."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import AuthActions, page
from tests.test_exports import read_csv
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Project, RequestProject, Tag, TimelineEvent, User
from tracker.projects import service as labels

TODAY = date(2024, 6, 3)


@pytest.fixture
def rows(app):
    """Three of Rita's requests, one of Sam's; Ed edits; a project."""
    with builders.desk(app, "rita@example.org", today=TODAY, name="Rita") as d:
        ids = [d.request("RCMP", f"Request {n}", received=date(2024, 5, n)).id for n in (1, 2, 3)]
        sam = d.colleague("sam@example.org", name="Sam")
        ids.append(sam.request("RCMP", "Sam's", received=date(2024, 5, 4)).id)
        d.colleague("ed@example.org", name="Ed", role="editor")
        project = labels.create_project(d.session, d.user, labels.ProjectData("Budget"))
        return {"ids": ids, "project": project.id}


def _bulk(auth, ids, **data):
    return auth.post("/requests/bulk", {"ids": [str(i) for i in ids], **data})


def test_tag_and_project_the_chosen_rows(app, rows, client, auth):
    auth.login("rita@example.org")
    first, second, third, _sams = rows["ids"]
    form = page(client.get("/requests/"))
    assert len(form.select('#request-list input[name="ids"][form="bulk"]')) == 4
    tagged = _bulk(auth, [first, second], **{"b-action": "tag", "b-tags": "budget, police"})
    assert tagged.status_code == 302
    added = _bulk(auth, [second, third], **{"b-action": "project", "b-project": rows["project"]})
    assert added.status_code == 302
    with app.app_context():
        session = db.session()
        assert sorted(session.scalars(sa.select(Tag.name))) == ["budget", "police"]
        in_project = sorted(session.scalars(sa.select(RequestProject.request_id)))
        assert in_project == [second, third]
    exported = _bulk(auth, [first, third], **{"b-action": "export"})
    assert exported.status_code == 302
    csv_rows = read_csv(client.get(exported.headers["Location"]).get_data(as_text=True))
    assert sorted(r["title"] for r in csv_rows) == ["Request 1", "Request 3"]


def test_refusals_come_back_beside_the_field_with_the_rows_still_ticked(app, rows, auth):
    auth.login("rita@example.org")
    first, second, _third, sams = rows["ids"]
    none = page(_bulk(auth, [], **{"b-action": "tag", "b-tags": "x"}))
    assert "Tick at least one request" in none.select_one("#b-action-error").get_text()
    markup = page(_bulk(auth, [first, second], **{"b-action": "tag", "b-tags": "<b>x</b>"}))
    assert "cannot contain <" in markup.select_one("#b-tags-error").get_text()
    assert markup.select_one("#b-tags")["value"] == "<b>x</b>"
    ticked = {i["value"] for i in markup.select('input[name="ids"][checked]')}
    assert ticked == {str(first), str(second)}
    long = page(_bulk(auth, [first], **{"b-action": "tag", "b-tags": "t" * 10_000}))
    assert "At most 50 characters" in long.select_one("#b-tags-error").get_text()
    others = page(_bulk(auth, [first, sams], **{"b-action": "tag", "b-tags": "mine"}))
    assert "only your own requests" in others.select_one("#b-action-error").get_text()
    reporter = page(_bulk(auth, [first], **{"b-action": "reassign", "b-owner": "1"}))
    assert reporter.select_one("#b-owner-error") or reporter.select_one("#b-action-error")
    with app.app_context():
        session = db.session()
        assert session.scalar(sa.select(sa.func.count()).select_from(Tag)) == 0
        assert session.scalar(sa.select(sa.func.count()).select_from(Project)) == 1


def test_an_editor_reassigns_the_chosen_rows(app, rows):
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("ed@example.org")
    first, second, _third, _sams = rows["ids"]
    with app.app_context():
        sam = db.session().scalar(sa.select(User.id).where(User.email == "sam@example.org"))
    with clock.frozen(TODAY):
        done = _bulk(auth, [first, second], **{"b-action": "reassign", "b-owner": sam})
    assert done.status_code == 302
    with app.app_context():
        session = db.session()
        owners = {r.id: r.owner_id for r in session.scalars(sa.select(InfoRequest))}
        assert owners[first] == owners[second] == sam
        entries = session.scalars(
            sa.select(TimelineEvent.request_id).where(TimelineEvent.kind == "reassigned")
        ).all()
        assert sorted(entries) == [first, second]
