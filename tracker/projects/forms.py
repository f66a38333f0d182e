"""Project and label forms; names are checked by the service and refused beside the field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.language.i18n import lazy_gettext


class ProjectForm(FlaskForm):
    """A new project: its name and what it is about."""

    name = StringField(
        lazy_gettext("Name"),
        description=lazy_gettext(
            "A story or an investigation, e.g. “Police use of facial recognition”."
        ),
    )
    description = TextAreaField(lazy_gettext("What it is about"))
    submit = SubmitField(lazy_gettext("Make the project"))


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LabelsForm(FlaskForm):
    """A request's projects and tags."""

    projects = CheckboxesField(lazy_gettext("Projects"), coerce=int, validate_choice=False)
    new_project = StringField(
        lazy_gettext("New project"),
        description=lazy_gettext("Optional: a project to make and put this request in."),
    )
    tags = StringField(
        lazy_gettext("Tags"),
        description=lazy_gettext("Separated by commas, e.g. “police, surveillance”."),
    )
    submit = SubmitField(lazy_gettext("Save projects and tags"))
