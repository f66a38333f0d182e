"""Stored dates carry the fingerprint of the rules that computed them (issue 15, part 6).

The fingerprint changes with any file under tracker/deadlines and with the holidays version,
and with nothing else; `recompute-deadlines` (also run by `db upgrade` and at the scheduler's
start) recomputes the requests stored under another one and says what moved; the request page
never shows a stored date beside an explanation that disagrees with it.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path

import pytest
import sqlalchemy as sa
from alerts_helpers import add_institution, add_request
from api_helpers import bearer, token

from tests.conftest import AuthActions, page
from tracker import deadlines
from tracker.core import clock, db
from tracker.core.display import format_date
from tracker.core.models import InfoRequest, Institution, TimelineEvent
from tracker.deadlines import fingerprint
from tracker.requests import service
from tracker.requests.recompute import recompute_stale

TODAY = date(2024, 3, 20)
OLD = "0123456789abcdef"  # a fingerprint no rules have


# --- the fingerprint ------------------------------------------------------------------------


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of tracker/deadlines to change (the real package is never edited)."""
    target = tmp_path / "deadlines"
    shutil.copytree(fingerprint.PACKAGE_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_fingerprint_is_short_hex_computed_once_and_reads_the_package(monkeypatch):
    value = deadlines.rules_fingerprint()
    assert len(value) == 16 and int(value, 16) >= 0
    assert deadlines.rules_fingerprint() is value  # cached for the process
    assert value == fingerprint.compute_fingerprint(
        fingerprint.PACKAGE_DIR, metadata.version("holidays")
    )
    names = [name for name, _ in fingerprint.rule_files(fingerprint.PACKAGE_DIR)]
    assert names == sorted(names)
    assert {"laws.py", "calendars.py", "engine.py"} <= set(names)
    assert "fingerprint.py" not in names
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def test_the_fingerprint_is_stable_when_nothing_that_counts_changes(rules_copy):
    version = metadata.version("holidays")
    original = fingerprint.compute_fingerprint(rules_copy, version)
    # Same files elsewhere: the same rules.
    assert original == fingerprint.compute_fingerprint(fingerprint.PACKAGE_DIR, version)
    assert original == fingerprint.compute_fingerprint(rules_copy, version)
    (rules_copy / "__pycache__").mkdir(exist_ok=True)
    (rules_copy / "__pycache__" / "laws.cpython-311.pyc").write_bytes(b"\x00compiled")
    (rules_copy / "engine.pyc").write_bytes(b"\x00compiled")
    (rules_copy / ".laws.py.swp").write_bytes(b"editor")
    (rules_copy / "fingerprint.py").write_text("# the fingerprint's own code does not count\n")
    assert fingerprint.compute_fingerprint(rules_copy, version) == original


@pytest.mark.parametrize(
    "change",
    [
        "edit a law",
        "add a holiday table",
        "edit a table in a subfolder",
        "rename a module",
        "remove a module",
    ],
)
def test_the_fingerprint_changes_with_any_rule_or_data_file(rules_copy, change):
    version = metadata.version("holidays")
    table = rules_copy / "data" / "non_working_days.csv"  # the package's frozen holiday table
    table.parent.mkdir(exist_ok=True)
    table.write_text("date,rule\n2022-09-19,mourning\n")
    before = fingerprint.compute_fingerprint(rules_copy, version)
    laws = rules_copy / "laws.py"
    if change == "edit a law":
        laws.write_bytes(laws.read_bytes() + b"\n")
    elif change == "add a holiday table":
        (rules_copy / "holidays_2015_2035.csv").write_text("date,jurisdiction\n")
    elif change == "edit a table in a subfolder":
        table.write_text("date,rule\n")
    elif change == "rename a module":
        laws.rename(rules_copy / "statutes.py")
    else:
        laws.unlink()
    assert fingerprint.compute_fingerprint(rules_copy, version) != before


def test_the_fingerprint_changes_with_the_holidays_version(rules_copy):
    assert fingerprint.compute_fingerprint(rules_copy, "0.60") != (
        fingerprint.compute_fingerprint(rules_copy, "0.61")
    )


def test_rules_fingerprint_reads_the_package_folder_it_is_given(monkeypatch, rules_copy):
    real = deadlines.rules_fingerprint()
    (rules_copy / "laws.py").write_text("# other rules\n", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "PACKAGE_DIR", rules_copy)
    fingerprint.rules_fingerprint.cache_clear()
    try:
        assert deadlines.rules_fingerprint() != real
    finally:
        monkeypatch.undo()
        fingerprint.rules_fingerprint.cache_clear()
    assert deadlines.rules_fingerprint() == real


# --- requests made wrong on purpose ---------------------------------------------------------


def _row(app, request_id: int) -> sa.Row:
    with app.app_context():
        return (
            db.session()
            .execute(
                sa.select(
                    InfoRequest.status,
                    InfoRequest.due_on,
                    InfoRequest.complaint_due_on,
                    InfoRequest.rules_fingerprint,
                    InfoRequest.updated_at,
                ).where(InfoRequest.id == request_id)
            )
            .one()
        )


def _spoil(app, request_id: int, **values) -> None:
    """Write stored columns directly, as rules other than the current ones would have."""
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(InfoRequest).where(InfoRequest.id == request_id).values(**values))


