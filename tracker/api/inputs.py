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
from tracker.core.models import STATUSES
from tracker.language.i18n import _
from tracker.requests.queries import SORTS, RequestFilters, decode_cursor
from tracker.timeline import kinds

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
        raise PydanticCustomError("nul", _("Must not contain NUL characters."))
    if _SURROGATE.search(value):
        raise PydanticCustomError(
            "surrogate",
            _("Must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not a character."),
        )
    return value


def _day(value: Any) -> Any:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date_format", _("Must be a date written YYYY-MM-DD."))
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_real", _("This is not a real date.")) from None


def _digits(value: Any) -> Any:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        raise PydanticCustomError(
            "digits", _("Must be a whole number from 1 to %(max)s.", max=MAX_ID)
        )
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
LongText = Annotated[str, _text(kinds.NOTE_MAX_LENGTH), Unicode]
FileNumber = Annotated[str, _text(100), Unicode]
Words = Annotated[str, _text(200), Unicode]
Cursor = Annotated[str, _text(MAX_CURSOR, min_length=1), Unicode]


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


def _described(f: kinds.Field) -> str:
    """A detail's description in the document: its label and help, the same on every law."""
    text = f"{f.label}." + (f" {f.description}" if not callable(f.description) else "")
    if f.by_law:
        text += " One of the codes the request's law names: " + ", ".join(f.every_option()) + "."
    if f.default:
        text += f" Default {f.default}."
    return text


def detail_type(f: kinds.Field) -> tuple[Any, Any]:
    """A declared detail as a pydantic (annotated type, default): its type, limits and choices
    as tracker.timeline.kinds declares them (``...`` for a required one)."""
    described = Field(description=_described(f))
    kind: Any
    if f.type == "integer":
        top = f.maximum if f.maximum is not None else MAX_ID
        kind = Annotated[int, Field(ge=f.minimum, le=top)]
    elif f.type == "date":
        kind = Day
    elif f.type == "boolean":
        kind = bool
    elif f.type == "choice" and not f.by_law:
        kind = Annotated[str, Choice(tuple(f.every_option()))]
    else:
        # Text, or a choice the request's law decides: bounded here, checked by the service
        # against the request's law (tracker.timeline.kinds.clean).
        longest = f.maximum if f.type == "text" and f.maximum else kinds.MAX_CODE_LENGTH
        kind = Annotated[str, _text(longest, min_length=int(f.required), strip=True), Unicode]
    if f.required:
        return Annotated[kind, described], ...
    return Annotated[kind | None, described], None


def entry_model(kind: str, fields: tuple[kinds.Field, ...]) -> type[Body]:
    """The body of a new timeline entry of this kind, with its own details object."""
    name = "".join(part.title() for part in kind.split("_"))
    details: dict[str, Any] = {f.name: detail_type(f) for f in fields}
    details_model = create_model(f"{name}Details", __base__=Body, **details)
    # The kind's own literal, built at run time: a type the checker cannot name.
    this_kind: Any = Literal[kind]
    return create_model(
        f"{name}Entry",
        __base__=Body,
        __doc__=f"{kinds.REPORTER_KINDS[kind]}.",
        kind=(this_kind, ...),
        occurred_on=(Day, Field(description="Not in the future; not before receipt.")),
        note=(LongText, ""),
        corrects_id=(Id | None, Field(None, description="The entry this one corrects.")),
        details=(details_model, Field(default_factory=dict, validate_default=True)),
    )


class _FollowsRegistry:
    """Validation follows the registry: a kind declared after import is read too."""

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Any:
        """The body validated by the model of the registry as it stands."""
        current = event_model()
        if current is cls:
            # A mixin: the model class it is mixed into (RootModel) has the method; the
            # checker looks it up on the mixin's own base, object.
            return super().model_validate(obj, **options)  # type: ignore[misc]
        return current.model_validate(obj, **options)


_BUILT: list[tuple[tuple[kinds.Kind, ...], type[RootModel[Any]]]] = []


def event_model() -> type[RootModel[Any]]:
    """EventCreate for the registry's reporter kinds as they stand (built again after a kind
    is declared or withdrawn; tracker.timeline.kinds is the only list of details)."""
    declared = tuple(k for k in kinds.every() if k.added_by == "reporter")
    if _BUILT and _BUILT[0][0] == declared:
        return _BUILT[0][1]
    models = tuple(entry_model(k.code, k.fields) for k in declared)
    # A union of models built at run time from the registry: no static type names it.
    entry = Annotated[Union[models], Field(discriminator="kind")]  # type: ignore[valid-type]  # noqa: UP007

    class EventCreate(_FollowsRegistry, RootModel[entry]):
        """A timeline entry to add: its `kind` decides which `details` it takes."""

    _BUILT[:] = [(declared, EventCreate)]
    return EventCreate


EventCreate = event_model()


class RequestQuery(BaseModel):
    """The list page's filters; a value that does not parse (an empty one included, except
    for ``q``) is a 400."""

    model_config = ConfigDict(strict=True, extra="forbid")

    status: Annotated[str, Choice(STATUSES)] = absent()
    institution_id: QueryId = absent("Institution id.", alias="institution")
    law_code: LawCode = absent(alias="law")
    owner_id: QueryId = absent("Owner's user id.", alias="owner")
    project_id: QueryId = absent("Project id: only the project's requests.", alias="project")
    tag: Words = absent("Tag name (any case): only the requests carrying it.")
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
            raise ApiError(400, _("Send after or before, not both."), "before")
        name, cursor = (
            ("after", found.after) if found.after is not None else ("before", found.before)
        )
        if cursor is None:
            return found
        if decode_cursor(found, cursor) is None:
            raise ApiError(
                400,
                _("Not a cursor of this list and sort: follow links.next or links.prev."),
                name,
            )
        if "page" not in self.model_fields_set or found.page < 2:
            raise ApiError(
                400,
                _(
                    "A cursor comes with the number of the page it leads to (2 or more), as "
                    "in links.next and links.prev."
                ),
                "page",
            )
        return found


class SearchQuery(BaseModel):
    """Words to find in the newsroom's requests, notes and records; ``before`` continues."""

    model_config = ConfigDict(strict=True, extra="forbid")

    q: Annotated[str, _text(200, min_length=1), Unicode] = Field(
        description="Words to find (all of them), French or English, accents optional."
    )
    before: QueryId = absent("The id links.next carries, to continue the list.")
