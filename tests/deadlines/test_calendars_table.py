"""The frozen table of non-working days: the statute rules must reproduce it, year by year."""

from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.deadlines import calendars as c

YEARS = range(c.TABLE_FIRST_YEAR, c.TABLE_LAST_YEAR + 1)
VARIANTS = [(key, None) for key in c._BUILDERS] + [("ca-federal", prov) for prov in c.CA_PROVINCES]


def _table_csv() -> list[dict[str, str]]:
    with open(c.table_path(), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("key,province", VARIANTS, ids=[f"{k}-{p}" for k, p in VARIANTS])
def test_rules_reproduce_the_frozen_table_every_year(key: str, province: str | None) -> None:
    # A holidays/dateutil upgrade or a rule edit that moves, adds or renames a day fails
    # here instead of silently moving a deadline: regenerate with
    # scripts/build_holiday_table.py, review the diff against the statutes, bump TABLE_VERSION.
    for year in YEARS:
        assert c.build_holidays(key, year, province) == c.table_rows(key, year, province), (
            key,
            province,
            year,
        )


def test_table_covers_every_calendar_and_year() -> None:
    rows = _table_csv()
    seen = {(r["calendar"], r["province"], r["date"][:4]) for r in rows}
    for key in c._BUILDERS:
        for year in YEARS:
            assert (key, "", str(year)) in seen, (key, year)
    assert {r["calendar"] for r in rows} == set(c._BUILDERS)
    assert {r["province"] for r in rows} - {""} <= set(c.CA_PROVINCES)


def test_every_row_has_a_human_name_a_rule_and_a_section() -> None:
    for r in _table_csv():
        assert r["name"] and r["rule"] and r["section"], r
        assert re.search(r"[A-Za-z]{3}", r["name"]), r
        text = " ".join(r.values()).lower()
        assert "verify" not in text and "todo" not in text, r
        assert re.search(r"s\.\s?\d|sch\.|para|manual|act|code|u\.s\.c\.", r["section"].lower()), r


_WEEKDAY = {n: i for i, n in enumerate(c._WEEKDAY_NAMES)}


def test_rules_that_name_a_weekday_fall_on_it() -> None:
    patterns = (
        r"^(?:first|second|third|fourth|last) (\w+day)\b",
        r"^(\w+day) (?:before|after)\b",
        r"^next (\w+day)\b",
    )
    checked = 0
    for r in _table_csv():
        for pattern in patterns:
            m = re.match(pattern, r["rule"])
            if m and m.group(1) in _WEEKDAY:
                assert date.fromisoformat(r["date"]).weekday() == _WEEKDAY[m.group(1)], r
                checked += 1
    assert checked > 1000


def test_fingerprint_is_the_sha256_of_the_table_file() -> None:
    data = Path(c.table_path()).read_bytes()
    assert c.holiday_data_fingerprint() == hashlib.sha256(data).hexdigest()
    assert c.holiday_data_fingerprint() is c.holiday_data_fingerprint()  # cached


def test_inside_the_table_years_the_calendar_reads_the_table(monkeypatch) -> None:
    def broken(year: int, province: str | None) -> list[c.Holiday]:
        raise AssertionError("the rules must not be consulted inside the table's years")

    monkeypatch.setitem(c._BUILDERS, "uk-sct", broken)
    cal = c.Calendar("uk-sct", None, (5, 6))
    assert (
        cal.non_working_reason(date(2026, 6, 15))
        == "Bank holiday for Scotland at the FIFA World Cup"
    )
    with pytest.raises(AssertionError):
        cal.holidays_for_year(c.TABLE_LAST_YEAR + 1)


def test_holiday_detail_gives_rule_and_section() -> None:
    cal = c.Calendar("ca-federal", None, (5, 6))
    (h,) = cal.holiday_detail(date(2022, 9, 19))
    assert "Mourning" in h.name and "one-off" in h.rule and "TBS ATI Manual 7.1.1" in h.section
    assert cal.holiday_detail(date(2022, 9, 20)) == ()


def test_nothing_is_read_or_built_at_import() -> None:
    code = (
        "import tracker.deadlines, tracker.deadlines.calendars as c;"
        "assert c._table.cache_info().currsize == 0;"
        "assert c._table_bytes.cache_info().currsize == 0;"
        "assert c.holiday_data_fingerprint.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("key", list(c._BUILDERS))
def test_alternative_readings_agree_with_the_calendar(key: str) -> None:
    cal = c.Calendar(key, None, (5, 6))
    for year in YEARS:
        for r in c.alternative_readings(key, year):
            assert r.day.year == year and r.name and "reading" in r.why
            assert (r.day in cal.holidays_for_year(year)) is r.counted, (key, r)


def test_reporter_readings_name_the_days_left_out() -> None:
    days = {r.day for y in YEARS for r in c.alternative_readings("ca-federal-ia", y)}
    assert date(2022, 9, 19) in days  # day of mourning
    # No Monday after a Sunday holiday is offered as a reading: the Interpretation Act has
    # no such rule (s.35(2) is the Commonwealth schedule; official consolidation, I-21).
    assert date(2023, 1, 2) not in days  # New Year's Day 2023 was a Sunday
    assert date(2022, 12, 26) not in days  # Christmas 2022 was a Sunday
    assert date(2018, 11, 12) not in days  # Remembrance Day 2018 was a Sunday
    (bc,) = c.alternative_readings("ca-bc", 2022)
    assert bc.counted and bc.day == date(2022, 9, 19)
    assert [r.day for r in c.alternative_readings("us-ny", 2025)] == [date(2025, 1, 9)]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(VARIANTS),
    st.dates(min_value=date(2012, 1, 1), max_value=date(2038, 12, 31)),
)
def test_arrays_and_day_lookups_agree_across_the_table_edges(variant, d: date) -> None:
    # Inside the table's years the days come from the table, outside from the rules; the
    # flat arrays must agree with the per-day answers on both sides of each edge.
    key, province = variant
    cal = c.get_calendar(key, province, (6,) if key in ("ca-qc", "ca-federal-ia") else (5, 6))
    nxt = cal.next_working_on_or_after(d)
    probe = d
    while probe < nxt:
        assert not cal.is_working(probe)
        probe += timedelta(days=1)
    assert cal.is_working(nxt)
    assert cal.working_days_between(d - timedelta(days=1), d) == int(cal.is_working(d))


def test_every_calendar_has_a_description_naming_its_statute() -> None:
    assert set(c.CALENDAR_DESCRIPTIONS) == set(c._BUILDERS)
    for key, text in c.CALENDAR_DESCRIPTIONS.items():
        assert re.search(r"s\.\s?\d|U\.S\.C\. \d", text), key
        assert "python-holidays" not in text and "verify" not in text, key
