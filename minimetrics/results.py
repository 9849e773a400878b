"""What every command returns: frozen records, and the words they use (status, measure, verdict, direction).

The core (metrics, compare, analysis, claims, report) builds these; the renderer
(``minimetrics.render``) only reads them. No pandas here, so that the commands which
compute nothing (``--help``, ``list``, ``validate``) never load it.

The words are ``StrEnum``s whose values are the words the output shows: a member prints,
compares and serialises as its word, and a typo in one is a NameError, not a silent
wrong output. A field marked ``metadata=TABLE_ONLY`` is for the people-facing views
only; JSON and CSV leave it out. The records are frozen dataclasses, each made one when it
is first used (``records.Record``), so that importing this module costs a command next to nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from datetime import date
from enum import StrEnum
from pathlib import Path

from minimetrics.choices import LossBasis as LossBasis  # an option of the command line too
from minimetrics.notebook import FrameMixin
from minimetrics.records import Record as Record

# A field the tables use but the machine formats (JSON, CSV) leave out.
TABLE_ONLY = {"table_only": True}


class Status(StrEnum):
    """Whether a computed figure has a value, and if not, why not."""

    OK = "ok"
    NOT_MEANINGFUL = "n/m"  # growth from a zero or negative base, a margin of no revenue
    NO_RATE = "no rate"  # a conversion needs a rate the data does not have
    NOT_BURNING = "not burning"  # runway: the burn basis shows no cash going out
    NEVER_RUNS_OUT = "never runs out"  # runway: a shrinking burn never uses the cash up
    MISSING = "missing"  # the data has no figure for this company and period
    # runway: the run-out date falls before the as-of date; the cash figure is out of date, a newer one is needed
    RAN_OUT_ON_PAPER = "ran out on paper"


class Measure(StrEnum):
    """What a figure measures, where it is not money in a named currency."""

    MONEY = "money"  # in some currency, named beside it
    PERCENT = "percent"
    PP = "pp"  # a change in percentage points
    MONTHS = "months"
    TIMES = "times"  # a multiple, e.g. market cap ÷ revenue
    DATE = "date"
    OWN_CURRENCY = "own currency"  # money, each company in its own currency


class Verdict(StrEnum):
    """Whether a claim in a source reproduces from the data."""

    REPRODUCES = "reproduces"
    DOES_NOT_REPRODUCE = "does not reproduce"
    CANNOT_BE_CHECKED = "cannot be checked"


class Direction(StrEnum):
    """Which way a change goes: a loss that grows is a loss widening, never growth."""

    GROWTH = "growth"
    LOSS_WIDENING = "loss widening"
    LOSS_NARROWING = "loss narrowing"


# --- Figures (metrics) ----------------------------------------------------------------


class Input(Record):
    """One figure a computation used: a fact's preferred report, or a value derived from one."""

    key: str  # the fact, "metric" or "metric[segment]", or "USDRMB rate"
    period: str  # its period label ("FY2024", "2025-06-30")
    amount: float  # whole units: USD, RMB, people, percent; NaN when not disclosed
    currency: str  # "" for a rate, a count or a percentage
    source: str  # the source id(s) it came from, comma-separated
    unit: str = ""  # the unit the source wrote it in ("USD 億"), or "rate"
    note: str = ""  # how it was derived, when it was not reported as is
    qualifier: str = "exact"  # as the source wrote it: exact, about, more_than, at_least, less_than, at_most
    outlook: str = ""  # forecast, target, plan or estimate: not a result (a runway then is a labelled scenario)
    inferred: str = ""  # "publication date inferred", "period inferred" (or both): the source does not state it


