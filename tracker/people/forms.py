"""Forms of the people page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from tracker.language.i18n import lazy_gettext
from tracker.people.service import ROLE_LABELS, ROLE_NAMES


class AddPersonForm(FlaskForm):
    """E-mail, name and role of someone to invite."""

    email = EmailField(
        lazy_gettext("E-mail"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(),
            Length(max=254),
            Email(
                message=lazy_gettext("This is not an e-mail address."), check_deliverability=False
            ),
        ],
    )
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(lazy_gettext("Role"), choices=list(ROLE_LABELS.items()), default="reporter")
    submit = SubmitField(lazy_gettext("Send an invitation"))


class RoleForm(FlaskForm):
    """Another role for one account."""

    role = SelectField(lazy_gettext("Role"), choices=list(ROLE_NAMES.items()))
    submit = SubmitField(lazy_gettext("Change role"))


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (deactivate, reactivate, send a link)."""

    submit = SubmitField(lazy_gettext("Go"))
