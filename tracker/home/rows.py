"""The dashboard tables' rows as HTML, built in one pass in Python.

The dashboard lists up to 150 requests; a Jinja expression per cell (each escaped and called
through the template's runtime) cost about as much as SQLite takes to find them. Text from
the database goes through html.escape; the rest are dates, numbers and fixed markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from markupsafe import Markup

from tracker.display import format_date, late_cell, status_badge
from tracker.requests.describe import Lateness

Link = Callable[[int], str]


def _request_cells(row: Any, link: Link) -> str:
    """The request's title, linked to its page, and its institution."""
    return (
        f'<td><a href="{html.escape(link(row.id))}">{html.escape(row.title)}</a></td>'
        f"<td>{html.escape(row.institution_name)}</td>"
    )


def _markup(rows: list[str]) -> Markup:
    # Text went through html.escape(); dates, numbers and badges are the tracker's own.
    return Markup("\n".join(rows))  # nosec B704


def overdue_rows(rows: Iterable[Any], lateness: Mapping[int, Lateness], link: Link) -> Markup:
    """Overdue requests: due date, days late (calendar, business) and the complaint deadline."""
    return _markup(
        [
            f"<tr>{_request_cells(r, link)}<td>{format_date(r.due_on)}</td>"
            f'<td class="num"><strong class="late-text">{lateness[r.id].calendar_days_late}'
            f'</strong></td><td class="num">{lateness[r.id].business_days_late}</td>'
            f"<td>{format_date(r.complaint_due_on)}</td></tr>"
            for r in rows
        ]
    )


def due_soon_rows(rows: Iterable[Any], lateness: Mapping[int, Lateness], link: Link) -> Markup:
    """Requests due soon: due date and the days left."""
    return _markup(
        [
            f"<tr>{_request_cells(r, link)}<td>{format_date(r.due_on)}</td>"
            f"<td>{late_cell(lateness[r.id])}</td></tr>"
            for r in rows
        ]
    )


def closing_rows(rows: Iterable[Any], today: date, link: Link) -> Markup:
    """Complaint windows closing soon: status and the window's last day, with days left."""
    return _markup(
        [
            f"<tr>{_request_cells(r, link)}<td>{status_badge(r.status)}</td>"
            f"<td><strong>{format_date(r.complaint_due_on)}</strong> "
            f"({(r.complaint_due_on - today).days} days)</td></tr>"
            for r in rows
        ]
    )
