"""Import forms: the upload, then the column mapping on the preview page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from tracker.imports.service import COLUMN_FIELDS, CONFIRMED, DATE_FORMATS, Mapping
from tracker.institutions.jurisdictions import law_choices
from tracker.language.i18n import lazy_gettext
from tracker.requests.service import RESPONSE_OUTCOMES

NOT_IN_FILE = ""
_CONFIRMATIONS = ("confirm_same_date_column", "confirm_new_year")
_HELP = {
    "title": lazy_gettext("Leave empty to use the first line of the text."),
    "file_number": lazy_gettext(
        "Rows with the same file number are one request (one row per release "
        "package), and a file number already in the tracker is refused."
    ),
    "received_on": lazy_gettext("Day 0 of the statutory clock."),
    "completed_on": lazy_gettext("Recorded as the final response; empty means still waiting."),
    "decision": lazy_gettext(
        "e.g. all disclosed, disclosed in part, nothing disclosed, discontinued."
    ),
    "institution": lazy_gettext("Matched by name (capitals ignored) or created."),
    "law": lazy_gettext("A law code (ca-on-mfippa) or the law’s name."),
}


class UploadForm(FlaskForm):
    """Step 1: choose the CSV file."""

    file = FileField(
        lazy_gettext("CSV file"),
        validators=[FileRequired(message=lazy_gettext("Choose a CSV file."))],
        description=lazy_gettext(
            "Saved from a spreadsheet as CSV, UTF-8, comma- or "
            "semicolon-separated, with column names in the first row."
        ),
    )
    submit = SubmitField(lazy_gettext("Upload and preview"))


class MappingForm(FlaskForm):
    """Step 2: which column holds what, and defaults for what the file does not say."""

    title = SelectField(COLUMN_FIELDS["title"], validators=[Optional()])
    text = SelectField(COLUMN_FIELDS["text"], validators=[Optional()])
    file_number = SelectField(COLUMN_FIELDS["file_number"], validators=[Optional()])
    received_on = SelectField(COLUMN_FIELDS["received_on"], validators=[Optional()])
    completed_on = SelectField(COLUMN_FIELDS["completed_on"], validators=[Optional()])
    decision = SelectField(COLUMN_FIELDS["decision"], validators=[Optional()])
    institution = SelectField(COLUMN_FIELDS["institution"], validators=[Optional()])
    law = SelectField(COLUMN_FIELDS["law"], validators=[Optional()])
    default_institution = StringField(
        lazy_gettext("Institution for rows without one"),
        validators=[Optional(), Length(max=300)],
        description=lazy_gettext(
            "e.g. City of Toronto. Matched by name or created with the law below."
        ),
    )
    default_law = SelectField(
        lazy_gettext("Law for rows without one"),
        validators=[Optional()],
        description=lazy_gettext("Also the law of institutions the import creates."),
    )
    date_format = SelectField(
        lazy_gettext("Dates are written as"), choices=list(DATE_FORMATS.items())
    )
    default_outcome = SelectField(
        lazy_gettext("When a completed row's decision is empty or unknown"),
        validators=[Optional()],
        description=lazy_gettext("Leave on 'report it' to see those rows in the check."),
    )
    as_of = StringField(
        lazy_gettext("Figures as of"),
        validators=[Optional(), Length(max=10)],
        description=lazy_gettext(
            "YYYY-MM-DD. A request the file leaves unanswered is "
            '"unanswered as of" this day, not late and counting today. Empty: the latest date '
            'in the file. Type "today" to keep such requests open (a spreadsheet you still '
            "keep up)."
        ),
    )
    confirm_same_date_column = BooleanField(
        lazy_gettext("One column really holds both the received and the completed date"),
        description=lazy_gettext("Every request would then be answered the day it was received."),
    )
    confirm_new_year = BooleanField(
        lazy_gettext("The file's 1 January dates are real"),
        description=lazy_gettext("Otherwise they are reported as likely placeholders."),
    )
    submit = SubmitField(lazy_gettext("Check the file (dry run)"))

    def __init__(self, headers: list[str], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        columns = [(NOT_IN_FILE, lazy_gettext("— not in the file —")), *[(h, h) for h in headers]]
        for name in COLUMN_FIELDS:
            field = getattr(self, name)
            field.choices = columns
            field.description = _HELP.get(name, "")
        self.default_law.choices = [("", lazy_gettext("— none —")), *law_choices()]
        self.default_outcome.choices = [
            ("", lazy_gettext("Report it as a problem")),
            *RESPONSE_OUTCOMES.items(),
        ]

    def fill(self, mapping: Mapping) -> None:
        """Show a mapping (guessed or saved) in the fields."""
        for name, value in mapping.to_dict().items():
            if name in _CONFIRMATIONS:
                getattr(self, name).data = value == CONFIRMED
            else:
                getattr(self, name).data = value or ""

    def mapping(self) -> Mapping:
        """The mapping as chosen."""
        values = {}
        for name in Mapping.__dataclass_fields__:
            data = getattr(self, name).data
            values[name] = (CONFIRMED if data else "") if name in _CONFIRMATIONS else data or None
        return Mapping.from_dict(values)


class ImportForm(FlaskForm):
    """Step 3: confirm the import after the dry run."""

    skip_invalid = BooleanField(
        lazy_gettext("Leave out the requests whose rows have errors and import the others")
    )
    submit = SubmitField(lazy_gettext("Import"))


class CancelForm(FlaskForm):
    """Cancel an import (its CSRF token alone)."""
