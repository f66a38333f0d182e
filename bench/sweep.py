"""Benchmark the overdue sweep against a hand-written SQL statement doing the same update.

Run:
    .venv/bin/python bench/sweep.py --requests 100000 --database sqlite:////tmp/bench.sqlite
    .venv/bin/python bench/sweep.py --requests 100000 \
        --database postgresql://postgres@127.0.0.1:5432/bench_sweep

The database must be a scratch one: the tracker's tables are DROPPED and recreated in it.
The target scale is 1,000,000 requests; the default is 100,000 (the scale used is reported).

Workload: one newsroom, institutions under every law (federal ones in several provinces), N
requests received over the three years before "today" (2026-11-22), their due dates from the
deadline engine; 30% are still awaiting a response, so nearly all of those are past due.
Requests are bulk-inserted with executemany in batches.

Each round resets the data (status back to "awaiting", deemed-refusal entries deleted), then
times, on the same data in the same run:
  - baseline: hand-written SQL, one INSERT ... SELECT of the "deemed refusal" timeline entries
    (ON CONFLICT DO NOTHING) and one UPDATE of the status, over status/due_on;
  - sweep: tracker.alerts.sweep.flag_overdue, which does the same two statements plus the engine's
    per-(law, province, due date) notes with working days late, through a temporary table.
Both must flag the same requests and add the same number of entries. The best round of each is
reported with the ratio sweep/baseline (target: at most 2). The figures and the machine go to
the "## Overdue sweep" section of bench/RESULTS.md (only that section is replaced).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.results import machine, server_label, write_section  # noqa: E402
from tracker import deadlines  # noqa: E402
from tracker.alerts.sweep import flag_overdue  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.core.db import Base, make_engine  # noqa: E402
from tracker.core.models import InfoRequest, Institution, Newsroom, TimelineEvent, User  # noqa: E402

TODAY = date(2026, 11, 22)
TARGET_RATIO = 2.0
SECTION = "## Overdue sweep"
INTRO = (
    "Run: `.venv/bin/python bench/sweep.py --requests N --database URL` "
    "(see the docstring). Target: sweep/baseline <= 2.",
)
RESULTS = ROOT / "bench" / "RESULTS.md"
BATCH = 20_000
FEDERAL_PROVINCES = (None, "ON", "QC", "BC", "AB", "NS")


def setup_schema(engine: sa.Engine) -> None:
    """Drop and recreate the tracker's tables (a scratch database only)."""
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)


def insert_data(engine: sa.Engine, n: int, seed: int) -> int:
    """Bulk-insert one newsroom, its institutions and n requests; return how many await."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(sa.insert(Newsroom.__table__), [{"id": 1, "name": "Bench", "created_at": now}])
        conn.execute(
            sa.insert(User.__table__),
            [
                {
                    "id": 1,
                    "newsroom_id": 1,
                    "email": "bench@example.org",
                    "name": "Bench",
                    "password_hash": "x",
                    "role": "reporter",
                    "alert_preferences": {},
                    "active": True,
                    "created_at": now,
                }
            ],
        )
        institutions = []
        for law in deadlines.LAW_CODES:
            provinces = (
                FEDERAL_PROVINCES if deadlines.LAWS[law].province_mode == "institution" else (None,)
            )
            for province in provinces:
                institutions.append(
                    {
                        "id": len(institutions) + 1,
                        "newsroom_id": 1,
                        "name": f"{law} {province or ''}".strip(),
                        "law_code": law,
                        "province": province,
                        "created_at": now,
                    }
                )
        conn.execute(sa.insert(Institution.__table__), institutions)
    due_cache: dict[tuple[str, str | None, date], date] = {}
    awaiting = 0
    table = InfoRequest.__table__
    for start in range(0, n, BATCH):
        rows = []
        for i in range(start, min(n, start + BATCH)):
            inst = institutions[rng.randrange(len(institutions))]
            received = TODAY - timedelta(days=rng.randrange(3 * 365))
            key = (inst["law_code"], inst["province"], received)
            due = due_cache.get(key)
            if due is None:
                due = due_cache[key] = deadlines.due_date(
                    inst["law_code"], received, province=inst["province"]
                )
            waiting = rng.random() < 0.3
            awaiting += waiting and due < TODAY
            responded = (
                None if waiting else min(TODAY, received + timedelta(days=rng.randrange(1, 60)))
            )
            rows.append(
                {
                    "newsroom_id": 1,
                    "owner_id": 1,
                    "institution_id": inst["id"],
                    "law_code": inst["law_code"],
                    "title": f"Request {i}",
                    "text": "",
                    "received_on": received,
                    "due_on": due,
                    "status": "awaiting" if waiting else "answered",
                    "responded_on": responded,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with engine.begin() as conn:
            conn.execute(sa.insert(table), rows)
    return awaiting


def reset(engine: sa.Engine) -> None:
    """Undo a sweep: statuses back to awaiting, the (only) timeline entries gone.

    The bench has no other timeline entries, so they are removed wholesale: deleting row by
    row would check every unindexed reference to timeline_event (corrections, pauses).
    """
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE timeline_event CASCADE"))
            conn.execute(
                sa.text("UPDATE info_request SET status = 'awaiting' WHERE status = 'overdue'")
            )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE info_request"))
            conn.execute(sa.text("VACUUM ANALYZE timeline_event"))
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.exec_driver_sql("DELETE FROM timeline_event")
        conn.exec_driver_sql("UPDATE info_request SET status = 'awaiting' WHERE status = 'overdue'")
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def baseline(engine: sa.Engine) -> int:
    """The hand-written SQL: the same entries and the same status change, nothing else."""
    now = datetime.now(UTC)
    if engine.dialect.name == "postgresql":
        next_day, as_text, details, stamp = "due_on + 1", "due_on::text", "'{}'::json", now
    else:
        next_day, as_text, details = "date(due_on, '+1 day')", "due_on", "'{}'"
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO timeline_event (request_id, kind, occurred_on, note, details, "
                "recorded_at, dedupe_key) "
                f"SELECT id, 'deemed_refusal', {next_day}, "
                f"'No final response by the due date, ' || {as_text} || ': deemed refused.', "
                f"{details}, :now, 'deemed_refusal:' || {as_text} FROM info_request "
                "WHERE status = 'awaiting' AND due_on < :today "
                "ON CONFLICT (request_id, dedupe_key) DO NOTHING"
            ),
            {"now": stamp, "today": TODAY},
        )
        return conn.execute(
            sa.text(
                "UPDATE info_request SET status = 'overdue', updated_at = :now "
                "WHERE status = 'awaiting' AND due_on < :today"
            ),
            {"now": stamp, "today": TODAY},
        ).rowcount


def sweep(engine: sa.Engine) -> int:
    """The tracker's overdue sweep, committed."""
    with Session(engine) as session, clock.frozen(TODAY):
        flagged = flag_overdue(session, "America/Toronto")
        session.commit()
    return flagged


