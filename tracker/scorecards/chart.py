"""A bar chart of days late per institution as a standalone SVG a reporter can put in a story.

Server-rendered, no script, no web font: readable in any browser or layout program. The chart
has a title and a description for screen readers, and every bar carries its numbers as text.
Here the chart's geometry and words are worked out; the SVG itself is the ``days_late_chart``
macro of ``templates/scorecards/_chart.html`` (escaped by autoescape, as every page is).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from flask import get_template_attribute
from markupsafe import Markup

from tracker.core.display import format_date
from tracker.language.i18n import _, format_decimal
from tracker.scorecards.service import Score

WIDTH = 760
LABEL_WIDTH = 250
VALUE_WIDTH = 190
BAR_HEIGHT = 22
GAP = 10
TOP = 70
BOTTOM = 40
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
BAR = "#a4161a"
WORST = "#f4b6b8"
INK = "#1b1f24"
MUTED = "#4a5562"


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if float(value).is_integer():
        return format_decimal(int(value))
    return format_decimal(round(value, 1), format="#,##0.0")


LABEL_CHARS = 34  # about what 13px text fits in LABEL_WIDTH
LABEL_LINES = 3
LINE_HEIGHT = 15


def label_lines(name: str) -> list[str]:
    """An institution's name wrapped to the label column, whole up to three lines; a longer
    one ends with an ellipsis (the full name is the label's tooltip and in the description)."""
    lines = textwrap.wrap(name, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) > LABEL_LINES:
        last = lines[LABEL_LINES - 1]
        lines = [*lines[: LABEL_LINES - 1], last[: LABEL_CHARS - 1].rstrip() + "…"]
    return lines


def _row_height(name: str) -> int:
    return max(BAR_HEIGHT, len(label_lines(name)) * LINE_HEIGHT + 4)


@dataclass(frozen=True)
class Bar:
    """One institution's row: its label lines, its two bars and its figures in words."""

    name: str
    lines: list[str]
    label_y: str
    y: str
    worst_width: str
    median_width: str
    value_x: str
    value_y: str
    value: str


@dataclass(frozen=True)
class Chart:
    """What the chart shows, and where: read by the ``days_late_chart`` macro."""

    height: int
    title: str
    description: str
    subtitle: str
    empty: str  # "" when institutions are shown
    bars: list[Bar]
    note: str
    width: int = WIDTH
    font: str = FONT
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    line_height: int = LINE_HEIGHT
    empty_y: int = TOP + 16
    bar: str = BAR
    worst: str = WORST
    ink: str = INK
    muted: str = MUTED


def chart_of(scores: list[Score], today: date, newsroom: str, limit: int = 25) -> Chart:
    """Median days late (dark bar) and worst (light bar) for the institutions with late
    requests, the latest first: the chart's words and geometry."""
    late = sorted(
        (s for s in scores if s.late),
        key=lambda s: (-(s.median_days_late or 0), -(s.worst_days_late or 0), s.name),
    )
    shown = late[:limit]
    rows = [_row_height(s.name) for s in shown]
    height = TOP + (sum(rows) + GAP * len(rows) if shown else BAR_HEIGHT + GAP) + BOTTOM
    as_of = format_date(today)
    if shown:
        parts = [
            _(
                "%(name)s: median %(median)s days late, worst %(worst)s, %(late)s of %(judged)s late",
                name=s.name,
                median=_fmt(s.median_days_late),
                worst=_fmt(s.worst_days_late),
                late=s.late,
                judged=s.judged,
            )
            for s in shown
        ]
        description = (
            _(
                "Calendar days past the statutory due date of late answers and "
                "unanswered requests, as of %(date)s.",
                date=as_of,
            )
            + " "
            + "; ".join(parts)
            + "."
        )
    else:
        description = _("No institution was late, as of %(date)s.", date=as_of)
    scale_max = max([s.worst_days_late or 0 for s in shown] + [1])
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20
    bars = []
    y = TOP
    for index, score in enumerate(shown):
        if index:
            y += rows[index - 1] + GAP
        lines = label_lines(score.name)
        worst_w = max(bar_space * (score.worst_days_late or 0) / scale_max, 1)
        median_w = max(bar_space * (score.median_days_late or 0) / scale_max, 1)
        bars.append(
            Bar(
                name=score.name,
                lines=lines,
                label_y=str(y + BAR_HEIGHT * 0.7 if len(lines) == 1 else y + 12),
                y=str(y),
                worst_width=f"{worst_w:.1f}",
                median_width=f"{median_w:.1f}",
                value_x=f"{LABEL_WIDTH + worst_w + 6:.1f}",
                value_y=str(y + BAR_HEIGHT * 0.7),
                value=_(
                    "%(median)s (worst %(worst)s) · %(late)s/%(judged)s late",
                    median=_fmt(score.median_days_late),
                    worst=_fmt(score.worst_days_late),
                    late=score.late,
                    judged=score.judged,
                ),
            )
        )
    note = _("Source: ATI tracker; due dates computed from each law’s statutory period.")
    if len(late) > limit:
        note += " " + _(
            "Showing the %(limit)s institutions with the most days late of %(total)s.",
            limit=limit,
            total=len(late),
        )
    return Chart(
        height=height,
        title=_("Days late per institution"),
        description=description,
        subtitle=_(
            "Median (dark) and worst (light) calendar days past the due date · "
            "%(newsroom)s · as of %(date)s",
            newsroom=newsroom,
            date=as_of,
        ),
        empty="" if shown else _("No late requests."),
        bars=bars,
        note=note,
    )


def days_late_chart(scores: list[Score], today: date, newsroom: str, limit: int = 25) -> Markup:
    """The chart as an SVG element (rendered by the ``days_late_chart`` macro)."""
    macro = get_template_attribute("scorecards/_chart.html", "days_late_chart")
    rendered: Markup = macro(chart_of(scores, today, newsroom, limit))
    return rendered
