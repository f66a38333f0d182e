"""Each calendar against its statute's own list: days in, days out, moves, dated changes."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.deadlines.calendars import Calendar, get_calendar

D = date.fromisoformat
SAT_SUN = (5, 6)


def cal(key: str, province: str | None = None, weekend: tuple[int, ...] = SAT_SUN) -> Calendar:
    return Calendar(key, province, weekend)


# (calendar, province, day, holiday?, why) -- each line checked against the section named.
CASES = [
    # Interpretation Act s.35 + federal office closures (TBS ATI Manual 7.1.1).
    ("ca-federal", None, "2024-04-01", True, "Easter Monday: IA s.35(1)"),
    ("ca-federal", None, "2024-12-26", True, "Boxing Day: federal offices closed"),
    ("ca-federal", None, "2024-08-05", True, "Civic Holiday: federal offices closed"),
    ("ca-federal", None, "2022-09-19", True, "national day of mourning: offices closed"),
    ("ca-federal", None, "2023-07-03", True, "Canada Day on a Saturday: offices closed Monday"),
    ("ca-federal", None, "2023-11-13", True, "Remembrance Day on a Saturday: observed Monday"),
    ("ca-federal", None, "2022-12-27", True, "Christmas on a Sunday, Boxing Day Monday: Tuesday"),
    ("ca-federal", None, "2020-09-30", False, "NDTR only from 2021 (S.C. 2021, c. 11)"),
    ("ca-federal", None, "2021-09-30", True, "NDTR from 2021"),
    ("ca-federal", None, "2024-02-19", False, "Family Day is provincial"),
    ("ca-federal", "ON", "2024-02-19", True, "s.35(1)(a): Ontario's Family Day"),
    ("ca-federal", "QC", "2024-06-24", True, "s.35(1)(a): Québec's 24 June"),
    ("ca-federal", "MB", "2024-02-19", True, "s.35(1)(a): Louis Riel Day"),
    # Ontario Legislation Act, 2006 s.88.
    ("ca-on", None, "2024-08-05", True, "Civic Holiday: offices closed, s.89 (institution)"),
    ("ca-on-ia", None, "2024-08-05", False, "Civic Holiday is not in s.88 (reporter)"),
    ("ca-on", None, "2024-09-30", False, "NDTR is not in s.88"),
    ("ca-on", None, "2024-11-11", True, "Remembrance Day: s.88(1)"),
    ("ca-on", None, "2024-12-26", True, "Boxing Day: s.88(1)"),
    ("ca-on", None, "2018-07-02", True, "Canada Day on 2 July: s.88(4)"),
    ("ca-on", None, "2023-01-02", True, "New Year's Day on a Sunday: Monday, s.88(3)"),
    ("ca-on", None, "2022-01-03", False, "New Year's Day on a Saturday: no substitute"),
    ("ca-on", None, "2021-12-27", True, "Christmas on a Saturday: the Monday, s.88(5)"),
    ("ca-on", None, "2021-12-28", False, "Boxing Day on a Sunday: no substitute"),
    ("ca-on", None, "2022-12-27", True, "Christmas on a Sunday: the Tuesday, s.88(5)"),
    ("ca-on", None, "2007-02-19", False, "Family Day from 2008"),
    # British Columbia Interpretation Act s.29: no substitute days.
    ("ca-bc", None, "2024-04-01", True, "Easter Monday: s.29(a)"),
    ("ca-bc", None, "2024-08-05", True, "British Columbia Day: s.29(b)"),
    ("ca-bc", None, "2020-12-28", False, "Boxing Day on a Saturday: not moved"),
    ("ca-bc", None, "2022-12-27", False, "Christmas on a Sunday: not moved"),
    ("ca-bc", None, "2022-09-30", False, "NDTR in BC only from 2023"),
    ("ca-bc", None, "2024-09-30", True, "NDTR from 2023"),
    ("ca-bc", None, "2018-02-12", True, "Family Day, second Monday until 2018"),
    ("ca-bc", None, "2019-02-18", True, "Family Day, third Monday from 2019"),
    ("ca-bc", None, "2019-02-11", False, "not the second Monday any more"),
    ("ca-bc", None, "2022-09-19", True, "s.29(d): day of mourning appointed by proclamation"),
    ("ca-bc-ia", None, "2022-09-19", False, "day of mourning: the reporter's earlier reading"),
    ("ca-bc-ia", None, "2022-09-30", False, "NDTR in BC only from 2023 (reporter)"),
    ("ca-bc-ia", None, "2023-09-30", True, "NDTR from 2023 (reporter)"),
    # Alberta Interpretation Act s.28(1)(v).
    ("ca-ab", None, "2024-04-01", True, "Easter Monday"),
    ("ca-ab", None, "2024-02-19", True, "Alberta Family Day"),
    # Heritage Day and Boxing Day: s.28(1)(v) could not be read; the public body's calendar
    # takes the later reading (days off), the reporter's the earlier (working days).
    ("ca-ab", None, "2024-08-05", True, "Heritage Day: the public body's later reading"),
    ("ca-ab", None, "2024-12-26", True, "Boxing Day: the public body's later reading"),
    ("ca-ab-ia", None, "2024-08-05", False, "Heritage Day: the reporter's earlier reading"),
    ("ca-ab-ia", None, "2024-12-26", False, "Boxing Day: the reporter's earlier reading"),
    ("ca-ab", None, "2024-09-30", False, "NDTR is not a holiday in Alberta"),
    ("ca-ab", None, "2022-01-03", False, "no substitute days"),
    # Québec Interpretation Act s.61(23): Sunday only as the weekly rest day.
    ("ca-qc", None, "2024-01-02", False, "2 January is not in s.61(23)"),
    ("ca-qc", None, "2024-12-26", False, "26 December is not in s.61(23)"),
    ("ca-qc", None, "2018-06-25", False, "24 June on a Sunday: no substitute"),
    ("ca-qc", None, "2018-07-02", True, "1 July on a Sunday: 2 July, s.61(23)(f)"),
    ("ca-qc", None, "2024-10-14", True, "second Monday of October: s.61(23)(g.1)"),
    ("ca-qc", None, "2024-05-20", True, "the Sovereign's birthday: s.61(23)(i)"),
    # 5 U.S.C. 6103.
    ("us-federal", None, "2021-06-18", True, "Juneteenth on a Saturday: observed Friday"),
    ("us-federal", None, "2020-06-19", False, "Juneteenth only from 2021"),
    ("us-federal", None, "2021-12-31", True, "New Year's Day 2022 on a Saturday: observed"),
    ("us-federal", None, "2021-01-20", False, "Inauguration Day: D.C. area only"),
    ("us-federal", None, "2025-01-09", False, "executive-order closure"),
    # New York General Construction Law s.24: Sundays move to Monday, Saturdays stay.
    ("us-ny", None, "2024-02-12", True, "Lincoln's Birthday"),
    ("us-ny", None, "2024-11-05", True, "general election day"),
    ("us-ny", None, "2022-06-20", True, "Juneteenth on a Sunday: the next day"),
    ("us-ny", None, "2020-06-19", False, "Juneteenth only from 2021 (L. 2020, c. 249)"),
    ("us-ny", None, "2023-11-10", False, "Veterans' Day on a Saturday: no Friday substitute"),
    ("us-ny", None, "2021-12-31", False, "New Year's Day on a Saturday: no Friday substitute"),
    ("us-ny", None, "2023-01-02", True, "New Year's Day on a Sunday: the Monday"),
    ("us-ny", None, "2024-02-15", False, "Susan B. Anthony Day is commemorative"),
    # California Code Civ. Proc. s.12a/s.135 (judicial holidays of Gov. Code s.6700).
    ("us-ca", None, "2024-09-09", False, "Admission Day is excepted (s.135)"),
    ("us-ca", None, "2021-10-11", True, "Columbus Day until 2021"),
    ("us-ca", None, "2022-10-10", False, "Columbus Day excepted from 2022 (AB 855)"),
    ("us-ca", None, "2023-09-22", True, "Native American Day"),
    ("us-ca", None, "2022-06-20", False, "Juneteenth in California only from 2023"),
    ("us-ca", None, "2023-06-19", True, "Juneteenth from 2023 (AB 1655)"),
    ("us-ca", None, "2024-04-24", False, "Genocide Remembrance Day is excepted"),
    ("us-ca", None, "2024-11-29", True, "the day after Thanksgiving (s.135)"),
    ("us-ca", None, "2023-11-10", True, "Veterans Day on a Saturday: the Friday (s.6701)"),
    ("us-ca", None, "2026-07-03", False, "4 July on a Saturday: not moved"),
    ("us-ca", None, "2022-12-26", True, "Christmas on a Sunday: the Monday (s.6701)"),
    ("us-ca", None, "2024-03-29", False, "Good Friday noon-3 p.m. is not a full day"),
    # FOIA 2000 s.10(6): any part of the UK; FOISA s.73: Scotland only.
    ("uk-all", None, "2022-09-19", True, "State Funeral (proclamation)"),
    ("uk-all", None, "2023-05-08", True, "Coronation (proclamation)"),
    ("uk-all", None, "2020-05-04", False, "early May moved to VE Day"),
    ("uk-all", None, "2020-05-08", True, "VE Day"),
    ("uk-all", None, "2022-05-30", False, "spring bank holiday moved to 2 June"),
    ("uk-all", None, "2022-06-02", True, "spring bank holiday 2022"),
    ("uk-all", None, "2018-03-19", True, "St Patrick's Day on a Saturday (Northern Ireland)"),
    ("uk-all", None, "2025-07-14", True, "12 July on a Saturday (Northern Ireland)"),
    ("uk-all", None, "2020-11-30", True, "St Andrew's Day (Scotland)"),
    ("uk-all", None, "2026-06-15", True, "Scotland's World Cup bank holiday"),
    ("uk-all", None, "2021-12-28", True, "Boxing Day on a Sunday: substitute"),
    ("uk-sct", None, "2024-04-01", False, "Easter Monday is not a Scottish bank holiday"),
    ("uk-sct", None, "2024-08-05", True, "first Monday in August (Sch. 1 para 2)"),
    ("uk-sct", None, "2024-08-26", False, "last Monday in August is not Scottish"),
    ("uk-sct", None, "2022-01-04", True, "1 January a Saturday, 2 January a Sunday"),
    ("uk-sct", None, "2022-12-27", True, "Christmas on a Sunday: Boxing Day moves to 27"),
    ("uk-sct", None, "2026-06-15", True, "World Cup bank holiday (proclamation)"),
]


@pytest.mark.parametrize(
    "key,province,day,holiday,why", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_statute_list(key: str, province: str | None, day: str, holiday: bool, why: str) -> None:
    weekend = (6,) if key == "ca-qc" else SAT_SUN
    assert cal(key, province, weekend).is_working(D(day)) is not holiday, why


def test_names_rules_and_sections_are_kept() -> None:
    (h,) = cal("ca-on").holiday_detail(D("2022-12-27"))
    assert h.name == "Christmas Day (Tuesday)" and h.section.endswith("s.88(5)")
    (h,) = cal("ca-qc", weekend=(6,)).holiday_detail(D("2024-06-24"))
    assert h.section.endswith("s.61(23)(e)")
    (h,) = cal("us-ny").holiday_detail(D("2024-11-05"))
    assert "general election day" in h.section
    assert cal("uk-all").non_working_reason(D("2024-07-12")) == (
        "Battle of the Boyne (Orangemen's Day) (Northern Ireland)"
    )


def test_calendars_are_shared_per_key_province_and_rest_days() -> None:
    a = get_calendar("ca-federal", "ON", SAT_SUN)
    assert get_calendar("ca-federal", "ON", SAT_SUN) is a
    assert get_calendar("ca-federal", "QC", SAT_SUN) is not a
    # Calendars that do not depend on a province share one instance.
    assert get_calendar("ca-on", "ON", SAT_SUN) is get_calendar("ca-on", None, SAT_SUN)
    # The reporter's federal calendar (Sunday only) never shares the institution's arrays.
    assert get_calendar("ca-federal-ia", None, (6,)) is not get_calendar(
        "ca-federal", None, SAT_SUN
    )


def test_rules_outside_the_table_keep_dated_changes() -> None:
    assert cal("us-federal").is_working(D("2010-06-18"))  # no Juneteenth before 2021
    assert not cal("us-federal").is_working(D("2040-06-19"))
    assert not cal("uk-all").is_working(D("2012-06-05"))  # Diamond Jubilee
    assert not cal("uk-all").is_working(D("2011-04-29"))  # royal wedding
    assert cal("ca-bc").is_working(D("2012-02-13"))  # BC Family Day from 2013
    assert not cal("ca-federal").is_working(D("2040-09-30"))
