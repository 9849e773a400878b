"""The plain writer of long tables (``terminal._PlainTable``) writes the same bytes as Rich's
Table: every table command on the fixtures and the shipped data, at 80, 100 and 132 columns,
without and with colour, drawn once by each (``PLAIN_FROM`` 0: every table plain; huge: Rich)."""

import io
import random
from pathlib import Path

import pytest
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from minimetrics import cli
from minimetrics.render import terminal
from minimetrics.render.layout import Column, TextCell, table_widths

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()
FIXTURE_DATA = ("--as-of", "2026-02-01", "--no-bundled", "--data-dir", str(FIXTURES))
COMMANDS = [
    ("runway", *FIXTURE_DATA),
    ("runway", "--detail", "--fx", "USDHKD=7.8", "--fx", "HKDRMB=0.9", *FIXTURE_DATA),
    ("growth", *FIXTURE_DATA),
    ("margins", *FIXTURE_DATA),
    ("list", *FIXTURE_DATA),
    ("show", "alpha", *FIXTURE_DATA),
    ("compare", "alpha", "beta", *FIXTURE_DATA),
    ("runway", "--as-of", "2026-03-01"),
    ("runway", "--detail", "--as-of", "2026-03-01"),
    ("growth", "--as-of", "2026-03-01"),
    ("margins", "--as-of", "2026-03-01"),
    ("list", "--as-of", "2026-03-01"),
    ("show", "minimax", "--as-of", "2026-03-01"),
    ("compare", "minimax", "zhipu", "--as-of", "2026-03-01"),
]


def _drawn(monkeypatch: pytest.MonkeyPatch, plain_from: int, args: tuple[str, ...], width: int, colour: bool) -> str:
    monkeypatch.setattr(terminal, "PLAIN_FROM", plain_from)
    monkeypatch.setattr(terminal, "PLAIN_SQUEEZED", plain_from == 0)  # Rich's: no table plain
    env = {"COLUMNS": str(width), "NO_COLOR": None if colour else "1", "FORCE_COLOR": "1" if colour else None}
    result = runner.invoke(cli.app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
@pytest.mark.parametrize("width", [80, 100, 132])
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_the_plain_writer_gives_rich_s_bytes(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], width: int, colour: bool
) -> None:
    rich = _drawn(monkeypatch, 10**9, args, width, colour)
    plain = _drawn(monkeypatch, 0, args, width, colour)
    assert plain == rich
    assert ("\x1b[" in plain) == colour or args[0] == "list"  # colour is on when asked (list may have none)


def _both(columns: tuple[Column, ...], rows: list[list[TextCell]], width: int, colour: bool) -> list[str]:
    drawn = []
    for plain_from in (0, 10**9):
        saved = terminal.PLAIN_FROM, terminal.PLAIN_SQUEEZED
        terminal.PLAIN_FROM, terminal.PLAIN_SQUEEZED = plain_from, plain_from == 0
        try:
            out = io.StringIO()
            with terminal.colour_allowed(colour):
                terminal.console(out, width).print(
                    terminal.grid("A title", columns, rows, table_widths(columns, rows, width))
                )
            drawn.append(out.getvalue())
        finally:
            terminal.PLAIN_FROM, terminal.PLAIN_SQUEEZED = saved
    return drawn


def test_wrapped_cells_wide_characters_styles_and_a_wrapped_header() -> None:
    columns = (
        Column("company", "whole"),
        Column("months from the cash date", "whole", "right"),
        Column("note"),
        Column("figure", "name"),
    )
    rows: list[list[TextCell]] = [
        ["alpha", Text("12.5", "red"), "a long note that wraps around here", "revenue_growth[ai_native_products]"],
        ["智譜", Text(""), Text("red text long enough to wrap", "red"), ""],
        ["b", Text.assemble("3 ", ("x", "yellow")), "  spaced  ", "a"],
    ]
    for colour in (False, True):
        plain, rich = _both(columns, rows, 40, colour)
        assert plain == rich


def test_a_table_wider_than_the_console_is_squeezed_as_rich_squeezes_it() -> None:
    columns = (Column("id", "whole"), Column("value", "whole", "right"))
    rows: list[list[TextCell]] = [["a-very-long-identifier-that-cannot-break", "1"]]
    for width in (20, 8, 6, 5, 4, 3):  # down to no room for a cell (3: the edges and the rule)
        plain, rich = _both(columns, rows, width, colour=False)
        assert plain == rich


def _wide_rows(rng: random.Random, companies: int) -> tuple[tuple[Column, ...], list[list[TextCell]]]:
    """A compare-like table: a label, a column per company (numbers, notes, styled cells, a
    wide character now and then), a difference and a leader."""
    columns = (
        Column("", firm=True),
        *(Column(f"synth{i:04d}", "text", "right") for i in range(companies)),
        Column("difference", "whole", "right"),
        Column("ahead", "whole"),
    )
    labels = ["Revenue (USD million)", "Revenue growth, year on year", "Months of cash left", "智譜 margin"]
    rows: list[list[TextCell]] = []
    for label in labels:
        cells: list[TextCell] = [label]
        for _ in range(companies):
            value = rng.choice(
                [f"{rng.uniform(-99, 9999):,.1f}", f"{rng.uniform(0, 99):.1f} [{rng.randint(1, 9)}]", "–"]
            )
            cells.append(Text(value, rng.choice(["", "red", "yellow"])) if rng.random() < 0.3 else value)
        cells += [f"{rng.uniform(-9, 9):+.1f} pp", rng.choice(["synth0001", ""])]
        rows.append(cells)
    return columns, rows


@pytest.mark.parametrize("companies", [3, 8, 20])
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_squeezed_wide_tables_are_rich_s_bytes(companies: int, colour: bool) -> None:
    # At these widths Rich narrows every column alike, some to a character, some to nothing.
    rng = random.Random(companies)
    columns, rows = _wide_rows(rng, companies)
    for width in (132, 100, 80, 60, 40, 30):
        plain, rich = _both(columns, rows, width, colour)
        assert plain == rich, width


def test_squeezed_widths_are_rich_s() -> None:
    # Columns of fixed widths in a table too wide: the widths Rich's Table works out for them.
    rng = random.Random(7)
    console = Console(width=80, color_system=None)
    for _ in range(300):
        padded = [rng.randint(1, 40) for _ in range(rng.randint(1, 25))]
        room = rng.randint(1, 120)
        table = Table(box=box.SIMPLE_HEAD)
        for w in padded:
            table.add_column(width=max(w - 2, 0))
        given = [max(w - 2, 0) + 2 for w in padded]
        rich = table._calculate_column_widths(console, console.options.update_width(room))
        assert terminal.squeezed(given, room) == rich, (given, room)
