"""Alerts through a real SMTP server (aiosmtpd on 127.0.0.1): planned once, delivered once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alerts_helpers import (
    TODAY,
    SmtpServer,
    add_institution,
    add_request,
    expected_mails,
    prepare_newsroom,
    set_preferences,
)

from tracker.alerts import service
from tracker.core import clock, db
from tracker.core.db import make_engine
from tracker.core.models import Alert

NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A running SMTP server collecting messages."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    """The test app sends through the test server, retrying after 60 s, at most 3 tries."""
    return {**app_config, **smtp.config(), "ALERT_MAX_ATTEMPTS": 3, "ALERT_RETRY_SECONDS": 60}


def sweep(runner: Any, now: datetime = NOW, *args: str) -> dict[str, int]:
    """Run ``flask sweep --today TODAY`` at ``now``; return the printed summary as numbers."""
    with clock.frozen_now(now):
        result = runner.invoke(args=["sweep", "--today", TODAY.isoformat(), *args])
    assert result.exit_code == 0, result.output
    summary = {}
    for line in result.output.splitlines():
        label, _, value = line.partition(": ")
        summary[label] = int(value.split()[0])
    return summary


def alerts(app: Any) -> list[Alert]:
    """Every outbox row."""
    with app.app_context():
        return list(db.session().scalars(sa.select(Alert).order_by(Alert.id)))


def subjects(received: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Compare subjects by their first part (before any added text)."""
    return set(received)


def test_sweep_sends_exactly_the_expected_mails_once(app, runner, make_user, smtp):
    n = prepare_newsroom(app, make_user)
    summary = sweep(runner)
    expected = expected_mails(n)
    assert sorted(smtp.handler.received()) == sorted(expected)
    assert summary == {
        "requests flagged overdue": 2,
        "alerts queued": len(expected),
        "alerts sent": len(expected),
        "alerts failed": 0,
        "alerts waiting to retry": 0,
    }
    assert {a.status for a in alerts(app)} == {"sent"}

    again = sweep(runner, NOW + timedelta(hours=1))
    assert again["requests flagged overdue"] == 0 and again["alerts queued"] == 0
    assert again["alerts sent"] == 0
    assert len(smtp.handler.messages) == len(expected)


def _message_to(smtp: SmtpServer, recipient: str, subject_start: str) -> Any:
    found = [
        msg
        for rcpts, msg in smtp.handler.messages
        if recipient in rcpts and str(msg["Subject"]).strip().startswith(subject_start)
    ]
    assert len(found) == 1, [str(m["Subject"]) for _, m in smtp.handler.messages]
    return found[0]


def test_overdue_mail_says_what_to_do_and_links_back(app, runner, client, make_user, smtp):
    n = prepare_newsroom(app, make_user)
    sweep(runner)
    message = _message_to(smtp, "reporter@example.org", "Overdue, deemed refused")
    assert message["From"] == "ATI tracker <alerts@tracker.test>"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    request_link = f"http://tracker.test/requests/{n.requests['late1']}"
    for body in (text, html):
        assert "Canada Border Services Agency" in body
        assert "2026-11-17" in body  # the due date
        assert "1 day (1 working day)" in body  # days late, from the engine
        assert "ATIA s.10(3)" in body  # deemed refusal
        # ATIA s.31: 60 days from 2026-11-18 end on Saturday 2027-01-16; IA s.26 extends a time
        # limit only past a holiday (s.35), and Saturday is not one (issue 15 part 1).
        assert "Information Commissioner of Canada" in body and "2027-01-16" in body
        assert "ATIA s.31" in body  # the complaint window's section
        assert request_link in body
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://tracker.test/alerts/unsubscribe/")
    assert unsubscribe in text and unsubscribe in html

    due = _message_to(smtp, "reporter@example.org", "Due in 7 days")
    due_text = due.get_body(("plain",)).get_content()
    assert "7 days (5 working days)" in due_text and "2026-11-25" in due_text

    # The one-click link: GET asks, POST (button or mail client, no session) stops that kind.
    path = unsubscribe.removeprefix("http://tracker.test")
    assert "Stop these alerts" in client.get(path).get_data(as_text=True)
    assert client.post(path).status_code == 200
    with app.app_context():
        user = db.session().get(service.User, n.users["a"])
        assert service.preferences_of(user)["overdue"] is False
        assert service.preferences_of(user)["due_in_7"] is True
    assert client.post(path[:-3] + "xyz").status_code == 404  # a tampered token


