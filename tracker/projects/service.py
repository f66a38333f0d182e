"""Projects (a story, an investigation) and tags: which requests belong to which, for the
list's filters, the exports, the API and the scorecards."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.core.models import InfoRequest, Project, RequestProject, RequestTag, Tag, User
from tracker.language.i18n import _

PROJECT_NAME_MAX = 100
TAG_NAME_MAX = 50
DESCRIPTION_MAX = 2000
# Markup has no place in a name; < and > are refused rather than escaped everywhere it goes.
_REFUSED = re.compile(r"[<>\x00-\x1f\x7f]")


class LabelError(ValueError):
    """A project or tag refused, with the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def clean_name(raw: str, limit: int, field: str) -> str:
    """A project or tag name with its spaces tidied, or LabelError beside ``field``."""
    name = " ".join((raw or "").split())
    if not name:
        raise LabelError(_("Enter a name."), field)
    if len(name) > limit:
        raise LabelError(
            _("At most %(limit)s characters (this one has %(n)s).", limit=limit, n=len(name)),
            field,
        )
    if _REFUSED.search(name):
        raise LabelError(_("A name cannot contain < or > or control characters."), field)
    return name


def split_tags(raw: str) -> list[str]:
    """The tag names typed in one field, separated by commas (each checked, no repeats)."""
    names: list[str] = []
    seen: set[str] = set()
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        name = clean_name(part, TAG_NAME_MAX, "tags")
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


@dataclass(frozen=True)
class ProjectData:
    """A project as its form gives it."""

    name: str
    description: str = ""


def projects_of(db: Session, newsroom_id: int) -> list[Project]:
    """The newsroom's projects by name."""
    return list(
        db.scalars(
            sa.select(Project)
            .where(Project.newsroom_id == newsroom_id)
            .order_by(sa.func.lower(Project.name), Project.id)
        )
    )


def project_of(db: Session, newsroom_id: int, project_id: int) -> Project | None:
    """One of the newsroom's projects, or None."""
    found = db.get(Project, project_id)
    return found if found is not None and found.newsroom_id == newsroom_id else None


def _name_taken(
    db: Session, model: type[Project] | type[Tag], newsroom_id: int, name: str
) -> int | None:
    return db.scalar(
        sa.select(model.id).where(
            model.newsroom_id == newsroom_id, sa.func.lower(model.name) == name.lower()
        )
    )


