"""Reading agency mail: charsets, encoded subjects, forwards, Outlook .msg, TNEF, bounces,
out-of-office replies, malformed MIME, hostile file names, archives that expand enormously."""

from __future__ import annotations

import io
import zipfile

from tests import mail_helpers as mh
from tracker.mail_in import parsing


def test_encoded_subject_and_latin1_body_without_charset_are_read() -> None:
    data = mh.raw(
        "From: =?iso-8859-1?q?Acc=E8s_=E0_l'information?= <aiprp@quebec.ca>\n"
        "To: newsroom@example.org\n"
        "Subject: =?utf-8?b?QWNjdXPDqSBkZSByw6ljZXB0aW9u?=\n"
        "Date: Tue, 5 Mar 2024 09:12:00 -0500\n"
        "Message-ID: <ack-1@quebec.ca>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        "Nous accusons réception de votre demande d'accès.\n"
    )
    mail = parsing.parse("ack.eml", data)
    assert mail.subject == "Accusé de réception"
    assert mail.sender_address == "aiprp@quebec.ca"
    assert "Accès à l'information" in mail.sender
    assert "Nous accusons réception de votre demande" in mail.body_text
    assert mail.sent_at is not None and mail.sent_at.utcoffset() is not None
    assert mail.original == data


def test_unknown_charset_falls_back_and_says_so() -> None:
    data = mh.raw(
        "From: a@agency.ca\nSubject: x\nContent-Type: text/plain; charset=x-unknown-8\n\n"
        "Délai prorogé\n",
        "utf-8",
    )
    mail = parsing.parse("x.eml", data)
    assert "Délai prorogé" in mail.body_text
    assert any("x-unknown-8" in p for p in mail.problems)


def test_html_only_body_becomes_text_and_auth_results_are_kept() -> None:
    data = mh.message(
        body="",
        html="<html><body><p>We <b>acknowledge</b> receipt of your request "
        "<a href='https://x'>A-2024-1</a>.</p><script>alert(1)</script></body></html>",
    )
    mail = parsing.parse("x.eml", data)
    assert "acknowledge receipt of your request" in mail.body_text
    assert "<b>" not in mail.body_text
    assert parsing.auth_summary(mail.auth_results) == {
        "spf": "pass",
        "dkim": "pass",
        "dmarc": "pass",
    }


def test_forward_as_attachment_keeps_the_nested_message_and_its_sender() -> None:
    inner = mh.message(
        "Extension", "We extend the time limit by 30 days.", sender="atip@cbsa-asfc.gc.ca"
    )
    outer = mh.message(
        "Fwd: Extension",
        "See below.",
        sender="Reporter <reporter@example.org>",
        attachments=(("original.eml", "message/rfc822", inner),),
    )
    mail = parsing.parse("fwd.eml", outer)
    assert "cbsa-asfc.gc.ca" in mail.sender_domains()[0]
    assert "extend the time limit by 30 days" in mail.body_text
    assert [a.content_type for a in mail.attachments] == ["message/rfc822"]


def test_inline_forward_names_the_original_sender() -> None:
    body = (
        "FYI\n\n-----Message d'origine-----\nDe : AIPRP <aiprp@canada.ca>\n"
        "Envoyé : 4 mars 2024\nObjet : Prorogation\n\nLe délai est prorogé de 60 jours."
    )
    mail = parsing.parse("f.eml", mh.message("TR: Prorogation", body, sender="me@example.org"))
    assert mail.sender_domains() == ["canada.ca", "example.org"]


def test_tnef_winmail_dat_is_expanded() -> None:
    winmail = mh.tnef((("decision.pdf", mh.pdf_bytes(1500)), ("annexe.txt", b"annexe")))
    mail = parsing.parse(
        "t.eml", mh.message(attachments=(("winmail.dat", "application/ms-tnef", winmail),))
    )
    assert [(a.filename, len(a.data)) for a in mail.attachments] == [
        ("decision.pdf", 1500),
        ("annexe.txt", 6),
    ]


