"""The terminal: Rich tables and text charts, colour, the progress bar, messages on stderr.

Tables fit the width they are given: numbers, dates and ids are never broken,
identifiers break after "_" or before "[", prose wraps between words, and long
notes go below a table as numbered footnotes. Every piece of fact-sheet text is
passed to Rich as ``Text``, so markup in it is shown literally, and made ``visible``
first, so that no escape code, bidi override or line break in it acts on the terminal
(``grid`` and ``footnotes`` check every cell again, whoever built it). Colour is off unless
the caller asks for it, and never carries meaning alone: every coloured figure keeps
its sign, mark or word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Literal, TextIO, TypeVar

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from minimetrics.factsheet import Fact, FactSheet
from minimetrics.registry import SCALES, Family, Unit, parse_unit
from minimetrics.render.escape import visible
from minimetrics.render.layout import (
    MARK,
    Column,
    TextCell,
    bar,
    cell_width,
    column_groups,
    fits,
    frame_width,
    hang,
    sparkline,
    table_widths,
    widest,
    word_lines,
    wrap_name,
)
from minimetrics.render.numbers import format_fixed, format_number, format_periods, format_report, format_short
from minimetrics.render.rows import (
    GRID_LEGEND,
    RUNWAY_HEADER,
    aligned,
    breakeven_notes,
    breakeven_rows,
    breakeven_title,
    change_rows,
    changes_summary,
    changes_title,
    claim_rows,
    comparison_lines,
    explain_lines,
    figure_rows,
    grid_empty,
    grid_rows,
    grid_title,
    ordered_claims,
    runway_basis,
    runway_header,
    runway_rows,
    verdict_counts,
)
from minimetrics.results import (
    Breakeven,
    BreakevenGridTable,
    BreakevenTable,
    Changes,
    ClaimsTable,
    CompanySummary,
    Comparison,
    Direction,
    Explanation,
    Figure,
    FigureTable,
    ImportPlan,
    Measure,
    RunwayTable,
    ShortRunway,
    Status,
    Trend,
    Verdict,
    Viability,
    Written,
)

if TYPE_CHECKING:
    pass

# Whether the tables being written may use colour: set by ``render.write`` for one call, so
# the writers' signature stays (result, out, width).
_COLOUR: ContextVar[bool] = ContextVar("colour", default=False)


@contextmanager
def colour_allowed(colour: bool) -> Iterator[None]:
    """Let the tables written inside the ``with`` use colour, or not."""
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
        file=_Trimmed(out),  # type: ignore[arg-type]  # a text stream in all that Rich uses
        width=width,
        color_system="standard" if colour else None,
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )


# Rich pads every cell and heading to the table's width: spaces at a line's end (before
# any closing colour code) are noise in a pipe, a diff or a CI log, so they go.
_TRAILING = re.compile(r"(?: |\x1b\[[0-9;]*m)+$")
_CODE = re.compile(r"\x1b\[[0-9;]*m")


def _trim(line: str) -> str:
    """A line without its trailing spaces; colour codes among them stay, in order."""
    if "\x1b" not in line:
        return line.rstrip(" ")
    end = _TRAILING.search(line)
    return line if end is None else line[: end.start()] + "".join(_CODE.findall(end.group()))


class _Trimmed:
    """A text stream that passes what it is given on with each line's trailing spaces cut.

    A line is held until its end arrives; ``flush`` passes a part line on as it is."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._part = ""

    def write(self, text: str) -> int:
        *lines, self._part = (self._part + text).split("\n")
        if lines:
            self._out.write("".join(_trim(line) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        if self._part:
            self._out.write(self._part)
            self._part = ""
        self._out.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self._out, name)


# Colour is used sparingly, for what needs attention, and always beside a sign, mark or word.
BAD = "red"  # a loss widening, revenue or a margin falling, runway under 12 months, a claim that fails
UNSURE = "yellow"  # sources of equal rank disagree (an unresolved conflict), a runway that cannot be computed
GOOD = "green"  # a claim that reproduces
RUNWAY_ALARM = 12.0  # months: the usual bar for a going-concern question


# --- Tables ----------------------------------------------------------------------------


def _text(text: str, style: str = "") -> Text:
    """Text from a sheet (or a row made of it) for Rich: every character that would act spelled out."""
    return Text(visible(text), style)


def _safe(cell: TextCell) -> Text:
    """A cell as Rich text that cannot act on the terminal. A string is text from a sheet or
    a row: all of it made visible. A ``Text`` was built by a writer, which may have broken it
    into lines itself: those stay, anything else that acts is spelled out (losing the inner
    styles of such a rare cell, never its characters)."""
    if not isinstance(cell, Text):
        return _text(cell)
    shown = visible(cell.plain, keep_newlines=True)
    return cell if shown == cell.plain else Text(shown, cell.style)


# A table of this many rows or more is drawn by ``_PlainTable`` (the same bytes as Rich's Table,
# without Rich's per-cell measuring and layout: 1,000 runway rows took about 0.5 s); a shorter one
# by Rich, unless it is wider than the console (``PLAIN_SQUEEZED``). Tests set it to 0 and to a
# large number and compare the bytes.
PLAIN_FROM = 100
# A table wider than the console, which Rich's Table squeezes column by column, is drawn by
# ``_PlainTable`` at the widths Rich would squeeze it to (``squeezed``), however short: compare of
# 20 companies at 80 columns, four such tables, took 0.12 s in Rich. Tests turn it off to have
# Rich's bytes to compare with.
PLAIN_SQUEEZED = True


def grid(
    title: str | Text | None,
    columns: Sequence[Column],
    rows: Sequence[Sequence[TextCell]],
    widths: Sequence[int],
    show_header: bool = True,
) -> Table | Group:
    """A table with the house look and the given content widths (see ``table_widths``).

    A title wider than the table goes above it on its own, so that it wraps at the
    page's width rather than the table's. A long table (``PLAIN_FROM`` rows) is drawn
    by ``_PlainTable``, character for character as Rich's Table would draw it."""
    heading = None if title is None else _safe(title)
    above = heading is not None and cell_len(heading.plain) > sum(widths) + frame_width(len(widths))
    headers = []
    for column, w in zip(columns, widths, strict=True):
        header = _text(column.header)
        if cell_len(header.plain) > w:
            header = Text("\n".join(word_lines(header.plain, w)))
        headers.append(header)
    # A cell that is a string stays one, made visible (a ``Text`` of it without a style, for the
    # plain writer without building one); a ``Text`` is made safe.
    body: list[list[Shown]] = []
    for row in rows:
        cells: list[Shown] = []
        for column, w, cell in zip(columns, widths, row, strict=True):
            text = visible(cell) if isinstance(cell, str) else _safe(cell)
            if column.shape == "name":
                plain = text if isinstance(text, str) else text.plain
                if cell_width(plain) > w:
                    text = wrap_name(plain, w) if isinstance(text, str) else Text(wrap_name(plain, w), style=text.style)
            cells.append(text)
        body.append(cells)
    if len(rows) >= PLAIN_FROM or PLAIN_SQUEEZED:
        plain_table = _PlainTable(
            None if above else heading, columns, headers, body, widths, show_header, len(rows) < PLAIN_FROM
        )
        return Group(heading, plain_table) if above and heading is not None else Group(plain_table)
    table = _rich_table(None if above else heading, columns, headers, body, widths, show_header)
    return Group(heading, table) if above and heading is not None else table


Shown = str | Text  # a cell ready to draw: a string is text without a style, already made visible


def _rich_table(
    title: Text | None,
    columns: Sequence[Column],
    headers: list[Text],
    rows: list[list[Shown]],
    widths: Sequence[int],
    show_header: bool,
) -> Table:
    """The table drawn by Rich's Table (a string cell as ``Text``: Rich would read markup in a string)."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_header=show_header)
    for column, w, header in zip(columns, widths, headers, strict=True):
        table.add_column(header, justify=column.justify, width=w, no_wrap=column.shape != "text", overflow="fold")
    for cells in rows:
        table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in cells))
    return table


class _PlainTable:
    """A ``grid`` table drawn without Rich's Table: the segments Rich's Table yields for it
    (box.SIMPLE_HEAD, a space of padding each side, the header bold and bottom-aligned, cells
    top-aligned), so that the bytes written, colour codes included, are the same.

    A cell of one line that fits its column is padded here, and so is a wrapped one of plain
    characters (``plain_lines``); any other (spans of style, wide characters, tabs) is laid out
    by Rich as its Table would, one cell at a time. A table wider than the console is drawn at
    the widths Rich's Table squeezes it to (``squeezed``), its cells wrapped again in them (a
    column squeezed to its padding or less shows blank, as in Rich). A ``short`` table that fits
    (fewer than ``PLAIN_FROM`` rows: Rich is quick enough), and one on a console without room
    for a cell, are left to Rich's Table whole. Each line goes to Rich as few segments: one
    without colour, else one a run of unstyled text and one a styled cell."""

    def __init__(  # noqa: PLR0913 -- a table's parts, as ``grid`` made them
        self,
        title: Text | None,
        columns: Sequence[Column],
        headers: list[Text],
        rows: list[list[Shown]],
        widths: Sequence[int],
        show_header: bool,
        short: bool = False,
    ) -> None:
        self.title, self.columns, self.headers, self.rows = title, columns, headers, rows
        self.widths, self.show_header, self.short = list(widths), show_header, short

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        padded = [w + 2 for w in self.widths]
        rules = len(padded) + 1  # the edges and the rules between columns
        fits, room = sum(padded) + rules <= options.max_width, options.max_width - rules
        if (fits and self.short) or room < 1:  # short: Rich is quick enough; no room: Rich's own way
            yield _rich_table(self.title, self.columns, self.headers, self.rows, self.widths, self.show_header)
            return
        if not fits:
            padded = squeezed(padded, room)
        table_width = sum(padded) + rules
        options = options.update(width=table_width, height=None)
        if self.title is not None:
            yield from console.render(self.title, options.update(justify="left"))
        cell = _Cells(console, options, self.columns, [w - 2 for w in padded])
        if console.color_system is None:  # styles write nothing: the lines as text, a segment each
            for text in self._text_lines(cell):
                yield from _plain(text)
                yield Segment.line()
            return
        for line in self._styled_lines(cell):
            yield from _joined(line)
            yield Segment.line()

    def _sections(self, header: Style) -> list[tuple[Sequence[Shown], Style, bool]]:
        """The header (when shown) and the rows: their cells, their style, whether the header."""
        sections: list[tuple[Sequence[Shown], Style, bool]] = [(self.headers, header, True)] if self.show_header else []
        return sections + [(cells, Style.null(), False) for cells in self.rows]

    def _text_lines(self, cell: _Cells) -> Iterator[str]:
        """The table's lines, without colour."""
        padded = [w + 2 for w in cell.widths]
        drawn = box.SIMPLE_HEAD if self.show_header else box.SIMPLE_HEAD.get_plain_headed_box()
        yield drawn.get_top(padded)
        blanks = [" " * w for w in padded]
        for cells, _, is_header in self._sections(Style.null()):
            rendered = [cell.chars(i, text) for i, text in enumerate(cells)]
            if not any(rendered):  # no cell has a line (all squeezed away): Rich draws the row one blank
                rendered = [[blank] for blank in blanks]
            for row in zip(*_stacked(rendered, blanks, is_header), strict=True):
                yield " " + " ".join(row) + " "  # the edges and the dividers between columns: a space in this box
            if is_header:
                yield drawn.get_row(padded, "head", edge=True)
        yield drawn.get_bottom(padded)

    def _styled_lines(self, cell: _Cells) -> Iterator[list[Segment]]:
        """The table's lines, each as segments in their styles."""
        padded = [w + 2 for w in cell.widths]
        drawn = box.SIMPLE_HEAD if self.show_header else box.SIMPLE_HEAD.get_plain_headed_box()
        edge = Segment(" ")
        yield [Segment(drawn.get_top(padded))]
        for cells, style, is_header in self._sections(cell.console.get_style("table.header")):
            rendered = [cell.segments(i, text, style) for i, text in enumerate(cells)]
            if not any(rendered):  # as in ``_text_lines``, the blank without the row's style
                rendered = [[[Segment(" " * w)]] for w in padded]
            blanks = [[Segment(" " * w, style or None)] for w in padded]
            for row in zip(*_stacked(rendered, blanks, is_header), strict=True):
                segments = [edge]
                for i, lines in enumerate(row):
                    if i:
                        segments.append(edge)
                    segments += lines
                segments.append(edge)
                yield segments
            if is_header:
                yield [Segment(drawn.get_row(padded, "head", edge=True))]
        yield [Segment(drawn.get_bottom(padded))]


