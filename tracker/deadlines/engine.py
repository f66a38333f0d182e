"""Due dates, lateness, complaint windows and extension checks.

Conventions (RULES.md): the day of receipt is day 0 and counting starts the next day, even
when receipt falls on a non-working day. Calendar-day laws count `length + extension_days`
calendar days from receipt and then roll once to the next working day (TBS manual 7.1.1:
never chain an extension from an already-rolled date). Working-day laws count working days.

Pauses are inclusive (start, end) intervals during which the clock stops (UK FOIA s.10(2)
fee notice, BC FIPPA s.7(4) fee estimate, ATIA s.6.1, US FOIA tolling). Design choice: the
due date is the N-th *unpaused* counted day after receipt, so for a calendar-day law the due
date moves later by the number of paused calendar days that fall between the day after
receipt and the (moving) last day; a pause after the deadline has no effect; a roll never
lands inside a pause. For a working-day law paused days are simply not working days.

Restarts (UK FOIA s.1(3) clarification, FOISA s.1(3)): the clock starts again, so the caller
passes the date the clarification was received as `received` (see `restarted_due_date`).
Transfers (ATIA s.8(2)) keep the original receipt date: pass the first receipt date.

Versions: every function that takes a received date uses the version of the law in force on
that day; the window functions take `received=` for the same purpose (default: the trigger).

The reporter's windows (`complaint_deadline` and the functions after it) take the earlier
reading where the law reads two ways (see the package docstring); `reporter_windows` returns
each window with its trigger, its source and the later reading where it differs.
"""

from __future__ import annotations

import calendar as _calendar_months
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from ._core import check_date, resolve, roll_past_holidays, window_calendar
from .calendars import Calendar
from .explain import explain
from .laws import LAW_VERSIONS, ComplaintWindow, Law

_ONE_DAY = timedelta(days=1)

# (law code, province as passed) -> per version, newest first: (first day's ordinal,
# calendar, length, counts working days?, rolls past a Saturday?).
_Entry = tuple[int, Calendar, int, bool, bool]
_FAST: dict[tuple[str, str | None], tuple[_Entry, ...]] = {}


def _fast_entries(law: str, province: str | None) -> tuple[_Entry, ...]:
    entries = []
    for version in reversed(LAW_VERSIONS[resolve(law, province)[0].code]):
        _, cal = resolve(law, province, version.effective_from)
        entries.append(
            (
                version.effective_from.toordinal(),
                cal,
                version.length,
                version.unit == "working",
                version.roll_past_saturday,
            )
        )
    out = tuple(entries)
    if len(_FAST) < 4096:  # bounded: ignored provinces of fixed-calendar laws are free text
        _FAST[(law, province)] = out
    return out


def due_date(
    law: str,
    received: date,
    *,
    extension_days: int = 0,
    province: str | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    acknowledged: date | None = None,
) -> date:
    """Return the last day to respond (extension_days in the law's own unit), under the
    version of the law in force on `received`."""
    try:
        entries = _FAST[(law, province)]
    except KeyError:
        entries = _fast_entries(law, province)
    except TypeError:  # unhashable law/province: let resolve() explain
        entries = _fast_entries(law, province)
    if (
        pauses
        or acknowledged is not None
        or received.__class__ is not date
        or extension_days.__class__ is not int
        or extension_days < 0
    ):
        return explain(
            law,
            received,
            extension_days=extension_days,
            province=province,
            pauses=pauses,
            acknowledged=acknowledged,
        ).due
    ordinal = received.toordinal()
    entry = next((e for e in entries if e[0] <= ordinal), None)
    if entry is None:  # before the law's first version: resolve() raises the ValueError naming it
        resolve(law, province, received)
        raise AssertionError("unreachable")
    _, cal, length, working, roll_sat = entry
    if roll_sat:
        return explain(law, received, extension_days=extension_days, province=province).due
    # Flat per-year data (one atomic tuple): work = sorted working days, cb[i] = number
    # of working days before base+i. Out-of-span reads raise IndexError -> slow path.
    base, cb, work = cal.span
    off = received.toordinal() - base
    if off >= 0:
        try:
            if working:
                # The n-th working day after receipt.
                return work[cb[off + 1] + length + extension_days - 1]
            # Calendar days from receipt (ATIA s.7 + s.9(1)), rolled once to a working day.
            return work[cb[off + length + extension_days]]
        except IndexError:
            pass
    check_date(received, "received")
    n = length + extension_days
    if n > 366 * 250:
        raise ValueError(f"extension_days {extension_days} reaches beyond the holiday data")
    if working:
        return cal.add_working_days(received, n)
    return cal.next_working_on_or_after(received + timedelta(days=n))


