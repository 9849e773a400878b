"""What every command returns: frozen records, and the words they use (status, measure, verdict, direction).

The core (metrics, compare, analysis, claims, report) builds these; the renderer
(``minimetrics.render``) only reads them. No pandas here, so that the commands which
compute nothing (``--help``, ``list``, ``validate``) never load it.

The words are ``StrEnum``s whose values are the words the output shows: a member prints,
compares and serialises as its word, and a typo in one is a NameError, not a silent
wrong output. A field marked ``metadata=TABLE_ONLY`` is for the people-facing views
only; JSON and CSV leave it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

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


@dataclass(frozen=True)
class Input:
    """One figure a computation used: a fact's preferred report, or a value derived from one."""

    key: str  # the fact, "metric" or "metric[segment]", or "USDRMB rate"
    period: str  # its period label ("FY2024", "2025-06-30")
    amount: float  # whole units: USD, RMB, people, percent; NaN when not disclosed
    currency: str  # "" for a rate, a count or a percentage
    source: str  # the source id(s) it came from, comma-separated
    unit: str = ""  # the unit the source wrote it in ("USD 億"), or "rate"
    note: str = ""  # how it was derived, when it was not reported as is


@dataclass(frozen=True)
class Figure:
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


# The fields of a Figure in the order JSON and CSV give them (the tidy figures frame's columns).
FIGURE_COLUMNS = (
    "company",
    "figure",
    "segment",
    "period",
    "value",
    "unit",
    "status",
    "label",
    "formula",
    "inputs",
    "note",
)


@dataclass(frozen=True)
class RateUsed:
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


@dataclass(frozen=True)
class Trend:
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


@dataclass(frozen=True)
class FigureTable:
    """Figures from ``metrics`` (growth or margins), ready to show (``growth``, ``margins``).

    ``trends`` are the reported figures behind growth, drawn as a chart in the
    terminal; machine formats carry the figures only (under the key "frame").
    """

    title: str
    figures: tuple[Figure, ...]
    trends: tuple[Trend, ...] = field(default=(), metadata=TABLE_ONLY)


@dataclass(frozen=True)
class Runway:
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


@dataclass(frozen=True)
class RunwayTable:
    """Runway per company, longest first (``runway``); with ``detail`` every basis."""

    runways: tuple[Runway, ...]
    detail: bool


@dataclass(frozen=True)
class ShortRunway:
    """A company that fails ``runway --fail-under``."""

    company: str
    months: float  # NaN when the runway could not be computed
    status: Status
    bound: float


# --- compare ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
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


@dataclass(frozen=True)
class Row:
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


@dataclass(frozen=True)
class Version:
    """One source's report of a conflicting fact."""

    value: float
    unit: str
    qualifier: str
    source: str
    rank: int
    shown: bool


@dataclass(frozen=True)
class Conflict:
    """A fact behind the comparison whose sources disagree."""

    company: str
    key: str
    period: str
    versions: tuple[Version, ...]


@dataclass(frozen=True)
class Comparison:
    """Companies side by side (``compare``)."""

    companies: tuple[str, ...]
    currency: str
    year: str  # the latest full year every company reports, or "" if none
    rows: tuple[Row, ...]
    conflicts: tuple[Conflict, ...]
    # Revenue and net loss year after year, drawn in the terminal only (not in JSON or CSV).
    trends: tuple[Trend, ...] = field(default=(), metadata=TABLE_ONLY)


# --- explain, claims ---------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRef:
    """A source as cited: its id, who published it, what, when and where."""

    id: str
    outlet: str
    title: str
    published: str  # ISO date
    url: str


@dataclass(frozen=True)
class Explanation:
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


@dataclass(frozen=True)
class Claim:
    """One source's report of a figure that other figures imply, checked against them."""

    company: str
    claim: str  # "revenue_growth 9M2025"
    stated: float
    unit: str
    qualifier: str
    source: str
    computed: float  # NaN when the data cannot test it
    verdict: Verdict
    assumption: str  # how the computed figure was obtained


@dataclass(frozen=True)
class ClaimsTable:
    """Every claim the sources make, checked (``claims``)."""

    claims: tuple[Claim, ...]


# --- list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanySummary:
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


@dataclass(frozen=True)
class Point:
    """One bar of a chart."""

    label: str  # a period or a runway basis
    value: float  # NaN when there is no figure; ``status`` says why
    status: Status = Status.OK


@dataclass(frozen=True)
class Series:
    name: str  # a company id
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Chart:
    """One chart: categories along one axis, one bar per series in each category."""

    id: str  # stable and unique in the report, e.g. "revenue-minimax-fy"
    title: str
    unit: str  # the value axis: "USD million", "%", "months"
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = False
    note: str = ""


@dataclass(frozen=True)
class ConflictEntry:
    """A fact whose sources disagree, every version kept."""

    company: str
    key: str
    period: str
    versions: tuple[tuple[float | None, str, str, str, int, bool], ...]  # value, unit, qualifier, source, rank, shown
    status: str  # "settled by rank", "reviewed: <reason>" or "unresolved"


@dataclass(frozen=True)
class Scenario:
    """The default runway basis under one assumption (burn growing, IPO proceeds added)."""

    company: str
    scenario: str
    months: float
    status: Status
    runs_out: date | None
    cash_date: str
    months_left_at_as_of: float  # months minus the months from the cash date to the as-of date
    basis: str


@dataclass(frozen=True)
class CompanySources:
    company: str
    sources: tuple[tuple[SourceRef, str, int], ...]  # the source, its kind, its rank


@dataclass(frozen=True)
class Report:
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