def entries(engine: sa.Engine) -> int:
    """Deemed-refusal entries in the timeline."""
    with engine.connect() as conn:
        return (
            conn.scalar(
                sa.select(sa.func.count())
                .select_from(TimelineEvent)
                .where(TimelineEvent.kind == "deemed_refusal")
            )
            or 0
        )


def main() -> int:
    """Parse arguments, build the data, time both, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument(
        "--database", default=f"sqlite:///{ROOT / 'instance' / 'bench-sweep.sqlite'}"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--no-write", action="store_true", help="Do not update RESULTS.md.")
    args = parser.parse_args()
    if args.database.startswith("sqlite:///"):
        # A fresh file: dropping full tables would check every foreign key row by row.
        path = Path(args.database.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    engine = make_engine(args.database)
    setup_schema(engine)
    started = time.perf_counter()
    overdue = insert_data(engine, args.requests, args.seed)
    inserted = time.perf_counter() - started
    print(f"inserted {args.requests:,} requests in {inserted:.1f}s; {overdue:,} are past due")
    base_times, sweep_times = [], []
    for round_ in range(args.repeat):
        for name, run, times in (("baseline", baseline, base_times), ("sweep", sweep, sweep_times)):
            reset(engine)
            t0 = time.perf_counter()
            flagged = run(engine)
            times.append(time.perf_counter() - t0)
            added = entries(engine)
            if flagged != overdue or added != overdue:
                print(f"{name}: flagged {flagged}, added {added}, expected {overdue}")
                return 1
            print(f"round {round_ + 1} {name}: {times[-1]:.3f}s ({flagged:,} flagged)")
    best_base, best_sweep = min(base_times), min(sweep_times)
    ratio = best_sweep / best_base
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    database = server_label(engine)
    lines = [
        f"- date: {date.today().isoformat()}; {machine()}",
        f"- data: {args.requests:,} requests (target scale 1,000,000), {overdue:,} past due and "
        f"awaiting; bulk insert {inserted:.1f}s",
        f"- baseline (hand-written INSERT ... SELECT + UPDATE): best {best_base:.3f}s of "
        f"{args.repeat}",
        f"- overdue sweep (tracker.alerts.sweep.flag_overdue, engine notes): best {best_sweep:.3f}s "
        f"of {args.repeat}",
        f"- ratio sweep/baseline: {ratio:.2f} (target <= {TARGET_RATIO:g}): {verdict}",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, database, lines, intro=INTRO)
    engine.dispose()
    return 0 if verdict == "PASS" else 2


if __name__ == "__main__":
    sys.exit(main())
