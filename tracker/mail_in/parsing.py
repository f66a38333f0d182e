"""Reading agency mail (pure: no Flask, no database): ``.eml``, ``.mbox`` and Outlook ``.msg``
files into what the tracker keeps, with every attachment taken out (TNEF ``winmail.dat``,
nested messages and inline images included) and HTML bodies turned into text.

Nothing here refuses a message: what is wrong with one (malformed MIME, an undecodable
charset, a file name with folders in it, an archive that would expand enormously) is written
into ``problems`` and the message is kept."""

from __future__ import annotations

import email
import email.policy
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from tracker.language.i18n import _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TNEF_MAGIC = b"\x78\x9f\x3e\x22"
# An archive whose contents are this many times larger than itself, and over ZIP_BOMB_BYTES
# once expanded, is kept as it came and never opened.
ZIP_BOMB_RATIO = 100
ZIP_BOMB_BYTES = 100 * 1024 * 1024
AUTH_METHODS = ("spf", "dkim", "dmarc")
_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")


@dataclass
class Part:
    """A file taken out of a message."""

    filename: str
    content_type: str
    data: bytes
    problem: str = ""


@dataclass
class ParsedMail:
    """What the tracker keeps of one message."""

    original: bytes
    original_name: str
    content_type: str
    message_id: str | None = None
    in_reply_to: str = ""
    sender: str = ""
    sender_address: str = ""
    recipients: str = ""
    subject: str = ""
    sent_at: datetime | None = None
    body_text: str = ""
    auth_results: str = ""
    attachments: list[Part] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Addresses of the original senders of forwarded messages (inline or attached).
    forwarded_senders: list[str] = field(default_factory=list)
    # Auto-Submitted, a delivery report, an out-of-office: never a timeline entry.
    automatic: str = ""

    def sender_domains(self) -> list[str]:
        """The domains of the sender and of forwarded messages' senders, original first."""
        found = []
        for address in [*self.forwarded_senders, self.sender_address]:
            domain = address.rpartition("@")[2].lower().strip(">. ")
            if domain and domain not in found:
                found.append(domain)
        return found


