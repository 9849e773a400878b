"""The tidy DataFrame the computation layer consumes: one row per report of a fact."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from minimetrics.factsheet import FactSheet
from minimetrics.registry import METRICS

COLUMNS = [
    "company",
    "metric",
    "segment",
    "period",
    "period_start",
    "period_end",
    "is_instant",
    "months",
    "kind",
    "value",
    "unit",
    "family",
    "currency",
    "scale",
    "amount",
    "qualifier",
    "basis",
    "disclosed",
    "source",
    "source_rank",
    "source_kind",
    "source_published",
    "preferred",
    "conflict",
    "unresolved",
    "note",
    "file",
    "line",
]


def facts_frame(sheets: Iterable[FactSheet]) -> pd.DataFrame:
    """Every report of every fact, one row each, with the columns in ``COLUMNS``.

    ``value`` is the number as written in ``unit``; ``amount`` is it in whole units
    (``value * scale``: USD, RMB, people). Both are NaN where the source does not
    disclose the figure (``disclosed`` is False). ``preferred`` marks the report
    that wins by source rank; ``conflict`` and ``unresolved`` are per fact.
    Dates are ``datetime64``; ``months`` is 0 for a date.
    """
    rows: list[dict[str, object]] = []
    for sheet in sheets:
        sources = {s.id: s for s in sheet.sources}
        for fact in sheet.facts:
            for index, report in enumerate(fact.reports):
                source = sources[report.source]
                unit = report.unit
                rows.append(
                    {
                        "company": sheet.company.id,
                        "metric": fact.metric,
                        "segment": fact.segment,
                        "period": fact.period.label,
                        "period_start": fact.period.start,
                        "period_end": fact.period.end,
                        "is_instant": fact.period.is_instant,
                        "months": fact.period.months,
                        "kind": METRICS[fact.metric].kind.value,
                        "value": report.value,
                        "unit": unit.text if unit else "",
                        "family": unit.family.value if unit else METRICS[fact.metric].family.value,
                        "currency": (unit.currency or "") if unit else "",
                        "scale": unit.scale if unit else float("nan"),
                        "amount": report.amount,
                        "qualifier": report.qualifier,
                        "basis": report.basis,
                        "disclosed": report.disclosed,
                        "source": report.source,
                        "source_rank": source.rank,
                        "source_kind": source.kind,
                        "source_published": source.published,
                        "preferred": index == fact.preferred,
                        "conflict": fact.conflict,
                        "unresolved": fact.unresolved,
                        "note": report.note,
                        "file": str(sheet.path),
                        "line": report.line,
                    }
                )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("period_start", "period_end", "source_published"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("value", "scale", "amount"):
        frame[column] = frame[column].astype("float64")
    return frame
