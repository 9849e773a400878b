"""The tidy DataFrame the computation layer consumes: one row per report of a fact."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from minimetrics.factsheet import FactSheet
from minimetrics.memory import bulk
from minimetrics.registry import METRICS, is_result

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
    "low",
    "high",
    "range_low",
    "range_high",
    "qualifier",
    "outlook",
    "result",
    "basis",
    "disclosed",
    "source",
    "source_rank",
    "source_kind",
    "source_published",
    "published_inferred",
    "period_inferred",
    "preferred",
    "conflict",
    "unresolved",
    "reviewed",
    "note",
    "file",
    "line",
]


def facts_frame(sheets: Iterable[FactSheet]) -> pd.DataFrame:
    """Every report of every fact, one row each, with the columns in ``COLUMNS``.

    ``value`` is the number as written in ``unit``; ``amount`` is it in whole units
    (``value * scale``: USD, RMB, people). Both are NaN where the report gives no one
    number: the figure is not disclosed (``disclosed`` is False), the source gives a
    range (``qualifier`` "range"), or the fact is an event with no figure. ``low`` and
    ``high`` are the whole-unit amounts the report allows (its rounding and qualifier:
    ``ranges.bounds``; ±inf on an open side); ``range_low`` and ``range_high`` are a
    range's ends as written in ``unit``. A computation must never take a range's
    midpoint: it works on ``low``/``high`` as an interval, or leaves the report out.

    ``result`` is False for a forecast, target, plan or estimate (``outlook``) and for
    an event with no figure (``registry.is_result``): computations take only results.
    ``published_inferred`` and ``period_inferred`` say that the source's date or the
    report's period was inferred, not stated; a derived figure that rests on such a row
    must say so. ``preferred`` marks the report shown (see ``factsheet.Fact``);
    ``conflict`` and ``unresolved`` are per fact; ``reviewed`` marks a report that carries a
    reviewer's ``preferred_because`` (what an as-of view needs to decide again which report is
    shown: ``history.frame_on``). Dates are ``datetime64``; ``months``
    is 0 for a date.
    """
    # One tuple per report, made into columns by pandas: a thousand sheets are half a million
    # rows, and a dict per row costs several times more. What a fact, a unit or a source
    # gives every report is worked out once.
    with bulk():
        rows = _rows(sheets)
    # (no rows: object columns, as pandas makes them from an empty list of rows)
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS) if rows else pd.DataFrame([], columns=COLUMNS)
    for column in ("period_start", "period_end", "source_published"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("value", "scale", "amount", "low", "high", "range_low", "range_high"):
        frame[column] = frame[column].astype("float64")
    return frame


def _rows(sheets: Iterable[FactSheet]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    append = rows.append
    nan = float("nan")
    # Worked out once each (by id: the records outlive this loop): what a unit, a period and a
    # metric give every row they are in.
    units: dict[int, tuple[str, str, str, float]] = {}
    periods: dict[int, tuple[object, ...]] = {}
    metrics = {name: (m.kind.value, m.family.value) for name, m in METRICS.items()}
    for sheet in sheets:
        sources = {s.id: (s.rank, s.kind, s.published, bool(s.published_inferred)) for s in sheet.sources}
        company, file = sheet.company.id, str(sheet.path)
        for fact in sheet.facts:
            period = fact.period
            when = periods.get(id(period))
            if when is None:
                when = periods[id(period)] = (
                    period.label,
                    period.start,
                    period.end,
                    period.is_instant,
                    period.months,
                )
            kind, metric_family = metrics[fact.metric]
            head = (company, fact.metric, fact.segment, *when, kind)
            preferred, conflict, unresolved = fact.preferred, fact.conflict, fact.unresolved
            for index, report in enumerate(fact.reports):
                unit = report.unit
                if unit is None:  # the family then comes from the metric
                    text, family, currency, scale = "", metric_family, "", nan
                else:
                    described = units.get(id(unit))
                    if described is None:
                        described = units[id(unit)] = (unit.text, unit.family.value, unit.currency or "", unit.scale)
                    text, family, currency, scale = described
                rank, source_kind, published, published_inferred = sources[report.source]
                low, high = report.bounds() if report.has_bounds else (nan, nan)
                range_low, range_high = report.value_range or (nan, nan)
                append(
                    (
                        *head,
                        report.value,
                        text,
                        family,
                        currency,
                        scale,
                        report.amount,
                        low,
                        high,
                        range_low,
                        range_high,
                        report.qualifier,
                        report.outlook,
                        is_result(fact.metric, report.outlook),
                        report.basis,
                        report.disclosed,
                        report.source,
                        rank,
                        source_kind,
                        published,
                        published_inferred,
                        bool(report.period_inferred),
                        index == preferred,
                        conflict,
                        unresolved,
                        bool(report.preferred_because),
                        report.note,
                        file,
                        report.line,
                    )
                )
    return rows
