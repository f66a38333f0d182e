"""The request page's timeline as data: each entry with its kind's label, what it records
as text, and what corrects it. The markup is the ``entry`` macro of
``templates/requests/_timeline.html``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.core.models import TimelineEvent
from tracker.requests.service import REPORTER_KINDS
from tracker.timeline import kinds


def entry_facts(kind: str, details: Mapping[str, Any]) -> str:
    """What an entry of this kind records beyond its date and note, as one line of text
    (empty when nothing): the kind's own summary, declared in tracker.timeline.kinds."""
    return kinds.summary(kind, details)


@dataclass(frozen=True, slots=True)
class Entry:
    """A timeline entry as the request page shows it."""

    event: TimelineEvent
    label: str  # the kind's label
    facts: str  # entry_facts(): what it records beyond its date and note
    corrected_by: TimelineEvent | None  # the later entry that corrects it
    correctable: bool  # the reader may add a correction of it
    attachable: bool = False  # the reader may attach more files to it


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
                label=kinds.entry_label(e.kind, e.details),
                facts=entry_facts(e.kind, e.details or {}),
                corrected_by=later,
                correctable=can_edit and e.kind in REPORTER_KINDS and later is None,
                attachable=can_edit,
            )
        )
    return shown
