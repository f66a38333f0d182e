"""Institution form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.institutions.jurisdictions import law_choices, province_choices
from tracker.language.i18n import lazy_gettext


class InstitutionForm(FlaskForm):
    """Name, governing law, province or state, access office e-mail."""

    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=300)])
    law_code = SelectField(lazy_gettext("Law"), validators=[DataRequired()])
    province = SelectField(
        lazy_gettext("Province or state"),
        validators=[Optional()],
        description=lazy_gettext(
            "Adds that province's or state's holidays where the law counts them."
        ),
    )
    access_email = EmailField(
        lazy_gettext("Access office e-mail"), validators=[Optional(), Email(), Length(max=254)]
    )
    submit = SubmitField(lazy_gettext("Save institution"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.law_code.choices = law_choices()
        self.province.choices = [("", lazy_gettext("— none —")), *province_choices()]


class ArchiveForm(FlaskForm):
    """Archive ("1") or restore ("0") an institution."""

    archived = HiddenField()
