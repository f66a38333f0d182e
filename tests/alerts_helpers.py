"""Shared by the alert, sweep and scheduler tests: a real SMTP server and a prepared newsroom."""

from __future__ import annotations

import email
import socket
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask

from tracker import deadlines
from tracker.core import db
from tracker.core.models import InfoRequest, User
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests.service import EventData, RequestData, add_event, create_request

# A Wednesday: due dates 7 and 2 days ahead are working days.
TODAY = date(2026, 11, 18)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every accepted message; can refuse or go away."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refused_recipients: set[str] = set()
        self.refuse_sender = False
        self.shut_down_after: int | None = None  # answer 421 and stop after this many
        self.on_shutdown: Any = None
        self._lock = threading.Lock()

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: list[str]
    ) -> str:
        if self.refuse_sender:
            return f"553 5.7.1 <{address}>: Sender address rejected: not owned by you"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refused_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            if self.shut_down_after is not None and len(self.messages) >= self.shut_down_after:
                if self.on_shutdown is not None:
                    threading.Thread(target=self.on_shutdown).start()
                    self.on_shutdown = None
                return "421 4.3.2 Service shutting down"
            message = email.message_from_bytes(
                envelope.original_content or envelope.content, policy=policy.default
            )
            self.messages.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 2.0.0 Message accepted for delivery"

    def received(self) -> list[tuple[str, str]]:
        """(recipient, subject) of every accepted message, in order."""
        return [
            (rcpt, str(msg["Subject"]).strip()) for rcpts, msg in self.messages for rcpt in rcpts
        ]


class SmtpServer:
    """A real SMTP server on 127.0.0.1 that can be stopped and started on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    def start(self) -> None:
        """Listen (again) on the port."""
        if self.controller is None:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self.controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def config(self) -> dict[str, Any]:
        """The tracker settings that point at this server."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": self.port,
            "SMTP_STARTTLS": False,
            "SMTP_TIMEOUT": 5,
            "MAIL_FROM": "ATI tracker <alerts@tracker.test>",
        }


def received_for(law: str, due: date, province: str | None = None) -> date:
    """A receipt date whose statutory due date (no extension) is ``due``."""
    for back in range(1, 120):
        received = due - timedelta(days=back)
        if deadlines.due_date(law, received, province=province) == due:
            return received
    raise AssertionError(f"no receipt date gives {due} under {law}")


def response_for_window(law: str, closes: date) -> date:
    """A response date whose complaint window closes on ``closes``."""
    for back in range(1, 200):
        responded = closes - timedelta(days=back)
        if deadlines.response_complaint_deadline(law, responded) == closes:
            return responded
    raise AssertionError(f"no response date closes the window on {closes} under {law}")


@dataclass
class Newsroom:
    """Handles on prepared data: users by key and request ids by key."""

    users: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    institutions: dict[str, int] = field(default_factory=dict)


def user(session: Any, user_id: int) -> User:
    """A user loaded in this session."""
    found = session.get(User, user_id)
    assert found is not None
    return found


def add_request(
    app: Flask,
    owner_id: int,
    institution_id: int,
    title: str,
    due: date,
    law: str = "ca-atia",
    response_on: date | None = None,
) -> int:
    """Log a request received so that it is due on ``due``, as it was on its receipt day."""
    with app.app_context():
        with db.transaction() as session:
            owner = user(session, owner_id)
            received = received_for(law, due)
            request = create_request(
                session,
                owner,
                RequestData(
                    institution_id=institution_id, title=title, received_on=received, law_code=law
                ),
                today=received,
            )
            if response_on is not None:
                add_event(
                    session,
                    owner,
                    request,
                    EventData(
                        kind="final_response",
                        occurred_on=response_on,
                        details={"outcome": "partial"},
                    ),
                    today=response_on,
                    storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
                    max_bytes=1024,
                )
            return request.id


def add_institution(
    app: Flask, user_id: int, name: str, law: str = "ca-atia", province: str | None = None
) -> int:
    """An institution of the user's newsroom."""
    with app.app_context():
        with db.transaction() as session:
            newsroom_id = user(session, user_id).newsroom_id
            return create_institution(
                session, newsroom_id, InstitutionData(name=name, law_code=law, province=province)
            ).id