def squeezed(padded: Sequence[int], room: int) -> list[int]:
    """The widths Rich's Table (``_calculate_column_widths``, Rich 13 to 15) gives columns of fixed
    widths ``padded`` (padding included) in ``room`` cells (the console's width less the rules):
    each no wider than the room (and at least 1), then, while the total is too wide, the excess
    taken from every column alike in turn, the division rounded as Python rounds
    (``rich._ratio.ratio_reduce``), a column left with less than one cell given none.

    >>> squeezed([10, 10, 10], 30), squeezed([10, 10, 10], 24), squeezed([12, 3, 12], 20)
    ([10, 10, 10], [8, 8, 8], [10, 1, 9])
    """
    widths = [min(w, room) or 1 for w in padded]  # (``room`` at least 1: the caller sees to it)
    excess = sum(widths) - room
    if excess <= 0:
        return widths
    reduced, left = [], len(widths)
    for width in widths:
        taken = min(width, round(excess / left))
        reduced.append(width - taken)
        excess, left = excess - taken, left - 1
    return [w if w >= 1 else 0 for w in reduced]


T = TypeVar("T")


def _stacked(rendered: list[list[T]], blanks: list[T], is_header: bool) -> list[list[T]]:
    """Each column's lines of a row made as many as the tallest's with blank lines: Rich aligns a
    header at the bottom, a cell at the top.

    >>> _stacked([["a"], ["b", "c"]], ["-", "="], is_header=False)
    [['a', '-'], ['b', 'c']]
    >>> _stacked([["a"], ["b", "c"]], ["-", "="], is_header=True)
    [['-', 'a'], ['b', 'c']]
    """
    height = max(len(lines) for lines in rendered)
    stacked = []
    for lines, blank in zip(rendered, blanks, strict=True):
        fill = [blank] * (height - len(lines))
        stacked.append(fill + lines if is_header else lines + fill)
    return stacked


