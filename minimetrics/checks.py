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

import re
from collections.abc import Iterator
from datetime import date

from minimetrics.factsheet import Fact, FactSheet, Report
from minimetrics.problems import Problem, Severity

Range = tuple[float, float]

# stated ratio metric → (numerator metric, denominator metric, sign of numerator)
RATIOS = {
    "gross_margin": ("gross_profit", "revenue", 1.0),
    "net_margin": ("net_loss", "revenue", -1.0),
    "adjusted_net_margin": ("adjusted_net_loss", "revenue", -1.0),
    "rd_to_revenue": ("rd_expense", "revenue", 1.0),
    "sm_to_revenue": ("sm_expense", "revenue", 1.0),
}
SUMMED = ("revenue", "gross_profit", "cost_of_revenue", "revenue_share", "ipo_shares_offered")
_PRIOR = re.compile(r"^(FY|H1-|H2-|9M|Q1-|Q2-|Q3-|Q4-)(\d{4})$")


def crosscheck(sheet: FactSheet) -> list[Problem]:
    """Every unexplained disagreement between a sheet's stated and implied figures, as warnings."""
    index = {(f.key, f.period.label): f for f in sheet.facts}
    explained = {f.line for f in sheet.facts if f.value.crosscheck_note}
    problems = [
        *_ratios(sheet, index),
        *_shares(sheet, index),
        *_growth(sheet, index),
        *_sums(sheet, index),
    ]
    return sorted((p for p in problems if p.line not in explained), key=lambda p: p.line)


def _range(report: Report) -> Range | None:
    return report.bounds() if report.disclosed else None


def _quotient(top: Range, bottom: Range) -> Range | None:
    """The range of top ÷ bottom; None when bottom may be zero."""
    if bottom[0] <= 0 <= bottom[1]:
        return None
    corners = [a / b for a in top for b in bottom]
    return min(corners), max(corners)


def _overlap(a: Range, b: Range) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _warn(sheet: FactSheet, fact: Fact, message: str) -> Problem:
    return Problem(
        sheet.path,
        fact.line,
        1,
        message,
        "check both figures against their sources; if the sources disagree, note it",
        Severity.WARNING,
    )


def _key(metric: str, segment: str) -> str:
    return f"{metric}[{segment}]" if segment else metric


def _ratios(sheet: FactSheet, index: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    for fact in sheet.facts:
        if fact.metric not in RATIOS:
            continue
        top_metric, bottom_metric, sign = RATIOS[fact.metric]
        top = index.get((_key(top_metric, fact.segment), fact.period.label))
        bottom = index.get((_key(bottom_metric, fact.segment), fact.period.label))
        yield from _compare_ratio(sheet, fact, top, bottom, sign)


def _shares(sheet: FactSheet, index: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    for fact in sheet.facts:
        if fact.metric == "revenue_share" and fact.segment:
            part = index.get((_key("revenue", fact.segment), fact.period.label))
            whole = index.get(("revenue", fact.period.label))
            yield from _compare_ratio(sheet, fact, part, whole, 1.0)
        elif fact.metric == "rd_staff_share":
            part = index.get(("rd_employees", fact.period.label))
            whole = index.get(("employees", fact.period.label))
            yield from _compare_ratio(sheet, fact, part, whole, 1.0)


def _compare_ratio(
    sheet: FactSheet, stated: Fact, top: Fact | None, bottom: Fact | None, sign: float
) -> Iterator[Problem]:
    if top is None or bottom is None:
        return
    stated_range, top_range, bottom_range = _range(stated.value), _range(top.value), _range(bottom.value)
    if stated_range is None or top_range is None or bottom_range is None:
        return
    implied = _quotient((sign * top_range[0], sign * top_range[1]), bottom_range)
    if implied is None:
        return
    implied = (min(implied) * 100, max(implied) * 100)
    if not _overlap(stated_range, implied):
        middle = sign * top.value.amount / bottom.value.amount * 100  # type: ignore[operator]
        yield _warn(
            sheet,
            stated,
            f"{stated.key} {stated.period.label} is stated as {stated.value.value:g}% but "
            f"{top.key} ÷ {bottom.key} gives {middle:.2f}% (rounding allows {implied[0]:.2f} to {implied[1]:.2f})",
        )


def prior_label(label: str) -> str | None:
    """The same period one year earlier, for named periods.

    >>> prior_label("9M2025")
    '9M2024'
    >>> prior_label("2025-09-30") is None
    True
    """
    found = _PRIOR.match(label)
    return f"{found[1]}{int(found[2]) - 1}" if found else None


def _growth(sheet: FactSheet, index: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    for fact in sheet.facts:
        if fact.metric != "revenue_growth":
            continue
        prior = prior_label(fact.period.label)
        now = index.get((_key("revenue", fact.segment), fact.period.label))
        before = index.get((_key("revenue", fact.segment), prior)) if prior else None
        if now is None or before is None:
            continue
        stated, now_range, before_range = _range(fact.value), _range(now.value), _range(before.value)
        if stated is None or now_range is None or before_range is None:
            continue
        ratio = _quotient(now_range, before_range)
        if ratio is None:
            continue
        implied = ((ratio[0] - 1) * 100, (ratio[1] - 1) * 100)
        if not _overlap(stated, implied):
            middle = (now.value.amount / before.value.amount - 1) * 100  # type: ignore[operator]
            yield _warn(
                sheet,
                fact,
                f"{fact.key} {fact.period.label} is stated as {fact.value.value:g}% but {now.key} "
                f"{fact.period.label} ÷ {prior} gives {middle:.1f}% (rounding allows {implied[0]:.1f} to {implied[1]:.1f})",
            )


def _sums(sheet: FactSheet, index: dict[tuple[str, str], Fact]) -> Iterator[Problem]:
    """Segments of one group add up to their parent segment, or to the total (100 % for shares)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for segment in sheet.company.segments:
        if segment.group:
            groups.setdefault((segment.group, segment.parent), []).append(segment.id)
    periods = sorted({f.period.label for f in sheet.facts})
    for (group, parent), members in groups.items():
        for metric in SUMMED:
            for period in periods:
                found = [index.get((_key(metric, m), period)) for m in members]
                parts = [p for p in found if p is not None and p.value.disclosed]
                if len(parts) < len(members):
                    continue
                whole = index.get((_key(metric, parent), period))
                if metric == "revenue_share" and not parent:
                    target, anchor = (100.0, 100.0), parts[0]
                elif whole is not None and whole.value.disclosed:
                    target, anchor = whole.value.bounds(), whole
                else:
                    continue
                low = sum(p.value.bounds()[0] for p in parts)
                high = sum(p.value.bounds()[1] for p in parts)
                if _overlap((low, high), target):
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
