"""One core function per command: data in, a result the renderer knows how to show.

The command line imports this module only inside the commands that compute, so
that ``--help``, ``list`` and ``validate`` never load pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pandas as pd

from minimetrics.dataset import Dataset, FrameData, find_company
from minimetrics.history import frame_on, known_on
from minimetrics.metrics import (
    BURN_BASES,
    CASH_BASES,
    INDEX_COLUMNS,
    RUNWAY_METRICS,
    RunwayOptions,
    growth,
    margins,
    run_codes,
    run_rates,
    runway,
    scenario_inputs,
)
from minimetrics.problems import UnknownFigureError, UsageError
from minimetrics.registry import METRICS, Family, Kind, parse_period, suggest
from minimetrics.results import (
    FIGURE_COLUMNS,
    ClaimsTable,
    Comparison,
    Figure,
    FigureTable,
    Runway,
    RunwayTable,
    ShortRunway,
    Status,
)
from minimetrics.tidy import facts_frame
from minimetrics.trends import trends

__all__ = [
    "ClaimsTable",
    "FigureTable",
    "RunwayTable",
    "ShortRunway",
    "UnknownFigureError",
    "claims_table",
    "comparison",
    "growth_table",
    "margin_table",
    "runway_table",
    "short_runways",
]

# Every function here takes ``as_of``: the data as it stood that day (``history.known_on``),
# months left measured to it and rates known by it. None: all the data, with no as-of date
# (the command line always passes one, today by default).
#
# The table commands take the data either as records (``load_data``: a Dataset) or as the
# facts frame itself (``load_frame``: a FrameData, no record loaded; the as-of rule applied on
# the frame by ``history.frame_on``). Both give the same result; the command line reads the
# frame, with the metrics of ``NEEDS`` only.

Data = Dataset | FrameData

# The metrics each command's computation reads (None: all of them), for ``load_frame``.
NEEDS: dict[str, frozenset[str] | None] = {
    "runway": RUNWAY_METRICS,
    "compare": None,
    "growth": None,
    "margins": None,
}


# The columns of the facts frame the as-of rule reads (``history.facts_on``): which reports
# were known, and what deciding again which report of a fact is shown takes.
AS_OF_COLUMNS = frozenset(
    [
        "source_published",
        "file",
        "metric",
        "segment",
        "period",
        "low",
        "high",
        "outlook",
        "source_rank",
        "disclosed",
        "reviewed",
        "preferred",
        "conflict",
        "unresolved",
    ]
)

# The columns each command's computation reads, the as-of rule's with them (None: all of
# them), for ``load_frame(columns=...)``: runway reads through ``FactIndex`` alone, and
# copying the other columns out of the store was a third of its load at 10,000 sheets.
READS: dict[str, frozenset[str] | None] = {
    "runway": INDEX_COLUMNS | AS_OF_COLUMNS,
    "compare": None,
    "growth": None,
    "margins": None,
}


def _on(data: Data, as_of: date | None) -> Data:
    if as_of is None:
        return data
    return frame_on(data, as_of) if isinstance(data, FrameData) else known_on(data, as_of)


def _id(data: Data, query: str) -> str:
    return data.company_id(query) if isinstance(data, FrameData) else find_company(data, query).company.id


def _frame(data: Data, companies: list[str], metrics: frozenset[str] | None = None) -> pd.DataFrame:
    """The facts of the named companies (all by default), in the order of the data folder;
    only those of ``metrics`` when given (a computation that reads no other need not frame them)."""
    if isinstance(data, FrameData):
        frame = data.frame
        # Which companies and metrics the frame holds, from the runs of equal values (one per
        # sheet and metric): a million strings hashed one by one took longer.
        if companies:
            ids = {data.company_id(c) for c in companies}
            if {c for (c,) in run_codes(frame["company"].to_numpy())[1]} - ids:
                frame = frame[frame["company"].isin(ids)]
        if metrics is not None and {m for (m,) in run_codes(frame["metric"].to_numpy())[1]} - metrics:
            frame = frame[frame["metric"].isin(metrics)]
        return frame.reset_index(drop=True)
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
    # Column lists zipped (as figure_records), not to_dict: that boxes every cell one by one.
    columns = [str(c) for c in frame.columns]
    return tuple(
        Runway(**{**row, "status": Status(row["status"])})
        for row in (
            dict(zip(columns, values, strict=True))
            for values in zip(*(frame[c].tolist() for c in columns), strict=True)
        )
    )


def growth_table(
    data: Data,
    companies: list[str],
    metric: str = "revenue",
    period: str | None = None,
    as_of: date | None = None,
) -> FigureTable:
    """Year-on-year growth and CAGR of ``metric`` for the companies (all by default)."""
    data = _on(data, as_of)
    flows = sorted(m.name for m in METRICS.values() if m.kind is Kind.FLOW and m.family is Family.MONEY)
    if metric not in flows:
        raise UnknownFigureError(
            f'"{metric}" is not a flow metric', suggest(metric, flows) or "flows: " + ", ".join(flows)
        )
    frame = _frame(data, companies)
    figures = pd.concat([growth(frame, metric), run_rates(frame, metric)], ignore_index=True)
    figures = figures.sort_values(["company", "figure"], kind="stable").reset_index(drop=True)
    if period:
        figures = _in_period(figures, period)
    ids = sorted(set(frame["company"]))
    return FigureTable(
        f"{metric} growth (same period a year earlier), CAGR, run-rates and trailing twelve months",
        figure_records(figures),
        trends(frame, ids, [metric]),
    )


def _in_period(figures: pd.DataFrame, period: str) -> pd.DataFrame:
    """The figures of ``period`` (``--period``). A period no figure has is a usage error with
    "did you mean" (a typo gave an empty table before); no figures at all (an --as-of before
    every source) stay an empty table, which the as-of note explains."""
    known = sorted(set(figures["period"]))
    if figures.empty or period in known:
        return figures[figures["period"] == period]
    shown = "".join(c if c.isprintable() else "?" for c in period)[:60]
    malformed = isinstance(parse_period(shown), str)
    what = f'--period "{shown}" is not a period' if malformed else f'no figure for the period "{shown}"'
    raise UsageError(what, suggest(period, known) or "periods with figures: " + ", ".join(known))


def margin_table(data: Data, companies: list[str], period: str | None = None, as_of: date | None = None) -> FigureTable:
    """Margins and cost ratios with their changes in percentage points."""
    data = _on(data, as_of)
    figures = margins(_frame(data, companies))
    if period:
        figures = _in_period(figures, period)
    return FigureTable("Margins and cost ratios (changes in percentage points, pp)", figure_records(figures))


def runway_table(data: Data, companies: list[str], options: RunwayOptions, detail: bool = False) -> RunwayTable:
    """Runway per company, longest first: the default (or chosen) basis, or every basis with ``detail``.

    With ``options.as_of``: the data known that day, and months left on it (see ``metrics.runway``).
    """
    data = _on(data, options.as_of)
    rates = data.fx.rates if data.fx else ()
    # The default table shows the default basis: only it is computed. (Without --detail the
    # command line passes with_ipo=False, which leaves the default basis as it is.)
    only = not detail and not (options.cash is not None or options.burn is not None or options.with_ipo)
    frame = runway(_frame(data, companies, RUNWAY_METRICS), rates, options, default_only=only)
    if not detail and not only:
        # The options narrow the bases; of those left, the one the default would be: the fewest
        # inputs that are not results (a forecast, an estimate), then the order of the bases.
        rank = frame.assign(
            _scenario=frame["scenario"].map(scenario_inputs),
            _burn=frame["burn_basis"].map({name: i for i, name in enumerate(BURN_BASES)}),
            _cash=frame["cash_basis"].map({name: i for i, name in enumerate(CASH_BASES)}),
        )
        order = rank.sort_values(["_scenario", "_burn", "_cash"], kind="stable").index
        frame = frame.loc[order].groupby("company", sort=False).head(1)
    frame = frame.assign(_ok=frame["status"] != Status.OK).sort_values(
        ["_ok", "months"], ascending=[True, False], kind="stable"
    )
    return RunwayTable(runway_records(frame.drop(columns="_ok")), detail)


def comparison(
    data: Data,
    companies: list[str],
    currency: str,
    overrides: dict[tuple[str, str], float],
    year: str | None = None,
    as_of: date | None = None,
) -> Comparison:
    """Companies side by side (see ``compare.compare``), as the data stood on ``as_of``."""
    data = _on(data, as_of)
    ids = [_id(data, c) for c in companies]
    for number, company in enumerate(ids):
        if company in ids[:number]:  # named twice, perhaps under two names (an id and a ticker)
            first = companies[ids.index(company)]
            again = "".join(c if c.isprintable() else "?" for c in companies[number])[:60]
            named = f'"{again}"' if again == first else f'"{again}" (the same as "{first}")'
            raise UnknownFigureError(
                f"{company} is named twice: {named}", "name each company once, e.g. minimetrics compare minimax zhipu"
            )
    if len(ids) < 2:
        raise UnknownFigureError(
            "compare needs two or more different companies", "e.g. minimetrics compare minimax zhipu"
        )
    # Imported here: compare and breakeven, which it imports, are not needed by the other tables.
    from minimetrics.compare import CompareOptions, compare

    try:
        options = CompareOptions(currency, overrides, year, as_of)
        return compare(_frame(data, ids), data.fx.rates if data.fx else (), ids, options)
    except ValueError as err:
        raise UnknownFigureError(str(err), "pick one of the years in common with --period") from None


def claims_table(
    data: Dataset, companies: list[str], as_of: date | None = None, verdicts: Sequence[str] = ()
) -> ClaimsTable:
    """Every claim the sources make about the companies, checked against the data known on
    ``as_of``; with ``verdicts`` (words of ``Verdict``), only the claims with one of them."""
    # Imported here: the other tables never need it, and its import is a cost every command paid.
    from minimetrics.claims import check_claims, with_verdicts

    with_verdicts([], verdicts)  # a wrong word is said before any work
    data = known_on(data, as_of) if as_of is not None else data
    sheets = [find_company(data, c) for c in companies] if companies else list(data.sheets)
    return ClaimsTable(tuple(with_verdicts((c for sheet in sheets for c in check_claims(sheet)), verdicts)))


def short_runways(table: RunwayTable, bound: float) -> list[ShortRunway]:
    """Companies whose runway on the shown basis is below ``bound`` months, or cannot be computed.

    With an as-of date the gate judges the months left on that day, not the months from
    the cash date, and a runway that ran out on paper before it fails. A company whose
    runway cannot be computed (no rate, no data) fails the gate too: a CI job must not
    pass on a number it never saw. "not burning" and "never runs out" pass.
    """
    short = []
    # With --detail every basis is listed; the gate judges the default one. Otherwise the
    # table holds exactly the basis shown for each company.
    shown = [r for r in table.runways if r.default or not table.detail]
    for row in shown:
        months = row.months_left if row.as_of is not None else row.months
        passes = row.status in (Status.NOT_BURNING, Status.NEVER_RUNS_OUT) or (
            row.status == Status.OK and months >= bound
        )
        if not passes:
            short.append(ShortRunway(row.company, months, row.status, bound))
    return short
