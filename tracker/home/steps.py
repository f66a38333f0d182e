"""What to do next about an overdue request, for the dashboard: complain (to whom, by when)
with the evidence packet that holds the draft letter, or, past the window, the packet alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker import deadlines


@dataclass(frozen=True)
class NextStep:
    """The step the dashboard shows beside an overdue request."""

    stage: str  # what the law calls it: "complaint", "request for review", ...
    body: str  # who receives it
    by: date | None  # the last day, when the law sets one
    window_closed: bool  # the last day has passed


def next_step(law_code: str, complaint_due_on: date | None, today: date) -> NextStep:
    """The next step for an overdue request under its law, as of ``today``."""
    law = deadlines.LAWS[law_code]
    window = law.complaint_window
    body = (window.body if window is not None and window.body else "") or law.complaint_body
    stage = window.stage if window is not None else "complaint"
    closed = complaint_due_on is not None and complaint_due_on < today
    return NextStep(stage=stage, body=body, by=complaint_due_on, window_closed=closed)