class Figure(Record):
    """One computed figure (a growth rate, a margin, a run-rate, a multiple)."""

    company: str
    figure: str  # e.g. "revenue_growth", "gross_margin_change"
    period: str  # the period it is for; a span ("FY2022-FY2024") for a CAGR
    value: float  # NaN when not meaningful: ``status`` says why
    unit: str  # a Measure (percent, pp, times) or a currency code
    status: Status = Status.OK
    label: str = ""  # what kind of figure it is, in words ("computed", "loss widening")
    formula: str = ""  # the formula in words
    inputs: tuple[Input, ...] = ()
    note: str = ""  # why there is no value, or what to know about it
    segment: str = ""  # "" for the whole company
    direction: Direction | None = field(default=None, metadata=TABLE_ONLY)  # a change's direction
    qualifier: str = "exact"  # carried from the inputs: a multiple of "more than" a market cap is more_than


# The fields of a Figure in the order JSON and CSV give them (a CSV joins the inputs into one
# cell); with the direction, the columns of ``metrics.figures_frame``.
FIGURE_COLUMNS = (
    "company",
    "figure",
    "segment",
    "period",
    "value",
    "unit",
    "status",
    "qualifier",
    "label",
    "formula",
    "note",
    "inputs",
)
# The tidy frame of figures (``to_frame``): the same, with the direction after the label (JSON
# and CSV say it in the label) and the inputs' source ids before the inputs.
FIGURE_FRAME_COLUMNS = tuple(
    column
    for name in FIGURE_COLUMNS
    for column in {"label": ("label", "direction"), "inputs": ("sources", "inputs")}.get(name, (name,))
)


class RateUsed(Record):
    """One conversion factor: multiply an amount in ``source`` currency by ``value``."""

    source: str  # currency converted from
    target: str  # currency converted to
    value: float
    basis: str  # "FY2024 average", "spot 2026-01-09", "user --fx", "same currency"
    cited: str = ""  # source id(s) of the rate(s), or "--fx"

    @property
    def quoted(self) -> tuple[str, float]:
        """The rate as markets quote it: USD first (USDRMB 7.1217), not 0.1404.

        >>> RateUsed("RMB", "USD", 1 / 7.1217, "FY2024 average").quoted
        ('USDRMB', 7.1217)
        """
        if self.target == "USD" or (self.source != "USD" and self.value < 1):
            return f"{self.target}{self.source}", round(1 / self.value, 10)
        return f"{self.source}{self.target}", self.value


class Trend(Record):
    """One company's preferred reports of ``metric`` for one kind of period.

    ``kind`` is "FY" (full years), "9M", "H1", "H2" or "Q1"…"Q4". ``points`` are
    (fiscal year, amount in whole ``currency`` units), oldest first; a year inside
    the span with no report is absent, one the source marks "not disclosed" is NaN.
    """

    company: str
    metric: str
    kind: str
    currency: str
    points: tuple[tuple[int, float], ...]

    def get(self, year: int) -> float | None:
        """The amount for ``year``: None when not reported, NaN when not disclosed."""
        return dict(self.points).get(year)


class FigureTable(Record, FrameMixin):
    """Figures from ``metrics`` (growth or margins), ready to show (``growth``, ``margins``).

    ``trends`` are the reported figures behind growth, drawn as a chart in the
    terminal; machine formats carry the figures only (under the key "frame").
    """

    title: str
    figures: tuple[Figure, ...]
    trends: tuple[Trend, ...] = field(default=(), metadata=TABLE_ONLY)


class Runway(Record):
    """Months of cash left on one basis (one row of ``metrics.runway``, fields in its column order)."""

    company: str
    cash_basis: str  # "liquid" or "cash"
    burn_basis: str  # "stated", "operating", "adjusted_loss" or "net_loss"
    with_ipo: bool  # IPO net proceeds received after the cash date are added
    currency: str
    cash_date: date
    cash: float  # whole currency units
    ipo: float  # IPO net proceeds in the cash's currency; NaN when not added
    burn_period: str  # the period the burn comes from
    burn: float  # a month, whole currency units
    monthly_growth: float  # burn grows this many percent a month
    months: float  # NaN when there is no number: ``status`` says why
    runs_out: date | None
    status: Status
    label: str  # the bases in words
    flags: str  # what to know: a missing rate, a cash date far from the burn period
    formula: str
    inputs: tuple[Input, ...]
    default: bool  # the best-supported basis of the company
    as_of: date | None = None  # the day months are left on; None: no as-of date was given
    months_left: float = float("nan")  # months left on ``as_of``: months − months from the cash date to it
    # why the row is a scenario, not a result ("the stated burn FY2025 is a forecast"); "" for a result
    scenario: str = ""


