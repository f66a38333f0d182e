"""The newsroom mailbox over IMAP, against a real Dovecot: messages stored, matched and moved
to "filed", idempotent by content and Message-ID, oversize left with a reason, the server down
or refusing the login shown on the dashboard, a scheduler killed mid-poll and a second one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from tests import builders
from tests import mail_helpers as mh
from tests.conftest import page
from tracker.core import db
from tracker.core.models import MailboxPoll, MailMessage
from tracker.mail_in import imap

TODAY = date(2024, 3, 10)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def mailbox(dovecot: Any) -> Any:
    dovecot.empty()
    return dovecot


def _config(app: Flask, server: Any, **more: Any) -> dict[str, Any]:
    settings = {**app.config, **server.config(), "IMAP_SSL": False, "IMAP_NEWSROOM": "La Presse"}
    settings["IMAP_PORT"] = int(settings["IMAP_PORT"])
    settings.update(more)
    return settings


def _setup(app: Flask) -> int:
    with builders.desk(app, today=TODAY) as desk:
        rcmp = desk.institution("RCMP", access_email="atip-aiprp@rcmp-grc.gc.ca")
        return desk.request(rcmp, "Clearview", file_number="A-2024-00123").id


def _rows(app: Flask) -> list[MailMessage]:
    with app.app_context():
        session = db.session()
        rows = list(session.scalars(sa.select(MailMessage).order_by(MailMessage.id)))
        session.expunge_all()
        return rows


def test_poll_stores_matches_and_files_once(app: Flask, mailbox: Any) -> None:
    request_id = _setup(app)
    matched = mh.message("Re: A-2024-00123", "We acknowledge receipt.", message_id="<m1@gc>")
    unmatched = mh.message("Hello", "Something else.", message_id="<m2@gc>", sender="a@x.test")
    same_id = mh.message("Hello (copy)", "Something else!", message_id="<m2@gc>")
    big = mh.message(
        "Release", "Attached.", attachments=(("r.pdf", "application/pdf", mh.pdf_bytes(1_300_000)),)
    )
    mailbox.append(matched, unmatched, same_id, big)
    config = _config(app, mailbox, MAX_UPLOAD_MB=1)
    with app.app_context():
        result = imap.poll(db.session(), config)
    assert result is not None and result.error == ""
    assert (result.filed, result.attached, result.queued, result.duplicates, result.skipped) == (
        3,
        1,
        1,
        1,
        1,
    )
    rows = _rows(app)
    assert [(r.status, r.request_id) for r in rows] == [
        ("attached", request_id),
        ("review", None),
        ("skipped", None),
    ]
    assert "over the 1 MB upload limit: left in the mailbox" in rows[2].problem
    assert mailbox.count("INBOX") == 1 and mailbox.count("filed") == 3
    with app.app_context():
        again = imap.poll(db.session(), config)
    assert again is not None and (again.filed, again.skipped) == (0, 0)
    assert len(_rows(app)) == 3
    with app.app_context():
        status = db.session().get(MailboxPoll, "imap")
        assert status is not None and status.filed == 3 and status.last_error == ""
        assert status.last_success_at is not None


def test_server_down_or_login_refused_is_shown_and_the_next_poll_works(
    app: Flask, mailbox: Any, client: Any, auth: Any
) -> None:
    _setup(app)
    mailbox.append(mh.message("A-2024-00123", "Acknowledged."))
    with app.app_context():
        refused = imap.poll(db.session(), _config(app, mailbox, IMAP_PASSWORD="wrong"))
    assert refused is not None and "cannot reach or log in" in refused.error
    assert "AUTHENTICATIONFAILED" in refused.error or "Authentication failed" in refused.error
    with app.app_context():
        down = imap.poll(db.session(), _config(app, mailbox, IMAP_PORT=1))
    assert down is not None and "Connection refused" in down.error
    auth.login()
    shown = page(client.get("/")).select_one("#mailbox-poll")
    assert shown is not None and "Connection refused" in shown.get_text()
    assert "has not been read yet" in shown.get_text()
    with app.app_context():
        works = imap.poll(db.session(), _config(app, mailbox))
    assert works is not None and works.filed == 1 and works.error == ""
    shown = page(client.get("/mail/")).select_one("#mailbox-poll")
    assert "1 messages filed" in shown.get_text() and "Last error" not in shown.get_text()


def _scheduler(app_config: dict[str, Any], server: Any, log: Any) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": app_config["DATABASE_URL"],
        "TRACKER_INSTANCE_PATH": app_config["INSTANCE_PATH"],
        "TRACKER_SECRET_KEY": "test-secret",
        "TRACKER_SCHEDULER_LEASE_SECONDS": "2",
        "TRACKER_IMAP_NEWSROOM": "La Presse",
        "PYTHONUNBUFFERED": "1",
        **{f"TRACKER_{k}": v for k, v in server.config().items()},
    }
    env.pop("TRACKER_SMTP_HOST", None)
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tracker", "scheduler", "--poll-seconds", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait(condition: Any, timeout: float = 60, message: Any = str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out: {message()}")


def test_a_scheduler_killed_mid_poll_and_a_second_one_file_each_message_once(
    app: Flask, app_config: dict[str, Any], mailbox: Any
) -> None:
    _setup(app)
    # Nine chunks (imap.CHUNK) within one poll (imap.BATCH): too many to store in the moment
    # between the first chunk and the kill (120, three chunks, were sometimes all stored).
    total = 450
    mailbox.append(
        *[
            mh.message(f"Letter {n} A-2024-00123", f"Text {n}.", message_id=f"<n{n}@gc>")
            for n in range(total)
        ]
    )
    app.extensions["engine"].dispose()
    logs = Path(app_config["INSTANCE_PATH"]) / "schedulers.log"
    log = logs.open("a")
    first = _scheduler(app_config, mailbox, log)
    try:
        _wait(lambda: len(_rows(app)) >= 5)
        first.send_signal(signal.SIGKILL)  # a restart in the middle of a poll
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    # Stopped mid-way: some stored (maybe not yet moved), some not read at all.
    assert 0 < len(_rows(app)) < total and mailbox.count("INBOX") > 0
    # Two schedulers start: one takes the lock (after the dead one's lease), one waits.
    second, third = _scheduler(app_config, mailbox, log), _scheduler(app_config, mailbox, log)
    try:
        _wait(lambda: mailbox.count("INBOX") == 0, message=logs.read_text)
    finally:
        for proc in (second, third):
            proc.send_signal(signal.SIGTERM)
        for proc in (second, third):
            proc.wait(20)
    rows = _rows(app)
    assert sorted(r.message_id for r in rows) == sorted(f"<n{n}@gc>" for n in range(total))
    assert mailbox.count("filed") == total
    assert all(r.status == "attached" for r in rows)
