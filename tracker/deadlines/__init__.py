"""Deadline engine: statutory response periods, holiday calendars, explanations.

Pure domain code (stdlib + python `holidays`): no Flask, no database.

Policy where a statute reads two ways (the README's "Deadlines, law by law" says it too):

- The institution's deadline takes the LATER reading, so a request is never called overdue
  too early. Example: ATIA s.7's 30 days ending on a Saturday, or on a day federal offices
  close (the Day of Mourning, 19 September 2022), move to the next work day (TBS Access to
  Information Manual 7.1.1), although the Interpretation Act s.26 moves a time limit only
  past a holiday (s.35). Québec's IA s.52 "jour ouvrable suivant" is read as the next
  business day.
- The reporter's own windows (complaint, appeal, review) take the EARLIER reading, so a
  reporter never misses one. Example: the 60 days of ATIA s.31 roll past a Sunday or an IA
  s.35 holiday (s.26) but never past a Saturday or an office closure.
- The explanation shows both readings and the source of each where they differ
  (`Explanation.earlier_due` and its "Two readings" step; `ReporterWindow.later_end`).

Law versions: each law code is a sequence of versions with effective dates (`LAW_VERSIONS`);
a request uses the version in force on its received date (`law_in_force`), and a date before
a law's first version is a ValueError naming the range.
"""

from __future__ import annotations

from .calendars import HOLIDAYS_VERSION, MAX_YEAR, MIN_YEAR
from .clockrules import PAUSE_RULES, RESTART_RULES, pause_rules, restart_rule
from .engine import (
    Problem,
    ReporterWindow,
    add_working_days,
    check_extension,
    complaint_deadline,
    days_late,
    deemed_refusal_complaint_deadline,
    due_date,
    is_working_day,
    lawful_extension_days,
    next_stage_deadline,
    next_working_day,
    non_working_reason,
    reporter_windows,
    response_complaint_deadline,
    restarted_due_date,
    working_days_between,
)
from .explain import AppliedPause, Explanation, Roll, SkippedDay, Step, explain
from .fingerprint import rules_fingerprint as rules_fingerprint
from .laws import (
    EXTENSION_REASONS,
    LAW_CODE_ALIASES,
    LAW_CODES,
    LAW_VERSIONS,
    LAWS,
    NOT_YET_OFFERED,
    SCHEMA_LAW_CODES,
    ComplaintWindow,
    ExtensionReason,
    ExtensionRule,
    Law,
    extension_reasons,
    get_law,
    law_in_force,
    version_end,
)

__all__ = [
    "EXTENSION_REASONS",
    "HOLIDAYS_VERSION",
    "LAWS",
    "LAW_CODES",
    "LAW_CODE_ALIASES",
    "LAW_VERSIONS",
    "MAX_YEAR",
    "MIN_YEAR",
    "NOT_YET_OFFERED",
    "PAUSE_RULES",
    "RESTART_RULES",
    "SCHEMA_LAW_CODES",
    "AppliedPause",
    "ComplaintWindow",
    "Explanation",
    "ExtensionReason",
    "ExtensionRule",
    "Law",
    "Problem",
    "ReporterWindow",
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
    "law_in_force",
    "lawful_extension_days",
    "next_stage_deadline",
    "next_working_day",
    "non_working_reason",
    "pause_rules",
    "reporter_windows",
    "response_complaint_deadline",
    "restart_rule",
    "restarted_due_date",
    "version_end",
    "working_days_between",
]