class RunwayTable(Record, FrameMixin):
    """Runway per company, longest first (``runway``); with ``detail`` every basis."""

    runways: tuple[Runway, ...]
    detail: bool


class ShortRunway(Record):
    """A company that fails ``runway --fail-under``."""

    company: str
    months: float  # NaN when the runway could not be computed
    status: Status
    bound: float


# --- compare ----------------------------------------------------------------------------


class Cell(Record):
    """One company's figure in a row: value in the row's unit, or NaN with the reason."""

    company: str
    period: str
    value: float
    status: Status = Status.OK
    note: str = ""
    inputs: tuple[Input, ...] = ()
    explain: str = ""  # the `minimetrics explain` arguments that show how it was derived
    unit: str = ""  # set where it differs by company (a figure in each company's own currency)
    rate: RateUsed | None = field(default=None, metadata=TABLE_ONLY)  # the rate it was converted at, if it was
    qualifier: str = "exact"  # carried from the inputs: ">2,007×" is more_than, "~" about
    how: str = ""  # what kind of figure it is ("growth", "computed", "stated"): the figure's label
    # The breakeven row only: ``period`` holds the breakeven date (or "not within 10 years",
    # "already profitable"), these whether the cash lasts until then and, if not, when it runs out.
    viability: Viability | None = None
    cash_out: date | None = None


class Row(Record):
    """One line of the comparison: the same figure for each company."""

    section: str
    label: str
    unit: str  # a currency code or a Measure: percent, months, times, date, own currency
    cells: tuple[Cell, ...]
    higher_is_better: bool | None = None  # None: neither direction is "better"
    difference: float = float("nan")  # first company minus second, when both are comparable
    difference_unit: str = ""
    leader: str = ""
    figure: str = field(default="", metadata=TABLE_ONLY)  # the figure's key, e.g. "revenue_growth", "runway"


# The columns of a comparison, one line a company's cell of a row: the frame's (``to_frame``)
# and the CSV's (which joins the inputs into one cell).
COMPARISON_COLUMNS = (
    "section",
    "label",
    "figure",
    "company",
    "period",
    "value",
    "unit",
    "status",
    "qualifier",
    "how",
    "note",
    "viability",
    "cash_out",
    "rate_pair",
    "rate",
    "rate_basis",
    "rate_source",
    "difference",
    "difference_unit",
    "leader",
    "higher_is_better",
    "explain",
    "sources",
    "inputs",
)
# The text a converted cell's note carries about its rate: in the rate columns instead.
_CONVERTED = "converted at "


def comparison_fields(row: Row, cell: Cell) -> dict[str, object]:
    """One company's cell of a row as ``COMPARISON_COLUMNS``: the rate it was converted at
    as markets quote it (USDRMB 7.1217) in the rate columns, and so not in the note."""
    pair, quoted = cell.rate.quoted if cell.rate else ("", float("nan"))
    note = cell.note
    if cell.rate is not None:
        note = "; ".join(part for part in note.split("; ") if not part.startswith(_CONVERTED))
    return {
        "section": row.section,
        "label": row.label,
        "figure": row.figure,
        "company": cell.company,
        "period": cell.period,
        "value": cell.value,
        "unit": str(cell.unit or row.unit),
        "status": str(cell.status),
        "qualifier": cell.qualifier,
        "how": cell.how,
        "note": note,
        "viability": "" if cell.viability is None else str(cell.viability),
        "cash_out": cell.cash_out,
        "rate_pair": pair,
        "rate": quoted,
        "rate_basis": cell.rate.basis if cell.rate else "",
        "rate_source": cell.rate.cited if cell.rate else "",
        "difference": row.difference,
        "difference_unit": str(row.difference_unit),
        "leader": row.leader,
        "higher_is_better": row.higher_is_better,
        "explain": cell.explain,
        "sources": input_sources(cell.inputs),
        "inputs": cell.inputs,
    }