@pytest.fixture
def stale(app, make_user):
    """Three requests as the current rules store them, then stored under other rules: one
    with a wrong due date and complaint window, one with a wrong window and no fingerprint,
    one with right dates and an old fingerprint; and the right values of each."""
    owner = make_user("reporter@example.org", name="Marie Reporter").id
    cbsa = add_institution(app, owner, "CBSA")
    with clock.frozen(TODAY):
        wrong_due = add_request(app, owner, cbsa, "Due date moved", date(2024, 4, 2))
        wrong_window = add_request(
            app, owner, cbsa, "Window moved", date(2024, 3, 4), response_on=date(2024, 3, 1)
        )
        right = add_request(app, owner, cbsa, "Nothing moved", date(2024, 4, 15))
    rows = {rid: _row(app, rid) for rid in (wrong_due, wrong_window, right)}
    for found in rows.values():
        assert found.rules_fingerprint == deadlines.rules_fingerprint()
    _spoil(
        app,
        wrong_due,
        due_on=rows[wrong_due].due_on - timedelta(days=3),
        complaint_due_on=rows[wrong_due].complaint_due_on + timedelta(days=5),
        rules_fingerprint=OLD,
    )
    _spoil(
        app,
        wrong_window,
        complaint_due_on=rows[wrong_window].complaint_due_on - timedelta(days=1),
        rules_fingerprint=None,
    )
    _spoil(app, right, rules_fingerprint=OLD)
    return {"wrong_due": wrong_due, "wrong_window": wrong_window, "right": right, "rows": rows}


def test_the_service_stores_the_current_fingerprint_with_the_dates(app, stale):
    rid = stale["wrong_due"]
    with clock.frozen(TODAY), app.app_context(), db.transaction() as session:
        request = service.load_request(session, rid)
        owner = request.owner
        service.add_event(
            session,
            owner,
            request,
            service.EventData(kind="note", occurred_on=TODAY, note="called them"),
            TODAY,
            storage=None,  # type: ignore[arg-type]  # no files
            max_bytes=0,
        )
    found = _row(app, rid)
    assert found.rules_fingerprint == deadlines.rules_fingerprint()
    assert found.due_on == stale["rows"][rid].due_on


