"""The alert settings form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SubmitField
from wtforms.validators import Email, Length, Optional

from tracker.alerts.service import PREFERENCE_KINDS
from tracker.language.i18n import lazy_gettext


class AlertSettingsForm(FlaskForm):
    """Which alerts to receive, at what address, and (editors) for the whole newsroom."""

    alert_email = EmailField(
        lazy_gettext("Send alerts to"),
        validators=[
            Optional(),
            Email(lazy_gettext("This is not an e-mail address.")),
            Length(max=254),
        ],
        description=lazy_gettext("Leave blank to use the e-mail address you log in with."),
    )
    newsroom = BooleanField(lazy_gettext("Also receive the alerts of every request in my newsroom"))
    submit = SubmitField(lazy_gettext("Save alert settings"))

    def kind_fields(self) -> list[BooleanField]:
        """The checkboxes, one per alert kind, in order."""
        return [getattr(self, f"kind_{kind}") for kind in PREFERENCE_KINDS]


for _kind, _label in PREFERENCE_KINDS.items():
    setattr(AlertSettingsForm, f"kind_{_kind}", BooleanField(_label))


class ConfirmForm(FlaskForm):
    """A button with a CSRF token (send again)."""

    submit = SubmitField(lazy_gettext("Send again"))
