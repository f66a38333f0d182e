"""Vectors per law (tests/deadlines/data/law_vectors.tsv): due dates and the reporter's
windows, each row with its reason and the sections it rests on.

The table covers, for every law: receipt on a Saturday and on Christmas Day, year ends,
leap days (2024-02-29, 2028-02-29), a moving feast (Easter 2024), June, September, October
and November holidays (Juneteenth, 24 June, Labour Day, 30 September, Thanksgiving,
Remembrance / Veterans Day), the Day of Mourning of 2022-09-19, the day Alberta's new Act took
effect and the day before, an extension, a pause, and every complaint window (after a
response in time, after a late response, after silence). Federal laws add the institution's
province; NY FOIL adds an acknowledgement in time and a late one.

The rows were computed by the engine under the package's policy (the institution's deadline
takes the later reading, the reporter's window the earlier one) and read through by hand
against a calendar; `test_vector_against_the_statute_table` recounts every row without the
engine, from the frozen statute table (tracker/deadlines/data/non_working_days.csv) and the
law's own numbers. The vectors derived by hand from the statutes are in
test_deadline_vectors.py and test_deadline_readings.py. A row that changes must be a change
of the law or of a holiday, said in the commit.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracker.deadlines import (
    LAW_CODES,
    LAW_VERSIONS,
    deemed_refusal_complaint_deadline,
    due_date,
    law_in_force,
    response_complaint_deadline,
)

TABLE = Path(__file__).parent / "data" / "law_vectors.tsv"


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


VECTORS = _rows()


def _d(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def test_every_law_has_at_least_20_vectors_with_reason_and_citation() -> None:
    counts = Counter(v["law"] for v in VECTORS)
    assert all(counts[law] >= 20 for law in LAW_CODES), counts
    assert all(v["reason"].strip() and v["citation"].strip() for v in VECTORS)
    kinds = {(v["law"], v["kind"]) for v in VECTORS}
    assert all(
        (law, k) in kinds for law in LAW_CODES for k in ("due", "response_window", "refusal_window")
    )


def test_every_version_has_vectors_and_a_new_way_of_counting_has_20() -> None:
    """Each version of a law is tested on its own; a version that counts in another unit
    (Alberta's Access to Information Act: business days from 2025-06-11) has 20 rows."""
    per_version = Counter(
        (v["law"], law_in_force(v["law"], date.fromisoformat(v["received"])).effective_from)
        for v in VECTORS
    )
    for code in LAW_CODES:
        versions = LAW_VERSIONS[code]
        for before, version in zip((None, *versions), versions, strict=False):
            n = per_version[(code, version.effective_from)]
            assert n >= 2, (code, version.effective_from, n)
            if before is not None and before.unit != version.unit:
                assert n >= 20, (code, version.effective_from, n)


@pytest.mark.parametrize(
    "row",
    VECTORS,
    ids=[f"{v['law']}-{v['kind']}-{v['received']}-{i}" for i, v in enumerate(VECTORS)],
)
def test_vector(row: dict[str, str]) -> None:
    law, received = row["law"], date.fromisoformat(row["received"])
    args = json.loads(row["args"])
    if row["kind"] == "due":
        got: date | None = due_date(
            law,
            received,
            extension_days=args.get("ext", 0),
            province=args.get("province"),
            pauses=[
                (date.fromisoformat(a), date.fromisoformat(b)) for a, b in args.get("pauses", [])
            ],
            acknowledged=_d(args.get("acknowledged")),
        )
    elif row["kind"] == "response_window":
        got = response_complaint_deadline(
            law,
            date.fromisoformat(args["responded"]),
            due=_d(args.get("due")),
            province=args.get("province"),
            received=received,
        )
    else:
        got = deemed_refusal_complaint_deadline(
            law, date.fromisoformat(args["due"]), args.get("province"), received=received
        )
    expected = row["expected"] or None
    assert (got.isoformat() if got else None) == expected, f"{row['reason']} [{row['citation']}]"


# -- An independent check of every row: the frozen statute table and the law's own numbers
# (length, unit, weekly rest days), counted here with plain date arithmetic, not the engine.

NON_WORKING = Path(__file__).parents[2] / "tracker" / "deadlines" / "data" / "non_working_days.csv"


def _table() -> dict[tuple[str, str], set[date]]:
    out: dict[tuple[str, str], set[date]] = {}
    with NON_WORKING.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out.setdefault((row["calendar"], row["province"]), set()).add(
                date.fromisoformat(row["date"])
            )
    return out


TABLE_DAYS = _table()


def _closed(key: str, province: str | None) -> set[date]:
    days = set(TABLE_DAYS.get((key, ""), set()))
    if province:
        days |= TABLE_DAYS.get((key, province), set())
    return days


def _oracle(row: dict[str, str]) -> str | None:
    law = law_in_force(row["law"], date.fromisoformat(row["received"]))
    args = json.loads(row["args"])
    province = args.get("province") if law.province_mode == "institution" else None
    closed = _closed(law.calendar_key, province)
    rest = set(law.weekend_days)
    one = timedelta(days=1)

    def off(d: date) -> bool:
        return d.weekday() in rest or d in closed

    if row["kind"] == "due":
        d, n = date.fromisoformat(row["received"]), law.length + args.get("ext", 0)
        if law.unit == "working":
            while n:
                d += one
                n -= 0 if off(d) else 1
            return d.isoformat()
        last = d = d + timedelta(days=n)
        while off(d) or (law.roll_past_saturday and d != last and d.weekday() == 5):
            d += one
        return d.isoformat()
    if row["kind"] == "response_window":
        responded, due = date.fromisoformat(args["responded"]), _d(args.get("due"))
        window = law.complaint_window
        day0 = due if (law.window_from_due and due and responded <= due) else responded
    else:
        window, day0 = law.window_after_refusal, date.fromisoformat(args["due"])
    if window is None:
        return None
    if window.unit == "months":
        # "Within one year after" (Saskatchewan FOIP, LA FOIP s.38(2)): the same day of the
        # month, months later (the month's last day when it has none); never moved.
        m = day0.month - 1 + window.length
        y, m = day0.year + m // 12, m % 12 + 1
        last = (date(y + m // 12, m % 12 + 1, 1) - one).day
        return date(y, m, min(day0.day, last)).isoformat()
    if window.unit == "working":
        # The reporter's reading: the window's own calendar where the law names one (BC: the
        # s.29 list without the 2022 day of mourning), with its weekly rest days.
        if law.window_calendar:
            wclosed, wrest = _closed(law.window_calendar[0], province), set(law.window_calendar[1])
        else:
            wclosed, wrest = closed, rest
        d, n = day0, window.length
        while n:
            d += one
            n -= 0 if (d.weekday() in wrest or d in wclosed) else 1
        return d.isoformat()
    d = day0 + timedelta(days=window.length)
    if window.roll == "working":
        while off(d):
            d += one
    elif window.roll == "holidays":
        # The interpretation act's holidays only: its own list where the law names one
        # (federal IA s.35), Sundays, never a plain Saturday.
        key = law.window_calendar[0] if law.window_calendar else law.calendar_key
        holidays = _closed(key, province) if (key, "") in TABLE_DAYS else closed
        while d.weekday() == 6 or d in holidays:
            d += one
    return d.isoformat()


@pytest.mark.parametrize(
    "row",
    [v for v in VECTORS if "pauses" not in v["args"] and "acknowledged" not in v["args"]],
    ids=lambda v: f"{v['law']}-{v['kind']}-{v['received']}",
)
def test_vector_against_the_statute_table(row: dict[str, str]) -> None:
    assert _oracle(row) == (row["expected"] or None), f"{row['reason']} [{row['citation']}]"
