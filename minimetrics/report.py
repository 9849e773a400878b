"""The full comparison report: every section and chart as data, for one renderer to lay out.

``build_report`` gathers what the other commands compute (comparison, growth, margins,
runway with its bases and scenarios, conflicts, claims, sources) and the series the
charts draw. Nothing here formats text or reads a clock: the as-of date is an argument,
so the same data and the same date give the same report.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from minimetrics.analysis import UnknownFigureError, claims_table, comparison, growth_table, margin_table, runway_table
from minimetrics.dataset import Dataset, find_company, summarize
from minimetrics.factsheet import FxRate
from minimetrics.history import known_on
from minimetrics.metrics import RunwayOptions, margins, runway
from minimetrics.registry import named_period
from minimetrics.results import (
    Chart,
    CompanySources,
    ConflictEntry,
    Point,
    Report,
    Runway,
    Scenario,
    Series,
    SourceRef,
    Status,
)
from minimetrics.tidy import facts_frame

__all__ = ["Chart", "CompanySources", "ConflictEntry", "Point", "Report", "Scenario", "Series", "build_report"]

# Burn grows this many percent a month in the runway scenarios (0: as reported).
BURN_GROWTH_SCENARIOS = (0.0, 5.0, 10.0)


def build_report(
    data: Dataset,
    companies: list[str],
    as_of: date,
    currency: str = "USD",
    overrides: dict[tuple[str, str], float] | None = None,
) -> Report:
    """The whole comparison of ``companies`` (default: every company) as of ``as_of``.

    ``as_of`` dates the report: only sources published by that day count (``history.known_on``),
    rates are those known then, it is shown, it measures how old each company's newest
    source is, and how many months of the runway are left on that day.
    """
    overrides = overrides or {}
    data = known_on(data, as_of)
    ids = [find_company(data, c).company.id for c in companies] if companies else data.ids
    if len(set(ids)) != len(ids):
        raise UnknownFigureError("a company is named twice", "name each company once")
    frame = facts_frame(data.sheets)
    frame = frame[frame["company"].isin(ids)]
    rates = data.fx.rates if data.fx else ()
    detail = runway_table(data, ids, RunwayOptions(overrides=overrides, as_of=as_of), detail=True)
    return Report(
        as_of=as_of,
        companies=tuple(s for s in summarize(data) if s.id in ids),
        currency=currency,
        comparison=comparison(data, ids, currency, overrides, None, as_of) if len(ids) > 1 else None,
        growth=growth_table(data, ids),
        margins=margin_table(data, ids),
        runway=detail,
        scenarios=_scenarios(frame, rates, overrides, as_of),
        conflicts=_conflicts(data, ids),
        claims=claims_table(data, ids),
        sources=tuple(_sources(data, company) for company in ids),
        fx_sources=tuple(
            SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url)
            for s in (data.fx.sources if data.fx else ())
        ),
        charts=(*_revenue_charts(frame, ids), *_margin_charts(frame, ids), *_runway_charts(detail.runways, ids)),
        warnings=tuple(str(p) for p in data.warnings),
    )


def _scenarios(
    frame: pd.DataFrame, rates: tuple[FxRate, ...], overrides: dict[tuple[str, str], float], as_of: date
) -> tuple[Scenario, ...]:
    """Each company's default basis as reported, with burn growing, and with IPO net proceeds added."""
    cases = [
        (
            f"burn +{g:g}% a month" if g else "as reported",
            RunwayOptions(with_ipo=False, monthly_growth=g, overrides=overrides, as_of=as_of),
        )
        for g in BURN_GROWTH_SCENARIOS
    ]
    cases.append(("with IPO net proceeds", RunwayOptions(with_ipo=True, overrides=overrides, as_of=as_of)))
    scenarios = []
    for name, options in cases:
        ran = runway(frame, rates, options)
        for r in ran[ran["default"]].to_dict("records"):
            months = float(r["months"])
            scenarios.append(
                Scenario(
                    str(r["company"]),
                    name,
                    months,
                    Status(r["status"]),
                    r["runs_out"] or None,
                    str(r["cash_date"]),
                    float(r["months_left"]),
                    f"{r['burn_basis']} / {r['cash_basis']}" + (" + ipo" if r["with_ipo"] else ""),
                )
            )
    order = {name: i for i, (name, _) in enumerate(cases)}
    return tuple(sorted(scenarios, key=lambda s: (s.company, order[s.scenario])))


