"""The request list's rows as HTML, built in one pass in Python (as the dashboard's are).

Text from the database goes through html.escape; the rest are dates, badges and lateness
cells, the tracker's own markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup

from tracker.display import format_date, late_cell, status_badge
from tracker.requests.describe import Lateness


def list_rows(
    requests: Iterable[Any], lateness: Mapping[int, Lateness], link: Callable[[int], str]
) -> Markup:
    """One ``<tr>`` per request: title (linked) and file number, institution, law, received
    and due dates, status, lateness and the reporter who owns it."""
    rows = []
    for r in requests:
        number = (
            f'<br><span class="help">{html.escape(r.file_number)}</span>' if r.file_number else ""
        )
        rows.append(
            f'<tr><td><a href="{html.escape(link(r.id))}">{html.escape(r.title)}</a>{number}</td>'
            f"<td>{html.escape(r.institution.name)}</td><td>{html.escape(r.law_code)}</td>"
            f"<td>{format_date(r.received_on)}</td><td>{format_date(r.due_on)}</td>"
            f"<td>{status_badge(r.status)}</td><td>{late_cell(lateness[r.id])}</td>"
            f"<td>{html.escape(r.owner.name)}</td></tr>"
        )
    # Text went through html.escape(); dates, badges and lateness cells are the tracker's own.
    return Markup("\n".join(rows))  # nosec B704
