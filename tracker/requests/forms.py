"""Request and timeline forms; every error is shown beside its field."""

from __future__ import annotations

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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from tracker import deadlines
from tracker.laws import law_choices, province_choices
from tracker.models import COMPLAINT_FINDINGS, COMPLAINT_GROUNDS
from tracker.requests.service import MAX_EXTENSION_DAYS, RESPONSE_OUTCOMES
from tracker.requests.state import CLOSURES

GROUND_LABELS = {
    "delay": "Delay or deemed refusal",
    "extension": "Extension of time",
    "fees": "Fees",
    "exemptions": "Exemptions applied",
    "missing_records": "Missing records",
    "other": "Other",
}
FINDING_LABELS = {
    "well_founded": "Well-founded",
    "not_well_founded": "Not well-founded",
    "resolved": "Resolved",
    "discontinued": "Discontinued",
}


class RequestForm(FlaskForm):
    """Log or edit a request; the due date is computed, never typed."""

    institution_id = SelectField("Institution", validators=[Optional()])
    new_institution = StringField(
        "…or a new institution",
        validators=[Optional(), Length(max=300)],
        description="Type a name to create the institution with the law chosen below.",
    )
    new_institution_province = SelectField("Its province or state", validators=[Optional()])
    law_code = SelectField(
        "Law",
        validators=[Optional()],
        description="Leave on the institution's law unless this request "
        "falls under another (e.g. the Privacy Act).",
    )
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=300)],
        description="A short name you will recognise on the dashboard.",
    )
    text = TextAreaField(
        "What you asked for",
        validators=[Optional(), Length(max=100_000)],
        description="The full text of the request, as sent.",
    )
    sent_on = DateField("Date sent", validators=[Optional()])
    received_on = DateField(
        "Date received by the institution",
        validators=[InputRequired(message="Enter the date the institution received the request.")],
        description="Day 0: the count starts the next day.",
    )
    file_number = StringField("Institution's file number", validators=[Optional(), Length(max=100)])
    # The request's version when the form was opened (editing only): see update_request.
    version = HiddenField()
    submit = SubmitField("Save request")

    def __init__(
        self, institutions: list[tuple[int, str]], *args: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.institution_id.choices = [
            ("", "— pick one —"),
            *[(str(i), name) for i, name in institutions],
        ]
        self.law_code.choices = [("", "The institution's law"), *law_choices()]
        self.new_institution_province.choices = [("", "— none —"), *province_choices()]

    def validate(self, extra_validators: object = None) -> bool:  # type: ignore[override]
        """Either an institution is picked or a new one is named (with its law)."""
        ok = super().validate(extra_validators)  # type: ignore[arg-type]
        if not self.institution_id.data and not (self.new_institution.data or "").strip():
            self.institution_id.errors = [
                *self.institution_id.errors,
                "Pick an institution or type a new one's name.",
            ]
            ok = False
        elif not self.institution_id.data and not self.law_code.data:
            self.law_code.errors = [
                *self.law_code.errors,
                "Pick the law that governs the new institution.",
            ]
            ok = False
        if (
            self.sent_on.data
            and self.received_on.data
            and self.sent_on.data > self.received_on.data
        ):
            self.received_on.errors = [
                *self.received_on.errors,
                "The request cannot be received before it was sent.",
            ]
            ok = False
        return ok


class EventForm(FlaskForm):
    """A timeline entry: its date, a note and any files."""

    occurred_on = DateField(
        "Date",
        validators=[InputRequired(message="Enter the date.")],
        description="The date on the letter or notice.",
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=20_000)])
    files = MultipleFileField("Files", description="Letters, PDFs, saved e-mails (.eml), scans.")
    submit = SubmitField("Add to timeline")

    def details(self) -> dict[str, object]:
        """The kind-specific facts typed in this form."""
        return {}


