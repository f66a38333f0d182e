"""What the API answers: requests, deadlines, timeline entries and institutions as pydantic
models (the OpenAPI document's schemas), built from the ORM rows and the deadline engine."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from flask import url_for
from flask_babel.speaklater import LazyString
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tracker import deadlines
from tracker.api.inputs import Choice, LawCode
from tracker.core import models as orm
from tracker.core.display import STATUS_LABELS
from tracker.core.models import STATUSES, InfoRequest, User
from tracker.core.urls import base_url
from tracker.mail_in import reasons as mail_reasons
from tracker.requests.describe import Deadline as Found
from tracker.requests.describe import Lateness as Late
from tracker.requests.reading import ListedRequest
from tracker.requests.service import can_edit
from tracker.requests.state import ComplaintTrigger
from tracker.timeline import kinds

M = TypeVar("M", bound=BaseModel)
Status = Annotated[str, Choice(STATUSES)]
Count = Annotated[int, Field(ge=0)]


class Out(BaseModel):
    """An object the API answers with; it has exactly these fields."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        # Labels are lazy translations (tracker.language.i18n): the API answers with their text.
        return str(value) if isinstance(value, LazyString) else value


class Error(Out):
    """Every refusal: 4xx with the status in words, the reason and the field concerned."""

    error: str = Field(description="The HTTP status in English words: a stable code.")
    reason: str = Field(
        description="What was wrong, in a sentence in the reader's language (the token's "
        "account, else Accept-Language)."
    )
    field: str | None = Field(None, description="The field or parameter concerned.")


class Person(Out):
    id: int
    name: str


class Law(Out):
    code: LawCode
    name: str
    short_name: str
    jurisdiction: str
    citation: str


class Institution(Out):
    id: int
    name: str
    law_code: LawCode
    province: str | None
    access_email: str | None
    archived: bool
    url: str


class InstitutionList(Out):
    items: list[Institution]


class Lateness(Out):
    """Days late (calendar and business) or days left."""

    is_late: bool
    calendar_days_late: Count
    business_days_late: Count
    days_left: Count | None
    counted_to: date | None = Field(
        validation_alias="until",
        description="The day days late are counted to: the final response, the day the "
        "request closed without one, or today.",
    )
    counting: bool = Field(description="True while no response or closing stopped the clock.")


class Named(Out):
    id: int
    name: str


class RequestSummary(Out):
    """A request as the list shows it."""

    id: int
    title: str
    file_number: str | None
    law_code: LawCode
    institution: Named
    owner: Person
    status: Status
    status_label: str
    sent_on: date | None
    received_on: date
    due_on: date
    responded_on: date | None
    complaint_due_on: date | None
    closed_on: date | None
    lateness: Lateness
    url: str = Field(description="This request in the API.")
    html_url: str = Field(description="The request's page in the tracker.")


class Links(Out):
    self: str
    next: str | None = Field(
        description="The next page, null on the last; it carries a cursor (`after`), so "
        "every page costs the same to read."
    )
    prev: str | None


class RequestList(Out):
    items: list[RequestSummary]
    total: Count = Field(
        description="How many requests match; counting stops beyond the limit (10,000): then "
        "`total` is the limit and `total_exact` false."
    )
    total_exact: bool = Field(
        description="False when counting stopped at the limit. A page typed by number beyond "
        "the limit counts every match, to know where the end is."
    )
    page: Annotated[int, Field(ge=1)]
    pages: Annotated[int, Field(ge=1)] | None = Field(description="Null when not total_exact.")
    per_page: Annotated[int, Field(ge=1)]
    links: Links


class Step(Out):
    label: str
    text: str
    citation: str | None


class Problem(Out):
    code: str
    message: str
    citation: str
    severity: Literal["error", "warning"]


class ExtensionCheck(Out):
    event_id: int
    days: int
    reason: str
    notice_on: date
    commissioner_notified: bool
    counted: bool = Field(description="False when notice came too late to move the due date.")
    days_counted: int = Field(
        description="The days that move the due date: only the lawful part of an extension "
        "over the statute's cap."
    )
    permission_on: date | None
    problems: list[Problem]


