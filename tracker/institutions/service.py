"""Institution use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.core.db import folded
from tracker.core.models import InfoRequest, Institution
from tracker.core.textfold import fold
from tracker.language.i18n import _


class InstitutionError(ValueError):
    """An institution change was refused; ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class InstitutionData:
    """The editable facts about an institution."""

    name: str
    law_code: str
    province: str | None = None
    access_email: str | None = None


def list_institutions(
    db: Session, newsroom_id: int, search: str = ""
) -> list[tuple[Institution, int]]:
    """The newsroom's institutions by name, each with its number of requests; with ``search``,
    those whose name contains it, case and accents aside ("surete" finds "Sûreté")."""
    counts = (
        sa.select(InfoRequest.institution_id, sa.func.count().label("n"))
        .where(InfoRequest.newsroom_id == newsroom_id)
        .group_by(InfoRequest.institution_id)
        .subquery()
    )
    rows = db.execute(
        sa.select(Institution, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.institution_id == Institution.id)
        .where(Institution.newsroom_id == newsroom_id, *_name_contains(search))
        .order_by(Institution.archived_at.is_not(None), sa.func.lower(Institution.name))
    )
    return [(inst, int(n)) for inst, n in rows]


def _name_contains(search: str) -> list[sa.ColumnElement[bool]]:
    term = (fold(search.strip()) or "")[:300]
    if not term:
        return []
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [folded(Institution.name).like(folded(sa.literal(f"%{escaped}%")), escape="\\")]


def _check_unique_name(db: Session, newsroom_id: int, name: str, exclude_id: int | None) -> None:
    query = sa.select(Institution.id).where(
        Institution.newsroom_id == newsroom_id, sa.func.lower(Institution.name) == name.lower()
    )
    if exclude_id is not None:
        query = query.where(Institution.id != exclude_id)
    if db.scalar(query) is not None:
        raise InstitutionError(
            _("Your newsroom already has an institution with this name."), "name"
        )


def create_institution(db: Session, newsroom_id: int, data: InstitutionData) -> Institution:
    """Add an institution to the newsroom; the caller commits."""
    name = data.name.strip()
    _check_unique_name(db, newsroom_id, name, None)
    institution = Institution(
        newsroom_id=newsroom_id,
        name=name,
        law_code=data.law_code,
        province=(data.province or None),
        access_email=(data.access_email or None),
    )
    db.add(institution)
    db.flush()
    return institution


def update_institution(db: Session, institution: Institution, data: InstitutionData) -> None:
    """Change an institution's facts; its requests keep their own law; the caller commits."""
    name = data.name.strip()
    _check_unique_name(db, institution.newsroom_id, name, institution.id)
    institution.name = name
    institution.law_code = data.law_code
    institution.province = data.province or None
    institution.access_email = data.access_email or None


def requests_of(db: Session, institution: Institution) -> list[InfoRequest]:
    """The institution's requests, newest first."""
    return list(
        db.scalars(
            sa.select(InfoRequest)
            .where(InfoRequest.institution_id == institution.id)
            .order_by(InfoRequest.received_on.desc(), InfoRequest.id.desc())
        )
    )


def set_archived(institution: Institution, archived: bool, now: datetime) -> None:
    """Archive an institution (kept with its requests, hidden from new requests) or restore it.

    Institutions are never deleted: their requests and history must survive.
    """
    institution.archived_at = now if archived else None
