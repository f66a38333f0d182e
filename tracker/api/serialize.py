"""JSON shapes of requests, deadlines, timeline entries and institutions (see openapi.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import current_app, url_for

from tracker import deadlines
from tracker.display import STATUS_LABELS
from tracker.models import InfoRequest, Institution, TimelineEvent, User
from tracker.requests.describe import Deadline, Lateness
from tracker.requests.service import KIND_LABELS, can_edit


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person(user: User | None) -> dict[str, Any] | None:
    """A user as the API shows them: id and name."""
    return None if user is None else {"id": user.id, "name": user.name}


def law(code: str) -> dict[str, Any]:
    """A law's code, names and response-period citation."""
    found = deadlines.LAWS[code]
    return {
        "code": code,
        "name": found.name,
        "short_name": found.short_name,
        "jurisdiction": found.jurisdiction,
        "citation": found.citation,
    }


def institution(row: Institution) -> dict[str, Any]:
    """An institution of the newsroom."""
    return {
        "id": row.id,
        "name": row.name,
        "law_code": row.law_code,
        "province": row.province,
        "access_email": row.access_email,
        "archived": row.archived_at is not None,
        "url": url_for("api.institution", institution_id=row.id),
    }


def lateness(value: Lateness) -> dict[str, Any]:
    """Days late (calendar and business) or days left."""
    return {
        "is_late": value.is_late,
        "calendar_days_late": value.calendar_days_late,
        "business_days_late": value.business_days_late,
        "days_left": value.days_left,
        "counted_to": value.until.isoformat() if value.until else None,
        "counting": value.counting,
    }


def summary(request: InfoRequest, late: Lateness) -> dict[str, Any]:
    """A request as the list shows it."""
    return {
        "id": request.id,
        "title": request.title,
        "file_number": request.file_number,
        "law_code": request.law_code,
        "institution": {"id": request.institution.id, "name": request.institution.name},
        "owner": person(request.owner),
        "status": request.status,
        "status_label": STATUS_LABELS[request.status],
        "sent_on": _day(request.sent_on),
        "received_on": _day(request.received_on),
        "due_on": _day(request.due_on),
        "responded_on": _day(request.responded_on),
        "complaint_due_on": _day(request.complaint_due_on),
        "closed_on": _day(request.closed_on),
        "lateness": lateness(late),
        "url": url_for("api.get_request", request_id=request.id),
        "html_url": f"{current_app.config['BASE_URL']}/requests/{request.id}",
    }


def deadline(request: InfoRequest, found: Deadline) -> dict[str, Any]:
    """The due date explained step by step, extensions checked, and the complaint window."""
    state, explanation, rule = found.state, found.explanation, found.law.complaint_window
    return {
        "request_id": request.id,
        "law": law(request.law_code),
        "received_on": _day(request.received_on),
        "clock_start": _day(state.clock_start),
        "restarted_by": state.restarted_by,
        "extension_days": state.extension_days,
        "pauses": [{"start": _day(a), "end": _day(b)} for a, b in state.pauses],
        "due_on": _day(state.due_on),
        "steps": [
            {"label": s.label, "text": s.text, "citation": s.citation} for s in explanation.steps
        ],
        "sections": list(explanation.sections),
        "holidays_version": explanation.holidays_version,
        "text": explanation.as_text(),
        "lateness": lateness(found.lateness),
        "extensions": [
            {
                "event_id": check.extension.event_id,
                "days": check.extension.days,
                "reason": check.extension.reason,
                "notice_on": _day(check.extension.notice_on),
                "commissioner_notified": check.extension.commissioner_notified,
                "counted": check.extension.counted,
                "problems": [
                    {
                        "code": p.code,
                        "message": p.message,
                        "citation": p.citation,
                        "severity": p.severity,
                    }
                    for p in check.problems
                ],
            }
            for check in found.extensions
        ],
        "complaint": {
            "due_on": _day(state.complaint_due_on),
            "trigger": state.complaint_trigger,
            "window_open": found.complaint_window_open,
            "body": found.law.complaint_body,
            "section": found.law.cite(rule.section) if rule is not None else None,
            "deemed_refusal_window_end": _day(found.deemed_refusal_window_end),
        },
    }


def event(row: TimelineEvent, corrected_by: dict[int, int]) -> dict[str, Any]:
    """A timeline entry with its files (metadata only)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "kind_label": KIND_LABELS.get(row.kind, row.kind),
        "occurred_on": _day(row.occurred_on),
        "note": row.note,
        "details": row.details or {},
        "recorded_by": person(row.recorded_by),
        "recorded_at": _instant(row.recorded_at),
        "corrects_id": row.corrects_id,
        "corrected_by_id": corrected_by.get(row.id),
        "attachments": [
            {
                "id": a.id,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in row.attachments
        ],
    }


def detail(request: InfoRequest, found: Deadline, user: User) -> dict[str, Any]:
    """Everything about a request: facts, status, lateness, deadline, complaint, timeline."""
    events = list(request.events)
    corrected_by = {e.corrects_id: e.id for e in events if e.corrects_id is not None}
    return {
        **summary(request, found.lateness),
        "text": request.text,
        "law": law(request.law_code),
        "created_at": _instant(request.created_at),
        "updated_at": _instant(request.updated_at),
        "version": request.version,
        "can_edit": can_edit(user, request),
        "deadline": deadline(request, found),
        "timeline": [event(e, corrected_by) for e in events],
    }
