"""The CSV import's throughput and memory, against a plain bulk insert of the same rows.

Run (a scratch database: SQLite's file is replaced; on PostgreSQL the schema ``bench_imports``
is dropped and created again):
    .venv/bin/python bench/imports.py --database sqlite:////tmp/bench-imports.sqlite
    .venv/bin/python bench/imports.py --database postgresql://postgres@127.0.0.1:5432/test

For each size (10,000 and 100,000 rows by default) a CSV shaped like Toronto's published file
(/work/shared/data/toronto-completed-requests.csv: its ten columns, an abstract of about 150
characters, one file number in twenty on two rows as release packages, real decisions, dates
from 2010 to 2016) is generated, then, each in a child process of its own on the same
freshly migrated database:

  - **import**: ``parse_csv``, ``build_plan`` (the dry run) and ``run_import`` in one
    transaction: what the import page and ``import-csv`` run;
  - **plain**: the same rows read with ``csv`` and written with no check and no deadline
    (due = received + 30 days): one multi-row INSERT per 1,000 requests into ``info_request``
    and one of their ``filed`` entries into ``timeline_event`` (on SQLite the search index
    filled as the import fills it, one INSERT ... SELECT per batch: with its per-row trigger
    a plain insert takes about 4 ms a row, and would compare nothing).

``--heap`` runs the import alone at each size with tracemalloc tracing Python's allocations,
and reports their peak (SQLite's page cache is not among them: it has its own bound).

Rows per second are the file's rows over the step's wall time. Memory: the child's peak
resident set (ru_maxrss through os.wait4) and its resident set just before the step (the
generated file already in memory); the growth is their difference. Target (issue 17): at
least 2,000 rows/s on both databases, and memory flat in the number of rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.results import machine, server_label, write_section  # noqa: E402

SECTION = "## Imports"
INTRO = (
    "Run: `.venv/bin/python bench/imports.py --database URL` (see its docstring). The CSV "
    "import of generated rows shaped like Toronto's file, read from a file on disk as the "
    "import job reads its upload (dry run into the plan's scratch file, then checks and "
    "writes in batches, one transaction), against a plain bulk insert of the same rows (no "
    "checks, no deadlines, no timeline notes) into the same database in the same run, each in "
    "a child process; memory is the child's peak resident set, and its growth over the "
    "resident set just before the step. `--heap` traces Python's own allocations during the "
    "import (tracemalloc). Target (issue 17): at least 2,000 rows/s on both databases, memory "
    "flat in the number of rows.",
    "",
    "The machine is shared by several engineers running test suites and benchmarks: its load "
    "average is printed with each run (14 to 19 on 2 CPUs for the runs of 2026-12-07 from "
    "15:36 UTC), so the times are several times an idle machine's; compare the import with "
    "the plain insert of the same run.",
)
TARGET_ROWS_PER_SECOND = 2000
# Set in a child's environment: trace Python's allocations during its step.
HEAP_ENV = "TRACKER_BENCH_HEAP"
SCHEMA = "bench_imports"
COLUMNS = (
    "division_id",
    "identifier",
    "position",
    "abstract",
    "classification",
    "applicant_type",
    "date_accepted",
    "date",
    "decision",
    "number_of_pages",
)
DECISIONS = ("disclosed in part", "all disclosed", "nothing disclosed", "no records exist")
WORDS = [
    *[
        "copies",
        "of",
        "records",
        "building",
        "permits",
        "inspection",
        "reports",
        "for",
        "the",
        "property",
        "at",
        "address",
    ],
    *[
        "removed",
        "including",
        "emails",
        "between",
        "staff",
        "and",
        "council",
        "regarding",
        "the",
        "budget",
        "variance",
    ],
    *["reports", "contracts", "invoices", "police", "service", "occurrence", "ambulance", "fire"],
]
TODAY = date(2026, 11, 22)
MAPPING = {
    "text": "abstract",
    "file_number": "identifier",
    "received_on": "date_accepted",
    "completed_on": "date",
    "decision": "decision",
    "default_institution": "City of Toronto",
    "default_law": "ca-on-mfippa",
}


def toronto_like(n: int, seed: int = 17) -> bytes:
    """``n`` rows with the Toronto file's columns; one file number in 20 spans two rows."""
    out = io.StringIO()
    write_toronto_like(out, n, seed)
    return out.getvalue().encode()


