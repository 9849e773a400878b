"""The report's newer parts: the path to breakeven, the timeline, dates the sources do not state,
runways that ran out on paper, one scale for charts set side by side, empty columns dropped, and
a printed page count (run only where Chromium is installed)."""

import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest

from minimetrics.dataset import bundled_data_dir, load_data
from minimetrics.render.document import write_html, write_markdown
from minimetrics.report import Report, build_report

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 11, 24)


@pytest.fixture(scope="module")
def fixture_report() -> Report:
    return build_report(load_data(FIXTURES), [], AS_OF)


@pytest.fixture(scope="module")
def shipped_report() -> Report:
    return build_report(load_data(bundled_data_dir()), [], AS_OF)


def _markdown(report: Report) -> str:
    out = StringIO()
    write_markdown(report, out)
    return out.getvalue()


def _html(report: Report) -> str:
    out = StringIO()
    write_html(report, out)
    return out.getvalue()


# --- Path to breakeven ----------------------------------------------------------------------


def test_breakeven_base_case_from_the_fixture_by_hand(fixture_report: Report) -> None:
    assert fixture_report.breakeven is not None and fixture_report.breakeven.as_of == AS_OF
    beta = next(g for g in fixture_report.breakeven.grids if g.base.company == "beta")
    b = beta.base
    # beta.yaml H1-2025: revenue 250, adjusted net loss 480 RMB million over 6 months:
    # R0 = 250 ÷ 6 = 41.667, C0 = (250 + 480) ÷ 6 = 121.667 a month.
    assert b.base is not None
    assert b.base.monthly_revenue == pytest.approx(250e6 / 6)
    assert b.base.monthly_costs == pytest.approx(730e6 / 6)
    # H1-2024: revenue 100, adjusted net loss 400: g_r = 250 ÷ 100 − 1 = 150 %, g_c = 730 ÷ 500 − 1 = 46 %.
    assert b.revenue_growth is not None and b.revenue_growth.rate == pytest.approx(150.0)
    assert b.cost_growth is not None and b.cost_growth.rate == pytest.approx(46.0)
    # R(24) = 41.667 × 2.5² = 260.42 ≥ C(24) = 121.667 × 1.46² = 259.34; at 23 months 241.27 < 251.29.
    assert b.breakeven_month == 24 and str(b.breakeven_date) == "2027-06-30"
    # The cash (960 RMB million on 2025-06-30) runs out first: dead in month 13, 2026-07-31.
    assert b.verdict == "dead" and b.cash_out_month == 13
    base_cells = [c for c in beta.cells if c.is_base]
    assert len(base_cells) == 1 and base_cells[0].cash_out_month == 13


def test_breakeven_section_in_both_formats(fixture_report: Report) -> None:
    markdown, page = _markdown(fixture_report), _html(fixture_report)
    assert "## Path to breakeven" in markdown
    assert "**A projection on stated assumptions, not a forecast.**" in markdown
    # The base case is marked in text in both formats; in HTML the heat table also shades it.
    assert "| +150.0% | 14 | 18 | [dead: out in 13] |" in markdown
    assert '<td class="num heat-dead base">[dead: out in 13]</td>' in page
    assert '<td class="num heat-alive">18</td>' in page
    # The projection: a mermaid chart with both lines and its marks named, and a table with the marked months.
    assert "breakeven, month 24 (2027-06-30); cash out, month 13 (2026-07-31)" in markdown
    assert "| 13 | 112.4 | 183.3 | cash out, month 13 (2026-07-31) |" in markdown
    chart = next(c for c in fixture_report.charts if c.id == "breakeven-beta")
    assert chart.kind == "line" and "not a forecast" in chart.note
    assert dict(chart.marks) == {"24": "breakeven, month 24 (2027-06-30)", "13": "cash out, month 13 (2026-07-31)"}
    # A company with no path says why, and has no grid and no chart.
    assert "alpha: no grid: n/m: no two periods of the same length a year apart" in markdown
    assert not any(c.id == "breakeven-alpha" for c in fixture_report.charts)


