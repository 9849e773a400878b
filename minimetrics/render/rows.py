"""Each result as plain rows of text: what the terminal, Markdown and report writers share.

No styling and no layout here: a cell is a string, and every number in it comes from
``numbers``. The writers add colour (terminal), pipes (Markdown) or blocks (report).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from minimetrics.records import Record
from minimetrics.render.numbers import (
    QUALIFIER_MARK,
    format_growth,
    format_millions,
    format_money,
    format_money_exact,
    format_number,
    format_percent,
    format_significant,
    format_stated,
    format_value,
    format_written,
    unit_header,
    written_decimals,
)
from minimetrics.results import (
    Breakeven,
    BreakevenGrid,
    BreakevenStatus,
    BreakevenTable,
    Cell,
    Change,
    ChangeKind,
    Changes,
    Claim,
    ClaimsTable,
    Comparison,
    Explanation,
    Figure,
    GridCell,
    GrowthAssumption,
    LossBasis,
    Measure,
    Runway,
    Shown,
    Status,
    Verdict,
    Viability,
)


class ComparisonLines(Record):
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
                text = breakeven_when(cell) if cell.viability is not None else cell.period
            elif row.unit in (Measure.PERCENT, Measure.MONTHS, Measure.TIMES, Measure.OWN_CURRENCY):
                text = format_value(cell.value, cell.unit or row.unit, cell.status)
            else:
                text = format_millions(cell.value, cell.status)
            if row.unit != Measure.DATE and cell.status == Status.OK:
                text = qualified(text, cell.qualifier)
            if row.unit != Measure.DATE and cell.period and cell.period not in row.section:
                text += f" ({cell.period})"
            # A converted amount says at which rate (a percentage or a runway needs no conversion).
            converted = cell.rate is not None and row.unit not in (Measure.PERCENT, Measure.MONTHS)
            if cell.status != Status.OK or converted:
                notes.append(f"{cell.company} {row.label.lower()}: {cell.note or cell.how}")
                text += f" [{len(notes)}]"
            cells.append(text)
        difference = ""
        if math.isfinite(row.difference):
            unit = row.difference_unit or row.unit
            # Every difference is signed, as a percentage-point one is.
            difference = (
                format_value(row.difference, unit)
                if unit == Measure.PP
                else format_number(row.difference, 1, signed=True)
                if unit == Measure.MONTHS
                else format_millions(row.difference, signed=True)
            )
        label = row.label if row.unit in _PLAIN_UNITS else f"{row.label} ({unit_header(row.unit)})"
        sections[-1][1].append([label, *cells, difference, row.leader])
    conflicts = [
        f"{c.company} {c.key} {c.period}: "
        + " vs ".join(
            f"{QUALIFIER_MARK.get(v.qualifier, '')}{format_written(v.value)} {v.unit}"
            f"{' (shown)' if v.shown else ''} [{v.source}, rank {v.rank}]"
            for v in c.versions
        )
        for c in result.conflicts
    ]
    return ComparisonLines(header, sections, notes, conflicts)


def breakeven_when(cell: Cell) -> str:
    """The breakeven cell of a comparison: when, and whether the cash lasts until then.

    >>> from datetime import date
    >>> breakeven_when(Cell("a", "2027-11-30", math.nan, viability=Viability.ALIVE))
    '2027-11-30, alive'
    >>> breakeven_when(Cell("a", "2028-03-31", math.nan, viability=Viability.DEAD, cash_out=date(2027, 6, 30)))
    '2028-03-31, dead (cash out 2027-06-30)'
    """
    text = f"{cell.period}, {cell.viability}"
    return text + (f" (cash out {cell.cash_out})" if cell.cash_out is not None else "")


def qualified(text: str, qualifier: str) -> str:
    """A computed figure with the mark of the qualifier its inputs carry: ">2,007.0×", "~45.0%".

    >>> qualified("2,007.0×", "more_than"), qualified("45.0%", "about"), qualified("3.0×", "exact")
    ('>2,007.0×', '~45.0%', '3.0×')
    >>> qualified("–", "more_than")
    '–'
    """
    mark = QUALIFIER_MARK.get(qualifier, "")
    numeric = text[:1].isdigit() or text[:1] in ("-", "+")
    return mark + text if mark and numeric else text


FIGURE_HEADER = ["company", "figure", "period", "value", "how"]


def figure_rows(figures: Sequence[Figure]) -> list[list[str]]:
    """One row a figure: company, figure[segment], period, value with its unit, how it was obtained."""
    rows = []
    for f in figures:
        name = f"{f.figure}[{f.segment}]" if f.segment else f.figure
        value = format_value(f.value, f.unit, f.status)
        rows.append([f.company, name, f.period, qualified(value, f.qualifier), f.note or f.label])
    return rows


RUNWAY_HEADER = ["company", "months", "runs out", "cash (date)", "burn a month (period)", "basis"]


def runway_header(runways: Sequence[Runway]) -> list[str]:
    """``RUNWAY_HEADER``, with "months left on DAY" after the months when the runways have an as-of day."""
    day = next((r.as_of for r in runways if r.as_of is not None), None)
    if day is None:
        return list(RUNWAY_HEADER)
    return [RUNWAY_HEADER[0], "months from cash date", f"months left on {day}", *RUNWAY_HEADER[2:]]


def runway_rows(runways: Sequence[Runway], notes: list[str] | None = None, left: bool = False) -> list[list[str]]:
    """Runway rows as text. With ``left``, in the columns of ``runway_header`` (months left on
    the as-of day beside the months); without, in those of ``RUNWAY_HEADER``. With ``notes``,
    the flags (a missing rate, a cash date far from the burn period, a runway that ran out on
    paper) go there and the basis cites them as [n]; without, they stay inline."""
    dated = left and any(r.as_of is not None for r in runways)
    numbered: dict[str, int] = {}  # a note's number (its first place), found without a search
    for i, note in enumerate(notes or [], 1):
        numbered.setdefault(note, i)
    rows = []
    for r in runways:
        ran_out = r.status == Status.RAN_OUT_ON_PAPER
        months = format_value(r.months, Measure.MONTHS, Status.OK if ran_out else r.status)
        months_left = [runway_left(r)] if dated else []
        cash = f"{format_money(r.cash, r.currency, 1)} ({r.cash_date})"
        if math.isfinite(r.ipo):
            cash += f" + IPO {format_number(r.ipo / 1e6, 1)}"
        burn = f"{format_money(r.burn, r.currency, 2)} ({r.burn_period})"
        # A scenario (a forecast burn, estimated IPO proceeds) says so beside its basis; why, in the note.
        basis = runway_basis(r) + (", a scenario" if r.scenario else "")
        flags = "; ".join(f for f in (f"a scenario: {r.scenario}" if r.scenario else "", r.flags) if f)
        if flags and notes is not None:
            if flags not in numbered:
                notes.append(flags)
                numbered[flags] = len(notes)
            basis += f" [{numbered[flags]}]"
        elif flags:
            basis += f"; {flags}"
        rows.append([r.company, months, *months_left, str(r.runs_out or ""), cash, burn, basis])
    return rows


def runway_left(r: Runway) -> str:
    """Months left on the as-of day, or the status that stands for them ("ran out on paper")."""
    if r.status != Status.OK:
        return str(r.status)
    return format_value(r.months_left, Measure.MONTHS)


def runway_basis(r: Runway) -> str:
    """The bases in short: "stated / liquid + ipo, burn +5%/month"."""
    basis = f"{r.burn_basis} / {r.cash_basis}{' + ipo' if r.with_ipo else ''}"
    if r.monthly_growth:
        basis += f", burn {format_percent(r.monthly_growth, written_decimals(r.monthly_growth), signed=True)}/month"
    return basis


def explain_lines(result: Explanation) -> list[str]:
    """The figure, its formula, each input with its period, amount and source, then the sources."""
    value = qualified(format_value(result.value, result.unit, result.status), result.qualifier)
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
            amount = format_money_exact(i.amount, i.currency)
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


def ordered_claims(result: ClaimsTable, checkable_only: bool = False) -> list[Claim]:
    """Every claim (or only those the data can test), those that do not reproduce first,
    those that cannot be checked last."""
    claims = [c for c in result.claims if not (checkable_only and c.verdict == Verdict.CANNOT_BE_CHECKED)]
    return sorted(claims, key=lambda c: VERDICT_ORDER[c.verdict])


def claim_rows(result: ClaimsTable, checkable_only: bool = False) -> list[list[str]]:
    """The rows of ``ordered_claims``: company, claim, stated, source, computed, verdict, how."""
    rows = []
    for c in ordered_claims(result, checkable_only):
        stated = claim_stated(c)
        if not math.isfinite(c.computed):
            computed = ""
        elif c.unit == Measure.PERCENT:
            computed = format_percent(c.computed, 2)
        else:
            computed = f"{format_number(c.computed, 2)} {c.unit}"
        rows.append([c.company, c.claim, stated, c.source, computed, c.verdict, c.assumption])
    return rows


def claim_stated(c: Claim) -> str:
    """A claim's figure as its source stated it: "~75%", or a range "70–80%"."""
    if math.isnan(c.stated):
        return format_stated(c.stated_low, c.unit, c.qualifier, c.stated_high)
    return format_stated(c.stated, c.unit, c.qualifier)


