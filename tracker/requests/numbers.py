"""A request's file numbers (the institution's current one, previous ones, an appeal's, the
complaint body's) and its links to other requests (split, transferred, consolidated,
refiled).

For anything that must recognise a request by a number (search, import, mail in), call
``matching_number`` (a condition) or ``find_by_number`` (the requests): they match any of a
request's numbers, in any case, the current one included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.core.db import affected
from tracker.core.models import (
    LINK_KINDS,
    NUMBER_KINDS,
    Complaint,
    InfoRequest,
    RequestLink,
    RequestNumber,
    User,
)
from tracker.language.i18n import _, lazy_gettext

NUMBER_MAX = 100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

NUMBER_LABELS = {
    "current": lazy_gettext("Current file number"),
    "previous": lazy_gettext("Previous file number"),
    "appeal": lazy_gettext("Appeal file number"),
    "complaint": lazy_gettext("Complaint body's file number"),
    "other": lazy_gettext("Other file number"),
}
# How a link reads from each side: (from the first request, from the second).
LINK_LABELS = {
    "split": (lazy_gettext("Split into"), lazy_gettext("Split from")),
    "transferred": (lazy_gettext("Transferred as"), lazy_gettext("Transferred from")),
    "consolidated": (lazy_gettext("Consolidated into"), lazy_gettext("Consolidated from")),
    "refiled": (lazy_gettext("Refiled as"), lazy_gettext("Refiled from")),
}


class NumberError(ValueError):
    """A number or link refused, with the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Number:
    """One of a request's file numbers as its page lists it."""

    id: int | None  # None: the current number (InfoRequest.file_number)
    kind: str
    number: str

    @property
    def label(self) -> str:
        """What kind of number it is, in the reader's language."""
        return str(NUMBER_LABELS[self.kind])


def clean_number(raw: str, field: str = "number") -> str:
    """A file number with its spaces trimmed, or NumberError beside ``field``."""
    number = (raw or "").strip()
    if not number:
        raise NumberError(_("Enter the file number."), field)
    if len(number) > NUMBER_MAX:
        raise NumberError(_("At most %(limit)s characters.", limit=NUMBER_MAX), field)
    if _CONTROL.search(number):
        raise NumberError(_("A file number is one line of text."), field)
    return number


def numbers_of(db: Session, request: InfoRequest) -> list[Number]:
    """Every file number of the request, the current one first."""
    found = [Number(None, "current", request.file_number)] if request.file_number else []
    rows = db.scalars(
        sa.select(RequestNumber)
        .where(RequestNumber.request_id == request.id)
        .order_by(RequestNumber.id)
    )
    return found + [Number(r.id, r.kind, r.number) for r in rows]


def add_number(db: Session, request: InfoRequest, kind: str, raw: str) -> RequestNumber:
    """Record another file number of the request."""
    if kind not in NUMBER_KINDS:
        raise NumberError(_("Choose what kind of number it is."), "kind")
    number = clean_number(raw)
    exists = db.scalar(
        sa.select(RequestNumber.id).where(
            RequestNumber.request_id == request.id,
            RequestNumber.kind == kind,
            RequestNumber.number == number,
        )
    )
    if exists is not None:
        raise NumberError(_("The request already has this number."), "number")
    row = RequestNumber(request_id=request.id, kind=kind, number=number)
    db.add(row)
    db.flush()
    return row


def remove_number(db: Session, request: InfoRequest, number_id: int) -> bool:
    """Forget one of the request's other numbers; False when it has no such number."""
    result = db.execute(
        sa.delete(RequestNumber).where(
            RequestNumber.id == number_id, RequestNumber.request_id == request.id
        )
    )
    return bool(affected(result))


def matching_number(number: str, *, partial: bool = False) -> sa.ColumnElement[bool]:
    """Requests (a condition on InfoRequest) one of whose numbers is ``number`` in any case
    (``partial``: contains it): the current one, another recorded one, or the file number
    of one of its complaints."""
    needle = number.strip().lower()
    if partial:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

        def test(column: sa.ColumnExpressionArgument[str | None]) -> sa.ColumnElement[bool]:
            return sa.func.lower(column).like(f"%{escaped}%", escape="\\")
    else:

        def test(column: sa.ColumnExpressionArgument[str | None]) -> sa.ColumnElement[bool]:
            return sa.func.lower(column) == needle

    return sa.or_(
        test(InfoRequest.file_number),
        InfoRequest.id.in_(sa.select(RequestNumber.request_id).where(test(RequestNumber.number))),
        InfoRequest.id.in_(
            sa.select(Complaint.request_id).where(
                Complaint.superseded.is_(False), test(Complaint.body_file_number)
            )
        ),
    )


