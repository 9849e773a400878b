"""minimetrics: the numbers of pre-profit AI companies side by side, every figure traceable.

The Python API (everything the command line shows can be computed from here)::

    from minimetrics import load_data, find_company, facts_frame
    data = load_data(resolve_data_dir())           # every sheet in the data folder, validated
    sheet = find_company(data, "minimax")          # by id, ticker or name
    frame = facts_frame(data.sheets)               # one tidy row per report
"""

from typing import TYPE_CHECKING

from minimetrics.dataset import (
    Dataset,
    UnknownCompanyError,
    bundled_data_dir,
    check_files,
    find_company,
    load_data,
    resolve_data_dir,
    summarize,
)
from minimetrics.factsheet import Company, Fact, FactSheet, FxRate, FxTable, Report, Source, read_fx, read_sheet
from minimetrics.problems import FactSheetError, Problem, Severity
from minimetrics.registry import METRICS, Metric, Period, Unit, parse_period, parse_unit
from minimetrics.results import (
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

# The one place the version is written (pyproject.toml reads it from here): a literal,
# because asking importlib.metadata costs about 30 ms at every start.
__version__ = "0.1.0"


if TYPE_CHECKING:
    from minimetrics.tidy import facts_frame


def __getattr__(name: str) -> object:
    # pandas is imported only when the frame is asked for, so that commands which
    # do not compute (list, validate, --help) start quickly.
    if name == "facts_frame":
        from minimetrics.tidy import facts_frame

        return facts_frame
    raise AttributeError(f"module 'minimetrics' has no attribute {name!r}")


__all__ = [
    "METRICS",
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
    "Verdict",
    "bundled_data_dir",
    "check_files",
    "facts_frame",
    "find_company",
    "load_data",
    "parse_period",
    "parse_unit",
    "read_fx",
    "read_sheet",
    "resolve_data_dir",
    "summarize",
]
