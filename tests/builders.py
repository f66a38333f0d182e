"""Requests with timelines for tests, built through the services and reading like the
chronology they describe:

    with builders.desk(app, "rep@example.org", newsroom="The Star", today=TODAY) as desk:
        rcmp = desk.institution("RCMP", "ca-atia")
        late = desk.request(rcmp, "Four days late", received=date(2024, 2, 1))
        late.final_response(date(2024, 3, 8), outcome="partial")
        late.complaint(date(2024, 3, 10), grounds="delay").finding(date(2024, 5, 1))

Everything goes through ``tracker.requests.service`` (create_request, add_event), never
straight into the tables: every stored date and status is then the one the deadline engine
computes, exactly as a reporter's form would leave it. One ``desk`` is one transaction.

Why not factory_boy: its SQLAlchemy factories write model rows, so a request made with one
has the dates a factory declared, not those the engine computes (the thing most tests
check); making factories call the services instead would leave factory_boy nothing to do
but hold keyword arguments, and a timeline is an ordered story that chained calls tell
better than SubFactory declarations. This module is the one place that knows how a test
makes a request, so a change to the services' signatures is fixed here once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from tests.conftest import PASSWORD
from tracker.auth.service import NewUser, create_user
from tracker.core import clock, db
from tracker.core.models import Institution, TimelineEvent, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service
from tracker.requests.service import EventData, RequestData, Upload

MAX_UPLOAD = 10 * 1024 * 1024


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Upload:
    """A file arriving with a timeline entry."""
    return Upload(filename=name, content_type=content_type, stream=io.BytesIO(data))


@dataclass
class RequestBuilder:
    """One request of a desk; each method adds an entry to its timeline and returns the
    builder, so that a chronology reads as one chain."""

    desk: Desk
    row: Any  # tracker.core.models.InfoRequest
    last: TimelineEvent | None = None

    @property
    def id(self) -> int:
        """The request's id."""
        return self.row.id

    def event(
        self,
        kind: str,
        on: date,
        note: str = "",
        *,
        uploads: tuple[Upload, ...] = (),
        corrects: TimelineEvent | None = None,
        by: User | None = None,
        **details: Any,
    ) -> RequestBuilder:
        """Any timeline entry, as the form would add it: kind, date, note, details, files."""
        self.last = service.add_event(
            self.desk.session,
            by or self.desk.user,
            self.row,
            EventData(kind=kind, occurred_on=on, note=note, details=details, uploads=uploads),
            self.desk.today,
            self.desk.storage,
            MAX_UPLOAD,
            corrects=corrects,
        )
        return self

    def acknowledgement(self, on: date, note: str = "", **more: Any) -> RequestBuilder:
        """The institution acknowledged receipt."""
        return self.event("acknowledgement", on, note, **more)

    def extension(
        self,
        on: date,
        days: int,
        reason: str = "volume",
        *,
        notice_on: date | None = None,
        commissioner_notified: bool = False,
        note: str = "",
        **more: Any,
    ) -> RequestBuilder:
        """The institution claimed more time (notice dated ``on`` unless told otherwise)."""
        return self.event(
            "extension",
            on,
            note,
            days=days,
            reason=reason,
            notice_on=(notice_on or on).isoformat(),
            commissioner_notified=commissioner_notified,
            **more,
        )

    def final_response(
        self, on: date, outcome: str = "full", note: str = "", **more: Any
    ) -> RequestBuilder:
        """The institution's final answer: full, partial, refused..."""
        return self.event("final_response", on, note, outcome=outcome, **more)

    def complaint(
        self, on: date, grounds: str = "delay", note: str = "", **more: Any
    ) -> RequestBuilder:
        """A complaint to the body the law names."""
        return self.event("complaint_filed", on, note, grounds=grounds, **more)

    def finding(
        self, on: date, finding: str = "well_founded", note: str = "", **more: Any
    ) -> RequestBuilder:
        """The complaint's finding."""
        return self.event("complaint_finding", on, note, finding=finding, **more)

    def withdrawn(self, on: date, note: str = "", **more: Any) -> RequestBuilder:
        """The request ended without an answer (withdrawn unless ``closure`` says how)."""
        return self.event("withdrawn", on, note, **more)

    def note(self, on: date, text: str, **more: Any) -> RequestBuilder:
        """A note on the timeline."""
        return self.event("note", on, text, **more)


@dataclass
class Desk:
    """A reporter at work in one transaction: institutions and requests in their newsroom."""

    app: Flask
    session: Session
    user: User
    today: date
    storage: LocalStorage

    def institution(
        self,
        name: str = "Royal Canadian Mounted Police",
        law: str = "ca-atia",
        province: str | None = None,
        **more: Any,
    ) -> Institution:
        """The newsroom's institution of this name, made the first time it is named."""
        found = self.session.scalar(
            sa.select(Institution).where(
                Institution.newsroom_id == self.user.newsroom_id, Institution.name == name
            )
        )
        return found or create_institution(
            self.session,
            self.user.newsroom_id,
            InstitutionData(name=name, law_code=law, province=province, **more),
        )

    def request(
        self,
        institution: Institution | int | str,
        title: str = "Clearview AI",
        received: date = date(2024, 2, 1),
        **more: Any,
    ) -> RequestBuilder:
        """A request logged as the form logs it (``more``: text, sent_on, file_number,
        law_code); the institution by row, id or name (made under ATIA when new)."""
        if isinstance(institution, str):
            institution = self.institution(institution)
        institution_id = institution if isinstance(institution, int) else institution.id
        row = service.create_request(
            self.session,
            self.user,
            RequestData(institution_id=institution_id, title=title, received_on=received, **more),
            self.today,
        )
        return RequestBuilder(self, row)

    def colleague(self, email: str, **user: Any) -> Desk:
        """Another account's desk in the same transaction (made in this newsroom if new)."""
        if "newsroom" not in user:
            user["newsroom"] = self.user.newsroom.name
        return Desk(
            self.app, self.session, account(self.session, email, **user), self.today, self.storage
        )


def account(
    session: Session,
    email: str,
    *,
    newsroom: str = "La Presse",
    role: str = "reporter",
    name: str = "",
    password: str = PASSWORD,
) -> User:
    """The account with this e-mail, created (with its newsroom) when there is none."""
    found = session.scalar(sa.select(User).where(User.email == email.lower()))
    if found is not None:
        return found
    return create_user(
        session, NewUser(email=email, newsroom=newsroom, password=password, name=name, role=role)
    )


@contextmanager
def desk(
    app: Flask,
    email: str = "reporter@example.org",
    *,
    today: date,
    newsroom: str = "La Presse",
    role: str = "reporter",
    name: str = "",
    password: str = PASSWORD,
) -> Iterator[Desk]:
    """A reporter's desk (their account made when missing) in one transaction, with the
    clock frozen on ``today``; committed at the end of the block."""
    with app.app_context(), clock.frozen(today), db.transaction() as session:
        user = account(session, email, newsroom=newsroom, role=role, name=name, password=password)
        yield Desk(app, session, user, today, LocalStorage(app.config["ATTACHMENTS_DIR"]))
