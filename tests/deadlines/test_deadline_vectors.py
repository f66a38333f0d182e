"""Worked vectors from RULES.md, the seed case and the complaint windows."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import (
    complaint_deadline,
    days_late,
    deemed_refusal_complaint_deadline,
    due_date,
    explain,
    is_working_day,
    response_complaint_deadline,
    working_days_between,
)

D = date.fromisoformat

# (law, received, extension_days, due, note) -- RULES.md "Worked vectors".
VECTORS = [
    ("ca-atia", "2020-02-10", 0, "2020-03-11", "seed case: La Presse request to the RCMP"),
    ("ca-atia", "2024-02-01", 0, "2024-03-04", "day 30 is Saturday 2024-03-02: rolled"),
    ("ca-atia", "2024-02-01", 30, "2024-04-02", "60 days from receipt, rolled once"),
    ("ca-atia", "2024-02-28", 0, "2024-04-02", "Good Friday, weekend, Easter Monday skipped"),
    ("ca-qc-access", "2024-06-03", 0, "2024-06-25", "Sunday 23 June, then Fete nationale"),
    ("ca-qc-access", "2024-06-03", 10, "2024-07-03", "10-day extension"),
    ("ca-bc-fippa", "2024-01-08", 0, "2024-02-20", "Family Day skipped"),
    ("us-foia", "2021-06-01", 0, "2021-06-30", "Juneteenth observed 2021-06-18"),
    (
        "us-foia",
        "2024-12-02",
        10,
        "2025-01-15",
        "10 working days; 2025-01-09 closure is a working day",
    ),
    ("uk-foia", "2024-03-04", 0, "2024-04-04", "St Patrick's Day (NI) observed 18 March"),
    ("uk-foia", "2022-05-20", 0, "2022-06-21", "Platinum Jubilee 2-3 June"),
    ("uk-sct-foisa", "2024-03-04", 0, "2024-04-02", "only Good Friday excluded"),
]


@pytest.mark.parametrize(
    "law,received,ext,due,note", VECTORS, ids=[f"{v[0]}-{v[1]}+{v[2]}" for v in VECTORS]
)
def test_worked_vector(law: str, received: str, ext: int, due: str, note: str) -> None:
    assert due_date(law, D(received), extension_days=ext) == D(due), note
    assert explain(law, D(received), extension_days=ext).due == D(due), note


def test_atia_complaint_window_seed_vector() -> None:
    # RULES.md row 13: due 2020-03-11, window starts 2020-03-12, day 60 = Sunday 2020-05-10.
    assert complaint_deadline("ca-atia", D("2020-03-12")) == D("2020-05-11")
    assert deemed_refusal_complaint_deadline("ca-atia", D("2020-03-11")) == D("2020-05-11")


def test_seed_case_end_to_end() -> None:
    due = due_date("ca-atia", D("2020-02-10"))
    assert due == D("2020-03-11")
    calendar_days, business_days = days_late("ca-atia", due, D("2022-04-15"))
    assert calendar_days == 765
    assert business_days == working_days_between("ca-atia", due, D("2022-04-15"))
    assert 500 < business_days < 765
    assert deemed_refusal_complaint_deadline("ca-atia", due) == D("2020-05-11")


def test_days_late_zero_when_on_time() -> None:
    assert days_late("ca-atia", D("2020-03-11"), D("2020-03-11")) == (0, 0)
    assert days_late("ca-atia", D("2020-03-11"), D("2020-03-01")) == (0, 0)
    # Thursday after a Wednesday due date: one day, one business day.
    assert days_late("ca-atia", D("2020-03-11"), D("2020-03-12")) == (1, 1)
    # Due Friday, answered Monday: 3 calendar days, 1 business day.
    assert days_late("uk-foia", D("2024-03-08"), D("2024-03-11")) == (3, 1)


def test_explanation_of_seed_case_reads_like_the_brief() -> None:
    text = explain("ca-atia", D("2020-02-10")).as_text()
    assert text.startswith(
        "Received 2020-02-10 (day 0). Counting 30 calendar days from 2020-02-11 "
        "(Access to Information Act s.7; Interpretation Act s.27) reaches Wednesday 2020-03-11."
    )
    assert "ATIA s.10(3)" in text


def test_explanation_names_the_skipped_days() -> None:
    e = explain("ca-atia", D("2024-02-28"))
    assert e.roll is not None
    assert (e.roll.from_date, e.roll.to_date) == (D("2024-03-29"), D("2024-04-02"))
    assert [s.name for s in e.roll.skipped] == [
        "Good Friday",
        "Saturday",
        "Sunday",
        "Easter Monday",
    ]
    assert "Good Friday" in str(e) and "Easter Monday" in str(e)
    assert e.start == D("2024-02-29") and e.count == 30 and e.unit == "calendar"
    assert e.holidays_version and e.holidays_version in e.as_text()
    labels = [s.label for s in e.steps]
    assert labels[:3] == ["Received", "Count", "Roll"] and "Due" in labels


def test_explanation_of_working_day_law_lists_holidays() -> None:
    e = explain("us-foia", D("2021-06-01"))
    names = {s.day: s.name for s in e.skipped}
    assert "Juneteenth" in names[D("2021-06-18")]
    assert e.roll is None
    assert "2021-06-18" in e.as_text()


def test_extension_and_pause_recorded_in_explanation() -> None:
    e = explain(
        "ca-atia", D("2024-02-01"), extension_days=40, pauses=[(D("2024-02-05"), D("2024-02-06"))]
    )
    assert e.extension_days == 40 and e.count == 70
    assert e.pauses[0].days_not_counted == 2
    assert "ATIA s.9(2)" in e.as_text() and "ATIA s.6.1" in e.as_text()
    assert e.due == due_date(
        "ca-atia", D("2024-02-01"), extension_days=40, pauses=[(D("2024-02-05"), D("2024-02-06"))]
    )


def test_extension_is_counted_from_receipt_not_chained() -> None:
    # TBS 7.1.1: 30 + 30 from 2024-02-01 is 2024-04-01 (Easter Monday) -> 2024-04-02.
    # Chaining 30 days from the rolled 2024-03-04 would give 2024-04-03: wrong.
    assert due_date("ca-atia", D("2024-02-01"), extension_days=30) == D("2024-04-02")


def test_receipt_on_weekend_keeps_its_date_as_day_zero() -> None:
    # Received Saturday 2024-03-02: day 1 is Sunday 3 March, day 30 is Monday 1 April
    # (Easter Monday for federal institutions) -> Tuesday 2 April.
    assert due_date("ca-atia", D("2024-03-02")) == D("2024-04-02")
    # Working-day law: receipt on Saturday or the Friday before, Monday is day 1 either way.
    assert (
        due_date("uk-sct-foisa", D("2024-03-02"))
        == due_date("uk-sct-foisa", D("2024-03-01"))
        == D("2024-04-01")
    )


def test_pauses_for_calendar_and_working_day_laws() -> None:
    base = due_date("ca-atia", D("2020-02-10"))
    # A 5-day pause inside the count moves the due date 5 days later (then roll if needed).
    paused = due_date("ca-atia", D("2020-02-10"), pauses=[(D("2020-02-20"), D("2020-02-24"))])
    assert paused == D("2020-03-16")  # 2020-03-11 + 5 = Monday 2020-03-16
    # A pause after the due date changes nothing.
    assert due_date("ca-atia", D("2020-02-10"), pauses=[(D("2020-04-01"), D("2020-04-10"))]) == base
    # UK s.10(2): paused working days don't count.
    uk = due_date("uk-foia", D("2024-03-04"), pauses=[(D("2024-03-11"), D("2024-03-15"))])
    assert uk == D("2024-04-11")
    # Overlapping pauses count each day once.
    assert due_date(
        "uk-foia",
        D("2024-03-04"),
        pauses=[(D("2024-03-11"), D("2024-03-13")), (D("2024-03-12"), D("2024-03-15"))],
    ) == D("2024-04-11")


def test_calendars_follow_the_statutes() -> None:
    # ATIA: Easter Monday is a holiday (Interpretation Act s.35) though not in python-holidays' CA government set.
    assert not is_working_day("ca-atia", D("2024-04-01"))
    # Province of the institution adds its holidays (Saint-Jean-Baptiste in Québec).
    assert is_working_day("ca-atia", D("2024-06-24"))
    assert not is_working_day("ca-atia", D("2024-06-24"), province="QC")
    # Québec Access Act: Easter Monday (s.61(23)); Saturday is not a holiday, Sunday is.
    assert not is_working_day("ca-qc-access", D("2024-04-01"))
    assert is_working_day("ca-qc-access", D("2024-06-22"))
    assert not is_working_day("ca-qc-access", D("2024-06-23"))
    # UK FOIA: a bank holiday anywhere in the UK (s.10(6)); FOISA: Scotland only.
    assert not is_working_day("uk-foia", D("2024-07-12"))  # Battle of the Boyne (NI)
    assert is_working_day("uk-sct-foisa", D("2024-07-12"))
    assert not is_working_day("uk-sct-foisa", D("2024-12-02"))  # St Andrew's Day observed
    # US FOIA: executive-order closure (Carter mourning day) stays a working day.
    assert is_working_day("us-foia", D("2025-01-09"))
    assert not is_working_day("us-foia", D("2021-06-18"))


def test_complaint_windows_per_law() -> None:
    assert complaint_deadline("ca-privacy", D("2024-01-10")) is None
    assert complaint_deadline("us-ca-cpra", D("2024-01-10")) is None
    assert complaint_deadline("uk-foia", D("2024-01-10")) is None
    # Québec s.135: 30 days; day 1 = trigger 2024-06-26 -> day 30 = 2024-07-25 (Thursday).
    assert complaint_deadline("ca-qc-access", D("2024-06-26")) == D("2024-07-25")
    # FOISA s.20(5): 40 working days after the time for compliance expired.
    due = due_date("uk-sct-foisa", D("2024-03-04"))
    last = deemed_refusal_complaint_deadline("uk-sct-foisa", due)
    assert last is not None and working_days_between("uk-sct-foisa", due, last) == 40
    # US FOIA: silence lets the requester sue; the appeal window runs from a determination.
    assert deemed_refusal_complaint_deadline("us-foia", D("2024-01-10")) is None
    assert complaint_deadline("us-foia", D("2024-01-10")) == D("2024-04-08")


def test_response_complaint_window_starts_the_day_after_the_response() -> None:
    # ATIA s.31: 60 days after the day the notice is received; day 1 = 2020-03-12.
    assert response_complaint_deadline("ca-atia", D("2020-03-11")) == D("2020-05-11")
    assert response_complaint_deadline("ca-privacy", D("2020-03-11")) is None


def test_province_table_matches_the_holiday_library() -> None:
    import holidays

    from tracker.deadlines.calendars import CA_PROVINCES

    assert tuple(holidays.country_holidays("CA").subdivisions) == CA_PROVINCES


def test_holiday_data_is_built_lazily_per_year() -> None:
    from tracker.deadlines.calendars import Calendar

    cal = Calendar("ca-federal", None, (5, 6))
    assert cal.span[2] == [] and not cal._years
    cal.ensure(2031, 2031)
    assert set(cal._years) == {2031}
    assert cal.next_working_on_or_after(D("2031-12-25")) == D(
        "2031-12-29"
    )  # Thu 25, Fri 26 Boxing Day, weekend
