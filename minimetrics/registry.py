"""What exists and what it means: metrics, units, periods and source kinds.

Everything a fact sheet may name is declared here, so a typo is an error with a
"did you mean" rather than a silently new metric.

Sign convention: losses and burn are recorded as *positive* numbers under a name
that says what they are (``net_loss: 465.2`` means a loss of 465.2), exactly as
the sources state them. Cash flows are recorded with their statement sign
(``operating_cash_flow: -310`` is an outflow). Gross profit and margins are
signed, since a gross loss is possible.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from difflib import get_close_matches
from enum import StrEnum

from minimetrics.problems import code_point
from minimetrics.records import Record


class Kind(StrEnum):
    """How a metric relates to time."""

    FLOW = "flow"  # accumulates over a duration: revenue, losses, cash flows
    STOCK = "stock"  # a balance at a date: cash, headcount, cumulative users
    RATIO = "ratio"  # a share or margin: over a duration or at a date
    COUNT = "count"  # people or things: over a duration (MAU) or at a date
    PRICE = "price"  # a price or multiple fixed at a date
    EVENT = "event"  # something that happened once, dated to a day, month or year


class Family(StrEnum):
    """What a metric's unit must measure."""

    MONEY = "money"  # a currency with a scale: "USD million", "RMB 億"
    MONEY_PER_MONTH = "money_per_month"  # "USD million per month"
    MONEY_PER_SHARE = "money_per_share"  # "HKD per share"
    MONEY_PER_USER = "money_per_user"  # "USD per user"
    PERCENT = "percent"
    COUNT = "count"  # "count", "count million", "count 萬"
    TIMES = "times"  # a multiple: "times"
    RATE = "rate"  # an exchange rate: units of quote currency per base currency
    DURATION = "duration"  # "years", "months", "days", "hours", with an optional scale: "hours 億"
    NONE = "none"  # an event with no figure (a launch, the founding): the report carries no value or unit


class Sign(StrEnum):
    """Which values a metric may take."""

    NON_NEGATIVE = "non_negative"  # losses, burn, amounts, counts: never below zero
    SIGNED = "signed"  # cash flows, gross profit, margins, growth rates


class Metric(Record):
    name: str
    kind: Kind
    family: Family
    sign: Sign
    definition: str
    max_percent: float | None = None  # a percent metric that cannot exceed this
    outlook: str = ""  # every report is this outlook (see OUTLOOKS): never a result


