"""The report as a document: laid out once as blocks, written as Markdown or as HTML.

Markdown is for GitHub (tables, and mermaid ``xychart-beta`` charts, which GitHub draws);
HTML is one self-contained file (inline CSS and SVG, no script, no network). Every chart
is followed by a table of its numbers, so nothing is only in a picture; charts set side by
side for comparison share one value axis. A figure that rests on a date its source does
not state carries ``†`` and a note naming the input.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from minimetrics import __version__
from minimetrics.render.escape import markdown_text, visible
from minimetrics.render.markdown import markdown_table
from minimetrics.render.numbers import (
    QUALIFIER_MARK,
    chart_decimals,
    format_chart_value,
    format_months_left,
    format_number,
    format_periods,
    format_short,
    format_tick,
    format_written,
)
from minimetrics.render.rows import (
    CLAIMS_HEADER,
    FIGURE_HEADER,
    GRID_LEGEND,
    PROJECTION_NOTE,
    aligned,
    breakeven_notes,
    breakeven_rows,
    claim_rows,
    comparison_lines,
    figure_rows,
    grid_empty,
    grid_rows,
    grid_title,
    runway_rows,
    verdict_counts,
)
from minimetrics.results import (
    BreakevenStatus,
    BreakevenTable,
    Chart,
    Figure,
    GridCell,
    Input,
    Point,
    Report,
    Status,
    Viability,
)

# The mark of a figure that rests on a date its source does not state; a note under the table names the input.
INFERRED_MARK = "†"

# --- Blocks ---------------------------------------------------------------------------


# Headings and paragraphs are the report's own words, written in the little Markdown ``_inline``
# reads (**bold**, `code`); table cells, bullets and chart notes are text (from the sheets too),
# escaped by each writer for its format. A table column in ``markup`` holds Markdown built from
# escaped pieces.


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class TableBlock:
    header: list[str]
    rows: list[list[str]]
    right: frozenset[int] = frozenset()  # columns of numbers, right-aligned
    markup: frozenset[int] = frozenset()  # columns already in Markdown
    # A class per cell (a heat table's shades, in HTML only: the text says the same), rows as ``rows``.
    tones: tuple[tuple[str, ...], ...] = ()
    wide: int | None = None  # the column of long text that takes the room left (HTML), wrapping anywhere
    # Each column's share of the page in percent (HTML): a table of long text laid out to them, every cell wrapping.
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class ChartBlock:
    chart: Chart
    high: float | None = None  # the value axis' top, shared with the charts of the same scale; None: its own


Block = Heading | Paragraph | TableBlock | Bullets | ChartBlock


def _chart_table(chart: Chart) -> TableBlock:
    decimals = chart_decimals(chart)

    def value(p: Point) -> str:
        text = format_chart_value(p.value, chart.unit, decimals) if _has_value(p) else str(p.status)
        text += f" ({p.status})" if _has_value(p) and p.status != Status.OK else ""
        return text + (f" {INFERRED_MARK}" if p.inferred else "")

    if chart.kind == "line":
        marks = dict(chart.marks)
        columns = {s.name: {p.label: p for p in s.points} for s in chart.series}
        rows = [
            [month, *(value(columns[s.name][month]) for s in chart.series), marks.get(month, "")]
            for month in chart.categories
        ]
        header = ["month", *(f"{s.name} ({chart.unit})" for s in chart.series), ""]
        return TableBlock(header, rows, frozenset(range(1, len(chart.series) + 1)))
    if chart.horizontal:
        rows = [[p.label, value(p)] for s in chart.series for p in s.points]
        return TableBlock(["basis", chart.unit], rows, frozenset({1}))
    rows = [[s.name, *(value(p) for p in s.points)] for s in chart.series]
    return TableBlock([chart.unit, *chart.categories], rows, frozenset(range(1, len(chart.categories) + 1)))


def _chart_notes(chart: Chart) -> list[str]:
    """The inputs the chart's marked figures rest on, as ``_inferred_bullets`` lists them."""
    return [note for s in chart.series for p in s.points for note in _per_input(s.name, p.inferred)]


def _per_input(company: str, inferred: str) -> list[str]:
    """ "cash 2025-12-31: period inferred; …" as one note per input, the company first."""
    return [f"{company} {item}" for item in inferred.split("; ") if item]


def _inferred_inputs(inputs: Sequence[Input]) -> str:
    """The inputs resting on a date their source does not state: "cash 2025-12-31: period inferred"."""
    return "; ".join(dict.fromkeys(f"{i.key} {i.period}: {i.inferred}" for i in inputs if i.inferred))


def _marked(text: str, inferred: str) -> str:
    return f"{text} {INFERRED_MARK}" if inferred else text


def _inferred_bullets(notes: Sequence[str]) -> list[Block]:
    """One paragraph under a table naming, once each, the inputs its marked figures rest on."""
    found = list(dict.fromkeys(n for n in notes if n))
    if not found:
        return []
    text = "; ".join(found)
    return [Paragraph(markdown_text(f"{INFERRED_MARK} rests on a date its source does not state: {text}."))]


