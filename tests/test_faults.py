"""Faults: a mail server that accepts and never answers, the scheduler killed in the middle of a
sweep, and migrations applied to a populated database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alerts_helpers import TODAY, Collector, SmtpServer, add_institution, add_request
from api_helpers import quick_user

from tests.conftest import AuthActions, page
from tracker.alerts import service
from tracker.core import clock, db
from tracker.core.config import PROJECT_ROOT
from tracker.core.db import Base
from tracker.core.migrate import downgrade, upgrade
from tracker.core.models import Alert, InfoRequest, TimelineEvent, User


class SilentServer:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.held.append(conn)

    def close(self) -> None:
        """Stop accepting and drop the held connections."""
        self._stop.set()
        self.thread.join(timeout=2)
        for conn in self.held:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def hanging_config(port: int) -> dict[str, Any]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_STARTTLS": False,
        "SMTP_TIMEOUT": 1,
        "MAIL_FROM": "ATI tracker <alerts@tracker.test>",
    }


def test_hanging_mail_server_times_out_and_the_alert_waits_for_a_retry(app, silent):
    user_id = quick_user(app, "reporter@example.org")
    app.config.update(hanging_config(silent.port))
    with app.app_context(), db.transaction() as session:
        for n in range(3):
            session.add(
                Alert(
                    dedupe_key=f"overdue:{n}:{user_id}:2026-11-17",
                    kind="overdue",
                    user_id=user_id,
                    recipient="reporter@example.org",
                    subject=f"Overdue {n}",
                    body_text="late",
                )
            )
    started = time.monotonic()
    with app.app_context():
        delivery = service.deliver_pending(db.session(), app.config)
    elapsed = time.monotonic() - started
    assert elapsed < 4, f"the send waited {elapsed:.1f}s with a 1 s timeout"
    assert (delivery.sent, delivery.failed, delivery.retrying) == (0, 0, 1)
    with app.app_context():
        rows = db.session().scalars(sa.select(Alert).order_by(Alert.id)).all()
        tried, untried = rows[0], rows[1:]
        assert tried.status == "pending" and tried.attempts == 1
        assert "timed out" in tried.last_error
        assert tried.next_attempt_at > clock.now()
        # The server is away: the rest are left pending, untried, not burned.
        assert all(r.status == "pending" and r.attempts == 0 for r in untried)

    # The mail server comes back: every alert arrives, once.
    real = SmtpServer()
    real.start()
    try:
        app.config.update(real.config())
        with clock.frozen_now(datetime.now(UTC) + timedelta(hours=1)), app.app_context():
            assert service.deliver_pending(db.session(), app.config).sent == 3
            assert service.deliver_pending(db.session(), app.config).sent == 0
        assert sorted(s for _, s in real.handler.received()) == [
            "Overdue 0",
            "Overdue 1",
            "Overdue 2",
        ]
    finally:
        real.stop()


def test_password_reset_with_a_hanging_mail_server_answers_in_time(app, client, silent):
    quick_user(app, "reporter@example.org")
    app.config.update(hanging_config(silent.port))
    started = time.monotonic()
    response = AuthActions(client).post("/password/forgot", {"email": "reporter@example.org"})
    assert time.monotonic() - started < 4
    assert response.status_code == 200
    assert page(response).select_one("#reset-sent") is not None


class SlowCollector(Collector):
    """Accepts each message after a pause, so a sweep can be killed between two sends."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(0.1)
        return await super().handle_DATA(server, session, envelope)


OVERDUE = 30


