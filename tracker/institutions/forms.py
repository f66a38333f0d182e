"""Institution form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.laws import law_choices, province_choices


class InstitutionForm(FlaskForm):
    """Name, governing law, province or state, access office e-mail."""

    name = StringField("Name", validators=[DataRequired(), Length(max=300)])
    law_code = SelectField("Law", validators=[DataRequired()])
    province = SelectField(
        "Province or state",
        validators=[Optional()],
        description="Adds that province's or state's holidays where the law counts them.",
    )
    access_email = EmailField(
        "Access office e-mail", validators=[Optional(), Email(), Length(max=254)]
    )
    submit = SubmitField("Save institution")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.law_code.choices = law_choices()
        self.province.choices = [("", "— none —"), *province_choices()]


class ArchiveForm(FlaskForm):
    """Archive ("1") or restore ("0") an institution."""

    archived = HiddenField()
