"""Build a request's evidence packet: a ZIP with the dossier, letter, chronology, files, manifest.

The archive is deterministic: entries in sorted order, timestamps and permissions fixed from
the generation time, so the same data and generation time give the same bytes. Original
files are streamed into it in chunks and checked against their recorded SHA-256.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import object_session

from tracker.core.models import InfoRequest
from tracker.exports.service import safe_cell as exports_safe_cell
from tracker.files.storage import LocalStorage
from tracker.packets.dossier import Dossier, PacketFile, gather
from tracker.packets.letter import draft_letter
from tracker.packets.pdf import render_pdf
from tracker.records import exemptions as records_exemptions

CHUNK = 1024 * 1024
PACKET_FORMAT = 1
# Stay clear of the 4 GiB ZIP limit: zipfile adds room for the header, so mark big entries.
ZIP64_FROM = 2**31
TIMELINE_COLUMNS = (
    "entry",
    "occurred_on",
    "kind",
    "label",
    "note",
    "details",
    "recorded_by",
    "recorded_at",
    "corrects",
    "corrected_by",
    "files",
    "files_sha256",
)


class PacketError(Exception):
    """The packet was not built; the message says why and is safe to show."""


class MissingFiles(PacketError):
    """Original files recorded on the timeline are not in the file store."""

    def __init__(self, files: list[PacketFile]) -> None:
        self.files = tuple(files)
        names = "; ".join(
            f"{f.original_name} (entry of {f.first_entry_on.isoformat()}, SHA-256 {f.sha256[:12]}…)"
            for f in files
        )
        super().__init__(
            f"{len(files)} attached file{'s are' if len(files) != 1 else ' is'} "
            f"missing from the tracker's file store, so no packet was built: {names}. "
            "Restore them from a backup and try again."
        )


class OutputExists(PacketError):
    """The output path is taken and overwriting was not asked for."""


@dataclass(frozen=True)
class Packet:
    """A packet written to disk."""

    path: Path
    size: int
    dossier: Dossier


def safe_cell(value: str) -> str:
    """A spreadsheet shows this cell as text, never runs it as a formula (in any locale)."""
    return exports_safe_cell(value)


def timeline_csv(d: Dossier) -> bytes:
    """Every timeline entry, corrections included, as UTF-8 CSV (with a BOM for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TIMELINE_COLUMNS)
    for e in d.chronology:
        row = [
            str(e.id),
            e.occurred_on.isoformat(),
            e.kind,
            e.label,
            e.note,
            e.details,
            e.recorded_by,
            e.recorded_at.isoformat(timespec="seconds"),
            "" if e.corrects_id is None else str(e.corrects_id),
            "" if e.corrected_by_id is None else str(e.corrected_by_id),
            "; ".join(f.path for f in e.files),
            "; ".join(f.sha256 for f in e.files),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def manifest_json(d: Dossier, generated: dict[str, bytes]) -> bytes:
    """The manifest: every other file's path, size and SHA-256, and what made the packet."""
    files = [
        {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in generated.items()
    ]
    files += [
        {"path": f.path, "size": f.size, "sha256": f.sha256, "original_name": f.original_name}
        for f in d.files
    ]
    manifest = {
        "packet_format": PACKET_FORMAT,
        "request_id": d.request_id,
        "law": d.law.code,
        "tracker_version": d.tracker_version,
        "holidays_version": d.holidays_version,
        "generated_at": d.generated_at.isoformat(),
        "as_of": d.today.isoformat(),
        "files": sorted(files, key=lambda f: str(f["path"])),
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def missing_files(d: Dossier, storage: LocalStorage) -> list[PacketFile]:
    """The packet's original files that are not on disk."""
    return [f for f in d.files if not storage.exists(f.sha256)]


def _entry(name: str, stamp: tuple[int, int, int, int, int, int], method: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = method
    info.create_system = 3  # Unix, whatever the platform
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    return info


def write_archive(d: Dossier, storage: LocalStorage, target: BinaryIO) -> None:
    """Write the packet ZIP to a seekable binary file."""
    missing = missing_files(d, storage)
    if missing:
        raise MissingFiles(missing)
    generated = {
        "packet.pdf": render_pdf(d),
        "complaint-letter.txt": draft_letter(d).encode("utf-8"),
        "timeline.csv": timeline_csv(d),
        **dict(d.mail_texts),
    }
    if d.exemption_pages:
        generated["exemptions.csv"] = exemptions_csv(d)
    generated["manifest.json"] = manifest_json(d, generated)
    originals = {f.path: f for f in d.files}
    stamp = d.generated_at.timetuple()[:6]
    if stamp[0] < 1980:
        raise PacketError("ZIP archives cannot hold dates before 1980.")
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        for name in sorted([*generated, *originals]):
            if name in generated:
                archive.writestr(_entry(name, stamp, zipfile.ZIP_DEFLATED), generated[name])
            else:
                _copy_original(archive, originals[name], storage, stamp)


def _copy_original(
    archive: zipfile.ZipFile,
    f: PacketFile,
    storage: LocalStorage,
    stamp: tuple[int, int, int, int, int, int],
) -> None:
    """Stream one original file into the archive (stored as is) and check its hash."""
    info = _entry(f.path, stamp, zipfile.ZIP_STORED)
    info.file_size = f.size
    digest = hashlib.sha256()
    size = 0
    with (
        storage.open(f.sha256) as source,
        archive.open(info, "w", force_zip64=f.size >= ZIP64_FROM) as sink,
    ):
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            sink.write(chunk)
    if digest.hexdigest() != f.sha256 or size != f.size:
        raise PacketError(
            f"{f.original_name} no longer matches the SHA-256 recorded when it was "
            "uploaded: the stored copy was altered or damaged. No packet was built."
        )


def dossier_for(request: InfoRequest, *, generated_at: datetime, today: date, tz: str) -> Dossier:
    """The packet's facts about a request (see tracker.packets.dossier.gather), with its agency
    mail (tracker.packets.mail) and, for a complaint on exemptions, the pages citing them."""
    from tracker.packets.mail import with_mail

    dossier = with_mail(gather(request, generated_at=generated_at, today=today, tz=tz), request)
    session = object_session(request)
    if session is not None and any(c.grounds == "exemptions" for c in dossier.complaints):
        pages = records_exemptions.pages_of_request(session, request.id)
        dossier = dataclasses.replace(dossier, exemption_pages=tuple(pages))
    return dossier


EXEMPTION_COLUMNS = ("file", "page", "sections", "withheld")


def exemptions_csv(d: Dossier) -> bytes:
    """The pages of the released records that cite exemptions, page by page, as UTF-8 CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXEMPTION_COLUMNS)
    for p in d.exemption_pages:
        row = [
            p.file_name,
            str(p.page),
            "; ".join(p.sections),
            "in full" if p.withheld_in_full else "in part",
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build_packet(
    request: InfoRequest,
    storage: LocalStorage,
    output: str | Path,
    *,
    generated_at: datetime,
    today: date,
    tz: str,
    force: bool = False,
) -> Packet:
    """Write the packet to ``output`` atomically: a temporary file beside it, renamed at the end."""
    output = Path(output)
    if output.is_dir():
        raise OutputExists(f"{output} is a folder; give a file name ending in .zip.")
    if output.exists() and not force:
        raise OutputExists(f"{output} already exists; use --force to replace it.")
    if not output.parent.is_dir():
        raise PacketError(f"The folder {output.parent} does not exist.")
    dossier = dossier_for(request, generated_at=generated_at.astimezone(UTC), today=today, tz=tz)
    missing = missing_files(dossier, storage)
    if missing:
        raise MissingFiles(missing)
    fd, tmp_name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w+b") as handle:
            write_archive(dossier, storage, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, output)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return Packet(path=output, size=output.stat().st_size, dossier=dossier)
