"""Claims the sources make, checked against the data.

A claim is a figure a source states that other figures imply: a margin or a share (of
revenue, of staff, of the offering), a multiple (R&D seven times revenue), a growth rate
or a compound annual growth rate, an amount for a stretch of time that other stretches
add up to (losses since founding, a fourth quarter as the year less nine months), a share
price move against the offer price or the previous close, a market capitalisation against
price × shares, revenue per paying user, a cash runway. Every source's report of it is
checked (not only the preferred one), with the rounding and the qualifier the source wrote
it with: it "reproduces" when the interval it allows meets the interval the inputs'
rounding allows (``ranges``), "does not reproduce" otherwise, and "cannot be checked" when
the data lacks an input, named as METRIC PERIOD. A claim stated as a range (R&D compute
"70–80 %" of R&D) is listed like any other, its ends as written (``Claim.stated_low``,
``stated_high``; ``stated`` is NaN, never the midpoint); it reproduces when the interval
the inputs allow meets the range.

Inputs are taken from the claim's own source where it gives them, else from the fact's
preferred report; a verdict that rests on another source's figures names those sources.
A runway claim reproduces only on its own source's cash and burn; otherwise it cannot be
checked, and the verdict says which other sources it would need and how widely the
pairings they offer range.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from minimetrics.factsheet import Fact, FactSheet, Report
from minimetrics.problems import UsageError
from minimetrics.ranges import Interval, bounds, overlap, quotient
from minimetrics.registry import (
    METRICS,
    QUALIFIER_MARKS,
    RATIOS,
    Family,
    Kind,
    Ratio,
    fact_key,
    months_apart,
    named_period,
    split_key,
    year_earlier,
)
from minimetrics.results import Claim, Verdict

# runway: which cash facts and which burn facts a claim may rest on
RUNWAY_CASH = ("cash_and_equivalents", "cash_and_liquid_assets")
RUNWAY_BURN = ("monthly_cash_burn", "adjusted_net_loss", "net_loss")
# A market capitalisation and price × shares outstanding may differ by this much before
# they disagree: the sources count shares on two bases (before and after the offer-size
# adjustment: 305.45 and 309.26 million MiniMax shares, 1.2 % apart), besides rounding.
MARKET_CAP_TOLERANCE = 0.02
# The previous close is at most this many days before the day (a weekend and a holiday).
PREVIOUS_CLOSE_DAYS = 4

# Ratios the registry's table does not hold: (metric, numerator keys tried in order, denominator keys).
EXTRA_RATIOS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "compute_to_rd": (("compute_cost[in_rd]", "compute_cost"), ("rd_expense",)),
    "ipo_cornerstone_share": (
        ("ipo_cornerstone_shares", "ipo_cornerstone_amount"),
        ("ipo_shares_offered", "ipo_gross_proceeds"),
    ),
}
GROWTH_OF = {"revenue_growth": "revenue", "expected_revenue_growth": "revenue"}
# A market capitalisation at a moment, and the price at the same moment.
MARKET_CAP_PRICES = {
    "market_cap": "share_price_close",
    "market_cap_at_open": "share_price_open",
    "market_cap_midday": "share_price_midday",
    "market_cap_intraday": "share_price_intraday",
}
# A share price move, and the price it measures (the peak of the day: the segment "high").
PRICE_CHANGES = {
    "share_price_change_day": "share_price_close",
    "share_price_change_at_open": "share_price_open",
    "share_price_change_midday": "share_price_midday",
    "share_price_change_intraday": "share_price_intraday",
}
# Prices measured at a moment the sources do not share: only the claim's own source's will do.
MOMENTS = ("share_price_intraday", "market_cap_intraday")
PER_MONTH = {"years": 12.0, "months": 1.0, "days": 12 / 365.25}


@dataclass(frozen=True)
class ClaimInput:
    """One figure a claim was checked against: the fact, the value as its source wrote it."""

    figure: str  # "revenue FY2024"
    value: float
    unit: str
    qualifier: str
    source: str


@dataclass(frozen=True)
class ClaimCheck:
    """A checked claim with everything that explains its verdict (``claim`` is what
    ``check_claims`` returns). Values are in the claim's own unit: ``low`` to ``high`` is
    what the inputs' rounding allows, ``gap`` is computed − stated (NaN when unchecked, and
    for a claim stated as a range, which has no one stated value).

    ``other_sources``: sources besides the claim's own that the computation rests on;
    ``needs``: the figures (METRIC PERIOD) the data lacks to check it; ``candidates``:
    for a runway claim its source cannot settle, what every pairing of other sources'
    cash and burn gives, in the claim's unit.
    """

    claim: Claim
    low: float
    high: float
    gap: float
    inputs: tuple[ClaimInput, ...] = ()
    other_sources: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    candidates: tuple[float, ...] = ()


@dataclass(frozen=True)
class _Figure:
    """An amount the data give, in whole units: as written (``value``) and every value the
    inputs' rounding allows (``low`` to ``high``), with the inputs it came from."""

    value: float
    low: float
    high: float
    text: str  # how it was obtained: "revenue FY2025 − revenue 9M2025"
    inputs: tuple[ClaimInput, ...]
    currency: str | None = None

    @property
    def interval(self) -> Interval:
        return self.low, self.high


