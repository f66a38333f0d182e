"""`flask --app tracker demo`: a demo newsroom with the seed case and live requests."""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from tracker.auth.service import NewUser, create_user, hash_password
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution, Newsroom, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _
from tracker.requests import service

DEMO_NEWSROOM = "Demo newsroom"
DEMO_EMAIL = "demo@example.org"

SEED_TEXT = (
    "Tous les documents, courriels, notes d’information et contrats concernant l’utilisation "
    "par la GRC de la technologie de reconnaissance faciale de Clearview AI, depuis le "
    "1er janvier 2019.\n\nAll records, e-mails, briefing notes and contracts about the RCMP's "
    "use of Clearview AI facial recognition technology since 1 January 2019."
)


@dataclass(frozen=True)
class DemoInstitution:
    """An institution the demo sends requests to."""

    name: str
    law_code: str
    province: str | None = None


RCMP = DemoInstitution("Royal Canadian Mounted Police", "ca-atia")
IRCC = DemoInstitution("Immigration, Refugees and Citizenship Canada", "ca-atia")
SQ = DemoInstitution("Sûreté du Québec", "ca-qc-access")
FBI = DemoInstitution("Federal Bureau of Investigation", "us-foia")
HOME_OFFICE = DemoInstitution("Home Office", "uk-foia")


def _user(session: Session) -> tuple[User, str]:
    password = secrets.token_urlsafe(12)
    user = session.scalar(sa.select(User).where(User.email == DEMO_EMAIL))
    if user is None:
        user = create_user(
            session,
            NewUser(
                email=DEMO_EMAIL,
                newsroom=DEMO_NEWSROOM,
                password=password,
                name="Demo Reporter",
                role="editor",
                temporary=True,
            ),
        )
    else:
        # The stored hash cannot be shown again: each run sets and prints a fresh password,
        # temporary like the first (it went through a terminal).
        user.password_hash = hash_password(password)
        user.must_change_password = True
    return user, password


def _institution(session: Session, newsroom: Newsroom, spec: DemoInstitution) -> Institution:
    found = session.scalar(
        sa.select(Institution).where(
            Institution.newsroom_id == newsroom.id, Institution.name == spec.name
        )
    )
    return found or create_institution(
        session, newsroom.id, InstitutionData(spec.name, spec.law_code, spec.province)
    )


def _letter(name: str, text: str) -> service.Upload:
    return service.Upload(
        filename=name, content_type="text/plain", stream=io.BytesIO(text.encode("utf-8"))
    )


def _ensure(
    session: Session,
    user: User,
    spec: DemoInstitution,
    title: str,
    received: date,
    entries: list[service.EventData],
    text: str = "",
    file_number: str | None = None,
) -> InfoRequest:
    institution = _institution(session, user.newsroom, spec)
    existing = session.scalar(
        sa.select(InfoRequest).where(
            InfoRequest.newsroom_id == user.newsroom_id, InfoRequest.title == title
        )
    )
    if existing is not None:
        return existing
    today = clock.today(current_app.config["TIMEZONE"])
    request = service.create_request(
        session,
        user,
        service.RequestData(
            institution_id=institution.id,
            title=title,
            received_on=received,
            sent_on=received,
            text=text,
            file_number=file_number,
        ),
        today,
    )
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    for entry in entries:
        service.add_event(session, user, request, entry, today, storage, 10 * 1024 * 1024)
    return request


class DemoError(ValueError):
    """The demo cannot go where it was asked to."""


def newsroom_owner(session: Session, name: str) -> User:
    """The account that owns the demo's requests in an existing newsroom: its first active
    admin, else editor, else reporter."""
    room = session.scalar(sa.select(Newsroom).where(Newsroom.name == name))
    if room is None:
        raise DemoError(
            _(
                "There is no newsroom named %(name)s: make your account first "
                "(create-user EMAIL --newsroom NAME), then load the demo into it.",
                name=name,
            )
        )
    rank = sa.case({"admin": 0, "editor": 1}, value=User.role, else_=2)
    owner = session.scalar(
        sa.select(User)
        .where(User.newsroom_id == room.id, User.active.is_(True))
        .order_by(rank, User.id)
        .limit(1)
    )
    if owner is None:
        raise DemoError(_("The newsroom %(name)s has no active account.", name=name))
    return owner


