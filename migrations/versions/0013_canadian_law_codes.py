"""Every Canadian access law: the law_code CHECK constraints allow the new codes

Issue 24 adds the Atlantic, Prairie and northern laws (ca-nl-atippa, ca-ns-foipop, ca-ns-mga,
ca-nb-rtippa, ca-pe-foipp, ca-mb-fippa, ca-sk-foip, ca-sk-lafoip, ca-yt-atippa, ca-nt-atipp,
ca-nu-atipp). ``institution.law_code`` and ``info_request.law_code`` are checked against the
list of codes; the lists are written out here, not imported, so the migration means the same
thing whatever the code says later. Downgrading refuses while a row uses a new code, rather
than losing or orphaning the row.

PostgreSQL: each constraint is dropped and made again with the other list.

SQLite: no table is copied. A batch copy (copy-and-move) DROPs the old table, and with
foreign keys on, dropping ``info_request`` deletes the rows that refer to it through ON DELETE
CASCADE and dropping ``institution`` fails; it also loses the search triggers of 0004. A CHECK
constraint does not change how rows are stored, so the constraint's text is rewritten in the
schema itself (SQLite's documented writable_schema procedure for such changes, with the
schema version bumped so that every connection reloads it), after checking that every row
satisfies the new list.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-07 11:00:00
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD = (
    "ca-atia", "ca-privacy", "ca-on-fippa", "ca-on-mfippa", "ca-bc-fippa", "ca-ab-foip",
    "ca-qc-access", "us-foia", "us-ca-cpra", "us-ny-foil", "uk-foia", "uk-sct-foisa",
)
NEW = (
    "ca-atia", "ca-privacy", "ca-on-fippa", "ca-on-mfippa", "ca-bc-fippa", "ca-ab-foip",
    "ca-qc-access", "ca-nl-atippa", "ca-ns-foipop", "ca-ns-mga", "ca-nb-rtippa", "ca-pe-foipp",
    "ca-mb-fippa", "ca-sk-foip", "ca-sk-lafoip", "ca-yt-atippa", "ca-nt-atipp", "ca-nu-atipp",
    "us-foia", "us-ca-cpra", "us-ny-foil", "uk-foia", "uk-sct-foisa",
)
TABLES = ("institution", "info_request")


def _condition(codes: tuple[str, ...]) -> str:
    return "law_code IN ({})".format(", ".join(f"'{c}'" for c in codes))


def _check_rows(codes: tuple[str, ...]) -> None:
    """Refuse when a row holds a code the target list does not allow."""
    conn = op.get_bind()
    for table in TABLES:
        query = sa.text(
            f"SELECT DISTINCT law_code FROM {table} WHERE NOT ({_condition(codes)})"
        )
        found = sorted(conn.scalars(query))
        if found:
            raise RuntimeError(
                f"{table} has rows under {', '.join(found)}, which revision "
                f"{'0009' if codes == OLD else '0013'} does not allow: move or delete them first"
            )


def _sqlite_rewrite(codes: tuple[str, ...]) -> None:
    conn = op.get_bind()
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table in TABLES:
            sql = conn.scalar(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :n"),
                {"n": table},
            )
            pattern = re.compile(
                rf"CONSTRAINT ck_{table}_law_code CHECK \(law_code IN \([^)]*\)\)"
            )
            new_sql, count = pattern.subn(
                f"CONSTRAINT ck_{table}_law_code CHECK ({_condition(codes)})", sql
            )
            if count != 1:
                raise RuntimeError(f"{table}: the law_code CHECK constraint was not found once")
            conn.execute(
                sa.text("UPDATE sqlite_master SET sql = :s WHERE type = 'table' AND name = :n"),
                {"s": new_sql, "n": table},
            )
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"SQLite integrity check after 0013: {problems[:5]}")


def _swap(codes: tuple[str, ...]) -> None:
    _check_rows(codes)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_rewrite(codes)
        return
    for table in TABLES:
        op.drop_constraint(op.f(f"ck_{table}_law_code"), table, type_="check")
        op.create_check_constraint(op.f(f"ck_{table}_law_code"), table, _condition(codes))


def upgrade() -> None:
    _swap(NEW)


def downgrade() -> None:
    _swap(OLD)
