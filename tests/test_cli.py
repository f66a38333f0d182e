"""The create-user command."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.core import db
from tracker.core.models import Newsroom, User


def _users(app):
    with app.app_context():
        return (
            db.session()
            .execute(
                sa.select(User.email, User.role, User.name, Newsroom.name)
                .join(User.newsroom)
                .order_by(User.email)
            )
            .all()
        )


def test_create_user_creates_newsroom_and_account(app, runner, client, auth):
    result = runner.invoke(
        args=[
            "create-user",
            "Marie@LaPresse.ca",
            "--newsroom",
            "La Presse",
            "--name",
            "Marie",
            "--admin",
            "--password",
            "long enough pw",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created admin marie@lapresse.ca" in result.output
    assert _users(app) == [("marie@lapresse.ca", "admin", "Marie", "La Presse")]
    assert auth.login("marie@lapresse.ca", "long enough pw").status_code == 302


def test_create_user_prompts_for_password(app, runner):
    result = runner.invoke(
        args=["create-user", "a@b.org", "--newsroom", "N"], input="long enough pw\nlong enough pw\n"
    )
    assert result.exit_code == 0, result.output
    assert [row[1] for row in _users(app)] == ["reporter"]


def test_second_user_joins_existing_newsroom(app, runner):
    for email in ("a@b.org", "c@d.org"):
        runner.invoke(
            args=["create-user", email, "--newsroom", "N", "--password", "long enough pw"]
        )
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Newsroom)) == 1


def test_create_user_refuses_duplicates_and_weak_passwords(app, runner):
    ok = runner.invoke(
        args=["create-user", "a@b.org", "--newsroom", "N", "--password", "long enough pw"]
    )
    assert ok.exit_code == 0
    again = runner.invoke(
        args=["create-user", "A@b.org", "--newsroom", "N", "--password", "long enough pw"]
    )
    assert again.exit_code == 1
    assert "already exists" in again.output
    weak = runner.invoke(args=["create-user", "x@b.org", "--newsroom", "N", "--password", "short"])
    assert weak.exit_code == 1
    assert "at least 10 characters" in weak.output
    same = runner.invoke(
        args=[
            "create-user",
            "xlongemail@b.org",
            "--newsroom",
            "N",
            "--password",
            "xlongemail@b.org",
        ]
    )
    assert same.exit_code == 1
    assert len(_users(app)) == 1
