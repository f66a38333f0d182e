"""Agency mail for the tests, made at test time: RFC 5322 messages in the shapes real agency
mail takes (wrong or missing charsets, encoded subjects, forwards, bounces, out-of-office
replies, PDFs), Outlook ``.msg`` files (a minimal Compound File writer) and TNEF
``winmail.dat`` attachments."""

from __future__ import annotations

import email
import email.policy
import itertools
import struct
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

AUTH = (
    "mx.newsroom.test; spf=pass smtp.mailfrom=canada.ca; "
    "dkim=pass header.d=canada.ca; dmarc=pass header.from=canada.ca"
)


def pdf_bytes(size: int = 2000, marker: str = "release") -> bytes:
    """A PDF of about ``size`` bytes (valid header and trailer, padded with a comment)."""
    head = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + marker.encode() + b"\n"
    )
    tail = b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    pad = max(0, size - len(head) - len(tail))
    return head + (b"%" + b"x" * 78 + b"\n") * (pad // 80) + b"%" * (pad % 80) + tail


def message(
    subject: str = "Your access request",
    body: str = "We acknowledge receipt of your request.",
    *,
    sender: str = "ATIP Office <atip-aiprp@rcmp-grc.gc.ca>",
    to: str = "Reporter <newsroom@example.org>",
    date: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    html: str | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    headers: dict[str, str] | None = None,
    auth: str | None = AUTH,
    charset: str = "utf-8",
) -> bytes:
    """An agency message as bytes."""
    mail = EmailMessage()
    if auth:
        mail["Authentication-Results"] = auth
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(date or datetime(2024, 3, 4, 14, 30, tzinfo=UTC))
    mail["Message-ID"] = message_id or make_msgid(domain="agency.test")
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = in_reply_to
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body, charset=charset)
    if html is not None:
        mail.add_alternative(html, subtype="html")
    for name, ctype, data in attachments:
        if ctype == "message/rfc822":
            inner = email.message_from_bytes(data, policy=email.policy.default)
            mail.add_attachment(inner, filename=name)
            continue
        maintype, _, subtype = ctype.partition("/")
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return mail.as_bytes()


def raw(text: str, encoding: str = "latin-1") -> bytes:
    """A message written out by hand (CRLF line ends), for shapes the library won't make."""
    return text.replace("\n", "\r\n").encode(encoding)


# --- TNEF (winmail.dat): attributes with checksums, enough for tnefparse to read. ---


def _tnef_attribute(level: int, attribute: int, data: bytes) -> bytes:
    checksum = sum(data) & 0xFFFF
    return struct.pack("<BII", level, attribute, len(data)) + data + struct.pack("<H", checksum)


