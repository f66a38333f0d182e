"""What read-only pages read: the request page's request (ORM objects, loaded in two
statements) and the list's requests (plain rows read by column name into ``ListedRequest``).

The request page loads the request, its institution and its timeline with each entry's
files and recorder as the models themselves, so ``describe()``, ``state_of()`` and
``can_edit()`` read the same objects the services write; any other relationship raises
rather than loading one row at a time. A list page reads its 25 requests with their
institution and owner as plain rows: each field of ``ListedRequest`` is the model's column
of the same name (checked when the statement is built), read from the row by that name.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, raiseload, selectinload

from tracker.core.models import InfoRequest, Institution, TimelineEvent, User


@functools.cache
def _request_page_statement() -> sa.Select[InfoRequest]:
    # Built once, with bound parameters: building a statement with its loader options costs
    # about as much as running it.
    return (
        sa.select(InfoRequest)
        .where(
            InfoRequest.id == sa.bindparam("request_id"),
            InfoRequest.newsroom_id == sa.bindparam("newsroom_id"),
        )
        .options(
            joinedload(InfoRequest.institution),
            selectinload(InfoRequest.events).options(
                joinedload(TimelineEvent.recorded_by).load_only(User.name),
                joinedload(TimelineEvent.attachments),
                raiseload("*"),
            ),
            raiseload("*"),
        )
    )


def request_page(db: Session, request_id: int, newsroom_id: int) -> InfoRequest | None:
    """The newsroom's request with this id and its institution, then its timeline with each
    entry's files and recorder (two statements), or None when the newsroom has no such
    request."""
    return db.scalars(
        _request_page_statement(), {"request_id": request_id, "newsroom_id": newsroom_id}
    ).first()


@dataclass(frozen=True, slots=True)
class InstitutionFacts:
    """An institution as a list shows it and the deadline engine reads it."""

    id: int
    name: str
    law_code: str
    province: str | None


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """A reporter as a list shows them."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ListedRequest:
    """A request as the list page, the API's list and the list's cursors read it: every
    field but ``institution`` and ``owner`` is the ``info_request`` column of its name."""

    id: int
    title: str
    file_number: str | None
    law_code: str
    status: str
    sent_on: date | None
    received_on: date
    due_on: date
    responded_on: date | None
    complaint_due_on: date | None
    closed_on: date | None
    institution: InstitutionFacts
    owner: PersonFacts


def column_fields(cls: type, *, leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names of a dataclass's fields that are read from columns of the same name."""
    return tuple(f.name for f in fields(cls) if f.name not in leave_out)


LISTED_FIELDS = column_fields(ListedRequest, leave_out=("institution", "owner"))
INSTITUTION_FIELDS = column_fields(InstitutionFacts)
OWNER_FIELDS = column_fields(PersonFacts)


def _labelled(table: sa.Table, names: tuple[str, ...], prefix: str = "") -> list[Any]:
    # A name that is not a column of the table fails here (KeyError), when the statement is
    # first built: a field cannot be read from another column than its own.
    return [table.c[name].label(prefix + name) for name in names]


@functools.cache
def _listed_columns() -> tuple[Any, ...]:
    return (
        *_labelled(InfoRequest.__table__, LISTED_FIELDS),
        *_labelled(Institution.__table__, INSTITUTION_FIELDS, "institution_"),
        *_labelled(User.__table__, OWNER_FIELDS, "owner_"),
    )


def listed_select() -> sa.Select[Any]:
    """The columns of ``ListedRequest`` with the institution's and the owner's, joined; add
    the WHERE and ORDER BY, then read the rows with ``listed()``."""
    return (
        sa.select(*_listed_columns())
        .join(Institution, Institution.id == InfoRequest.institution_id)
        .join(User, User.id == InfoRequest.owner_id)
    )


def listed(rows: Iterable[sa.Row[Any]]) -> list[ListedRequest]:
    """The rows of a ``listed_select()`` statement, in their order, read by column name."""
    found = []
    for row in rows:
        m = row._mapping
        found.append(
            ListedRequest(
                **{name: m[name] for name in LISTED_FIELDS},
                institution=InstitutionFacts(
                    **{name: m[f"institution_{name}"] for name in INSTITUTION_FIELDS}
                ),
                owner=PersonFacts(**{name: m[f"owner_{name}"] for name in OWNER_FIELDS}),
            )
        )
    return found
