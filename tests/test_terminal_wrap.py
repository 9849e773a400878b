"""``terminal.plain_lines`` gives the lines Rich's ``Text.wrap`` gives (folding, justified left or
right) for printable ASCII (and → – −), and the plain writer of long tables, which uses it, still writes the
bytes of Rich's Table when its cells wrap."""

import io
import random

import pytest
from rich.console import Console
from rich.text import Text

from minimetrics.render import terminal
from minimetrics.render.layout import Column, TextCell, table_widths


def _rich(plain: str, width: int, justify: str, no_wrap: bool) -> list[str]:
    console = Console(width=200, color_system=None)
    lines = Text(plain).wrap(console, width, justify=justify, overflow="fold", no_wrap=no_wrap)  # type: ignore[arg-type]
    return [line.plain for line in lines]


WORD_CHARS = "abcxyzABC0123456789,.()[]/_-→–−"  # printable ASCII, the arrow and the dashes


def _text(rng: random.Random) -> str:
    """Words of 1 to 40 characters (longer than many widths: folded), one to three spaces
    between them, sometimes leading or trailing spaces or a line break."""
    parts = [" " * rng.choice([0, 0, 0, 1, 2, 5])]
    for _ in range(rng.randint(0, 8)):
        parts.append("".join(rng.choice(WORD_CHARS) for _ in range(rng.choice([1, 2, 3, 5, 8, 12, 25, 40]))))
        parts.append(rng.choice([" ", " ", " ", "  ", "   ", "\n", " \n "]))
    if rng.random() < 0.5:
        parts.pop()  # most texts end in a word, some in spaces or a line break
    return "".join(parts)


def test_plain_lines_are_rich_s_lines_for_generated_texts() -> None:
    rng = random.Random(16)
    checked = 0
    for _ in range(4000):
        plain, width = _text(rng), rng.randint(1, 30)
        for justify in ("left", "right"):
            for no_wrap in (False, True):
                assert terminal.plain_lines(plain, width, justify, no_wrap) == _rich(plain, width, justify, no_wrap), (
                    plain,
                    width,
                    justify,
                    no_wrap,
                )
                checked += 1
    assert checked == 4000 * 2 * 2  # every case was compared


@pytest.mark.parametrize(
    ("plain", "width", "justify", "expected"),
    [
        # "a long note" at 6: "a long" is 6 cells but "a " + "long" fits (6 ≥ 4 after 2 used), so
        # "a long" stays together; "note" starts the next line.
        ("a long note", 6, "left", ["a long", "note  "]),
        # a word of 8 at width 3 is folded into 3 + 3 + 2; "ij" fits after "gh " (3 - 3 = 0 < 2): next line.
        ("abcdefgh ij", 3, "left", ["abc", "def", "gh ", "ij "]),
        # leading spaces belong to the first word: "  ab" is 4 cells > 3, folded "  a" + "b".
        ("  ab cd", 3, "right", ["  a", "  b", " cd"]),
        # spaces beyond the width are cut, then right-justified lines lose the rest of them.
        ("abc     d", 4, "right", [" abc", "   d"]),
        ("", 3, "left", ["   "]),
        ("x\n\ny", 2, "right", [" x", "  ", " y"]),
    ],
)
def test_plain_lines_by_hand(plain: str, width: int, justify: str, expected: list[str]) -> None:
    assert terminal.plain_lines(plain, width, justify, False) == expected  # type: ignore[arg-type]
    assert _rich(plain, width, justify, False) == expected


def _drawn(columns: tuple[Column, ...], rows: list[list[TextCell]], width: int, colour: bool, plain_from: int) -> str:
    saved = terminal.PLAIN_FROM, terminal.PLAIN_SQUEEZED
    terminal.PLAIN_FROM, terminal.PLAIN_SQUEEZED = plain_from, plain_from == 0  # 10**9: Rich's Table only
    try:
        out = io.StringIO()
        with terminal.colour_allowed(colour):
            terminal.console(out, width).print(
                terminal.grid("A title", columns, rows, table_widths(columns, rows, width))
            )
        return out.getvalue()
    finally:
        terminal.PLAIN_FROM, terminal.PLAIN_SQUEEZED = saved


@pytest.mark.parametrize("width", [80, 100, 132])
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_long_tables_of_wrapped_cells_are_rich_s_bytes(width: int, colour: bool) -> None:
    """Rows like runway's (numbers right, amounts and notes that wrap, a name that breaks),
    some styled, some with wide characters, markup or a tab, drawn by the plain writer and by
    Rich's Table."""
    rng = random.Random(width)
    columns = (
        Column("company", "whole"),
        Column("months: from cash date → left", "text", "right"),
        Column("runs out", "whole"),
        Column("cash (date)"),
        Column("burn a month (period)"),
        Column("figure", "name"),
        Column("basis"),
    )
    rows: list[list[TextCell]] = []
    for i in range(60):
        months = f"{rng.uniform(0, 99):.1f} → {rng.uniform(0, 99):.1f}"
        note = _text(rng) if i % 7 else rng.choice(["[red]not markup[/red] but text", "智譜 大模型 the two", "a\tb"])
        rows.append(
            [
                f"synth{i:04d}",
                Text(months, "red") if i % 3 == 0 else months,
                "2034-04-05",
                f"{rng.uniform(1, 9999):,.1f} USD million ({2025 - i % 3}-12-31)",
                Text(note, "yellow") if i % 5 == 0 else note,
                "revenue_growth[ai_native_products]" if i % 2 else "rd_expense",
                "  stated / liquid  " if i % 4 == 0 else "operating / cash",
            ]
        )
    assert _drawn(columns, rows, width, colour, 0) == _drawn(columns, rows, width, colour, 10**9)
