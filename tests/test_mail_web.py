"""Mail pages: drop files on the inbox or a request page, the review queue's one-click attach,
the request's tag, a proposal confirmed into the timeline with its files, other newsrooms
kept out."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests import mail_helpers as mh
from tests.conftest import AuthActions, page
from tracker.core import clock, db
from tracker.core.models import Attachment, InfoRequest, MailMessage, TimelineEvent

TODAY = date(2024, 3, 10)


def _setup(app: Flask) -> dict[str, int]:
    with builders.desk(app, today=TODAY) as desk:
        rcmp = desk.institution("RCMP", access_email="atip-aiprp@rcmp-grc.gc.ca")
        ids = {
            "one": desk.request(rcmp, "Clearview", received=date(2024, 2, 1)).id,
            "two": desk.request(rcmp, "Drones", received=date(2024, 2, 5)).id,
        }
    with builders.desk(app, "other@star.test", newsroom="The Star", today=TODAY) as other:
        ids["star"] = other.request("CBSA", "Star's").id
    return ids


def _drop(auth: AuthActions, path: str, *files: tuple[str, bytes]):  # type: ignore[no-untyped-def]
    return auth.post(
        path,
        {"files": [(io.BytesIO(data), name) for name, data in files]},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


EXTENSION = mh.message(
    "Extension of time",
    "Pursuant to paragraph 9(1)(a) of the Act, the time limit is extended by an additional "
    "60 days because of the large number of records.",
    date=None,
)


def test_drop_in_inbox_review_then_attach_then_confirm(app: Flask, client: FlaskClient, auth):
    ids = _setup(app)
    auth.login()
    with clock.frozen(TODAY):
        queued = _drop(auth, "/mail/upload", ("ext.eml", EXTENSION))
        doc = page(queued)
        row = doc.select_one("#review-queue tbody tr")
        assert row is not None and "several open requests" in row.get_text()
        assert "SPF pass" in row.get_text()
        mail_id = int(row["id"].split("-")[1])
        attached = auth.post(
            f"/mail/{mail_id}/attach", {"request_id": ids["one"]}, follow_redirects=True
        )
        doc = page(attached)
        item = doc.select_one(f"#mail-{mail_id}")
        assert item is not None and "attached by" in item.get_text()
        assert doc.select_one("#mail-subject-tag").get_text() == f"[ATI-{ids['one']}]"
        confirm = item.select_one("a.button")
        assert confirm.get_text() == "Confirm: Extension notice"
        form = page(client.get(confirm["href"]))
        assert form.select_one("#from-mail") is not None
        assert form.select_one("input[name=days]")["value"] == "60"
        assert form.select_one("input[name=occurred_on]")["value"] == "2024-03-04"
        selected = form.select_one("select[name=reason] option[selected]")
        assert selected is not None and selected["value"] == "volume"
        due_before = _due(app, ids["one"])
        done = auth.post(
            confirm["href"],
            {
                "occurred_on": "2024-03-04",
                "days": "60",
                "reason": "volume",
                "notice_on": "2024-03-04",
                "note": "From the agency",
            },
            follow_redirects=True,
        )
        assert done.status_code == 200
        assert "In the timeline" in page(done).select_one(f"#mail-{mail_id}").get_text()
    with app.app_context():
        session = db.session()
        event = session.scalar(sa.select(TimelineEvent).where(TimelineEvent.kind == "extension"))
        assert event is not None
        names = sorted(a.original_name for a in event.attachments)
        assert names == ["ext.eml"]
        stored = session.get(MailMessage, mail_id)
        assert stored is not None and stored.event_id == event.id
        # 30 days from 1 February end on Saturday 2 March (shown as Monday 4 March); the 60
        # days of extension run from 2 March.
        assert due_before == date(2024, 3, 4)
        assert session.get(InfoRequest, ids["one"]).due_on == date(2024, 5, 1)
        assert session.scalar(sa.select(sa.func.count(Attachment.id))) == 1


def _due(app: Flask, request_id: int) -> date:
    with app.app_context():
        return db.session().get(InfoRequest, request_id).due_on


def test_drop_on_request_page_and_download_original(app: Flask, client: FlaskClient, auth):
    ids = _setup(app)
    auth.login()
    pdf = mh.pdf_bytes(3000)
    data = mh.message(
        "Accusé de réception",
        "Nous accusons réception de votre demande.",
        attachments=(("lettre.pdf", "application/pdf", pdf),),
    )
    shown = _drop(auth, f"/requests/{ids['two']}/mail", ("ack.eml", data))
    item = page(shown).select_one("#mail li")
    assert item is not None and "dropped on the request's page" in item.get_text()
    assert "Confirm: Acknowledgement" in item.get_text()
    message_page = client.get(item.select_one("a")["href"])
    doc = page(message_page)
    links = [a["href"] for a in doc.select("dd ul a")]
    assert client.get(links[0]).data == data
    assert client.get(links[1]).data == pdf
    assert "DMARC pass" in doc.get_text()
    nothing = _drop(auth, "/mail/upload")
    assert "Choose one or more" in nothing.get_data(as_text=True)


def test_other_newsrooms_cannot_see_or_attach(app: Flask, client: FlaskClient, auth, make_user):
    ids = _setup(app)
    auth.login()
    shown = _drop(auth, "/mail/upload", ("x.eml", mh.message("Hello", "Unknown.")))
    mail_id = int(page(shown).select_one("#review-queue tbody tr")["id"].split("-")[1])
    refused = auth.post(
        f"/mail/{mail_id}/attach", {"request_id": ids["star"]}, follow_redirects=True
    )
    assert "Pick one of your newsroom's requests" in page(refused).get_text()
    auth.logout()
    auth.login("other@star.test")
    assert client.get(f"/mail/{mail_id}").status_code == 404
    assert client.get(f"/mail/{mail_id}/original").status_code == 404
    assert auth.post(f"/mail/{mail_id}/attach", {"request_id": ids["star"]}).status_code == 404
    assert f"mail-{mail_id}" not in client.get("/mail/").get_data(as_text=True)


def test_only_editors_change_the_auto_acknowledge_setting(
    app: Flask, client: FlaskClient, auth, make_user
):
    _setup(app)
    make_user("editor@example.org", role="editor")
    auth.login()
    assert page(client.get("/mail/")).select_one("#mail-settings") is None
    assert auth.post("/mail/settings", {"auto_acknowledge": "1"}).status_code == 403
    auth.logout()
    auth.login("editor@example.org")
    auth.post("/mail/settings", {"auto_acknowledge": "1"})
    box = page(client.get("/mail/")).select_one("#auto_acknowledge")
    assert box is not None and box.has_attr("checked")
    auth.post("/mail/settings", {})
    assert not page(client.get("/mail/")).select_one("#auto_acknowledge").has_attr("checked")