def test_a_long_projection_is_drawn_at_most_25_points_wide(shipped_report: Report) -> None:
    # Zhipu's path reaches breakeven at month 33: every second month (ceil(33 ÷ 24) = 2), the last and the marks.
    chart = next(c for c in shipped_report.charts if c.id == "breakeven-zhipu")
    months = [int(m) for m in chart.categories]
    assert months[:3] == [0, 2, 4] and months[-1] == 33 and 8 in months
    assert len(months) <= 25


# --- Runway: on the as-of date -----------------------------------------------------------------


def test_runway_shows_months_left_beside_months_from_the_cash_date(fixture_report: Report) -> None:
    markdown = _markdown(fixture_report)
    # beta: 960 ÷ 80 = 12.0 months from 2025-06-30 runs out 2026-06-30, before 2026-11-24.
    assert (
        "| beta | adjusted_loss / cash [2] | 960.0 RMB million (2025-06-30) | 80.00 RMB million (H1-2025) | 12.0 | 2026-06-30 | "
        "none: ran out on paper 2026-06-30 |"
    ) in markdown
    assert "- [2] ran out on paper on 2026-06-30, before the as-of date 2026-11-24" in markdown
    # alpha: 600 ÷ 25 = 24.0 months from 2025-09-30; 420 days to the as-of date = 13.80 months: 10.2 left.
    assert "| alpha | as reported | stated / cash | 2025-09-30 | 24.0 | 2027-09-30 | 10.2 |" in markdown
    assert "no rate: ran out" not in markdown  # a run-out is not a missing rate


def test_a_forecast_basis_is_labelled_a_scenario(shipped_report: Report) -> None:
    markdown = _markdown(shipped_report)
    # MiniMax's stated burn (2790萬 a month) is a forecast: every row on it says so.
    assert "scenario: stated / liquid" in markdown
    # With the IPO the scenario rests on the fewest inputs that are not results: the adjusted loss
    # (a result) and MiniMax's net proceeds, which only an estimate gives (HK$38.18億, shiji21).
    ipo = next(s for s in shipped_report.scenarios if s.company == "minimax" and s.scenario == "with IPO net proceeds")
    assert ipo.outlook == "ipo_net_proceeds 2026-01-06 is an estimate, not a result"
    assert f"(scenario: {ipo.outlook})" in markdown


# --- Dates the sources do not state ------------------------------------------------------------


def test_figures_on_an_inferred_date_are_marked_and_named(shipped_report: Report) -> None:
    markdown = _markdown(shipped_report)
    # MiniMax's 2025-12-31 cash (10.5億, cnyes) has no stated balance date: every runway on it is marked.
    as_reported = next(s for s in shipped_report.scenarios if s.company == "minimax" and s.scenario == "as reported")
    assert as_reported.inferred == "cash_and_liquid_assets 2025-12-31: period inferred"
    assert "| 2025-12-31 | 50.2 † |" in markdown
    assert "minimax cash_and_liquid_assets 2025-12-31: period inferred" in markdown
    # The breakeven inputs carry it too (breakeven's own records do not look it up).
    minimax = next(g.base for g in shipped_report.breakeven.grids if g.base.company == "minimax")  # type: ignore[union-attr]
    assert [i.inferred for i in minimax.inputs if i.key == "cash_and_liquid_assets"] == ["period inferred"]


# --- Timeline ------------------------------------------------------------------------------------


def test_timeline_lists_events_oldest_first_with_their_sources(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder)
    sheet = folder / "alpha.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8")
        + "  listing:\n"
        + "    2026-01-09:\n"
        + "      - {source: ledger_20260110}\n"
        + "      - {source: prospectus_20251220}\n"
        + "  product_launch[chat]:\n"
        + "    2023-05: {source: ledger_20260110, period_inferred: from_context, note: the chat app}\n",
        encoding="utf-8",
    )
    report = build_report(load_data(folder), ["alpha"], AS_OF)
    assert [(e.period, e.metric, e.segment, e.sources, e.inferred) for e in report.events] == [
        ("2023-05", "product_launch", "chat", ("ledger_20260110",), "date inferred"),
        ("2026-01-09", "listing", "", ("ledger_20260110", "prospectus_20251220"), ""),
    ]
    markdown = _markdown(report)
    assert "| 2023-05 † | alpha | product launch | chat | the chat app | ledger_20260110 |" in markdown
    assert "alpha product_launch 2023-05: date inferred" in markdown
    # Before either source was published (2025-12-20, 2026-01-10) there is no event to show.
    assert build_report(load_data(folder), ["alpha"], date(2025, 12, 1)).events == ()


