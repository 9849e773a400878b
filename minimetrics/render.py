"""Formatting and output: the only module that styles text.

``write(result, fmt, out)`` dispatches on the result's type and the format. JSON
and CSV are written plainly (never through Rich, which would wrap them); tables
go through Rich with every piece of fact-sheet text passed as ``Text`` so markup
in it is shown literally.

Tables fit the width they are given: numbers, dates and ids are never broken,
identifiers break after "_" or before "[", prose wraps between words, and long
notes go below a table as numbered footnotes. Colour is off unless the caller
asks for it (``write(..., colour=True)``), and never carries meaning alone: every
coloured figure keeps its sign, mark or word.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal, TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from minimetrics.dataset import CompanySummary
from minimetrics.factsheet import Fact, FactSheet, Report
from minimetrics.problems import Problem
from minimetrics.registry import Unit


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


# --- Number formatters --------------------------------------------------------------


def format_number(value: float, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals, an ASCII minus.

    >>> format_number(1234567.891, 2)
    '1,234,567.89'
    >>> format_number(-465.2, 1)
    '-465.2'
    >>> format_number(float("nan"))
    'n/a'
    """
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.{max(decimals, 0)}f}"


def format_percent(value: float, decimals: int = 1) -> str:
    """A percentage, value given in percent.

    >>> format_percent(45.23)
    '45.2%'
    """
    return f"{format_number(value, decimals)}%"


def format_pp(value: float, decimals: int = 1) -> str:
    """A percentage-point change, always signed.

    >>> format_pp(3.14)
    '+3.1 pp'
    >>> format_pp(-0.5)
    '-0.5 pp'
    """
    sign = "+" if value >= 0 else ""
    return f"{sign}{format_number(value, decimals)} pp"


def format_periods(labels: tuple[str, ...]) -> str:
    """Full years as a range when consecutive, then the interims.

    >>> format_periods(("FY2022", "FY2023", "9M2024", "FY2024", "9M2025"))
    'FY2022-FY2024, 9M2024, 9M2025'
    >>> format_periods(("FY2022", "FY2024"))
    'FY2022, FY2024'
    """
    years = [int(p[2:]) for p in labels if p.startswith("FY")]
    others = [p for p in labels if not p.startswith("FY")]
    consecutive = len(years) > 2 and years == list(range(years[0], years[0] + len(years)))
    shown = [f"FY{years[0]}-FY{years[-1]}"] if consecutive else [f"FY{y}" for y in years]
    return ", ".join(shown + others)


QUALIFIER_MARK = {"exact": "", "about": "~", "more_than": ">", "less_than": "<"}


def format_report(report: Report, unit: Unit | None = None) -> str:
    """A report's figure in ``unit`` (default its own), with its qualifier mark.

    Converting between scales keeps the precision the source wrote:
    5344 in USD 萬 is 53.44 in USD million.
    """
    if report.value is None or report.unit is None:
        return "not disclosed"
    target = unit or report.unit
    shift = round(math.log10(target.scale / report.unit.scale))
    value = report.value * report.unit.scale / target.scale
    return QUALIFIER_MARK[report.qualifier] + format_number(value, report.decimals + shift)


# --- Dispatch ---------------------------------------------------------------------

Writer = Callable[[Any, TextIO, int], None]
# (result type name, format) → writer. Types are named, not imported: the computed results
# live in modules that load pandas, which list, show and validate must not.
_WRITERS: dict[tuple[str, str], Writer] = {}


def _writer(kind: str, *formats: str) -> Callable[[Writer], Writer]:
    def register(fn: Writer) -> Writer:
        for fmt in formats:
            _WRITERS[(kind, fmt)] = fn
        return fn

    return register


def write(result: object, fmt: str, out: TextIO, width: int = 100, colour: bool = False) -> None:
    """Write a command's result in the chosen format: its registered writer, else JSON of
    its plain data, else CSV of its flat records. ``colour`` lets tables use colour; the
    caller decides (a terminal, no NO_COLOR, no --no-color), machine formats never do."""
    kind = type(result).__name__
    if kind == "Report":
        import minimetrics.render_report  # noqa: F401  (registers the report's writers)
    writer = _WRITERS.get((kind, str(fmt)))
    with _colour_allowed(colour):
        if writer is not None:
            writer(result, out, width)
        elif fmt == "json":
            write_json(plain(result), out)
        elif fmt == "csv":
            _records_csv(result, out)
        else:
            raise ValueError(f"no {fmt} output for {kind}")


# Whether the tables being written may use colour: set by ``write`` for one call, so the
# writers' signature stays (result, out, width).
_COLOUR: ContextVar[bool] = ContextVar("colour", default=False)


@contextmanager
def _colour_allowed(colour: bool) -> Iterator[None]:
    token = _COLOUR.set(colour)
    try:
        yield
    finally:
        _COLOUR.reset(token)


def console(out: TextIO, width: int, colour: bool | None = None) -> Console:
    """A Rich console writing to ``out`` at ``width``; colour as ``write`` was told (or ``colour``).

    Without colour it writes no escape code at all, bold and dim included, whatever
    the stream or the environment (FORCE_COLOR, TTY_COMPATIBLE) says. With colour it
    writes the 16 standard colours, also to a stream that is not a terminal (the
    caller has decided).
    """
    colour = _COLOUR.get() if colour is None else colour
    return Console(
        file=out,
        width=width,
        color_system="standard" if colour else None,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )


# Colour is used sparingly, for what needs attention, and always beside a sign, mark or word.
BAD = "red"  # a loss widening, revenue or a margin falling, runway under 12 months, a claim that fails
UNSURE = "yellow"  # sources of equal rank disagree (an unresolved conflict), a runway that cannot be computed
GOOD = "green"  # a claim that reproduces
RUNWAY_ALARM = 12.0  # months: the usual bar for a going-concern question


# --- Charts: pure functions from numbers to characters ------------------------------

SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"
MARK = "┆"


def sparkline(values: Sequence[float]) -> str:
    """One character a value, ▁ to █ in proportion to the largest (heights start at zero).

    A missing value (NaN) is "·", a negative one "-" and zero "_", so none of them
    passes for a small bar.

    >>> sparkline([3.46, 30.52, 79.04])
    '▁▃█'
    >>> sparkline([57.4, float("nan"), 312.4, 0, -12.0])
    '▁·█_-'
    >>> sparkline([])
    ''
    """
    top = max((v for v in values if math.isfinite(v) and v > 0), default=0.0)
    marks = []
    for value in values:
        if not math.isfinite(value):
            marks.append("·")
        elif value < 0:
            marks.append("-")
        elif value == 0:
            marks.append("_")
        else:
            marks.append(SPARKS[max(1, min(8, round(value / top * 8))) - 1])
    return "".join(marks)


