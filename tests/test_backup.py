"""Backup and restore: a restored tracker has every request, entry and file, identical."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import shutil
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
from tracker import create_app
from tracker.auth.service import NewUser, create_user
from tracker.core import clock, db
from tracker.core.db import Base, make_engine
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.operations import backup as backup_module
from tracker.requests import service


def _populate(app) -> None:
    with app.app_context(), clock.frozen(date(2024, 3, 20)):
        with db.transaction() as session:
            user = create_user(session, NewUser("r@example.org", "La Presse", "long enough pw"))
            rcmp = create_institution(
                session, user.newsroom_id, InstitutionData("GRC", "ca-atia", "QC")
            )
            request = service.create_request(
                session,
                user,
                service.RequestData(
                    institution_id=rcmp.id,
                    title="Clearview — reconnaissance faciale",
                    received_on=date(2024, 2, 1),
                ),
                date(2024, 3, 20),
            )
            service.add_event(
                session,
                user,
                request,
                service.EventData(
                    "acknowledgement",
                    date(2024, 2, 5),
                    "Accusé de réception",
                    uploads=(
                        service.Upload(
                            "lettre.pdf", "application/pdf", io.BytesIO(b"%PDF-1.4 lettre")
                        ),
                    ),
                ),
                date(2024, 3, 20),
                LocalStorage(app.config["ATTACHMENTS_DIR"]),
                10_000_000,
            )


def _snapshot(app) -> dict[str, list[tuple]]:
    with app.extensions["engine"].connect() as conn:
        return {
            t.name: sorted(tuple(map(str, row)) for row in conn.execute(sa.select(t)))
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def empty_target(app_config, tmp_path):
    """A second tracker with an empty database and attachments folder."""
    config = {
        **app_config,
        "INSTANCE_PATH": str(tmp_path / "restored"),
        "ATTACHMENTS_DIR": str(tmp_path / "restored" / "files"),
    }
    created_db = None
    if PG_URL:
        created_db = f"restore_{secrets.token_hex(4)}"
        admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{created_db}"'))
        # The same schema name in a new database: pg_restore creates the schema itself.
        config["DATABASE_URL"] = (
            make_url(app_config["DATABASE_URL"])
            .set(database=created_db)
            .render_as_string(hide_password=False)
        )
    else:
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    target = create_app(config)
    yield target
    target.extensions["engine"].dispose()
    if created_db:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE "{created_db}" WITH (FORCE)'))
        admin.dispose()


def test_backup_then_restore_into_an_empty_place(app, runner, empty_target, tmp_path):
    _populate(app)
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "backed up 1 requests, 1 files" in result.output

    restored = empty_target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    assert _snapshot(empty_target) == _snapshot(app)
    original = LocalStorage(app.config["ATTACHMENTS_DIR"])
    copy = LocalStorage(empty_target.config["ATTACHMENTS_DIR"])
    with app.app_context():
        sha = db.session().scalar(sa.text("SELECT sha256 FROM attachment"))
    assert (
        copy.path_for(sha).read_bytes() == original.path_for(sha).read_bytes() == b"%PDF-1.4 lettre"
    )


def test_restore_refuses_a_database_that_is_not_empty(app, runner, tmp_path):
    _populate(app)
    runner.invoke(args=["backup", str(tmp_path / "backup")])
    again = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert again.exit_code == 1
    assert "not empty" in again.output


def test_backup_refuses_a_folder_that_is_not_empty(app, runner, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = runner.invoke(args=["backup", str(tmp_path / "full")])
    assert result.exit_code == 1 and "not empty" in result.output


def test_restore_refuses_a_tampered_file(app, runner, empty_target, tmp_path):
    _populate(app)
    runner.invoke(args=["backup", str(tmp_path / "backup")])
    stored = next(p for p in (tmp_path / "backup" / "attachments").rglob("*") if p.is_file())
    stored.write_bytes(b"altered")
    result = empty_target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "does not match its hash" in result.output


NOTES = 100


def _rows(app) -> dict[str, list[dict]]:
    with app.extensions["engine"].connect() as conn:
        return {
            t.name: sorted(
                (
                    {k: str(v) for k, v in row._mapping.items()}
                    for row in conn.execute(sa.select(t))
                ),
                key=lambda r: sorted(r.items()),
            )
            for t in Base.metadata.sorted_tables
        }


def test_backup_while_a_client_writes_restores_one_consistent_moment(
    app, runner, empty_target, tmp_path, monkeypatch
):
    _populate(app)
    written = threading.Semaphore(0)
    errors: list[BaseException] = []

    def write_notes() -> None:
        """A reporter adding 100 notes, each with a file, one transaction each."""
        try:
            with app.app_context(), clock.frozen(date(2024, 3, 20)):
                session = db.session()
                for n in range(NOTES):
                    with db.transaction() as tx:
                        user = tx.scalar(sa.select(service.User))
                        request = service.load_request(tx, 1)
                        service.add_event(
                            tx,
                            user,
                            request,
                            service.EventData(
                                "note",
                                date(2024, 3, 1),
                                f"Note {n}",
                                uploads=(
                                    service.Upload(
                                        f"note-{n}.txt", "text/plain", io.BytesIO(b"note %d" % n)
                                    ),
                                ),
                            ),
                            date(2024, 3, 20),
                            LocalStorage(app.config["ATTACHMENTS_DIR"]),
                            10_000,
                        )
                    session.expunge_all()
                    written.release()
        except BaseException as exc:  # pragma: no cover - reported by the test
            errors.append(exc)

    real_copy = shutil.copy2
    copying = threading.Event()

    def copy_while_notes_are_written(source, destination):
        # The backup copies files after reading the database: let the client write more
        # meanwhile, as it would on a busy server.
        if not copying.is_set():
            copying.set()
            for _ in range(10):
                assert written.acquire(timeout=60)
        return real_copy(source, destination)

    monkeypatch.setattr(backup_module.shutil, "copy2", copy_while_notes_are_written)
    writer = threading.Thread(target=write_notes)
    writer.start()
    for _ in range(10):
        assert written.acquire(timeout=60)
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    writer.join(120)
    monkeypatch.undo()
    assert errors == [] and result.exit_code == 0, result.output

    restored = empty_target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    after, now = _rows(empty_target), _rows(app)
    notes = [r for r in after["timeline_event"] if r["kind"] == "note"]
    assert 10 <= len(notes) < NOTES  # a moment in the middle of the writing
    # The moment itself: every row of the source up to the last note the backup holds.
    last = max(int(r["id"]) for r in after["timeline_event"])
    last_file = max(int(r["id"]) for r in after["attachment"])
    kept = {
        "timeline_event": lambda r: int(r["id"]) <= last,
        "attachment": lambda r: int(r["event_id"]) <= last,
        # The files queued for reading and the notes copied for search (issue 23) go with them.
        "record_file": lambda r: int(r["attachment_id"]) <= last_file,
        "record_text": lambda r: r["event_id"] == "None" or int(r["event_id"]) <= last,
    }
    # Each note raised the newsroom's data revision: the restored one is the snapshot's.
    (revision,) = after.pop("data_revision")
    (current,) = now.pop("data_revision")
    assert int(revision["revision"]) == int(current["revision"]) - (NOTES - len(notes))
    # What each revision touched is recorded with it (scorecard_change): up to the snapshot's.
    kept["scorecard_change"] = lambda r: int(r["revision"]) <= int(revision["revision"])
    for table, rows in now.items():
        keep = kept.get(table, lambda r: True)
        assert after[table] == [r for r in rows if keep(r)], table
    copy = LocalStorage(empty_target.config["ATTACHMENTS_DIR"])
    original = LocalStorage(app.config["ATTACHMENTS_DIR"])
    for row in after["attachment"]:
        assert copy.path_for(row["sha256"]).read_bytes() == (
            original.path_for(row["sha256"]).read_bytes()
        )
        assert (
            hashlib.sha256(copy.path_for(row["sha256"]).read_bytes()).hexdigest() == (row["sha256"])
        )


def test_backup_and_restore_report_progress_and_list_files_outside_the_manifest(
    app, runner, empty_target, tmp_path
):
    _populate(app)
    result = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "database: 1/1" in result.stderr and "files: 1/1" in result.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert (manifest["file_count"], manifest["missing_count"]) == (1, 0)
    (line,) = (tmp_path / "backup" / "files.txt").read_text().splitlines()
    sha, copy_hash = line.split(" ")
    assert sha == copy_hash  # content-addressed: the copy's hash is its name
    assert not (tmp_path / "backup" / ".hashes").exists()
    restored = empty_target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    assert "checking files: 1/1" in restored.stderr and "files: 1/1" in restored.stderr


def test_a_missing_file_is_counted_and_named(app, runner, tmp_path):
    _populate(app)
    with app.app_context():
        sha = db.session().scalar(sa.text("SELECT sha256 FROM attachment"))
    LocalStorage(app.config["ATTACHMENTS_DIR"]).path_for(sha).unlink()
    result = runner.invoke(args=["backup", "--quiet", str(tmp_path / "backup")])
    assert result.exit_code == 0 and "backed up 1 requests, 0 files" in result.output
    assert f"1 files were already missing: {sha}" in result.stderr


def test_restore_speaks_the_newsrooms_language(app, runner, empty_target, tmp_path):
    """TRACKER_DEFAULT_LOCALE=fr: the restore's summary, progress and refusals in French."""
    _populate(app)
    runner.invoke(args=["backup", str(tmp_path / "backup")])
    empty_target.config["DEFAULT_LOCALE"] = "fr"
    french = empty_target.test_cli_runner()
    restored = french.invoke(args=["restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    assert "restauration : 1 demandes et 1 fichiers depuis" in restored.output.replace("\xa0", " ")
    assert "vérification des fichiers\xa0: 1/1" in restored.stderr
    assert "base de données\xa0: 1/1" in restored.stderr
    again = french.invoke(args=["restore", str(tmp_path / "backup")])
    assert again.exit_code == 1
    assert "la base de données cible n’est pas vide" in again.output
