"""Agency mail in the evidence packet (issue 21): each original message of the request, byte
for byte under ``mail/``, and ``mail/authentication-results.txt`` listing for each one its
Message-ID, sender, date, subject, SHA-256 and the receiving server's SPF, DKIM and DMARC
results as written. A message already in the packet as an entry's file is not copied twice.

Kept apart from the dossier so that a packet without mail is exactly what it was."""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.orm import object_session

from tracker.core.models import InfoRequest, MailMessage
from tracker.mail_in.parsing import auth_summary
from tracker.packets.dossier import Dossier, PacketFile, _unique, safe_name

AUTH_FILE = "mail/authentication-results.txt"


def with_mail(d: Dossier, request: InfoRequest) -> Dossier:
    """The dossier with the request's stored messages and their authentication results."""
    session = object_session(request)
    if session is None:
        return d
    messages = session.scalars(
        sa.select(MailMessage)
        .where(
            MailMessage.request_id == request.id,
            MailMessage.newsroom_id == request.newsroom_id,
            MailMessage.status == "attached",
        )
        .order_by(MailMessage.id)
    ).all()
    if not messages:
        return d
    by_sha = {f.sha256: f for f in d.files}
    taken = {f.path.rsplit("/", 1)[-1].casefold() for f in d.files}
    added: list[PacketFile] = []
    lines = [
        "Agency mail of this request: each original message and the sender-authentication",
        "results the receiving mail server wrote (Authentication-Results: SPF, DKIM, DMARC).",
        "",
    ]
    for m in messages:
        packet_file = by_sha.get(m.sha256)
        if packet_file is None:
            name = m.original_name
            if m.content_type == "message/rfc822" and not name.lower().endswith(".eml"):
                name += ".eml"
            name = _unique(safe_name(f"{m.id}-{name}"), taken)
            taken.add(name.casefold())
            packet_file = PacketFile(
                path=f"mail/{name}",
                original_name=m.original_name,
                sha256=m.sha256,
                size=m.size,
                content_type=m.content_type,
                first_entry_on=(m.sent_at or m.received_at).date(),
            )
            by_sha[m.sha256] = packet_file
            added.append(packet_file)
        summary = auth_summary(m.auth_results)
        lines += [
            f"File: {packet_file.path}",
            f"SHA-256: {m.sha256}",
            f"Message-ID: {m.message_id or '(none)'}",
            f"From: {m.sender}",
            f"Date: {m.sent_at.isoformat() if m.sent_at else '(none)'}",
            f"Subject: {m.subject}",
            "Results: "
            + (", ".join(f"{k.upper()} {v}" for k, v in summary.items()) or "(none written)"),
            *[f"Authentication-Results: {line}" for line in m.auth_results.splitlines()],
            "",
        ]
    return dataclasses.replace(
        d,
        files=(*d.files, *added),
        mail_texts=(*d.mail_texts, (AUTH_FILE, "\n".join(lines).encode("utf-8"))),
    )
