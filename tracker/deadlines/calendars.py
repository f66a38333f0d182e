"""Non-working-day calendars built lazily from python `holidays`, cached per year.

Nothing is built at import time. A Calendar caches each year's holidays the first time a
date in that year is asked about, and keeps a contiguous span of years as two flat arrays
(sorted working days, and a running count of working days) so that a due date is found by
two list look-ups. Years are supported from MIN_YEAR to MAX_YEAR: python-holidays covers
CA from 1867, GB from 1872, US from 1777, all until 2100; 1900 is the lower bound chosen
here so that every calendar is inside its data range (several holidays, e.g. Victoria Day,
begin around 1900). Any date outside raises ValueError rather than returning a wrong date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

import holidays
from dateutil.easter import easter

MIN_YEAR = 1900
MAX_YEAR = 2100
HOLIDAYS_VERSION: str = getattr(holidays, "__version__")  # noqa: B009

_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_UK_PARTS = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
# Canadian subdivisions python-holidays knows (a test checks this against the library).
CA_PROVINCES: tuple[str, ...] = (
    "AB",
    "BC",
    "MB",
    "NB",
    "NL",
    "NS",
    "NT",
    "NU",
    "ON",
    "PE",
    "QC",
    "SK",
    "YT",
)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            f"year {year} is outside the holiday data this engine supports "
            f"({MIN_YEAR}-{MAX_YEAR}, python-holidays {HOLIDAYS_VERSION})"
        )


def _merge(target: dict[date, str], source: dict[date, str], suffix: str = "") -> None:
    for d, name in source.items():
        label = f"{name}{suffix}"
        if d in target:
            if label not in target[d].split("; "):
                target[d] = f"{target[d]}; {label}"
        else:
            target[d] = label


def _ca(year: int, subdiv: str | None, categories: tuple[str, ...]) -> dict[date, str]:
    return dict(
        holidays.country_holidays(
            "CA", years=year, subdiv=subdiv, categories=categories, language="en_CA"
        )
    )


def _ca_federal(year: int, province: str | None) -> dict[date, str]:
    # Federal: government category, plus Easter Monday (Interpretation Act s.35 "holiday").
    days = _ca(year, None, ("government",))
    easter_monday = dict(
        holidays.country_holidays(
            "CA", years=year, subdiv="ON", categories=("optional",), language="en_CA"
        )
    )
    for d, name in easter_monday.items():
        if name == "Easter Monday":
            _merge(days, {d: "Easter Monday"})
    if province is not None:
        # The institution's province: its public holidays too.
        _merge(days, _ca(year, province, ("public",)), f" ({province})")
    return days


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """Return the n-th (1-based) given weekday of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _monday_before(year: int, month: int, day: int) -> date:
    """Return the last Monday strictly before a date (Victoria Day: before 25 May)."""
    d = date(year, month, day) - timedelta(days=1)
    return d - timedelta(days=d.weekday())


def _ca_federal_ia(year: int, province: str | None) -> dict[date, str]:
    # Interpretation Act (R.S.C. 1985, c. I-21) s.35(1) "holiday" only, for the reporter's
    # own federal windows (ATIA s.31; IA s.26 extends a time limit past a holiday).
    # Used with weekend_days=(6,): Sunday is itself an s.35 holiday, Saturday is not, and a
    # day federal offices merely close (Boxing Day, Civic Holiday) is not one either.
    # Readings taken here, all the EARLIER one for a reporter (fewer holidays):
    # - s.35(1)(a) adds, "in any province", days the province proclaims or makes
    #   non-juridical; which province (the reporter's, the institution's, the
    #   Commissioner's in Gatineau) is not said, so no provincial day is added and the
    #   province argument is ignored. s.35(1)(b) municipal civic holidays likewise.
    # - s.35(2) (a holiday on a Sunday and the day after): the stored statute text could
    #   not be checked here, so no Monday substitute is added for New Year's Day,
    #   Remembrance Day, National Day for Truth and Reconciliation or Christmas Day.
    #   Canada Day is 2 July when 1 July is a Sunday by the Holidays Act s.2 itself.
    # - 19 September 2022 (national day of mourning, proclaimed by the Governor General):
    #   whether that proclamation appointed "a day of general ... mourning" in the sense
    #   of s.35(1) is a reading; the earlier one leaves it out here (federal offices were
    #   closed: the institution's calendar "ca-federal" has it).
    e = easter(year)
    days = {
        date(year, 1, 1): "New Year's Day",
        e - timedelta(days=2): "Good Friday",
        e + timedelta(days=1): "Easter Monday",
        # The day fixed by proclamation for the Sovereign's birthday is Victoria Day.
        _monday_before(year, 5, 25): "Victoria Day",
        _nth_weekday(year, 9, 0, 1): "Labour Day",
        # Thanksgiving: a day appointed by proclamation as a day of general thanksgiving.
        _nth_weekday(year, 10, 0, 2): "Thanksgiving Day",
        date(year, 11, 11): "Remembrance Day",
        date(year, 12, 25): "Christmas Day",
    }
    canada = date(year, 7, 1)
    days[canada + timedelta(days=1) if canada.weekday() == 6 else canada] = "Canada Day"
    if year >= 2021:
        # S.C. 2021, c. 11, s.3 added it to s.35(1), in force 3 August 2021.
        days[date(year, 9, 30)] = "National Day for Truth and Reconciliation"
    return days


