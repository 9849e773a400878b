"""The full comparison report: every section and chart as data, for one renderer to lay out.

``build_report`` gathers what the other commands compute (comparison, growth, margins,
runway with its bases and scenarios, the path to breakeven with its sensitivity grid,
conflicts, claims, dated events, sources) and the series the charts draw. Nothing here
formats text or reads a clock: the as-of date is an argument, so the same data and the
same date give the same report.

Linear in the number of companies: the facts are framed once and split by company with
one ``groupby``, and sheets are looked up by id in a dict, never by a search per company.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from minimetrics.analysis import claims_table, comparison, growth_table, margin_table, runway_table
from minimetrics.breakeven import BreakevenOptions, add_months, breakeven_grid
from minimetrics.dataset import Dataset, FrameData, find_company, summarize
from minimetrics.factsheet import FactSheet, FxRate
from minimetrics.history import known_on
from minimetrics.metrics import RUNWAY_METRICS, RunwayOptions, runway
from minimetrics.problems import UnknownFigureError
from minimetrics.registry import METRICS, Family, named_period
from minimetrics.results import (
    Breakeven,
    BreakevenGrid,
    BreakevenGridTable,
    Chart,
    CompanySources,
    ConflictEntry,
    Figure,
    Input,
    Point,
    Report,
    Runway,
    Scenario,
    Series,
    SourceRef,
    Status,
    TimelineEvent,
)
from minimetrics.tidy import facts_frame

__all__ = [
    "Chart",
    "CompanySources",
    "ConflictEntry",
    "Point",
    "Report",
    "Scenario",
    "Series",
    "TimelineEvent",
    "build_report",
]

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
    source is, how many months of the runway are left on that day, and months to breakeven
    from it. The path to breakeven uses breakeven's defaults (adjusted net loss, growth from
    the data, the cash balance without IPO money, ten years).
    """
    overrides = overrides or {}
    data = known_on(data, as_of)
    ids = [find_company(data, c).company.id for c in companies] if companies else data.ids
    if len(set(ids)) != len(ids):
        raise UnknownFigureError("a company is named twice", "name each company once")
    sheets = {s.company.id: s for s in data.sheets}
    frame = facts_frame([sheets[i] for i in ids])
    # The tables' core functions read this one frame (in folder order, as they frame it), not
    # framing the records again each.
    chosen = set(ids)
    in_order = [s.company.id for s in data.sheets if s.company.id in chosen]
    framed = FrameData(
        data.folders,
        frame if in_order == ids else facts_frame([sheets[i] for i in in_order]),
        data.fx,
        data.warnings,
        tuple(in_order),
        tuple(frozenset() for _ in in_order),
        data.broken,
    )
    rates = data.fx.rates if data.fx else ()
    detail = runway_table(framed, ids, RunwayOptions(overrides=overrides, as_of=as_of), detail=True)
    margin_figures = margin_table(framed, ids)
    grids = breakeven_grid(frame, rates, BreakevenOptions(as_of=as_of, overrides=overrides))
    inferred = _inferred_index(frame)
    grids = tuple(_with_sources(grid, sheets, data, inferred) for grid in grids)
    return Report(
        as_of=as_of,
        companies=tuple(s for s in summarize(data) if s.id in ids),
        currency=currency,
        comparison=comparison(framed, ids, currency, overrides, None, as_of) if len(ids) > 1 else None,
        growth=growth_table(framed, ids),
        margins=margin_figures,
        runway=detail,
        scenarios=_scenarios(frame, rates, overrides, as_of),
        conflicts=_conflicts([sheets[i] for i in ids]),
        claims=claims_table(data, ids),
        sources=tuple(_sources(sheets[company]) for company in ids),
        fx_sources=tuple(
            SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url)
            for s in (data.fx.sources if data.fx else ())
        ),
        charts=(
            *_revenue_charts(frame, ids),
            *_margin_charts(margin_figures.figures, ids),
            *_runway_charts(detail.runways, ids),
            *(chart for grid in grids if (chart := _projection_chart(grid.base)) is not None),
        ),
        warnings=tuple(str(p) for p in data.warnings),
        breakeven=BreakevenGridTable(as_of, grids),
        events=_events(frame),
    )


# --- Dates the sources do not state --------------------------------------------------------


def _inferred(row: Mapping[Hashable, object]) -> str:
    """What a report of the frame rests on that its source does not state, in words ("" for nothing)."""
    said = [
        words
        for words, column in (
            ("publication date inferred", "published_inferred"),
            ("period inferred", "period_inferred"),
        )
        if row[column]
    ]
    return ", ".join(said)


