"""Path to breakeven on tiny hand-written sheets, each expected value worked out beside it; then the
shipped data, checked by hand.

The hand-checked case of issue 12 runs through most tests: R0 = 10, C0 = 20 (million a month),
g_r = 100 %, g_c = 0 %, so R(t) = 10·2^(t/12) meets 20 at t* = 12 and the monthly gaps
20 − 10·2^(t/12) for t = 1 … 11 are (2^(t/12) to 6 places):

    t  2^(t/12)  gap      cumulative
    1  1.059463  9.40537   9.40537
    2  1.122462  8.77538  18.18075
    3  1.189207  8.10793  26.28868
    4  1.259921  7.40079  33.68947
    5  1.334840  6.65160  40.34107
    6  1.414214  5.85786  46.19893
    7  1.498307  5.01693  51.21586
    8  1.587401  4.12599  55.34185
    9  1.681793  3.18207  58.52392
   10  1.781797  2.18203  60.70595
   11  1.887749  1.12251  61.82846

Closed form: cash needed = 220 − 10·Σ_{t=1..11} 2^(t/12) = 220 − 10·(1/(2^(1/12) − 1) − 1)
= 220 − 10·(16.817154 − 1) = 220 − 158.17154 = 61.82846.
"""

import dataclasses
import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_sheet

from minimetrics.breakeven import (
    BreakevenOptions,
    add_months,
    breakeven,
    breakeven_grid,
    project,
    whole_months,
)
from minimetrics.dataset import bundled_data_dir, load_data
from minimetrics.factsheet import read_sheet
from minimetrics.problems import UsageError
from minimetrics.results import Breakeven, BreakevenStatus, LossBasis, Viability
from minimetrics.tidy import facts_frame

S = "source: press_20260109"
M = 1e6  # the sheets below are in USD million
CASH_NEEDED = 61.82846  # the hand-checked case, in million (module docstring)


def _frame(tmp_path: Path, facts: str, fiscal_year_end: str = "12-31") -> pd.DataFrame:
    path = write_sheet(tmp_path, facts)
    path.write_text(path.read_text("utf-8").replace("fiscal_year_end: 12-31", f"fiscal_year_end: {fiscal_year_end}"))
    sheet, problems = read_sheet(path)
    assert sheet is not None, [str(p) for p in problems]
    return facts_frame([sheet])


def _block(metric: str, periods: dict[str, float | str]) -> str:
    """One fact block; a string value carries its own unit, a number is USD million."""
    lines = [f"  {metric}:\n"]
    for label, value in periods.items():
        text = value if isinstance(value, str) else f"{value:g}, unit: USD million"
        lines.append(f"    {label}: {{value: {text}, {S}}}\n")
    return "".join(lines)


# FY2025: revenue 120, adjusted loss 120 → R0 = 120/12 = 10, L0 = 10, C0 = 20.
# FY2024: revenue 60, adjusted loss 180 → g_r = 120/60 − 1 = 100 %; costs 240 both years → g_c = 0 %.
HAND = _block("revenue", {"FY2024": 60, "FY2025": 120}) + _block("adjusted_net_loss", {"FY2024": 180, "FY2025": 120})


def _cash(amount: float) -> str:
    return _block("cash_and_equivalents", {"2025-12-31": amount})


def _one(frame: pd.DataFrame, options: BreakevenOptions | None = None) -> Breakeven:
    (record,) = breakeven(frame, (), options)
    _assert_finite(record)
    return record


def _assert_finite(record: object) -> None:
    """No figure in a record, nested records and series included, is inf or NaN."""
    if dataclasses.is_dataclass(record):
        for item in dataclasses.fields(record):
            _assert_finite(getattr(record, item.name))
    elif isinstance(record, tuple):
        for item in record:
            _assert_finite(item)
    elif isinstance(record, float):
        assert math.isfinite(record)


# --- The arithmetic ---------------------------------------------------------------------------


def test_the_hand_checked_case() -> None:
    path = project(10.0, 20.0, 100.0, 0.0, 100.0, 120)
    assert path.breakeven_month == 12  # 10·2^(12/12) = 20 ≥ 20; at t = 11, 18.877 < 20
    assert path.cash_needed == pytest.approx(CASH_NEEDED, abs=1e-5)
    assert path.cash_out_month is None  # 61.83 never exceeds 100
    # The series runs t = 0 … 12: month 0 at the base levels, the last point the crossing.
    assert [p.month for p in path.points] == list(range(13))
    assert (path.points[0].revenue, path.points[0].costs) == (10.0, 20.0)
    assert path.points[6].revenue == pytest.approx(14.14214, abs=1e-5)  # 10·2^(6/12) = 10·√2
    assert path.points[6].cumulative_loss == pytest.approx(46.19893, abs=1e-5)
    assert path.points[-1].revenue == pytest.approx(20.0)