def _ca_on(year: int, province: str | None) -> dict[date, str]:
    # Legislation Act, 2006 s.87 "holiday": public plus Easter Monday, Civic Holiday,
    # Remembrance Day (python-holidays ON 'optional') (verify).
    return _ca(year, "ON", ("public", "optional"))


def _ca_bc(year: int, province: str | None) -> dict[date, str]:
    # Interpretation Act (B.C.) s.29 "holiday" includes Easter Monday and 26 December (verify);
    # python-holidays has Boxing Day under BC 'optional' and no Easter Monday for BC.
    days = _ca(year, "BC", ("public", "optional"))
    for d, name in _ca(year, "ON", ("optional",)).items():
        if name == "Easter Monday":
            _merge(days, {d: "Easter Monday"})
    return days


def _ca_ab(year: int, province: str | None) -> dict[date, str]:
    # Interpretation Act (Alta.) s.28(1)(v) "holiday" includes Easter Monday (verify).
    days = _ca(year, "AB", ("public",))
    for d, name in _ca(year, "AB", ("optional",)).items():
        if name == "Easter Monday":
            _merge(days, {d: "Easter Monday"})
    return days


def _ca_qc(year: int, province: str | None) -> dict[date, str]:
    # Interpretation Act (CQLR c. I-16) s.61(23) lists Easter Monday: python-holidays has
    # it in QC 'optional', so ask for both categories (QC 'optional' holds only that day).
    return _ca(year, "QC", ("public", "optional"))


def _us(year: int, subdiv: str | None) -> dict[date, str]:
    days = dict(holidays.country_holidays("US", years=year, subdiv=subdiv, language="en_US"))
    if subdiv is not None:
        # Susan B. Anthony Day (15 Feb) is commemorative: offices stay open; it is not a
        # holiday in Cal. Gov. Code s.6700 nor N.Y. General Construction Law s.24 (verify).
        days = {d: n for d, n in days.items() if n != "Susan B. Anthony Day"}
    return days


def _us_federal(year: int, province: str | None) -> dict[date, str]:
    # 5 U.S.C. 6103 legal public holidays; executive-order closures (python-holidays
    # 'government' category) stay working days for FOIA counting.
    return _us(year, None)


def _uk_all(year: int, province: str | None) -> dict[date, str]:
    # FOIA 2000 s.10(6): "working day" excludes a bank holiday in any part of the UK.
    per_part = {
        code: dict(holidays.country_holidays("GB", years=year, subdiv=code, language="en_GB"))
        for code in _UK_PARTS
    }
    days: dict[date, str] = {}
    for d in sorted(set().union(*per_part.values())):
        parts = [code for code in _UK_PARTS if d in per_part[code]]
        name = next(per_part[code][d] for code in parts)
        if len(parts) < len(_UK_PARTS):
            name = f"{name} ({', '.join(_UK_PARTS[p] for p in parts)})"
        days[d] = name
    return days


def _uk_sct(year: int, province: str | None) -> dict[date, str]:
    # FOISA s.73: bank holidays in Scotland only.
    return dict(holidays.country_holidays("GB", years=year, subdiv="SCT", language="en_GB"))


_BUILDERS: dict[str, Callable[[int, str | None], dict[date, str]]] = {
    "ca-federal": _ca_federal,
    "ca-federal-ia": _ca_federal_ia,
    "ca-on": _ca_on,
    "ca-bc": _ca_bc,
    "ca-ab": _ca_ab,
    "ca-qc": _ca_qc,
    "us-federal": _us_federal,
    "us-ca": lambda y, p: _us(y, "CA"),
    "us-ny": lambda y, p: _us(y, "NY"),
    "uk-all": _uk_all,
    "uk-sct": _uk_sct,
}