def report_blocks(report: Report) -> list[Block]:
    """The report's sections in reading order."""
    sections = (
        _overview,
        _side_by_side,
        _revenue,
        _margins,
        _runway,
        _breakeven,
        _timeline,
        _conflicts,
        _claims,
        _sources,
        _warnings,
    )
    return [block for section in sections for block in section(report)]


def _overview(report: Report) -> list[Block]:
    names = [c.id for c in report.companies]
    return [
        Heading(1, f"minimetrics report: {' vs '.join(names)}"),
        Paragraph(
            f"As of {report.as_of.isoformat()}. Made by minimetrics {__version__} from the fact sheets' "
            "sources, listed at the end. Each company's own figures are in its reporting currency; where "
            f"companies are set side by side, money is in {report.currency}. Any figure: "
            "`minimetrics explain COMPANY FIGURE PERIOD` shows its formula, inputs and sources."
        ),
        Heading(2, "Overview"),
        TableBlock(
            ["company", "name", "ticker", "reports in", "periods", "facts", "conflicts", "newest source", "age"],
            [
                [
                    c.id,
                    f"{c.name} {c.native_name}".strip(),
                    " ".join(c.tickers),
                    c.currency,
                    format_periods(c.periods),
                    str(c.facts),
                    str(c.conflicts),
                    c.newest_source.isoformat() if c.newest_source else "",
                    f"{(report.as_of - c.newest_source).days} days" if c.newest_source else "",
                ]
                for c in report.companies
            ],
            frozenset({5, 6, 8}),
        ),
    ]


def _side_by_side(report: Report) -> list[Block]:
    """The comparison's tables, its notes and its conflicts (none for a single company)."""
    if report.comparison is None:
        return []
    lines = comparison_lines(report.comparison)
    blocks: list[Block] = [
        Heading(2, "Side by side"),
        Paragraph(f"Money in {report.currency}; {aligned(report.comparison)}."),
    ]
    # The rows of ``lines.sections`` are the comparison's rows in order: mark those resting on an inferred date.
    rows_in_order = iter(report.comparison.rows)
    inferred: list[str] = []
    for title, rows in lines.sections:
        marked = []
        for texts, row in zip(rows, rows_in_order, strict=False):  # ``rows`` first: zip stops at its end
            cells = list(texts)
            for i, cell in enumerate(row.cells, 1):
                found = _inferred_inputs(cell.inputs)
                cells[i] = _marked(cells[i], found)
                inferred += _per_input(cell.company, found)
            marked.append(cells)
        blocks += [Heading(3, title), _without_empty_columns(lines.header, marked, len(report.comparison.companies))]
    blocks += _inferred_bullets(inferred)
    if lines.notes:
        blocks.append(Bullets([f"[{i}] {note}" for i, note in enumerate(lines.notes, 1)]))
    if lines.conflicts:
        blocks += [Paragraph("Conflicts between sources behind these figures:"), Bullets(lines.conflicts)]
    return blocks