def bar(value: float, maximum: float, width: int, mark: float | None = None) -> str:
    """A horizontal bar: ``maximum`` fills ``width`` characters, drawn to an eighth of one.

    ``mark`` puts a ┆ at that value when the bar stops short of it. A missing or
    negative value raises ValueError: show a word for it, never a zero bar.

    >>> bar(37.6, 40, 20)
    '██████████████████▊'
    >>> bar(8.7, 40, 20, mark=12)
    '████▍ ┆'
    >>> bar(0, 40, 10, mark=12)
    '   ┆'
    """
    if not (math.isfinite(value) and value >= 0 and maximum > 0 and width > 0):
        raise ValueError(f"no bar for {value} on a scale of {maximum}")
    full, part = divmod(round(min(value, maximum) / maximum * width * 8), 8)
    drawn = "█" * full + (EIGHTHS[part] if part else "")
    if mark is not None and 0 <= mark <= maximum:
        at = min(width - 1, round(mark / maximum * width))
        if at >= len(drawn):
            drawn = drawn.ljust(at) + MARK
    return drawn


# --- Tables that fit the width --------------------------------------------------------


def wrap_name(name: str, width: int) -> str:
    """An identifier in lines of at most ``width`` characters, broken after "_" or "/" or
    before "[" (a metric key, a span of dates).

    A piece longer than the width is cut where it must.

    >>> wrap_name("revenue_growth[ai_native_products]", 20)
    'revenue_growth\\n[ai_native_products]'
    >>> wrap_name("adjusted_net_margin_change", 20)
    'adjusted_net_margin_\\nchange'
    >>> wrap_name("rd_expense", 20)
    'rd_expense'
    >>> wrap_name("2022-01-01/2025-09-30", 12)
    '2022-01-01/\\n2025-09-30'
    """
    if len(name) <= width:
        return name
    lines: list[str] = []
    for part in re.split(r"(?=\[)", name):  # a segment starts on a line of its own
        lines.append("")
        for piece in re.split(r"(?<=[_/])", part):
            if lines[-1] and len(lines[-1]) + len(piece) > width:
                lines.append("")
            lines[-1] += piece
            while len(lines[-1]) > width:
                lines[-1:] = [lines[-1][:width], lines[-1][width:]]
    return "\n".join(lines)


Shape = Literal["whole", "name", "text"]


@dataclass(frozen=True)
class Column:
    """A table column and how it may give way at a narrow width.

    ``whole``: never broken (numbers, dates, ids, periods); ``name``: an identifier,
    broken by ``wrap_name``; ``text``: wrapped between words. Headers wrap between words.
    A ``firm`` column (and every name) gives way half as readily as the others.
    """

    header: str
    shape: Shape = "text"
    justify: Literal["left", "right"] = "left"
    firm: bool = False


Cell = str | Text
LONGEST_UNBROKEN = 20  # a word or name piece longer than this may be folded rather than widen its column


def _plain_text(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _widest(texts: Sequence[str], split: Callable[[str], list[str]] = str.splitlines) -> int:
    return max((cell_len(part) for text in texts for part in split(text)), default=0)


def _words(text: str) -> list[str]:
    """The pieces a text may not be broken inside: words between spaces, except that
    Chinese and Japanese break between any two characters.

    >>> _words("智譜和MiniMax,大模型 the two")
    ['智', '譜', '和', 'MiniMax,', '大', '模', '型', 'the', 'two']
    """
    return [piece for word in text.split() for piece in re.findall(r"[^\s\u2e80-\uffef]+|[\u2e80-\uffef]", word)]


def _name_pieces(name: str) -> list[str]:
    return re.split(r"(?<=[_/])|(?=\[)", name)


def table_widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> list[int]:
    """Column widths (content only) that fit ``width`` with the table as short as may be.

    Each column starts at its natural width. While the table is too wide, one column
    gives one character: the one that adds the fewest lines to the table (a firm
    column last, then the widest). No column goes below its longest unbroken piece (a
    number, a date, a word, a piece of a name) unless nothing else is left; a number,
    a date or an id is never broken.
    """
    available = width - _frame_width(len(columns))
    texts = [[column.header, *(_plain_text(row[i]) for row in rows)] for i, column in enumerate(columns)]
    natural, least = [], []
    for column, (header, *cells) in zip(columns, texts, strict=True):
        header_word = _widest([header], _header_words)
        if column.shape == "whole":
            least.append(max(_widest(cells), header_word))
        elif column.shape == "name":
            least.append(max(min(_widest(cells, _name_pieces), LONGEST_UNBROKEN), header_word))
        else:
            least.append(max(min(_widest(cells, _words), LONGEST_UNBROKEN), header_word))
        natural.append(max(_widest(cells), least[-1], cell_len(header)))
    folded = [w if c.shape == "whole" else min(w, 4) for w, c in zip(least, columns, strict=True)]
    counted: dict[tuple[int, int], list[int]] = {}

    def count(i: int, w: int) -> list[int]:
        """Lines per row (header first) of column ``i`` at width ``w``."""
        if (i, w) not in counted:
            header, *cells = texts[i]
            counted[(i, w)] = [len(_word_lines(header, w)), *(_line_count(c, columns[i].shape, w) for c in cells)]
        return counted[(i, w)]

    widths = natural[:]
    for floor in (least, folded):
        while sum(widths) > available:
            shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
            if not shrinkable:
                break
            now = [count(i, widths[i]) for i in range(len(widths))]
            # Per row, the tallest column and the tallest of the others, so that the height with
            # one column narrowed costs one pass over the rows (many columns: compare of 20).
            tallest = [_two_tallest([column[row] for column in now]) for row in range(len(now[0]))]

            def cost(j: int, tallest: list[tuple[int, int, int]] = tallest) -> tuple[int, bool, int, int]:
                """Fewest lines added to the table; then a column that is not firm; then the widest."""
                narrower = count(j, widths[j] - 1)
                height = sum(
                    max(second if first_at == j else first, lines)
                    for (first, first_at, second), lines in zip(tallest, narrower, strict=True)
                )
                return height, columns[j].firm, -widths[j], -j

            pick = min(shrinkable, key=cost)
            widths[pick] -= 1
    return widths


def _two_tallest(lines: list[int]) -> tuple[int, int, int]:
    """The largest line count, its column, and the largest among the other columns.

    >>> _two_tallest([1, 3, 2])
    (3, 1, 2)
    >>> _two_tallest([2])
    (2, 0, 0)
    """
    first_at = max(range(len(lines)), key=lambda i: (lines[i], -i))
    second = max((n for i, n in enumerate(lines) if i != first_at), default=0)
    return lines[first_at], first_at, second


def _line_count(text: str, shape: Shape, width: int) -> int:
    """How many lines ``text`` takes in a column ``width`` wide (as Rich wraps it)."""
    if shape == "whole":
        return max(1, len(text.splitlines()))
    if shape == "name":
        return sum(wrap_name(line, width).count("\n") + 1 for line in text.splitlines() or [""])
    total = 0
    for line in text.splitlines() or [""]:
        used = 0
        count = 1
        for word in line.split():
            size = cell_len(word)
            if used and used + 1 + size <= width:
                used += 1 + size
            elif used:
                count += 1
                used = size
            else:
                used = size
            if used > width:  # a word longer than the line folds
                count += (used - 1) // width
                used = (used - 1) % width + 1
        total += count
    return total


def _frame_width(count: int) -> int:
    """What a table takes besides its content: an edge each side, a rule between
    columns and a space of padding each side of every cell."""
    return 2 + (count - 1) + 2 * count


def fits(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int) -> bool:
    """Whether the table fits ``width`` without wrapping anything."""
    natural = [max(_widest([_plain_text(row[i]) for row in rows]), cell_len(c.header)) for i, c in enumerate(columns)]
    return sum(natural) + _frame_width(len(columns)) <= width


def grid(
    title: str | Text | None,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[int],
    show_header: bool = True,
) -> Table | Group:
    """A table with the house look and the given content widths (see ``table_widths``).

    A title wider than the table goes above it on its own, so that it wraps at the
    page's width rather than the table's."""
    heading = Text(title) if isinstance(title, str) else title
    above = heading is not None and cell_len(heading.plain) > sum(widths) + _frame_width(len(widths))
    table = Table(title=None if above else heading, title_justify="left", box=box.SIMPLE_HEAD, show_header=show_header)
    for column, w in zip(columns, widths, strict=True):
        header = Text(column.header)
        if cell_len(column.header) > w:
            header = Text("\n".join(_word_lines(column.header, w)))
        table.add_column(header, justify=column.justify, width=w, no_wrap=column.shape != "text", overflow="fold")
    for row in rows:
        cells = []
        for column, w, cell in zip(columns, widths, row, strict=True):
            text = cell if isinstance(cell, Text) else Text(cell)
            if column.shape == "name" and cell_len(text.plain) > w:
                text = Text(wrap_name(text.plain, w), style=text.style)
            cells.append(text)
        table.add_row(*cells)
    return Group(heading, table) if above and heading is not None else table


def _header_words(header: str) -> list[str]:
    """A header's words, a lone sign kept with the word before it ("minimax −" / "zhipu").

    >>> _header_words("minimax − zhipu")
    ['minimax −', 'zhipu']
    """
    words: list[str] = []
    for word in header.split():
        if words and len(word) == 1 and not word.isalnum():
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _word_lines(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in _header_words(text):
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def footnotes(items: Sequence[tuple[Cell, Cell]]) -> Table:
    """Marked notes with a hanging indent: the mark, then the text wrapped beside it."""
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True)
    notes.add_column(overflow="fold")
    for mark, text in items:
        notes.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in (mark, text)))
    return notes