def _minus(a: _Figure, b: _Figure, text: str) -> _Figure:
    return _Figure(a.value - b.value, a.low - b.high, a.high - b.low, text, a.inputs + b.inputs, a.currency)


def _divided(a: _Figure, b: _Figure, text: str, times: float = 1.0) -> _Figure | None:
    """``times`` × a ÷ b; None when b may be zero or negative (``ranges.quotient``)."""
    span = quotient(a.interval, b.interval)
    if span is None or b.value == 0:
        return None
    low, high = sorted((span[0] * times, span[1] * times))
    return _Figure(a.value / b.value * times, low, high, text, a.inputs + b.inputs)


def _times(a: _Figure, b: _Figure, text: str) -> _Figure:
    corners = [x * y for x in a.interval for y in b.interval if not (math.isinf(x) and y == 0)]
    return _Figure(a.value * b.value, min(corners), max(corners), text, a.inputs + b.inputs, a.currency or b.currency)


class _Data:
    """The sheet's figures, found by key and dates, preferring one source's reports."""

    def __init__(self, sheet: FactSheet) -> None:
        self.sheet = sheet
        self.facts: dict[tuple[str, date, date], Fact] = {}
        self.by_key: dict[str, list[Fact]] = {}
        for fact in sheet.facts:
            self.facts.setdefault((fact.key, fact.period.start, fact.period.end), fact)
            self.by_key.setdefault(fact.key, []).append(fact)
        self.groups: dict[str, tuple[str, tuple[str, ...]]] = {}
        members: dict[tuple[str, str], list[str]] = {}
        for segment in sheet.company.segments:
            if segment.group:
                members.setdefault((segment.group, segment.parent), []).append(segment.id)
        for (_, parent), ids in members.items():
            for segment_id in ids:
                self.groups[segment_id] = (parent, tuple(i for i in ids if i != segment_id))
        listing = [f.period.start for f in sheet.facts if f.metric == "listing"]
        self.listed = sheet.company.listed or (min(listing) if listing else None)

    def report(self, fact: Fact, source: str, moment: bool = False) -> Report | None:
        """The claim's own source's report of ``fact``, else the preferred one (any usable
        one): a result with one value. ``moment``: only the own source's will do."""
        usable = [r for r in fact.reports if r.value is not None and r.unit is not None and not r.outlook]
        own = [r for r in usable if r.source == source]
        if own or moment:
            return own[0] if own else None
        return fact.value if fact.value in usable else (usable[0] if usable else None)

    def leaf(self, fact: Fact, source: str, moment: bool = False) -> _Figure | None:
        report = self.report(fact, source, moment)
        if report is None:
            return None
        assert report.unit is not None and report.amount is not None
        low, high = report.bounds()
        label = f"{fact.key} {fact.period.label}"
        return _Figure(report.amount, low, high, label, (_input(label, report),), report.unit.currency)

    def fact(self, key: str, start: date, end: date) -> Fact | None:
        return self.facts.get((key, start, end))

    def figure(
        self, key: str, start: date, end: date, source: str, depth: int = 2, avoid: frozenset[str] = frozenset()
    ) -> _Figure | None:
        """``key`` over start–end: stated, or the whole less its other parts (the year less
        nine months, the company less its other segments), ``depth`` steps deep, never
        from a key in ``avoid`` (the claim itself, and the keys being derived)."""
        if key in avoid:
            return None
        fact = self.fact(key, start, end)
        found = self.leaf(fact, source) if fact is not None else None
        if found is not None or depth == 0:
            return found
        return self.by_time(key, start, end, source, depth - 1, avoid) or self.by_segment(
            key, start, end, source, depth - 1, avoid
        )

    def by_time(
        self, key: str, start: date, end: date, source: str, depth: int = 1, avoid: frozenset[str] = frozenset()
    ) -> _Figure | None:
        """A flow over the end of a longer stretch: the stretch less its first part."""
        if start == end or METRICS[split_key(key)[0]].kind is not Kind.FLOW:
            return None
        for whole_fact in self.by_key.get(key, []):
            whole_start = whole_fact.period.start
            if whole_fact.period.end != end or whole_start >= start:
                continue
            whole = self.leaf(whole_fact, source)
            part = self.figure(key, whole_start, start - timedelta(days=1), source, depth, avoid)
            if whole is not None and part is not None:
                return _minus(whole, part, f"({whole.text} − {part.text})")
        return None

    def by_segment(
        self, key: str, start: date, end: date, source: str, depth: int = 1, avoid: frozenset[str] = frozenset()
    ) -> _Figure | None:
        """A segment's figure as its parent's less the other segments of its group."""
        metric, segment = split_key(key)
        if segment not in self.groups or METRICS[metric].family not in (Family.MONEY, Family.COUNT, Family.PERCENT):
            return None
        parent, others = self.groups[segment]
        if metric == "revenue_share" and not parent:
            whole: _Figure | None = _Figure(100.0, 100.0, 100.0, "100 %", ())
        elif METRICS[metric].family is Family.PERCENT:
            return None
        else:
            whole = self.figure(fact_key(metric, parent), start, end, source, depth, avoid | {key})
        parts = [self.figure(fact_key(metric, other), start, end, source, depth, avoid | {key}) for other in others]
        if whole is None or any(p is None for p in parts):
            return None
        result = whole
        for part in parts:
            assert part is not None
            result = _minus(result, part, f"{result.text} − {part.text}")
        return replace(result, text=f"({result.text})")