class Version(Record):
    """One source's report of a conflicting fact."""

    value: float
    unit: str
    qualifier: str
    source: str
    rank: int
    shown: bool


class Conflict(Record):
    """A fact behind the comparison whose sources disagree."""

    company: str
    key: str
    period: str
    versions: tuple[Version, ...]


class Comparison(Record, FrameMixin):
    """Companies side by side (``compare``)."""

    companies: tuple[str, ...]
    currency: str
    year: str  # the latest full year every company reports, or "" if none
    rows: tuple[Row, ...]
    conflicts: tuple[Conflict, ...]
    # Revenue and net loss year after year, drawn in the terminal only (not in JSON or CSV).
    trends: tuple[Trend, ...] = field(default=(), metadata=TABLE_ONLY)


# --- explain, claims ---------------------------------------------------------------------


class SourceRef(Record):
    """A source as cited: its id, who published it, what, when and where."""

    id: str
    outlet: str
    title: str
    published: str  # ISO date
    url: str


class Explanation(Record, FrameMixin):
    """How one figure was derived (``explain``)."""

    company: str
    figure: str
    period: str
    value: float
    unit: str  # a Measure or a currency code
    status: Status
    label: str
    formula: str
    inputs: tuple[Input, ...]
    sources: tuple[SourceRef, ...]
    note: str = ""
    qualifier: str = "exact"  # the figure's, carried from its inputs (a reported fact: its report's)


class Claim(Record):
    """One source's report of a figure that other figures imply, checked against them.

    A figure stated as a range ("70–80 %", qualifier "range") has no one stated value:
    ``stated`` is NaN (never the midpoint, which the source did not state) and its ends are
    ``stated_low`` and ``stated_high``. For any other claim all three are the figure as written.
    """

    company: str
    claim: str  # "revenue_growth 9M2025"
    stated: float  # as written, in ``unit``; NaN for a range
    stated_low: float  # a range's low end as written; ``stated`` for one value
    stated_high: float  # a range's high end as written; ``stated`` for one value
    unit: str
    qualifier: str
    source: str
    computed: float  # NaN when the data cannot test it
    verdict: Verdict
    assumption: str  # how the computed figure was obtained


class ClaimsTable(Record, FrameMixin):
    """Every claim the sources make, checked (``claims``)."""

    claims: tuple[Claim, ...]


# --- list ---------------------------------------------------------------------------------


class CompanySummary(Record, FrameMixin):
    """One company in ``list``: what it covers and how fresh its sources are."""

    id: str
    name: str
    native_name: str
    tickers: tuple[str, ...]
    currency: str
    periods: tuple[str, ...]  # durations covered, oldest first
    facts: int
    reports: int
    conflicts: int
    newest_source: date | None


# --- report -------------------------------------------------------------------------------


class Point(Record):
    """One bar of a chart."""

    label: str  # a period, a runway basis, or a month of a projection
    value: float  # NaN when there is no figure; ``status`` says why
    status: Status = Status.OK
    inferred: str = ""  # "publication date inferred", "period inferred": the figure rests on a date not stated


class Series(Record):
    name: str  # a company id
    points: tuple[Point, ...]


class Chart(Record):
    """One chart: categories along one axis, one bar per series in each category.

    A ``line`` chart (a projection) has months for categories, one line per series, and
    ``marks`` at some of them (the breakeven month, the month the cash runs out). Charts
    with the same ``scale`` are set side by side and drawn to one value axis.
    """

    id: str  # stable and unique in the report, e.g. "revenue-minimax-fy"
    title: str
    unit: str  # the value axis: "USD million", "%", "months"
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = False
    note: str = ""
    kind: str = "bar"  # "bar" or "line"
    scale: str = ""  # charts with the same (non-empty) scale share one value axis
    marks: tuple[tuple[str, str], ...] = ()  # (category, what happens there), on a line chart


