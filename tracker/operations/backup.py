"""`flask --app tracker backup PATH` and `restore PATH`: the database and every original file.

A backup is a folder: ``database.sqlite`` (SQLite's online backup API, consistent while the
tracker runs) or ``database.pgdump`` (``pg_dump --format=custom``), ``attachments/`` (the
content-addressed files), and ``manifest.json`` (row counts and each file's SHA-256).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from tracker import __version__
from tracker.core.context import current_flask_app
from tracker.core.db import Base, trigram_schema, unaccent_schema
from tracker.core.models import Attachment
from tracker.files.storage import LocalStorage
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _, format_decimal
from tracker.records import ddl as records_ddl


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _row_counts(conn: sa.Connection) -> dict[str, int]:
    return {
        t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) or 0
        for t in Base.metadata.sorted_tables
    }


def _live_counts(app: Flask) -> dict[str, int]:
    with app.extensions["engine"].connect() as conn:
        return _row_counts(conn)


# Hashes read from the database, and files listed, this many at a time (flat memory).
BATCH = 5000
FILES_LIST = "files.txt"
MISSING_SHOWN = 100  # missing files named in the manifest (all are counted)
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _contents(conn: sa.Connection, listing: Path) -> tuple[dict[str, int], int]:
    """The row counts as this connection sees the database, and its attachments' distinct
    hashes written to ``listing`` one a line in order (read BATCH at a time, never all in
    memory); the number of hashes."""
    n = 0
    hashes = conn.execution_options(yield_per=BATCH).scalars(
        sa.select(Attachment.sha256).distinct().order_by(Attachment.sha256)
    )
    with listing.open("w", encoding="ascii") as out:
        for sha in hashes:
            out.write(sha + "\n")
            n += 1
    return _row_counts(conn), n


def _listed(listing: Path) -> Iterator[str]:
    with listing.open(encoding="ascii") as lines:
        for line in lines:
            if line.strip():
                yield line.strip()


def _program(name: str) -> str:
    """The full path of a PostgreSQL client program, or a clear error."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(program)s is not installed (Debian: postgresql-client)", program=name)
        )
    return path


def _pg_args(url: str, *, dump: bool = False) -> tuple[list[str], dict[str, str]]:
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    args = [
        "--dbname",
        parsed.database or "",
        "--host",
        parsed.host or "127.0.0.1",
        "--port",
        str(parsed.port or 5432),
    ]
    if parsed.username:
        args += ["--username", parsed.username]
    options = str(parsed.query.get("options") or "")
    if options:
        env["PGOPTIONS"] = options
        schema = options.partition("search_path=")[2].split(",")[0].strip()
        if dump and schema:
            args += ["--schema", schema]  # a database shared by schemas: dump only ours
    return args, env


def _sqlite_copy(source_path: str, target: Path) -> None:
    """Copy a SQLite database with its online backup API in one step: the copy is the
    database as of one moment, whatever other connections write meanwhile."""
    source = sqlite3.connect(source_path, timeout=30)
    dest = sqlite3.connect(target)
    try:
        with dest:
            source.backup(dest, pages=-1)
    finally:
        dest.close()
        source.close()


