"""Importing the tracker's own export (newsroom.zip): every request with its timeline.

The export's CSVs are read back without a mapping: institutions.csv gives the institutions,
requests.csv the requests, timeline.csv every entry, replayed through the request service in the
order it was recorded (corrections after what they correct), so extensions, complaints,
findings, closures and the derived status and dates come from the same code as requests logged
by hand. Attachments are not in the export: an entry that had files says so in a note.

The dry run is the same code in a transaction that is rolled back: what it accepts, the import
writes.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.alerts.sweep import deadline_key
from tracker.core.models import ImportBatch, ImportedRequest, Institution, TimelineEvent, User
from tracker.exports.service import FORMULA_TRIGGERS
from tracker.files.storage import LocalStorage
from tracker.imports.service import ImportRefused, name_key
from tracker.institutions.service import InstitutionData, InstitutionError, create_institution
from tracker.language.i18n import _, force_locale, locale_of
from tracker.requests import service as requests
from tracker.timeline import kinds

EXPORT_FILES = ("requests.csv", "timeline.csv", "institutions.csv")


def _system_kind(kind: str) -> bool:
    """True for entries the tracker writes itself (tracker.timeline.kinds, added_by): they
    are copied as they are (the "filed" entry is made again)."""
    declared = kinds.get(kind)
    return declared is not None and declared.added_by == "system"


#: The largest export read (uncompressed), against ZIP bombs.
MAX_UNCOMPRESSED = 2 * 1024**3


def is_export(data: bytes) -> bool:
    """True for a ZIP holding the tracker export's requests, timeline and institutions."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return all(name in names for name in EXPORT_FILES)


def _unneutralise(value: str) -> str:
    """A cell as it was before the export neutralised it (the apostrophe before = + - @)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def _read(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    text = archive.read(name).decode("utf-8-sig")
    return [
        {k: _unneutralise(v or "") for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class RestoreResult:
    """What the restore wrote (or, in a dry run, would write)."""

    requests: int = 0
    entries: int = 0
    institutions_created: list[str] = field(default_factory=list)
    files_not_restored: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def restore_export(
    db: Session, data: bytes, owner: User, today: date, storage: LocalStorage, *, source: str
) -> RestoreResult:
    """Write the export's institutions, requests and timelines into the owner's newsroom in
    the caller's transaction; ``ImportRefused`` names the request and the reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportRefused(_("The file is not a ZIP archive.")) from exc
    if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
        raise ImportRefused(_("The archive is too large once uncompressed."))
    with archive:
        institutions = _read(archive, "institutions.csv")
        request_rows = _read(archive, "requests.csv")
        timeline = _read(archive, "timeline.csv")
    result = RestoreResult()
    batch = ImportBatch(
        newsroom_id=owner.newsroom_id,
        filename=source[:255],
        as_of=None,
        imported_by_id=owner.id,
        requests=len(request_rows),
        rows=len(request_rows),
    )
    db.add(batch)
    db.flush()

    existing = {
        name_key(i.name): i
        for i in db.scalars(
            sa.select(Institution).where(Institution.newsroom_id == owner.newsroom_id)
        )
    }
    by_name: dict[str, int] = {}
    for row in institutions:
        found = existing.get(name_key(row["name"]))
        if found is None:
            if row["law_code"] not in deadlines.LAWS:
                raise ImportRefused(
                    _(
                        "Nothing was imported: institutions.csv, %(name)s: unknown law %(law)s.",
                        name=repr(row["name"]),
                        law=repr(row["law_code"]),
                    )
                )
            try:
                found = create_institution(
                    db,
                    owner.newsroom_id,
                    InstitutionData(
                        name=row["name"],
                        law_code=row["law_code"],
                        province=row.get("province") or None,
                        access_email=row.get("access_email") or None,
                    ),
                )
            except InstitutionError as exc:
                raise ImportRefused(
                    _(
                        "Nothing was imported: institutions.csv, %(name)s: %(error)s",
                        name=repr(row["name"]),
                        error=exc,
                    )
                ) from exc
            existing[name_key(row["name"])] = found
            result.institutions_created.append(found.name)
        by_name[row["name"]] = found.id

    entries: dict[str, list[dict[str, str]]] = {}
    for entry in timeline:
        entries.setdefault(entry["request_id"], []).append(entry)
    for number, row in enumerate(request_rows, start=2):
        where = _(
            "requests.csv row %(row)s (%(label)s)",
            row=number,
            label=row.get("file_number") or row.get("title"),
        )
        try:
            # The notes it writes are in the language of the person restoring.
            with force_locale(locale_of(owner)):
                _restore_request(
                    db,
                    row,
                    entries.get(row["id"], []),
                    by_name,
                    owner,
                    today,
                    storage,
                    batch,
                    result,
                )
        except (requests.RequestError, ValueError, KeyError) as exc:
            raise ImportRefused(
                _("Nothing was imported: %(where)s was refused: %(error)s", where=where, error=exc)
            ) from exc
        except (sa.exc.IntegrityError, sa.exc.DataError) as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
            raise ImportRefused(
                _(
                    "Nothing was imported: %(where)s was refused by the database: %(reason)s",
                    where=where,
                    reason=reason,
                )
            ) from exc
    return result


