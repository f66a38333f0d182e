"""Account forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.auth.service import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])
    next = HiddenField()
    submit = SubmitField("Log in")


class ChangePasswordForm(FlaskForm):
    """The current password and a new one, typed twice."""

    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH, message=f"Use at least {MIN_PASSWORD_LENGTH} characters."
            ),
        ],
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new", message="The two new passwords differ.")],
    )
    submit = SubmitField("Change password")


class LogoutForm(FlaskForm):
    """Logging out is a POST with a CSRF token."""

    submit = SubmitField("Log out")


class ForgotPasswordForm(FlaskForm):
    """The e-mail of the account whose password was forgotten."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a link")


class ResetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    new = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH, message=f"Use at least {MIN_PASSWORD_LENGTH} characters."
            ),
        ],
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new", message="The two new passwords differ.")],
    )
    submit = SubmitField("Set password")


class EndSessionForm(FlaskForm):
    """Which of one's own sessions to end."""

    session_id = IntegerField("Session", validators=[DataRequired()])
    submit = SubmitField("End this session")