class ExtensionForm(EventForm):
    """An extension notice: days, the reason the law names, notice date, Commissioner."""

    days = IntegerField(
        "Days of extension",
        validators=[
            InputRequired(message="Enter the number of days."),
            NumberRange(min=1, message="An extension is at least one day."),
            NumberRange(max=MAX_EXTENSION_DAYS, message=f"At most {MAX_EXTENSION_DAYS} days."),
        ],
    )
    reason = SelectField("Reason given", validators=[DataRequired()])
    notice_on = DateField(
        "Notice date",
        validators=[Optional()],
        description="When the institution sent the notice (default: the date above).",
    )
    commissioner_notified = BooleanField("The institution says it notified the Commissioner")

    def __init__(self, law_code: str, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        unit = "working days" if deadlines.LAWS[law_code].unit == "working" else "calendar days"
        self.days.description = f"In {unit}, as this law counts them."
        self.reason.choices = [
            ("", "— pick one —"),
            *[
                (r.code, f"{r.label} ({deadlines.LAWS[law_code].cite(r.section)})")
                for r in deadlines.extension_reasons(law_code)
            ],
        ]

    def details(self) -> dict[str, object]:
        return {
            "days": self.days.data,
            "reason": self.reason.data,
            "notice_on": (self.notice_on.data or self.occurred_on.data).isoformat()
            if (self.notice_on.data or self.occurred_on.data)
            else None,
            "commissioner_notified": bool(self.commissioner_notified.data),
        }


class FeeForm(EventForm):
    """A fee notice or estimate, or its payment."""

    amount = StringField("Amount", validators=[Optional(), Length(max=50)])

    def details(self) -> dict[str, object]:
        return {"amount": (self.amount.data or "").strip()}


class TransferForm(EventForm):
    """A transfer to another institution (ATIA s.8: the receipt date is kept)."""

    to_institution = StringField("Transferred to", validators=[DataRequired(), Length(max=300)])

    def details(self) -> dict[str, object]:
        return {"to_institution": (self.to_institution.data or "").strip()}


class ReleaseForm(EventForm):
    """A partial release of records."""

    pages = IntegerField("Pages released", validators=[Optional(), NumberRange(min=0)])

    def details(self) -> dict[str, object]:
        return {"pages": self.pages.data}


class FinalResponseForm(EventForm):
    """The institution's final response."""

    outcome = SelectField(
        "Response",
        validators=[DataRequired()],
        choices=[("", "— pick one —"), *RESPONSE_OUTCOMES.items()],
    )
    pages = IntegerField("Pages released", validators=[Optional(), NumberRange(min=0)])

    def details(self) -> dict[str, object]:
        return {"outcome": self.outcome.data, "pages": self.pages.data}


class ComplaintForm(EventForm):
    """A complaint or appeal to the body the law names."""

    body = StringField("Filed with", validators=[DataRequired(), Length(max=200)])
    grounds = SelectField(
        "Grounds",
        validators=[DataRequired()],
        choices=[("", "— pick one —"), *[(g, GROUND_LABELS[g]) for g in COMPLAINT_GROUNDS]],
    )
    body_file_number = StringField(
        "The body's file number", validators=[Optional(), Length(max=100)]
    )

    def details(self) -> dict[str, object]:
        return {
            "body": (self.body.data or "").strip(),
            "grounds": self.grounds.data,
            "body_file_number": (self.body_file_number.data or "").strip(),
        }


class FindingForm(EventForm):
    """The body's finding on the complaint."""

    finding = SelectField(
        "Finding",
        validators=[DataRequired()],
        choices=[("", "— pick one —"), *[(f, FINDING_LABELS[f]) for f in COMPLAINT_FINDINGS]],
    )

    def details(self) -> dict[str, object]:
        return {"finding": self.finding.data}


class ClosureForm(EventForm):
    """The request ended without a final response: its clock stops on this day."""

    closure = SelectField(
        "How it ended",
        validators=[Optional()],
        default="withdrawn",
        choices=list(CLOSURES.items()),
        description="Days late are counted up to this day, and only if the due date had "
        "already passed.",
    )

    def details(self) -> dict[str, object]:
        return {"closure": self.closure.data or "withdrawn"}


FORMS_BY_KIND: dict[str, type[EventForm]] = {
    "withdrawn": ClosureForm,
    "extension": ExtensionForm,
    "fee_notice": FeeForm,
    "fee_paid": FeeForm,
    "transfer": TransferForm,
    "partial_release": ReleaseForm,
    "final_response": FinalResponseForm,
    "complaint_filed": ComplaintForm,
    "complaint_finding": FindingForm,
}
