"""JSON and CSV: the results as data, written plainly (never through Rich, which would wrap them).

Each result has one record shape. For most it is the result's own fields, nested
records as objects, in the order ``results`` declares them, leaving out the fields
marked table-only. The exceptions are written out here: a company list, a fact sheet
(its raw numbers with their units), and the figure and runway tables (their rows
under "frame", a figure's fields in ``FIGURE_COLUMNS`` order). CSV is one flat row
per figure, per cell or per input. Numbers are data, rounded to ``SIGNIFICANT`` (12)
significant digits by ``numbers.machine_number`` so that binary noise (-44.099999999999994)
goes and no stated digit does; NaN becomes null in JSON and an empty field in CSV, dates ISO 8601.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from typing import TextIO, cast

from minimetrics.factsheet import FactSheet, Report
from minimetrics.registry import Unit
from minimetrics.render.escape import spreadsheet_text
from minimetrics.render.numbers import machine_number
from minimetrics.results import (
    BREAKEVEN_COLUMNS,
    COMPARISON_COLUMNS,
    FIGURE_COLUMNS,
    Breakeven,
    BreakevenGridTable,
    BreakevenTable,
    Changes,
    Claim,
    ClaimsTable,
    CompanySummary,
    Comparison,
    Explanation,
    Figure,
    FigureTable,
    ImportPlan,
    Input,
    Runway,
    RunwayTable,
    breakeven_fields,
    comparison_fields,
)
from minimetrics.results import Report as ReportDocument

# JSON-ready data: what ``json.dump`` writes as is.
Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
# A CSV field before it is written: csv writes None and "" alike, a number by its repr.
Field = None | bool | int | float | str | date


def plain(value: object) -> Json:
    """A result as JSON-ready data (see the module docstring for the shapes); NaN becomes null."""
    match value:
        case FigureTable():
            return {"title": value.title, "frame": [plain(f) for f in value.figures]}
        case RunwayTable():
            return {"frame": [plain(r) for r in value.runways], "detail": value.detail}
        case Figure():
            return {c: plain(getattr(value, c)) for c in FIGURE_COLUMNS}
        case None | bool() | int() | str():
            return value
        case float():
            return machine_number(value) if math.isfinite(value) else None
        case date():
            return value.isoformat()
        case list() | tuple():
            return [plain(v) for v in value]
        case dict():
            return {str(k): plain(v) for k, v in value.items()}
        case _ if is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in fields(value) if not f.metadata.get("table_only")}
    return str(value)


def write_json(data: Json, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2, allow_nan=False)
    out.write("\n")


class _CsvWriter:
    """``csv.writer`` whose text cells cannot start a formula in a spreadsheet (``spreadsheet_text``);
    numbers, booleans and dates are written as they are. Every CSV goes through it."""

    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Sequence[object]) -> None:
        self.writer.writerow([spreadsheet_text(v) if isinstance(v, str) else v for v in row])


def _field(value: object) -> object:
    """A CSV field: a number rounded (``machine_number``), NaN empty, a date ISO 8601."""
    if isinstance(value, float):
        return machine_number(value) if math.isfinite(value) else ""
    return value.isoformat() if isinstance(value, date) else value


def _write_csv(header: Sequence[str], rows: Sequence[Sequence[Field]], out: TextIO) -> None:
    writer = _CsvWriter(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_field(v) for v in row])


# --- list -----------------------------------------------------------------------------


def _summary_dict(row: CompanySummary) -> dict[str, Json]:
    return {
        "id": row.id,
        "name": row.name,
        "native_name": row.native_name,
        "tickers": list(row.tickers),
        "currency": row.currency,
        "periods": list(row.periods),
        "facts": row.facts,
        "reports": row.reports,
        "conflicts": row.conflicts,
        "newest_source": row.newest_source.isoformat() if row.newest_source else None,
    }


def write_companies_json(rows: Sequence[CompanySummary], out: TextIO) -> None:
    write_json([_summary_dict(r) for r in rows], out)


def write_companies_csv(rows: Sequence[CompanySummary], out: TextIO) -> None:
    writer = _CsvWriter(out)
    writer.writerow(
        [
            "id",
            "name",
            "native_name",
            "tickers",
            "currency",
            "periods",
            "facts",
            "reports",
            "conflicts",
            "newest_source",
        ]
    )
    for row in rows:
        d = _summary_dict(row)
        writer.writerow(
            [
                *(d[k] for k in ("id", "name", "native_name")),
                " ".join(row.tickers),
                row.currency,
                " ".join(row.periods),
                row.facts,
                row.reports,
                row.conflicts,
                d["newest_source"] or "",
            ]
        )


# --- show ------------------------------------------------------------------------------


def _unit_dict(unit: Unit | None) -> dict[str, Json]:
    if unit is None:
        return {"unit": None, "currency": None, "scale": None}
    return {"unit": unit.text, "currency": unit.currency, "scale": unit.scale}


def _report_dict(report: Report, preferred: bool) -> dict[str, Json]:
    return {
        "value": plain(report.value),
        **_unit_dict(report.unit),
        "amount": plain(report.amount),
        "disclosed": report.disclosed,
        "qualifier": report.qualifier,
        "basis": report.basis or None,
        "source": report.source,
        "preferred": preferred,
        "note": report.note or None,
        "preferred_because": report.preferred_because or None,
    }


def sheet_dict(sheet: FactSheet) -> dict[str, Json]:
    """The whole sheet as plain data: raw numbers with their units."""
    company = sheet.company
    return {
        "company": {
            "id": company.id,
            "name": company.name,
            "native_name": company.native_name,
            "legal_name": company.legal_name or None,
            "aliases": list(company.aliases),
            "tickers": list(company.tickers),
            "founded": company.founded,
            "listed": company.listed.isoformat() if company.listed else None,
            "currency": company.currency,
            "fiscal_year_end": company.fiscal_year_end,
            "segments": {s.id: s.name for s in company.segments},
        },
        "sources": {
            s.id: {
                "outlet": s.outlet,
                "title": s.title,
                "published": s.published.isoformat(),
                "url": s.url or None,
                "kind": s.kind,
                "rank": s.rank,
                "file": s.file or None,
                "note": s.note or None,
            }
            for s in sheet.sources
        },
        "facts": [
            {
                "metric": f.metric,
                "segment": f.segment or None,
                "period": f.period.label,
                "period_start": f.period.start.isoformat(),
                "period_end": f.period.end.isoformat(),
                "is_instant": f.period.is_instant,
                "conflict": f.conflict,
                "unresolved": f.unresolved,
                "resolution": f.resolution or None,
                "reports": [_report_dict(r, i == f.preferred) for i, r in enumerate(f.reports)],
            }
            for f in sheet.facts
        ],
    }


def write_sheet_json(sheet: FactSheet, out: TextIO) -> None:
    write_json(sheet_dict(sheet), out)


SHEET_CSV_COLUMNS = (
    "company",
    "metric",
    "segment",
    "period",
    "period_start",
    "period_end",
    "value",
    "unit",
    "currency",
    "amount",
    "disclosed",
    "qualifier",
    "basis",
    "source",
    "source_rank",
    "preferred",
    "conflict",
    "unresolved",
    "note",
    "preferred_because",
)


def write_sheet_csv(sheet: FactSheet, out: TextIO) -> None:
    writer = _CsvWriter(out)
    writer.writerow(SHEET_CSV_COLUMNS)
    for fact in sheet.facts:
        for i, report in enumerate(fact.reports):
            unit = report.unit
            writer.writerow(
                [
                    sheet.company.id,
                    fact.metric,
                    fact.segment,
                    fact.period.label,
                    fact.period.start.isoformat(),
                    fact.period.end.isoformat(),
                    "" if report.value is None else repr(machine_number(report.value)),
                    unit.text if unit else "",
                    (unit.currency or "") if unit else "",
                    "" if report.amount is None else repr(machine_number(report.amount)),
                    report.disclosed,
                    report.qualifier,
                    report.basis,
                    report.source,
                    sheet.source(report.source).rank,
                    i == fact.preferred,
                    fact.conflict,
                    fact.unresolved,
                    report.note,
                    report.preferred_because,
                ]
            )


# --- computed results ---------------------------------------------------------------------


def write_result_json(
    result: Comparison | FigureTable | RunwayTable | Explanation | ClaimsTable | Changes, out: TextIO
) -> None:
    write_json(plain(result), out)


def write_report_json(report: ReportDocument, out: TextIO) -> None:
    """The whole report as data: every section, the charts' series included."""
    write_json(plain(report), out)


