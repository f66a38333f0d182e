"""The reporter's federal calendar: Interpretation Act s.35 holidays only (ATIA s.31 windows)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.deadlines.calendars import Calendar

D = date.fromisoformat


@pytest.fixture
def ia() -> Calendar:
    return Calendar("ca-federal-ia", None, (6,))


def test_saturday_is_not_a_holiday_sunday_is(ia: Calendar) -> None:
    assert ia.is_working(D("2024-03-02"))  # Saturday
    assert ia.non_working_reason(D("2024-03-03")) == "Sunday"


@pytest.mark.parametrize(
    "day,name",
    [
        ("2024-01-01", "New Year's Day"),
        ("2024-03-29", "Good Friday"),
        ("2024-04-01", "Easter Monday"),
        ("2024-05-20", "Victoria Day"),
        # Holidays Act s.4: "the first Monday immediately preceding May 25"; 25 May 2026 is
        # itself a Monday, so Victoria Day is the 18th (official consolidation, H-5).
        ("2026-05-18", "Victoria Day"),
        ("2024-07-01", "Canada Day"),
        ("2018-07-02", "Canada Day"),  # 1 July 2018 was a Sunday: Holidays Act s.2
        ("2024-09-02", "Labour Day"),
        ("2024-09-30", "National Day for Truth and Reconciliation"),
        ("2024-10-14", "Thanksgiving Day"),
        ("2024-11-11", "Remembrance Day"),
        ("2024-12-25", "Christmas Day"),
    ],
)
def test_section_35_holidays(ia: Calendar, day: str, name: str) -> None:
    assert ia.non_working_reason(D(day)) == name


@pytest.mark.parametrize(
    "day",
    [
        "2024-12-26",  # Boxing Day: federal offices close, not an s.35 holiday
        "2024-08-05",  # Civic Holiday: likewise
        "2024-02-19",  # Family Day (provincial): no province is added
        "2024-06-24",  # Saint-Jean-Baptiste (Québec): no province is added
        "2020-09-30",  # National Day for Truth and Reconciliation only from 2021
        "2022-09-19",  # national day of mourning: the earlier reading leaves it out
        "2023-01-02",  # New Year's Day on a Sunday: the Act has no Monday substitute
        "2026-05-25",  # a Monday, but not the one "immediately preceding May 25"
        "2022-12-27",  # Christmas on a Sunday: the 26th and 27th are no s.35 holidays
    ],
)
def test_days_that_do_not_extend_a_reporters_window(ia: Calendar, day: str) -> None:
    assert ia.is_working(D(day))


def test_province_is_ignored(ia: Calendar) -> None:
    qc = Calendar("ca-federal-ia", "QC", (6,))
    assert qc.holidays_for_year(2024) == ia.holidays_for_year(2024)


def test_sixty_day_window_is_not_rolled_past_a_saturday(ia: Calendar) -> None:
    # ATIA s.31 window from 2024-01-03: day 60 is Saturday 2024-03-02, which stands.
    assert ia.next_working_on_or_after(D("2024-03-02")) == D("2024-03-02")
    # Day 60 on Easter Monday 2024-04-01 rolls to Tuesday.
    assert ia.next_working_on_or_after(D("2024-03-31")) == D("2024-04-02")


# What the institution's calendar holds beyond the interpretation act's list (the later
# reading): Ontario's Civic Holiday (offices closed, Legislation Act, 2006 s.89) and BC's
# 2022 day of mourning (s.29(d), a reading).
_INSTITUTION_ONLY = {
    "ca-on": lambda year: {date(year, 8, 1) + timedelta(days=(0 - date(year, 8, 1).weekday()) % 7)},
    "ca-bc": lambda year: {date(2022, 9, 19)} if year == 2022 else set(),
    # Heritage Day (first Monday in August) and Boxing Day: s.28(1)(v) could not be read.
    "ca-ab": lambda year: {
        date(year, 8, 1) + timedelta(days=(0 - date(year, 8, 1).weekday()) % 7),
        date(year, 12, 26),
    },
    "ca-qc": lambda year: set(),
}


@pytest.mark.parametrize(
    "key,base",
    [("ca-on-ia", "ca-on"), ("ca-bc-ia", "ca-bc"), ("ca-ab-ia", "ca-ab"), ("ca-qc-ia", "ca-qc")],
)
def test_provincial_reporter_calendars_hold_the_statute_list_only(key: str, base: str) -> None:
    reporter, law = Calendar(key, None, (6,)), Calendar(base, None, (6,))
    for year in range(2015, 2036):
        extra = _INSTITUTION_ONLY[base](year)
        institution = law.holidays_for_year(year)
        assert extra <= set(institution)
        assert reporter.holidays_for_year(year) == {
            d: n for d, n in institution.items() if d not in extra
        }
    assert reporter.is_working(D("2024-03-02"))  # a Saturday does not extend the time
    assert reporter.non_working_reason(D("2024-03-03")) == "Sunday"


def test_ontario_reporter_calendar_does_not_move_past_the_civic_holiday() -> None:
    on = Calendar("ca-on-ia", None, (6,))
    assert on.is_working(D("2024-08-05"))
    assert on.next_working_on_or_after(D("2024-08-04")) == D("2024-08-05")