def test_shrinking_costs_meet_flat_revenue() -> None:
    # R = 10 flat, C(t) = 20·0.5^(t/12) = 10 at t = 12. Gaps 20·2^(−t/12) − 10; since
    # 2^(−t/12) = 2^((12−t)/12) / 2, Σ_{t=1..11} 2^(−t/12) = 15.817154 / 2 = 7.908577, so
    # cash needed = 20·7.908577 − 110 = 48.17154.
    path = project(10.0, 20.0, 0.0, -50.0, None, 120)
    assert path.breakeven_month == 12
    assert path.cash_needed == pytest.approx(48.17154, abs=1e-5)
    assert path.cash_out_month is None  # no cash figure: not looked for


def test_cash_runs_out_in_the_first_month_the_cumulative_loss_exceeds_it() -> None:
    # Cumulative 58.52392 after month 9, 60.70595 after month 10: 60 of cash runs out in month 10.
    assert project(10.0, 20.0, 100.0, 0.0, 60.0, 120).cash_out_month == 10
    # Exactly enough is enough: "exceeds", not "reaches".
    needed = project(10.0, 20.0, 100.0, 0.0, None, 120).cash_needed
    assert needed is not None and project(10.0, 20.0, 100.0, 0.0, needed, 120).cash_out_month is None
    assert project(10.0, 20.0, 100.0, 0.0, needed * (1 - 1e-9), 120).cash_out_month == 11


def test_extreme_rates_stay_finite() -> None:
    # Costs 101× a year for 50 years: 20·101^50 ≈ 3.3e101, large but finite; revenue never catches up.
    path = project(10.0, 20.0, 0.0, 10_000.0, 1e12, 600)
    assert path.breakeven_month is None and path.cash_needed is None
    assert path.points[-1].costs == pytest.approx(20 * 101.0**50, rel=1e-9)
    _assert_finite(path)


def test_months_and_dates() -> None:
    assert add_months(date(2025, 12, 31), 12) == date(2026, 12, 31)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)  # a month end stays a month end
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 15), -3) == date(2024, 12, 15)
    assert whole_months(date(2025, 12, 31), date(2026, 3, 14)) == 2  # 2026-02-28 ≤ 03-14 < 03-31
    assert whole_months(date(2025, 12, 31), date(2026, 3, 31)) == 3


# --- From a sheet -------------------------------------------------------------------------------


def test_the_hand_checked_case_from_a_sheet_alive(tmp_path: Path) -> None:
    # Cash 62 ≥ 61.82846 needed: alive, cushion 62 − 61.82846 = 0.17154 million.
    record = _one(_frame(tmp_path, HAND + _cash(62)), BreakevenOptions(as_of=date(2026, 3, 14)))
    assert (record.status, record.verdict) == (BreakevenStatus.OK, Viability.ALIVE)
    assert record.base is not None and record.base.period == "FY2025" and record.base.months == 12
    assert record.base.monthly_revenue == pytest.approx(10 * M)  # 120 / 12
    assert record.base.monthly_loss == pytest.approx(10 * M)  # 120 / 12
    assert record.base.monthly_costs == pytest.approx(20 * M)  # 10 + 10
    assert record.revenue_growth is not None and record.cost_growth is not None
    assert record.revenue_growth.rate == pytest.approx(100.0)  # 120 / 60 − 1
    assert record.cost_growth.rate == pytest.approx(0.0)  # (120 + 120) / (60 + 180) − 1
    assert (record.revenue_growth.period, record.revenue_growth.prior_period) == ("FY2025", "FY2024")
    assert not record.revenue_growth.overridden and not record.cost_growth.overridden
    assert record.breakeven_month == 12
    assert record.breakeven_date == date(2026, 12, 31)  # cash date 2025-12-31 + 12 months
    assert record.breakeven_months_from_as_of == 10  # 12 − 2 whole months to 2026-03-14
    assert record.cash_needed == pytest.approx(CASH_NEEDED * M, abs=10)
    assert record.cushion == pytest.approx((62 - CASH_NEEDED) * M, abs=10)
    assert record.cash is not None and record.cash.basis == "cash" and record.cash.total == 62 * M
    assert record.cash_out_month is None and record.cash_out_date is None
    assert record.currency == "USD" and record.loss_basis is LossBasis.ADJUSTED_LOSS
    # Every input named with its period: the base, the growth pair, the cash.
    named = {(i.key, i.period) for i in record.inputs}
    assert named == {
        ("revenue", "FY2025"),
        ("revenue", "FY2024"),
        ("adjusted_net_loss", "FY2025"),
        ("adjusted_net_loss", "FY2024"),
        ("cash_and_equivalents", "2025-12-31"),
    }
    assert any("not a forecast" in a for a in record.assumptions)
    assert any("month 0 is 2025-12-31" in a for a in record.assumptions)