class _Cells:
    """Draws ``_PlainTable``'s cells: a cell's lines, a space of padding each side, in the cell's
    style (bold in the header). The style a cell's style name comes to and the lines a wrapped
    text takes in a column are worked out once for the table."""

    def __init__(
        self, console: Console, options: ConsoleOptions, columns: Sequence[Column], widths: Sequence[int]
    ) -> None:
        self.console, self.options, self.columns, self.widths = console, options, columns, widths
        self.tones: dict[tuple[Style, str | Style], Style | None] = {}
        self.wrapped: dict[tuple[int, str], list[str]] = {}

    def chars(self, i: int, text: Shown) -> list[str]:
        """The cell's lines as text (its style writes nothing)."""
        if self.widths[i] <= 0:  # squeezed to its padding or less: Rich draws no line of it
            return []
        plain = text if isinstance(text, str) else text.plain
        if (isinstance(text, Text) and text.spans) or "\t" in plain:
            return [_chars(line) for line in self.segments(i, text, Style.null())]
        return [f" {line} " for line in self.fit(i, plain)]

    def segments(self, i: int, text: Shown, style: Style) -> list[list[Segment]]:
        """The cell's lines as segments in their styles."""
        column, width = self.columns[i], self.widths[i]
        if width <= 0:  # as ``chars``
            return []
        plain, name = (text, "") if isinstance(text, str) else (text.plain, text.style)
        if (isinstance(text, Text) and text.spans) or "\t" in plain:
            # Styles within the text, tabs: Rich lays the cell out as its Table does.
            no_wrap = column.shape != "text"
            shape = self.options.update(width=width + 2, justify=column.justify, no_wrap=no_wrap, overflow="fold")
            shown = Text(text) if isinstance(text, str) else text  # Rich would read markup in a string
            return self.console.render_lines(Padding(shown, (0, 1)), shape, style=style)
        if (style, name) not in self.tones:
            self.tones[style, name] = (style + self.console.get_style(name)) or None
        tone = self.tones[style, name]
        pad = style or None
        if tone is None and pad is None:  # unstyled, padding and text: one segment
            return [[Segment(f" {line} ")] for line in self.fit(i, plain)]
        return [[Segment(" ", pad), Segment(line, tone), Segment(" ", pad)] for line in self.fit(i, plain)]

    def fit(self, i: int, plain: str) -> list[str]:
        """A text without tabs in column ``i``: its lines, each as wide as the column, as Rich's
        Table lays them out (justified, wrapped between words unless the column is whole, folded)."""
        column, width = self.columns[i], self.widths[i]
        size = cell_width(plain)
        if "\n" not in plain and size <= width and (column.justify == "left" or plain == plain.rstrip()):
            fill = " " * (width - size)
            return [plain + fill if column.justify == "left" else fill + plain]
        no_wrap = column.shape != "text"
        if width > 0 and _PRINTABLE.fullmatch(plain):
            # Wrapped or several lines of plain characters: Rich's own wrapping (``plain_lines``).
            if (i, plain) not in self.wrapped:
                self.wrapped[i, plain] = plain_lines(plain, width, column.justify, no_wrap)
            return self.wrapped[i, plain]
        # Wide characters: Rich wraps the text itself.
        wrap = Text(plain).wrap(self.console, width, justify=column.justify, overflow="fold", no_wrap=no_wrap)
        return [line.plain for line in wrap]


def _chars(segments: list[Segment]) -> str:
    """The characters of a line's segments (what a console without colour writes of them)."""
    return segments[0].text if len(segments) == 1 else "".join([segment.text for segment in segments])


# Printable ASCII, line breaks and the arrow and dashes of runway's and compare's cells: each
# character a cell of its own, a space the only blank.
_PRINTABLE = re.compile(r"[ -~\n→–−]*")
_WORD = re.compile(r" *[^ ]+ *")  # Rich's word (rich._wrap: r"\s*\S+\s*") where the only blank is a space


