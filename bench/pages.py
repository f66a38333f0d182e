"""Server time of the main pages against a bare route running only the same SQL.

Run (on a database filled by bench/generate.py):
    .venv/bin/python bench/pages.py --database sqlite:////tmp/bench.sqlite
    .venv/bin/python bench/pages.py --database postgresql://postgres@127.0.0.1:5432/bench_pages

The tracker runs in-process (Flask test client) and a real user of the largest newsroom logs
in through the login form. For each page -- the dashboard, the filtered list (first page, a
deep page reached through the pager's "Next" link, a deep page typed as ?page=N), search, the
request page, the scorecard -- one warm-up request records every SQL statement the page runs,
with its parameters. A bare route, served by the same app and client, replays exactly those
statements through the same engine and fetches every row, and nothing else: no ORM, no
template, no deadline engine. Page and bare route are timed alternately (at least --rounds of
each) so the machine's load touches both alike. Reported: median and 95th percentile of each,
and page/bare on the medians, as information. Target (issue 18): every page's p95 at most
30 ms (the scorecard views that compute figures are reported apart, and judged too). The
plans of the page's statements on info_request (EXPLAIN QUERY PLAN / EXPLAIN) are printed.
Figures go to the "## Pages" section of bench/RESULTS.md (one block per database and scale).

The pages that keep figures between views (tracker.requests.places: a page typed deep into
the list, past its end, the dashboard) are measured warm, as a reader paging through an
unchanged list sees them; each is measured again "cold" (everything kept is forgotten before
each request, untimed), as the first view after any change costs: reported as information,
not held to the target. Flatness: each page's median against its median at the other scale
(100,000 against 1,000,000 requests) in bench/RESULTS.md for the same database (target: at
most 1.5x at 1,000,000), when that block is there.

The scorecard is measured three times. "first view" deletes the stored scorecards before each
request (untimed), so the page computes them whole and stores them: its bare route replays that
SQL, the computation and the store. This is the view of a newsroom whose scorecard was never
stored (a new install before the scheduler's first run, a received range never viewed); the
scheduler keeps each newsroom's all-time scorecard stored for today and tomorrow, so the
default view of a day is normally a stored read. "repeat view" is served from the stored
snapshot: its bare route replays the two statements it runs (the user, the snapshot), so its
ratio is the cost of building the page over reading it. "view after a change to one request"
commits an edit to one request of the largest institution before each view (untimed), so the
page brings the stored scorecard up to date for that institution (tracker/scorecards/
incremental.py): the first view after any edit, until the scheduler's next run.
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.generate import DEFAULT_PASSWORD  # noqa: E402
from bench.results import machine, server_label, write_section  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.requests import places  # noqa: E402

SECTION = "## Pages"
P95_TARGET_MS = 30.0
FLAT_TARGET = 1.5
LIVE = "scorecard, first view (computed live)"  # computes the figures whole: reported apart
AFTER_CHANGE = "scorecard, view after a change to one request (brought up to date)"
COMPUTES = (LIVE, AFTER_CHANGE)  # views that compute figures: reported apart, still judged
COLD = "(cold: first view after a change)"  # nothing kept: information, not a page target
RESULTS = ROOT / "bench" / "RESULTS.md"
Statement = tuple[str, Any]


@dataclass
class Timing:
    """Times of one page and of its bare query, in seconds."""

    name: str
    url: str
    statements: int
    page: list[float]
    bare: list[float]

    @staticmethod
    def p95(values: list[float]) -> float:
        """The 95th percentile."""
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    @property
    def targeted(self) -> bool:
        """Held to the p95 target (not the scorecard's computations, not a cold view)."""
        return self.name not in COMPUTES and COLD not in self.name

    @property
    def ratio(self) -> float:
        """page/bare on the medians."""
        return statistics.median(self.page) / statistics.median(self.bare)

    def line(self) -> str:
        """One line of the report."""
        pm, bm = statistics.median(self.page), statistics.median(self.bare)
        verdict = "PASS" if self.p95(self.page) * 1000 <= P95_TARGET_MS else "FAIL"
        if not self.targeted:
            verdict += (
                " (computes; reported apart)" if self.name in COMPUTES else " (cold; information)"
            )
        return (
            f"| {self.name} | {self.statements} | {pm * 1000:.1f} | {self.p95(self.page) * 1000:.1f} "
            f"| {bm * 1000:.1f} | {self.p95(self.bare) * 1000:.1f} | {self.ratio:.2f} | {verdict} |"
        )


class Recorder:
    """Records the statements an app's engine runs while ``on`` is set."""

    def __init__(self, engine: sa.Engine) -> None:
        self.on = False
        self.statements: list[Statement] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if self.on:
            self.statements.append((statement, parameters))


def build_app(url: str, instance: str) -> tuple[Flask, dict[str, list[Statement]]]:
    """The tracker plus a bench-only route that replays a page's recorded statements."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
    replays: dict[str, list[Statement]] = {}
    engine: sa.Engine = app.extensions["engine"]

    @app.get("/_bench/bare/<name>")
    def bare(name: str) -> str:
        rows = 0
        with engine.connect() as conn:
            for statement, parameters in replays[name]:
                result = conn.exec_driver_sql(statement, parameters)
                if result.returns_rows:
                    rows += len(result.fetchall())
        return str(rows)

    return app, replays


def login(client: FlaskClient, email: str, password: str) -> None:
    """Log in through the form, with the CSRF token read from the page."""
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert token, "no CSRF token on the login page"
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, f"login failed ({response.status_code})"


def plans(engine: sa.Engine, statements: list[Statement]) -> list[str]:
    """The plans of the statements that read info_request."""
    out: list[str] = []
    pg = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        for statement, parameters in statements:
            if "info_request" not in statement or not statement.lstrip().upper().startswith(
                "SELECT"
            ):
                continue
            prefix = "EXPLAIN " if pg else "EXPLAIN QUERY PLAN "
            rows = conn.exec_driver_sql(prefix + statement, parameters).fetchall()
            out.append("    " + " ".join(statement.split())[:160] + " ...")
            if pg:
                out += [f"      {r[0]}" for r in rows]
            else:
                out += [f"      {'  ' * (r[1] // 4 if r[1] else 0)}{r[-1]}" for r in rows]
    return out


def measure(
    client: FlaskClient,
    recorder: Recorder,
    replays: dict[str, list[Statement]],
    name: str,
    url: str,
    rounds: int,
    budget: float,
    before: Callable[[], None] | None = None,
) -> Timing:
    """Record the page's statements, then time page and bare route alternately (``before``,
    when given, runs untimed before each request of the page)."""
    prepare = before or (lambda: None)
    prepare()
    assert client.get(url).status_code == 200, url  # warm caches
    prepare()
    recorder.statements = []
    recorder.on = True
    response = client.get(url)
    recorder.on = False
    assert response.status_code == 200, (url, response.status_code)
    key = re.sub(r"\W+", "-", name)
    replays[key] = list(recorder.statements)
    bare_url = f"/_bench/bare/{key}"
    assert client.get(bare_url).status_code == 200
    page_times: list[float] = []
    bare_times: list[float] = []
    clock_ = time.perf_counter
    started = clock_()
    while len(page_times) < rounds and (clock_() - started < budget or len(page_times) < 20):
        for target, times in ((url, page_times), (bare_url, bare_times)):
            if target == url:
                prepare()
            t0 = clock_()
            status = client.get(target).status_code
            times.append(clock_() - t0)
            assert status == 200, (target, status)
    return Timing(name, url, len(replays[key]), page_times, bare_times)


def shape(name: str) -> str:
    """A page's name without its numbers (a deep page's number grows with the scale)."""
    return re.sub(r"\d[\d,]*", "N", name)


def other_scale(label: str, requests: int) -> tuple[str, dict[str, float]]:
    """The medians (ms) of the other scale's block for this database in RESULTS.md: the
    100,000 block for a run at 1,000,000 and the other way round; empty when missing."""
    other = 100_000 if requests >= 500_000 else 1_000_000
    heading = f"### {label}, {other:,} requests"
    try:
        text = RESULTS.read_text(encoding="utf-8")
    except OSError:
        return heading, {}
    section = text.split(SECTION + "\n", 1)[-1].split("\n## ", 1)[0]
    if heading not in section:
        return heading, {}
    block = section.split(heading, 1)[1].split("\n### ", 1)[0]
    medians: dict[str, float] = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and line.startswith("| ") and not cells[0].startswith(("page", "-")):
            try:
                medians[shape(cells[0])] = float(cells[2])
            except ValueError:
                continue
    return heading, medians


def flatness(results: list[Timing], requests: int, medians: dict[str, float]) -> list[str]:
    """Each page's median at 1,000,000 over its median at 100,000 (this run's figures on the
    side of its own scale)."""
    big = requests >= 500_000
    rows = []
    for t in results:
        here = statistics.median(t.page) * 1000
        there = medians.get(shape(t.name))
        if there is None or not t.targeted:
            continue
        ratio = here / there if big else there / here
        verdict = "PASS" if ratio <= FLAT_TARGET else "FAIL"
        rows.append(f"| {t.name} | {there:.1f} | {here:.1f} | {ratio:.2f} | {verdict} |")
    return rows


def forget_places() -> None:
    """Forget the figures the list and the dashboard keep (a cold view), writing nothing."""
    places.forget_all()


def pick(engine: sa.Engine) -> dict[str, Any]:
    """The benchmark's user, a busy request, the busiest reporter and search terms from the
    largest newsroom."""
    with engine.connect() as conn:
        newsroom = conn.execute(
            sa.text(
                "SELECT newsroom_id FROM info_request GROUP BY newsroom_id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
        email = conn.execute(
            sa.text("SELECT email FROM user_account WHERE newsroom_id = :n ORDER BY id LIMIT 1"),
            {"n": newsroom},
        ).scalar_one()
        busy = conn.execute(
            sa.text(
                "SELECT e.request_id FROM timeline_event e JOIN info_request r "
                "ON r.id = e.request_id WHERE r.newsroom_id = :n AND r.id > "
                "(SELECT max(id) - 5000 FROM info_request) GROUP BY e.request_id "
                "ORDER BY count(*) DESC, e.request_id LIMIT 1"
            ),
            {"n": newsroom},
        ).scalar_one()
        owner = conn.execute(
            sa.text(
                "SELECT owner_id FROM info_request WHERE newsroom_id = :n GROUP BY owner_id "
                "ORDER BY count(*) DESC, owner_id LIMIT 1"
            ),
            {"n": newsroom},
        ).scalar_one()
        file_number = conn.execute(
            sa.text(
                "SELECT file_number FROM info_request WHERE newsroom_id = :n "
                "AND file_number IS NOT NULL ORDER BY id DESC LIMIT 1"
            ),
            {"n": newsroom},
        ).scalar_one()
        total = conn.execute(
            sa.text("SELECT count(*) FROM info_request WHERE newsroom_id = :n"), {"n": newsroom}
        ).scalar_one()
    return {
        "email": email,
        "request": busy,
        "owner": owner,
        "file_number": file_number,
        "total": total,
    }


def one_request_changed(app: Flask, engine: sa.Engine) -> Callable[[], None]:
    """Before each view of AFTER_CHANGE (untimed): one request of the largest newsroom's
    largest institution changed and committed through the tracker's session, as an edit on the web
    is (its title, toggled back and forth: the data ends as it began), so the view brings
    the stored scorecard up to date for that institution alone."""
    from tracker.core import db
    from tracker.core.models import InfoRequest

    with engine.connect() as conn:
        newsroom = conn.execute(
            sa.text(
                "SELECT newsroom_id FROM info_request GROUP BY newsroom_id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
        request_id = conn.execute(
            sa.text(
                "SELECT max(id) FROM info_request WHERE newsroom_id = :n AND institution_id = "
                "(SELECT institution_id FROM info_request WHERE newsroom_id = :n "
                "GROUP BY institution_id ORDER BY count(*) DESC, institution_id LIMIT 1)"
            ),
            {"n": newsroom},
        ).scalar_one()

    def change() -> None:
        with app.app_context(), db.transaction() as session:
            request = session.get(InfoRequest, request_id)
            assert request is not None
            title = request.title
            request.title = title[:-1] if title.endswith(" ") else title + " "

    return change


def next_link(client: FlaskClient, url: str) -> str:
    """The pager's "Next" link on a page."""
    html = client.get(url).get_data(as_text=True)
    found = re.search(r'<a href="([^"]+)" rel="next"', html)
    assert found, f"no next link on {url}"
    return found.group(1).replace("&amp;", "&")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, measure every page, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--rounds", type=int, default=200, help="requests of each page (>= 200)")
    parser.add_argument(
        "--budget", type=float, default=120.0, help="seconds per page before stopping early"
    )
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--only", default="", help="comma-separated page names to run")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as instance:
        app, replays = build_app(args.database, instance)
        engine: sa.Engine = app.extensions["engine"]
        recorder = Recorder(engine)
        chosen = pick(engine)
        label = server_label(engine)
        client = app.test_client()
        login(client, chosen["email"], args.password)
        deep = max(2, chosen["total"] // 25 // 2)
        pages: list[tuple[str, Callable[[], str]]] = [
            ("dashboard", lambda: "/"),
            ("list, first page (law filter)", lambda: "/requests/?law=ca-atia"),
            (
                f"list, deep page {deep:,} via Next link",
                lambda: next_link(client, f"/requests/?page={deep - 1}"),
            ),
            (f"list, deep page {deep:,} typed", lambda: f"/requests/?page={deep}"),
            ("list, past the end", lambda: "/requests/?page=999999&sort=received"),
            ("list, overdue by days late", lambda: "/requests/?overdue=1&sort=days_late"),
            ("list, every status by days late", lambda: "/requests/?sort=days_late"),
            (
                f"list, by days late, page {deep:,} via Next link",
                lambda: next_link(client, f"/requests/?sort=days_late&page={deep - 1}"),
            ),
            (
                f"list, by days late, page {deep:,} typed",
                lambda: f"/requests/?sort=days_late&page={deep}",
            ),
            ("list, one reporter's requests", lambda: f"/requests/?owner={chosen['owner']}"),
            ("list, by institution", lambda: "/requests/?sort=institution"),
            (
                f"list, by institution, page {deep:,} via Next link",
                lambda: next_link(client, f"/requests/?sort=institution&page={deep - 1}"),
            ),
            (f"list, deep page {deep:,} typed {COLD}", lambda: f"/requests/?page={deep}"),
            (
                f"list, past the end {COLD}",
                lambda: "/requests/?page=999999&sort=received",
            ),
            (
                f"list, by days late, page {deep:,} typed {COLD}",
                lambda: f"/requests/?sort=days_late&page={deep}",
            ),
            (f"dashboard {COLD}", lambda: "/"),
            ("search, common word", lambda: "/requests/?q=wildfire"),
            ("search, file number", lambda: f"/requests/?q={chosen['file_number']}"),
            ("search, punctuation only", lambda: "/requests/?q=%25%25__!!"),
            ("request page", lambda: f"/requests/{chosen['request']}"),
            ("scorecard, first view (computed live)", lambda: "/scorecards/"),
            ("scorecard, repeat view (stored)", lambda: "/scorecards/"),
            (AFTER_CHANGE, lambda: "/scorecards/"),
        ]

        def forget_scorecards() -> None:
            with engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM scorecard_snapshot"))

        change_one_request = one_request_changed(app, engine)
        before: dict[str, Callable[[], None]] = {
            LIVE: forget_scorecards,
            AFTER_CHANGE: change_one_request,
        }
        before |= {name: forget_places for name, _ in pages if COLD in name}
        only = {s.strip() for s in args.only.split(",") if s.strip()}
        results: list[Timing] = []
        plan_lines: list[str] = []
        with clock.frozen(clock.today()):
            for name, make_url in pages:
                if only and not any(o in name for o in only):
                    continue
                url = make_url()
                timing = measure(
                    client, recorder, replays, name, url, args.rounds, args.budget, before.get(name)
                )
                results.append(timing)
                print(timing.line(), f"n={len(timing.page)}", url, flush=True)
                key = re.sub(r"\W+", "-", name)
                plan_lines += [f"  {name}: {url}", *plans(engine, replays[key])]
        print("\nQuery plans:\n" + "\n".join(plan_lines))
        worst = max(t.ratio for t in results)
        worst_p95 = max((t.p95(t.page) * 1000 for t in results if t.targeted), default=0.0)
        computing = [t for t in results if t.name in COMPUTES]
        worst_computing = max((t.p95(t.page) * 1000 for t in computing), default=0.0)
        scale = chosen["total"]
        with engine.connect() as conn:
            all_requests = conn.execute(sa.text("SELECT count(*) FROM info_request")).scalar_one()
        engine.dispose()

    heading, medians = other_scale(label, all_requests)
    flat = flatness(results, all_requests, medians)
    worst_flat = max((float(r.split("|")[4]) for r in flat), default=None)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    lines = [
        f"- date: {clock.today().isoformat()}; {machine()}",
        f"- load average at the end of the run (1, 5, 15 min): {load}",
        f"- data: {all_requests:,} requests (bench/generate.py); the user's newsroom holds "
        f"{scale:,}; Flask test client in-process, logged in through the login form",
        f"- rounds: {min(len(t.page) for t in results)}-{max(len(t.page) for t in results)} "
        "of each page and of its bare route, alternating",
        "",
        "| page | SQL statements | page median ms | page p95 ms | bare median ms | bare p95 ms "
        "| page/bare (medians) | p95 <= 30 ms |",
        "|---|---|---|---|---|---|---|---|",
        *[t.line() for t in results],
        "",
        f"- worst page/bare ratio (information): {worst:.2f}",
        f"- worst p95 (the scorecard views that compute and the cold views apart): {worst_p95:.1f} ms "
        f"(target <= {P95_TARGET_MS:g} ms): " + ("PASS" if worst_p95 <= P95_TARGET_MS else "FAIL"),
        "",
    ]
    if computing:
        lines.append(
            f"- worst p95 of the scorecard views that compute (nothing stored, or brought up to "
            f"date after a change): {worst_computing:.1f} ms (target <= {P95_TARGET_MS:g} ms): "
            + ("PASS" if worst_computing <= P95_TARGET_MS else "FAIL")
        )
    if flat:
        lines += [
            f"Flatness: page medians at 1,000,000 over 100,000 requests (the other scale from "
            f'"{heading[4:]}" above, as recorded there)',
            "",
            "| page | median ms, other scale | median ms, this run | 1,000,000 / 100,000 "
            f"| <= {FLAT_TARGET:g}x |",
            "|---|---|---|---|---|",
            *flat,
            "",
            f"- worst flatness: {worst_flat:.2f} (target <= {FLAT_TARGET:g}): "
            + ("PASS" if worst_flat is not None and worst_flat <= FLAT_TARGET else "FAIL"),
        ]
    else:
        lines.append(f'- flatness: no "{heading[4:]}" block in bench/RESULTS.md to compare with')
    print("\n".join(lines))
    if not args.no_results and not only:
        write_section(
            SECTION,
            f"{label}, {all_requests:,} requests",
            lines,
            intro=[
                "Run: `.venv/bin/python bench/pages.py --database URL` on a database filled by "
                "`bench/generate.py`. Each page against a bare route replaying exactly the "
                "page's SQL statements in the same run, as information. Target (issue 18): every "
                "page's p95 <= 30 ms at 100,000 and 1,000,000 requests (the scorecard views "
                "that compute figures are reported apart, and judged too; so are the cold "
                "views: the first view after a change of a page that keeps figures under the "
                "list token), and each page's median at 1,000,000 at most 1.5x its median at "
                "100,000 (the flatness table of each 1,000,000 block). The query plans are in the "
                "command's output.",
            ],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
