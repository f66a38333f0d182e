"""The app factory, its settings, and its error pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import page
from tracker import create_app
from tracker.core.config import ConfigError, build_config

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_from_environment(tmp_path):
    config = build_config(environ={"TRACKER_INSTANCE_PATH": str(tmp_path)})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    assert config["TIMEZONE"] == "America/Toronto"
    assert config["ATTACHMENTS_DIR"] == str(tmp_path / "attachments")
    assert config["MAX_UPLOAD_MB"] == 50
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_every_setting_is_read_from_tracker_variables(tmp_path):
    config = build_config(
        environ={
            "TRACKER_INSTANCE_PATH": str(tmp_path),
            "TRACKER_DATABASE_URL": "sqlite:///x.db",
            "TRACKER_SECRET_KEY": "k",
            "TRACKER_TIMEZONE": "Europe/London",
            "TRACKER_ATTACHMENTS_DIR": str(tmp_path / "files"),
            "TRACKER_MAX_UPLOAD_MB": "5",
        }
    )
    assert (config["DATABASE_URL"], config["SECRET_KEY"], config["TIMEZONE"]) == (
        "sqlite:///x.db",
        "k",
        "Europe/London",
    )
    assert config["ATTACHMENTS_DIR"] == str(tmp_path / "files")
    assert config["MAX_UPLOAD_MB"] == 5


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = build_config(environ={"TRACKER_INSTANCE_PATH": str(tmp_path)})
    second = build_config(environ={"TRACKER_INSTANCE_PATH": str(tmp_path)})
    assert len(first["SECRET_KEY"]) >= 32
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_bad_timezone_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="TRACKER_TIMEZONE"):
        build_config(
            environ={"TRACKER_INSTANCE_PATH": str(tmp_path), "TRACKER_TIMEZONE": "Mars/Olympus"}
        )


def test_unknown_url_is_a_404_page_in_the_layout(client, auth, make_user):
    make_user()
    auth.login()
    response = client.get("/no/such/page")
    assert response.status_code == 404
    soup = page(response)
    assert soup.find("main") is not None
    assert "Not Found" in soup.find("h1").get_text()


def test_unexpected_error_is_a_500_page_without_traceback(app_config, caplog):
    app = create_app({**app_config, "TESTING": False, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text
    assert "Something went wrong" in text
    assert "secret internals" in caplog.text
    app.extensions["engine"].dispose()


def test_unreachable_database_is_one_line_naming_the_setting(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "tracker", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(error_lines) == 1
    assert "TRACKER_DATABASE_URL" in error_lines[0]


def test_wsgi_exposes_app_and_refuses_unreachable_database(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith(
        "tracker: cannot reach the database at TRACKER_DATABASE_URL="
    )
    ok = subprocess.run(
        [sys.executable, "-c", "import wsgi; print(wsgi.app.name)"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "TRACKER_INSTANCE_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "tracker"