class Calendar:
    """Non-working days of one law calendar (and province), with lazily built year data."""

    __slots__ = (
        "_builder",
        "_closed",
        "_lock",
        "_weekend",
        "_years",
        "first_year",
        "key",
        "last_year",
        "province",
        "span",
        "weekend_days",
    )

    def __init__(self, key: str, province: str | None, weekend_days: tuple[int, ...]) -> None:
        self.key = key
        self.province = province
        self.weekend_days = weekend_days
        self._weekend = frozenset(weekend_days)
        self._builder = _BUILDERS[key]
        self._years: dict[int, dict[date, str]] = {}
        self._closed: dict[int, dict[date, str]] = {}
        # Contiguous span of years [first_year, last_year] as one tuple (base, cb, work),
        # replaced atomically so readers in other threads never mix two spans:
        # work = sorted working days (date objects); cb[i] = number of working days in
        # [base, base + i) where base is the ordinal of 1 January of first_year.
        self.first_year = 0
        self.last_year = -1
        self.span: tuple[int, list[int], list[date]] = (1 << 40, [0], [])
        self._lock = threading.Lock()

    def holidays_for_year(self, year: int) -> dict[date, str]:
        """Return {date: name} of the holidays in a year (built once, then cached)."""
        days = self._years.get(year)
        if days is None:
            _check_year(year)
            days = self._builder(year, self.province)
            self._years[year] = days
        return days

    def non_working_in_year(self, year: int) -> dict[date, str]:
        """Return {date: why} for every non-working day of a year: the holiday's name, else
        the weekly rest day's (built once, then cached). A walk over days reads it once a
        year instead of asking about each day."""
        days = self._closed.get(year)
        if days is None:
            holidays = self.holidays_for_year(year)
            first = date(year, 1, 1)
            days = {
                d: _WEEKDAY_NAMES[d.weekday()]
                for d in (first + timedelta(days=i) for i in range(366))
                if d.year == year and d.weekday() in self._weekend
            }
            days.update(holidays)  # a holiday on a rest day is named for the holiday
            self._closed[year] = days
        return days

    def non_working_reason(self, d: date) -> str | None:
        """Return why d is not a working day (holiday name or weekday), or None if it is one."""
        return self.non_working_in_year(d.year).get(d)

    def is_working(self, d: date) -> bool:
        """Return True when d is neither a weekly rest day nor a holiday."""
        return d not in self.non_working_in_year(d.year)

    def ensure(self, first_year: int, last_year: int) -> None:
        """Make the flat arrays cover [first_year, last_year] (ValueError beyond the data)."""
        _check_year(first_year)
        _check_year(last_year)
        if self.first_year <= first_year and last_year <= self.last_year:
            return
        with self._lock:
            self._rebuild(first_year, last_year)

    def _rebuild(self, first_year: int, last_year: int) -> None:
        if self.last_year >= self.first_year:
            first_year = min(first_year, self.first_year)
            last_year = max(last_year, self.last_year)
        base = date(first_year, 1, 1).toordinal()
        end = date(last_year + 1, 1, 1).toordinal()
        work: list[date] = []
        cb: list[int] = [0] * (end - base + 1)
        count = 0
        for year in range(first_year, last_year + 1):
            closed = self.non_working_in_year(year)
            o = date(year, 1, 1).toordinal()
            stop = date(year + 1, 1, 1).toordinal()
            while o < stop:
                cb[o - base] = count
                d = date.fromordinal(o)
                if d not in closed:
                    work.append(d)
                    count += 1
                o += 1
        cb[end - base] = count
        self.span = (base, cb, work)
        self.first_year, self.last_year = first_year, last_year

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day after start (start itself is day 0), n >= 1."""
        last = start.year
        while True:
            self.ensure(start.year, last)
            base, cb, work = self.span
            i = cb[start.toordinal() - base + 1] + n - 1
            if i < len(work):
                return work[i]
            if last >= MAX_YEAR:
                raise ValueError(
                    f"the result falls after {MAX_YEAR}, beyond the holiday data this engine supports"
                )
            last = min(MAX_YEAR, last + 1 + n // 250)

    def next_working_on_or_after(self, d: date) -> date:
        """Return d if it is a working day, else the next working day."""
        last = d.year
        while True:
            self.ensure(d.year, last)
            base, cb, work = self.span
            i = cb[d.toordinal() - base]
            if i < len(work):
                return work[i]
            if last >= MAX_YEAR:
                raise ValueError(
                    f"the result falls after {MAX_YEAR}, beyond the holiday data this engine supports"
                )
            last += 1

    def working_days_between(self, start: date, end: date) -> int:
        """Return the number of working days d with start < d <= end (0 when end <= start)."""
        if end <= start:
            return 0
        self.ensure(start.year, end.year)
        base, cb, _ = self.span
        return cb[end.toordinal() - base + 1] - cb[start.toordinal() - base + 1]


_CALENDARS: dict[tuple[str, str | None], Calendar] = {}


def get_calendar(key: str, province: str | None, weekend_days: tuple[int, ...]) -> Calendar:
    """Return the shared Calendar for a calendar key and province (created on first use)."""
    cal = _CALENDARS.get((key, province))
    if cal is None:
        cal = _CALENDARS[(key, province)] = Calendar(key, province, weekend_days)
    return cal