def write_problems(problems: list[Problem] | tuple[Problem, ...], err: TextIO) -> None:
    """Problems as ``path:line:col: severity: message — hint`` lines."""
    for problem in problems:
        err.write(str(problem) + "\n")


def write_json(data: object, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2, allow_nan=False, default=str)
    out.write("\n")


# --- list -----------------------------------------------------------------------------


def _summary_dict(row: CompanySummary) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "native_name": row.native_name,
        "tickers": list(row.tickers),
        "currency": row.currency,
        "periods": list(row.periods),
        "facts": row.facts,
        "reports": row.reports,
        "conflicts": row.conflicts,
        "newest_source": row.newest_source.isoformat() if row.newest_source else None,
    }


@_writer("list", "json")
def _list_json(rows: list[CompanySummary], out: TextIO, width: int) -> None:
    write_json([_summary_dict(r) for r in rows], out)


@_writer("list", "csv")
def _list_csv(rows: list[CompanySummary], out: TextIO, width: int) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "id",
            "name",
            "native_name",
            "tickers",
            "currency",
            "periods",
            "facts",
            "reports",
            "conflicts",
            "newest_source",
        ]
    )
    for row in rows:
        d = _summary_dict(row)
        writer.writerow(
            [
                *(d[k] for k in ("id", "name", "native_name")),
                " ".join(row.tickers),
                row.currency,
                " ".join(row.periods),
                row.facts,
                row.reports,
                row.conflicts,
                d["newest_source"] or "",
            ]
        )


LIST_COLUMNS = (
    Column("id", "whole"),
    Column("ticker", "whole"),
    Column("cur.", "whole"),
    Column("periods"),
    Column("facts", "whole", "right"),
    Column("conflicts", "whole", "right"),
    Column("newest", "whole"),
)


@_writer("list", "table")
def _list_table(rows: list[CompanySummary], out: TextIO, width: int) -> None:
    cells: list[list[Cell]] = [
        [
            Text(row.id),
            Text("\n".join(row.tickers)),
            Text(row.currency),
            Text(
                format_periods(tuple(p for p in row.periods if p.startswith("FY")))
                + "\n"
                + ", ".join(p for p in row.periods if not p.startswith("FY"))
            ),
            str(row.facts),
            str(row.conflicts),
            row.newest_source.isoformat() if row.newest_source else "",
        ]
        for row in rows
    ]
    console(out, width).print(grid("Companies", LIST_COLUMNS, cells, table_widths(LIST_COLUMNS, cells, width)))


# --- show ------------------------------------------------------------------------------


def _unit_dict(unit: Unit | None) -> dict[str, Any]:
    if unit is None:
        return {"unit": None, "currency": None, "scale": None}
    return {"unit": unit.text, "currency": unit.currency, "scale": unit.scale}


def _report_dict(report: Report, preferred: bool) -> dict[str, Any]:
    return {
        "value": report.value,
        **_unit_dict(report.unit),
        "amount": report.amount,
        "disclosed": report.disclosed,
        "qualifier": report.qualifier,
        "basis": report.basis or None,
        "source": report.source,
        "preferred": preferred,
        "note": report.note or None,
        "preferred_because": report.preferred_because or None,
    }