def restarted_due_date(
    law: str,
    restart: date,
    *,
    extension_days: int = 0,
    province: str | None = None,
    pauses: Iterable[tuple[date, date]] = (),
) -> date:
    """Return the due date after a restart (UK FOIA s.1(3)): `restart` is the new day 0."""
    return due_date(law, restart, extension_days=extension_days, province=province, pauses=pauses)


def _add_months(d: date, months: int) -> date:
    # "Within six months after" (FOISA s.47(4)): the same day of the month, or the month's last
    # day when it has none (31 August + 6 months -> 28/29 February: the earlier reading).
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, _calendar_months.monthrange(year, month)[1]))


def _window_end(
    law_obj: Law, cal: Calendar, window: ComplaintWindow, day0: date
) -> tuple[date, date]:
    """(earlier reading, later reading) of a window's last day; day 1 is the day after day0."""
    if window.unit == "working":
        # The reporter's reading counts on the window's own calendar where the law names one
        # (BC: without the 2022 day of mourning); the later reading on the law's calendar.
        end = window_calendar(law_obj, cal).add_working_days(day0, window.length)
        return end, cal.add_working_days(day0, window.length)
    if window.unit == "months":
        end = _add_months(day0, window.length)
        return end, cal.next_working_on_or_after(end)
    last = day0 + timedelta(days=window.length)
    later = cal.next_working_on_or_after(last)
    if window.roll == "working":
        return later, later
    if window.roll == "none":
        return last, later
    return roll_past_holidays(window_calendar(law_obj, cal), last), later


def is_working_day(law: str, d: date, province: str | None = None) -> bool:
    """Return True when d is a working day under the law's calendar."""
    _, cal = resolve(law, province)
    check_date(d, "date")
    return cal.is_working(d)


def non_working_reason(law: str, d: date, province: str | None = None) -> str | None:
    """Return the holiday name or weekday that makes d a non-working day, or None."""
    _, cal = resolve(law, province)
    check_date(d, "date")
    return cal.non_working_reason(d)


def working_days_between(law: str, start: date, end: date, province: str | None = None) -> int:
    """Return the number of working days d with start < d <= end (0 when end <= start)."""
    _, cal = resolve(law, province)
    check_date(start, "start")
    check_date(end, "end")
    return cal.working_days_between(start, end)


def add_working_days(law: str, start: date, n: int, province: str | None = None) -> date:
    """Return the n-th working day after start (start is day 0); n >= 1."""
    _, cal = resolve(law, province)
    check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive whole number of days, not {n!r}")
    return cal.add_working_days(start, n)


def next_working_day(law: str, d: date, province: str | None = None) -> date:
    """Return d if it is a working day under the law, else the next working day."""
    _, cal = resolve(law, province)
    check_date(d, "date")
    return cal.next_working_on_or_after(d)


def days_late(law: str, due: date, on: date, *, province: str | None = None) -> tuple[int, int]:
    """Return (calendar_days, business_days) by which `on` is past `due`; (0, 0) if on time."""
    _, cal = resolve(law, province)
    check_date(due, "due")
    check_date(on, "on")
    if on <= due:
        return (0, 0)
    return ((on - due).days, cal.working_days_between(due, on))