def test_the_hand_checked_case_from_a_sheet_dead(tmp_path: Path) -> None:
    # Cash 60 < 61.82846: dead, shortfall 1.82846; cumulative 60.70595 > 60 first at month 10.
    record = _one(_frame(tmp_path, HAND + _cash(60)), BreakevenOptions(as_of=date(2026, 3, 14)))
    assert (record.status, record.verdict) == (BreakevenStatus.OK, Viability.DEAD)
    assert record.breakeven_month == 12  # the path still reaches breakeven; the cash does not
    assert record.cushion == pytest.approx(-1.82846 * M, abs=10)
    assert record.cash_out_month == 10
    assert record.cash_out_date == date(2026, 10, 31)  # 2025-12-31 + 10 months
    assert record.cash_out_months_from_as_of == 8  # 10 − 2
    assert record.projection[-1].month == 12  # the chart runs on to the crossing


def test_already_profitable(tmp_path: Path) -> None:
    # Operating basis: FY2025 operating cash flow +12 is an inflow, L0 = −12/12 = −1 ≤ 0.
    frame = _frame(tmp_path, HAND + _block("operating_cash_flow", {"FY2025": 12}) + _cash(5))
    record = _one(frame, BreakevenOptions(loss=LossBasis.OPERATING))
    assert (record.status, record.verdict) == (BreakevenStatus.ALREADY_PROFITABLE, Viability.ALIVE)
    assert record.base is not None and record.base.monthly_loss == pytest.approx(-1 * M)
    assert record.base.monthly_costs == pytest.approx(9 * M)  # 10 − 1
    assert record.cash_needed == 0.0 and record.breakeven_month is None


def test_operating_outflow_is_a_loss(tmp_path: Path) -> None:
    # Operating cash flow −120 FY2025 and −180 FY2024: the same costs as the adjusted loss, so t* = 12.
    frame = _frame(tmp_path, HAND + _block("operating_cash_flow", {"FY2024": -180, "FY2025": -120}) + _cash(62))
    record = _one(frame, BreakevenOptions(loss=LossBasis.OPERATING))
    assert record.base is not None and record.base.monthly_loss == pytest.approx(10 * M)  # −(−120) / 12
    assert record.cost_growth is not None and record.cost_growth.rate == pytest.approx(0.0)
    assert "revenue FY2025 − operating_cash_flow FY2025" in record.cost_growth.formula
    assert record.breakeven_month == 12 and record.verdict is Viability.ALIVE


def test_never_within_the_horizon(tmp_path: Path) -> None:
    # g_r = 50 %: R(12) = 10·1.5 = 15 < 20, so no crossing within a 1-year horizon.
    frame = _frame(tmp_path, HAND + _cash(1000))
    record = _one(frame, BreakevenOptions(revenue_growth=50.0, horizon_years=1))
    assert record.status is BreakevenStatus.NEVER and record.breakeven_month is None and record.cash_needed is None
    assert "within 1 years" in record.reason
    # 1000 outlasts the year's losses (12 months of at most 10): undecided, not alive.
    assert record.verdict is Viability.UNDECIDED and "horizon" in record.cash_reason
    assert len(record.projection) == 13  # t = 0 … 12, capped at the horizon
    # The same at g_r = 100 % crosses exactly at the horizon's last month.
    assert _one(frame, BreakevenOptions(horizon_years=1)).breakeven_month == 12


