"""Reading JSON bodies and query strings strictly: every refusal names its field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from tracker import deadlines
from tracker.models import COMPLAINT_FINDINGS, COMPLAINT_GROUNDS, STATUSES
from tracker.requests.queries import SORTS, RequestFilters, decode_cursor
from tracker.requests.service import MAX_EXTENSION_DAYS, REPORTER_KINDS, RESPONSE_OUTCOMES
from tracker.requests.state import CLOSURES

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DIGITS = re.compile(r"[0-9]{1,10}")
# JSON may escape half of a UTF-16 pair ("\\ud800"): Python keeps it, no database can.
_SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(ValueError):
    """Input the API refuses: an HTTP status, a reason and the field it concerns."""

    def __init__(self, reason: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(reason)
        self.reason, self.field, self.status = reason, field, status


def body_object(data: Any) -> dict[str, Any]:
    """The parsed JSON body, which must be an object."""
    if not isinstance(data, dict):
        raise InputError("Send a JSON object with Content-Type: application/json.", None, 400)
    return data


def only(body: Mapping[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
    """Refuse fields the operation does not know."""
    for name in body:
        if name not in allowed:
            raise InputError(
                f"Unknown field; expected one of: {', '.join(allowed) or 'none'}.",
                prefix + str(name),
            )


_ABSENT = object()


def _raw(body: Mapping[str, Any], name: str, field: str, *, required: bool, nullable: bool) -> Any:
    """The field's value, or ``_ABSENT`` when it is missing (refused if required) or an
    allowed null."""
    if name not in body:
        if required:
            raise InputError("This field is required.", field)
        return _ABSENT
    value = body[name]
    if value is None and nullable:
        return _ABSENT
    return value


def text(
    body: Mapping[str, Any],
    name: str,
    *,
    max_length: int,
    required: bool = False,
    nullable: bool = False,
    field: str | None = None,
) -> str | None:
    """A string field (no NUL characters), at most ``max_length`` long."""
    field = field or name
    value = _raw(body, name, field, required=required, nullable=nullable)
    if value is _ABSENT:
        return None
    if not isinstance(value, str):
        raise InputError("Must be a string.", field)
    if "\x00" in value:
        raise InputError("Must not contain NUL characters.", field)
    if _SURROGATE.search(value):
        raise InputError(
            "Must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not a character.",
            field,
        )
    if len(value) > max_length:
        raise InputError(f"At most {max_length} characters.", field)
    return value


def choice(
    body: Mapping[str, Any],
    name: str,
    options: Any,
    *,
    required: bool = False,
    nullable: bool = False,
    field: str | None = None,
) -> str | None:
    """A string that must be one of ``options``."""
    value = text(body, name, max_length=100, required=required, nullable=nullable, field=field)
    if value is not None and value not in options:
        raise InputError(f"Must be one of: {', '.join(options)}.", field or name)
    return value


def parse_date(value: Any, field: str) -> date:
    """A YYYY-MM-DD date."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise InputError("Must be a date written YYYY-MM-DD.", field)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("This is not a real date.", field) from None


def a_date(
    body: Mapping[str, Any],
    name: str,
    *,
    required: bool = False,
    nullable: bool = False,
    field: str | None = None,
) -> date | None:
    """A date field."""
    field = field or name
    value = _raw(body, name, field, required=required, nullable=nullable)
    return None if value is _ABSENT else parse_date(value, field)


def integer(
    body: Mapping[str, Any],
    name: str,
    *,
    minimum: int,
    maximum: int,
    required: bool = False,
    nullable: bool = False,
    field: str | None = None,
) -> int | None:
    """A whole number between ``minimum`` and ``maximum``."""
    field = field or name
    value = _raw(body, name, field, required=required, nullable=nullable)
    if value is _ABSENT:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError("Must be a whole number.", field)
    if not minimum <= value <= maximum:
        raise InputError(f"Must be between {minimum} and {maximum}.", field)
    return value


def boolean(body: Mapping[str, Any], name: str, field: str) -> bool | None:
    """A true/false field."""
    if name not in body:
        return None
    if not isinstance(body[name], bool):
        raise InputError("Must be true or false.", field)
    return body[name]


_QUERY = (
    "status",
    "institution",
    "law",
    "owner",
    "overdue",
    "q",
    "sort",
    "page",
    "after",
    "before",
)
# A cursor is a row's sort key as links.next and links.prev carry it (see queries.encode_cursor).
MAX_CURSOR = 400


def filters(args: Mapping[str, str]) -> RequestFilters:
    """The list page's filters, read strictly: a value that does not parse (an empty one
    included, except for ``q``) is a 400."""
    for name in args:
        if name not in _QUERY:
            raise InputError(f"Unknown parameter; expected one of: {', '.join(_QUERY)}.", name, 400)

    def number(name: str, default: int | None) -> int | None:
        raw = args.get(name)
        if raw is None:
            return default
        if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_ID:
            raise InputError(f"Must be a whole number from 1 to {MAX_ID}.", name, 400)
        return int(raw)

    def one_of(name: str, options: Any) -> str | None:
        raw = args.get(name)
        if raw is not None and raw not in options:
            raise InputError(f"Must be one of: {', '.join(options)}.", name, 400)
        return raw

    overdue = args.get("overdue", "false")
    if overdue not in ("true", "false", "1", "0"):
        raise InputError("Must be true or false.", "overdue", 400)
    q = args.get("q", "")
    if "\x00" in q or len(q) > 200:
        raise InputError("At most 200 characters, without NUL characters.", "q", 400)
    found = RequestFilters(
        status=one_of("status", STATUSES),
        institution_id=number("institution", None),
        law_code=one_of("law", deadlines.LAW_CODES),
        owner_id=number("owner", None),
        overdue=overdue in ("true", "1"),
        q=q.strip(),
        sort=one_of("sort", SORTS) or "due",
        page=min(number("page", 1) or 1, 1_000_000),
        after=args.get("after"),
        before=args.get("before"),
    )
    _check_cursors(found, "page" in args)
    return found


