"""Pages and files with a newsroom's data are never kept in a cache (issue 16 part 6): every
answer to a logged-in session or an API token, and every download, says Cache-Control: no-store;
tried on every GET route of the app."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from api_helpers import bearer, info_request, institution, quick_user, token

from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import Attachment, Letter, TimelineEvent, User
from tracker.exports import jobs
from tracker.projects import service as labels

EMAIL = "editor@example.org"
# Routes addressed by a secret rather than a session (tested on their own elsewhere).
SECRET_ROUTES = {
    "/imports/<token>",
    "/imports/<token>/check",
    "/imports/<token>/report.csv",
    "/imports/<token>/restore",
    "/calendar/<secret>.ics",
    "/alerts/unsubscribe/<token>",
    "/password/reset/<token>",
    "/invitation/<token>",
}


def test_every_authenticated_page_and_download_is_no_store(app, client, auth):
    quick_user(app, EMAIL, role="editor")
    auth.login(EMAIL)
    iid = institution(app, EMAIL)
    rid = info_request(app, EMAIL, iid)
    response = auth.post(
        f"/requests/{rid}/events/new?kind=note",
        {"occurred_on": "2024-03-01", "note": "n", "files": [(io.BytesIO(b"%PDF-"), "a.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        s = db.session()
        aid = s.scalar(sa.select(Attachment.id))
        eid = s.scalar(sa.select(TimelineEvent.id).order_by(TimelineEvent.id.desc()))
        # A newsroom export prepared in the background (issue 25), ready to download.
        editor = s.scalar(sa.select(User).where(User.email == EMAIL))
        job_id = jobs.request_export(s, editor, clock.today(app.config["TIMEZONE"])).id
        letter = Letter(
            newsroom_id=editor.newsroom_id,
            request_id=rid,
            kind="follow_up",
            subject="Follow-up",
            body="Where is the response?",
        )
        s.add(letter)
        project = labels.create_project(s, editor, labels.ProjectData("Nightjar", ""))
        s.commit()
        letter_id, project_id = letter.id, project.id
        assert jobs.work(s, app.config) == 1
    values = {
        "request_id": rid,
        "institution_id": iid,
        "attachment_id": aid,
        "event_id": eid,
        "kind": "institutions",
        "job_id": job_id,
        "letter_id": letter_id,
        "project_id": project_id,
        "mail_id": 1,  # no mail here: a 404, which must not be a 500 either
    }
    secret = token(app, EMAIL)
    tried: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule in SECRET_ROUTES:
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
        headers = bearer(secret) if url.startswith("/api/") else None
        response = client.get(url, headers=headers)
        assert response.status_code < 500, url
        if response.status_code == 200:
            assert response.headers["Cache-Control"] == "no-store", url
            tried.append(url)
    # The pages that matter were among them: a request, a file, a packet, exports, the API.
    for expected in (
        "/",
        f"/requests/{rid}",
        f"/files/{aid}",
        f"/requests/{rid}/packet.zip",
        "/exports/requests.csv",
        f"/exports/jobs/{job_id}/download",
        f"/letters/{letter_id}",
        f"/letters/{letter_id}.pdf",
        f"/letters/{letter_id}.eml",
        f"/requests/{rid}/letters",
        "/settings/people/",
        "/account/sessions",
        "/api/v1/requests",
    ):
        assert expected in tried, expected
    assert len(tried) >= 25, tried
    # Static files stay cacheable, and so do pages without a session.
    stylesheet = page(client.get("/")).select_one("link[rel=stylesheet]")["href"]
    assert client.get(stylesheet).headers.get("Cache-Control") != "no-store"
    anonymous = app.test_client()
    assert anonymous.get("/login").headers.get("Cache-Control") != "no-store"
