"""Search without accents (issue 20, part 5): "policieres" finds "policières", "surete" finds
"Sûreté", in request titles and texts and in institution names, on both databases (SQLite:
the folded FTS5 index and the scan; PostgreSQL: unaccent under the trigram indexes)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests.conftest import PASSWORD, PG_URL, AuthActions, page
from tracker.core import db
from tracker.core.textfold import fold
from tracker.requests import queries

TODAY = date(2024, 6, 3)


@pytest.fixture(scope="module")
def dataset(module_app: Flask) -> Flask:
    """A reporter's requests to Québec and federal bodies, built once: every test here
    only reads them."""
    with builders.desk(module_app, "journaliste@example.org", today=TODAY) as desk:
        sq = desk.institution("Sûreté du Québec", "ca-qc-access")
        desk.institution("Société de l’assurance automobile du Québec", "ca-qc-access")
        desk.institution("Surete plain", "ca-qc-access")  # typed without accents
        rcmp = desk.institution("Royal Canadian Mounted Police", "ca-atia")
        desk.request(sq, "Interventions policières à Montréal", text="Rapports d’ÉVÉNEMENTS")
        desk.request(rcmp, "Use of force", text="Notes of the Commissaire aux plaintes")
        desk.request(sq, "Cœur du dossier", text="Contrats de la Sûreté")
    return module_app


@pytest.fixture
def newsroom(dataset: Flask) -> FlaskClient:
    """The reporter logged in on the module's requests."""
    client = dataset.test_client()
    AuthActions(client).login("journaliste@example.org", PASSWORD)
    return client


def titles(client: FlaskClient, term: str) -> set[str]:
    """The request list's titles for a search."""
    soup = page(client.get("/requests/", query_string={"q": term}))
    return {a.get_text() for a in soup.select("#request-list tbody tr td:first-child a")}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("policieres", {"Interventions policières à Montréal"}),
        ("POLICIERES a montreal", {"Interventions policières à Montréal"}),
        ("policières", {"Interventions policières à Montréal"}),
        ("evenements", {"Interventions policières à Montréal"}),
        ("événements", {"Interventions policières à Montréal"}),
        ("surete", {"Cœur du dossier"}),
        ("coeur", {"Cœur du dossier"}),  # œ is spelled out, as unaccent does
        ("commissaire", {"Use of force"}),
        ("e", {"Interventions policières à Montréal", "Use of force", "Cœur du dossier"}),
        ("xyz", set()),
    ],
)
def test_request_search_ignores_accents(newsroom: FlaskClient, term: str, expected: set[str]):
    assert titles(newsroom, term) == expected


def test_index_and_scan_agree_without_accents(dataset: Flask) -> None:
    """SQLite reads its folded index for 3 or more characters and scans (folding each row)
    otherwise; both, and PostgreSQL's LIKE, give the same requests."""
    with dataset.app_context():
        session = db.session()
        newsroom_id = session.scalar(db.sa.text("SELECT id FROM newsroom"))
        fts = db.sqlite_search_index(session)
        assert fts == (not PG_URL)
        for term in ("policieres", "POLICIÈRES", "surete", "Sûreté", "évé", "coeur"):
            found = {}
            for use_index in (True, False):
                query = queries.filtered(
                    newsroom_id, queries.RequestFilters(q=term), fts=use_index and fts
                )
                found[use_index] = {r.title for r in session.scalars(query)}
            assert found[True] == found[False] != set(), term


def institutions(client: FlaskClient, term: str) -> list[str]:
    """The institutions page's names for a search."""
    soup = page(client.get("/institutions/", query_string={"q": term}))
    return [row.select_one("td a").get_text() for row in soup.select("table.data tbody tr")]


def test_institution_search_ignores_accents(newsroom: FlaskClient) -> None:
    both = {"Sûreté du Québec", "Surete plain"}
    assert set(institutions(newsroom, "surete")) == both
    assert set(institutions(newsroom, "SÛRETÉ")) == both
    # A typed apostrophe finds the typographic one, as unaccent spells it.
    for term in ("societe de l'assurance", "SOCIÉTÉ DE L’ASSURANCE"):
        assert institutions(newsroom, term) == ["Société de l’assurance automobile du Québec"]
    assert len(institutions(newsroom, "")) == 4
    assert institutions(newsroom, "100%_") == []
    empty = page(newsroom.get("/institutions/", query_string={"q": "zzz"}))
    assert "zzz" in empty.select_one(".empty").get_text()


def test_fold() -> None:
    assert fold("Sûreté du Québec") == "surete du quebec"
    assert fold("CŒUR Æsir straße Łódź") == "coeur aesir strasse lodz"
    assert fold(None) is None
    assert fold("ASCII Only") == "ascii only"
    assert fold("l’accès « Loi »") == "l'acces << loi >>"


def test_fold_of_text_whose_decomposition_is_ascii() -> None:
    # A title cut short ends with "…" (NFKD: "..."); ligatures and full-width letters
    # decompose to ASCII too: folded as the character-by-character walk folds them.
    assert (
        fold("Building permits for the property at…") == "building permits for the property at..."
    )
    assert fold("ﬁle Ｎo ½") == "file no 1⁄2"
    assert fold("Ｃafé…") == "cafe..."
