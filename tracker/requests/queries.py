"""Read-side queries for the dashboard and the request list (a fixed number of statements)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

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
        )


@dataclass
class Page:
    """One page of requests and where it sits among all matches."""

    items: list[InfoRequest]
    total: int
    page: int
    per_page: int = PER_PAGE
    pages: int = field(init=False)

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


def ordered(newsroom_id: int, filters: RequestFilters) -> sa.Select:  # type: ignore[type-arg]
    """The filtered requests with their institution and owner, in the chosen order."""
    query = (
        filtered(newsroom_id, filters)
        .join(InfoRequest.institution)
        .join(InfoRequest.owner)
        .options(contains_eager(InfoRequest.institution), contains_eager(InfoRequest.owner))
    )
    if filters.sort == "days_late":
        return query.order_by(
            sa.case((InfoRequest.status == "overdue", 0), else_=1),
            InfoRequest.due_on,
            InfoRequest.id,
        )
    if filters.sort == "institution":
        return query.order_by(sa.func.lower(Institution.name), InfoRequest.due_on, InfoRequest.id)
    if filters.sort == "received":
        return query.order_by(InfoRequest.received_on.desc(), InfoRequest.id.desc())
    return query.order_by(InfoRequest.due_on, InfoRequest.id)


def list_requests(db: Session, newsroom_id: int, filters: RequestFilters) -> Page:
    """One page of the newsroom's requests matching the filters, in the chosen order."""
    total = (
        db.scalar(sa.select(sa.func.count()).select_from(filtered(newsroom_id, filters).subquery()))
        or 0
    )
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(filters.page, pages)
    query = ordered(newsroom_id, filters).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    return Page(items=list(db.scalars(query)), total=total, page=page)


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
    return [
        (u.id, u.name)
        for u in db.scalars(
            sa.select(User).where(User.newsroom_id == newsroom_id).order_by(User.name)
        )
    ]


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
