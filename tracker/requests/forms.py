"""Request and timeline forms; every error is shown beside its field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from tracker import deadlines
from tracker.institutions.jurisdictions import law_choices, province_choices
from tracker.language.i18n import _, lazy_gettext
from tracker.timeline import kinds


class RequestForm(FlaskForm):
    """Log or edit a request; the due date is computed, never typed."""

    institution_id = SelectField(lazy_gettext("Institution"), validators=[Optional()])
    new_institution = StringField(
        lazy_gettext("…or a new institution"),
        validators=[Optional(), Length(max=300)],
        description=lazy_gettext(
            "Type a name to create the institution with the law chosen below."
        ),
    )
    new_institution_province = SelectField(
        lazy_gettext("Its province or state"), validators=[Optional()]
    )
    law_code = SelectField(
        lazy_gettext("Law"),
        validators=[Optional()],
        description=lazy_gettext(
            "Leave on the institution's law unless this request "
            "falls under another (e.g. the Privacy Act)."
        ),
    )
    title = StringField(
        lazy_gettext("Title"),
        validators=[DataRequired(), Length(max=300)],
        description=lazy_gettext("A short name you will recognise on the dashboard."),
    )
    text = TextAreaField(
        lazy_gettext("What you asked for"),
        validators=[Optional(), Length(max=100_000)],
        description=lazy_gettext("The full text of the request, as sent."),
    )
    sent_on = DateField(lazy_gettext("Date sent"), validators=[Optional()])
    received_on = DateField(
        lazy_gettext("Date received by the institution"),
        validators=[
            InputRequired(
                message=lazy_gettext("Enter the date the institution received the request.")
            )
        ],
        description=lazy_gettext("Day 0: the count starts the next day."),
    )
    file_number = StringField(
        lazy_gettext("Institution's file number"), validators=[Optional(), Length(max=100)]
    )
    # The request's version when the form was opened (editing only): see update_request.
    version = HiddenField()
    submit = SubmitField(lazy_gettext("Save request"))

    def __init__(
        self, institutions: list[tuple[int, str]], *args: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id.choices = [
            ("", lazy_gettext("— pick one —")),
            *[(str(i), name) for i, name in institutions],
        ]
        self.law_code.choices = [("", lazy_gettext("The institution's law")), *law_choices()]
        self.new_institution_province.choices = [
            ("", lazy_gettext("— none —")),
            *province_choices(),
        ]

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        """Either an institution is picked or a new one is named (with its law)."""
        ok = super().validate(extra_validators)
        if not self.institution_id.data and not (self.new_institution.data or "").strip():
            self.institution_id.errors = [
                *self.institution_id.errors,
                _("Pick an institution or type a new one’s name."),
            ]
            ok = False
        elif not self.institution_id.data and not self.law_code.data:
            self.law_code.errors = [
                *self.law_code.errors,
                _("Pick the law that governs the new institution."),
            ]
            ok = False
        if (
            self.sent_on.data
            and self.received_on.data
            and self.sent_on.data > self.received_on.data
        ):
            self.received_on.errors = [
                *self.received_on.errors,
                _("The request cannot be received before it was sent."),
            ]
            ok = False
        return ok


class EventForm(FlaskForm):
    """A timeline entry: its date, a note and any files."""

    occurred_on = DateField(
        lazy_gettext("Date"),
        validators=[InputRequired(message=lazy_gettext("Enter the date."))],
        description=lazy_gettext("The date on the letter or notice."),
    )
    note = TextAreaField(
        kinds.NOTE.label,
        validators=[
            Optional(),
            Length(
                max=kinds.NOTE_MAX_LENGTH,
                message=lazy_gettext("At most %(num)s characters.", num=kinds.NOTE_MAX_LENGTH),
            ),
        ],
    )
    files = MultipleFileField(
        lazy_gettext("Files"),
        description=lazy_gettext("Letters, PDFs, saved e-mails (.eml), scans."),
    )
    submit = SubmitField(lazy_gettext("Add to timeline"))
    kind: kinds.Kind | None = None

    def details(self) -> dict[str, object]:
        """The kind-specific facts typed in this form."""
        return {}


class AttachFilesForm(FlaskForm):
    """More files for an existing timeline entry (no correction)."""

    files = MultipleFileField(
        lazy_gettext("Files"),
        description=lazy_gettext("Letters, PDFs, saved e-mails (.eml), scans."),
    )
    submit = SubmitField(lazy_gettext("Attach"))


class _WholeNumberField(IntegerField):
    """An integer typed on the form; anything else is refused with the registry's words
    (``Field.refusal``), once, without the limits' messages after it."""

    def __init__(self, *args: Any, not_whole: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.not_whole = not_whole

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            # Left empty (spaces are empty too): the field's required or optional check says.
            self.data, self.raw_data = None, [""]
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.not_whole) from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def _wtforms_field(f: kinds.Field, law: deadlines.Law) -> Any:
    """The WTForms field for a declared field, with the registry's limits and messages."""
    description = f.describe(law)
    if f.type == "integer":
        validators: list[Any] = [
            InputRequired(message=f.refusal("missing")) if f.required else Optional(),
            NumberRange(min=f.minimum, message=f.refusal("below")),
        ]
        if f.maximum is not None:
            validators.append(NumberRange(max=f.maximum, message=f.refusal("above")))
        return _WholeNumberField(
            f.label,
            validators=validators,
            description=description,
            not_whole=f.refusal("not_whole"),
        )
    if f.type == "text":
        return StringField(
            f.label,
            validators=[
                DataRequired(message=f.missing) if f.required else Optional(),
                *([Length(max=f.maximum, message=f.above())] if f.maximum else []),
            ],
            description=description,
        )
    if f.type == "date":
        return DateField(
            f.label,
            validators=[InputRequired(message=f.missing) if f.required else Optional()],
            description=description,
        )
    if f.type == "boolean":
        return BooleanField(f.label, description=description)
    options = f.options(law)
    return SelectField(
        f.label,
        validators=[DataRequired(message=f.missing) if f.required else Optional()],
        choices=options if f.default else [("", lazy_gettext("— pick one —")), *options],
        default=f.default,
        description=description,
    )