def _restore_request(
    db: Session,
    row: dict[str, str],
    timeline: list[dict[str, str]],
    institutions: dict[str, int],
    owner: User,
    today: date,
    storage: LocalStorage,
    batch: ImportBatch,
    result: RestoreResult,
) -> None:
    if row["institution"] not in institutions:
        raise ValueError(
            _(
                "its institution %(name)s is not in institutions.csv",
                name=repr(row["institution"]),
            )
        )
    created = requests.create_request(
        db,
        owner,
        requests.RequestData(
            institution_id=institutions[row["institution"]],
            title=row["title"],
            received_on=date.fromisoformat(row["received_on"]),
            law_code=row["law_code"],
            text=row.get("text", ""),
            sent_on=_day(row.get("sent_on", "")),
            file_number=row.get("file_number") or None,
        ),
        today,
    )
    db.add(ImportedRequest(import_id=batch.id, request_id=created.id))
    later = _day(row.get("received_later_on", ""))
    if later is not None and later > created.received_on:
        # An e-mailed request's later reading (issue 22): its due date counts from it.
        created.received_later_on = later
        requests.recompute(db, created, today)
    new_ids: dict[str, TimelineEvent] = {}
    for entry in sorted(timeline, key=lambda e: int(e["id"])):
        kind = entry["kind"]
        details: dict[str, Any] = json.loads(entry["details"] or "{}")
        occurred_on = date.fromisoformat(entry["occurred_on"])
        note = entry["note"]
        if entry.get("attachments"):
            result.files_not_restored += len(entry["attachments"].split("; "))
            missing = _("[Files not in the export: %(files)s]", files=entry["attachments"])
            note = f"{note}\n{missing}".strip()
        if kind == "filed":
            continue
        if _system_kind(kind):
            event = TimelineEvent(
                request=created,
                kind=kind,
                occurred_on=occurred_on,
                note=note,
                details=details,
                recorded_by_id=owner.id if kind == "imported" else None,
                dedupe_key=deadline_key(date.fromisoformat(details["due_on"]))
                if kind == "deemed_refusal" and details.get("due_on")
                else None,
            )
            db.add(event)
            db.flush()
        else:
            corrects = new_ids.get(entry.get("corrects_id") or "")
            event = requests.add_event(
                db,
                owner,
                created,
                requests.EventData(kind=kind, occurred_on=occurred_on, note=note, details=details),
                today,
                storage,
                0,
                corrects=corrects,
            )
        new_ids[entry["id"]] = event
        result.entries += 1
    requests.record_import(
        db,
        owner,
        created,
        today,
        _(
            "Restored from %(source)s (request %(id)s there).",
            source=batch.filename,
            id=row["id"],
        ),
        {"source": batch.filename, "export_id": row["id"]},
    )
    state = requests.recompute(db, created, today)
    result.requests += 1
    result.statuses[state.status] = result.statuses.get(state.status, 0) + 1
