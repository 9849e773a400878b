"""``write``: the writer of each kind of result in each format, picked by the result's class."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TextIO, TypeVar

from minimetrics import render
from minimetrics.choices import Output
from minimetrics.factsheet import FactSheet

# The terminal writer is imported here: ``write`` takes its colour switch whatever the format.
# The JSON and CSV writers (``render.machine``) and the Markdown ones (``render.markdown``) are
# looked up when a writer is called (``render`` imports a submodule when first asked for it), so
# that `list` writing its table loads neither (about 5 ms).
from minimetrics.render import terminal
from minimetrics.results import (
    BreakevenGridTable,
    BreakevenTable,
    Changes,
    ClaimsTable,
    CompanySummary,
    Comparison,
    Explanation,
    FigureTable,
    ImportPlan,
    Report,
    RunwayTable,
)


# The report's writers load with the one command that writes a report.
def _report_markdown(result: Report, out: TextIO, width: int) -> None:
    from minimetrics.render import document

    document.write_markdown(result, out, width)


def _report_html(result: Report, out: TextIO, width: int) -> None:
    from minimetrics.render import document

    document.write_html(result, out, width)


R = TypeVar("R")
# A writer: the result, the stream, the width a table may take.
Writer = Callable[[R, TextIO, int], None]
Writers = Mapping[Output, Writer[R]]


COMPANIES: Writers[list[CompanySummary]] = {
    Output.TABLE: terminal.write_companies,
    Output.JSON: lambda result, out, width: render.machine.write_companies_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_companies_csv(result, out),
}
SHEET: Writers[FactSheet] = {
    Output.TABLE: terminal.write_sheet,
    Output.JSON: lambda result, out, width: render.machine.write_sheet_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_sheet_csv(result, out),
}
COMPARISON: Writers[Comparison] = {
    Output.TABLE: terminal.write_comparison,
    Output.JSON: lambda result, out, width: render.machine.write_result_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_comparison_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_comparison(result, out),
}
FIGURES: Writers[FigureTable] = {
    Output.TABLE: terminal.write_figures,
    Output.JSON: lambda result, out, width: render.machine.write_result_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_figures_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_figures(result, out),
}
RUNWAYS: Writers[RunwayTable] = {
    Output.TABLE: terminal.write_runways,
    Output.JSON: lambda result, out, width: render.machine.write_result_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_runways_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_runways(result, out),
}
EXPLANATION: Writers[Explanation] = {
    Output.TABLE: terminal.write_explanation,
    Output.JSON: lambda result, out, width: render.machine.write_result_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_explanation_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_explanation(result, out),
}
CLAIMS: Writers[ClaimsTable] = {
    Output.TABLE: terminal.write_claims,
    Output.JSON: lambda result, out, width: render.machine.write_result_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_claims_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_claims(result, out),
}
BREAKEVENS: Writers[BreakevenTable] = {
    Output.TABLE: terminal.write_breakeven,
    Output.JSON: lambda result, out, width: render.machine.write_breakeven_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_breakeven_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_breakeven(result, out),
}
GRIDS: Writers[BreakevenGridTable] = {
    Output.TABLE: terminal.write_grid,
    Output.JSON: lambda result, out, width: render.machine.write_breakeven_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_grid_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_grid(result, out),
}
CHANGES: Writers[Changes] = {
    Output.TABLE: terminal.write_changes,
    Output.JSON: lambda result, out, width: render.machine.write_result_json(result, out),
    Output.CSV: lambda result, out, width: render.machine.write_changes_csv(result, out),
    Output.MARKDOWN: lambda result, out, width: render.markdown.write_changes(result, out),
}
PLAN: Writers[ImportPlan] = {
    Output.TABLE: terminal.write_plan,
    Output.JSON: lambda result, out, width: render.machine.write_plan_json(result, out),
}
REPORT: Writers[Report] = {
    Output.MARKDOWN: _report_markdown,
    Output.HTML: _report_html,
    Output.JSON: lambda result, out, width: render.machine.write_report_json(result, out),
}

# The formats each kind of result supports, by its class (``list`` is the list of companies).
SUPPORTED: dict[type, tuple[Output, ...]] = {
    list: tuple(COMPANIES),
    FactSheet: tuple(SHEET),
    Comparison: tuple(COMPARISON),
    FigureTable: tuple(FIGURES),
    RunwayTable: tuple(RUNWAYS),
    Explanation: tuple(EXPLANATION),
    ClaimsTable: tuple(CLAIMS),
    BreakevenTable: tuple(BREAKEVENS),
    BreakevenGridTable: tuple(GRIDS),
    Changes: tuple(CHANGES),
    ImportPlan: tuple(PLAN),
    Report: tuple(REPORT),
}


def write(  # noqa: C901 -- one case a result
    result: object, fmt: str, out: TextIO, width: int = 100, colour: bool = False, scale: str | None = None
) -> None:
    """Write a command's result in the chosen format. ``colour`` lets tables use colour; the
    caller decides (a terminal, no NO_COLOR, no --no-color), machine formats never do.
    ``scale`` (million, billion, 萬 or 億) is the scale of every money figure in a sheet's
    table (``show``); JSON and CSV hold each figure as its source wrote it, so a scale is
    a ValueError there, as it is for a result that is not a sheet."""
    output = Output(fmt)
    if scale is not None and not (isinstance(result, FactSheet) and output is Output.TABLE):
        raise ValueError(f"a scale is for the table of a sheet, not {output} output of {type(result).__name__}")
    with terminal.colour_allowed(colour):
        match result:
            case list():
                _use(COMPANIES, [row for row in result if isinstance(row, CompanySummary)], output, out, width)
            case FactSheet() if scale is not None:
                terminal.write_sheet(result, out, width, scale)
            case FactSheet():
                _use(SHEET, result, output, out, width)
            case Comparison():
                _use(COMPARISON, result, output, out, width)
            case FigureTable():
                _use(FIGURES, result, output, out, width)
            case RunwayTable():
                _use(RUNWAYS, result, output, out, width)
            case Explanation():
                _use(EXPLANATION, result, output, out, width)
            case ClaimsTable():
                _use(CLAIMS, result, output, out, width)
            case BreakevenTable():
                _use(BREAKEVENS, result, output, out, width)
            case BreakevenGridTable():
                _use(GRIDS, result, output, out, width)
            case Changes():
                _use(CHANGES, result, output, out, width)
            case ImportPlan():
                _use(PLAN, result, output, out, width)
            case Report():
                _use(REPORT, result, output, out, width)
            case _:
                raise TypeError(f"no writer for {type(result).__name__}")


def _use(writers: Writers[R], result: R, output: Output, out: TextIO, width: int) -> None:
    writer = writers.get(output)
    if writer is None:
        raise ValueError(f"no {output} output for {type(result).__name__}")
    writer(result, out, width)
