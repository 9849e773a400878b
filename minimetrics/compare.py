"""Companies side by side: aligned periods, one currency, differences, conflicts.

Full-year figures are compared on the latest full year every company reports, years
matched by their end dates (a fiscal year may end in any month), not by their labels.
Each company's latest interim is shown under its own label, without a difference:
a nine-month figure is never set against a six-month one. Money is converted with
``fx`` (flows at the period average, balances at the spot rate of their date);
growth rates, margins and runway months need no conversion.
"""

from __future__ import annotations

import math
from dataclasses import field, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from minimetrics.breakeven import BreakevenOptions, breakeven
from minimetrics.factsheet import FxRate
from minimetrics.fx import find_rate
from minimetrics.metrics import FactIndex, RunwayOptions, growth, margins, runway, unit_economics
from minimetrics.records import Record
from minimetrics.registry import Period, fact_key, months_apart, named_period, split_key, year_earlier
from minimetrics.results import (
    BreakevenStatus,
    Cell,
    Comparison,
    Conflict,
    Input,
    Measure,
    Row,
    Status,
    Version,
    Viability,
)
from minimetrics.trends import trends

__all__ = ["Cell", "CompareOptions", "Comparison", "Conflict", "Row", "Version", "compare"]


class CompareOptions(Record):
    """How to compare: the currency for money, ``--fx`` overrides, the full year to align on
    (None: the latest all report) and the as-of date (None: none; months left and rates need it)."""

    currency: str = "USD"
    overrides: dict[tuple[str, str], float] = field(default_factory=dict)
    year: str | None = None
    as_of: date | None = None


def compare(
    facts: pd.DataFrame,
    rates: tuple[FxRate, ...],
    companies: list[str],
    options: CompareOptions | None = None,
) -> Comparison:
    """The key figures of ``companies`` side by side (see the module docstring).

    ``options.year`` picks the full year to align on (default: the latest all report); one
    that not every company reports raises ValueError naming the years they share.

    Runways are set side by side on one day: with ``options.as_of``, the months left on
    it (a runway that ran out before it says "ran out on paper"), and only then is their
    difference taken; without it, the months from each company's own cash date are never
    subtracted when the cash dates differ. The valuation row shows each company's newest
    market cap, and says so when its rate is missing (never an older date's multiple).

    Full years are aligned by their end dates, not their labels: each company is
    compared on its own fiscal year that ends nearest the first company's (within six
    months), shown under its own label, with a note when the ends differ.

    Edge cases: no common full year leaves the full-year section out; a missing
    rate leaves that cell empty with the rate named; a figure that is not
    meaningful (growth from a negative base) keeps its reason; a company with no
    full year within six months of the aligned one (with ``year``, among three or
    more companies) shows "missing" with that reason.
    """
    options = options or CompareOptions()
    currency, overrides, as_of = options.currency, options.overrides, options.as_of
    facts = facts[facts["company"].isin(companies)]
    index = FactIndex(facts)  # once for every computation below
    ran = runway(facts, rates, RunwayOptions(overrides=overrides, as_of=as_of), default_only=True, index=index)
    aligned = _align(facts, companies, options.year)
    latest = _latest_periods(facts)
    interims = {c: latest.get(c, "") for c in companies}
    # Growth and margins of the periods the rows show, not of every period of every segment.
    shown = {(c, p) for c, p in interims.items() if p} | (
        {(c, p) for c, p in aligned.periods.items() if p} if aligned is not None else set()
    )
    around = _around(facts, shown)
    around_index = FactIndex(around)
    grown, margined = _Figures(growth(around, index=around_index)), _Figures(margins(around, index=around_index))
    rows: list[Row] = []
    if aligned is not None:
        # The disclosed whole-company facts, filtered and indexed once for every money row.
        usable = facts[facts["preferred"] & facts["disclosed"] & (facts["segment"] == "")]
        money = _Money(usable, _first_rows(usable, ("company", "metric", "period")), rates, overrides, currency, as_of)
        full = [
            _money_row(money, aligned, "Revenue", "revenue", True),
            _figure_row(grown, aligned, "Revenue growth, year on year", "revenue_growth", True),
            _figure_row(margined, aligned, "Gross margin", "gross_margin", True),
            _figure_row(margined, aligned, "Adjusted net margin", "adjusted_net_margin", True),
            _figure_row(margined, aligned, "Net margin", "net_margin", True),
            _figure_row(margined, aligned, "R&D as % of revenue", "rd_to_revenue", None),
            _money_row(money, aligned, "Net loss", "net_loss", False),
            _money_row(money, aligned, "Adjusted net loss", "adjusted_net_loss", False),
        ]
        # Years that end on different dates are shown side by side, never subtracted.
        rows += [_with_lead(r) for r in full] if aligned.same_end else full
    section = "Latest period each reports (under its own label, not compared)"
    rows.append(_interim_row(grown, interims, section, "Revenue growth, year on year", "revenue_growth"))
    rows.append(_interim_row(margined, interims, section, "Gross margin", "gross_margin"))
    rows.append(_interim_row(margined, interims, section, "Adjusted net margin", "adjusted_net_margin"))
    rows.extend(_runway_rows(ran, companies, as_of))
    rows.append(_breakeven_row(facts, rates, companies, BreakevenOptions(as_of=as_of, overrides=overrides)))
    section = "Scale and valuation (each under its own label, not compared)"
    economics = _Scale(unit_economics(facts, rates, overrides, as_of, index=index), _present(index))
    rows.append(
        _latest_row(economics, companies, section, "Revenue per employee", "revenue_per_employee", Measure.MONEY)
    )
    rows.append(
        _latest_row(
            economics, companies, section, "Market cap ÷ trailing revenue", "market_cap_to_revenue", Measure.TIMES
        )
    )
    rows = [r for r in rows if any(not math.isnan(c.value) or c.note for c in r.cells)]
    return Comparison(
        tuple(companies),
        currency,
        aligned.year if aligned is not None else "",
        tuple(rows),
        _conflicts(facts, rows),
        trends(facts, companies, ["revenue", "net_loss"]),
    )


