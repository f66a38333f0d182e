"""Forms of the people page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from tracker.people.service import ROLE_LABELS


class AddPersonForm(FlaskForm):
    """E-mail, name and role of someone to invite."""

    email = EmailField(
        "E-mail",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(message="This is not an e-mail address.", check_deliverability=False),
        ],
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=list(ROLE_LABELS.items()), default="reporter")
    submit = SubmitField("Send an invitation")


class RoleForm(FlaskForm):
    """Another role for one account."""

    role = SelectField("Role", choices=[(r, r.capitalize()) for r in ROLE_LABELS])
    submit = SubmitField("Change role")


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (deactivate, reactivate, send a link)."""

    submit = SubmitField("Go")
