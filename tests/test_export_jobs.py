"""Exports that grow with the newsroom: streamed CSVs, background ZIPs, the export command."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, page
from tracker.core import clock, db
from tracker.core.models import Alert, ExportJob, ExportWaiter, Newsroom, User
from tracker.exports import jobs, service
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service as requests
from tracker.requests.queries import RequestFilters

TODAY = date(2024, 6, 3)
NOW = datetime(2024, 6, 3, 14, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(TODAY), clock.frozen_now(NOW):
        yield


@pytest.fixture
def app_config(app_config):
    app_config["EXPORT_BACKGROUND_REQUESTS"] = 4
    app_config["EXPORT_KEEP_HOURS"] = 24
    return app_config


@pytest.fixture
def room(app, make_user):
    """A newsroom of 6 requests (over the threshold of 4), two users, and an outsider."""
    rita = make_user("rita@example.org", newsroom="The Star", name="Rita")
    make_user("ed@example.org", newsroom="The Star", role="editor", name="Ed")
    make_user("out@example.org", newsroom="Other Paper", role="editor")
    with app.app_context(), db.transaction() as session:
        owner = session.get(User, rita.id)
        rcmp = create_institution(
            session, owner.newsroom_id, InstitutionData(name="RCMP", law_code="ca-atia")
        )
        for n in range(6):
            made = requests.create_request(
                session,
                owner,
                requests.RequestData(
                    institution_id=rcmp.id,
                    title=f"=Request {n};+1",
                    received_on=date(2024, 1, 2 + n),
                    file_number=f"A-{n}",
                    text='été, "quoted"\nline',
                ),
                TODAY,
            )
            if n == 0:
                requests.add_event(
                    session,
                    owner,
                    made,
                    requests.EventData(
                        kind="note",
                        occurred_on=date(2024, 2, 1),
                        note="letters",
                        uploads=(
                            requests.Upload("b.pdf", "application/pdf", io.BytesIO(b"%PDF b")),
                            requests.Upload("=a.pdf", "application/pdf", io.BytesIO(b"%PDF a")),
                        ),
                    ),
                    TODAY,
                    LocalStorage(app.config["ATTACHMENTS_DIR"]),
                    10_000,
                )
            if n % 2:
                requests.add_event(
                    session,
                    owner,
                    made,
                    requests.EventData(
                        kind="final_response",
                        occurred_on=date(2024, 3, 1),
                        note="@late",
                        details={"outcome": "partial"},
                    ),
                    TODAY,
                    None,
                    0,
                )  # type: ignore[arg-type]
        return owner.newsroom_id


def _tables(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_streamed_exports_hold_the_same_bytes_whatever_the_batch(app, room, monkeypatch):
    with app.app_context():
        session = db.session()
        newsroom = session.get(Newsroom, room)
        whole = _tables(service.newsroom_zip(session, newsroom, TODAY, "http://t"))
        listed = service.requests_csv(session, room, RequestFilters(), TODAY, "http://t")
        monkeypatch.setattr(service, "BATCH", 2)
        pieces = list(
            service.requests_csv_chunks(session, room, RequestFilters(), TODAY, "http://t")
        )
        small = _tables(service.newsroom_zip(session, newsroom, TODAY, "http://t"))
    assert len(pieces) == 4  # header and two rows, then two, then two (and the rest)
    assert "".join(pieces) == listed
    assert small == whole
    requests_csv = whole["requests.csv"].decode("utf-8")
    assert requests_csv.startswith("\ufeffid,file_number,title")
    rows = list(csv.DictReader(io.StringIO(requests_csv[1:], newline="")))
    assert len(rows) == 6 and rows[0]["title"] == "'=Request 0;'+1"
    assert rows[0]["text"] == 'été, "quoted"\nline'


def test_the_list_csv_is_a_streamed_response(client, auth, room):
    auth.login("rita@example.org")
    response = client.get("/exports/requests.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    text = response.get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(text[1:], newline="")))) == 6


def test_a_large_newsroom_is_exported_in_the_background(app, client, auth, room):
    auth.login("rita@example.org")
    assert client.get("/exports/newsroom.zip").status_code == 303
    soup = page(client.get("/exports/"))
    assert soup.select_one("#export-prepare") is not None
    token = csrf_token(client, "/exports/")
    assert client.post("/exports/newsroom", data={"csrf_token": token}).status_code == 303
    soup = page(client.get("/exports/"))
    assert soup.select_one("#export-job")["data-status"] == "queued"
    assert soup.select_one("#export-prepare") is None
    assert soup.select_one('meta[http-equiv="refresh"]') is not None

    # A colleague asks at the same time: the same job, both are waiting for it.
    auth.logout()
    auth.login("ed@example.org")
    token = csrf_token(client, "/exports/")
    client.post("/exports/newsroom", data={"csrf_token": token})
    with app.app_context():
        session = db.session()
        (job,) = session.scalars(sa.select(ExportJob)).all()
        assert job.status == "queued" and job.active_key == room
        assert len(session.scalars(sa.select(ExportWaiter)).all()) == 2
        assert jobs.work(session, app.config) == 1
        session.expire_all()
        job = session.get(ExportJob, job.id)
        assert (job.status, job.active_key, job.rows_done) == ("ready", None, job.rows_total)
        assert job.rows_total == 6 + 10 + 1  # requests, timeline entries, institutions
        assert job.expires_at == NOW + timedelta(hours=24)
        mails = session.scalars(sa.select(Alert).order_by(Alert.recipient)).all()
        assert [(m.kind, m.recipient) for m in mails] == [
            ("export_ready", "ed@example.org"),
            ("export_ready", "rita@example.org"),
        ]
        link = f"http://tracker.test/exports/jobs/{job.id}/download"
        assert all(link in m.body_text for m in mails)
        job_id, digest = job.id, job.sha256
        assert not list(jobs.exports_dir(app.config).glob("*.part"))

    soup = page(client.get("/exports/"))
    assert soup.select_one("#export-job")["data-status"] == "ready"
    download = client.get(soup.select_one("#export-download")["href"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    import hashlib

    assert hashlib.sha256(download.data).hexdigest() == digest
    tables = _tables(download.data)
    assert len(tables["requests.csv"].decode("utf-8").splitlines()) > 6

    # Only that newsroom's users get it.
    auth.logout()
    auth.login("out@example.org")
    assert client.get(f"/exports/jobs/{job_id}/download").status_code == 404
    auth.logout()
    assert client.get(f"/exports/jobs/{job_id}/download").status_code == 302  # to the login


def test_the_ready_mail_goes_through_the_outbox_without_an_unsubscribe_link(app, room):
    from tracker.alerts import mail
    from tracker.alerts import service as alerts

    with app.app_context():
        session = db.session()
        user = session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        jobs.request_export(session, user, TODAY)
        session.commit()
        jobs.work(session, app.config)
        alert = session.scalar(sa.select(Alert))
        message = mail.build_message(alert, app.config)
        assert "List-Unsubscribe" not in message
        assert alerts.deliver_pending(session, app.config).sent == 1  # to the log (no SMTP)
        assert session.scalar(sa.select(Alert.status)) == "sent"


def test_a_job_interrupted_by_a_restart_is_written_again_never_offered_half(
    app, client, auth, room
):
    with app.app_context():
        session = db.session()
        user = session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        job_id = jobs.request_export(session, user, TODAY).id
        session.commit()
        assert jobs.claim_next(session) == job_id
        # The worker died mid-way: a temporary file, a job left "running".
        part = jobs.exports_dir(app.config) / f"export-{job_id}.zip.part"
        part.write_bytes(b"PK\x03\x04 half a zip")
        assert jobs.claim_next(session) is None  # still within its heartbeat
    auth.login("rita@example.org")
    assert client.get(f"/exports/jobs/{job_id}/download").status_code == 404
    assert page(client.get("/exports/")).select_one("#export-job")["data-status"] == "running"
    with clock.frozen_now(NOW + jobs.STALE + timedelta(seconds=1)), app.app_context():
        session = db.session()
        assert jobs.work(session, app.config) == 1
        job = session.get(ExportJob, job_id)
        assert job.status == "ready" and job.attempts == 2
    assert not part.exists()
    assert zipfile.ZipFile(jobs.job_path(app.config, job_id)).testzip() is None
    assert client.get(f"/exports/jobs/{job_id}/download").status_code == 200


def test_a_zip_failing_its_check_is_never_published(app, room, monkeypatch):
    def broken(path: Path, lines: int) -> None:
        raise jobs.ExportCheckError("3 lines written, 16 expected")

    monkeypatch.setattr(jobs, "check_zip", broken)
    with app.app_context():
        session = db.session()
        user = session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        job_id = jobs.request_export(session, user, TODAY).id
        session.commit()
        assert jobs.work(session, app.config) == 0
        job = session.get(ExportJob, job_id)
        assert job.status == "failed" and "16 expected" in job.error and job.active_key is None
        assert not any(jobs.exports_dir(app.config).iterdir())
        assert session.scalar(sa.select(sa.func.count()).select_from(Alert)) == 0
        assert jobs.downloadable(session, room, job_id, app.config) is None


def test_a_job_that_keeps_stopping_is_given_up(app, room):
    with app.app_context():
        session = db.session()
        user = session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        job_id = jobs.request_export(session, user, TODAY).id
        session.commit()
        session.execute(
            sa.update(ExportJob)
            .where(ExportJob.id == job_id)
            .values(status="running", attempts=jobs.MAX_ATTEMPTS, heartbeat_at=NOW - jobs.STALE * 2)
        )
        session.commit()
        assert jobs.work(session, app.config) == 0
        assert session.get(ExportJob, job_id).status == "failed"


def test_a_prepared_export_expires(app, client, auth, room):
    with app.app_context():
        session = db.session()
        user = session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        job_id = jobs.request_export(session, user, TODAY).id
        session.commit()
        jobs.work(session, app.config)
    auth.login("rita@example.org")
    assert client.get(f"/exports/jobs/{job_id}/download").status_code == 200
    with clock.frozen_now(NOW + timedelta(hours=24, seconds=1)), app.app_context():
        auth.login("rita@example.org")  # a day later the first login's session has ended
        assert client.get(f"/exports/jobs/{job_id}/download").status_code == 404
        assert jobs.prune(db.session(), app.config) == 1
        assert db.session().get(ExportJob, job_id).status == "expired"
    assert not jobs.job_path(app.config, job_id).exists()
    assert page(client.get("/exports/")).select_one("#export-prepare") is not None


def test_a_small_newsroom_still_downloads_at_once(app, client, auth, room):
    app.config["EXPORT_BACKGROUND_REQUESTS"] = 6
    auth.login("rita@example.org")
    response = client.get("/exports/newsroom.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert len(_tables(response.data)) == 6
    assert page(client.get("/exports/")).select_one("#export-prepare") is None


def test_the_export_command_writes_a_checked_zip(app, runner, room, tmp_path):
    target = tmp_path / "star.zip"
    result = runner.invoke(
        args=["export", "The Star", "--output", str(target), "--today", "2024-06-03"]
    )
    assert result.exit_code == 0, result.output
    assert "17 lines" in result.output
    assert not (tmp_path / "star.zip.part").exists()
    with app.app_context():
        session = db.session()
        expected = _tables(
            service.newsroom_zip(session, session.get(Newsroom, room), TODAY, "http://tracker.test")
        )
    assert _tables(target.read_bytes()) == expected
    again = runner.invoke(args=["export", "The Star", "--output", str(target)])
    assert again.exit_code != 0 and "--force" in again.output
    missing = runner.invoke(args=["export", "Nobody", "--output", str(tmp_path / "x.zip")])
    assert missing.exit_code != 0 and "No newsroom named" in missing.output


def test_the_zip_s_plain_row_tables_equal_the_orm_reading(app, room):
    """requests.csv and timeline.csv are read as plain rows: the same cells as the ORM objects
    the export read before (and the list's CSV still reads) give."""
    from sqlalchemy.orm import joinedload, selectinload

    from tracker.core.models import InfoRequest, TimelineEvent
    from tracker.requests.service import KIND_LABELS

    with app.app_context():
        session = db.session()
        newsroom = session.get(Newsroom, room)
        tables = _tables(service.newsroom_zip(session, newsroom, TODAY, "http://t"))
        ordered = session.scalars(
            sa.select(InfoRequest)
            .where(InfoRequest.newsroom_id == room)
            .options(joinedload(InfoRequest.institution), joinedload(InfoRequest.owner))
            .order_by(InfoRequest.id)
        ).all()
        expected_requests = service.write_csv(
            service.REQUEST_COLUMNS, service._request_rows(ordered, TODAY, "http://t")
        )
        events = session.scalars(
            sa.select(TimelineEvent)
            .join(TimelineEvent.request)
            .where(InfoRequest.newsroom_id == room)
            .options(selectinload(TimelineEvent.attachments))
            .order_by(TimelineEvent.request_id, TimelineEvent.occurred_on, TimelineEvent.id)
        ).all()
        expected_timeline = service.write_csv(
            service.TIMELINE_COLUMNS,
            (
                [
                    e.id,
                    e.request_id,
                    e.request.file_number,
                    e.kind,
                    KIND_LABELS.get(e.kind, e.kind),
                    e.occurred_on,
                    e.note,
                    e.details or {},
                    (e.recorded_by.name or e.recorded_by.email) if e.recorded_by else "system",
                    e.recorded_at,
                    e.corrects_id,
                    "; ".join(a.original_name for a in e.attachments),
                ]
                for e in events
            ),
        )
    assert "b.pdf;' =a.pdf" in expected_timeline
    assert tables["requests.csv"].decode("utf-8") == expected_requests
    assert tables["timeline.csv"].decode("utf-8") == expected_timeline


@pytest.mark.parametrize(
    "args",
    [
        {},
        {"sort": "institution"},
        {"sort": "days_late"},
        {"sort": "received", "q": "request"},
        {"overdue": "1"},
    ],
)
def test_the_list_csv_s_plain_rows_equal_the_orm_reading(app, room, args):
    from werkzeug.datastructures import MultiDict

    with app.app_context():
        session = db.session()
        filters = RequestFilters.from_args(MultiDict(args))
        orm = service.write_csv(
            service.REQUEST_COLUMNS,
            service._request_rows(
                service.filtered_requests(session, room, filters), TODAY, "http://t"
            ),
        )
        assert service.requests_csv(session, room, filters, TODAY, "http://t") == orm
        assert orm.count("\n") > 1


def test_every_table_of_the_zip_equals_the_orm_reading(app, room):
    """All five tables are read as plain rows and written without _cell: an extension, a
    complaint, a system entry with its heading from its details, an entry with NULL details,
    an archived institution and a corrected entry give the cells _cell gives the ORM objects."""
    from sqlalchemy.orm import selectinload

    from tracker.core.models import Complaint, Extension, InfoRequest, Institution, TimelineEvent

    with app.app_context(), db.transaction() as session:
        owner = session.scalar(sa.select(User).where(User.email == "rita@example.org"))
        request = session.scalar(sa.select(InfoRequest).where(InfoRequest.file_number == "A-2"))
        extended = requests.add_event(
            session,
            owner,
            request,
            requests.EventData(
                kind="extension",
                occurred_on=date(2024, 1, 20),
                note="-volume; =SUM(1)",
                details={"days": 30, "reason": "volume", "notice_on": "2024-01-20"},
            ),
            TODAY,
            None,
            0,
        )  # type: ignore[arg-type]
        requests.add_event(
            session,
            owner,
            request,
            requests.EventData(
                kind="extension",
                occurred_on=date(2024, 1, 20),
                details={"days": 20, "reason": "volume", "notice_on": "2024-01-20"},
            ),
            TODAY,
            None,
            0,
            corrects=extended,
        )  # type: ignore[arg-type]
        requests.add_event(
            session,
            owner,
            request,
            requests.EventData(
                kind="complaint_filed",
                occurred_on=date(2024, 4, 2),
                details={"grounds": "delay", "body": "=Information Commissioner"},
            ),
            TODAY,
            None,
            0,
        )  # type: ignore[arg-type]
        for details in ({"section": "10(3)"}, {"label": "=silence"}, None):
            session.add(
                TimelineEvent(
                    request_id=request.id,
                    kind="deemed_refusal",
                    occurred_on=date(2024, 5, 1),
                    note="",
                    details=details,
                    recorded_by_id=None,
                )
            )
        institution = session.get(Institution, request.institution_id)
        institution.archived_at = NOW
        institution.province = "ON"
    with app.app_context():
        session = db.session()
        tables = _tables(service.newsroom_zip(session, session.get(Newsroom, room), TODAY, "t"))
        in_room = sa.select(InfoRequest.id).where(InfoRequest.newsroom_id == room)
        events = session.scalars(
            sa.select(TimelineEvent)
            .where(TimelineEvent.request_id.in_(in_room))
            .options(selectinload(TimelineEvent.attachments))
            .order_by(TimelineEvent.request_id, TimelineEvent.occurred_on, TimelineEvent.id)
        ).all()
        from tracker.timeline import kinds

        expected = {
            "timeline.csv": service.write_csv(
                service.TIMELINE_COLUMNS,
                (
                    [
                        e.id,
                        e.request_id,
                        e.request.file_number,
                        e.kind,
                        kinds.entry_label(e.kind, e.details),
                        e.occurred_on,
                        e.note,
                        e.details or {},
                        (e.recorded_by.name or e.recorded_by.email) if e.recorded_by else "system",
                        e.recorded_at,
                        e.corrects_id,
                        "; ".join(a.original_name for a in e.attachments),
                    ]
                    for e in events
                ),
            ),
            "extensions.csv": service.write_csv(
                service.EXTENSION_COLUMNS,
                (
                    [
                        x.id,
                        x.request_id,
                        number,
                        x.days,
                        x.reason,
                        x.notice_on,
                        x.commissioner_notified,
                        x.superseded,
                    ]
                    for x, number in session.execute(
                        sa.select(Extension, InfoRequest.file_number)
                        .join(InfoRequest, InfoRequest.id == Extension.request_id)
                        .where(InfoRequest.newsroom_id == room)
                        .order_by(Extension.id)
                    )
                ),
            ),
            "complaints.csv": service.write_csv(
                service.COMPLAINT_COLUMNS,
                (
                    [
                        c.id,
                        c.request_id,
                        number,
                        c.body,
                        c.grounds,
                        c.filed_on,
                        c.body_file_number,
                        c.finding,
                        c.finding_on,
                        c.superseded,
                    ]
                    for c, number in session.execute(
                        sa.select(Complaint, InfoRequest.file_number)
                        .join(InfoRequest, InfoRequest.id == Complaint.request_id)
                        .where(InfoRequest.newsroom_id == room)
                        .order_by(Complaint.id)
                    )
                ),
            ),
            "institutions.csv": service.write_csv(
                service.INSTITUTION_COLUMNS,
                (
                    [
                        i.id,
                        i.name,
                        i.law_code,
                        service.deadlines.LAWS[i.law_code].name,
                        i.province,
                        i.access_email,
                        i.archived_at,
                        len(i.requests),
                    ]
                    for i in session.scalars(
                        sa.select(Institution)
                        .where(Institution.newsroom_id == room)
                        .order_by(sa.func.lower(Institution.name))
                    )
                ),
            ),
        }
    for name, text in expected.items():
        assert tables[name].decode("utf-8") == text, name
    timeline = tables["timeline.csv"].decode("utf-8")
    assert "'-volume;' =SUM(1)" in timeline and ",system," in timeline
    assert "Deemed refusal" in timeline and "'=silence" in timeline
    extensions = list(csv.DictReader(io.StringIO(tables["extensions.csv"].decode()[1:])))
    assert [x["superseded"] for x in extensions] == ["yes", "no"]
    assert "'=Information Commissioner" in tables["complaints.csv"].decode("utf-8")
    assert NOW.isoformat() in tables["institutions.csv"].decode("utf-8")


@pytest.mark.parametrize(
    ("due", "responded", "closed"),
    [
        (date(2024, 3, 1), None, None),
        (date(2024, 7, 1), None, None),
        (date(2024, 3, 1), date(2024, 2, 20), None),
        (date(2024, 3, 1), date(2024, 3, 20), date(2024, 4, 1)),
        (date(2024, 3, 1), None, date(2024, 4, 1)),
        (date(2024, 3, 1), None, date(2024, 9, 1)),
        (date(2024, 6, 3), None, None),
    ],
)
def test_the_export_s_days_late_is_the_calendar_half_of_days_late(due, responded, closed):
    from tracker.requests.describe import _lateness
    from tracker.requests.state import calendar_days_late

    for law in ("ca-atia", "ca-on-fippa", "us-foia"):
        full = _lateness(law, due, responded, closed, TODAY, "ON")
        assert calendar_days_late(due, responded, closed, TODAY) == full.calendar_days_late
