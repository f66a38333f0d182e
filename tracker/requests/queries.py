"""Read-side queries for the dashboard and the request list (a fixed number of statements)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager

from tracker.models import STATUSES, InfoRequest, Institution, User

PER_PAGE = 25
SORTS = {
    "due": "Due date",
    "days_late": "Days late",
    "institution": "Institution",
    "received": "Newest first",
}


@dataclass(frozen=True)
class RequestFilters:
    """What the list page filters and sorts by; unknown values are ignored, never an error."""

    status: str | None = None
    institution_id: int | None = None
    law_code: str | None = None
    owner_id: int | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "due"
    page: int = 1
    # Keyset cursors from the pager's links: the sort key of the row the page starts after
    # (or ends before), so a deep page costs what the first one does.
    after: str | None = None
    before: str | None = None

    @classmethod
    def from_args(cls, args: dict[str, str] | object) -> RequestFilters:
        """Read filters from query-string arguments, dropping what does not parse."""
        get = args.get  # type: ignore[attr-defined]

        def as_int(name: str) -> int | None:
            value = (get(name) or "").strip()
            if not (value.isascii() and value.isdigit()) or len(value) > 9:
                return None  # not a plain number, or beyond any id the columns hold
            return int(value)

        status = get("status") or None
        sort = get("sort") or "due"
        return cls(
            status=status if status in STATUSES else None,
            institution_id=as_int("institution"),
            law_code=get("law") or None,
            owner_id=as_int("owner"),
            overdue=get("overdue") in ("1", "on", "true"),
            q=(get("q") or "").replace("\x00", "").strip()[:200],
            sort=sort if sort in SORTS else "due",
            page=max(1, min(as_int("page") or 1, 1_000_000)),
            after=(get("after") or "")[:400] or None,
            before=(get("before") or "")[:400] or None,
        )

    @property
    def searchable(self) -> bool:
        """True when the search has a letter or digit to look for (punctuation alone finds
        nothing, without reading any row)."""
        return any(ch.isalnum() for ch in self.q)


@dataclass
class Page:
    """One page of requests and where it sits among all matches."""

    items: list[InfoRequest]
    total: int
    page: int
    per_page: int = PER_PAGE
    pages: int = field(init=False)
    next_cursor: str | None = None  # for the "Next" link: the last row's sort key
    prev_cursor: str | None = None  # for the "Previous" link: the first row's sort key

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def filtered(newsroom_id: int, filters: RequestFilters) -> sa.Select:  # type: ignore[type-arg]
    """The newsroom's requests matching the filters, unordered and unpaged."""
    query = sa.select(InfoRequest).where(InfoRequest.newsroom_id == newsroom_id)
    if filters.status:
        query = query.where(InfoRequest.status == filters.status)
    if filters.institution_id:
        query = query.where(InfoRequest.institution_id == filters.institution_id)
    if filters.law_code:
        query = query.where(InfoRequest.law_code == filters.law_code)
    if filters.owner_id:
        query = query.where(InfoRequest.owner_id == filters.owner_id)
    if filters.overdue:
        query = query.where(InfoRequest.status == "overdue")
    if filters.q and not filters.searchable:
        return query.where(sa.false())
    if filters.q:
        pattern = f"%{_escape_like(filters.q.lower())}%"
        query = query.where(
            sa.or_(
                *[
                    sa.func.lower(col).like(pattern, escape="\\")
                    for col in (InfoRequest.title, InfoRequest.text, InfoRequest.file_number)
                ]
            )
        )
    return query


def _sort_key(filters: RequestFilters) -> tuple[list[Any], bool]:
    """The ORDER BY columns of a sort (ending with the id, so the order is total) and whether
    it is descending."""
    if filters.sort == "days_late":
        late_first = sa.case((InfoRequest.status == "overdue", 0), else_=1)
        return [late_first, InfoRequest.due_on, InfoRequest.id], False
    if filters.sort == "institution":
        return [sa.func.lower(Institution.name), InfoRequest.due_on, InfoRequest.id], False
    if filters.sort == "received":
        return [InfoRequest.received_on, InfoRequest.id], True
    return [InfoRequest.due_on, InfoRequest.id], False


def _key_values(filters: RequestFilters, row: InfoRequest) -> list[Any]:
    if filters.sort == "days_late":
        return [0 if row.status == "overdue" else 1, row.due_on, row.id]
    if filters.sort == "institution":
        return [row.institution.name, row.due_on, row.id]
    if filters.sort == "received":
        return [row.received_on, row.id]
    return [row.due_on, row.id]


def encode_cursor(filters: RequestFilters, row: InfoRequest) -> str:
    """A row's sort key as a link parameter (a name, if any, comes first, as stored: the
    database lowers it, as it does in the ORDER BY)."""
    return "~".join(
        v.isoformat() if isinstance(v, date) else str(v) for v in _key_values(filters, row)
    )


def decode_cursor(filters: RequestFilters, cursor: str | None) -> list[Any] | None:
    """The sort key a link carries, or None when it does not parse for this sort."""
    if not cursor:
        return None
    kinds: tuple[type, ...] = {
        "days_late": (int, date, int),
        "institution": (str, date, int),
    }.get(filters.sort, (date, int))
    parts = cursor.rsplit("~", len(kinds) - 1)
    if len(parts) != len(kinds):
        return None
    values: list[Any] = []
    for kind, part in zip(kinds, parts, strict=True):
        try:
            if kind is date:
                values.append(date.fromisoformat(part))
            elif kind is int:
                if not (part.isascii() and part.isdigit()) or len(part) > 12:
                    return None
                values.append(int(part))
            else:
                values.append(part)
        except ValueError:
            return None
    return values


