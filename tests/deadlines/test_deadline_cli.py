"""The `deadline` click command."""

from __future__ import annotations

from click.testing import CliRunner

from tracker.requests.cli import deadline_command


def test_prints_iso_date_then_explanation() -> None:
    result = CliRunner().invoke(deadline_command, ["ca-atia", "2020-02-10"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2020-03-11"
    assert "Access to Information Act s.7" in result.output


def test_extension_and_province_options() -> None:
    result = CliRunner().invoke(deadline_command, ["us-foia", "2024-12-02", "--extension", "10"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "2025-01-15"
    result = CliRunner().invoke(deadline_command, ["ca-atia", "2024-05-25", "--province", "QC"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "2024-06-25"
    result = CliRunner().invoke(
        deadline_command, ["uk-foia", "2024-03-04", "--pause", "2024-03-11:2024-03-15"]
    )
    assert result.exit_code == 0 and result.output.splitlines()[0] == "2024-04-11"


def test_unknown_law_exits_2_naming_valid_codes() -> None:
    result = CliRunner().invoke(deadline_command, ["xx-nope", "2020-02-10"])
    assert result.exit_code == 2
    assert "ca-atia" in result.output and "uk-sct-foisa" in result.output


def test_bad_date_exits_2() -> None:
    result = CliRunner().invoke(deadline_command, ["ca-atia", "10/02/2020"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_out_of_range_and_negative_extension_exit_2() -> None:
    assert CliRunner().invoke(deadline_command, ["ca-atia", "1850-01-01"]).exit_code == 2
    assert (
        CliRunner()
        .invoke(deadline_command, ["ca-atia", "2020-01-01", "--extension", "-3"])
        .exit_code
        == 2
    )


def test_windows_acknowledgement_and_a_date_before_the_law() -> None:
    result = CliRunner().invoke(deadline_command, ["ca-atia", "2026-10-18"])
    assert result.exit_code == 0, result.output
    # Due 2026-11-17; the s.31 window ends Saturday 2027-01-16, not Monday 18 (IA s.26, s.35).
    assert "so by Saturday 2027-01-16 (ATIA s.31)" in result.output
    assert "Monday 2027-01-18" in result.output  # the later reading, shown as such
    result = CliRunner().invoke(
        deadline_command, ["us-ny-foil", "2024-03-04", "--acknowledged", "2024-03-06"]
    )
    assert result.exit_code == 0 and result.output.splitlines()[0] == "2024-04-03"
    result = CliRunner().invoke(
        deadline_command, ["ca-bc-fippa", "2024-01-08", "--responded", "2024-01-26"]
    )
    assert result.exit_code == 0 and "s.53(2)(a)" in result.output
    result = CliRunner().invoke(deadline_command, ["ca-atia", "1983-06-30"])
    assert result.exit_code == 2 and "from 1983-07-01" in result.output