class Pause(Out):
    start: date
    end: date


class Complaint(Out):
    due_on: date | None
    trigger: ComplaintTrigger | None
    window_open: bool | None
    body: str
    section: str | None
    deemed_refusal_window_end: date | None


class Window(Out):
    """A reporter's window: the earlier reading's last day, and the later reading's where
    the law reads two ways."""

    stage: str
    body: str
    trigger: str
    kind: Literal["statute", "guidance", "no-limit", "next-stage"]
    end: date | None
    later_end: date | None
    citation: str
    text: str


class Deadline(Out):
    """How the due date was reached, step by step with citations; extension checks."""

    request_id: int
    law: Law
    received_on: date
    received_later_on: date | None = Field(
        description="A request the tracker e-mailed on a day its office is closed (or after "
        "office hours): the later reading of its received date, from which the due date "
        "counts; null: one reading."
    )
    earlier_due_on: date | None = Field(
        description="With received_later_on: the due date under the earlier reading "
        "(received_on), from which the complaint window runs."
    )
    clock_start: date
    restarted_by: str | None
    extension_days: Count
    pauses: list[Pause]
    due_on: date
    steps: list[Step]
    sections: list[str]
    holidays_version: str
    text: str = Field(description="The explanation as plain text.")
    lateness: Lateness
    extensions: list[ExtensionCheck]
    complaint: Complaint
    windows: list[Window]


class Attachment(Out):
    id: int
    original_name: str
    content_type: str
    size: Count
    sha256: str


class TimelineEvent(Out):
    id: int
    # One of tracker.timeline.kinds' codes (the document's enum is the registry's, see openapi).
    kind: str
    kind_label: str
    occurred_on: date
    note: str
    details: dict[str, Any] = Field(description="Kind-specific facts (see EventCreate).")
    recorded_by: Person | None
    recorded_at: datetime
    corrects_id: int | None
    corrected_by_id: int | None
    attachments: list[Attachment]


class Request(RequestSummary):
    """Everything about a request: facts, status, lateness, deadline, complaint, timeline."""

    text: str
    law: Law
    created_at: datetime
    updated_at: datetime
    version: int = Field(
        ge=1,
        description="Raised by every edit of the request's facts; send it back with an "
        "update to have it refused (409) if someone changed the request meanwhile.",
    )
    can_edit: bool
    deadline: Deadline
    timeline: list[TimelineEvent]


def _from(model: type[M], row: Any, **computed: Any) -> M:
    """The model of a row: its fields read from the row's attributes, but those computed."""
    names = model.model_fields.keys() - computed.keys()
    return model.model_validate({**{name: getattr(row, name) for name in names}, **computed})


def law(code: str) -> Law:
    """A law's code, names and response-period citation."""
    return Law.model_validate(deadlines.LAWS[code])


def institution(row: orm.Institution) -> Institution:
    """An institution of the newsroom."""
    url = url_for("api.institution", institution_id=row.id)
    return _from(Institution, row, archived=row.archived_at is not None, url=url)


def _summary(request: InfoRequest | ListedRequest, late: Late) -> dict[str, Any]:
    return {
        "institution": request.institution,
        "status_label": STATUS_LABELS[request.status],
        "lateness": late,
        "url": url_for("api.get_request", request_id=request.id),
        "html_url": f"{base_url()}/requests/{request.id}",
    }


def summary(request: ListedRequest, late: Late) -> RequestSummary:
    """A request as the list shows it (read from plain rows, ``reading.listed``)."""
    return _from(RequestSummary, request, **_summary(request, late))