def verdict_counts(result: ClaimsTable) -> str:
    """How many claims got each verdict: "3 does not reproduce, 12 reproduces"."""
    counts = Counter(c.verdict for c in result.claims)
    return ", ".join(f"{counts[v]} {v}" for v in VERDICT_ORDER if counts[v])


# --- breakeven ------------------------------------------------------------------------------

PROJECTION_NOTE = "A projection on stated assumptions, not a forecast"
LOSS_WORDS = {
    LossBasis.ADJUSTED_LOSS: "adjusted net loss",
    LossBasis.NET_LOSS: "net loss",
    LossBasis.OPERATING: "operating cash outflow",
}


def breakeven_title(as_of: date) -> str:
    return f"Path to breakeven as of {as_of}: {PROJECTION_NOTE.lower()}"


def _month(month: int | None, day: date | None, from_as_of: int | None, as_of: date | None) -> str:
    if month is None or day is None:
        return "–"
    text = f"month {month}: {day}"
    return text + (f" ({from_as_of:+d} from {as_of})" if from_as_of is not None and as_of is not None else "")


def breakeven_outcome(b: Breakeven) -> str:
    """The status in words: when revenue catches up, or why it does not."""
    if b.status == BreakevenStatus.OK:
        return _month(b.breakeven_month, b.breakeven_date, b.breakeven_months_from_as_of, b.as_of)
    return f"{b.status}: {b.reason}" if b.reason else str(b.status)


