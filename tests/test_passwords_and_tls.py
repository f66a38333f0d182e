"""Passwords that are not common or patterned (ASVS 2.1.7), and mail over TLS that checks the
server's certificate and host name (issue 16 part 5)."""

from __future__ import annotations

import ssl
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from alerts_helpers import Collector, free_port
from api_helpers import quick_user

from tests.conftest import PASSWORD, AuthActions, page
from tracker.alerts.mail import Mailer, MailError
from tracker.auth.service import AccountError, NewUser, create_user, password_problem
from tracker.core import db

DATA = Path(__file__).resolve().parent / "data"
# A self-signed certificate for "localhost" only (not 127.0.0.1), valid until 2126.
CERT, KEY = DATA / "smtp-selfsigned.pem", DATA / "smtp-selfsigned.key"


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "qwertyuiop",
        "1234567890",
        "aaaaaaaaaaaa",
        "abcdefghijk",
        "iloveyou2024",
        "Password123!",
        "letmein12345",
        "trustno1trustno1",
        "marie.tremblay",  # the e-mail's own words
        "tremblay2024",
        "lapresse2026",  # the newsroom's domain
        "19701970197",
    ],
)
def test_common_and_patterned_passwords_are_refused(password):
    problem = password_problem(password, "marie.tremblay@lapresse.ca", "Marie Tremblay")
    assert problem is not None and "less common" in problem, password


@pytest.mark.parametrize(
    "password", [PASSWORD, "a much longer secret", "vinyl-otter-harbour-7", "Tq8#vZ2!pLm0"]
)
def test_uncommon_passwords_are_accepted(password):
    assert password_problem(password, "marie.tremblay@lapresse.ca", "Marie Tremblay") is None


def test_forms_refuse_a_common_password_beside_the_field(app, client, auth):
    quick_user(app, "reporter@example.org")
    auth.login()
    response = auth.post(
        "/account/password",
        {"current": PASSWORD, "new": "password1234", "confirm": "password1234"},
    )
    error = page(response).select_one("#new-error")
    assert error is not None and "common" in error.get_text()
    assert AuthActions(app.test_client()).login().status_code == 302  # unchanged
    with app.app_context(), pytest.raises(AccountError):
        create_user(
            db.session(), NewUser(email="x@example.org", newsroom="N", password="qwertyuiop12")
        )


class TlsServer:
    """aiosmtpd with the self-signed certificate: STARTTLS, or TLS from the first byte."""

    def __init__(self, implicit: bool) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(CERT, KEY)
        self.handler = Collector()
        self.port = free_port()
        options = {"ssl_context": context} if implicit else {"tls_context": context}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **options)

    def __enter__(self) -> TlsServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "t@tracker.test", "r@example.org", "Due"
    mail.set_content("Due today.")
    return mail


def send(port: int, host: str = "localhost", **settings: object) -> None:
    config = {"SMTP_HOST": host, "SMTP_PORT": port, "SMTP_TIMEOUT": 5, **settings}
    with Mailer(config) as mailer:
        mailer.send(message())


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
def test_a_self_signed_mail_server_is_refused_unless_trusted(implicit):
    mode = {"SMTP_SSL": True} if implicit else {"SMTP_STARTTLS": True}
    with TlsServer(implicit) as server:
        with pytest.raises(MailError) as refused:
            send(server.port, **mode)
        assert "CERTIFICATE_VERIFY_FAILED" in refused.value.answer
        assert server.handler.messages == []
        # Trusted explicitly, but reached under a name the certificate does not carry.
        with pytest.raises(MailError) as wrong_name:
            send(server.port, host="127.0.0.1", SMTP_CA_FILE=str(CERT), **mode)
        assert "CERTIFICATE_VERIFY_FAILED" in wrong_name.value.answer
        assert server.handler.messages == []
        send(server.port, SMTP_CA_FILE=str(CERT), **mode)
        assert [rcpts for rcpts, _ in server.handler.messages] == [["r@example.org"]]


def test_implicit_tls_setting_is_read_from_the_environment():
    from tracker.core.config import build_config

    config = build_config(
        {"TRACKER_SMTP_SSL": "1", "TRACKER_SMTP_CA_FILE": "/etc/ca.pem", "TRACKER_SECRET_KEY": "k"}
    )
    assert config["SMTP_SSL"] is True and config["SMTP_CA_FILE"] == "/etc/ca.pem"
    assert build_config({"TRACKER_SECRET_KEY": "k"})["SMTP_SSL"] is False