def _inputs_joined(inputs: Sequence[Input]) -> str:
    """Inputs in one CSV cell: "key period amount currency [source]; …"."""
    return "; ".join(f"{i.key} {i.period} {machine_number(i.amount)!r} {i.currency} [{i.source}]" for i in inputs)


def write_comparison_csv(result: Comparison, out: TextIO) -> None:
    """One line per company per row (``COMPARISON_COLUMNS``), its inputs joined into one cell."""
    rows: list[list[Field]] = []
    for row in result.rows:
        for cell in row.cells:
            found = comparison_fields(row, cell) | {"inputs": _inputs_joined(cell.inputs)}
            rows.append([cast(Field, found[c]) for c in COMPARISON_COLUMNS])
    _write_csv(COMPARISON_COLUMNS, rows, out)


def _inputs_text(figure: Figure | Runway) -> str:
    return _inputs_joined(figure.inputs)


def write_figures_csv(result: FigureTable, out: TextIO) -> None:
    """One line per figure, its inputs joined into the last column."""
    header = [c for c in FIGURE_COLUMNS if c != "inputs"]
    rows: list[list[Field]] = [[getattr(f, c) for c in header] + [_inputs_text(f)] for f in result.figures]
    _write_csv([*header, "inputs"], rows, out)


def write_runways_csv(result: RunwayTable, out: TextIO) -> None:
    """One line per runway, its inputs joined into the last column."""
    header = [f.name for f in fields(Runway) if f.name != "inputs"]
    rows: list[list[Field]] = [[getattr(r, c) for c in header] + [_inputs_text(r)] for r in result.runways]
    _write_csv([*header, "inputs"], rows, out)