def breakeven_verdict(b: Breakeven) -> str:
    """Alive or dead (and when the cash runs out), or why there is no verdict."""
    if b.verdict == Viability.DEAD:
        return "dead: cash runs out in " + _month(
            b.cash_out_month, b.cash_out_date, b.cash_out_months_from_as_of, b.as_of
        )
    if b.verdict == Viability.ALIVE:
        return "alive"
    return f"{b.verdict}: {b.cash_reason}" if b.cash_reason else str(b.verdict)


def _growth(g: GrowthAssumption | None) -> str:
    if g is None:
        return "–"
    where = "given" if g.overridden else f"{g.period} on {g.prior_period}"
    return f"{format_growth(g.rate)} a year ({where})"


def _cash_held(b: Breakeven) -> str:
    cash = b.cash
    if cash is None:
        return "–"
    if cash.total is None:
        return f"{b.verdict} ({cash.basis}, {cash.date})"
    ipo = f", IPO {format_money(cash.ipo_amount, b.currency)} included" if cash.ipo is not None else ""
    return f"{format_money(cash.total, b.currency)} ({cash.basis}, {cash.date}{ipo})"


def _cushion(b: Breakeven) -> str:
    if b.cushion is None:
        return "–"
    word = "cushion" if b.cushion >= 0 else "shortfall"
    return f"{format_money(b.cushion, b.currency, signed=True)} {word}"


def breakeven_rows(table: BreakevenTable) -> tuple[list[str], list[list[str]]]:
    """Side by side: one row a figure or assumption, one column a company."""
    items = table.breakevens
    header = ["", *(b.company for b in items)]
    rows: list[tuple[str, Callable[[Breakeven], str]]] = [
        ("revenue catches up with costs", breakeven_outcome),
        ("verdict (alive or dead)", breakeven_verdict),
        ("cash needed until then", lambda b: format_money(b.cash_needed, b.currency)),
        ("cash held at month 0", _cash_held),
        ("cushion or shortfall", _cushion),
        ("month 0", lambda b: str(b.start or "–")),
        ("base period", lambda b: f"{b.base.period} ({b.base.months} months)" if b.base else "–"),
        ("R0: revenue a month", lambda b: format_money(b.base.monthly_revenue, b.currency, 2) if b.base else "–"),
        ("C0: costs a month", lambda b: format_money(b.base.monthly_costs, b.currency, 2) if b.base else "–"),
        ("loss basis", lambda b: LOSS_WORDS[b.loss_basis]),
        ("g_r: revenue growth", lambda b: _growth(b.revenue_growth)),
        ("g_c: cost growth", lambda b: _growth(b.cost_growth)),
        ("horizon", lambda b: f"{b.horizon_months // 12} years"),
    ]
    return header, [[label, *(show(b) for b in items)] for label, show in rows]


