"""Issue 15, derived by hand from the statutes: the two readings, capped extensions, each law's
window as the statute writes it, and law versions. Each date below was counted on a calendar;
the comment says how."""

from __future__ import annotations

from datetime import date

import pytest

from tracker import deadlines
from tracker.deadlines import (
    deemed_refusal_complaint_deadline,
    due_date,
    explain,
    law_in_force,
    reporter_windows,
    response_complaint_deadline,
)
from tracker.requests.state import EventFact, derive_state

D = date.fromisoformat


# -- Part 1: the institution takes the later reading, the reporter the earlier ---------------


def test_atia_s31_window_does_not_roll_past_a_saturday() -> None:
    # Due Tue 2026-11-17; 60 days after: Nov 30 is day 13, Dec 31 day 44, Jan 16 day 60, a
    # Saturday. IA s.26 extends only past a holiday (s.35), and Saturday is not one.
    assert deemed_refusal_complaint_deadline("ca-atia", D("2026-11-17")) == D("2027-01-16")
    (window,) = reporter_windows("ca-atia", received=D("2026-10-18"), due=D("2026-11-17"))
    assert window.end == D("2027-01-16") and window.later_end == D("2027-01-18")
    assert "Interpretation Act s.26" in window.text and "2027-01-18" in window.text


def test_atia_s31_window_rolls_past_sunday_and_an_ia_holiday() -> None:
    # Seed case: due 2020-03-11, day 60 is Sunday 2020-05-10 -> Monday 2020-05-11 (IA s.26).
    assert deemed_refusal_complaint_deadline("ca-atia", D("2020-03-11")) == D("2020-05-11")
    # Due 2024-03-21: Mar 31 is day 10, Apr 30 day 40, May 20 day 60 = Victoria Day, an IA
    # s.35 holiday -> Tuesday 2024-05-21.
    assert deemed_refusal_complaint_deadline("ca-atia", D("2024-03-21")) == D("2024-05-21")
    # A response received Sat 2024-01-06: 60 days after is Wed 2024-03-06 (no roll needed).
    assert response_complaint_deadline("ca-atia", D("2024-01-06")) == D("2024-03-06")


def test_atia_s31_window_ends_on_the_monday_after_a_sunday_holiday() -> None:
    # Due Thu 2022-11-03: Nov 30 is day 27, Dec 31 day 58, Jan 2 2023 day 60. New Year's Day
    # 2023 was the Sunday before: the Interpretation Act (R.S.C. 1985, c. I-21, official
    # consolidation) has no rule making the Monday after a Sunday holiday a holiday too
    # (s.35(2) is the Commonwealth schedule), so the window ends that Monday, with no later
    # reading; the public service's day off that Monday moves only the institution's dates.
    assert deemed_refusal_complaint_deadline("ca-atia", D("2022-11-03")) == D("2023-01-02")
    (window,) = reporter_windows("ca-atia", received=D("2022-10-04"), due=D("2022-11-03"))
    assert window.end == D("2023-01-02")
    assert window.later_end == D("2023-01-03")  # the next federal work day (TBS 7.1.1)
    assert "s.35(2)" not in explain("ca-atia", D("2022-10-04")).as_text()


def test_atia_due_date_rolls_to_the_next_work_day_and_shows_the_earlier_reading() -> None:
    # Received 2024-02-01: day 30 is Saturday 2024-03-02; TBS 7.1.1 -> Monday 2024-03-04.
    e = explain("ca-atia", D("2024-02-01"))
    assert e.due == D("2024-03-04") and e.earlier_due == D("2024-03-02")
    text = e.as_text()
    assert "Saturday 2024-03-02" in text and "TBS Access to Information Manual 7.1.1" in text
    assert "Interpretation Act s.26" in text


def test_quebec_jour_ouvrable_read_both_ways() -> None:
    # Received 2024-03-09: day 20 is Good Friday 2024-03-29. IA s.52 "jour ouvrable suivant":
    # read as a business day (institution) -> Tue 2024-04-02 past Saturday, Sunday and Easter
    # Monday; read as a day that is not a holiday -> Saturday 2024-03-30.
    e = explain("ca-qc-access", D("2024-03-09"))
    assert e.due == D("2024-04-02") and e.earlier_due == D("2024-03-30")
    assert "jour ouvrable" in e.as_text()
    # Day 20 on a Saturday is not a holiday: no roll at all (2024-02-11 + 20 = Sat 2024-03-02).
    assert due_date("ca-qc-access", D("2024-02-11")) == D("2024-03-02")


# -- Part 2: only the lawful part of an extension moves the due date -------------------------


def _ext(i: int, on: str, days: int, reason: str, **more: object) -> EventFact:
    details = {"days": days, "reason": reason, "notice_on": on, "commissioner_notified": False}
    details.update(more)
    return EventFact(i, "extension", D(on), details=details)