def _input(label: str, report: Report) -> ClaimInput:
    assert report.value is not None and report.unit is not None
    return ClaimInput(label, report.value, report.unit.text, report.qualifier, report.source)


# --- the checks ---------------------------------------------------------------------------


def check_claims(sheet: FactSheet) -> list[Claim]:
    """Every checkable claim in one sheet, one row per source's report of it; a claim stated
    as a range (70–80 %) with its ends in ``stated_low`` and ``stated_high`` (``stated`` NaN)."""
    return [check.claim for check in checked_claims(sheet)]


def checked_claims(sheet: FactSheet) -> list[ClaimCheck]:
    """Every claim in one sheet with its inputs, their sources and what it lacks."""
    data = _Data(sheet)
    checks: list[ClaimCheck] = []
    for fact in sheet.facts:
        rule = _rule(fact)
        if rule is None:
            continue
        for report in fact.reports:
            # An estimate or plan is not checked against results; a forecast of growth is,
            # once the results are in.
            if report.has_bounds and (not report.outlook or fact.metric in GROWTH_OF):
                checks.append(rule(data, fact, report))
    return checks


def market_cap_checks(sheet: FactSheet) -> list[ClaimCheck]:
    """Each market capitalisation's preferred report against price × shares outstanding on
    the same day (the cross-check's view: one report per fact; results only)."""
    data = _Data(sheet)
    return [
        _market_cap(data, fact, fact.value)
        for fact in sheet.facts
        if fact.metric in MARKET_CAP_PRICES and fact.value.has_bounds and not fact.value.outlook
    ]


def with_verdicts(claims: Iterable[Claim], verdicts: Iterable[str]) -> list[Claim]:
    """The claims whose verdict is one of ``verdicts`` (words of ``Verdict``); all for none.

    >>> with_verdicts([], ["reproduces"])
    []
    >>> with_verdicts([], ["wrong"])
    Traceback (most recent call last):
    minimetrics.problems.UsageError: unknown verdict "wrong" — use one of: reproduces, does not reproduce, cannot be checked
    """
    known = {v.value: v for v in Verdict}
    wanted = set()
    for word in verdicts:
        if word not in known:
            raise UsageError(f'unknown verdict "{word}"', "use one of: " + ", ".join(known))
        wanted.add(known[word])
    return [c for c in claims if not wanted or c.verdict in wanted]