def breakeven_notes(table: BreakevenTable) -> list[str]:
    """The formula once, then each company's assumptions, inputs and sources."""
    lines = [f"{PROJECTION_NOTE}. " + (table.breakevens[0].formula if table.breakevens else "")]
    for b in table.breakevens:
        lines += [f"{b.company}: " + "; ".join(b.assumptions)] if b.assumptions else []
        for growth in (b.revenue_growth, b.cost_growth):
            if growth is not None and growth.formula:
                lines.append(f"{b.company}: {growth.formula} = {format_growth(growth.rate)}")
        if b.cash is not None and b.cash.note:
            lines.append(f"{b.company}: {b.cash.note}")
        inputs = [f"{i.key} {i.period} [{i.source}]" for i in b.inputs]
        lines += [f"{b.company} inputs: " + ", ".join(inputs)] if inputs else []
        cited = [f"{s.id} ({s.outlet}, {s.published})" for s in b.sources]
        lines += [f"{b.company} sources: " + ", ".join(cited)] if cited else []
    return lines


def grid_cell(cell: GridCell) -> str:
    """Months to breakeven, "never", or "dead: out in N"; the base case in brackets."""
    if cell.verdict == Viability.DEAD:
        text = f"dead: out in {cell.cash_out_month}"
    elif cell.status == BreakevenStatus.OK:
        text = str(cell.breakeven_month)
    else:
        text = "never"
    return f"[{text}]" if cell.is_base else text


def grid_rows(grid: BreakevenGrid) -> tuple[list[str], list[list[str]]]:
    """Revenue growth down, cost growth across (percent a year), each cell ``grid_cell``."""
    header = ["g_r \\ g_c", *(format_growth(c) for c in grid.cost_growths)]
    rows = []
    for revenue_growth in grid.revenue_growths:
        cells = [grid.cell(revenue_growth, cost_growth) for cost_growth in grid.cost_growths]
        rows.append([format_growth(revenue_growth), *(grid_cell(c) if c else "–" for c in cells)])
    return header, rows


def grid_title(grid: BreakevenGrid) -> str:
    b = grid.base
    return f"{b.company}: months to breakeven from {b.start or '–'}, by yearly revenue growth (rows) and cost growth"


def grid_empty(grid: BreakevenGrid) -> str:
    """Why a company has no grid."""
    b = grid.base
    return f"{b.company}: no grid: {breakeven_outcome(b)}"


GRID_LEGEND = (
    "[ ] the base case (growth from the data or as given); a number: months from month 0 to breakeven, "
    "the cash lasting; dead: out in N: the cash runs out in month N, before breakeven; "
    "never: no breakeven within the horizon."
)


# --- changes --------------------------------------------------------------------------------

CHANGES_HEADER = ["company", "fact", "period", "what", "before", "now"]


def changes_title(result: Changes) -> str:
    return f"What the data learned between {result.since} and {result.until}"


def shown_text(shown: Shown | None) -> str:
    """A report as written, with its source and publication date: "~45 % [caixin, 2026-01-09]".

    >>> from datetime import date
    >>> shown_text(Shown(5.1, "USD 億", "more_than", "hkex", date(2026, 1, 9)))
    '>5.1 USD 億 [hkex, 2026-01-09]'
    >>> shown_text(Shown(None, "percent", "exact", "blog", date(2025, 6, 1), (70.0, 80.0)))
    '70–80 percent [blog, 2025-06-01]'
    >>> shown_text(None)
    '–'
    """
    if shown is None:
        return "–"
    if shown.value_range is not None:
        low, high = shown.value_range
        figure = f"{format_written(low)}–{format_written(high)}"
    elif shown.value is not None:
        figure = f"{QUALIFIER_MARK.get(shown.qualifier, '')}{format_written(shown.value)}"
    else:
        figure = "no figure"
    unit = f" {shown.unit}" if shown.unit else ""
    return f"{figure}{unit} [{shown.source}, {shown.published}]"


def change_rows(changes: Sequence[Change]) -> list[list[str]]:
    """One row a change: company, fact, period, what changed, the report before and now."""
    rows = []
    for c in changes:
        disagree = c.conflict and c.kind != ChangeKind.CONFLICT_AROSE
        now = shown_text(c.new) + ("; sources disagree" if disagree else "")
        rows.append([c.company, c.key, c.period, str(c.kind), shown_text(c.old), now])
    return rows


def changes_summary(result: Changes) -> str:
    """How many of each kind: "12 appeared, 3 changed", or that nothing changed."""
    counts = Counter(c.kind for c in result.changes)
    if not counts:
        return "nothing changed"
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())
