"""``frames.to_frame`` on every result, with values worked out by hand from the fixture sheets
(tests/fixtures; the arithmetic as in test_fixture_values.py), and ``repr_html``'s escaping."""

import math
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from minimetrics import analysis, explanation, frames, history, summarize
from minimetrics.breakeven import BreakevenOptions, GridSteps, breakeven_grid_table, breakeven_table
from minimetrics.dataset import Dataset, load_data
from minimetrics.metrics import RunwayOptions
from minimetrics.notebook import FrameMixin
from minimetrics.report import build_report
from minimetrics.results import Figure, FigureTable, Input, ShortRunway, Status

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 1, 31)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_data(FIXTURES)


def _one(frame: pd.DataFrame, **match: object) -> pd.Series:
    """The one row whose columns have these values."""
    chosen = frame
    for column, value in match.items():
        chosen = chosen[chosen[column] == value]
    assert len(chosen) == 1, match
    row: pd.Series = chosen.iloc[0]
    return row


def test_growth_table(data: Dataset) -> None:
    frame = frames.to_frame(analysis.growth_table(data, ["alpha"]))
    assert list(frame.columns) == list(frames.FIGURE_COLUMNS)
    # Revenue FY2023, FY2024, 9M2024, 9M2025: growth FY2024 and 9M2025, the CAGR FY2023-FY2024,
    # two annualised interims and one TTM: 2 + 1 + 2 + 1 = 6 figures.
    assert len(frame) == 6
    growth = _one(frame, figure="revenue_growth", period="FY2024")
    # 250 ÷ 100 − 1 = 150 %, from the prospectus.
    assert (growth["value"], growth["unit"], growth["status"]) == (pytest.approx(150.0), "percent", "ok")
    assert (growth["qualifier"], growth["direction"], growth["sources"]) == ("exact", "growth", "prospectus_20251220")
    assert [i.period for i in growth["inputs"]] == ["FY2024", "FY2023"]
    # TTM to 2025-09-30 = 250 + 300 − 200 = 350 USD million, in whole dollars.
    ttm = _one(frame, figure="revenue_ttm")
    assert (ttm["value"], ttm["unit"]) == (pytest.approx(350e6), "USD")
    assert frame["value"].dtype == "float64"


def test_margin_table_keeps_not_meaningful_figures_as_nan(data: Dataset) -> None:
    frame = frames.to_frame(analysis.margin_table(data, ["beta"]))
    # A net margin on FY2022's zero revenue: NaN, and the status says why.
    row = _one(frame, figure="net_margin", period="FY2022", segment="")
    assert math.isnan(row["value"]) and (row["status"], row["note"]) == ("n/m", "revenue is zero or negative")
    # −1400 ÷ 350 = −400 %.
    assert _one(frame, figure="net_margin", period="FY2024", segment="")["value"] == pytest.approx(-400.0)
    change = _one(frame, figure="gross_margin_change", period="FY2024")
    assert (change["value"], change["unit"]) == (pytest.approx(60.0), "pp")  # 40 − (−20) pp


def test_runway_table(data: Dataset) -> None:
    frame = frames.to_frame(analysis.runway_table(data, ["alpha"], RunwayOptions(), detail=True))
    assert list(frame.columns) == list(frames.RUNWAY_COLUMNS)
    # Cash only (no liquid assets) × stated, net loss and adjusted loss burns × with and without IPO: 6.
    assert len(frame) == 6
    stated = _one(frame, burn_basis="stated", with_ipo=False)
    # 600 ÷ 25 = 24 months from 2025-09-30, 730.5 days → 2027-09-30; the default basis.
    assert (stated["months"], stated["default"]) == (pytest.approx(24.0), True)
    assert (stated["runs_out"], stated["cash_date"]) == (pd.Timestamp("2027-09-30"), pd.Timestamp("2025-09-30"))
    assert (stated["cash"], stated["burn"], stated["currency"]) == (pytest.approx(600e6), pytest.approx(25e6), "USD")
    assert math.isnan(stated["ipo"]) and stated["input_qualifiers"] == ""
    assert stated["sources"] == "prospectus_20251220"
    # 600 ÷ (180 ÷ 9) = 30 months on the 9M2025 net loss.
    assert _one(frame, burn_basis="net_loss", with_ipo=False)["months"] == pytest.approx(30.0)