# --- Full years, aligned by their end dates ---------------------------------------------

ALIGN_MONTHS = 6  # a fiscal year ending further than this from the aligned one is not comparable


class _Aligned(Record):
    """The full year each company is compared on: ``year`` is the first company's label
    (the section's name); ``periods`` each company's own label ("" for none within six
    months); ``notes`` why a company's year differs or is missing."""

    year: str
    section: str
    periods: dict[str, str]
    notes: dict[str, str]
    same_end: bool


def _full_years(facts: pd.DataFrame, companies: list[str]) -> dict[str, dict[str, date]]:
    """Each company's full years with revenue: label → the year's last day, oldest first."""
    revenue = facts[(facts["metric"] == "revenue") & (facts["segment"] == "") & ~facts["is_instant"]]
    rows = sorted(
        zip(*(revenue[c].tolist() for c in ("company", "period", "period_end")), strict=True), key=lambda r: r[2]
    )
    years: dict[str, dict[str, date]] = {c: {} for c in companies}
    for company, label, end in rows:
        named = named_period(str(label))
        if named is not None and named.kind == "FY":
            years[str(company)][str(label)] = end.date()
    return years


def _nearest_year(years: dict[str, date], end: date) -> tuple[str, date] | None:
    """The full year ending nearest ``end``, within six months (the earlier on a tie)."""
    near = [(label, day) for label, day in years.items() if abs(months_apart(end, day)) <= ALIGN_MONTHS]
    return min(near, key=lambda y: (abs((y[1] - end).days), y[1])) if near else None


def _align(facts: pd.DataFrame, companies: list[str], year: str | None) -> _Aligned | None:
    """The full years to compare: ``year`` (a label of the first company that reports it),
    else the latest year of the first company that every company has a year near."""
    years = _full_years(facts, companies)

    def matched(end: date) -> dict[str, tuple[str, date] | None]:
        return {c: _nearest_year(years[c], end) for c in companies}

    common = [label for label, end in years[companies[0]].items() if all(matched(end).values())]
    if year is None:
        if not common:
            return None
        year = common[-1]
    reporter = next((c for c in companies if year in years[c]), None)
    found = matched(years[reporter][year]) if reporter is not None else {}
    if sum(m is not None for m in found.values()) < 2:
        raise ValueError(f"not every company reports {year}; years in common: {', '.join(sorted(common)) or 'none'}")
    assert reporter is not None
    end = years[reporter][year]
    notes, gaps = {}, set()
    for company, match in found.items():
        if match is None:
            notes[company] = f"no full year ending within {ALIGN_MONTHS} months of {end}"
        elif match[1] != end:
            gap = abs(months_apart(end, match[1]))
            gaps.add(gap)
            notes[company] = f"fiscal years end {gap} months apart ({match[0]} ends {match[1]})"
    section = f"Full year {year}"
    if gaps:
        section += f" (fiscal years end {'up to ' if len(gaps) > 1 else ''}{max(gaps)} months apart)"
    periods = {c: m[0] if m is not None else "" for c, m in found.items()}
    return _Aligned(year, section, periods, notes, same_end=not gaps)