def other_numbers_ids(number: str) -> sa.Select[Any]:
    """The ids of the requests with ``number`` (contained, any case) among their numbers
    other than the current one (the search reads the current one from its own index)."""
    needle = number.strip().lower()
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.select(RequestNumber.request_id).where(
        sa.func.lower(RequestNumber.number).like(f"%{escaped}%", escape="\\")
    )


def find_by_number(
    db: Session, newsroom_id: int, number: str, institution_id: int | None = None
) -> list[InfoRequest]:
    """The newsroom's requests (at one institution, if given) with this number among any of
    theirs, oldest first."""
    if not number.strip():
        return []
    query = sa.select(InfoRequest).where(
        InfoRequest.newsroom_id == newsroom_id, matching_number(number)
    )
    if institution_id is not None:
        query = query.where(InfoRequest.institution_id == institution_id)
    return list(db.scalars(query.order_by(InfoRequest.id)))


def numbers_taken(db: Session, newsroom_id: int) -> set[tuple[int, str]]:
    """(institution id, number) of every other number the newsroom's requests carry (the
    import treats them as taken, like the current ones)."""
    return {
        (institution_id, number)
        for institution_id, number in db.execute(
            sa.select(InfoRequest.institution_id, RequestNumber.number)
            .join(InfoRequest, InfoRequest.id == RequestNumber.request_id)
            .where(InfoRequest.newsroom_id == newsroom_id)
        )
    }


@dataclass(frozen=True)
class Link:
    """A link as one of its two requests shows it."""

    id: int
    kind: str
    label: str
    other_id: int
    other_title: str


def resolve_request(db: Session, newsroom_id: int, raw: str) -> InfoRequest:
    """The newsroom's request named by its tracker id (``123`` or ``#123``) or by one of its
    file numbers."""
    text = (raw or "").strip()
    if not text:
        raise NumberError(_("Name the other request."), "other")
    digits = text.removeprefix("#")
    if digits.isascii() and digits.isdigit() and len(digits) <= 12:
        found = db.get(InfoRequest, int(digits))
        if found is not None and found.newsroom_id == newsroom_id:
            return found
    matches = find_by_number(db, newsroom_id, text[:NUMBER_MAX])
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise NumberError(
            _(
                "%(n)s requests have the number %(number)s: give the tracker number (#id).",
                n=len(matches),
                number=text,
            ),
            "other",
        )
    raise NumberError(
        _("No request of the newsroom has the number or id %(text)s.", text=text),
        "other",
    )


def link_requests(
    db: Session, user: User, request: InfoRequest, kind: str, other: InfoRequest
) -> RequestLink:
    """Record that ``request`` was split into / transferred as / consolidated into /
    refiled as ``other``."""
    if kind not in LINK_KINDS:
        raise NumberError(_("Choose how the requests are related."), "kind")
    if other.id == request.id:
        raise NumberError(_("A request cannot be linked to itself."), "other")
    exists = db.scalar(
        sa.select(RequestLink.id).where(
            RequestLink.from_request_id == request.id,
            RequestLink.to_request_id == other.id,
            RequestLink.kind == kind,
        )
    )
    if exists is not None:
        raise NumberError(_("The requests are already linked so."), "other")
    link = RequestLink(
        from_request_id=request.id, to_request_id=other.id, kind=kind, created_by_id=user.id
    )
    db.add(link)
    db.flush()
    return link


def unlink(db: Session, request: InfoRequest, link_id: int) -> bool:
    """Remove a link the request is on either side of; False when there is none."""
    result = db.execute(
        sa.delete(RequestLink).where(
            RequestLink.id == link_id,
            sa.or_(
                RequestLink.from_request_id == request.id, RequestLink.to_request_id == request.id
            ),
        )
    )
    return bool(affected(result))


def links_of(db: Session, request: InfoRequest) -> list[Link]:
    """The request's links, each read from its side, with the other request's title."""
    other = sa.orm.aliased(InfoRequest)
    rows = db.execute(
        sa.select(RequestLink, other.id, other.title)
        .join(
            other,
            other.id
            == sa.case(
                (RequestLink.from_request_id == request.id, RequestLink.to_request_id),
                else_=RequestLink.from_request_id,
            ),
        )
        .where(
            sa.or_(
                RequestLink.from_request_id == request.id, RequestLink.to_request_id == request.id
            ),
            other.newsroom_id == request.newsroom_id,
        )
        .order_by(RequestLink.id)
    )
    return [
        Link(
            link.id,
            link.kind,
            str(LINK_LABELS[link.kind][0 if link.from_request_id == request.id else 1]),
            other_id,
            title,
        )
        for link, other_id, title in rows
    ]