def complaint_deadline(
    law: str, trigger: date, *, province: str | None = None, received: date | None = None
) -> date | None:
    """Return the last day to complain/appeal when the window's day 1 is `trigger` (earlier
    reading: e.g. ATIA s.31 does not roll past a Saturday); None if the law sets no window."""
    check_date(trigger, "trigger")
    law_obj, cal = resolve(law, province, received or trigger)
    window = law_obj.complaint_window
    if window is None:
        return None
    return _window_end(law_obj, cal, window, trigger - _ONE_DAY)[0]


def response_complaint_deadline(
    law: str,
    responded: date,
    *,
    due: date | None = None,
    province: str | None = None,
    received: date | None = None,
) -> date | None:
    """Return the last day to complain about a response received on `responded` (day 1 = next
    day); where the law counts from the end of the response period (FOISA s.20(5)(a)), a
    response within it counts from `due`."""
    check_date(responded, "responded")
    law_obj = resolve(law, province, received or responded)[0]
    day0 = responded
    if law_obj.window_from_due and due is not None and responded <= due:
        check_date(due, "due")
        day0 = due
    return complaint_deadline(law, day0 + _ONE_DAY, province=province, received=received)


def deemed_refusal_complaint_deadline(
    law: str, due: date, province: str | None = None, *, received: date | None = None
) -> date | None:
    """Return the last day to complain after silence past `due` (the window starts the day
    after); None where the law sets no window or no time limit (BC FIPPA s.53(3))."""
    check_date(due, "due")
    law_obj, cal = resolve(law, province, received or due)
    window = law_obj.window_after_refusal
    if window is None:
        return None
    return _window_end(law_obj, cal, window, due)[0]


@dataclass(frozen=True)
class ReporterWindow:
    """One of the reporter's windows, as the request page, the packet and the letter show it."""

    stage: str  # "complaint", "appeal", "request for review", "application"...
    body: str
    trigger: str  # what starts it, in words
    kind: Literal["statute", "guidance", "no-limit", "next-stage"]
    end: date | None  # the earlier reading; None for no limit or a stage not yet started
    citation: str
    text: str  # one sentence a reporter can check
    later_end: date | None = None  # the later reading, where it differs
    later_source: str | None = None


def _unit_words(window: ComplaintWindow) -> str:
    return {"calendar": "days", "working": "working days", "months": "months"}[window.unit]


def _window_text(
    law_obj: Law,
    window: ComplaintWindow,
    day0: date,
    end: date,
    later: date,
    trigger: str,
    holidays_text: str,
) -> tuple[str, date | None, str | None]:
    cite = law_obj.cite(window.section)
    text = (
        f"{window.stage.capitalize()} to {window.body or law_obj.complaint_body}: "
        f"{window.length} {_unit_words(window)} counted from the day after {trigger} "
        f"({day0.isoformat()}), so by {end.strftime('%A')} {end.isoformat()} ({cite})."
    )
    if window.status == "guidance":
        text = (
            f"No time limit in the Act. Guidance, not law: {window.note} Counted from "
            f"{day0.isoformat()}, six weeks end on {end.strftime('%A')} {end.isoformat()}."
        )
        return text, None, None
    if later != end and window.unit == "calendar":
        if window.roll == "holidays":
            why = (
                f"{window.roll_citation or 'the interpretation act'} extends a time limit only "
                f"past {holidays_text or 'a holiday'}"
            )
        else:
            # A window whose last day is left where it falls says why where it can
            # (e.g. an interpretation act whose holiday list could not be read).
            why = window.roll_citation or "the law does not move the last day"
        source = (
            "read as rolling to the next working day like the institution's deadline, it would "
            f"end on {later.strftime('%A')} {later.isoformat()}"
        )
        text += (
            f" The tracker shows the earlier of two readings: {why}; {source}. File by "
            f"{end.isoformat()}."
        )
        return text, later, source
    if window.note and window.status == "statute" and window.unit != "calendar":
        text += f" {window.note}"
    if later != end and window.unit == "working":
        # A day the law's calendar may count as a holiday and the window's calendar does not
        # (BC: the 2022 day of mourning, s.29(d)).
        source = (
            f"skipping only {holidays_text or 'the interpretation act holidays'}; read with "
            "the institution's calendar, it would end on "
            f"{later.strftime('%A')} {later.isoformat()}"
        )
        text += (
            f" The tracker shows the earlier of two readings, {source}. File by {end.isoformat()}."
        )
        return text, later, source
    return text, None, None


