"""Bad input gives a clear error, never a wrong date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.deadlines import (
    LAW_CODES,
    LAW_VERSIONS,
    MAX_YEAR,
    MIN_YEAR,
    complaint_deadline,
    days_late,
    due_date,
    explain,
    get_law,
    is_working_day,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    "fn",
    [
        lambda: due_date("ca-foo", D("2024-01-01")),
        lambda: explain("ca-foo", D("2024-01-01")),
        lambda: complaint_deadline("ca-foo", D("2024-01-01")),
        lambda: days_late("ca-foo", D("2024-01-01"), D("2024-02-01")),
        lambda: is_working_day("ca-foo", D("2024-01-01")),
        lambda: get_law("ca-foo"),
    ],
)
def test_unknown_law_names_valid_codes(fn) -> None:
    with pytest.raises(ValueError) as info:
        fn()
    assert "ca-foo" in str(info.value)
    for code in LAW_CODES:
        assert code in str(info.value)


def test_negative_extension() -> None:
    with pytest.raises(ValueError, match="negative"):
        due_date("ca-atia", D("2024-01-01"), extension_days=-1)
    with pytest.raises(ValueError, match="negative"):
        explain("us-foia", D("2024-01-01"), extension_days=-3)


def test_reversed_pause() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        due_date("uk-foia", D("2024-03-04"), pauses=[(D("2024-03-10"), D("2024-03-05"))])


@pytest.mark.parametrize("law", LAW_CODES)
@pytest.mark.parametrize(
    "received", [date(MIN_YEAR - 1, 12, 31), date(1066, 10, 14), date(MAX_YEAR + 1, 1, 1)]
)
def test_out_of_range_years(law: str, received: date) -> None:
    with pytest.raises(ValueError, match="holiday data"):
        due_date(law, received)


@pytest.mark.parametrize("law", LAW_CODES)
def test_due_date_beyond_the_data_is_an_error_not_a_guess(law: str) -> None:
    with pytest.raises(ValueError):
        due_date(law, date(MAX_YEAR, 12, 28))
    # The law's first version and the last supported year still work.
    first = LAW_VERSIONS[law][0].effective_from
    assert due_date(law, first) > first
    assert due_date(law, date(MAX_YEAR, 6, 1)).year == MAX_YEAR


@pytest.mark.parametrize("law", LAW_CODES)
def test_received_before_the_first_version_names_the_range(law: str) -> None:
    first = LAW_VERSIONS[law][0].effective_from
    with pytest.raises(ValueError, match=f"from {first.isoformat()}"):
        due_date(law, first - timedelta(days=1))
    with pytest.raises(ValueError, match=f"from {first.isoformat()}"):
        explain(law, first - timedelta(days=1))


def test_datetime_is_rejected() -> None:
    with pytest.raises(TypeError, match="time zone"):
        due_date("ca-atia", datetime(2024, 1, 1, tzinfo=UTC))


def test_province_checks() -> None:
    with pytest.raises(ValueError, match="province"):
        due_date("ca-atia", D("2024-01-01"), province="XX")
    with pytest.raises(ValueError, match="province"):
        due_date("ca-privacy", D("2024-01-01"), province="NY")
    # Laws with a fixed calendar ignore the institution's location: it cannot change the date.
    assert due_date("us-foia", D("2024-01-01"), province="NY") == due_date(
        "us-foia", D("2024-01-01")
    )
    assert due_date("ca-on-fippa", D("2024-01-01"), province="BC") == due_date(
        "ca-on-fippa", D("2024-01-01")
    )
    # Case-insensitive, and a fixed-province law accepts its own code.
    assert due_date("ca-atia", D("2024-06-03"), province="qc") == due_date(
        "ca-atia", D("2024-06-03"), province="QC"
    )
    assert due_date("ca-on-fippa", D("2024-01-01"), province="ON") == due_date(
        "ca-on-fippa", D("2024-01-01")
    )