def plain_lines(plain: str, width: int, justify: Literal["left", "right"], no_wrap: bool) -> list[str]:
    """The lines ``Text(plain).wrap(console, width, justify=justify, overflow="fold", no_wrap=no_wrap)``
    gives (Rich 15) for text of printable ASCII, line breaks, → – and −, ``width`` at least 1:
    each line of the text broken between words (a word longer than the line folded), cut to the
    width, then padded to it on the right ("left") or stripped and padded on the left ("right").

    >>> plain_lines("a long note", 6, "left", False)
    ['a long', 'note  ']
    >>> plain_lines("1,234.5 USD million", 8, "right", False)
    [' 1,234.5', '     USD', ' million']
    >>> plain_lines("abcdefgh ij", 3, "left", False)
    ['abc', 'def', 'gh ', 'ij ']
    """
    lines: list[str] = []
    for line in plain.split("\n"):
        pieces = [line] if no_wrap else _divide(line, width)
        for piece in pieces:
            if justify == "left":
                lines.append(piece[:width].ljust(width))
            else:
                piece = piece.rstrip()[:width]
                lines.append(" " * (width - len(piece)) + piece)
    return lines


def _divide(line: str, width: int) -> list[str]:
    """``line`` cut where rich._wrap.divide_line cuts it. (Rich then cuts the spaces beyond the
    width, ``Text.rstrip_end``: justifying left or right cuts them anyway.)"""
    cuts: list[int] = []
    used = 0  # cells on the line being filled
    for word in _WORD.finditer(line):
        start, end = word.span()
        size = len(word.group().rstrip(" "))
        if width - used >= size:  # the word fits on this line
            used += end - start
        elif size > width:  # longer than any line: folded, each piece on a line of its own
            cuts += [at for at in range(start, end, width) if at]
            used = end - range(start, end, width)[-1]
        elif used:  # the word starts the next line
            cuts.append(start)
            used = end - start
    return [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]


def _joined(segments: list[Segment]) -> list[Segment]:
    """A line's segments with each run of unstyled ones as one: Rich writes an unstyled segment's
    text as it is, so the bytes are the same, and Rich handles a few segments a line, not three a cell."""
    joined: list[Segment] = []
    run: list[str] = []
    for segment in segments:
        if not segment.control and segment.style is None:
            run.append(segment.text)
            continue
        if run:
            joined += _plain("".join(run))
            run = []
        joined.append(segment)
    if run:
        joined += _plain("".join(run))
    return joined


def _plain(text: str) -> list[Segment]:
    """Unstyled text as segments Rich measures quickly: one, unless it holds characters that Rich
    counts one at a time (any but ASCII, Latin and box drawing: a runway line with "→" took
    ~20 µs, not 1), which go in segments of their own: Rich remembers the size of a short one."""
    if text.isascii():
        return [Segment(text)]
    return [Segment(part) for part in _QUICK.findall(text)]


_QUICK = re.compile(r"[ -~\u2500-\u25fc]+|[^ -~\u2500-\u25fc]+")  # what Rich measures by length, and the rest


def footnotes(items: Sequence[tuple[TextCell, TextCell]]) -> Table:
    """Marked notes with a hanging indent: the mark, then the text wrapped beside it."""
    notes = Table.grid(padding=(0, 1))
    notes.add_column(no_wrap=True)
    notes.add_column(overflow="fold")
    for mark, text in items:
        notes.add_row(*(_safe(cell) for cell in (mark, text)))
    return notes


# --- list -----------------------------------------------------------------------------


LIST_COLUMNS = (
    Column("id", "whole"),
    Column("ticker", "whole"),
    Column("cur.", "whole"),
    Column("periods"),
    Column("facts", "whole", "right"),
    Column("conflicts", "whole", "right"),
    Column("newest", "whole"),
)


