"""Cross-checks: does a sheet agree with itself?

Each check compares a figure the sources state (a margin, a share, a growth
rate, a total) with what the sheet's other figures imply, allowing for the
rounding of every input: a figure written 30.5 may be anything from 30.45 to
30.55, and the implied value is computed as a range from those extremes. A
mismatch is a warning naming both sides, never a silent correction.

Only the preferred report of each fact is checked; conflicts between sources are
shown elsewhere. A stated figure whose preferred report carries a ``crosscheck_note``
(the sources' own inconsistency, explained by the person who checked it) is not
reported again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from minimetrics import registry
from minimetrics.factsheet import Fact, FactSheet
from minimetrics.problems import Problem, Severity
from minimetrics.ranges import Implied, implied_growth, implied_ratio, overlap
from minimetrics.registry import fact_key, year_earlier

SUMMED = ("revenue", "gross_profit", "cost_of_revenue", "revenue_share", "ipo_shares_offered")


def crosscheck(sheet: FactSheet) -> list[Problem]:
    """Every unexplained disagreement between a sheet's stated and implied figures, as warnings."""
    index = {(f.key, f.period.label): f for f in sheet.facts}
    explained = {f.line for f in sheet.facts if f.value.crosscheck_note}
    problems = [
        *_ratios(sheet, index),
        *_growth(sheet),
        *_sums(sheet, index),
        *_market_caps(sheet, index),
    ]
    return sorted((p for p in problems if p.line not in explained), key=lambda p: p.line)


def _warn(sheet: FactSheet, fact: Fact, message: str) -> Problem:
    return Problem(
        sheet.path,
        fact.line,
        1,
        message,
        "check both figures against their sources; if the sources disagree, note it",
        Severity.WARNING,
    )


def _currencies(facts: Sequence[Fact]) -> list[str]:
    """The currencies of the money among ``facts``, in order of first appearance."""
    found = (f.value.unit.currency for f in facts if f.value.unit is not None and f.value.unit.currency)
    return list(dict.fromkeys(found))


def _across_currencies(sheet: FactSheet, anchor: Fact, what: str, facts: Sequence[Fact]) -> Problem | None:
    """A warning when ``facts`` (money to be combined) are in more than one currency: the
    check is not made, as growth is not computed across a change of currency."""
    currencies = _currencies(facts)
    if len(currencies) <= 1:
        return None
    return Problem(
        sheet.path,
        anchor.line,
        1,
        f"{what} cannot be checked: its figures are in {' and '.join(currencies)}",
        "record the figures that are compared in one currency, as the source states them; a conversion is not a report",
        Severity.WARNING,
    )


