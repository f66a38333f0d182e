"""The request pages' repeated HTML, built in one pass in Python: the list's rows (as the
dashboard's are) and the request page's timeline entries (32 us an entry in Jinja, a third of
the page for eight of them; a long timeline cost more than everything else on it).

Text from the database is escaped (html.escape in the list, markupsafe's escape in the
timeline, as Jinja did); the rest are dates, badges and lateness cells, the tracker's own
markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from tracker.display import format_date, format_datetime, format_filesize, late_cell, status_badge
from tracker.requests.describe import Lateness
from tracker.requests.service import KIND_LABELS, REPORTER_KINDS, RESPONSE_OUTCOMES
from tracker.requests.state import CLOSURES


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


def _fact(details: Mapping[str, Any], key: str) -> str:
    """A fact of an entry's details, escaped; empty when the entry has none."""
    return str(escape(details[key])) if key in details else ""


def _facts_line(kind: str, d: Mapping[str, Any]) -> str:
    """What an entry of this kind records beyond its date and note, as a paragraph."""
    if kind == "extension":
        notified = " · Commissioner notified" if d.get("commissioner_notified") else ""
        return (
            f"<p>{_fact(d, 'days')} days · reason: {_fact(d, 'reason')} · notice "
            f"{_fact(d, 'notice_on')}{notified}</p>"
        )
    if kind == "final_response":
        outcome = (
            str(escape(RESPONSE_OUTCOMES.get(d["outcome"], d["outcome"]))) if "outcome" in d else ""
        )
        pages = f" · {_fact(d, 'pages')} pages" if d.get("pages") else ""
        return f"<p>{outcome}{pages}</p>"
    if kind == "complaint_filed":
        number = f" · file {_fact(d, 'body_file_number')}" if d.get("body_file_number") else ""
        return f"<p>Filed with {_fact(d, 'body')} · grounds: {_fact(d, 'grounds')}{number}</p>"
    if kind == "complaint_finding":
        return f"<p>Finding: {_fact(d, 'finding').replace('_', ' ')}</p>"
    if kind == "withdrawn" and d.get("closure"):
        return f"<p>{escape(CLOSURES.get(d['closure'], d['closure']))}</p>"
    if kind == "transfer":
        return f"<p>To {_fact(d, 'to_institution')}</p>"
    if kind in ("fee_notice", "fee_paid") and d.get("amount"):
        return f"<p>Amount: {_fact(d, 'amount')}</p>"
    return ""


def timeline_entries(
    events: Iterable[Any],
    corrected_by: Mapping[int, Any],
    *,
    can_edit: bool,
    correct_url: Callable[[int], str],
    download_url: Callable[[int], str],
) -> Markup:
    """One ``<li>`` per timeline entry: date and kind, what corrects what, the kind's facts,
    the note, the original files with their size and SHA-256, and who recorded it when (with
    a link to correct it for those who may)."""
    items = []
    for e in events:
        later = corrected_by.get(e.id)
        head = [
            f'<span class="entry-date">{format_date(e.occurred_on)}</span>',
            f'<strong class="entry-kind">{escape(KIND_LABELS.get(e.kind, ""))}</strong>',
        ]
        if e.corrects_id:
            head.append(
                f'<span class="badge">correction of <a href="#entry-{e.corrects_id}">an earlier '
                "entry</a></span>"
            )
        if later:
            head.append(
                f'<span class="badge soon">corrected by <a href="#entry-{later.id}">the entry of '
                f"{format_date(later.occurred_on)}</a></span>"
            )
        body = [_facts_line(e.kind, e.details or {})]
        if e.note:
            body.append(f'<p class="entry-note">{escape(e.note)}</p>')
        if e.attachments:
            files = "".join(
                f'<li><a href="{escape(download_url(a.id))}" download>{escape(a.original_name)}'
                f'</a> <span class="help">{format_filesize(a.size)} · SHA-256 '
                f"{escape(a.sha256[:12])}…</span></li>"
                for a in e.attachments
            )
            body.append(f'<ul class="files">\n{files}\n</ul>')
        by = f" by {escape(e.recorded_by_name)}" if e.recorded_by_name else " by the tracker"
        correct = (
            f' · <a href="{escape(correct_url(e.id))}">Correct this entry</a>'
            if can_edit and e.kind in REPORTER_KINDS and not later
            else ""
        )
        items.append(
            f'<li class="entry kind-{escape(e.kind)}{" corrected" if later else ""}" '
            f'id="entry-{e.id}">\n<div class="entry-head">\n'
            + "\n".join(head)
            + "\n</div>\n"
            + "".join(f"{part}\n" for part in body if part)
            + f'<p class="entry-meta">Recorded {escape(format_datetime(e.recorded_at))}{by}\n'
            f"{correct}</p>\n</li>"
        )
    # Text went through escape(); dates, sizes and links are the tracker's own.
    return Markup("\n".join(items))  # nosec B704
