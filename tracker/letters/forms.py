"""The letter forms: draft an offered letter, edit it, send it, record it as sent, profile."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from tracker.language.i18n import lazy_gettext


class DraftForm(FlaskForm):
    """Draft an offered letter in a language."""

    key = HiddenField()
    language = SelectField(
        lazy_gettext("Language"), choices=[("en", "English"), ("fr", "Français")], default="en"
    )
    submit = SubmitField(lazy_gettext("Draft this letter"))


class LetterForm(FlaskForm):
    """A draft's recipient, subject and text (checked by the service, errors beside each)."""

    recipient_name = StringField(lazy_gettext("To (name)"), validators=[Length(max=300)])
    recipient_email = StringField(
        lazy_gettext("To (e-mail address)"),
        validators=[Length(max=254)],
        description=lazy_gettext("Needed to send it from the tracker."),
    )
    subject = StringField(lazy_gettext("Subject"))
    body = TextAreaField(lazy_gettext("Letter"), render_kw={"rows": 24})
    submit = SubmitField(lazy_gettext("Save draft"))


class SendForm(FlaskForm):
    """Send the saved draft: only with the box ticked."""

    confirm = BooleanField(
        lazy_gettext("I have read this letter and want it sent now, from my name."),
        validators=[
            DataRequired(lazy_gettext("Tick the box to confirm: nothing is sent without it."))
        ],
    )
    submit = SubmitField(lazy_gettext("Send"))


class RecordForm(FlaskForm):
    """Record a letter sent another way, on a date."""

    sent_on = DateField(
        lazy_gettext("Sent on"),
        validators=[DataRequired(lazy_gettext("Give the date it was sent."))],
    )
    submit = SubmitField(lazy_gettext("Record as sent"))


class OutsideReviewForm(FlaskForm):
    """Record an internal review asked for outside the tracker, on a date."""

    sent_on = DateField(
        lazy_gettext("Review requested on"),
        validators=[DataRequired(lazy_gettext("Give the date it was sent."))],
    )
    note = TextAreaField(
        lazy_gettext("What you asked for (optional)"),
        validators=[Optional(), Length(max=100_000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(lazy_gettext("Record the review"))


class ProfileForm(FlaskForm):
    """The reporter's mailing address and telephone, for letters and complaint forms."""

    mailing_address = TextAreaField(
        lazy_gettext("Mailing address"),
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 4},
    )
    telephone = StringField(lazy_gettext("Telephone"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(lazy_gettext("Save"))