def test_outlook_msg_is_read_with_its_headers_and_attachments() -> None:
    data = mh.outlook_msg(
        "Extension - A-2024-00123",
        "We are extending the time limit by 30 days under paragraph 9(1)(a).",
        "ATIP RCMP",
        "atip@rcmp-grc.gc.ca",
        "Message-ID: <abc@rcmp>\r\nDate: Mon, 4 Mar 2024 10:00:00 -0500\r\n"
        "Authentication-Results: mx; spf=pass; dkim=fail\r\n"
        "From: ATIP <atip@rcmp-grc.gc.ca>\r\n\r\n",
        (("letter.pdf", mh.pdf_bytes(3000)), ("annex.pdf", mh.pdf_bytes(9000))),
    )
    mail = parsing.parse("x.msg", data)
    assert mail.problems == []
    assert mail.content_type == "application/vnd.ms-outlook"
    assert mail.subject == "Extension - A-2024-00123"
    assert mail.sender_address == "atip@rcmp-grc.gc.ca"
    assert mail.message_id == "<abc@rcmp>"
    assert mail.sent_at is not None and mail.sent_at.isoformat() == "2024-03-04T10:00:00-05:00"
    assert parsing.auth_summary(mail.auth_results) == {"spf": "pass", "dkim": "fail"}
    assert [(a.filename, len(a.data)) for a in mail.attachments] == [
        ("letter.pdf", 3000),
        ("annex.pdf", 9000),
    ]


def test_mbox_is_split_into_its_messages_byte_for_byte() -> None:
    first = mh.message("One", "First\nFrom here on\n")
    second = mh.message("Two", "Second")
    mbox = (
        b"From a@x Mon Mar  4 10:00:00 2024\n"
        + first.replace(b"\nFrom here", b"\n>From here")
        + b"\nFrom b@x Mon Mar  4 11:00:00 2024\n"
        + second
        + b"\n"
    )
    parts = parsing.split_files("box.mbox", mbox)
    assert [p[1] for p in parts] == [first, second]


def test_hostile_names_malformed_mime_and_zip_bombs_are_kept_with_a_reason() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (120 * 1024 * 1024))
    data = mh.message(
        attachments=(
            ("../../etc/passwd", "text/plain", b"root"),
            ("..\\..\\boot.ini", "application/octet-stream", b"x"),
            ("bomb.zip", "application/zip", bomb.getvalue()),
        )
    )
    mail = parsing.parse("x.eml", data)
    names = [a.filename for a in mail.attachments]
    assert names == ["passwd", "boot.ini", "bomb.zip"]
    assert "not a plain file name" in mail.attachments[0].problem
    assert "expand to 120 MB" in mail.attachments[2].problem
    broken = mh.raw(
        "From: a@agency.ca\nSubject: broken\nContent-Type: multipart/mixed; boundary=zz\n\n"
        "--zz\nContent-Type: text/plain\n\nHello\n(no closing boundary)"
    )
    mail = parsing.parse("b.eml", broken)
    assert "Hello" in mail.body_text
    assert any("Malformed MIME" in p for p in mail.problems)
    junk = parsing.parse("junk.eml", b"\x00\x01garbage without headers")
    assert junk.problems


def test_bounces_and_auto_replies_are_flagged() -> None:
    bounce = mh.raw(
        "From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nDelivery failed\n--b\n"
        "Content-Type: message/delivery-status\n\nStatus: 5.1.1\n--b--\n"
    )
    assert parsing.parse("b.eml", bounce).automatic
    ooo = mh.message(
        "Réponse automatique : demande",
        "Je suis absente.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert parsing.parse("o.eml", ooo).automatic == "Auto-Submitted: auto-replied"


def test_raw_8bit_headers_are_read_as_utf8_or_cp1252() -> None:
    utf8 = parsing.parse("a.eml", "From: a@b.ca\nSubject: Délai prorogé\n\nx\n".encode())
    assert utf8.subject == "Délai prorogé"
    cp1252 = parsing.parse(
        "b.eml", "From: a@b.ca\nSubject: Délai – prorogé\n\nx\n".encode("cp1252")
    )
    assert cp1252.subject == "Délai – prorogé"