def test_never_and_dead(tmp_path: Path) -> None:
    # g_r = g_c = 50 %: C − R = 10·1.5^(t/12) never closes. Cumulative 10.3437, 21.0428, 32.1096,
    # 43.5568, 55.3973, 67.6447: 62 of cash runs out in month 6.
    record = _one(_frame(tmp_path, HAND + _cash(62)), BreakevenOptions(revenue_growth=50.0, cost_growth=50.0))
    assert (record.status, record.verdict) == (BreakevenStatus.NEVER, Viability.DEAD)
    assert record.cash_out_month == 6 and record.cash_out_date == date(2026, 6, 30)
    assert record.cushion is None  # no cash needed to compare against


def test_overrides_are_marked_and_need_no_prior_period(tmp_path: Path) -> None:
    # FY2025 alone: no growth pair, but both rates given → the hand case, t* = 12.
    frame = _frame(
        tmp_path, _block("revenue", {"FY2025": 120}) + _block("adjusted_net_loss", {"FY2025": 120}) + _cash(62)
    )
    assert "no two periods" in _one(frame).reason
    record = _one(frame, BreakevenOptions(revenue_growth=100.0, cost_growth=0.0))
    assert record.revenue_growth is not None and record.revenue_growth.overridden
    assert record.revenue_growth.period == "" and record.revenue_growth.inputs == ()
    assert record.breakeven_month == 12 and record.verdict is Viability.ALIVE


def test_one_override_keeps_the_other_from_the_data(tmp_path: Path) -> None:
    # Cost growth given as 0; revenue growth from the pair, 100 %: the hand case again.
    record = _one(_frame(tmp_path, HAND + _cash(62)), BreakevenOptions(cost_growth=0.0))
    assert record.cost_growth is not None and record.cost_growth.overridden
    assert record.revenue_growth is not None and not record.revenue_growth.overridden
    assert record.breakeven_month == 12


def test_zero_revenue_is_not_meaningful(tmp_path: Path) -> None:
    frame = _frame(
        tmp_path,
        _block("revenue", {"FY2024": 60, "FY2025": 0}) + _block("adjusted_net_loss", {"FY2024": 1, "FY2025": 1}),
    )
    record = _one(frame)
    assert (record.status, record.verdict) == (BreakevenStatus.NOT_MEANINGFUL, Viability.NOT_MEANINGFUL)
    assert "revenue FY2025 is zero" in record.reason and record.breakeven_month is None


def test_zero_revenue_a_year_earlier_is_not_meaningful_growth(tmp_path: Path) -> None:
    frame = _frame(
        tmp_path,
        _block("revenue", {"FY2024": 0, "FY2025": 120}) + _block("adjusted_net_loss", {"FY2024": 1, "FY2025": 1}),
    )
    assert "revenue FY2024 is zero or negative: growth from it is not meaningful" in _one(frame).reason


def test_absurd_growth_from_the_data_is_not_meaningful(tmp_path: Path) -> None:
    # 120 / 0.01 − 1 = 1,199,900 % a year: beyond 10,000 %, so n/m rather than a projection.
    frame = _frame(
        tmp_path,
        _block("revenue", {"FY2024": 0.01, "FY2025": 120}) + _block("adjusted_net_loss", {"FY2024": 1, "FY2025": 120}),
    )
    record = _one(frame)
    assert record.status is BreakevenStatus.NOT_MEANINGFUL and "outside the bounds" in record.reason
    assert "give revenue_growth" in record.reason


def test_missing_inputs(tmp_path: Path) -> None:
    # No loss at all: no base period.
    no_loss = _one(_frame(tmp_path, _block("revenue", {"FY2025": 120}) + _cash(5)))
    assert no_loss.status is BreakevenStatus.NOT_MEANINGFUL and no_loss.base is None
    assert no_loss.reason == "no period has both revenue and adjusted_net_loss"
    # No cash balance: the path stands (month 0 = the base period's end), the verdict cannot.
    record = _one(_frame(tmp_path, HAND))
    assert (record.status, record.verdict) == (BreakevenStatus.OK, Viability.NOT_MEANINGFUL)
    assert record.breakeven_month == 12 and record.breakeven_date == date(2026, 12, 31)
    assert "no cash balance" in record.cash_reason and record.cushion is None


def test_zero_months_is_not_meaningful(tmp_path: Path) -> None:
    # The frame is the contract: a base row claiming zero months must not divide by zero.
    frame = _frame(tmp_path, HAND + _cash(62))
    frame.loc[frame["period"] == "FY2025", "months"] = 0
    record = _one(frame)
    assert record.status is BreakevenStatus.NOT_MEANINGFUL and "zero months" in record.reason