def sheet_dict(sheet: FactSheet) -> dict[str, Any]:
    """The whole sheet as plain data: raw numbers with their units."""
    company = sheet.company
    return {
        "company": {
            "id": company.id,
            "name": company.name,
            "native_name": company.native_name,
            "legal_name": company.legal_name or None,
            "aliases": list(company.aliases),
            "tickers": list(company.tickers),
            "founded": company.founded,
            "listed": company.listed.isoformat() if company.listed else None,
            "currency": company.currency,
            "fiscal_year_end": company.fiscal_year_end,
            "segments": {s.id: s.name for s in company.segments},
        },
        "sources": {
            s.id: {
                "outlet": s.outlet,
                "title": s.title,
                "published": s.published.isoformat(),
                "url": s.url or None,
                "kind": s.kind,
                "rank": s.rank,
                "file": s.file or None,
                "note": s.note or None,
            }
            for s in sheet.sources
        },
        "facts": [
            {
                "metric": f.metric,
                "segment": f.segment or None,
                "period": f.period.label,
                "period_start": f.period.start.isoformat(),
                "period_end": f.period.end.isoformat(),
                "is_instant": f.period.is_instant,
                "conflict": f.conflict,
                "unresolved": f.unresolved,
                "resolution": f.resolution or None,
                "reports": [_report_dict(r, i == f.preferred) for i, r in enumerate(f.reports)],
            }
            for f in sheet.facts
        ],
    }


@_writer("FactSheet", "json")
def _sheet_json(sheet: FactSheet, out: TextIO, width: int) -> None:
    write_json(sheet_dict(sheet), out)


SHEET_CSV_COLUMNS = (
    "company",
    "metric",
    "segment",
    "period",
    "period_start",
    "period_end",
    "value",
    "unit",
    "currency",
    "amount",
    "disclosed",
    "qualifier",
    "basis",
    "source",
    "source_rank",
    "preferred",
    "conflict",
    "unresolved",
    "note",
    "preferred_because",
)


@_writer("FactSheet", "csv")
def _sheet_csv(sheet: FactSheet, out: TextIO, width: int) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SHEET_CSV_COLUMNS)
    for fact in sheet.facts:
        for i, report in enumerate(fact.reports):
            unit = report.unit
            writer.writerow(
                [
                    sheet.company.id,
                    fact.metric,
                    fact.segment,
                    fact.period.label,
                    fact.period.start.isoformat(),
                    fact.period.end.isoformat(),
                    "" if report.value is None else repr(report.value),
                    unit.text if unit else "",
                    (unit.currency or "") if unit else "",
                    "" if report.amount is None else repr(report.amount),
                    report.disclosed,
                    report.qualifier,
                    report.basis,
                    report.source,
                    sheet.source(report.source).rank,
                    i == fact.preferred,
                    fact.conflict,
                    fact.unresolved,
                    report.note,
                    report.preferred_because,
                ]
            )


def _row_unit(facts: list[Fact]) -> Unit | None:
    """The unit most of a row's preferred figures are written in."""
    units = [f.value.unit for f in facts if f.value.unit is not None]
    return Counter(units).most_common(1)[0][0] if units else None


@_writer("FactSheet", "table")
def _sheet_table(sheet: FactSheet, out: TextIO, width: int) -> None:
    con = console(out, width)
    company = sheet.company
    title = f"{company.name} {company.native_name} · {' '.join(company.tickers)} · reports in {company.currency}"
    con.print(Text(title, style="bold"))
    tags = {s.id: str(i) for i, s in enumerate(sheet.sources, 1)}
    named = [f for f in sheet.facts if not f.period.is_instant and "/" not in f.period.label]
    years = [f for f in named if f.period.label.startswith("FY")]
    interims = [f for f in named if not f.period.label.startswith("FY")]
    others = [f for f in sheet.facts if f.period.is_instant or "/" in f.period.label]
    for facts, heading in ((years, "Full years"), (interims, "Interim periods (each under its own label)")):
        if facts:
            con.print(_period_table(facts, tags, heading, width))
    if others:
        con.print(_dated_table(others, tags, width))
    conflicts = [f for f in sheet.facts if f.conflict]
    if conflicts:
        con.print(_conflict_table(conflicts, tags, sheet, width))
        for fact in (f for f in conflicts if f.resolution):
            con.print(Text(f"reviewed: {fact.key} {fact.period.label} — {fact.resolution}"))
    rows: list[list[Cell]] = [
        [f"[{tags[s.id]}]", Text(s.outlet), s.published.isoformat(), s.kind, str(s.rank), Text(s.title)]
        for s in sheet.sources
    ]
    con.print(grid("Sources: [n] in the tables", SOURCE_COLUMNS, rows, table_widths(SOURCE_COLUMNS, rows, width)))
    con.print(
        Text(
            "~ about, > more than, < less than; * sources disagree (see Conflicts); "
            "tie: a source of the preferred one's rank disagrees with it; "
            "reviewed: a reviewer chose the report shown (preferred_because).",
            style="dim",
        )
    )


SOURCE_COLUMNS = (
    Column("", "whole"),
    Column("outlet"),
    Column("published", "whole"),
    Column("kind", "name"),
    Column("rank", "whole"),
    Column("title"),
)


def _cell(fact: Fact, unit: Unit | None) -> Text:
    # Sources of equal rank that disagree: nothing in the data says which is right.
    return Text(format_report(fact.value, unit) + ("*" if fact.conflict else ""), UNSURE if fact.unresolved else "")


def _tags(facts: list[Fact], tags: dict[str, str]) -> Text:
    cited = sorted({tags[f.value.source] for f in facts}, key=int)
    return Text(",".join(cited))


def _unit_label(unit: Unit | None) -> str:
    return unit.text if unit is not None else ""


def _grouped(facts: list[Fact]) -> dict[tuple[str, str], list[Fact]]:
    """Facts by (key, currency), so a row never mixes currencies."""
    rows: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        currency = (fact.value.unit.currency or "") if fact.value.unit else ""
        rows.setdefault((fact.key, currency), []).append(fact)
    return rows


def _period_table(facts: list[Fact], tags: dict[str, str], heading: str, width: int) -> Table | Group:
    periods = sorted({f.period for f in facts}, key=lambda p: (p.end, -p.months))
    columns = [
        Column("metric", "name"),
        Column("unit"),
        *(Column(p.label, "whole", "right") for p in periods),
        Column("src", "whole"),
    ]
    rows: list[list[Cell]] = []
    for (key, _), row in _grouped(facts).items():
        unit = _row_unit(row)
        cells = {f.period.label: _cell(f, unit) for f in row}
        rows.append(
            [Text(key), Text(_unit_label(unit)), *(cells.get(p.label, Text("")) for p in periods), _tags(row, tags)]
        )
    return grid(heading, columns, rows, table_widths(columns, rows, width))


