"""Shared input validation and law/calendar resolution for the deadline engine."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from . import calendars
from .calendars import CA_PROVINCES, MAX_YEAR, MIN_YEAR, Calendar, get_calendar
from .laws import Law, get_law, law_in_force


def resolve(law: str, province: str | None, received: date | None = None) -> tuple[Law, Calendar]:
    """Return (Law, Calendar) for a law code and optional province, validating both; with
    `received`, the version of the law in force on that day (ValueError before the first)."""
    law_obj = get_law(law)
    if received is not None:
        check_date(received, "received")
        law_obj = law_in_force(law_obj.code, received)
    prov = province.strip().upper() if isinstance(province, str) and province.strip() else None
    if province is not None and not isinstance(province, str):
        raise TypeError(f"province must be a string code, not {province!r}")
    if law_obj.province_mode == "institution":
        # Canadian federal laws: the institution's province adds its holidays.
        if prov is not None and prov not in CA_PROVINCES:
            raise ValueError(
                f"unknown province {province!r} for {law_obj.code}; valid: {', '.join(CA_PROVINCES)}"
            )
        cal_province = prov
    else:
        # Every other law fixes its own calendar (e.g. FIPPA Ontario -> ON, FOIA 2000 -> all
        # UK parts, 5 U.S.C. 552 -> federal holidays): a province passed by the caller (the
        # institution's location) cannot change the date, so it is accepted and ignored.
        cal_province = None
    return law_obj, get_calendar(law_obj.calendar_key, cal_province, law_obj.weekend_days)


def window_calendar(law_obj: Law, cal: Calendar) -> Calendar:
    """The calendar of the reporter's windows: the interpretation act's holidays where the
    law names a calendar for them (federal IA s.35), else the law's own calendar."""
    spec = law_obj.window_calendar
    if spec is None or spec[0] not in calendars.CALENDAR_DESCRIPTIONS:
        return cal
    return get_calendar(spec[0], cal.province, spec[1])


def roll_past_holidays(cal: Calendar, d: date) -> date:
    """Move d past holidays and Sundays only, never past a plain Saturday (an interpretation
    act extends a time limit past a holiday; Saturday is not one)."""
    while True:
        reason = cal.non_working_reason(d)
        if reason is None or reason == "Saturday":
            return d
        d = date.fromordinal(d.toordinal() + 1)


def check_date(value: object, what: str) -> date:
    """Return value if it is a plain date within the supported years, else raise."""
    if isinstance(value, datetime):
        raise TypeError(
            f"{what} must be a datetime.date, not a datetime: convert the timestamp to a "
            "date in the newsroom's time zone first"
        )
    if not isinstance(value, date):
        raise TypeError(f"{what} must be a datetime.date, not {type(value).__name__}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(
            f"{what} {value.isoformat()} is outside the years the holiday data supports "
            f"({MIN_YEAR}-{MAX_YEAR})"
        )
    return value


def check_extension_days(extension_days: object) -> int:
    """Return extension_days as int, raising ValueError when negative or not an integer."""
    if isinstance(extension_days, bool) or not isinstance(extension_days, int):
        raise TypeError(f"extension_days must be a whole number of days, not {extension_days!r}")
    if extension_days < 0:
        raise ValueError(f"extension_days must not be negative (got {extension_days})")
    return extension_days


def normalise_pauses(pauses: Iterable[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    """Validate pause intervals (inclusive) and return them sorted and merged."""
    items: list[tuple[date, date]] = []
    for pause in pauses:
        try:
            start, end = pause
        except (TypeError, ValueError):
            raise ValueError(
                f"a pause must be a (start, end) pair of dates, not {pause!r}"
            ) from None
        check_date(start, "pause start")
        check_date(end, "pause end")
        if end < start:
            raise ValueError(
                f"pause ends ({end.isoformat()}) before it starts ({start.isoformat()})"
            )
        items.append((start, end))
    items.sort()
    merged: list[tuple[date, date]] = []
    for start, end in items:
        if merged and start.toordinal() <= merged[-1][1].toordinal() + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)
