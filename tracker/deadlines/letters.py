"""What each law says about the letters a requester writes: the request itself, the review
the authority must be asked for first, and the sections a complaint on each ground cites.

Pure data (no Flask, no database), read by tracker/letters/. Only the facts the law registry
(laws.py, lawtypes.py) does not already hold: the body, windows and stages of a complaint live
there (``Law.complaint_window``, ``Law.next_stage``). Sections were read from the statutes:
ATIA s.6, s.30(1); 5 U.S.C. 552(a)(3)(A), (a)(4)(A); N.Y. Pub. Off. Law s.89(3)(a), s.89(4)(a);
FOIA 2000 s.8(1), s.50(1), s.50(2)(a); FOISA s.8(1), s.20(1), s.20(3), s.21(1), s.47(1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class ReviewStep:
    """A review the authority itself must be asked for before the outside body."""

    section: str  # the section under which the review is asked for
    why: str  # why it comes first, with its section
    answer_days: int | None = None  # working days the authority has to answer it
    answer_section: str | None = None
    form_section: str | None = None  # what the requirement must contain


@dataclass(frozen=True)
class LetterLaw:
    """The letter facts of one law."""

    request_section: str  # the section under which a request is made
    request_form: str  # what the request must contain, as the Act says it
    fee_text: str = ""  # fees, waiver or media-fee language the request may include
    review: ReviewStep | None = None
    # The section a complaint (or appeal) on each ground is made under; grounds not listed
    # use the law's complaint section (tracker.packets.letter RULES).
    grounds: Mapping[str, str] = field(default_factory=dict)


_LETTER_LAWS: dict[str, LetterLaw] = {
    # ATIA s.6: in writing, to the institution, with enough detail to identify the record.
    # s.30(1)(a) refusal (deemed refusal s.10(3), exemptions, records not found), (b) fees
    # (s.11), (c) extension (s.9).
    "ca-atia": LetterLaw(
        request_section="s.6",
        request_form="in writing, to the institution that controls the record, with enough "
        "detail for an experienced employee to identify it with a reasonable effort",
        fee_text="The application fee set by the Access to Information Regulations is "
        "enclosed or paid online.",
        grounds=MappingProxyType(
            {
                "delay": "s.30(1)(a)",
                "exemptions": "s.30(1)(a)",
                "missing_records": "s.30(1)(a)",
                "fees": "s.30(1)(b)",
                "extension": "s.30(1)(c)",
            }
        ),
    ),
    # 5 U.S.C. 552(a)(3)(A): a request that reasonably describes the records, made under the
    # agency's published rules; (a)(4)(A)(ii)(II): a representative of the news media pays
    # duplication only; (a)(4)(A)(iii): waiver in the public interest. The appeal from an
    # adverse determination: (a)(6)(A)(i)(III)(aa), at least 90 days.
    "us-foia": LetterLaw(
        request_section="(3)(A)",
        request_form="reasonably describing the records and made under the agency's "
        "published rules",
        fee_text="I am a representative of the news media and ask to be charged duplication "
        "costs only (5 U.S.C. 552(a)(4)(A)(ii)(II)); I also ask for a waiver of all fees, as "
        "disclosure is in the public interest and not primarily in my commercial interest "
        "(5 U.S.C. 552(a)(4)(A)(iii)).",
        grounds=MappingProxyType(
            {
                "exemptions": "(6)(A)(i)(III)(aa)",
                "missing_records": "(6)(A)(i)(III)(aa)",
                "fees": "(6)(A)(i)(III)(aa)",
            }
        ),
    ),
    # N.Y. Pub. Off. Law s.89(3)(a): a written request reasonably describing the record;
    # s.89(4)(a): the appeal, within thirty days of a denial (silence past the time limit is a
    # denial).
    "us-ny-foil": LetterLaw(
        request_section="s.89(3)(a)",
        request_form="in writing, reasonably describing the records",
        grounds=MappingProxyType(
            {
                "delay": "s.89(4)(a)",
                "exemptions": "s.89(4)(a)",
                "missing_records": "s.89(4)(a)",
            }
        ),
    ),
    # FOIA 2000 s.8(1): in writing, the applicant's name and an address for correspondence,
    # a description of the information. s.50(2)(a): the Commissioner need not decide while the
    # complainant has not exhausted the authority's complaints procedure (the internal review
    # the s.45 code of practice provides for).
    "uk-foia": LetterLaw(
        request_section="s.8(1)",
        request_form="in writing, stating my name and an address for correspondence and "
        "describing the information requested",
        review=ReviewStep(
            section="s.45",
            why="The Commissioner may decline an application while the authority's own "
            "complaints procedure (the internal review provided for by the code of practice "
            "under s.45) has not been exhausted (s.50(2)(a)).",
        ),
        grounds=MappingProxyType({g: "s.50(1)" for g in ("delay", "exemptions", "fees")}),
    ),
    # FOISA s.8(1): as FOIA s.8(1). s.20(1): the requirement for review; s.20(3): in a
    # permanent form, with the name, an address for correspondence, the request and the
    # matter the applicant is dissatisfied with; s.21(1): 20 working days to answer it;
    # s.47(1): the application to the Commissioner after it.
    "uk-sct-foisa": LetterLaw(
        request_section="s.8(1)",
        request_form="in writing, stating my name and an address for correspondence and "
        "describing the information requested",
        review=ReviewStep(
            section="s.20(1)",
            why="An application to the Commissioner (s.47(1)) follows a requirement for "
            "review made to the authority (s.20(1)).",
            answer_days=20,
            answer_section="s.21(1)",
            form_section="s.20(3)",
        ),
        grounds=MappingProxyType({g: "s.47(1)" for g in ("delay", "exemptions", "fees")}),
    ),
}
LETTER_LAWS: Mapping[str, LetterLaw] = MappingProxyType(_LETTER_LAWS)


def letter_law(code: str) -> LetterLaw | None:
    """The letter facts of a law code, or None where the registry holds none beyond laws.py."""
    return LETTER_LAWS.get(code)
