"""The report as a document: laid out once as blocks, written as Markdown or as HTML.

Markdown is for GitHub (tables, and mermaid ``xychart-beta`` charts, which GitHub draws);
HTML is one self-contained file (inline CSS and SVG, no script, no network). Every chart
is followed by a table of its numbers, so nothing is only in a picture.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, replace
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
)
from minimetrics.render.rows import (
    CLAIMS_HEADER,
    FIGURE_HEADER,
    RUNWAY_HEADER,
    aligned,
    claim_rows,
    comparison_lines,
    figure_rows,
    runway_rows,
    verdict_counts,
)
from minimetrics.results import Chart, Report, Status

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


@dataclass(frozen=True)
class Bullets:
    items: list[str]


@dataclass(frozen=True)
class ChartBlock:
    chart: Chart


Block = Heading | Paragraph | TableBlock | Bullets | ChartBlock


def _chart_table(chart: Chart) -> TableBlock:
    decimals = chart_decimals(chart)
    if chart.horizontal:
        rows = [
            [p.label, format_chart_value(p.value, chart.unit, decimals) if p.status == Status.OK else p.status]
            for s in chart.series
            for p in s.points
        ]
        return TableBlock(["basis", chart.unit], rows, frozenset({1}))
    rows = [
        [
            s.name,
            *(
                format_chart_value(p.value, chart.unit, decimals) if p.status == Status.OK else p.status
                for p in s.points
            ),
        ]
        for s in chart.series
    ]
    return TableBlock([chart.unit, *chart.categories], rows, frozenset(range(1, len(chart.categories) + 1)))


def report_blocks(report: Report) -> list[Block]:
    """The report's sections in reading order."""
    sections = (
        _overview,
        _side_by_side,
        _revenue,
        _margins,
        _runway,
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
    header = lines.header
    blocks: list[Block] = [
        Heading(2, "Side by side"),
        Paragraph(f"Money in {report.currency}; {aligned(report.comparison)}."),
    ]
    for title, rows in lines.sections:
        blocks += [Heading(3, title), TableBlock(header, rows, frozenset(range(1, len(header) - 1)))]
    if lines.notes:
        blocks.append(Bullets([f"[{i}] {note}" for i, note in enumerate(lines.notes, 1)]))
    if lines.conflicts:
        blocks += [Paragraph("Conflicts between sources behind these figures:"), Bullets(lines.conflicts)]
    return blocks


def _revenue(report: Report) -> list[Block]:
    return [
        Heading(2, "Revenue"),
        Paragraph(
            "Each company in its own currency, one chart per period length: full years with full years, "
            "first halves with first halves."
        ),
        *_charts(report, "revenue-"),
        Heading(3, "Growth, CAGR, run-rates"),
        TableBlock(FIGURE_HEADER, figure_rows(report.growth.figures), frozenset({3})),
    ]


def _margins(report: Report) -> list[Block]:
    return [
        Heading(2, "Margins"),
        Paragraph("Margins need no currency, so the companies share a chart; a missing bar means no figure."),
        *_charts(report, "margin-"),
        Heading(3, "Margins and cost ratios (changes in percentage points, pp)"),
        TableBlock(FIGURE_HEADER, figure_rows(report.margins.figures), frozenset({3})),
    ]


def _runway(report: Report) -> list[Block]:
    """Every basis, drawn and tabled, then the scenarios on the default basis."""
    return [
        Heading(2, "Runway"),
        Paragraph(
            "Months of cash left from the balance date, on every basis the data supports. Bases: stated = "
            "the company's stated monthly burn; operating = operating cash outflow; adjusted_loss / net_loss "
            "= loss per month, a proxy; liquid = cash plus liquid financial assets; + ipo = IPO net proceeds "
            "received after the balance date."
        ),
        *_charts(report, "runway-"),
        Heading(3, "Every basis"),
        *_runway_blocks(report),
        Heading(3, "Scenarios on the default basis"),
        Paragraph(
            f'Burn as reported, growing 5 % and 10 % a month, and with IPO net proceeds. "Left on '
            f'{report.as_of.isoformat()}" subtracts the months since the balance date: a runway that ran '
            "out on paper before then means the balance is out of date, not that the company is out of cash."
        ),
        TableBlock(
            ["company", "scenario", "basis", "cash date", "months", "runs out", f"left on {report.as_of.isoformat()}"],
            [
                [
                    s.company,
                    s.scenario,
                    s.basis,
                    s.cash_date,
                    format_number(s.months, 1) if s.status == Status.OK else s.status,
                    str(s.runs_out or ""),
                    format_months_left(s.months_left_at_as_of, s.runs_out),
                ]
                for s in report.scenarios
            ],
            frozenset({4}),
        ),
    ]


def _conflicts(report: Report) -> list[Block]:
    def version(value: float | None, unit: str, qualifier: str, source: str, rank: int, shown: bool) -> str:
        stated = "not disclosed" if value is None else format_short(value)
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
            "those that do not reproduce first."
        ),
        TableBlock(CLAIMS_HEADER, claim_rows(report.claims), frozenset({2, 4})),
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
            ),
        ]
    if report.fx_sources:
        blocks += [
            Heading(3, "Exchange rates"),
            TableBlock(
                ["id", "outlet", "title", "published", "address"],
                [[s.id, s.outlet, s.title, s.published, s.url] for s in report.fx_sources],
            ),
        ]
    return blocks


