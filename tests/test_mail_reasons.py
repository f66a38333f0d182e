"""Mail match reasons stored as codes with parameters and put into words in the reader's
language: English and French on the pages, in ``flask ingest-mail`` and in the API (whose
codes are stable); the migration reads the sentences stored before it into codes."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests import mail_helpers as mh
from tests.api_helpers import bearer, token
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.migrate import downgrade, upgrade
from tracker.core.models import MailMessage
from tracker.files.storage import LocalStorage
from tracker.language.i18n import force_locale
from tracker.mail_in import reasons, service

TODAY = date(2024, 3, 10)
ROOT = Path(__file__).resolve().parent.parent

# One clause of each code, with its parameters, and its words in English and in French.
EXAMPLES: list[tuple[dict[str, Any], str, str]] = [
    ({"code": "address_tag", "tag": "+r12-k7f2"}, "address tag +r12-k7f2",
     "l’étiquette d’adresse +r12-k7f2"),
    ({"code": "subject_tag", "tag": "[ATI-12]"}, "subject tag [ATI-12]",
     "l’étiquette d’objet [ATI-12]"),
    ({"code": "reply", "message_id": "<a@b>"}, "a reply to <a@b>",
     "une réponse au message <a@b>"),
    ({"code": "reply_letter", "message_id": "<l@t>"}, "a reply to the letter <l@t>",
     "une réponse à la lettre <l@t>"),
    ({"code": "file_number", "numbers": ["A-1"]}, "file number A-1",
     "le numéro de dossier A-1"),
    ({"code": "file_number", "numbers": ["A-1", "A1"]}, "file numbers A-1, A1",
     "les numéros de dossier A-1, A1"),
    ({"code": "domain", "domain": "gc.ca"},
     "sender's domain gc.ca: the institution's one open request",
     "le domaine de l’expéditeur, gc.ca\u00a0: la seule demande en cours de cette institution"),
    ({"code": "page"}, "dropped on the request's page", "déposé sur la page de la demande"),
    ({"code": "manual", "user": "Ana"}, "attached by Ana", "rattaché par Ana"),
    ({"code": "no_tag"}, "no request tag", "aucune étiquette de demande"),
    ({"code": "not_reply"}, "not a reply to a message the tracker holds",
     "ne répond à aucun message conservé dans le suivi"),
    ({"code": "no_number"}, "no request's file number in the subject or text",
     "aucun numéro de dossier d’une demande dans l’objet ou le texte"),
    ({"code": "several_numbers", "count": 2, "numbers": ["A-1", "A-2"]},
     "it names the file numbers of 2 requests (A-1, A-2)",
     "il cite les numéros de dossier de 2 demandes (A-1, A-2)"),
    ({"code": "no_sender"}, "its sender has no address", "son expéditeur n’a pas d’adresse"),
    ({"code": "unknown_domain", "domain": "x.test"},
     "no institution has the sender's domain x.test",
     "aucune institution n’a le domaine de l’expéditeur, x.test"),
    ({"code": "shared_domain", "domain": "gc.ca", "count": 3},
     "3 institutions share the domain gc.ca", "3 institutions ont le domaine gc.ca"),
    ({"code": "no_open_request", "domain": "gc.ca"},
     "the institution of gc.ca has no open request",
     "l’institution de gc.ca n’a aucune demande en cours"),
    ({"code": "several_open_requests", "domain": "gc.ca"},
     "the institution of gc.ca has several open requests",
     "l’institution de gc.ca a plusieurs demandes en cours"),
    ({"code": "text", "text": "as it was"}, "as it was", "as it was"),
]  # fmt: skip


def test_every_code_has_words_in_both_languages(app: Flask) -> None:
    assert {e[0]["code"] for e in EXAMPLES} == set(reasons.CODES)
    with app.test_request_context():
        for why, english, french in EXAMPLES:
            with force_locale("en"):
                assert reasons.render([why]) == english
            with force_locale("fr"):
                assert reasons.render([why]) == french
        with force_locale("fr"):
            assert reasons.render([{"code": "no_tag"}, {"code": "not_reply"}]) == (
                "aucune étiquette de demande; ne répond à aucun message conservé dans le suivi"
            )
    with pytest.raises(ValueError):
        reasons.clause("misspelt")


def _setup(app: Flask) -> dict[str, int]:
    with builders.desk(app, today=TODAY) as desk:
        rcmp = desk.institution("RCMP", access_email="atip-aiprp@rcmp-grc.gc.ca")
        ids = {
            "one": desk.request(rcmp, "Clearview", file_number="A-2024-00123").id,
            "two": desk.request(rcmp, "Drones", file_number="A-2024-00999").id,
            "newsroom": desk.user.newsroom_id,
        }
    with builders.desk(app, "other@star.test", newsroom="The Star", today=TODAY) as other:
        other.request("RCMP", "Star's", file_number="A-2024-55555")
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        context = service.Context(
            newsroom_id=ids["newsroom"],
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=1024 * 1024,
            timezone="America/Toronto",
            today=TODAY,
        )
        service.ingest_batch(
            session,
            context,
            [
                ("a.eml", mh.message("A-2024-00123", "Acknowledged.", message_id="<a@gc>")),
                ("b.eml", mh.message("Update", "Your file is progressing.", message_id="<b@gc>")),
            ],
        )
    return ids


def test_pages_show_the_reason_in_the_readers_language(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    ids = _setup(app)
    auth.login()
    english = page(client.get("/mail/", headers={"Accept-Language": "en"}))
    assert "the institution of rcmp-grc.gc.ca has several open requests" in english.get_text()
    client.set_cookie("tracker_locale", "fr")
    queue = page(client.get("/mail/")).select_one("#review-queue tbody tr")
    assert queue is not None
    assert "l’institution de rcmp-grc.gc.ca a plusieurs demandes en cours" in queue.get_text()
    assert "several open requests" not in queue.get_text()
    request_page = page(client.get(f"/requests/{ids['one']}")).get_text()
    assert "Associé par le numéro de dossier A-2024-00123." in request_page
    with app.app_context():
        attached = db.session().scalar(
            sa.select(MailMessage).where(MailMessage.request_id.isnot(None))
        )
        assert attached is not None
        shown = page(client.get(f"/mail/{attached.id}")).get_text()
    assert "le numéro de dossier A-2024-00123" in shown


def test_ingest_mail_prints_the_reason_in_the_chosen_language(app: Flask, tmp_path: Path) -> None:
    ids = _setup(app)
    path = tmp_path / "m.eml"
    path.write_bytes(mh.message("A-2024-00999", "Records.", message_id="<c@gc>"))
    other = tmp_path / "n.eml"
    other.write_bytes(mh.message("Hi", "No number.", message_id="<d@gc>", sender="x@none.test"))
    runner = app.test_cli_runner()
    french = runner.invoke(
        args=["ingest-mail", str(path), str(other), "--newsroom", "La Presse", "--language", "fr"]
    )
    assert french.exit_code == 0, french.output
    lines = [line.split("\t") for line in french.output.strip().splitlines()]
    assert lines[0] == ["<c@gc>", str(ids["two"]), "le numéro de dossier A-2024-00999"]
    assert lines[1][:2] == ["<d@gc>", "unmatched"]
    assert lines[1][2].startswith("file de vérification\u00a0: aucune étiquette de demande;")
    assert "aucune institution n’a le domaine de l’expéditeur, none.test" in lines[1][2]
    # Again: duplicates, in the shell's language (LANG) this time, then in English.
    by_shell = runner.invoke(
        args=["ingest-mail", str(path), "--newsroom", "La Presse"],
        env={"LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_CA.UTF-8"},
    )
    assert by_shell.output.strip().split("\t")[2] == "déjà enregistré (même contenu)"
    english = runner.invoke(
        args=["ingest-mail", str(path), "--newsroom", "La Presse", "--language", "en"],
        env={"LANG": "fr_CA.UTF-8"},
    )
    assert english.output.strip().split("\t")[2] == "already stored (same content)"


def test_the_api_gives_stable_codes_and_words_in_the_readers_language(
    app: Flask, client: FlaskClient
) -> None:
    ids = _setup(app)
    secret = token(app, "reporter@example.org")
    answer = client.get(f"/api/v1/requests/{ids['one']}/mail", headers=bearer(secret))
    assert answer.status_code == 200, answer.get_json()
    (item,) = answer.get_json()["items"]
    assert item["match"] == {
        "rule": "file_number",
        "why": [{"code": "file_number", "params": {"numbers": ["A-2024-00123"]}}],
        "text": "file number A-2024-00123",
    }
    french = client.get(
        "/api/v1/mail/review", headers={**bearer(secret), "Accept-Language": "fr-CA"}
    ).get_json()
    (queued,) = french["items"]
    assert [c["code"] for c in queued["match"]["why"]] == [
        "no_tag",
        "not_reply",
        "no_number",
        "several_open_requests",
    ]
    assert queued["match"]["rule"] is None and queued["status"] == "review"
    assert queued["match"]["text"].endswith(
        "l’institution de rcmp-grc.gc.ca a plusieurs demandes en cours"
    )
    # The codes are in the OpenAPI document, as an enum.
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["components"]["schemas"]
    reason = next(v for k, v in schema.items() if k.startswith("MatchReason"))
    assert set(reason["properties"]["code"]["enum"]) == set(reasons.CODES)
    # Another newsroom's request: 404, as every other request route.
    stranger = client.get("/api/v1/requests/999999/mail", headers=bearer(secret))
    assert stranger.status_code == 404
    # Another newsroom's token sees none of this review queue.
    theirs = client.get("/api/v1/mail/review", headers=bearer(token(app, "other@star.test")))
    assert theirs.status_code == 200 and theirs.get_json()["items"] == []


def _migration() -> Any:
    path = ROOT / "migrations" / "versions" / "0024_mail_reason_codes.py"
    spec = importlib.util.spec_from_file_location("mail_reason_codes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Sentences the code before the migration stored, and what they become.
OLD = [
    (True, "address tag +r12-k7f2", [{"code": "address_tag", "tag": "+r12-k7f2"}]),
    (True, "a reply to the letter <l@t>", [{"code": "reply_letter", "message_id": "<l@t>"}]),
    (True, "a reply to <a@b>", [{"code": "reply", "message_id": "<a@b>"}]),
    (True, "file number A-1, A1", [{"code": "file_number", "numbers": ["A-1", "A1"]}]),
    (True, "attached by Ana Lee", [{"code": "manual", "user": "Ana Lee"}]),
    (
        False,
        "no request tag; not a reply to a message the tracker holds; it names the file numbers "
        "of 2 requests (A-1, A-2); 2 institutions share the domain gc.ca",
        [
            {"code": "no_tag"},
            {"code": "not_reply"},
            {"code": "several_numbers", "count": 2, "numbers": ["A-1", "A-2"]},
            {"code": "shared_domain", "count": 2, "domain": "gc.ca"},
        ],
    ),
    (False, "no request tag; something new", [{"code": "text", "text": "no request tag; something new"}]),
]  # fmt: skip


def test_the_migration_reads_stored_sentences_into_codes(app: Flask) -> None:
    module = _migration()
    for matched, sentence, why in OLD:
        assert module.read_sentence(sentence, matched) == why
        assert module._sentence(why) == sentence
    builders_ids = _setup(app)
    assert builders_ids
    downgrade(app, "0024_mail_reason_codes-1")
    engine = app.extensions["engine"]
    with engine.begin() as conn:
        rows = (
            conn.execute(sa.text("SELECT match_reason FROM mail_message ORDER BY id"))
            .scalars()
            .all()
        )
        assert rows == [
            "file number A-2024-00123",
            "no request tag; not a reply to a message the tracker holds; no request's file "
            "number in the subject or text; the institution of rcmp-grc.gc.ca has several open "
            "requests",
        ]
        conn.execute(
            sa.text("UPDATE mail_message SET match_reason = 'attached by Ana' WHERE id = 1")
        )
    upgrade(app)
    with app.app_context():
        stored = db.session().scalars(sa.select(MailMessage).order_by(MailMessage.id)).all()
        assert stored[0].match_why == [{"code": "manual", "user": "Ana"}]
        assert [c["code"] for c in stored[1].match_why][-1] == "several_open_requests"
