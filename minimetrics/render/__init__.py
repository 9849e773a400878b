"""From results to text: ``write(result, fmt, out)`` picks the writer by the result's class.

One job per module: ``numbers`` (the only place a number becomes text), ``layout``
(column widths, wrapping, text charts), ``rows`` (each result as plain rows of text,
shared by the writers), ``terminal`` (Rich tables, colour, progress, stderr lines),
``markdown``, ``machine`` (JSON, CSV) and ``document`` (the report, as Markdown or
HTML). Each kind of result declares below the formats it has a writer for; asking
for another is a ValueError naming both.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from minimetrics.choices import DocumentFormat, Format, Output, PlanFormat, ReportFormat

# Each name is imported from its module when first asked for, so that a command loads only
# the writers it uses (``validate`` needs only ``stderr``; --help none at all).
_HOME = {
    "SUPPORTED": "writers",
    "write": "writers",
    "PROGRESS_FROM": "stderr",
    "LoadProgress": "stderr",
    "write_problems": "stderr",
    "console": "terminal",
    "write_dead_gate": "terminal",
    "write_gate": "terminal",
    "write_written": "terminal",
    "Column": "layout",
    "bar": "layout",
    "sparkline": "layout",
    "table_widths": "layout",
    "wrap_name": "layout",
}

if TYPE_CHECKING:
    from minimetrics.render import machine as machine
    from minimetrics.render import markdown as markdown
    from minimetrics.render.layout import Column, bar, sparkline, table_widths, wrap_name
    from minimetrics.render.stderr import PROGRESS_FROM, LoadProgress, write_problems
    from minimetrics.render.terminal import console, write_dead_gate, write_gate, write_written
    from minimetrics.render.writers import SUPPORTED, write


# The writers' tables reach the JSON, CSV and Markdown writers as ``render.machine`` and
# ``render.markdown``, imported here when first asked for: a command that writes a table never
# loads them.
_SUBMODULES = ("machine", "markdown")


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:  # importing it makes it an attribute of the package: asked once
        return importlib.import_module(f"minimetrics.render.{name}")
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'minimetrics.render' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"minimetrics.render.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "PROGRESS_FROM",
    "SUPPORTED",
    "Column",
    "DocumentFormat",
    "Format",
    "LoadProgress",
    "Output",
    "PlanFormat",
    "ReportFormat",
    "bar",
    "console",
    "sparkline",
    "table_widths",
    "wrap_name",
    "write",
    "write_dead_gate",
    "write_gate",
    "write_problems",
    "write_written",
]
