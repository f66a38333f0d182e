"""Set-up helpers shared by the API and calendar feed tests: institutions and requests made
through the services, and API tokens."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import Flask

from tests.conftest import PASSWORD
from tracker.api.service import create_token
from tracker.auth.service import hash_password
from tracker.core import db
from tracker.core.models import Institution, Newsroom, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service

TODAY = date(2024, 3, 20)


def user_by_email(session: Any, email: str) -> User:
    """The account with this e-mail."""
    return session.scalar(sa.select(User).where(User.email == email))


def institution(
    app: Flask,
    email: str,
    name: str = "Royal Canadian Mounted Police",
    law_code: str = "ca-atia",
    province: str | None = None,
) -> int:
    """An institution in the user's newsroom (made once per name); its id."""
    with app.app_context(), db.transaction() as session:
        user = user_by_email(session, email)
        found = session.scalar(
            sa.select(Institution).where(
                Institution.newsroom_id == user.newsroom_id, Institution.name == name
            )
        )
        if found is not None:
            return found.id
        return create_institution(
            session,
            user.newsroom_id,
            InstitutionData(name=name, law_code=law_code, province=province),
        ).id


def info_request(
    app: Flask,
    email: str,
    institution_id: int,
    *,
    title: str = "Clearview AI",
    received_on: date = date(2024, 2, 1),
    file_number: str | None = None,
    today: date = TODAY,
) -> int:
    """A request logged by the user through the request service; its id."""
    with app.app_context(), db.transaction() as session:
        user = user_by_email(session, email)
        return service.create_request(
            session,
            user,
            service.RequestData(
                institution_id=institution_id,
                title=title,
                received_on=received_on,
                file_number=file_number,
            ),
            today,
        ).id


def event(
    app: Flask,
    email: str,
    request_id: int,
    kind: str,
    occurred_on: date,
    details: dict[str, Any] | None = None,
    today: date = TODAY,
) -> int:
    """A timeline entry added by the user through the request service; its id."""
    with app.app_context(), db.transaction() as session:
        user = user_by_email(session, email)
        loaded = service.load_request(session, request_id)
        assert loaded is not None
        return service.add_event(
            session,
            user,
            loaded,
            service.EventData(kind=kind, occurred_on=occurred_on, details=details or {}),
            today,
            LocalStorage(app.config["ATTACHMENTS_DIR"]),
            1024,
        ).id


def token(app: Flask, email: str, name: str = "script") -> str:
    """A new API token of the user; the secret."""
    with app.app_context(), db.transaction() as session:
        return create_token(session, user_by_email(session, email), name)[1]


def bearer(secret: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {secret}"}


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(PASSWORD)


def quick_user(
    app: Flask, email: str, *, newsroom: str = "La Presse", role: str = "reporter", name: str = ""
) -> int:
    """An account that can log in with conftest.PASSWORD, made without hashing the password
    again for each test (scrypt is slow); its id."""
    with app.app_context(), db.transaction() as session:
        room = session.scalar(sa.select(Newsroom).where(Newsroom.name == newsroom))
        if room is None:
            room = Newsroom(name=newsroom)
            session.add(room)
            session.flush()
        user = User(
            newsroom_id=room.id,
            email=email,
            name=name or email.split("@")[0],
            password_hash=_password_hash(),
            role=role,
            alert_preferences={},
        )
        session.add(user)
        session.flush()
        return user.id
