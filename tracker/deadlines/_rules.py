"""Building blocks of the holiday calendars: a Holiday row, the date rules, a year's rows.

Shared by calendars.py and the provincial modules in provinces/, which build their own
statute lists from them (kept apart so that a province module never imports the registry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.easter import easter

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@dataclass(frozen=True, slots=True)
class Holiday:
    """One non-working day: its date, its human name, how the date is found, and the law."""

    day: date
    name: str
    rule: str
    section: str


# --- date rules -------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """Return the n-th given weekday of a month (n = -1: the last one)."""
    if n < 0:
        nxt = date(year + month // 12, month % 12 + 1, 1)
        last = nxt - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def monday_before(year: int, month: int, day: int) -> date:
    """Return the last Monday strictly before a date (Victoria Day: before 25 May)."""
    d = date(year, month, day) - timedelta(days=1)
    return d - timedelta(days=d.weekday())


def _next_weekday_free(d: date, taken: set[date]) -> date:
    """Return the first Monday-to-Friday day after d that is not already taken."""
    d += timedelta(days=1)
    while d.weekday() >= SAT or d in taken:
        d += timedelta(days=1)
    return d


class _Rows:
    """A year's holidays being built: rows in order, one per (date, name)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.rows: list[Holiday] = []

    def add(self, d: date, name: str, rule: str, section: str) -> None:
        if d.year == self.year:
            self.rows.append(Holiday(d, name, rule, section))

    def days(self) -> set[date]:
        return {h.day for h in self.rows}

    def done(self) -> list[Holiday]:
        return sorted(self.rows, key=lambda h: (h.day, h.name))


_HOLIDAYS_ACT = "Holidays Act (R.S.C. 1985, c. H-5) s.2"


def _canada_day(rows: _Rows, section: str) -> None:
    # Holidays Act s.2(1)-(2): Canada Day is 1 July, or 2 July when 1 July is a Sunday; s.3
    # Remembrance Day 11 November; s.4 Victoria Day "the first Monday immediately preceding
    # May 25" (official consolidation, justicecanada/laws-lois-xml eng/acts/H-5.xml, read
    # 2026-12-07).
    y = rows.year
    if date(y, 7, 1).weekday() == SUN:
        rows.add(
            date(y, 7, 2), "Canada Day", f"2 July, 1 July being a Sunday ({_HOLIDAYS_ACT})", section
        )
    else:
        rows.add(date(y, 7, 1), "Canada Day", f"1 July ({_HOLIDAYS_ACT})", section)


def _easter_days(rows: _Rows, section: str) -> None:
    e = easter(rows.year)
    rows.add(e - timedelta(days=2), "Good Friday", "Friday before Easter Sunday", section)
    rows.add(e + timedelta(days=1), "Easter Monday", "Monday after Easter Sunday", section)


def _victoria_day(rows: _Rows, section: str, name: str = "Victoria Day") -> None:
    y = rows.year
    rows.add(monday_before(y, 5, 25), name, "Monday before 25 May", section)


def _thanksgiving_ca(rows: _Rows, section: str) -> None:
    y = rows.year
    rows.add(nth_weekday(y, 10, MON, 2), "Thanksgiving Day", "second Monday in October", section)


@dataclass(frozen=True, slots=True)
class Reading:
    """A day the statute can be read two ways about, and which reading the calendar took."""

    day: date
    name: str
    counted: bool  # whether this calendar treats the day as a holiday
    why: str  # both readings and the source of each, as a sentence


Builder = Callable[[int, "str | None"], "list[Holiday]"]


@dataclass(frozen=True)
class CalendarSet:
    """A module's calendars: builders by key, a sentence for each, the reporter-window keys
    that hold the same list as a law's calendar, and the days its statutes read two ways."""

    builders: dict[str, Builder]
    descriptions: dict[str, str]
    same_list: dict[str, str] = field(default_factory=dict)
    readings: Callable[[str, int], tuple[Reading, ...]] = lambda key, year: ()


def observe_weekend_holidays(rows: _Rows, section: str) -> None:
    """A holiday on a Saturday or Sunday: public servants get the next working day off (Monday,
    or Tuesday when Monday is itself a holiday), cited to ``section``."""
    taken = rows.days()
    for h in sorted(rows.rows, key=lambda h: h.day):
        if h.day.weekday() >= SAT and "(observed)" not in h.name:
            sub = _next_weekday_free(h.day, taken)
            taken.add(sub)
            rows.rows.append(
                Holiday(
                    sub,
                    f"{h.name} (observed)",
                    f"next working day after {h.name} on a {_WEEKDAY_NAMES[h.day.weekday()]}",
                    section,
                )
            )
