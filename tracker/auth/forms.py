"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.auth.service import MIN_PASSWORD_LENGTH
from tracker.language.i18n import lazy_gettext


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField(lazy_gettext("Log in"))


class ChangePasswordForm(FlaskForm):
    """The current password and a new one, typed twice."""

    current = PasswordField(lazy_gettext("Current password"), validators=[DataRequired()])
    new = PasswordField(
        lazy_gettext("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=lazy_gettext("Use at least %(num)s characters.", num=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new", message=lazy_gettext("The two new passwords differ.")),
        ],
    )
    submit = SubmitField(lazy_gettext("Change password"))


class LogoutForm(FlaskForm):
    """Logging out is a POST with a CSRF token."""

    submit = SubmitField(lazy_gettext("Log out"))


class ForgotPasswordForm(FlaskForm):
    """The e-mail of the account whose password was forgotten."""

    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(lazy_gettext("Send me a link"))


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    new = PasswordField(
        lazy_gettext("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=lazy_gettext("Use at least %(num)s characters.", num=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new", message=lazy_gettext("The two new passwords differ.")),
        ],
    )
    submit = SubmitField(lazy_gettext("Set password"))


class EndSessionForm(FlaskForm):
    """Which of one's own sessions to end."""

    session_id = IntegerField(lazy_gettext("Session"), validators=[DataRequired()])
    submit = SubmitField(lazy_gettext("End this session"))
