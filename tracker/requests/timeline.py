"""The request page's timeline as data: each entry with its kind's label, what it records
as text, and what corrects it. The markup is the ``entry`` macro of
``templates/requests/_timeline.html``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.models import TimelineEvent
from tracker.requests.service import KIND_LABELS, REPORTER_KINDS, RESPONSE_OUTCOMES
from tracker.requests.state import CLOSURES


def _fact(details: Mapping[str, Any], key: str) -> str:
    """A fact of an entry's details as text; empty when the entry has none."""
    return str(details[key]) if key in details else ""


def entry_facts(kind: str, d: Mapping[str, Any]) -> str:
    """What an entry of this kind records beyond its date and note, as one line of text
    (empty when nothing)."""
    if kind == "extension":
        notified = " · Commissioner notified" if d.get("commissioner_notified") else ""
        return (
            f"{_fact(d, 'days')} days · reason: {_fact(d, 'reason')} · notice "
            f"{_fact(d, 'notice_on')}{notified}"
        )
    if kind == "final_response":
        outcome = RESPONSE_OUTCOMES.get(d["outcome"], d["outcome"]) if "outcome" in d else ""
        pages = f" · {_fact(d, 'pages')} pages" if d.get("pages") else ""
        return f"{outcome}{pages}"
    if kind == "complaint_filed":
        number = f" · file {_fact(d, 'body_file_number')}" if d.get("body_file_number") else ""
        return f"Filed with {_fact(d, 'body')} · grounds: {_fact(d, 'grounds')}{number}"
    if kind == "complaint_finding":
        return f"Finding: {_fact(d, 'finding').replace('_', ' ')}"
    if kind == "withdrawn" and d.get("closure"):
        return str(CLOSURES.get(d["closure"], d["closure"]))
    if kind == "transfer":
        return f"To {_fact(d, 'to_institution')}"
    if kind in ("fee_notice", "fee_paid") and d.get("amount"):
        return f"Amount: {_fact(d, 'amount')}"
    return ""


@dataclass(frozen=True, slots=True)
class Entry:
    """A timeline entry as the request page shows it."""

    event: TimelineEvent
    label: str  # the kind's label
    facts: str  # entry_facts(): what it records beyond its date and note
    corrected_by: TimelineEvent | None  # the later entry that corrects it
    correctable: bool  # the reader may add a correction of it


def entries(
    events: Iterable[TimelineEvent],
    corrected_by: Mapping[int, TimelineEvent],
    *,
    can_edit: bool,
) -> list[Entry]:
    """The timeline's entries in their order, each with its label, facts and correction."""
    shown = []
    for e in events:
        later = corrected_by.get(e.id)
        shown.append(
            Entry(
                event=e,
                label=KIND_LABELS.get(e.kind, ""),
                facts=entry_facts(e.kind, e.details or {}),
                corrected_by=later,
                correctable=can_edit and e.kind in REPORTER_KINDS and later is None,
            )
        )
    return shown