def _noted(cell: Cell, aligned: _Aligned) -> Cell:
    """A cell with the reason its company's year differs from the aligned one, if it does."""
    extra = aligned.notes.get(cell.company, "")
    if not extra or not aligned.periods[cell.company]:
        return cell
    return replace(cell, note=f"{cell.note}; {extra}" if cell.note else extra)


def _latest_periods(facts: pd.DataFrame) -> dict[str, str]:
    """Each company's newest period with revenue, the longer one when two end together (FY2025,
    not Q4-2025): one pass over the frame, not a filter per company."""
    revenue = facts[(facts["metric"] == "revenue") & (facts["segment"] == "")]
    columns = ("period_end", "months", "company", "period")
    named = [
        row
        for row in zip(*(revenue[c].tolist() for c in columns), strict=True)
        if named_period(str(row[3])) is not None
    ]
    named.sort(key=lambda row: (row[0], row[1]))  # stable: the frame's order among equals; the last one wins
    return {company: str(period) for _, _, company, period in named}


_EPOCH = date(1970, 1, 1)  # the frame's dates as whole days since


def _around(facts: pd.DataFrame, shown: set[tuple[str, str]]) -> pd.DataFrame:
    """The whole-company facts the growth and margins of the ``shown`` (company, period label)
    pairs are computed from, in the frame's order: every row with one of their labels, and
    every row over the stretch of time of one of them or of a year before it, with its label
    (``FactIndex`` finds a report by its label, and the year before by its dates: a label
    is kept whole, and so is a stretch of time, so each finds what it finds in all the facts).

    Figures of these pairs come out as from the whole frame, in the same order among
    themselves; figures of other periods (a CAGR, other years) do not, and are not read.
    """
    # Columns as lists, dates as whole days (cheap to compare and hash), the frame taken once
    # at the end: filtering it first copied every column for nothing.
    whole = (facts["segment"].to_numpy() == "").tolist()
    pairs = list(zip(facts["company"].tolist(), facts["period"].tolist(), strict=True))
    starts, ends = (
        facts[c].to_numpy("datetime64[D]").astype(np.int64).tolist() for c in ("period_start", "period_end")
    )
    spans: set[tuple[str, int, int]] = set()
    for at, pair in enumerate(pairs):
        if pair in shown and whole[at] and (pair[0], starts[at], ends[at]) not in spans:
            start, end = _EPOCH + timedelta(days=starts[at]), _EPOCH + timedelta(days=ends[at])
            before = year_earlier(Period(pair[1], start, end, bool(facts["is_instant"].iat[at])))
            spans.add((pair[0], starts[at], ends[at]))
            spans.add((pair[0], (before.start - _EPOCH).days, (before.end - _EPOCH).days))
    kept = shown | {
        pair for pair, start, end in zip(pairs, starts, ends, strict=True) if (pair[0], start, end) in spans
    }
    return facts.iloc[[at for at, pair in enumerate(pairs) if whole[at] and pair in kept]]


def _with_lead(row: Row) -> Row:
    if len(row.cells) != 2 or any(c.status != Status.OK or math.isnan(c.value) for c in row.cells):
        return row
    first, second = row.cells
    if first.period != second.period and row.unit != Measure.MONTHS:
        return row
    unit = Measure.PP if row.unit == Measure.PERCENT else row.unit
    leader = ""
    if row.higher_is_better is not None and first.value != second.value:
        higher = first if first.value > second.value else second
        lower = second if higher is first else first
        leader = (higher if row.higher_is_better else lower).company
    return replace(row, difference=first.value - second.value, difference_unit=unit, leader=leader)


class _Money(Record):
    """What a money row needs: the disclosed whole-company facts, the position of the first
    of each (company, metric, period) among them (``_first_rows``), and how to convert them."""

    usable: pd.DataFrame
    first: dict[tuple[object, ...], int]
    rates: tuple[FxRate, ...]
    overrides: dict[tuple[str, str], float]
    currency: str
    as_of: date | None