DATED_COLUMNS = (
    Column("metric", "name"),
    Column("date or span", "name"),
    Column("value", "whole", "right"),
    Column("unit"),
    Column("src", "whole"),
)


def _dated_table(facts: list[Fact], tags: dict[str, str], width: int) -> Table | Group:
    rows: list[list[Cell]] = [
        [Text(fact.key), fact.period.label, _cell(fact, None), Text(_unit_label(fact.value.unit)), _tags([fact], tags)]
        for fact in sorted(facts, key=lambda f: (f.key, f.period.end))
    ]
    return grid(
        "Balances, prices, events and other spans", DATED_COLUMNS, rows, table_widths(DATED_COLUMNS, rows, width)
    )


CONFLICT_COLUMNS = (
    Column("metric", "name"),
    Column("period", "whole"),
    Column("value", "whole", "right"),
    Column("unit"),
    Column("src", "whole"),
    Column("rank", "whole"),
    Column("status"),
)


def _conflict_table(facts: list[Fact], tags: dict[str, str], sheet: FactSheet, width: int) -> Table | Group:
    rows: list[list[Cell]] = []
    for fact in facts:
        for i, report in enumerate(fact.reports):
            preferred = i == fact.preferred
            status = ""
            if preferred:
                status = (
                    "preferred (tie)" if fact.unresolved else "preferred (reviewed)" if fact.resolution else "preferred"
                )
            rows.append(
                [
                    Text(fact.key) if i == 0 else "",
                    fact.period.label if i == 0 else "",
                    Text(format_report(report)),
                    Text(_unit_label(report.unit)),
                    f"[{tags[report.source]}]",
                    str(sheet.source(report.source).rank),
                    Text(status, UNSURE if fact.unresolved else ""),
                ]
            )
    return grid(
        "Conflicts between sources (every report kept)",
        CONFLICT_COLUMNS,
        rows,
        table_widths(CONFLICT_COLUMNS, rows, width),
    )


# --- Computed results: compare, growth, margins, runway, explain ------------------------
# Imported here, not at the top, so that list/show/validate never load pandas.


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class DocumentFormat(StrEnum):
    """Formats of the full report (`minimetrics report`)."""

    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


def plain(value: Any) -> Any:
    """Dataclasses, frames, dates and NaN as JSON-ready data (NaN becomes null).

    Fields marked ``metadata={"table_only": True}`` are left out."""
    import dataclasses

    import pandas as pd

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A field marked table_only (the series behind a chart) stays out of machine formats.
        fields = [f for f in dataclasses.fields(value) if not f.metadata.get("table_only")]
        return {f.name: plain(getattr(value, f.name)) for f in fields}
    if isinstance(value, pd.DataFrame):
        return [plain(record) for record in value.to_dict("records")]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if pd.isna(value):
        return None
    return str(value)


def _records(result: object) -> tuple[list[str], list[list[Any]]]:
    """Flat rows for CSV: one per figure (inputs joined into one column)."""
    name = type(result).__name__
    if name == "Comparison":
        header = [
            "section",
            "label",
            "unit",
            "company",
            "period",
            "value",
            "status",
            "note",
            "difference",
            "difference_unit",
            "leader",
        ]
        rows = [
            [
                r.section,
                r.label,
                r.unit,
                c.company,
                c.period,
                c.value,
                c.status,
                c.note,
                r.difference,
                r.difference_unit,
                r.leader,
            ]
            for r in result.rows  # type: ignore[attr-defined]
            for c in r.cells
        ]
        return header, rows
    if name == "ClaimsTable":
        records = plain(result)["claims"]
        header = list(records[0]) if records else ["company", "claim"]
        return header, [[record[k] for k in header] for record in records]
    if name == "Explanation":
        data = plain(result)
        header = [
            "company",
            "figure",
            "period",
            "value",
            "unit",
            "status",
            "label",
            "formula",
            "input",
            "input_period",
            "input_amount",
            "input_currency",
            "input_source",
        ]
        return header, [
            [data[k] for k in header[:8]] + [i["key"], i["period"], i["amount"], i["currency"], i["source"]]
            for i in data["inputs"]
        ] or [[data[k] for k in header[:8]] + [""] * 5]
    frame = result.frame  # type: ignore[attr-defined]
    header = [c for c in frame.columns if c != "inputs"] + ["inputs"]
    rows = []
    for record in frame.to_dict("records"):
        inputs = "; ".join(f"{i.key} {i.period} {i.amount!r} {i.currency} [{i.source}]" for i in record["inputs"])
        rows.append([record[c] for c in header[:-1]] + [inputs])
    return header, rows


def _records_csv(result: object, out: TextIO) -> None:
    header, rows = _records(result)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                "" if isinstance(v, float) and not math.isfinite(v) else v
                for v in (plain(x) if isinstance(x, date) else x for x in row)
            ]
        )


def format_value(value: float, unit: str, status: str = "ok") -> str:
    """A computed figure with its unit: percent, pp, months, times, or money (millions when large).

    >>> format_value(30_520_000, "USD")
    '30.5m USD'
    >>> format_value(167_550.6, "USD")
    '167,551 USD'
    >>> format_value(782.08, "percent")
    '782.1%'
    >>> format_value(-10.23, "pp")
    '-10.2 pp'
    >>> format_value(173.04, "times")
    '173.0×'
    >>> format_value(float("nan"), "percent", "n/m")
    'n/m'
    """
    if status != "ok" or not math.isfinite(value):
        return {"ok": "–", "not burning": "not burning"}.get(status, status)
    if unit == "percent":
        return format_percent(value)
    if unit == "pp":
        return format_pp(value)
    if unit == "months":
        return format_number(value, 1)
    if unit == "times":
        return format_number(value, 1) + "×"
    if abs(value) >= 1e6:
        return f"{format_number(value / 1e6, 1)}m {unit}"
    return f"{format_number(value, 2 if abs(value) < 100 else 0)} {unit}"


def format_millions(value: float, status: str = "ok") -> str:
    """Money in a column headed "USD million".

    >>> format_millions(43_865_930.9)
    '43.9'
    """
    return format_number(value / 1e6, 1) if status == "ok" and math.isfinite(value) else status


