"""Layout with no styling: text charts (sparklines, bars), column widths that fit a width, wrapping.

Pure functions from numbers and text to characters and widths; the terminal, Markdown
and report writers draw with them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

from rich.cells import cell_len
from rich.text import Text

from minimetrics.records import Record
from minimetrics.render.escape import visible

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
            if len(lines[-1]) > width:  # cut in one pass: cutting the rest again and again is quadratic
                long = lines.pop()
                lines += [long[at : at + width] for at in range(0, len(long), width)]
    return "\n".join(lines)


Shape = Literal["whole", "name", "text"]


class Column(Record):
    """A table column and how it may give way at a narrow width.

    ``whole``: never broken (numbers, dates, ids, periods); ``name``: an identifier,
    broken by ``wrap_name``; ``text``: wrapped between words. Headers wrap between words.
    A ``firm`` column (and every name) gives way half as readily as the others.
    """

    header: str
    shape: Shape = "text"
    justify: Literal["left", "right"] = "left"
    firm: bool = False


# What a table cell holds: plain text, or text with a style (Rich).
TextCell = str | Text
LONGEST_UNBROKEN = 20  # a word or name piece longer than this may be folded rather than widen its column


def plain_text(cell: TextCell) -> str:
    """A cell's characters as the terminal will show them (made ``visible``; a writer's own line breaks kept)."""
    return visible(cell.plain, keep_newlines=True) if isinstance(cell, Text) else visible(cell)


def cell_width(text: str) -> int:
    """``rich.cells.cell_len``, without its work for printable ASCII (a character a cell).

    >>> cell_width("1,234.5"), cell_width("智譜")
    (7, 4)
    """
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def widest(texts: Sequence[str], split: Callable[[str], list[str]] = str.splitlines) -> int:
    """The most cells a piece of any of ``texts`` takes (each text measured once, however often it comes)."""
    return max((cell_width(part) for text in set(texts) for part in split(text)), default=0)


def _words(text: str) -> list[str]:
    """The pieces a text may not be broken inside: words between spaces, except that
    Chinese and Japanese break between any two characters.

    >>> _words("智譜和MiniMax,大模型 the two")
    ['智', '譜', '和', 'MiniMax,', '大', '模', '型', 'the', 'two']
    """
    if text.isascii():
        return text.split()
    # A loop, not the regular expression [^\s\u2e80-\uffef]+|[\u2e80-\uffef]: compiling its class of
    # 53,000 characters takes ~47 million instructions (~4 ms), at every start that shows such a text.
    pieces: list[str] = []
    for word in text.split():
        run = 0  # where the piece being read began
        for at, character in enumerate(word):
            if "\u2e80" <= character <= "\uffef":
                if run < at:
                    pieces.append(word[run:at])
                pieces.append(character)
                run = at + 1
        if run < len(word):
            pieces.append(word[run:])
    return pieces


def _name_pieces(name: str) -> list[str]:
    return re.split(r"(?<=[_/])|(?=\[)", name)


def table_widths(columns: Sequence[Column], rows: Sequence[Sequence[TextCell]], width: int) -> list[int]:
    """Column widths (content only) that fit ``width`` with the table as short as may be.

    Each column starts at its natural width, but no wider than the room for the whole
    table. While the table is too wide, one column gives one character: the one that
    adds the fewest lines to the table (a firm column last, then the widest). No column
    goes below its longest unbroken piece (a number, a date, a word, a piece of a name)
    unless nothing else is left; a number, a date or an id is never broken.

    The work is linear in the length of the text: each cell is cut into word sizes once,
    and a column is counted at most once at each width up to the room (never from a long
    cell's own length down, which made a 100 KB cell take a minute).
    """
    available = width - frame_width(len(columns))
    texts = [[visible(column.header), *(plain_text(row[i]) for row in rows)] for i, column in enumerate(columns)]
    natural, least = _bounds(columns, texts, available)
    folded = [w if c.shape == "whole" else min(w, 4) for w, c in zip(least, columns, strict=True)]
    # Rows whose cells cut into the same sizes take the same lines at any widths: each is counted
    # once and weighs as many rows as it stands for (a long table of like rows costs little).
    by_column = [_sized(body, c.shape) for c, (_, *body) in zip(columns, texts, strict=True)]
    shapes = Counter(zip(*by_column, strict=True))
    sizes = list(zip(*shapes, strict=True)) if shapes else [() for _ in columns]
    weights = [1, *shapes.values()]  # the header, then each kind of row
    counted: dict[tuple[int, int], list[int]] = {}

    def count(i: int, w: int) -> list[int]:
        """Lines per kind of row (header first) of column ``i`` at width ``w``."""
        if (i, w) not in counted:
            counted[(i, w)] = [len(word_lines(texts[i][0], w)), *(cell.lines(w) for cell in sizes[i])]
        return counted[(i, w)]

    widths = natural[:]
    for floor in (least, folded):
        # A column's cost depends on its own width and on the table's lines per row (``tallest``),
        # which change only when a column that gives a character loses or gains a line: until then
        # the others' costs stand, and only the narrowed column's is counted again.
        tallest: list[tuple[int, int, int]] = []
        costs: dict[int, tuple[int, bool, int, int]] = {}
        while sum(widths) > available:
            shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
            if not shrinkable:
                break
            if not tallest:
                now = [count(i, widths[i]) for i in range(len(widths))]
                # Per row, the tallest column and the tallest of the others, so that the height with
                # one column narrowed costs one pass over the rows (many columns: compare of 20).
                tallest = [_two_tallest(list(lines)) for lines in zip(*now, strict=True)]
                height = sum(weight * first for (first, _, _), weight in zip(tallest, weights, strict=True))
                costs = {}
            for j in shrinkable:
                if j not in costs:
                    narrower = count(j, widths[j] - 1)
                    # Fewest lines added to the table; then a column that is not firm; then the widest.
                    added = height if narrower == now[j] else _height(tallest, j, narrower, weights)
                    costs[j] = (added, columns[j].firm, -widths[j], -j)
            pick = min(shrinkable, key=costs.__getitem__)
            widths[pick] -= 1
            del costs[pick]
            if count(pick, widths[pick]) != now[pick]:
                tallest = []  # the table's lines changed: every cost with them
    return widths


def column_groups(
    columns: Sequence[Column], rows: Sequence[Sequence[TextCell]], width: int, head: int, tail: int
) -> list[list[int]]:
    """The positions of the columns between the first ``head`` and the last ``tail``, in order,
    in as few groups as fit ``width`` each, shown beside the head columns (the tail columns go
    with the last group, or after it on their own): a table that cannot show every column with
    its longest word, number or date unbroken becomes several tables that can, never one whose
    columns are squeezed to a character or to nothing. One group when the table fits.

    >>> cols = [Column("label"), *(Column(f"c{i}", "whole") for i in range(4)), Column("tail", "whole")]
    >>> row = [["a", "1", "2", "3", "4", "x"]]  # least widths 5, 2, 2, 2, 2, 4; a table of n columns adds 3n + 1
    >>> column_groups(cols, row, 36, head=1, tail=1)  # 5 + 4 × 2 + 4 + 19 = 36: all fit
    [[1, 2, 3, 4, 5]]
    >>> column_groups(cols, row, 30, head=1, tail=1)  # 5 + 4 × 2 + 16 = 29; with the tail 36
    [[1, 2, 3, 4], [5]]
    >>> column_groups(cols, row, 20, head=1, tail=1)  # 5 + 2 × 2 + 10 = 19; a third company 24
    [[1, 2], [3, 4], [5]]
    """
    texts = [[visible(column.header), *(plain_text(row[i]) for row in rows)] for i, column in enumerate(columns)]
    least = _bounds(columns, texts, width)[1]
    kept = sum(least[:head])

    def fits(group: list[int]) -> bool:
        return kept + sum(least[i] for i in group) + frame_width(head + len(group)) <= width

    groups: list[list[int]] = [[]]
    for i in range(head, len(columns) - tail):
        if groups[-1] and not fits([*groups[-1], i]):
            groups.append([])
        groups[-1].append(i)
    ends = list(range(len(columns) - tail, len(columns)))
    if ends and groups[-1] and not fits([*groups[-1], *ends]):
        groups.append([])
    groups[-1].extend(ends)
    return groups


def _bounds(columns: Sequence[Column], texts: list[list[str]], available: int) -> tuple[list[int], list[int]]:
    """Each column's natural width (no wider than ``available`` unless it must) and the least it
    may take before folding (its longest unbroken piece, up to ``LONGEST_UNBROKEN``), given each
    column's header and cells."""
    natural, least = [], []
    for column, (header, *body) in zip(columns, texts, strict=True):
        header_word = widest([header], _header_words)
        whole = widest(body)
        if column.shape == "whole":
            least.append(max(whole, header_word))
        elif column.shape == "name":
            least.append(max(min(widest(body, _name_pieces), LONGEST_UNBROKEN), header_word))
        else:
            least.append(max(min(widest(body, _words), LONGEST_UNBROKEN), header_word))
        # A column wider than the room would only give characters back one at a time.
        natural.append(max(min(max(whole, cell_width(header)), available), least[-1]))
    return natural, least


def _height(tallest: list[tuple[int, int, int]], j: int, lines: list[int], weights: list[int]) -> int:
    """The table's height (lines, each kind of row times its weight) with column ``j`` taking
    ``lines`` per kind of row, given each row's tallest column, where it is, and the tallest other.

    >>> _height([(3, 1, 2), (1, 0, 1)], 1, [1, 4], [1, 2])  # max(2, 1) + 2 × max(1, 4)
    10
    """
    return sum(
        weight * max(second if first_at == j else first, count)
        for (first, first_at, second), count, weight in zip(tallest, lines, weights, strict=True)
    )


def _sized(texts: list[str], shape: Shape) -> list[_Sizes]:
    """``_Sizes.of`` each text, a text that comes again cut only once."""
    sized: dict[str, _Sizes] = {}
    return [sized[text] if text in sized else sized.setdefault(text, _Sizes.of(text, shape)) for text in texts]


def _two_tallest(lines: list[int]) -> tuple[int, int, int]:
    """The largest line count, its column (the first, if several), and the largest among the other columns.

    >>> _two_tallest([1, 3, 2])
    (3, 1, 2)
    >>> _two_tallest([3, 1, 3])
    (3, 0, 3)
    >>> _two_tallest([2])
    (2, 0, 0)
    """
    first = max(lines)
    first_at = lines.index(first)
    return first, first_at, max(lines[:first_at] + lines[first_at + 1 :], default=0)


class _Sizes(Record):
    """A cell cut once into what its line count at any width needs: per line, the sizes
    of its words (``text``) or of its name pieces by segment (``name``).

    >>> _Sizes.of("a bb  ccc", "text").lines(3)
    3
    >>> _Sizes.of("revenue_growth[ai_native_products]", "name").lines(20)
    2
    >>> _Sizes.of("2022-01-01\\n2025-09-30", "whole").lines(3)
    2
    """

    shape: Shape
    words: tuple[tuple[int, ...], ...] = ()  # text: per line, each word's cells
    names: tuple[tuple[tuple[int, ...], ...], ...] = ()  # name: per line, per segment, each piece's length
    count: int = 1  # whole: the lines, whatever the width

    @classmethod
    def of(cls, text: str, shape: Shape) -> _Sizes:
        lines = text.splitlines() or [""]
        if shape == "whole":
            return cls(shape, count=max(1, len(text.splitlines())))
        if shape == "name":
            segments = (
                tuple(tuple(map(len, _name_split(part))) for part in re.split(r"(?=\[)", line)) for line in lines
            )
            return cls(shape, names=tuple(segments))
        return cls(shape, words=tuple(tuple(cell_width(word) for word in line.split()) for line in lines))

    def lines(self, width: int) -> int:
        """How many lines the cell takes in a column ``width`` wide (as Rich wraps it)."""
        if self.shape == "whole":
            return self.count
        if self.shape == "name":
            return sum(_name_lines(line, width) for line in self.names)
        return sum(_text_lines(line, width) for line in self.words)


def _name_split(part: str) -> list[str]:
    return re.split(r"(?<=[_/])", part)


def _name_lines(segments: tuple[tuple[int, ...], ...], width: int) -> int:
    """The lines ``wrap_name`` makes of a name whose pieces have these lengths."""
    if sum(map(sum, segments)) <= width:
        return 1
    count = 0
    for pieces in segments:  # a segment starts on a line of its own
        count += 1
        used = 0
        for size in pieces:
            if used and used + size > width:
                count += 1
                used = 0
            used += size
            if used > width:  # cut where it must
                count += (used - 1) // width
                used = (used - 1) % width + 1
    return count


def _text_lines(words: tuple[int, ...], width: int) -> int:
    """The lines Rich wraps words of these sizes into, between words, folding a word longer than the line."""
    used = 0
    count = 1
    for size in words:
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
    return count


def frame_width(count: int) -> int:
    """What a table takes besides its content: an edge each side, a rule between
    columns and a space of padding each side of every cell."""
    return 2 + (count - 1) + 2 * count


def fits(columns: Sequence[Column], rows: Sequence[Sequence[TextCell]], width: int) -> bool:
    """Whether the table fits ``width`` without wrapping anything."""
    natural = [
        max(widest([plain_text(row[i]) for row in rows]), cell_len(visible(c.header))) for i, c in enumerate(columns)
    ]
    return sum(natural) + frame_width(len(columns)) <= width


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


def word_lines(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in _header_words(text):
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


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
