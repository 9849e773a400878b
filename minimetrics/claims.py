"""Claims the sources make, checked against the data.

A claim is a figure a source states that other figures imply: a margin, a share (of
revenue, of staff), a growth rate, a cash runway. Every source's report of it is checked
(not only the preferred one), with the rounding the source wrote it to: it
"reproduces" when the computed range meets the stated one, and says under which
assumption (which cash, which burn) when several could apply.
"""

from __future__ import annotations

import math
from datetime import date

from minimetrics.factsheet import Fact, FactSheet, Report
from minimetrics.ranges import Implied, implied_growth, implied_ratio
from minimetrics.registry import RATIOS, fact_key, named_period, year_earlier
from minimetrics.results import Claim, Verdict

# runway: which cash facts and which burn facts a claim may rest on
RUNWAY_CASH = ("cash_and_equivalents", "cash_and_liquid_assets")
RUNWAY_BURN = ("monthly_cash_burn", "adjusted_net_loss", "net_loss")


def check_claims(sheet: FactSheet) -> list[Claim]:
    """Every checkable claim in one sheet, one row per source's report of it."""
    index = {(f.key, f.period.label): f for f in sheet.facts}
    spans = {(f.key, f.period.start, f.period.end): f for f in sheet.facts if f.value.disclosed}
    claims: list[Claim] = []
    for fact in sheet.facts:
        if fact.metric in RATIOS:
            claims += _ratio_claims(sheet, index, fact)
        elif fact.metric == "revenue_growth":
            claims += _growth_claims(sheet, spans, fact)
        elif fact.metric == "cash_runway":
            claims += _runway_claims(sheet, fact)
    return claims


def _claim(sheet: FactSheet, fact: Fact, report: Report, computed: float, ok: bool | None, assumption: str) -> Claim:
    verdict = Verdict.CANNOT_BE_CHECKED if ok is None else Verdict.REPRODUCES if ok else Verdict.DOES_NOT_REPRODUCE
    unit = report.unit.text if report.unit else ""
    value = report.value if report.value is not None else math.nan
    return Claim(
        sheet.company.id,
        f"{fact.key} {fact.period.label}",
        value,
        unit,
        report.qualifier,
        report.source,
        computed,
        verdict,
        assumption,
    )


def _checked(sheet: FactSheet, fact: Fact, implied: Implied | None, formula: str, why_not: str) -> list[Claim]:
    """Each disclosed report of ``fact`` against what the amounts imply (``ranges``: the
    same rounding and zero-denominator rule as the cross-checks)."""
    out = []
    for report in (r for r in fact.reports if r.disclosed):
        if implied is None:
            out.append(_claim(sheet, fact, report, math.nan, None, why_not))
        else:
            out.append(_claim(sheet, fact, report, implied.value, implied.allows(report.bounds()), formula))
    return out


def _ratio_claims(sheet: FactSheet, index: dict[tuple[str, str], Fact], fact: Fact) -> list[Claim]:
    ratio = RATIOS[fact.metric]
    keys = ratio.keys(fact.segment)
    if keys is None:  # a share stated for the whole company: 100 %, nothing to check
        return _checked(sheet, fact, None, "", f"{fact.metric} needs a segment")
    top_key, bottom_key = keys
    top, bottom = index.get((top_key, fact.period.label)), index.get((bottom_key, fact.period.label))
    if top is None or bottom is None or not top.value.disclosed or not bottom.value.disclosed:
        return _checked(sheet, fact, None, "", f"the sheet lacks {top_key} or {bottom_key}")
    formula = f"{'−' if ratio.sign < 0 else ''}{top_key} ÷ {bottom_key}, {fact.period.label}"
    implied = implied_ratio(top.value, bottom.value, ratio.sign)
    return _checked(sheet, fact, implied, formula, f"{bottom_key} may be zero")


def _growth_claims(sheet: FactSheet, spans: dict[tuple[str, date, date], Fact], fact: Fact) -> list[Claim]:
    """Stated growth against revenue over the same stretch of time a year earlier, found by
    its dates (``spans``: disclosed facts by key, start and end), whatever the year end."""
    key, prior = fact_key("revenue", fact.segment), year_earlier(fact.period)
    now = spans.get((key, fact.period.start, fact.period.end))
    before = spans.get((key, prior.start, prior.end))
    if now is None or before is None:
        return _checked(sheet, fact, None, "", f"the sheet lacks {key} for {prior.label}")
    formula = f"{key} {fact.period.label} ÷ {key} {before.period.label} − 1"
    implied = implied_growth(now.value, before.value)
    return _checked(sheet, fact, implied, formula, f"{key} {before.period.label} may be zero or negative")


def _runway_claims(sheet: FactSheet, fact: Fact) -> list[Claim]:
    """A runway claim reproduces if some cash report and some burn report of the sheet give it."""
    claim_day = fact.period.end
    out = []
    for report in (r for r in fact.reports if r.disclosed):
        assert report.unit is not None  # a disclosed report always has one
        # A claim can only rest on figures published by the day its source was.
        options = _runway_options(sheet, claim_day, sheet.source(report.source).published)
        per_month = {"years": 12.0, "months": 1.0, "days": 12 / 365.25}[report.unit.text.split()[0]]
        low, high = report.bounds()
        matches = [(m, text) for m, text in options if low <= m / per_month <= high]
        if matches:
            months, text = min(matches, key=lambda x: abs(x[0] / per_month - (report.value or 0)))
            out.append(_claim(sheet, fact, report, months / per_month, True, text))
        elif options:
            months, text = min(options, key=lambda x: abs(x[0] / per_month - (report.value or 0)))
            out.append(_claim(sheet, fact, report, months / per_month, False, "closest: " + text))
        else:
            out.append(_claim(sheet, fact, report, math.nan, None, "the sheet has no cash and burn to test it"))
    return out


def _runway_options(sheet: FactSheet, claim_day: date, published: date) -> list[tuple[float, str]]:
    """Months for every pairing of a cash report and a burn report known by ``published``."""
    cash = [f for f in sheet.facts if f.metric in RUNWAY_CASH and not f.segment and f.period.end == claim_day]
    burn = [f for f in sheet.facts if f.metric in RUNWAY_BURN and not f.segment and not f.period.is_instant]
    burn = [f for f in burn if abs((f.period.end - claim_day).days) <= 183 and named_period(f.period.label)]
    options = []
    for cash_fact in cash:
        for cash_report in _known(sheet, cash_fact, published):
            amount = cash_report.bounds()[0] if cash_report.qualifier == "more_than" else cash_report.amount or 0
            for burn_fact in burn:
                months_in = 1 if burn_fact.metric == "monthly_cash_burn" else burn_fact.period.months
                for burn_report in _known(sheet, burn_fact, published)[:1]:
                    monthly = (burn_report.amount or 0) / months_in
                    if monthly > 0:
                        text = (
                            f"{cash_fact.metric} {_written(cash_report)} [{cash_report.source}] ÷ "
                            f"{burn_fact.metric} {burn_fact.period.label} {_written(burn_report)} [{burn_report.source}]"
                            + ("" if months_in == 1 else f" ÷ {months_in}")
                        )
                        options.append((amount / monthly, text))
    return options


def _known(sheet: FactSheet, fact: Fact, published: date) -> list[Report]:
    return [r for r in fact.reports if r.disclosed and sheet.source(r.source).published <= published]


def _written(report: Report) -> str:
    mark = {"about": "~", "more_than": ">", "less_than": "<"}.get(report.qualifier, "")
    unit = report.unit.text if report.unit else ""
    return f"{mark}{report.value:g} {unit}"