def test_comparison(data: Dataset) -> None:
    result = analysis.comparison(data, ["alpha", "beta"], "USD", {})
    frame = frames.to_frame(result)
    assert list(frame.columns) == list(frames.COMPARISON_COLUMNS)
    assert len(frame) == 2 * len(result.rows)  # one row per company per row of the table
    revenue = frame[(frame["figure"] == "revenue") & (frame["section"] == result.rows[0].section)]
    alpha, beta = revenue.iloc[0], revenue.iloc[1]
    # beta's FY2024 revenue 350 RMB million at USDRMB 7.0 (the FY2024 average) = 50 USD million;
    # alpha − beta = 250 − 50 = 200 USD million, on both rows.
    assert (beta["value"], beta["unit"], beta["rate_pair"], beta["rate"]) == (pytest.approx(50e6), "USD", "USDRMB", 7.0)
    assert beta["rate_basis"] == "FY2024 average" and "filing_20251215" in beta["sources"]
    assert (alpha["value"], alpha["rate_pair"]) == (pytest.approx(250e6), "")
    assert alpha["difference"] == beta["difference"] == pytest.approx(200e6)
    assert alpha["leader"] == "alpha"


def test_claims_table(data: Dataset) -> None:
    frame = frames.to_frame(analysis.claims_table(data, []))
    assert list(frame.columns) == list(frames.CLAIM_COLUMNS)
    assert len(frame) == 9  # six of alpha's, three of beta's (test_fixture_values lists them)
    # −300 ÷ 250 = −120 %, stated −90 %: does not reproduce.
    margin = _one(frame, company="alpha", claim="net_margin FY2024")
    assert (margin["stated"], margin["computed"], margin["verdict"]) == (
        -90.0,
        pytest.approx(-120.0),
        "does not reproduce",
    )
    share = _one(frame, company="beta", figure="revenue_share")
    assert (share["segment"], share["period"], share["computed"]) == (
        "cloud",
        "FY2024",
        pytest.approx(20.0),
    )  # 70 ÷ 350
    assert math.isnan(_one(frame, claim="rd_to_revenue FY2024")["computed"])  # no R&D expense


def test_explanation_has_the_figure_then_its_inputs(data: Dataset) -> None:
    frame = frames.to_frame(explanation.explain(data, "alpha", "revenue_growth", "FY2024"))
    assert list(frame.columns) == list(frames.EXPLANATION_COLUMNS)
    assert list(frame["role"]) == ["figure", "input", "input"]
    figure, now, before = (frame.iloc[i] for i in range(3))
    assert (figure["value"], figure["unit"], figure["period"]) == (pytest.approx(150.0), "percent", "FY2024")
    # The inputs in whole dollars, as written in USD million, each with its source and publication date.
    assert (now["figure"], now["period"], now["value"], now["unit"]) == ("revenue", "FY2024", 250e6, "USD")
    assert (before["period"], before["value"], before["written_unit"]) == ("FY2023", 100e6, "USD million")
    assert (before["sources"], before["published"]) == ("prospectus_20251220", "2025-12-20")
    assert before["outlets"] == "Alpha Labs prospectus (fictional)"