def safe_filename(name: str) -> str:
    """A file name without folders or control characters (at most 255 characters)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".").strip()
    return name[-255:] or "file"


def split_files(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """One file as the messages it holds: an ``.mbox`` gives each of its messages (without
    its ``From `` separator line), anything else itself."""
    looks_mbox = name.lower().endswith(".mbox") or (
        data.startswith(b"From ") and b"\n" in data[:1000] and not name.lower().endswith(".eml")
    )
    if not looks_mbox:
        return [(name, data)]
    messages: list[tuple[str, bytes]] = []
    current: list[bytes] = []
    previous_blank = True
    stem = safe_filename(name).rsplit(".", 1)[0] or "mailbox"

    def flush() -> None:
        if current:
            body = b"".join(current)
            # The blank line before the next "From " line is the separator's.
            if body.endswith(b"\r\n\r\n"):
                body = body[:-2]
            elif body.endswith(b"\n\n"):
                body = body[:-1]
            if body.strip():
                messages.append((f"{stem}-{len(messages) + 1}.eml", body))

    for line in io.BytesIO(data):
        if line.startswith(b"From ") and previous_blank:
            flush()
            current = []
        else:
            # mboxrd quoting: ">From " at the start of a body line stood for "From ".
            if re.match(rb">+From ", line):
                line = line[1:]
            current.append(line)
        previous_blank = line.strip() == b""
    flush()
    return messages


def _decode(payload: bytes, charset: str | None, problems: list[str]) -> str:
    for candidate in ([charset] if charset else []) + list(_FALLBACK_CHARSETS):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            if candidate == charset:
                problems.append(
                    _(
                        "The text did not decode as its declared charset %(charset)s.",
                        charset=charset,
                    )
                )
    return payload.decode("latin-1")  # pragma: no cover - latin-1 decodes any bytes


def html_to_text(html: str) -> str:
    """Readable text from an HTML body (links kept as text, no markup)."""
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_tables = False
    return converter.handle(html).strip()


def _part_text(part: Message, problems: list[str]) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    text = _decode(payload, part.get_content_charset(), problems)
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or (
        bool(part.get_filename()) and part.get_content_maintype() == "text"
    )


def _text_of(message: Message, problems: list[str]) -> str:
    """The readable text of a message: plain text preferred over HTML, nested messages
    after a header of their own."""
    ctype = message.get_content_type()
    if ctype == "multipart/alternative":
        parts = [p for p in message.get_payload() if isinstance(p, Message)]
        for wanted in ("text/plain", "text/html"):
            for p in parts:
                if p.get_content_type() == wanted and not _is_attachment(p):
                    text = _part_text(p, problems)
                    if text:
                        return text
        return "\n\n".join(t for p in parts if (t := _text_of(p, problems)))
    if message.get_content_maintype() == "multipart":
        subparts = message.get_payload()
        if not isinstance(subparts, list):
            return ""
        texts = [_text_of(p, problems) for p in subparts if isinstance(p, Message)]
        return "\n\n".join(t for t in texts if t)
    if ctype == "message/rfc822":
        inner = message.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            nested = inner[0]
            header = "\n".join(
                f"{name}: {_header(nested, name)}"
                for name in ("From", "Date", "Subject")
                if _header(nested, name)
            )
            return f"---------- Forwarded message ----------\n{header}\n\n" + _text_of(
                nested, problems
            )
        return ""
    if ctype in ("text/plain", "text/html") and not _is_attachment(message):
        return _part_text(message, problems)
    return ""


_SURROGATES = re.compile("[\udc80-\udcff]")


def _unescape(text: str) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogates) read as UTF-8 or cp1252."""
    if text.isascii() or not _SURROGATES.search(text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _chunk(raw: bytes | str, charset: str | None) -> str:
    if isinstance(raw, str):
        return raw
    for candidate in ([charset] if charset and charset != "unknown-8bit" else []) + list(
        _FALLBACK_CHARSETS
    ):
        try:
            return raw.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode("latin-1")  # pragma: no cover - latin-1 decodes any bytes


def decoded(value: object) -> str:
    """A header's value as text: RFC 2047 encoded words decoded, raw 8-bit bytes read as
    UTF-8 or cp1252, spaces collapsed."""
    try:
        parts = decode_header(value if isinstance(value, Header) else _unescape(str(value)))
        text = "".join(_chunk(raw, charset) for raw, charset in parts)
        if not isinstance(value, Header) and all(charset is None for _text, charset in parts):
            text = _unescape(str(value))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        text = _unescape(str(value))
    return " ".join(text.split())


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    return decoded(value) if value is not None else ""


def _zip_problem(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return ""
    if expanded > ZIP_BOMB_BYTES and expanded > ZIP_BOMB_RATIO * max(len(data), 1):
        return _(
            "This archive would expand to %(mb)s MB from %(kb)s KB: kept as it came, never opened.",
            mb=expanded // (1024 * 1024),
            kb=max(len(data) // 1024, 1),
        )
    return ""


def _add_part(out: ParsedMail, name: str, ctype: str, data: bytes, problem: str = "") -> None:
    clean = safe_filename(name)
    if clean != name.strip():
        folder_note = _(
            "Its name %(name)s was not a plain file name; kept as %(clean)s.",
            name=repr(name[:120]),
            clean=repr(clean),
        )
        problem = f"{problem} {folder_note}".strip()
    if ctype in ("application/zip", "application/x-zip-compressed") or clean.lower().endswith(
        ".zip"
    ):
        problem = f"{problem} {_zip_problem(data)}".strip()
    out.attachments.append(Part(clean, ctype or "application/octet-stream", data, problem))


def _tnef(out: ParsedMail, name: str, data: bytes) -> None:
    """Expand a TNEF ``winmail.dat`` into its files (and its text when the mail had none)."""
    try:
        import tnefparse

        tnef = tnefparse.TNEF(data)
    except Exception as exc:  # a damaged winmail.dat is kept as it came
        _add_part(
            out, name, "application/ms-tnef", data, _("TNEF not readable (%(error)s).", error=exc)
        )
        return
    for attachment in tnef.attachments:
        filename = attachment.long_filename() or attachment.name or "attachment"
        if isinstance(filename, bytes):
            filename = filename.decode("latin-1")
        _add_part(out, filename, "application/octet-stream", bytes(attachment.data))
    if not out.body_text:
        body = getattr(tnef, "body", None) or getattr(tnef, "htmlbody", None)
        if isinstance(body, bytes):
            body = body.decode("cp1252", "replace")
        if body:
            out.body_text = html_to_text(body) if "<html" in body.lower() else body.strip()


def _walk_files(out: ParsedMail, message: Message, depth: int = 0) -> None:
    if depth > 20:
        out.problems.append(_("Messages nested more than 20 deep: the rest was not opened."))
        return
    payload = message.get_payload() if message.is_multipart() else []
    for part in payload if isinstance(payload, list) else []:
        if not isinstance(part, Message):
            continue
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                nested = inner[0]
                subject = _header(nested, "Subject") or "message"
                name = part.get_filename() or f"{subject[:80]}.eml"
                if not name.lower().endswith(".eml"):
                    name += ".eml"
                _add_part(out, name, "message/rfc822", nested.as_bytes())
                sender = parseaddr(_header(nested, "From"))[1]
                if sender:
                    out.forwarded_senders.append(sender.lower())
                _walk_files(out, nested, depth + 1)
            continue
        if part.get_content_maintype() == "multipart":
            _walk_files(out, part, depth + 1)
            continue
        filename = part.get_filename()
        inline_text = ctype in ("text/plain", "text/html") and not _is_attachment(part)
        if inline_text:
            continue
        if ctype in ("message/delivery-status", "message/disposition-notification") and not (
            filename
        ):
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = filename or f"part-{len(out.attachments) + 1}"
        if ctype == "application/ms-tnef" or name.lower() == "winmail.dat":
            _tnef(out, name, payload)
            continue
        _add_part(out, name, ctype, payload)


_FORWARD_FROM = re.compile(
    r"^(?:>\s*)?\*?(?:From|De|Von)\s*\*?\s*:\s*\*?(.+)$", re.IGNORECASE | re.MULTILINE
)
_FORWARD_MARK = re.compile(
    r"(Forwarded message|Original Message|Message d'origine|Message transféré|"
    r"Begin forwarded message|Début du message réexpédié|^De\s*:|^From\s*:)",
    re.IGNORECASE | re.MULTILINE,
)


def _inline_forward_senders(text: str) -> list[str]:
    """Senders named in a forwarded or quoted message's header block inside the text."""
    if not _FORWARD_MARK.search(text):
        return []
    found = []
    for match in _FORWARD_FROM.finditer(text):
        address = parseaddr(match.group(1).replace("[mailto:", " <").replace("]", ">"))[1]
        if "@" not in address:
            bracket = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", match.group(1))
            address = bracket.group(0) if bracket else ""
        if address and address.lower() not in found:
            found.append(address.lower())
    return found


def _automatic(message: Message, sender: str, subject: str) -> str:
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if message.get_content_type() == "multipart/report":
        return _("a delivery report (bounce)")
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(message, name):
            return _("%(name)s header", name=name)
    if _header(message, "Precedence").lower() in ("auto_reply",):
        return "Precedence: auto_reply"
    local = sender.partition("@")[0].lower()
    if local in ("mailer-daemon", "postmaster"):
        return _("sent by %(sender)s", sender=local)
    return ""


def _date(value: str, problems: list[str]) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        problems.append(_("The Date header %(value)s could not be read.", value=repr(value[:80])))
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_eml(data: bytes, name: str = "message.eml") -> ParsedMail:
    """Read an RFC 5322 message; never raises on bad input (problems are listed)."""
    out = ParsedMail(
        original=data, original_name=safe_filename(name), content_type="message/rfc822"
    )
    # compat32: the modern policy's header objects cost 40 times as much to read, and every
    # header is decoded here (``decoded``) anyway.
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    if not message.keys():
        out.problems.append(_("No mail headers were found: this does not look like an e-mail."))
    defects = {type(d).__name__ for d in message.defects}
    for part in message.walk():
        defects |= {type(d).__name__ for d in getattr(part, "defects", [])}
    if defects:
        out.problems.append(
            _("Malformed MIME structure: %(defects)s.", defects=", ".join(sorted(defects)))
        )
    out.message_id = _header(message, "Message-ID").strip() or None
    if out.message_id and len(out.message_id) > 500:
        out.message_id = out.message_id[:500]
    out.in_reply_to = " ".join(
        v for v in (_header(message, "In-Reply-To"), _header(message, "References")) if v
    )
    out.sender = _header(message, "From")[:500]
    out.sender_address = parseaddr(out.sender)[1].lower()
    recipients: list[str] = []
    for header in ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"):
        for value in message.get_all(header, failobj=[]):
            recipients.append(decoded(value))
    out.recipients = ", ".join(recipients)
    out.subject = _header(message, "Subject")
    out.sent_at = _date(_header(message, "Date"), out.problems)
    out.auth_results = "\n".join(
        decoded(v) for v in message.get_all("Authentication-Results", failobj=[])
    )
    try:
        out.body_text = _text_of(message, out.problems)
    except Exception as exc:  # a structure the parser cannot follow: kept, text empty
        out.problems.append(_("The text could not be read (%(error)s).", error=type(exc).__name__))
    try:
        _walk_files(out, message)
    except Exception as exc:  # idem: the original is kept whole all the same
        out.problems.append(
            _("Some attachments could not be read (%(error)s).", error=type(exc).__name__)
        )
    for address in _inline_forward_senders(out.body_text):
        if address not in out.forwarded_senders and address != out.sender_address:
            out.forwarded_senders.append(address)
    out.automatic = _automatic(message, out.sender_address, out.subject)
    return out


def parse_msg(data: bytes, name: str = "message.msg") -> ParsedMail:
    """Read an Outlook ``.msg`` (the original kept as it came)."""
    out = ParsedMail(
        original=data, original_name=safe_filename(name), content_type="application/vnd.ms-outlook"
    )
    try:
        import extract_msg
        from extract_msg.msg_classes import MessageBase

        msg = extract_msg.openMsg(data)
    except Exception as exc:  # not an Outlook message after all
        out.problems.append(
            _("This Outlook file could not be read (%(error)s).", error=type(exc).__name__)
        )
        return out
    if not isinstance(msg, MessageBase):  # a contact, task or note saved from Outlook
        msg.close()
        out.problems.append(_("This Outlook file holds no e-mail message."))
        return out
    try:
        headers = msg.header
        if headers is not None:
            out.auth_results = "\n".join(
                " ".join(str(v).split()) for v in headers.get_all("Authentication-Results", [])
            )
            out.in_reply_to = " ".join(
                v for v in (headers.get("In-Reply-To"), headers.get("References")) if v
            )
        out.message_id = (getattr(msg, "messageId", None) or "").strip() or None
        out.sender = " ".join(str(msg.sender or "").replace("\x00", "").split())[:500]
        out.sender_address = parseaddr(out.sender)[1].lower()
        out.recipients = ", ".join(str(v) for v in (msg.to, msg.cc) if v)
        out.subject = " ".join(str(msg.subject or "").replace("\x00", "").split())
        sent = msg.date
        if isinstance(sent, datetime):
            out.sent_at = sent if sent.tzinfo else sent.replace(tzinfo=UTC)
        elif headers is not None and headers.get("Date"):
            out.sent_at = _date(str(headers.get("Date")), out.problems)
        body = msg.body or ""
        if not body.strip() and msg.htmlBody:
            html = msg.htmlBody
            body = html_to_text(
                html.decode("utf-8", "replace") if isinstance(html, bytes) else html
            )
        out.body_text = body.replace("\r\n", "\n").replace("\x00", "").strip()
        for attachment in msg.attachments:
            filename = (
                getattr(attachment, "longFilename", None)
                or getattr(attachment, "shortFilename", None)
                or "attachment"
            )
            payload = attachment.data
            if isinstance(payload, bytes):
                ctype = getattr(attachment, "mimetype", None) or "application/octet-stream"
                _add_part(out, filename, ctype, payload)
            elif payload is not None:
                out.problems.append(f"The attached item {filename!r} is kept inside the original.")
    finally:
        msg.close()
    for address in _inline_forward_senders(out.body_text):
        if address not in out.forwarded_senders and address != out.sender_address:
            out.forwarded_senders.append(address)
    return out


def parse(name: str, data: bytes) -> ParsedMail:
    """Read one message file, Outlook or RFC 5322, by its content."""
    if data.startswith(OLE_MAGIC):
        return parse_msg(data, name)
    return parse_eml(data, name)


def auth_summary(auth_results: str) -> dict[str, str]:
    """SPF, DKIM and DMARC results as the receiving server wrote them (first of each)."""
    found: dict[str, str] = {}
    for method in AUTH_METHODS:
        match = re.search(rf"\b{method}=(\w+)", auth_results, re.IGNORECASE)
        if match:
            found[method] = match.group(1).lower()
    return found


def addresses(value: str) -> list[str]:
    """The e-mail addresses in a header value."""
    return [a.lower() for _name, a in getaddresses([value]) if "@" in a]