class ConflictEntry(Record):
    """A fact whose sources disagree, every version kept."""

    company: str
    key: str
    period: str
    versions: tuple[tuple[float | None, str, str, str, int, bool], ...]  # value, unit, qualifier, source, rank, shown
    status: str  # "settled by rank", "reviewed: <reason>" or "unresolved"


class Scenario(Record):
    """The default runway basis under one assumption (burn growing, IPO proceeds added)."""

    company: str
    scenario: str
    months: float
    status: Status
    runs_out: date | None
    cash_date: str
    months_left_at_as_of: float  # months minus the months from the cash date to the as-of date
    basis: str
    outlook: str = ""  # why the basis itself is a scenario (a forecast burn), "" when it rests on results
    inferred: str = ""  # the inputs whose date the source does not state ("cash 2025-12-31: period inferred")


class CompanySources(Record):
    company: str
    sources: tuple[tuple[SourceRef, str, int], ...]  # the source, its kind, its rank


class Report(Record, FrameMixin):
    """The full comparison as one document (``report``)."""

    as_of: date
    companies: tuple[CompanySummary, ...]
    currency: str
    comparison: Comparison | None  # None for a single company
    growth: FigureTable
    margins: FigureTable
    runway: RunwayTable  # every basis
    scenarios: tuple[Scenario, ...]
    conflicts: tuple[ConflictEntry, ...]
    claims: ClaimsTable
    sources: tuple[CompanySources, ...]
    fx_sources: tuple[SourceRef, ...]
    charts: tuple[Chart, ...]
    warnings: tuple[str, ...]  # the data's warnings, as path:line: message
    # The path to breakeven: the sensitivity grid per company (each with its base case and
    # projection), None when the report was built without it.
    breakeven: BreakevenGridTable | None = None
    events: tuple[TimelineEvent, ...] = ()  # dated events (listing, launches, funding), oldest first


class TimelineEvent(Record):
    """One dated event a source reports: a listing, a product launch, a funding round."""

    company: str
    period: str  # the date or month as the sheet gives it
    metric: str  # the event's metric (listing, product_launch, …)
    segment: str  # which product or round, "" for the company
    note: str
    sources: tuple[str, ...]  # the ids of every source that reports it
    inferred: str = ""  # "date inferred" when a source does not state the event's date itself


# --- breakeven ----------------------------------------------------------------------------


class BreakevenStatus(StrEnum):
    """Whether and when projected revenue catches up with projected costs."""

    OK = "ok"  # it does, in breakeven_month
    NEVER = "never"  # not within the horizon
    ALREADY_PROFITABLE = "already profitable"  # the base period has no loss
    NOT_MEANINGFUL = "n/m"  # an input is missing or a base is zero; ``reason`` says which


class Viability(StrEnum):
    """Whether the cash held lasts until breakeven: "default alive or default dead"."""

    ALIVE = "alive"  # cash held ≥ cash needed
    DEAD = "dead"  # the cash runs out first, in cash_out_month
    UNDECIDED = "undecided"  # no breakeven within the horizon, and the cash lasts the horizon
    NO_RATE = "no rate"  # the cash held needs an exchange rate that is not there
    NOT_MEANINGFUL = "n/m"  # no path to judge, or no cash balance; ``cash_reason`` says which


class BaseLevels(Record):
    """The base period and the monthly levels the projection starts from (month 0)."""

    period: str
    start: date
    end: date
    months: int
    revenue: Input
    loss: Input  # as stated: for the operating basis the cash flow, negative for an outflow
    monthly_revenue: float  # R0 = revenue ÷ months
    monthly_loss: float  # L0 = loss ÷ months (positive: losing money)
    monthly_costs: float  # C0 = R0 + L0