def reporter_windows(
    law: str,
    *,
    received: date,
    due: date,
    responded: date | None = None,
    province: str | None = None,
) -> tuple[ReporterWindow, ...]:
    """The reporter's windows for a request: after the response (or after silence past `due`),
    each with its trigger, its section and, where the law reads two ways, the later reading."""
    check_date(received, "received")
    check_date(due, "due")
    law_obj, cal = resolve(law, province, received)
    out: list[ReporterWindow] = []
    late = responded is None or responded > due
    if responded is not None:
        check_date(responded, "responded")
    window = law_obj.complaint_window
    if responded is None:
        trigger = f"the due date ({law_obj.silence_term})"
        window = law_obj.window_after_refusal
        day0 = due
        if law_obj.refusal_no_limit:
            section = law_obj.cite(law_obj.refusal_no_limit_section or "")
            out.append(
                ReporterWindow(
                    stage=(
                        law_obj.complaint_window.stage if law_obj.complaint_window else "complaint"
                    ),
                    body=law_obj.complaint_body,
                    trigger=trigger,
                    kind="no-limit",
                    end=None,
                    citation=section,
                    text=(
                        f"No deadline: the law sets no time limit for a "
                        f"{law_obj.complaint_window.stage if law_obj.complaint_window else 'complaint'} "
                        f"of a failure to respond ({section}). It stays open."
                    ),
                )
            )
            window = None
    else:
        trigger = "the response" if not late else "the late response"
        day0 = due if (law_obj.window_from_due and not late) else responded
        if law_obj.window_from_due and not late:
            trigger = "the end of the time for compliance"
    if window is not None:
        end, later = _window_end(law_obj, cal, window, day0)
        text, later_end, later_source = _window_text(
            law_obj, window, day0, end, later, trigger, law_obj.window_holiday_text
        )
        out.append(
            ReporterWindow(
                stage=window.stage,
                body=window.body or law_obj.complaint_body,
                trigger=trigger,
                kind="statute",
                end=end,
                citation=law_obj.cite(window.section),
                text=text,
                later_end=later_end,
                later_source=later_source,
            )
        )
    elif not out and law_obj.guidance_window is None:
        section = law_obj.silence_cite or law_obj.period_text
        out.append(
            ReporterWindow(
                stage="complaint",
                body=law_obj.complaint_body,
                trigger=trigger,
                kind="no-limit",
                end=None,
                citation=section,
                text=(
                    # US FOIA, CPRA: no administrative window runs from silence; the law
                    # says what silence allows in its own words.
                    "No window runs from silence: " + law_obj.lateness_effect.format(cite=section)
                    if responded is None and law_obj.silence_section
                    else f"{law_obj.complaint_body}: the law sets no time limit."
                ),
            )
        )
    if law_obj.guidance_window is not None:
        g = law_obj.guidance_window
        end, later = _window_end(law_obj, cal, g, day0)
        text, _, _ = _window_text(law_obj, g, day0, end, later, trigger, "")
        out.append(
            ReporterWindow(
                stage=g.stage,
                body=g.body or law_obj.complaint_body,
                trigger=g.trigger_text,
                kind="guidance",
                end=end,
                citation=law_obj.cite(g.section),
                text=text,
            )
        )
    if law_obj.next_stage is not None:
        n = law_obj.next_stage
        out.append(
            ReporterWindow(
                stage=n.stage,
                body=n.body,
                trigger=n.trigger_text,
                kind="next-stage",
                end=None,
                citation=law_obj.cite(n.section),
                text=law_obj.next_stage_text,
            )
        )
    return tuple(out)