@pytest.mark.parametrize(
    ("law", "received", "extension", "counted", "due", "why"),
    [
        # Québec s.47: at most 10 days. 2024-06-03 + 30 = 2024-07-03 (RULES vector).
        (
            "ca-qc-access",
            "2024-06-03",
            _ext(2, "2024-06-10", 15, "processing-time"),
            10,
            "2024-07-03",
            "s.47",
        ),
        # Privacy Act s.15(a): at most 30 days. 2024-02-01 + 60 = Easter Monday 2024-04-01 -> Tue.
        (
            "ca-privacy",
            "2024-02-01",
            _ext(2, "2024-02-10", 45, "interference"),
            30,
            "2024-04-02",
            "s.15(a)",
        ),
        # Privacy Act s.15(b): translation "for such period of time as is reasonable": all 45.
        (
            "ca-privacy",
            "2024-02-01",
            _ext(2, "2024-02-10", 45, "translation"),
            45,
            "2024-04-16",
            "s.15(b)",
        ),
        # US FOIA (6)(B)(i): 10 working days. 2024-12-02 + 30 working days = 2025-01-15 (RULES).
        (
            "us-foia",
            "2024-12-02",
            _ext(2, "2024-12-05", 15, "unusual-circumstances"),
            10,
            "2025-01-15",
            "(6)(B)(i)",
        ),
        # ATIA s.9(1): a reasonable period, no cap: 60 days from 2024-02-01 -> Tue 2024-04-02.
        ("ca-atia", "2024-02-01", _ext(2, "2024-02-10", 30, "volume"), 30, "2024-04-02", "s.9(1)"),
        # Notice after the original deadline (2024-03-04): uncounted (ATIA s.9(1)).
        ("ca-atia", "2024-02-01", _ext(2, "2024-03-10", 30, "volume"), 0, "2024-03-04", "late"),
    ],
)
def test_capped_extensions(law, received, extension, counted, due, why) -> None:
    state = derive_state(
        law, None, D(received), [EventFact(1, "filed", D(received)), extension], D("2026-01-01")
    )
    assert state.extensions[0].days_counted == counted, why
    assert state.extension_days == counted
    assert state.due_on == D(due), why


@pytest.mark.parametrize("law", ["ca-bc-fippa", "ca-ab-foip"])
def test_bc_alberta_cap_lifted_only_by_a_dated_permission(law: str) -> None:
    received = D("2024-01-08")
    filed = EventFact(1, "filed", received)
    capped = derive_state(
        law, None, received, [filed, _ext(2, "2024-01-15", 45, "volume")], D("2026-01-01")
    )
    assert capped.extension_days == 30
    assert capped.due_on == due_date(law, received, extension_days=30)
    notified = derive_state(
        law,
        None,
        received,
        [filed, _ext(2, "2024-01-15", 45, "volume", commissioner_notified=True)],
        D("2026-01-01"),
    )
    assert notified.extension_days == 30  # telling the Commissioner is not a permission
    permitted = derive_state(
        law,
        None,
        received,
        [filed, _ext(2, "2024-01-15", 45, "volume", commissioner_permission_on="2024-01-12")],
        D("2026-01-01"),
    )
    assert permitted.extension_days == 45
    assert permitted.due_on == due_date(law, received, extension_days=45)


# -- Part 3: each law's window as the statute writes it --------------------------------------


def test_bc_no_time_limit_after_silence() -> None:
    assert deemed_refusal_complaint_deadline("ca-bc-fippa", D("2024-02-20")) is None
    (window,) = reporter_windows("ca-bc-fippa", received=D("2024-01-08"), due=D("2024-02-20"))
    assert window.kind == "no-limit" and window.end is None
    assert window.text.startswith("No deadline") and "s.53(3)" in window.citation
    state = derive_state(
        "ca-bc-fippa",
        None,
        D("2024-01-08"),
        [EventFact(1, "filed", D("2024-01-08"))],
        D("2024-06-01"),
    )
    assert state.status == "overdue" and state.complaint_due_on is None


def test_foisa_review_counts_from_the_end_of_the_s10_period_or_a_late_response() -> None:
    # Received 2024-03-04, due 2024-04-02 (RULES). A response in time (2024-03-20): 40 Scottish
    # working days after 2024-04-02, skipping the bank holidays of 6 and 27 May: 2024-05-30.
    assert response_complaint_deadline("uk-sct-foisa", D("2024-03-20"), due=D("2024-04-02")) == D(
        "2024-05-30"
    )
    # A late response on 2024-04-10: 40 working days after it, the same two Mondays skipped:
    # 2024-06-07.
    assert response_complaint_deadline("uk-sct-foisa", D("2024-04-10"), due=D("2024-04-02")) == D(
        "2024-06-07"
    )
    # No response: from the expiry of the s.10 period, as for a response in time.
    assert deemed_refusal_complaint_deadline("uk-sct-foisa", D("2024-04-02")) == D("2024-05-30")
    windows = reporter_windows("uk-sct-foisa", received=D("2024-03-04"), due=D("2024-04-02"))
    assert [w.stage for w in windows] == ["requirement for review", "application"]
    assert windows[0].body == "the Scottish public authority"
    assert (
        windows[1].body == "the Scottish Information Commissioner"
        and "s.47(4)" in windows[1].citation
    )
    # s.47(4): six months after an outcome received 2024-08-31 -> 2025-02-28 (no 31 February).
    assert deadlines.next_stage_deadline(
        "uk-sct-foisa", D("2024-08-31"), received=D("2024-03-04")
    ) == D("2025-02-28")


