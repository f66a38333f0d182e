"""Every Canadian access law: the law_code CHECK constraints allow the new codes

Issue 24 adds the Atlantic, Prairie and northern laws (ca-nl-atippa, ca-ns-foipop, ca-ns-mga,
ca-nb-rtippa, ca-pe-foipp, ca-mb-fippa, ca-sk-foip, ca-sk-lafoip, ca-yt-atippa, ca-nt-atipp,
ca-nu-atipp). ``institution.law_code`` and ``info_request.law_code`` are checked against the
list of codes: the constraints are dropped and made again with the longer list (the lists are
written out here, not imported, so the migration means the same thing whatever the code says
later). Downgrading fails while a row uses a new code, rather than losing the row.

SQLite: batch mode rebuilds both tables (copy and move). The copy of info_request drops the
search index triggers of 0004, so they are made again and the index rebuilt; the expression
index of 0007 on institution is made again too. PostgreSQL alters the constraints in place.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-07 11:00:00
"""


import warnings

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


def _has_search_index() -> bool:
    query = sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n")
    return op.get_bind().scalar(query, {"n": "info_request_search"}) == 1


def _swap(codes: tuple[str, ...]) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    search = sqlite and _has_search_index()
    for table in TABLES:
        with warnings.catch_warnings():
            # SQLite cannot reflect 0007's expression index: it is made again below.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            with op.batch_alter_table(table, recreate="auto") as batch_op:
                batch_op.drop_constraint(op.f(f"ck_{table}_law_code"), type_="check")
                batch_op.create_check_constraint(op.f(f"ck_{table}_law_code"), _condition(codes))
    if sqlite:
        # The batch copy loses what SQLite's reflection cannot read back.
        op.execute("DROP INDEX IF EXISTS ix_institution_newsroom_lower_name_id")
        op.create_index(
            "ix_institution_newsroom_lower_name_id",
            "institution",
            ["newsroom_id", sa.text("lower(name)"), "id"],
            unique=False,
        )
    if search:
        table = "info_request_search"
        for name, body in _TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")


# Migration 0004's triggers, written out (a migration does not import another).
_COLUMNS = "title, text, file_number"
_NEW_ROW = "new.id, new.title, new.text, new.file_number"
_OLD_ROW = "'delete', old.id, old.title, old.text, old.file_number"
_T = "info_request_search"
_TRIGGERS = {
    f"{_T}_insert": (
        "AFTER INSERT ON info_request BEGIN "
        f"INSERT INTO {_T} (rowid, {_COLUMNS}) VALUES ({_NEW_ROW}); END"
    ),
    f"{_T}_delete": (
        "AFTER DELETE ON info_request BEGIN "
        f"INSERT INTO {_T} ({_T}, rowid, {_COLUMNS}) VALUES ({_OLD_ROW}); END"
    ),
    f"{_T}_update": (
        f"AFTER UPDATE OF {_COLUMNS} ON info_request BEGIN "
        f"INSERT INTO {_T} ({_T}, rowid, {_COLUMNS}) VALUES ({_OLD_ROW}); "
        f"INSERT INTO {_T} (rowid, {_COLUMNS}) VALUES ({_NEW_ROW}); END"
    ),
}


def upgrade() -> None:
    _swap(NEW)


def downgrade() -> None:
    _swap(OLD)