def _warnings(report: Report) -> list[Block]:
    return [Heading(2, "Data warnings"), Bullets(list(report.warnings))] if report.warnings else []


def _runway_blocks(report: Report) -> list[Block]:
    """The runway table with each reason a runway has no number said once, below it."""
    runways = report.runway.runways
    reasons = sorted({r.flags for r in runways if r.status != Status.OK and r.flags})
    shown = [r if r.status == Status.OK else replace(r, flags="") for r in runways]
    blocks: list[Block] = [TableBlock(RUNWAY_HEADER, runway_rows(shown), frozenset({1}))]
    if reasons:
        blocks.append(Bullets([f"no rate: {r}" if not r.startswith("no ") else r for r in reasons]))
    return blocks


def _charts(report: Report, prefix: str) -> list[Block]:
    return [ChartBlock(chart) for chart in report.charts if chart.id.startswith(prefix)]


# --- Markdown ---------------------------------------------------------------------------


def _mermaid(chart: Chart) -> str:
    """One mermaid xychart per series: xychart-beta draws no legend, so each chart names its company.

    Bars start at zero only when the value axis does, so a series with a value below zero is
    drawn as a line; points without a figure are left out and the table says why.
    """
    out = []
    drawn = [p.value for s in chart.series for p in s.points if p.status == Status.OK and math.isfinite(p.value)]
    mark = "bar" if min(drawn, default=0.0) >= 0 else "line"
    for series in chart.series:
        points = [p for p in series.points if p.status == Status.OK and math.isfinite(p.value)]
        if not points:
            continue
        title = chart.title if len(chart.series) == 1 else f"{chart.title}: {series.name}"
        values = [round(p.value, 2) for p in points]
        low, high = min(0.0, *values), max(0.0, *values)
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
            parts.append(_mermaid(block.chart) + "\n" + markdown_table(table.header, table.rows, set(table.right)))
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
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e6eb; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { display: inline-block; vertical-align: top; margin: 1rem 1.5rem .5rem 0; max-width: 100%; }
figure svg { max-width: 100%; height: auto; display: block; } figure table { margin-left: 56px; }
figcaption { font-size: 13px; color: #4a5263; margin-left: 56px; max-width: 460px; }
svg text { font: 11px system-ui, sans-serif; fill: #1d2330; } svg .title { font-size: 13px; font-weight: 600; }
svg .axis { stroke: #9aa1ad; } svg .grid { stroke: #e3e6eb; } svg .muted { fill: #6b7280; }
nav ol { columns: 2; font-size: 14px; } a { color: #2557a7; }
.lead { color: #4a5263; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: auto; } figure, table { break-inside: avoid; } }
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


def svg_chart(chart: Chart) -> str:
    """The chart as inline SVG: bars from zero, values written on them, ticks on round numbers.

    Each bar carries its numbers (``data-series``, ``data-label``, ``data-value``) so a test
    can read back what was drawn.
    """
    if chart.horizontal:
        return _svg_horizontal(chart)
    width, height, left, right, top, bottom = 520, 280, 56, 12, 44, 40
    values = [p.value for s in chart.series for p in s.points if p.status == Status.OK and math.isfinite(p.value)]
    low, high = min([0.0, *values]), max([0.0, *values])
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
            if point is None or point.status != Status.OK or not math.isfinite(point.value):
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


def _svg_horizontal(chart: Chart) -> str:
    points = [p for s in chart.series for p in s.points]
    row, left, right, top = 24, 190, 50, 40
    width, height = 520, top + row * len(points) + 28
    values = [p.value for p in points if p.status == Status.OK and math.isfinite(p.value)]
    step = _nice_step(max([12.0, *values]))
    high = math.ceil(max([12.0, *values]) / step) * step
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
        if point.status != Status.OK or not math.isfinite(point.value):
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
            body.append(f"<figure>{svg_chart(chart)}{_html_table(_chart_table(chart))}{caption}</figure>")
    out.write(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(heading.text)} (as of {report.as_of.isoformat()})</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _html_table(block: TableBlock) -> str:
    def cell(tag: str, i: int, text: str) -> str:
        attribute = ' class="num"' if i in block.right else ""
        return f"<{tag}{attribute}>{_inline(text) if i in block.markup and tag == 'td' else _text(text)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(block.header))
    rows = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in block.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
