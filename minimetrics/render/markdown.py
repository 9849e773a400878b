"""Markdown for the computed results: GitHub tables, numbers right-aligned, notes numbered."""

from __future__ import annotations

from collections.abc import Collection
from typing import TextIO

from minimetrics.render.escape import markdown_text
from minimetrics.render.rows import (
    CHANGES_HEADER,
    CLAIMS_HEADER,
    FIGURE_HEADER,
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
    runway_header,
    runway_rows,
)
from minimetrics.results import (
    BreakevenGridTable,
    BreakevenTable,
    Changes,
    ClaimsTable,
    Comparison,
    Explanation,
    FigureTable,
    RunwayTable,
)


def markdown_table(
    header: list[str], rows: list[list[str]], right: Collection[int] = (), markup: Collection[int] = ()
) -> str:
    """A GitHub table of text: the columns in ``right`` (numbers) right-aligned, every cell
    escaped (``markdown_text``) but those of the columns in ``markup`` (already Markdown),
    pipes escaped and a line break a writer put in a cell made a space.

    >>> print(markdown_table(["a", "n"], [["x|y <b>", "1"]], {1}), end="")
    | a | n |
    | --- | ---: |
    | x\\|y \\<b\\> | 1 |
    """

    def clean(text: str, i: int = -1) -> str:
        text = text if i in markup else markdown_text(text.replace("\n", " "))
        return text.replace("|", "\\|")

    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(clean(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(clean(c, i) for i, c in enumerate(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_comparison(result: Comparison, out: TextIO) -> None:
    lines = comparison_lines(result)
    out.write(f"## {' vs '.join(result.companies)}\n\nMoney in {result.currency}; {aligned(result)}.\n\n")
    right = set(range(1, len(lines.header) - 1))
    for title, rows in lines.sections:
        out.write(f"### {title}\n\n" + markdown_table(lines.header, rows, right) + "\n")
    for i, note in enumerate(lines.notes, 1):
        out.write(f"{i}. {markdown_text(note)}\n")
    if lines.conflicts:
        out.write(
            "\n**Conflicts between sources behind these figures**\n\n"
            + "".join(f"- {markdown_text(line)}\n" for line in lines.conflicts)
        )


def write_figures(result: FigureTable, out: TextIO) -> None:
    out.write(f"### {result.title}\n\n" + markdown_table(FIGURE_HEADER, figure_rows(result.figures), {3}))


def write_runways(result: RunwayTable, out: TextIO) -> None:
    header = runway_header(result.runways)
    right = {1, 2} if len(header) > len(RUNWAY_HEADER) else {1}
    out.write("### Cash runway\n\n" + markdown_table(header, runway_rows(result.runways, left=True), right))


def write_explanation(result: Explanation, out: TextIO) -> None:
    out.write("\n".join(markdown_text(line) for line in explain_lines(result)) + "\n")


def write_claims(result: ClaimsTable, out: TextIO) -> None:
    out.write(
        "### Claims in the sources, checked against the data\n\n"
        + markdown_table(CLAIMS_HEADER, claim_rows(result), {2, 4})
    )


def write_breakeven(result: BreakevenTable, out: TextIO) -> None:
    header, rows = breakeven_rows(result)
    out.write(f"### {breakeven_title(result.as_of)}\n\n" + markdown_table(header, rows))
    out.write("\n" + "".join(f"- {markdown_text(note)}\n" for note in breakeven_notes(result)))


def write_grid(result: BreakevenGridTable, out: TextIO) -> None:
    out.write(f"### {breakeven_title(result.as_of)}\n\n")
    for grid in result.grids:
        if not grid.cells:
            out.write(markdown_text(grid_empty(grid)) + "\n\n")
            continue
        header, rows = grid_rows(grid)
        out.write(
            f"**{markdown_text(grid_title(grid))}**\n\n"
            + markdown_table(header, rows, set(range(1, len(header))))
            + "\n"
        )
    out.write(GRID_LEGEND + "\n")


def write_changes(result: Changes, out: TextIO) -> None:
    out.write(f"### {changes_title(result)}\n\n{markdown_text(changes_summary(result))}.\n\n")
    if result.changes:
        out.write(markdown_table(CHANGES_HEADER, change_rows(result.changes)))
