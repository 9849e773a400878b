"""The plain writer of long tables (``terminal._PlainTable``) writes the same bytes as Rich's
Table: every table command on the fixtures and the shipped data, at 80, 100 and 132 columns,
without and with colour, drawn once by each (``PLAIN_FROM`` 0: every table plain; huge: Rich)."""

import io
from pathlib import Path

import pytest
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
        terminal.PLAIN_FROM, saved = plain_from, terminal.PLAIN_FROM
        try:
            out = io.StringIO()
            with terminal.colour_allowed(colour):
                terminal.console(out, width).print(
                    terminal.grid("A title", columns, rows, table_widths(columns, rows, width))
                )
            drawn.append(out.getvalue())
        finally:
            terminal.PLAIN_FROM = saved
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


def test_a_table_wider_than_the_console_is_left_to_rich() -> None:
    columns = (Column("id", "whole"), Column("value", "whole", "right"))
    rows: list[list[TextCell]] = [["a-very-long-identifier-that-cannot-break", "1"]]
    plain, rich = _both(columns, rows, 20, colour=False)
    assert plain == rich