class GrowthAssumption(Record):
    """A yearly growth rate and where it comes from: a pair of periods, or the caller."""

    rate: float  # percent a year
    overridden: bool
    period: str = ""  # the later period of the pair; "" when overridden
    prior_period: str = ""  # the same length a year earlier
    formula: str = ""
    inputs: tuple[Input, ...] = ()


class CashHeld(Record):
    """The cash the company has at month 0, in the projection's currency."""

    basis: str  # a runway cash basis: "liquid" or "cash"
    date: date
    balance: Input
    balance_amount: float | None  # converted at the cash date's spot rate; None: no rate
    ipo: Input | None = None  # IPO net proceeds received after the cash date, with with_ipo
    ipo_amount: float | None = None  # converted at the IPO date's spot rate; None: none or no rate
    rates: tuple[Input, ...] = ()  # every exchange rate used, with its source
    total: float | None = None  # balance + IPO; None when a rate is missing
    note: str = ""  # the missing rate, named, and how to supply it


class ProjectionPoint(Record):
    """One month of the projection: t months after the cash date."""

    month: int
    revenue: float  # R(t)
    costs: float  # C(t)
    cumulative_loss: float  # Σ_{1..t} (C − R) while costs exceed revenue


class Projection(Record):
    """The arithmetic of one path: R0, C0 and two growth rates in, months out."""

    breakeven_month: int | None  # t*; None: not within the horizon
    cash_needed: float | None  # Σ_{t<t*} (C(t) − R(t)); None without t*
    cash_out_month: int | None  # first t (before t*) whose cumulative loss exceeds the cash held
    points: tuple[ProjectionPoint, ...]  # t = 0 up to t*, else up to the horizon


class Breakeven(Record):
    """One company's path to breakeven, with every assumption it rests on: a projection, not a forecast.

    Figures are in ``currency``, whole units. Months count from the cash date (month 0);
    ``*_from_as_of`` count from ``as_of`` instead (negative: already past on that date).
    ``cushion`` = cash held − cash needed, negative for a shortfall.
    """

    company: str
    status: BreakevenStatus
    verdict: Viability
    loss_basis: LossBasis
    horizon_months: int
    reason: str = ""  # why the status is n/m or never
    cash_reason: str = ""  # why the verdict is n/m, no rate or undecided
    currency: str = ""
    base: BaseLevels | None = None
    revenue_growth: GrowthAssumption | None = None
    cost_growth: GrowthAssumption | None = None
    cash: CashHeld | None = None
    start: date | None = None  # month 0: the cash date, else the base period's end
    as_of: date | None = None
    breakeven_month: int | None = None
    breakeven_date: date | None = None
    breakeven_months_from_as_of: int | None = None
    cash_needed: float | None = None
    cushion: float | None = None
    cash_out_month: int | None = None
    cash_out_date: date | None = None
    cash_out_months_from_as_of: int | None = None
    projection: tuple[ProjectionPoint, ...] = ()
    assumptions: tuple[str, ...] = ()  # what the figures rest on, in words
    formula: str = ""
    sources: tuple[SourceRef, ...] = ()  # the sources of the inputs, when the caller looked them up

    @property
    def inputs(self) -> tuple[Input, ...]:
        """Every figure used, with its period and source: the base, the growth pairs, the cash, the rates."""
        found: list[Input] = []
        if self.base is not None:
            found += [self.base.revenue, self.base.loss]
        for growth in (self.revenue_growth, self.cost_growth):
            if growth is not None:
                found += growth.inputs
        if self.cash is not None:
            found += [self.cash.balance, *([self.cash.ipo] if self.cash.ipo else []), *self.cash.rates]
        return tuple(dict.fromkeys(found))  # once each, in order


class GridCell(Record):
    """One pair of growth rates in the sensitivity grid."""

    revenue_growth: float  # percent a year
    cost_growth: float  # percent a year
    status: BreakevenStatus  # OK or NEVER
    verdict: Viability
    breakeven_month: int | None
    cash_out_month: int | None
    is_base: bool  # the base case's own rates


