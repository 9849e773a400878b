"""One core function per command: data in, a result the renderer knows how to show.

The command line imports this module only inside the commands that compute, so
that ``--help``, ``list`` and ``validate`` never load pandas.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from minimetrics.claims import check_claims
from minimetrics.compare import compare
from minimetrics.dataset import Dataset, find_company
from minimetrics.metrics import RUNWAY_METRICS, RunwayOptions, growth, margins, run_rates, runway, unit_economics
from minimetrics.problems import UsageError
from minimetrics.registry import METRICS, Family, Kind, suggest
from minimetrics.results import (
    FIGURE_COLUMNS,
    ClaimsTable,
    Comparison,
    Explanation,
    Figure,
    FigureTable,
    Input,
    Measure,
    Runway,
    RunwayTable,
    ShortRunway,
    SourceRef,
    Status,
)
from minimetrics.tidy import facts_frame
from minimetrics.trends import trends

__all__ = [
    "ClaimsTable",
    "Explanation",
    "FigureTable",
    "RunwayTable",
    "ShortRunway",
    "SourceRef",
    "UnknownFigureError",
    "claims_table",
    "comparison",
    "explain",
    "growth_table",
    "margin_table",
    "runway_table",
    "short_runways",
]


class UnknownFigureError(UsageError):
    """``explain`` was asked for a figure the data does not have."""


def _frame(data: Dataset, companies: list[str], metrics: frozenset[str] | None = None) -> pd.DataFrame:
    """The facts of the named companies (all by default), in the order of the data folder;
    only those of ``metrics`` when given (a computation that reads no other need not frame them)."""
    ids = {find_company(data, c).company.id for c in companies}
    sheets = [s for s in data.sheets if s.company.id in ids] if companies else list(data.sheets)
    if metrics is not None:
        sheets = [replace(s, facts=tuple(f for f in s.facts if f.metric in metrics)) for s in sheets]
    return facts_frame(sheets)


def figure_records(frame: pd.DataFrame) -> tuple[Figure, ...]:
    """The rows of a figures frame (``metrics.figures_frame``) as records."""
    columns = [*FIGURE_COLUMNS, "direction"]
    return tuple(
        Figure(**{**row, "status": Status(row["status"])})
        for row in (
            dict(zip(columns, values, strict=True))
            for values in zip(*(frame[c].tolist() for c in columns), strict=True)
        )
    )


def runway_records(frame: pd.DataFrame) -> tuple[Runway, ...]:
    """The rows of a runway frame (``metrics.runway``) as records."""
    return tuple(
        Runway(**{str(k): v for k, v in row.items()} | {"status": Status(row["status"])})
        for row in frame.to_dict("records")
    )


def growth_table(
    data: Dataset, companies: list[str], metric: str = "revenue", period: str | None = None
) -> FigureTable:
    """Year-on-year growth and CAGR of ``metric`` for the companies (all by default)."""
    flows = sorted(m.name for m in METRICS.values() if m.kind is Kind.FLOW and m.family is Family.MONEY)
    if metric not in flows:
        raise UnknownFigureError(
            f'"{metric}" is not a flow metric', suggest(metric, flows) or "flows: " + ", ".join(flows)
        )
    frame = _frame(data, companies)
    figures = pd.concat([growth(frame, metric), run_rates(frame, metric)], ignore_index=True)
    figures = figures.sort_values(["company", "figure"], kind="stable").reset_index(drop=True)
    if period:
        figures = figures[figures["period"] == period]
    ids = sorted(set(frame["company"]))
    return FigureTable(
        f"{metric} growth (same period a year earlier), CAGR, run-rates and trailing twelve months",
        figure_records(figures),
        trends(frame, ids, [metric]),
    )


def margin_table(data: Dataset, companies: list[str], period: str | None = None) -> FigureTable:
    """Margins and cost ratios with their changes in percentage points."""
    figures = margins(_frame(data, companies))
    if period:
        figures = figures[figures["period"] == period]
    return FigureTable("Margins and cost ratios (changes in percentage points, pp)", figure_records(figures))


def runway_table(data: Dataset, companies: list[str], options: RunwayOptions, detail: bool = False) -> RunwayTable:
    """Runway per company, longest first: the default (or chosen) basis, or every basis with ``detail``."""
    rates = data.fx.rates if data.fx else ()
    frame = runway(_frame(data, companies, RUNWAY_METRICS), rates, options)
    chosen_any = options.cash is not None or options.burn is not None or options.with_ipo is not None
    if not detail and not chosen_any:
        frame = frame[frame["default"]]
    elif not detail:
        frame = frame.groupby("company", sort=False).head(1)
    frame = frame.assign(_ok=frame["status"] != Status.OK).sort_values(
        ["_ok", "months"], ascending=[True, False], kind="stable"
    )
    return RunwayTable(runway_records(frame.drop(columns="_ok")), detail)


def comparison(
    data: Dataset,
    companies: list[str],
    currency: str,
    overrides: dict[tuple[str, str], float],
    year: str | None = None,
) -> Comparison:
    """Companies side by side (see ``compare.compare``)."""
    ids = [find_company(data, c).company.id for c in companies]
    if len(set(ids)) != len(ids) or len(ids) < 2:
        raise UnknownFigureError(
            "compare needs two or more different companies", "e.g. minimetrics compare minimax zhipu"
        )
    try:
        return compare(_frame(data, ids), data.fx.rates if data.fx else (), ids, currency, overrides, year)
    except ValueError as err:
        raise UnknownFigureError(str(err), "pick one of the years in common with --period") from None


def explain(data: Dataset, company: str, figure: str, period: str | None) -> Explanation:
    """How one figure was derived: formula, inputs with periods and units, their sources."""
    sheet = find_company(data, company)
    frame = _frame(data, [sheet.company.id])
    rates = data.fx.rates if data.fx else ()
    candidates = pd.concat(
        [growth(frame), growth(frame, "net_loss"), margins(frame), run_rates(frame), unit_economics(frame, rates)],
        ignore_index=True,
    )
    found = candidates[(candidates["figure"] == figure) & (candidates["segment"] == "")]
    if figure == "runway":
        return _explain_runway(data, sheet.company.id, frame)
    if found.empty and figure in set(frame["metric"]):
        return _explain_fact(data, sheet.company.id, frame, figure, period)
    if period:
        found = found[found["period"] == period]
    if found.empty:
        known = sorted(set(candidates["figure"]) | set(frame["metric"]) | {"runway"})
        raise UnknownFigureError(
            f"no {figure}{' for ' + period if period else ''} for {sheet.company.id}", "known: " + ", ".join(known)
        )
    row = found.iloc[-1]
    return Explanation(
        sheet.company.id,
        figure,
        str(row["period"]),
        float(row["value"]),
        str(row["unit"]),
        Status(row["status"]),
        str(row["label"]),
        str(row["formula"]),
        tuple(row["inputs"]),
        _sources(data, sheet.company.id, row["inputs"]),
        str(row["note"]),
    )


def _explain_fact(data: Dataset, company: str, frame: pd.DataFrame, metric: str, period: str | None) -> Explanation:
    rows = frame[(frame["metric"] == metric) & (frame["segment"] == "")]
    if period:
        rows = rows[rows["period"] == period]
    if rows.empty:
        raise UnknownFigureError(
            f"no {metric}{' for ' + period if period else ''} for {company}", "see `minimetrics show`"
        )
    latest = rows.sort_values("period_end").iloc[-1]["period"]
    rows = rows[rows["period"] == latest]
    inputs = tuple(
        Input(
            metric,
            str(r.period),
            float(r.amount) if r.disclosed else math.nan,
            str(r.currency),
            str(r.source),
            str(r.unit),
            ("shown" if r.preferred else "not shown") + (", sources disagree" if r.conflict else ""),
        )
        for r in rows.itertuples()
    )
    shown = rows[rows["preferred"]].iloc[0]
    return Explanation(
        company,
        metric,
        str(latest),
        float(shown["amount"]),
        str(shown["currency"] or shown["unit"]),
        Status.OK,
        "reported" + (" (sources disagree)" if bool(shown["conflict"]) else ""),
        f"{metric} as reported",
        inputs,
        _sources(data, company, inputs),
    )


def _explain_runway(data: Dataset, company: str, frame: pd.DataFrame) -> Explanation:
    rates = data.fx.rates if data.fx else ()
    chosen = runway(frame, rates)
    chosen = chosen[chosen["default"]]
    if chosen.empty:
        raise UnknownFigureError(f"no runway for {company}", "it needs a cash balance and a burn basis")
    row = chosen.iloc[0]
    note = f"{row['label']}; runs out around {row['runs_out']}" + (f"; {row['flags']}" if row["flags"] else "")
    return Explanation(
        company,
        "runway",
        f"from {row['cash_date']}",
        float(row["months"]),
        Measure.MONTHS,
        Status(row["status"]),
        "default basis",
        str(row["formula"]),
        tuple(row["inputs"]),
        _sources(data, company, row["inputs"]),
        note,
    )


def _sources(data: Dataset, company: str, inputs: tuple[Input, ...]) -> tuple[SourceRef, ...]:
    sheet = find_company(data, company)
    known = {s.id: s for s in sheet.sources}
    if data.fx:
        known.update({s.id: s for s in data.fx.sources})
    cited: list[SourceRef] = []
    for item in inputs:
        for source_id in (part.strip() for part in item.source.split(",")):
            if source_id in known and source_id not in [c.id for c in cited]:
                s = known[source_id]
                cited.append(SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url))
    return tuple(cited)


def claims_table(data: Dataset, companies: list[str]) -> ClaimsTable:
    """Every claim the sources make about the companies, checked against the data."""
    sheets = [find_company(data, c) for c in companies] if companies else list(data.sheets)
    return ClaimsTable(tuple(claim for sheet in sheets for claim in check_claims(sheet)))


def short_runways(table: RunwayTable, bound: float) -> list[ShortRunway]:
    """Companies whose runway on the shown basis is below ``bound`` months, or cannot be computed.

    A company whose runway cannot be computed (no rate, no data) fails the gate too:
    a CI job must not pass on a number it never saw. "not burning" and "never runs
    out" pass.
    """
    short = []
    # With --detail every basis is listed; the gate judges the default one. Otherwise the
    # table holds exactly the basis shown for each company.
    shown = [r for r in table.runways if r.default or not table.detail]
    for row in shown:
        passes = row.status in (Status.NOT_BURNING, Status.NEVER_RUNS_OUT) or (
            row.status == Status.OK and row.months >= bound
        )
        if not passes:
            short.append(ShortRunway(row.company, row.months, row.status, bound))
    return short
