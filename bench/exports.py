"""Time and peak memory of the work that grows with the newsroom: exports, the scorecard
after a change, backup.

Run (on a database filled by bench/generate.py; the scorecard step writes timeline entries
and the backup step writes a folder in a temporary directory):
    .venv/bin/python bench/exports.py --database sqlite:////tmp/bench.sqlite
    .venv/bin/python bench/exports.py --database postgresql://postgres@127.0.0.1:5432/bench_pages

The tracker runs in-process (Flask test client); a user of the largest newsroom logs in
through the login form. Measured, each on its own:
  - the newsroom ZIP (GET /exports/newsroom.zip, built at once whatever the size: the
    threshold is lifted), its body read and dropped as it is sent;
  - the list's CSV of every request (GET /exports/requests.csv), read the same way;
  - the scorecard after a change: a stored scorecard, then a final response added to one
    open request through the request service (its own transaction), then GET /scorecards/
    timed; several rounds, each on another request (and, for comparison, the full
    computation, service.compute, timed alone);
  - ``backup`` of the whole database into a temporary folder (with --backup).
Memory: the process's resident set before each step, and its peak during it (Linux VmHWM,
reset before the step through /proc/self/clear_refs); the growth is peak minus before.
Targets: growth under 150 MB for each step at any size; a scorecard after a change under 1 s.
Figures go to the "## Exports" section of bench/RESULTS.md (one block per database and scale).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.generate import DEFAULT_PASSWORD  # noqa: E402
from bench.pages import login  # noqa: E402
from bench.results import machine, server_label, write_section  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.core import clock, db  # noqa: E402
from tracker.core.models import InfoRequest, User  # noqa: E402
from tracker.exports import service as export_service  # noqa: E402
from tracker.requests import service as requests  # noqa: E402
from tracker.scorecards import service as scorecards  # noqa: E402

SECTION = "## Exports"
MEMORY_TARGET_MB = 150
SCORECARD_TARGET_S = 1.0


def _status(field: str) -> int:
    """A VmRSS/VmHWM figure of this process, in kB."""
    text = Path("/proc/self/status").read_text()
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


# This process's CPU seconds and the load average over the last step (the machine is shared:
# wall time alone says more about the others than about the tracker).
LAST_STEP: dict[str, float] = {}


def measured(step: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds, memory growth in MB (peak during the step minus before it), and the result;
    the step's CPU seconds and the load average at its end go to LAST_STEP."""
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    before = _status("VmRSS")
    started = time.perf_counter()
    cpu = time.process_time()
    result = step()
    seconds = time.perf_counter() - started
    LAST_STEP["cpu"] = time.process_time() - cpu
    LAST_STEP["load"] = os.getloadavg()[0]
    peak = _status("VmHWM")
    return seconds, (peak - before) / 1024, result


def drain(response: Any) -> int:
    """Read a streamed response's body and drop it; its size in bytes."""
    size = 0
    for chunk in response.response:
        size += len(chunk)
    response.close()
    return size


