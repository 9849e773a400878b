from datetime import date

import pytest

from minimetrics.registry import METRICS, Family, parse_period, parse_unit, period_fits


@pytest.mark.parametrize(
    ("label", "start", "end", "months"),
    [
        ("FY2024", date(2024, 1, 1), date(2024, 12, 31), 12),
        ("H1-2025", date(2025, 1, 1), date(2025, 6, 30), 6),
        ("H2-2025", date(2025, 7, 1), date(2025, 12, 31), 6),
        ("9M2025", date(2025, 1, 1), date(2025, 9, 30), 9),
        ("Q4-2025", date(2025, 10, 1), date(2025, 12, 31), 3),
        # 2022-01 to 2025-09: 4 years less 3 months = 45 months
        ("2022-01-01/2025-09-30", date(2022, 1, 1), date(2025, 9, 30), 45),
    ],
)
def test_durations(label: str, start: date, end: date, months: int) -> None:
    period = parse_period(label)
    assert not isinstance(period, str)
    assert (period.start, period.end, period.months, period.is_instant) == (start, end, months, False)


def test_fiscal_year_ending_in_march() -> None:
    # FY2025 ending 31 March 2025 runs April 2024 to March 2025; its H1 is April to September 2024.
    fy = parse_period("FY2025", fiscal_year_end_month=3)
    h1 = parse_period("H1-2025", fiscal_year_end_month=3)
    assert not isinstance(fy, str) and not isinstance(h1, str)
    assert (fy.start, fy.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert (h1.start, h1.end) == (date(2024, 4, 1), date(2024, 9, 30))


def test_dates_months_and_years() -> None:
    day = parse_period("2025-09-30")
    month = parse_period("2023-06")
    assert not isinstance(day, str) and not isinstance(month, str)
    assert day.is_instant and day.precision == "day"
    assert (month.start, month.end, month.precision) == (date(2023, 6, 1), date(2023, 6, 30), "month")


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("FY25", 'did you mean "FY2024"'),
        ("2025-02-30", "no such date"),
        ("2025-09-30/2025-01-01", "ends before it starts"),
        ("2025-13", "unknown period"),
    ],
)
def test_bad_periods(label: str, message: str) -> None:
    result = parse_period(label)
    assert isinstance(result, str)
    assert message in result


def test_kind_decides_which_periods_fit() -> None:
    fy, day, month = (parse_period(p) for p in ("FY2024", "2025-09-30", "2023-06"))
    assert not isinstance(fy, str) and not isinstance(day, str) and not isinstance(month, str)
    assert period_fits(METRICS["revenue"], fy) == ""
    assert "needs a duration" in period_fits(METRICS["revenue"], day)
    assert "needs a date" in period_fits(METRICS["cash_and_equivalents"], fy)
    assert period_fits(METRICS["funding_amount"], month) == ""
    assert "only events" in period_fits(METRICS["cash_and_equivalents"], month)


@pytest.mark.parametrize(
    ("text", "family", "currency", "scale"),
    [
        ("USD million", Family.MONEY, "USD", 1e6),
        ("RMB 億", Family.MONEY, "RMB", 1e8),
        ("CNY 万", Family.MONEY, "RMB", 1e4),
        ("HKD per share", Family.MONEY_PER_SHARE, "HKD", 1.0),
        ("USD million per month", Family.MONEY_PER_MONTH, "USD", 1e6),
        ("count 萬", Family.COUNT, None, 1e4),
        ("percent", Family.PERCENT, None, 1.0),
        ("times", Family.TIMES, None, 1.0),
    ],
)
def test_units(text: str, family: Family, currency: str | None, scale: float) -> None:
    unit = parse_unit(text)
    assert not isinstance(unit, str)
    assert (unit.family, unit.currency, unit.scale) == (family, currency, scale)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("EUR million", 'unknown currency "EUR"'),
        ("USD millions", 'unknown scale "millions"'),
        ("UDS million", "did you mean"),
    ],
)
def test_bad_units(text: str, message: str) -> None:
    result = parse_unit(text)
    assert isinstance(result, str) and message in result


def test_every_metric_has_a_definition() -> None:
    assert all(m.definition.endswith(".") for m in METRICS.values())


@pytest.mark.parametrize(
    ("metric", "segment", "key"), [("revenue", "", "revenue"), ("revenue", "talkie", "revenue[talkie]")]
)
def test_fact_keys_are_built_and_split_one_way(metric: str, segment: str, key: str) -> None:
    from minimetrics.registry import fact_key, split_key

    assert fact_key(metric, segment) == key
    assert split_key(key) == (metric, segment)


def test_every_ratio_names_known_metrics() -> None:
    from minimetrics.registry import RATIOS

    for ratio in RATIOS.values():
        assert {ratio.metric, ratio.numerator, ratio.denominator} <= set(METRICS), ratio
        assert METRICS[ratio.metric].family is Family.PERCENT


def test_the_margins_are_the_five_over_a_segments_own_revenue() -> None:
    # What metrics.MARGINS (figure → numerator, sign) said when the table moved here.
    from minimetrics.registry import MARGINS

    assert {r.metric: (r.numerator, r.sign) for r in MARGINS} == {
        "gross_margin": ("gross_profit", 1.0),
        "net_margin": ("net_loss", -1.0),
        "adjusted_net_margin": ("adjusted_net_loss", -1.0),
        "rd_to_revenue": ("rd_expense", 1.0),
        "sm_to_revenue": ("sm_expense", 1.0),
    }
    assert {r.denominator for r in MARGINS} == {"revenue"}
