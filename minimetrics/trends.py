"""Reported figures year after year, one series per company, metric and kind of period.

A series holds only like periods: full years together, each kind of interim (first
nine months, first half, a quarter) on its own, so a nine-month figure is never put
in a line of full years. Pure: frame in, records out; the renderer draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from minimetrics.registry import named_period
from minimetrics.results import Trend

__all__ = ["Trend", "trends"]

# Full years first, then the longer interims: the order the rows are shown in.
KIND_ORDER = ("FY", "9M", "H2", "H1", "Q4", "Q3", "Q2", "Q1")


def trends(facts: pd.DataFrame, companies: Sequence[str], metrics: Sequence[str]) -> tuple[Trend, ...]:
    """The series of ``metrics`` (totals, no segments) for ``companies``, in the order given.

    Only named periods (FY2024, 9M2025, H1-2025, Q4-2025) count; a kind of period
    with fewer than two years is no trajectory and is left out. A company that
    wrote one kind in two currencies gets a series per currency.
    """
    used = facts[
        facts["company"].isin(list(companies))
        & facts["metric"].isin(list(metrics))
        & (facts["segment"] == "")
        & facts["preferred"]
    ]
    groups: dict[tuple[str, str, str], list[tuple[int, float, str]]] = {}
    # Column lists zipped, not a dict per row (``to_dict("records")`` costs more than the rest).
    columns = ("company", "metric", "period", "amount", "disclosed", "currency")
    for company, metric, period, amount, disclosed, currency in zip(*(used[c].tolist() for c in columns), strict=True):
        named = named_period(str(period))
        if named is None:
            continue
        key = (str(company), str(metric), named.kind)
        groups.setdefault(key, []).append((named.year, float(amount) if disclosed else math.nan, str(currency)))
    found = []
    for (company, metric, kind), points in groups.items():
        # A "not disclosed" report has no currency: it belongs to every series of its kind.
        for currency in sorted({c for _, _, c in points if c}):
            mine = tuple(sorted((y, a) for y, a, c in points if c in (currency, "")))
            if len(mine) >= 2:
                found.append(Trend(company, metric, kind, currency, mine))
    order = {
        (c, m, k): (i, j, n)
        for i, c in enumerate(companies)
        for j, m in enumerate(metrics)
        for n, k in enumerate(KIND_ORDER)
    }
    return tuple(sorted(found, key=lambda t: (order[(t.company, t.metric, t.kind)], t.currency)))