def test_latest_base_period_and_like_for_like_growth(tmp_path: Path) -> None:
    # H1-2025 ends after FY2024, so it is the base: R0 = 90/6 = 15, L0 = 60/6 = 10, C0 = 25.
    # Growth pairs H1-2025 with H1-2024 (not with FY2024): g_r = 90/30 − 1 = 200 %;
    # costs (90 + 60) / (30 + 70) − 1 = 50 %.
    frame = _frame(
        tmp_path,
        _block("revenue", {"FY2023": 20, "FY2024": 60, "H1-2024": 30, "H1-2025": 90})
        + _block("adjusted_net_loss", {"FY2023": 100, "FY2024": 180, "H1-2024": 70, "H1-2025": 60})
        + _block("cash_and_equivalents", {"2025-06-30": 1000}),
    )
    record = _one(frame)
    assert record.base is not None and (record.base.period, record.base.months) == ("H1-2025", 6)
    assert record.base.monthly_costs == pytest.approx(25 * M)
    assert record.revenue_growth is not None and record.revenue_growth.prior_period == "H1-2024"
    assert record.revenue_growth.rate == pytest.approx(200.0)
    assert record.cost_growth is not None and record.cost_growth.rate == pytest.approx(50.0)
    # 15·3^(t/12) ≥ 25·1.5^(t/12) ⇔ 2^(t/12) ≥ 5/3 ⇔ t ≥ 12·ln(5/3)/ln 2 = 12·0.510826/0.693147 = 8.84 → 9.
    assert record.breakeven_month == 9 and record.breakeven_date == date(2026, 3, 31)


def test_at_the_same_end_the_longer_period_is_the_base(tmp_path: Path) -> None:
    # FY2025 and Q4-2025 both end 2025-12-31: FY2025 (12 months) wins over the quarter, so R0 = 120/12 = 10,
    # not 45/3 = 15.
    frame = _frame(
        tmp_path,
        _block("revenue", {"FY2024": 60, "FY2025": 120, "Q4-2025": 45})
        + _block("adjusted_net_loss", {"FY2024": 180, "FY2025": 120, "Q4-2025": 15}),
    )
    record = _one(frame)
    assert record.base is not None and record.base.period == "FY2025"
    assert record.base.monthly_revenue == pytest.approx(10 * M)


def test_the_growth_pair_needs_the_loss_in_both_periods(tmp_path: Path) -> None:
    # H1-2024 has revenue but no loss, so costs cannot grow from it: both rates come from FY2024 on FY2023,
    # g_r = 60/20 − 1 = 200 %, g_c = (60 + 180)/(20 + 100) − 1 = 100 %. The base is still H1-2025.
    facts = _block("revenue", {"FY2023": 20, "FY2024": 60, "H1-2024": 30, "H1-2025": 90}) + _block(
        "adjusted_net_loss", {"FY2023": 100, "FY2024": 180, "H1-2025": 60}
    )
    record = _one(_frame(tmp_path, facts))
    assert record.base is not None and record.base.period == "H1-2025"
    assert record.revenue_growth is not None and record.cost_growth is not None
    assert (record.revenue_growth.period, record.revenue_growth.prior_period) == ("FY2024", "FY2023")
    assert record.revenue_growth.rate == pytest.approx(200.0)
    assert record.cost_growth.period == "FY2024" and record.cost_growth.rate == pytest.approx(100.0)
    # With cost growth given, revenue growth is free to take the latest revenue pair: 90/30 − 1 = 200 %
    # from H1-2025 on H1-2024.
    given = _one(_frame(tmp_path, facts), BreakevenOptions(cost_growth=10.0))
    assert given.revenue_growth is not None and given.revenue_growth.period == "H1-2025"


def test_a_shorter_period_ending_a_year_earlier_is_not_like_for_like(tmp_path: Path) -> None:
    # H2-2024 ends in December a year before FY2025 does, but covers 6 months, not 12: no pair.
    frame = _frame(
        tmp_path,
        _block("revenue", {"H2-2024": 40, "FY2025": 120}) + _block("adjusted_net_loss", {"H2-2024": 90, "FY2025": 120}),
    )
    assert _one(frame).reason.startswith("no two periods of the same length a year apart")


