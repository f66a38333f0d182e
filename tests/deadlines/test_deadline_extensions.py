"""check_extension: each problem the engine reports, and the reason lists."""

from __future__ import annotations

from datetime import date

import pytest

from tracker import deadlines
from tracker.deadlines import EXTENSION_REASONS, LAW_CODES, LAWS, check_extension, extension_reasons

D = date.fromisoformat


def codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_lawful_atia_extension_has_no_problems() -> None:
    assert check_extension("ca-atia", D("2024-02-01"), D("2024-02-20"), 30, "volume", False) == []


def test_atia_notice_after_original_deadline() -> None:
    problems = check_extension("ca-atia", D("2024-02-01"), D("2024-03-05"), 30, "volume", False)
    assert codes(problems) == {"late-notice"}
    assert problems[0].citation == "ATIA s.9(1)"
    # Notice on the (rolled) original deadline itself is in time.
    assert check_extension("ca-atia", D("2024-02-01"), D("2024-03-04"), 30, "volume", False) == []


def test_atia_over_30_days_needs_notice_to_commissioner() -> None:
    problems = check_extension(
        "ca-atia", D("2024-02-01"), D("2024-02-20"), 60, "consultation", False
    )
    assert codes(problems) == {"commissioner-notice-missing"}
    assert problems[0].citation == "ATIA s.9(2)"
    assert "Information Commissioner of Canada" in problems[0].message
    assert (
        check_extension("ca-atia", D("2024-02-01"), D("2024-02-20"), 60, "consultation", True) == []
    )


@pytest.mark.parametrize(
    "law,days,citation",
    [
        ("ca-qc-access", 11, "Access Act (Qc) s.47"),
        ("us-foia", 11, "5 U.S.C. 552(a)(6)(B)(i)"),
        ("ca-privacy", 31, "Privacy Act s.15(a)"),
        ("us-ca-cpra", 15, "Cal. Gov. Code s.7922.535(b)"),
    ],
)
def test_more_than_the_statute_allows(law: str, days: int, citation: str) -> None:
    reason = EXTENSION_REASONS[law][0].code
    problems = check_extension(law, D("2024-06-03"), D("2024-06-05"), days, reason, True)
    assert codes(problems) == {"exceeds-maximum"}
    assert problems[0].citation == citation
    assert check_extension(law, D("2024-06-03"), D("2024-06-05"), days - 1, reason, True) == []


def test_privacy_act_translation_extension_is_not_capped() -> None:
    assert (
        check_extension("ca-privacy", D("2024-06-03"), D("2024-06-05"), 45, "translation", False)
        == []
    )


@pytest.mark.parametrize("law", ["ca-bc-fippa", "ca-ab-foip"])
def test_bc_ab_beyond_30_days_needs_commissioner_permission(law: str) -> None:
    problems = check_extension(law, D("2024-06-03"), D("2024-06-05"), 45, "volume", False)
    assert codes(problems) == {"commissioner-permission-required"}
    # Notifying the Commissioner is not a permission: a recorded date of permission lifts the cap.
    assert codes(check_extension(law, D("2024-06-03"), D("2024-06-05"), 45, "volume", True)) == {
        "commissioner-permission-required"
    }
    assert (
        check_extension(
            law,
            D("2024-06-03"),
            D("2024-06-05"),
            45,
            "volume",
            False,
            permission_on=D("2024-06-04"),
        )
        == []
    )
    assert check_extension(law, D("2024-06-03"), D("2024-06-05"), 30, "volume", False) == []


def test_ontario_has_no_fixed_cap() -> None:
    # FIPPA s.27(1) / MFIPPA s.20(1): "a period of time that is reasonable".
    assert (
        check_extension("ca-on-fippa", D("2024-06-03"), D("2024-06-05"), 90, "volume", False) == []
    )
    assert (
        check_extension("ca-on-mfippa", D("2024-06-03"), D("2024-06-05"), 90, "consultation", False)
        == []
    )


