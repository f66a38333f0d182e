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
against a calendar; the vectors derived by hand from the statutes are in
test_deadline_vectors.py and test_deadline_readings.py. A row that changes must be a change
of the law or of a holiday, said in the commit.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tracker.deadlines import (
    LAW_CODES,
    deemed_refusal_complaint_deadline,
    due_date,
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