F, S, R, C, P, E = Kind.FLOW, Kind.STOCK, Kind.RATIO, Kind.COUNT, Kind.PRICE, Kind.EVENT
POS, SIGNED = Sign.NON_NEGATIVE, Sign.SIGNED
MONEY, PCT, CNT, TIMES = Family.MONEY, Family.PERCENT, Family.COUNT, Family.TIMES

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        # Income statement
        Metric("revenue", F, MONEY, POS, "Revenue recognised in the period."),
        Metric("cost_of_revenue", F, MONEY, POS, "Cost of revenue (cost of sales) in the period."),
        Metric("gross_profit", F, MONEY, SIGNED, "Revenue less cost of revenue; negative is a gross loss."),
        Metric("gross_margin", R, PCT, SIGNED, "Gross profit as a percentage of revenue.", 100),
        Metric("operating_loss", F, MONEY, POS, "Operating loss, written as a positive number."),
        Metric("net_loss", F, MONEY, POS, "Net loss under IFRS, written as a positive number."),
        Metric(
            "adjusted_net_loss",
            F,
            MONEY,
            POS,
            "Adjusted (non-IFRS) net loss as the company defines it, written as a positive number.",
        ),
        Metric("net_margin", R, PCT, SIGNED, "Net profit as a percentage of revenue; losses negative."),
        Metric(
            "adjusted_net_margin",
            R,
            PCT,
            SIGNED,
            "Adjusted (non-IFRS) net profit as a percentage of revenue; losses negative.",
        ),
        Metric("operating_expenses", F, MONEY, POS, "Total operating expenses in the period."),
        Metric(
            "fair_value_loss_preferred_shares",
            F,
            MONEY,
            POS,
            "Loss from fair-value changes of preferred shares carried as liabilities, as a positive number.",
        ),
        Metric("rd_expense", F, MONEY, POS, "Research and development expenses in the period."),
        Metric("sm_expense", F, MONEY, POS, "Selling and marketing expenses in the period."),
        Metric("ga_expense", F, MONEY, POS, "General and administrative expenses in the period."),
        Metric("compute_cost", F, MONEY, POS, "Spending on computing power (training and inference)."),
        Metric(
            "cumulative_spending",
            F,
            MONEY,
            POS,
            "Total spent over the period, as the source states it, without saying on what (not R&D alone).",
        ),
        Metric("rd_to_revenue", R, PCT, POS, "R&D expenses as a percentage of revenue (may exceed 100%)."),
        Metric("sm_to_revenue", R, PCT, POS, "Selling and marketing expenses as a percentage of revenue."),
        Metric(
            "revenue_share",
            R,
            PCT,
            POS,
            "A part of revenue (segment, region, customer group) as a percentage of total revenue.",
            100,
        ),
        Metric(
            "revenue_growth",
            R,
            PCT,
            SIGNED,
            "Stated year-on-year revenue growth against the same period a year earlier.",
        ),
        Metric(
            "revenue_cagr",
            R,
            PCT,
            SIGNED,
            "Compound annual revenue growth the source states over a multi-year span (the period is the span).",
        ),
        Metric(
            "expected_revenue_growth",
            R,
            PCT,
            SIGNED,
            "Year-on-year revenue growth the company expects for a period not yet reported: guidance, not a result.",
            outlook="forecast",
        ),
        Metric("compute_to_rd", R, PCT, POS, "Spending on computing power as a percentage of R&D expenses.", 100),
        Metric(
            "arr",
            S,
            MONEY,
            POS,
            "Annualised recurring revenue at the date, as the company or source states it.",
        ),
        # Balance sheet and cash
        Metric("total_liabilities", S, MONEY, POS, "Total liabilities at the date."),
        Metric("net_assets", S, MONEY, SIGNED, "Net assets (total equity) at the date; negative is a deficit."),
        Metric("cash_and_equivalents", S, MONEY, POS, "Cash and cash equivalents at the date."),
        Metric(
            "cash_and_liquid_assets",
            S,
            MONEY,
            POS,
            "Cash and cash equivalents plus the liquid financial assets, time deposits or "
            "wealth-management products the source adds to them.",
        ),
        Metric(
            "financial_assets",
            S,
            MONEY,
            POS,
            "Financial assets held besides cash (wealth-management products, time deposits).",
        ),
        Metric("operating_cash_flow", F, MONEY, SIGNED, "Net cash from operating activities; negative is an outflow."),
        Metric(
            "monthly_cash_burn",
            F,
            Family.MONEY_PER_MONTH,
            POS,
            "The monthly cash burn the company or source states, as a positive amount per month.",
        ),
        Metric(
            "cash_runway",
            S,
            Family.DURATION,
            POS,
            "How long the cash at the date lasts at the current burn, as the source claims it.",
        ),
        Metric(
            "receivable_turnover_days",
            R,
            Family.DURATION,
            POS,
            "Average days to collect receivables over the period.",
        ),
        # Users and customers
        Metric("customer_growth", R, PCT, SIGNED, "Stated year-on-year growth in customers or users."),
        Metric(
            "api_call_share", R, PCT, POS, "Share of API calls coming from a group of users (segment: the group).", 100
        ),
        Metric("market_share", R, PCT, POS, "Share of the named market the source gives the company.", 100),
        Metric(
            "cumulative_videos_generated",
            S,
            CNT,
            POS,
            "Videos generated by a product since launch, at the date (segment: the product).",
        ),
        Metric(
            "cumulative_speech_hours_generated",
            S,
            Family.DURATION,
            POS,
            "Hours of speech generated by the company's speech models since launch, at the date.",
        ),
        Metric("mau", C, CNT, POS, "Average monthly active users over the period."),
        Metric("paying_users", C, CNT, POS, "Paying users over the period (or at the date)."),
        Metric("arppu", R, Family.MONEY_PER_USER, POS, "Average revenue per paying user over the period."),
        Metric("cumulative_users", S, CNT, POS, "Users served since launch, at the date."),
        Metric("enterprise_customers", C, CNT, POS, "Enterprise customers served (企業客戶), developers not included."),
        Metric(
            "customers_and_developers",
            C,
            CNT,
            POS,
            "Enterprise customers and developers together (企業客戶和開發者), as one count.",
        ),
        Metric(
            "institutional_customers",
            C,
            CNT,
            POS,
            "Institutional customers (機構客戶): enterprises, government and academic bodies together.",
        ),
        Metric(
            "user_growth",
            R,
            PCT,
            SIGNED,
            "Stated year-on-year growth in users (not customers) of a product or segment.",
        ),
        Metric("countries_served", S, CNT, POS, "Countries and regions with users, at the date."),
        Metric(
            "customer_concentration",
            R,
            PCT,
            POS,
            "Share of revenue from the named group of largest customers.",
            100,
        ),
        # People
        Metric("employees", S, CNT, POS, "Employees at the date."),
        Metric("rd_employees", S, CNT, POS, "Employees in research and development at the date."),
        Metric("rd_staff_share", S, PCT, POS, "R&D employees as a percentage of all employees.", 100),
        Metric("average_employee_age", S, Family.DURATION, POS, "Average age of employees, at the date."),
        Metric("average_board_age", S, Family.DURATION, POS, "Average age of the board of directors, at the date."),
        # IPO and market
        Metric("ipo_offer_price", P, Family.MONEY_PER_SHARE, POS, "Final offer price per share."),
        Metric("ipo_shares_offered", E, CNT, POS, "Shares offered in the global offering."),
        Metric("ipo_gross_proceeds", E, MONEY, POS, "Gross proceeds of the global offering."),
        Metric(
            "ipo_shares_offered_max",
            E,
            CNT,
            POS,
            "The most shares the offering may issue, with every size-adjustment and over-allotment option.",
        ),
        Metric(
            "ipo_gross_proceeds_max",
            E,
            MONEY,
            POS,
            "Gross proceeds if every size-adjustment and over-allotment option is exercised.",
        ),
        Metric("ipo_net_proceeds", E, MONEY, POS, "Net proceeds of the global offering after expenses."),
        Metric("ipo_retail_subscription", E, TIMES, POS, "Times the Hong Kong public tranche was subscribed."),
        Metric(
            "ipo_international_subscription",
            E,
            TIMES,
            POS,
            "Times the international placing was subscribed.",
        ),
        Metric("ipo_cornerstone_amount", E, MONEY, POS, "Total subscribed by cornerstone investors."),
        Metric("ipo_cornerstone_investors", E, CNT, POS, "Number of cornerstone investors."),
        Metric("share_price_open", P, Family.MONEY_PER_SHARE, POS, "Opening share price on the date."),
        Metric("share_price_close", P, Family.MONEY_PER_SHARE, POS, "Closing share price on the date."),
        Metric(
            "share_price_change_since_ipo",
            P,
            PCT,
            SIGNED,
            "Cumulative change of the share price from the IPO offer price to the date.",
        ),
        Metric(
            "share_price_change_day",
            P,
            PCT,
            SIGNED,
            "Change of the share price on the date against the previous close.",
        ),
        Metric("share_price_high", P, Family.MONEY_PER_SHARE, POS, "Highest (intraday) share price on the date."),
        Metric("market_cap_at_open", S, MONEY, POS, "Market capitalisation at the opening price on the date."),
        Metric(
            "share_price_intraday",
            P,
            Family.MONEY_PER_SHARE,
            POS,
            "Share price at a stated moment during the trading day; the note says when.",
        ),
        Metric("share_price_midday", P, Family.MONEY_PER_SHARE, POS, "Share price at the midday break."),
        Metric(
            "market_cap_intraday",
            S,
            MONEY,
            POS,
            "Market capitalisation at a stated moment during the trading day; the note says when.",
        ),
        Metric("market_cap_midday", S, MONEY, POS, "Market capitalisation at the midday break."),
        Metric(
            "share_price_change_at_open",
            P,
            PCT,
            SIGNED,
            "Change of the opening price on the date against the previous close (the offer price on the listing day).",
        ),
        Metric(
            "share_price_change_midday",
            P,
            PCT,
            SIGNED,
            "Change of the price at the midday break against the previous close (the offer price on the listing day).",
        ),
        Metric(
            "share_price_change_intraday",
            P,
            PCT,
            SIGNED,
            "Change of the price at a moment during the day against the previous close (the offer price on the "
            "listing day); the note says when. The peak of the day is the segment `high`.",
        ),
        Metric(
            "share_price_level",
            P,
            Family.MONEY_PER_SHARE,
            POS,
            "A level the share price reached or stood at on the date, not stated to be the close or a moment.",
        ),
        Metric("board_lot", S, CNT, POS, "Shares in one board lot (the trading unit) at the date."),
        Metric(
            "ipo_demand",
            E,
            MONEY,
            POS,
            "Total demand the bookrunners recorded for the offering (segment: a group of investors; "
            "`per_investor` for an amount each investor of the group placed).",
        ),
        Metric("ipo_placees", E, CNT, POS, "Placees allotted shares in the international placing."),
        Metric(
            "ipo_cornerstone_shares",
            E,
            CNT,
            POS,
            "Offer shares allotted to cornerstone investors (and the related placees the source counts with them).",
        ),
        Metric("ipo_size_adjustment_shares", E, CNT, POS, "Shares in the offer-size adjustment option."),
        Metric("ipo_applicants", E, CNT, POS, "Applicants in an offering tranche (segment: the tranche)."),
        Metric(
            "ipo_order_book", E, MONEY, POS, "Value of orders placed in an offering tranche (segment: the tranche)."
        ),
        Metric("ipo_market_cap", E, MONEY, POS, "Market capitalisation implied by the IPO offer price."),
        Metric("ipo_over_allotment_shares", E, CNT, POS, "Shares in the over-allotment (green-shoe) option."),
        Metric("ipo_cornerstone_share", E, PCT, POS, "Share of the offer shares taken by cornerstone investors.", 100),
        Metric("shares_outstanding", S, CNT, POS, "Shares in issue at the date (all classes)."),
        Metric("market_cap", S, MONEY, POS, "Market capitalisation at the date."),
        # Funding and ownership
        Metric("funding_rounds", S, CNT, POS, "Private funding rounds completed before the date."),
        Metric("funding_amount", E, MONEY, POS, "Amount raised in a funding round (segment: the round)."),
        Metric(
            "post_money_valuation",
            E,
            MONEY,
            POS,
            "Valuation after a funding round (segment: the round).",
        ),
        Metric("total_funding", S, MONEY, POS, "Total raised in private rounds before the date."),
        Metric("pre_money_valuation", E, MONEY, POS, "Valuation before a funding round (segment: the round)."),
        Metric(
            "private_valuation",
            S,
            MONEY,
            POS,
            "Valuation of a private company reported at a date outside a funding round (estimates, market talk).",
        ),
        Metric("funding_investors", S, CNT, POS, "Institutions that invested in the private rounds before the date."),
        Metric("shares_held", S, CNT, POS, "Shares held by a holder at the date (segment: the holder)."),
        Metric(
            "holding_value",
            S,
            MONEY,
            POS,
            "Market value of a holder's stake at the date, as the source computes it (segment: the holder).",
        ),
        Metric("shareholding", S, PCT, POS, "Share of the company held (segment: the holder).", 100),
        Metric(
            "target_shareholding",
            E,
            PCT,
            POS,
            "Share of the company a holder wanted when it invested (segment: the holder): a plan, not a holding.",
            100,
            outlook="plan",
        ),
        # Events with no figure, dated to a day, month or year (segment: which one)
        Metric("founded", E, Family.NONE, POS, "The company was founded (sources may date it differently)."),
        Metric("listing", E, Family.NONE, POS, "Shares began trading on an exchange (segment: the exchange)."),
        Metric("product_launch", E, Family.NONE, POS, "A product or model was launched or released (segment: which)."),
        Metric(
            "filing", E, Family.NONE, POS, "A filing or registration with a regulator or exchange (segment: which)."
        ),
        Metric("funding_round_closed", E, Family.NONE, POS, "A private funding round closed (segment: the round)."),
        Metric(
            "planned_listing",
            E,
            Family.NONE,
            POS,
            "A listing the company plans for the period (segment: the market): a plan, not an event.",
            outlook="plan",
        ),
        # Targets and plans with a figure
        Metric(
            "planned_funding_amount",
            E,
            MONEY,
            POS,
            "Amount a company planned to raise in a round (segment: the round): a plan, not money raised.",
            outlook="plan",
        ),
        Metric(
            "planned_post_money_valuation",
            E,
            MONEY,
            POS,
            "Valuation a company planned for a round (segment: the round): a plan, not a valuation reached.",
            outlook="plan",
        ),
        Metric(
            "target_revenue_share",
            R,
            PCT,
            POS,
            "A part of revenue as a percentage of the total that the company aims for: a target.",
            100,
            outlook="target",
        ),
        Metric(
            "target_dau",
            C,
            CNT,
            POS,
            "Daily active users the company aims for (segment: the product): a target.",
            outlook="target",
        ),
    )
}

