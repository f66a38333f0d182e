"""Export a newsroom, import the export into an empty newsroom: everything comes back
(issue 17, part 4)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

import tests.api_helpers as h
from tracker.alerts import sweep
from tracker.core import clock, db
from tracker.core.models import (
    Complaint,
    Extension,
    InfoRequest,
    Newsroom,
    TimelineEvent,
    User,
)
from tracker.exports.service import newsroom_zip
from tracker.imports.restore import is_export
from tracker.requests import service
from tracker.requests.state import effective_events

TODAY = h.TODAY  # 2024-03-20
EDITOR = "editor@example.org"
TARGET = "restored@example.org"


@pytest.fixture
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


def _newsroom(app) -> dict[str, int]:
    """Requests in every status, with an extension corrected, complaints, a finding, a
    closing, a deemed refusal from the sweep and a formula-like title."""
    h.quick_user(app, EDITOR, newsroom="The Star", role="editor", name="Ed Itor")
    rcmp = h.institution(app, EDITOR, "RCMP, Ottawa (HQ)")
    fbi = h.institution(app, EDITOR, "Federal Bureau of Investigation", "us-foia")
    ids = {}

    def make(title, institution=rcmp, received=date(2024, 2, 1), number=None):
        # Logged on its receipt day: the sweep finds the overdue one and adds its entry.
        ids[title] = h.info_request(
            app,
            EDITOR,
            institution,
            title=title,
            received_on=received,
            file_number=number,
            today=received,
        )
        return ids[title]

    def add(title, kind, day, **details):
        return h.event(app, EDITOR, ids[title], kind, day, details)

    make("awaiting", received=date(2024, 3, 1), number="A-1")
    make("on hold", fbi, received=date(2024, 3, 1))
    add("on hold", "fee_notice", date(2024, 3, 5), amount="$25")
    make("=overdue", received=date(2024, 1, 10))
    make("answered")
    first = add(
        "answered",
        "extension",
        date(2024, 2, 10),
        days=20,
        reason="volume",
        notice_on="2024-02-10",
    )
    with app.app_context(), db.transaction() as session:
        user = h.user_by_email(session, EDITOR)
        loaded = service.load_request(session, ids["answered"])
        original = session.get(TimelineEvent, first)
        service.add_event(
            session,
            user,
            loaded,
            service.EventData(
                kind="extension",
                occurred_on=date(2024, 2, 10),
                details={"days": 30, "reason": "volume", "notice_on": "2024-02-10"},
            ),
            TODAY,
            h.LocalStorage(app.config["ATTACHMENTS_DIR"]),
            0,
            corrects=original,
        )
    add("answered", "final_response", date(2024, 3, 15), outcome="partial", pages=12)
    make("in complaint")
    add("in complaint", "final_response", date(2024, 2, 20), outcome="refused")
    add("in complaint", "complaint_filed", date(2024, 3, 1), grounds="exemptions", body="OIC")
    make("closed by finding", received=date(2023, 10, 2))
    add("closed by finding", "final_response", date(2023, 11, 20), outcome="no_records")
    add("closed by finding", "complaint_filed", date(2023, 12, 1), grounds="delay")
    add("closed by finding", "complaint_finding", date(2024, 3, 1), finding="well_founded")
    make("abandoned")
    add("abandoned", "withdrawn", date(2024, 3, 10), closure="abandoned")
    make("withdrawn")
    add("withdrawn", "withdrawn", date(2024, 2, 8))
    with app.app_context(), db.transaction() as session:
        assert sweep.flag_overdue(session, "America/Toronto") == 1
    return ids


def _snapshot(app, newsroom: str) -> dict[str, dict]:
    """Everything the round trip must keep, per request title."""
    with app.app_context():
        session = db.session()
        room = session.scalar(sa.select(Newsroom).where(Newsroom.name == newsroom))
        out = {}
        for r in session.scalars(sa.select(InfoRequest).where(InfoRequest.newsroom_id == room.id)):
            state = service.state_of(r, TODAY)
            live = effective_events(service.event_facts(list(r.events)))
            out[r.title] = {
                "file_number": r.file_number,
                "institution": (r.institution.name, r.institution.law_code),
                "law": r.law_code,
                "dates": (r.sent_on, r.received_on, r.due_on, r.responded_on, r.closed_on),
                "complaint_due_on": r.complaint_due_on,
                "status": r.status,
                "closure": state.closure,
                "outcomes": [e.details.get("outcome") for e in live if e.kind == "final_response"],
                "entries": sorted(
                    (e.kind, e.occurred_on, e.note if e.kind != "imported" else "")
                    for e in r.events
                    if e.kind not in ("imported",)
                ),
                "corrections": sum(1 for e in r.events if e.corrects_id is not None),
                "extensions": sorted(
                    (x.days, x.reason, x.notice_on, x.commissioner_notified, x.superseded)
                    for x in session.scalars(
                        sa.select(Extension).where(Extension.request_id == r.id)
                    )
                ),
                "complaints": sorted(
                    (c.body, c.grounds, c.filed_on, c.finding, c.finding_on, c.superseded)
                    for c in session.scalars(
                        sa.select(Complaint).where(Complaint.request_id == r.id)
                    )
                ),
            }
        return out


def test_export_then_import_restores_every_request(app, runner, frozen_today, tmp_path):
    _newsroom(app)
    before = _snapshot(app, "The Star")
    assert {v["status"] for v in before.values()} == {
        "awaiting",
        "on_hold",
        "overdue",
        "answered",
        "in_complaint",
        "closed",
    }
    with app.app_context():
        session = db.session()
        room = session.scalar(sa.select(Newsroom).where(Newsroom.name == "The Star"))
        data = newsroom_zip(session, room, TODAY, "http://tracker.test")
    assert is_export(data)
    path = tmp_path / "the-star.zip"
    path.write_bytes(data)
    h.quick_user(app, TARGET, newsroom="Empty newsroom", role="editor")

    dry = runner.invoke(args=["import-csv", str(path), "--newsroom", "Empty newsroom", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "the tracker's own export" in dry.output and "Would restore 8 requests" in dry.output
    assert _snapshot(app, "Empty newsroom") == {}

    result = runner.invoke(args=["import-csv", str(path), "--newsroom", "Empty newsroom"])
    assert result.exit_code == 0, result.output
    assert "Restored 8 requests" in result.output
    after = _snapshot(app, "Empty newsroom")
    assert after.keys() == before.keys()
    for title in before:
        assert after[title] == before[title], title
    # Importing it twice is refused by file number, with the row, and writes nothing more.
    again = runner.invoke(args=["import-csv", str(path), "--newsroom", "Empty newsroom"])
    assert again.exit_code == 1
    assert "requests.csv row" in again.output and "file number" in again.output
    assert len(_snapshot(app, "Empty newsroom")) == 8


def test_the_export_s_requests_csv_maps_itself(app, frozen_today):
    """requests.csv alone: its columns are recognised without a mapping."""
    from tracker.imports.service import guess_mapping

    with app.app_context():
        mapping = guess_mapping(
            [
                "id",
                "file_number",
                "title",
                "institution",
                "law_code",
                "law",
                "status",
                "owner",
                "sent_on",
                "received_on",
                "due_on",
                "responded_on",
                "days_late",
                "complaint_due_on",
                "closed_on",
                "text",
                "url",
            ]
        )
    assert (mapping.title, mapping.text, mapping.file_number) == ("title", "text", "file_number")
    assert (mapping.received_on, mapping.completed_on) == ("received_on", "responded_on")
    assert (mapping.institution, mapping.law) == ("institution", "law_code")


def test_the_export_uploaded_on_the_import_page(app, client, auth, frozen_today):
    import io

    from tests.conftest import page

    _newsroom(app)
    before = _snapshot(app, "The Star")
    with app.app_context():
        session = db.session()
        room = session.scalar(sa.select(Newsroom).where(Newsroom.name == "The Star"))
        data = newsroom_zip(session, room, TODAY, "http://tracker.test")
    h.quick_user(app, TARGET, newsroom="Empty newsroom", role="editor")
    auth.login(TARGET)
    uploaded = auth.post(
        "/imports/", {"file": (io.BytesIO(data), "star.zip")}, content_type="multipart/form-data"
    )
    assert uploaded.status_code == 302 and uploaded.headers["Location"].endswith("/restore")
    soup = page(client.get(uploaded.headers["Location"]))
    assert soup.select_one("#restore-requests").get_text() == "8"
    assert _snapshot(app, "Empty newsroom") == {}  # the check wrote nothing
    # Someone else's token is not found.
    h.quick_user(app, "other@example.org", newsroom="Other")
    auth.logout()
    auth.login("other@example.org")
    assert client.get(uploaded.headers["Location"]).status_code == 404
    auth.logout()
    auth.login(TARGET)
    done = auth.post(uploaded.headers["Location"], {})
    assert done.status_code == 302
    assert _snapshot(app, "Empty newsroom") == before


def test_a_restore_writes_its_notes_in_the_restorers_language(app, runner, frozen_today, tmp_path):
    """The "imported" entry of each restored request is in its restorer's language (their
    account's, here French), not the export's."""
    _newsroom(app)
    with app.app_context():
        session = db.session()
        room = session.scalar(sa.select(Newsroom).where(Newsroom.name == "The Star"))
        data = newsroom_zip(session, room, TODAY, "http://tracker.test")
    path = tmp_path / "the-star.zip"
    path.write_bytes(data)
    h.quick_user(app, TARGET, newsroom="Empty newsroom", role="editor")
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(User).where(User.email == TARGET).values(locale="fr"))
    result = runner.invoke(args=["import-csv", str(path), "--newsroom", "Empty newsroom"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        notes = (
            db.session()
            .scalars(
                sa.select(TimelineEvent.note)
                .join(InfoRequest)
                .join(Newsroom)
                .where(Newsroom.name == "Empty newsroom", TimelineEvent.kind == "imported")
            )
            .all()
        )
    assert len(notes) == 8
    assert all(
        n.startswith("Restaurée de the-star.zip (demande nº ") and n.endswith(" dans ce fichier).")
        for n in notes
    ), notes
    # The command's refusal reads in the newsroom's language.
    app.config["DEFAULT_LOCALE"] = "fr"
    again = runner.invoke(args=["import-csv", str(path), "--newsroom", "Empty newsroom"])
    assert again.exit_code == 1
    assert "Rien n’a été importé\xa0: la ligne 2 de requests.csv (" in again.output