def test_a_march_fiscal_year_takes_its_dates_from_the_frame(tmp_path: Path) -> None:
    # FY2025 ending March runs 2024-04-01 to 2025-03-31; its prior is FY2024 (2023-04 to 2024-03).
    frame = _frame(tmp_path, HAND + _block("cash_and_equivalents", {"2025-03-31": 62}), fiscal_year_end="03-31")
    record = _one(frame)
    assert record.base is not None
    assert (record.base.start, record.base.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert record.cash is not None and record.cash.date == date(2025, 3, 31)
    assert record.breakeven_month == 12 and record.breakeven_date == date(2026, 3, 31)
    assert not any("months from the end of the base period" in a for a in record.assumptions)


def test_a_cash_date_far_from_the_base_period_is_said(tmp_path: Path) -> None:
    # Cash at 2025-12-31 against a base period that ended 2024-12-31: 365 days → "12 months".
    frame = _frame(
        tmp_path,
        _block("revenue", {"FY2023": 60, "FY2024": 120})
        + _block("adjusted_net_loss", {"FY2023": 180, "FY2024": 120})
        + _cash(62),
    )
    assert any("12 months from the end of the base period FY2024" in a for a in _one(frame).assumptions)


IPO = _block("ipo_net_proceeds", {"2026-01-08": "78, unit: HKD million"})


def test_ipo_proceeds_converted_at_a_named_rate(tmp_path: Path) -> None:
    # HK$78 million at USDHKD 7.8 = US$10 million; cash held 55 + 10 = 65 ≥ 61.83: alive.
    frame = _frame(tmp_path, HAND + _cash(55) + IPO)
    without = _one(frame)
    assert without.verdict is Viability.DEAD  # 55 alone: cumulative 55.34 > 55 in month 8
    assert without.cash_out_month == 8
    record = _one(frame, BreakevenOptions(with_ipo=True, overrides={("USD", "HKD"): 7.8}))
    assert record.cash is not None and record.cash.ipo_amount == pytest.approx(10 * M)
    assert record.cash.total == pytest.approx(65 * M) and record.verdict is Viability.ALIVE
    (rate,) = record.cash.rates
    assert (rate.key, rate.amount, rate.source) == ("USDHKD rate", 7.8, "--fx")
    assert any("IPO net proceeds received 2026-01-08" in a for a in record.assumptions)


def test_ipo_proceeds_without_a_rate(tmp_path: Path) -> None:
    # On 2026-01-07 the ECB's rate of 2026-01-08 was not published yet, and fx.yaml has none.
    options = BreakevenOptions(with_ipo=True, as_of=date(2026, 1, 7))
    record = _one(_frame(tmp_path, HAND + _cash(55) + IPO), options)
    assert (record.status, record.verdict) == (BreakevenStatus.OK, Viability.NO_RATE)
    assert "no USDHKD spot rate on 2026-01-08" in record.cash_reason
    assert record.breakeven_month == 12 and record.cushion is None and record.cash_out_month is None


def test_with_ipo_but_no_ipo_says_so(tmp_path: Path) -> None:
    record = _one(_frame(tmp_path, HAND + _cash(62)), BreakevenOptions(with_ipo=True))
    assert record.verdict is Viability.ALIVE and record.cash is not None and record.cash.ipo is None
    assert any("no IPO net proceeds after 2025-12-31" in a for a in record.assumptions)


def test_cash_basis_choice(tmp_path: Path) -> None:
    # Liquid assets first when the sheet has them; "cash" asks for cash and equivalents.
    frame = _frame(tmp_path, HAND + _cash(60) + _block("cash_and_liquid_assets", {"2025-12-31": 100}))
    liquid = _one(frame)
    assert liquid.cash is not None and liquid.cash.basis == "liquid" and liquid.verdict is Viability.ALIVE
    cash = _one(frame, BreakevenOptions(cash="cash"))
    assert cash.cash is not None and cash.cash.basis == "cash" and cash.verdict is Viability.DEAD


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (BreakevenOptions(revenue_growth=-100.0), "revenue_growth -100% a year is out of bounds"),
        (BreakevenOptions(cost_growth=-150.0), "cost_growth -150% a year is out of bounds"),
        (BreakevenOptions(revenue_growth=10_000.5), "revenue_growth 10000.5% a year is out of bounds"),
        (BreakevenOptions(cost_growth=math.nan), "cost_growth nan% a year is out of bounds"),
        (BreakevenOptions(revenue_growth=math.inf), "revenue_growth inf% a year is out of bounds"),
        (BreakevenOptions(horizon_years=0), "a horizon of 0 years is out of bounds"),
        (BreakevenOptions(horizon_years=51), "a horizon of 51 years is out of bounds"),
        (BreakevenOptions(cash="gold"), 'unknown cash basis "gold"'),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, options: BreakevenOptions, message: str) -> None:
    frame = _frame(tmp_path, HAND)
    with pytest.raises(UsageError) as caught:
        breakeven(frame, (), options)
    assert caught.value.message == message and caught.value.hint