# --- Fact keys and ratios -------------------------------------------------------------


def fact_key(metric: str, segment: str = "") -> str:
    """The key of a fact: ``metric[segment]`` for a segment, the metric alone for the whole company.

    >>> fact_key("revenue", "talkie")
    'revenue[talkie]'
    >>> fact_key("revenue")
    'revenue'
    """
    return f"{metric}[{segment}]" if segment else metric


def split_key(key: str) -> tuple[str, str]:
    """A fact key's metric and segment ("" for the whole company).

    >>> split_key("revenue[talkie]")
    ('revenue', 'talkie')
    >>> split_key("revenue")
    ('revenue', '')
    """
    metric, _, segment = key.partition("[")
    return metric, segment.removesuffix("]")


class Ratio(Record):
    """A ratio a source may state and the sheet's amounts reproduce, in percent:
    ``metric`` = ``sign`` × ``numerator`` ÷ ``denominator`` × 100.

    ``sign`` is −1 where the numerator is a loss written as a positive number (a net
    loss of 465 on revenue of 1,000 is a net margin of −46.5 %). ``of_whole``: the
    numerator is a segment's and the denominator the whole company's (a segment's share
    of revenue); otherwise both are the stated figure's own segment.
    """

    metric: str
    numerator: str
    denominator: str
    sign: float = 1.0
    of_whole: bool = False

    def keys(self, segment: str) -> tuple[str, str] | None:
        """The numerator's and the denominator's fact keys for a figure stated for
        ``segment``; None for a share stated without a segment (it has no part).

        >>> RATIOS["gross_margin"].keys("talkie")
        ('gross_profit[talkie]', 'revenue[talkie]')
        >>> RATIOS["revenue_share"].keys("talkie")
        ('revenue[talkie]', 'revenue')
        >>> RATIOS["revenue_share"].keys("") is None
        True
        """
        if self.of_whole:
            return (fact_key(self.numerator, segment), self.denominator) if segment else None
        return fact_key(self.numerator, segment), fact_key(self.denominator, segment)