def test_changes(data: Dataset) -> None:
    frame = frames.to_frame(history.changes(data, date(2025, 7, 1), date(2026, 1, 31), ["alpha"]))
    assert list(frame.columns) == list(frames.CHANGE_COLUMNS)
    # On 2025-07-01 only the rumour's revenue FY2024 was known; by 2026-01-31 all 25 of alpha's
    # facts are: 24 appeared, and revenue FY2024 changed (300 about → 250) and its conflict arose.
    assert len(frame) == 26
    changed = _one(frame, figure="revenue", period="FY2024", change="changed")
    assert (changed["value"], changed["unit"], changed["source"]) == (250.0, "USD million", "prospectus_20251220")
    assert (changed["old_value"], changed["old_qualifier"], changed["old_source"]) == (
        300.0,
        "about",
        "rumour_20250601",
    )
    assert (changed["published"], changed["old_published"]) == (pd.Timestamp("2025-12-20"), pd.Timestamp("2025-06-01"))
    appeared = _one(frame, figure="employees")
    assert appeared["change"] == "appeared" and math.isnan(appeared["old_value"]) and appeared["value"] == 500.0


def test_breakeven_table(data: Dataset) -> None:
    frame = frames.to_frame(breakeven_table(data, [], BreakevenOptions(as_of=AS_OF)))
    assert list(frame.columns) == list(frames.BREAKEVEN_COLUMNS)
    assert list(frame["company"]) == ["alpha", "beta", "gamma"]
    beta = _one(frame, company="beta")
    # Base H1-2025: revenue 250 and adjusted loss 480 RMB million over 6 months: R0 = 250 ÷ 6,
    # C0 = (250 + 480) ÷ 6; growth 250 ÷ 100 − 1 = 150 % and costs 730 ÷ 500 − 1 = 46 % a year.
    assert (beta["monthly_revenue"], beta["monthly_costs"]) == (pytest.approx(250e6 / 6), pytest.approx(730e6 / 6))
    assert (beta["revenue_growth"], beta["cost_growth"]) == (pytest.approx(150.0), pytest.approx(46.0))
    assert (beta["cash_held"], beta["currency"], beta["cash_date"]) == (960e6, "RMB", pd.Timestamp("2025-06-30"))
    assert beta["revenue_growth_from"] == "H1-2025 on H1-2024"
    # alpha has no two periods of the same length a year apart with an adjusted loss: n/m, NaN months.
    alpha = _one(frame, company="alpha")
    assert alpha["status"] == "n/m" and math.isnan(alpha["breakeven_month"]) and alpha["reason"]


def test_breakeven_grid(data: Dataset) -> None:
    frame = frames.to_frame(breakeven_grid_table(data, [], BreakevenOptions(as_of=AS_OF), GridSteps()))
    assert list(frame.columns) == list(frames.GRID_COLUMNS)
    # beta: 5 revenue growths (150 − 50, −25, 0, +25, +50) × 5 cost growths (46 − 50 … + 50) = 25 cells;
    # alpha and gamma have no path to vary: one row each saying why. 25 + 2 = 27.
    assert len(frame) == 27
    beta = frame[frame["company"] == "beta"]
    assert sorted(set(beta["revenue_growth"])) == [100.0, 125.0, 150.0, 175.0, 200.0]
    assert sorted(set(beta["cost_growth"])) == pytest.approx([-4.0, 21.0, 46.0, 71.0, 96.0])
    base = _one(beta, is_base=True)
    assert (base["revenue_growth"], base["cost_growth"]) == (pytest.approx(150.0), pytest.approx(46.0))
    alpha = _one(frame, company="alpha")
    assert math.isnan(alpha["revenue_growth"]) and alpha["status"] == "n/m" and alpha["reason"]


def test_company_list(data: Dataset) -> None:
    frame = frames.to_frame(summarize(data))
    assert list(frame.columns) == list(frames.COMPANY_COLUMNS)
    assert list(frame["company"]) == ["alpha", "beta", "gamma"]
    alpha = _one(frame, company="alpha")
    # 25 facts (revenue ×4, net loss ×4, gross profit ×2, 15 others once), 26 reports (FY2024 revenue twice).
    assert (alpha["facts"], alpha["reports"], alpha["conflicts"]) == (25, 26, 1)
    assert (alpha["tickers"], alpha["currency"], alpha["newest_source"]) == (
        "09901.HK",
        "USD",
        pd.Timestamp("2026-01-10"),
    )
    assert list(frames.to_frame([]).columns) == list(frames.COMPANY_COLUMNS)


