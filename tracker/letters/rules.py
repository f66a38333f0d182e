"""Which letters a request's state offers, to whom, citing what, and until when.

Pure: plain facts in (the request's derived state, its complaints, the letters already sent),
plain offers out. The law's facts come from tracker.deadlines (laws.py for the bodies, windows
and stages; letters.py for the request form, the review that comes first and the sections per
ground); the rules here only decide when each letter makes sense:

- nothing once the request is closed (withdrawn, abandoned, or decided on a complaint);
- nothing "overdue" while a pause is open or before the due date (a lawful extension moves
  it: the derived due date already counts only the lawful days);
- no second complaint on a ground already complained of; while a complaint is pending, a
  follow-up to the body citing its file number;
- a review the law puts first (UK FOIA s.50(2)(a), FOISA s.20(1)) before the outside body;
- each letter only while its window is open, where the law sets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker import deadlines
from tracker.deadlines.letters import letter_law
from tracker.requests.state import RequestState

# A follow-up before the due date is offered this many days ahead (the tracker's choice).
FOLLOW_UP_DAYS = 7
KINDS = ("request", "follow_up", "follow_up_overdue", "review", "complaint", "complaint_follow_up")
GROUNDS = ("delay", "extension", "fees", "exemptions", "missing_records")
# Responses a complaint about exemptions or missing records can follow.
ADVERSE = {
    "exemptions": ("partial", "refused"),
    "missing_records": ("partial", "no_records"),
}
# Laws whose outside body is a court, to which the tracker drafts no letter.
COURT_ONLY = ("us-ca-cpra",)


@dataclass(frozen=True)
class ComplaintFact:
    """A complaint or appeal on the timeline (corrections applied)."""

    grounds: str
    filed_on: date
    body: str = ""
    file_number: str | None = None
    finding: str | None = None
    finding_on: date | None = None


@dataclass(frozen=True)
class SentLetter:
    """A letter the tracker recorded as sent."""

    kind: str
    ground: str | None
    sent_on: date


@dataclass(frozen=True)
class LetterFacts:
    """What the rules read about one request."""

    law: deadlines.Law  # the version in force on the received date
    state: RequestState
    today: date
    received_on: date
    province: str | None = None
    sent_on: date | None = None  # when the request itself was sent
    outcome: str | None = None  # the final response's outcome
    fee_pending: bool = False  # a fee notice not followed by a payment or waiver
    extension_problems: bool = False
    complaints: tuple[ComplaintFact, ...] = ()
    letters: tuple[SentLetter, ...] = ()


@dataclass(frozen=True)
class Offer:
    """A letter the state offers now."""

    kind: str
    ground: str | None
    to_body: bool  # False: to the institution
    addressee: str  # the body's name, or "" for the institution (its name is the request's)
    sections: tuple[str, ...]  # cited, e.g. "ATIA s.30(1)(a)"
    window_ends: date | None  # the last day to send it, where the law sets one
    window_section: str | None = None
    file_number: str | None = None  # the body's file number (a follow-up on a complaint)
    filed_on: date | None = None  # the complaint followed up
    after_review_on: date | None = None  # the review sent first (UK, Scotland)

    @property
    def key(self) -> str:
        """A stable name for the offer: the kind and its ground."""
        return f"{self.kind}:{self.ground}" if self.ground else self.kind


def _responded_late(f: LetterFacts) -> bool:
    return f.state.responded_on is not None and f.state.responded_on > f.state.due_on


def late(f: LetterFacts) -> bool:
    """True when the due date passed without a response in time (and no pause is open)."""
    s = f.state
    if s.responded_on is not None:
        return s.responded_on > s.due_on
    return s.open_pause_since is None and f.today > s.due_on


def _complained(f: LetterFacts, ground: str) -> bool:
    if any(c.grounds == ground for c in f.complaints):
        return True
    return any(x.kind == "complaint" and x.ground == ground for x in f.letters)


def _review_sent(f: LetterFacts) -> SentLetter | None:
    reviews = [x for x in f.letters if x.kind == "review"]
    return max(reviews, key=lambda x: x.sent_on) if reviews else None


def _cite(law: deadlines.Law, section: str | None) -> tuple[str, ...]:
    return (law.cite(section),) if section else ()


def _response_window(f: LetterFacts) -> date | None:
    s = f.state
    if s.responded_on is None:
        return None
    return deadlines.response_complaint_deadline(
        f.law.code,
        s.responded_on,
        # The reporter's window: from the earlier reading's due date (issue 22).
        due=s.reporter_due_on,
        province=f.province,
        received=f.received_on,
    )


def _complaint_sections(f: LetterFacts, ground: str) -> tuple[str, ...]:
    from tracker.packets.letter import rules_for  # the salutations and sections per law

    law = f.law
    rules = rules_for(law.code, law.effective_from)
    own = letter_law(law.code)
    section = (own.grounds.get(ground) if own else None) or (
        rules.extension_section if ground == "extension" else rules.complaint_section
    )
    cited = list(_cite(law, section))
    if ground == "delay":
        cited = [law.cite(x) for x in rules.delay_sections] + cited
        if law.silence_cite and law.silence_cite not in cited:
            cited.insert(1, law.silence_cite)
    return tuple(dict.fromkeys(cited))


def _ground_open(f: LetterFacts, ground: str) -> tuple[bool, date | None]:
    """Whether a complaint on this ground makes sense now, and the last day for it."""
    s, law = f.state, f.law
    if ground == "delay":
        if not late(f):
            return False, None
        if s.responded_on is None:
            window = law.window_after_refusal
            if law.refusal_no_limit or (window is None and law.complaint_window is None):
                return True, None
            if window is None:
                return False, None  # US FOIA: silence leads to court, not to an appeal
        return True, s.complaint_due_on
    if ground == "extension":
        return f.extension_problems and s.responded_on is None, None
    if ground == "fees":
        return f.fee_pending and s.responded_on is None, None
    if ground in ADVERSE:
        if s.responded_on is None or f.outcome not in ADVERSE[ground]:
            return False, None
        if law.complaint_window is None:
            return True, None
        return True, _response_window(f)
    return False, None


def _body_stage(f: LetterFacts) -> str:
    """The outside body, for the law (after any review the authority makes first)."""
    law = f.law
    if law.next_stage is not None:
        return law.next_stage.body
    window = law.complaint_window or law.guidance_window
    return window.body if window and window.body else law.complaint_body


def offers(f: LetterFacts) -> list[Offer]:
    """Every letter the request's state offers today, the most pressing first."""
    s, law, today = f.state, f.law, f.today
    if s.closed_on is not None or s.status == "closed":
        return []
    out: list[Offer] = []
    own = letter_law(law.code)
    if f.sent_on is None and not any(x.kind == "request" for x in f.letters):
        out.append(
            Offer(
                "request",
                None,
                False,
                "",
                _cite(law, own.request_section if own else None),
                None,
            )
        )
    counting = s.responded_on is None and s.open_pause_since is None
    if counting and today <= s.due_on and (s.due_on - today).days <= FOLLOW_UP_DAYS:
        out.append(Offer("follow_up", None, False, "", (law.period_text,), s.due_on))
    if counting and today > s.due_on:
        cited = (law.period_text, *((law.silence_cite,) if law.silence_cite else ()))
        out.append(Offer("follow_up_overdue", None, False, "", cited, None))
    if law.code in COURT_ONLY:
        return out  # the outside body is a court: the tracker drafts no letter to it
    for c in f.complaints:
        if c.finding is None:
            out.append(
                Offer(
                    "complaint_follow_up",
                    c.grounds,
                    True,
                    c.body or law.complaint_body,
                    _complaint_sections(f, c.grounds)[-1:],
                    None,
                    file_number=c.file_number,
                    filed_on=c.filed_on,
                )
            )
    review = own.review if own else None
    reviewed = _review_sent(f)
    for ground in GROUNDS:
        if _complained(f, ground):
            continue
        open_now, ends = _ground_open(f, ground)
        if not open_now:
            continue
        # The first window; once the review it opens was asked for, the next stage's counts.
        if ends is not None and today > ends and not (review is not None and reviewed):
            continue
        if review is not None and reviewed is None:
            # The authority's own review first (FOIA s.50(2)(a); FOISA s.20(1)): one review
            # covers every ground, offered once.
            if any(o.kind == "review" for o in out):
                continue
            window = law.complaint_window
            review_ends = s.complaint_due_on if window is not None else None
            if review_ends is not None and today > review_ends:
                continue
            out.append(
                Offer(
                    "review",
                    ground,
                    False,
                    window.body if window is not None and window.body else "",
                    _cite(law, review.section),
                    review_ends,
                    window.section if window is not None else None,
                )
            )
            continue
        body = _body_stage(f)
        after_review = reviewed.sent_on if reviewed is not None else None
        window_ends = ends
        window_section = law.complaint_window.section if law.complaint_window else None
        if review is not None and reviewed is not None:
            # FOISA s.21(1), s.47(4): the application once the review is answered or its
            # 20 working days have passed, within six months of that.
            waited = reviewed.sent_on
            if review.answer_days:
                waited = deadlines.add_working_days(
                    law.code, reviewed.sent_on, review.answer_days, f.province
                )
                answered = s.responded_on is not None and s.responded_on > reviewed.sent_on
                if today <= waited and not answered:
                    continue
            window_ends = deadlines.next_stage_deadline(
                law.code, waited, received=f.received_on, province=f.province
            )
            window_section = law.next_stage.section if law.next_stage else None
            if window_ends is not None and today > window_ends:
                continue
        sections = _complaint_sections(f, ground)
        out.append(
            Offer(
                "complaint",
                ground,
                True,
                body,
                sections,
                window_ends,
                window_section,
                after_review_on=after_review,
            )
        )
    return sorted(out, key=lambda o: (o.window_ends or date.max, KINDS.index(o.kind)))


def due_reminder(f: LetterFacts) -> Offer | None:
    """The offer a reminder names: the one whose window closes first (None: none dated)."""
    dated = [o for o in offers(f) if o.window_ends is not None and o.window_ends >= f.today]
    return min(dated, key=lambda o: o.window_ends or date.max) if dated else None


def stance(f: LetterFacts) -> str:
    """How a delay complaint speaks of the delay now: "not_yet" (the due date has not passed),
    "ongoing" (no response yet), "past" (the response came late), "filed" (a delay complaint
    is already on the timeline: write about that one, not a second), "in_time"."""
    if any(c.grounds == "delay" for c in f.complaints):
        return "filed"
    if _responded_late(f):
        return "past"
    if f.state.responded_on is not None:
        return "in_time"
    return "ongoing" if late(f) else "not_yet"


def days_since(start: date, end: date) -> int:
    """Calendar days from start to end (0 when end is not after start)."""
    return max((end - start).days, 0)


__all__ = [
    "ADVERSE",
    "FOLLOW_UP_DAYS",
    "GROUNDS",
    "KINDS",
    "ComplaintFact",
    "LetterFacts",
    "Offer",
    "SentLetter",
    "days_since",
    "due_reminder",
    "late",
    "offers",
    "stance",
]