RATIOS: dict[str, Ratio] = {
    r.metric: r
    for r in (
        Ratio("gross_margin", "gross_profit", "revenue"),
        Ratio("net_margin", "net_loss", "revenue", -1.0),
        Ratio("adjusted_net_margin", "adjusted_net_loss", "revenue", -1.0),
        Ratio("rd_to_revenue", "rd_expense", "revenue"),
        Ratio("sm_to_revenue", "sm_expense", "revenue"),
        Ratio("revenue_share", "revenue", "revenue", of_whole=True),
        Ratio("rd_staff_share", "rd_employees", "employees"),
    )
}
# The margins and cost ratios over a segment's own revenue: what ``metrics.margins`` computes.
MARGINS: tuple[Ratio, ...] = tuple(r for r in RATIOS.values() if r.denominator == "revenue" and not r.of_whole)

UNKNOWN_HINT_LIMIT = 3


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A "did you mean" phrase, or "" when nothing is close.

    >>> suggest("revenu", ["revenue", "net_loss"])
    'did you mean "revenue"?'
    >>> suggest("zzz", ["revenue"])
    ''
    """
    close = get_close_matches(word, list(choices), n=UNKNOWN_HINT_LIMIT, cutoff=0.6)
    if not close:
        return ""
    return "did you mean " + " or ".join(f'"{c}"' for c in close) + "?"


# Parsed units and periods are remembered: a thousand sheets repeat a few dozen labels
# hundreds of thousands of times, the records are immutable, and one shared record per
# label also makes the cache's pickles smaller and faster to load.
_MEMO_LIMIT = 100_000
_UNITS: dict[str, Unit | str] = {}
_PERIODS: dict[tuple[str, int], Period | str] = {}

# --- Units -------------------------------------------------------------------

CURRENCIES = ("USD", "RMB", "HKD")
CURRENCY_ALIASES = {"CNY": "RMB"}
SCALES: dict[str, float] = {
    "": 1.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "萬": 1e4,
    "万": 1e4,
    "億": 1e8,
    "亿": 1e8,
}


class Unit(Record):
    """A parsed unit: its family, currency (for money) and scale factor."""

    text: str
    family: Family
    currency: str | None
    scale: float

    @property
    def scale_name(self) -> str:
        for name, factor in SCALES.items():
            if factor == self.scale:
                return name
        return ""  # pragma: no cover - every scale comes from SCALES


_UNIT_WORDS = {"percent": Family.PERCENT, "%": Family.PERCENT, "times": Family.TIMES, "rate": Family.RATE}
_SUFFIXES = {
    "per month": Family.MONEY_PER_MONTH,
    "per share": Family.MONEY_PER_SHARE,
    "per user": Family.MONEY_PER_USER,
}

DURATION_UNITS = ("years", "months", "days", "hours")
UNIT_EXAMPLES = (
    "USD million",
    "RMB 億",
    "HKD per share",
    "USD million per month",
    "USD per user",
    "percent",
    "count",
    "count million",
    "times",
)


def parse_unit(text: str) -> Unit | str:
    """Parse a unit, or return what is wrong with it (one record per distinct text).

    >>> parse_unit("USD million")
    Unit(text='USD million', family=<Family.MONEY: 'money'>, currency='USD', scale=1000000.0)
    >>> parse_unit("RMB 億").scale
    100000000.0
    >>> parse_unit("count 萬").scale
    10000.0
    >>> parse_unit("EUR million")
    'unknown currency "EUR"; known: USD, RMB, HKD'
    """
    found = _UNITS.get(text)
    if found is None:
        found = _parse_unit(text)
        if len(_UNITS) < _MEMO_LIMIT:
            _UNITS[text] = found
    return found


def _parse_unit(text: str) -> Unit | str:
    words = " ".join(text.split())
    if words in _UNIT_WORDS:
        return Unit(words, _UNIT_WORDS[words], None, 1.0)
    family = Family.MONEY
    for suffix, suffix_family in _SUFFIXES.items():
        if words.endswith(" " + suffix):
            words, family = words[: -len(suffix) - 1], suffix_family
            break
    head, _, scale_word = words.partition(" ")
    if scale_word not in SCALES:
        return f'unknown scale "{scale_word}"; use one of: ' + ", ".join(s for s in SCALES if s)
    scale = SCALES[scale_word]
    if head == "count":
        if family is not Family.MONEY:
            return f'"{text}" mixes a count with a money suffix'
        return Unit(text, Family.COUNT, None, scale)
    if head in DURATION_UNITS:
        if family is not Family.MONEY:
            return f'"{text}" mixes a duration with a money suffix'
        return Unit(text, Family.DURATION, None, scale)
    currency = CURRENCY_ALIASES.get(head, head)
    if currency not in CURRENCIES:
        hint = suggest(head, [*CURRENCIES, "count", "percent", "times", *DURATION_UNITS])
        known = "known: " + ", ".join(CURRENCIES)
        return f'unknown currency "{head}"; ' + (hint or known)
    return Unit(text, family, currency, scale)


# --- Periods -------------------------------------------------------------------


class Period(Record):
    """A labelled stretch of time, or a date (start == end, ``is_instant``).

    ``precision`` is "day" for dates and durations, "month" or "year" for events
    the sources date only that finely.
    """

    label: str
    start: date
    end: date
    is_instant: bool
    precision: str = "day"

    @property
    def months(self) -> int:
        """Whole calendar months covered (0 for a date)."""
        if self.is_instant:
            return 0
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# The one grammar of named periods: a stretch of the fiscal year, then the fiscal year,
# named by the calendar year it ends in. The span is the stretch's first and last month,
# counted from the fiscal year's first month (so H1 of a year ending in March is April to
# September). Every other module asks ``named_period`` rather than matching labels itself.
NAMED_SPANS: dict[str, tuple[int, int]] = {
    "FY": (1, 12),
    "H1-": (1, 6),
    "H2-": (7, 12),
    "9M": (1, 9),
    "Q1-": (1, 3),
    "Q2-": (4, 6),
    "Q3-": (7, 9),
    "Q4-": (10, 12),
}
_PREFIXES = "|".join(NAMED_SPANS)  # plain letters, digits and "-": nothing to escape
# Digits are ASCII [0-9] everywhere, never \d: in Python \d also matches "２" and "٢", and
# FY２０２４ would be read as FY2024 (a collision in disguise).
NAMED_PERIOD = rf"({_PREFIXES})\d{{4}}"
_DATE_TEXT = r"\d{4}-\d{2}-\d{2}"
# Every label ``parse_period`` may accept, as one pattern (the JSON schema's): a named
# period, a date, an interval between two dates, a month or a year (those two for events).
# Its text stays as editors cached it; in a JSON Schema (ECMA-262) \d is ASCII 0-9. Python
# matches labels with the [0-9] patterns below, never with this one.
PERIOD_PATTERN = rf"^({NAMED_PERIOD}|{_DATE_TEXT}|{_DATE_TEXT}/{_DATE_TEXT}|\d{{4}}-\d{{2}}|\d{{4}})$"
_NAMED = re.compile(rf"^({_PREFIXES})([0-9]{{4}})$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_YEAR = re.compile(r"^([0-9]{4})$")
_YEAR_WRITTEN = re.compile(rf"^(?:{_PREFIXES})?([0-9]{{4}})(?:-|$)")
_SLASHED_DATE = re.compile(r"^([0-9]{4})[/.]([0-9]{1,2})[/.]([0-9]{1,2})$")
# Years a period or date may name: fixed, not relative to today, so a sheet that validates
# today validates next year. Outside them a year is a typo (FY0000, 2205-06-30), and
# date arithmetic on it (a year earlier, a fiscal year's start) would fail.
FIRST_YEAR, LAST_YEAR = 1900, 2100
PERIOD_EXAMPLES = "FY2024, H1-2025, 9M2025, Q4-2025, 2025-09-30, 2022-01-01/2025-09-30"


def non_ascii_digit(text: str) -> int:
    """The index of the first digit in ``text`` that is not ASCII 0-9 (full-width, Arabic-Indic…),
    or -1.

    >>> non_ascii_digit("FY２０２４"), non_ascii_digit("FY2024")
    (2, -1)
    """
    if text.isascii():
        return -1
    return next((i for i, c in enumerate(text) if c.isdigit() and not c.isascii()), -1)


def digits_problem(text: str, what: str) -> str:
    """What is wrong with a label or number holding a digit that is not ASCII ("" if none)."""
    at = non_ascii_digit(text)
    if at < 0:
        return ""
    return f'{what} "{text}" has a digit that is not ASCII: "{text[at]}" {code_point(text[at])}; type digits 0-9'


def _year_problem(year: int, text: str) -> str:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return ""
    return f'year {year:04d} in "{text}" is outside {FIRST_YEAR}–{LAST_YEAR}; check the year'


def parse_date(text: str) -> date | str:
    """Parse an ISO date, or return what is wrong with it.

    >>> parse_date("2025-09-30")
    datetime.date(2025, 9, 30)
    >>> parse_date("2025-02-30")
    'no such date: 2025-02-30 (day is out of range for month)'
    >>> parse_date("2025/09/30")
    '"2025/09/30" is not a date; write it as YYYY-MM-DD: 2025-09-30'
    >>> parse_date("0000-06-30")
    'year 0000 in "0000-06-30" is outside 1900–2100; check the year'
    """
    found = _DATE.match(text)
    if not found:
        slashed = _SLASHED_DATE.match(text)
        if slashed:
            written = f"{slashed[1]}-{int(slashed[2]):02d}-{int(slashed[3]):02d}"
            return f'"{text}" is not a date; write it as YYYY-MM-DD: {written}'
        return digits_problem(text, "date") or f'"{text}" is not a date; write it as YYYY-MM-DD'
    year_problem = _year_problem(int(found[1]), text)
    if year_problem:
        return year_problem
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError as err:
        return f"no such date: {text} ({err})"


def parse_period(label: str, fiscal_year_end_month: int = 12) -> Period | str:
    """Parse a period label, or return what is wrong with it.

    Named periods count from the start of the fiscal year. Durations between two
    dates are written ``START/END`` (ISO 8601 interval), e.g. cumulative losses.
    A bare month ``2023-06`` or year ``2023`` is accepted only for events.

    >>> parse_period("9M2025").months
    9
    >>> parse_period("2025-09-30").is_instant
    True
    >>> parse_period("2022-01-01/2025-09-30").months
    45
    >>> parse_period("FY25")
    'unknown period "FY25"; did you mean "FY2024"?'
    >>> parse_period("last year")
    'unknown period "last year"; write one of FY2024, H1-2025, 9M2025, Q4-2025, 2025-09-30, 2022-01-01/2025-09-30'
    """
    key = (label, fiscal_year_end_month)
    found = _PERIODS.get(key)
    if found is None:
        found = _parse_period(label, fiscal_year_end_month)
        if len(_PERIODS) < _MEMO_LIMIT:
            _PERIODS[key] = found
    return found


def _label_problem(label: str) -> str:
    """A digit that is not ASCII, or a year outside FIRST_YEAR to LAST_YEAR ("" if neither);
    an interval's two dates are checked by ``parse_date``."""
    digits = digits_problem(label, "period")
    if digits:
        return digits
    year_written = _YEAR_WRITTEN.match(label)
    return _year_problem(int(year_written[1]), label) if year_written else ""