def next_stage_deadline(
    law: str, trigger: date, *, received: date, province: str | None = None
) -> date | None:
    """The last day of the step after the first window, `trigger` being its day 0 (FOISA
    s.47(4): six months after the review's outcome, or after the 20 working days the
    authority had to answer it)."""
    check_date(trigger, "trigger")
    law_obj, cal = resolve(law, province, received)
    if law_obj.next_stage is None:
        return None
    return _window_end(law_obj, cal, law_obj.next_stage, trigger)[0]


@dataclass(frozen=True)
class Problem:
    """Something wrong with an extension, with the section that makes it wrong."""

    code: str
    message: str
    citation: str
    severity: str = "error"  # "error" (contrary to the statute) or "warning" (guidance)
    # The figures the message states (days, dates, the reason given), so that another
    # language can word the same problem (tracker.deadlines.french.problem_text).
    values: tuple[tuple[str, object], ...] = field(default=(), compare=False)


def check_extension(
    law: str,
    received: date,
    notice_date: date | None,
    days: int,
    reason: str,
    commissioner_notified: bool,
    *,
    province: str | None = None,
    permission_on: date | None = None,
) -> list[Problem]:
    """Return the problems with an extension as taken (empty list when it looks lawful);
    `permission_on` is the date of the Commissioner's permission (BC s.10(1), AB s.14(1))."""
    check_date(received, "received")
    law_obj, _ = resolve(law, province, received)
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ValueError(f"extension days must be a positive whole number, not {days!r}")
    if notice_date is not None:
        check_date(notice_date, "notice_date")
        if notice_date < received:
            raise ValueError(
                f"notice_date {notice_date.isoformat()} is before receipt {received.isoformat()}"
            )
    rule = law_obj.extension
    unit = "calendar days" if law_obj.unit == "calendar" else "working days"
    if rule is None:
        return [
            Problem(
                "no-extension",
                f"The {law_obj.name} provides no extension of the response period.",
                law_obj.period_text,
            )
        ]
    problems: list[Problem] = []
    reasons = {r.code: r for r in rule.reasons}
    chosen = reasons.get(reason)
    if chosen is None:
        problems.append(
            Problem(
                "unknown-reason",
                f"{reason!r} is not a ground for extension under the {law_obj.short_name}; "
                f"valid: {', '.join(f'{r.code} ({r.section})' for r in rule.reasons)}.",
                "; ".join(law_obj.cite(s) for s in rule.sections),
                values=(("reason", reason),),
            )
        )
    original_due = due_date(law_obj.code, received, province=province)
    notice_cite = law_obj.cite(rule.notice_section)
    if notice_date is None:
        problems.append(
            Problem(
                "no-notice",
                "No notice of the extension was recorded; the requester must be told within the "
                f"original period (by {original_due.isoformat()}).",
                notice_cite,
                values=(("original_due", original_due),),
            )
        )
    elif notice_date > original_due:
        # e.g. ATIA s.9(1): notice within the original 30 days; Québec s.47: before day 20.
        problems.append(
            Problem(
                "late-notice",
                f"Notice of the extension was given on {notice_date.isoformat()}, after the original "
                f"deadline of {original_due.isoformat()}; an extension must be claimed within the original period.",
                notice_cite,
                values=(("notice_date", notice_date), ("original_due", original_due)),
            )
        )
    capped = chosen is None or not chosen.uncapped
    if rule.max_days is not None and days > rule.max_days and capped:
        max_cite = law_obj.cite(rule.max_section or rule.sections[0])
        if rule.max_kind == "permission":
            # BC FIPPA s.10(1), AB FOIP s.14(1): beyond 30 days only with the Commissioner's
            # permission, which a recorded date of permission shows.
            if permission_on is None:
                problems.append(
                    Problem(
                        "commissioner-permission-required",
                        f"An extension of {days} {unit} exceeds the {rule.max_days} the head may take alone; "
                        f"longer needs the {rule.approver}'s permission. Only "
                        f"{rule.max_days} {unit} count toward the due date until a permission is recorded.",
                        max_cite,
                        values=(("days", days),),
                    )
                )
        elif rule.max_kind == "written-reasons":
            # NY POL s.89(3)(a): beyond 20 business days from the acknowledgement, written
            # reasons and a date certain within a reasonable period.
            problems.append(
                Problem(
                    "exceeds-maximum",
                    f"An extension of {days} {unit} goes beyond the 20 business days from the "
                    "acknowledgement; the agency must state in writing why and give a date "
                    "certain within a reasonable period.",
                    max_cite,
                    "warning",
                    values=(("days", days),),
                )
            )
        else:
            # Québec s.47 (10 days), US FOIA (6)(B)(i) (10 working days), Privacy Act s.15(a)
            # (30 days), CPRA s.7922.535(b) (14 days).
            problems.append(
                Problem(
                    "exceeds-maximum",
                    f"An extension of {days} {unit} exceeds the {rule.max_days} {unit} the law allows; "
                    f"only {rule.max_days} {unit} count toward the due date.",
                    max_cite,
                    values=(("days", days),),
                )
            )
    if (
        rule.commissioner_notice_threshold is not None
        and days > rule.commissioner_notice_threshold
        and not commissioner_notified
    ):
        # ATIA s.9(2): an extension over 30 days also requires notice to the Information Commissioner.
        problems.append(
            Problem(
                "commissioner-notice-missing",
                f"An extension of {days} days exceeds {rule.commissioner_notice_threshold} days, so the "
                f"{law_obj.complaint_body} must be notified.",
                law_obj.cite(rule.commissioner_section or rule.sections[0]),
                values=(("days", days),),
            )
        )
    if permission_on is not None and rule.max_kind == "permission":
        check_date(permission_on, "permission_on")
    if rule.guidance_max_days is not None and days > rule.guidance_max_days:
        problems.append(
            Problem(
                "exceeds-guidance",
                f"An extension of {days} {unit} is longer than the {rule.guidance_max_days} the regulator "
                "normally accepts as reasonable.",
                rule.guidance_citation or law_obj.cite(rule.sections[0]),
                "warning",
                values=(("days", days),),
            )
        )
    return problems


