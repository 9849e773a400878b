"""Range arithmetic: the interval a written figure allows, and what amounts imply.

A figure written 30.5 may be anything from 30.45 to 30.55; a ratio computed from
two rounded amounts is an interval too. A stated figure "reproduces" when its
interval meets the one implied by the amounts. The factsheet (which reports agree),
the cross-checks and the claims all use these functions, so they agree with each
other on rounding and on when a denominator counts as zero.

Intervals are ``(low, high)`` in whole units (the figure times its unit's scale);
an open side is ``-inf`` or ``inf``. A range (low–high) has no point value: whatever
is computed from it is an interval too, never the midpoint.
"""

from __future__ import annotations

import math
from typing import Protocol

from minimetrics.records import Record

Interval = tuple[float, float]
ABOUT_TOLERANCE = 0.05  # "about" (約/近) is taken to mean within 5 %
ROUNDING_CAP = 0.10  # an exact figure's rounding never allows more than 10 % either way


def bounds(
    value: float,
    decimals: int = 0,
    qualifier: str = "exact",
    scale: float = 1.0,
    high: float | None = None,
    high_decimals: int = 0,
) -> Interval:
    """The interval of whole-unit amounts a figure allows (see README, Conflicts).

    ``decimals`` is how precisely it was written: digits after the point, or minus
    the trailing zeros of a whole number (1500 → -2). An exact figure allows half a
    unit of its last written digit either way, but never more than 10 % of the figure
    (a source that writes 1億 for 0.53億 would have said "about"). "about" widens
    that by 5 % of each end. The bounds are open on one side and take the figure as
    written: "at_least" v is [v, ∞), "at_most" v is (−∞, v]. "more_than" and
    "less_than" give the same intervals: every interval here includes its ends (a
    rounding interval's edge is itself a matter of convention), so whether v itself is
    allowed never decides an agreement; the words stay apart in the data. A "range" is
    ``value`` (its low end) to ``high``, each end widened by its own rounding.

    >>> bounds(30.5, 1)  # half of 0.1 either way
    (30.45, 30.55)
    >>> bounds(1500, -2)  # half of 100 either way
    (1450.0, 1550.0)
    >>> bounds(3, 0)  # half of 1 would be 17 %: capped at 10 % of 3
    (2.7, 3.3)
    >>> bounds(100, 0, "about")  # 99.5 − 4.975 and 100.5 + 5.025
    (94.525, 105.525)
    >>> bounds(11, 0, "at_least", 1e8), bounds(33577240, 1, "at_most")
    ((1100000000.0, inf), (-inf, 33577240.0))
    >>> bounds(11, 0, "more_than", 1e8), bounds(1 / 3 * 100, 2, "less_than")
    ((1100000000.0, inf), (-inf, 33.33333333333333))
    >>> bounds(38.34, 2, "range", 1.0, 41.89, 2)  # 38.34 − 0.005 to 41.89 + 0.005
    (38.335, 41.895)
    """
    if qualifier in ("at_least", "more_than"):
        return value * scale, math.inf
    if qualifier in ("at_most", "less_than"):
        return -math.inf, value * scale
    if qualifier == "range":
        assert high is not None  # the reader refuses a range without both ends
        return (value - _half(value, decimals)) * scale, (high + _half(high, high_decimals)) * scale
    half = _half(value, decimals)
    low, top = (value - half) * scale, (value + half) * scale
    if qualifier == "about":
        low, top = low - abs(low) * ABOUT_TOLERANCE, top + abs(top) * ABOUT_TOLERANCE
    return low, top


def _half(value: float, decimals: int) -> float:
    """Half a unit of the last written digit, capped at 10 % of the figure (not for zero)."""
    unit = 0.5 * 10.0 ** (-decimals)
    return min(unit, ROUNDING_CAP * abs(value)) if value else unit


