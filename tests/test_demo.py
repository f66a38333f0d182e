"""The demo command and the deadline command, as a newcomer runs them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.conftest import AuthActions, page
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution, TimelineEvent, User

NEW_PASSWORD = "Quartz-lantern-meadow-42"


def test_demo_creates_login_and_requests_once(app, runner):
    with clock.frozen(date(2026, 11, 22)):
        first = runner.invoke(args=["demo"])
        second = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    lines = first.output.splitlines()
    login, email, _password = lines[0].split(" ")
    assert (login, email) == ("login:", "demo@example.org")
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) >= 6 and all(len(r) == 3 and r[0].isdigit() for r in rows)
    assert rows[0][1:] == [
        "Royal Canadian Mounted Police",
        "La Presse: RCMP use of Clearview AI facial recognition",
    ]
    assert second.output.splitlines()[1:] == lines[1:]
    with app.app_context():
        session = db.session()
        count = lambda model: session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        assert count(InfoRequest) == len(rows)
        assert count(User) == 1
        assert count(Institution) == 5
        laws = set(session.scalars(sa.select(InfoRequest.law_code)))
        assert {"ca-atia", "ca-qc-access", "us-foia", "uk-foia"} <= laws
        seed = session.get(InfoRequest, int(rows[0][0]))
        assert (seed.received_on, seed.due_on, seed.responded_on, seed.status) == (
            date(2020, 2, 10),
            date(2020, 3, 11),
            date(2022, 4, 15),
            "closed",
        )
        kinds = session.scalars(
            sa.select(TimelineEvent.kind).where(TimelineEvent.request_id == seed.id)
        ).all()
        assert "complaint_finding" in kinds


def test_demo_login_works_and_seed_case_reads_765_days_late(app, runner):
    with clock.frozen(date(2026, 11, 22)):
        lines = runner.invoke(args=["demo"]).output.splitlines()
        _, email, password = lines[0].split(" ")
        client = app.test_client()
        auth = AuthActions(client)
        assert auth.login(email, password).status_code == 302
        # The printed password is temporary: every page asks for a new one first.
        assert client.get("/").headers["Location"] == "/account/password"
        changed = auth.post(
            "/account/password",
            {"current": password, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert changed.headers["Location"] == "/"
        dashboard = page(client.get("/"))
        assert int(dashboard.select_one(".count-late .n").get_text()) >= 1
        assert int(dashboard.select_one(".count-soon .n").get_text()) >= 1
        seed = page(client.get(f"/requests/{lines[1].split(chr(9))[0]}"))
        assert "765 calendar days late" in seed.select_one("#lateness").get_text()
        assert seed.select_one("#refusal-window").get_text() == "2020-05-11 (Mon)"
        warnings = [
            w.get_text()
            for w in page(client.get(f"/requests/{lines[4].split(chr(9))[0]}")).select(".warning")
        ]
        assert any("ATIA s.9(1)" in w and "ATIA s.9(2)" in w for w in warnings)


def test_deadline_command_through_flask(runner):
    result = runner.invoke(args=["deadline", "ca-atia", "2020-02-10"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "2020-03-11"
    assert "s.7" in result.output
    bad = runner.invoke(args=["deadline", "xx-law", "2020-02-10"])
    assert bad.exit_code == 2
    assert "ca-atia" in bad.output


def test_demo_loads_into_a_named_newsroom(app, runner, make_user):
    make_user("reporter@example.org", newsroom="The Star", role="reporter")
    make_user("boss@example.org", newsroom="The Star", role="admin")
    with clock.frozen(date(2026, 11, 22)):
        first = runner.invoke(args=["demo", "--newsroom", "The Star"])
        again = runner.invoke(args=["demo", "--newsroom", "The Star"])
        missing = runner.invoke(args=["demo", "--newsroom", "Nowhere"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[0] == "newsroom: The Star owner: boss@example.org"
    assert again.output == first.output
    assert missing.exit_code == 1 and "no newsroom named Nowhere" in missing.output
    with app.app_context():
        session = db.session()
        owners = set(
            session.scalars(
                sa.select(User.email).join(InfoRequest, InfoRequest.owner_id == User.id)
            )
        )
        assert owners == {"boss@example.org"}
        assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_a_temporary_password_is_changed_before_anything_else(app, runner):
    made = runner.invoke(
        args=["create-user", "new@example.org", "--newsroom", "The Star", "--temporary"]
    )
    assert made.exit_code == 0, made.output
    temporary = made.output.splitlines()[-1].rsplit(" ", 1)[1]
    client = app.test_client()
    auth = AuthActions(client)
    assert auth.login("new@example.org", temporary).headers["Location"] == "/"
    for path in ("/", "/requests/", "/settings/tokens"):
        assert client.get(path).headers["Location"] == "/account/password"
    notice = page(client.get("/account/password")).select_one("#temporary-password")
    assert "temporary password" in notice.get_text()
    same = page(
        auth.post(
            "/account/password", {"current": temporary, "new": temporary, "confirm": temporary}
        )
    )
    assert "not the one you have now" in same.select_one("#new-error").get_text()
    auth.post(
        "/account/password",
        {"current": temporary, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert client.get("/").status_code == 200
    with app.app_context():
        user = db.session().scalar(sa.select(User).where(User.email == "new@example.org"))
        assert user.must_change_password is False
