"""Range arithmetic: intervals from rounding and qualifiers, and stated vs implied."""

import math
from dataclasses import dataclass

import pytest

from minimetrics.factsheet import Report
from minimetrics.ranges import (
    Implied,
    Interval,
    bounds,
    implied_growth,
    implied_ratio,
    overlap,
    quotient,
    width,
)
from minimetrics.registry import parse_unit


@dataclass(frozen=True)
class Written:
    """A figure as a sheet writes it: its value, its precision and its qualifier."""

    value: float
    decimals: int = 0
    qualifier: str = "exact"

    @property
    def amount(self) -> float:
        return self.value

    def bounds(self) -> Interval:
        return bounds(self.value, self.decimals, self.qualifier)


def _close(found: Interval | None, expected: Interval, tolerance: float = 1e-9) -> bool:
    """Both ends within ``tolerance`` (the hand-computed ends below are written to 3 or 4 places)."""
    pairs = zip(found or (), expected, strict=False)
    return found is not None and all(math.isclose(a, b, abs_tol=tolerance) for a, b in pairs)


@pytest.mark.parametrize(
    ("value", "decimals", "qualifier", "expected"),
    [
        (30.5, 1, "exact", (30.45, 30.55)),  # written with one decimal: ± 0.05
        (30.52, 2, "exact", (30.515, 30.525)),  # two decimals: ± 0.005
        (1500, -2, "exact", (1450, 1550)),  # trailing zeros as rounding: ± 50
        (3, 0, "exact", (2.7, 3.3)),  # ± 0.5 would be 17 %: capped at 10 % of 3 = ± 0.3
        (-3, 0, "exact", (-3.3, -2.7)),  # the cap is 10 % of the size, whatever the sign
        (0, 0, "exact", (-0.5, 0.5)),  # zero has no 10 %: half a unit
        (100, 0, "about", (99.5 - 4.975, 100.5 + 5.025)),  # 99.5 to 100.5, then 5 % of each end
        (-100, 0, "about", (-100.5 - 5.025, -99.5 + 4.975)),  # 5 % outwards on a negative figure too
        (11, 0, "more_than", (11, math.inf)),  # open above
        (11, 0, "less_than", (-math.inf, 11)),  # open below
    ],
)
def test_bounds(value: float, decimals: int, qualifier: str, expected: Interval) -> None:
    assert _close(bounds(value, decimals, qualifier), expected)


def test_bounds_apply_the_scale_to_both_ends() -> None:
    # 1.2億 written with one decimal: 1.15 to 1.25 × 10^8
    assert _close(bounds(1.2, 1, "exact", 1e8), (1.15e8, 1.25e8))


def test_a_report_allows_what_ranges_computes() -> None:
    unit = parse_unit("USD million")
    assert not isinstance(unit, str)
    report = Report(30.5, unit, "s", decimals=1)
    assert report.bounds() == bounds(30.5, 1, "exact", 1e6)
    assert _close(report.bounds(), (30.45e6, 30.55e6))


def test_overlap_and_width() -> None:
    assert overlap((1, 2), (2, 3))  # touching ends share the value 2
    assert not overlap((1, 2), (2.01, 3))
    assert overlap((11, math.inf), (-math.inf, 12))  # more than 11 and less than 12
    assert width((30.45, 30.55)) == pytest.approx(0.1)
    assert width((11, math.inf)) == math.inf


@pytest.mark.parametrize(
    ("top", "bottom", "expected"),
    [
        ((10.0, 20.0), (4.0, 5.0), (2.0, 5.0)),  # 10 ÷ 5 = 2 to 20 ÷ 4 = 5
        ((-20.0, -10.0), (4.0, 5.0), (-5.0, -2.0)),  # −20 ÷ 4 = −5 to −10 ÷ 5 = −2
        ((-1.0, 1.0), (2.0, 4.0), (-0.5, 0.5)),  # −1 ÷ 2 to 1 ÷ 2: the divisor's low end gives both extremes
    ],
)
def test_quotient(top: Interval, bottom: Interval, expected: Interval) -> None:
    assert _close(quotient(top, bottom), expected)


@pytest.mark.parametrize(
    "bottom",
    [
        (0.0, 1.0),  # may be zero
        (-0.5, 0.5),  # zero written as 0
        (-2.0, -1.0),  # wholly negative: the one rule refuses it too
        (0.0, math.inf),  # "more than 0"
    ],
)
def test_quotient_refuses_a_denominator_that_may_be_zero_or_negative(bottom: Interval) -> None:
    assert quotient((1.0, 2.0), bottom) is None


def test_implied_margin_from_rounded_amounts() -> None:
    # gross profit 30.5 (30.45 to 30.55) on revenue 100 (99.5 to 100.5):
    # 30.45 ÷ 100.5 = 30.2985 % to 30.55 ÷ 99.5 = 30.7035 %; as written 30.5 ÷ 100 = 30.5 %.
    implied = implied_ratio(Written(30.5, 1), Written(100))
    assert implied is not None
    assert implied.value == pytest.approx(30.5)
    assert _close((implied.low, implied.high), (30.2985, 30.7035), 1e-4)
    assert implied.allows(bounds(30.7, 1))  # 30.65 to 30.75 meets 30.7035
    assert not implied.allows(bounds(30.8, 1))  # 30.75 to 30.85 is above 30.7035