def test_mail_server_down_during_sweep_every_alert_arrives_once(app, runner, make_user, smtp):
    n = prepare_newsroom(app, make_user)
    expected = expected_mails(n)
    # The server accepts five mails, answers 421 to the sixth and goes away.
    smtp.handler.shut_down_after = 5
    smtp.handler.on_shutdown = smtp.stop
    first = sweep(runner)
    assert first["alerts queued"] == len(expected)
    assert first["alerts sent"] == 5 and first["alerts waiting to retry"] == 1
    rows = alerts(app)
    assert sum(a.status == "pending" for a in rows) == len(expected) - 5
    retried = [a for a in rows if a.attempts == 1 and a.status == "pending"]
    assert len(retried) == 1 and retried[0].last_error.startswith("421")
    assert retried[0].next_attempt_at == NOW + timedelta(seconds=60)

    # Still down a few minutes later: one try, connection refused, nothing lost.
    smtp.handler.shut_down_after = None
    down = sweep(runner, NOW + timedelta(minutes=2))
    assert down["alerts sent"] == 0 and down["alerts waiting to retry"] == 1
    assert sum(a.status == "pending" for a in alerts(app)) == len(expected) - 5

    smtp.start()
    too_early = sweep(runner, NOW + timedelta(minutes=2, seconds=30))  # the retry waits
    assert too_early["alerts sent"] == len(expected) - 5 - 1
    back = sweep(runner, NOW + timedelta(hours=1))
    assert back["alerts sent"] == 1 and back["alerts queued"] == 0
    received = smtp.handler.received()
    assert sorted(received) == sorted(expected)  # each exactly once
    assert {a.status for a in alerts(app)} == {"sent"}


def test_refused_recipient_fails_that_alert_and_the_rest_go(app, runner, make_user, smtp):
    n = prepare_newsroom(app, make_user)
    smtp.handler.refused_recipients = {"b.alerts@example.org"}
    summary = sweep(runner)
    expected = {m for m in expected_mails(n) if m[0] != "b.alerts@example.org"}
    assert sorted(smtp.handler.received()) == sorted(expected)
    assert summary["alerts failed"] == 1 and summary["alerts sent"] == len(expected)
    failed = [a for a in alerts(app) if a.status == "failed"]
    assert [a.recipient for a in failed] == ["b.alerts@example.org"]
    assert failed[0].last_error.startswith("550 5.1.1")
    assert "User unknown" in failed[0].last_error
    with app.app_context():
        session = db.session()
        b = session.get(service.User, n.users["b"])
        editor = session.get(service.User, n.users["e"])
        reporter = session.get(service.User, n.users["a"])
        assert [a.id for a in service.failed_alerts_for(session, b)] == [failed[0].id]
        assert [a.id for a in service.failed_alerts_for(session, editor)] == [failed[0].id]
        assert service.failed_alerts_for(session, reporter) == []


def test_refused_sender_fails_with_the_servers_answer(app, runner, make_user, smtp):
    prepare_newsroom(app, make_user)
    smtp.handler.refuse_sender = True
    summary = sweep(runner)
    assert summary["alerts sent"] == 0 and summary["alerts failed"] == summary["alerts queued"]
    assert smtp.handler.messages == []
    errors = {a.last_error for a in alerts(app)}
    assert len(errors) == 1 and errors.pop().startswith("553 5.7.1")


