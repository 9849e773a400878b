"""Each result as plain rows of text: what the terminal, Markdown and report writers share.

No styling and no layout here: a cell is a string, and every number in it comes from
``numbers``. The writers add colour (terminal), pipes (Markdown) or blocks (report).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from minimetrics.render.numbers import (
    QUALIFIER_MARK,
    format_amount,
    format_millions,
    format_number,
    format_short,
    format_significant,
    format_stated,
    format_value,
    unit_header,
)
from minimetrics.results import (
    Claim,
    ClaimsTable,
    Comparison,
    Explanation,
    Figure,
    Measure,
    Runway,
    Status,
    Verdict,
)


@dataclass(frozen=True)
class ComparisonLines:
    """The comparison as text: a header, sections of rows, numbered notes, conflict lines."""

    header: list[str]
    sections: list[tuple[str, list[list[str]]]]
    notes: list[str]
    conflicts: list[str]


def aligned(result: Comparison) -> str:
    """Which full year the comparison aligns on, in words."""
    return f"full years aligned on {result.year}" if result.year else "no full year in common"


# Rows in these units need no "(USD million)" after their label.
_PLAIN_UNITS: tuple[str, ...] = (Measure.PERCENT, Measure.MONTHS, Measure.DATE, Measure.TIMES, Measure.OWN_CURRENCY)


def comparison_lines(result: Comparison) -> ComparisonLines:
    """The comparison as plain text cells: header, sections of rows, footnotes, conflict lines."""
    names = list(result.companies)
    header = ["", *names, f"{names[0]} − {names[1]}" if len(names) == 2 else "", "ahead"]
    sections: list[tuple[str, list[list[str]]]] = []
    notes: list[str] = []
    for row in result.rows:
        if not sections or sections[-1][0] != row.section:
            sections.append((row.section, []))
        cells = []
        for cell in row.cells:
            if row.unit == Measure.DATE:
                text = cell.period
            elif row.unit in (Measure.PERCENT, Measure.MONTHS, Measure.TIMES, Measure.OWN_CURRENCY):
                text = format_value(cell.value, cell.unit or row.unit, cell.status)
            else:
                text = format_millions(cell.value, cell.status)
            if row.unit != Measure.DATE and cell.period and cell.period not in row.section:
                text += f" ({cell.period})"
            # A converted amount says at which rate (a percentage or a runway needs no conversion).
            converted = cell.rate is not None and row.unit not in (Measure.PERCENT, Measure.MONTHS)
            if cell.status != Status.OK or converted:
                notes.append(f"{cell.company} {row.label.lower()}: {cell.note}")
                text += f" [{len(notes)}]"
            cells.append(text)
        difference = ""
        if math.isfinite(row.difference):
            unit = row.difference_unit or row.unit
            difference = (
                format_value(row.difference, unit)
                if unit in (Measure.PP, Measure.MONTHS)
                else format_millions(row.difference)
            )
        label = row.label if row.unit in _PLAIN_UNITS else f"{row.label} ({unit_header(row.unit)})"
        sections[-1][1].append([label, *cells, difference, row.leader])
    conflicts = [
        f"{c.company} {c.key} {c.period}: "
        + " vs ".join(
            f"{QUALIFIER_MARK.get(v.qualifier, '')}{format_short(v.value)} {v.unit}"
            f"{' (shown)' if v.shown else ''} [{v.source}, rank {v.rank}]"
            for v in c.versions
        )
        for c in result.conflicts
    ]
    return ComparisonLines(header, sections, notes, conflicts)


FIGURE_HEADER = ["company", "figure", "period", "value", "how"]


def figure_rows(figures: Sequence[Figure]) -> list[list[str]]:
    """One row a figure: company, figure[segment], period, value with its unit, how it was obtained."""
    rows = []
    for f in figures:
        name = f"{f.figure}[{f.segment}]" if f.segment else f.figure
        rows.append([f.company, name, f.period, format_value(f.value, f.unit, f.status), f.note or f.label])
    return rows


RUNWAY_HEADER = ["company", "months", "runs out", "cash (date)", "burn a month (period)", "basis"]


def runway_rows(runways: Sequence[Runway], notes: list[str] | None = None) -> list[list[str]]:
    """Runway rows as text. With ``notes``, the flags (a missing rate, a cash date far from
    the burn period) go there and the basis cites them as [n]; without, they stay inline."""
    rows = []
    for r in runways:
        months = format_value(r.months, Measure.MONTHS, r.status)
        cash = f"{format_number(r.cash / 1e6, 1)} {r.currency}m ({r.cash_date})"
        if math.isfinite(r.ipo):
            cash += f" + IPO {format_number(r.ipo / 1e6, 1)}"
        burn = f"{format_number(r.burn / 1e6, 2)} {r.currency}m ({r.burn_period})"
        basis = runway_basis(r)
        if r.flags and notes is not None:
            if r.flags not in notes:
                notes.append(r.flags)
            basis += f" [{notes.index(r.flags) + 1}]"
        elif r.flags:
            basis += f"; {r.flags}"
        rows.append([r.company, months, str(r.runs_out or ""), cash, burn, basis])
    return rows


def runway_basis(r: Runway) -> str:
    """The bases in short: "stated / liquid + ipo, burn +5%/month"."""
    basis = f"{r.burn_basis} / {r.cash_basis}{' + ipo' if r.with_ipo else ''}"
    if r.monthly_growth:
        basis += f", burn {format_short(r.monthly_growth, signed=True)}%/month"
    return basis


def explain_lines(result: Explanation) -> list[str]:
    """The figure, its formula, each input with its period, amount and source, then the sources."""
    value = format_value(result.value, result.unit, result.status)
    unit = " months" if result.unit == Measure.MONTHS else ""
    lines = [
        f"{result.company} {result.figure} {result.period} = {value}{unit} ({result.label})",
        f"formula: {result.formula}",
        "inputs:",
    ]
    for i in result.inputs:
        if i.unit == "rate" or i.currency == "":
            amount = format_significant(i.amount)
        else:
            amount = f"{format_amount(i.amount)} {i.currency}"
        written = f" (written {i.unit})" if i.unit and i.unit != "rate" else ""
        lines.append(f"  {i.key} {i.period}: {amount}{written} [{i.source}]" + (f" — {i.note}" if i.note else ""))
    if result.note:
        lines.append(f"note: {result.note}")
    lines.append("sources:")
    for s in result.sources:
        lines.append(f"  {s.id}: {s.outlet}, “{s.title}”, {s.published}" + (f", {s.url}" if s.url else ""))
    return lines


CLAIMS_HEADER = ["company", "claim", "stated", "source", "computed", "verdict", "how"]

# Claims that fail first: they are what a reader came for.
VERDICT_ORDER = {Verdict.DOES_NOT_REPRODUCE: 0, Verdict.REPRODUCES: 1, Verdict.CANNOT_BE_CHECKED: 2}


def checked_claims(result: ClaimsTable) -> list[Claim]:
    """The claims the data can test, those that do not reproduce first."""
    checked = [c for c in result.claims if c.verdict != Verdict.CANNOT_BE_CHECKED]
    return sorted(checked, key=lambda c: VERDICT_ORDER[c.verdict])


def claim_rows(result: ClaimsTable) -> list[list[str]]:
    """Checkable claims, those that do not reproduce first (the rest are in JSON and CSV)."""
    rows = []
    for c in checked_claims(result):
        suffix = "%" if c.unit == Measure.PERCENT else f" {c.unit}"
        stated = format_stated(c.stated, c.unit, c.qualifier)
        computed = "" if not math.isfinite(c.computed) else f"{format_number(c.computed, 2)}{suffix}"
        rows.append([c.company, c.claim, stated, c.source, computed, c.verdict, c.assumption])
    return rows


def verdict_counts(result: ClaimsTable) -> str:
    """How many claims got each verdict: "3 does not reproduce, 12 reproduces"."""
    counts = Counter(c.verdict for c in result.claims)
    return ", ".join(f"{counts[v]} {v}" for v in VERDICT_ORDER if counts[v])
