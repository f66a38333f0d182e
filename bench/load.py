"""The production recipe under load: gunicorn (4 workers) on PostgreSQL plus one scheduler.

Run (on a PostgreSQL database filled by bench/generate.py; gunicorn from the `deploy` extra):
    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:5432/bench_pages

It starts `gunicorn -w 4 wsgi:app` on 127.0.0.1 and one `flask --app tracker scheduler`
process, then drives them from this process with --users logged-in sessions (editors of the
largest newsroom, logged in through the form), each in its own thread, for --seconds: the
dashboard, the request list (filters, sorts, pages through the "Next" links), request pages
and timeline notes posted through the form with the CSRF token read from the page. Before the
load, the same mix is timed one request at a time (the single-request median). Reported:
throughput, latency percentiles, errors (any status other than 200, or 302 after a post),
and p95 under load / single-request median (target: no errors, ratio under 5). The figures
go to the "## Under load" section of bench/RESULTS.md. Posted notes stay in the database.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from bench.generate import DEFAULT_PASSWORD  # noqa: E402
from bench.results import machine, server_label, write_section  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.core.db import make_engine  # noqa: E402

SECTION = "## Under load"
TARGET = 5.0
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class Session:
    """One logged-in reporter's browser."""

    def __init__(self, base: str, email: str, password: str, ids: list[int], seed: int) -> None:
        self.base, self.ids, self.rng = base, ids, random.Random(seed)
        self.http = requests.Session()
        token = CSRF.search(self.http.get(f"{base}/login", timeout=30).text)
        assert token, "no CSRF token on the login page"
        response = self.http.post(
            f"{base}/login",
            data={"email": email, "password": password, "csrf_token": token.group(1)},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, f"login of {email} failed: {response.status_code}"
        self.next_url: str | None = None

    def step(self) -> tuple[str, float, bool]:
        """One action of the mix: (kind, seconds, ok)."""
        roll = self.rng.random()
        t0 = time.perf_counter()
        if roll < 0.25:
            kind, response = "dashboard", self.http.get(f"{self.base}/", timeout=60)
            ok = response.status_code == 200
        elif roll < 0.55:
            kind = "list"
            if self.next_url and self.rng.random() < 0.5:
                url = self.next_url
            else:
                url = self.rng.choice(
                    (
                        "/requests/",
                        "/requests/?overdue=1",
                        "/requests/?law=ca-atia&sort=received",
                        "/requests/?status=answered&page=7",
                        "/requests/?q=wildfire",
                    )
                )
            response = self.http.get(f"{self.base}{url}", timeout=60)
            ok = response.status_code == 200
            found = re.search(r'<a href="([^"]+)" rel="next"', response.text)
            self.next_url = found.group(1).replace("&amp;", "&") if found else None
        elif roll < 0.9:
            kind = "request page"
            response = self.http.get(
                f"{self.base}/requests/{self.rng.choice(self.ids)}", timeout=60
            )
            ok = response.status_code == 200
        else:
            kind = "post a note"
            rid = self.rng.choice(self.ids)
            form = self.http.get(f"{self.base}/requests/{rid}/events/new?kind=note", timeout=60)
            token = CSRF.search(form.text)
            response = self.http.post(
                f"{self.base}/requests/{rid}/events/new?kind=note",
                data={
                    "csrf_token": token.group(1) if token else "",
                    "occurred_on": clock.today().isoformat(),
                    "note": "Called the coordinator (load test).",
                },
                allow_redirects=False,
                timeout=60,
            )
            ok = form.status_code == 200 and response.status_code == 302
        return kind, time.perf_counter() - t0, ok


def wait_up(base: str, seconds: float = 60) -> None:
    """Wait until the server answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def pct(values: list[float], p: int) -> float:
    """The p-th percentile."""
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main(argv: list[str] | None = None) -> int:
    """Start the recipe, time single requests, then the load; report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=4, help="concurrent sessions (one a worker)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args(argv)

    engine = make_engine(args.database)
    label = server_label(engine)
    with engine.connect() as conn:
        newsroom = conn.execute(
            sa.text(
                "SELECT newsroom_id FROM info_request GROUP BY newsroom_id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
        editors = list(
            conn.execute(
                sa.text(
                    "SELECT email FROM user_account WHERE newsroom_id = :n "
                    "AND role IN ('editor', 'admin') ORDER BY id"
                ),
                {"n": newsroom},
            ).scalars()
        )
        ids = list(
            conn.execute(
                sa.text("SELECT id FROM info_request WHERE newsroom_id = :n ORDER BY id"),
                {"n": newsroom},
            ).scalars()
        )
        total = conn.execute(sa.text("SELECT count(*) FROM info_request")).scalar_one()
    engine.dispose()
    ids = random.Random(8).sample(ids, min(5000, len(ids)))
    base = f"http://127.0.0.1:{args.port}"

    with tempfile.TemporaryDirectory() as instance:
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": args.database,
            "TRACKER_SECRET_KEY": "bench-load",
            "TRACKER_INSTANCE_PATH": instance,
            "TRACKER_LOG_LEVEL": "WARNING",
        }
        venv = Path(sys.executable).parent
        server = subprocess.Popen(
            [
                str(venv / "gunicorn"),
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{args.port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
        )
        scheduler = subprocess.Popen(
            [str(venv / "flask"), "--app", "tracker", "scheduler"], cwd=ROOT, env=env
        )
        try:
            wait_up(base)
            sessions = [
                Session(base, editors[i % len(editors)], args.password, ids, seed=i)
                for i in range(args.users)
            ]
            # Single requests, one at a time, the same mix.
            single: list[float] = []
            for i in range(120):
                _kind, seconds, ok = sessions[i % len(sessions)].step()
                assert ok, "a single request failed"
                single.append(seconds)
            single_median = statistics.median(single)

            times: list[tuple[str, float, bool]] = []
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds
            failures: list[str] = []

            def drive(session: Session) -> None:
                while time.monotonic() < stop:
                    try:
                        result = session.step()
                    except requests.RequestException as exc:
                        failures.append(type(exc).__name__)
                        result = ("exception", 0.0, False)
                    with lock:
                        times.append(result)

            threads = [threading.Thread(target=drive, args=(s,)) for s in sessions]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            scheduler_alive = scheduler.poll() is None
        finally:
            for process in (server, scheduler):
                process.send_signal(signal.SIGTERM)
            for process in (server, scheduler):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()

    latencies = [t for _k, t, ok in times if ok]
    errors = sum(1 for _k, _t, ok in times if not ok)
    by_kind: dict[str, list[float]] = {}
    for kind, seconds, ok in times:
        if ok:
            by_kind.setdefault(kind, []).append(seconds)
    p95 = pct(latencies, 95)
    ratio = p95 / single_median
    verdict = "PASS" if errors == 0 and ratio < TARGET else "FAIL"
    lines = [
        f"- date: {clock.today().isoformat()}; {machine()}",
        f"- recipe: gunicorn {args.workers} sync workers on 127.0.0.1 + one "
        f"`flask --app tracker scheduler` (still running at the end: {scheduler_alive}); "
        f"{label}; {total:,} requests in the database",
        f"- client: this script in its own process, {args.users} logged-in sessions (threads, "
        f"requests library) for {elapsed:.0f}s; mix: dashboard 25%, list 30% (filters, search, "
        "Next links), request page 35%, timeline note posted through the form 10% (GET + POST "
        "with the CSRF token)",
        f"- single-request median (same mix, one at a time, {len(single)} requests): "
        f"{single_median * 1000:.1f} ms",
        f"- under load: {len(times):,} actions, {len(times) / elapsed:.1f}/s; errors: {errors}"
        + (f" ({', '.join(sorted(set(failures)))})" if failures else ""),
        f"- latency ms: p50 {pct(latencies, 50) * 1000:.1f}, p90 {pct(latencies, 90) * 1000:.1f}, "
        f"p95 {p95 * 1000:.1f}, p99 {pct(latencies, 99) * 1000:.1f}, "
        f"max {max(latencies) * 1000:.1f}",
        "- per kind (median / p95 ms): "
        + "; ".join(
            f"{k} {statistics.median(v) * 1000:.0f} / {pct(v, 95) * 1000:.0f} (n={len(v)})"
            for k, v in sorted(by_kind.items())
            if len(v) > 1
        ),
        f"- p95 / single-request median: {ratio:.2f} (target < {TARGET:g}, no errors): {verdict}",
    ]
    print("\n".join(lines))
    if not args.no_results:
        write_section(
            SECTION,
            f"{label}, {total:,} requests",
            lines,
            intro=[
                "Run: `.venv/bin/python bench/load.py --database URL` (PostgreSQL filled by "
                "`bench/generate.py`; gunicorn from the `deploy` extra). Target: no errors, "
                "p95 under load < 5 x the single-request median.",
            ],
        )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
