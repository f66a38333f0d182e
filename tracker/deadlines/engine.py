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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ._core import check_date, resolve
from .calendars import Calendar
from .explain import explain

_ONE_DAY = timedelta(days=1)

# (law code, province as passed) -> (calendar, length, counts working days?).
_FAST: dict[tuple[str, str | None], tuple[Calendar, int, bool]] = {}


def _fast_entry(law: str, province: str | None) -> tuple[Calendar, int, bool]:
    law_obj, cal = resolve(law, province)
    entry = (cal, law_obj.length, law_obj.unit == "working")
    if len(_FAST) < 4096:  # bounded: ignored provinces of fixed-calendar laws are free text
        _FAST[(law, province)] = entry
    return entry


def due_date(
    law: str,
    received: date,
    *,
    extension_days: int = 0,
    province: str | None = None,
    pauses: Iterable[tuple[date, date]] = (),
) -> date:
    """Return the last day to respond (extension_days in the law's own unit)."""
    try:
        cal, length, working = _FAST[(law, province)]
    except KeyError:
        cal, length, working = _fast_entry(law, province)
    except TypeError:  # unhashable law/province: let resolve() explain
        cal, length, working = _fast_entry(law, province)
    if (
        pauses
        or received.__class__ is not date
        or extension_days.__class__ is not int
        or extension_days < 0
    ):
        return explain(
            law, received, extension_days=extension_days, province=province, pauses=pauses
        ).due
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


def complaint_deadline(law: str, trigger: date, *, province: str | None = None) -> date | None:
    """Return the last day to complain/appeal when the window's day 1 is `trigger`; None if no window."""
    law_obj, cal = resolve(law, province)
    check_date(trigger, "trigger")
    window = law_obj.complaint_window
    if window is None:
        return None
    if window.unit == "working":
        # Day 1 is the trigger itself (if a working day): count from the day before.
        return cal.add_working_days(trigger - _ONE_DAY, window.length)
    # e.g. ATIA s.31: 60 days, day 1 = trigger; a last day off work rolls forward.
    return cal.next_working_on_or_after(trigger + timedelta(days=window.length - 1))


def response_complaint_deadline(
    law: str, responded: date, *, province: str | None = None
) -> date | None:
    """Return the last day to complain about a response received on `responded` (day 1 = next day)."""
    check_date(responded, "responded")
    return complaint_deadline(law, responded + _ONE_DAY, province=province)


def deemed_refusal_complaint_deadline(
    law: str, due: date, province: str | None = None
) -> date | None:
    """Return the last day to complain after a deemed refusal (window starts the day after `due`)."""
    law_obj = resolve(law, province)[0]
    window = law_obj.complaint_window
    if window is None or not window.covers_deemed_refusal:
        return None
    check_date(due, "due")
    return complaint_deadline(law, due + _ONE_DAY, province=province)


@dataclass(frozen=True)
class Problem:
    """Something wrong with an extension, with the section that makes it wrong."""

    code: str
    message: str
    citation: str
    severity: str = "error"  # "error" (contrary to the statute) or "warning" (guidance)


def check_extension(
    law: str,
    received: date,
    notice_date: date | None,
    days: int,
    reason: str,
    commissioner_notified: bool,
    *,
    province: str | None = None,
) -> list[Problem]:
    """Return the problems with an extension as taken (empty list when it looks lawful)."""
    law_obj, _ = resolve(law, province)
    check_date(received, "received")
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
            )
        )
    capped = chosen is None or not chosen.uncapped
    if rule.max_days is not None and days > rule.max_days and capped:
        max_cite = law_obj.cite(rule.max_section or rule.sections[0])
        if rule.max_kind == "permission":
            # BC FIPPA s.10(1), AB FOIP s.14(1): beyond 30 days only with the Commissioner's permission.
            if not commissioner_notified:
                problems.append(
                    Problem(
                        "commissioner-permission-required",
                        f"An extension of {days} {unit} exceeds the {rule.max_days} the head may take alone; "
                        "longer needs the Commissioner's permission.",
                        max_cite,
                    )
                )
        elif rule.max_kind == "written-reasons":
            # NY POL s.89(3)(a): beyond 20 business days needs written reasons and a date certain.
            problems.append(
                Problem(
                    "exceeds-maximum",
                    f"An extension of {days} {unit} exceeds {rule.max_days}; the agency must state in "
                    "writing why and give a date certain within a reasonable period.",
                    max_cite,
                    "warning",
                )
            )
        else:
            # Québec s.47 (10 days), US FOIA (6)(B)(i) (10 working days), Privacy Act s.15(a)
            # (30 days), CPRA s.7922.535(b) (14 days).
            problems.append(
                Problem(
                    "exceeds-maximum",
                    f"An extension of {days} {unit} exceeds the {rule.max_days} {unit} the law allows.",
                    max_cite,
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
            )
        )
    if rule.guidance_max_days is not None and days > rule.guidance_max_days:
        problems.append(
            Problem(
                "exceeds-guidance",
                f"An extension of {days} {unit} is longer than the {rule.guidance_max_days} the regulator "
                "normally accepts as reasonable.",
                rule.guidance_citation or law_obj.cite(rule.sections[0]),
                "warning",
            )
        )
    return problems