def _unit_header(unit: str) -> str:
    return {"percent": "%", "pp": "pp", "months": "months", "date": ""}.get(unit, f"{unit} million")


def _compare_lines(result: Any) -> tuple[list[str], list[tuple[str, list[list[str]]]], list[str], list[str]]:
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
            if row.unit == "date":
                text = cell.period
            elif row.unit in ("percent", "months", "times", "own currency"):
                text = format_value(cell.value, cell.unit or row.unit, cell.status)
            else:
                text = format_millions(cell.value, cell.status)
            if row.unit != "date" and cell.period and cell.period not in row.section:
                text += f" ({cell.period})"
            if cell.status != "ok" or (cell.note.startswith("converted") and row.unit not in ("percent", "months")):
                notes.append(f"{cell.company} {row.label.lower()}: {cell.note}")
                text += f" [{len(notes)}]"
            cells.append(text)
        difference = ""
        if math.isfinite(row.difference):
            unit = row.difference_unit or row.unit
            difference = (
                format_value(row.difference, unit) if unit in ("pp", "months") else format_millions(row.difference)
            )
        plain_units = ("percent", "months", "date", "times", "own currency")
        label = row.label if row.unit in plain_units else f"{row.label} ({_unit_header(row.unit)})"
        sections[-1][1].append([label, *cells, difference, row.leader])
    conflicts = [
        f"{c.company} {c.key} {c.period}: "
        + " vs ".join(
            f"{QUALIFIER_MARK.get(v.qualifier, '')}{v.value:g} {v.unit}{' (shown)' if v.shown else ''} [{v.source}, rank {v.rank}]"
            for v in c.versions
        )
        for c in result.conflicts
    ]
    return header, sections, notes, conflicts


def _compare_tones(result: Any) -> list[list[str]]:
    """A style for each company's cell of each row: red for a runway under 12 months or
    revenue that shrank, yellow for a runway that cannot be computed."""
    tones = []
    for row in result.rows:
        styles = []
        for cell in row.cells:
            ok = cell.status == "ok" and math.isfinite(cell.value)
            if row.unit == "months":
                styles.append(BAD if ok and cell.value < RUNWAY_ALARM else "" if ok else UNSURE)
            elif row.label.startswith("Revenue growth"):
                styles.append(BAD if ok and cell.value < 0 else "")
            else:
                styles.append("")
        tones.append(styles)
    return tones


@_writer("Comparison", "table")
def _compare_table(result: Any, out: TextIO, width: int) -> None:
    con = console(out, width)
    header, sections, notes, conflicts = _compare_lines(result)
    aligned = f"full years aligned on {result.year}" if result.year else "no full year in common"
    con.print(Text(f"{' vs '.join(result.companies)} · money in {result.currency} · {aligned}", style="bold"))
    columns = [
        Column(header[0], firm=True),
        *(Column(name, "text", "right") for name in header[1:-2]),
        Column(header[-2], "whole", "right"),
        Column(header[-1], "whole"),
    ]
    tones = iter(_compare_tones(result))
    for title, rows in sections:
        styled: list[list[Cell]] = [
            [row[0], *(Text(v, s) for v, s in zip(row[1:-2], next(tones), strict=True)), *row[-2:]] for row in rows
        ]
        # A section that compares nothing (each under its own label) has no difference to show.
        keep = len(columns) if any(row[-2] or row[-1] for row in rows) else len(columns) - 2
        shown, styled = columns[:keep], [row[:keep] for row in styled]
        con.print(grid(title, shown, styled, table_widths(shown, styled, width)))
    con.print(footnotes([(f"[{i}]", note) for i, note in enumerate(notes, 1)]))
    if conflicts:
        con.print(Text("Conflicts between sources behind these figures:", style="bold"))
        con.print(footnotes([("-", line) for line in conflicts]))
    con.print()
    for chart in _trend_chart(result.trends, width):
        con.print(chart)
    months = next((row for row in result.rows if row.unit == "months"), None)
    if months is not None:
        items = [(c.company, c.value, c.status) for c in months.cells]
        con.print(_runway_chart(items, width, "Months of cash left (default basis), to scale"))
    con.print(
        Text(
            "Any figure: minimetrics explain COMPANY FIGURE PERIOD (e.g. explain zhipu revenue_growth FY2024).",
            style="dim",
        )
    )


# --- Charts in tables -------------------------------------------------------------------

KIND_NAMES = {
    "FY": "full year",
    "9M": "first nine months",
    "H1": "first half",
    "H2": "second half",
    "Q1": "first quarter",
    "Q2": "second quarter",
    "Q3": "third quarter",
    "Q4": "fourth quarter",
}


def _trend_chart(trends: Sequence[Any], width: int) -> list[Table | Group | Text]:
    """Reported figures by fiscal year, like periods in a row, with a sparkline of the row.

    At a narrow width the oldest years give up their columns first (the sparkline
    keeps them) and the legend says so.
    """
    if not trends:
        return []
    first, last = min(t.points[0][0] for t in trends), max(t.points[-1][0] for t in trends)
    years = list(range(first, last + 1))
    metrics = list(dict.fromkeys(t.metric for t in trends))
    shown = years[:]
    while True:
        columns = [
            Column("company", "whole"),
            Column("figure", "whole"),
            Column("unit", "whole"),
            *(Column(str(y), "whole", "right") for y in shown),
            Column("", "whole"),
        ]
        rows = [_trend_row(t, years, shown) for t in trends]
        if fits(columns, rows, width) or len(shown) == 1:
            break
        shown = shown[1:]
    title = f"{' and '.join(metrics)} by fiscal year (millions, each company's own currency)"
    kinds = ", ".join(f"{k} {KIND_NAMES[k]}" for k in dict.fromkeys(t.kind for t in trends))
    legend = (
        f"A row holds like periods only ({kinds}). The last column draws the row: ▁ to █ in "
        "proportion to its largest figure, · no figure (–), - a negative one."
    )
    if shown != years:
        legend += f" Too narrow for every year: {years[0]}-{shown[0] - 1} are in the drawing only."
    return [grid(title, columns, rows, table_widths(columns, rows, width)), Text(legend + "\n", style="dim")]


def _trend_row(trend: Any, years: list[int], shown: list[int]) -> list[Cell]:
    """A series' figures under the chart's years: "–" where it has none, "n.d." where the
    source says the company does not disclose it."""
    amounts = {year: trend.get(year) for year in years}
    cells: list[Cell] = [trend.company, f"{trend.metric} {trend.kind}", f"{trend.currency} m"]
    for year in shown:
        amount = amounts[year]
        cells.append("–" if amount is None else format_number(amount / 1e6, 1) if math.isfinite(amount) else "n.d.")
    cells.append(sparkline([math.nan if a is None else a for a in amounts.values()]))
    return cells


