"""Issue 23: the Office formats a newsroom receives (Excel, PowerPoint, OpenDocument, RTF,
Outlook) are read into pages and found by the search; real small files, made in the test."""

from __future__ import annotations

import sqlalchemy as sa

from tests import records_files
from tests.mail_helpers import outlook_msg
from tests.test_records import _attach, _files, _search, _work
from tracker.core import db
from tracker.records import extract

OCTET = "application/octet-stream"


def _pages(app) -> dict[str, list[tuple[int, str, str]]]:
    with app.app_context():
        rows = db.session().execute(
            sa.text(
                "SELECT a.original_name, t.page, t.engine, t.body FROM record_text t "
                "JOIN attachment a ON a.id = t.attachment_id ORDER BY a.original_name, t.page"
            )
        )
        pages: dict[str, list[tuple[int, str, str]]] = {}
        for name, number, engine, body in rows:
            pages.setdefault(name, []).append((number, engine, body))
        return pages


def test_office_documents_are_read_a_page_a_sheet_or_slide_and_searched(app):
    request_id = _attach(
        app,
        "Office",
        (
            "budget.xlsx",
            records_files.xlsx(
                {
                    "Dépenses": [["Poste", "Montant"], ["Sûreté du quai", 1200.5]],
                    "Notes": [["Contrat résilié"]],
                }
            ),
            OCTET,
        ),
        (
            "breffage.pptx",
            records_files.pptx(
                [
                    ("Breffage", "Le contrat de surveillance", "Notes pour le ministre"),
                    ("Second", "Calendrier des travaux", ""),
                ]
            ),
            OCTET,
        ),
        ("note.odt", records_files.odt(["Note de service", "La décision du comité"]), OCTET),
        # named wrongly: the parts inside say it is a spreadsheet
        (
            "tableau.bin",
            records_files.ods({"Feuille": [["Année", "Incidents"], [2024, 17]]}),
            OCTET,
        ),
        ("diapos.odp", records_files.odp([["Sécurité publique"], ["Questions"]]), OCTET),
        (
            "lettre.rtf",
            records_files.rtf(["Réponse à la demande A-2024-1", "Frais de 5 € — “exonérés”"]),
            "application/rtf",
        ),
    )
    _work(app)
    files = _files(app, request_id)
    assert {name: f.status for name, f in files.items()} == dict.fromkeys(files, "done")
    assert files["budget.xlsx"].pages_done == 2 and files["breffage.pptx"].pages_done == 2
    pages = _pages(app)
    assert pages["budget.xlsx"] == [
        (1, "openpyxl", "Dépenses\nPoste\tMontant\nSûreté du quai\t1200.5"),
        (2, "openpyxl", "Notes\nContrat résilié"),
    ]
    assert pages["breffage.pptx"] == [
        (1, "python-pptx", "Breffage\nLe contrat de surveillance\nNotes pour le ministre"),
        (2, "python-pptx", "Second\nCalendrier des travaux"),
    ]
    assert pages["note.odt"] == [(1, "odfdo", "Note de service\n\nLa décision du comité")]
    assert pages["tableau.bin"] == [(1, "odfdo", "Feuille\nAnnée\tIncidents\n2024\t17")]
    assert [(n, body.split()) for n, _, body in pages["diapos.odp"]] == [
        (1, ["Sécurité", "publique"]),
        (2, ["Questions"]),
    ]
    assert pages["lettre.rtf"] == [
        (1, "striprtf", "Réponse à la demande A-2024-1\nFrais de 5 € — “exonérés”")
    ]
    # Found without accents, at the sheet or slide they are on.
    assert [h[:2] for h in _search(app, "surete quai")] == [("page", 1)]
    assert [h[:2] for h in _search(app, "contrat resilie")] == [("page", 2)]
    assert [h[:2] for h in _search(app, "calendrier travaux")] == [("page", 2)]
    assert [h[:2] for h in _search(app, "incidents annee")] == [("page", 1)]
    assert [h[:2] for h in _search(app, "exoneres")] == [("page", 1)]


def test_an_outlook_message_is_read_as_its_subject_and_body(app):
    message = outlook_msg(
        "Votre demande A-2024-7",
        "Veuillez trouver la communication partielle ci-jointe.",
        "Bureau AIPRP",
        "aiprp@example.gc.ca",
        "From: aiprp@example.gc.ca\r\nSubject: Votre demande A-2024-7\r\n",
    )
    request_id = _attach(app, "Outlook", ("reply.msg", message, "application/vnd.ms-outlook"))
    _work(app)
    assert _files(app, request_id)["reply.msg"].status == "done"
    [(number, engine, body)] = _pages(app)["reply.msg"]
    assert (number, engine) == (1, "extract-msg")
    assert (
        body == "Votre demande A-2024-7\n\nVeuillez trouver la communication partielle ci-jointe."
    )
    assert [h[:2] for h in _search(app, "communication partielle")] == [("page", 1)]


def test_damaged_or_bombed_office_files_are_marked_and_the_queue_goes_on(app, monkeypatch):
    monkeypatch.setattr(extract, "MAX_UNZIPPED_BYTES", 8 * 1024 * 1024)
    request_id = _attach(
        app,
        "Bad office files",
        ("bomb.xlsx", records_files.zip_bomb("xl/worksheets/sheet1.xml", 9), OCTET),
        ("cut.pptx", records_files.pptx([("Titre", "Texte", "")])[:300], OCTET),
        ("junk.ods", b"PK\x03\x04" + b"\x00" * 200, OCTET),
        ("ok.odt", records_files.odt(["Toujours lu"]), OCTET),
    )
    _work(app)
    files = _files(app, request_id)
    assert files["bomb.xlsx"].status == "failed"
    assert "unpacks to 9 MB, more than the 8 MB" in files["bomb.xlsx"].reason
    assert files["cut.pptx"].status == "failed" and "cannot be opened" in files["cut.pptx"].reason
    assert files["junk.ods"].status == "failed" and "cannot be opened" in files["junk.ods"].reason
    assert files["ok.odt"].status == "done"
    assert [h[:2] for h in _search(app, "toujours lu")] == [("page", 1)]
