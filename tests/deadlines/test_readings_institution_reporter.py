"""Both readings where the institution's calendar holds a day the interpretation act's list
does not: Ontario's Civic Holiday (offices closed: Legislation Act, 2006 s.89) and BC's day of
mourning of 19 September 2022 (Interpretation Act (B.C.) s.29(d), a reading)."""

from __future__ import annotations

from datetime import date

from tracker.deadlines import calendars as c
from tracker.deadlines import due_date, explain, reporter_windows


def test_ontario_institution_deadline_passes_the_civic_holiday() -> None:
    e = explain("ca-on-fippa", date(2024, 7, 6))
    assert e.last_counted_day == date(2024, 8, 5)  # Civic Holiday
    assert e.due == date(2024, 8, 6)  # offices closed: the next day they are open (s.89)
    assert e.earlier_due == date(2024, 8, 5)  # s.88 alone: not a holiday
    (two,) = [s for s in e.steps if s.label == "Two readings"]
    assert "2024-08-05" in two.text and "2024-08-06" in two.text
    assert due_date("ca-on-mfippa", date(2025, 7, 5)) == date(2025, 8, 5)


def test_ontario_appeal_window_does_not_pass_the_civic_holiday() -> None:
    windows = reporter_windows(
        "ca-on-fippa", received=date(2024, 6, 1), due=date(2024, 7, 8), responded=date(2024, 7, 6)
    )
    (w,) = [w for w in windows if w.trigger == "the response"]
    assert w.end == date(2024, 8, 5)
    assert w.later_end == date(2024, 8, 6)


def test_bc_review_window_counts_the_day_of_mourning_as_a_day() -> None:
    assert due_date("ca-bc-fippa", date(2022, 9, 1)) == date(2022, 10, 18)
    windows = reporter_windows(
        "ca-bc-fippa", received=date(2022, 8, 1), due=date(2022, 9, 13), responded=date(2022, 9, 1)
    )
    (w,) = [w for w in windows if w.trigger == "the response"]
    assert w.end == date(2022, 10, 17)
    assert w.later_end == date(2022, 10, 18)
    assert "earlier of two readings" in w.text and "2022-10-18" in w.text


def test_bc_window_outside_2022_has_one_reading() -> None:
    windows = reporter_windows(
        "ca-bc-fippa", received=date(2023, 8, 1), due=date(2023, 9, 13), responded=date(2023, 9, 1)
    )
    (w,) = [w for w in windows if w.trigger == "the response"]
    assert w.later_end is None


def test_readings_name_which_calendar_counts_the_day() -> None:
    (on,) = c.alternative_readings("ca-on", 2024)
    (on_ia,) = c.alternative_readings("ca-on-ia", 2024)
    assert on.day == on_ia.day == date(2024, 8, 5)
    assert on.counted and not on_ia.counted
    (bc,) = c.alternative_readings("ca-bc", 2022)
    (bc_ia,) = c.alternative_readings("ca-bc-ia", 2022)
    assert bc.counted and not bc_ia.counted
    assert c.alternative_readings("ca-bc-ia", 2023) == ()


def test_alberta_public_body_deadline_passes_heritage_day_and_boxing_day() -> None:
    # Interpretation Act (Alta.) s.28(1)(v) could not be read: whether it lists Heritage Day
    # and Boxing Day is unknown, so the public body's deadline takes the later reading.
    e = explain("ca-ab-foip", date(2024, 7, 6))  # FOIP: 30 calendar days
    assert e.last_counted_day == date(2024, 8, 5)  # Heritage Day
    assert e.due == date(2024, 8, 6)
    assert e.earlier_due == date(2024, 8, 5)
    (two,) = [s for s in e.steps if s.label == "Two readings"]
    assert "2024-08-05" in two.text and "2024-08-06" in two.text
    assert due_date("ca-ab-foip", date(2024, 11, 26)) == date(2024, 12, 27)  # Boxing Day
    # The Access to Information Act counts business days: neither day is one (later reading).
    a = explain("ca-ab-foip", date(2025, 7, 15))
    assert a.due == date(2025, 8, 27)
    assert date(2025, 8, 4) in {s.day for s in a.skipped}


def test_alberta_review_window_does_not_pass_heritage_day() -> None:
    windows = reporter_windows(
        "ca-ab-foip", received=date(2024, 5, 20), due=date(2024, 6, 19), responded=date(2024, 6, 6)
    )
    (w,) = [w for w in windows if w.trigger == "the response"]
    assert w.end == date(2024, 8, 5)
    assert w.later_end == date(2024, 8, 6)
    assert "earlier of two readings" in w.text


def test_alberta_readings_name_which_calendar_counts_the_day() -> None:
    ab = c.alternative_readings("ca-ab", 2025)
    ab_ia = c.alternative_readings("ca-ab-ia", 2025)
    assert [r.day for r in ab] == [r.day for r in ab_ia] == [date(2025, 8, 4), date(2025, 12, 26)]
    assert all(r.counted for r in ab) and not any(r.counted for r in ab_ia)
    assert all("s.28(1)(v)" in r.why and "Paid holidays directive" in r.why for r in ab)
