"""Request pages through the Flask client: logging, deadlines, timeline, files, dashboard."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.conftest import AuthActions, page
from tracker.core import clock, db
from tracker.core.display import format_date, format_filesize
from tracker.core.models import Attachment, Extension, InfoRequest, Institution, TimelineEvent
from tracker.requests import service


@pytest.fixture
def frozen_today():
    """Fix "today" so deadlines in the tests do not drift."""
    with clock.frozen(date(2024, 3, 20)) as day:
        yield day


def add_institution(auth, name="Royal Canadian Mounted Police", law_code="ca-atia", province=""):
    response = auth.post(
        "/institutions/new",
        {"name": name, "law_code": law_code, "province": province, "access_email": ""},
    )
    assert response.status_code == 302, page(response).select(".error")
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def log_request(auth, institution, **fields):
    data = {
        "institution_id": str(institution),
        "new_institution": "",
        "new_institution_province": "",
        "law_code": "",
        "title": "Clearview AI records",
        "text": "All records about Clearview AI.",
        "sent_on": "2024-02-01",
        "received_on": "2024-02-01",
        "file_number": "",
    }
    data.update(fields)
    return auth.post("/requests/new", data)


def request_id_from(response) -> int:
    assert response.status_code == 302, page(response).select(".error")
    return int(re.search(r"/requests/(\d+)", response.headers["Location"]).group(1))


def add_entry(auth, request_id, kind, fields, files=None):
    data = {"occurred_on": "2024-02-10", "note": "", **fields}
    if files:
        data["files"] = files
    return auth.post(
        f"/requests/{request_id}/events/new?kind={kind}", data, content_type="multipart/form-data"
    )


@pytest.fixture
def reporter(client, auth, make_user, frozen_today):
    make_user("reporter@example.org", name="Marie Reporter")
    auth.login()
    return auth


def test_logging_a_request_computes_and_explains_its_deadline(client, reporter):
    institution = add_institution(reporter)
    rid = request_id_from(log_request(reporter, institution))
    soup = page(client.get(f"/requests/{rid}"))
    # ca-atia: day 30 is Saturday 2024-03-02, rolled to Monday 2024-03-04 (RULES.md vector).
    assert soup.select_one("#due-date").get_text(strip=True) == "2024-03-04 (Mon)"
    explanation = soup.select_one("details.explanation").get_text(" ", strip=True)
    assert "Access to Information Act s.7" in explanation
    assert "2024-03-02" in explanation and "Saturday" in explanation
    assert "Interpretation Act s.26" in explanation
    assert "16 calendar days late" in soup.select_one("#lateness").get_text()
    timeline = soup.select("ol.timeline > li")
    assert [li.select_one(".entry-kind").get_text() for li in timeline] == ["Request filed"]


def test_new_institution_inline_with_its_law(app, client, reporter):
    response = reporter.post(
        "/requests/new",
        {
            "institution_id": "",
            "new_institution": "Sûreté du Québec",
            "new_institution_province": "QC",
            "law_code": "ca-qc-access",
            "title": "Interpellations",
            "received_on": "2024-03-04",
            "sent_on": "",
            "text": "",
            "file_number": "SQ-1",
        },
    )
    rid = request_id_from(response)
    with app.app_context():
        row = db.session().get(InfoRequest, rid)
        assert (row.institution.name, row.institution.law_code, row.law_code) == (
            "Sûreté du Québec",
            "ca-qc-access",
            "ca-qc-access",
        )
        assert row.due_on == date(2024, 3, 25)  # 20 calendar days (Québec Access Act s.47)


@pytest.mark.parametrize(
    "fields, field_id, message",
    [
        ({"title": ""}, "title", "This field is required"),
        (
            {"sent_on": "2024-02-05", "received_on": "2024-02-01"},
            "received_on",
            "before it was sent",
        ),
        ({"received_on": "2024-04-01"}, "received_on", "in the future"),
        ({"law_code": "xx-nope"}, "law_code", "Not a valid choice"),
        ({"institution_id": ""}, "institution_id", "Pick an institution"),
        ({"received_on": "not a date"}, "received_on", "Not a valid date"),
    ],
)
def test_request_form_errors_are_beside_fields_and_keep_input(
    client, reporter, fields, field_id, message
):
    institution = add_institution(reporter)
    response = log_request(
        reporter,
        institution,
        title=fields.get("title", "Kept title"),
        **{k: v for k, v in fields.items() if k != "title"},
    )
    assert response.status_code == 200
    soup = page(response)
    assert message in soup.select_one(f"#{field_id}-error").get_text()
    if "title" not in fields:
        assert soup.find("input", attrs={"name": "title"})["value"] == "Kept title"
    assert (
        soup.find("textarea", attrs={"name": "text"}).get_text().strip()
        == "All records about Clearview AI."
    )


def test_extension_moves_the_deadline(app, client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    response = add_entry(
        reporter,
        rid,
        "extension",
        {
            "days": "30",
            "reason": "consultation",
            "notice_on": "2024-02-20",
            "commissioner_notified": "",
        },
    )
    assert response.status_code == 302
    soup = page(client.get(f"/requests/{rid}"))
    # Base + extension counted from receipt then rolled once (TBS manual 7.1.1).
    assert soup.select_one("#due-date").get_text(strip=True) == "2024-04-02 (Tue)"
    assert "includes 30 days of extension" in soup.select_one(".deadline-box").get_text()
    assert soup.select(".warning") == []
    with app.app_context():
        assert db.session().scalar(sa.select(InfoRequest.due_on)) == date(2024, 4, 2)
        assert db.session().scalar(sa.select(InfoRequest.status)) == "awaiting"


def test_unlawful_extension_is_flagged_with_citations_and_not_counted(client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    add_entry(
        reporter,
        rid,
        "extension",
        {"occurred_on": "2024-03-10", "days": "45", "reason": "volume", "notice_on": "2024-03-10"},
    )
    soup = page(client.get(f"/requests/{rid}"))
    warning = soup.select_one(".warning").get_text(" ", strip=True)
    assert "ATIA s.9(1)" in warning  # notice after the original deadline
    assert "ATIA s.9(2)" in warning  # over 30 days without notice to the Commissioner
    assert "not counted in the due date" in warning
    assert soup.select_one("#due-date").get_text(strip=True) == "2024-03-04 (Mon)"


@pytest.mark.parametrize(
    "days, message",
    [
        ("0", "at least one day"),
        ("-5", "at least one day"),
        ("", "number of days"),
        ("   ", "number of days"),
        ("twelve", "whole number"),
    ],
)
def test_extension_needs_positive_days(client, reporter, days, message):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    response = add_entry(reporter, rid, "extension", {"days": days, "reason": "volume"})
    assert response.status_code == 200
    assert message in page(response).select_one("#days-error").get_text()


def test_response_before_receipt_is_refused(client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    response = add_entry(
        reporter, rid, "final_response", {"occurred_on": "2024-01-15", "outcome": "full"}
    )
    assert response.status_code == 200
    soup = page(response)
    assert "before the institution received" in soup.select_one("#occurred_on-error").get_text()
    assert soup.find("input", attrs={"name": "occurred_on"})["value"] == "2024-01-15"


def test_status_follows_the_timeline(app, client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))

    def status():
        with app.app_context():
            return db.session().get(InfoRequest, rid).status

    assert status() == "overdue"  # today 2024-03-20 > due 2024-03-04
    add_entry(reporter, rid, "final_response", {"occurred_on": "2024-03-15", "outcome": "partial"})
    assert status() == "answered"
    add_entry(
        reporter,
        rid,
        "complaint_filed",
        {
            "occurred_on": "2024-03-18",
            "grounds": "delay",
            "body": "Information Commissioner of Canada",
        },
    )
    assert status() == "in_complaint"
    add_entry(
        reporter, rid, "complaint_finding", {"occurred_on": "2024-03-19", "finding": "well_founded"}
    )
    assert status() == "closed"


def test_correction_keeps_both_entries_and_recomputes(app, client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    add_entry(
        reporter, rid, "extension", {"days": "30", "reason": "volume", "notice_on": "2024-02-10"}
    )
    with app.app_context():
        original = db.session().scalar(
            sa.select(TimelineEvent.id).where(TimelineEvent.kind == "extension")
        )
    form = page(client.get(f"/requests/{rid}/events/{original}/correct"))
    assert form.find("input", attrs={"name": "days"})["value"] == "30"
    response = reporter.post(
        f"/requests/{rid}/events/{original}/correct",
        {
            "occurred_on": "2024-02-10",
            "days": "20",
            "reason": "volume",
            "notice_on": "2024-02-10",
            "note": "The notice said 20 days, not 30.",
        },
    )
    assert response.status_code == 302
    soup = page(client.get(f"/requests/{rid}"))
    entries = soup.select("ol.timeline > li.kind-extension")
    assert len(entries) == 2
    assert "corrected" in entries[0]["class"]
    assert "correction of" in entries[1].get_text()
    # 30 + 20 days from 2024-02-01 = 2024-03-22 (Friday).
    assert soup.select_one("#due-date").get_text(strip=True) == "2024-03-22 (Fri)"
    with app.app_context():
        rows = (
            db.session()
            .execute(sa.select(Extension.days, Extension.superseded).order_by(Extension.id))
            .all()
        )
        assert rows == [(30, True), (20, False)]


def test_upload_and_download_a_letter(app, client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    content = "Accusé de réception — GRC".encode()
    response = add_entry(
        reporter,
        rid,
        "acknowledgement",
        {"note": "Letter attached"},
        files=[(io.BytesIO(content), "../../etc/accusé.txt")],
    )
    assert response.status_code == 302
    soup = page(client.get(f"/requests/{rid}"))
    link = soup.select_one("ul.files a")
    assert link.get_text() == "accusé.txt"
    download = client.get(link["href"])
    assert download.status_code == 200
    assert download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    with app.app_context():
        row = db.session().scalar(sa.select(Attachment))
        import hashlib

        assert row.sha256 == hashlib.sha256(content).hexdigest()
        assert row.size == len(content)


def test_html_upload_is_never_rendered_inline(client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    add_entry(
        reporter,
        rid,
        "note",
        {"note": "x"},
        files=[(io.BytesIO(b"<script>alert(1)</script>"), "page.html", "text/html")],
    )
    href = page(client.get(f"/requests/{rid}")).select_one("ul.files a")["href"]
    response = client.get(href)
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_empty_and_oversized_files_are_refused_and_nothing_is_written(
    app, app_config, client, reporter
):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    response = add_entry(
        reporter, rid, "note", {"note": "keep me"}, files=[(io.BytesIO(b""), "empty.pdf")]
    )
    assert response.status_code == 200
    assert "empty" in page(response).select_one("#files-error").get_text()
    assert page(response).find("textarea", attrs={"name": "note"}).get_text().strip() == "keep me"
    app.config["MAX_UPLOAD_MB"] = 1
    response = add_entry(
        reporter,
        rid,
        "note",
        {"note": "big"},
        files=[(io.BytesIO(b"x" * (1024 * 1024 + 10)), "big.pdf")],
    )
    assert response.status_code == 200
    assert "larger than the 1 MB limit" in page(response).select_one("#files-error").get_text()
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
        kinds = db.session().scalars(sa.select(TimelineEvent.kind)).all()
        assert kinds == ["filed"]


def test_dashboard_orders_overdue_by_days_late(app, client, reporter):
    institution = add_institution(reporter)
    late = request_id_from(
        log_request(
            reporter, institution, title="Very late", sent_on="2024-01-02", received_on="2024-01-02"
        )
    )
    less = request_id_from(
        log_request(
            reporter, institution, title="Less late", sent_on="2024-02-01", received_on="2024-02-01"
        )
    )
    soon = request_id_from(
        log_request(
            reporter, institution, title="Due soon", sent_on="2024-02-20", received_on="2024-02-20"
        )
    )
    answered = request_id_from(
        log_request(
            reporter,
            institution,
            title="Answered late",
            sent_on="2024-01-05",
            received_on="2024-01-05",
        )
    )
    add_entry(
        reporter, answered, "final_response", {"occurred_on": "2024-02-15", "outcome": "refused"}
    )
    soup = page(client.get("/"))
    overdue = [a.get_text() for a in soup.select("#overdue tbody .card-title a")]
    assert overdue == ["Very late", "Less late"]
    assert [a.get_text() for a in soup.select("#due-soon tbody a")] == ["Due soon"]
    # Due 2024-02-01: the deemed-refusal window (ATIA s.31, 60 days from 2024-02-02) ends
    # 2024-04-01, within 14 days of today.
    assert [a.get_text() for a in soup.select("#closing tbody a")] == ["Very late"]
    counts = [li.select_one(".n").get_text() for li in soup.select(".counts li")]
    assert counts == ["2", "1", "1"]
    first_row = [td.get_text(strip=True) for td in soup.select("#overdue tbody tr")[0]("td")]
    assert first_row[2] == "2024-02-01 (Thu)"
    assert first_row[3] == "48"  # 2024-02-01 .. 2024-03-20
    # Answered late on 2024-02-15: 60 days from the day after the response end 2024-04-15.
    with clock.frozen(date(2024, 4, 5)):
        closing = page(client.get("/")).select("#closing tbody a")
        assert [a.get_text() for a in closing] == ["Answered late"]
    assert {late, less, soon}


def test_request_list_filters_search_sort_and_pages(app, client, reporter, make_user):
    rcmp = add_institution(reporter)
    sq = add_institution(reporter, "Sûreté du Québec", "ca-qc-access", "QC")
    for i in range(30):
        log_request(
            reporter,
            rcmp if i % 2 else sq,
            title=f"Request {i:02d}",
            law_code="",
            file_number=f"F-{i:03d}",
            sent_on=f"2024-03-{(i % 19) + 1:02d}",
            received_on=f"2024-03-{(i % 19) + 1:02d}",
        )
    soup = page(client.get("/requests/"))
    assert "30 requests" in soup.select_one(".count").get_text()
    assert len(soup.select("#request-list tbody tr")) == 25
    second = page(client.get("/requests/?page=2"))
    assert len(second.select("#request-list tbody tr")) == 5
    past_end = client.get("/requests/?page=99")
    assert past_end.status_code == 200
    assert len(page(past_end).select("#request-list tbody tr")) == 5

    only_sq = page(client.get(f"/requests/?institution={sq}&sort=received"))
    assert "15 requests" in only_sq.select_one(".count").get_text()
    # The filter form comes back with the choices made, and only those, selected.
    assert [o.get_text() for o in only_sq.select("#institution option[selected]")] == [
        "Sûreté du Québec"
    ]
    assert [o["value"] for o in only_sq.select("#sort option[selected]")] == ["received"]
    assert only_sq.select("#status option[selected]") == []
    assert [o.get_text() for o in only_sq.select("#institution option")] == [
        "Any",
        "Royal Canadian Mounted Police",
        "Sûreté du Québec",
    ]
    by_law = page(client.get("/requests/?law=ca-qc-access"))
    assert "15 requests" in by_law.select_one(".count").get_text()
    search = page(client.get("/requests/?q=f-007"))
    assert [a.get_text() for a in search.select("#request-list tbody td a")] == ["Request 07"]
    overdue = page(client.get("/requests/?overdue=1"))
    assert all("Overdue" in tr.get_text() for tr in overdue.select("#request-list tbody tr"))
    for junk in (
        "/requests/?q=%25%25__!!",
        "/requests/?sort=drop%20table",
        "/requests/?status=nope&page=-3&institution=abc",
    ):
        assert client.get(junk).status_code == 200
    by_institution = page(client.get("/requests/?sort=institution"))
    names = [tr("td")[1].get_text() for tr in by_institution.select("#request-list tbody tr")]
    assert names == sorted(names, key=str.lower)


def test_empty_request_list_says_what_to_do(client, reporter):
    soup = page(client.get("/requests/"))
    assert "Log your first request" in soup.select_one(".empty").get_text()


def test_other_newsrooms_requests_and_files_are_404(app, client, reporter, make_user):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    add_entry(reporter, rid, "note", {"note": "x"}, files=[(io.BytesIO(b"secret"), "a.txt")])
    with app.app_context():
        file_id = db.session().scalar(sa.select(Attachment.id))
        event_id = db.session().scalar(sa.select(TimelineEvent.id))
    make_user("b@ledevoir.com", newsroom="Le Devoir")
    other = app.test_client()
    outsider = AuthActions(other)
    outsider.login("b@ledevoir.com")
    for url in (
        f"/requests/{rid}",
        f"/requests/{rid}/edit",
        f"/requests/{rid}/events/new",
        f"/requests/{rid}/events/{event_id}/correct",
        f"/files/{file_id}",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        outsider.post(
            f"/requests/{rid}/events/new?kind=note", {"occurred_on": "2024-03-01", "note": "x"}
        ).status_code
        == 404
    )
    assert "Clearview" not in other.get("/requests/").get_data(as_text=True)
    assert "Clearview" not in other.get("/").get_data(as_text=True)


def test_reporters_edit_only_their_own_requests_editors_any(app, client, reporter, make_user):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    make_user("colleague@example.org")
    make_user("editor@example.org", role="editor")
    colleague = app.test_client()
    AuthActions(colleague).login("colleague@example.org")
    assert colleague.get(f"/requests/{rid}").status_code == 200
    assert colleague.get(f"/requests/{rid}/edit").status_code == 403
    assert colleague.get(f"/requests/{rid}/events/new?kind=note").status_code == 403
    editor = app.test_client()
    AuthActions(editor).login("editor@example.org")
    assert editor.get(f"/requests/{rid}/edit").status_code == 200


def test_editing_a_request_is_noted_in_its_timeline(app, client, reporter):
    institution = add_institution(reporter)
    rid = request_id_from(log_request(reporter, institution))
    response = reporter.post(
        f"/requests/{rid}/edit",
        {
            "institution_id": str(institution),
            "new_institution": "",
            "new_institution_province": "",
            "law_code": "",
            "title": "Clearview AI records",
            "text": "All records about Clearview AI.",
            "sent_on": "2024-02-01",
            "received_on": "2024-02-05",
            "file_number": "A-2024-1",
        },
    )
    assert response.status_code == 302
    soup = page(client.get(f"/requests/{rid}"))
    assert soup.select_one("#due-date").get_text(strip=True) == "2024-03-06 (Wed)"
    notes = [li.get_text(" ", strip=True) for li in soup.select("li.kind-note")]
    assert len(notes) == 1 and "received on" in notes[0] and "file number" in notes[0]


def test_institution_with_requests_keeps_them(app, client, reporter):
    institution = add_institution(reporter)
    log_request(reporter, institution)
    soup = page(client.get(f"/institutions/{institution}"))
    assert soup.select_one("table.data tbody td").get_text() == "Clearview AI records"
    with app.app_context():
        with pytest.raises(sa.exc.IntegrityError):
            with db.transaction() as session:
                session.execute(sa.delete(Institution).where(Institution.id == institution))


def test_received_date_cannot_move_after_the_institutions_letters(client, reporter):
    institution = add_institution(reporter)
    rid = request_id_from(log_request(reporter, institution))
    add_entry(reporter, rid, "acknowledgement", {"occurred_on": "2024-02-05"})
    response = reporter.post(
        f"/requests/{rid}/edit",
        {
            "institution_id": str(institution),
            "new_institution": "",
            "new_institution_province": "",
            "law_code": "",
            "title": "Clearview AI records",
            "text": "",
            "sent_on": "",
            "received_on": "2024-02-10",
            "file_number": "",
        },
    )
    assert response.status_code == 200
    assert "2024-02-05" in page(response).select_one("#received_on-error").get_text()


def test_withdrawal_before_receipt_is_refused(client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    response = add_entry(reporter, rid, "withdrawn", {"occurred_on": "2024-01-20"})
    assert response.status_code == 200
    assert (
        "before the institution received"
        in page(response).select_one("#occurred_on-error").get_text()
    )


@pytest.mark.parametrize(
    "query", ["?page=%C2%B2", "?institution=99999999999999999999", "?owner=%D9%A3"]
)
def test_odd_list_parameters_give_a_normal_page(client, reporter, query):
    assert client.get(f"/requests/{query}").status_code == 200


def test_a_nul_character_in_the_search_is_refused_naming_it(client, reporter):
    response = client.get("/requests/?q=a%00b")
    assert response.status_code == 400 and "'q'" in page(response).get_text()


def test_failed_alerts_are_shown_on_the_dashboard(app, client, reporter):
    from tracker.core.models import Alert, User

    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    assert client.get("/").status_code == 200
    assert page(client.get("/")).select_one("#failed-alerts") is None
    with app.app_context(), db.transaction() as session:
        user = session.scalar(sa.select(User))
        session.add(
            Alert(
                dedupe_key=f"overdue:{rid}:{user.id}:2024-03-04",
                kind="overdue",
                user_id=user.id,
                request_id=rid,
                deadline_on=date(2024, 3, 4),
                recipient="reporter@example.org",
                subject="Overdue: Clearview AI records",
                body_text="x",
                status="failed",
                attempts=10,
                last_error="550 mailbox unavailable",
            )
        )
    failed = page(client.get("/")).select_one("#failed-alerts").get_text(" ", strip=True)
    assert "Overdue: Clearview AI records" in failed and "550 mailbox unavailable" in failed


def test_the_timeline_shows_every_entry_in_order_with_its_own_files_and_recorder(
    app, client, reporter, make_user
):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    add_entry(
        reporter,
        rid,
        "acknowledgement",
        {"occurred_on": "2024-02-05", "note": "Two letters"},
        files=[(io.BytesIO(b"one"), "first.pdf"), (io.BytesIO(b"second"), "second.pdf")],
    )
    add_entry(reporter, rid, "note", {"occurred_on": "2024-02-03", "note": "Called them"})
    add_entry(
        reporter,
        rid,
        "note",
        {"occurred_on": "2024-02-05", "note": "Same day, later"},
        files=[(io.BytesIO(b"three!"), "third.txt")],
    )
    with app.app_context(), db.transaction() as session:
        # An entry the tracker adds by itself (as the overdue sweep does): nobody recorded it.
        session.add(
            TimelineEvent(request_id=rid, kind="note", occurred_on=date(2024, 2, 4), note="Auto")
        )
    with app.app_context():
        rows = db.session().execute(
            sa.select(TimelineEvent.id, TimelineEvent.note, TimelineEvent.recorded_by_id)
            .where(TimelineEvent.request_id == rid)
            .order_by(TimelineEvent.occurred_on, TimelineEvent.id)
        )
        expected = [(f"entry-{i}", note, by is not None) for i, note, by in rows]
        files = {
            f"entry-{e}": sorted((name, size) for _, name, size in group)
            for e, group in itertools.groupby(
                db.session().execute(
                    sa.select(
                        Attachment.event_id, Attachment.original_name, Attachment.size
                    ).order_by(Attachment.event_id, Attachment.id)
                ),
                key=lambda row: row[0],
            )
        }
    soup = page(client.get(f"/requests/{rid}"))
    entries = soup.select("ol.timeline > li")
    shown = []
    for li in entries:
        note = li.select_one(".entry-note")
        meta = li.select_one(".entry-meta").get_text(" ", strip=True)
        shown.append((li["id"], note.get_text() if note else "", "by Marie Reporter" in meta))
        if "by Marie Reporter" not in meta:
            assert "by the tracker" in meta
        listed = sorted(
            (a.get_text(), a.find_next_sibling("span").get_text()) for a in li.select("ul.files a")
        )
        assert [name for name, _ in listed] == [n for n, _ in files.get(li["id"], [])]
        for (_, label), (_, size) in zip(listed, files.get(li["id"], []), strict=True):
            assert label.startswith(f"{format_filesize(size)} · SHA-256 ")
    assert shown == expected
    # By day, then in the order recorded: the sweep-like entry of 4 February between the two
    # reporter's entries, the two of 5 February in the order they were added.
    assert [n for _, n, _ in shown][1:] == ["Called them", "Auto", "Two letters", "Same day, later"]
    assert [by for _, _, by in shown] == [True, True, False, True, True]
    # Another newsroom's user gets a 404 for it, like any of its pages.
    make_user("other@example.org", newsroom="Le Devoir")
    reporter.logout()
    reporter.login("other@example.org")
    assert client.get(f"/requests/{rid}").status_code == 404


def test_dashboard_rows_show_stored_markup_as_text_and_link_each_request(app, client, reporter):
    institution = add_institution(reporter, name='<b>Board</b> & "Co"')
    titles = {
        "overdue": '<img src=x onerror="alert(1)"> late',
        "soon": "Fees < 5 & > 2",
    }
    late = request_id_from(
        log_request(
            reporter,
            institution,
            title=titles["overdue"],
            sent_on="2024-01-02",
            received_on="2024-01-02",
        )
    )
    soon = request_id_from(
        log_request(
            reporter,
            institution,
            title=titles["soon"],
            sent_on="2024-02-20",
            received_on="2024-02-20",
        )
    )
    soup = page(client.get("/"))
    assert soup.select("tbody img, tbody b") == []
    for section, rid, title in (
        ("#overdue", late, titles["overdue"]),
        ("#due-soon", soon, titles["soon"]),
    ):
        row = soup.select_one(f"{section} tbody tr")
        link = row.select_one("a")
        assert (link.get_text(), link["href"]) == (title, f"/requests/{rid}")
        assert row("td")[1].get_text() == '<b>Board</b> & "Co"'
    closing = soup.select_one("#closing tbody tr")
    assert closing.select_one("a")["href"] == f"/requests/{late}"
    assert closing.select_one(".badge").get_text() == "Overdue"
    with app.app_context():
        window = db.session().get(InfoRequest, late).complaint_due_on
    days = (window - date(2024, 3, 20)).days
    assert closing("td")[3].get_text() == f"{format_date(window)} ({days} days)"
    assert [td.get_text() for td in soup.select_one("#due-soon tbody tr")("td")][2:] == [
        "2024-03-21 (Thu)",
        "1 day left",
    ]


def test_list_rows_show_stored_markup_as_text(app, client, make_user, auth, frozen_today):
    make_user("reporter@example.org", name="<i>Marie</i> & co")
    auth.login()
    institution = add_institution(auth, name="<b>Board</b>")
    rid = request_id_from(
        log_request(auth, institution, title="<img src=x> & more", file_number='A-1 <"x">')
    )
    soup = page(client.get("/requests/"))
    assert soup.select("#request-list tbody img, #request-list tbody b, #request-list i") == []
    cells = soup.select_one("#request-list tbody tr")("td")
    link = cells[0].a
    assert (link.get_text(), link["href"]) == ("<img src=x> & more", f"/requests/{rid}")
    assert cells[0].select_one(".help").get_text() == 'A-1 <"x">'
    assert [td.get_text() for td in cells[1:5]] == [
        "<b>Board</b>",
        "ca-atia",
        "2024-02-01 (Thu)",
        "2024-03-04 (Mon)",
    ]
    assert cells[5].select_one(".badge").get_text() == "Overdue"
    assert cells[7].get_text() == "<i>Marie</i> & co"


def test_each_kind_of_entry_shows_its_facts_as_text(app, client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    entries = [
        ("extension", {"days": "30", "reason": "volume", "notice_on": "2024-02-10"}),
        ("fee_notice", {"occurred_on": "2024-02-11", "amount": "25.00"}),
        ("transfer", {"occurred_on": "2024-02-13", "to_institution": "<i>CSIS</i>"}),
        ("final_response", {"occurred_on": "2024-02-15", "outcome": "partial", "pages": "3"}),
        (
            "complaint_filed",
            {
                "occurred_on": "2024-02-16",
                "grounds": "delay",
                "body": "OIC & co",
                "body_file_number": "5-1",
            },
        ),
        ("complaint_finding", {"occurred_on": "2024-02-17", "finding": "well_founded"}),
    ]
    for kind, fields in entries:
        assert add_entry(reporter, rid, kind, fields).status_code == 302, kind
    soup = page(client.get(f"/requests/{rid}"))
    assert soup.select("ol.timeline i") == []
    facts = {
        li["class"][1].removeprefix("kind-"): li.select_one(".entry-head + p").get_text()
        for li in soup.select("ol.timeline > li")
        if li.select_one(".entry-head + p:not(.entry-note)")
    }
    assert facts == {
        "extension": "30 days · reason: volume · notice 2024-02-10",
        "fee_notice": "Amount: 25.00",
        "transfer": "To <i>CSIS</i>",
        "final_response": f"{service.RESPONSE_OUTCOMES['partial']} · 3 pages",
        "complaint_filed": "Filed with OIC & co · grounds: Delay or deemed refusal · file 5-1",
        "complaint_finding": "Finding: Well-founded",
    }