def test_report_has_every_figure_in_one_shape(data: Dataset) -> None:
    report = build_report(data, ["alpha", "beta"], AS_OF)
    frame = frames.to_frame(report)
    assert list(frame.columns) == list(frames.REPORT_COLUMNS)
    sections = frames.report_frames(report)
    counts = frame["section"].value_counts().to_dict()
    for name in ("comparison", "growth", "margins", "runway", "claims"):
        assert counts[name] == len(sections[name]), name
    # The default runway of alpha: 600 ÷ 25 = 24 months from 2025-09-30.
    default = frame[frame["label"].str.endswith("(default)")]
    runway = _one(default, section="runway", company="alpha")
    assert (runway["value"], runway["unit"], runway["period"]) == (pytest.approx(24.0), "months", "from 2025-09-30")
    claim = _one(frame, section="claims", company="alpha", figure="net_margin")
    assert (claim["value"], claim["status"]) == (-90.0, "does not reproduce")


def test_fact_sheet_and_dataset_are_the_facts_frame(data: Dataset) -> None:
    sheet = frames.to_frame(data.sheets[0])
    assert len(sheet) == 26  # alpha's 26 reports
    assert len(frames.to_frame(data)) == sum(s.reports for s in summarize(data))


def test_records_and_lists(data: Dataset) -> None:
    table = analysis.growth_table(data, ["alpha"])
    assert len(frames.to_frame(table.figures[0])) == 1
    assert frames.to_frame(list(table.figures)).equals(frames.to_frame(table))
    short = frames.to_frame([ShortRunway("beta", 12.0, Status.OK, 18.0)])
    assert list(short.columns) == list(frames.SHORT_RUNWAY_COLUMNS) and short["bound"][0] == 18.0
    with pytest.raises(TypeError, match="no frame for a int"):
        frames.to_frame(3)
    with pytest.raises(TypeError, match="Figure and ShortRunway"):
        frames.to_frame([table.figures[0], ShortRunway("beta", 12.0, Status.OK, 18.0)])


def test_an_empty_result_keeps_its_columns() -> None:
    frame = frames.to_frame(FigureTable("nothing", ()))
    assert (len(frame), list(frame.columns)) == (0, list(frames.FIGURE_COLUMNS))


HOSTILE = '<script>alert("x")</script> & <b>'


def test_repr_html_escapes_sheet_text() -> None:
    source = Input("revenue", "FY2024", 250e6, "USD", "<img src=x onerror=alert(1)>")
    figure = Figure("acme", "revenue_growth", "FY2024", 1.5, "percent", note=HOSTILE, inputs=(source,))
    page = frames.repr_html(FigureTable(HOSTILE, (figure,)))
    assert "<script>" not in page and "<b>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    # The inputs are shown as text, not as a repr of records.
    assert "revenue FY2024 2.5e+08 USD" in page and "Input(" not in page
    assert page.startswith('<div class="minimetrics">') and "<table" in page


def test_the_mixin_gives_a_result_its_frame_and_html(data: Dataset) -> None:
    # What results.py gets by adding FrameMixin as a base of each result class.
    class Framed(FigureTable, FrameMixin):
        pass

    table = analysis.growth_table(data, ["alpha"])
    framed = Framed(table.title, table.figures, table.trends)
    assert framed.to_frame().equals(frames.to_frame(table))
    assert framed._repr_html_() == frames.repr_html(table)
    assert replace(framed, title="x").title == "x"  # still a frozen record


def test_the_mixin_does_not_load_pandas() -> None:
    code = "import sys, minimetrics.notebook, minimetrics; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
