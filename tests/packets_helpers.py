"""Requests with timelines and files for the packet tests, built through the request service."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

from tracker.core import clock, db
from tracker.core.models import Institution, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service
from tracker.requests.service import EventData, RequestData, Upload

TODAY = date(2026, 11, 22)
GENERATED_AT = "2026-11-22T15:30:00Z"
SEED_TEXT = (
    "Tous les documents, courriels et notes d’information concernant l’utilisation par "
    "la GRC de la reconnaissance faciale de Clearview AI « depuis 2019 » — œuvre, ça.\n"
    "All records about the RCMP's use of Clearview AI facial recognition."
)
FILES = {
    "request": ("Demande d’accès — GRC.pdf", b"%PDF-1.4 demande\n" * 40),
    "ack": ("accusé.txt", "Accusé de réception — 14 février 2020".encode()),
    "response": ("lettre.pdf", b"%PDF-1.4 reponse finale\n" * 300),
    "response2": ("LETTRE.pdf", b"%PDF-1.4 annexe\n" * 50),
    "finding": ("rapport-CI.pdf", b"%PDF-1.4 rapport\n" * 60),
}


@dataclass(frozen=True)
class Built:
    """A request made for a test and the data that went into it."""

    request_id: int
    user_email: str


def _upload(key: str) -> Upload:
    name, data = FILES[key]
    return Upload(filename=name, content_type="application/octet-stream", stream=io.BytesIO(data))


def _institution(
    session: sa.orm.Session, user: User, name: str, law: str, province: str | None = None
) -> Institution:
    found = session.scalar(
        sa.select(Institution).where(
            Institution.newsroom_id == user.newsroom_id, Institution.name == name
        )
    )
    return found or create_institution(
        session, user.newsroom_id, InstitutionData(name, law, province)
    )


def storage(app: Flask) -> LocalStorage:
    """The app's file store."""
    return LocalStorage(app.config["ATTACHMENTS_DIR"])


def seed_case(app: Flask, user_email: str) -> Built:
    """La Presse's request to the RCMP about Clearview AI: received 2020-02-10, answered
    2022-04-15 (765 days late), complaint found well-founded; one entry corrected."""
    with app.app_context(), clock.frozen(TODAY), db.transaction() as s:
        user = s.scalar(sa.select(User).where(User.email == user_email))
        rcmp = _institution(s, user, "Gendarmerie royale du Canada (GRC)", "ca-atia")
        request = service.create_request(
            s,
            user,
            RequestData(
                institution_id=rcmp.id,
                title="GRC : Clearview AI et la reconnaissance faciale",
                received_on=date(2020, 2, 10),
                sent_on=date(2020, 2, 10),
                text=SEED_TEXT,
                file_number="A-2019-12345",
            ),
            TODAY,
        )
        files, cap = storage(app), 10 * 1024 * 1024

        def add(data, corrects=None):
            return service.add_event(s, user, request, data, TODAY, files, cap, corrects=corrects)

        add(
            EventData(
                "note",
                date(2020, 2, 10),
                "Copy of the request as sent.",
                uploads=(_upload("request"),),
            )
        )
        wrong = add(EventData("acknowledgement", date(2020, 2, 13), "Accusé de réception."))
        add(
            EventData(
                "acknowledgement",
                date(2020, 2, 14),
                "Accusé de réception (date corrected: the letter is dated 14 February).",
                uploads=(_upload("ack"),),
            ),
            corrects=wrong,
        )
        add(EventData("note", date(2021, 1, 5), '=HYPERLINK("http://evil")'))
        add(
            EventData(
                "final_response",
                date(2022, 4, 15),
                "212 pages, partly redacted.",
                details={"outcome": "partial"},
                uploads=(_upload("response"), _upload("response2")),
            )
        )
        add(
            EventData(
                "complaint_filed",
                date(2022, 4, 20),
                "Complaint about the delay.",
                details={"grounds": "delay", "body_file_number": "5820-00123"},
            )
        )
        add(
            EventData(
                "complaint_finding",
                date(2023, 3, 1),
                "Well-founded.",
                details={"finding": "well_founded"},
                uploads=(_upload("finding"),),
            )
        )
        return Built(request.id, user_email)


def bare_request(
    app: Flask,
    user_email: str,
    law: str = "ca-atia",
    received: date = date(2026, 11, 2),
    text: str = "",
    institution: str = "Bare institution",
    province: str | None = None,
) -> Built:
    """A request with nothing on its timeline but its filing."""
    with app.app_context(), clock.frozen(TODAY), db.transaction() as s:
        user = s.scalar(sa.select(User).where(User.email == user_email))
        inst = _institution(s, user, institution, law, province)
        request = service.create_request(
            s,
            user,
            RequestData(
                institution_id=inst.id, title=f"Bare {law} request", received_on=received, text=text
            ),
            TODAY,
        )
        return Built(request.id, user_email)


def with_extension(app: Flask, user_email: str, notice_on: date) -> Built:
    """An unanswered ATIA request received 2024-02-01 with a 45-day extension claimed on
    ``notice_on`` without notice to the Information Commissioner."""
    with app.app_context(), clock.frozen(TODAY), db.transaction() as s:
        user = s.scalar(sa.select(User).where(User.email == user_email))
        inst = _institution(s, user, "Immigration, Refugees and Citizenship Canada", "ca-atia")
        request = service.create_request(
            s,
            user,
            RequestData(
                institution_id=inst.id,
                title=f"IRCC backlog notes {notice_on}",
                received_on=date(2024, 2, 1),
                text="Briefing notes on the backlog.",
            ),
            TODAY,
        )
        service.add_event(
            s,
            user,
            request,
            EventData(
                "extension",
                notice_on,
                "Extension notice.",
                details={
                    "days": 45,
                    "reason": "volume",
                    "notice_on": notice_on.isoformat(),
                    "commissioner_notified": False,
                },
            ),
            TODAY,
            storage(app),
            1024,
        )
        return Built(request.id, user_email)


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def read_zip(path: Path | bytes) -> dict[str, bytes]:
    """Every entry of a ZIP by name."""
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with zipfile.ZipFile(source) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