def test_retries_back_off_then_fail_after_the_last_try(app, runner, make_user, smtp):
    reporter = make_user("reporter@example.org").id
    institution = add_institution(app, reporter, "Transport Canada")
    add_request(app, reporter, institution, "Rail safety audits", TODAY)
    smtp.stop()
    first = sweep(runner, NOW)
    assert first["alerts waiting to retry"] == 1 and first["alerts sent"] == 0
    t = NOW
    for wait in (60, 120):  # ALERT_RETRY_SECONDS=60, doubling
        t += timedelta(seconds=wait)
        early = sweep(runner, t - timedelta(seconds=1))
        assert early["alerts waiting to retry"] == 0  # not yet due: nothing tried
        summary = sweep(runner, t)
        assert summary["alerts sent"] == 0
    assert summary["alerts failed"] == 1  # the third try was the last
    failed = [a for a in alerts(app) if a.status == "failed"]
    assert len(failed) == 1 and failed[0].attempts == 3
    assert "cannot reach the mail server" in failed[0].last_error
    assert "gave up after 3 tries" in failed[0].last_error
    smtp.start()
    assert sweep(runner, t + timedelta(hours=1))["alerts sent"] == 0  # failed stays failed


def test_crash_after_send_is_not_resent_but_reported(app, runner, make_user, smtp, monkeypatch):
    n = prepare_newsroom(app, make_user)
    set_preferences(app, n.users["e"], {"newsroom": False})

    def crash(*_args: Any) -> None:
        raise KeyboardInterrupt("killed between sending and marking")

    monkeypatch.setattr(service, "_mark_sent", crash)
    with pytest.raises(KeyboardInterrupt):
        with clock.frozen_now(NOW), clock.frozen(TODAY), app.app_context():
            service.run_all(db.session(), app.config)
    assert len(smtp.handler.messages) == 1  # it left before the crash
    stuck = [a for a in alerts(app) if a.status == "sending"]
    assert len(stuck) == 1
    monkeypatch.undo()

    soon = sweep(runner, NOW + timedelta(minutes=5))  # others go; the stuck one waits
    assert soon["alerts failed"] == 0
    later = sweep(runner, NOW + timedelta(minutes=30))  # past the 10-minute stale limit
    assert later["alerts failed"] == 1 and later["alerts sent"] == 0
    row = next(a for a in alerts(app) if a.id == stuck[0].id)
    assert row.status == "failed" and row.last_error.startswith("Unknown outcome")
    subjects_sent = [s for _, s in smtp.handler.received()]
    assert len(subjects_sent) == len(set(smtp.handler.received()))  # nothing twice
    with app.app_context():
        session = db.session()
        owner = session.get(service.User, row.user_id)
        assert [a.id for a in service.failed_alerts_for(session, owner)] == [row.id]
        # A person decides to send it again.
        with clock.frozen_now(NOW + timedelta(minutes=31)):
            assert service.requeue_alert(session, owner, row.id)
        session.commit()
    again = sweep(runner, NOW + timedelta(minutes=31))
    assert again["alerts sent"] == 1


