"""``layout.table_widths`` picks the widths of the plain algorithm it implements: for many
generated tables, the widths a direct reading of its rule gives (every candidate column's table
height counted from scratch, every text measured by Rich), however it saves work."""

import random
import re

from rich.cells import cell_len

from minimetrics.render.escape import visible
from minimetrics.render.layout import (
    LONGEST_UNBROKEN,
    Column,
    Shape,
    TextCell,
    _Sizes,
    _words,
    frame_width,
    plain_text,
    table_widths,
    word_lines,
)


def _widest(texts: list[str], split: object = str.splitlines) -> int:
    return max((cell_len(part) for text in texts for part in split(text)), default=0)  # type: ignore[operator]


def _words_read(text: str) -> list[str]:
    """``layout._words`` read directly: its rule as the regular expression it avoids compiling."""
    return [piece for word in text.split() for piece in re.findall(r"[^\s\u2e80-\uffef]+|[\u2e80-\uffef]", word)]


def _header_words(header: str) -> list[str]:
    words: list[str] = []
    for word in header.split():
        if words and len(word) == 1 and not word.isalnum():
            words[-1] += " " + word
        else:
            words.append(word)
    return words


def _reference(columns: list[Column], rows: list[list[TextCell]], width: int) -> list[int]:
    """table_widths' rule read directly: each column at its natural width (no wider than the room,
    no narrower than its longest unbroken piece); while too wide, the column whose narrowing gives
    the shortest table (then not firm, then the widest, then the last) gives a character, first
    down to the pieces, then down to folding."""
    available = width - frame_width(len(columns))
    texts = [[visible(c.header), *(plain_text(row[i]) for row in rows)] for i, c in enumerate(columns)]
    natural, least = [], []
    for column, (header, *body) in zip(columns, texts, strict=True):
        header_word = _widest([header], _header_words)
        if column.shape == "whole":
            least.append(max(_widest(body), header_word))
        elif column.shape == "name":
            pieces = _widest(body, lambda n: re.split(r"(?<=[_/])|(?=\[)", n))
            least.append(max(min(pieces, LONGEST_UNBROKEN), header_word))
        else:
            least.append(max(min(_widest(body, _words_read), LONGEST_UNBROKEN), header_word))
        natural.append(max(min(max(_widest(body), cell_len(header)), available), least[-1]))
    folded = [w if c.shape == "whole" else min(w, 4) for w, c in zip(least, columns, strict=True)]

    counted: dict[tuple[int, int], list[int]] = {}

    def lines(i: int, w: int) -> list[int]:
        """Column ``i``'s lines per row (the header first) at width ``w``."""
        if (i, w) not in counted:
            header, *body = texts[i]
            counted[i, w] = [len(word_lines(header, w)), *(_Sizes.of(t, columns[i].shape).lines(w) for t in body)]
        return counted[i, w]

    def height(widths: list[int]) -> int:
        per_column = [lines(i, w) for i, w in enumerate(widths)]
        return sum(max(row) for row in zip(*per_column, strict=True))

    widths = natural[:]
    for floor in (least, folded):
        while sum(widths) > available:
            shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
            if not shrinkable:
                break

            def cost(j: int) -> tuple[int, bool, int, int]:
                trial = widths[:]
                trial[j] -= 1
                return height(trial), columns[j].firm, -widths[j], -j

            widths[min(shrinkable, key=cost)] -= 1
    return widths


def _cell(rng: random.Random, shape: Shape) -> str:
    if shape == "whole":
        return rng.choice(["1,234.5", "2025-12-31", "FY2025", "–", "12.5 → 3.1", "synth0001", "智譜"])
    if shape == "name":
        return rng.choice(["revenue_growth[ai_native_products]", "rd_expense", "adjusted_net_margin_change", "a"])
    words = ["cash", "USD", "million", "(2025-12-31)", "stated", "/", "liquid", "大模型", "a-very-long-identifier-x"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(0, 6)))


def test_table_widths_are_the_rule_s_widths_for_generated_tables() -> None:
    rng = random.Random(16)
    narrowed = 0
    for _ in range(250):
        shapes: list[Shape] = [rng.choice(["whole", "name", "text", "text"]) for _ in range(rng.randint(1, 7))]
        headers = ["company", "months: from cash date → left", "cash (date)", "minimax − zhipu", "x", ""]
        columns = [
            Column(rng.choice(headers), shape, rng.choice(["left", "right"]), rng.random() < 0.2) for shape in shapes
        ]
        rows: list[list[TextCell]] = [[_cell(rng, s) for s in shapes] for _ in range(rng.randint(0, 12))]
        rows += rows[: rng.randint(0, len(rows))]  # rows that come again weigh more
        width = rng.randint(20, 110)
        widths = table_widths(columns, rows, width)
        assert widths == _reference(columns, rows, width), (columns, rows, width)
        natural = [
            max([cell_len(c.header), *(cell_len(plain_text(r[i])) for r in rows)]) for i, c in enumerate(columns)
        ]
        narrowed += widths != natural
    assert narrowed > 100  # most tables had to give way, so the choice of column was tested


def test_words_are_the_regular_expression_s_pieces() -> None:
    """The loop cuts text where the expression would, for generated texts of Latin letters,
    punctuation, Chinese and Japanese characters, the range's ends, and kinds of spaces."""
    rng = random.Random(10)
    # U+2E7F and U+FFF0 lie just outside the range; U+3000 is an ideographic space (in it).
    alphabet = ["a", "Z", "1", ",", "(", "-", "智", "譜", "モ", "ー", "\u2e80", "\uffef", "\u2e7f", "\ufff0", "é"]
    spaces = [" ", "  ", "\t", "\n", "\u3000", "\u00a0"]
    checked = 0
    for _ in range(2000):
        text = "".join(
            rng.choice(alphabet) if rng.random() < 0.8 else rng.choice(spaces) for _ in range(rng.randint(0, 14))
        )
        assert _words(text) == _words_read(text), text
        checked += not text.isascii()
    assert checked > 1500  # most texts took the loop, not the ASCII shortcut
    # By hand: "ab智c d" is "ab", "智", "c" (one word cut around its Chinese character), then "d".
    assert _words("ab智c d") == ["ab", "智", "c", "d"]