def write_companies(rows: Sequence[CompanySummary], out: TextIO, width: int) -> None:
    """``list``: one row a company."""
    cells: list[list[TextCell]] = [
        [
            _text(row.id),
            Text("\n".join(visible(t) for t in row.tickers)),
            _text(row.currency),
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


def _row_unit(facts: list[Fact]) -> Unit | None:
    """The unit most of a row's preferred figures are written in."""
    units = [f.value.unit for f in facts if f.value.unit is not None]
    return Counter(units).most_common(1)[0][0] if units else None


# Units that differ only in their scale measure the same thing: one of them is chosen for a
# whole table (a series in the dated table), so that 1,179 never stands beside 210.29 in
# another scale. Money, money a month, counts and durations have scales.
_SCALED = (Family.MONEY, Family.MONEY_PER_MONTH, Family.COUNT, Family.DURATION)
# The scales ``--scale`` may choose for money.
MONEY_SCALES = ("million", "billion", "萬", "億")


def _kind(unit: Unit) -> tuple[Family, str, str] | None:
    """What a unit measures without its scale ("USD 萬 per month" → money a month in USD), or
    None for a unit without a scale (percent, times, per share, per user)."""
    if unit.family not in _SCALED:
        return None
    words = unit.text.split()
    rest = words[2:] if len(words) > 1 and words[1] in SCALES else words[1:]
    return unit.family, words[0], " ".join(rest)


def _rescaled(unit: Unit, scale: str) -> Unit:
    """``unit`` in another scale: "USD 萬", "million" → "USD million"."""
    kind = _kind(unit)
    assert kind is not None
    parsed = parse_unit(" ".join(w for w in (kind[1], scale, kind[2]) if w))
    assert isinstance(parsed, Unit)
    return parsed


def common_units(facts: Sequence[Fact], scale: str | None = None) -> dict[tuple[Family, str, str], Unit]:
    """One unit for each kind of unit among ``facts``: the scale most of its figures use (a tie:
    the larger scale, fewer digits), or ``scale`` for money when it is given."""
    counts: dict[tuple[Family, str, str], Counter[Unit]] = {}
    for fact in facts:
        unit = fact.value.unit
        kind = None if unit is None else _kind(unit)
        if unit is not None and kind is not None:
            counts.setdefault(kind, Counter())[unit] += 1
    chosen: dict[tuple[Family, str, str], Unit] = {}
    for kind, units in counts.items():
        unit = max(units, key=lambda u: (units[u], u.scale))
        if scale is not None and kind[0] in (Family.MONEY, Family.MONEY_PER_MONTH):
            unit = _rescaled(unit, scale)
        chosen[kind] = unit
    return chosen


def _shown_unit(unit: Unit | None, units: dict[tuple[Family, str, str], Unit]) -> Unit | None:
    """The unit a figure in ``unit`` is shown in: its kind's common unit, else its own."""
    kind = None if unit is None else _kind(unit)
    return unit if kind is None else units.get(kind, unit)


def write_sheet(sheet: FactSheet, out: TextIO, width: int, scale: str | None = None) -> None:
    """``show``: a company's facts by period, the other dated facts, conflicts, sources.

    Each table writes the figures of one kind (money in one currency, a count) in one scale,
    the one most of them use, and the dated table each series in one; ``scale`` (one of
    ``MONEY_SCALES``) sets the scale of every money figure instead. Rescaling shifts the
    decimal point and keeps every digit the source gave (7,903.8 萬 is 79.038 million)."""
    if scale is not None and scale not in MONEY_SCALES:
        raise ValueError(f"scale {scale!r} is not one of {', '.join(MONEY_SCALES)}")
    con = console(out, width)
    company = sheet.company
    title = f"{company.name} {company.native_name} · {' '.join(company.tickers)} · reports in {company.currency}"
    con.print(_text(title, style="bold"))
    tags = {s.id: str(i) for i, s in enumerate(sheet.sources, 1)}
    named = [f for f in sheet.facts if not f.period.is_instant and "/" not in f.period.label and not _is_event(f)]
    years = [f for f in named if f.period.label.startswith("FY")]
    interims = [f for f in named if not f.period.label.startswith("FY")]
    events = [f for f in sheet.facts if _is_event(f)]
    others = [f for f in sheet.facts if (f.period.is_instant or "/" in f.period.label) and not _is_event(f)]
    for facts, heading in ((years, "Full years"), (interims, "Interim periods (each under its own label)")):
        if facts:
            con.print(_period_table(facts, tags, heading, width, scale))
    if others:
        con.print(_dated_table(others, tags, width, scale))
    for block in _timeline_table(events, tags, width) if events else []:
        con.print(block)
    conflicts = [f for f in sheet.facts if f.conflict]
    if conflicts:
        con.print(_conflict_table(conflicts, tags, sheet, width, scale))
        for fact in (f for f in conflicts if f.resolution):
            con.print(_text(f"reviewed: {fact.key} {fact.period.label} — {fact.resolution}"))
    rows: list[list[TextCell]] = [
        [f"[{tags[s.id]}]", s.outlet, s.published.isoformat(), s.kind, str(s.rank), s.title] for s in sheet.sources
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
    return _text(format_report(fact.value, unit) + ("*" if fact.conflict else ""), UNSURE if fact.unresolved else "")


def _tags(facts: list[Fact], tags: dict[str, str]) -> Text:
    cited = sorted({tags[f.value.source] for f in facts}, key=int)
    return Text(",".join(cited))


def _unit_label(unit: Unit | None) -> str:
    if unit is None:
        return ""
    return "%" if unit.family is Family.PERCENT else unit.text


def _grouped(facts: list[Fact]) -> dict[tuple[str, str], list[Fact]]:
    """Facts by (key, currency), so a row never mixes currencies."""
    rows: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        currency = (fact.value.unit.currency or "") if fact.value.unit else ""
        rows.setdefault((fact.key, currency), []).append(fact)
    return rows


def _period_table(
    facts: list[Fact], tags: dict[str, str], heading: str, width: int, scale: str | None
) -> Table | Group:
    periods = sorted({f.period for f in facts}, key=lambda p: (p.end, -p.months))
    columns = [
        Column("metric", "name"),
        Column("unit"),
        *(Column(p.label, "text", "right") for p in periods),  # "(forecast)" may go below its figure
        Column("src", "whole"),
    ]
    units = common_units(facts, scale)
    rows: list[list[TextCell]] = []
    for (key, _), row in _grouped(facts).items():
        unit = _shown_unit(_row_unit(row), units)
        cells = {f.period.label: _cell(f, unit) for f in row}
        rows.append([key, _unit_label(unit), *(cells.get(p.label, Text("")) for p in periods), _tags(row, tags)])
    return grid(heading, columns, rows, table_widths(columns, rows, width))


DATED_COLUMNS = (
    Column("metric", "name"),
    Column("date or span", "name"),
    Column("value", "whole", "right"),
    Column("unit"),
    Column("src", "whole"),
)


def _dated_table(facts: list[Fact], tags: dict[str, str], width: int, scale: str | None) -> Table | Group:
    series: dict[str, list[Fact]] = {}
    for fact in facts:
        series.setdefault(fact.key, []).append(fact)
    units = {key: common_units(row, scale) for key, row in series.items()}
    rows: list[list[TextCell]] = []
    for fact in sorted(facts, key=lambda f: (f.key, f.period.end)):
        unit = _shown_unit(fact.value.unit, units[fact.key])
        rows.append([fact.key, fact.period.label, _cell(fact, unit), _unit_label(unit), _tags([fact], tags)])
    return grid("Balances, prices and other spans", DATED_COLUMNS, rows, table_widths(DATED_COLUMNS, rows, width))


def _is_event(fact: Fact) -> bool:
    """Whether a fact is an event with no figure (a listing, a launch, the founding), which goes
    on the timeline; a plan (``planned_listing``) is not an event and stays with the dated facts."""
    return fact.value.event and not fact.value.outlook


TIMELINE_COLUMNS = (
    Column("date", "whole"),
    Column("event"),
    Column("which", "name"),
    Column("note"),
    Column("src", "whole"),
)
INFERRED_MARK = "†"  # as in the report: a date the source does not state


def _timeline_table(events: list[Fact], tags: dict[str, str], width: int) -> list[Table | Group | Text]:
    """The sheet's events oldest first, each with every source that reports it. A date the sources
    give differently (the founding) is two facts, so two rows, each with its own sources."""
    rows: list[list[TextCell]] = []
    inferred = False
    for fact in sorted(events, key=lambda f: (f.period.start, f.period.end, f.metric, f.segment)):
        guessed = any(r.period_inferred for r in fact.reports)
        inferred = inferred or guessed
        rows.append(
            [
                fact.period.label + (f" {INFERRED_MARK}" if guessed else ""),
                fact.metric.replace("_", " "),
                fact.segment,
                fact.value.note,
                Text(",".join(sorted({tags[r.source] for r in fact.reports}, key=int))),
            ]
        )
    blocks: list[Table | Group | Text] = [
        grid("Timeline: events, oldest first", TIMELINE_COLUMNS, rows, table_widths(TIMELINE_COLUMNS, rows, width))
    ]
    if inferred:
        blocks.append(Text(f"{INFERRED_MARK} a date the source does not state (see the sheet's note).\n", style="dim"))
    return blocks


CONFLICT_COLUMNS = (
    Column("metric", "name"),
    Column("period", "whole"),
    Column("value", "whole", "right"),
    Column("unit"),
    Column("src", "whole"),
    Column("rank", "whole"),
    Column("status"),
)


def _conflict_table(
    facts: list[Fact], tags: dict[str, str], sheet: FactSheet, width: int, scale: str | None
) -> Table | Group:
    rows: list[list[TextCell]] = []
    for fact in facts:
        shown = fact.value.unit  # every report of a fact in the scale of the one shown, or in --scale
        if scale is not None and shown is not None and shown.family in (Family.MONEY, Family.MONEY_PER_MONTH):
            shown = _rescaled(shown, scale)
        for i, report in enumerate(fact.reports):
            preferred = i == fact.preferred
            unit = shown if report.unit and shown and _kind(report.unit) == _kind(shown) else report.unit
            status = ""
            if preferred:
                status = (
                    "preferred (tie)" if fact.unresolved else "preferred (reviewed)" if fact.resolution else "preferred"
                )
            rows.append(
                [
                    fact.key if i == 0 else "",
                    fact.period.label if i == 0 else "",
                    format_report(report, unit),
                    _unit_label(unit),
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


# --- compare ------------------------------------------------------------------------


def _compare_tones(result: Comparison) -> list[list[str]]:
    """A style for each company's cell of each row: red for a runway under 12 months or
    revenue that shrank, yellow for a runway that cannot be computed."""
    tones = []
    for row in result.rows:
        styles = []
        for cell in row.cells:
            ok = cell.status == Status.OK and math.isfinite(cell.value)
            if row.unit == Measure.MONTHS:
                styles.append(BAD if ok and cell.value < RUNWAY_ALARM else "" if ok else UNSURE)
            elif row.figure == "revenue_growth":
                styles.append(BAD if ok and cell.value < 0 else "")
            else:
                styles.append("")
        tones.append(styles)
    return tones


def write_comparison(result: Comparison, out: TextIO, width: int) -> None:
    """``compare``: a table per section, notes, conflicts, the trends and the runways drawn."""
    con = console(out, width)
    lines = comparison_lines(result)
    header, sections, notes, conflicts = lines.header, lines.sections, lines.notes, lines.conflicts
    con.print(_text(f"{' vs '.join(result.companies)} · money in {result.currency} · {aligned(result)}", style="bold"))
    columns = [
        Column(header[0], firm=True),
        *(Column(name, "text", "right") for name in header[1:-2]),
        Column(header[-2], "whole", "right"),
        Column(header[-1], "whole"),
    ]
    tones = iter(_compare_tones(result))
    for title, rows in sections:
        styled: list[list[TextCell]] = [
            [row[0], *(_text(v, s) for v, s in zip(row[1:-2], next(tones), strict=True)), *row[-2:]] for row in rows
        ]
        # A section that compares nothing (each under its own label) has no difference to show.
        keep = len(columns) if any(row[-2] or row[-1] for row in rows) else len(columns) - 2
        shown, styled = columns[:keep], [row[:keep] for row in styled]
        # Too many companies for the width: several tables, each with the labels (see column_groups).
        groups = column_groups(shown, styled, width, head=1, tail=keep - len(header) + 2)
        for number, group in enumerate(groups):
            part = [shown[0], *(shown[i] for i in group)]
            cells = [[row[0], *(row[i] for i in group)] for row in styled]
            heading = title if number == 0 else f"{title} (continued)"
            con.print(grid(heading, part, cells, table_widths(part, cells, width)))
    con.print(footnotes([(f"[{i}]", note) for i, note in enumerate(notes, 1)]))
    if conflicts:
        con.print(Text("Conflicts between sources behind these figures:", style="bold"))
        con.print(footnotes([("-", line) for line in conflicts]))
    con.print()
    for chart in _trend_chart(result.trends, width):
        con.print(chart)
    months = next((row for row in result.rows if row.unit == Measure.MONTHS), None)
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


def _trend_chart(trends: Sequence[Trend], width: int) -> list[Table | Group | Text]:
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
    full = [_trend_row(t, years) for t in trends]  # every year; the oldest are cut below
    while True:
        columns = [
            Column("company", "whole"),
            Column("figure", "whole"),
            Column("currency", "whole"),
            *(Column(str(y), "whole", "right") for y in shown),
            Column("", "whole"),
        ]
        cut = len(years) - len(shown)
        rows = [[*row[:3], *row[3 + cut :]] for row in full]
        if fits(columns, rows, width) or len(shown) == 1:
            break
        shown = shown[1:]
    title = f"{' and '.join(metrics)} by fiscal year, in millions of each company's own currency"
    kinds = ", ".join(f"{k} {KIND_NAMES[k]}" for k in dict.fromkeys(t.kind for t in trends))
    legend = (
        f"A row holds like periods only ({kinds}). The last column draws the row: ▁ to █ in "
        "proportion to its largest figure, · no figure (–), - a negative one."
    )
    if shown != years:
        legend += f" Too narrow for every year: {years[0]}-{shown[0] - 1} are in the drawing only."
    return [grid(title, columns, rows, table_widths(columns, rows, width)), Text(legend + "\n", style="dim")]


def _trend_row(trend: Trend, years: list[int]) -> list[TextCell]:
    """A series' figures under the chart's years: "–" where it has none, "n.d." where the
    source says the company does not disclose it."""
    points = dict(trend.points)
    amounts = {year: points.get(year) for year in years}
    cells: list[TextCell] = [trend.company, f"{trend.metric} {trend.kind}", trend.currency]
    for amount in amounts.values():
        cells.append("–" if amount is None else format_number(amount / 1e6, 1) if math.isfinite(amount) else "n.d.")
    cells.append(sparkline([math.nan if a is None else a for a in amounts.values()]))
    return cells


def _runway_chart(items: Sequence[tuple[str, float, Status]], width: int, title: str) -> Table | Group:
    """Months of cash left as bars to one scale, the number beside each; a runway that
    cannot be drawn (not burning, no rate) is a word, never an empty bar."""
    drawable = [status == Status.OK and math.isfinite(months) and months >= 0 for _, months, status in items]
    maximum = max([RUNWAY_ALARM] + [months for (_, months, _), ok in zip(items, drawable, strict=True) if ok])
    columns = [Column(""), Column("", "whole", "right"), Column("")]
    labels = [label for label, _, _ in items]
    numbers = [format_number(months, 1) if ok else "" for (_, months, _), ok in zip(items, drawable, strict=True)]
    number_width = max(1, widest(numbers))
    room = width - frame_width(3) - number_width
    label_width = min(widest(labels), max(12, room - 20))  # at least 20 characters of bar
    bar_width = max(10, min(60, room - label_width))  # wider bars say no more
    rows: list[list[TextCell]] = []
    for (label, months, status), number in zip(items, numbers, strict=True):
        if number:
            tone = BAD if months < RUNWAY_ALARM else ""
            drawn = bar(months, maximum, bar_width, mark=RUNWAY_ALARM)
            rows.append([label, _text(number, tone), Text(drawn, tone)])
        else:
            calm = status in (Status.NOT_BURNING, Status.NEVER_RUNS_OUT)
            rows.append([label, "", Text(status, "" if calm else UNSURE)])
    return grid(
        f"{title} ({MARK} marks {format_short(RUNWAY_ALARM)} months)",
        columns,
        rows,
        [label_width, number_width, bar_width],
        show_header=False,
    )


# --- growth, margins, runway, explain, claims -------------------------------------------


def _figure_tone(figure: Figure) -> str:
    """Red for what is getting worse: a loss widening, revenue shrinking, a margin falling."""
    if figure.status != Status.OK or not math.isfinite(figure.value):
        return ""
    if figure.direction is Direction.LOSS_WIDENING:
        return BAD
    name, value = figure.figure, figure.value
    if value < 0 and name.startswith("revenue_") and name.endswith(("_growth", "_cagr")):
        return BAD
    if value < 0 and name.endswith("margin_change"):
        return BAD
    return ""


FIGURE_COLUMNS = (
    Column("company", "whole"),
    Column("figure", "name"),
    Column("period"),
    Column("value", "whole", "right"),
    Column("how"),
)


def write_figures(result: FigureTable, out: TextIO, width: int) -> None:
    """``growth``, ``margins``: the figures, then the trends behind them drawn."""
    rows: list[list[TextCell]] = []
    for (company, name, period, value, how), figure in zip(figure_rows(result.figures), result.figures, strict=True):
        rows.append([company, name, period, _text(value, _figure_tone(figure)), how])
    con = console(out, width)
    con.print(grid(result.title, FIGURE_COLUMNS, rows, table_widths(FIGURE_COLUMNS, rows, width)))
    for chart in _trend_chart(result.trends, width):
        con.print(chart)


RUNWAY_COLUMNS = (
    Column("company", "whole"),
    Column("months", "whole", "right"),
    Column("runs out", "whole"),
    Column("cash (date)"),
    Column("burn a month (period)"),
    Column("basis"),
)


def runway_columns(dated: bool) -> tuple[Column, ...]:
    """``RUNWAY_COLUMNS``; with an as-of day (named in the title) the months column holds the
    months from the cash date → the months left on the day, one column so that the table
    still fits 80 columns with every amount and date whole (it may break after the arrow)."""
    if not dated:
        return RUNWAY_COLUMNS
    return (RUNWAY_COLUMNS[0], Column("months: from cash date → left", "text", "right"), *RUNWAY_COLUMNS[2:])


def write_runways(result: RunwayTable, out: TextIO, width: int) -> None:
    """``runway``: the table, its notes, the months drawn to scale, the bases explained."""
    title = "Cash runway, every basis the data supports" if result.detail else "Cash runway, longest first"
    header = runway_header(result.runways)
    dated = len(header) > len(RUNWAY_HEADER)
    columns = runway_columns(dated)
    if dated:
        title += f"; {header[2]}"
    notes: list[str] = []
    rows: list[list[TextCell]] = []
    items = []
    for row, r in zip(runway_rows(result.runways, notes, left=True), result.runways, strict=True):
        ok = r.status == Status.OK and math.isfinite(r.months)
        tone = (BAD if r.months < RUNWAY_ALARM else "") if ok else ("" if r.status == Status.NOT_BURNING else UNSURE)
        if dated:  # what is left on the as-of day is what alarms: little, or nothing (ran out on paper)
            short = r.status == Status.RAN_OUT_ON_PAPER or (ok and r.months_left < RUNWAY_ALARM)
            # "ran out" in short: the note under the table says on paper, when, and what is needed.
            left = "ran out" if r.status == Status.RAN_OUT_ON_PAPER else row[2]
            months = f"{row[1]} → {left}" if r.status in (Status.OK, Status.RAN_OUT_ON_PAPER) else row[1]
            rows.append([row[0], _text(months, BAD if short else tone), *row[3:]])
        else:
            rows.append([row[0], _text(row[1], tone), *row[2:]])
        name = f"{r.company} {runway_basis(r)}" if result.detail else r.company
        items.append((name, r.months_left if dated else r.months, r.status))
    con = console(out, width)
    con.print(grid(title, columns, rows, table_widths(columns, rows, width)))
    if notes:
        con.print(footnotes([(f"[{i}]", note) for i, note in enumerate(notes, 1)]))
        con.print()
    chart = f"{header[2].capitalize()}, to scale" if dated else "Months of cash left, to scale"
    con.print(_runway_chart(items, width, chart))
    con.print(
        Text(
            "Bases: stated = the company's stated monthly burn; operating = operating cash outflow; "
            "adjusted_loss / net_loss = loss per month, a proxy. liquid = cash plus liquid financial assets.",
            style="dim",
        )
    )


CHANGES_COLUMNS = (
    Column("company", "whole"),
    Column("fact", "name"),
    Column("period", "whole"),
    Column("what", "whole"),
    Column("before"),
    Column("now"),
)


def write_changes(result: Changes, out: TextIO, width: int) -> None:
    """``changes``: one row a fact the data learned something about, then the count of each kind."""
    con = console(out, width)
    rows: list[list[TextCell]] = [list(row) for row in change_rows(result.changes)]
    if rows:
        con.print(grid(changes_title(result), CHANGES_COLUMNS, rows, table_widths(CHANGES_COLUMNS, rows, width)))
    else:
        con.print(_text(changes_title(result), "bold"))
    con.print(_text(changes_summary(result), "dim"))


def write_explanation(result: Explanation, out: TextIO, width: int) -> None:
    """``explain``: its lines, each wrapped to the width with its continuation indented."""
    out.write("".join(line + "\n" for text in explain_lines(result) for line in hang(visible(text), width)))


def write_claims(result: ClaimsTable, out: TextIO, width: int) -> None:
    """``claims``: every claim with its mark and verdict, those that fail first, those that
    cannot be checked (and what they need) last."""
    con = console(out, width)
    con.print(Text("Claims in the sources, checked against the data", style="bold"))
    marks = {
        Verdict.DOES_NOT_REPRODUCE: ("✗", BAD),
        Verdict.REPRODUCES: ("✓", GOOD),
        Verdict.CANNOT_BE_CHECKED: ("?", ""),
    }
    items: list[tuple[TextCell, TextCell]] = []
    for claim, (company, name, stated, source, computed, verdict, how) in zip(
        ordered_claims(result), claim_rows(result), strict=True
    ):
        line = f"{company} {name}: stated {stated} [{source}]"
        line += f", data give {computed}" if computed else ""
        mark, tone = marks[claim.verdict]
        items.append(
            (
                Text(mark, tone),
                Text.assemble(f"{visible(line)} — ", (verdict, tone), "\n", (f"  {visible(how)}", "dim")),
            )
        )
    con.print(footnotes(items))
    summary = verdict_counts(result)
    con.print(Text(summary, style="dim"))


def write_gate(short: Sequence[ShortRunway], bound: float, err: TextIO) -> None:
    """The runway gate's verdict, one line a failing company, on stderr."""
    for item in short:
        if item.status == Status.OK:
            err.write(f"runway below {format_short(bound)} months: {item.company} has {format_fixed(item.months, 1)}\n")
        elif item.status == Status.RAN_OUT_ON_PAPER:
            err.write(f"runway below {format_short(bound)} months: {item.company} ran out on paper (no months left)\n")
        else:
            err.write(f"runway unknown, so below {format_short(bound)} months: {item.company} ({item.status})\n")
    if not short:
        err.write(f"every runway is at least {format_short(bound)} months\n")


# --- breakeven --------------------------------------------------------------------------------


def _viability_tone(b: Breakeven) -> str:
    return BAD if b.verdict == Viability.DEAD else GOOD if b.verdict == Viability.ALIVE else UNSURE


def write_breakeven(result: BreakevenTable, out: TextIO, width: int) -> None:
    """``breakeven``: the companies side by side, outcome first, then the assumptions and their sources."""
    con = console(out, width)
    header, rows = breakeven_rows(result)
    tones = [_viability_tone(b) for b in result.breakevens]
    styled: list[list[TextCell]] = [
        [row[0], *(_text(v, tone if row is rows[1] else "") for v, tone in zip(row[1:], tones, strict=True))]
        for row in rows
    ]
    columns = [Column(header[0], firm=True), *(Column(name) for name in header[1:])]
    con.print(grid(breakeven_title(result.as_of), columns, styled, table_widths(columns, styled, width)))
    con.print(footnotes([("-", note) for note in breakeven_notes(result)]))


def write_grid(result: BreakevenGridTable, out: TextIO, width: int) -> None:
    """``breakeven --grid``: one table a company, revenue growth down, cost growth across."""
    con = console(out, width)
    con.print(Text(breakeven_title(result.as_of), style="bold"))
    for item in result.grids:
        if not item.cells:
            con.print(_text(grid_empty(item)))
            continue
        header, rows = grid_rows(item)
        columns = [Column(header[0], "whole", "right"), *(Column(h, "whole", "right") for h in header[1:])]
        styled: list[list[TextCell]] = [
            [row[0], *(_text(cell, BAD if "dead" in cell else "") for cell in row[1:])] for row in rows
        ]
        con.print(grid(grid_title(item), columns, styled, table_widths(columns, styled, width)))
    con.print(Text(GRID_LEGEND, style="dim"))


def write_dead_gate(dead: Sequence[Breakeven], err: TextIO) -> None:
    """``breakeven --fail-if-dead``: one line a company whose cash runs out before breakeven, on stderr."""
    for b in dead:
        err.write(f"default dead: {b.company} runs out of cash in month {b.cash_out_month} ({b.cash_out_date})\n")
    if not dead:
        err.write("no company is default dead on these assumptions\n")


# --- authoring --------------------------------------------------------------------------------


def _printable(text: str) -> str:
    """Text from a sheet or a table as plain text: every character that would act spelled out."""
    return visible(text)


def write_written(written: Written, err: TextIO) -> None:
    """What ``new``, ``add`` or ``add-source`` wrote, and a conflict it made, on stderr."""
    err.write(f"{_printable(written.what)}\n")
    for note in written.notes:
        err.write(f"{_printable(note)}\n")
    for line in written.conflicts:
        err.write(f"conflict: {_printable(line)}\n")


def write_plan(plan: ImportPlan, out: TextIO, width: int) -> None:
    """``import``: what would be added, then the rows that do not map, grouped by reason."""
    lines = [f"{len(plan.added)} report(s) to add, {len(plan.sources)} new source(s)"]
    lines += (
        [f", {len(plan.reports) - len(plan.added)} row(s) already in the sheets"] if plan.added != plan.reports else []
    )
    lines += [f", {len(plan.unmapped)} row(s) that do not map (nothing can be written)"] if plan.unmapped else []
    text = ["".join(lines)]
    if plan.sources:
        text.append("new sources:")
        text += [
            f"  {s.path.stem}: {s.id}: {s.outlet}, “{s.title}”, {s.published}, {s.kind}, rank {s.rank} (line {s.line})"
            for s in plan.sources
        ]
    if plan.added:
        text.append("reports to add:")
        text += [
            f"  line {r.line}: {r.path.stem} {r.key} {r.period} {r.value}{' ' + r.unit if r.unit else ''} [{r.source}]"
            for r in plan.added
        ]
    present = [r for r in plan.reports if r.present]
    if present:
        text.append("already in the sheets (skipped):")
        text += [f"  line {r.line}: {r.path.stem} {r.key} {r.period} [{r.source}]" for r in present]
    groups: dict[str, list[str]] = {}
    for row in plan.unmapped:
        groups.setdefault(row.reason, []).append(f"    line {row.line}: {row.detail}")
    if groups:
        text.append("rows that do not map:")
        for reason, rows in groups.items():
            text += [f"  {reason} ({len(rows)}):", *rows]
    out.write("".join(line + "\n" for raw in text for line in hang(_printable(raw), width)))
