"""Forms of the API tokens settings page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from tracker.language.i18n import lazy_gettext


class NewTokenForm(FlaskForm):
    """Name a new token after what will use it."""

    name = StringField(
        lazy_gettext("Token name"),
        validators=[
            DataRequired(
                message=lazy_gettext("Name the token after the script or tool that will use it.")
            ),
            Length(max=100, message=lazy_gettext("At most 100 characters.")),
        ],
        description=lazy_gettext("For example: “deadline spreadsheet script”."),
    )
    submit = SubmitField(lazy_gettext("Make a token"))


class RevokeTokenForm(FlaskForm):
    """Revoke one token (a button with a CSRF token)."""

    submit = SubmitField(lazy_gettext("Revoke"))
