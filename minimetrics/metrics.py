"""Pure computations on the tidy facts frame: growth, margins, runway.

No I/O, no printing, no rounding. Every function returns a frame of figures, one row
each, with the columns in ``FIGURE_COLUMNS``: the value (NaN when it is not
meaningful), its unit, a status ("ok", "n/m", "no rate", "not burning"), a label
saying what kind of figure it is, the formula in words and the inputs it used, each
input with its period, amount, currency and source. Only the preferred report of
each fact is used (see README, Conflicts).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from minimetrics.factsheet import FxRate
from minimetrics.fx import find_rate
from minimetrics.registry import (
    MARGINS,
    Period,
    Ratio,
    fact_key,
    fiscal_year_of,
    months_apart,
    named_period,
    split_key,
    year_earlier,
)
from minimetrics.results import FIGURE_COLUMNS, Direction, Figure, Input, Measure, RateUsed, Status

if TYPE_CHECKING:  # annotations only: not imported when the module runs
    import numpy.typing as npt

LOSS_METRICS = ("net_loss", "adjusted_net_loss", "operating_loss")
STATED_GROWTH = {"revenue": "revenue_growth"}
DAYS_PER_MONTH = 365.25 / 12
FAR_APART_DAYS = 183  # a cash date more than six months from the burn period is flagged


# The figures frame: a Figure's machine fields, then the direction of a change (for the tables).
FRAME_COLUMNS = [*FIGURE_COLUMNS, "direction"]


def figures_frame(figures: list[Figure]) -> pd.DataFrame:
    # Column by column from the records' own fields (asdict would copy every input deeply).
    return pd.DataFrame({c: [getattr(f, c) for f in figures] for c in FRAME_COLUMNS}, columns=FRAME_COLUMNS)


# The columns of the facts frame ``FactIndex`` reads: a frame with only these serves it
# (``dataset.load_frame(columns=...)``).
INDEX_COLUMNS = frozenset(
    [
        "company",
        "metric",
        "segment",
        "period",
        "period_start",
        "period_end",
        "is_instant",
        "months",
        "amount",
        "unit",
        "currency",
        "qualifier",
        "outlook",
        "result",
        "disclosed",
        "source",
        "published_inferred",
        "period_inferred",
        "preferred",
    ]
)


class FactIndex:
    """Preferred, disclosed reports by (company, key, period), and the periods each key has.

    Only results (the frame's ``result`` column) with one figure: a forecast, target, plan
    or estimate is left out, and so is a range (its ``amount`` is NaN: a computation never
    takes a range's midpoint). ``outlooks=True`` indexes only the outlook reports instead,
    for a scenario that names them. Periods are built from the frame's own start and end
    dates (a fiscal year may end in any month), and a report can be found by those dates
    as well as by its label. A caller that runs several computations on one frame builds
    it once and passes it to each (``index=``).

    The reports are held as columns (numpy arrays) sorted by company and key, the frame's
    order kept within each pair: no Python object per row. A pair's periods and labels are
    made the first time they are asked for; ``latest``, ``nearest`` and ``latest_after``
    choose one report per company for every company at once.
    """

    def __init__(self, facts: pd.DataFrame, outlooks: bool = False) -> None:
        chosen = facts["preferred"].to_numpy(bool) & facts["disclosed"].to_numpy(bool)
        chosen &= ~np.isnan(facts["amount"].to_numpy(float))
        result = facts["result"].to_numpy(bool)
        picked = np.flatnonzero(chosen & (~result if outlooks else result))
        if outlooks:  # the outlook's text compared only where it can matter
            picked = picked[facts["outlook"].to_numpy()[picked] != ""]
        # Companies as codes in their sorted order, keys as codes of the (metric, segment) pairs.
        company_codes, found = run_codes(facts["company"].to_numpy()[picked])
        names = [str(c) for (c,) in found]
        self.companies: list[str] = sorted(names)
        rank = np.empty(len(names), dtype=np.int64)
        rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
        key_codes, pairs = run_codes(*(facts[c].to_numpy()[picked] for c in ("metric", "segment")))
        self._keys: list[str] = [fact_key(str(metric), str(segment)) for metric, segment in pairs]
        self._key_codes = {key: number for number, key in enumerate(self._keys)}
        self._company_codes = {name: number for number, name in enumerate(self.companies)}
        self._width = width = max(len(self._keys), 1)
        group = rank[company_codes] * width + key_codes
        order = np.argsort(group, kind="stable")  # stable: a pair's reports stay in the frame's order
        taken = picked[order]

        def column(name: str) -> npt.NDArray[Any]:
            return facts[name].to_numpy()[taken]

        self._group: npt.NDArray[np.int64] = group[order]
        # The narrowest integers that hold them: at 10,000 companies the index has a million rows.
        self._company: npt.NDArray[np.int32] = (self._group // width).astype(np.int32)
        self._key: npt.NDArray[np.int32] = (self._group % width).astype(np.int32)
        self._label = column("period")
        self._amount: npt.NDArray[np.float64] = column("amount").astype(float)
        # Text an Input needs and no choice reads: the frame's own columns, taken from them
        # (through ``_taken``) only for the reports asked for.
        self._taken = taken
        self._text = tuple(facts[c].to_numpy() for c in ("currency", "source", "unit", "qualifier", "outlook"))
        # Dates as whole days since 1970: cheap to compare, sort and hash.
        self._start, self._end = (
            facts[c].to_numpy("datetime64[D]")[taken].astype(np.int32) for c in ("period_start", "period_end")
        )
        self._instant: npt.NDArray[np.bool_] = column("is_instant").astype(bool)
        self._months: npt.NDArray[np.int16] = column("months").astype(np.int16)
        # What the two inferred flags say, as a position in _INFERRED.
        self._inferred: npt.NDArray[np.int8] = column("published_inferred").astype(np.int8) * 2 + column(
            "period_inferred"
        ).astype(np.int8)
        # Each pair's rows, start and stop, by its group code.
        edges = np.flatnonzero(self._group[1:] != self._group[:-1]) + 1
        starts, stops = np.r_[0, edges].tolist(), np.r_[edges, len(order)].tolist()
        self._groups: dict[int, tuple[int, int]] = (
            dict(zip(self._group[starts].tolist(), zip(starts, stops, strict=True), strict=True)) if len(order) else {}
        )
        self._made: dict[tuple[str, int, int], Period] = {}  # one Period per label and dates
        self._by_label: dict[int, dict[str, _Report]] = {}
        self._by_span: dict[int, dict[tuple[int, int], str]] = {}
        self.periods: Mapping[tuple[str, str], list[Period]] = _Periods(self)

    def get(self, company: str, key: str, period: str | None) -> Input | None:
        found = self._reports(company, key).get(period) if period else None
        return Input(key, *found) if found is not None else None

    def at(self, company: str, key: str, period: Period) -> Input | None:
        """The report of ``key`` for the stretch of time ``period`` covers, whatever its label."""
        group = self._group_of(company, key)
        if group is None:
            return None
        spans = self._by_span.get(group)
        if spans is None:
            start, stop = self._groups[group]
            spans = self._by_span[group] = {}
            for span, label in zip(
                zip(self._start[start:stop].tolist(), self._end[start:stop].tolist(), strict=True),
                self._label[start:stop].tolist(),
                strict=True,
            ):
                spans.setdefault(span, label)
        return self.get(company, key, spans.get((_days(period.start), _days(period.end))))

    def keys(self, company: str, metric: str) -> list[str]:
        """The metric and its segments that this company reports."""
        return sorted(self._metric_keys.get((company, metric), ()))

    @functools.cached_property
    def _metric_keys(self) -> dict[tuple[str, str], set[str]]:
        """Fact keys by (company, metric): one pass, where a scan per company grows with the square."""
        keys: dict[tuple[str, str], set[str]] = {}
        for company, key in self.periods:
            keys.setdefault((company, split_key(key)[0]), set()).add(key)
        return keys

    def fact(self, position: int) -> tuple[Input, Period]:
        """The report at ``position`` (from ``latest``, ``nearest``, ``latest_after``) and its period.

        The report is the one ``get`` finds by the label at ``position``: the last of the pair's
        reports with that label (two reports of one fact and period are not expected, but both
        ways must give the same one)."""
        label, (_, stop) = self._label[position], self._groups[int(self._group[position])]
        later = self._label[position + 1 : stop].tolist()
        last = position + len(later) - later[::-1].index(label) if label in later else position
        return self._input(self._keys[self._key[position]], last), self._period(position)

    def facts(self, positions: dict[str, int]) -> dict[str, tuple[Input, Period]]:
        """``fact`` of each position, by the same key (a company): made column by column."""
        if not positions:
            return {}
        at = np.fromiter(positions.values(), dtype=np.int64, count=len(positions))
        # The last report of the pair with the same label: every later row of the pair compared.
        stops = np.searchsorted(self._group, self._group[at], side="right")
        counts = stops - at - 1
        owner = np.repeat(np.arange(len(at)), counts)
        later = at[owner] + 1 + np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        same = self._label[later] == self._label[at[owner]]
        last = at.copy()
        np.maximum.at(last, owner[same], later[same])
        rows = self._taken[last]
        made = [self._period(position) for position in at.tolist()]
        found = zip(
            self._key[at].tolist(),
            self._label[last].tolist(),
            self._amount[last].tolist(),
            *(column[rows].tolist() for column in self._text),
            self._inferred[last].tolist(),
            strict=True,
        )
        inputs = [
            Input(self._keys[key], label, amount, currency, source, unit, "", qualifier, outlook, _INFERRED[inferred])
            for key, label, amount, currency, source, unit, qualifier, outlook, inferred in found
        ]
        return dict(zip(positions, zip(inputs, made, strict=True), strict=True))

    def latest(self, key: str) -> dict[str, int]:
        """Per company, the position of its dated report (an instant) of ``key`` with the latest
        date; of two on one date, the later in the frame."""
        rows = self._rows(key, self._instant)
        return self._first(rows, self._end[rows], self._company[rows], last=True)

    def latest_after(self, key: str, days: dict[str, int]) -> dict[str, int]:
        """Per company of ``days`` (whole days since 1970), the position of its report of ``key``
        whose period starts after that day and ends the latest; of two such, the later in the frame."""
        rows = self._rows(key)
        day = self._day_per_row(rows, days)
        rows = rows[(day != _NO_DAY) & (self._start[rows] > day)]
        return self._first(rows, self._end[rows], self._company[rows], last=True)

    def nearest(self, key: str, days: dict[str, int]) -> dict[str, int]:
        """Per company of ``days``, the position of its report of ``key`` over a stretch of time
        (not an instant) whose end is nearest that day: a named period before a custom span
        (9M2025 before 2022-01-01/2025-09-30), then the later, then the longer one, then the
        first in the frame."""
        rows = self._rows(key, ~self._instant)
        day = self._day_per_row(rows, days)
        rows, day = rows[day != _NO_DAY], day[day != _NO_DAY]
        labels, named = pd.factorize(self._label[rows])
        unnamed = np.array([_label_kind(str(label)) == "" for label in named], dtype=bool)[labels]
        end = self._end[rows]
        return self._first(rows, -self._months[rows], -end, unnamed, np.abs(end - day), self._company[rows])

    def flows(self, key: str) -> set[str]:
        """The companies with a report of ``key`` over a stretch of time (not an instant)."""
        return {self.companies[c] for c in np.unique(self._company[self._rows(key, ~self._instant)]).tolist()}

    def _rows(self, key: str, where: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:
        code = self._key_codes.get(key)
        if code is None:
            return np.zeros(0, dtype=np.int64)
        mask = self._key == code
        return np.flatnonzero(mask & where if where is not None else mask)

    def _day_per_row(self, rows: npt.NDArray[np.int64], days: dict[str, int]) -> npt.NDArray[np.int64]:
        per_company = np.full(len(self.companies), _NO_DAY, dtype=np.int64)
        for company, day in days.items():
            number = self._company_codes.get(company)
            if number is not None:
                per_company[number] = day
        return per_company[self._company[rows]]

    def _first(self, rows: npt.NDArray[np.int64], *keys: npt.NDArray[Any], last: bool = False) -> dict[str, int]:
        """Per company, the row of ``rows`` first (or last) in the order of ``keys``: the last key
        the primary one (as ``numpy.lexsort``), which is the company. The sort is stable and
        ``rows`` ascend: of rows equal in every key, the first (or last) in the frame."""
        order = np.lexsort(keys)
        companies = keys[-1][order]
        edge = np.ones(len(order), dtype=bool)
        if last:
            edge[:-1] = companies[1:] != companies[:-1]
        else:
            edge[1:] = companies[1:] != companies[:-1]
        return {self.companies[c]: p for c, p in zip(companies[edge].tolist(), rows[order][edge].tolist(), strict=True)}

    def _group_of(self, company: str, key: str) -> int | None:
        number, code = self._company_codes.get(company), self._key_codes.get(key)
        if number is None or code is None:
            return None
        group = number * self._width + code
        return group if group in self._groups else None

    def _reports(self, company: str, key: str) -> dict[str, _Report]:
        """A pair's reports by label as what an Input needs after its key, made on first use (a
        computation asks for the same pair again and again): the last of two with one label, as
        a dict keeps it."""
        group = self._group_of(company, key)
        if group is None:
            return {}
        found = self._by_label.get(group)
        if found is None:
            start, stop = self._groups[group]
            rows = self._taken[start:stop]
            currency, source, unit, qualifier, outlook = (column[rows].tolist() for column in self._text)
            found = self._by_label[group] = {
                label: (label, amount, currency, source, unit, "", qualifier, outlook, _INFERRED[inferred])
                for label, amount, currency, source, unit, qualifier, outlook, inferred in zip(
                    self._label[start:stop].tolist(),
                    self._amount[start:stop].tolist(),
                    currency,
                    source,
                    unit,
                    qualifier,
                    outlook,
                    self._inferred[start:stop].tolist(),
                    strict=True,
                )
            }
        return found

    def _input(self, key: str, position: int) -> Input:
        # The text columns hold str already (the frame's own objects): no conversion.
        row = self._taken[position]
        currency, source, unit, qualifier, outlook = (column[row] for column in self._text)
        return Input(
            key,
            self._label[position],
            float(self._amount[position]),
            currency,
            source,
            unit,
            "",
            qualifier,
            outlook,
            _INFERRED[self._inferred[position]],
        )

    def _period(self, position: int) -> Period:
        label, start, end = str(self._label[position]), int(self._start[position]), int(self._end[position])
        period = self._made.get((label, start, end))
        if period is None:
            period = self._made[(label, start, end)] = Period(
                label, _day(start), _day(end), bool(self._instant[position])
            )
        return period

    def _group_periods(self, company: str, key: str) -> list[Period] | None:
        group = self._group_of(company, key)
        if group is None:
            return None
        start, stop = self._groups[group]
        made, periods = self._made, []
        for label, first, last, instant in zip(
            *(column[start:stop].tolist() for column in (self._label, self._start, self._end, self._instant)),
            strict=True,
        ):
            period = made.get((label, first, last))
            if period is None:
                period = made[(label, first, last)] = Period(label, _day(first), _day(last), instant)
            periods.append(period)
        return periods

    def _pairs(self) -> Iterator[tuple[str, str]]:
        for group in self._groups:
            yield self.companies[group // self._width], self._keys[group % self._width]


class _Periods(Mapping[tuple[str, str], list[Period]]):
    """``FactIndex.periods``: the periods of a (company, key) pair in the frame's order, made
    on first use (a table of a thousand companies asks for a few pairs of each)."""

    def __init__(self, index: FactIndex) -> None:
        self._index = index
        self._made: dict[tuple[str, str], list[Period]] = {}

    def __getitem__(self, pair: tuple[str, str]) -> list[Period]:
        found = self._made.get(pair)
        if found is None:
            found = self._index._group_periods(*pair)
            if found is None:
                raise KeyError(pair)
            self._made[pair] = found
        return found

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self._index._pairs()

    def __len__(self) -> int:
        return len(self._index._groups)


def run_codes(*columns: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], list[tuple[Any, ...]]]:
    """A code for each row's values in ``columns``, and the distinct values in the order first
    seen: what ``pandas.factorize`` gives, found from the runs of equal rows (a sheet's rows
    of one company, of one metric, are consecutive), so only a value per run is hashed.

    >>> codes, found = run_codes(np.array(["a", "a", "b", "a"], dtype=object))
    >>> codes.tolist(), found
    ([0, 0, 1, 0], [('a',), ('b',)])
    """
    size = len(columns[0])
    starts = np.zeros(size, dtype=bool)
    starts[:1] = True
    for values in columns:
        starts[1:] |= values[1:] != values[:-1]
    at = np.flatnonzero(starts)
    codes: dict[tuple[Any, ...], int] = {}
    runs = [codes.setdefault(run, len(codes)) for run in zip(*(values[at].tolist() for values in columns), strict=True)]
    return np.repeat(np.array(runs, dtype=np.int64), np.diff(np.r_[at, size])), list(codes)


# What an Input holds after its key: period, amount, currency, source, unit, note, qualifier,
# outlook, inferred.
_Report = tuple[str, float, str, str, str, str, str, str, str]

# What a report's two inferred flags (publication date, period) say, in words.
_INFERRED = ["", "period inferred", "publication date inferred", "publication date inferred, period inferred"]
_NO_DAY = np.iinfo(np.int64).min  # a company with no day to measure from

_EPOCH = date(1970, 1, 1).toordinal()


def _day(days: int) -> date:
    """A date from whole days since 1970-01-01."""
    return date.fromordinal(_EPOCH + days)


def _days(day: date) -> int:
    """Whole days since 1970-01-01."""
    return day.toordinal() - _EPOCH


def _kind(period: Period) -> str:
    """ "FY", "9M", "H1"… for a named period, "" for a date or an interval."""
    return _label_kind(period.label)


@functools.lru_cache(maxsize=1024)  # a few dozen labels, asked about for every row
def _label_kind(label: str) -> str:
    named = named_period(label)
    return named.kind if named is not None else ""


# --- Growth --------------------------------------------------------------------------


def growth(facts: pd.DataFrame, metric: str = "revenue", *, index: FactIndex | None = None) -> pd.DataFrame:
    """Year-on-year change of a flow metric, and its CAGR over full years.

    Only periods of the same length and position are compared (FY with FY, 9M with
    9M, H1 with H1), the earlier found by its dates (whatever month the fiscal year
    ends in), in the company's own currency. Figures: ``{metric}_growth`` (percent)
    and ``{metric}_cagr`` (percent, first to last full year, over the years between
    their ends).

    Edge cases: a prior period that is not reported is derived from a stated growth
    rate where the sheet has one (input noted "derived"), else there is no figure;
    a zero or negative base gives status "n/m" with the reason; for losses the label
    is "loss widening" or "loss narrowing", never growth.

    ``index``: ``FactIndex(facts)`` when the caller has it already (see ``FactIndex``).
    """
    index = FactIndex(facts) if index is None else index
    figures: list[Figure] = []
    for company in index.companies:
        for key in index.keys(company, metric):
            periods = index.periods[(company, key)]
            for period in sorted(periods, key=lambda p: (p.end, p.months)):
                if period.is_instant:
                    continue
                now = index.get(company, key, period.label)
                # The same stretch of the year a year earlier, found by its dates, not its label.
                prior = year_earlier(period)
                before = index.at(company, key, prior)
                if now is None:
                    continue
                if before is None:
                    before = _derived_prior(index, company, key, metric, now, prior)
                if before is not None:
                    figures.append(_change(company, key, metric, now, before))
            figures.extend(_cagr(index, company, key, metric))
    return figures_frame(figures)


def _derived_prior(index: FactIndex, company: str, key: str, metric: str, now: Input, prior: Period) -> Input | None:
    stated_key = STATED_GROWTH.get(metric)
    stated = index.get(company, fact_key(stated_key, split_key(key)[1]), now.period) if stated_key else None
    if stated is None or stated.amount <= -100:
        return None
    amount = now.amount / (1 + stated.amount / 100)
    return Input(
        key,
        prior.label,
        amount,
        now.currency,
        stated.source,
        now.unit,
        f"derived: {key} {now.period} ÷ (1 + stated growth {stated.amount:g}%)",
    )


def _change(company: str, key: str, metric: str, now: Input, before: Input) -> Figure:
    base = Figure(
        company,
        f"{metric}_growth",
        now.period,
        math.nan,
        Measure.PERCENT,
        Status.NOT_MEANINGFUL,
        formula=f"{key} {now.period} ÷ {key} {before.period} − 1",
        inputs=(now, before),
        segment=split_key(key)[1],
    )
    if now.currency != before.currency:
        return replace(base, note="the two periods are in different currencies")
    if before.amount == 0:
        return replace(base, note=f"{before.period} is zero: growth from zero is not meaningful")
    if before.amount < 0:
        return replace(base, note=f"{before.period} is negative: growth from a negative base is not meaningful")
    change = (now.amount / before.amount - 1) * 100
    direction = Direction.GROWTH
    if metric in LOSS_METRICS:
        direction = Direction.LOSS_WIDENING if change >= 0 else Direction.LOSS_NARROWING
    label = str(direction)
    if "derived" in before.note:
        label += ", prior derived from stated growth"
    qualifier = quotient_qualifier(now, before)
    return replace(base, value=change, status=Status.OK, label=label, direction=direction, qualifier=qualifier)


def _cagr(index: FactIndex, company: str, key: str, metric: str) -> list[Figure]:
    years = sorted((p for p in index.periods[(company, key)] if _kind(p) == "FY"), key=lambda p: p.end)
    if len(years) < 2:
        return []
    first, last = index.get(company, key, years[0].label), index.get(company, key, years[-1].label)
    assert first is not None and last is not None
    # Years between the two ends, from the dates: whole years unless the year end moved.
    span = months_apart(years[0].end, years[-1].end) / 12
    base = Figure(
        company,
        f"{metric}_cagr",
        f"{years[0].label}-{years[-1].label}",
        math.nan,
        Measure.PERCENT,
        Status.NOT_MEANINGFUL,
        "CAGR over full years",
        f"({key} {last.period} ÷ {key} {first.period})^(1/{span:g}) − 1",
        (last, first),
        segment=split_key(key)[1],
    )
    if first.currency != last.currency:  # as growth: amounts in two currencies are not one series
        return [replace(base, note=f"{first.period} is in {first.currency}, {last.period} in {last.currency}")]
    if first.amount <= 0 or last.amount < 0:
        return [replace(base, note="a zero or negative end point: CAGR is not meaningful")]
    value = ((last.amount / first.amount) ** (1 / span) - 1) * 100
    direction = Direction.GROWTH
    if metric in LOSS_METRICS:
        direction = Direction.LOSS_WIDENING if value > 0 else Direction.LOSS_NARROWING
    label = base.label + (f", {direction}" if direction is Direction.LOSS_WIDENING else "")
    qualifier = quotient_qualifier(last, first)  # the power and the − 1 keep the direction
    return [replace(base, value=value, status=Status.OK, label=label, direction=direction, qualifier=qualifier)]


# --- Margins ---------------------------------------------------------------------------


def margins(facts: pd.DataFrame, *, index: FactIndex | None = None) -> pd.DataFrame:
    """Margins and cost ratios per period, and their change in percentage points.

    Figures: gross, net and adjusted net margin, R&D and S&M as % of revenue, for
    the total and each segment with the inputs. Computed from the amounts where the
    sheet has both (label "computed"), else the stated ratio (label "stated").
    ``{figure}_change`` is the change against the same period a year earlier, unit
    "pp". Edge cases: revenue zero or negative gives "n/m"; a period without the
    inputs or a stated ratio gives no figure. ``index``: as for ``growth``.
    """
    index = FactIndex(facts) if index is None else index
    figures: list[Figure] = []
    for company in index.companies:
        # by figure, segment and the period's dates, so a year earlier is found by its dates
        found: dict[tuple[str, str, date, date], tuple[Period, Figure]] = {}
        for revenue_key in index.keys(company, "revenue"):
            segment = split_key(revenue_key)[1]
            for period in index.periods[(company, revenue_key)]:
                if period.is_instant:
                    continue
                for ratio in MARGINS:
                    figure = _margin(index, company, segment, period.label, ratio)
                    if figure is not None:
                        found[(ratio.metric, segment, period.start, period.end)] = (period, figure)
        for period, figure in sorted(found.values(), key=lambda f: (f[1].figure, f[1].segment, f[0].end)):
            figures.append(figure)
            prior = year_earlier(period)
            _, before = found.get((figure.figure, figure.segment, prior.start, prior.end), (period, None))
            if before is not None and figure.status == Status.OK and before.status == Status.OK:
                figures.append(_pp_change(figure, before))
    return figures_frame(figures)


def _margin(index: FactIndex, company: str, segment: str, period: str, ratio: Ratio) -> Figure | None:
    name, sign = ratio.metric, ratio.sign
    revenue = index.get(company, fact_key(ratio.denominator, segment), period)
    part = index.get(company, fact_key(ratio.numerator, segment), period)
    stated = index.get(company, fact_key(name, segment), period)
    key = fact_key(name, segment)
    if revenue is not None and part is not None:
        base = Figure(
            company,
            name,
            period,
            math.nan,
            Measure.PERCENT,
            Status.NOT_MEANINGFUL,
            formula=f"{'−' if sign < 0 else ''}{part.key} ÷ {revenue.key}, {period}",
            inputs=(part, revenue),
            segment=segment,
        )
        if revenue.amount <= 0:
            return replace(base, note="revenue is zero or negative")
        if part.currency != revenue.currency:
            return replace(base, note="the inputs are in different currencies")
        value = sign * part.amount / revenue.amount * 100
        qualifier = quotient_qualifier(part, revenue, sign)
        return replace(base, value=value, status=Status.OK, label="computed", qualifier=qualifier)
    if stated is not None:
        return Figure(
            company=company,
            figure=name,
            period=period,
            value=stated.amount,
            unit=Measure.PERCENT,
            label="stated",
            formula=f"{key} as stated",
            inputs=(stated,),
            segment=segment,
            qualifier=carried_qualifier([stated.qualifier], []),
        )
    return None


def _pp_change(now: Figure, before: Figure) -> Figure:
    return Figure(
        company=now.company,
        figure=f"{now.figure}_change",
        period=now.period,
        value=now.value - before.value,
        unit=Measure.PP,
        label="change in percentage points",
        segment=now.segment,
        formula=f"{now.figure} {now.period} − {now.figure} {before.period}",
        inputs=now.inputs + before.inputs,
        qualifier=carried_qualifier([now.qualifier], [before.qualifier]),  # now − before
    )


# --- Runway ------------------------------------------------------------------------------

CASH_BASES = {
    "liquid": ("cash_and_liquid_assets", "cash and equivalents plus liquid financial assets"),
    "cash": ("cash_and_equivalents", "cash and cash equivalents"),
}
BURN_BASES = {
    "stated": ("monthly_cash_burn", "the stated monthly burn"),
    "operating": ("operating_cash_flow", "operating cash outflow per month"),
    "adjusted_loss": ("adjusted_net_loss", "adjusted net loss per month (a proxy for burn)"),
    "net_loss": ("net_loss", "net loss per month (a proxy for burn)"),
}
IPO_PROCEEDS = "ipo_net_proceeds"
# Every metric ``runway`` reads: the cash and burn bases and the IPO proceeds.
RUNWAY_METRICS = frozenset(
    [*(metric for metric, _ in CASH_BASES.values()), *(metric for metric, _ in BURN_BASES.values()), IPO_PROCEEDS]
)
RUNWAY_COLUMNS = [
    "company",
    "cash_basis",
    "burn_basis",
    "with_ipo",
    "currency",
    "cash_date",
    "cash",
    "ipo",
    "burn_period",
    "burn",
    "monthly_growth",
    "months",
    "runs_out",
    "status",
    "label",
    "flags",
    "formula",
    "inputs",
    "default",
    "as_of",
    "months_left",
    "scenario",
]


@dataclass(frozen=True)
class RunwayOptions:
    """Which bases to compute; None means every basis the data supports."""

    cash: str | None = None
    burn: str | None = None
    with_ipo: bool | None = None
    monthly_growth: float = 0.0  # burn grows by this many percent a month
    overrides: dict[tuple[str, str], float] = field(default_factory=dict)
    as_of: date | None = None  # months left are measured to this day, and rates are those known on it


def runway(
    facts: pd.DataFrame,
    rates: tuple[FxRate, ...],
    options: RunwayOptions | None = None,
    *,
    default_only: bool = False,
    index: FactIndex | None = None,
    outlooks: FactIndex | None = None,
) -> pd.DataFrame:
    """Months of cash left for every company and every basis combination the data supports.

    months = cash at the latest balance date (plus IPO net proceeds received after
    it, with ``with_ipo``) ÷ monthly burn. With ``monthly_growth`` g > 0 the burn
    grows g % a month and months = log(1 + cash·g ÷ burn) ÷ log(1 + g). Columns in
    ``RUNWAY_COLUMNS``; ``default`` marks the best-supported basis per company
    (stated burn, else operating cash flow, else adjusted net loss, else net loss;
    cash with liquid assets, else cash alone; without IPO money; a result before a scenario).

    Only results are used as results. A burn or IPO proceeds that the data has only as a
    forecast or estimate (``outlook``) still gives a row, as a scenario: ``scenario`` names
    the outlook, and such a row is the default only when no result-based row exists.

    With ``options.as_of``: ``months_left`` = months − the months from the cash date to
    that day, and a runway whose run-out date falls before it has status "ran out on
    paper" (the balance is out of date: a newer cash figure is needed). Rates are those
    published by that day.

    Edge cases: a burn of zero or less gives status "not burning" and no months,
    never infinity; IPO proceeds in another currency need the spot rate of their
    date, else status "no rate" naming it; a cash date more than six months from the
    burn period is flagged; bases the data lacks give no row.

    ``default_only``: only the row ``default`` marks, per company (what a table that shows
    the default basis needs; the other bases are never computed). ``index`` and ``outlooks``:
    ``FactIndex(facts)`` and ``FactIndex(facts, outlooks=True)`` when the caller has them.
    """
    options = options or RunwayOptions()
    index = FactIndex(facts) if index is None else index
    outlooks = FactIndex(facts, outlooks=True) if outlooks is None else outlooks
    found = _RunwayFacts(index, outlooks)
    # With IPO money required, which basis is the default depends on the proceeds too: then
    # every basis is made and the default chosen among them.
    direct = default_only and options.with_ipo is not True
    defaults = _default_bases(found, index.companies, options) if direct else {}
    rows: list[dict[str, object]] = []
    for company in index.companies:
        if direct:
            bases = [defaults[company]] if company in defaults else []
        else:
            bases = _bases(found, company, options)
            if default_only:
                # The basis ``_mark_default`` would mark, found from the bases alone: only its row is computed.
                best = _default_basis(bases)
                bases = [best] if best is not None else []
        company_rows = [_runway_row(basis, rates, options) for basis in bases]
        _mark_default(company_rows)
        rows.extend(company_rows)
    # Column by column: pandas reads a list of dicts cell by cell.
    return pd.DataFrame({c: [row[c] for row in rows] for c in RUNWAY_COLUMNS}, columns=RUNWAY_COLUMNS)


class _RunwayFacts:
    """The reports runway reads, chosen for every company at once (``FactIndex.latest``,
    ``nearest``, ``latest_after``) the first time a basis asks for them, then found by company:
    the latest balance of each cash basis; for each cash basis, the burn period of each burn
    basis nearest its date and the IPO proceeds received after it."""

    def __init__(self, index: FactIndex, outlooks: FactIndex) -> None:
        self.index, self.outlooks = index, outlooks
        self._balances: dict[str, dict[str, int]] = {}  # by cash basis
        self._burns: dict[tuple[str, bool], set[str]] = {}  # by burn basis, outlook or not
        self._chosen: dict[tuple[str, ...], dict[str, int]] = {}  # by what, cash basis and source

    def cash(self, cash_name: str, company: str) -> tuple[Input, Period] | None:
        position = self._cash(cash_name).get(company)
        return self.index.fact(position) if position is not None else None

    def burn(self, cash_name: str, burn_name: str, company: str) -> tuple[Input, Period] | None:
        """A result first; a forecast burn only where the data has no result (a scenario)."""
        for source, outlook in ((self.index, False), (self.outlooks, True)):
            position = self.burn_positions(cash_name, burn_name, outlook).get(company)
            if position is not None:
                return source.fact(position)
        return None

    def ipo(self, cash_name: str, company: str) -> tuple[Input, Period] | None:
        """The IPO proceeds received after the cash date: a result first, else an outlook."""
        for source, name in ((self.index, "result"), (self.outlooks, "outlook")):
            choose = source.latest_after
            position = self._choose(("ipo", cash_name, name), choose, IPO_PROCEEDS, cash_name).get(company)
            if position is not None:
                return source.fact(position)
        return None

    def has_cash(self, cash_name: str, company: str) -> bool:
        return company in self._cash(cash_name)

    def cash_positions(self, cash_name: str) -> dict[str, int]:
        """Per company, the position in ``index`` of its latest balance of ``cash_name``."""
        return self._cash(cash_name)

    def burn_positions(self, cash_name: str, burn_name: str, outlook: bool) -> dict[str, int]:
        """Per company, the position in ``index`` (``outlooks`` with ``outlook``) of its burn of
        ``burn_name`` nearest the date of its balance of ``cash_name``."""
        source = self.outlooks if outlook else self.index
        key = ("burn", cash_name, burn_name, "outlook" if outlook else "result")
        return self._choose(key, source.nearest, BURN_BASES[burn_name][0], cash_name)

    def burn_companies(self, burn_name: str, outlook: bool) -> set[str]:
        """The companies for which ``has_burn`` holds."""
        key = (burn_name, outlook)
        if key not in self._burns:
            self._burns[key] = (self.outlooks if outlook else self.index).flows(BURN_BASES[burn_name][0])
        return self._burns[key]

    def has_burn(self, burn_name: str, outlook: bool, company: str) -> bool:
        """Whether the company has a burn of ``burn_name`` over a stretch of time among the results
        (or the outlooks): whether ``burn`` finds one there, whatever the cash date."""
        return company in self.burn_companies(burn_name, outlook)

    def _cash(self, cash_name: str) -> dict[str, int]:
        if cash_name not in self._balances:
            self._balances[cash_name] = self.index.latest(CASH_BASES[cash_name][0])
        return self._balances[cash_name]

    def _choose(
        self, key: tuple[str, ...], choose: Callable[[str, dict[str, int]], dict[str, int]], metric: str, cash_name: str
    ) -> dict[str, int]:
        if key not in self._chosen:
            # Each company's cash date of this basis, in whole days since 1970.
            days = {company: int(self.index._end[position]) for company, position in self._cash(cash_name).items()}
            self._chosen[key] = choose(metric, days)
        return self._chosen[key]


def _bases(found: _RunwayFacts, company: str, options: RunwayOptions) -> list[_Basis]:
    """Every cash × burn (× IPO) basis the data supports for ``company`` and ``options`` allow."""
    bases = []
    for cash_name in CASH_BASES:
        if options.cash not in (None, cash_name):
            continue
        cash = found.cash(cash_name, company)
        if cash is None:
            continue
        for burn_name in BURN_BASES:
            if options.burn not in (None, burn_name):
                continue
            burn = found.burn(cash_name, burn_name, company)
            if burn is None:
                continue
            for with_ipo in (False, True):
                if options.with_ipo not in (None, with_ipo):
                    continue
                ipo = found.ipo(cash_name, company) if with_ipo else None
                if with_ipo and ipo is None:
                    continue
                bases.append(_Basis(company, cash_name, cash, burn_name, burn, ipo))
    return bases


def _default_basis(bases: list[_Basis]) -> _Basis | None:
    """The basis whose row ``_mark_default`` marks: without IPO money if any is, then the fewest
    inputs that are not results, then the order of the burn and the cash bases."""
    burn_order = {name: i for i, name in enumerate(BURN_BASES)}
    cash_order = {name: i for i, name in enumerate(CASH_BASES)}
    candidates = [b for b in bases if b.ipo is None] or bases
    return min(
        candidates,
        key=lambda b: (scenario_inputs(b.scenario), burn_order[b.burn_name], cash_order[b.cash_name]),
        default=None,
    )


def _default_names(found: _RunwayFacts, options: RunwayOptions) -> tuple[dict[str, str], dict[str, tuple[str, bool]]]:
    """Per company, the first cash basis it has; and the first burn basis it has as a result,
    else as an outlook (True), all of those ``options`` allow."""
    cash_of: dict[str, str] = {}
    for cash_name in CASH_BASES:
        if options.cash in (None, cash_name):
            for company in found.cash_positions(cash_name):
                cash_of.setdefault(company, cash_name)
    burn_of: dict[str, tuple[str, bool]] = {}
    for outlook in (False, True):
        for burn_name in BURN_BASES:
            if options.burn in (None, burn_name):
                for company in found.burn_companies(burn_name, outlook):
                    burn_of.setdefault(company, (burn_name, outlook))
    return cash_of, burn_of


def _default_bases(found: _RunwayFacts, companies: list[str], options: RunwayOptions) -> dict[str, _Basis]:
    """Per company, ``_default_basis(_bases(found, company, options))`` unless ``options.with_ipo``
    is True, found without making the other bases, and every company's reports made at once.

    Why the two agree: every basis has a cash balance that is a result, and one without IPO
    money exists for every cash × burn pair (``with_ipo`` is not True), so the default is
    without IPO money and its only possible outlook is the burn. The fewest outlooks, then the
    order of the burn bases, then of the cash bases: the first burn basis with a result burn,
    else the first with an outlook burn, over the first cash basis the company has (whether a
    burn exists does not depend on the cash date, only which period is nearest it).
    """
    cash_of, burn_of = _default_names(found, options)
    chosen = [c for c in companies if c in cash_of and c in burn_of]
    # The reports of each basis for all its companies at once.
    by_cash: dict[str, list[str]] = {}
    by_burn: dict[tuple[str, str, bool], list[str]] = {}
    for company in chosen:
        by_cash.setdefault(cash_of[company], []).append(company)
        by_burn.setdefault((cash_of[company], *burn_of[company]), []).append(company)
    cash: dict[str, tuple[Input, Period]] = {}
    for cash_name, which in by_cash.items():
        positions = found.cash_positions(cash_name)
        cash |= found.index.facts({c: positions[c] for c in which})
    burn: dict[str, tuple[Input, Period]] = {}
    for (cash_name, burn_name, outlook), which in by_burn.items():
        positions = found.burn_positions(cash_name, burn_name, outlook)
        burn |= (found.outlooks if outlook else found.index).facts({c: positions[c] for c in which})
    return {c: _Basis(c, cash_of[c], cash[c], burn_of[c][0], burn[c], None) for c in chosen}


@dataclass(frozen=True)
class _Basis:
    """One runway row's inputs: a cash balance, a burn, and the IPO proceeds when they are added."""

    company: str
    cash_name: str
    cash: tuple[Input, Period]
    burn_name: str
    burn: tuple[Input, Period]
    ipo: tuple[Input, Period] | None  # None: without the IPO proceeds

    @property
    def scenario(self) -> str:
        """Why the row is a scenario: the inputs that are forecasts or estimates, in words."""
        outlooks = [item for item, _ in (self.cash, self.burn, *([self.ipo] if self.ipo else [])) if item.outlook]
        return "; ".join(f"{i.key} {i.period} is {_article(i.outlook)} {i.outlook}, not a result" for i in outlooks)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _runway_row(basis: _Basis, rates: tuple[FxRate, ...], options: RunwayOptions) -> dict[str, object]:
    (cash, cash_period), (burn, burn_period) = basis.cash, basis.burn
    cash_day, burn_name, with_ipo = cash_period.end, basis.burn_name, basis.ipo is not None
    if burn_name == "stated":
        monthly = burn.amount  # already per month
    elif burn_name == "operating":
        monthly = -burn.amount / burn_period.months  # an outflow is negative in the statement
    else:
        monthly = burn.amount / burn_period.months  # losses are positive numbers
    inputs: list[Input] = [cash, burn]
    total, ipo_amount, status, note = cash.amount, math.nan, Status.OK, ""
    if basis.ipo is not None:
        ipo, ipo_period = basis.ipo
        rate = find_rate(rates, ipo.currency, cash.currency, ipo_period, options.overrides, options.as_of)
        inputs.append(ipo)
        if isinstance(rate, str):
            status, note = Status.NO_RATE, rate
        else:
            ipo_amount = ipo.amount * rate.value
            total += ipo_amount
            inputs.append(_rate_input(rate, ipo.period))
    flags = [f"{i.key} {i.period}: {i.inferred}" for i in inputs if i.inferred]
    gap = min(abs((burn_period.end - cash_day).days), abs((burn_period.start - cash_day).days))
    if not burn_period.start <= cash_day <= burn_period.end and gap > FAR_APART_DAYS:
        flags.append(f"cash date {cash.period} is {gap // 30} months from the burn period {burn_period.label}")
    months, months_left = math.nan, math.nan
    runs_out: date | None = None
    if status == Status.OK and monthly <= 0:
        status, note = Status.NOT_BURNING, "the burn basis shows no cash going out"
    elif status == Status.OK:
        months = _months(total, monthly, options.monthly_growth / 100)
        if math.isinf(months):
            status, note = Status.NEVER_RUNS_OUT, "the burn shrinks fast enough that the cash is never used up"
            months = math.nan
        else:
            runs_out = cash_day + timedelta(days=months * DAYS_PER_MONTH)
    if options.as_of is not None and runs_out is not None:
        months_left = months - (options.as_of - cash_day).days / DAYS_PER_MONTH
        if runs_out < options.as_of:
            status = Status.RAN_OUT_ON_PAPER
            note = (
                f"ran out on paper on {runs_out}, before the as-of date {options.as_of}: a newer cash figure is needed"
            )
    label = BURN_BASES[burn_name][1] + "; " + CASH_BASES[basis.cash_name][1]
    label += "; with IPO net proceeds" if with_ipo else ""
    growth_text = f", burn changing {options.monthly_growth:+g}% a month" if options.monthly_growth else ""
    formula = f"({cash.key} {cash.period}{' + ipo_net_proceeds' if with_ipo else ''}) ÷ ({burn.key} {burn_period.label}"
    formula += f" ÷ {burn_period.months} months)" if burn_name != "stated" else ")"
    scenario = basis.scenario
    return {
        "company": basis.company,
        "cash_basis": basis.cash_name,
        "burn_basis": burn_name,
        "with_ipo": with_ipo,
        "currency": cash.currency,
        "cash_date": cash_day,
        "cash": cash.amount,
        "ipo": ipo_amount,
        "burn_period": burn_period.label,
        "burn": monthly,
        "monthly_growth": options.monthly_growth,
        "months": months,
        "runs_out": runs_out,
        "status": status,
        "label": label + growth_text + (f"; a scenario: {scenario}" if scenario else ""),
        "flags": "; ".join(flags + ([note] if note else [])),
        "formula": formula,
        "inputs": tuple(inputs),
        "default": False,
        "as_of": options.as_of,
        "months_left": months_left,
        "scenario": scenario,
    }


def _months(cash: float, burn: float, growth: float) -> float:
    """Months until cumulative burn reaches the cash.

    >>> _months(1200.0, 100.0, 0.0)
    12.0
    >>> round(_months(1200.0, 100.0, 0.05), 2)  # log(1 + 1200·0.05/100) / log(1.05)
    9.63
    >>> _months(1200.0, 100.0, -0.10)  # a burn falling 10 % a month sums to 1000 at most
    inf
    """
    if growth == 0:
        return cash / burn
    remaining = 1 + cash * growth / burn
    if remaining <= 0:  # a shrinking burn whose total never reaches the cash
        return math.inf
    return math.log(remaining) / math.log(1 + growth)


def _rate_input(rate: RateUsed, period: str) -> Input:
    pair, quoted = rate.quoted
    return Input(f"{pair} rate", period, quoted, "", rate.cited, "rate", rate.basis)


def scenario_inputs(scenario: str) -> int:
    """How many inputs of a runway row are not results (forecasts, estimates), from its
    ``scenario`` column: the default basis has the fewest.

    >>> scenario_inputs(""), scenario_inputs("a is a forecast, not a result; b is an estimate, not a result")
    (0, 2)
    """
    return scenario.count(", not a result")


def _mark_default(rows: list[dict[str, object]]) -> None:
    order = {name: i for i, name in enumerate(BURN_BASES)}
    cash_order = {name: i for i, name in enumerate(CASH_BASES)}
    candidates = [r for r in rows if not r["with_ipo"]] or rows
    if candidates:
        best = min(
            candidates,
            key=lambda r: (
                scenario_inputs(str(r["scenario"])),
                order[str(r["burn_basis"])],
                cash_order[str(r["cash_basis"])],
            ),
        )
        best["default"] = True


# --- Run-rates, trailing twelve months, unit economics, valuation ------------------------


def run_rates(facts: pd.DataFrame, metric: str = "revenue", *, index: FactIndex | None = None) -> pd.DataFrame:
    """Interims scaled to a year, and trailing twelve months where the data allows.

    Figures: ``{metric}_annualised`` (an interim × 12 ÷ its months, labelled
    annualised: a run-rate, not a result) and ``{metric}_ttm`` = last full year +
    interim − the same interim a year earlier, for the twelve months to the
    interim's end. Edge cases: a full year or a date gives no run-rate; TTM needs
    all three periods in one currency, else there is no figure, and an interim that
    starts with its fiscal year (Q1, H1, 9M): H2 or Q2–Q4 gives none. ``index``: as for ``growth``.
    """
    index = FactIndex(facts) if index is None else index
    figures: list[Figure] = []
    for company in index.companies:
        key = metric
        for period in sorted(index.periods.get((company, key), []), key=lambda p: p.end):
            if period.is_instant or period.months >= 12 or not _kind(period):
                continue
            now = index.get(company, key, period.label)
            assert now is not None
            figures.append(
                Figure(
                    company,
                    f"{metric}_annualised",
                    period.label,
                    now.amount * 12 / period.months,
                    now.currency,
                    label=f"annualised run-rate ({period.label} × 12 ÷ {period.months}), not a result",
                    formula=f"{key} {period.label} × 12 ÷ {period.months}",
                    inputs=(now,),
                )
            )
            ttm = _ttm(index, company, key, period, now)
            if ttm is not None:
                figures.append(ttm)
    return figures_frame(figures)


def _ttm(index: FactIndex, company: str, key: str, period: Period, now: Input) -> Figure | None:
    """Last full year + ``now`` − the same period a year earlier, all found by their dates.

    Twelve months to the interim's end only when the interim starts with its fiscal year
    (Q1, H1, 9M): for H2 or Q2–Q4 the sum would leave a gap and count months twice.
    """
    year = fiscal_year_of(period)
    if year is None or year.start != period.start:
        return None
    last_year = index.at(company, key, year_earlier(year))
    before = index.at(company, key, year_earlier(period))
    if last_year is None or before is None or len({now.currency, last_year.currency, before.currency}) != 1:
        return None
    return Figure(
        company,
        f"{split_key(key)[0]}_ttm",
        f"TTM to {period.end}",
        now.amount + last_year.amount - before.amount,
        now.currency,
        label="trailing twelve months",
        formula=f"{key} {last_year.period} + {key} {now.period} − {key} {before.period}",
        inputs=(last_year, now, before),
    )


def unit_economics(
    facts: pd.DataFrame,
    rates: tuple[FxRate, ...],
    overrides: dict[tuple[str, str], float] | None = None,
    as_of: date | None = None,
    *,
    index: FactIndex | None = None,
) -> pd.DataFrame:
    """Revenue per employee, revenue per paying user, and market cap ÷ revenue.

    Revenue per employee uses the twelve months (a full year, else TTM) ending at
    the headcount date. Revenue per paying user divides a period's revenue of the
    products users pay for (``revenue[ai_native_products]`` where the sheet has it,
    else revenue) by that period's paying users. Market cap ÷ revenue uses the
    latest twelve months ending before the market-cap date, the market cap
    converted at that date's spot rate (published by ``as_of``, when given). Every
    market-cap date gets a figure; a missing rate gives status "no rate" naming it, and
    the caller must not fall back to an older date. A multiple carries its inputs'
    qualifiers (``qualifier``: a "more than" market cap gives a more_than multiple, see
    ``carried_qualifier``), and a TTM names its window. Edge cases: no twelve-month
    revenue or a zero denominator give no figure. ``index``: as for ``growth``.
    """
    index = FactIndex(facts) if index is None else index
    twelve = _twelve_months(index)
    figures: list[Figure] = []
    for company in index.companies:
        for period in index.periods.get((company, "employees"), []):
            staff = index.get(company, "employees", period.label)
            revenue = twelve.get((company, period.end))
            if staff is not None and revenue is not None and staff.amount > 0:
                figures.append(
                    Figure(
                        company,
                        "revenue_per_employee",
                        period.label,
                        revenue.amount / staff.amount,
                        revenue.currency,
                        label=f"revenue {revenue.period} per employee",
                        formula=f"revenue {revenue.period} ÷ employees {period.label}",
                        inputs=(revenue, staff),
                    )
                )
        for period in index.periods.get((company, "paying_users"), []):
            users = index.get(company, "paying_users", period.label)
            revenue = index.get(company, "revenue[ai_native_products]", period.label) or index.get(
                company, "revenue", period.label
            )
            if users is not None and revenue is not None and users.amount > 0 and not period.is_instant:
                figures.append(
                    Figure(
                        company,
                        "revenue_per_paying_user",
                        period.label,
                        revenue.amount / users.amount,
                        revenue.currency,
                        label=f"over {period.label}, not per month",
                        formula=f"{revenue.key} {period.label} ÷ paying_users {period.label}",
                        inputs=(revenue, users),
                    )
                )
        for period in sorted(index.periods.get((company, "market_cap"), []), key=lambda p: p.end):
            cap = index.get(company, "market_cap", period.label)
            revenue = _latest_before(twelve, company, period.end)
            if cap is None or revenue is None or revenue.amount <= 0:
                continue
            window = f" ({revenue.note.rsplit('; ', 1)[-1]})" if revenue.period.startswith("TTM") else ""
            base = Figure(
                company,
                "market_cap_to_revenue",
                period.label,
                math.nan,
                Measure.TIMES,
                Status.NO_RATE,
                f"market cap on {period.label} ÷ revenue {revenue.period}{window}",
                f"market_cap {period.label} ÷ revenue {revenue.period}",
                (cap, revenue),
                qualifier=carried_qualifier([cap.qualifier], [revenue.qualifier]),
            )
            rate = find_rate(rates, cap.currency, revenue.currency, period, overrides, as_of)
            if isinstance(rate, str):
                figures.append(replace(base, note=rate))
            else:
                figures.append(
                    replace(
                        base,
                        value=cap.amount * rate.value / revenue.amount,
                        status=Status.OK,
                        inputs=(cap, revenue, _rate_input(rate, period.label)),
                    )
                )
    return figures_frame(figures)


def _twelve_months(index: FactIndex) -> dict[tuple[str, date], Input]:
    """Revenue over twelve months ending on a date: full years, then TTM where there is no full year."""
    found: dict[tuple[str, date], Input] = {}
    for company in index.companies:
        periods = index.periods.get((company, "revenue"), [])
        for period in periods:
            value = index.get(company, "revenue", period.label)
            if _kind(period) == "FY" and value is not None:
                found[(company, period.end)] = value
        for period in sorted(periods, key=lambda p: p.end):
            now = index.get(company, "revenue", period.label)
            ttm = _ttm(index, company, "revenue", period, now) if now is not None and period.months < 12 else None
            if ttm is not None:
                sources = ", ".join(i.source for i in ttm.inputs)
                window = f"twelve months {year_earlier(period).end + timedelta(days=1)} to {period.end}"
                qualifier = carried_qualifier([i.qualifier for i in ttm.inputs[:2]], [ttm.inputs[2].qualifier])
                found.setdefault(
                    (company, period.end),
                    Input(
                        "revenue",
                        ttm.period,
                        ttm.value,
                        ttm.unit,
                        sources,
                        note=f"{ttm.formula}; {window}",
                        qualifier=qualifier,
                    ),
                )
    return found


def _latest_before(twelve: dict[tuple[str, date], Input], company: str, day: date) -> Input | None:
    ends = sorted(end for c, end in twelve if c == company and end < day)
    return twelve[(company, ends[-1])] if ends else None


def carried_qualifier(rising: list[str], falling: list[str]) -> str:
    """The qualifier of a figure computed from figures with these qualifiers: ``rising`` the
    inputs it grows with (a numerator, the minuend), ``falling`` those it shrinks with (a
    denominator, the subtrahend). The one rule for every derived figure; ``quotient_qualifier``
    sorts a quotient's inputs into the two.

    Exact figures give an exact one. A lower bound (more than, at least) among ``rising``,
    or an upper bound among ``falling``, makes the result a lower bound, and the other way
    round; an "about" (or a range, which no computation takes whole) makes it "about".
    Bounds pointing both ways, or a bound with an "about", bound nothing: "about" (the
    figure is an approximation, no side is sure).

    >>> carried_qualifier(["more_than"], ["exact"]), carried_qualifier(["exact"], ["more_than"])
    ('more_than', 'less_than')
    >>> carried_qualifier(["about"], ["exact"]), carried_qualifier(["at_least", "exact"], [])
    ('about', 'at_least')
    >>> carried_qualifier(["more_than"], ["about"]), carried_qualifier(["exact"], ["exact"])
    ('about', 'exact')
    >>> carried_qualifier(["more_than"], ["more_than"]), carried_qualifier(["range"], [])
    ('about', 'about')
    """
    flip = {"more_than": "less_than", "at_least": "at_most", "less_than": "more_than", "at_most": "at_least"}
    found = {q for q in rising if q != "exact"} | {flip.get(q, q) for q in falling if q != "exact"}
    found = {"about" if q == "range" else q for q in found}
    if not found:
        return "exact"
    if len(found) == 1:
        return found.pop()
    lower, upper = found <= {"more_than", "at_least"}, found <= {"less_than", "at_most"}
    if lower or upper:  # a strict and an inclusive bound the same way: the strict one holds
        return "more_than" if lower else "less_than"
    return "about"


def quotient_qualifier(top: Input, bottom: Input, sign: float = 1.0) -> str:
    """The qualifier of ``sign`` × top ÷ bottom, for a positive bottom: a margin, and growth
    (now ÷ before − 1: the − 1 moves nothing). Which way each input pulls follows the
    arithmetic: the quotient grows with its top; with its bottom it shrinks while the top is
    positive and grows while it is negative (−10 ÷ 5 = −2 < −10 ÷ 10 = −1); a sign of −1 (a
    net margin is −loss ÷ revenue) turns both round.

    >>> def i(amount: float, qualifier: str) -> Input:
    ...     return Input("x", "FY2024", amount, "USD", "s", qualifier=qualifier)
    >>> quotient_qualifier(i(130, "more_than"), i(100, "exact"))  # growth > 30 %
    'more_than'
    >>> quotient_qualifier(i(130, "exact"), i(100, "more_than"))  # from a base above 100: < 30 %
    'less_than'
    >>> quotient_qualifier(i(-20, "exact"), i(100, "more_than"))  # −20 ÷ >100 is above −20 %
    'more_than'
    >>> quotient_qualifier(i(465, "more_than"), i(1000, "exact"), -1)  # a loss above 465: margin < −46.5 %
    'less_than'
    >>> quotient_qualifier(i(130, "more_than"), i(100, "at_least"))  # both pull up and down
    'about'
    >>> quotient_qualifier(i(130, "about"), i(100, "exact"))
    'about'
    """
    rising, falling = [top.qualifier], [bottom.qualifier]
    if top.amount < 0:
        rising, falling = rising + falling, []
    if sign < 0:
        rising, falling = falling, rising
    return carried_qualifier(rising, falling)