class BreakevenGrid(Record):
    """Months to breakeven over revenue growth × cost growth, around one company's base case.

    ``cells`` run revenue growth by revenue growth, each over every cost growth. There are
    no cells when the base case has no path to vary (n/m or already profitable): its
    ``status`` and ``reason`` say why.
    """

    base: Breakeven
    revenue_growths: tuple[float, ...]
    cost_growths: tuple[float, ...]
    cells: tuple[GridCell, ...]

    def cell(self, revenue_growth: float, cost_growth: float) -> GridCell | None:
        return next((c for c in self.cells if (c.revenue_growth, c.cost_growth) == (revenue_growth, cost_growth)), None)


# The columns of a company's path to breakeven, in order: the frame's (``to_frame``) and the
# CSV's (which joins the inputs into one cell).
BREAKEVEN_COLUMNS = (
    "company",
    "status",
    "verdict",
    "breakeven_month",
    "breakeven_date",
    "breakeven_months_from_as_of",
    "as_of",
    "month_0",
    "currency",
    "cash_needed",
    "cash_held",
    "cushion",
    "cash_out_month",
    "cash_out_date",
    "cash_out_months_from_as_of",
    "base_period",
    "base_months",
    "monthly_revenue",
    "monthly_costs",
    "loss_basis",
    "revenue_growth",
    "revenue_growth_from",
    "cost_growth",
    "cost_growth_from",
    "cash_basis",
    "cash_date",
    "horizon_months",
    "reason",
    "cash_reason",
    "assumptions",
    "formula",
    "input_qualifiers",
    "sources",
    "inputs",
)


def breakeven_fields(b: Breakeven, as_of: date) -> dict[str, object]:
    """One company's path as ``BREAKEVEN_COLUMNS``: numbers as they are (None where there are
    none: the frame makes that NaN, the CSV an empty field), words plain, the inputs as
    records; the frame and the CSV both start from this."""
    base, cash, g_r, g_c = b.base, b.cash, b.revenue_growth, b.cost_growth
    return {
        "company": b.company,
        "status": str(b.status),
        "verdict": str(b.verdict),
        "breakeven_month": b.breakeven_month,
        "breakeven_date": b.breakeven_date,
        "breakeven_months_from_as_of": b.breakeven_months_from_as_of,
        "as_of": as_of,
        "month_0": b.start,
        "currency": b.currency,
        "cash_needed": b.cash_needed,
        "cash_held": cash.total if cash else None,
        "cushion": b.cushion,
        "cash_out_month": b.cash_out_month,
        "cash_out_date": b.cash_out_date,
        "cash_out_months_from_as_of": b.cash_out_months_from_as_of,
        "base_period": base.period if base else "",
        "base_months": base.months if base else None,
        "monthly_revenue": base.monthly_revenue if base else None,
        "monthly_costs": base.monthly_costs if base else None,
        "loss_basis": str(b.loss_basis),
        "revenue_growth": g_r.rate if g_r else None,
        "revenue_growth_from": growth_from(g_r),
        "cost_growth": g_c.rate if g_c else None,
        "cost_growth_from": growth_from(g_c),
        "cash_basis": cash.basis if cash else "",
        "cash_date": cash.date if cash else None,
        "horizon_months": b.horizon_months,
        "reason": b.reason,
        "cash_reason": b.cash_reason,
        "assumptions": "; ".join(b.assumptions),
        "formula": b.formula,
        "input_qualifiers": input_qualifiers(b.inputs),
        "sources": input_sources(b.inputs),
        "inputs": b.inputs,
    }


def growth_from(growth: GrowthAssumption | None) -> str:
    """Where a growth rate comes from: "given", or "FY2025 on FY2024"."""
    if growth is None:
        return ""
    return "given" if growth.overridden else f"{growth.period} on {growth.prior_period}"


