"""Projects and tags (issue 19, item 7): a request in any number of projects with any tags;
the list, the CSV export, the API and the scorecards restricted by them; a project's page."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests import builders
from tests.api_helpers import bearer, token
from tests.conftest import page
from tests.test_exports import read_csv
from tracker.core import clock, db
from tracker.core.models import Project, RequestProject, Tag

TODAY = date(2024, 6, 3)


@pytest.fixture
def desk(app):
    """Three requests of La Presse and one of another newsroom; their ids by name."""
    with builders.desk(app, today=TODAY, role="editor") as d:
        rcmp = d.institution("RCMP")
        ids = {
            "late": d.request(rcmp, "Clearview", received=date(2024, 2, 1)).id,
            "soon": d.request(rcmp, "Body cameras", received=date(2024, 5, 20)).id,
            "other": d.request("Home Office", "Vans", received=date(2024, 5, 2)).id,
        }
    with builders.desk(app, "elsewhere@example.org", today=TODAY, newsroom="The Star") as d:
        ids["foreign"] = d.request("RCMP", "Star's request").id
    return ids


def _label(auth, request_id, **data):
    return auth.post(f"/requests/{request_id}/labels", data)


def _project(auth, name, description=""):
    return auth.post("/projects/", {"name": name, "description": description})


def test_a_project_and_tags_restrict_list_export_api_and_scorecard(app, desk, auth, client):
    auth.login()
    made = _project(auth, "Facial recognition", "Police and the Clearview AI tool")
    assert made.status_code == 302
    with app.app_context():
        project_id = db.session().scalar(sa.select(Project.id))
    for key in ("late", "soon"):
        saved = _label(auth, desk[key], projects=[project_id], tags="Police, surveillance")
        assert saved.status_code == 302
    _label(auth, desk["other"], tags="police")  # the same tag, another case

    shown = page(client.get(f"/requests/{desk['late']}"))
    labels = [a.get_text() for a in shown.select("#labels .tag")]
    assert labels == ["Project: Facial recognition", "#Police", "#surveillance"]

    def titles(path):
        return [a.get_text() for a in page(client.get(path)).select("#request-list .card-title a")]

    assert titles(f"/requests/?project={project_id}") == ["Clearview", "Body cameras"]
    assert titles("/requests/?tag=POLICE") == ["Clearview", "Vans", "Body cameras"]
    assert titles("/requests/?tag=surveillance&institution=999") == []
    exported = read_csv(
        client.get(f"/exports/requests.csv?project={project_id}").get_data(as_text=True)
    )
    assert sorted(r["title"] for r in exported) == ["Body cameras", "Clearview"]

    secret = token(app, "reporter@example.org")
    listed = client.get(f"/api/v1/requests?project={project_id}", headers=bearer(secret))
    assert sorted(r["title"] for r in listed.json["items"]) == ["Body cameras", "Clearview"]
    tagged = client.get("/api/v1/requests?tag=surveillance", headers=bearer(secret))
    assert tagged.json["total"] == 2

    with clock.frozen(TODAY):
        card = page(client.get(f"/scorecards/?project={project_id}"))
        everyone = page(client.get("/scorecards/"))
    assert "Facial recognition" in card.select_one("#label-note").get_text()
    filed = {
        row.th.get_text(" ", strip=True): row.select("td")[0].get_text()
        for row in card.select("#by-institution tbody tr")
    }
    assert filed == {"RCMP ca-atia": "2"}
    assert len(everyone.select("#by-institution tbody tr")) == 2

    with clock.frozen(TODAY):
        project_page = page(client.get(f"/projects/{project_id}"))
    rows = project_page.select("#project-requests tbody tr")
    assert [r.select_one(".card-title").get_text() for r in rows] == ["Clearview", "Body cameras"]
    assert project_page.select_one(".count-late .n").get_text() == "1"
    assert "Police and the Clearview AI tool" in project_page.get_text()


def test_names_too_long_with_markup_or_taken_are_refused_beside_the_field(app, desk, auth):
    auth.login()
    long_name = "x" * 10_000
    refused = page(_project(auth, long_name, "kept"))
    assert "At most 100 characters" in refused.select_one("#name-error").get_text()
    assert refused.select_one("#name")["value"] == long_name
    assert refused.select_one("#description").get_text().strip() == "kept"
    markup = page(_project(auth, "<script>alert(1)</script>"))
    assert "cannot contain <" in markup.select_one("#name-error").get_text()
    _project(auth, "Budget")
    taken = page(_project(auth, "  budget "))
    assert "already has a project named budget" in taken.select_one("#name-error").get_text()

    tags = page(_label(auth, desk["late"], tags="fine, " + "t" * 10_000))
    assert "At most 50 characters" in tags.select_one("#tags-error").get_text()
    assert tags.select_one("#tags")["value"].startswith("fine, ttt")
    bad = page(_label(auth, desk["late"], tags="<b>bold</b>", new_project="<i>x</i>"))
    assert bad.select_one("#tags-error") or bad.select_one("#new_project-error")
    with app.app_context():
        session = db.session()
        assert session.scalar(sa.select(sa.func.count()).select_from(Tag)) == 0
        assert [p.name for p in session.scalars(sa.select(Project))] == ["Budget"]
        assert session.scalar(sa.select(sa.func.count()).select_from(RequestProject)) == 0


def test_another_newsrooms_project_is_not_found(app, desk, auth, client):
    with builders.desk(app, "elsewhere@example.org", today=TODAY, newsroom="The Star"):
        pass
    with app.app_context(), db.transaction() as session:
        star = Project(newsroom_id=2, name="Star's story", description="")
        session.add(star)
        session.flush()
        star_id = star.id
    auth.login()
    assert client.get(f"/projects/{star_id}").status_code == 404
    # Choosing it for one's request does nothing.
    _label(auth, desk["late"], projects=[star_id])
    assert client.get(f"/requests/?project={star_id}").status_code == 200
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(RequestProject)) == 0