def set_preferences(
    app: Flask, user_id: int, prefs: dict[str, Any], alert_email: str | None = None
) -> None:
    """Store alert preferences directly (the settings page is tested on its own)."""
    with app.app_context():
        with db.transaction() as session:
            found = user(session, user_id)
            found.alert_preferences = prefs
            found.alert_email = alert_email


def prepare_newsroom(app: Flask, make_user: Any) -> Newsroom:
    """Two newsrooms, a reporter with one request per alert window, an editor watching all."""
    n = Newsroom()
    n.users["a"] = make_user("reporter@example.org", name="Ana Reporter").id
    n.users["b"] = make_user("b@example.org", name="Bo Reporter").id
    n.users["e"] = make_user("editor@example.org", name="Ed Editor", role="editor").id
    n.users["c"] = make_user("c@ledevoir.test", newsroom="Le Devoir", name="Cy").id
    set_preferences(app, n.users["b"], {"due_in_2": False}, "b.alerts@example.org")
    set_preferences(app, n.users["e"], {"newsroom": True})
    cbsa = add_institution(app, n.users["a"], "Canada Border Services Agency")
    n.institutions["cbsa"] = cbsa
    a, b = n.users["a"], n.users["b"]
    day = timedelta(days=1)
    n.requests["due7"] = add_request(app, a, cbsa, "Border wait times", TODAY + 7 * day)
    n.requests["due2"] = add_request(app, a, cbsa, "Detention reviews", TODAY + 2 * day)
    n.requests["due0"] = add_request(app, a, cbsa, "Seized goods", TODAY)
    n.requests["late1"] = add_request(app, a, cbsa, "Officer complaints", TODAY - day)
    n.requests["late_old"] = add_request(app, a, cbsa, "Removals 2025", date(2026, 6, 1))
    closes14, closes2 = TODAY + 14 * day, TODAY + 2 * day
    n.requests["window14"] = add_request(
        app,
        a,
        cbsa,
        "Audit reports",
        date(2026, 10, 1),
        response_on=response_for_window("ca-atia", closes14),
    )
    n.requests["window3"] = add_request(
        app,
        a,
        cbsa,
        "Travel claims",
        date(2026, 9, 10),
        response_on=response_for_window("ca-atia", closes2),
    )
    n.requests["later"] = add_request(app, a, cbsa, "Contracts", TODAY + 20 * day)
    n.requests["b_due2"] = add_request(app, b, cbsa, "Use of force", TODAY + 2 * day)
    n.requests["b_due7"] = add_request(app, b, cbsa, "Body cameras", TODAY + 7 * day)
    other = add_institution(app, n.users["c"], "Health Canada")
    n.requests["c_due0"] = add_request(app, n.users["c"], other, "Drug shortages", TODAY)
    return n


def expected_mails(n: Newsroom) -> set[tuple[str, str]]:
    """(recipient, subject start) of every mail the first sweep on TODAY must send."""
    a = {
        ("reporter@example.org", s)
        for s in (
            "Due in 7 days: Border wait times (due 2026-11-25)",
            "Due in 2 days: Detention reviews (due 2026-11-20)",
            "Due today: Seized goods (due 2026-11-18)",
            "Overdue, deemed refused: Officer complaints (was due 2026-11-17)",
            "Complaint window closes in 14 days: Audit reports (last day 2026-12-02)",
            "Complaint window closes in 2 days: Travel claims (last day 2026-11-20)",
            "Weekly digest: 2 late requests as of 2026-11-18",
        )
    }
    editor = {("editor@example.org", s) for _, s in a} | {
        ("editor@example.org", "Due in 2 days: Use of force (due 2026-11-20)"),
        ("editor@example.org", "Due in 7 days: Body cameras (due 2026-11-25)"),
    }
    b = {("b.alerts@example.org", "Due in 7 days: Body cameras (due 2026-11-25)")}
    c = {("c@ledevoir.test", "Due today: Drug shortages (due 2026-11-18)")}
    return a | editor | b | c


def statuses(app: Flask) -> dict[int, str]:
    """Request id -> stored status."""
    with app.app_context():
        return dict(db.session().execute(sa.select(InfoRequest.id, InfoRequest.status)).all())