def _money_row(money: _Money, aligned: _Aligned, label: str, metric: str, higher_is_better: bool) -> Row:
    cells = []
    first = money.first
    found = {c: first[(c, metric, p)] for c, p in aligned.periods.items() if p and (c, metric, p) in first}
    rows = dict(zip(found, _rows(money.usable, list(found.values()), _MONEY_COLUMNS), strict=True))
    for company, period in aligned.periods.items():
        if not period:
            cells.append(Cell(company, "", math.nan, Status.MISSING, aligned.notes[company]))
            continue
        if (company, metric, period) not in first:
            cells.append(_noted(Cell(company, period, math.nan, Status.MISSING, f"no {metric} for {period}"), aligned))
            continue
        row = rows[company]
        source = Input(metric, period, float(row["amount"]), str(row["currency"]), str(row["source"]), str(row["unit"]))
        # The period as the frame dates it (the rate is looked up for it).
        dated = Period(period, row["period_start"].date(), row["period_end"].date(), bool(row["is_instant"]))
        rate = find_rate(money.rates, source.currency, money.currency, dated, money.overrides, money.as_of)
        if isinstance(rate, str):
            cell = Cell(company, period, math.nan, Status.NO_RATE, rate, (source,), f"{company} {metric} {period}")
            cells.append(_noted(cell, aligned))
            continue
        pair, quoted = rate.quoted
        note = "" if rate.value == 1 else f"converted at {pair} {quoted:g} ({rate.basis}, {rate.cited})"
        rate_input = Input(f"{pair} rate", period, quoted, "", rate.cited, "rate", rate.basis)
        cell = Cell(
            company,
            period,
            source.amount * rate.value,
            Status.OK,
            note,
            (source, rate_input),
            f"{company} {metric} {period}",
            rate=rate if rate.value != 1 else None,
        )
        cells.append(_noted(cell, aligned))
    return Row(aligned.section, label, money.currency, tuple(cells), higher_is_better, figure=metric)


def _figure_row(figures: _Figures, aligned: _Aligned, label: str, name: str, better: bool | None) -> Row:
    cells = tuple(
        _noted(_cell(figures, company, name, period), aligned)
        if period
        else Cell(company, "", math.nan, Status.MISSING, aligned.notes[company])
        for company, period in aligned.periods.items()
    )
    return Row(aligned.section, label, Measure.PERCENT, cells, better, figure=name)


def _interim_row(figures: _Figures, interims: dict[str, str], section: str, label: str, name: str) -> Row:
    cells = tuple(_cell(figures, company, name, period) for company, period in interims.items())
    return Row(section, label, Measure.PERCENT, cells, figure=name)


# The columns each kind of row reads from its frame.
_MONEY_COLUMNS = ("amount", "currency", "source", "unit", "period_start", "period_end", "is_instant")
_FIGURE_COLUMNS = ("period", "value", "unit", "status", "note", "inputs", "qualifier", "label")
_RUNWAY_COLUMNS = (
    "label",
    "burn_period",
    "flags",
    "months_left",
    "months",
    "cash_date",
    "status",
    "inputs",
    "runs_out",
)


