"""The shapes of a law's facts: a Law version, its extension rule, its reporter's windows.

Kept apart from the tables (laws.py, provinces/) so that a module of laws can be added
without importing the registry that lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Unit = Literal["calendar", "working"]
WindowUnit = Literal["calendar", "working", "months"]


@dataclass(frozen=True)
class ExtensionReason:
    """One ground on which a law lets the institution extend its deadline."""

    code: str
    label: str
    section: str
    # True where the statute sets no day cap for this ground (e.g. Privacy Act s.15(b)).
    uncapped: bool = False


@dataclass(frozen=True)
class ExtensionRule:
    """What a law allows by way of extending the response period."""

    unit: Unit
    sections: tuple[str, ...]
    reasons: tuple[ExtensionReason, ...]
    # Section requiring notice to the requester within the original period.
    notice_section: str
    # Cap in the law's unit; None = "a reasonable period" (no fixed cap).
    max_days: int | None = None
    max_section: str | None = None
    # "hard": longer is unlawful; "permission": longer needs the Commissioner's
    # permission (BC s.10(1), AB s.14(1)); "written-reasons": longer needs a written
    # statement of reasons and a date certain (NY POL s.89(3)(a)).
    max_kind: Literal["hard", "permission", "written-reasons"] = "hard"
    # ATIA s.9(2): an extension longer than this needs notice to the Commissioner.
    commissioner_notice_threshold: int | None = None
    commissioner_section: str | None = None
    # Non-statutory guidance cap (UK: ICO expects at most 20 further working days).
    guidance_max_days: int | None = None
    guidance_citation: str | None = None
    note: str = ""
    # Who gives the permission of max_kind "permission" (NB RTIPPA s.11(4): the Ombud).
    approver: str = "Commissioner"

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """Codes of the valid extension reasons, in statutory order."""
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class ComplaintWindow:
    """The reporter's period to complain, appeal or ask for a review; day 1 is the trigger day."""

    length: int
    unit: WindowUnit
    section: str
    # Whether the window also runs after a deemed refusal (silence past the due date).
    covers_deemed_refusal: bool = True
    note: str = ""
    # How the last day moves when it is not a working day, under the reporter's (earlier)
    # reading: "holidays" only past the holidays the interpretation act lists (Saturday is
    # not one: federal IA s.26/s.35, Ontario, Alberta, Québec s.52), "working" past every
    # non-working day where a statute says so (NY GCL s.25-a), "none" not at all.
    roll: Literal["holidays", "working", "none"] = "holidays"
    roll_citation: str | None = None
    # "statute": a time limit in the law; "guidance": a regulator's expectation, not law.
    status: Literal["statute", "guidance"] = "statute"
    # Who receives it and what it is called ("complaint", "appeal", "request for review").
    stage: str = "complaint"
    body: str = ""
    trigger_text: str = "the response"


@dataclass(frozen=True)
class Law:
    """One access-to-information regime: response period, calendar, extensions, remedies."""

    code: str
    name: str
    short_name: str
    jurisdiction: str
    citation: str  # the response period, e.g. "Access to Information Act, s.7"
    unit: Unit
    length: int
    holiday_calendar: str  # human description of the non-working days
    calendar_key: str  # internal key used by tracker.deadlines.calendars
    weekend_days: tuple[int, ...]  # date.weekday() values that are never working days
    count_citation: str  # why receipt is day 0 and counting starts the next day
    roll_citation: str | None  # calendar-day laws: why the last day rolls forward
    extension: ExtensionRule | None
    deemed_refusal_section: str | None
    complaint_body: str
    complaint_window: ComplaintWindow | None
    # "institution": province is the institution's province, adding its holidays
    # (Canadian federal laws); "fixed": the law has one subdivision (default_province);
    # "none": national calendar. For "fixed"/"none" a province argument is ignored.
    province_mode: Literal["institution", "fixed", "none"]
    default_province: str | None
    pause_sections: tuple[str, ...] = ()
    restart_note: str = ""
    transfer_note: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    # What lateness means, as a sentence; {cite} is the deemed-refusal section.
    lateness_effect: str = (
        "Without a response by the end of that day, the request is treated as refused ({cite})."
    )
    # The version: the day it took effect (inclusive) and the Act's citation.
    effective_from: date = date(1983, 7, 1)
    act_citation: str = ""
    # The section that says what silence past the due date means, when the law does not call
    # it a deemed refusal (US FOIA constructive exhaustion, UK FOIA s.10(1) breach).
    silence_section: str | None = None
    # What silence is called: "deemed refusal" only for laws that have one.
    silence_term: str = "deemed refusal"
    # The heading of the timeline entry the overdue sweep adds the day after the due date:
    # "Deemed refusal" only for laws that have one (issue 15 part 3).
    silence_label: str = "Deemed refusal"
    # The window after silence, when it differs from the window after a response; with
    # refusal_no_limit the law sets no time limit after silence (BC FIPPA s.53(3)).
    refusal_window: ComplaintWindow | None = None
    refusal_no_limit: bool = False
    refusal_no_limit_section: str | None = None
    # A regulator's expectation where the law sets no window (UK FOIA: the ICO's six weeks).
    guidance_window: ComplaintWindow | None = None
    # A second step after the first window (FOISA s.47(4): six months to the Commissioner).
    next_stage: ComplaintWindow | None = None
    next_stage_text: str = ""
    # FOISA s.20(5): the review window counts from the end of the s.10 period, or from a
    # late response.
    window_from_due: bool = False
    # Calendar of the reporter's windows (earlier reading): a calendar key and its weekly
    # rest days; None uses the law's own calendar, rolling past holidays only.
    window_calendar: tuple[str, tuple[int, ...]] | None = None
    window_holiday_text: str = ""
    # Québec IA s.52: a time limit expiring on a holiday moves to the next "jour ouvrable";
    # read as a business day (the later reading, for the institution) a roll also passes a
    # Saturday.
    roll_past_saturday: bool = False
    # NY POL s.89(3)(a): an acknowledgement within the period starts a new period.
    acknowledgement_days: int | None = None
    acknowledgement_section: str | None = None
    # The earlier reading of the institution's own deadline, where a calendar-day law's last
    # day rolls: the interpretation act alone (holidays only).
    strict_roll_citation: str | None = None
    # Other names the CSV import recognises for this law: its name in the other official
    # language, its common abbreviations, the province's names (French too) where the
    # province has one access law. Codes and names are matched without case or accents.
    aliases: tuple[str, ...] = ()

    @property
    def period_text(self) -> str:
        """The response-period citation as it reads in a sentence ("Access to Information Act s.7")."""
        return self.citation.replace(", ", " ", 1)

    @property
    def silence_cite(self) -> str | None:
        """The section giving silence past the due date its effect, cited."""
        section = self.deemed_refusal_section or self.silence_section
        return self.cite(section) if section else None

    @property
    def window_after_refusal(self) -> ComplaintWindow | None:
        """The reporter's window after silence past the due date (None: none or no limit)."""
        if self.refusal_no_limit:
            return None
        if self.refusal_window is not None:
            return self.refusal_window
        w = self.complaint_window
        return w if w is not None and w.covers_deemed_refusal else None

    def cite(self, section: str) -> str:
        """Cite a section of this law, e.g. cite("s.9(2)") -> "ATIA s.9(2)"."""
        if section.startswith("("):
            return f"{self.short_name}{section}"
        return f"{self.short_name} {section}"
