"""The overdue sweep and the `flask sweep` command (no mail server: mails go to the log)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alerts_helpers import TODAY, add_institution, add_request, statuses

from tests.conftest import page
from tracker import deadlines
from tracker.core import clock, db
from tracker.core.models import Alert, InfoRequest, Newsroom, TimelineEvent
from tracker.files.storage import LocalStorage
from tracker.requests.service import EventData, add_event, recompute


def _events(app) -> list[TimelineEvent]:
    with app.app_context():
        return list(
            db.session().scalars(
                sa.select(TimelineEvent)
                .where(TimelineEvent.kind == "deemed_refusal")
                .order_by(TimelineEvent.request_id)
            )
        )


def _run(runner, *args: str) -> list[str]:
    result = runner.invoke(args=["sweep", *args])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def test_sweep_flags_overdue_requests_once_with_the_laws_section(app, runner, make_user):
    reporter = make_user("reporter@example.org").id
    cbsa = add_institution(app, reporter, "Canada Border Services Agency", province="ON")
    home_office = add_institution(app, reporter, "Home Office", law="uk-foia")
    late = add_request(app, reporter, cbsa, "Detention reviews", date(2026, 10, 30))
    late_uk = add_request(
        app, reporter, home_office, "Visa refusals", date(2026, 11, 2), law="uk-foia"
    )
    due_today = add_request(app, reporter, cbsa, "Seized goods", TODAY)
    answered = add_request(
        app, reporter, cbsa, "Audit reports", date(2026, 10, 1), response_on=date(2026, 9, 30)
    )
    before = statuses(app)
    assert before[late] == before[late_uk] == "awaiting"

    lines = _run(runner, "--today", TODAY.isoformat())
    assert lines[0] == "requests flagged overdue: 2"
    after = statuses(app)
    assert after[late] == after[late_uk] == "overdue"
    assert after[due_today] == "awaiting" and after[answered] == "answered"

    events = _events(app)
    assert [e.request_id for e in events] == [late, late_uk]
    atia, foia = events
    assert atia.occurred_on == date(2026, 10, 31)  # the day after the due date
    assert atia.dedupe_key == "deemed_refusal:2026-10-30"
    assert atia.recorded_by_id is None
    calendar_late, working_late = deadlines.days_late(
        "ca-atia", date(2026, 10, 30), TODAY, province="ON"
    )
    assert calendar_late == 19
    assert "deemed refused under ATIA s.10(3)" in atia.note
    assert f"{calendar_late} days late as of 2026-11-18 ({working_late} working days)" in atia.note
    assert atia.details["working_days_late"] == working_late
    uk = deadlines.LAWS["uk-foia"]
    # UK FOIA has no deemed refusal: silence breaches s.10(1) (issue 15 part 3).
    assert "deemed refused" not in foia.note
    assert f"breaches {uk.silence_cite}" in foia.note
    assert "FOIA 2000 s.10(1)" in foia.note and foia.occurred_on == date(2026, 11, 3)

    # Again, and again on later days: no second entry for the same due date.
    assert _run(runner, "--today", TODAY.isoformat())[0] == "requests flagged overdue: 0"
    assert _run(runner, "--today", "2026-11-25")[0] == "requests flagged overdue: 1"
    assert [e.request_id for e in _events(app)] == [late, late_uk, due_today]


def test_the_request_service_agrees_with_the_sweep(app, runner, make_user):
    reporter = make_user("reporter@example.org").id
    cbsa = add_institution(app, reporter, "Canada Border Services Agency")
    late = add_request(app, reporter, cbsa, "Detention reviews", date(2026, 10, 30))
    _run(runner, "--today", TODAY.isoformat())
    with app.app_context(), clock.frozen(TODAY):
        session = db.session()
        request = session.get(InfoRequest, late)
        assert recompute(session, request, TODAY).status == "overdue"
        # The response arrives: the request is answered; the deemed refusal stays in history.
        add_event(
            session,
            request.owner,
            request,
            EventData(kind="final_response", occurred_on=TODAY, details={"outcome": "full"}),
            today=TODAY,
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=10,
        )
        session.commit()
        assert request.status == "answered"
    assert _run(runner, "--today", "2026-11-19")[0] == "requests flagged overdue: 0"
    assert len(_events(app)) == 1


def test_dry_run_counts_and_writes_nothing(app, runner, make_user, caplog):
    reporter = make_user("reporter@example.org").id
    cbsa = add_institution(app, reporter, "Canada Border Services Agency")
    add_request(app, reporter, cbsa, "Detention reviews", TODAY - timedelta(days=1))
    add_request(app, reporter, cbsa, "Seized goods", TODAY + timedelta(days=2))
    lines = _run(runner, "--today", TODAY.isoformat(), "--dry-run")
    assert lines[:4] == [
        "requests flagged overdue: 1 (dry run: nothing written or sent)",
        "alerts queued: 2",
        "alerts sent: 0",
        "alerts failed: 0",
    ]
    assert set(statuses(app).values()) == {"awaiting"}
    assert _events(app) == []
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Alert)) == 0


def test_without_a_mail_server_mails_go_to_the_log_and_count_as_sent(
    app, runner, make_user, caplog
):
    reporter = make_user("reporter@example.org").id
    cbsa = add_institution(app, reporter, "Canada Border Services Agency")
    add_request(app, reporter, cbsa, "Detention reviews", TODAY - timedelta(days=1))
    with caplog.at_level(logging.INFO, logger="tracker.alerts.mail"):
        lines = _run(runner, "--today", TODAY.isoformat())
    assert lines[1:4] == ["alerts queued: 2", "alerts sent: 2", "alerts failed: 0"]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "tracker.alerts.mail")
    assert "Subject: Overdue, deemed refused: Detention reviews (was due 2026-11-17)" in logged
    assert "Subject: Weekly digest: 1 late request as of 2026-11-18" in logged
    assert _run(runner, "--today", TODAY.isoformat())[1:3] == ["alerts queued: 0", "alerts sent: 0"]


def test_malformed_today_is_refused(runner):
    result = runner.invoke(args=["sweep", "--today", "2026-13-45"])
    assert result.exit_code == 2
    assert "'2026-13-45' is not a date; write it as YYYY-MM-DD" in result.output


def test_today_is_each_newsrooms_own(app, runner, make_user):
    toronto = make_user("t@example.org", newsroom="Toronto Star").id
    honolulu = make_user("h@example.org", newsroom="Honolulu Civil Beat").id
    with app.app_context():
        with db.transaction() as session:
            session.scalars(
                sa.select(Newsroom).where(Newsroom.name == "Honolulu Civil Beat")
            ).one().timezone = "Pacific/Honolulu"
    due = date(2026, 11, 17)
    in_toronto = add_request(app, toronto, add_institution(app, toronto, "CBSA"), "A", due)
    in_honolulu = add_request(
        app,
        honolulu,
        add_institution(app, honolulu, "FBI", law="us-foia"),
        "B",
        deadlines_due("us-foia", due),
        law="us-foia",
    )
    # 2026-11-18 06:00 UTC: already the 18th in Toronto, still the 17th in Honolulu.
    with clock.frozen_now(datetime(2026, 11, 18, 6, 0, tzinfo=UTC)):
        assert _run(runner)[0] == "requests flagged overdue: 1"
    assert statuses(app)[in_toronto] == "overdue"
    assert statuses(app)[in_honolulu] == "awaiting"
    with clock.frozen_now(datetime(2026, 11, 18, 11, 0, tzinfo=UTC)):
        assert _run(runner)[0] == "requests flagged overdue: 1"  # 01:00 on the 18th there
    assert statuses(app)[in_honolulu] == "overdue"


def deadlines_due(law: str, due: date) -> date:
    """``due`` itself when it is a working day under the law (the helper finds the receipt)."""
    assert deadlines.is_working_day(law, due)
    return due


def test_the_sweep_writes_in_the_words_of_the_law_in_force_on_receipt(
    app, runner, make_user, client, auth
):
    """Issue 15 part 4: a FOIP request received before 2025-06-11 and swept after it is
    described by FOIP, not by the Access to Information Act that replaced it; and part 3:
    "Deemed refusal" heads the entry only where the law has one."""
    reporter = make_user("reporter@example.org").id
    city = add_institution(app, reporter, "City of Calgary", law="ca-ab-foip")
    fbi = add_institution(app, reporter, "FBI", law="us-foia")
    home_office = add_institution(app, reporter, "Home Office", law="uk-foia")
    foip_due = date(2025, 7, 3)  # 30 days after a receipt on 2025-06-03 (FOIP s.11(1))
    foip = add_request(app, reporter, city, "Flood maps", foip_due, law="ca-ab-foip")
    foia = add_request(app, reporter, fbi, "Field office memos", date(2026, 11, 2), law="us-foia")
    uk = add_request(app, reporter, home_office, "Visa refusals", date(2026, 11, 2), law="uk-foia")
    with app.app_context():
        received = db.session().get(InfoRequest, foip).received_on
    assert received < date(2025, 6, 11)

    assert _run(runner, "--today", TODAY.isoformat())[0] == "requests flagged overdue: 3"
    by_request = {e.request_id: e for e in _events(app)}
    alberta = by_request[foip]
    assert "deemed refused under FOIP (Alta.) s.11(2)" in alberta.note
    assert "ATIA (Alta.)" not in alberta.note and "Access to Information Act" not in alberta.note
    assert alberta.details["label"] == "Deemed refusal"
    assert by_request[foia].details["label"] == (
        "No response by the due date: constructive exhaustion"
    )
    assert by_request[uk].details["label"] == (
        "No response by the due date: time for compliance breached"
    )

    auth.login()
    headings = {
        request: [
            s.get_text() for s in page(client.get(f"/requests/{request}")).select(".entry-kind")
        ]
        for request in (foip, foia, uk)
    }
    assert "Deemed refusal" in headings[foip]
    for request in (foia, uk):
        assert not any("deemed refusal" in h.lower() for h in headings[request]), headings
    assert "No response by the due date: constructive exhaustion" in headings[foia]
    # The API and the export name the entry in the same words.
    with app.app_context():
        from tracker.timeline import kinds

        assert kinds.entry_label("deemed_refusal", by_request[foia].details) == (
            "No response by the due date: constructive exhaustion"
        )
        # An entry stored before the sweep wrote its label: "Deemed refusal" only where it
        # cites a deemed-refusal section.
        assert kinds.entry_label("deemed_refusal", {"section": None}) == (
            "No response by the due date"
        )
        assert kinds.entry_label("deemed_refusal", {"section": "ATIA s.10(3)"}) == (
            "Deemed refusal"
        )
