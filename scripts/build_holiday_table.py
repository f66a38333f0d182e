"""Generate the frozen table of non-working days from the statute rules in calendars.py.

Run: python scripts/build_holiday_table.py [--check] [--compare]

Writes tracker/deadlines/data/non_working_days.csv: every calendar key's holidays (not weekly
rest days) for TABLE_FIRST_YEAR..TABLE_LAST_YEAR, one row per day with its name, the rule that
finds its date and the section that makes it non-working. For "ca-federal" the rows with an
empty province are the calendar without a province, and each province's rows are only the
days its holidays add (Interpretation Act s.35(1)(a)).

The table is generated once, reviewed against the statutes, then frozen: regenerate it only
when a rule changes on purpose, review the diff, and bump TABLE_VERSION in calendars.py.
--check exits 1 when the rules no longer produce the checked-in table (CI runs the same
comparison as a test). --compare prints where the rules differ from python-holidays (a
review aid: each difference must be explained by the statute).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.deadlines import calendars as c  # noqa: E402

OUT = ROOT / "tracker" / "deadlines" / "data" / c.TABLE_FILE


def rows() -> list[tuple[str, str, c.Holiday]]:
    """Return every (calendar, province, Holiday) row of the table, in table order."""
    out: list[tuple[str, str, c.Holiday]] = []
    years = range(c.TABLE_FIRST_YEAR, c.TABLE_LAST_YEAR + 1)
    for key in c._BUILDERS:
        base_by_year = {y: c.build_holidays(key, y) for y in years}
        for y in years:
            out += [(key, "", h) for h in base_by_year[y]]
        if key in c.PROVINCE_KEYS:
            for prov in c.CA_PROVINCES:
                for y in years:
                    base = set(base_by_year[y])
                    out += [(key, prov, h) for h in c.build_holidays(key, y, prov) if h not in base]
    return out


def render() -> str:
    """Return the table's CSV text."""
    buf = io.StringIO()
    c.write_table(buf, rows())
    return buf.getvalue()


def compare() -> None:
    """Print the days where the statute rules and python-holidays disagree."""
    import holidays

    years = list(range(c.TABLE_FIRST_YEAR, c.TABLE_LAST_YEAR + 1))

    def lib(country: str, subdiv: str | None, cats: tuple[str, ...] = ("public",)) -> dict:
        return dict(holidays.country_holidays(country, years=years, subdiv=subdiv, categories=cats))

    uk = {}
    for sub in ("ENG", "WLS", "SCT", "NIR"):
        uk.update(lib("GB", sub))
    refs = {
        "ca-federal": lib("CA", None, ("government",)),
        "ca-on": lib("CA", "ON", ("public", "optional")),
        "ca-bc": lib("CA", "BC", ("public", "optional")),
        "ca-ab": lib("CA", "AB", ("public", "optional")),
        "ca-qc": lib("CA", "QC", ("public", "optional")),
        "us-federal": lib("US", None),
        "us-ca": lib("US", "CA"),
        "us-ny": lib("US", "NY"),
        "uk-all": uk,
        "uk-sct": lib("GB", "SCT"),
    }
    for key, ref in refs.items():
        ours = {h.day: h.name for y in years for h in c.build_holidays(key, y)}
        for d in sorted(set(ours) | set(ref)):
            if d.weekday() >= 5 and (d in ours) != (d in ref):
                continue  # a weekend day named by one side only changes no deadline
            if d not in ref:
                print(f"{key} {d} {d:%a} only here: {ours[d]}")
            elif d not in ours:
                print(f"{key} {d} {d:%a} only python-holidays: {ref[d]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--compare", action="store_true", help="diff against python-holidays")
    args = parser.parse_args()
    if args.compare:
        compare()
        return 0
    text = render()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("table matches the rules" if same else f"{OUT} differs from the rules")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