def ordered(newsroom_id: int, filters: RequestFilters, reverse: bool = False) -> sa.Select:  # type: ignore[type-arg]
    """The filtered requests with their institution and owner, in the chosen order."""
    query = (
        filtered(newsroom_id, filters)
        .join(InfoRequest.institution)
        .join(InfoRequest.owner)
        .options(contains_eager(InfoRequest.institution), contains_eager(InfoRequest.owner))
    )
    columns, descending = _sort_key(filters)
    if descending != reverse:
        return query.order_by(*[c.desc() for c in columns])
    return query.order_by(*columns)


def _count(db: Session, newsroom_id: int, filters: RequestFilters) -> int:
    if filters.q and not filters.searchable:
        return 0
    query = filtered(newsroom_id, filters).with_only_columns(sa.func.count(InfoRequest.id))
    return db.scalar(query) or 0


def list_requests(db: Session, newsroom_id: int, filters: RequestFilters) -> Page:
    """One page of the newsroom's requests matching the filters, in the chosen order.

    A page reached through the pager's links starts at the neighbouring row's sort key
    (keyset pagination, indexed); a page typed by number is read from the nearer end of the
    list, so the last pages cost what the first ones do.
    """
    total = _count(db, newsroom_id, filters)
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(filters.page, pages)
    columns, descending = _sort_key(filters)
    after = decode_cursor(filters, filters.after) if page > 1 else None
    before = decode_cursor(filters, filters.before) if page > 1 and after is None else None
    items: list[InfoRequest]
    if total == 0:
        items = []
    elif after is not None or before is not None:
        key = sa.tuple_(*columns)
        bound = sa.tuple_(
            *[sa.func.lower(sa.literal(v)) if isinstance(v, str) else v for v in after or before]  # type: ignore[union-attr]
        )
        # Rows after the cursor in the list's order: greater when ascending, less when not.
        forward = after is not None
        beyond = key < bound if descending == forward else key > bound
        query = ordered(newsroom_id, filters, reverse=not forward).where(beyond).limit(PER_PAGE)
        items = list(db.scalars(query))
        if not forward:
            items.reverse()
    else:
        skipped = (page - 1) * PER_PAGE
        size = min(PER_PAGE, total - skipped)
        if skipped > total // 2:
            query = ordered(newsroom_id, filters, reverse=True).offset(total - skipped - size)
            items = list(db.scalars(query.limit(size)))
            items.reverse()
        else:
            items = list(db.scalars(ordered(newsroom_id, filters).offset(skipped).limit(size)))
    return Page(
        items=items,
        total=total,
        page=page,
        next_cursor=encode_cursor(filters, items[-1]) if items else None,
        prev_cursor=encode_cursor(filters, items[0]) if items else None,
    )


@dataclass
class Dashboard:
    """What needs a reporter's attention today."""

    overdue: list[InfoRequest]
    due_soon: list[InfoRequest]
    complaint_closing: list[InfoRequest]
    counts: dict[str, int]


DASHBOARD_LIMIT = 50


def dashboard(db: Session, newsroom_id: int, today: date) -> Dashboard:
    """Overdue first (most days late first), then due within 7 days, then closing windows."""

    def rows(query: sa.Select) -> list[InfoRequest]:  # type: ignore[type-arg]
        query = (
            query.join(InfoRequest.institution)
            .options(contains_eager(InfoRequest.institution))
            .limit(DASHBOARD_LIMIT)
        )
        return list(db.scalars(query))

    mine = InfoRequest.newsroom_id == newsroom_id
    overdue_q = sa.select(InfoRequest).where(mine, InfoRequest.status == "overdue")
    soon_q = sa.select(InfoRequest).where(
        mine,
        InfoRequest.status.in_(("awaiting", "on_hold")),
        InfoRequest.due_on.between(today, today + timedelta(days=7)),
    )
    closing_q = sa.select(InfoRequest).where(
        mine,
        InfoRequest.status.in_(("overdue", "answered")),
        InfoRequest.complaint_due_on.between(today, today + timedelta(days=14)),
    )
    counts_row = db.execute(
        sa.select(
            *[
                sa.select(sa.func.count()).select_from(q.subquery()).scalar_subquery()
                for q in (overdue_q, soon_q, closing_q)
            ],
            sa.select(sa.func.count())
            .where(mine, InfoRequest.status.notin_(("closed",)))
            .select_from(InfoRequest)
            .scalar_subquery(),
        )
    ).one()
    return Dashboard(
        overdue=rows(overdue_q.order_by(InfoRequest.due_on, InfoRequest.id)),
        due_soon=rows(soon_q.order_by(InfoRequest.due_on, InfoRequest.id)),
        complaint_closing=rows(closing_q.order_by(InfoRequest.complaint_due_on, InfoRequest.id)),
        counts={
            "overdue": counts_row[0],
            "due_soon": counts_row[1],
            "complaint_closing": counts_row[2],
            "open": counts_row[3],
        },
    )


def owners(db: Session, newsroom_id: int) -> list[tuple[int, str]]:
    """The newsroom's people, for the owner filter."""
    query = sa.select(User.id, User.name).where(User.newsroom_id == newsroom_id).order_by(User.name)
    return [(i, n) for i, n in db.execute(query)]


def institution_options(
    db: Session, newsroom_id: int, include_id: int | None = None
) -> list[tuple[int, str]]:
    """Institutions a request can go to (archived ones only when already chosen)."""
    query = (
        sa.select(Institution.id, Institution.name)
        .where(
            Institution.newsroom_id == newsroom_id,
            sa.or_(Institution.archived_at.is_(None), Institution.id == (include_id or -1)),
        )
        .order_by(sa.func.lower(Institution.name))
    )
    return [(i, n) for i, n in db.execute(query)]