def lawful_extension_days(
    law: str,
    received: date,
    extensions: Iterable[tuple[int, str, bool]],
    *,
    province: str | None = None,
) -> list[int]:
    """For extensions in force, in order, as (days, reason, permission recorded), return the
    days each one moves the due date: only the lawful part of an extension over the cap
    (Québec s.47 10 days, Privacy Act s.15(a) 30, US FOIA (6)(B)(i) 10 working days, CPRA 14,
    BC s.10(1) / Alberta 30 without the Commissioner's permission). The cap is on the total."""
    law_obj, _ = resolve(law, province, received)
    rule = law_obj.extension
    out: list[int] = []
    used = 0
    for days, reason, permitted in extensions:
        capped = (
            rule is not None and rule.max_days is not None and rule.max_kind != "written-reasons"
        )
        if capped and rule is not None:
            chosen = next((r for r in rule.reasons if r.code == reason), None)
            if chosen is not None and chosen.uncapped:
                capped = False  # Privacy Act s.15(b): "such period of time as is reasonable"
            if rule.max_kind == "permission" and permitted:
                capped = False
        if capped and rule is not None and rule.max_days is not None:
            allowed = max(0, min(days, rule.max_days - used))
        else:
            allowed = days
        used += allowed
        out.append(allowed)
    return out