def write_claims_csv(result: ClaimsTable, out: TextIO) -> None:
    """One line per claim."""
    header = [f.name for f in fields(Claim)] if result.claims else ["company", "claim"]
    _write_csv(header, [[getattr(c, name) for name in header] for c in result.claims], out)


EXPLANATION_CSV = (
    "company",
    "figure",
    "period",
    "value",
    "unit",
    "status",
    "qualifier",
    "label",
    "formula",
    "input",
    "input_period",
    "input_amount",
    "input_currency",
    "input_source",
)


def write_explanation_csv(result: Explanation, out: TextIO) -> None:
    """One line per input, the figure repeated on each (one line with empty inputs if it has none)."""
    figure: list[Field] = [getattr(result, name) for name in EXPLANATION_CSV[:9]]
    rows: list[list[Field]] = [[*figure, i.key, i.period, i.amount, i.currency, i.source] for i in result.inputs] or [
        [*figure, "", "", "", "", ""]
    ]
    _write_csv(EXPLANATION_CSV, rows, out)


def write_breakeven_json(result: BreakevenTable | BreakevenGridTable, out: TextIO) -> None:
    """The records as they are, each with its projection month by month; no inf or NaN (null instead)."""
    write_json({"note": "a projection on stated assumptions, not a forecast", **_as_dict(plain(result))}, out)


def _as_dict(data: Json) -> dict[str, Json]:
    assert isinstance(data, dict)
    return data


def _breakeven_row(b: Breakeven, as_of: date) -> list[Field]:
    row = breakeven_fields(b, as_of)
    row["inputs"] = _inputs_joined(b.inputs)
    return [cast(Field, row[c]) for c in BREAKEVEN_COLUMNS]


def write_breakeven_csv(result: BreakevenTable, out: TextIO) -> None:
    """One line per company: the outcome, then every assumption it rests on (``BREAKEVEN_COLUMNS``)."""
    _write_csv(BREAKEVEN_COLUMNS, [_breakeven_row(b, result.as_of) for b in result.breakevens], out)


GRID_CSV = (
    "company",
    "revenue_growth",
    "cost_growth",
    "status",
    "verdict",
    "breakeven_month",
    "cash_out_month",
    "is_base",
)


def write_grid_csv(result: BreakevenGridTable, out: TextIO) -> None:
    """One line per cell; a company without a grid (n/m, already profitable) has none."""
    rows: list[list[Field]] = [
        [
            grid.base.company,
            c.revenue_growth,
            c.cost_growth,
            c.status,
            c.verdict,
            c.breakeven_month,
            c.cash_out_month,
            c.is_base,
        ]
        for grid in result.grids
        for c in grid.cells
    ]
    _write_csv(GRID_CSV, rows, out)


def write_plan_json(plan: ImportPlan, out: TextIO) -> None:
    """An import's plan: sources, reports (each marked present or not) and unmapped rows; no sheet texts."""
    data = {name: plain(getattr(plan, name)) for name in ("sources", "reports", "unmapped")}
    write_json(data, out)


CHANGES_CSV = ("company", "key", "period", "kind", "conflict")
SHOWN_CSV = ("value", "low", "high", "unit", "qualifier", "source", "published")


def write_changes_csv(result: Changes, out: TextIO) -> None:
    """One line per change: the fact, what changed, then the report before (empty when the fact
    appeared) and now, each as value (or a range's low and high), unit, qualifier, source, date."""
    header = [*CHANGES_CSV, *(f"old_{c}" for c in SHOWN_CSV), *(f"new_{c}" for c in SHOWN_CSV)]
    rows: list[list[Field]] = []
    for c in result.changes:
        shown: list[Field] = []
        for report in (c.old, c.new):
            if report is None:
                shown += [None] * len(SHOWN_CSV)
                continue
            low, high = report.value_range or (None, None)
            shown += [report.value, low, high, report.unit, report.qualifier, report.source, report.published]
        rows.append([c.company, c.key, c.period, str(c.kind), c.conflict, *shown])
    _write_csv(header, rows, out)
