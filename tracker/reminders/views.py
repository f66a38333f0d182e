"""Set and delete personal reminders (thin: the service decides)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.core.tenancy import load_owned_request_or_404
from tracker.language.i18n import _
from tracker.reminders import service
from tracker.reminders.forms import DeleteReminderForm, ReminderForm

bp = Blueprint("reminders", __name__)


@bp.route("/requests/<int:request_id>/remind", methods=["GET", "POST"])
@login_required
def remind(request_id: int) -> str | Response:
    """ "Remind me on DATE" about a request, whatever its status."""
    info_request = load_owned_request_or_404(request_id)
    form = ReminderForm()
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                made = service.add_reminder(
                    session,
                    current_user,
                    info_request,
                    form.remind_on.data,
                    form.note.data or "",
                    clock.today(reader_timezone()),
                )
        except service.ReminderError as exc:
            target = getattr(form, exc.field or "", None)
            if target is None:
                form.form_errors.append(str(exc))
            else:
                target.errors = [*target.errors, str(exc)]
        else:
            flash(
                _("You will be reminded on %(date)s.", date=made.remind_on.isoformat()), "success"
            )
            return redirect(url_for("requests.show", request_id=request_id))
    elif request.method == "POST" and form.remind_on.errors:
        form.remind_on.errors = [_("Enter a date (YYYY-MM-DD).")]
    return render_template("reminders/form.html", form=form, info_request=info_request)


@bp.post("/reminders/<int:reminder_id>/delete")
@login_required
def delete(reminder_id: int) -> Response:
    """Delete one of one's own reminders."""
    if not DeleteReminderForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        if not service.delete_reminder(session, current_user, reminder_id):
            abort(404)
    flash(_("Reminder deleted."), "success")
    return redirect(url_for("home.dashboard") + "#reminders")
