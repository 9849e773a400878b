"""The words the command line offers as choices: output formats and breakeven's loss basis.

A module of its own, with nothing to import, so that ``minimetrics --help`` builds its options
without loading the results and their writers (``render`` and ``results`` re-export these).
"""

from __future__ import annotations

from enum import StrEnum


class Output(StrEnum):
    """Every output format; which a result has is declared by its writers (``render``)."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


# The command line's choices of --format, each the formats of the results that command gives
# (a test checks each against the writers in ``render``).
class Format(StrEnum):
    """Formats of ``list`` and ``show``."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class ReportFormat(StrEnum):
    """Formats of the computed results: compare, growth, margins, runway, breakeven, claims, explain, changes."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class PlanFormat(StrEnum):
    """Formats of an import's plan (`minimetrics import`)."""

    TABLE = "table"
    JSON = "json"


class DocumentFormat(StrEnum):
    """Formats of the full report (`minimetrics report`)."""

    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


class LossBasis(StrEnum):
    """Which loss makes costs = revenue + loss in ``breakeven``; the names are runway's burn bases."""

    ADJUSTED_LOSS = "adjusted_loss"
    NET_LOSS = "net_loss"
    OPERATING = "operating"  # operating cash outflow: the statement's negative cash flow, sign turned
