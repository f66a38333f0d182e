"""What a pause or a restart does to each law's clock: the sections that stop or restart it.

Law, so kept here, inside the rules fingerprint (``fingerprint.py``): a change to a section or
to the laws that pause makes ``recompute-deadlines`` recompute the stored dates. The timeline
kinds that start and end each pause, or restart the count, are declared with the kinds
(``tracker.timeline.kinds``: ``Clock.pause_starts`` / ``pause_ends`` / ``restarts``); the
request's state (``tracker.requests.state``) reads both.

Fee notices: UK FOIA s.10(2) and FOISA s.10(2) disregard the days until payment; BC FIPPA
s.7(4) stops the clock until the fee is paid; US FOIA 5 U.S.C. 552(a)(6)(A)(ii)(II) tolls for
fee clarification. New Brunswick RTIPPA s.11(1)(c): the head responds within 30 business
days "unless ... an estimate is given to the applicant under section 80" (laws.gnb.ca, s.11 as
consolidated at 21 January 2019, read 2026-12-07), so the estimate stops the count until the
fee is paid; s.80 itself (how long the applicant has to answer the estimate) was not read.
Clarification: US FOIA (6)(A)(ii)(I) tolls; UK FOIA and FOISA s.1(3)
restart the clock on the day the clarification is received; Saskatchewan FOIP and LA FOIP
s.6(4): where more detail is invited, the application is deemed made when the record is
identified (the clarification's answer starts the clock).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType

# law code -> pause ("fee", "clarification") -> the section that stops the clock for it.
PAUSE_RULES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "uk-foia": MappingProxyType({"fee": "FOIA s.10(2)"}),
        "uk-sct-foisa": MappingProxyType({"fee": "FOISA s.10(2)"}),
        "ca-bc-fippa": MappingProxyType({"fee": "BC FIPPA s.7(4)"}),
        "ca-nb-rtippa": MappingProxyType({"fee": "RTIPPA (N.B.) s.11(1)(c)"}),
        "us-foia": MappingProxyType(
            {
                "fee": "5 U.S.C. 552(a)(6)(A)(ii)(II)",
                "clarification": "5 U.S.C. 552(a)(6)(A)(ii)(I)",
            }
        ),
    }
)

# law code -> the section under which a clarification's answer starts the count again.
RESTART_RULES: Mapping[str, str] = MappingProxyType(
    {
        "uk-foia": "FOIA s.1(3)",
        "uk-sct-foisa": "FOISA s.1(3)",
        "ca-sk-foip": "FOIP (Sask.) s.6(4)",
        "ca-sk-lafoip": "LA FOIP (Sask.) s.6(4)",
    }
)

# The first received date a law's pauses apply to, where they came later than the law's first
# version. US FOIA: the tolls of (6)(A)(ii)(I)-(II) were added by the OPEN Government Act of
# 2007 (Pub. L. 110-175, s.6(a)(1), 121 Stat. 2526), which took effect "1 year after the date
# of enactment" (s.6(a)(2)); enacted 31 December 2007, so from 31 December 2008.
PAUSES_FROM: Mapping[str, date] = MappingProxyType({"us-foia": date(2008, 12, 31)})

_NO_PAUSES: Mapping[str, str] = MappingProxyType({})


def pause_rules(law_code: str, received: date | None = None) -> Mapping[str, str]:
    """The pauses a law's clock stops for, each with its section (empty: none); with
    ``received``, only those in force for a request received that day."""
    start = PAUSES_FROM.get(law_code)
    if received is not None and start is not None and received < start:
        return _NO_PAUSES
    return PAUSE_RULES.get(law_code, _NO_PAUSES)


def restart_rule(law_code: str) -> str | None:
    """The section under which a clarification's answer restarts a law's count (or None)."""
    return RESTART_RULES.get(law_code)