def test_implied_margin_of_a_loss_is_negative() -> None:
    # net loss 46.5 (46.45 to 46.55) on revenue 100 (99.5 to 100.5), sign −1:
    # −46.55 ÷ 99.5 = −46.784 % to −46.45 ÷ 100.5 = −46.219 %
    implied = implied_ratio(Written(46.5, 1), Written(100), -1.0)
    assert implied is not None
    assert implied.value == pytest.approx(-46.5)
    assert _close((implied.low, implied.high), (-46.784, -46.219), 1e-3)


def test_implied_growth_from_rounded_amounts() -> None:
    # revenue 120 (119.5 to 120.5) after 100 (99.5 to 100.5):
    # 119.5 ÷ 100.5 − 1 = 18.9055 % to 120.5 ÷ 99.5 − 1 = 21.1055 %; as written 20 %.
    implied = implied_growth(Written(120), Written(100))
    assert implied is not None
    assert implied.value == pytest.approx(20.0)
    assert _close((implied.low, implied.high), (18.9055, 21.1055), 1e-4)
    assert implied.allows(bounds(21, 0))  # 20.5 to 21.5 meets 21.1055
    assert not implied.allows(bounds(22, 0))  # 21.5 to 22.5 is above it


def test_growth_from_a_figure_written_zero_uses_every_corner() -> None:
    # revenue 0 (−0.5 to 0.5) after 10 (9.5 to 10.5): −0.5 ÷ 9.5 − 1 = −105.263 % is the low end,
    # not −0.5 ÷ 10.5 − 1 = −104.762 %.
    implied = implied_growth(Written(0), Written(10))
    assert implied is not None
    assert implied.low == pytest.approx((-0.5 / 9.5 - 1) * 100)
    assert implied.high == pytest.approx((0.5 / 9.5 - 1) * 100)


@pytest.mark.parametrize(
    "base",
    [
        Written(0),  # written 0: −0.5 to 0.5, may be zero
        Written(-5),  # negative: growth from a loss means nothing
        Written(0, 0, "more_than"),  # more than 0: may be as small as zero
    ],
)
def test_no_implied_figure_over_a_base_that_may_be_zero_or_negative(base: Written) -> None:
    assert implied_growth(Written(10), base) is None
    assert implied_ratio(Written(10), base) is None


def test_an_about_figure_is_wider_than_an_exact_one() -> None:
    # implied 104 to 106: "about 100" (94.525 to 105.525) meets it; an exact 100 (99.5 to 100.5) does not.
    implied = Implied(105.0, 104.0, 106.0)
    assert implied.allows(bounds(100, 0, "about"))
    assert not implied.allows(bounds(100, 0))


def test_at_least_and_at_most_are_closed_half_lines() -> None:
    # 七成以上 → at least 70: [70, ∞); 不超过 33,577,240 → at most: (−∞, 33,577,240].
    assert bounds(70, -1, "at_least") == (70.0, math.inf)
    assert bounds(33577240, 1, "at_most") == (-math.inf, 33577240.0)
    # a scale applies to the written end: at least 1億 = 100,000,000
    assert bounds(1, 0, "at_least", 1e8) == (1e8, math.inf)


def test_a_range_is_widened_by_the_rounding_of_each_end() -> None:
    # 38.34億 to 41.89億: 38.34 − 0.005 = 38.335, 41.89 + 0.005 = 41.895 (× 1e8)
    low, high = bounds(38.34, 2, "range", 1e8, 41.89, 2)
    assert (round(low), round(high)) == (3_833_500_000, 4_189_500_000)
    # 70 %–80 % written as whole tens: 70 − 5 = 65 and 80 + 5 = 85 (5 is under the 10 % cap of 7 and 8)
    assert bounds(70, -1, "range", 1.0, 80, -1) == (65.0, 85.0)
    # 151.0–165.0 (one decimal): 150.95 to 165.05
    low, high = bounds(151.0, 1, "range", 1.0, 165.0, 1)
    assert (round(low, 6), round(high, 6)) == (150.95, 165.05)


def test_range_conflicts_by_overlap() -> None:
    # 461.23–503.99億 (461.225 to 503.995) meets about 500億 (499.5 − 24.975 = 474.525 to
    # 500.5 + 25.025 = 525.525) but not an exact 510億 (509.5 to 510.5).
    stated = bounds(461.23, 2, "range", 1.0, 503.99, 2)
    assert overlap(stated, bounds(500, -2, "about"))
    assert not overlap(stated, bounds(510, -1))
    # more than 70 (70 to ∞) meets 70–80 (65 to 85); less than 60 (−∞ to 60) does not
    range_70_80 = bounds(70, -1, "range", 1.0, 80, -1)
    assert overlap(bounds(70, -1, "more_than"), range_70_80)
    assert not overlap(bounds(60, -1, "less_than"), range_70_80)