def deadline(request: InfoRequest, found: Found) -> Deadline:
    """The due date explained step by step, extensions checked, and the complaint window."""
    state, explanation, rule = found.state, found.explanation, found.law.complaint_window
    complaint = Complaint(
        due_on=state.complaint_due_on,
        trigger=state.complaint_trigger,
        window_open=found.complaint_window_open,
        body=found.law.complaint_body,
        section=found.law.cite(rule.section) if rule is not None else None,
        deemed_refusal_window_end=found.deemed_refusal_window_end,
    )
    return _from(
        Deadline,
        state,
        request_id=request.id,
        law=law(request.law_code),
        received_on=request.received_on,
        pauses=[Pause(start=a, end=b) for a, b in state.pauses],
        steps=explanation.steps,
        sections=list(explanation.sections),
        holidays_version=explanation.holidays_version,
        text=explanation.as_text(),
        lateness=found.lateness,
        extensions=[
            _from(ExtensionCheck, c.extension, problems=c.problems) for c in found.extensions
        ],
        complaint=complaint,
        windows=found.windows,
    )


def event(row: orm.TimelineEvent, corrected_by: dict[int, int]) -> TimelineEvent:
    """A timeline entry with its files (metadata only)."""
    return _from(
        TimelineEvent,
        row,
        kind_label=kinds.entry_label(row.kind, row.details),
        details=row.details or {},
        corrected_by_id=corrected_by.get(row.id),
    )


def detail(request: InfoRequest, found: Found, user: User) -> Request:
    """Everything about a request: facts, status, lateness, deadline, complaint, timeline."""
    events = list(request.events)
    corrected_by = {e.corrects_id: e.id for e in events if e.corrects_id is not None}
    facts = _summary(request, found.lateness)
    for column in found.outdated:  # stored under other rules: the dates the explanation gives
        facts[column.name] = column.current
        if column.name == "status":
            facts["status_label"] = STATUS_LABELS[str(column.current)]
    return _from(
        Request,
        request,
        **facts,
        law=law(request.law_code),
        can_edit=can_edit(user, request),
        deadline=deadline(request, found),
        timeline=[event(e, corrected_by) for e in events],
    )


class SnippetPart(Out):
    """A piece of a hit's snippet; ``match`` marks the words found."""

    text: str
    match: bool


class SearchHit(Out):
    """A text found: a page of a file, a request's title and text, or a timeline note."""

    source: str = Field(description="page, request or note.")
    request_id: int
    request_title: str
    attachment_id: int | None = None
    file_name: str | None = None
    page: int | None = Field(None, description="The page of the file, from 1.")
    event_id: int | None = None
    file_url: str | None = Field(None, description="Opens the file at the page (#page=N).")
    snippet: list[SnippetPart]


class SearchResults(Out):
    """Hits newest first, 20 at a time; follow ``next`` for more."""

    query: str
    items: list[SearchHit]
    next: str | None = None


def search_hit(hit: Any, file_url: str | None) -> SearchHit:
    """A hit of tracker.records.search with its snippet's parts."""
    snippet = [SnippetPart(text=t, match=m) for t, m in hit.parts]
    return _from(SearchHit, hit, file_url=file_url, snippet=snippet)


# ---------------------------------------------------------------------------------------------
# Letters (read only: drafting and sending stay on the web, behind the reporter's confirmation)


class LetterOffer(Out):
    """A letter the request's state offers today (tracker.letters.rules)."""

    key: str = Field(description='Its name on the Letters page, e.g. "complaint:delay".')
    kind: Annotated[str, Choice(orm.LETTER_KINDS)]
    ground: str | None = Field(None, description="The complaint ground, where it has one.")
    to_body: bool = Field(description="True: to the outside body; false: to the institution.")
    addressee: str = Field(description="The body's name ('' when it goes to the institution).")
    sections: list[str] = Field(description="The sections it cites.")
    window_ends: date | None = Field(None, description="The last day to send it, where set.")
    window_section: str | None = None
    file_number: str | None = Field(None, description="The body's file number (a follow-up).")
    filed_on: date | None = Field(None, description="The complaint followed up.")
    after_review_on: date | None = Field(None, description="The review sent first (UK).")


class LetterSummary(Out):
    """A letter drafted or sent for a request."""

    id: int
    url: str
    kind: Annotated[str, Choice(orm.LETTER_KINDS)]
    ground: str | None
    language: Annotated[str, Choice(orm.LETTER_LANGUAGES)]
    status: Annotated[str, Choice(orm.LETTER_STATUSES)] = Field(
        description="draft; sending (a send holds it); sent; unknown (a send was cut short: "
        "check your sent mail, then record it as sent on the web)."
    )
    recipient_name: str
    recipient_email: str
    subject: str
    sent_on: date | None
    sent_via: str | None = Field(None, description="smtp (by the tracker) or manual.")
    created_at: datetime