def test_ny_twenty_business_days_run_from_the_acknowledgement() -> None:
    # Received Mon 2024-03-04: 5 business days -> Mon 2024-03-11.
    assert due_date("us-ny-foil", D("2024-03-04")) == D("2024-03-11")
    # Acknowledged Wed 2024-03-06: 20 business days from it (Good Friday is not a NY holiday):
    # Mar 8 is day 2, Mar 29 day 17, Apr 3 day 20.
    assert due_date("us-ny-foil", D("2024-03-04"), acknowledged=D("2024-03-06")) == D("2024-04-03")
    # An acknowledgement after the 5 business days starts nothing.
    assert due_date("us-ny-foil", D("2024-03-04"), acknowledged=D("2024-03-13")) == D("2024-03-11")
    state = derive_state(
        "us-ny-foil",
        None,
        D("2024-03-04"),
        [EventFact(1, "filed", D("2024-03-04")), EventFact(2, "acknowledgement", D("2024-03-06"))],
        D("2024-03-20"),
    )
    assert state.acknowledged_on == D("2024-03-06") and state.due_on == D("2024-04-03")
    assert "acknowledged the request on 2024-03-06" in state.explanation.as_text()  # type: ignore[union-attr]


def test_uk_foia_has_guidance_not_a_time_limit() -> None:
    assert response_complaint_deadline("uk-foia", D("2024-03-20")) is None
    windows = reporter_windows(
        "uk-foia", received=D("2024-03-04"), due=D("2024-04-04"), responded=D("2024-03-20")
    )
    (guidance,) = [w for w in windows if w.kind == "guidance"]
    assert guidance.end == D("2024-05-01")  # six weeks = 42 days after 2024-03-20
    assert "not law" in guidance.text and "s.50(2)(b)" in guidance.citation


@pytest.mark.parametrize(
    ("law", "has_deemed_refusal"),
    [
        ("ca-atia", True),
        ("ca-privacy", True),
        ("ca-on-fippa", True),
        ("ca-on-mfippa", True),
        ("ca-bc-fippa", True),
        ("ca-ab-foip", True),
        ("ca-qc-access", True),
        ("us-ny-foil", True),
        ("us-foia", False),
        ("us-ca-cpra", False),
        ("uk-foia", False),
        ("uk-sct-foisa", False),
    ],
)
def test_deemed_refusal_only_where_the_law_has_one(law: str, has_deemed_refusal: bool) -> None:
    text = explain(law, D("2024-03-04")).as_text()
    assert ("treated as refused" in text) is has_deemed_refusal
    law_obj = law_in_force(law, D("2024-03-04"))
    assert (law_obj.silence_term == "deemed refusal") is has_deemed_refusal
    assert law_obj.silence_cite  # every law says what silence means, in its own words


def test_us_foia_appeal_window_and_constructive_exhaustion() -> None:
    # 90 days after a determination of Sun 2024-03-17 end Sat 2024-06-15: no roll (earlier).
    assert response_complaint_deadline("us-foia", D("2024-03-17")) == D("2024-06-15")
    assert deemed_refusal_complaint_deadline("us-foia", D("2024-04-02")) is None
    assert "constructive exhaustion" in explain("us-foia", D("2024-03-04")).as_text() or (
        "exhausted administrative remedies" in explain("us-foia", D("2024-03-04")).as_text()
    )


# -- Part 4: law versions -------------------------------------------------------------------


def test_alberta_access_to_information_act_from_2025_06_11() -> None:
    # FOIP: 30 calendar days from 2025-06-11 -> Thu 2025-07-10.
    assert law_in_force("ca-ab-foip", D("2025-06-10")).name.startswith("Freedom of Information")
    assert due_date("ca-ab-foip", D("2025-06-10")) == D("2025-07-10")
    # The new Act: 30 business days from 2025-06-12, Canada Day skipped -> Thu 2025-07-24.
    new = law_in_force("ca-ab-foip", D("2025-06-11"))
    assert new.name == "Access to Information Act (Alberta)" and new.unit == "working"
    assert due_date("ca-ab-foip", D("2025-06-11")) == D("2025-07-24")
    assert "Access to Information Act (Alberta)" in explain("ca-ab-foip", D("2025-06-11")).as_text()
    # An old FOIP request answered after the change keeps FOIP's s.66(2) window: 60 days after
    # 2025-07-02 -> 2025-08-31, a Sunday -> Monday 2025-09-01 is Labour Day -> 2025-09-02.
    assert response_complaint_deadline(
        "ca-ab-foip", D("2025-07-02"), received=D("2025-06-01")
    ) == D("2025-09-02")


def test_before_the_first_version_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="from 1983-07-01; 1983-06-30 is before it"):
        due_date("ca-atia", D("1983-06-30"))