# The shape of a check: the data, the claim's fact and the report checked.
_Rule = Callable[["_Data", Fact, Report], ClaimCheck]


def _rule(fact: Fact) -> _Rule | None:
    metric = fact.metric
    if metric in RATIOS or metric in EXTRA_RATIOS:
        return _ratio
    if metric in GROWTH_OF:
        return _growth
    if metric == "revenue_cagr":
        return _cagr
    if metric in PRICE_CHANGES or metric == "share_price_change_since_ipo":
        return _price_change
    if metric in MARKET_CAP_PRICES or metric == "ipo_market_cap":
        return _market_cap
    if metric == "ipo_gross_proceeds" and not fact.segment:
        return _proceeds
    if metric == "arppu":
        return _per_user
    if metric == "cash_runway":
        return _runway
    found = METRICS[metric]
    if found.kind is Kind.FLOW and found.family is Family.MONEY and not fact.period.is_instant:
        named = named_period(fact.period.label)
        if named is None or named.kind in ("Q4", "H2"):
            return _sum_over_time
    return None


def _verdict(
    data: _Data,
    fact: Fact,
    report: Report,
    found: _Figure | None,
    needs: Iterable[str] = (),
    why_not: str = "",
) -> ClaimCheck:
    """The claim's verdict: whether the interval ``report`` allows meets ``found``'s."""
    assert report.unit is not None
    scale = report.unit.scale
    unit = report.unit.text
    value = report.value if report.value is not None else math.nan
    low, high = report.value_range or (value, value)  # a range has no one value: NaN, its ends apart
    name = f"{fact.key} {fact.period.label}"

    def claim(computed: float, verdict: Verdict, text: str) -> Claim:
        company = data.sheet.company.id
        return Claim(company, name, value, low, high, unit, report.qualifier, report.source, computed, verdict, text)

    if found is None:
        needs = tuple(needs)
        text = why_not or ("needs " + ", ".join(needs) if needs else "the data cannot test it")
        return ClaimCheck(claim(math.nan, Verdict.CANNOT_BE_CHECKED, text), math.nan, math.nan, math.nan, needs=needs)
    if found.currency and report.unit.currency and found.currency != report.unit.currency:
        text = f"{found.text} is in {found.currency}, the claim in {report.unit.currency}: needs a rate"
        unchecked = claim(math.nan, Verdict.CANNOT_BE_CHECKED, text)
        return ClaimCheck(unchecked, math.nan, math.nan, math.nan, found.inputs)
    ok = overlap(report.bounds(), found.interval)
    others = tuple(sorted({i.source for i in found.inputs} - {report.source}))
    text = f"{found.text}: " + "; ".join(_written(i) for i in found.inputs)
    if others:
        text += " — rests on other sources: " + ", ".join(others)
    text += _reading(report, found, ok)
    computed = found.value / scale
    verdict = Verdict.REPRODUCES if ok else Verdict.DOES_NOT_REPRODUCE
    return ClaimCheck(
        claim(computed, verdict, text), found.low / scale, found.high / scale, computed - value, found.inputs, others
    )


def _reading(report: Report, found: _Figure, ok: bool) -> str:
    """When the verdict turns on how an exact figure is read, what the sheet holds and how
    another reading would change it: 130 (rounded to tens, 125 to 135, by the house rule for
    trailing zeros) against 130 to the unit; exact against about."""
    if report.qualifier != "exact" or report.value is None or report.unit is None:
        return ""
    scale, value = report.unit.scale, report.value
    if ok and report.decimals < 0 and not overlap(bounds(value, 0, "exact", scale), found.interval):
        return (
            f" — the sheet holds {value:.12g} as exact, read as rounded to {10**-report.decimals:g}s; "
            f"read to the unit it would not reproduce"
        )
    if not ok and overlap(bounds(value, report.decimals, "about", scale), found.interval):
        return f" — the sheet holds {value:.12g} as exact; read as about it would reproduce"
    return ""