def largest_newsroom(engine: sa.Engine) -> tuple[int, int, str]:
    """The newsroom with the most requests: its id, its request count, a user's e-mail."""
    with engine.connect() as conn:
        newsroom, count = conn.execute(
            sa.text(
                "SELECT newsroom_id, count(*) FROM info_request GROUP BY newsroom_id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        ).one()
        email = conn.execute(
            sa.text("SELECT email FROM user_account WHERE newsroom_id = :n ORDER BY id LIMIT 1"),
            {"n": newsroom},
        ).scalar_one()
    return int(newsroom), int(count), str(email)


def answer_one(app: Any, newsroom_id: int, today: date, skip: int) -> int:
    """Add a final response to an open request of the newsroom (one transaction); its id."""
    with app.app_context(), db.transaction() as session:
        request_id = session.scalar(
            sa.select(InfoRequest.id)
            .where(
                InfoRequest.newsroom_id == newsroom_id,
                InfoRequest.responded_on.is_(None),
                InfoRequest.closed_on.is_(None),
            )
            .order_by(InfoRequest.id)
            .offset(skip)
            .limit(1)
        )
        request = requests.load_request(session, request_id)
        user = session.get(User, request.owner_id)
        requests.add_event(
            session,
            user,
            request,
            requests.EventData(
                kind="final_response", occurred_on=today, details={"outcome": "partial"}
            ),
            today,
            None,
            0,
        )
    return int(request_id)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure each step, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--rounds", type=int, default=5, help="scorecard views after a change")
    parser.add_argument("--backup", action="store_true", help="measure `backup` too")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--zip-only", action="store_true", help="measure the newsroom ZIP only")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {
                "DATABASE_URL": args.database,
                "SECRET_KEY": "bench",
                "INSTANCE_PATH": instance,
                "EXPORT_BACKGROUND_REQUESTS": 10**9,  # the ZIP at once, whatever the size
            }
        )
        engine: sa.Engine = app.extensions["engine"]
        label = server_label(engine)
        newsroom_id, count, email = largest_newsroom(engine)
        with engine.connect() as conn:
            total = conn.scalar(sa.text("SELECT count(*) FROM info_request"))
        client = app.test_client()
        login(client, email, args.password)
        today = clock.today()
        lines: list[str] = []

        def save() -> None:
            """Write what is measured so far (a step that fails later keeps the others)."""
            if args.no_results:
                return
            write_section(
                SECTION,
                f"{label}, {total:,} requests",
                [
                    f"- date: {date.today().isoformat()}; {machine()}",
                    f"- measured newsroom: {count:,} requests",
                    *lines,
                ],
                intro=[
                    "Run: `.venv/bin/python bench/exports.py --database URL [--backup]` on a "
                    "database filled by bench/generate.py. Targets: memory growth under "
                    f"{MEMORY_TARGET_MB} MB for each step, a scorecard after a change under "
                    f"{SCORECARD_TARGET_S:.0f} s.",
                ],
            )

        def report(name: str, seconds: float, growth: float, extra: str = "") -> None:
            verdict = "ok" if growth < MEMORY_TARGET_MB else "OVER"
            line = (
                f"- {name}: {seconds:.2f} s ({LAST_STEP['cpu']:.2f} s CPU in this process, "
                f"load {LAST_STEP['load']:.1f} at its end), memory growth {growth:.0f} MB "
                f"({verdict}; target < {MEMORY_TARGET_MB} MB){extra}"
            )
            print(line, flush=True)
            lines.append(line)
            save()

        assert client.get("/exports/").status_code == 200  # warm up
        with app.app_context():
            session = db.session()
            rows = export_service.newsroom_row_count(session, newsroom_id)
            session.close()
        seconds, growth, size = measured(lambda: drain(client.get("/exports/newsroom.zip")))
        report(
            "newsroom ZIP",
            seconds,
            growth,
            f"; {size / 1e6:.1f} MB; {rows:,} lines, "
            f"{LAST_STEP['cpu'] / rows * 1e6:.1f} us of CPU a line",
        )
        if args.zip_only:
            return 0
        seconds, growth, size = measured(lambda: drain(client.get("/exports/requests.csv")))
        report("list CSV (every request)", seconds, growth, f"; {size / 1e6:.1f} MB")

        with app.app_context():
            seconds, growth, _ = measured(
                lambda: scorecards.compute(db.session(), newsroom_id, today)
            )
        report("scorecard computed whole (service.compute, for comparison)", seconds, growth)
        assert client.get("/scorecards/").status_code == 200  # stored
        views: list[float] = []
        peaks: list[float] = []
        for n in range(args.rounds):
            answer_one(app, newsroom_id, today, skip=n * 7)
            seconds, growth, response = measured(lambda: client.get("/scorecards/"))
            assert response.status_code == 200
            views.append(seconds)
            peaks.append(growth)
        worst = max(views)
        verdict = "ok" if worst < SCORECARD_TARGET_S else "OVER"
        line = (
            f"- scorecard view after a change ({args.rounds} rounds, a final response each): "
            f"median {statistics.median(views):.3f} s, worst {worst:.3f} s ({verdict}; target "
            f"< {SCORECARD_TARGET_S:.0f} s), memory growth at most {max(peaks):.0f} MB"
        )
        print(line, flush=True)
        lines.append(line)
        save()

        if args.backup:
            from tracker.operations.backup import backup

            with tempfile.TemporaryDirectory() as folder:
                seconds, growth, manifest = measured(lambda: backup(app, Path(folder) / "backup"))
            report(
                "backup",
                seconds,
                growth,
                f"; {manifest['file_count']:,} files copied, {manifest['missing_count']:,} "
                "missing (the generator writes attachment rows without files)",
            )

    return 0


if __name__ == "__main__":
    sys.exit(main())