def _runway_chart(items: Sequence[tuple[str, float, str]], width: int, title: str) -> Table | Group:
    """Months of cash left as bars to one scale, the number beside each; a runway that
    cannot be drawn (not burning, no rate) is a word, never an empty bar."""
    drawable = [status == "ok" and math.isfinite(months) and months >= 0 for _, months, status in items]
    maximum = max([RUNWAY_ALARM] + [months for (_, months, _), ok in zip(items, drawable, strict=True) if ok])
    columns = [Column(""), Column("", "whole", "right"), Column("")]
    labels = [label for label, _, _ in items]
    numbers = [format_number(months, 1) if ok else "" for (_, months, _), ok in zip(items, drawable, strict=True)]
    number_width = max(1, _widest(numbers))
    room = width - _frame_width(3) - number_width
    label_width = min(_widest(labels), max(12, room - 20))  # at least 20 characters of bar
    bar_width = max(10, min(60, room - label_width))  # wider bars say no more
    rows: list[list[Cell]] = []
    for (label, months, status), number in zip(items, numbers, strict=True):
        if number:
            tone = BAD if months < RUNWAY_ALARM else ""
            drawn = bar(months, maximum, bar_width, mark=RUNWAY_ALARM)
            rows.append([label, Text(number, tone), Text(drawn, tone)])
        else:
            rows.append([label, "", Text(status, "" if status in ("not burning", "never runs out") else UNSURE)])
    return grid(
        f"{title} ({MARK} marks {RUNWAY_ALARM:g} months)",
        columns,
        rows,
        [label_width, number_width, bar_width],
        show_header=False,
    )


