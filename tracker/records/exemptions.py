"""Exemptions cited in released records: found per page when a file is read, counted per
request (pages withheld in part or in full), per institution and per law.

What a citation looks like and what each section is belong to the law
(``tracker.deadlines.exemptions``); this module stores and counts what it finds.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.core.models import Attachment, InfoRequest, Institution, RecordExemption, RecordText
from tracker.deadlines import exemptions as law


def record_for_attachment(db: Session, attachment_id: int) -> int:
    """Find the exemptions cited on every page of a file and store them (replacing any
    found before); how many (page, section) rows. The caller commits."""
    pages = db.execute(
        sa.select(
            RecordText.id,
            RecordText.body,
            InfoRequest.id,
            InfoRequest.institution_id,
            InfoRequest.law_code,
        )
        .join(InfoRequest, InfoRequest.id == RecordText.request_id)
        .where(RecordText.attachment_id == attachment_id, RecordText.source == "page")
    ).all()
    ids = [p[0] for p in pages]
    if ids:
        db.execute(sa.delete(RecordExemption).where(RecordExemption.text_id.in_(ids)))
    rows = 0
    for text_id, body, request_id, institution_id, law_code in pages:
        cited = law.find(law_code, body)
        in_full = law.withheld_in_full(body, cited)
        for section, count in cited.items():
            db.add(
                RecordExemption(
                    text_id=text_id,
                    request_id=request_id,
                    institution_id=institution_id,
                    law_code=law_code,
                    section=section,
                    mentions=count,
                    withheld_in_full=in_full,
                )
            )
            rows += 1
    db.flush()
    return rows


@dataclass(frozen=True)
class SectionCount:
    """One section's count: on how many pages, in how many requests."""

    law_code: str
    section: str
    name: str
    pages: int
    requests: int


@dataclass(frozen=True)
class RequestExemptions:
    """A request's released pages that cite exemptions."""

    pages_in_part: int
    pages_in_full: int
    sections: list[SectionCount]


def _page_flags(db: Session, request_id: int) -> tuple[int, int]:
    per_page = (
        sa.select(
            RecordExemption.text_id,
            sa.func.max(sa.case((RecordExemption.withheld_in_full, 1), else_=0)).label("full"),
        )
        .where(RecordExemption.request_id == request_id)
        .group_by(RecordExemption.text_id)
        .subquery()
    )
    row = db.execute(
        sa.select(
            sa.func.count().filter(per_page.c.full == 0),
            sa.func.count().filter(per_page.c.full == 1),
        ).select_from(per_page)
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def for_request(db: Session, request_id: int) -> RequestExemptions:
    """The exemptions a request's records cite: pages withheld in part and in full, and
    each section with its number of pages."""
    in_part, in_full = _page_flags(db, request_id)
    rows = db.execute(
        sa.select(RecordExemption.law_code, RecordExemption.section, sa.func.count())
        .where(RecordExemption.request_id == request_id)
        .group_by(RecordExemption.law_code, RecordExemption.section)
        .order_by(sa.func.count().desc(), RecordExemption.section)
    ).all()
    sections = [
        SectionCount(code, section, law.section_name(code, section), int(pages), 1)
        for code, section, pages in rows
    ]
    return RequestExemptions(in_part, in_full, sections)


def by_institution(
    db: Session, newsroom_id: int, *, top: int = 5
) -> list[tuple[Institution, list[SectionCount]]]:
    """Each institution of a newsroom with the exemptions it claims most (pages citing each
    section, and in how many requests), most claimed first."""
    rows = db.execute(
        sa.select(
            RecordExemption.institution_id,
            RecordExemption.law_code,
            RecordExemption.section,
            sa.func.count(),
            sa.func.count(sa.distinct(RecordExemption.request_id)),
        )
        .join(Institution, Institution.id == RecordExemption.institution_id)
        .where(Institution.newsroom_id == newsroom_id)
        .group_by(RecordExemption.institution_id, RecordExemption.law_code, RecordExemption.section)
    ).all()
    grouped: dict[int, list[SectionCount]] = {}
    for institution_id, code, section, pages, requests in rows:
        grouped.setdefault(institution_id, []).append(
            SectionCount(code, section, law.section_name(code, section), int(pages), int(requests))
        )
    if not grouped:
        return []
    institutions = {
        i.id: i for i in db.scalars(sa.select(Institution).where(Institution.id.in_(grouped)))
    }
    result = []
    for institution_id, counts in grouped.items():
        counts.sort(key=lambda c: (-c.pages, c.section))
        result.append((institutions[institution_id], counts[:top]))
    result.sort(key=lambda item: (-sum(c.pages for c in item[1]), item[0].name))
    return result


def by_law(db: Session, newsroom_id: int) -> list[SectionCount]:
    """Every section cited in a newsroom's records, per law, most cited first."""
    rows = db.execute(
        sa.select(
            RecordExemption.law_code,
            RecordExemption.section,
            sa.func.count(),
            sa.func.count(sa.distinct(RecordExemption.request_id)),
        )
        .join(Institution, Institution.id == RecordExemption.institution_id)
        .where(Institution.newsroom_id == newsroom_id)
        .group_by(RecordExemption.law_code, RecordExemption.section)
    ).all()
    counts = [
        SectionCount(code, section, law.section_name(code, section), int(p), int(r))
        for code, section, p, r in rows
    ]
    counts.sort(key=lambda c: (c.law_code, -c.pages, c.section))
    return counts


@dataclass(frozen=True)
class PageCitation:
    """A page of a record and the sections it cites (for an evidence packet)."""

    file_name: str
    page: int
    sections: list[str]
    withheld_in_full: bool


def pages_of_request(db: Session, request_id: int) -> list[PageCitation]:
    """Every page of a request's records that cites an exemption, file by file, page by
    page, with the sections named."""
    rows = db.execute(
        sa.select(
            Attachment.original_name,
            RecordText.page,
            RecordExemption.law_code,
            RecordExemption.section,
            RecordExemption.withheld_in_full,
            Attachment.id,
        )
        .join(RecordText, RecordText.id == RecordExemption.text_id)
        .join(Attachment, Attachment.id == RecordText.attachment_id)
        .where(RecordExemption.request_id == request_id)
        .order_by(Attachment.id, RecordText.page, RecordExemption.section)
    ).all()
    pages: dict[tuple[int, int], PageCitation] = {}
    for name, page, code, section, full, attachment_id in rows:
        key = (attachment_id, page or 1)
        if key not in pages:
            pages[key] = PageCitation(name, page or 1, [], bool(full))
        pages[key].sections.append(f"{section} ({law.section_name(code, section)})")
    return list(pages.values())
