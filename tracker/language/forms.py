"""The language switch (every page) and the account's language setting."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.validators import AnyOf, InputRequired

from tracker.language.i18n import LOCALE_NAMES, LOCALES, lazy_gettext


class SwitchForm(FlaskForm):
    """One click: the interface in this language (account and cookie)."""

    locale = HiddenField(validators=[InputRequired(), AnyOf(LOCALES)])
    next = HiddenField()


class LanguageForm(FlaskForm):
    """The account's language, or none (the browser's, else the newsroom's)."""

    locale = SelectField(
        lazy_gettext("Language of the interface"),
        choices=[("", lazy_gettext("My browser’s language"))]
        + [(code, LOCALE_NAMES[code]) for code in LOCALES],
        validators=[
            AnyOf(("", *LOCALES), message=lazy_gettext("Choose a language from the list."))
        ],
    )
    submit = SubmitField(lazy_gettext("Save"))


class RequestLanguageForm(FlaskForm):
    """The language of one request's letters and packet ("": the default)."""

    language = SelectField(
        lazy_gettext("Letters and packet in"),
        choices=[("", "")] + [(code, LOCALE_NAMES[code]) for code in LOCALES],
        validators=[AnyOf(("", *LOCALES))],
    )
