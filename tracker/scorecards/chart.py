"""A bar chart of days late per institution as a standalone SVG a reporter can put in a story.

Server-rendered, no script, no web font: readable in any browser or layout program. The chart
has a title and a description for screen readers, and every bar carries its numbers as text.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from datetime import date

from tracker.core.display import format_date
from tracker.language.i18n import _, format_decimal
from tracker.scorecards.service import Score

SVG_NS = "http://www.w3.org/2000/svg"
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


def days_late_chart(scores: list[Score], today: date, newsroom: str, limit: int = 25) -> str:
    """Median days late (dark bar) and worst (light bar) for the institutions with late requests."""
    late = sorted(
        (s for s in scores if s.late),
        key=lambda s: (-(s.median_days_late or 0), -(s.worst_days_late or 0), s.name),
    )
    shown = late[:limit]
    rows = [_row_height(s.name) for s in shown]
    height = TOP + (sum(rows) + GAP * len(rows) if shown else BAR_HEIGHT + GAP) + BOTTOM
    ET.register_namespace("", SVG_NS)
    svg = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "width": str(WIDTH),
            "height": str(height),
            "viewBox": f"0 0 {WIDTH} {height}",
            "role": "img",
            "aria-labelledby": "chart-title chart-desc",
            "font-family": FONT,
        },
    )
    title_text = _("Days late per institution")
    as_of = format_date(today)
    ET.SubElement(svg, f"{{{SVG_NS}}}title", {"id": "chart-title"}).text = title_text
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
    ET.SubElement(svg, f"{{{SVG_NS}}}desc", {"id": "chart-desc"}).text = description
    ET.SubElement(
        svg, f"{{{SVG_NS}}}rect", {"width": str(WIDTH), "height": str(height), "fill": "#ffffff"}
    )
    heading = ET.SubElement(
        svg,
        f"{{{SVG_NS}}}text",
        {"x": "10", "y": "24", "font-size": "18", "font-weight": "700", "fill": INK},
    )
    heading.text = title_text
    sub = ET.SubElement(
        svg, f"{{{SVG_NS}}}text", {"x": "10", "y": "46", "font-size": "12", "fill": MUTED}
    )
    sub.text = _(
        "Median (dark) and worst (light) calendar days past the due date · "
        "%(newsroom)s · as of %(date)s",
        newsroom=newsroom,
        date=as_of,
    )
    if not shown:
        empty = ET.SubElement(
            svg,
            f"{{{SVG_NS}}}text",
            {"x": "10", "y": str(TOP + 16), "font-size": "14", "fill": INK},
        )
        empty.text = _("No late requests.")
    scale_max = max([s.worst_days_late or 0 for s in shown] + [1])
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 20
    y = TOP
    for index, score in enumerate(shown):
        if index:
            y += rows[index - 1] + GAP
        group = ET.SubElement(svg, f"{{{SVG_NS}}}g", {"class": "bar"})
        ET.SubElement(group, f"{{{SVG_NS}}}title").text = score.name
        lines = label_lines(score.name)
        label = ET.SubElement(
            group,
            f"{{{SVG_NS}}}text",
            {
                "x": str(LABEL_WIDTH - 8),
                "y": str(y + BAR_HEIGHT * 0.7 if len(lines) == 1 else y + 12),
                "font-size": "13",
                "text-anchor": "end",
                "fill": INK,
            },
        )
        if len(lines) == 1:
            label.text = lines[0]
        for number, line in enumerate(lines if len(lines) > 1 else []):
            ET.SubElement(
                label,
                f"{{{SVG_NS}}}tspan",
                {"x": str(LABEL_WIDTH - 8), "dy": "0" if number == 0 else str(LINE_HEIGHT)},
            ).text = line
        worst_w = bar_space * (score.worst_days_late or 0) / scale_max
        median_w = bar_space * (score.median_days_late or 0) / scale_max
        ET.SubElement(
            group,
            f"{{{SVG_NS}}}rect",
            {
                "x": str(LABEL_WIDTH),
                "y": str(y),
                "width": f"{max(worst_w, 1):.1f}",
                "height": str(BAR_HEIGHT),
                "fill": WORST,
            },
        )
        ET.SubElement(
            group,
            f"{{{SVG_NS}}}rect",
            {
                "x": str(LABEL_WIDTH),
                "y": str(y),
                "width": f"{max(median_w, 1):.1f}",
                "height": str(BAR_HEIGHT),
                "fill": BAR,
            },
        )
        value = ET.SubElement(
            group,
            f"{{{SVG_NS}}}text",
            {
                "x": f"{LABEL_WIDTH + max(worst_w, 1) + 6:.1f}",
                "y": str(y + BAR_HEIGHT * 0.7),
                "font-size": "12",
                "fill": INK,
            },
        )
        value.text = _(
            "%(median)s (worst %(worst)s) · %(late)s/%(judged)s late",
            median=_fmt(score.median_days_late),
            worst=_fmt(score.worst_days_late),
            late=score.late,
            judged=score.judged,
        )
    note = ET.SubElement(
        svg,
        f"{{{SVG_NS}}}text",
        {"x": "10", "y": str(height - 14), "font-size": "11", "fill": MUTED},
    )
    note.text = _("Source: ATI tracker; due dates computed from each law’s statutory period.") + (
        " "
        + _(
            "Showing the %(limit)s institutions with the most days late of %(total)s.",
            limit=limit,
            total=len(late),
        )
        if len(late) > limit
        else ""
    )
    return ET.tostring(svg, encoding="unicode", xml_declaration=False)
