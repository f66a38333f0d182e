"""Login, logout and password pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from tracker import clock, db
from tracker.auth import reset, service
from tracker.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    ResetPasswordForm,
)

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "E-mail or password is incorrect."
THROTTLED = "Too many failed attempts. Wait 15 minutes, then try again."


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """Show the login form; log the user in on a right e-mail and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email, address, now = form.email.data or "", request.remote_addr or "-", clock.now()
        with db.transaction() as session_:
            if service.login_throttled(session_, email, address, now):
                form.form_errors.append(THROTTLED)
                form.password.data = ""
                return render_template("auth/login.html", form=form), 429  # type: ignore[return-value]
            user = service.authenticate(session_, email, form.password.data or "")
            if user is None:
                service.record_login_failure(session_, email, address, now)
            else:
                service.clear_login_failures(session_, email)
        if user is not None:
            session.clear()  # a fresh session at login: nothing carried over from before
            login_user(user)
            return redirect(_safe_next(form.next.data) or url_for("home.dashboard"))
        form.form_errors.append(LOGIN_FAILED)
        form.password.data = ""
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Log out (POST only, with a CSRF token)."""
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
        flash("You are logged out.", "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("home.dashboard"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            with db.transaction():
                service.change_password(current_user, form.current.data or "", form.new.data or "")
        except service.AccountError as exc:
            target = form.current if "current" in str(exc) else form.new
            target.errors = [*target.errors, str(exc)]
        else:
            flash("Your password is changed.", "success")
            return redirect(url_for("home.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> str:
    """Ask for a reset link; the answer is the same whether or not the account exists."""
    form = ForgotPasswordForm()
    sent = False
    if form.validate_on_submit():
        email, address, now = form.email.data or "", request.remote_addr or "-", clock.now()
        # Each ask counts against the login throttle of "reset:<e-mail>" and of the address,
        # so nobody can flood an inbox; a throttled ask is answered the same and sends nothing.
        key = "reset:" + service.normalise_email(email)
        with db.transaction() as session_:
            throttled = service.login_throttled(session_, key, address, now)
            service.record_login_failure(session_, key, address, now)
        if not throttled:
            reset.send_reset(db.session(), email, current_app.config)
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
                found = session_.get(type(user), user.id)
                reset.set_new_password(found, form.new.data or "")
                service.clear_login_failures(session_, found.email)
        except service.AccountError as exc:
            form.new.errors = [*form.new.errors, str(exc)]
        else:
            logout_user()
            session.clear()
            flash("Your password is set. Log in with it.", "success")
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