def test_two_sweeps_at_once_send_no_duplicate(app, make_user, smtp):
    n = prepare_newsroom(app, make_user)
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def one_sweep() -> None:
        try:
            with app.app_context():
                start.wait()
                results.append(service.run_all(db.session(), app.config))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with clock.frozen_now(NOW), clock.frozen(TODAY):
        threads = [threading.Thread(target=one_sweep) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    expected = expected_mails(n)
    assert sorted(smtp.handler.received()) == sorted(expected)
    assert sum(r.sent for r in results) == len(expected)
    assert sum(r.queued for r in results) == len(expected)
    assert sum(r.flagged for r in results) == 2
    with app.app_context():
        events = db.session().scalar(
            sa.text("SELECT count(*) FROM timeline_event WHERE kind = 'deemed_refusal'")
        )
    assert events == 2


def test_weekly_digest_once_a_week(app, runner, make_user, smtp):
    prepare_newsroom(app, make_user)

    def digests_after(day: str) -> list[str]:
        with clock.frozen_now(NOW):
            assert runner.invoke(args=["sweep", "--today", day]).exit_code == 0
        return sorted(r for r, s in smtp.handler.received() if s.startswith("Weekly digest"))

    assert digests_after("2026-11-18") == ["editor@example.org", "reporter@example.org"]
    # Thursday: Cy's request due on the 18th is late now, so Cy gets a first digest this week.
    assert digests_after("2026-11-19") == [
        "c@ledevoir.test",
        "editor@example.org",
        "reporter@example.org",
    ]
    everyone = [
        "b.alerts@example.org",
        "c@ledevoir.test",
        "editor@example.org",
        "reporter@example.org",
    ]
    assert digests_after("2026-11-22") == everyone  # Sunday: Bo's, due on the 20th
    assert digests_after("2026-11-23") == sorted(everyone * 2)  # Monday: a new week


def test_preferences_choose_the_kinds(app, runner, make_user, smtp):
    n = prepare_newsroom(app, make_user)
    set_preferences(
        app, n.users["a"], {kind: kind == "overdue" for kind in service.PREFERENCE_KINDS}
    )
    sweep(runner)
    mine = [s for r, s in smtp.handler.received() if r == "reporter@example.org"]
    assert mine == ["Overdue, deemed refused: Officer complaints (was due 2026-11-17)"]


def _break_connection(app: Any, session: Any) -> None:
    """Cut the session's database connection from outside, as a network failure or a
    restarted database server would."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        pid = conn.scalar(sa.text("SELECT pg_backend_pid()"))
        other = make_engine(app.config["DATABASE_URL"])
        with other.begin() as admin:
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
    else:
        conn.connection.dbapi_connection.close()


def test_connection_lost_between_claim_and_mark_is_settled_next_run(
    app, runner, make_user, smtp, monkeypatch
):
    n = prepare_newsroom(app, make_user)
    real_mark_sent = service._mark_sent
    broken: list[int] = []

    def lose_the_database(session: Any, alert_id: int) -> None:
        if not broken:  # the first mail has left; the database goes before it is marked
            broken.append(alert_id)
            _break_connection(app, session)
        real_mark_sent(session, alert_id)

    monkeypatch.setattr(service, "_mark_sent", lose_the_database)
    with pytest.raises(sa.exc.DBAPIError):
        with clock.frozen_now(NOW), clock.frozen(TODAY), app.app_context():
            service.run_all(db.session(), app.config)
    monkeypatch.undo()
    assert len(smtp.handler.messages) == 1
    assert [a.id for a in alerts(app) if a.status == "sending"] == broken

    # The next run, even past the 10-minute stale limit: the row is settled as sent, not
    # resent and not reported as unknown; the others go.
    later = sweep(runner, NOW + timedelta(minutes=30))
    assert later["alerts failed"] == 0
    row = next(a for a in alerts(app) if a.id == broken[0])
    assert row.status == "sent" and row.last_error is None and row.sent_at is not None
    assert all(a.status == "sent" for a in alerts(app))
    assert sorted(smtp.handler.received()) == sorted(expected_mails(n))  # each exactly once
    assert sweep(runner, NOW + timedelta(hours=2))["alerts sent"] == 0


def test_connection_lost_at_the_claim_leaves_the_alert_to_the_next_run(
    app, runner, make_user, smtp, monkeypatch
):
    n = prepare_newsroom(app, make_user)
    real_claim = service._claim

    def claim_then_lose(session: Any, alert_id: int, *when: Any) -> bool:
        real_claim(session, alert_id, *when)  # committed: the row says "sending"
        _break_connection(app, session)
        session.execute(sa.text("SELECT 1"))  # the next statement finds the database gone
        return True

    monkeypatch.setattr(service, "_claim", claim_then_lose)
    with pytest.raises(sa.exc.DBAPIError):
        with clock.frozen_now(NOW), clock.frozen(TODAY), app.app_context():
            service.run_all(db.session(), app.config)
    monkeypatch.undo()
    assert smtp.handler.messages == []  # nothing left
    assert len([a for a in alerts(app) if a.status == "sending"]) == 1
    later = sweep(runner, NOW + timedelta(minutes=1))
    assert later["alerts failed"] == 0
    assert all(a.status == "sent" for a in alerts(app))
    assert sorted(smtp.handler.received()) == sorted(expected_mails(n))
