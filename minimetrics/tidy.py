"""The tidy DataFrame the computation layer consumes: one row per report of a fact."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from minimetrics.dataset import bulk
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
    # One tuple per report, turned into columns by zip: a thousand sheets are half a million
    # rows, and a dict per row costs several times more. What a fact, a unit or a source
    # gives every report is worked out once.
    with bulk():
        rows = _rows(sheets)
    columns = dict(zip(COLUMNS, map(list, zip(*rows, strict=True)), strict=True)) if rows else {}
    # (no rows: object columns, as pandas makes them from an empty list of rows)
    frame = pd.DataFrame(columns if rows else [], columns=COLUMNS)
    for column in ("period_start", "period_end", "source_published"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("value", "scale", "amount"):
        frame[column] = frame[column].astype("float64")
    return frame


def _rows(sheets: Iterable[FactSheet]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    nan = float("nan")
    units: dict[int, tuple[str, str, str, float]] = {}  # by id: the units outlive this loop
    for sheet in sheets:
        sources = {s.id: (s.rank, s.kind, s.published) for s in sheet.sources}
        company, file = sheet.company.id, str(sheet.path)
        for fact in sheet.facts:
            period, metric = fact.period, METRICS[fact.metric]
            head = (
                company,
                fact.metric,
                fact.segment,
                period.label,
                period.start,
                period.end,
                period.is_instant,
                period.months,
                metric.kind.value,
            )
            for index, report in enumerate(fact.reports):
                unit = report.unit
                described = units.get(id(unit))
                if described is None:
                    described = units[id(unit)] = (
                        (unit.text, unit.family.value, unit.currency or "", unit.scale)
                        if unit
                        else ("", metric.family.value, "", nan)
                    )
                text, family, currency, scale = described
                if unit is None:  # the family then comes from the metric, not the unit
                    family = metric.family.value
                rank, kind, published = sources[report.source]
                rows.append(
                    (
                        *head,
                        report.value,
                        text,
                        family,
                        currency,
                        scale,
                        report.amount,
                        report.qualifier,
                        report.basis,
                        report.disclosed,
                        report.source,
                        rank,
                        kind,
                        published,
                        index == fact.preferred,
                        fact.conflict,
                        fact.unresolved,
                        report.note,
                        file,
                        report.line,
                    )
                )
    return rows