def _parse_interval(label: str) -> Period | str:
    left, _, right = label.partition("/")
    if not (_DATE.match(left) and _DATE.match(right)):  # quoted whole: "2025/09/30", not "2025"
        slashed = _SLASHED_DATE.match(label)
        if slashed:
            written = f"{slashed[1]}-{int(slashed[2]):02d}-{int(slashed[3]):02d}"
            return f'"{label}" is not a date; write it as YYYY-MM-DD: {written}'
        return f'"{label}" is not a period; an interval is two dates START/END, e.g. 2022-01-01/2025-09-30'
    start, end = parse_date(left), parse_date(right)
    for part in (start, end):
        if isinstance(part, str):
            return f'"{label}": {part}'
    assert isinstance(start, date) and isinstance(end, date)
    if end <= start:
        return f'"{label}" ends before it starts'
    return Period(label, start, end, False)


def _parse_period(label: str, fiscal_year_end_month: int) -> Period | str:
    problem = _label_problem(label)
    if problem:
        return problem
    named = _NAMED.match(label)
    if named:
        first, last = NAMED_SPANS[named[1]]
        year = int(named[2])
        # A fiscal year ending in month M of year Y starts in month M+1 of Y-1.
        offset = fiscal_year_end_month % 12
        start_month = (first - 1 + offset) % 12 + 1
        start_year = year - 1 if offset and start_month > fiscal_year_end_month else year
        end_index = start_month - 1 + (last - first)
        end_year, end_month = start_year + end_index // 12, end_index % 12 + 1
        return Period(label, date(start_year, start_month, 1), _month_end(end_year, end_month), False)
    if "/" in label:
        return _parse_interval(label)
    if _DATE.match(label):
        day = parse_date(label)
        if isinstance(day, str):
            return day
        return Period(label, day, day, True)
    month = _MONTH.match(label)
    if month and 1 <= int(month[2]) <= 12:
        year, mon = int(month[1]), int(month[2])
        return Period(label, date(year, mon, 1), _month_end(year, mon), True, "month")
    if _YEAR.match(label):
        year = int(label)
        return Period(label, date(year, 1, 1), date(year, 12, 31), True, "year")
    hint = suggest(label, ["FY2024", "H1-2025", "H2-2025", "9M2025", "Q4-2025"])
    return f'unknown period "{label}"; ' + (hint or f"write one of {PERIOD_EXAMPLES}")


