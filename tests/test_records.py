"""Issue 23: text from every attached file, read in the background, searched across the
newsroom's records (both databases), and the exemptions the records cite, counted."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from tests import builders, records_files
from tests.api_helpers import bearer, token
from tests.conftest import page
from tests.packets_helpers import pdf_text, read_zip
from tracker.core import db
from tracker.core.models import InfoRequest, RecordFile, RecordText
from tracker.records import exemptions, jobs
from tracker.records import search as records_search

TODAY = date(2024, 3, 20)
WITHHELD_EN = [
    "Briefing note for the Commissioner",
    "Information withheld under",
    "the surveillance contract",
]
FRENCH = ["Note de service du ministère", "La décision du comité", "sur la sécurité publique"]


def _attach(app, title: str, *files: tuple[str, bytes, str], law: str = "ca-atia") -> int:
    with builders.desk(app, today=TODAY) as desk:
        institution = desk.institution("Royal Canadian Mounted Police", law)
        built = desk.request(institution, title, received=date(2024, 2, 1))
        built.final_response(
            date(2024, 3, 1),
            outcome="partial",
            uploads=tuple(builders.upload(n, d, t) for n, d, t in files),
        )
        return built.id


def _work(app) -> jobs.WorkResult:
    with app.app_context():
        return jobs.work(db.session(), app.config)


def _files(app, request_id: int) -> dict[str, RecordFile]:
    with app.app_context():
        rows = db.session().execute(
            sa.text(
                "SELECT a.original_name, f.id FROM record_file f "
                "JOIN attachment a ON a.id = f.attachment_id WHERE f.request_id = :r"
            ),
            {"r": request_id},
        )
        return {name: db.session().get(RecordFile, fid) for name, fid in rows}


def _search(app, query: str, newsroom_id: int = 1) -> list[tuple[str, int | None, str]]:
    with app.app_context():
        found = records_search.search(db.session(), newsroom_id, query)
    return [(h.source, h.page, "".join(t for t, m in h.parts if m)) for h in found.hits]


def test_a_scanned_page_is_found_by_its_words_after_extraction(app, client, auth):
    scan = records_files.scanned_pdf([WITHHELD_EN, FRENCH])
    request_id = _attach(app, "Surveillance", ("release.pdf", scan, "application/pdf"))
    files = _files(app, request_id)
    assert files["release.pdf"].status == "queued"  # the upload queued it

    assert _work(app).read == 1
    files = _files(app, request_id)
    assert (files["release.pdf"].status, files["release.pdf"].pages_done) == ("done", 2)
    with app.app_context():
        pages = (
            db.session()
            .scalars(
                sa.select(RecordText).where(RecordText.source == "page").order_by(RecordText.page)
            )
            .all()
        )
        assert [(p.page, p.engine) for p in pages] == [(1, "tesseract"), (2, "tesseract")]
        assert pages[0].engine_version.startswith("5")

    hits = _search(app, "surveillance contract")
    assert ("page", 1, "surveillancecontract") in hits
    # A French page is found without its accents, and with them.
    assert [h[:2] for h in _search(app, "decision comite")] == [("page", 2)]
    assert [h[:2] for h in _search(app, "Décision COMITÉ")] == [("page", 2)]

    auth.login()
    html = page(client.get("/search?q=securite+publique"))
    hit = html.select_one("li.hit")
    assert hit is not None and hit["data-source"] == "page"
    link = hit.select_one("a.hit-file")["href"]
    assert link.endswith("#page=2")
    assert [m.get_text() for m in hit.select("mark")] == ["sécurité", "publique"]
    opened = client.get(link.split("#")[0])
    assert opened.status_code == 200 and opened.mimetype == "application/pdf"
    assert opened.headers["Content-Disposition"] == "inline"
    assert hashlib.sha256(opened.data).hexdigest() == hashlib.sha256(scan).hexdigest()

    shown = page(client.get(f"/requests/{request_id}"))
    assert shown.select_one("#records-progress")["value"] == "1"
    assert shown.select_one(".record-status")["data-status"] == "done"


def test_titles_notes_and_text_pages_are_searched_and_escaped(app, client, auth):
    with builders.desk(app, today=TODAY) as desk:
        rcmp = desk.institution("RCMP", "ca-atia")
        built = desk.request(rcmp, "Contrats de l'été", text="Les dépenses <b>du</b> ministère")
        built.note(date(2024, 3, 2), "Appel avec le coordonnateur: <script>x</script> délai")
        pdf = records_files.text_pdf(
            ["Nothing to see on page one here.", "Le délai prévu pour la réponse est dépassé."]
        )
        built.final_response(
            date(2024, 3, 5),
            outcome="partial",
            uploads=(builders.upload("lettre.pdf", pdf, "application/pdf"),),
        )
    with builders.desk(app, "other@example.org", today=TODAY, newsroom="Le Devoir") as other:
        other.request(other.institution("RCMP"), "Délai de l'autre salle")
    _work(app)

    assert [h[:2] for h in _search(app, "ete contrats")] == [("request", None)]
    # Newest first: the page (read last), the note, the request's text; never the other
    # newsroom's request.
    assert [h[:2] for h in _search(app, "delai")] == [("page", 2), ("note", None)]
    assert [h[:2] for h in _search(app, "depenses")] == [("request", None)]
    assert _search(app, "absentword") == []

    auth.login()
    response = client.get("/search?q=delai")
    assert b"<script>x</script>" not in response.data
    assert b"&lt;script&gt;x&lt;/script&gt;" in response.data
    empty = client.get("/search?q=+")
    assert empty.status_code == 200
    assert page(empty).select_one("#q-error") is not None

    # A request's new title is searched at once (the database copies it).
    with app.app_context(), db.transaction() as session:
        session.execute(sa.text("UPDATE info_request SET title = 'Budget des pêches' WHERE id = 1"))
    assert [h[:2] for h in _search(app, "peches")] == [("request", None)]
    assert _search(app, "ete contrats") == []


def test_search_api_answers_hits_and_refuses_empty_queries(app, client):
    request_id = _attach(
        app,
        "Clearview AI",
        ("memo.pdf", records_files.text_pdf(["Facial recognition memo"]), "application/pdf"),
    )
    _work(app)
    secret = token(app, "reporter@example.org")
    response = client.get("/api/v1/search?q=recognition", headers=bearer(secret))
    assert response.status_code == 200, response.json
    (hit,) = response.json["items"]
    assert hit["source"] == "page" and hit["request_id"] == request_id and hit["page"] == 1
    assert hit["file_url"].endswith("#page=1")
    assert [p["text"] for p in hit["snippet"] if p["match"]] == ["recognition"]
    for bad in ("", "?q=", "?q=%20%20", "?q=x&before=abc"):
        refused = client.get(f"/api/v1/search{bad}", headers=bearer(secret))
        assert refused.status_code == 400 and refused.json["reason"], bad
    assert client.get("/api/v1/search?q=memo").status_code == 401


def test_bad_files_are_marked_with_the_reason_and_the_queue_moves_on(app, client, auth):
    good = records_files.text_pdf(["A readable page about budgets."])
    whole = records_files.text_pdf([f"Page {n} of the long release." for n in range(1, 40)])
    files = {
        "encrypted.pdf": records_files.encrypted_pdf(),
        "corrupt.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 20,
        "truncated.pdf": whole[: len(whole) // 2],
        "long.pdf": records_files.text_pdf(["x"] * 5000),
        "bomb.png": records_files.image_bomb(),
        "slow.png": records_files.png(["A page Tesseract reads too slowly"]),
        "good.pdf": good,
    }
    app.config["OCR_PAGE_SECONDS"] = 0.01
    request_id = _attach(
        app, "Bad files", *((n, d, "application/octet-stream") for n, d in files.items())
    )
    result = _work(app)
    assert (result.read, result.failed) == (1, 6)
    states = {name: (f.status, f.reason or "") for name, f in _files(app, request_id).items()}
    assert states["good.pdf"] == ("done", "")
    assert "encrypted" in states["encrypted.pdf"][1]
    assert states["corrupt.pdf"][0] == "failed" and "cannot be opened" in states["corrupt.pdf"][1]
    assert states["truncated.pdf"][0] == "failed"
    assert "5000 pages" in states["long.pdf"][1]
    assert "12000 by 6000 pixels" in states["bomb.png"][1]
    assert "longer than 0.01 seconds" in states["slow.png"][1]
    assert [h[:2] for h in _search(app, "budgets")] == [("page", 1)]

    auth.login()
    shown = page(client.get(f"/requests/{request_id}"))
    reasons = [r.get_text() for r in shown.select(".record-reason")]
    assert any("encrypted" in r for r in reasons)
    # The originals stay downloadable, unchanged.
    for link in shown.select("ul.files a[download]"):
        name = link.get_text()
        got = client.get(link["href"])
        assert got.status_code == 200
        assert hashlib.sha256(got.data).digest() == hashlib.sha256(files[name]).digest()


def test_a_restart_resumes_from_the_first_page_not_read(app):
    pdf = records_files.text_pdf([f"Page number {n} of the release." for n in (1, 2, 3)])
    request_id = _attach(app, "Resume", ("three.pdf", pdf, "application/pdf"))
    with app.app_context():
        session = db.session()
        file_id = jobs.claim_next(session, app.config)
        assert file_id is not None
        record = session.get(RecordFile, file_id)
        # The worker stored page 1, then stopped (its heartbeat is now old).
        session.add(
            RecordText(
                newsroom_id=1,
                request_id=request_id,
                source="page",
                attachment_id=record.attachment_id,
                page=1,
                body="read before the restart",
                engine="pdfium",
                engine_version="x",
            )
        )
        record.heartbeat_at = record.heartbeat_at - jobs.stale_after(app.config) * 2
        session.commit()
        assert jobs.claim_next(session, app.config) == file_id  # claimed again
        session.execute(sa.update(RecordFile).values(status="reading"))
        assert jobs.run_file(session, app.config, file_id)
        bodies = dict(
            session.execute(
                sa.select(RecordText.page, RecordText.body).where(RecordText.source == "page")
            ).all()
        )
    assert bodies[1] == "read before the restart"  # not read again
    assert bodies[2].startswith("Page number 2") and bodies[3].startswith("Page number 3")


def test_extract_text_command_reads_one_requests_files(app, runner):
    first = _attach(
        app, "One", ("a.pdf", records_files.text_pdf(["First release text"]), "application/pdf")
    )
    second = _attach(
        app, "Two", ("b.pdf", records_files.text_pdf(["Second release text"]), "application/pdf")
    )
    result = runner.invoke(args=["extract-text", "--request", str(first)])
    assert result.exit_code == 0, result.output
    assert "1 page(s)" in result.output and "1 done" in result.output
    assert _files(app, second)["b.pdf"].status == "queued"
    assert runner.invoke(args=["extract-text", "--request", "999"]).exit_code != 0
    waited = runner.invoke(
        args=["extract-text", "--request", str(second), "--wait", "--timeout", "0"]
    )
    assert waited.exit_code != 0 and "still waiting" in waited.output
    again = runner.invoke(args=["extract-text", "--request", str(first), "--again"])
    assert "1 file(s) queued again" in again.output and "1 done" in again.output


RELEASE = [
    "Briefing note\nThe name of the officer s.19(1) was removed.\n"
    "Advice to the minister 21(1)(a) follows. Also 19(1).",
    "Page withheld pursuant to section 69 of the Act",
    "Public schedule for the week of March 4, 2024. Nothing withheld.",
    "Contract details\n20(1)(b)\n19(1)\nThe remainder of this page is released.",
]


def test_exemptions_are_counted_per_page_request_and_institution(app, client, auth):
    request_id = _attach(
        app, "Release", ("release.pdf", records_files.text_pdf(RELEASE), "application/pdf")
    )
    _work(app)
    with app.app_context():
        session = db.session()
        counted = exemptions.for_request(session, request_id)
        assert (counted.pages_in_part, counted.pages_in_full) == (2, 1)
        assert [(s.section, s.pages) for s in counted.sections] == [
            ("19", 2),
            ("20", 1),
            ("21", 1),
            ("69", 1),
        ]
        assert counted.sections[0].name == "Personal information"
        pages = exemptions.pages_of_request(session, request_id)
        assert [(p.page, p.withheld_in_full) for p in pages] == [(1, False), (2, True), (4, False)]
        ((institution, top),) = exemptions.by_institution(session, 1)
        assert institution.name == "Royal Canadian Mounted Police"
        assert top[0].section == "19" and top[0].pages == 2 and top[0].requests == 1
    auth.login()
    shown = page(client.get(f"/requests/{request_id}"))
    assert "2 pages withheld in part, 1 in full" in shown.select_one("#records").get_text()

    # The scorecard shows what the institution claims most, in a table and a chart.
    card = page(client.get("/scorecards/"))
    rows = [
        [c.get_text(" ", strip=True) for c in tr.select("th, td")]
        for tr in card.select("#exemptions tbody tr")
    ]
    assert rows[0] == ["Royal Canadian Mounted Police", "19 (Personal information)", "2", "1"]
    assert [r[-3] for r in rows[1:]] == [
        "20 (Third party information)",
        "21 (Advice, etc. (Operations of Government))",
        "69 (Confidences of the Queen's Privy Council for Canada)",
    ]
    bars = card.select("#exemptions svg rect")
    assert [int(b["width"]) for b in bars] == [300, 150, 150, 150]

    # The evidence packet of an exemptions complaint lists them page by page.
    with builders.desk(app, today=TODAY) as desk:
        built = builders.RequestBuilder(desk, desk.session.get(InfoRequest, request_id))
        built.complaint(date(2024, 3, 10), grounds="exemptions")
    packet = read_zip(client.get(f"/requests/{request_id}/packet.zip").data)
    lines = packet["exemptions.csv"].decode("utf-8-sig").splitlines()
    assert lines == [
        "file,page,sections,withheld",
        'release.pdf,1,"19 (Personal information); 21 (Advice, etc. (Operations of Government))",'
        "in part",
        "release.pdf,2,69 (Confidences of the Queen's Privy Council for Canada),in full",
        "release.pdf,4,19 (Personal information); 20 (Third party information),in part",
    ]
    assert "Exemptions cited in the released records" in pdf_text(packet["packet.pdf"])


@pytest.mark.parametrize(
    ("law", "text", "expected"),
    [
        ("ca-atia", "s.19(1) and 16(1)(c); 69\n", {"19": 1, "16": 1}),
        ("ca-atia", "Page 3 of 12, 2024, see 300 documents", {}),
        ("ca-atia", "19(1), 21(1)(a)\n69\n", {"19": 1, "21": 1, "69": 1}),
        (
            "ca-qc-access",
            "Retiré en vertu des art. 53 et 54, article 37",
            {"53": 1, "54": 1, "37": 1},
        ),
        (
            "us-foia",
            "Redacted (b)(6), b7C and (b)(7)(E); Exemption 5",
            {"b6": 1, "b7C": 1, "b7E": 1, "b5": 1},
        ),
        ("uk-foia", "withheld under s.40(2) and section 43", {"40": 1, "43": 1}),
        ("ca-nl-atippa", "s.19(1)", {}),  # no scheme declared: nothing counted
    ],
)
def test_each_law_declares_how_its_citations_look(law, text, expected):
    from tracker.deadlines import exemptions as law_exemptions

    assert dict(law_exemptions.find(law, text)) == expected


def _docx(paragraphs: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Montant"
    table.rows[0].cells[1].text = "Budget révisé"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


EML = (
    b"From: atip@rcmp-grc.gc.ca\r\nTo: reporter@example.org\r\nSubject: Your request A-2024-1\r\n"
    b"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    b"<html><body><p>Please find the <b>interim release</b> attached.</p>"
    b"<script>ignored()</script></body></html>\r\n"
)


def test_mail_word_and_text_files_are_read_as_one_page_each(app):
    request_id = _attach(
        app,
        "Mixed",
        ("reply.eml", EML, "message/rfc822"),
        ("memo.docx", _docx(["Mémoire au sous-ministre"]), "application/octet-stream"),
        ("notes.txt", "Appel du coordonnateur à 14 h".encode("latin-1"), "text/plain"),
        ("archive.zip", b"PK\x05\x06" + b"\x00" * 18, "application/zip"),
    )
    _work(app)
    with app.app_context():
        pages = {
            name: (engine, body)
            for name, engine, body in db.session().execute(
                sa.text(
                    "SELECT a.original_name, t.engine, t.body FROM record_text t "
                    "JOIN attachment a ON a.id = t.attachment_id"
                )
            )
        }
    assert pages["reply.eml"][0] == "email"
    assert "interim release" in pages["reply.eml"][1] and "ignored" not in pages["reply.eml"][1]
    assert pages["memo.docx"] == ("python-docx", "Mémoire au sous-ministre\nMontant\tBudget révisé")
    assert pages["notes.txt"] == ("text", "Appel du coordonnateur à 14 h")
    zipped = _files(app, request_id)["archive.zip"]
    assert zipped.status == "failed" and "no text" in zipped.reason
    assert [h[:2] for h in _search(app, "memoire sous ministre")] == [("page", 1)]


def test_the_copy_triggers_are_there_at_head(app):
    """A migration that rebuilds info_request or timeline_event on SQLite (batch mode) drops
    their triggers: it must create them again (tracker.records.ddl)."""
    with app.app_context():
        bind = db.session().get_bind()
        if bind.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = (
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
            )
        names = set(db.session().scalars(sa.text(query)))
    from tracker.records import ddl

    expected = (
        set(ddl.SQLITE_COPY_TRIGGERS) | set(ddl.SQLITE_FTS_TRIGGERS)
        if bind.dialect.name == "sqlite"
        else set(ddl.PG_TRIGGERS)
    )
    assert expected <= names


def test_a_worker_out_of_time_queues_the_file_again_and_the_next_goes_on(app):
    import time

    pdf = records_files.text_pdf([f"Page number {n} of the long release." for n in (1, 2, 3)])
    _attach(app, "Paused", ("three.pdf", pdf, "application/pdf"))
    with app.app_context():
        session = db.session()
        file_id = jobs.claim_next(session, app.config)
        with pytest.raises(jobs.Paused):
            jobs.run_file(session, app.config, file_id, deadline=time.monotonic() - 1)
        record = session.get(RecordFile, file_id, populate_existing=True)
        assert (record.status, record.pages_done, record.attempts) == ("queued", 1, 0)
        assert jobs.work(session, app.config).read == 1
        record = session.get(RecordFile, file_id, populate_existing=True)
        assert (record.status, record.pages_done) == ("done", 3)
        assert (
            session.scalar(
                sa.select(sa.func.count())
                .select_from(RecordText)
                .where(RecordText.source == "page")
            )
            == 3
        )
