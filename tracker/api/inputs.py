"""What the API accepts: request bodies and query strings as pydantic models, read strictly
(a number is a JSON number, a date a YYYY-MM-DD string), every refusal naming its field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    create_model,
)
from pydantic_core import PydanticCustomError, core_schema

from tracker import deadlines
from tracker.models import COMPLAINT_FINDINGS, COMPLAINT_GROUNDS, STATUSES
from tracker.requests.queries import SORTS, RequestFilters, decode_cursor
from tracker.requests.service import MAX_EXTENSION_DAYS, REPORTER_KINDS, RESPONSE_OUTCOMES
from tracker.requests.state import CLOSURES

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database
MAX_CURSOR = 400  # a cursor is a row's sort key as links.next and links.prev carry it
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = re.compile(r"[0-9]{1,10}")
# JSON may escape half of a UTF-16 pair ("\\ud800"): Python keeps it, no database can.
_SURROGATE = re.compile("[\ud800-\udfff]")


class ApiError(Exception):
    """An error answered as JSON ``{"error", "reason", "field"}`` with a 4xx status."""

    def __init__(self, status: int, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.field = status, reason, field


@dataclass(frozen=True)
class Choice:
    """A string that must be one of ``options`` (an ``enum`` in the OpenAPI document)."""

    options: tuple[str, ...]

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.literal_schema(list(self.options))


def _unicode(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul", "Must not contain NUL characters.")
    if _SURROGATE.search(value):
        raise PydanticCustomError(
            "surrogate",
            "Must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not a character.",
        )
    return value


def _day(value: Any) -> Any:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date_format", "Must be a date written YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_real", "This is not a real date.") from None


def _digits(value: Any) -> Any:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise PydanticCustomError("digits", f"Must be a whole number from 1 to {MAX_ID}.")
    return int(value)


def _absent(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str | None = None, alias: str | None = None) -> Any:
    """The default of a field that may be left out but not sent as null."""
    return Field(None, json_schema_extra=_absent, description=description, alias=alias)


def _text(max_length: int, min_length: int = 0, strip: bool = False) -> StringConstraints:
    return StringConstraints(min_length=min_length, max_length=max_length, strip_whitespace=strip)


Unicode = AfterValidator(_unicode)  # every string: no NUL, no lone surrogate
Day = Annotated[date, BeforeValidator(_day)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_digits)]
LawCode = Annotated[str, Choice(deadlines.LAW_CODES)]
Title = Annotated[str, _text(300, min_length=1), Unicode]
LongText = Annotated[str, _text(100_000), Unicode]
FileNumber = Annotated[str, _text(100), Unicode]
Words = Annotated[str, _text(200), Unicode]
Cursor = Annotated[str, _text(MAX_CURSOR, min_length=1), Unicode]
Pages = Annotated[int, Field(ge=0, le=10_000_000)]


class Body(BaseModel):
    """A JSON object read strictly: no unknown field, no type coerced."""

    model_config = ConfigDict(strict=True, extra="forbid")


class RequestCreate(Body):
    """A request to log; its deadline is computed, never sent."""

    institution_id: Id = Field(description="One of your newsroom's institutions.")
    title: Title
    received_on: Day = Field(
        description="When the institution received it (day 0 of the count); not in the future."
    )
    law_code: LawCode | None = Field(None, description="Omit or null: the institution's law.")
    text: LongText = ""
    sent_on: Day | None = Field(None, description="On or before received_on.")
    file_number: FileNumber | None = Field(None, description="Unique per institution.")


class RequestUpdate(Body):
    """Only the fields sent change."""

    institution_id: Id = absent()
    title: Title = absent()
    received_on: Day = absent()
    law_code: LawCode | None = None
    text: LongText = absent()
    sent_on: Day | None = None
    file_number: FileNumber | None = None
    version: Id | None = Field(
        None,
        description="The request's `version` as you read it: if it changed since, the answer "
        "is 409 and nothing is saved. Omit it to apply the change whatever happened meanwhile.",
    )


_DAYS = "Days of extension, in the law's unit."
_REASON = "A reason the request's law names."
_PERMISSION = "BC FIPPA s.10(1), Alberta: the Commissioner allowed a longer extension; needs "
_PERMISSION += "commissioner_permission_on."
_CLOSURE = "How the request ended without an answer (default withdrawn); its clock stops that day."
_REASONS = sorted({r.code for c in deadlines.LAW_CODES for r in deadlines.extension_reasons(c)})
# The details each kind of entry takes (the web forms' fields, tracker.requests.forms): name ->
# (type, default); ``...`` marks a required one. Limits and choices live in the types.
DETAILS: dict[str, dict[str, tuple[Any, Any]]] = {
    "extension": {
        "days": (Annotated[int, Field(ge=1, le=MAX_EXTENSION_DAYS, description=_DAYS)], ...),
        "reason": (Annotated[str, Choice(tuple(_REASONS)), Field(description=_REASON)], ...),
        "notice_on": (Day | None, None),
        "commissioner_notified": (bool | None, None),
        # BC FIPPA s.10(1), Alberta s.14(1): the service refuses a permission without its date.
        "commissioner_permission": (bool | None, Field(None, description=_PERMISSION)),
        "commissioner_permission_on": (Day | None, None),
    },
    "fee_notice": {"amount": (Annotated[str, _text(50, strip=True), Unicode], "")},
    "fee_paid": {"amount": (Annotated[str, _text(50, strip=True), Unicode], "")},
    "transfer": {
        "to_institution": (Annotated[str, _text(300, min_length=1, strip=True), Unicode], ...)
    },
    "partial_release": {"pages": (Pages | None, None)},
    "final_response": {
        "outcome": (Annotated[str, Choice(tuple(RESPONSE_OUTCOMES))], ...),
        "pages": (Pages | None, None),
    },
    "complaint_filed": {
        "grounds": (Annotated[str, Choice(COMPLAINT_GROUNDS)], ...),
        "body": (Annotated[str, _text(200, strip=True), Unicode], ""),  # blank: the law's body
        "body_file_number": (Annotated[str, _text(100, strip=True), Unicode], ""),
    },
    "complaint_finding": {"finding": (Annotated[str, Choice(COMPLAINT_FINDINGS)], ...)},
    "withdrawn": {
        "closure": (
            Annotated[str, Choice(tuple(CLOSURES))] | None,
            Field(None, description=_CLOSURE),
        )
    },
}


def entry_model(kind: str, details: dict[str, tuple[Any, Any]]) -> type[Body]:
    """The body of a new timeline entry of this kind, with its own details object."""
    name = "".join(part.title() for part in kind.split("_"))
    details_model = create_model(f"{name}Details", __base__=Body, **details)  # type: ignore[call-overload]
    return create_model(
        f"{name}Entry",
        __base__=Body,
        __doc__=f"{REPORTER_KINDS[kind]}.",
        kind=(Literal[kind], ...),
        occurred_on=(Day, Field(description="Not in the future; not before receipt.")),
        note=(LongText, ""),
        corrects_id=(Id | None, Field(None, description="The entry this one corrects.")),
        details=(details_model, Field(default_factory=dict, validate_default=True)),
    )


ENTRY_MODELS = {kind: entry_model(kind, DETAILS.get(kind, {})) for kind in REPORTER_KINDS}
_ENTRY = Annotated[Union[tuple(ENTRY_MODELS.values())], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007


class EventCreate(RootModel[_ENTRY]):
    """A timeline entry to add: its `kind` decides which `details` it takes."""


class RequestQuery(BaseModel):
    """The list page's filters; a value that does not parse (an empty one included, except
    for ``q``) is a 400."""

    model_config = ConfigDict(strict=True, extra="forbid")

    status: Annotated[str, Choice(STATUSES)] = absent()
    institution_id: QueryId = absent("Institution id.", alias="institution")
    law_code: LawCode = absent(alias="law")
    owner_id: QueryId = absent("Owner's user id.", alias="owner")
    overdue: Literal["true", "false", "1", "0"] = "false"
    q: Words = Field("", description="Words in the title, text or file number.")
    sort: Annotated[str, Choice(tuple(SORTS))] = "due"
    page: QueryId = Field(1, description="25 requests a page; one past the last gives the last.")
    after: Cursor = absent("A cursor, as links.next carries it (with its page).")
    before: Cursor = absent("A cursor, as links.prev carries it (with its page).")

    def filters(self) -> RequestFilters:
        """The list's filters; a cursor must be one the list's links carry, for this sort,
        with the number of the page it leads to."""
        found = RequestFilters(
            **self.model_dump(exclude={"overdue", "q", "page"}),
            overdue=self.overdue in ("true", "1"),
            q=self.q.strip(),
            page=min(self.page, 1_000_000),
        )
        if found.after is not None and found.before is not None:
            raise ApiError(400, "Send after or before, not both.", "before")
        name, cursor = (
            ("after", found.after) if found.after is not None else ("before", found.before)
        )
        if cursor is None:
            return found
        if decode_cursor(found, cursor) is None:
            raise ApiError(
                400, "Not a cursor of this list and sort: follow links.next or links.prev.", name
            )
        if "page" not in self.model_fields_set or found.page < 2:
            raise ApiError(
                400,
                "A cursor comes with the number of the page it leads to (2 or more), as in "
                "links.next and links.prev.",
                "page",
            )
        return found