def _details(form: EventForm) -> dict[str, object]:
    """The kind's facts as typed: text stripped, dates as YYYY-MM-DD."""
    out: dict[str, object] = {}
    for f in form.kind.fields if form.kind is not None else ():
        if f.name not in form:
            continue
        value = form[f.name].data
        if f.type == "text":
            value = (value or "").strip()
        elif f.type == "date":
            value = value.isoformat() if value else None
        elif f.type == "boolean":
            value = bool(value)
        elif f.type == "choice":
            value = value or f.default
        out[f.name] = value
    return out


def event_form(
    kind_code: str, law_code: str, received: date | None = None, **kwargs: Any
) -> EventForm:
    """The form for an entry of this kind under the request's law, built from its declaration
    (tracker.timeline.kinds): a field per declared fact that concerns this law."""
    kind = kinds.get(kind_code)
    law = deadlines.law_in_force(law_code, received) if received else deadlines.LAWS[law_code]
    fields = {
        f.name: _wtforms_field(f, law)
        for f in (kind.fields if kind is not None else ())
        if f.applies_to(law)
    }
    form_class = type(
        f"{kind_code.title().replace('_', '')}Form",
        (EventForm,),
        {**fields, "kind": kind, "details": _details},
    )
    form: EventForm = form_class(**kwargs)
    return form


class NumberForm(FlaskForm):
    """Another file number of the request."""

    kind = SelectField(lazy_gettext("Kind of number"))
    number = StringField(lazy_gettext("File number"))
    submit = SubmitField(lazy_gettext("Add the number"))


class LinkForm(FlaskForm):
    """A link from this request to another."""

    kind = SelectField(lazy_gettext("This request was"))
    other = StringField(
        lazy_gettext("Other request"),
        description=lazy_gettext("Its tracker number (#123) or one of its file numbers."),
    )
    submit = SubmitField(lazy_gettext("Link the requests"))


class RemoveForm(FlaskForm):
    """A button that removes a number or a link."""

    submit = SubmitField(lazy_gettext("Remove"))


class ReassignForm(FlaskForm):
    """Hand the request to another reporter (editors)."""

    owner = SelectField(lazy_gettext("New reporter"), coerce=int, validate_choice=False)
    submit = SubmitField(lazy_gettext("Reassign"))


class WatcherForm(FlaskForm):
    """A colleague who will receive the request's alerts."""

    user = SelectField(lazy_gettext("Colleague"), coerce=int, validate_choice=False)
    submit = SubmitField(lazy_gettext("Add as a watcher"))


BULK_ACTIONS = (
    ("tag", lazy_gettext("Tag them")),
    ("project", lazy_gettext("Add them to a project")),
    ("reassign", lazy_gettext("Reassign them (editors)")),
    ("export", lazy_gettext("Export them as CSV")),
)


class BulkForm(FlaskForm):
    """One action on the list's chosen rows."""

    action = SelectField(lazy_gettext("With the chosen requests"), choices=BULK_ACTIONS)
    tags = StringField(
        lazy_gettext("Tags"), description=lazy_gettext("For “Tag them”: separated by commas.")
    )
    project = SelectField(lazy_gettext("Project"), coerce=int, validate_choice=False)
    owner = SelectField(lazy_gettext("New reporter"), coerce=int, validate_choice=False)
    submit = SubmitField(lazy_gettext("Apply"))