def _conflicts(data: Dataset, ids: list[str]) -> tuple[ConflictEntry, ...]:
    entries = []
    for company in ids:
        sheet = find_company(data, company)
        for fact in (f for f in sheet.facts if f.conflict):
            versions = tuple(
                (
                    r.value,
                    r.unit.text if r.unit else "",
                    r.qualifier,
                    r.source,
                    sheet.source(r.source).rank,
                    i == fact.preferred,
                )
                for i, r in enumerate(fact.reports)
            )
            status = (
                "unresolved"
                if fact.unresolved
                else f"reviewed: {fact.resolution}"
                if fact.resolution
                else "settled by rank"
            )
            entries.append(ConflictEntry(company, fact.key, fact.period.label, versions, status))
    return tuple(entries)


def _sources(data: Dataset, company: str) -> CompanySources:
    sheet = find_company(data, company)
    return CompanySources(
        company,
        tuple(
            (SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url), s.kind, s.rank) for s in sheet.sources
        ),
    )


# --- Charts ------------------------------------------------------------------------------
# Only like with like: a chart's categories are periods of one length (full years, or
# first halves...), so a nine-month figure never stands beside a year.


# A chart's name for each kind of named period; a date or an interval is in no chart.
_LENGTH_GROUPS = {"FY": "full years", "9M": "nine months", "H1": "first halves", "H2": "second halves"}


def _length_group(label: str) -> str:
    named = named_period(label)
    if named is None:
        return ""
    return _LENGTH_GROUPS.get(named.kind, named.kind)  # a quarter is its own group: "Q1"…"Q4"


def _revenue_charts(frame: pd.DataFrame, ids: list[str]) -> list[Chart]:
    """Per company, revenue in its own currency for each period length it reports twice or more."""
    charts = []
    rows = frame[(frame["metric"] == "revenue") & (frame["segment"] == "") & frame["preferred"] & frame["disclosed"]]
    for company in ids:
        mine = rows[rows["company"] == company].sort_values("period_end")
        groups: dict[str, list[tuple[str, float, str]]] = {}
        for r in mine.to_dict("records"):
            group = _length_group(str(r["period"]))
            if group:
                groups.setdefault(group, []).append((str(r["period"]), float(r["amount"]) / 1e6, str(r["currency"])))
        for group, points in groups.items():
            if len(points) < 2:
                continue
            unit = f"{points[0][2]} million"
            charts.append(
                Chart(
                    f"revenue-{company}-{group.replace(' ', '-').lower()}",
                    f"{company} revenue, {group}",
                    unit,
                    tuple(p[0] for p in points),
                    (Series(company, tuple(Point(p[0], p[1]) for p in points)),),
                )
            )
    return charts


def _margin_charts(frame: pd.DataFrame, ids: list[str]) -> list[Chart]:
    """Gross and adjusted net margin by full year, the companies side by side (a ratio needs no currency)."""
    figures = margins(frame)
    charts = []
    for name, title in (("gross_margin", "Gross margin"), ("adjusted_net_margin", "Adjusted net margin")):
        rows = figures[(figures["figure"] == name) & (figures["segment"] == "")]
        named = {label: named_period(label) for label in set(rows["period"])}
        full = {label: n.year for label, n in named.items() if n is not None and n.kind == "FY"}
        rows = rows[rows["period"].isin(list(full))]
        years = tuple(sorted(full, key=full.__getitem__))
        if not years:
            continue
        series = []
        for company in ids:
            mine = {str(r["period"]): r for r in rows[rows["company"] == company].to_dict("records")}
            points = tuple(
                Point(year, float(mine[year]["value"]), Status(mine[year]["status"]))
                if year in mine
                else Point(year, math.nan, Status.MISSING)
                for year in years
            )
            series.append(Series(company, points))
        charts.append(Chart(f"margin-{name.replace('_', '-')}", f"{title} by full year", "%", years, tuple(series)))
    return charts


def _runway_charts(detail: tuple[Runway, ...], ids: list[str]) -> list[Chart]:
    """Per company, months of cash left on every basis the data supports."""
    charts = []
    for company in ids:
        mine = [r for r in detail if r.company == company]
        if not mine:
            continue
        points = tuple(
            Point(f"{r.burn_basis} / {r.cash_basis}" + (" + ipo" if r.with_ipo else ""), r.months, r.status)
            for r in mine
        )
        cash_dates = ", ".join(sorted({str(r.cash_date) for r in mine}))
        charts.append(
            Chart(
                f"runway-{company}",
                f"{company} runway by basis",
                "months",
                tuple(p.label for p in points),
                (Series(company, points),),
                horizontal=True,
                note=f"months from the cash date ({cash_dates}); burn basis / cash basis",
            )
        )
    return charts