def create_project(db: Session, user: User, data: ProjectData) -> Project:
    """A new project of the user's newsroom (names are unique whatever their case)."""
    name = clean_name(data.name, PROJECT_NAME_MAX, "name")
    description = (data.description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise LabelError(_("At most %(limit)s characters.", limit=DESCRIPTION_MAX), "description")
    if _name_taken(db, Project, user.newsroom_id, name) is not None:
        raise LabelError(_("The newsroom already has a project named %(name)s.", name=name), "name")
    project = Project(newsroom_id=user.newsroom_id, name=name, description=description)
    db.add(project)
    db.flush()
    return project


def tags_of(db: Session, newsroom_id: int) -> list[Tag]:
    """The newsroom's tags by name."""
    return list(
        db.scalars(
            sa.select(Tag)
            .where(Tag.newsroom_id == newsroom_id)
            .order_by(sa.func.lower(Tag.name), Tag.id)
        )
    )


def tag_named(db: Session, newsroom_id: int, name: str) -> Tag | None:
    """The newsroom's tag of this name (any case), or None."""
    return db.scalar(
        sa.select(Tag).where(
            Tag.newsroom_id == newsroom_id, sa.func.lower(Tag.name) == name.lower()
        )
    )


def _tags(db: Session, newsroom_id: int, names: Iterable[str]) -> list[Tag]:
    """The tags of these names, made when missing."""
    found = []
    for name in names:
        tag = tag_named(db, newsroom_id, name)
        if tag is None:
            tag = Tag(newsroom_id=newsroom_id, name=name)
            db.add(tag)
            db.flush()
        found.append(tag)
    return found


@dataclass(frozen=True)
class Labels:
    """A request's projects and tags, as its page shows them."""

    projects: list[Project]
    tags: list[Tag]


def labels_of(db: Session, request_id: int) -> Labels:
    """The request's projects and tags, by name."""
    projects = db.scalars(
        sa.select(Project)
        .join(RequestProject, RequestProject.project_id == Project.id)
        .where(RequestProject.request_id == request_id)
        .order_by(sa.func.lower(Project.name))
    ).all()
    tags = db.scalars(
        sa.select(Tag)
        .join(RequestTag, RequestTag.tag_id == Tag.id)
        .where(RequestTag.request_id == request_id)
        .order_by(sa.func.lower(Tag.name))
    ).all()
    return Labels(list(projects), list(tags))


def set_labels(
    db: Session,
    request: InfoRequest,
    project_ids: Collection[int],
    tag_names: Iterable[str],
) -> Labels:
    """Put the request in exactly these projects (the newsroom's only) and give it exactly
    these tags (made when new)."""
    wanted = {
        p.id
        for p in db.scalars(
            sa.select(Project).where(
                Project.newsroom_id == request.newsroom_id, Project.id.in_(list(project_ids))
            )
        )
    }
    db.execute(sa.delete(RequestProject).where(RequestProject.request_id == request.id))
    db.add_all(RequestProject(request_id=request.id, project_id=pid) for pid in sorted(wanted))
    tags = _tags(db, request.newsroom_id, tag_names)
    db.execute(sa.delete(RequestTag).where(RequestTag.request_id == request.id))
    db.add_all(
        RequestTag(request_id=request.id, tag_id=t.id) for t in {t.id: t for t in tags}.values()
    )
    db.flush()
    return labels_of(db, request.id)


def _newsroom_requests(db: Session, newsroom_id: int, request_ids: Collection[int]) -> list[int]:
    return list(
        db.scalars(
            sa.select(InfoRequest.id).where(
                InfoRequest.newsroom_id == newsroom_id, InfoRequest.id.in_(list(request_ids))
            )
        )
    )


def add_to_project(
    db: Session, newsroom_id: int, project: Project, request_ids: Collection[int]
) -> int:
    """Add the newsroom's requests among ``request_ids`` to the project; how many were not
    in it yet."""
    ids = _newsroom_requests(db, newsroom_id, request_ids)
    present = set(
        db.scalars(
            sa.select(RequestProject.request_id).where(
                RequestProject.project_id == project.id, RequestProject.request_id.in_(ids)
            )
        )
    )
    added = [i for i in ids if i not in present]
    db.add_all(RequestProject(request_id=i, project_id=project.id) for i in added)
    db.flush()
    return len(added)


def add_tags(
    db: Session, newsroom_id: int, names: Iterable[str], request_ids: Collection[int]
) -> int:
    """Tag the newsroom's requests among ``request_ids``; how many tags were added."""
    ids = _newsroom_requests(db, newsroom_id, request_ids)
    count = 0
    for tag in _tags(db, newsroom_id, names):
        present = set(
            db.scalars(
                sa.select(RequestTag.request_id).where(
                    RequestTag.tag_id == tag.id, RequestTag.request_id.in_(ids)
                )
            )
        )
        added = [i for i in ids if i not in present]
        db.add_all(RequestTag(request_id=i, tag_id=tag.id) for i in added)
        count += len(added)
    db.flush()
    return count


def in_project(project_id: int) -> sa.ColumnElement[bool]:
    """Requests that belong to the project (a condition on InfoRequest)."""
    return InfoRequest.id.in_(
        sa.select(RequestProject.request_id).where(RequestProject.project_id == project_id)
    )


def tagged(newsroom_id: int, name: str) -> sa.ColumnElement[bool]:
    """Requests carrying the newsroom's tag of this name, whatever its case."""
    return InfoRequest.id.in_(
        sa.select(RequestTag.request_id)
        .join(Tag, Tag.id == RequestTag.tag_id)
        .where(Tag.newsroom_id == newsroom_id, sa.func.lower(Tag.name) == name.lower())
    )


@dataclass(frozen=True)
class ProjectCounts:
    """How many of a project's requests are open, overdue, and due within 7 days."""

    total: int
    open: int
    overdue: int
    due_soon: int


def project_counts(
    db: Session, project_ids: Collection[int], today: date
) -> dict[int, ProjectCounts]:
    """Each project's counts, in one statement."""
    if not project_ids:
        return {}
    r = InfoRequest
    is_open = r.status != "closed"
    soon = sa.and_(
        r.status.in_(("awaiting", "on_hold")),
        r.due_on >= today,
        r.due_on <= today + timedelta(days=7),
    )

    def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    rows = db.execute(
        sa.select(
            RequestProject.project_id,
            sa.func.count(),
            count(is_open),
            count(r.status == "overdue"),
            count(soon),
        )
        .join(r, r.id == RequestProject.request_id)
        .where(RequestProject.project_id.in_(list(project_ids)))
        .group_by(RequestProject.project_id)
    )
    found = {pid: ProjectCounts(int(t), int(o), int(late), int(s)) for pid, t, o, late, s in rows}
    return {pid: found.get(pid, ProjectCounts(0, 0, 0, 0)) for pid in project_ids}