class Letter(LetterSummary):
    """A letter with its text, Message-ID and the timeline entry that keeps its sent copy."""

    body: str
    message_id: str | None
    event_id: int | None
    last_error: str | None = Field(None, description="The mail server's last refusal.")
    request_id: int


class LetterList(Out):
    """A request's offered letters and its letters (newest first)."""

    offers: list[LetterOffer]
    items: list[LetterSummary]


def letter_offer(offer: Any) -> LetterOffer:
    """An offer (tracker.letters.rules.Offer) as the API answers it."""
    return LetterOffer.model_validate(offer)


def letter_summary(row: orm.Letter) -> LetterSummary:
    """A letter without its text."""
    return _from(LetterSummary, row, url=url_for("api.get_letter", letter_id=row.id))


def letter(row: orm.Letter) -> Letter:
    """A letter with its text."""
    return _from(Letter, row, url=url_for("api.get_letter", letter_id=row.id))


# ---------------------------------------------------------------------------------------------
# Mail in (read only: attaching and confirming stay on the web)


class MatchReason(Out):
    """One clause of how a message was matched, or why not (tracker.mail_in.reasons). The
    codes are stable: new ones may be added, none is renamed or removed."""

    code: Annotated[str, Choice(mail_reasons.CODES)] = Field(
        description="Found: address_tag, subject_tag, reply, reply_letter, file_number, domain, "
        "page, manual. Not found: no_tag, not_reply, no_number, several_numbers, no_sender, "
        "unknown_domain, shared_domain, no_open_request, several_open_requests. text: a reason "
        "recorded in words before codes were stored."
    )
    params: dict[str, Any] = Field(
        description="The code's parameters: tag, message_id, numbers (a list), domain, count, "
        "user or text, as the code has them."
    )


class MailMatch(Out):
    """How a message was matched to its request, or why it waits in the review queue."""

    rule: str | None = Field(
        None,
        description="The rule that matched it: token, reply, file_number, domain, page or "
        "manual; null while it waits for a reporter.",
    )
    why: list[MatchReason]
    text: str = Field(
        description="The same in words, in the reader's language (the token's account, else "
        "Accept-Language): for people; programs read the codes."
    )


class MailMessage(Out):
    """An agency message brought in (upload, ingest-mail or the mailbox)."""

    id: int
    status: Annotated[str, Choice(orm.MAIL_STATUSES)] = Field(
        description="attached (to request_id); review (waits for a reporter); skipped (not "
        "stored, see problem)."
    )
    source: Annotated[str, Choice(orm.MAIL_SOURCES)]
    request_id: int | None
    message_id: str | None
    sender: str
    subject: str
    sent_at: datetime | None
    received_at: datetime
    match: MailMatch
    proposed_kind: str | None = Field(None, description="The timeline entry its text proposes.")
    event_id: int | None = Field(None, description="The timeline entry confirmed from it.")
    problem: str


class MailList(Out):
    """Messages, oldest first for a request, newest first for the review queue."""

    items: list[MailMessage]


def mail_message(row: orm.MailMessage) -> MailMessage:
    """A message with its match reason as codes and in words."""
    why = [c for c in (row.match_why or []) if isinstance(c, dict)]
    match = MailMatch(
        rule=row.match_rule,
        why=[
            MatchReason(
                code=str(c["code"]) if c.get("code") in mail_reasons.CODES else "text",
                params={k: v for k, v in c.items() if k != "code"},
            )
            for c in why
        ],
        text=mail_reasons.render(why),
    )
    return _from(
        MailMessage,
        row,
        sender=row.sender or "",
        subject=row.subject or "",
        match=match,
        proposed_kind=(row.proposal or {}).get("kind") or None,
        problem=row.problem or "",
    )
