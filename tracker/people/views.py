"""The people page: the newsroom's accounts, for its editors and admins only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.alerts.mail import Mailer, MailError
from tracker.auth import reset
from tracker.core import db
from tracker.core.models import User
from tracker.language.i18n import _
from tracker.people import mail, service
from tracker.people.forms import ActionForm, AddPersonForm, RoleForm

bp = Blueprint("people", __name__, url_prefix="/settings/people")


def editor_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Logged in as an editor or admin, else 403."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_editor:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _page(form: AddPersonForm | None = None, row_errors: dict[int, str] | None = None) -> Response:
    return make_response(
        render_template(
            "people/index.html",
            people=service.people_of(db.session(), current_user.newsroom_id),
            form=form or AddPersonForm(),
            action=ActionForm(),
            row_errors=row_errors or {},
            role_labels=service.ROLE_LABELS,
            role_names=service.ROLE_NAMES,
            invitation_days=service.INVITATION_MAX_AGE.days,
        )
    )


def _person_or_404(user_id: int) -> User:
    person = service.person_of(db.session(), current_user, user_id)
    if person is None:
        abort(404)
    return person


@bp.route("/", methods=["GET", "POST"])
@editor_required
def index() -> Response:
    """Everyone in the newsroom, and the form to invite someone.

    An address with an account in another newsroom is answered exactly as a new one: both
    get one mail (an invitation, or a note), and the editor the same message."""
    form = AddPersonForm()
    if form.validate_on_submit():
        name = form.name.data or ""
        try:
            outgoing = service.invite_person(
                db.session(),
                current_user,
                service.NewPerson(
                    email=form.email.data or "", name=name, role=form.role.data or "reporter"
                ),
                current_app.config["SECRET_KEY"],
            )
        except service.PeopleError as exc:
            target = getattr(form, exc.field or "", None) or form.email
            target.errors = [*target.errors, str(exc)]
        else:
            try:
                with Mailer(current_app.config) as mailer:
                    mailer.send(mail.message(outgoing, name, current_app.config))
            except MailError as exc:
                current_app.logger.warning("invitation to %s not sent: %s", outgoing.email, exc)
                form.email.errors = [
                    *form.email.errors,
                    f"The mail to {outgoing.email} could not be sent; try again later.",
                ]
            else:
                current_app.logger.info("user %s invited %s", current_user.id, outgoing.email)
                flash(
                    _(
                        "An invitation to join is on its way to %(email)s. "
                        "It works for %(days)s days.",
                        email=outgoing.email,
                        days=service.INVITATION_MAX_AGE.days,
                    ),
                    "success",
                )
                return redirect(url_for("people.index"))
    return _page(form=form)


def _row_action(user_id: int, change: Callable[..., None], done: str) -> Response:
    if not ActionForm().validate_on_submit():
        abort(400)
    person = _person_or_404(user_id)
    try:
        with db.transaction() as session:
            change(session, current_user, db.get_or_404(session, User, person.id))
    except service.PeopleError as exc:
        return _page(row_errors={user_id: str(exc)})
    current_app.logger.info("user %s: %s user %s", current_user.id, done, user_id)
    flash(done % {"name": person.name}, "success")
    return redirect(url_for("people.index"))


@bp.post("/<int:user_id>/role")
@editor_required
def role(user_id: int) -> Response:
    """Give someone another role."""
    person = _person_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _page(row_errors={user_id: "Pick one of the roles."})
    try:
        with db.transaction() as session:
            service.change_role(
                session, current_user, db.get_or_404(session, User, person.id), form.role.data or ""
            )
    except service.PeopleError as exc:
        return _page(row_errors={user_id: str(exc)})
    flash(
        _("%(name)s is now %(role)s.", name=person.name, role=service.role_label(form.role.data)),
        "success",
    )
    return redirect(url_for("people.index"))


@bp.post("/<int:user_id>/deactivate")
@editor_required
def deactivate(user_id: int) -> Response:
    """Stop someone's account; their entries keep their name."""
    return _row_action(user_id, service.deactivate, _("%(name)s: deactivated."))


@bp.post("/<int:user_id>/reactivate")
@editor_required
def reactivate(user_id: int) -> Response:
    """Let a deactivated account log in again."""
    return _row_action(user_id, service.reactivate, _("%(name)s: reactivated."))


@bp.post("/<int:user_id>/password-link")
@editor_required
def password_link(user_id: int) -> Response:
    """E-mail someone a link to set their password (the reset link)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    person = _person_or_404(user_id)
    if not person.active:
        return _page(row_errors={user_id: "Reactivate the account first."})
    if reset.send_reset(db.session(), person.email, current_app.config):
        flash(_("A link to set a password was sent to %(email)s.", email=person.email), "success")
    else:
        flash(
            _("The mail to %(email)s could not be sent; try again later.", email=person.email),
            "error",
        )
    return redirect(url_for("people.index"))
