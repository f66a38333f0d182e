"""Deadline engine: statutory response periods, holiday calendars, explanations.

Pure domain code (stdlib + python `holidays`): no Flask, no database.
"""

from __future__ import annotations

from .calendars import HOLIDAYS_VERSION, MAX_YEAR, MIN_YEAR
from .engine import (
    Problem,
    add_working_days,
    check_extension,
    complaint_deadline,
    days_late,
    deemed_refusal_complaint_deadline,
    due_date,
    is_working_day,
    next_working_day,
    non_working_reason,
    response_complaint_deadline,
    restarted_due_date,
    working_days_between,
)
from .explain import AppliedPause, Explanation, Roll, SkippedDay, Step, explain
from .fingerprint import rules_fingerprint as rules_fingerprint
from .laws import (
    EXTENSION_REASONS,
    LAW_CODES,
    LAWS,
    ComplaintWindow,
    ExtensionReason,
    ExtensionRule,
    Law,
    extension_reasons,
    get_law,
)

__all__ = [
    "EXTENSION_REASONS",
    "HOLIDAYS_VERSION",
    "LAWS",
    "LAW_CODES",
    "MAX_YEAR",
    "MIN_YEAR",
    "AppliedPause",
    "ComplaintWindow",
    "Explanation",
    "ExtensionReason",
    "ExtensionRule",
    "Law",
    "Problem",
    "Roll",
    "SkippedDay",
    "Step",
    "add_working_days",
    "check_extension",
    "complaint_deadline",
    "days_late",
    "deemed_refusal_complaint_deadline",
    "due_date",
    "explain",
    "extension_reasons",
    "get_law",
    "is_working_day",
    "next_working_day",
    "non_working_reason",
    "response_complaint_deadline",
    "restarted_due_date",
    "working_days_between",
]