def write_toronto_like(out: Any, n: int, seed: int = 17) -> None:
    """Write ``toronto_like``'s rows to a text file, one row at a time."""
    rng = random.Random(seed)
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    number = 0
    row = 0
    while row < n:
        number += 1
        received = date(2010, 1, 4) + timedelta(days=rng.randrange(0, 6 * 365))
        if (received.month, received.day) == (1, 1):
            received += timedelta(days=1)
        packages = 2 if number % 20 == 0 and row + 1 < n else 1
        identifier = f"AP-{received.year}-{number:06d}"
        abstract = " ".join(rng.choice(WORDS) for _ in range(22)).capitalize() + "."
        for package in range(packages):
            completed = received + timedelta(days=rng.randrange(5, 90) + 10 * package)
            if (completed.month, completed.day) == (1, 1):
                completed += timedelta(days=1)
            writer.writerow(
                [
                    "ocd-division/country:ca/csd:3520005",
                    identifier,
                    number,
                    abstract,
                    "general",
                    rng.choice(("public", "business", "media")),
                    received.isoformat(),
                    completed.isoformat(),
                    rng.choice(DECISIONS),
                    rng.randrange(1, 400),
                ]
            )
            row += 1


def _with_search_path(url: str) -> str:
    parsed = sa.make_url(url)
    return parsed.update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(
        hide_password=False
    )


