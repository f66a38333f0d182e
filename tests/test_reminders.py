"""Personal reminders (issue 19, item 10): "remind me on DATE" on any request, mailed that
day through the alert outbox and listed on the dashboard."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import Alert, Reminder

TODAY = date(2024, 6, 3)


def test_remind_me_on_a_day_mails_once_and_shows_on_the_dashboard(app, auth, client, runner):
    with builders.desk(app, today=TODAY) as d:
        closed = d.request("RCMP", "Answered long ago", received=date(2023, 1, 5))
        closed.final_response(date(2023, 2, 1))
        request_id = closed.id
    auth.login()
    url = f"/requests/{request_id}/remind"
    with clock.frozen(TODAY):
        assert "Remind me" in page(client.get(f"/requests/{request_id}")).get_text()
        past = page(auth.post(url, {"remind_on": "2024-06-02", "note": "kept"}))
        assert "has passed" in past.select_one("#remind_on-error").get_text()
        assert past.select_one("#remind_on")["value"] == "2024-06-02"
        assert past.select_one("#note").get_text().strip() == "kept"
        long = page(auth.post(url, {"remind_on": "2024-06-10", "note": "n" * 10_000}))
        assert "At most 500 characters" in long.select_one("#note-error").get_text()
        garbled = page(auth.post(url, {"remind_on": "soon", "note": ""}))
        assert garbled.select_one("#remind_on-error")
        made = auth.post(url, {"remind_on": "2024-06-10", "note": "Call the ATIP office"})
        assert made.status_code == 302
        board = page(client.get("/")).select_one("#reminders")
    assert "Answered long ago" in board.get_text() and "Call the ATIP office" in board.get_text()
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Reminder)) == 1

    def sweep(day):
        with clock.frozen(day):
            result = runner.invoke(args=["sweep", "--today", day.isoformat()])
        assert result.exit_code == 0, result.output

    sweep(date(2024, 6, 9))
    with app.app_context():
        assert db.session().scalar(sa.select(Alert).where(Alert.kind == "reminder")) is None
    sweep(date(2024, 6, 10))
    sweep(date(2024, 6, 11))
    with app.app_context():
        sent = db.session().scalars(sa.select(Alert).where(Alert.kind == "reminder")).all()
        assert [(a.recipient, a.deadline_on, a.request_id) for a in sent] == [
            ("reporter@example.org", date(2024, 6, 10), request_id)
        ]
        assert "Call the ATIP office" in sent[0].body_text
        assert f"/requests/{request_id}" in sent[0].body_text
        reminder_id = db.session().scalar(sa.select(Reminder.id))
    deleted = auth.post(f"/reminders/{reminder_id}/delete", {})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Reminder)) == 0
