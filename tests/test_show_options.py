"""``show --scale`` and the timeline of events in ``show`` (issues 14 and 15), end to end."""

import io
from pathlib import Path

import pytest
from conftest import write_sheet
from typer.testing import CliRunner, Result

from minimetrics import cli, render

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


def show(*args: str, folder: Path = FIXTURES) -> Result:
    return runner.invoke(cli.app, ["show", *args, "--as-of", "2026-02-01", "--no-bundled", "--data-dir", str(folder)])


def row(text: str, start: str) -> list[str]:
    """The cells of the first line that starts with ``start`` (after the table's indent)."""
    line = next(line for line in text.splitlines() if line.strip().startswith(start + " "))
    return line.split()


def test_scale_writes_every_money_figure_in_that_scale() -> None:
    result = show("alpha", "--scale", "billion")
    assert result.exit_code == 0, result.output
    # alpha's revenue: 100 and 250 USD million = 0.1 and 0.25 USD billion (250 is in a conflict: *).
    assert row(result.stdout, "revenue") == ["revenue", "USD", "billion", "0.1", "0.25*", "1"]
    # cash 600 USD million = 0.6 USD billion; IPO net proceeds 780 HKD million = 0.78 HKD billion.
    assert row(result.stdout, "cash_and_equivalents") == [
        "cash_and_equivalents",
        "2025-09-30",
        "0.6",
        "USD",
        "billion",
        "1",
    ]
    assert row(result.stdout, "ipo_net_proceeds")[2:5] == ["0.78", "HKD", "billion"]
    # Not money: the scale leaves counts and percentages alone (500 employees, 30 % gross margin).
    assert row(result.stdout, "employees")[2] == "500"
    assert row(result.stdout, "gross_margin")[1:3] == ["%", "30"]
    # The conflict table too: the report of ~300 USD million is ~0.3 USD billion.
    assert "~0.3   USD billion" in result.stdout
    assert "USD million" not in result.stdout


def test_scale_in_chinese_units() -> None:
    # 100 USD million = 10,000 USD 萬 = 1 USD 億.
    wan = show("alpha", "--metric", "revenue", "--period", "FY2023", "--scale", "萬")
    yi = show("alpha", "--metric", "revenue", "--period", "FY2023", "--scale", "億")
    assert row(wan.stdout, "revenue") == ["revenue", "USD", "萬", "10,000", "1"]
    assert row(yi.stdout, "revenue") == ["revenue", "USD", "億", "1", "1"]


def test_scale_is_case_insensitive() -> None:
    assert show("alpha", "--scale", "Billion").stdout == show("alpha", "--scale", "billion").stdout


def test_a_bad_scale_is_a_usage_error_naming_the_choices() -> None:
    result = show("alpha", "--scale", "trillion")
    assert result.exit_code == 2
    assert "'million', 'billion', '萬', '億'" in result.output


def test_scale_with_json_or_csv_is_a_usage_error() -> None:
    for fmt in ("json", "csv"):
        result = show("alpha", "--scale", "million", "--format", fmt)
        assert result.exit_code == 2
        assert "--scale is for the table" in result.stderr
        assert result.stdout == ""


EVENTS = """  revenue:
    FY2024: {value: 12, unit: USD million, source: press_20260109}
  cash_and_equivalents:
    2025-06-30: {value: 30, unit: USD million, source: press_20260109}
  listing:
    2026-01-09:
      - {source: press_20260109}
      - {source: other_20260110}
  product_launch[chat_2]:
    2025-03: {source: rumour_20250601, note: "the second model"}
  founded:
    2021:
      - {source: rumour_20250601}
    2022-01:
      - {source: other_20260110, note: "early 2022"}
  planned_listing[star_market]:
    FY2027: {source: other_20260110}
"""
SEGMENTS = """    chat_2: {name: Chat 2, group: product}
    star_market: {name: STAR Market, group: market}"""


def events_sheet(folder: Path) -> Path:
    """A sheet with events; the founding is held as facts, so the company has no founded field."""
    path = write_sheet(folder, EVENTS, SEGMENTS)
    path.write_text(path.read_text(encoding="utf-8").replace("  founded: 2021-12\n", ""), encoding="utf-8")
    return folder


def test_timeline_lists_events_oldest_first_with_every_source(tmp_path: Path) -> None:
    result = show("acme", folder=events_sheet(tmp_path))
    assert result.exit_code == 0, result.output
    text = result.stdout
    timeline = text[text.index("Timeline") : text.index("Sources: [n]")]
    # Sources are numbered in the sheet's order: [1] press, [2] rumour, [3] other.
    assert [line.split() for line in timeline.splitlines()[4:] if line.strip()] == [
        ["2021", "founded", "2"],
        ["2022-01", "founded", "early", "2022", "3"],
        ["2025-03", "product", "launch", "chat_2", "the", "second", "model", "2"],
        ["2026-01-09", "listing", "1,3"],
    ]
    # After the dated table, and no event is left in it; a plan is not an event and stays.
    dated = text[text.index("Balances, prices and other spans") : text.index("Timeline")]
    assert "listing  " not in dated.replace("planned_listing", "")
    assert "founded" not in dated
    assert "planned_listing" in text[: text.index("Timeline")]


def test_timeline_follows_metric_and_period(tmp_path: Path) -> None:
    events_sheet(tmp_path)
    launches = show("acme", "--metric", "product_launch", folder=tmp_path).stdout
    assert "chat_2" in launches and "founded" not in launches and "2026-01-09" not in launches
    founded = show("acme", "--period", "2021", folder=tmp_path).stdout
    assert "founded" in founded and "2022-01" not in founded and "listing" not in founded
    revenue = show("acme", "--metric", "revenue", folder=tmp_path).stdout
    assert "Timeline" not in revenue


def test_timeline_keeps_json_and_csv_the_sheet(tmp_path: Path) -> None:
    events_sheet(tmp_path)
    csv = show("acme", "--format", "csv", folder=tmp_path).stdout
    assert "Timeline" not in csv and "listing" in csv


def test_claims_help_names_every_check_and_verdict() -> None:
    text = " ".join(runner.invoke(cli.app, ["claims", "--help"], env={"COLUMNS": "200"}).stdout.split())
    # One phrase per branch of claims._rule, and the three verdict words (results.Verdict).
    for phrase in (
        "margins, shares and multiples",
        "growth against a year earlier",
        "CAGR",
        "sums over spans",
        "share-price moves",
        "market cap against price × shares",
        "gross proceeds",
        "revenue per paying user",
        "cash runway",
        "reproduces",
        "does not reproduce",
        "cannot be checked",
    ):
        assert phrase in text, phrase


def test_a_scale_is_only_for_the_table_of_a_sheet() -> None:
    with pytest.raises(ValueError, match="a scale is for the table of a sheet"):
        render.write([], "table", io.StringIO(), 80, scale="million")
