"""minimetrics: the numbers of pre-profit AI companies side by side, every figure traceable.

The Python API (everything the command line shows can be computed from here)::

    from minimetrics import load_data, find_company, facts_frame, comparison, to_frame
    data = load_data()                             # every sheet in the data folder, validated
    sheet = find_company(data, "MiniMax")          # by id, ticker, name or alias
    frame = facts_frame(data.sheets)               # one tidy row per report
    table = to_frame(comparison(data, ["minimax", "zhipu"], currency="usd"))

The functions check their inputs as the command line does (``minimetrics.api``): a wrong
company, currency, period, date or path is a ``UsageError`` saying what to give instead.
"""

from typing import TYPE_CHECKING

# The one place the version is written (pyproject.toml reads it from here): a literal,
# because asking importlib.metadata costs about 30 ms at every start.
__version__ = "0.1.0"

# Every name below is imported when it is first asked for (``__getattr__``), so that
# `minimetrics --help`, `list` and `validate` load only the modules they use: the result
# classes, their writers and pandas load with the commands that compute.
_HOMES = {
    "minimetrics.api": (
        "breakeven_grid_table breakeven_table build_report changes check_files claims_table comparison explain "
        "find_company growth_table load_data load_frame margin_table read_fx read_sheet resolve_data_dir "
        "runway_table summarize"
    ),
    "minimetrics.dataset": (
        "AmbiguousCompanyError Dataset UnknownCompanyError broken_note bundled_data_dir data_dirs folders_note"
    ),
    "minimetrics.factsheet": "Company Fact FactSheet FxRate FxTable Report Source",
    "minimetrics.problems": "FactSheetError Problem Severity UsageError",
    "minimetrics.registry": "METRICS Metric Period Unit parse_period parse_unit",
    "minimetrics.results": (
        "BreakevenGridTable BreakevenTable Changes ClaimsTable CompanySummary Comparison Direction Explanation "
        "Figure FigureTable Measure RunwayTable Status Verdict"
    ),
    "minimetrics.tidy": "facts_frame",  # loads pandas
    "minimetrics.frames": "repr_html to_frame",  # loads pandas
}
_HOME = {name: module for module, names in _HOMES.items() for name in names.split()}

if TYPE_CHECKING:
    from minimetrics.api import (
        breakeven_grid_table,
        breakeven_table,
        build_report,
        changes,
        check_files,
        claims_table,
        comparison,
        explain,
        find_company,
        growth_table,
        load_data,
        load_frame,
        margin_table,
        read_fx,
        read_sheet,
        resolve_data_dir,
        runway_table,
        summarize,
    )
    from minimetrics.dataset import (
        AmbiguousCompanyError,
        Dataset,
        UnknownCompanyError,
        broken_note,
        bundled_data_dir,
        data_dirs,
        folders_note,
    )
    from minimetrics.factsheet import Company, Fact, FactSheet, FxRate, FxTable, Report, Source
    from minimetrics.frames import repr_html, to_frame
    from minimetrics.problems import FactSheetError, Problem, Severity, UsageError
    from minimetrics.registry import METRICS, Metric, Period, Unit, parse_period, parse_unit
    from minimetrics.results import (
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
        Measure,
        RunwayTable,
        Status,
        Verdict,
    )
    from minimetrics.tidy import facts_frame


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'minimetrics' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked once: later look-ups find it here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "METRICS",
    "AmbiguousCompanyError",
    "BreakevenGridTable",
    "BreakevenTable",
    "Changes",
    "ClaimsTable",
    "Company",
    "CompanySummary",
    "Comparison",
    "Dataset",
    "Direction",
    "Explanation",
    "Fact",
    "FactSheet",
    "FactSheetError",
    "Figure",
    "FigureTable",
    "FxRate",
    "FxTable",
    "Measure",
    "Metric",
    "Period",
    "Problem",
    "Report",
    "RunwayTable",
    "Severity",
    "Source",
    "Status",
    "Unit",
    "UnknownCompanyError",
    "UsageError",
    "Verdict",
    "breakeven_grid_table",
    "breakeven_table",
    "broken_note",
    "build_report",
    "bundled_data_dir",
    "changes",
    "check_files",
    "claims_table",
    "comparison",
    "data_dirs",
    "explain",
    "facts_frame",
    "find_company",
    "folders_note",
    "growth_table",
    "load_data",
    "load_frame",
    "margin_table",
    "parse_period",
    "parse_unit",
    "read_fx",
    "read_sheet",
    "repr_html",
    "resolve_data_dir",
    "runway_table",
    "summarize",
    "to_frame",
]