def _rows(frame: pd.DataFrame, positions: list[int], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The rows at ``positions``, each as a dict of ``columns`` (values as ``tolist`` gives them):
    one take of the frame, where ``iloc[at]`` built a Series of every column for each row."""
    taken = frame.iloc[positions]
    values = zip(*(taken[c].tolist() for c in columns), strict=True)
    return [dict(zip(columns, row, strict=True)) for row in values]


def _first_rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple[object, ...], int]:
    """The position of the first row with each combination of ``columns``: one pass, where a
    filter per cell would scan the whole frame for every cell."""
    first: dict[tuple[object, ...], int] = {}
    for position, key in enumerate(zip(*(frame[c].tolist() for c in columns), strict=True)):
        first.setdefault(key, position)
    return first


class _Figures:
    """The figures of whole companies (no segment), found by company, figure and period."""

    def __init__(self, figures: pd.DataFrame) -> None:
        whole = figures[figures["segment"] == ""]
        self.first = _first_rows(whole, ("company", "figure", "period"))
        self.rows = _rows(whole, list(range(len(whole))), _FIGURE_COLUMNS)


def _cell(figures: _Figures, company: str, name: str, period: str) -> Cell:
    at = figures.first.get((company, name, period))
    if at is None:
        return Cell(company, period, math.nan, Status.MISSING, f"no {name} for {period}" if period else "no interim")
    row = figures.rows[at]
    return Cell(
        company,
        period,
        float(row["value"]),
        Status(row["status"]),
        str(row["note"]),
        tuple(row["inputs"]),
        f"{company} {name} {period}",
        qualifier=str(row["qualifier"]),
        how=str(row["label"]),
    )


# What a figure of the scale rows is made of: the input beside revenue, and how they must meet.
_SCALE_INPUTS = {
    "revenue_per_employee": ("employees", "revenue for the twelve months to a date of employees"),
    "market_cap_to_revenue": ("market_cap", "revenue for twelve months ending by a date of market_cap"),
}


class _Scale(Record):
    """What the scale rows need: the unit-economics figures, and the (company, metric) pairs
    with a usable whole-company result (``_present``), to name an input that is missing."""

    figures: pd.DataFrame
    present: set[tuple[str, str]]


def _latest_row(scale: _Scale, companies: list[str], section: str, label: str, name: str, unit: str) -> Row:
    """Each company's figure of a kind for its newest date: never an older date's in its place
    (a newest figure that cannot be computed shows why; no figure at all names the input that
    is missing)."""
    # Dates as ISO text sort as time does; a stable sort keeps the frame's order among equals,
    # and the last row of each company is its newest.
    figures = scale.figures
    ordered = figures.loc[figures["figure"] == name].sort_values("period", kind="stable")
    newest: dict[str, int] = dict(zip(ordered["company"].tolist(), range(len(ordered)), strict=True))
    shown = [c for c in companies if c in newest]
    rows = dict(zip(shown, _rows(ordered, [newest[c] for c in shown], _FIGURE_COLUMNS), strict=True))
    cells = []
    for company in companies:
        if company not in newest:
            cells.append(Cell(company, "", math.nan, Status.MISSING, _missing_note(company, name, scale.present)))
            continue
        row = rows[company]
        cells.append(
            Cell(
                company,
                str(row["period"]),
                float(row["value"]),
                Status(row["status"]),
                str(row["note"]),
                tuple(row["inputs"]),
                f"{company} {name} {row['period']}",
                str(row["unit"]),
                qualifier=str(row["qualifier"]),
                how=str(row["label"]),
            )
        )
    measure = Measure.TIMES if unit == Measure.TIMES else Measure.OWN_CURRENCY
    return Row(section, label, measure, tuple(cells), figure=name)


def _missing_note(company: str, name: str, present: set[tuple[str, str]]) -> str:
    """Why a scale figure is missing: the inputs the data lacks, or that they do not meet.

    >>> _missing_note("a", "revenue_per_employee", {("a", "revenue")})
    'the data has no employees'
    >>> _missing_note("a", "market_cap_to_revenue", set())
    'the data has no market_cap and no revenue'
    >>> _missing_note("a", "revenue_per_employee", {("a", "revenue"), ("a", "employees")})
    'no revenue for the twelve months to a date of employees'
    """
    other, meeting = _SCALE_INPUTS[name]
    lacking = [metric for metric in (other, "revenue") if (company, metric) not in present]
    return "the data has no " + " and no ".join(lacking) if lacking else f"no {meeting}"


def _present(index: FactIndex) -> set[tuple[str, str]]:
    """The (company, metric) pairs with a usable whole-company result: shown, disclosed, one
    figure (what ``FactIndex`` holds; a whole-company key is the metric itself)."""
    return {(company, key) for company, key in index.periods if split_key(key)[1] == ""}


RUNWAY_SECTION = "Cash runway (default basis; see `minimetrics runway --detail`)"


def _runway_rows(ran: pd.DataFrame, companies: list[str], as_of: date | None) -> list[Row]:
    """Months of cash left on one day for every company (with ``as_of``), and the run-out dates.

    Without an as-of date each runway counts from its own cash date: shown side by side,
    subtracted only when the cash dates are the same.
    """
    months, dates = [], []
    shown = ran[ran["default"].astype(bool)]  # (an empty column holds objects, not booleans)
    first = _first_rows(shown, ("company",))
    having = [c for c in companies if (c,) in first]
    rows = dict(zip(having, _rows(shown, [first[(c,)] for c in having], _RUNWAY_COLUMNS), strict=True))
    for company in companies:
        if (company,) not in first:
            months.append(Cell(company, "", math.nan, Status.MISSING, "no cash balance with a burn basis"))
            dates.append(Cell(company, "", math.nan, Status.MISSING, ""))
            continue
        row = rows[company]
        note = f"{row['label']}; burn {row['burn_period']}" + (f"; {row['flags']}" if row["flags"] else "")
        value = float(row["months_left"]) if as_of is not None else float(row["months"])
        if as_of is not None and not math.isnan(value):
            note = f"{float(row['months']):.1f} months from the cash date {row['cash_date']}; {note}"
        months.append(
            Cell(
                company,
                f"from {row['cash_date']}",
                value,
                Status(row["status"]),
                note,
                tuple(row["inputs"]),
                f"{company} runway",
            )
        )
        runs_out = row["runs_out"]
        # A run-out date is a date whatever the runway's status (one in the past is the months row's to say).
        if runs_out:
            dates.append(Cell(company, str(runs_out), math.nan, Status.OK, "cash runs out"))
        else:
            dates.append(Cell(company, "", math.nan, Status(row["status"]), f"no run-out date: {row['status']}"))
    label = f"Months of cash left on {as_of}" if as_of is not None else "Months of cash left"
    left = Row(RUNWAY_SECTION, label, Measure.MONTHS, tuple(months), True, figure="runway")
    same_day = as_of is not None or len({c.period for c in months}) == 1
    return [
        _with_lead(left) if same_day else left,
        Row(RUNWAY_SECTION, "Cash runs out around", Measure.DATE, tuple(dates), figure="runs_out"),
    ]


def _breakeven_row(
    facts: pd.DataFrame, rates: tuple[FxRate, ...], companies: list[str], options: BreakevenOptions
) -> Row:
    """Each company's breakeven date on its base case (a projection, not a forecast), alive or dead."""
    found = {b.company: b for b in breakeven(facts, rates, options)}
    cells = []
    for company in companies:
        record = found.get(company)
        if record is None or record.status is BreakevenStatus.NOT_MEANINGFUL:
            why = record.reason if record is not None else "no revenue and loss in the data"
            cells.append(Cell(company, "", math.nan, Status.NOT_MEANINGFUL, why, explain=f"{company} breakeven"))
            continue
        when = {
            BreakevenStatus.OK: str(record.breakeven_date),
            BreakevenStatus.NEVER: f"not within {record.horizon_months // 12} years",
            BreakevenStatus.ALREADY_PROFITABLE: "already profitable",
        }[record.status]
        verdict = str(record.verdict)
        if record.verdict is Viability.DEAD:
            verdict += f": cash runs out {record.cash_out_date}"
        elif record.cash_reason:
            verdict += f": {record.cash_reason}"
        # The cell holds both halves of the row's question, so a date is never read as "alive":
        # the date in ``period``, alive or dead (and when the cash runs out) beside it.
        cells.append(
            Cell(
                company,
                when,
                math.nan,
                Status.OK,
                f"{verdict}; a projection on stated assumptions, not a forecast",
                record.inputs,
                f"{company} breakeven",
                viability=record.verdict,
                cash_out=record.cash_out_date if record.verdict is Viability.DEAD else None,
            )
        )
    return Row(RUNWAY_SECTION, "Breakeven (projection), alive or dead", Measure.DATE, tuple(cells), figure="breakeven")


def _conflicts(facts: pd.DataFrame, rows: list[Row]) -> tuple[Conflict, ...]:
    """Conflicts between sources among the facts the rows were computed from."""
    used = {(c.company, i.key, i.period) for r in rows for c in r.cells for i in c.inputs}
    conflicted = facts[facts["conflict"]]
    columns = ("company", "metric", "segment", "period", "value", "unit", "qualifier", "source", "source_rank")
    groups: dict[tuple[str, str, str, str], list[Version]] = {}
    for company, metric, segment, period, value, unit, qualifier, source, rank, preferred in zip(
        *(conflicted[c].tolist() for c in (*columns, "preferred")), strict=True
    ):
        key = fact_key(str(metric), str(segment))
        if (company, key, period) in used:
            groups.setdefault((company, metric, segment, period), []).append(
                Version(float(value), str(unit), str(qualifier), str(source), int(rank), bool(preferred))
            )
    # in the order of (company, metric, segment, period), as a sorted groupby gives them
    return tuple(
        Conflict(str(company), fact_key(str(metric), str(segment)), str(period), tuple(versions))
        for (company, metric, segment, period), versions in sorted(groups.items())
    )
