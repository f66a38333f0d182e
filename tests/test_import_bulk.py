"""The import's bulk writing (issue 17 part 7): several requests and their notes a statement,
several statements a batch, and still the same rows a request logged by hand leaves behind:
its copy and its notes' copies in the records search, its words in the request search."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tracker.core import clock, db
from tracker.core.db import sqlite_search_index
from tracker.core.models import InfoRequest, TimelineEvent
from tracker.files.storage import LocalStorage
from tracker.imports import bulk, service
from tracker.imports.csvfile import open_csv
from tracker.records import search as records
from tracker.requests import queries

TODAY = date(2026, 11, 22)
MAPPING = {
    "title": "title",
    "text": "text",
    "file_number": "file number",
    "received_on": "received",
    "completed_on": "completed",
    "decision": "decision",
    "default_institution": "Sûreté du Québec",
    "default_law": "ca-qc-access",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", newsroom="Le Devoir", role="editor", name="Ed Itor")


def test_requests_and_notes_written_in_bulk_are_in_both_searches(
    app, tmp_path, editor, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH", 3)  # two batches: 3 requests, then 2
    lines = ["file number,title,text,received,completed,decision\n"]
    lines += [
        f"Q-{n},Contrats {n},Contrats de déneigement du secteur {n},2024-01-0{n + 2},"
        f"2024-02-0{n + 2},all disclosed\n"
        for n in range(4)
    ]
    lines.append("Q-9,Rapports,Rapports d’inspection,2024-01-08,,\n")  # no answer yet
    path = tmp_path / "bulk.csv"
    path.write_text("".join(lines), encoding="utf-8")
    with app.app_context():
        session = db.session()
        user = session.merge(editor)
        plan = service.build_plan(
            session, user.newsroom_id, open_csv(path), service.Mapping.from_dict(MAPPING), TODAY
        )
        assert not plan.errors
        with db.transaction() as write:
            result = service.run_import(
                write, plan, user, TODAY, LocalStorage(tmp_path / "files"), source="bulk.csv"
            )
        assert result.requests == 5
        requests = session.execute(
            sa.select(InfoRequest.id, InfoRequest.title, InfoRequest.text).order_by(InfoRequest.id)
        ).all()
        notes = session.execute(
            sa.select(TimelineEvent.id, TimelineEvent.request_id, TimelineEvent.note)
            .where(TimelineEvent.note != "")
            .order_by(TimelineEvent.id)
        ).all()
        # Filed, final response and imported for each answered request; filed, "unanswered as
        # of" the file's latest date and imported for the other: every note says something.
        assert len(notes) == 4 * 3 + 3
        copies = session.execute(
            sa.text("SELECT request_id, source, event_id, body FROM record_text ORDER BY id")
        ).all()
        assert sorted(c for c in copies if c.source == "request") == sorted(
            (r.id, "request", None, f"{r.title}\n{r.text}") for r in requests
        )
        assert sorted(c for c in copies if c.source == "note") == sorted(
            (n.request_id, "note", n.id, n.note) for n in notes
        )
        # The records search finds a word of every request, and the import's notes.
        found = records.search(session, user.newsroom_id, "deneigement", per_page=50)
        assert sorted(hit.request_id for hit in found.hits) == [r.id for r in requests[:4]]
        imported = records.search(session, user.newsroom_id, "imported", per_page=50)
        import_notes = session.scalars(
            sa.select(TimelineEvent.id).where(TimelineEvent.kind == "imported")
        ).all()
        assert len(import_notes) == 5
        assert set(import_notes) <= {hit.event_id for hit in imported.hits}
        # The request list's search, accents and a typographic apostrophe folded.
        fts = sqlite_search_index(session)
        for term, expected in (("déneigement", 4), ("DENEIGEMENT", 4), ("d'inspection", 1)):
            matched = session.scalars(
                queries.filtered(user.newsroom_id, queries.RequestFilters(q=term), fts=fts)
            ).all()
            assert len(matched) == expected, term
        if session.get_bind().dialect.name == "sqlite":
            for table in ("record_text_fts", "info_request_search"):
                session.execute(
                    sa.text(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
                )


def test_notes_are_in_the_importers_language_in_bulk(app, tmp_path, make_user):
    french = make_user("fr@example.org", newsroom="La Presse", role="editor", name="Éd")
    with app.app_context():
        session = db.session()
        user = session.merge(french)
        user.locale = "fr"
        session.commit()
        path = tmp_path / "fr.csv"
        path.write_text(
            "file number,title,text,received,completed,decision\n"
            "F-1,Budget,Budget 2024,2024-01-02,2024-02-01,all disclosed\n"
            "F-2,Routes,Routes,2024-01-03,2024-02-01,nothing disclosed\n"
            "F-2,Routes,Routes,2024-01-03,2024-03-01,all disclosed\n",
            encoding="utf-8",
        )
        plan = service.build_plan(
            session, user.newsroom_id, open_csv(path), service.Mapping.from_dict(MAPPING), TODAY
        )
        with db.transaction() as write:
            service.run_import(
                write, plan, user, TODAY, LocalStorage(tmp_path / "files"), source="fr.csv"
            )
        notes = session.execute(
            sa.select(TimelineEvent.kind, TimelineEvent.note)
            .where(TimelineEvent.kind.in_(("partial_release", "final_response")))
            .order_by(TimelineEvent.id)
        ).all()
        assert [kind for kind, _ in notes] == [
            "final_response",
            "partial_release",
            "final_response",
        ]
        assert notes[0].note == "Décision inscrite dans le tableur\u00a0: all disclosed."
        assert notes[1].note == "Communication de documents (tirée de l’importation)."
        assert notes[2].note == (
            "Décision inscrite dans le tableur\u00a0: nothing disclosed, all disclosed."
        )