def test_dry_run_prints_what_would_move_and_writes_nothing(app, runner, stale):
    before = {rid: _row(app, rid) for rid in stale["rows"]}
    with clock.frozen(TODAY):
        result = runner.invoke(args=["recompute-deadlines", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    right_due = stale["rows"][stale["wrong_due"]].due_on
    moved = [line for line in lines if line.startswith("request ")]
    assert moved[0].startswith(
        f"request {stale['wrong_due']}\tdue_on\t{right_due - timedelta(days=3)} -> {right_due}\t"
    )
    assert len(moved) == 3  # due date and window of the first, window of the second
    assert lines[-1].startswith("3 request(s) computed under other rules; 2 would be moved")
    assert "dry run: nothing written" in lines[-1]
    assert {rid: _row(app, rid) for rid in stale["rows"]} == before


def test_recompute_stores_the_right_dates_says_why_and_a_second_run_moves_nothing(
    app, runner, stale
):
    rows = stale["rows"]
    kept_updated_at = _row(app, stale["right"]).updated_at
    with clock.frozen(TODAY):
        result = runner.invoke(args=["recompute-deadlines"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    due, window = rows[stale["wrong_due"]], rows[stale["wrong_window"]]
    expected = [
        (stale["wrong_due"], "due_on", due.due_on - timedelta(days=3), due.due_on),
        (
            stale["wrong_due"],
            "complaint_due_on",
            due.complaint_due_on + timedelta(days=5),
            due.complaint_due_on,
        ),
        (
            stale["wrong_window"],
            "complaint_due_on",
            window.complaint_due_on - timedelta(days=1),
            window.complaint_due_on,
        ),
    ]
    moved = [line.split("\t") for line in lines if line.startswith("request ")]
    assert [(m[0], m[1], m[2]) for m in moved] == [
        (f"request {rid}", name, f"{old} -> {new}") for rid, name, old, new in expected
    ]
    # Why: the explanation's count under the current rules, and the window's section.
    assert moved[0][3].startswith("current rules: Counting 30 calendar days")
    assert due.due_on.isoformat() in moved[0][3]
    assert "ATIA s.31" in moved[1][3] and "deemed refusal" in moved[1][3]
    assert "from the response (2024-03-01)" in moved[2][3]
    assert lines[-1].startswith("3 request(s) computed under other rules; 2 were moved")
    assert "1 unchanged" in lines[-1]
    for rid, was in rows.items():
        now = _row(app, rid)
        assert (now.status, now.due_on, now.complaint_due_on) == (
            was.status,
            was.due_on,
            was.complaint_due_on,
        )
        assert now.rules_fingerprint == deadlines.rules_fingerprint()
    # Nothing of the third request changed but its fingerprint: its updated_at stays.
    assert _row(app, stale["right"]).updated_at == kept_updated_at

    with clock.frozen(TODAY):
        again = runner.invoke(args=["recompute-deadlines"])
    assert again.exit_code == 0, again.output
    assert again.output.splitlines() == [
        f"0 request(s) computed under other rules; 0 were moved (0 date(s) or status(es) "
        f"changed), 0 unchanged; rules {deadlines.rules_fingerprint()}"
    ]


def test_recompute_walks_in_batches_and_reports_each_move(app, stale):
    moves = []
    batches = []
    with clock.frozen(TODAY), app.app_context():
        summary = recompute_stale(
            db.session(),
            app.config["TIMEZONE"],
            batch_size=1,
            report=moves.append,
            after_batch=lambda: batches.append(1),
        )
    assert (summary.checked, summary.moved_requests, summary.moves) == (3, 2, 3)
    assert len(batches) == 3
    assert [(m.request_id, m.field) for m in moves] == [
        (stale["wrong_due"], "due_on"),
        (stale["wrong_due"], "complaint_due_on"),
        (stale["wrong_window"], "complaint_due_on"),
    ]
    for rid in stale["rows"]:
        assert _row(app, rid).rules_fingerprint == deadlines.rules_fingerprint()


def test_a_request_the_engine_refuses_is_reported_and_left_for_later(app, runner, stale):
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(Institution).values(province="ZZ"))
    with clock.frozen(TODAY):
        result = runner.invoke(args=["recompute-deadlines"])
    assert result.exit_code == 0, result.output
    assert f"request {stale['wrong_due']}\tnot recomputed: unknown province 'ZZ'" in result.output
    assert "3 failed (left as they were)" in result.output.splitlines()[-1]
    assert _row(app, stale["wrong_due"]).rules_fingerprint == OLD


def test_a_request_that_became_overdue_is_left_to_the_sweep(app, runner, stale):
    rid = stale["right"]
    due = stale["rows"][rid].due_on
    with clock.frozen(due + timedelta(days=3)):
        result = runner.invoke(args=["recompute-deadlines"])
        assert result.exit_code == 0, result.output
        assert _row(app, rid).status == "awaiting"
        swept = runner.invoke(args=["sweep"])
        assert swept.exit_code == 0, swept.output
    assert _row(app, rid).status == "overdue"
    with app.app_context():
        kinds = db.session().scalars(
            sa.select(TimelineEvent.kind).where(TimelineEvent.request_id == rid)
        )
        assert "deemed_refusal" in list(kinds)


def test_db_upgrade_recomputes_after_migrating(app, runner, stale):
    with clock.frozen(TODAY):
        result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "database at head"
    assert any(line.startswith(f"request {stale['wrong_due']}\tdue_on\t") for line in lines)
    assert lines[-1].startswith("3 request(s) computed under other rules; 2 were moved")
    wrong_due = stale["wrong_due"]
    assert _row(app, wrong_due).due_on == stale["rows"][wrong_due].due_on


# --- pages ----------------------------------------------------------------------------------


def test_the_request_page_never_shows_a_stale_date_beside_a_fresh_explanation(app, client, stale):
    AuthActions(client).login()
    rid = stale["wrong_due"]
    right = stale["rows"][rid]
    with clock.frozen(TODAY):
        soup = page(client.get(f"/requests/{rid}"))
    assert soup.select_one("#due-date").get_text(strip=True) == format_date(right.due_on)
    explanation = soup.select_one("details.explanation").get_text(" ", strip=True)
    assert f"Due {right.due_on.strftime('%A')} {right.due_on.isoformat()}" in explanation
    notice = soup.select_one("#rules-changed").get_text(" ", strip=True)
    assert "The deadline rules changed" in notice
    assert f"Due date: {format_date(right.due_on - timedelta(days=3))} → " in notice
    assert format_date(right.due_on) in notice
    assert format_date(right.complaint_due_on + timedelta(days=5)) in notice
    window = soup.select_one("#complaint-window").get_text(" ", strip=True)
    assert right.complaint_due_on.isoformat() in window
    # Under the current fingerprint there is nothing to say.
    with clock.frozen(TODAY):
        current = page(client.get(f"/requests/{stale['right']}"))
    assert current.select_one("#rules-changed") is None


def test_the_api_gives_the_dates_the_explanation_gives(app, client, stale):
    secret = token(app, "reporter@example.org")
    rid = stale["wrong_due"]
    right = stale["rows"][rid]
    with clock.frozen(TODAY):
        body = client.get(f"/api/v1/requests/{rid}", headers=bearer(secret)).get_json()
    assert body["due_on"] == body["deadline"]["due_on"] == right.due_on.isoformat()
    assert body["complaint_due_on"] == right.complaint_due_on.isoformat()


def test_recompute_restores_the_stored_days_late(app, runner, stale):
    """The list's "days late" figure of a stopped clock (answered on time: 0) is recomputed
    with the dates, like them."""
    answered = stale["wrong_window"]
    _spoil(app, answered, days_late_stopped=7)
    with clock.frozen(TODAY):
        result = runner.invoke(args=["recompute-deadlines"])
    assert result.exit_code == 0, result.output
    assert f"request {answered}\tdays_late_stopped\t7 -> 0" in result.output
    with app.app_context():
        stored = db.session().scalar(
            sa.select(InfoRequest.days_late_stopped).where(InfoRequest.id == answered)
        )
    assert stored == 0


@pytest.mark.parametrize(("threshold", "analyzed"), [(3, True), (4, False)])
def test_a_recompute_that_rewrites_many_requests_refreshes_the_planner_statistics(
    app, stale, monkeypatch, threshold, analyzed
):
    """Every request a run checks is written again; from ANALYZE_AFTER of them on, the
    table's statistics are refreshed (the planner's choices depend on them)."""
    from tracker.requests import recompute

    monkeypatch.setattr(recompute, "ANALYZE_AFTER", threshold)
    statements: list[str] = []
    engine = app.extensions["engine"]

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with clock.frozen(TODAY), app.app_context():
            summary = recompute_stale(db.session(), app.config["TIMEZONE"])
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert summary.checked == 3
    assert ("ANALYZE info_request" in statements) is analyzed
    with clock.frozen(TODAY), app.app_context():
        dry = recompute_stale(db.session(), app.config["TIMEZONE"], dry_run=True)
    assert dry.checked == 0