def _inferred_index(frame: pd.DataFrame) -> dict[tuple[str, str, str, str], str]:
    """(company, metric, period, source) → what is inferred, for every report that rests on an inferred date."""
    marked = frame[frame["published_inferred"] | frame["period_inferred"]]
    return {
        (str(r["company"]), str(r["metric"]), str(r["period"]), str(r["source"])): _inferred(r)
        for r in marked.to_dict("records")
    }


def _with_sources(
    grid: BreakevenGrid, sheets: dict[str, FactSheet], data: Dataset, inferred: dict[tuple[str, str, str, str], str]
) -> BreakevenGrid:
    """The grid with its base case's sources, and each input marked where its date is inferred."""
    record = grid.base
    sheet = sheets[record.company]
    known = {s.id: s for s in (*sheet.sources, *(data.fx.sources if data.fx else ()))}
    cited = dict.fromkeys(part.strip() for item in record.inputs for part in item.source.split(","))

    def mark(item: Input) -> Input:
        found = inferred.get((record.company, item.key, item.period, item.source), "")
        return replace(item, inferred=found) if found and not item.inferred else item

    base = record.base and replace(record.base, revenue=mark(record.base.revenue), loss=mark(record.base.loss))
    cash = record.cash and replace(record.cash, balance=mark(record.cash.balance))
    return replace(
        grid,
        base=replace(
            record,
            base=base,
            cash=cash,
            sources=tuple(
                SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url)
                for s in (known[c] for c in cited if c in known)
            ),
        ),
    )


# --- Events ---------------------------------------------------------------------------------

# Events with no figure (a listing, a launch, the founding); a plan (``planned_listing``) is not an event.
_EVENTS = frozenset(m.name for m in METRICS.values() if m.family is Family.NONE and not m.outlook)


def _events(frame: pd.DataFrame) -> tuple[TimelineEvent, ...]:
    """Every dated event in the sheets, oldest first: one per company, event, segment and date, every source kept.

    A date the sources give differently (the founding: "end of 2021", "2022") is two events,
    each with its own sources: the timeline keeps both, as the sheet does.
    """
    rows = frame[frame["metric"].isin(_EVENTS) & (frame["outlook"] == "")]
    events = []
    for (company, metric, segment, period), group in rows.groupby(
        ["company", "metric", "segment", "period"], sort=False
    ):
        reports = group.to_dict("records")
        shown = next((r for r in reports if r["preferred"]), reports[0])
        # An event's own date is what matters here; an undated article dates nothing but itself.
        inferred = "date inferred" if any(r["period_inferred"] for r in reports) else ""
        events.append(
            (
                pd.Timestamp(shown["period_start"]).date(),
                TimelineEvent(
                    str(company),
                    str(period),
                    str(metric),
                    str(segment),
                    str(shown["note"] or ""),
                    tuple(dict.fromkeys(str(r["source"]) for r in reports)),
                    inferred,
                ),
            )
        )
    events.sort(key=lambda e: (e[0], e[1].company, e[1].metric, e[1].segment))
    return tuple(event for _, event in events)


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
    frame = frame[frame["metric"].isin(RUNWAY_METRICS)]
    scenarios = []
    for name, options in cases:
        ran = runway(frame, rates, options, default_only=True)
        for r in ran.to_dict("records"):
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
                    str(r["scenario"]),
                    "; ".join(f"{i.key} {i.period}: {i.inferred}" for i in r["inputs"] if i.inferred),
                )
            )
    order = {name: i for i, (name, _) in enumerate(cases)}
    return tuple(sorted(scenarios, key=lambda s: (s.company, order[s.scenario])))


def _conflicts(sheets: Sequence[FactSheet]) -> tuple[ConflictEntry, ...]:
    entries = []
    for sheet in sheets:
        company = sheet.company.id
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


def _sources(sheet: FactSheet) -> CompanySources:
    return CompanySources(
        sheet.company.id,
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
    """Per company, revenue in its own currency for each period length it reports twice or more.

    The revenue rows are picked once and split by company in one pass (never a filter per company).
    """
    charts = []
    rows = frame[(frame["metric"] == "revenue") & (frame["segment"] == "") & frame["preferred"] & frame["disclosed"]]
    by_company: dict[str, list[dict[Hashable, Any]]] = {}
    for r in rows.sort_values("period_end", kind="stable").to_dict("records"):
        by_company.setdefault(str(r["company"]), []).append(r)
    for company in ids:
        groups: dict[str, list[tuple[str, float, str, str]]] = {}
        for r in by_company.get(company, []):
            group = _length_group(str(r["period"]))
            if group:
                groups.setdefault(group, []).append(
                    (str(r["period"]), float(r["amount"]) / 1e6, str(r["currency"]), _inferred(r))
                )
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
                    (Series(company, tuple(Point(p[0], p[1], inferred=p[3]) for p in points)),),
                )
            )
    return charts


