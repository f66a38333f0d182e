"""The home page after login: what needs attention today."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker.alerts.service import failed_alerts_for
from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.home.steps import next_step
from tracker.mail_in.service import poll_status
from tracker.reminders.forms import DeleteReminderForm
from tracker.reminders.service import upcoming
from tracker.requests.describe import row_lateness
from tracker.requests.queries import dashboard as dashboard_query

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def dashboard() -> str:
    """Overdue requests first, then those due within 7 days, then closing complaint windows."""
    today = clock.today(reader_timezone())
    board = dashboard_query(db.session(), current_user.newsroom_id, today)
    shown = [*board.overdue, *board.due_soon, *board.complaint_closing]
    return render_template(
        "home/dashboard.html",
        board=board,
        today=today,
        lateness={r.id: row_lateness(r, today) for r in shown},
        steps={r.id: next_step(r.law_code, r.complaint_due_on, today) for r in board.overdue},
        failed_alerts=failed_alerts_for(db.session(), current_user, limit=20),
        reminders=upcoming(db.session(), current_user, today),
        delete_reminder=DeleteReminderForm(),
        poll=poll_status(db.session(), current_user.newsroom_id),
    )
