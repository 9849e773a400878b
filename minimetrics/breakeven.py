"""Path to breakeven: when revenue would catch up with costs, and whether the cash lasts until then.

Pure: the tidy facts frame in, frozen records out; no I/O, printing or rounding. Only the
preferred, disclosed report of each fact is used, company totals only (no segments). Period
starts, ends and lengths come from the frame's columns, never from the labels (a fiscal year
may end in March).

The model (issue 12), every step named in the record it returns:

- **Base period**: the latest period (by end; at the same end a named period before a custom
  span, then the longer) with revenue and the loss basis. Monthly levels R0 = revenue ÷ months,
  L0 = loss ÷ months, costs C0 = R0 + L0.
- **Growth** (percent a year): g_r = revenue now ÷ revenue a year earlier − 1, and g_c the same
  for costs (revenue + loss), on the latest pair of periods of the same length a year apart
  that has revenue and the loss in both. Either may be given instead (``revenue_growth``,
  ``cost_growth``); the record says which.
- **Projection** from the cash date (month 0, at the base period's levels: an assumption):
  R(t) = R0·(1+g_r)^(t/12), C(t) = C0·(1+g_c)^(t/12) for t = 1, 2, … up to the horizon.
- **Breakeven month** t* = the first t with R(t) ≥ C(t); **cash needed** = Σ_{t=1}^{t*−1} (C(t) − R(t)).
- **Alive** when the cash held (a runway cash basis, with ``with_ipo`` plus the IPO net
  proceeds received after the cash date) covers the cash needed; else **dead**, and the cash
  runs out in the first month whose cumulative loss exceeds the cash held.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping, Sequence
from dataclasses import field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from minimetrics.dataset import Dataset, find_company
from minimetrics.factsheet import FxRate
from minimetrics.fx import find_rate
from minimetrics.history import known_on
from minimetrics.metrics import BURN_BASES, CASH_BASES, FAR_APART_DAYS, IPO_PROCEEDS
from minimetrics.problems import UsageError
from minimetrics.records import Record
from minimetrics.registry import Period
from minimetrics.results import (
    BaseLevels,
    Breakeven,
    BreakevenGrid,
    BreakevenGridTable,
    BreakevenStatus,
    BreakevenTable,
    CashHeld,
    GridCell,
    GrowthAssumption,
    Input,
    LossBasis,
    Projection,
    ProjectionPoint,
    RateUsed,
    SourceRef,
    Viability,
)
from minimetrics.tidy import facts_frame

# Growth rates are percent a year. At −100 % a line is gone in a year and below it turns
# negative; above +10,000 % (101 times in a year) a rate is a typo, not a plan.
MIN_GROWTH = -100.0  # exclusive
MAX_GROWTH = 10_000.0  # inclusive
DEFAULT_HORIZON_YEARS = 10
MAX_HORIZON_YEARS = 50
# The sensitivity grid's default axes: the base case and ± 25 and 50 percentage points.
DEFAULT_STEPS = (-50.0, -25.0, 0.0, 25.0, 50.0)
# R(t) ≥ C(t) is tested with this relative slack, so that an exact crossing such as
# 10·2^(12/12) against 20 is not missed by a last-bit rounding of the power.
_TOLERANCE = 1e-12


class BreakevenOptions(Record):
    """What to assume; every default comes from the data.

    ``revenue_growth`` and ``cost_growth`` are percent a year and replace the growth taken
    from the data; ``cash`` is a runway cash basis ("liquid" or "cash"; None: the first the
    company has, in that order); ``as_of`` is the date that months are also counted from
    (None: the cash date); ``overrides`` are ``--fx`` rates.
    """

    loss: LossBasis = LossBasis.ADJUSTED_LOSS
    cash: str | None = None
    with_ipo: bool = False
    revenue_growth: float | None = None
    cost_growth: float | None = None
    horizon_years: int = DEFAULT_HORIZON_YEARS
    as_of: date | None = None
    overrides: Mapping[tuple[str, str], float] = field(default_factory=dict)


# --- The arithmetic -----------------------------------------------------------------------


def project(
    monthly_revenue: float,
    monthly_costs: float,
    revenue_growth: float,
    cost_growth: float,
    cash_held: float | None,
    horizon_months: int,
) -> Projection:
    """R(t) = R0·(1+g_r)^(t/12) and C(t) = C0·(1+g_c)^(t/12), month by month from t = 1.

    Growth in percent a year. Stops at the first t with R(t) ≥ C(t), else at the horizon.
    The cash-out month is looked for only before breakeven, and only with a cash figure.

    >>> p = project(10.0, 20.0, 100.0, 0.0, 100.0, 120)  # 10·2^(t/12) reaches 20 at t = 12
    >>> p.breakeven_month, round(p.cash_needed or 0, 4), p.cash_out_month
    (12, 61.8285, None)
    """
    revenue_factor, cost_factor = 1 + revenue_growth / 100, 1 + cost_growth / 100
    points = [ProjectionPoint(0, monthly_revenue, monthly_costs, 0.0)]
    cumulative = 0.0
    cash_out: int | None = None
    for t in range(1, horizon_months + 1):
        revenue = monthly_revenue * revenue_factor ** (t / 12)
        costs = monthly_costs * cost_factor ** (t / 12)
        if revenue >= costs * (1 - _TOLERANCE):
            points.append(ProjectionPoint(t, revenue, costs, cumulative))
            return Projection(t, cumulative, cash_out, tuple(points))
        cumulative += costs - revenue
        if cash_out is None and cash_held is not None and cumulative > cash_held:
            cash_out = t
        points.append(ProjectionPoint(t, revenue, costs, cumulative))
    return Projection(None, None, cash_out, tuple(points))


def _verdict(projection: Projection) -> Viability:
    """Alive, dead or undecided, for a projection made with a cash figure."""
    if projection.cash_out_month is not None:
        return Viability.DEAD
    return Viability.ALIVE if projection.breakeven_month is not None else Viability.UNDECIDED


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; a month's last day stays a last day.

    >>> add_months(date(2025, 6, 30), 1), add_months(date(2025, 12, 31), 2), add_months(date(2025, 1, 15), 13)
    (datetime.date(2025, 7, 31), datetime.date(2026, 2, 28), datetime.date(2026, 2, 15))
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if at_end else min(day.day, last))


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``, negative when ``end`` is earlier.

    >>> whole_months(date(2025, 12, 31), date(2026, 3, 14)), whole_months(date(2025, 12, 31), date(2026, 2, 28))
    (2, 2)
    >>> whole_months(date(2026, 3, 14), date(2025, 12, 31))
    -2
    """
    if end < start:
        return -whole_months(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1


# --- From the frame -------------------------------------------------------------------------


class _Fact(Record):
    """A preferred, disclosed report with its period's dates and length from the frame."""

    input: Input
    start: date
    end: date
    months: int
    is_instant: bool

    @property
    def order(self) -> tuple[date, bool, int]:
        # Latest end first; at the same end a named period before a custom span (runway's rule), then the longer.
        return (self.end, "/" not in self.input.period, self.months)


# basis → (metric, what it is in words); the metrics are runway's, for the same basis names.
_LOSS_METRICS = {
    basis: (BURN_BASES[basis.value][0], words)
    for basis, words in (
        (LossBasis.ADJUSTED_LOSS, "adjusted net loss"),
        (LossBasis.NET_LOSS, "net loss"),
        (LossBasis.OPERATING, "operating cash outflow"),
    )
}
_USED = frozenset(
    ["revenue", IPO_PROCEEDS, *(m for m, _ in _LOSS_METRICS.values()), *(m for m, _ in CASH_BASES.values())]
)
_Index = dict[tuple[str, str], dict[str, _Fact]]  # (company, metric) → period label → fact


def _read(options: BreakevenOptions) -> frozenset[str]:
    """The metrics a path on ``options`` reads: revenue, its loss basis, the cash bases it may take, IPO proceeds with ``with_ipo``."""
    cash = [options.cash] if options.cash is not None else list(CASH_BASES)
    return frozenset(
        ["revenue", _LOSS_METRICS[options.loss][0], *(CASH_BASES[name][0] for name in cash)]
        + ([IPO_PROCEEDS] if options.with_ipo else [])
    )


def _index(facts: pd.DataFrame, metrics: frozenset[str]) -> tuple[list[str], _Index]:
    """The preferred reports of ``metrics`` by company and metric, then period label; and every company."""
    # Results only, with one figure: never a forecast or an estimate, never a range's midpoint.
    used = np.flatnonzero(
        facts["preferred"].to_numpy(bool)
        & facts["disclosed"].to_numpy(bool)
        & facts["result"].to_numpy(bool)
        & ~np.isnan(facts["amount"].to_numpy(float))
        & (facts["segment"].to_numpy() == "")
        & facts["metric"].isin(metrics).to_numpy()
    )

    def column(name: str) -> list[Any]:
        # The rows used of one column: the frame itself is never copied (it has some forty).
        return facts[name].to_numpy()[used].tolist()  # type: ignore[no-any-return]

    index: _Index = {}
    columns = ("company", "metric", "period", "months", "is_instant")
    details = ("amount", "currency", "source", "unit")
    # Dates as numpy days, whose ``tolist`` gives ``date`` objects: a Timestamp per row took most of the time.
    starts, ends = (facts[c].to_numpy("datetime64[D]")[used].tolist() for c in ("period_start", "period_end"))
    for (company, metric, label, months, instant), start, end, (amount, currency, source, unit) in zip(
        zip(*(column(c) for c in columns), strict=True),
        starts,
        ends,
        zip(*(column(c) for c in details), strict=True),
        strict=True,
    ):
        found = Input(str(metric), str(label), float(amount), str(currency), str(source), str(unit))
        index.setdefault((str(company), str(metric)), {})[str(label)] = _Fact(
            found, start, end, int(months), bool(instant)
        )
    return sorted(str(company) for company in facts["company"].unique()), index


def _latest_pair(revenue: dict[str, _Fact], loss: dict[str, _Fact] | None) -> tuple[str, str] | None:
    """The latest period with revenue (and the loss, when asked) and its like a year earlier with the same."""
    # A year earlier is a period starting and ending in the same months one year before, so of the
    # same length (FY with FY, 9M with 9M). Months, not days: a fiscal year ending on the last day
    # of February ends on the 28th one year and the 29th another. Each period's year earlier is
    # looked up by those months, not every pair tried; the lists keep the order of ``revenue``, so
    # the pairs come in the order a loop over every pair gives, and ``max`` keeps the same first.
    by_months: dict[tuple[int, int, int, int], list[_Fact]] = {}
    for fact in revenue.values():
        by_months.setdefault((fact.start.year, fact.start.month, fact.end.year, fact.end.month), []).append(fact)
    pairs = [
        (now, before)
        for now in revenue.values()
        if not now.is_instant
        for before in by_months.get((now.start.year - 1, now.start.month, now.end.year - 1, now.end.month), ())
        if loss is None or (now.input.period in loss and before.input.period in loss)
    ]
    if not pairs:
        return None
    now, before = max(pairs, key=lambda pair: pair[0].order)
    return now.input.period, before.input.period


def _loss_amount(basis: LossBasis, fact: _Fact) -> float:
    # Losses are written positive; an operating outflow is negative in the cash-flow statement.
    return -fact.input.amount if basis is LossBasis.OPERATING else fact.input.amount


def _rate_input(rate: RateUsed, period: str) -> Input:
    pair, quoted = rate.quoted
    return Input(f"{pair} rate", period, quoted, "", rate.cited, "rate", rate.basis)


def _convert(
    fact: _Fact, target: str, rates: tuple[FxRate, ...], options: BreakevenOptions
) -> tuple[float, Input | None] | str:
    """An amount at a date in ``target``, at that date's spot rate (known by ``as_of``), or why there is no rate."""
    period = Period(fact.input.period, fact.start, fact.end, fact.is_instant)
    rate = find_rate(rates, fact.input.currency, target, period, dict(options.overrides), options.as_of)
    if isinstance(rate, str):
        return rate
    if rate.source == rate.target:
        return fact.input.amount, None
    return fact.input.amount * rate.value, _rate_input(rate, fact.input.period)


# --- The records ----------------------------------------------------------------------------


def check_options(options: BreakevenOptions) -> None:
    """Raise ``UsageError`` for a growth rate or horizon outside the bounds (exit 2 at the CLI)."""
    for name, rate in (("revenue_growth", options.revenue_growth), ("cost_growth", options.cost_growth)):
        if rate is not None and not (math.isfinite(rate) and MIN_GROWTH < rate <= MAX_GROWTH):
            raise UsageError(
                f"{name} {rate:g}% a year is out of bounds",
                f"give a rate above {MIN_GROWTH:g}% and at most {MAX_GROWTH:,.0f}% a year",
            )
    if not 1 <= options.horizon_years <= MAX_HORIZON_YEARS:
        raise UsageError(
            f"a horizon of {options.horizon_years} years is out of bounds",
            f"give 1 to {MAX_HORIZON_YEARS} years; a projection further out says nothing",
        )
    if options.cash is not None and options.cash not in CASH_BASES:
        raise UsageError(f'unknown cash basis "{options.cash}"', "use one of " + ", ".join(CASH_BASES))


def breakeven(
    facts: pd.DataFrame, rates: tuple[FxRate, ...] = (), options: BreakevenOptions | None = None
) -> tuple[Breakeven, ...]:
    """Every company's path to breakeven (see the module docstring for the model), one record each.

    Edge cases: no base period, a growth pair or a cash balance missing, zero revenue,
    a zero or negative base for growth, or inputs in two currencies give status or verdict
    n/m with the reason; a loss of zero or less in the base period is "already profitable";
    no crossing within the horizon is "never"; a missing exchange rate for the cash is
    verdict "no rate" naming it. Never inf or NaN. Bad options raise ``UsageError``.
    """
    options = options or BreakevenOptions()
    check_options(options)
    companies, index = _index(facts, _read(options))  # an _Fact per report made is most of the time
    return tuple(_company(index, rates, options, company) for company in companies)


def _company(index: _Index, rates: tuple[FxRate, ...], options: BreakevenOptions, company: str) -> Breakeven:
    loss_metric, loss_words = _LOSS_METRICS[options.loss]
    revenue = index.get((company, "revenue"), {})
    loss = index.get((company, loss_metric), {})
    record = Breakeven(
        company,
        BreakevenStatus.NOT_MEANINGFUL,
        Viability.NOT_MEANINGFUL,
        options.loss,
        options.horizon_years * 12,
        as_of=options.as_of,
        formula=(
            "R(t) = R0·(1+g_r)^(t/12), C(t) = C0·(1+g_c)^(t/12); t* = first t with R(t) ≥ C(t); "
            "cash needed = Σ_{t=1}^{t*−1} (C(t) − R(t)); alive when cash held ≥ cash needed"
        ),
    )
    durations = [f for label, f in revenue.items() if not f.is_instant and label in loss]
    if not durations:
        return replace(record, reason=f"no period has both revenue and {loss_metric}")
    base_revenue = max(durations, key=lambda f: f.order)
    base_loss = loss[base_revenue.input.period]
    label, months = base_revenue.input.period, base_revenue.months
    record = replace(record, currency=base_revenue.input.currency)
    if base_loss.input.currency != base_revenue.input.currency:
        return replace(record, reason=f"revenue and {loss_metric} {label} are in different currencies")
    if months <= 0:
        return replace(record, reason=f"the base period {label} has zero months")
    if base_revenue.input.amount <= 0:
        return replace(record, reason=f"revenue {label} is zero or negative: it cannot grow into the costs")
    r0 = base_revenue.input.amount / months
    l0 = _loss_amount(options.loss, base_loss) / months
    base = BaseLevels(
        label, base_revenue.start, base_revenue.end, months, base_revenue.input, base_loss.input, r0, l0, r0 + l0
    )
    record = replace(record, base=base)

    cash = _cash(index, rates, options, company, record.currency)
    start = cash.date if isinstance(cash, CashHeld) else base.end
    record = replace(
        record,
        start=start,
        cash=cash if isinstance(cash, CashHeld) else None,
        assumptions=_assumptions(base, cash, start, loss_words, options),
    )
    if l0 <= 0:
        return replace(
            record,
            status=BreakevenStatus.ALREADY_PROFITABLE,
            verdict=Viability.ALIVE,
            reason=f"{loss_metric} {label} shows no loss",
            cash_needed=0.0,
        )

    growths = _growths(revenue, loss, options, loss_metric)
    if isinstance(growths, str):
        return replace(record, reason=growths)
    g_r, g_c = growths
    record = replace(record, revenue_growth=g_r, cost_growth=g_c)
    if isinstance(cash, str):  # no balance at all: the path still stands, the verdict cannot
        held, verdict, cash_reason = None, Viability.NOT_MEANINGFUL, cash
    elif cash.total is None:
        held, verdict, cash_reason = None, Viability.NO_RATE, cash.note
    else:
        held, verdict, cash_reason = cash.total, None, ""
    path = project(r0, r0 + l0, g_r.rate, g_c.rate, held, record.horizon_months)
    return _with_path(
        replace(record, cash_reason=cash_reason), path, held, verdict if verdict is not None else _verdict(path), start
    )


def _with_path(record: Breakeven, path: Projection, held: float | None, verdict: Viability, start: date) -> Breakeven:
    """The record with the projection's months, dates and cash figures."""
    years = record.horizon_months // 12
    record = replace(
        record,
        status=BreakevenStatus.OK if path.breakeven_month is not None else BreakevenStatus.NEVER,
        verdict=verdict,
        projection=path.points,
        cash_needed=path.cash_needed,
        cash_out_month=path.cash_out_month,
    )
    if path.breakeven_month is None:
        record = replace(record, reason=f"revenue does not catch up with costs within {years} years")
    else:
        record = replace(
            record,
            breakeven_month=path.breakeven_month,
            breakeven_date=add_months(start, path.breakeven_month),
            cushion=held - path.cash_needed if held is not None and path.cash_needed is not None else None,
        )
    if verdict is Viability.UNDECIDED:
        record = replace(record, cash_reason=f"the cash lasts the {years}-year horizon")
    if path.cash_out_month is not None:
        record = replace(record, cash_out_date=add_months(start, path.cash_out_month))
    if record.as_of is not None:
        elapsed = whole_months(start, record.as_of)
        record = replace(
            record,
            breakeven_months_from_as_of=None if record.breakeven_month is None else record.breakeven_month - elapsed,
            cash_out_months_from_as_of=None if record.cash_out_month is None else record.cash_out_month - elapsed,
        )
    return record


def _cash(
    index: _Index, rates: tuple[FxRate, ...], options: BreakevenOptions, company: str, currency: str
) -> CashHeld | str:
    """The latest balance of the first cash basis the company has, plus IPO proceeds after it; or why none."""
    names = [options.cash] if options.cash is not None else list(CASH_BASES)
    found = [
        (name, max(dates, key=lambda f: f.end))
        for name in names
        if (dates := [f for f in index.get((company, CASH_BASES[name][0]), {}).values() if f.is_instant])
    ]
    if not found:
        return "no cash balance (" + " or ".join(CASH_BASES[name][0] for name in names) + ") in the data"
    name, balance = found[0]
    notes: list[str] = []
    used: list[Input] = []
    amounts: list[float | None] = []
    ipo = _ipo_after(index, company, balance.end, options.with_ipo)
    for fact in [balance, *ipo]:
        converted = _convert(fact, currency, rates, options)
        if isinstance(converted, str):
            notes.append(converted)
            amounts.append(None)
        else:
            amounts.append(converted[0])
            used += [converted[1]] if converted[1] is not None else []
    total = None if None in amounts else sum(a for a in amounts if a is not None)
    return CashHeld(
        name,
        balance.end,
        balance.input,
        amounts[0],
        ipo[0].input if ipo else None,
        amounts[1] if ipo else None,
        tuple(used),
        total,
        "; ".join(notes),
    )


def _ipo_after(index: _Index, company: str, day: date, with_ipo: bool) -> list[_Fact]:
    """The latest IPO net proceeds received after the cash date (as runway takes them), with ``with_ipo``."""
    after = [f for f in index.get((company, IPO_PROCEEDS), {}).values() if f.start > day] if with_ipo else []
    return [max(after, key=lambda f: f.end)] if after else []


def _growths(
    revenue: dict[str, _Fact], loss: dict[str, _Fact], options: BreakevenOptions, loss_metric: str
) -> tuple[GrowthAssumption, GrowthAssumption] | str:
    """g_r and g_c: as given, else from the latest like-for-like pair (with the loss in both when g_c is needed)."""
    g_r = GrowthAssumption(options.revenue_growth, True) if options.revenue_growth is not None else None
    g_c = GrowthAssumption(options.cost_growth, True) if options.cost_growth is not None else None
    if g_r is not None and g_c is not None:
        return g_r, g_c
    pair = _latest_pair(revenue, loss if g_c is None else None)
    if pair is None:
        what = "revenue" if g_c is not None else f"revenue and {loss_metric}"
        return f"no two periods of the same length a year apart both have {what}; give the growth rates"
    now, before = pair
    if g_r is None:
        found = _growth(
            "revenue",
            (revenue[now].input.amount, revenue[before].input.amount),
            pair,
            (revenue[now].input, revenue[before].input),
            f"revenue {now} ÷ revenue {before} − 1",
        )
        if isinstance(found, str):
            return found
        g_r = found
    if g_c is None:
        sign = "−" if options.loss is LossBasis.OPERATING else "+"
        found = _growth(
            "costs",
            (
                revenue[now].input.amount + _loss_amount(options.loss, loss[now]),
                revenue[before].input.amount + _loss_amount(options.loss, loss[before]),
            ),
            pair,
            (revenue[now].input, loss[now].input, revenue[before].input, loss[before].input),
            f"(revenue {now} {sign} {loss_metric} {now}) ÷ (revenue {before} {sign} {loss_metric} {before}) − 1",
        )
        if isinstance(found, str):
            return found
        g_c = found
    return g_r, g_c


def _growth(
    name: str, amounts: tuple[float, float], periods: tuple[str, str], inputs: tuple[Input, ...], formula: str
) -> GrowthAssumption | str:
    """Growth in percent a year from the amounts of (now, a year before) in the periods (now, before), or why none."""
    (now, before), (period, prior) = amounts, periods
    if len({i.currency for i in inputs}) > 1:
        return f"{name} {period} and {prior} are in different currencies"
    if before <= 0:
        return f"{name} {prior} is zero or negative: growth from it is not meaningful"
    rate = (now / before - 1) * 100
    if not MIN_GROWTH < rate <= MAX_GROWTH:
        return (
            f"{name} growth {period} on {prior} is {rate:.0f}% a year, outside the bounds "
            f"(above {MIN_GROWTH:g}%, at most {MAX_GROWTH:,.0f}%); give {name.removesuffix('s')}_growth"
        )
    return GrowthAssumption(rate, False, period, prior, formula, inputs)


def _assumptions(
    base: BaseLevels, cash: CashHeld | str, start: date, loss_words: str, options: BreakevenOptions
) -> tuple[str, ...]:
    told = [
        f"month 0 is {start}"
        + (" (the cash date)" if isinstance(cash, CashHeld) else " (the end of the base period: no cash balance)")
        + f" at the monthly levels of {base.period}; the levels on that date are not reported",
        f"costs = revenue + {loss_words}",
        "revenue and costs grow at constant yearly rates, compounded month by month",
        "a projection on stated assumptions, not a forecast",
    ]
    if isinstance(cash, CashHeld):
        apart = abs((cash.date - base.end).days)
        if apart > FAR_APART_DAYS:
            told.append(
                f"the cash date {cash.date} is {apart // 30} months from the end of the base period {base.period}"
            )
        if cash.ipo is not None:
            told.append(f"IPO net proceeds received {cash.ipo.period} count as cash from month 0")
        elif options.with_ipo:
            told.append(f"no IPO net proceeds after {cash.date} in the data: the cash held is the balance alone")
    return tuple(told)


# --- The sensitivity grid ---------------------------------------------------------------------


def breakeven_grid(
    facts: pd.DataFrame,
    rates: tuple[FxRate, ...] = (),
    options: BreakevenOptions | None = None,
    revenue_steps: Sequence[float] = DEFAULT_STEPS,
    cost_steps: Sequence[float] = DEFAULT_STEPS,
) -> tuple[BreakevenGrid, ...]:
    """Months to breakeven for each company over revenue growth × cost growth.

    The axes are the base case's rates plus each step (percentage points; the base case
    is always on them), leaving out rates outside the bounds (at or below −100 %, above
    10,000 % a year). Each cell is the same projection as the base case with the two rates
    changed: breakeven month or never, and alive, dead (with the cash-out month) or undecided.
    """
    for steps in (revenue_steps, cost_steps):
        if not all(math.isfinite(step) for step in steps):
            raise UsageError("a growth step is not a number", "give steps in percentage points, e.g. -50,-25,25,50")
    return tuple(_grid(record, revenue_steps, cost_steps) for record in breakeven(facts, rates, options))


def _grid(record: Breakeven, revenue_steps: Sequence[float], cost_steps: Sequence[float]) -> BreakevenGrid:
    base, g_r, g_c = record.base, record.revenue_growth, record.cost_growth
    if base is None or g_r is None or g_c is None or record.status not in (BreakevenStatus.OK, BreakevenStatus.NEVER):
        return BreakevenGrid(record, (), (), ())
    held = record.cash.total if record.cash is not None else None
    revenue_axis, cost_axis = _axis(g_r.rate, revenue_steps), _axis(g_c.rate, cost_steps)
    cells = []
    for revenue_growth in revenue_axis:
        for cost_growth in cost_axis:
            path = project(
                base.monthly_revenue, base.monthly_costs, revenue_growth, cost_growth, held, record.horizon_months
            )
            cells.append(
                GridCell(
                    revenue_growth,
                    cost_growth,
                    BreakevenStatus.OK if path.breakeven_month is not None else BreakevenStatus.NEVER,
                    _verdict(path) if held is not None else record.verdict,  # n/m or no rate, as the base
                    path.breakeven_month,
                    path.cash_out_month,
                    revenue_growth == g_r.rate and cost_growth == g_c.rate,
                )
            )
    return BreakevenGrid(record, revenue_axis, cost_axis, tuple(cells))


def _axis(base: float, steps: Sequence[float]) -> tuple[float, ...]:
    """
    >>> _axis(20.0, (-150.0, -50.0, 25.0))  # 20 − 150 = −130 % is no growth rate
    (-30.0, 20.0, 45.0)
    """
    return tuple(rate for rate in sorted({base + step for step in (*steps, 0.0)}) if MIN_GROWTH < rate <= MAX_GROWTH)


# --- The command's core --------------------------------------------------------------------


class GridSteps(Record):
    """The grid's axes: percentage points added to the base case's revenue and cost growth."""

    revenue: tuple[float, ...] = DEFAULT_STEPS
    cost: tuple[float, ...] = DEFAULT_STEPS


def breakeven_table(data: Dataset, companies: Sequence[str], options: BreakevenOptions) -> BreakevenTable:
    """``minimetrics breakeven``: the named companies' paths (all by default), each with its sources.

    The data as it stood on ``options.as_of`` (default: today), and months also counted from it.
    """
    day = options.as_of or date.today()
    options, data = replace(options, as_of=day), known_on(data, day)
    found = breakeven(*_frame_and_rates(data, companies), options)
    assert options.as_of is not None
    return BreakevenTable(options.as_of, tuple(_with_sources(data, record) for record in found))


def breakeven_grid_table(
    data: Dataset, companies: Sequence[str], options: BreakevenOptions, steps: GridSteps
) -> BreakevenGridTable:
    """``minimetrics breakeven --grid``: each company's months to breakeven over growth × growth."""
    day = options.as_of or date.today()
    options, data = replace(options, as_of=day), known_on(data, day)
    grids = breakeven_grid(*_frame_and_rates(data, companies), options, steps.revenue, steps.cost)
    assert options.as_of is not None
    return BreakevenGridTable(
        options.as_of, tuple(replace(grid, base=_with_sources(data, grid.base)) for grid in grids)
    )


def _frame_and_rates(data: Dataset, companies: Sequence[str]) -> tuple[pd.DataFrame, tuple[FxRate, ...]]:
    """The facts breakeven reads, of the named companies (every company when none is named)."""
    ids = {find_company(data, query).company.id for query in companies}
    sheets = [s for s in data.sheets if not ids or s.company.id in ids]
    sheets = [replace(s, facts=tuple(f for f in s.facts if f.metric in _USED)) for s in sheets]
    return facts_frame(sheets), data.fx.rates if data.fx else ()


def _with_sources(data: Dataset, record: Breakeven) -> Breakeven:
    """The record with the sources its inputs cite (the company's, and fx.yaml's for rates)."""
    sheet = find_company(data, record.company)
    known = {s.id: s for s in (*sheet.sources, *(data.fx.sources if data.fx else ()))}
    cited = dict.fromkeys(part.strip() for item in record.inputs for part in item.source.split(","))
    return replace(
        record,
        sources=tuple(
            SourceRef(s.id, s.outlet, s.title, s.published.isoformat(), s.url)
            for s in (known[c] for c in cited if c in known)
        ),
    )


def parse_steps(text: str) -> tuple[float, ...]:
    """``--revenue-growth-steps -50,-25,25,50``: percentage points around the base case.

    >>> parse_steps("-50, -25,25 ,50")
    (-50.0, -25.0, 25.0, 50.0)
    """
    try:
        steps = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        steps = ()
    if not steps or not all(math.isfinite(step) for step in steps):
        raise UsageError(
            f'"{text}" is not a list of growth steps', "give percentage points, comma-separated, e.g. -50,-25,25,50"
        )
    return steps


def dead(result: BreakevenTable | BreakevenGridTable) -> tuple[Breakeven, ...]:
    """``--fail-if-dead``: the companies whose base case is dead (the cash runs out before breakeven)."""
    found = result.breakevens if isinstance(result, BreakevenTable) else tuple(g.base for g in result.grids)
    return tuple(b for b in found if b.verdict == Viability.DEAD)