def _written(item: ClaimInput) -> str:
    return f"{item.figure} {QUALIFIER_MARKS.get(item.qualifier, '')}{item.value:.12g} {item.unit} [{item.source}]"


def _ratio(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """A margin, share or multiple against numerator ÷ denominator of the same period; a
    segment's share of revenue without amounts against 100 % less its group's other shares."""
    start, end = fact.period.start, fact.period.end
    ratio = RATIOS.get(fact.metric)
    tops: tuple[str, ...]
    bottoms: tuple[str, ...]
    if ratio is not None:
        keys = ratio.keys(fact.segment)
        if keys is None:  # a share stated for the whole company: 100 %, nothing to check
            return _verdict(data, fact, report, None, why_not=f"{fact.metric} needs a segment")
        tops, bottoms, sign = (keys[0],), (keys[1],), ratio.sign
    else:
        tops, bottoms = EXTRA_RATIOS[fact.metric]
        tops, sign = tuple(fact_key(split_key(t)[0], fact.segment) if fact.segment else t for t in tops), 1.0
    missing: list[str] = []
    for top_key, bottom_key in zip(tops, bottoms * len(tops) if len(bottoms) == 1 else bottoms, strict=True):
        top, bottom = (
            data.figure(top_key, start, end, report.source),
            data.figure(bottom_key, start, end, report.source),
        )
        if top is not None and bottom is not None:
            if top.currency != bottom.currency:
                missing.append(f"{top_key} and {bottom_key} in one currency")
                continue
            found = _divided(top, bottom, _ratio_text(ratio, top, bottom), sign * 100)
            if found is None:
                return _verdict(data, fact, report, None, why_not=f"{bottom.text} may be zero")
            return _verdict(data, fact, report, found)
        missing += [f"{k} {fact.period.label}" for k, f in ((top_key, top), (bottom_key, bottom)) if f is None]
    if fact.metric == "revenue_share":
        shares = data.by_segment(fact.key, start, end, report.source, avoid=frozenset({fact.key}))
        if shares is not None:
            return _verdict(data, fact, report, shares)
    return _verdict(data, fact, report, None, missing)


def _ratio_text(ratio: Ratio | None, top: _Figure, bottom: _Figure) -> str:
    return f"{'−' if ratio is not None and ratio.sign < 0 else ''}{top.text} ÷ {bottom.text}"


def _growth(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """Stated growth against the same figure over the same stretch of time a year earlier."""
    key = fact_key(GROWTH_OF[fact.metric], fact.segment)
    prior = year_earlier(fact.period)
    now = data.figure(key, fact.period.start, fact.period.end, report.source)
    before = data.figure(key, prior.start, prior.end, report.source)
    if now is None or before is None:
        needs = [f"{key} {p.label}" for p, f in ((fact.period, now), (prior, before)) if f is None]
        return _verdict(data, fact, report, None, needs)
    ratio = _divided(now, before, f"{now.text} ÷ {before.text} − 1", 100)
    if ratio is None:
        return _verdict(data, fact, report, None, why_not=f"{before.text} may be zero or negative")
    return _verdict(data, fact, report, _shifted(ratio, -100))


def _shifted(figure: _Figure, by: float) -> _Figure:
    return replace(figure, value=figure.value + by, low=figure.low + by, high=figure.high + by)


def _cagr(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """Compound annual growth over a span of whole fiscal years: (last ÷ first)^(1 ÷ years) − 1,
    the first year being the one the span starts with and the last the one it ends with."""
    years = [f for f in data.by_key.get("revenue", []) if f.period.months == 12 and named_period(f.period.label)]
    first = next((f for f in years if f.period.start == fact.period.start), None)
    last = next((f for f in years if f.period.end == fact.period.end), None)
    firsts = data.leaf(first, report.source) if first else None
    lasts = data.leaf(last, report.source) if last else None
    if first is None or last is None or firsts is None or lasts is None or first is last:
        needs = [
            f"revenue for the fiscal year {w} {d}"
            for w, d, f in (("from", fact.period.start, firsts), ("to", fact.period.end, lasts))
            if f is None
        ]
        return _verdict(data, fact, report, None, needs)
    span = months_apart(first.period.end, last.period.end) / 12
    ratio = _divided(lasts, firsts, f"({lasts.text} ÷ {firsts.text})^(1/{span:g}) − 1")
    if ratio is None:
        return _verdict(data, fact, report, None, why_not=f"{firsts.text} may be zero or negative")

    def rate(x: float) -> float:
        return float(x ** (1 / span) - 1) * 100

    found = replace(ratio, value=rate(ratio.value), low=rate(ratio.low), high=rate(ratio.high))
    return _verdict(data, fact, report, found)


def _sum_over_time(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """An amount over a stretch of time against the named periods that tile it (losses since
    founding as the sum of the years), or a last quarter or half as its year less the rest."""
    start, end = fact.period.start, fact.period.end
    named = named_period(fact.period.label)
    if named is not None:  # Q4 or H2: the year less its first part
        found = data.by_time(fact.key, start, end, report.source)
        if found is None:
            return _verdict(
                data, fact, report, None, [f"{fact.key} for the fiscal year to {end} and the months before {start}"]
            )
        return _verdict(data, fact, report, found)
    pieces: list[_Figure] = []
    cursor = start
    while cursor <= end:
        fitting = [
            f
            for f in data.by_key.get(fact.key, [])
            if f.period.start == cursor and f.period.end <= end and f is not fact and named_period(f.period.label)
        ]
        chosen = [(f, found) for f in fitting if (found := data.leaf(f, report.source)) is not None]
        if not chosen:
            return _verdict(data, fact, report, None, [f"{fact.key} for the named periods from {cursor} to {end}"])
        longest, piece = max(chosen, key=lambda pair: pair[0].period.end)
        pieces.append(piece)
        cursor = longest.period.end + timedelta(days=1)
    total = pieces[0]
    for piece in pieces[1:]:
        total = _Figure(
            total.value + piece.value,
            total.low + piece.low,
            total.high + piece.high,
            "",
            total.inputs + piece.inputs,
            total.currency,
        )
    return _verdict(data, fact, report, replace(total, text=" + ".join(p.text for p in pieces)))


def _offer_price(data: _Data, source: str) -> _Figure | None:
    """The final offer price: the latest result reported for it."""
    facts = sorted(data.by_key.get("ipo_offer_price", []), key=lambda f: f.period.end, reverse=True)
    return next((found for f in facts if (found := data.leaf(f, source)) is not None), None)


def _shares(data: _Data, day: date, source: str) -> tuple[_Figure | None, str]:
    """Shares outstanding on ``day``: counted that day, else the nearest count after the
    listing (shares are issued at the listing; the note says which count was used)."""
    facts = data.by_key.get("shares_outstanding", [])
    same = [f for f in facts if f.period.end == day]
    if same:
        return data.leaf(same[0], source), ""
    if data.listed is None or day < data.listed:
        return None, ""
    after = sorted((f for f in facts if f.period.end >= data.listed), key=lambda f: abs((f.period.end - day).days))
    for fact in after:
        found = data.leaf(fact, source)
        if found is not None:
            return found, f" (the count nearest the day after the listing, {fact.period.label})"
    return None, ""


def _price(data: _Data, metric: str, day: date, source: str) -> _Figure | None:
    """A price on ``day``; a close may also come from the market cap ÷ shares outstanding."""
    for fact in data.by_key.get(metric, []):
        if fact.period.end == day:
            found = data.leaf(fact, source, moment=metric in MOMENTS)
            if found is not None:
                return found
    if metric == "share_price_close":
        cap = next((f for f in data.by_key.get("market_cap", []) if f.period.end == day), None)
        shares, _ = _shares(data, day, source)
        cap_figure = data.leaf(cap, source) if cap is not None else None
        if cap_figure is not None and shares is not None:
            return _divided(cap_figure, shares, f"{cap_figure.text} ÷ {shares.text}")
    return None


def _price_change(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """A price against the offer price (since the IPO; any move on the listing day) or the
    previous close (at most ``PREVIOUS_CLOSE_DAYS`` days before)."""
    day = fact.period.end
    if fact.metric == "share_price_change_since_ipo":
        metric = "share_price_close"
    elif fact.metric == "share_price_change_intraday" and fact.segment == "high":
        metric = "share_price_high"
    else:
        metric = PRICE_CHANGES[fact.metric]
    price = _price(data, metric, day, report.source)
    if price is None and fact.metric == "share_price_change_since_ipo":
        price = _price(data, "share_price_high", day, report.source)
        if price is not None:
            price = replace(price, text=f"{price.text} (the day's high: the sheet has no close)")
    needs = [] if price is not None else [f"{metric} {day}"]
    if fact.metric == "share_price_change_since_ipo" or day == data.listed:
        base = _offer_price(data, report.source)
        needs += [] if base is not None else ["ipo_offer_price"]
    else:
        base = None
        for back in range(1, PREVIOUS_CLOSE_DAYS + 1):
            base = _price(data, "share_price_close", day - timedelta(days=back), report.source)
            if base is not None:
                break
        needs += [] if base is not None else [f"share_price_close on the trading day before {day}"]
    if price is None or base is None:
        return _verdict(data, fact, report, None, needs)
    change = _divided(price, base, f"{price.text} ÷ {base.text} − 1", 100)
    assert change is not None  # a price is never zero or negative
    return _verdict(data, fact, report, _shifted(change, -100))


def _market_cap(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """A market capitalisation against price × shares outstanding on the same day, allowing
    ``MARKET_CAP_TOLERANCE`` for the share count's basis; at the IPO, the offer price."""
    day = fact.period.end
    if fact.metric == "ipo_market_cap":
        price, metric = _offer_price(data, report.source), "ipo_offer_price"
    else:
        metric = MARKET_CAP_PRICES[fact.metric]
        price = (
            _price(data, metric, day, report.source)
            if metric != "share_price_close"
            else _close(data, day, report.source)
        )
    shares, note = _shares(data, day, report.source)
    if price is None or shares is None:
        needs = [f"{m} {day}" for m, f in ((metric, price), ("shares_outstanding", shares)) if f is None]
        return _verdict(data, fact, report, None, needs)
    cap = _times(price, shares, f"{price.text} × {shares.text}{note}")
    low, high = cap.low * (1 - MARKET_CAP_TOLERANCE), cap.high * (1 + MARKET_CAP_TOLERANCE)
    return _verdict(data, fact, report, replace(cap, low=low, high=high))


def _close(data: _Data, day: date, source: str) -> _Figure | None:
    """The close stated for ``day`` (never derived from the market cap being checked)."""
    fact = next((f for f in data.by_key.get("share_price_close", []) if f.period.end == day), None)
    return data.leaf(fact, source) if fact is not None else None


def _proceeds(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """Gross proceeds against the shares offered × the offer price, on the same day."""
    start, end = fact.period.start, fact.period.end
    shares = data.figure("ipo_shares_offered", start, end, report.source, depth=0)
    price = data.figure("ipo_offer_price", start, end, report.source, depth=0)
    if shares is None or price is None:
        needs = [
            f"{m} {fact.period.label}"
            for m, f in (("ipo_shares_offered", shares), ("ipo_offer_price", price))
            if f is None
        ]
        return _verdict(data, fact, report, None, needs)
    return _verdict(data, fact, report, _times(shares, price, f"{shares.text} × {price.text}"))


def _per_user(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """Revenue per paying user of a product: its revenue ÷ its paying users, same period.
    The whole company's cannot be checked: its revenue includes revenue no user pays."""
    if not fact.segment:
        return _verdict(data, fact, report, None, why_not="the whole company's revenue is not all from paying users")
    start, end = fact.period.start, fact.period.end
    revenue = data.figure(fact_key("revenue", fact.segment), start, end, report.source)
    users = data.figure(fact_key("paying_users", fact.segment), start, end, report.source)
    if revenue is None or users is None:
        needs = [
            f"{k} {fact.period.label}"
            for k, f in ((fact_key("revenue", fact.segment), revenue), (fact_key("paying_users", fact.segment), users))
            if f is None
        ]
        return _verdict(data, fact, report, None, needs)
    found = _divided(revenue, users, f"{revenue.text} ÷ {users.text}")
    if found is None:
        return _verdict(data, fact, report, None, why_not=f"{users.text} may be zero")
    return _verdict(data, fact, report, replace(found, currency=revenue.currency))


# --- runway -------------------------------------------------------------------------------


def _runway(data: _Data, fact: Fact, report: Report) -> ClaimCheck:
    """A runway claim reproduces on its own source's cash and burn. If its source gives
    none, it cannot be checked: the verdict names the other sources it would need and the
    range their pairings (known by the claim's publication) give."""
    assert report.unit is not None
    per_unit = PER_MONTH[report.unit.text.split()[0]]
    sheet = data.sheet
    published = sheet.source(report.source).published
    pairs = _runway_pairs(data, fact.period.end, published)
    own = [p for p in pairs if {i.source for i in p.inputs} == {report.source}]
    stated = report.bounds()
    in_unit = [replace(p, value=p.value / per_unit, low=p.low / per_unit, high=p.high / per_unit) for p in own]
    if in_unit:
        fits = [p for p in in_unit if overlap(stated, p.interval)]
        best = min(fits or in_unit, key=lambda p: abs(p.value - (report.value or 0)))
        check = _verdict(data, fact, report, best)
        rest = [p for p in in_unit if p is not best]
        if rest:
            alternatives = "; ".join(f"{p.text} gives {p.value:.2f}" for p in rest)
            check = replace(
                check,
                claim=replace(
                    check.claim, assumption=check.claim.assumption + f" — on its other figures: {alternatives}"
                ),
            )
        return check
    if not pairs:
        return _verdict(data, fact, report, None, why_not="the sheet has no cash and burn to test it")
    years = [p.value / per_unit for p in pairs]
    needs = sorted({i.source for p in pairs for i in p.inputs} - {report.source})
    fitting = sum(overlap(stated, (p.low / per_unit, p.high / per_unit)) for p in pairs)
    gives = {
        kind for p in pairs for i, kind in zip(p.inputs, ("cash", "burn"), strict=True) if i.source == report.source
    }
    lacks = " and ".join(k for k in ("cash", "burn") if k not in gives)
    unit = report.unit.text
    text = (
        f"its source gives no {lacks} of its own; other sources' figures ({', '.join(needs)}) give "
        f"{len(pairs)} pairings from {min(years):.1f} to {max(years):.1f} {unit}, {fitting} of them within the claim"
    )
    check = _verdict(data, fact, report, None, why_not=text)
    return replace(check, needs=tuple(needs), candidates=tuple(sorted(years)))


def _runway_pairs(data: _Data, claim_day: date, published: date) -> list[_Figure]:
    """Months for every pairing of a cash report and a burn report known by ``published``:
    cash at the claim's date; a stated monthly burn (even a forecast: the sources divide by
    it) or a loss over a named period ending within six months of the date, per month."""
    sheet = data.sheet
    cash = [f for f in sheet.facts if f.metric in RUNWAY_CASH and not f.segment and f.period.end == claim_day]
    burn = [f for f in sheet.facts if f.metric in RUNWAY_BURN and not f.segment and not f.period.is_instant]
    burn = [f for f in burn if abs((f.period.end - claim_day).days) <= 183 and named_period(f.period.label)]
    pairs = []
    for cash_fact in cash:
        for cash_report in _known(sheet, cash_fact, published):
            cash_figure = _report_figure(cash_fact, cash_report)
            for burn_fact in burn:
                months_in = 1 if burn_fact.metric == "monthly_cash_burn" else burn_fact.period.months
                for burn_report in _known(sheet, burn_fact, published):
                    monthly = _report_figure(burn_fact, burn_report)
                    per = _Figure(months_in, months_in, months_in, str(months_in), ())
                    per_month = _divided(monthly, per, "") if months_in > 1 else monthly
                    assert per_month is not None
                    months = _divided(
                        cash_figure,
                        per_month,
                        f"{cash_figure.text} ÷ {monthly.text}" + (f" ÷ {months_in}" if months_in > 1 else ""),
                    )
                    if months is not None and cash_figure.currency == monthly.currency:
                        pairs.append(months)
    return pairs


def _report_figure(fact: Fact, report: Report) -> _Figure:
    assert report.amount is not None and report.unit is not None
    low, high = report.bounds()
    label = f"{fact.key} {fact.period.label}"
    return _Figure(report.amount, low, high, label, (_input(label, report),), report.unit.currency)


def _known(sheet: FactSheet, fact: Fact, published: date) -> list[Report]:
    """A fact's reports with one value published by ``published`` (a forecast burn counts)."""
    return [
        r
        for r in fact.reports
        if r.value is not None and r.unit is not None and sheet.source(r.source).published <= published
    ]
