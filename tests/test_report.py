"""The report command: a golden Markdown report, HTML whose charts carry the right numbers,
determinism, --output, and the figures the report adds (scenarios, months left at the as-of date)."""

import math
import os
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minimetrics import cli
from minimetrics.dataset import bundled_data_dir, load_data
from minimetrics.report import Report, build_report

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = "2026-11-24"
runner = CliRunner()


@pytest.fixture(scope="module")
def report() -> Report:
    return build_report(load_data(bundled_data_dir()), [], date(2026, 11, 24))


def test_markdown_report_matches_golden() -> None:
    # Rendered from the fixture sheets (tests/fixtures), so a fix to the shipped data rewrites
    # nothing here; gamma's runway figures in it show today's December reading of its
    # March-year labels (issue 10 item 6).
    result = runner.invoke(cli.app, ["report", "--as-of", AS_OF, "--no-bundled", "--data-dir", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    path = GOLDEN / "report.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")


def test_same_data_and_date_give_the_same_bytes_and_the_date_is_what_changes() -> None:
    first = runner.invoke(cli.app, ["report", "--format", "html", "--as-of", AS_OF]).stdout
    again = runner.invoke(cli.app, ["report", "--format", "html", "--as-of", AS_OF]).stdout
    later = runner.invoke(cli.app, ["report", "--format", "html", "--as-of", "2026-12-24"]).stdout
    assert first == again
    assert first != later and "2026-12-24" in later and "2026-12-24" not in first
    # Thirty days later: only dated text changes (the as-of date, source ages, months left).
    changed = [line for line in first.splitlines() if line not in later.splitlines()]
    assert changed and all(AS_OF in line or "days" in line or "left on" in line for line in changed)


class _Charts(HTMLParser):
    """The bars of every inline SVG chart: chart id → [(series, label, value, width, height)]."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str, str, float, float, float]]] = {}
        self.tags: set[str] = set()
        self.loaded: list[str] = []
        self._chart = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.add(tag)
        self.loaded += [found[k] for k in ("src", "href") if k in found and tag != "a"]
        if tag == "svg":
            self._chart = found["id"].removeprefix("chart-")
            self.charts[self._chart] = []
        if tag in ("rect", "circle") and "data-value" in found:
            self.charts[self._chart].append(
                (
                    found["data-series"],
                    found["data-label"],
                    float(found["data-value"]),
                    float(found.get("width", "nan")),
                    float(found.get("height", "nan")),
                )
            )


def test_html_is_self_contained_and_its_charts_carry_the_reports_numbers(report: Report) -> None:
    result = runner.invoke(cli.app, ["report", "--format", "html", "--as-of", AS_OF])
    assert result.exit_code == 0
    page = _Charts()
    page.feed(result.stdout)
    assert not page.tags & {"script", "link", "img", "iframe"}
    assert page.loaded == []  # nothing fetched from anywhere: no src, no stylesheet href
    assert set(page.charts) == {c.id for c in report.charts}
    for chart in report.charts:
        # A runway that ran out on paper is drawn too: its months from the cash date are a figure.
        expected = [
            (s.name, p.label, p.value)
            for s in chart.series
            for p in s.points
            if p.status in ("ok", "ran out on paper") and math.isfinite(p.value)
        ]
        drawn = page.charts[chart.id]
        assert sorted((series, label, value) for series, label, value, *_ in drawn) == sorted(expected), chart.id
        if chart.kind == "line":
            continue  # points of a line, not bars: no length to check
        # Drawn to scale: every bar's length is |value| × the same pixels per unit (to the 0.1 px
        # the SVG is written to); the largest bar sets the scale.
        lengths = [(abs(value), width if chart.horizontal else height) for *_, value, width, height in drawn]
        biggest = max(lengths)
        per_unit = biggest[1] / biggest[0]
        assert all(abs(length - value * per_unit) <= 0.15 for value, length in lengths), chart.id


def test_charts_hold_the_sheets_figures(report: Report) -> None:
    charts = {c.id: c for c in report.charts}
    # zhipu.yaml: revenue FY2022 5740萬, FY2023 1.245億, FY2024 3.124億 RMB → 57.4, 124.5, 312.4 RMB million.
    zhipu = charts["revenue-zhipu-full-years"]
    assert zhipu.unit == "RMB million" and zhipu.categories == ("FY2022", "FY2023", "FY2024")
    assert [p.value for p in zhipu.series[0].points] == pytest.approx([57.4, 124.5, 312.4])
    # Like with like: MiniMax's nine-month figures are a chart of their own, never beside a year.
    assert charts["revenue-minimax-nine-months"].categories == ("9M2024", "9M2025")
    assert all(not label.startswith("9M") for label in charts["revenue-minimax-full-years"].categories)
    # Gross margin FY2024: MiniMax 12.2 % (stated), Zhipu 56.3 % (stated); MiniMax has no FY2022 margin.
    gross = charts["margin-gross-margin"]
    by_company = {s.name: {p.label: p for p in s.points} for s in gross.series}
    assert by_company["minimax"]["FY2024"].value == pytest.approx(12.2)
    assert by_company["zhipu"]["FY2024"].value == pytest.approx(56.3)
    assert by_company["minimax"]["FY2022"].status == "missing" and math.isnan(by_company["minimax"]["FY2022"].value)
    # Runway, stated burn on cash plus liquid assets: 10.5億 ÷ 2790萬 a month = 1050 ÷ 27.9 = 37.63 months.
    runway = {p.label: p for p in charts["runway-minimax"].series[0].points}
    assert runway["stated / liquid"].value == pytest.approx(1050 / 27.9)


def test_scenarios_and_months_left_at_the_as_of_date(report: Report) -> None:
    minimax = {s.scenario: s for s in report.scenarios if s.company == "minimax"}
    # The stated burn (2790萬 a month) is a forecast, not a result: the default is the FY2025 adjusted
    # loss, 2.51億 ÷ 12 = 20.9167 M a month. Burn growing 5 % a month: ln(1 + cash·g ÷ burn) ÷ ln(1 + g)
    # = ln(1 + 1050 × 0.05 ÷ 20.9167) ÷ ln(1.05) = ln(3.50996) ÷ 0.04879 = 25.73.
    burn = 251 / 12
    assert minimax["burn +5% a month"].months == pytest.approx(math.log(1 + 1050 * 0.05 / burn) / math.log(1.05))
    # 2025-12-31 to 2026-11-24 is 328 days = 328 ÷ 30.4375 = 10.776 months: 1050 ÷ 20.9167 − 10.776 = 39.42 left.
    assert minimax["as reported"].months_left_at_as_of == pytest.approx(1050 / burn - 328 / (365.25 / 12))
    # No USDHKD rate for the IPO date (2026-01-06) in fx.yaml: the ECB's of that day, USD 1.1697? — read from
    # the input itself; the proceeds (38.18億 HKD, an estimate: a labelled scenario) are added at it.
    ipo = minimax["with IPO net proceeds"]
    assert ipo.status == "ok" and ipo.months > minimax["as reported"].months
    # Zhipu's June 2025 cash at its H1-2025 adjusted loss ran out on paper on 2026-03-23: nothing left by the as-of date.
    zhipu = {s.scenario: s for s in report.scenarios if s.company == "zhipu"}
    assert zhipu["as reported"].months_left_at_as_of < 0 and str(zhipu["as reported"].runs_out) == "2026-03-23"


def test_conflicts_list_every_version_and_the_reviewers_reason(report: Report) -> None:
    cash = next(c for c in report.conflicts if c.key == "cash_and_liquid_assets" and c.period == "2025-09-30")
    assert cash.status.startswith("reviewed: agrees with InfoQ")
    assert [v[3] for v in cash.versions if v[5]] == ["aisilicon_20260109"]  # the one shown
    assert len(cash.versions) == 4
    assert all(c.status != "unresolved" for c in report.conflicts)


def test_output_file_is_written_whole_and_named_on_stderr(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = runner.invoke(cli.app, ["report", "-f", "html", "-o", str(target), "--as-of", AS_OF])
    assert result.exit_code == 0 and result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left


def test_report_of_one_company_has_no_side_by_side() -> None:
    result = runner.invoke(cli.app, ["report", "zhipu", "--as-of", AS_OF])
    assert result.exit_code == 0
    assert "## Side by side" not in result.stdout and "revenue-minimax" not in result.stdout
    assert "# minimetrics report: zhipu" in result.stdout


def test_report_of_an_unknown_company_is_a_usage_error() -> None:
    result = runner.invoke(cli.app, ["report", "minimox"])
    assert result.exit_code == 2 and 'did you mean "minimax"' in result.stderr


def test_quiet_report_to_a_file_says_nothing(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = runner.invoke(cli.app, ["--quiet", "report", "-o", str(target), "--as-of", AS_OF])
    assert result.exit_code == 0 and result.stderr == "" and target.stat().st_size > 0


def test_an_output_that_cannot_be_written_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "report.md"
    result = runner.invoke(cli.app, ["report", "-o", str(target), "--as-of", AS_OF])
    assert result.exit_code == cli.EXIT_USAGE
    assert f"error: --output {target}: the folder {target.parent} does not exist" in result.stderr
    assert "Traceback" not in result.stderr and not target.parent.exists()
