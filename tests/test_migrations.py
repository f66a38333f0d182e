"""Migrations: up from empty, down to base, and in agreement with the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tracker.db import Base, autogenerate_includes, is_search_index_table
from tracker.migrate import downgrade, upgrade


def _tables(app) -> set[str]:
    """The tables present, less Alembic's and SQLite's search index (migration 0004)."""
    names = sa.inspect(app.extensions["engine"]).get_table_names()
    return {n for n in names if n != "alembic_version" and not is_search_index_table(n)}


def test_models_and_migrations_agree(app):
    with app.extensions["engine"].connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": autogenerate_includes}
        )
        assert compare_metadata(context, Base.metadata) == []


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