# --- Period arithmetic ------------------------------------------------------------
# On a period's own dates, never on its label: a fiscal year may end in any month, and
# the dates already say which.


class NamedPeriod(Record):
    """The parts of a named period's label: ``prefix`` as written ("FY", "H1-", "9M",
    "Q4-") and the fiscal ``year`` (the calendar year the fiscal year ends in)."""

    prefix: str
    year: int

    @property
    def kind(self) -> str:
        """Which stretch of the fiscal year: "FY", "9M", "H1", "H2" or "Q1"…"Q4"."""
        return self.prefix.rstrip("-")

    @property
    def label(self) -> str:
        return f"{self.prefix}{self.year}"


def named_period(label: str) -> NamedPeriod | None:
    """The parts of a named period's label, or None for any other label.

    >>> named_period("H1-2025")
    NamedPeriod(prefix='H1-', year=2025)
    >>> named_period("H1-2025").kind, named_period("FY2024").kind
    ('H1', 'FY')
    >>> named_period("2025-09-30") is None
    True
    """
    found = _NAMED.match(label)
    return NamedPeriod(found[1], int(found[2])) if found else None


def shift_months(day: date, months: int) -> date:
    """``day`` moved by whole months; the last day of a month stays the last day.

    >>> shift_months(date(2025, 3, 31), -12)
    datetime.date(2024, 3, 31)
    >>> shift_months(date(2024, 2, 29), -12)
    datetime.date(2023, 2, 28)
    >>> shift_months(date(2023, 2, 28), 12)  # a month end stays one
    datetime.date(2024, 2, 29)
    >>> shift_months(date(2025, 1, 15), -3)
    datetime.date(2024, 10, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if at_end else min(day.day, last))


def months_apart(earlier: date, later: date) -> int:
    """Whole calendar months from one date's month to another's (the span of a CAGR).

    >>> months_apart(date(2022, 12, 31), date(2024, 12, 31))  # FY2022 to FY2024: 2 years
    24
    >>> months_apart(date(2024, 3, 31), date(2025, 3, 31))  # fiscal years ending in March
    12
    """
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _interval(start: date, end: date) -> Period:
    return Period(f"{start.isoformat()}/{end.isoformat()}", start, end, False)


def year_earlier(period: Period) -> Period:
    """The same stretch of time one year earlier, moved by its own dates.

    A named period keeps its name, a year less (its dates are those ``parse_period``
    gives that label for the same fiscal year end); a date, a month, a year or an
    interval is moved twelve months and labelled as those are written.

    >>> year_earlier(parse_period("9M2025")).label
    '9M2024'
    >>> march = year_earlier(parse_period("FY2025", fiscal_year_end_month=3))
    >>> march.label, march.start, march.end
    ('FY2024', datetime.date(2023, 4, 1), datetime.date(2024, 3, 31))
    >>> year_earlier(parse_period("2024-02-29")).label
    '2023-02-28'
    >>> year_earlier(parse_period("2022-01-01/2025-09-30")).label
    '2021-01-01/2024-09-30'
    """
    start, end = shift_months(period.start, -12), shift_months(period.end, -12)
    named = named_period(period.label)
    if named is not None:
        label = NamedPeriod(named.prefix, named.year - 1).label
    elif period.precision == "year":
        label = str(start.year)
    elif period.precision == "month":
        label = f"{start.year}-{start.month:02d}"
    elif period.is_instant:
        label = end.isoformat()
    else:
        return _interval(start, end)
    return Period(label, start, end, period.is_instant, period.precision)


def fiscal_year_of(period: Period) -> Period | None:
    """The full fiscal year a named period lies in, from the period's own dates; None
    for any other period. A year-to-date period (H1, 9M, Q1) starts with its year, so
    last full year + it − the same period a year earlier = twelve months to its end.

    >>> fy = fiscal_year_of(parse_period("9M2025"))
    >>> fy.label, fy.start, fy.end
    ('FY2025', datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    >>> fy = fiscal_year_of(parse_period("Q4-2025", fiscal_year_end_month=3))  # Jan to Mar 2025
    >>> fy.label, fy.start, fy.end
    ('FY2025', datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    >>> fiscal_year_of(parse_period("2025-09-30")) is None
    True
    """
    named = named_period(period.label)
    if named is None:
        return None
    first, _ = NAMED_SPANS[named.prefix]
    start = shift_months(period.start, 1 - first)
    end = shift_months(start, 12) - timedelta(days=1)
    return Period(f"FY{named.year}", start, end, False)


def twelve_months_to(end: date) -> Period:
    """The twelve months ending on ``end``, labelled as an interval.

    >>> twelve_months_to(date(2025, 9, 30)).label
    '2024-10-01/2025-09-30'
    >>> twelve_months_to(date(2024, 2, 29)).months
    12
    """
    return _interval(shift_months(end + timedelta(days=1), -12), end)


def prior_label(label: str) -> str | None:
    """The label of the same named period one year earlier; None for any other label.

    Prefer ``year_earlier`` on a ``Period``: it works on the dates and for every period.

    >>> prior_label("9M2025")
    '9M2024'
    >>> prior_label("2025-09-30") is None
    True
    """
    named = named_period(label)
    return NamedPeriod(named.prefix, named.year - 1).label if named else None


def period_fits(metric: Metric, period: Period) -> str:
    """ "" when the metric may be recorded for the period, else why not."""
    if metric.kind is Kind.EVENT:
        return ""
    if period.precision != "day":
        return (
            f'{metric.name} needs a full date or a duration, not "{period.label}"; '
            "only events (funding rounds, IPO terms) may be dated to a month or year"
        )
    if metric.kind is Kind.FLOW and period.is_instant:
        return f'{metric.name} is a flow and needs a duration such as FY2024 or 9M2025, not the date "{period.label}"'
    if metric.kind in (Kind.STOCK, Kind.PRICE) and not period.is_instant:
        return (
            f"{metric.name} is a balance at a date and needs a date such as 2025-09-30, "
            f'not the duration "{period.label}"'
        )
    return ""


def unit_fits(metric: Metric, unit: Unit) -> str:
    """ "" when the unit measures what the metric measures, else why not."""
    if unit.family is metric.family:
        return ""
    return f'{metric.name} is measured in {metric.family.value}, not "{unit.text}"'


# --- Sources -------------------------------------------------------------------

SOURCE_KINDS = (
    "prospectus",
    "results_announcement",
    "exchange_filing",
    "press",
    "press_before_prospectus",
    "official_statistics",
)
# How a source states a figure. A point figure is "exact" (rounded as written) or "about" (約/近);
# a bound is open on one side, strictly ("more_than" 超/逾, "less_than" 不到) or not ("at_least"
# 以上/站上, "at_most" 不超過); a "range" (A至B, A–B) gives both ends and has no point value.
QUALIFIERS = ("exact", "about", "more_than", "at_least", "less_than", "at_most", "range")
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about",
    "more_than": "more than",
    "at_least": "at least",
    "less_than": "less than",
    "at_most": "at most",
    "range": "between",
}
# The mark a renderer puts before a figure: ≥ and ≤ for the inclusive bounds; a range is
# written low–high and takes no mark.
QUALIFIER_MARKS = {
    "exact": "",
    "about": "~",
    "more_than": ">",
    "at_least": "≥",
    "less_than": "<",
    "at_most": "≤",
    "range": "",
}
# What a report says about the period it gives, when it is not a result: a company's guidance
# or expectation ("forecast"), an aim ("target"), an intention ("plan"), or a figure the source
# works out before the fact ("estimate", such as net proceeds at a mid price). A report with an
# outlook, or of a metric whose ``outlook`` is set, is never a result: computations take only
# rows whose ``result`` column (``is_result``) is true.
OUTLOOKS = ("forecast", "target", "plan", "estimate")


def is_result(metric: str, outlook: str = "") -> bool:
    """Whether a report of ``metric`` with ``outlook`` ("" for none) is a result a
    computation may use: not a forecast, target, plan or estimate, and not an event with no figure.

    >>> is_result("revenue"), is_result("monthly_cash_burn", "forecast")
    (True, False)
    >>> is_result("expected_revenue_growth"), is_result("founded")
    (False, False)
    """
    found = METRICS[metric]
    return not outlook and not found.outlook and found.family is not Family.NONE


BASES = ("ifrs", "adjusted")


# How a date or period the source does not state was worked out (a source's `published_inferred`,
# a report's `period_inferred`): the source gives none and the sheet assumes one ("not_stated"),
# it is taken from the context (a neighbouring sentence, the article's or the prospectus's date:
# "from_context"), only the day or time is missing ("day_missing"), or the source gives a date or
# month that the sheet files under another kind of period ("kind_changed"). The note gives details.
INFERENCES = ("not_stated", "from_context", "day_missing", "kind_changed")
