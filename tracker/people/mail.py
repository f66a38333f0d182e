"""The mail an "add" on the people page sends: an invitation, or a note that the address
already has an account elsewhere (the editor is answered the same for both)."""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import render_template

from tracker.core import clock
from tracker.core.urls import base_url
from tracker.people.service import INVITATION_MAX_AGE, Outgoing


def message(outgoing: Outgoing, name: str, config: Mapping[str, Any]) -> EmailMessage:
    """The mail to send for one "add", in the tracker's mail format."""
    mail = EmailMessage()
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = outgoing.email
    mail["Subject"] = f"Join {outgoing.newsroom} on the ATI tracker"
    mail["Date"] = format_datetime(clock.now())
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    mail["Message-ID"] = make_msgid("invitation", domain=domain)
    mail["Auto-Submitted"] = "auto-generated"
    facts = {"email": outgoing.email, "newsroom": outgoing.newsroom, "inviter": outgoing.inviter}
    if outgoing.invitation_token is None:
        text = render_template(
            "people/mail/already.txt", login_url=f"{base_url(config, mail=True)}/login", **facts
        )
    else:
        text = render_template(
            "people/mail/invitation.txt",
            name=name,
            url=f"{base_url(config, mail=True)}/invitation/{outgoing.invitation_token}",
            days=INVITATION_MAX_AGE.days,
            **facts,
        )
    mail.set_content(text)
    return mail
