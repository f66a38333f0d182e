"""The scorecard tables' rows as HTML, built in one pass in Python.

A newsroom has hundreds of institutions: a Jinja macro per row and per cell (and a url_for
per institution) cost about 85% of a scorecard page served from its snapshot. Every value
below goes through html.escape.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from markupsafe import Markup

from tracker.scorecards.service import Score

NONE = "—"


def number(value: float | None, suffix: str = "") -> str:
    """A figure as shown: a dash when there is none, a whole float without its ".0"."""
    if value is None:
        return NONE
    if isinstance(value, float) and value.is_integer():
        return f"{int(value)}{suffix}"
    return f"{value}{suffix}"


def score_rows(scores: Iterable[Score], institution_link: str | None = None) -> Markup:
    """One ``<tr>`` per score. With ``institution_link`` (the list's address, to which
    ``?institution=ID`` is added) the name links to the institution's requests, with its law
    below."""
    parts = []
    for s in scores:
        name = html.escape(s.name)
        if institution_link is not None:
            href = html.escape(f"{institution_link}?institution={s.key}")
            head = f'<a href="{href}">{name}</a><br><span class="help">{html.escape(s.law_code)}</span>'
        else:
            head = name
        on_time = (
            f'{number(s.on_time_pct, "%")} <span class="help">({s.on_time}/{s.judged})</span>'
            if s.judged
            else NONE
        )
        cells = (
            s.filed,
            on_time,
            number(s.median_days_to_answer),
            s.late,
            number(s.median_days_late),
            number(s.worst_days_late),
            number(s.extension_pct, "%"),
            s.complaints,
            s.well_founded,
        )
        body = "".join(f'<td class="num">{cell}</td>' for cell in cells)
        parts.append(f'<tr><th scope="row">{head}</th>{body}</tr>')
    # Names and law codes went through html.escape(); the rest are numbers and fixed markup.
    return Markup("\n".join(parts))  # nosec B704