def test_the_bounds_themselves_are_allowed(tmp_path: Path) -> None:
    # 10,000 % a year and 50 years are inside; −99.9 % is inside.
    frame = _frame(tmp_path, HAND + _cash(62))
    record = _one(frame, BreakevenOptions(revenue_growth=10_000.0, cost_growth=-99.9, horizon_years=50))
    # R(1) = 10·101^(1/12) = 10·1.46899 = 14.69 ≥ C(1) = 20·0.001^(1/12) = 20·0.56234 = 11.25: t* = 1, nothing needed.
    assert record.breakeven_month == 1 and record.cash_needed == 0.0


# --- The grid -----------------------------------------------------------------------------------


def test_grid_around_the_hand_checked_case(tmp_path: Path) -> None:
    # Axes: revenue 100 − 50, 100, 100 + 50 = 50, 100, 150; costs 0, 0 + 50 = 0, 50.
    # t* solves 10·(1+g_r)^(t/12) = 20·(1+g_c)^(t/12): t = 12·ln 2 / ln((1+g_r)/(1+g_c)), rounded up.
    frame = _frame(tmp_path, HAND + _cash(62))
    (grid,) = breakeven_grid(frame, (), BreakevenOptions(), revenue_steps=(-50.0, 50.0), cost_steps=(50.0,))
    assert grid.revenue_growths == (50.0, 100.0, 150.0) and grid.cost_growths == (0.0, 50.0)
    cells = {(c.revenue_growth, c.cost_growth): c for c in grid.cells}
    assert len(cells) == 6
    assert cells[(50.0, 0.0)].breakeven_month == 21  # 12·0.693147/0.405465 = 20.51
    assert cells[(100.0, 0.0)].breakeven_month == 12  # the base case
    assert cells[(150.0, 0.0)].breakeven_month == 10  # 12·0.693147/0.916291 = 9.08
    assert cells[(100.0, 50.0)].breakeven_month == 29  # 12·0.693147/ln(4/3) 0.287682 = 28.91
    assert cells[(150.0, 50.0)].breakeven_month == 17  # 12·0.693147/ln(5/3) 0.510826 = 16.28
    never = cells[(50.0, 50.0)]  # equal growth: the gap never closes; 62 runs out in month 6 (see above)
    assert (never.status, never.breakeven_month, never.verdict, never.cash_out_month) == (
        BreakevenStatus.NEVER,
        None,
        Viability.DEAD,
        6,
    )
    assert [c for c in grid.cells if c.is_base] == [cells[(100.0, 0.0)]]
    assert cells[(100.0, 0.0)].verdict is Viability.ALIVE
    # t* = 21 needs more than 62 (the first 11 gaps alone are larger than the base case's): dead.
    assert cells[(50.0, 0.0)].verdict is Viability.DEAD and cells[(50.0, 0.0)].cash_out_month is not None


def test_grid_default_steps_and_rates_out_of_bounds(tmp_path: Path) -> None:
    # Default steps ±25/50 pp; cost growth 0 − 50 = −50 and 0 − 25 = −25 are fine (shrinking costs).
    frame = _frame(tmp_path, HAND + _cash(62))
    (grid,) = breakeven_grid(frame)
    assert grid.revenue_growths == (50.0, 75.0, 100.0, 125.0, 150.0)
    assert grid.cost_growths == (-50.0, -25.0, 0.0, 25.0, 50.0)
    assert len(grid.cells) == 25
    # A step that takes a rate to −100 % or below leaves it off the axis: 0 − 100, 0 − 150.
    (grid,) = breakeven_grid(frame, cost_steps=(-150.0, -100.0, -99.0))
    assert grid.cost_growths == (-99.0, 0.0)


def test_grid_has_no_cells_without_a_path(tmp_path: Path) -> None:
    (grid,) = breakeven_grid(_frame(tmp_path, _block("revenue", {"FY2025": 120})))
    assert grid.cells == () and grid.base.status is BreakevenStatus.NOT_MEANINGFUL