def overlap(a: Interval, b: Interval) -> bool:
    """Whether two intervals share a value: both figures can be true at once.

    >>> overlap((1, 2), (2, 3)), overlap((1, 2), (2.5, 3))
    (True, False)
    """
    return a[0] <= b[1] and b[0] <= a[1]


def width(a: Interval) -> float:
    """How much an interval allows (``inf`` for an open one): the smaller, the more precise.

    >>> width((30.45, 30.55)) < width((30.0, 31.0))
    True
    """
    return a[1] - a[0]


def quotient(top: Interval, bottom: Interval) -> Interval | None:
    """Every value of top ÷ bottom; None when the denominator may be zero or negative.

    The one rule for a denominator: its interval must lie wholly above zero. A ratio
    over a base that may be zero is no figure, and one over a negative base (growth
    from a loss) means nothing, so neither is compared with a stated figure.

    >>> quotient((10.0, 20.0), (4.0, 5.0))  # 10 ÷ 5 and 20 ÷ 4
    (2.0, 5.0)
    >>> quotient((-1.0, 1.0), (2.0, 4.0))  # −1 ÷ 2 and 1 ÷ 2
    (-0.5, 0.5)
    >>> quotient((1.0, 2.0), (0.0, 1.0)) is None, quotient((1.0, 2.0), (-2.0, -1.0)) is None
    (True, True)
    """
    if bottom[0] <= 0:
        return None
    corners = [a / b for a in top for b in bottom]
    return min(corners), max(corners)


class Measured(Protocol):
    """A disclosed figure: its amount as written (whole units) and the interval it allows."""

    @property
    def amount(self) -> float | None: ...

    def bounds(self) -> Interval: ...


class Implied(Record):
    """What a sheet's amounts imply for a stated figure, in percent: ``value`` from the
    amounts as written, ``low`` to ``high`` from every value their rounding allows."""

    value: float
    low: float
    high: float

    def allows(self, stated: Interval) -> bool:
        """Whether a stated figure's interval meets the implied one: it reproduces."""
        return overlap(stated, (self.low, self.high))


def implied_ratio(top: Measured, bottom: Measured, sign: float = 1.0) -> Implied | None:
    """``sign`` × top ÷ bottom × 100; None when the bottom may be zero or negative.

    >>> r = implied_ratio(_Figure(30.5, 1), _Figure(100.0, 0))  # 30.45÷100.5 to 30.55÷99.5
    >>> r.value, round(r.low, 4), round(r.high, 4)
    (30.5, 30.2985, 30.7035)
    >>> implied_ratio(_Figure(30.5, 1), _Figure(0.0, 0)) is None  # 0 may be −0.5 to 0.5
    True
    """
    low, high = top.bounds()
    span = quotient((sign * low, sign * high), bottom.bounds())
    if span is None:
        return None
    return Implied(sign * _amount(top) / _amount(bottom) * 100, span[0] * 100, span[1] * 100)


def implied_growth(now: Measured, before: Measured) -> Implied | None:
    """(now ÷ before − 1) × 100; None when the earlier figure may be zero or negative.

    >>> g = implied_growth(_Figure(120.0, 0), _Figure(100.0, 0))  # 119.5÷100.5 − 1 to 120.5÷99.5 − 1
    >>> round(g.value, 6), round(g.low, 4), round(g.high, 4)
    (20.0, 18.9055, 21.1055)
    """
    span = quotient(now.bounds(), before.bounds())
    if span is None:
        return None
    return Implied((_amount(now) / _amount(before) - 1) * 100, (span[0] - 1) * 100, (span[1] - 1) * 100)


def _amount(figure: Measured) -> float:
    amount = figure.amount
    assert amount is not None  # a figure with bounds is disclosed
    return amount


class _Figure(Record):
    """A plain figure for the examples above."""

    amount: float
    decimals: int

    def bounds(self) -> Interval:
        return bounds(self.amount, self.decimals)