# --- Layout ----------------------------------------------------------------------------------------


class _Bars(HTMLParser):
    """Each chart's bars as (data-value, drawn width)."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: dict[str, list[tuple[float, float]]] = {}
        self._chart = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self._chart = found["id"].removeprefix("chart-")
        if tag == "rect" and "data-value" in found and float(found["data-value"]) > 0:
            self.bars.setdefault(self._chart, []).append((float(found["data-value"]), float(found["width"])))


def test_runway_charts_side_by_side_share_one_scale(shipped_report: Report) -> None:
    bars = _Bars()
    bars.feed(_html(shipped_report))
    both = bars.bars["runway-minimax"] + bars.bars["runway-zhipu"]
    # One scale: every bar of both charts is value × the pixels per month of the longest bar of either
    # (to the 0.1 px the SVG is written to): Zhipu's 21.6 months are drawn about a third of MiniMax's 73.6.
    value, width = max(both)
    assert all(abs(w - v * width / value) <= 0.15 for v, w in both)
    # In the Markdown, both mermaid charts end their axis at the same place.
    axes = re.findall(
        r'title "(\w+) runway by basis \(months\)"\n.*\n    y-axis "months" 0 --> ([\d.]+)', _markdown(shipped_report)
    )
    assert len(axes) == 2 and axes[0][1] == axes[1][1]


def test_empty_difference_columns_are_dropped(fixture_report: Report, shipped_report: Report) -> None:
    # Three companies: no difference and no "ahead" in any section.
    assert "|  | alpha | beta | gamma |\n| --- | ---: | ---: | ---: |\n" in _markdown(fixture_report)
    # Two: the aligned section keeps them; a section under each company's own label drops them.
    markdown = _markdown(shipped_report)
    aligned = markdown.split("### Full year")[1].split("###")[0]
    own = markdown.split("### Latest period each reports")[1].split("###")[0]
    assert "| minimax − zhipu | ahead |" in aligned
    assert "|  | minimax | zhipu |\n" in own and "ahead" not in own


def test_html_wraps_long_text_and_prints_with_headings_kept_with_what_follows(shipped_report: Report) -> None:
    page = _html(shipped_report)
    assert "overflow-wrap: anywhere" in page and "break-after: avoid" in page
    assert "@page" in page and "break-inside: avoid" in page


def test_html_prints_long_tables_compact(shipped_report: Report) -> None:
    page = _html(shipped_report)
    # The claims table (well over 30 rows) is marked long, and print sets long tables smaller and tighter.
    claims = page.split('id="claims-checked"')[1]
    assert claims.split("<table", 1)[1].startswith(' class="') and "long" in claims.split("<table", 1)[1].split(">")[0]
    assert "table.long { font-size: 6.5px;" in page
    assert "h1, h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }" in page


def _pdf_pages(path: Path) -> int:
    """The page count of a PDF, read from its page tree (the largest /Count)."""
    return max(int(n) for n in re.findall(rb"/Count (\d+)", path.read_bytes()))


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_the_shipped_report_prints_on_few_pages(tmp_path: Path, shipped_report: Report) -> None:
    # The documented check (README, report): print the HTML to PDF in headless Chromium and count pages.
    # Measured: 32 pages before the print CSS, 14 after it, 11 with the compact long tables and
    # smaller print figures (A4; scripts/report-pages, with Chromium's header and footer). The aim: under 12.
    html_file, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    html_file.write_text(_html(shipped_report), encoding="utf-8")
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html_file.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert _pdf_pages(pdf) < 12