def test_grid_steps_must_be_numbers(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        breakeven_grid(_frame(tmp_path, HAND), revenue_steps=(math.nan,))


# --- The shipped data ---------------------------------------------------------------------------


def _shipped(options: BreakevenOptions | None = None) -> dict[str, Breakeven]:
    data = load_data(bundled_data_dir())
    assert data.fx is not None
    found = breakeven(facts_frame(data.sheets), data.fx.rates, options)
    for record in found:
        _assert_finite(record)
    return {r.company: r for r in found}


def test_shipped_minimax() -> None:
    # FY2025: revenue 79.038 M → R0 = 6.5865 M; adjusted loss 251 M → L0 = 20.9167 M; C0 = 27.5032 M.
    # g_r = 79.038 / 30.52 − 1 = 158.97 %; g_c = (79.038 + 251) / (30.52 + 244) − 1 = 330.038 / 274.52 − 1 = 20.22 %.
    # t = 12·ln(27.5032/6.5865) / ln(2.58971/1.20224) = 12·1.42929 / 0.76736 = 22.35 → 23 months from 2025-12-31.
    record = _shipped(BreakevenOptions(as_of=date(2026, 3, 14)))["minimax"]
    assert record.base is not None and record.base.period == "FY2025"
    assert record.base.monthly_revenue == pytest.approx(6_586_500)
    assert record.base.monthly_costs == pytest.approx(27_503_167, abs=1)
    assert record.revenue_growth is not None and record.revenue_growth.rate == pytest.approx(158.97, abs=0.01)
    assert record.cost_growth is not None and record.cost_growth.rate == pytest.approx(20.22, abs=0.01)
    assert record.breakeven_month == 23 and record.breakeven_date == date(2027, 11, 30)
    # Cash and liquid assets 1.05 billion at 2025-12-31 against about 317 million needed: alive.
    assert record.cash is not None and record.cash.total == 1.05e9
    assert record.cash_needed == pytest.approx(317.23e6, rel=1e-4)
    assert record.verdict is Viability.ALIVE


def test_shipped_zhipu() -> None:
    # H1-2025: revenue 190.9 M RMB → R0 = 31.8167 M; adjusted loss 1,751 M → L0 = 291.8333 M; C0 = 323.65 M.
    # g_r = 190.9 / 44.9 − 1 = 325.17 % (H1-2025 on H1-2024); g_c = 1941.9 / 1074.9 − 1 = 80.66 %.
    # t = 12·ln(323.65/31.8167) / ln(4.25167/1.80659) = 12·2.31966 / 0.85587 = 32.52 → 33 months from 2025-06-30.
    record = _shipped()["zhipu"]
    assert record.base is not None and record.base.period == "H1-2025" and record.currency == "RMB"
    assert record.revenue_growth is not None and record.revenue_growth.rate == pytest.approx(325.17, abs=0.01)
    assert record.cost_growth is not None and record.cost_growth.rate == pytest.approx(80.66, abs=0.01)
    assert record.breakeven_month == 33 and record.breakeven_date == date(2028, 3, 31)
    # Cash and equivalents 2.552 billion; the first gap is 323.65·1.80659^(1/12) − 31.8167·4.25167^(1/12)
    # = 340.01 − 35.90 = 304.1 M and the gaps grow, so the cash lasts 8 months, not 33: dead.
    assert record.cash is not None and record.cash.total == 2.552e9
    assert record.projection[1].costs - record.projection[1].revenue == pytest.approx(304.1e6, rel=1e-3)
    assert record.verdict is Viability.DEAD and record.cash_out_month == 8
    assert record.cash_out_date == date(2026, 2, 28)
    # With the IPO: no HKD→RMB spot rate on 2026-01-08 in fx.yaml, so the ECB's of that day, CNY 8.1513 and
    # HKD 9.0981 per euro: HK$4,173.4 M × 0.895934 = 3,739.1 M RMB; cash held 2,552 + 3,739.1 = 6,291.1 M.
    with_ipo = _shipped(BreakevenOptions(with_ipo=True))["zhipu"]
    assert with_ipo.cash is not None and with_ipo.cash.total == pytest.approx(2.552e9 + 4173.4e6 * 8.1513 / 9.0981)
    assert with_ipo.cash.rates[0].source == "ECB reference rate, 2026-01-08"
