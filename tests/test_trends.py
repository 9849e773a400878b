"""Series of reported figures for the charts: like periods only, the order asked for."""

import math

import pandas as pd

from minimetrics.results import Trend
from minimetrics.trends import trends


def _facts(*rows: tuple[str, str, str, str, float, str]) -> pd.DataFrame:
    """(company, metric, segment, period, amount, currency); NaN amount = not disclosed."""
    return pd.DataFrame(
        [
            {
                "company": c,
                "metric": m,
                "segment": s,
                "period": p,
                "amount": a,
                "currency": cur,
                "disclosed": not math.isnan(a),
                "preferred": True,
            }
            for c, m, s, p, a, cur in rows
        ]
    )


def test_full_years_and_each_interim_kind_are_separate_series() -> None:
    facts = _facts(
        ("acme", "revenue", "", "FY2023", 3.5e6, "USD"),
        ("acme", "revenue", "", "FY2025", 79e6, "USD"),
        ("acme", "revenue", "", "9M2024", 19.45e6, "USD"),
        ("acme", "revenue", "", "9M2025", 53.4e6, "USD"),
        ("acme", "revenue", "", "Q4-2025", 25.6e6, "USD"),  # one quarter: no trajectory
        ("acme", "revenue", "consumer", "FY2024", 1e6, "USD"),  # a segment: not the total
        ("acme", "revenue", "", "2022-01-01/2025-09-30", 1e8, "USD"),  # a span: not a named period
    )
    assert trends(facts, ["acme"], ["revenue"]) == (
        # FY2024 is not reported: absent, not zero (the chart shows "–" and "·")
        Trend("acme", "revenue", "FY", "USD", ((2023, 3.5e6), (2025, 79e6))),
        Trend("acme", "revenue", "9M", "USD", ((2024, 19.45e6), (2025, 53.4e6))),
    )


def test_not_disclosed_is_nan_and_order_follows_the_request() -> None:
    facts = _facts(
        ("acme", "net_loss", "", "FY2023", 10e6, "USD"),
        ("acme", "net_loss", "", "FY2024", math.nan, ""),
        ("beta", "revenue", "", "H1-2024", 4.49e7, "RMB"),
        ("beta", "revenue", "", "H1-2025", 1.909e8, "RMB"),
        ("acme", "revenue", "", "FY2023", 1e6, "USD"),
        ("acme", "revenue", "", "FY2024", 2e6, "USD"),
    )
    found = trends(facts, ["beta", "acme"], ["revenue", "net_loss"])
    assert [(t.company, t.metric, t.kind) for t in found] == [
        ("beta", "revenue", "H1"),
        ("acme", "revenue", "FY"),
        ("acme", "net_loss", "FY"),
    ]
    loss = found[2]
    undisclosed = loss.get(2024)
    assert loss.get(2023) == 10e6 and loss.get(2022) is None
    assert undisclosed is not None and math.isnan(undisclosed)