def _check_cursors(found: RequestFilters, paged: bool) -> None:
    """A cursor must be one the list's links carry, for this sort, with its page number."""
    if found.after is not None and found.before is not None:
        raise InputError("Send after or before, not both.", "before", 400)
    name, cursor = ("after", found.after) if found.after is not None else ("before", found.before)
    if cursor is None:
        return
    if len(cursor) > MAX_CURSOR or decode_cursor(found, cursor) is None:
        raise InputError(
            "Not a cursor of this list and sort: follow links.next or links.prev as given.",
            name,
            400,
        )
    if not paged or found.page < 2:
        raise InputError(
            "A cursor comes with the number of the page it leads to (2 or more), as in "
            "links.next and links.prev.",
            "page",
            400,
        )


REQUEST_FIELDS = (
    "institution_id",
    "title",
    "received_on",
    "law_code",
    "text",
    "sent_on",
    "file_number",
)


def request_fields(body: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """The request fields present in a create (required ones enforced) or update body."""
    only(body, REQUEST_FIELDS)
    values = {
        "institution_id": integer(
            body, "institution_id", minimum=1, maximum=MAX_ID, required=creating
        ),
        "title": text(body, "title", max_length=300, required=creating),
        "received_on": a_date(body, "received_on", required=creating),
        "law_code": choice(body, "law_code", deadlines.LAW_CODES, nullable=True),
        "text": text(body, "text", max_length=100_000),
        "sent_on": a_date(body, "sent_on", nullable=True),
        "file_number": text(body, "file_number", max_length=100, nullable=True),
    }
    return {name: values[name] for name in REQUEST_FIELDS if name in body}


# Kind-specific details an entry may carry (the web forms' fields, tracker.requests.forms).
DETAIL_FIELDS: dict[str, tuple[str, ...]] = {
    "extension": ("days", "reason", "notice_on", "commissioner_notified"),
    "fee_notice": ("amount",),
    "fee_paid": ("amount",),
    "transfer": ("to_institution",),
    "partial_release": ("pages",),
    "final_response": ("outcome", "pages"),
    "complaint_filed": ("body", "grounds", "body_file_number"),
    "complaint_finding": ("finding",),
    "withdrawn": ("closure",),
}
EVENT_FIELDS = ("kind", "occurred_on", "note", "details", "corrects_id")


def event_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """A timeline entry's kind, date, note, details and the entry it corrects."""
    only(body, EVENT_FIELDS)
    kind = choice(body, "kind", tuple(REPORTER_KINDS), required=True)
    if kind is None:  # required=True already refuses a missing kind; this narrows the type
        raise InputError("This field is required.", "kind")
    occurred_on = a_date(body, "occurred_on", required=True)
    note = text(body, "note", max_length=100_000) or ""
    corrects_id = integer(body, "corrects_id", minimum=1, maximum=MAX_ID, nullable=True)
    raw = body.get("details", {})
    if not isinstance(raw, dict):
        raise InputError("Must be an object.", "details")
    only(raw, DETAIL_FIELDS.get(kind, ()), "details.")
    details: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if value is not None:
            details[name] = value

    def f(name: str) -> str:
        return f"details.{name}"

    if kind == "extension":
        put(
            "days",
            integer(
                raw, "days", minimum=1, maximum=MAX_EXTENSION_DAYS, required=True, field=f("days")
            ),
        )
        put("reason", text(raw, "reason", max_length=64, required=True, field=f("reason")))
        notice = a_date(raw, "notice_on", nullable=True, field=f("notice_on"))
        put("notice_on", notice.isoformat() if notice else None)
        put(
            "commissioner_notified",
            boolean(raw, "commissioner_notified", f("commissioner_notified")),
        )
    elif kind in ("fee_notice", "fee_paid"):
        details["amount"] = (text(raw, "amount", max_length=50, field=f("amount")) or "").strip()
    elif kind == "transfer":
        target = (
            text(raw, "to_institution", max_length=300, required=True, field=f("to_institution"))
            or ""
        )
        if not target.strip():
            raise InputError("Name the institution it was transferred to.", f("to_institution"))
        details["to_institution"] = target.strip()
    elif kind == "partial_release":
        details["pages"] = integer(
            raw, "pages", minimum=0, maximum=10_000_000, nullable=True, field=f("pages")
        )
    elif kind == "final_response":
        put(
            "outcome",
            choice(raw, "outcome", tuple(RESPONSE_OUTCOMES), required=True, field=f("outcome")),
        )
        details["pages"] = integer(
            raw, "pages", minimum=0, maximum=10_000_000, nullable=True, field=f("pages")
        )
    elif kind == "complaint_filed":
        put("grounds", choice(raw, "grounds", COMPLAINT_GROUNDS, required=True, field=f("grounds")))
        put("body", (text(raw, "body", max_length=200, field=f("body")) or "").strip() or None)
        details["body_file_number"] = (
            text(raw, "body_file_number", max_length=100, field=f("body_file_number")) or ""
        ).strip()
    elif kind == "complaint_finding":
        put(
            "finding", choice(raw, "finding", COMPLAINT_FINDINGS, required=True, field=f("finding"))
        )
    elif kind == "withdrawn":
        put("closure", choice(raw, "closure", tuple(CLOSURES), field=f("closure")))
    return {
        "kind": kind,
        "occurred_on": occurred_on,
        "note": note,
        "details": details,
        "corrects_id": corrects_id,
    }