def test_sweep_killed_mid_way_then_the_next_completes_without_duplicates(app, runner):
    smtp = SmtpServer()
    smtp.handler = SlowCollector()
    smtp.start()
    try:
        owner = quick_user(app, "reporter@example.org")
        cbsa = add_institution(app, owner, "Canada Border Services Agency")
        # Working days up to two weeks back (Wednesday 18 November; the 11th is a holiday).
        back = (1, 2, 5, 6, 8, 9, 12, 13)
        for n in range(OVERDUE):
            add_request(app, owner, cbsa, f"Request {n}", TODAY - timedelta(days=back[n % 8]))
        app.config.update(smtp.config())
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": app.config["DATABASE_URL"],
            "TRACKER_INSTANCE_PATH": app.config["INSTANCE_PATH"],
            "TRACKER_SECRET_KEY": app.config["SECRET_KEY"],
            "TRACKER_BASE_URL": app.config["BASE_URL"],
            "TRACKER_SMTP_HOST": "127.0.0.1",
            "TRACKER_SMTP_PORT": str(smtp.port),
            "TRACKER_SMTP_STARTTLS": "0",
            "TRACKER_MAIL_FROM": "ATI tracker <alerts@tracker.test>",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "tracker", "sweep", "--today", str(TODAY)],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while len(smtp.handler.messages) < 5 and process.poll() is None:
            assert time.monotonic() < deadline, "the sweep sent nothing"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        assert process.returncode == -signal.SIGKILL, "the sweep finished before it was killed"
        time.sleep(0.3)  # a message in flight when the sender died may still land
        sent_before = len(smtp.handler.messages)
        assert 5 <= sent_before < OVERDUE

        with clock.frozen_now(datetime.now(UTC) + timedelta(minutes=5)):
            result = runner.invoke(args=["sweep", "--today", str(TODAY)])
        assert result.exit_code == 0, result.output
        with clock.frozen_now(datetime.now(UTC) + timedelta(minutes=30)):
            assert runner.invoke(args=["sweep", "--today", str(TODAY)]).exit_code == 0

        received = smtp.handler.received()
        assert len(received) == len(set(received)), "a mail was sent twice"
        with app.app_context():
            s = db.session()
            entries = s.execute(
                sa.select(TimelineEvent.request_id, sa.func.count())
                .where(TimelineEvent.kind == "deemed_refusal")
                .group_by(TimelineEvent.request_id)
            ).all()
            assert len(entries) == OVERDUE and {n for _, n in entries} == {1}
            statuses = set(s.scalars(sa.select(InfoRequest.status)))
            assert statuses == {"overdue"}
            alerts = s.scalars(sa.select(Alert)).all()
            assert len(alerts) == OVERDUE + 1  # one overdue alert each, and the weekly digest
            by_status = {a.status for a in alerts}
            sent = [a for a in alerts if a.status == "sent"]
            # The row in flight at the kill is never resent blindly: sent, or failed as unknown.
            unknown = [a for a in alerts if a.status == "failed"]
            assert by_status <= {"sent", "failed"} and len(unknown) <= 1
            assert all(a.last_error == service.UNKNOWN_OUTCOME for a in unknown)
            assert len(sent) <= len(received) <= len(sent) + len(unknown)
    finally:
        smtp.stop()


# Derived data (stored scorecards and the revisions they are checked against, migration 0006):
# a downgrade below their migration drops them, and they start empty again after the upgrade
# (every scorecard is computed afresh). No request data lives there. Login sessions (0009) go
# the same way: below it nobody stays logged in.
DERIVED_TABLES = {"data_revision", "scorecard_snapshot", "scorecard_change", "user_session"}


def _rows(app) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but the derived ones, as column -> value, in primary key order."""
    engine = app.extensions["engine"]
    inspector = sa.inspect(engine)
    present = set(inspector.get_table_names())
    found = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in present or table.name in DERIVED_TABLES:
                continue
            columns = [c["name"] for c in inspector.get_columns(table.name)]
            keys = [sa.column(c.name) for c in table.primary_key.columns]
            result = conn.execute(
                sa.select(*[sa.column(c) for c in columns])
                .select_from(sa.table(table.name))
                .order_by(*keys)
            )
            found[table.name] = [dict(row._mapping) for row in result]
    return found


def _cut(
    snapshot: dict[str, list[dict[str, Any]]], shape: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """A snapshot cut to the columns another one has (a downgrade drops columns)."""
    return {
        name: [{k: v for k, v in row.items() if k in shape[name][0]} for row in rows]
        for name, rows in snapshot.items()
        if shape.get(name)
    }


def test_migrations_keep_every_row_of_a_populated_database(app, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    owner = quick_user(app, "gone@example.org", newsroom="Demo newsroom")
    with app.app_context(), db.transaction() as session:
        gone = session.get(User, owner)
        gone.active, gone.deactivated_at = False, clock.now()
    assert runner.invoke(args=["sweep"]).exit_code == 0  # alerts and deemed refusals
    AuthActions(app.test_client()).login("nobody@example.org", "wrong password!")
    at_head = _rows(app)
    assert all(at_head[t] for t in ("user_account", "info_request", "timeline_event", "alert"))
    assert at_head["attachment"] and at_head["login_failure"]

    # Down to the first revision and up again, with the data in the tables.
    downgrade(app, "0001")
    at_first = _rows(app)
    # Tables newer than 0001 that the demo leaves empty (import_batch, imported_request: it
    # imports nothing) are dropped on the way down, and so are the records' texts and their
    # queue (0019: derived from the files and notes, made again on the way up); every other
    # row is kept.
    derived = {"record_file", "record_text", "record_exemption"}
    assert {t: len(r) for t, r in at_first.items()} == {
        t: len(r) for t, r in at_head.items() if (r and t not in derived) or t in at_first
    }
    assert _cut(at_head, at_first) == _cut(at_first, at_first)
    upgrade(app)
    again = _rows(app)
    assert {t: len(r) for t, r in again.items()} == {t: len(r) for t, r in at_head.items()}
    assert _cut(again, at_first) == _cut(at_head, at_first)
    assert again["user_account"][0].keys() == at_head["user_account"][0].keys()
    # Running the upgrade again at head changes nothing.
    upgrade(app)
    assert _rows(app) == again
