"""Login, logout and password pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from tracker.auth import devices, reset, service, sessions
from tracker.auth.forms import (
    ChangePasswordForm,
    EndSessionForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
)
from tracker.core import clock, db
from tracker.core.context import current_flask_app
from tracker.core.models import Newsroom, User
from tracker.language.i18n import COOKIE_NAME as LOCALE_COOKIE
from tracker.language.i18n import _, lazy_gettext, ngettext, normalize_locale
from tracker.people import service as people

bp = Blueprint("auth", __name__)

# What an account with a temporary password may reach before changing it.
BEFORE_CHANGE = frozenset({"auth.change_password", "auth.logout", "auth.login", "static"})


@bp.before_app_request
def temporary_password_first() -> Response | None:
    """An account logged in with a temporary password changes it before anything else."""
    if (
        request.endpoint not in BEFORE_CHANGE
        and request.blueprint != "api"  # a token is its own credential
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        flash(_("Your password is temporary: choose your own to go on."), "info")
        return redirect(url_for("auth.change_password"))
    return None


LOGIN_FAILED = lazy_gettext("E-mail or password is incorrect.")
THROTTLED = lazy_gettext("Too many failed attempts. Wait 15 minutes, then try again.")


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _client(account: str) -> service.Client:
    """The client trying an account: its address, or its device cookie for that account."""
    return service.client_for(
        request.remote_addr or "-",
        devices.nonce_for(
            current_app.config["SECRET_KEY"], request.cookies.get(devices.COOKIE), account
        ),
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Show the login form; log the user in on a right e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email, now = form.email.data or "", clock.now()
        client = _client(email)
        with db.transaction() as session_:
            if service.login_throttled(session_, email, client, now):
                form.form_errors.append(THROTTLED)
                form.password.data = ""
                return render_template("auth/login.html", form=form), 429
            user = service.authenticate(session_, email, form.password.data or "")
            if user is None:
                service.record_login_failure(session_, email, client, now)
            else:
                service.clear_client_failures(session_, email, client)
                # A language chosen with the switch before logging in becomes the account's
                # when it has none yet (its letters and packets then default to it too).
                chosen = normalize_locale(request.cookies.get(LOCALE_COOKIE))
                if chosen and not normalize_locale(user.locale):
                    user.locale = chosen
                secret = sessions.start(
                    session_,
                    user,
                    user_agent=request.user_agent.string,
                    address=request.remote_addr or "",
                    now=now,
                    bounds=sessions.limits(current_app.config),
                )
        if user is not None:
            session.clear()  # a fresh session at login: nothing carried over from before
            session[sessions.COOKIE_KEY] = secret
            login_user(user)
            response = redirect(_safe_next(form.next.data) or url_for("home.dashboard"))
            devices.remember(response, current_app.config, user.email)
            return response
        form.form_errors.append(LOGIN_FAILED)
        form.password.data = ""
    return render_template("auth/login.html", form=form)


def _end_this_session() -> None:
    """Log out here: end this session's row, then forget the cookie's contents."""
    if "user_session_id" in g:
        with db.transaction() as session_:
            sessions.end(session_, current_user.id, g.user_session_id, clock.now())
    logout_user()
    session.clear()


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out (POST only, with a CSRF token): the session ends on the server too."""
    form = LogoutForm()
    if form.validate_on_submit():
        _end_this_session()
        flash(_("You are logged out."), "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("home.dashboard"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change one's own password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            with db.transaction() as session_:
                service.change_password(current_user, form.current.data or "", form.new.data or "")
                ended = sessions.end_all(
                    session_, current_user.id, clock.now(), keep=g.get("user_session_id")
                )
        except service.AccountError as exc:
            target = form.current if exc.field == "current" else form.new
            target.errors = [*target.errors, str(exc)]
        else:
            if ended:
                message = ngettext(
                    "Your password is changed. %(num)d other session ended.",
                    "Your password is changed. %(num)d other sessions ended.",
                    ended,
                )
            else:
                message = _("Your password is changed.")
            flash(message, "success")
            return redirect(url_for("home.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.get("/account/sessions")
@login_required
def sessions_page() -> Response:
    """The account's sessions that still work, with a button to end each or all."""
    bounds = sessions.limits(current_app.config)
    rows = sessions.live_sessions(db.session(), current_user.id, clock.now(), bounds)
    return make_response(
        render_template(
            "auth/sessions.html",
            rows=rows,
            current_id=g.get("user_session_id"),
            expires={row.id: sessions.expires_at(row, bounds) for row in rows},
            form=EndSessionForm(),
            everywhere=LogoutForm(),
        )
    )


@bp.post("/account/sessions/end")
@login_required
def end_session() -> Response:
    """End one of one's own sessions (this one logs out here)."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        flash(_("That session could not be ended: reload the page and try again."), "error")
        return redirect(url_for("auth.sessions_page"))
    chosen = form.session_id.data
    if chosen == g.get("user_session_id"):
        _end_this_session()
        flash(_("You are logged out."), "info")
        return redirect(url_for("auth.login"))
    with db.transaction() as session_:
        ended = sessions.end(session_, current_user.id, chosen or 0, clock.now())
    flash(_("The session is ended.") if ended else _("That session had already ended."), "success")
    return redirect(url_for("auth.sessions_page"))


@bp.post("/account/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    """Log out everywhere: every session of the account ends, this one too."""
    if not LogoutForm().validate_on_submit():
        return redirect(url_for("auth.sessions_page"))
    with db.transaction() as session_:
        sessions.end_all(session_, current_user.id, clock.now())
    logout_user()
    session.clear()
    flash(_("You are logged out everywhere."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> str:
    """Ask for a reset link; the answer is the same, and as quick, whether or not the account
    exists: the account is looked up and the mail sent after the answer."""
    form = ForgotPasswordForm()
    sent = False
    if form.validate_on_submit():
        email, now = form.email.data or "", clock.now()
        # Each ask counts against the throttle of "reset:<e-mail>" (per client, per account and
        # per address, as logins), so nobody can flood an inbox; a throttled ask is answered
        # the same and sends nothing.
        key = "reset:" + service.normalise_email(email)
        client = _client(email)
        with db.transaction() as session_:
            throttled = service.login_throttled(session_, key, client, now)
            service.record_login_failure(session_, key, client, now)
        if not throttled:
            reset.later_sender(current_flask_app()).submit(email)
        sent = True
    return render_template(
        "auth/forgot.html", form=form, sent=sent, minutes=reset.RESET_MAX_AGE_SECONDS // 60
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response:
    """Choose a new password through a link from the reset mail (once, before it expires)."""
    user = reset.user_for_token(db.session(), current_app.config["SECRET_KEY"], token)
    form = ResetPasswordForm() if user is not None else None
    if user is not None and form is not None and form.validate_on_submit():
        try:
            with db.transaction() as session_:
                found = db.get_or_404(session_, User, user.id)
                reset.set_new_password(found, form.new.data or "")
                service.clear_login_failures(session_, found.email)
                sessions.end_all(session_, found.id, clock.now())
        except service.AccountError as exc:
            form.new.errors = [*form.new.errors, str(exc)]
        else:
            logout_user()
            session.clear()
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    response = make_response(
        render_template(
            "auth/reset.html", form=form, user=user, min_length=service.MIN_PASSWORD_LENGTH
        ),
        200 if user is not None else 404,
    )
    # The page's address is the secret: keep it out of caches and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response:
    """Make the account an editor invited this address to, with the password chosen here."""
    invitation = people.read_invitation(db.session(), current_app.config["SECRET_KEY"], token)
    form = ResetPasswordForm() if invitation is not None else None
    if invitation is not None and form is not None and form.validate_on_submit():
        try:
            with db.transaction() as session_:
                people.accept_invitation(session_, invitation, form.new.data or "")
        except people.PeopleError as exc:
            form.new.errors = [*form.new.errors, str(exc)]
        except IntegrityError:  # accepted twice at the same moment: the other one made it
            form.new.errors = [*form.new.errors, "This invitation was just used: log in."]
        else:
            logout_user()
            session.clear()
            flash(_("Your account is ready. Log in with your new password."), "success")
            return redirect(url_for("auth.login"))
    newsroom = (
        db.session().get(Newsroom, invitation.newsroom_id) if invitation is not None else None
    )
    response = make_response(
        render_template(
            "auth/invitation.html",
            form=form,
            invitation=invitation,
            newsroom=newsroom.name if newsroom is not None else "",
            min_length=service.MIN_PASSWORD_LENGTH,
        ),
        200 if invitation is not None else 404,
    )
    # The page's address is the secret: keep it out of caches and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