def test_uk_and_ny_warnings() -> None:
    uk = check_extension("uk-foia", D("2024-03-04"), D("2024-03-20"), 25, "public-interest", False)
    assert codes(uk) == {"exceeds-guidance"} and uk[0].severity == "warning"
    ny = check_extension(
        "us-ny-foil", D("2024-03-04"), D("2024-03-06"), 25, "acknowledgment", False
    )
    assert codes(ny) == {"exceeds-maximum"} and ny[0].severity == "warning"


def test_foisa_allows_no_extension() -> None:
    assert codes(
        check_extension("uk-sct-foisa", D("2024-03-04"), D("2024-03-05"), 5, "x", False)
    ) == {"no-extension"}


def test_unknown_reason_and_missing_notice() -> None:
    problems = check_extension("ca-atia", D("2024-02-01"), None, 10, "because", False)
    assert codes(problems) == {"unknown-reason", "no-notice"}
    msg = next(p.message for p in problems if p.code == "unknown-reason")
    assert "volume" in msg and "third-party" in msg


@pytest.mark.parametrize("days", [0, -5])
def test_non_positive_days_is_bad_input(days: int) -> None:
    with pytest.raises(ValueError):
        check_extension("ca-atia", D("2024-02-01"), D("2024-02-02"), days, "volume", False)


def test_reason_lists_cover_every_law() -> None:
    assert set(EXTENSION_REASONS) == set(LAW_CODES)
    assert [r.code for r in extension_reasons("ca-atia")] == [
        "volume",
        "consultation",
        "third-party",
    ]
    assert [r.section for r in extension_reasons("ca-atia")] == [
        "s.9(1)(a)",
        "s.9(1)(b)",
        "s.9(1)(c)",
    ]
    assert [r.code for r in extension_reasons("us-foia")] == ["unusual-circumstances"]
    assert [r.section for r in extension_reasons("uk-foia")] == ["s.10(3)"]
    assert [r.section for r in extension_reasons("ca-bc-fippa")] == [
        f"s.10(1)({c})" for c in "abcd"
    ]
    assert [r.section for r in extension_reasons("ca-privacy")] == [
        "s.15(a)(i)",
        "s.15(a)(ii)",
        "s.15(b)",
    ]
    assert extension_reasons("uk-sct-foisa") == ()
    for code, law in LAWS.items():
        assert law.code == code and law.citation and law.complaint_body
        for r in EXTENSION_REASONS[code]:
            assert r.code and r.label and r.section


# Alberta's Access to Information Act s.16(1), in the words the Information and Privacy
# Commissioner of Alberta quotes: "for up to 30 business days if (a) the applicant agrees,
# (b) a large number of records are requested and more time is required to process the
# request, or (c) more time is needed to consult with a third party, another public body or
# another entity". FOIP's s.14(1)(a) (not enough detail) and (d) (a third party's review)
# are not grounds under it.
def test_alberta_access_act_extends_on_the_grounds_of_s16_1() -> None:
    atia = deadlines.law_in_force("ca-ab-foip", date(2025, 9, 2))
    assert atia.extension is not None
    assert [(r.code, r.section) for r in atia.extension.reasons] == [
        ("applicant-agrees", "s.16(1)(a)"),
        ("volume", "s.16(1)(b)"),
        ("consultation", "s.16(1)(c)"),
    ]
    assert (atia.extension.max_days, atia.extension.max_section) == (30, "s.16(1)")
    lawful = deadlines.check_extension(
        "ca-ab-foip", date(2025, 9, 2), date(2025, 9, 10), 30, "applicant-agrees", False
    )
    assert codes(lawful) == set()
    foip_ground = deadlines.check_extension(
        "ca-ab-foip", date(2025, 9, 2), date(2025, 9, 10), 30, "insufficient-detail", False
    )
    assert "unknown-reason" in codes(foip_ground)
    # FOIP (before 2025-06-11) keeps its s.14(1)(a).
    assert (
        codes(
            deadlines.check_extension(
                "ca-ab-foip", date(2025, 5, 1), date(2025, 5, 5), 30, "insufficient-detail", False
            )
        )
        == set()
    )