def _without_empty_columns(header: list[str], rows: list[list[str]], companies: int) -> TableBlock:
    """The section's table without the difference and "ahead" columns where no row has one (as the README says:
    a section that compares nothing has no difference column; with three companies there is no difference)."""
    keep = [
        i
        for i in range(len(header))
        if i <= companies or any(row[i] for row in rows)  # the label and the companies always stay
    ]
    return TableBlock(
        [header[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        frozenset(j for j, i in enumerate(keep) if 1 <= i < len(header) - 1),
    )


def _figure_table(figures: Sequence[Figure]) -> list[Block]:
    """Growth or margin figures with the value marked where an input's date is inferred, and the notes."""
    rows = figure_rows(figures)
    notes = []
    for row, figure in zip(rows, figures, strict=True):
        found = _inferred_inputs(figure.inputs)
        row[3] = _marked(row[3], found)
        notes += _per_input(figure.company, found)
    return [TableBlock(FIGURE_HEADER, rows, frozenset({3}), wide=4), *_inferred_bullets(notes)]


def _revenue(report: Report) -> list[Block]:
    return [
        Heading(2, "Revenue"),
        Paragraph(
            "Each company in its own currency, one chart per period length: full years with full years, "
            "first halves with first halves."
        ),
        *_charts(report, "revenue-"),
        Heading(3, "Growth, CAGR, run-rates"),
        *_figure_table(report.growth.figures),
    ]


def _margins(report: Report) -> list[Block]:
    return [
        Heading(2, "Margins"),
        Paragraph("Margins need no currency, so the companies share a chart; a missing bar means no figure."),
        *_charts(report, "margin-"),
        Heading(3, "Margins and cost ratios (changes in percentage points, pp)"),
        *_figure_table(report.margins.figures),
    ]


def _runway(report: Report) -> list[Block]:
    """Every basis, drawn and tabled with months left on the as-of date, then the scenarios on the default basis."""
    day = report.as_of.isoformat()
    return [
        Heading(2, "Runway"),
        Paragraph(
            "Months of cash left from the balance date, on every basis the data supports. Bases: stated = "
            "the company's stated monthly burn; operating = operating cash outflow; adjusted_loss / net_loss "
            "= loss per month, a proxy; liquid = cash plus liquid financial assets; + ipo = IPO net proceeds "
            "received after the balance date. The charts share one scale. A runway whose run-out date falls "
            f"before {day} **ran out on paper**: the balance is out of date and a newer cash figure is needed; "
            "it does not mean the company is out of cash."
        ),
        *_charts(report, "runway-"),
        Heading(3, "Every basis"),
        *_runway_blocks(report),
        Heading(3, "Scenarios on the default basis"),
        Paragraph(
            "Scenarios, not results: burn as reported, growing 5 % and 10 % a month, and with IPO net proceeds. "
            f'"Left on {day}" subtracts the months from the balance date to {day}.'
        ),
        *_scenario_blocks(report),
    ]


def _left(months_left: float, runs_out: object, status: str) -> str:
    """Months left on the as-of date, or that the runway ran out on paper before it."""
    if status == Status.RAN_OUT_ON_PAPER or (math.isfinite(months_left) and months_left < 0):
        return f"none: ran out on paper {runs_out}"
    return format_months_left(months_left, runs_out)


def _runway_blocks(report: Report) -> list[Block]:
    """Every basis: months from the cash date beside months left on the as-of date, each note said once."""
    runways = report.runway.runways
    notes: list[str] = []
    texts = runway_rows(runways, notes)
    rows, inferred = [], []
    for r, (company, _months, runs_out, cash, burn, basis) in zip(runways, texts, strict=True):
        months = format_number(r.months, 1) if math.isfinite(r.months) else str(r.status)
        found = _inferred_inputs(r.inputs)
        inferred += _per_input(r.company, found)
        if r.scenario:
            basis = f"scenario: {basis} ({r.scenario})"
        rows.append(
            [company, basis, cash, burn, _marked(months, found), runs_out, _left(r.months_left, r.runs_out, r.status)]
        )
    header = ["company", "basis", "cash (date)", "burn a month (period)", "months from cash date", "runs out"]
    blocks: list[Block] = [TableBlock([*header, f"left on {report.as_of}"], rows, frozenset({4, 6}))]
    if notes:
        blocks.append(Bullets([f"[{i}] {note}" for i, note in enumerate(notes, 1)]))
    return blocks + _inferred_bullets(inferred)


def _scenario_blocks(report: Report) -> list[Block]:
    rows, inferred = [], []
    for s in report.scenarios:
        months = format_number(s.months, 1) if math.isfinite(s.months) else str(s.status)
        basis = f"{s.basis} (scenario: {s.outlook})" if s.outlook else s.basis
        rows.append(
            [
                s.company,
                s.scenario,
                basis,
                s.cash_date,
                _marked(months, s.inferred),
                str(s.runs_out or ""),
                _left(s.months_left_at_as_of, s.runs_out, s.status),
            ]
        )
        inferred += _per_input(s.company, s.inferred)
    header = ["company", "scenario", "basis", "cash date", "months from cash date", "runs out"]
    return [
        TableBlock([*header, f"left on {report.as_of}"], rows, frozenset({4, 6})),
        *_inferred_bullets(inferred),
    ]


# --- Path to breakeven ---------------------------------------------------------------------


def _breakeven(report: Report) -> list[Block]:
    """The base case side by side, then per company the sensitivity grid as a heat table and the projection."""
    if report.breakeven is None or not report.breakeven.grids:
        return []
    grids = report.breakeven.grids
    bases = BreakevenTable(report.as_of, tuple(g.base for g in grids))
    header, rows = breakeven_rows(bases)
    inferred = []
    for j, b in enumerate(bases.breakevens, 1):
        found = _inferred_inputs(b.inputs)
        rows[1][j] = _marked(rows[1][j], found)  # the verdict: it rests on every input
        inferred += _per_input(b.company, found)
    blocks: list[Block] = [
        Heading(2, "Path to breakeven"),
        Paragraph(
            f"**{PROJECTION_NOTE}.** Each company's monthly revenue and costs (revenue + adjusted net loss) of its "
            "latest period, grown at the yearly rates of its latest like-for-like pair of periods, from its cash "
            "date (month 0): when revenue would catch up with costs, and whether the cash held lasts until then "
            "(alive) or runs out first (dead). Defaults of `minimetrics breakeven`: adjusted net loss, the cash "
            "balance without IPO money, ten years. Every assumption is listed below the table."
        ),
        TableBlock(header, rows),
        *_inferred_bullets(inferred),
        Paragraph("Assumptions, inputs and sources:"),
        Bullets(breakeven_notes(bases)),
    ]
    charts = {c.id: c for c in report.charts}
    for grid in grids:
        b = grid.base
        blocks.append(Heading(3, f"{b.company}: {PROJECTION_NOTE.lower()}"))
        if not grid.cells:
            blocks.append(Paragraph(markdown_text(grid_empty(grid))))
        else:
            header, rows = grid_rows(grid)
            tones = tuple(("", *(_tone(grid.cell(g, c_g)) for c_g in grid.cost_growths)) for g in grid.revenue_growths)
            blocks += [
                Paragraph(markdown_text(grid_title(grid) + ".")),
                TableBlock(header, rows, frozenset(range(1, len(header))), tones=tones),
                Paragraph(markdown_text(GRID_LEGEND)),
            ]
        chart = charts.get(f"breakeven-{b.company}")
        if chart is not None:
            blocks.append(ChartBlock(chart))
    return blocks


def _tone(cell: GridCell | None) -> str:
    """A heat table's shade (HTML only; the cell's text says the same): alive, dead or never, the base case outlined."""
    if cell is None:
        return ""
    tone = "dead" if cell.verdict == Viability.DEAD else "alive" if cell.status == BreakevenStatus.OK else "never"
    return f"heat-{tone}" + (" base" if cell.is_base else "")


# --- Timeline ------------------------------------------------------------------------------


def _timeline(report: Report) -> list[Block]:
    if not report.events:
        return []
    rows = [
        [
            _marked(e.period, e.inferred),
            e.company,
            e.metric.replace("_", " "),
            e.segment,
            e.note,
            ", ".join(e.sources),
        ]
        for e in report.events
    ]
    inferred = [f"{e.company} {e.metric} {e.period}: {e.inferred}" for e in report.events if e.inferred]
    return [
        Heading(2, "Timeline"),
        Paragraph(
            "Dated events the sources report, oldest first (a plan is not an event). Where sources date an "
            "event differently (the founding), each date is kept with its sources."
        ),
        TableBlock(["date", "company", "event", "which", "note", "sources"], rows),
        *_inferred_bullets(inferred),
    ]


def _conflicts(report: Report) -> list[Block]:
    def version(value: float | None, unit: str, qualifier: str, source: str, rank: int, shown: bool) -> str:
        stated = "not disclosed" if value is None else format_written(value)
        bold = "**" if shown else ""
        text = markdown_text(f"{QUALIFIER_MARK.get(qualifier, '')}{stated} {unit}")
        return f"{bold}{text}{bold} {markdown_text(f'[{source}, rank {rank}]')}"

    return [
        Heading(2, "Conflicts between sources"),
        Paragraph(
            "Every report is kept. The best-ranked source is shown (1 is the most authoritative), unless a "
            "reviewer chose another and said why; equal-rank disagreements nobody has reviewed are unresolved."
        ),
        TableBlock(
            ["company", "fact", "period", "reports (shown in bold)", "status"],
            [
                [c.company, c.key, c.period, "; ".join(version(*v) for v in c.versions), c.status]
                for c in report.conflicts
            ],
            markup=frozenset({3}),
        ),
    ]


def _claims(report: Report) -> list[Block]:
    return [
        Heading(2, "Claims checked"),
        Paragraph(
            verdict_counts(report.claims)
            + ". Each claim is checked within the rounding it was written to; the table lists the checkable ones, "
            "those that do not reproduce first (`minimetrics claims` lists every claim, with what the others need)."
        ),
        TableBlock(
            CLAIMS_HEADER,
            claim_rows(report.claims, checkable_only=True),
            frozenset({2, 4}),
            widths=(7, 16, 8, 13, 8, 8, 40),
        ),
    ]


def _sources(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Sources")]
    for group in report.sources:
        blocks += [
            Heading(3, group.company),
            TableBlock(
                ["id", "outlet", "title", "published", "kind", "rank", "address"],
                [[s.id, s.outlet, s.title, s.published, kind, str(rank), s.url] for s, kind, rank in group.sources],
                frozenset({5}),
                widths=(14, 16, 26, 8, 7, 4, 25),
            ),
        ]
    if report.fx_sources:
        blocks += [
            Heading(3, "Exchange rates"),
            TableBlock(
                ["id", "outlet", "title", "published", "address"],
                [[s.id, s.outlet, s.title, s.published, s.url] for s in report.fx_sources],
                wide=4,
            ),
        ]
    return blocks


def _warnings(report: Report) -> list[Block]:
    return [Heading(2, "Data warnings"), Bullets(list(report.warnings))] if report.warnings else []


def _charts(report: Report, prefix: str) -> list[Block]:
    """The charts whose id starts with ``prefix``, each with its shared axis top, then their inferred-date notes."""
    chosen = [chart for chart in report.charts if chart.id.startswith(prefix)]
    tops: dict[str, float] = {}
    for chart in report.charts:
        if chart.scale:
            tops[chart.scale] = max(tops.get(chart.scale, 0.0), *_drawn(chart), 0.0)
    notes = [note for chart in chosen for note in _chart_notes(chart)]
    return [
        *(ChartBlock(chart, tops.get(chart.scale) if chart.scale else None) for chart in chosen),
        *_inferred_bullets(notes),
    ]


def _drawn(chart: Chart) -> list[float]:
    """The values a chart draws: those with a figure."""
    return [p.value for s in chart.series for p in s.points if _has_value(p)]


def _has_value(p: Point) -> bool:
    """Whether a point is drawn: it has a figure (a runway that ran out on paper still has its months)."""
    return p.status in (Status.OK, Status.RAN_OUT_ON_PAPER) and math.isfinite(p.value)


# --- Markdown ---------------------------------------------------------------------------


def _mermaid_lines(chart: Chart) -> str:
    """A projection as one xychart with a line per series; the title names them in order and the marked months
    (xychart-beta has no legend and no annotations; the table below gives every number)."""
    values = _drawn(chart)
    high = max([0.0, *values])
    names = " then ".join(s.name for s in chart.series)
    marks = "; ".join(text for _, text in chart.marks)
    title = f"{chart.title} ({chart.unit}): lines {names}" + (f"; {marks}" if marks else "")
    months = ", ".join(f'"{_quote(c)}"' for c in chart.categories)
    lines = "".join(
        f"    line [{', '.join(format_short(round(p.value, 2)) for p in s.points)}]\n" for s in chart.series
    )
    return (
        "```mermaid\n"
        "xychart-beta\n"
        f'    title "{_quote(title)}"\n'
        f'    x-axis "month" [{months}]\n'
        f'    y-axis "{_quote(chart.unit)}" 0 --> {_axis(high, high or 1.0, 1)}\n' + lines + "```\n"
    )


def _mermaid(chart: Chart, shared_high: float | None = None) -> str:
    """One mermaid xychart per series: xychart-beta draws no legend, so each chart names its company.

    Bars start at zero only when the value axis does, so a series with a value below zero is
    drawn as a line; points without a figure are left out and the table says why. Charts
    that share a scale get the same axis top (``shared_high``).
    """
    if chart.kind == "line":
        return _mermaid_lines(chart)
    out = []
    drawn = _drawn(chart)
    mark = "bar" if min(drawn, default=0.0) >= 0 else "line"
    for series in chart.series:
        points = [p for p in series.points if _has_value(p)]
        if not points:
            continue
        title = chart.title if len(chart.series) == 1 else f"{chart.title}: {series.name}"
        values = [round(p.value, 2) for p in points]
        low, high = min(0.0, *values), max(0.0, *values, shared_high or 0.0)
        span = (high - low) or 1.0
        labels = ", ".join(f'"{_quote(p.label)}"' for p in points)
        out.append(
            "```mermaid\n"
            f"xychart-beta{' horizontal' if chart.horizontal else ''}\n"
            f'    title "{_quote(title)} ({chart.unit})"\n'
            f"    x-axis [{labels}]\n"
            f'    y-axis "{_quote(chart.unit)}" {_axis(low, span, -1)} --> {_axis(high, span, 1)}\n'
            f"    {mark} [{', '.join(format_short(v) for v in values)}]\n"
            "```\n"
        )
    return "\n".join(out)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _quote(text: str) -> str:
    """Text inside a mermaid string: on one line (a line of ``` would end the block), no double quote."""
    return visible(text).replace('"', "'")


def _axis(value: float, span: float, direction: int) -> str:
    """An axis end with a little room beyond the data (none at zero)."""
    if value == 0:
        return "0"
    return format_short(round(value + direction * span * 0.1, 2))


def write_markdown(report: Report, out: TextIO, width: int = 100) -> None:
    parts = []
    for block in report_blocks(report):
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {block.text}\n")
        elif isinstance(block, Paragraph):
            parts.append(block.text + "\n")
        elif isinstance(block, TableBlock):
            parts.append(markdown_table(block.header, block.rows, block.right, block.markup))
        elif isinstance(block, Bullets):
            parts.append("".join(f"- {markdown_text(item)}\n" for item in block.items))
        else:
            table = _chart_table(block.chart)
            parts.append(
                _mermaid(block.chart, block.high) + "\n" + markdown_table(table.header, table.rows, set(table.right))
            )
            if block.chart.note:
                parts.append(markdown_text(_sentence(block.chart.note)) + "\n")
    out.write("\n".join(parts))


# --- HTML -------------------------------------------------------------------------------

PALETTE = ("#4477aa", "#cc6677", "#228833", "#ccbb44", "#66ccee", "#aa3377")  # Paul Tol's, colour-blind safe

CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif;
  color: #1d2330; max-width: 1100px; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #d8dce3; }
h3 { margin-top: 1.4rem; font-size: 1.05rem; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: 13px; max-width: 100%; }
th, td { border-bottom: 1px solid #e3e6eb; padding: .25rem .6rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td a, td.wide, table.fixed td { overflow-wrap: anywhere; } th.wide { width: 40%; }
table.fixed { table-layout: fixed; width: 100%; } table.fixed td.num { white-space: normal; }
th { background: #f3f5f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
table.heat td.heat-alive { background: #d9ecd9; } table.heat td.heat-dead { background: #f4d3d3; }
table.heat td.heat-never { background: #e8e8e8; } table.heat td.base { outline: 2px solid #1d2330; font-weight: 600; }
figure { display: inline-block; vertical-align: top; margin: 1rem 1.5rem .5rem 0; max-width: 100%;
  break-inside: avoid; }
table.short, table.heat { break-inside: avoid; }
figure.wide { display: block; }
figure svg { max-width: 100%; height: auto; display: block; } figure table { margin-left: 56px; }
figcaption { font-size: 13px; color: #4a5263; margin-left: 56px; max-width: 460px; }
svg text { font: 11px system-ui, sans-serif; fill: #1d2330; } svg .title { font-size: 13px; font-weight: 600; }
svg .axis { stroke: #9aa1ad; } svg .grid { stroke: #e3e6eb; } svg .muted { fill: #6b7280; }
nav ol { columns: 2; font-size: 14px; } a { color: #2557a7; }
.lead { color: #4a5263; }
@page { size: A4; margin: 8mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9px; line-height: 1.25; }
  h1 { font-size: 15px; } h2 { font-size: 13px; margin-top: .8rem; } h3 { font-size: 10px; margin-top: .5rem; }
  nav { display: none; } p, ul { margin: .25rem 0; }
  table { width: 100%; font-size: 7.5px; margin: .25rem 0 .4rem; } th, td { padding: 1px 3px; }
  table.fixed { font-size: 7px; }
  /* The long tables (claims, conflicts) compact: smaller, tighter lines, no rule between rows. */
  table.long { font-size: 6.5px; line-height: 1.15; } table.long td, table.long th { padding: 0 3px; }
  /* A heading stays with what follows it; a figure and a short table stay whole; a long table
     breaks between rows, its header repeated. */
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  figure, figure table, table.heat, table.short { break-inside: avoid; } thead { display: table-header-group; }
  figure { width: 48%; margin: .2rem 1% .2rem 0; } figure.wide { width: 50%; }
  figure table, figcaption { margin-left: 0; width: auto; font-size: 7px; }
  figure table td, figure table th { padding: 0 3px; }
  table.heat td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _nice_step(span: float) -> float:
    """A round tick step giving about five ticks over ``span``.

    >>> _nice_step(80)
    20.0
    >>> _nice_step(2400)
    500.0
    """
    raw = span / 5 if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))


def svg_chart(chart: Chart, shared_high: float | None = None) -> str:
    """The chart as inline SVG: bars from zero, values written on them, ticks on round numbers.

    Each bar (and each point of a line) carries its numbers (``data-series``, ``data-label``,
    ``data-value``) so a test can read back what was drawn. ``shared_high`` is the top of the
    value axis when charts set side by side share one scale.
    """
    if chart.kind == "line":
        return _svg_lines(chart)
    if chart.horizontal:
        return _svg_horizontal(chart, shared_high)
    width, height, left, right, top, bottom = 520, 280, 56, 12, 44, 40
    values = _drawn(chart)
    low, high = min([0.0, *values]), max([0.0, *values, shared_high or 0.0])
    step = _nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    high = high if high > low else low + step
    plot_h, plot_w = height - top - bottom, width - left - right

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * plot_h

    decimals = chart_decimals(chart)
    parts = [_svg_open(chart, width, height)]
    tick = low
    while tick <= high + step / 2:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{format_tick(tick, chart.unit)}</text>'
        )
        tick += step
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    group = plot_w / max(len(chart.categories), 1)
    bar = min(56.0, group * 0.8 / max(len(chart.series), 1))
    for i, category in enumerate(chart.categories):
        x0 = left + i * group + (group - bar * len(chart.series)) / 2
        parts.append(
            f'<text x="{left + (i + 0.5) * group:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{html.escape(category)}</text>"
        )
        for j, series in enumerate(chart.series):
            point = next((p for p in series.points if p.label == category), None)
            x = x0 + j * bar
            if point is None or not _has_value(point):
                parts.append(
                    f'<text class="muted" x="{x + bar / 2:.1f}" y="{y(0) - 4:.1f}" text-anchor="middle">'
                    f"{html.escape(point.status if point else Status.MISSING)}</text>"
                )
                continue
            top_y, bottom_y = sorted((y(point.value), y(0)))
            # Labels of neighbouring bars are staggered by series so that long ones do not overlap.
            stagger = 11 * j if len(chart.series) > 1 else 0
            label_y = top_y - 4 - stagger if point.value >= 0 else bottom_y + 12 + stagger
            parts.append(
                f'<rect class="bar" x="{x + 1:.1f}" y="{top_y:.1f}" width="{bar - 2:.1f}" '
                f'height="{bottom_y - top_y:.1f}" fill="{PALETTE[j % len(PALETTE)]}" '
                f'data-series="{html.escape(series.name)}" data-label="{html.escape(point.label)}" '
                f'data-value="{point.value!r}"><title>{html.escape(series.name)} {html.escape(point.label)}: '
                f"{format_chart_value(point.value, chart.unit, decimals)} {html.escape(chart.unit)}</title></rect>"
                f'<text x="{x + bar / 2:.1f}" y="{label_y:.1f}" text-anchor="middle">'
                f"{format_chart_value(point.value, chart.unit, decimals)}</text>"
            )
    if len(chart.series) > 1:
        for j, series in enumerate(chart.series):
            lx = width - right - 110 * (len(chart.series) - j)
            parts.append(
                f'<rect x="{lx}" y="22" width="10" height="10" fill="{PALETTE[j % len(PALETTE)]}"/>'
                f'<text x="{lx + 14}" y="31">{html.escape(series.name)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _svg_horizontal(chart: Chart, shared_high: float | None = None) -> str:
    points = [p for s in chart.series for p in s.points]
    row, left, right, top = 24, 190, 50, 40
    width, height = 520, top + row * len(points) + 28
    values = _drawn(chart)
    most = max([12.0, *values, shared_high or 0.0])
    step = _nice_step(most)
    high = math.ceil(most / step) * step
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + value / high * plot_w

    parts = [_svg_open(chart, width, height)]
    tick = 0.0
    while tick <= high + step / 2:
        parts.append(
            f'<line class="grid" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top - 4}" y2="{height - 24}"/>'
            f'<text x="{x(tick):.1f}" y="{height - 10}" text-anchor="middle">{format_tick(tick, chart.unit)}</text>'
        )
        tick += step
    parts.append(
        f'<line class="axis" x1="{x(12):.1f}" x2="{x(12):.1f}" y1="{top - 8}" y2="{height - 24}" stroke-dasharray="4 3"/>'
        f'<text class="muted" x="{x(12) + 3:.1f}" y="{top - 10}">12 months</text>'
    )
    for i, point in enumerate(points):
        y = top + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{html.escape(point.label)}</text>')
        if not _has_value(point):
            parts.append(f'<text class="muted" x="{left + 4}" y="{y + 15}">{html.escape(point.status)}</text>')
            continue
        parts.append(
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{x(point.value) - left:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}" data-series="{html.escape(chart.series[0].name)}" '
            f'data-label="{html.escape(point.label)}" data-value="{point.value!r}">'
            f"<title>{html.escape(point.label)}: {format_chart_value(point.value, chart.unit)} months</title></rect>"
            f'<text x="{x(point.value) + 4:.1f}" y="{y + 15}">{format_chart_value(point.value, chart.unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_lines(chart: Chart) -> str:
    """A projection: one line per series over months (placed by month number), the marked months as dashed lines
    with their words, and a legend; each point a circle carrying its numbers."""
    width, height, left, right, top, bottom = 520, 300, 56, 12, 44, 52
    months = [int(c) for c in chart.categories]
    last = max([1, *months])
    values = _drawn(chart)
    step = _nice_step(max([0.0, *values]))
    high = math.ceil(max([0.0, *values]) / step) * step or step
    plot_h, plot_w = height - top - bottom, width - left - right

    def x(month: float) -> float:
        return left + month / last * plot_w

    def y(value: float) -> float:
        return top + (high - value) / high * plot_h

    parts = [_svg_open(chart, width, height)]
    tick = 0.0
    while tick <= high + step / 2:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{format_tick(tick, chart.unit)}</text>'
        )
        tick += step
    month_step = _nice_step(last)
    month = 0.0
    while month <= last:
        parts.append(f'<text x="{x(month):.1f}" y="{height - bottom + 16}" text-anchor="middle">{month:g}</text>')
        month += month_step
    parts.append(f'<text class="muted" x="{width - right}" y="{height - bottom + 30}" text-anchor="end">month</text>')
    for k, (label, text) in enumerate(chart.marks):
        at = x(int(label))
        # The words on the side of the line with more room, so that they are never cut at the edge.
        side, anchor = (at - 3, "end") if at > left + plot_w / 2 else (at + 3, "start")
        parts.append(
            f'<line class="axis" x1="{at:.1f}" x2="{at:.1f}" y1="{top - 4}" y2="{height - bottom}" '
            f'stroke-dasharray="4 3"/><text class="muted" x="{side:.1f}" y="{top + 10 + 12 * k}" '
            f'text-anchor="{anchor}">{html.escape(text)}</text>'
        )
    dashes = ("", ' stroke-dasharray="6 3"')  # the second line dashed: told apart without colour
    for j, series in enumerate(chart.series):
        drawn = [p for p in series.points if _has_value(p)]
        path = " ".join(f"{x(int(p.label)):.1f},{y(p.value):.1f}" for p in drawn)
        colour = PALETTE[j % len(PALETTE)]
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dashes[j % 2]} points="{path}"/>'
            + "".join(
                f'<circle cx="{x(int(p.label)):.1f}" cy="{y(p.value):.1f}" r="1.6" fill="{colour}" '
                f'data-series="{html.escape(series.name)}" data-label="{html.escape(p.label)}" '
                f'data-value="{p.value!r}"/>'
                for p in drawn
            )
        )
        lx = width - right - 110 * (len(chart.series) - j)
        parts.append(
            f'<line x1="{lx}" x2="{lx + 18}" y1="27" y2="27" stroke="{colour}" stroke-width="2"{dashes[j % 2]}/>'
            f'<text x="{lx + 22}" y="31">{html.escape(series.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(chart: Chart, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{html.escape(chart.id)}" class="chart" role="img" '
        f'aria-labelledby="chart-{html.escape(chart.id)}-title" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" data-unit="{html.escape(chart.unit)}">'
        f'<title id="chart-{html.escape(chart.id)}-title">{html.escape(chart.title)} ({html.escape(chart.unit)})</title>'
        f'<text class="title" x="8" y="18">{html.escape(chart.title)} ({html.escape(chart.unit)})</text>'
    )


def _inline(text: str) -> str:
    """The report's own Markdown (a heading, a paragraph, a column in ``markup``) as HTML:
    escaped, then the little Markdown the blocks use: **bold**, `code`, backslash escapes."""
    out = _pairs(_pairs(html.escape(_ESCAPED.sub(_hide, text)), "**", "strong"), "`", "code")
    return _SHOWN.sub(lambda m: html.escape(chr(ord(m.group(0)) - _HIDDEN)), out)


# A backslash-escaped character is set aside while the marks are paired (as a private-use
# character: ``visible`` spells out any that came from a sheet), then written as itself.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HIDDEN = 0xE000
_SHOWN = re.compile("[\ue000-\ue07f]")


def _hide(match: re.Match[str]) -> str:
    return chr(_HIDDEN + ord(match.group(1)))


def _pairs(text: str, mark: str, tag: str) -> str:
    """Each pair of ``mark`` (leftmost first) made a ``tag`` element; an odd one left as it is.
    One pass over the text: replacing the first pair again and again is quadratic.

    >>> _pairs("a **b** c **d", "**", "strong")
    'a <strong>b</strong> c **d'
    """
    parts, at = [], 0
    while (start := text.find(mark, at)) >= 0 and (end := text.find(mark, start + len(mark))) >= 0:
        parts += [text[at:start], f"<{tag}>", text[start + len(mark) : end], f"</{tag}>"]
        at = end + len(mark)
    return "".join(parts) + text[at:]


def _text(text: str) -> str:
    """Text (a table cell, a bullet, a note) as HTML: escaped, made visible, a bare address a link."""
    out = html.escape(visible(text))
    if out.startswith(("http://", "https://")) and " " not in out:
        out = f'<a href="{out}">{out}</a>'
    return out


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def write_html(report: Report, out: TextIO, width: int = 100) -> None:
    blocks = report_blocks(report)
    heading, lead, rest = blocks[0], blocks[1], blocks[2:]
    assert isinstance(heading, Heading) and isinstance(lead, Paragraph)
    contents = "".join(
        f'<li><a href="#{_slug(b.text)}">{html.escape(b.text)}</a></li>'
        for b in rest
        if isinstance(b, Heading) and b.level == 2
    )
    body = [
        f"<h1>{html.escape(heading.text)}</h1>",
        f'<p class="lead">{_inline(lead.text)}</p>',
        f"<nav><ol>{contents}</ol></nav>",
    ]
    for block in rest:
        if isinstance(block, Heading):
            body.append(f'<h{block.level} id="{_slug(block.text)}">{_inline(block.text)}</h{block.level}>')
        elif isinstance(block, Paragraph):
            body.append(f"<p>{_inline(block.text)}</p>")
        elif isinstance(block, TableBlock):
            body.append(_html_table(block))
        elif isinstance(block, Bullets):
            body.append("<ul>" + "".join(f"<li>{_text(item)}</li>" for item in block.items) + "</ul>")
        else:
            chart = block.chart
            caption = f"<figcaption>{_text(_sentence(chart.note))}</figcaption>" if chart.note else ""
            wide = ' class="wide"' if chart.kind == "line" else ""
            body.append(
                f"<figure{wide}>{svg_chart(chart, block.high)}{_html_table(_chart_table(chart))}{caption}</figure>"
            )
    out.write(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(heading.text)} (as of {report.as_of.isoformat()})</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# A table of at most SHORT_ROWS rows is kept on one page in print; one of more than LONG_ROWS
# (the claims, the conflicts) is set smaller and tighter in print, where it would take pages.
SHORT_ROWS = 12
LONG_ROWS = 30


def _html_table(block: TableBlock) -> str:
    def cell(tag: str, i: int, text: str, tone: str = "") -> str:
        names = " ".join(
            name for name in ("num" if i in block.right else "", tone, "wide" if i == block.wide else "") if name
        )
        attribute = f' class="{names}"' if names else ""
        return f"<{tag}{attribute}>{_inline(text) if i in block.markup and tag == 'td' else _text(text)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(block.header))
    tones = block.tones or tuple(() for _ in block.rows)
    rows = "".join(
        "<tr>" + "".join(cell("td", i, c, shades[i] if i < len(shades) else "") for i, c in enumerate(row)) + "</tr>"
        for row, shades in zip(block.rows, tones, strict=True)
    )
    kinds = (
        "heat" if block.tones else "",
        "fixed" if block.widths else "",
        "short" if len(block.rows) <= SHORT_ROWS else "long" if len(block.rows) > LONG_ROWS else "",
    )
    names = " ".join(name for name in kinds if name)
    attribute = f' class="{names}"' if names else ""
    columns = "".join(f'<col style="width: {w}%">' for w in block.widths)
    group = f"<colgroup>{columns}</colgroup>" if columns else ""
    return f"<table{attribute}>{group}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