def _margin_charts(figures: Sequence[Figure], ids: list[str]) -> list[Chart]:
    """Gross and adjusted net margin by full year, the companies side by side (a ratio needs no currency).

    Drawn from the margins the report already holds (``margin_table``), not worked out again.
    """
    charts = []
    for name, title in (("gross_margin", "Gross margin"), ("adjusted_net_margin", "Adjusted net margin")):
        rows = [f for f in figures if f.figure == name and not f.segment]
        full = {f.period: n.year for f in rows if (n := named_period(f.period)) is not None and n.kind == "FY"}
        years = tuple(sorted(full, key=full.__getitem__))
        if not years:
            continue
        found = {(f.company, f.period): f for f in rows if f.period in full}
        series = []
        for company in ids:
            points = tuple(
                Point(year, f.value, f.status, _inputs_inferred(f.inputs))
                if (f := found.get((company, year))) is not None
                else Point(year, math.nan, Status.MISSING)
                for year in years
            )
            series.append(Series(company, points))
        charts.append(Chart(f"margin-{name.replace('_', '-')}", f"{title} by full year", "%", years, tuple(series)))
    return charts


def _inputs_inferred(inputs: Sequence[Input]) -> str:
    """The inputs whose date is inferred, in words: "revenue FY2023: period inferred"."""
    return "; ".join(f"{i.key} {i.period}: {i.inferred}" for i in inputs if i.inferred)


def _runway_charts(detail: tuple[Runway, ...], ids: list[str]) -> list[Chart]:
    """Per company, months of cash left on every basis the data supports, all to one scale.

    A runway that ran out on paper before the as-of date keeps that status and is still
    drawn: its months from the cash date are a figure; the table beside says it is over.
    """
    charts = []
    by_company: dict[str, list[Runway]] = {}
    for r in detail:
        by_company.setdefault(r.company, []).append(r)
    for company in ids:
        mine = by_company.get(company, [])
        if not mine:
            continue
        points = tuple(
            Point(
                f"{r.burn_basis} / {r.cash_basis}" + (" + ipo" if r.with_ipo else ""),
                r.months,
                r.status,
                _inputs_inferred(r.inputs),
            )
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
                scale="runway",
            )
        )
    return charts


# A projection is drawn at most this many points wide: every month up to two years, then
# every second, third… month, so that a ten-year path stays a readable chart.
_PROJECTION_POINTS = 25


def _projection_chart(b: Breakeven) -> Chart | None:
    """Projected monthly revenue against costs from month 0, with the breakeven and cash-out months marked.

    None when there is no path (n/m, already profitable). The months drawn are every
    ``step``-th month and the marked months; the line chart places them by month number.
    """
    if not b.projection or b.start is None:
        return None
    last = b.projection[-1].month
    step = max(1, math.ceil(last / (_PROJECTION_POINTS - 1)))
    marks: list[tuple[str, str]] = []
    if b.breakeven_month is not None:
        marks.append((str(b.breakeven_month), f"breakeven, month {b.breakeven_month} ({b.breakeven_date})"))
    if b.cash_out_month is not None:
        marks.append((str(b.cash_out_month), f"cash out, month {b.cash_out_month} ({b.cash_out_date})"))
    wanted = {m for m in range(0, last + 1, step)} | {last} | {int(m) for m, _ in marks}
    drawn = [p for p in b.projection if p.month in wanted]
    categories = tuple(str(p.month) for p in drawn)
    return Chart(
        f"breakeven-{b.company}",
        f"{b.company} projected revenue and costs a month",
        f"{b.currency} million",
        categories,
        (
            Series("revenue", tuple(Point(str(p.month), p.revenue / 1e6) for p in drawn)),
            Series("costs", tuple(Point(str(p.month), p.costs / 1e6) for p in drawn)),
        ),
        note=(
            f"a projection on stated assumptions, not a forecast: months from month 0 = {b.start} "
            f"({add_months(b.start, last)} is month {last})"
        ),
        kind="line",
        marks=tuple(marks),
    )
