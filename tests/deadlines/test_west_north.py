"""Manitoba and Saskatchewan, counted by hand from the statutes
(tracker/deadlines/provinces/west_north.py says which texts were read); Yukon, the Northwest
Territories and Nunavut are not offered, and federal laws still count their holidays.

Each expected date below was counted on a calendar, not taken from the engine: the comment
beside it shows the count.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines import (
    PAUSE_RULES,
    deemed_refusal_complaint_deadline,
    due_date,
    explain,
    law_in_force,
    lawful_extension_days,
    reporter_windows,
    response_complaint_deadline,
)
from tracker.deadlines.calendars import get_calendar
from tracker.imports.service import resolve_law

WEST_NORTH = (
    "ca-mb-fippa",
    "ca-sk-foip",
    "ca-sk-lafoip",
)
NOT_OFFERED = ("ca-yt-atippa", "ca-nt-atipp", "ca-nu-atipp")


@pytest.mark.parametrize(
    ("law", "received", "due", "why"),
    [
        # FIPPA (Man.) s.11(1) before S.M. 2021, c. 43: 30 days; 2022-01-30 is a Sunday.
        ("ca-mb-fippa", date(2021, 12, 31), date(2022, 1, 31), "30 days, Sunday rolled"),
        # From 2022-01-01: 45 days; day 30 is 2022-01-31, day 45 Tuesday 2022-02-15.
        ("ca-mb-fippa", date(2022, 1, 1), date(2022, 2, 15), "45 days"),
        # FOIP (Sask.) s.7(2): 30 days after 2024-03-30 reach Monday 2024-04-29.
        ("ca-sk-foip", date(2024, 3, 30), date(2024, 4, 29), "Saturday receipt"),
        # LA FOIP s.7(2): 2024-02-01 + 30 = Saturday 2024-03-02; the office is closed
        # (Legislation Act s.2-28(6)), so Monday 2024-03-04.
        ("ca-sk-lafoip", date(2024, 2, 1), date(2024, 3, 4), "Saturday rolled"),
    ],
)
def test_due_dates_counted_by_hand(law: str, received: date, due: date, why: str) -> None:
    assert due_date(law, received) == due, why
    assert explain(law, received).due == due


@pytest.mark.parametrize(
    ("law", "first"),
    [
        ("ca-mb-fippa", date(2007, 1, 1)),
        ("ca-sk-foip", date(2019, 5, 15)),
        ("ca-sk-lafoip", date(2019, 5, 15)),
    ],
)
def test_a_request_before_the_first_version_names_its_date(law: str, first: date) -> None:
    with pytest.raises(ValueError, match=first.isoformat()):
        due_date(law, date.fromordinal(first.toordinal() - 1))
    assert law_in_force(law, first).effective_from == first


def test_each_version_cites_its_own_act() -> None:
    assert law_in_force("ca-mb-fippa", date(2021, 12, 31)).length == 30
    assert "S.M. 2021, c. 43" in law_in_force("ca-mb-fippa", date(2022, 1, 1)).act_citation


def test_extensions_count_only_as_far_as_each_act_allows() -> None:
    # Manitoba s.15(1): up to 30 (45 from 2022) more days, longer if the Ombudsman agrees.
    assert lawful_extension_days("ca-mb-fippa", date(2021, 3, 1), [(60, "volume", False)]) == [30]
    assert lawful_extension_days("ca-mb-fippa", date(2024, 3, 1), [(60, "volume", False)]) == [45]
    assert lawful_extension_days("ca-mb-fippa", date(2024, 3, 1), [(60, "volume", True)]) == [60]
    # Saskatchewan s.12(1): "a reasonable period not exceeding 30 days", with no way past it.
    assert lawful_extension_days("ca-sk-foip", date(2024, 3, 1), [(40, "volume", True)]) == [30]


def test_saskatchewan_review_within_one_year_is_not_moved() -> None:
    # LA FOIP s.38(2): one year after notice, or after the expiration of the time (s.7(5)).
    assert deemed_refusal_complaint_deadline(
        "ca-sk-lafoip", date(2024, 3, 1), received=date(2024, 1, 31)
    ) == date(2025, 3, 1)  # a Saturday: the earlier reading does not move it
    assert response_complaint_deadline(
        "ca-sk-foip", date(2024, 2, 29), received=date(2024, 2, 1)
    ) == date(2025, 2, 28)  # 29 February: the month's last day a year later


def test_reporter_windows_are_not_moved_and_say_why() -> None:
    # Manitoba: 60 days after silence from 2024-03-14 reach Monday 2024-05-13 ... and from
    # 2024-02-22, 60 days reach 2024-04-22; a window ending on a Saturday stays there.
    (w,) = reporter_windows("ca-mb-fippa", received=date(2024, 1, 8), due=date(2024, 2, 24))
    assert w.end == date(2024, 4, 24)


def test_silence_is_named_as_each_act_names_it() -> None:
    for law, received in (
        ("ca-mb-fippa", date(2024, 3, 1)),
        ("ca-sk-foip", date(2024, 3, 1)),
        ("ca-sk-lafoip", date(2024, 3, 1)),
    ):
        text = explain(law, received).as_text()
        assert "treated as refused" in text, law


def test_calendars_give_the_section_of_each_day() -> None:
    mb = get_calendar("ca-mb", None, (5, 6))
    (riel,) = mb.holiday_detail(date(2024, 2, 19))
    assert "s.23(1) item 2.1" in riel.section
    assert mb.non_working_reason(date(2023, 9, 30)) == "National Day for Truth and Reconciliation"
    assert "later reading" in mb.holiday_detail(date(2023, 9, 30))[0].section
    # S.M. 2023, c. 50 (assented 2023-12-07) made 30 September a holiday of s.23(1).
    (orange,) = mb.holiday_detail(date(2024, 9, 30))
    assert orange.name.startswith("Orange Shirt Day")
    assert "s.23(1), as amended by S.M. 2023, c. 50" in orange.section
    sk = get_calendar("ca-sk", None, (5, 6))
    assert sk.is_working(date(2024, 9, 30))  # not a holiday in Saskatchewan
    assert "s.2-28(6)" in sk.holiday_detail(date(2024, 8, 5))[0].section


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ca-mb-fippa", "ca-mb-fippa"),
        ("Manitoba", "ca-mb-fippa"),
        (
            "Loi sur l'acces a l'information et la protection de la vie privee (Manitoba)",
            "ca-mb-fippa",
        ),
        ("FOIP (Sask.)", "ca-sk-foip"),
        ("LA FOIP", "ca-sk-lafoip"),
    ],
)
def test_import_recognises_the_laws_by_code_name_and_province(text: str, code: str) -> None:
    assert resolve_law(text) == code


def test_every_west_north_law_has_its_letter() -> None:
    from tracker.packets.letter import rules_for

    for law in WEST_NORTH:
        for version in (law_in_force(law, date(2024, 3, 1)),):
            assert rules_for(law, version.effective_from).complaint_section


def test_a_saskatchewan_clarification_restarts_the_clock() -> None:
    # FOIP (Sask.) s.6(4): where more detail is invited, the application is deemed made when
    # the record is identified. Received 2024-03-01, clarified 2024-03-11: 30 days from
    # 2024-03-11 reach Wednesday 2024-04-10 (instead of Sunday 2024-03-31, rolled to 04-01).
    from tracker.requests.state import EventFact, derive_state

    events = [
        EventFact(1, "clarification_requested", date(2024, 3, 4)),
        EventFact(2, "clarification_answered", date(2024, 3, 11)),
    ]
    for law in ("ca-sk-foip", "ca-sk-lafoip"):
        state = derive_state(law, None, date(2024, 3, 1), events, date(2024, 3, 20))
        assert state.due_on == date(2024, 4, 10), law
    plain = derive_state("ca-sk-foip", None, date(2024, 3, 1), [], date(2024, 3, 20))
    assert plain.due_on == date(2024, 4, 1)


@pytest.mark.parametrize("code", NOT_OFFERED)
def test_the_territorial_laws_are_not_offered(code: str) -> None:
    # Their periods and windows could not be read from the statutes (README, "Not yet
    # offered"): the schema keeps the code (migration 0013), nothing computes a date for it.
    from tracker.deadlines import LAW_CODES, SCHEMA_LAW_CODES, get_law
    from tracker.deadlines.calendars import CALENDAR_DESCRIPTIONS
    from tracker.packets.letter import RULES

    assert code in SCHEMA_LAW_CODES
    assert code not in LAW_CODES
    with pytest.raises(ValueError, match="unknown law"):
        get_law(code)
    with pytest.raises(ValueError):
        due_date(code, date(2024, 3, 1))
    assert code not in RULES
    assert not {"ca-yt", "ca-nt", "ca-nu"} & set(CALENDAR_DESCRIPTIONS)


@pytest.mark.parametrize("text", ["Yukon", "Northwest Territories", "Nunavut", "ca-nu-atipp"])
def test_import_does_not_resolve_a_territorial_law(text: str) -> None:
    assert resolve_law(text) is None


@pytest.mark.parametrize(
    ("province", "received", "due", "why"),
    [
        # ATIA s.7: 2024-06-09 + 30 = Tuesday 2024-07-09, Nunavut Day: Wednesday 2024-07-10.
        ("NU", date(2024, 6, 9), date(2024, 7, 10), "Nunavut Day"),
        # 2024-07-20 + 30 = Monday 2024-08-19, Discovery Day in Yukon: Tuesday 2024-08-20.
        ("YT", date(2024, 7, 20), date(2024, 8, 20), "Discovery Day"),
        # 2024-05-22 + 30 = Friday 2024-06-21, a holiday in the Northwest Territories; then
        # the weekend: Monday 2024-06-24.
        ("NT", date(2024, 5, 22), date(2024, 6, 24), "21 June"),
        # Without a province none of these days moves the federal deadline.
        (None, date(2024, 6, 9), date(2024, 7, 9), "no province"),
    ],
)
def test_federal_law_counts_a_territorys_holidays(
    province: str | None, received: date, due: date, why: str
) -> None:
    # Interpretation Act (R.S.C. 1985, c. I-21) s.35(1)(a): a holiday of the province where
    # the institution is (python-holidays for the territories).
    assert due_date("ca-atia", received, province=province) == due, why


def test_manitoba_request_for_more_information_stops_nothing_and_says_why() -> None:
    # FIPPA (Man.) s.12.1(4) "Effect of request on time limits" could not be read: the count
    # goes on (the earlier reading, kept), and the explanation gives the other reading.
    e = explain("ca-mb-fippa", date(2024, 3, 4))
    (note,) = [s for s in e.steps if s.label == "Note" and "s.12.1(4)" in s.text]
    assert "later reading" in note.text and "earlier" in note.text
    assert "ca-mb-fippa" not in PAUSE_RULES
    old = explain("ca-mb-fippa", date(2021, 3, 4))  # before S.M. 2021, c. 43 added s.12.1
    assert not [s for s in old.steps if s.label == "Note" and "s.12.1" in s.text]