def _ratios(sheet: FactSheet, index: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    """Stated margins and shares against numerator ÷ denominator of the same period."""
    for stated in sheet.facts:
        ratio = registry.RATIOS.get(stated.metric)
        keys = ratio.keys(stated.segment) if ratio is not None else None
        if ratio is None or keys is None:
            continue
        top, bottom = (index.get((key, stated.period.label)) for key in keys)
        if top is None or bottom is None or not (stated.value.disclosed and top.value.disclosed):
            continue
        mixed = _across_currencies(sheet, stated, f"{stated.key} {stated.period.label}", [top, bottom])
        if mixed is not None:
            yield mixed
            continue
        implied = implied_ratio(top.value, bottom.value, ratio.sign) if bottom.value.disclosed else None
        if implied is not None and not implied.allows(stated.value.bounds()):
            yield _warn(
                sheet,
                stated,
                f"{stated.key} {stated.period.label} is stated as {stated.value.value:g}% but "
                f"{top.key} ÷ {bottom.key} gives {_range_text(implied, 2)}",
            )


def _growth(sheet: FactSheet) -> Iterator[Problem]:
    """Stated growth against revenue over the same period a year earlier (by its dates)."""
    spans = {(f.key, f.period.start, f.period.end): f for f in sheet.facts if not f.period.is_instant}
    for fact in sheet.facts:
        if fact.metric != "revenue_growth" or fact.period.is_instant:
            continue
        key, prior = fact_key("revenue", fact.segment), year_earlier(fact.period)
        now = spans.get((key, fact.period.start, fact.period.end))
        before = spans.get((key, prior.start, prior.end))
        if now is None or before is None or not all(f.value.disclosed for f in (fact, now, before)):
            continue
        mixed = _across_currencies(sheet, fact, f"{fact.key} {fact.period.label}", [now, before])
        if mixed is not None:
            yield mixed
            continue
        implied = implied_growth(now.value, before.value)
        if implied is not None and not implied.allows(fact.value.bounds()):
            yield _warn(
                sheet,
                fact,
                f"{fact.key} {fact.period.label} is stated as {fact.value.value:g}% but {now.key} "
                f"{fact.period.label} ÷ {before.period.label} gives {_range_text(implied, 1)}",
            )


def market_cap_warnings(sheet: FactSheet) -> list[Problem]:
    """Each market capitalisation against price × shares outstanding on the same day, as
    warnings: beyond the rounding of all three and ``MARKET_CAP_TOLERANCE`` (2 %) for the
    basis of the share count. A preferred report with a ``crosscheck_note`` is not reported.
    Part of ``crosscheck``."""
    return list(_market_caps(sheet, {(f.key, f.period.label): f for f in sheet.facts}))


def _market_caps(sheet: FactSheet, lines: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    # Imported here: claims and its records are needed only when a sheet has a market cap
    # to check, and `validate` and `list` start faster without them (issue 10's start-up).
    from minimetrics.claims import MARKET_CAP_TOLERANCE, market_cap_checks
    from minimetrics.results import Verdict

    for check in market_cap_checks(sheet):
        claim = check.claim
        key, _, period = claim.claim.partition(" ")
        if claim.verdict is not Verdict.DOES_NOT_REPRODUCE or lines[(key, period)].value.crosscheck_note:
            continue
        mark = registry.QUALIFIER_MARKS.get(claim.qualifier, "")
        if claim.stated_low == claim.stated_high:
            stated = f"{mark}{claim.stated_low:.12g}"
        else:  # a range (its stated value is NaN): how far off its nearer end
            stated = f"{claim.stated_low:.12g}–{claim.stated_high:.12g}"
        nearer = claim.stated_low if claim.computed < claim.stated_low else claim.stated_high
        off = (nearer / claim.computed - 1) * 100
        inputs = " × ".join(f"{i.figure} {i.value:.12g} {i.unit} [{i.source}]" for i in check.inputs)
        yield _warn(
            sheet,
            lines[(key, period)],
            f"{claim.claim} is stated as {stated} {claim.unit} [{claim.source}] but {inputs} "
            f"gives {claim.computed:,.5g} {claim.unit} ({off:+.1f}%), beyond rounding and the "
            f"{MARKET_CAP_TOLERANCE:.0%} allowed for the share count's basis",
        )


def _range_text(implied: Implied, decimals: int) -> str:
    """``30.50% (rounding allows 30.30 to 30.70)``: the implied figure in a warning."""
    return f"{implied.value:.{decimals}f}% (rounding allows {implied.low:.{decimals}f} to {implied.high:.{decimals}f})"


def _sums(sheet: FactSheet, index: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    """Segments of one group add up to their parent segment, or to the total (100 % for shares)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for segment in sheet.company.segments:
        if segment.group:
            groups.setdefault((segment.group, segment.parent), []).append(segment.id)
    periods = sorted({f.period.label for f in sheet.facts})
    for (group, parent), members in groups.items():
        for metric in SUMMED:
            keys = [fact_key(metric, m) for m in members]  # once, not once a period
            parent_key = fact_key(metric, parent)
            for period in periods:
                found = [index.get((key, period)) for key in keys]
                parts = [p for p in found if p is not None and p.value.disclosed]
                if len(parts) < len(members):
                    continue
                whole = index.get((parent_key, period))
                if metric == "revenue_share" and not parent:
                    target, anchor = (100.0, 100.0), parts[0]
                elif whole is not None and whole.value.disclosed:
                    target, anchor = whole.value.bounds(), whole
                else:
                    continue
                summed = [*parts, anchor] if anchor is whole else parts
                mixed = _across_currencies(sheet, anchor, f"the {group} segments' sum of {metric} {period}", summed)
                if mixed is not None:
                    yield mixed
                    continue
                low = sum(p.value.bounds()[0] for p in parts)
                high = sum(p.value.bounds()[1] for p in parts)
                if overlap((low, high), target):
                    continue
                unit = anchor.value.unit
                scale = unit.scale if unit else 1.0
                total = sum(p.value.amount or 0.0 for p in parts) / scale
                whole_name = anchor.key if anchor is whole else "a total of 100%"
                yield _warn(
                    sheet,
                    anchor,
                    f"{metric} {period}: the {group} segments ({', '.join(members)}) add up to "
                    f"{total:,.6g} {unit.text if unit else ''}, outside the {target[0] / scale:,.6g} to "
                    f"{target[1] / scale:,.6g} that {whole_name} allows",
                )


# --- Domain warnings: plausible YAML, implausible finance ------------------------------

BURN_METRICS = ("monthly_cash_burn", "operating_cash_flow", "adjusted_net_loss", "net_loss")
CASH_METRICS = ("cash_and_equivalents", "cash_and_liquid_assets")


def domain_warnings(sheet: FactSheet, as_of: date) -> list[Problem]:
    """Figures that are valid but probably wrong, as warnings.

    A percentage written as a fraction beside percentages (0.563 among 54.6 and
    64.6); a period that ends after ``as_of`` (a forecast is not a fact); a latest
    cash balance more than six months from every period a burn could come from.
    """
    problems = [*_fractions(sheet), *_future(sheet, as_of), *_cash_far_from_burn(sheet)]
    return sorted(problems, key=lambda p: p.line)


def _domain(sheet: FactSheet, line: int, message: str, hint: str) -> Problem:
    return Problem(sheet.path, line, 1, message, hint, Severity.WARNING)


def _fractions(sheet: FactSheet) -> Iterator[Problem]:
    by_key: dict[str, list[Fact]] = {}
    for fact in sheet.facts:
        unit = fact.value.unit
        if unit is not None and unit.text in ("percent", "%") and fact.value.disclosed:
            by_key.setdefault(fact.key, []).append(fact)
    for key, facts in by_key.items():
        whole = [f for f in facts if abs(f.value.value or 0) >= 1]
        for fact in facts:
            value = fact.value.value or 0
            if whole and 0 < abs(value) < 1 and fact.value.decimals >= 2:
                others = ", ".join(f"{f.value.value:g}" for f in whole[:3])
                yield _domain(
                    sheet,
                    fact.line,
                    f"{key} {fact.period.label} is {value:g} beside {others}: a fraction among percentages?",
                    f"percent values are written in percent: write {value * 100:g}",
                )


def _future(sheet: FactSheet, as_of: date) -> Iterator[Problem]:
    for fact in sheet.facts:
        if fact.period.end > as_of and fact.metric not in ("expected_revenue_growth",):
            yield _domain(
                sheet,
                fact.line,
                f"{fact.key} {fact.period.label} ends after the as-of date {as_of}",
                "a forecast is not a fact: check the period, or pass --as-of if the data is newer",
            )


def _cash_far_from_burn(sheet: FactSheet) -> Iterator[Problem]:
    cash = [f for f in sheet.facts if f.metric in CASH_METRICS and not f.segment]
    burn = [f for f in sheet.facts if f.metric in BURN_METRICS and not f.segment and not f.period.is_instant]
    if not cash or not burn:
        return
    latest = max(cash, key=lambda f: f.period.end)
    gap = min(
        0
        if f.period.start <= latest.period.end <= f.period.end
        else min(abs((f.period.end - latest.period.end).days), abs((f.period.start - latest.period.end).days))
        for f in burn
    )
    if gap > 183:
        yield _domain(
            sheet,
            latest.line,
            f"the latest cash balance ({latest.key} {latest.period.label}) is {gap // 30} months "
            "from every period a burn could come from",
            "a runway from these figures mixes dates; add the burn for the period around the balance",
        )