def tnef(files: tuple[tuple[str, bytes], ...]) -> bytes:
    """A ``winmail.dat`` carrying these files."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _tnef_attribute(1, 0x00089006, struct.pack("<I", 0x00010000))
    out += _tnef_attribute(1, 0x00069007, b"\xe4\x04\x00\x00\x00\x00")
    for name, data in files:
        out += _tnef_attribute(2, 0x00069002, b"\x01\x00\x00\x00" + b"\xff" * 4 + b"\x00" * 6)
        out += _tnef_attribute(2, 0x00018010, name.encode("latin-1") + b"\x00")
        out += _tnef_attribute(2, 0x0006800F, data)
    return out


# --- Outlook .msg: a Compound File (CFB v3, 512-byte sectors, no mini stream). ---

ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def outlook_msg(
    subject: str,
    body: str,
    sender_name: str,
    sender_email: str,
    headers: str,
    attachments: tuple[tuple[str, bytes], ...] = (),
) -> bytes:
    """An Outlook message file with these properties, transport headers and attachments."""
    streams: dict[str, bytes] = {
        "__substg1.0_001A001F": _utf16("IPM.Note"),
        "__substg1.0_0037001F": _utf16(subject),
        "__substg1.0_1000001F": _utf16(body),
        "__substg1.0_0C1A001F": _utf16(sender_name),
        "__substg1.0_0C1F001F": _utf16(sender_email),
        "__substg1.0_5D01001F": _utf16(sender_email),
        "__substg1.0_0E04001F": _utf16("Reporter"),
        "__substg1.0_007D001F": _utf16(headers),
        "__properties_version1.0": b"\x00" * 8
        + struct.pack("<IIII", 0, 0, len(attachments), len(attachments))
        + b"\x00" * 8,
    }
    storages: dict[str, dict[str, bytes]] = {
        "__nameid_version1.0": {
            "__substg1.0_00020102": b"",
            "__substg1.0_00030102": b"",
            "__substg1.0_00040102": b"",
        }
    }
    for index, (name, data) in enumerate(attachments):
        storages[f"__attach_version1.0_#{index:08X}"] = {
            "__substg1.0_3707001F": _utf16(name),
            "__substg1.0_3704001F": _utf16(name[:12]),
            "__substg1.0_37010102": data,
            "__substg1.0_370E001F": _utf16("application/pdf"),
            "__properties_version1.0": b"\x00" * 8
            + struct.pack("<HHII", 0x0003, 0x3705, 0x6, 1)
            + b"\x00" * 4,
        }
    return _cfb(streams, storages)


def _cfb(streams: dict[str, bytes], storages: dict[str, dict[str, bytes]]) -> bytes:
    sector = 512
    data_sectors: list[bytes] = []
    fat: list[int] = []
    # entries: (name, type, data or children, start, size)
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": []}]

    mini: list[bytes] = []
    minifat: list[int] = []

    def add_stream(name: str, data: bytes) -> int:
        start = ENDOFCHAIN
        if data and len(data) < 4096:
            count = (len(data) + 63) // 64
            start = len(mini)
            for i in range(count):
                mini.append(data[i * 64 : (i + 1) * 64].ljust(64, b"\x00"))
                minifat.append(start + i + 1 if i < count - 1 else ENDOFCHAIN)
        elif data:
            count = (len(data) + sector - 1) // sector
            start = len(data_sectors)
            for i in range(count):
                data_sectors.append(data[i * sector : (i + 1) * sector].ljust(sector, b"\x00"))
                fat.append(start + i + 1 if i < count - 1 else ENDOFCHAIN)
        entries.append({"name": name, "type": 2, "start": start, "size": len(data)})
        return len(entries) - 1

    for name, data in streams.items():
        entries[0]["children"].append(add_stream(name, data))
    for name, children in storages.items():
        entries.append({"name": name, "type": 1, "children": []})
        index = len(entries) - 1
        entries[0]["children"].append(index)
        for child, data in children.items():
            entries[index]["children"].append(add_stream(child, data))

    def chain(blob: bytes) -> int:
        if not blob:
            return ENDOFCHAIN
        blob = blob.ljust(-(-len(blob) // sector) * sector, b"\x00")
        first = len(data_sectors)
        count = len(blob) // sector
        for i in range(count):
            data_sectors.append(blob[i * sector : (i + 1) * sector])
            fat.append(first + i + 1 if i < count - 1 else ENDOFCHAIN)
        return first

    mini_blob = b"".join(mini)
    entries[0]["start"] = chain(mini_blob)
    entries[0]["size"] = len(mini_blob)
    minifat_blob = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""
    if minifat_blob:
        minifat_blob += struct.pack("<I", FREESECT) * ((-len(minifat_blob) // 4) % 128)
    minifat_start = chain(minifat_blob)
    minifat_count = len(minifat_blob) // sector

    def key(i: int) -> tuple[int, str]:
        return (len(entries[i]["name"]), entries[i]["name"].upper())

    for entry in entries:
        entry.setdefault("left", NOSTREAM)
        entry.setdefault("right", NOSTREAM)
        entry.setdefault("child", NOSTREAM)
    for entry in entries:
        kids = sorted(entry.get("children", []), key=key)
        if kids:
            entry["child"] = kids[0]
            for a, b in itertools.pairwise(kids):
                entries[a]["right"] = b
    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += (
            name.ljust(64, b"\x00")
            + struct.pack("<HBB", len(name), entry["type"], 1)
            + struct.pack("<III", entry["left"], entry["right"], entry["child"])
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack(
                "<IQ",
                entry.get("start", ENDOFCHAIN) if entry["type"] != 1 else 0,
                entry.get("size", 0),
            )
        )
    while len(directory) % sector:
        directory += (
            b"\x00" * 64
            + struct.pack("<HBB", 0, 0, 0)
            + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
            + b"\x00" * 52
        )
    dir_start = len(data_sectors)
    dir_count = len(directory) // sector
    for i in range(dir_count):
        data_sectors.append(directory[i * sector : (i + 1) * sector])
        fat.append(dir_start + i + 1 if i < dir_count - 1 else ENDOFCHAIN)
    # FAT sectors: enough to describe every sector including themselves.
    fat_count = 1
    while (len(fat) + fat_count) > fat_count * 128:
        fat_count += 1
    fat_start = len(data_sectors)
    fat.extend([FATSECT] * fat_count)
    fat.extend([FREESECT] * (fat_count * 128 - len(fat)))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    assert fat_count <= 109
    difat = [fat_start + i for i in range(fat_count)] + [FREESECT] * (109 - fat_count)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack(
            "<IIIIIIIII",
            0,
            fat_count,
            dir_start,
            0,
            4096,
            minifat_start,
            minifat_count,
            ENDOFCHAIN,
            0,
        )
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(data_sectors) + fat_bytes
