"""Alert settings page and the signed unsubscribe link."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker import csrf
from tracker.alerts import mail, service
from tracker.alerts.forms import AlertSettingsForm, ConfirmForm
from tracker.core import db
from tracker.language.i18n import _

bp = Blueprint("alerts", __name__)


@bp.route("/settings/alerts", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    """Choose which alerts to receive and where; see alerts that could not be sent."""
    prefs = service.preferences_of(current_user)
    form = AlertSettingsForm(
        data={
            "alert_email": current_user.alert_email or "",
            "newsroom": prefs[service.NEWSROOM_WIDE],
            **{f"kind_{kind}": prefs[kind] for kind in service.PREFERENCE_KINDS},
        }
    )
    if not current_user.is_editor:
        del form.newsroom
    if form.validate_on_submit():
        choices = {
            kind: bool(getattr(form, f"kind_{kind}").data) for kind in service.PREFERENCE_KINDS
        }
        if current_user.is_editor:
            choices[service.NEWSROOM_WIDE] = bool(form.newsroom.data)
        try:
            with db.transaction() as session:
                service.save_settings(session, current_user, choices, form.alert_email.data)
        except service.AlertSettingsError as exc:
            target = getattr(form, exc.field or "", None)
            if target is not None:
                target.errors = [*target.errors, str(exc)]
            else:
                form.form_errors.append(str(exc))
        else:
            flash(_("Your alert settings are saved."), "success")
            return redirect(url_for("alerts.settings"))
    failed = service.failed_alerts_for(db.session(), current_user)
    return render_template(
        "alerts/settings.html",
        form=form,
        failed=failed,
        address=service.address_of(current_user),
        resend=ConfirmForm(),
    )


@bp.post("/settings/alerts/<int:alert_id>/resend")
@login_required
def resend(alert_id: int) -> Response:
    """Put a failed alert back in the outbox, at a person's request."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        if not service.requeue_alert(session, current_user, alert_id):
            abort(404)
    flash(_("The alert will be sent again with the next delivery."), "success")
    return redirect(url_for("alerts.settings"))


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential (RFC 8058 one-click POSTs carry no CSRF token)
def unsubscribe(token: str) -> str:
    """GET shows one button; POST (the button, or a mail client's one-click) stops the alerts."""
    found = mail.read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    if found is None or found[1] not in service.PREFERENCE_KINDS:
        abort(404)
    user_id, kind = found
    label = service.PREFERENCE_KINDS[kind]
    if request.method == "POST":
        with db.transaction() as session:
            if service.stop_kind(session, user_id, kind) is None:
                abort(404)
        return render_template("alerts/unsubscribe.html", done=True, label=label, kind=kind)
    return render_template("alerts/unsubscribe.html", done=False, label=label, kind=kind)