def seed_demo(
    session: Session, today: date, newsroom: str | None = None
) -> tuple[User, str | None, list[InfoRequest]]:
    """Create (or find) the demo's requests, never twice: in the demo newsroom with its own
    account (and a fresh password), or in ``newsroom``, owned by its first admin."""
    if newsroom is None:
        user, password = _user(session)
    else:
        user, password = newsroom_owner(session, newsroom), None
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    requests = [
        _ensure(
            session,
            user,
            RCMP,
            "La Presse: RCMP use of Clearview AI facial recognition",
            date(2020, 2, 10),
            [
                service.EventData(
                    "acknowledgement",
                    date(2020, 2, 14),
                    "The RCMP's ATIP office acknowledges the request.",
                    uploads=(
                        _letter(
                            "accuse-reception-GRC.txt", "Accusé de réception — GRC, 14 février 2020"
                        ),
                    ),
                ),
                service.EventData(
                    "final_response",
                    date(2022, 4, 15),
                    "Records released more than 26 months after receipt.",
                    details={"outcome": "partial", "pages": 212},
                ),
                service.EventData(
                    "complaint_filed",
                    date(2022, 4, 20),
                    "Complaint about the delay.",
                    details={
                        "body": "Information Commissioner of Canada",
                        "grounds": "delay",
                        "body_file_number": "5820-00123",
                    },
                ),
                service.EventData(
                    "complaint_finding",
                    date(2023, 3, 1),
                    "The Commissioner found the complaint well-founded.",
                    details={"finding": "well_founded"},
                ),
            ],
            text=SEED_TEXT,
            file_number="A-2019-12345",
        ),
        _ensure(
            session,
            user,
            RCMP,
            "RCMP body-worn camera contracts",
            ago(45),
            [
                service.EventData("acknowledgement", ago(40), "Acknowledged."),
            ],
        ),
        _ensure(
            session,
            user,
            IRCC,
            "IRCC visa-processing backlog briefing notes",
            ago(20),
            [
                service.EventData(
                    "extension",
                    ago(10),
                    "Extension notice for consultations.",
                    details={
                        "days": 30,
                        "reason": "consultation",
                        "notice_on": ago(10).isoformat(),
                        "commissioner_notified": False,
                    },
                ),
            ],
        ),
        _ensure(
            session,
            user,
            IRCC,
            "IRCC asylum-claim processing times by office",
            ago(50),
            [
                service.EventData(
                    "extension",
                    ago(3),
                    "Extension claimed after the deadline.",
                    details={
                        "days": 60,
                        "reason": "volume",
                        "notice_on": ago(3).isoformat(),
                        "commissioner_notified": False,
                    },
                ),
            ],
        ),
        _ensure(session, user, SQ, "SQ: rapports sur les interpellations policières", ago(16), []),
        _ensure(session, user, FBI, "FBI records on Clearview AI pilot", ago(25), []),
        _ensure(session, user, HOME_OFFICE, "Home Office facial-recognition vans", ago(24), []),
    ]
    return user, password, requests


@click.command("demo", cls=TranslatedCommand)
@click.option(
    "--newsroom",
    default=None,
    help="Load the demo requests into this existing newsroom (owned by its first admin) "
    "instead of a newsroom of their own.",
)
@with_appcontext
def demo_command(newsroom: str | None) -> None:
    """Create a demo newsroom and account with example requests (safe to run twice)."""
    today = clock.today(current_app.config["TIMEZONE"])
    try:
        with db.transaction() as session:
            user, password, requests = seed_demo(session, today, newsroom)
    except DemoError as exc:
        raise click.ClickException(str(exc)) from None
    if password is None:
        click.echo(
            _("newsroom: %(name)s owner: %(email)s", name=user.newsroom.name, email=user.email)
        )
    else:
        click.echo(_("login: %(email)s %(password)s", email=user.email, password=password))
    for request in requests:
        click.echo(f"{request.id}\t{request.institution.name}\t{request.title}")


COMMANDS = [demo_command]
