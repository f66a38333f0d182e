"""The "remind me" form; the service refuses a past day beside the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SubmitField, TextAreaField
from wtforms.validators import Optional

from tracker.language.i18n import lazy_gettext


class ReminderForm(FlaskForm):
    """The day to be reminded and a note to oneself."""

    remind_on = DateField(lazy_gettext("Remind me on"), validators=[Optional()])
    note = TextAreaField(
        lazy_gettext("Note to yourself"), description=lazy_gettext("Optional; in the mail.")
    )
    submit = SubmitField(lazy_gettext("Set the reminder"))


class DeleteReminderForm(FlaskForm):
    """Delete a reminder."""

    submit = SubmitField(lazy_gettext("Delete"))
