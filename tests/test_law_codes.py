"""Law codes: the schema allows every code (migration 0013), the import knows each law by code,
name and province, and Alberta's Access to Information Act is an alias on import only."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tracker import deadlines
from tracker.core import db
from tracker.core.models import Institution, Newsroom
from tracker.imports.service import Mapping, MappingError, resolve_law


def test_schema_codes_keep_the_form_order_and_include_every_registered_law():
    codes = deadlines.SCHEMA_LAW_CODES
    assert len(set(codes)) == len(codes)
    assert set(deadlines.LAW_CODES) <= set(codes)
    # The forms show the registered laws in the schema's order.
    assert list(deadlines.LAW_CODES) == [c for c in codes if c in deadlines.LAWS]
    assert list(deadlines.LAWS) == list(deadlines.LAW_CODES)
    for code in (
        "ca-nl-atippa",
        "ca-ns-foipop",
        "ca-ns-mga",
        "ca-nb-rtippa",
        "ca-pe-foipp",
        "ca-mb-fippa",
        "ca-sk-foip",
        "ca-sk-lafoip",
        "ca-yt-atippa",
        "ca-nt-atipp",
        "ca-nu-atipp",
    ):
        assert code in codes
    assert "ca-ab-atia" not in codes


@pytest.mark.parametrize("code", ["ca-nl-atippa", "ca-nu-atipp"])
def test_database_accepts_the_new_codes(app, code):
    with app.app_context():
        with db.transaction() as session:
            newsroom = Newsroom(name="Le Devoir")
            session.add(newsroom)
            session.flush()
            session.add(Institution(newsroom_id=newsroom.id, name="Dept", law_code=code))
        count = db.session().scalar(
            sa.select(sa.func.count()).select_from(Institution).where(Institution.law_code == code)
        )
        assert count == 1


def test_database_refuses_an_unknown_code(app):
    with app.app_context():
        with pytest.raises(sa.exc.IntegrityError):
            with db.transaction() as session:
                newsroom = Newsroom(name="Le Soleil")
                session.add(newsroom)
                session.flush()
                session.add(
                    Institution(newsroom_id=newsroom.id, name="Dept", law_code="ca-ab-atia")
                )


def test_alberta_access_to_information_act_is_an_import_alias():
    assert resolve_law("ca-ab-atia") == "ca-ab-foip"
    assert resolve_law(" CA-AB-ATIA ") == "ca-ab-foip"
    mapping = Mapping.from_dict({"received_on": "r", "title": "t", "default_law": "ca-ab-atia"})
    mapping.default_institution = "City of Calgary"
    mapping.check(["r", "t"])
    assert mapping.default_law == "ca-ab-foip"
    with pytest.raises(ValueError):
        deadlines.get_law("ca-ab-atia")


def test_unknown_default_law_still_refused():
    mapping = Mapping.from_dict(
        {"received_on": "r", "title": "t", "default_law": "ca-xx", "default_institution": "X"}
    )
    with pytest.raises(MappingError):
        mapping.check(["r", "t"])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Alberta", "ca-ab-foip"),
        ("BC", "ca-bc-fippa"),
        ("quebec", "ca-qc-access"),
        ("Québec", "ca-qc-access"),
        ("Ontario", None),  # two Ontario laws: the province alone does not say which
        ("CA", None),  # California's state code, not Canada: never a province alias
    ],
)
def test_law_by_province(text, code):
    assert resolve_law(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "ca-nb-rtippa",
        "Right to Information and Protection of Privacy Act (New Brunswick)",
        "Loi sur le droit à l'information et la protection de la vie privée",
        "LOI SUR LE DROIT A L'INFORMATION ET LA PROTECTION DE LA VIE PRIVEE",
        "RTIPPA",
        "New Brunswick",
        "Nouveau-Brunswick",
        "NB",
    ],
)
def test_new_brunswick_by_code_name_french_name_and_province(text):
    assert resolve_law(text) == "ca-nb-rtippa"


def test_import_row_with_the_french_name(app, runner, make_user, tmp_path):
    make_user("ed@example.org", newsroom="Acadie Nouvelle", role="editor")
    path = tmp_path / "nb.csv"
    path.write_text(
        "numéro;titre;reçu;loi\n"
        "NB-1;Contrats;2024-03-01;Loi sur le droit à l'information et la protection de la vie "
        "privée\n",
        encoding="utf-8",
    )
    mapping = {
        "file_number": "numéro",
        "title": "titre",
        "received_on": "reçu",
        "law": "loi",
        "default_institution": "Ville de Moncton",
    }
    args = ["import-csv", str(path), "--newsroom", "Acadie Nouvelle", "--dry-run"]
    result = runner.invoke(args=[*args, "--mapping", json.dumps(mapping)])
    assert result.exit_code == 0, result.output
    assert "Ville de Moncton (ca-nb-rtippa)" in result.output


def test_every_schema_code_is_offered_or_listed_as_not_yet_offered():
    offered, pending = set(deadlines.LAW_CODES), set(deadlines.NOT_YET_OFFERED)
    assert not offered & pending
    assert offered | pending == set(deadlines.SCHEMA_LAW_CODES)
    assert set(deadlines.NOT_YET_OFFERED.values()) <= {"NL", "NS", "PE", "YT", "NT", "NU"}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("ca-nl-atippa", "ca-nl-atippa"),
        ("Newfoundland and Labrador", "ca-nl-atippa"),
        ("Terre-Neuve-et-Labrador", "ca-nl-atippa"),
        ("NL", "ca-nl-atippa"),
        ("Nova Scotia", "ca-ns-foipop or ca-ns-mga"),
        ("nouvelle-ecosse", "ca-ns-foipop or ca-ns-mga"),
        ("ca-ns-mga", "ca-ns-mga"),
        ("Île-du-Prince-Édouard", "ca-pe-foipp"),
        ("NWT", "ca-nt-atipp"),
        ("Nunavut", "ca-nu-atipp"),
        ("Yukon", "ca-yt-atippa"),
    ],
)
def test_import_row_naming_a_law_not_offered_says_so(app, runner, make_user, tmp_path, text, codes):
    assert resolve_law(text) is None  # nothing is computed under a law not read
    make_user("ed@example.org", newsroom="The Telegram", role="editor")
    path = tmp_path / "nl.csv"
    path.write_text(f"file;title;received;law\nNL-1;Briefing books;2024-03-01;{text}\n")
    mapping = {
        "file_number": "file",
        "title": "title",
        "received_on": "received",
        "law": "law",
        "default_institution": "Department of Finance",
    }
    args = ["import-csv", str(path), "--newsroom", "The Telegram", "--dry-run"]
    result = runner.invoke(args=[*args, "--mapping", json.dumps(mapping)])
    out = result.output
    said = codes if text == codes else f"{text!r} names {codes}, which"
    laws = "are laws" if " or " in codes else "is a law"
    assert f"error: {said} {laws} the tracker does not offer yet" in out, out
    assert "Unknown law" not in out
    assert "0 requests ready" in out


def test_default_law_not_offered_is_refused_with_the_reason():
    mapping = Mapping.from_dict(
        {
            "received_on": "r",
            "title": "t",
            "default_law": "ca-nl-atippa",
            "default_institution": "Department of Finance",
        }
    )
    with pytest.raises(MappingError, match="does not offer yet") as err:
        mapping.check(["r", "t"])
    assert err.value.field == "default_law"


def _institutions(app) -> list[tuple[str, str]]:
    with app.extensions["engine"].connect() as conn:
        rows = conn.execute(sa.text("SELECT name, law_code FROM institution ORDER BY id"))
        return [tuple(r) for r in rows]


def test_migration_0013_keeps_rows_and_refuses_a_downgrade_that_would_orphan_them(app):
    from tracker.core.migrate import downgrade, upgrade

    downgrade(app, "0009")
    engine = app.extensions["engine"]
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO newsroom (name, created_at) VALUES ('N', '2026-01-01')"))
        conn.execute(
            sa.text(
                "INSERT INTO institution (newsroom_id, name, law_code, created_at) "
                "VALUES (1, 'City', 'ca-on-mfippa', '2026-01-01')"
            )
        )
        with pytest.raises(sa.exc.IntegrityError):
            with conn.begin_nested():
                conn.execute(
                    sa.text(
                        "INSERT INTO institution (newsroom_id, name, law_code, created_at) "
                        "VALUES (1, 'Moncton', 'ca-nb-rtippa', '2026-01-01')"
                    )
                )
    upgrade(app)
    assert _institutions(app) == [("City", "ca-on-mfippa")]
    with engine.begin() as conn:  # a new connection sees the new list
        conn.execute(
            sa.text(
                "INSERT INTO institution (newsroom_id, name, law_code, created_at) "
                "VALUES (1, 'Moncton', 'ca-nb-rtippa', '2026-01-01')"
            )
        )
        with pytest.raises(sa.exc.IntegrityError):
            with conn.begin_nested():
                conn.execute(
                    sa.text(
                        "INSERT INTO institution (newsroom_id, name, law_code, created_at) "
                        "VALUES (1, 'X', 'ca-xx', '2026-01-01')"
                    )
                )
    # The later migrations come down first; 0013's own downgrade is the one that refuses.
    downgrade(app, "0013")
    with pytest.raises(RuntimeError, match="ca-nb-rtippa"):
        downgrade(app, "0009")
    assert _institutions(app) == [("City", "ca-on-mfippa"), ("Moncton", "ca-nb-rtippa")]
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM institution WHERE law_code = 'ca-nb-rtippa'"))
    downgrade(app, "0009")
    upgrade(app)
    assert _institutions(app) == [("City", "ca-on-mfippa")]
