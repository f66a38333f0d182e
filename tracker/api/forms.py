"""Forms of the API tokens settings page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class NewTokenForm(FlaskForm):
    """Name a new token after what will use it."""

    name = StringField(
        "Token name",
        validators=[
            DataRequired(message="Name the token after the script or tool that will use it."),
            Length(max=100, message="At most 100 characters."),
        ],
        description="For example: “deadline spreadsheet script”.",
    )
    submit = SubmitField("Make a token")


class RevokeTokenForm(FlaskForm):
    """Revoke one token (a button with a CSRF token)."""

    submit = SubmitField("Revoke")