def _markdown_table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    def clean(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    align = ["---:" if i in (right or set()) else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(clean(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(clean(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


@_writer("Comparison", "markdown")
def _compare_markdown(result: Any, out: TextIO, width: int) -> None:
    header, sections, notes, conflicts = _compare_lines(result)
    aligned = f"full years aligned on {result.year}" if result.year else "no full year in common"
    out.write(f"## {' vs '.join(result.companies)}\n\nMoney in {result.currency}; {aligned}.\n\n")
    right = set(range(1, len(header) - 1))
    for title, rows in sections:
        out.write(f"### {title}\n\n" + _markdown_table(header, rows, right) + "\n")
    for i, note in enumerate(notes, 1):
        out.write(f"{i}. {note}\n")
    if conflicts:
        out.write(
            "\n**Conflicts between sources behind these figures**\n\n" + "".join(f"- {line}\n" for line in conflicts)
        )


def _figure_rows(frame: Any) -> list[list[str]]:
    rows = []
    for r in frame.itertuples():
        name = f"{r.figure}[{r.segment}]" if r.segment else r.figure
        rows.append([r.company, name, r.period, format_value(r.value, r.unit, r.status), r.note or r.label])
    return rows


FIGURE_HEADER = ["company", "figure", "period", "value", "how"]


FIGURE_COLUMNS = (
    Column("company", "whole"),
    Column("figure", "name"),
    Column("period"),
    Column("value", "whole", "right"),
    Column("how"),
)


def _figure_tone(figure: str, value: float, status: str, how: str) -> str:
    """Red for what is getting worse: a loss widening, revenue shrinking, a margin falling."""
    if status != "ok" or not math.isfinite(value):
        return ""
    if "loss widening" in how:
        return BAD
    if value < 0 and figure.startswith("revenue_") and figure.endswith(("_growth", "_cagr")):
        return BAD
    if value < 0 and figure.endswith("margin_change"):
        return BAD
    return ""


@_writer("FigureTable", "table")
def _figures_table(result: Any, out: TextIO, width: int) -> None:
    rows: list[list[Cell]] = []
    for (company, name, period, value, how), r in zip(
        _figure_rows(result.frame), result.frame.itertuples(), strict=True
    ):
        rows.append([company, name, period, Text(value, _figure_tone(r.figure, r.value, r.status, how)), how])
    con = console(out, width)
    con.print(grid(result.title, FIGURE_COLUMNS, rows, table_widths(FIGURE_COLUMNS, rows, width)))
    for chart in _trend_chart(result.trends, width):
        con.print(chart)


@_writer("FigureTable", "markdown")
def _figures_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write(f"### {result.title}\n\n" + _markdown_table(FIGURE_HEADER, _figure_rows(result.frame), {3}))


RUNWAY_HEADER = ["company", "months", "runs out", "cash (date)", "burn a month (period)", "basis"]


def _runway_rows(frame: Any, notes: list[str] | None = None) -> list[list[str]]:
    """Runway rows as text. With ``notes``, the flags (a missing rate, a cash date far from
    the burn period) go there and the basis cites them as [n]; without, they stay inline."""
    rows = []
    for r in frame.itertuples():
        months = format_value(r.months, "months", r.status)
        cash = f"{format_number(r.cash / 1e6, 1)} {r.currency}m ({r.cash_date})"
        if math.isfinite(r.ipo):
            cash += f" + IPO {format_number(r.ipo / 1e6, 1)}"
        burn = f"{format_number(r.burn / 1e6, 2)} {r.currency}m ({r.burn_period})"
        basis = _runway_basis(r)
        if r.flags and notes is not None:
            if r.flags not in notes:
                notes.append(r.flags)
            basis += f" [{notes.index(r.flags) + 1}]"
        elif r.flags:
            basis += f"; {r.flags}"
        rows.append([r.company, months, str(r.runs_out or ""), cash, burn, basis])
    return rows


def _runway_basis(r: Any) -> str:
    basis = f"{r.burn_basis} / {r.cash_basis}{' + ipo' if r.with_ipo else ''}"
    if r.monthly_growth:
        basis += f", burn {r.monthly_growth:+g}%/month"
    return basis


RUNWAY_COLUMNS = (
    Column("company", "whole"),
    Column("months", "whole", "right"),
    Column("runs out", "whole"),
    Column("cash (date)"),
    Column("burn a month (period)"),
    Column("basis"),
)


@_writer("RunwayTable", "table")
def _runway_table(result: Any, out: TextIO, width: int) -> None:
    title = "Cash runway, every basis the data supports" if result.detail else "Cash runway, longest first"
    notes: list[str] = []
    rows: list[list[Cell]] = []
    items = []
    for row, r in zip(_runway_rows(result.frame, notes), result.frame.itertuples(), strict=True):
        ok = r.status == "ok" and math.isfinite(r.months)
        tone = (BAD if r.months < RUNWAY_ALARM else "") if ok else ("" if r.status == "not burning" else UNSURE)
        rows.append([row[0], Text(row[1], tone), *row[2:]])
        items.append((f"{r.company} {_runway_basis(r)}" if result.detail else r.company, r.months, r.status))
    con = console(out, width)
    con.print(grid(title, RUNWAY_COLUMNS, rows, table_widths(RUNWAY_COLUMNS, rows, width)))
    if notes:
        con.print(footnotes([(f"[{i}]", note) for i, note in enumerate(notes, 1)]))
        con.print()
    con.print(_runway_chart(items, width, "Months of cash left, to scale"))
    con.print(
        Text(
            "Bases: stated = the company's stated monthly burn; operating = operating cash outflow; "
            "adjusted_loss / net_loss = loss per month, a proxy. liquid = cash plus liquid financial assets.",
            style="dim",
        )
    )


@_writer("RunwayTable", "markdown")
def _runway_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write("### Cash runway\n\n" + _markdown_table(RUNWAY_HEADER, _runway_rows(result.frame), {1}))


def _explain_lines(result: Any) -> list[str]:
    value = format_value(result.value, result.unit, result.status)
    unit = " months" if result.unit == "months" else ""
    lines = [
        f"{result.company} {result.figure} {result.period} = {value}{unit} ({result.label})",
        f"formula: {result.formula}",
        "inputs:",
    ]
    for i in result.inputs:
        amount = f"{i.amount:,.6g}" if i.unit == "rate" or i.currency == "" else f"{i.amount:,.0f} {i.currency}"
        written = f" (written {i.unit})" if i.unit and i.unit != "rate" else ""
        lines.append(f"  {i.key} {i.period}: {amount}{written} [{i.source}]" + (f" — {i.note}" if i.note else ""))
    if result.note:
        lines.append(f"note: {result.note}")
    lines.append("sources:")
    for s in result.sources:
        lines.append(f"  {s.id}: {s.outlet}, “{s.title}”, {s.published}" + (f", {s.url}" if s.url else ""))
    return lines


@_writer("Explanation", "markdown")
def _explain_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write("\n".join(_explain_lines(result)) + "\n")


@_writer("Explanation", "table")
def _explain_text(result: Any, out: TextIO, width: int) -> None:
    """The same lines, each wrapped to the width with its continuation indented."""
    out.write("".join(line + "\n" for text in _explain_lines(result) for line in hang(text, width)))


def hang(text: str, width: int, indent: int = 4) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words; the lines after
    the first are indented ``indent`` more than it. A word longer than a line stays whole.

    >>> hang("  revenue FY2024: 312,400,000 RMB [bohu_20260112]", 30)
    ['  revenue FY2024: 312,400,000', '      RMB [bohu_20260112]']
    """
    lead = text[: len(text) - len(text.lstrip(" "))]
    lines = [lead]
    for word in text.split():
        if lines[-1].strip() and cell_len(lines[-1]) + 1 + cell_len(word) > width:
            lines.append(lead + " " * indent)
        lines[-1] += (" " if lines[-1].strip() else "") + word
    return lines


CLAIMS_HEADER = ["company", "claim", "stated", "source", "computed", "verdict", "how"]


VERDICT_ORDER = {"does not reproduce": 0, "reproduces": 1, "cannot be checked": 2}


def _claim_rows(result: Any) -> list[list[str]]:
    """Checkable claims, those that do not reproduce first (the rest are in JSON and CSV)."""
    rows = []
    checked = [c for c in result.claims if c.verdict != "cannot be checked"]
    for c in sorted(checked, key=lambda c: VERDICT_ORDER[c.verdict]):
        unit = "%" if c.unit == "percent" else f" {c.unit}"
        stated = f"{QUALIFIER_MARK.get(c.qualifier, '')}{c.stated:g}{unit}"
        computed = "" if not math.isfinite(c.computed) else f"{c.computed:,.2f}{unit}"
        rows.append([c.company, c.claim, stated, c.source, computed, c.verdict, c.assumption])
    return rows


@_writer("ClaimsTable", "table")
def _claims_table(result: Any, out: TextIO, width: int) -> None:
    con = console(out, width)
    con.print(Text("Claims in the sources, checked against the data", style="bold"))
    marks = {"does not reproduce": ("✗", BAD), "reproduces": ("✓", GOOD)}
    items = []
    for company, claim, stated, source, computed, verdict, how in _claim_rows(result):
        line = f"{company} {claim}: stated {stated} [{source}]"
        line += f", data give {computed}" if computed else ""
        mark, tone = marks[verdict]
        items.append((Text(mark, tone), Text.assemble(f"{line} — ", (verdict, tone), "\n", (f"  {how}", "dim"))))
    con.print(footnotes(items))
    counts = Counter(c.verdict for c in result.claims)
    summary = ", ".join(f"{counts[v]} {v}" for v in VERDICT_ORDER if counts[v])
    con.print(Text(summary + "; the claims that cannot be checked are listed by --format json and csv.", style="dim"))


@_writer("ClaimsTable", "markdown")
def _claims_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write(
        "### Claims in the sources, checked against the data\n\n"
        + _markdown_table(CLAIMS_HEADER, _claim_rows(result), {2, 4})
    )


def write_gate(short: list[Any], bound: float, err: TextIO) -> None:
    """The runway gate's verdict, one line a failing company, on stderr."""
    for item in short:
        if item.status == "ok":
            err.write(f"runway below {bound:g} months: {item.company} has {item.months:.1f}\n")
        else:
            err.write(f"runway unknown, so below {bound:g} months: {item.company} ({item.status})\n")
    if not short:
        err.write(f"every runway is at least {bound:g} months\n")


# --- progress ---------------------------------------------------------------------------

PROGRESS_FROM = 50  # files: fewer load in well under a second, and a bar would only flicker


class LoadProgress:
    """A progress bar on ``err`` while many sheets load, as a ``load_data(progress=...)`` callback.

    Shown only past ``PROGRESS_FROM`` files, only when ``err`` is a terminal and not under CI,
    and gone when the loading is done (the bar is transient): pipes and logs never see it.
    """

    def __init__(self, err: TextIO, label: str = "Reading fact sheets", shown: bool = True) -> None:
        self.err, self.label = err, label
        self.bar: Any = None
        self.task: Any = None
        # Not under --quiet (shown=False), not in CI, not into a pipe or a log file.
        self.wanted = shown and err.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.wanted or total <= PROGRESS_FROM:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.err, stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
