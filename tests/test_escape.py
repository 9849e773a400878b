"""Text from a sheet reaches a terminal, Markdown, HTML and a spreadsheet only as text
(issue 13, items 4 and 7), and table layout is linear in a cell's length (item 2).

The hostile sheet is the alpha fixture with escape codes, bidi and zero-width characters,
newlines, raw HTML, links and formulas written into its name, a source's title and a note
as YAML escapes. Whatever the reader lets through, the writers must not pass on."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.text import Text
from typer.testing import CliRunner

from minimetrics import cli, reader
from minimetrics.render import Column, layout, table_widths, wrap_name
from minimetrics.render.document import _pairs
from minimetrics.render.escape import markdown_text, spreadsheet_text, visible

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()

NAME = r'"Alpha\e[31m Labs\u202e\u200b [bold red]lit[/]"'
TITLE = (
    r'"doubles\e]0;pwned\a on\nits <script>alert(1)</script> debut [x](javascript:alert(1)) '
    r'=HYPERLINK(\"http://x\") <https://evil.example> ![i](x.png) `code` **bold**"'
)
NOTE = r'"@SUM(A1)\x00\e[2J <img src=x onerror=alert(1)> [y]: javascript:alert(2)"'
# What must never reach a terminal: ESC, BEL, NUL, a bidi override, a zero-width space.
ACTING = ("\x1b", "\x07", "\x00", "\u202e", "\u200b")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hostile sheet, read by a reader told to let every character through: the reader
    refuses such text (issue 13 item 4), and these tests show that the writers would not pass
    it on even if it did not."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "REFUSED_CATEGORIES", {})
        yield _hostile_folder(tmp_path_factory)


def _hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "fx.yaml").write_text((FIXTURES / "fx.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    text = (FIXTURES / "alpha.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("name: Alpha Labs\n", f"name: {NAME}\n"),
        ("title: Alpha Labs doubles on its debut", f"title: {TITLE}"),
        ('note: "a guess before the prospectus; rank 4 against rank 1"', f"note: {NOTE}"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    (folder / "alpha.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(cli.app, ["--no-cache", "validate", "--no-bundled", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def run(*args: str) -> str:
    result = runner.invoke(cli.app, ["--no-cache", *args], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


# --- visible ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[31mb", "a\\x1b[31mb"),  # ESC: colour, cursor moves, window titles
        ("a\x00b", "a\\x00b"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),  # a forged line in a log
        ("exe.\u202etxt", "exe.\\u202etxt"),  # right-to-left override
        ("a\u200bb\ufeffc", "a\\u200bb\\ufeffc"),  # zero width: a key that looks like another
        ("a\u2028b", "a\\u2028b"),  # line separator
        ("a\x85b\x9bc", "a\\x85b\\x9bc"),  # C1 controls (\x9b is CSI on some terminals)
        ("\U000e0041", "\\U000e0041"),  # a tag character
        ("智譜\u3000AI ü", "智譜\u3000AI ü"),  # what shows stays
    ],
)
def test_visible_spells_out_what_would_act(text: str, shown: str) -> None:
    assert visible(text) == shown


@given(st.text())
def test_nothing_visible_returns_can_act(text: str) -> None:
    shown = visible(text)
    assert not any(unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp") for c in shown)
    assert shown == text or not text.isprintable()


# --- the terminal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("show", "alpha"),
        ("list",),
        ("compare", "alpha", "beta"),
        ("explain", "alpha", "revenue", "FY2024"),
        ("claims",),
    ],
)
def test_no_acting_character_reaches_the_terminal(hostile: Path, args: tuple[str, ...]) -> None:
    data = ["--no-bundled", "--data-dir", str(hostile)]
    if "beta" in args:  # compare needs a second company: beta, unchanged, beside the hostile alpha
        (hostile / "beta.yaml").write_text((FIXTURES / "beta.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = run(*args, *data)
    assert not any(c in out for c in ACTING), [c for c in ACTING if c in out]


def test_show_spells_out_the_name_and_title_and_keeps_rich_markup_literal(hostile: Path) -> None:
    out = run("show", "alpha", "--no-bundled", "--data-dir", str(hostile))
    assert "Alpha\\x1b[31m Labs\\u202e\\u200b [bold red]lit[/]" in out.splitlines()[0]
    assert "doubles\\x1b]0;pwned\\x07" in out  # the title's first words, in the sources table
    assert "on\\nits" in out.replace(" ", "").replace("│", "") or "on\\n" in out


def test_a_cell_built_elsewhere_is_checked_again_by_the_table() -> None:
    # A writer that forgot to escape: grid and footnotes still spell everything out.
    from minimetrics.render.terminal import console, footnotes, grid

    out = io.StringIO()
    columns = [Column("a"), Column("b")]
    rows: list[list[str | Text]] = [["x\x1b[2Jy", Text("p\u202eq\nr")]]
    con = console(out, 60)
    con.print(grid("t\x07", columns, rows, table_widths(columns, rows, 60)))
    con.print(footnotes([("-", "n\x00o")]))
    text = out.getvalue()
    assert not any(c in text for c in ACTING)
    assert "x\\x1b[2Jy" in text and "p\\u202eq" in text and "n\\x00o" in text


# --- Markdown and HTML -----------------------------------------------------------------------

# What a CommonMark renderer must not make of sheet text: an element, a link, an image, code, emphasis.
UNSAFE_HTML = re.compile(r"<(script|img|a\b|code|strong|em)|href=", re.IGNORECASE)


def test_markdown_report_rendered_by_commonmark_has_no_raw_html_or_link(hostile: Path) -> None:
    markdown = run("report", "alpha", "--as-of", "2026-02-01", "--no-bundled", "--data-dir", str(hostile))
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    sources = rendered[rendered.index("Sources") :]
    assert "doubles" in sources  # the payloads are in the part checked
    assert not UNSAFE_HTML.search(sources), UNSAFE_HTML.findall(sources)
    # Shown as the sheet wrote it: escaped, not dropped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sources
    assert "[x](javascript:alert(1))" in sources
    assert "Alpha\\x1b[31m Labs" in rendered


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "<https://evil.example>",
        "<javascript:alert(1)>",
        "`code` and **bold** and *em*",
        "[y]: javascript:alert(2)\n\n[y]",
        "&lt;script&gt;",
        "\\<script>",
    ],
)
def test_markdown_text_renders_as_the_text_itself(payload: str) -> None:
    rendered = MarkdownIt("commonmark").render(markdown_text(payload))
    assert not UNSAFE_HTML.search(rendered), rendered
    # CommonMark shows the text as written (a newline is spelled out, so it is the only difference).
    expected = visible(payload).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert rendered == f"<p>{expected}</p>\n"


def test_html_report_stays_safe_with_the_same_payloads(hostile: Path) -> None:
    page = run(
        "report", "alpha", "--as-of", "2026-02-01", "--format", "html", "--no-bundled", "--data-dir", str(hostile)
    )
    body = page[page.index("<body>") :]
    assert "<script" not in body and "<img" not in body and 'javascript:alert(1)"' not in body
    assert 'href="javascript' not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "`code` **bold**" in body  # sheet text is not read as Markdown in HTML either
    assert not any(c in page for c in ACTING)


def test_html_inline_marks_pair_as_before_in_one_pass() -> None:
    # The old loop replaced the leftmost pair again and again; the result is the same.
    assert _pairs("a**b***c**", "**", "strong") == "a<strong>b</strong>*c**"
    assert _pairs("*****", "**", "strong") == "<strong></strong>*"
    assert _pairs("`" * 5, "`", "code") == "<code></code><code></code>`"


@given(st.text(alphabet="*`ab "))
def test_pairs_match_the_replace_loop(text: str) -> None:
    old = text
    while old.count("**") >= 2:
        old = old.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
    assert _pairs(text, "**", "strong") == old


# --- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.5", "-12.5"),  # a negative number is a number
        ("-1e-05", "-1e-05"),
        ("+3", "+3"),
        ("12 =x", "12 =x"),  # only the start counts
        ("", ""),
    ],
)
def test_spreadsheet_text(cell: str, written: str) -> None:
    assert spreadsheet_text(cell) == written


def test_csv_text_cells_cannot_start_a_formula_and_numbers_stay_numbers(hostile: Path) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("show", "alpha", "--format", "csv", "--no-bundled", "--data-dir", str(hostile))))
    )
    notes = [r["note"] for r in rows if "SUM" in r["note"]]
    assert notes and all(n.startswith("'@SUM(A1)") for n in notes)
    assert all(not r["note"].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows)
    values = [r["value"] for r in rows if r["value"]]
    assert all(re.fullmatch(r"-?[\d.e+-]+|\[.*\]", v) for v in values), values


# --- layout: linear in a cell's length ---------------------------------------------------------


def count_line_counts(monkeypatch: pytest.MonkeyPatch, text: str) -> int:
    calls = []
    original = layout._Sizes.lines

    def counted(self: layout._Sizes, width: int) -> int:
        calls.append(width)
        return original(self, width)

    monkeypatch.setattr(layout._Sizes, "lines", counted)
    columns = [Column("id", "whole"), Column("kind", "name"), Column("title")]
    rows: list[list[str | Text]] = [["[1]", "press_before_prospectus", text], ["[2]", "press", "short"]]
    widths = table_widths(columns, rows, 80)
    assert sum(widths) + layout.frame_width(3) <= 80
    monkeypatch.undo()
    return len(calls)


@pytest.mark.parametrize("words", [1_000, 20_000])
def test_a_long_cell_is_counted_at_no_more_widths_than_the_room(monkeypatch: pytest.MonkeyPatch, words: int) -> None:
    # A cell is counted at most once a column and width up to the room (80 less the frame, 10),
    # whatever its length: before, a column started at its natural width (6 characters a word,
    # 6,000 or 120,000) and was counted at each width on the way down.
    calls = count_line_counts(monkeypatch, "words " * words)
    assert calls <= 2 * 3 * 70  # two cells in each of 3 columns, at most 70 widths each
    assert calls == count_line_counts(monkeypatch, "words " * 100)


def test_wrap_name_cuts_a_long_piece_into_whole_widths() -> None:
    name = "x" * 100_001
    lines = wrap_name(name, 20).split("\n")
    assert len(lines) == 5_001 and set(map(len, lines[:-1])) == {20} and lines[-1] == "x"


@given(st.text(alphabet="ab_/[]", max_size=60), st.integers(min_value=1, max_value=30))
def test_name_line_count_matches_wrap_name(name: str, width: int) -> None:
    expected = sum(wrap_name(line, width).count("\n") + 1 for line in name.splitlines() or [""])
    assert layout._Sizes.of(name, "name").lines(width) == expected