def _pg_dump(
    engine: sa.Engine, url: str, target: Path, listing: Path
) -> tuple[dict[str, int], int]:
    """``pg_dump`` of the snapshot of one REPEATABLE READ transaction, which also counts the
    rows and lists the files: the dump, the counts and the files are of the same moment."""
    pg_dump = _program("pg_dump")
    args, env = _pg_args(url, dump=True)
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            snapshot = conn.scalar(sa.text("SELECT pg_export_snapshot()"))
            # Fixed arguments, no shell (bandit B603).
            result = subprocess.run(  # nosec B603
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    *args,
                    "--file",
                    str(target),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(_("pg_dump failed: %(error)s", error=result.stderr.strip()))
            return _contents(conn, listing)


def backup(app: Flask, target: Path, progress: Progress = _no_progress) -> dict[str, Any]:
    """Write a backup folder; refuse a target that exists and is not empty. Memory stays
    flat whatever the size: the database is copied by SQLite or ``pg_dump``, the files'
    hashes go through a list on disk; ``progress(stage, done, total)`` is told how far."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("%(path)s exists and is not empty", path=target))
    target.mkdir(parents=True, exist_ok=True)
    url = app.config["DATABASE_URL"]
    engine = app.extensions["engine"]
    hashes = target / ".hashes"
    progress("database", 0, 1)
    # The counts and the files are those of the copied database itself (one snapshot), not
    # of the live one a moment later: restore checks against them.
    if engine.dialect.name == "sqlite":
        database = "database.sqlite"
        _sqlite_copy(make_url(url).database or "", target / database)
        uri = f"{(target / database).resolve().as_uri()}?immutable=1"
        # Read as the file it is (immutable: no -wal or -shm file next to it).
        copy = sa.create_engine(
            "sqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True),
            poolclass=sa.pool.NullPool,
        )
        try:
            with copy.connect() as conn:
                counts, total = _contents(conn, hashes)
        finally:
            copy.dispose()
    elif engine.dialect.name == "postgresql":
        database = "database.pgdump"
        counts, total = _pg_dump(engine, url, target / database, hashes)
    else:
        raise BackupError(_("no backup method for %(database)s", database=engine.dialect.name))
    progress("database", 1, 1)

    storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
    files_dir = LocalStorage(target / "attachments")
    copied = missing = 0
    shown: list[str] = []
    with (target / FILES_LIST).open("w", encoding="ascii") as listing:
        for done, sha in enumerate(_listed(hashes), 1):
            if storage.exists(sha):
                destination = files_dir.path_for(sha)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(storage.path_for(sha), destination)
                # The copy's own hash: restore checks each file against it.
                listing.write(f"{sha} {_sha256(destination)}\n")
                copied += 1
            else:
                missing += 1
                if len(shown) < MISSING_SHOWN:
                    shown.append(sha)
            if done % 100 == 0 or done == total:
                progress("files", done, total)
    hashes.unlink()
    manifest = {
        "tracker_version": __version__,
        "database": database,
        "dialect": engine.dialect.name,
        "rows": counts,
        "files_list": FILES_LIST,
        "file_count": copied,
        "missing_count": missing,
        "missing_files": shown,
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _backed_up_files(source: Path, manifest: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(name, SHA-256 of the copy) of each file in a backup: its list, or an older backup's
    manifest."""
    if "files" in manifest:
        yield from manifest["files"].items()
        return
    with (source / manifest["files_list"]).open(encoding="ascii") as lines:
        for line in lines:
            if line.strip():
                sha, _sep, expected = line.strip().partition(" ")
                yield sha, expected


def _file_count(manifest: dict[str, Any]) -> int:
    return len(manifest["files"]) if "files" in manifest else int(manifest["file_count"])


def restore(app: Flask, source: Path, progress: Progress = _no_progress) -> dict[str, Any]:
    """Restore a backup folder into an empty database and attachments folder (in flat
    memory: the files are checked and copied one at a time from the backup's list)."""
    manifest_path = source / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(_("%(path)s holds no manifest.json: not a tracker backup", path=source))
    manifest = json.loads(manifest_path.read_text())
    engine = app.extensions["engine"]
    tables = set(sa.inspect(engine).get_table_names())
    if tables & {"info_request", "newsroom"}:
        counts = _live_counts(app)
        if any(counts.values()):
            raise BackupError(_("the target database is not empty; restore only into an empty one"))
    total = _file_count(manifest)
    backed_up = LocalStorage(source / "attachments")
    for done, (sha, expected) in enumerate(_backed_up_files(source, manifest), 1):
        if _sha256(backed_up.path_for(sha)) != expected:
            raise BackupError(_("file %(sha)s in the backup does not match its hash", sha=sha))
        if done % 100 == 0 or done == total:
            progress("checking files", done, total)
    progress("database", 0, 1)
    url = app.config["DATABASE_URL"]
    if manifest["database"] == "database.sqlite":
        if engine.dialect.name != "sqlite":
            raise BackupError(_("this backup is of a SQLite database; restore it into SQLite"))
        engine.dispose()
        backup_db = sqlite3.connect(source / "database.sqlite")
        dest = sqlite3.connect(make_url(url).database or "")
        with dest:
            backup_db.backup(dest)
        dest.close()
        backup_db.close()
    else:
        if engine.dialect.name != "postgresql":
            raise BackupError(_("this backup is of a PostgreSQL database; restore it there"))
        if tables:
            with engine.begin() as conn:
                Base.metadata.drop_all(conn)
                records_ddl.drop_postgresql(conn)  # the records search's functions, configs
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        pg_restore = _program("pg_restore")
        # A dump of one schema names pg_trgm's operator class and unaccent's dictionary (in
        # tracker_unaccent, 0016) but not the extensions themselves.
        with engine.begin() as conn:
            trigram_schema(conn)
            unaccent_schema(conn)
        args, env = _pg_args(url)
        # Fixed arguments, no shell (bandit B603).
        result = subprocess.run(  # nosec B603
            [
                pg_restore,
                "--no-owner",
                "--exit-on-error",
                *args,
                str(source / "database.pgdump"),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(_("pg_restore failed: %(error)s", error=result.stderr.strip()))
    progress("database", 1, 1)
    storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
    for done, (sha, _expected) in enumerate(_backed_up_files(source, manifest), 1):
        destination = storage.path_for(sha)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(backed_up.path_for(sha), destination)
        if done % 100 == 0 or done == total:
            progress("files", done, total)
    restored = _live_counts(app)
    if restored != manifest["rows"]:
        raise BackupError(
            _(
                "row counts differ after restore: %(restored)s != %(expected)s",
                restored=restored,
                expected=manifest["rows"],
            )
        )
    return manifest


def _reporter(verbose: bool) -> Progress:
    """Progress on standard error, a line per stage and every tenth of the files."""
    said: dict[str, int] = {}
    stages = {
        "database": _("database"),
        "files": _("files"),
        "checking files": _("checking files"),
    }

    def report(stage: str, done: int, total: int) -> None:
        step = max(1, total // 10)
        last = said.get(stage)
        if last is None or done == total or done - last >= step:
            said[stage] = done
            click.echo(
                _(
                    "%(stage)s: %(done)s/%(total)s",
                    stage=stages.get(stage, stage),
                    done=format_decimal(done),
                    total=format_decimal(total),
                ),
                err=True,
            )

    return report if verbose else _no_progress


@click.command("backup", cls=TranslatedCommand)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress lines on standard error.")
@with_appcontext
def backup_command(path: Path, quiet: bool) -> None:
    """Back up the database and every original file into the folder PATH."""
    app = current_flask_app()
    try:
        manifest = backup(app, path, _reporter(not quiet))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    rows = manifest["rows"]
    click.echo(
        _(
            "backed up %(requests)s requests, %(files)s files to %(path)s",
            requests=rows.get("info_request", 0),
            files=manifest["file_count"],
            path=path,
        )
    )
    if manifest["missing_count"]:
        more = manifest["missing_count"] - len(manifest["missing_files"])
        click.echo(
            _(
                "warning: %(num)s files were already missing: %(files)s",
                num=manifest["missing_count"],
                files=", ".join(manifest["missing_files"]),
            )
            + (_(" and %(num)s more", num=more) if more else ""),
            err=True,
        )


@click.command("restore", cls=TranslatedCommand)
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress lines on standard error.")
@with_appcontext
def restore_command(path: Path, quiet: bool) -> None:
    """Restore a backup folder into an empty database and attachments folder."""
    app = current_flask_app()
    try:
        manifest = restore(app, path, _reporter(not quiet))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        _(
            "restored %(requests)s requests, %(files)s files from %(path)s",
            requests=manifest["rows"].get("info_request", 0),
            files=_file_count(manifest),
            path=path,
        )
    )


COMMANDS = [backup_command, restore_command]
