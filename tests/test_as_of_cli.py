"""--as-of and `changes` as a user runs them on the fixture sheets: exit codes, stderr, every format."""

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from minimetrics import cli

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_today", lambda: date(2026, 11, 30))


def run(*args: str) -> Result:
    return runner.invoke(cli.app, [*args, "--no-bundled", "--data-dir", str(FIXTURES)])


@pytest.mark.parametrize(
    "args",
    [
        ("runway", "--as-of"),
        ("report", "--as-of"),
        ("changes", "--since"),
        ("changes", "--since", "2026-01-01", "--until"),
    ],
)
def test_a_malformed_date_is_a_usage_error_naming_the_format(args: tuple[str, ...]) -> None:
    result = run(*args, "2026-13-01")
    assert result.exit_code == 2
    assert "%Y-%m-%d" in result.stderr


def test_since_after_until_is_refused() -> None:
    result = run("changes", "--since", "2026-03-01", "--until", "2026-01-01")
    assert result.exit_code == 2
    assert "--since 2026-03-01 is after --until 2026-01-01" in result.stderr


def test_a_day_before_every_source_gives_nothing_and_says_why() -> None:
    # The fixtures' earliest source is alpha's rumour of 2025-06-01.
    result = run("runway", "--as-of", "2020-01-01", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["frame"] == []
    assert "no source was published on or before 2020-01-01 (the earliest is 2025-06-01)" in result.stderr


def test_a_day_after_today_is_allowed_and_said() -> None:
    result = run("list", "--as-of", "2027-01-01")
    assert result.exit_code == 0
    assert "2027-01-01 is after today (2026-11-30)" in result.stderr


def test_changes_in_every_format() -> None:
    # Known on 2025-12-01: alpha's FY2024 revenue only from the rumour of 2025-06-01, "~300 USD
    # million"; by 2026-02-01 the prospectus of 2025-12-20 gives 250 (rank 1, shown), and the two disagree.
    args = ("changes", "alpha", "--since", "2025-12-01", "--until", "2026-02-01")
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    fy2024 = [r for r in rows if (r["key"], r["period"]) == ("revenue", "FY2024")]
    assert [r["kind"] for r in fy2024] == ["changed", "conflict arose"]
    assert (fy2024[0]["old_value"], fy2024[0]["old_qualifier"], fy2024[0]["old_source"]) == (
        "300.0",
        "about",
        "rumour_20250601",
    )
    assert (fy2024[0]["new_value"], fy2024[0]["new_source"]) == ("250.0", "prospectus_20251220")
    data = json.loads(run(*args, "--format", "json").stdout)
    assert len(data["changes"]) == len(rows) and data["since"] == "2025-12-01"
    table = run(*args).stdout
    assert "~300 USD" in table and "rumour_20250601" in table
    markdown = run(*args, "--format", "markdown").stdout
    assert markdown.startswith("### What the data learned between 2025-12-01 and 2026-02-01")
    assert "| alpha | revenue | FY2024 | changed |" in markdown


def test_runway_json_carries_ran_out_on_paper_as_a_status() -> None:
    # gamma: 100 ÷ (120 ÷ 12) = 10 months from 2025-03-31, out on 2026-01-29, before 2026-02-01.
    frame = json.loads(run("runway", "gamma", "--as-of", "2026-02-01", "--format", "json").stdout)["frame"]
    assert [(r["status"], r["runs_out"], r["as_of"]) for r in frame] == [
        ("ran out on paper", "2026-01-29", "2026-02-01")
    ]
    # 10 − (2026-02-01 − 2025-03-31 = 307 days) ÷ 30.4375 = −0.09
    assert frame[0]["months_left"] == pytest.approx(10 - 307 / 30.4375)
