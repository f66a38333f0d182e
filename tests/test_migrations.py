"""Migrations: up from empty, down to base, and in agreement with the models.

Alembic's autogenerate compares tables, columns, types, indexes, unique and foreign keys, but
not CHECK constraints, and the tracker's vocabularies (timeline kinds, law codes, statuses...)
live in CHECK constraints: a kind added to the models without a migration would pass every
test here and fail in production on the first insert. So the CHECK constraints are compared
too, by name and by SQL text, with both sides written by the same database: the migrated
schema is reflected, and the models are created in a scratch database (SQLite in memory, or a
scratch PostgreSQL schema) and reflected the same way, so that PostgreSQL's rewriting of
``kind IN (...)`` into ``(kind)::text = ANY (ARRAY[...])`` happens on both sides.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tests.conftest import _with_search_path
from tracker.core.db import Base, autogenerate_includes, is_search_index_table, make_engine
from tracker.core.migrate import downgrade, upgrade

# (table, constraint name) -> normalised SQL text
Checks = dict[tuple[str, str | None], str]


def _tables(app) -> set[str]:
    """The tables present, less Alembic's and SQLite's search index (migration 0004)."""
    names = sa.inspect(app.extensions["engine"]).get_table_names()
    return {n for n in names if n != "alembic_version" and not is_search_index_table(n)}


def normalise(sql: str) -> str:
    """A CHECK constraint's text without the differences that mean nothing: runs of
    whitespace, spaces inside parentheses, and parentheses around the whole expression."""
    text = re.sub(r"\s+", " ", sql).strip()
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def reflected_checks(engine: sa.Engine, tables: list[str]) -> Checks:
    """Every CHECK constraint of the tables, as the database reports it."""
    inspector = sa.inspect(engine)
    return {
        (table, check["name"]): normalise(check["sqltext"])
        for table in tables
        for check in inspector.get_check_constraints(table)
    }


@contextmanager
def scratch_engine(dialect: str) -> Iterator[sa.Engine]:
    """An empty database of the dialect: SQLite in memory, or a PostgreSQL schema of its own
    in the suite's database (dropped afterwards)."""
    if dialect == "sqlite":
        engine = make_engine("sqlite://")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    base = os.environ["TRACKER_TEST_DATABASE_URL"]
    schema = f"checks_{os.getpid()}_{secrets.token_hex(4)}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(_with_search_path(base, schema))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def model_checks(metadata: sa.MetaData, dialect: str) -> Checks:
    """The CHECK constraints the models declare, written and read back by the same kind of
    database as the one the migrations built."""
    tables = _copy(metadata)
    for table in tables.tables.values():
        table.indexes.clear()  # not compared here, and PostgreSQL's trigram ones need pg_trgm
    with scratch_engine(dialect) as engine:
        tables.create_all(engine)
        return reflected_checks(engine, list(tables.tables))


def check_differences(app, metadata: sa.MetaData) -> list[tuple[str, str, str | None, str | None]]:
    """(table, constraint, in the migrated database, in the models) for each CHECK constraint
    that is missing on one side or reads differently."""
    engine = app.extensions["engine"]
    tables = sorted(set(metadata.tables) & _tables(app))
    migrated = reflected_checks(engine, tables)
    modelled = model_checks(metadata, engine.dialect.name)
    return [
        (table, str(name), migrated.get((table, name)), modelled.get((table, name)))
        for table, name in sorted(set(migrated) | set(modelled), key=str)
        if migrated.get((table, name)) != modelled.get((table, name))
    ]


def test_models_and_migrations_agree(app):
    with app.extensions["engine"].connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": autogenerate_includes}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_check_constraints_of_models_and_migrations_agree(app):
    migrated = reflected_checks(app.extensions["engine"], sorted(_tables(app)))
    # The comparison sees the vocabularies (or an empty result would prove nothing).
    assert {
        ("timeline_event", "ck_timeline_event_kind"),
        ("institution", "ck_institution_law_code"),
    } <= set(migrated)
    assert all(name for _table, name in migrated), "every CHECK constraint has a name"
    assert check_differences(app, Base.metadata) == []


def _copy(metadata: sa.MetaData) -> sa.MetaData:
    copied = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(copied)
    return copied


def _check(metadata: sa.MetaData, table: str, name: str) -> sa.CheckConstraint:
    return next(
        c
        for c in metadata.tables[table].constraints
        if isinstance(c, sa.CheckConstraint) and c.name == name
    )


def _add_value(check: sa.CheckConstraint, value: str) -> None:
    """Add a value to a constraint's ``column IN (...)`` list, as a new kind or law does."""
    text = str(check.sqltext)
    assert text.endswith("')"), text
    check.sqltext = sa.text(f"{text[:-1]}, '{value}')")


def test_a_vocabulary_changed_in_the_models_alone_fails_the_comparison(app):
    """What a kind, a law, a constraint added or dropped in the models without a migration
    does: each is reported, by table and constraint name."""
    changed = _copy(Base.metadata)
    _add_value(_check(changed, "timeline_event", "ck_timeline_event_kind"), "fee_waived")
    _add_value(_check(changed, "institution", "ck_institution_law_code"), "ca-ns-foipop")
    _add_value(_check(changed, "info_request", "ck_info_request_law_code"), "ca-ns-foipop")
    attachment = changed.tables["attachment"]
    attachment.constraints.remove(_check(changed, "attachment", "ck_attachment_size"))
    changed.tables["extension"].append_constraint(
        sa.CheckConstraint("days <= 10000", name="days_bounded")
    )
    _check(changed, "complaint", "ck_complaint_grounds").name = sa.sql.elements.conv(
        "ck_complaint_grounds_renamed"
    )

    found = {
        (table, name): (db_side, model_side)
        for table, name, db_side, model_side in check_differences(app, changed)
    }

    assert set(found) == {
        ("timeline_event", "ck_timeline_event_kind"),
        ("institution", "ck_institution_law_code"),
        ("info_request", "ck_info_request_law_code"),
        ("attachment", "ck_attachment_size"),
        ("extension", "ck_extension_days_bounded"),
        ("complaint", "ck_complaint_grounds"),
        ("complaint", "ck_complaint_grounds_renamed"),
    }
    migrated_kinds, model_kinds = found[("timeline_event", "ck_timeline_event_kind")]
    assert "fee_waived" in model_kinds and "fee_waived" not in migrated_kinds
    assert found[("attachment", "ck_attachment_size")][1] is None
    assert found[("extension", "ck_extension_days_bounded")][0] is None
    # The models themselves were left alone.
    assert check_differences(app, Base.metadata) == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("kind IN ('a', 'b')", "kind IN ('a', 'b')"),
        (
            "((kind)::text = ANY ((ARRAY['a'::character varying])::text[]))",
            "(kind)::text = ANY ((ARRAY['a'::character varying])::text[])",
        ),
        ("(a > 0) OR (b > 0)", "(a > 0) OR (b > 0)"),
        ("( days  >\n 0 )", "days > 0"),
    ],
)
def test_normalise_drops_only_what_means_nothing(written, expected):
    assert normalise(written) == expected


def test_downgrade_to_base_and_upgrade_again(app):
    assert _tables(app) == set(Base.metadata.tables)
    downgrade(app, "base")
    assert set(sa.inspect(app.extensions["engine"]).get_table_names()) <= {"alembic_version"}
    upgrade(app)
    assert _tables(app) == set(Base.metadata.tables)


def test_db_upgrade_command(app_config, tmp_path):
    from tracker import create_app

    app = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert _tables(app) == set(Base.metadata.tables)
    app.extensions["engine"].dispose()