def input_sources(inputs: Iterable[Input]) -> str:
    """The ids of the sources behind ``inputs``, each once, in order, comma-separated."""
    ids = dict.fromkeys(part.strip() for item in inputs for part in item.source.split(",") if part.strip())
    return ", ".join(ids)


def input_qualifiers(inputs: Iterable[Input]) -> str:
    """The inputs that are not exact, with their qualifier ("" when every input is exact)."""
    return "; ".join(f"{i.key} {i.period}: {i.qualifier}" for i in inputs if i.qualifier != "exact")


class BreakevenTable(Record, FrameMixin):
    """``breakeven``: each company's path, months counted from its cash date and from ``as_of``."""

    as_of: date
    breakevens: tuple[Breakeven, ...]


class BreakevenGridTable(Record, FrameMixin):
    """``breakeven --grid``: each company's sensitivity grid around its base case."""

    as_of: date
    grids: tuple[BreakevenGrid, ...]


# --- changes --------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    """What the data learned about one fact between two dates (``changes``)."""

    APPEARED = "appeared"  # no report of the fact was known on the first date
    CHANGED = "changed"  # the report shown gives another figure
    CONFLICT_AROSE = "conflict arose"  # a newer source disagrees with the others
    CONFLICT_SETTLED = "conflict settled"  # the sources that disagreed no longer do (a better source, a review)


class Shown(Record):
    """The report a fact shows on one date: the figure as written, and its source."""

    value: float | None  # as written in ``unit``; None: not disclosed, a range or an event
    unit: str
    qualifier: str
    source: str
    published: date
    value_range: tuple[float, float] | None = None  # a range's ends, as written


class Change(Record):
    """One fact that the data learned something about between ``since`` and ``until``."""

    company: str
    key: str  # "metric" or "metric[segment]"
    period: str
    kind: ChangeKind
    old: Shown | None  # the report shown on ``since``; None when the fact appeared
    new: Shown  # the report shown on ``until``
    conflict: bool  # sources disagree on ``until``


class Changes(Record, FrameMixin):
    """``changes``: what became known between two dates, by company, fact and period."""

    since: date
    until: date
    changes: tuple[Change, ...]
    note: str = ""  # why there is nothing, or that ``until`` is after today


# --- Writing sheets (new, add, add-source, import) ---------------------------------------


class PlannedSource(Record):
    """A source an import would declare: ``line`` is the CSV line that first cites it."""

    path: Path
    id: str
    outlet: str
    title: str
    published: date
    kind: str
    rank: int
    url: str
    line: int


class PlannedReport(Record):
    """One CSV row as the report it becomes; ``present``: the sheet already has it (skipped)."""

    path: Path
    line: int
    key: str  # metric or metric[segment]
    period: str
    value: str  # as the CSV writes it
    unit: str  # "" when not disclosed
    source: str
    present: bool = False


class UnmappedRow(Record):
    """A CSV row that cannot become a report: ``reason`` groups rows, ``detail`` says why."""

    line: int
    reason: str  # "unknown company", "unknown metric", "unknown unit", "unknown period", ...
    detail: str


class ImportPlan(Record):
    """What an import would do. ``texts`` holds each changed sheet's new text, and is
    empty when any row is unmapped: then nothing may be written."""

    sources: tuple[PlannedSource, ...]
    reports: tuple[PlannedReport, ...]
    unmapped: tuple[UnmappedRow, ...]
    texts: tuple[tuple[Path, str], ...]

    @property
    def added(self) -> tuple[PlannedReport, ...]:
        return tuple(r for r in self.reports if not r.present)


class Written(Record):
    """What an authoring command wrote, for its lines on stderr."""

    path: Path
    what: str  # "added revenue FY2025 12.5 USD million [caixin_20260301] to datasets/lumen.yaml"
    conflicts: tuple[str, ...] = ()  # the fact's sources now disagree: what the sheet says
    notes: tuple[str, ...] = ()  # anything else written (the schema file)