def _status_kb(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(found.group(1)) if found else 0


def prepare_database(url: str) -> str:
    """A freshly migrated, empty database (or schema); the URL the children use."""
    from tracker import create_app
    from tracker.core.db import make_engine
    from tracker.core.migrate import upgrade

    if url.startswith("sqlite"):
        path = Path(sa.make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        target = url
    else:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        engine.dispose()
        target = _with_search_path(url)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"DATABASE_URL": target, "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
        upgrade(app)
        app.extensions["engine"].dispose()
    return target


def child(kind: str, url: str, rows: int) -> dict[str, Any]:
    """One measured step in this process (run by the parent as a child)."""
    from tracker import create_app
    from tracker.core import clock, db
    from tracker.core.models import Newsroom, User
    from tracker.files.storage import LocalStorage
    from tracker.imports import service
    from tracker.imports.csvfile import open_csv

    with tempfile.TemporaryDirectory() as instance:
        # The file on disk, as an upload waits for its import job; read in a stream.
        path = Path(instance) / "bench.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            write_toronto_like(out, rows)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
        with app.app_context(), clock.frozen(TODAY):
            session = db.session()
            newsroom = Newsroom(name=f"{kind} {rows}")
            session.add(newsroom)
            session.flush()
            user = User(
                newsroom_id=newsroom.id,
                email=f"{kind}-{rows}@example.org",
                name="Bench",
                password_hash="x",
                role="admin",
            )
            session.add(user)
            session.commit()
            before = _status_kb("VmRSS")
            heap = bool(os.environ.get(HEAP_ENV))
            if heap:
                tracemalloc.start()
            started = time.perf_counter()
            if kind == "import":
                table = open_csv(path)
                mapping = service.Mapping.from_dict(
                    {**service.guess_mapping(table.headers).to_dict(), **MAPPING}
                )
                plan = service.build_plan(session, newsroom.id, table, mapping, TODAY)
                planned = time.perf_counter()
                with db.transaction() as write:
                    result = service.run_import(
                        write,
                        plan,
                        user,
                        TODAY,
                        LocalStorage(Path(instance) / "files"),
                        source="bench.csv",
                    )
                written = result.requests
                extra = {"plan_s": planned - started}
            else:
                written = plain_insert(session, newsroom.id, user.id, path)
                extra = {}
            elapsed = time.perf_counter() - started
            if heap:
                extra["heap_peak_kb"] = tracemalloc.get_traced_memory()[1] // 1024
                tracemalloc.stop()
        app.extensions["engine"].dispose()
    return {"seconds": elapsed, "requests": written, "before_kb": before, **extra}


def plain_insert(session: Any, newsroom_id: int, user_id: int, path: Path) -> int:
    """The same rows, no checks and no deadline engine: batched multi-row INSERTs."""
    from tracker.core.db import sqlite_search_index
    from tracker.core.models import InfoRequest, Institution, TimelineEvent

    institution = Institution(
        newsroom_id=newsroom_id, name="City of Toronto", law_code="ca-on-mfippa"
    )
    session.add(institution)
    session.flush()
    handle = path.open(encoding="utf-8", newline="")
    reader = csv.DictReader(handle)
    seen: set[str] = set()
    fts = sqlite_search_index(session)
    trigger = None
    if fts:
        # As the import does: the trigger's own SQL is put back afterwards.
        trigger = session.scalar(
            sa.text("SELECT sql FROM sqlite_master WHERE name = 'info_request_search_insert'")
        )
        session.execute(sa.text("DROP TRIGGER info_request_search_insert"))
    largest = session.scalar(sa.select(sa.func.max(InfoRequest.id))) or 0
    batch: list[dict[str, Any]] = []

    def many(table: sa.Table) -> Any:
        # Multi-row INSERTs, as the import writes them (RETURNING makes SQLAlchemy send its
        # "insertmanyvalues" pages; a plain list of parameters is one statement a row).
        return sa.insert(table).returning(table.c.id)

    written = 0

    def flush() -> None:
        nonlocal batch
        if not batch:
            return
        session.execute(many(InfoRequest.__table__), batch)
        session.execute(
            many(TimelineEvent.__table__),
            [
                {
                    "request_id": r["id"],
                    "kind": "filed",
                    "occurred_on": r["received_on"],
                    "note": "",
                    "details": {},
                    "recorded_by_id": user_id,
                }
                for r in batch
            ],
        )
        if fts:
            session.execute(
                sa.text(
                    "INSERT INTO info_request_search (rowid, title, text, file_number) "
                    "SELECT id, tracker_fold(title), tracker_fold(text), "
                    "tracker_fold(file_number) FROM info_request WHERE id BETWEEN :a AND :b"
                ),
                {"a": batch[0]["id"], "b": batch[-1]["id"]},
            )
        batch = []

    for record in reader:
        if record["identifier"] in seen:
            continue
        seen.add(record["identifier"])
        received = date.fromisoformat(record["date_accepted"])
        written += 1
        batch.append(
            {
                "id": largest + written,
                "newsroom_id": newsroom_id,
                "owner_id": user_id,
                "institution_id": institution.id,
                "law_code": "ca-on-mfippa",
                "title": record["abstract"][:120],
                "text": record["abstract"],
                "file_number": record["identifier"],
                "received_on": received,
                "due_on": received + timedelta(days=30),
                "responded_on": date.fromisoformat(record["date"]),
                "status": "answered",
            }
        )
        if len(batch) == 1000:
            flush()
    flush()
    if trigger is not None:
        session.execute(sa.text(trigger))
    session.commit()
    handle.close()
    return written


def measure(kind: str, url: str, rows: int, *, heap: bool = False) -> dict[str, Any]:
    """Run one step in a child process; its figures and peak resident set (with ``heap``,
    also the peak of Python's own allocations, traced by tracemalloc)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, "--database", url, "--sizes", str(rows)],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, HEAP_ENV: "1"} if heap else None,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"the {kind} child failed ({status})")
    figures = json.loads(output.decode().strip().splitlines()[-1])
    figures["peak_kb"] = usage.ru_maxrss
    return figures


def main(argv: list[str] | None = None) -> int:
    """Measure each size on the database given and write the figures to RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--child", choices=("import", "plain"))
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    parser.add_argument(
        "--heap",
        action="store_true",
        help="only the import, with Python's allocations traced (tracemalloc): their peak",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        print(json.dumps(child(args.child, args.database, sizes[0])))
        return 0
    if args.heap:
        return heap_main(args.database, sizes, write=not args.no_write)
    lines = [
        f"- date: {date.today().isoformat()}; {machine()}",
        "- load average at the start: {:.1f}, {:.1f}, {:.1f} (1, 5, 15 minutes)".format(
            *os.getloadavg()
        ),
    ]
    label = ""
    rows_out = []
    for rows in sizes:
        url = prepare_database(args.database)
        if not label:
            label = server_label(sa.create_engine(url))
        imported = measure("import", url, rows)
        plain = measure("plain", url, rows)
        rate, plain_rate = rows / imported["seconds"], rows / plain["seconds"]
        growth = (imported["peak_kb"] - imported["before_kb"]) / 1024
        plain_growth = (plain["peak_kb"] - plain["before_kb"]) / 1024
        rows_out.append(
            f"| {rows:,} | {imported['requests']:,} | {imported['seconds']:.1f} "
            f"({imported['plan_s']:.1f} dry run) | {rate:,.0f} | {plain['seconds']:.1f} | "
            f"{plain_rate:,.0f} | {plain_rate / rate:.1f} | {imported['peak_kb'] / 1024:.0f} "
            f"(+{growth:.0f}) | {plain['peak_kb'] / 1024:.0f} (+{plain_growth:.0f}) | "
            f"{'PASS' if rate >= TARGET_ROWS_PER_SECOND else 'MISS'} |"
        )
        print(rows_out[-1], flush=True)
    lines.append("- load average at the end: {:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg()))
    lines += [
        "",
        "| rows | requests | import s | import rows/s | plain s | plain rows/s | import s / plain s "
        "| import peak MB (growth) | plain peak MB (growth) | 2,000 rows/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows_out,
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(SECTION, label, lines, INTRO)
    return 0


def heap_main(database: str, sizes: list[int], *, write: bool) -> int:
    """The import alone at each size with tracemalloc on: the peak of Python's allocations
    (the SQLite library's page cache is not among them; it has its own bound)."""
    lines = [
        f"- date: {date.today().isoformat()}; {machine()}",
        "- load average at the start: {:.1f}, {:.1f}, {:.1f} (1, 5, 15 minutes)".format(
            *os.getloadavg()
        ),
    ]
    label = ""
    rows_out = []
    for rows in sizes:
        url = prepare_database(database)
        if not label:
            label = server_label(sa.create_engine(url))
        imported = measure("import", url, rows, heap=True)
        growth = (imported["peak_kb"] - imported["before_kb"]) / 1024
        rows_out.append(
            f"| {rows:,} | {imported['requests']:,} | {imported['heap_peak_kb'] / 1024:.1f} | "
            f"{imported['heap_peak_kb'] * 1024 / rows:,.0f} | {imported['peak_kb'] / 1024:.0f} "
            f"(+{growth:.0f}) | {imported['seconds']:.1f} |"
        )
        print(rows_out[-1], flush=True)
    lines.append("- load average at the end: {:.1f}, {:.1f}, {:.1f}".format(*os.getloadavg()))
    lines += [
        "",
        "| rows | requests | Python heap peak MB | bytes a row | peak RSS MB (growth) | "
        "import s (slowed by tracing) |",
        "|---|---|---|---|---|---|",
        *rows_out,
    ]
    print("\n".join(lines))
    if write:
        write_section(SECTION, f"{label}, Python heap (tracemalloc)", lines, INTRO)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
