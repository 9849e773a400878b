"""Formatting and output: the only module that styles text.

``write(result, fmt, out)`` dispatches on the result's type and the format. JSON
and CSV are written plainly (never through Rich, which would wrap them); tables
go through Rich with every piece of fact-sheet text passed as ``Text`` so markup
in it is shown literally.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from minimetrics.dataset import CompanySummary
from minimetrics.factsheet import Fact, FactSheet, Report
from minimetrics.problems import Problem
from minimetrics.registry import Unit


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


# --- Number formatters --------------------------------------------------------------


def format_number(value: float, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals, an ASCII minus.

    >>> format_number(1234567.891, 2)
    '1,234,567.89'
    >>> format_number(-465.2, 1)
    '-465.2'
    >>> format_number(float("nan"))
    'n/a'
    """
    if not math.isfinite(value):
        return "n/a"
    return f"{value:,.{max(decimals, 0)}f}"


def format_percent(value: float, decimals: int = 1) -> str:
    """A percentage, value given in percent.

    >>> format_percent(45.23)
    '45.2%'
    """
    return f"{format_number(value, decimals)}%"


def format_pp(value: float, decimals: int = 1) -> str:
    """A percentage-point change, always signed.

    >>> format_pp(3.14)
    '+3.1 pp'
    >>> format_pp(-0.5)
    '-0.5 pp'
    """
    sign = "+" if value >= 0 else ""
    return f"{sign}{format_number(value, decimals)} pp"


def format_periods(labels: tuple[str, ...]) -> str:
    """Full years as a range when consecutive, then the interims.

    >>> format_periods(("FY2022", "FY2023", "9M2024", "FY2024", "9M2025"))
    'FY2022-FY2024, 9M2024, 9M2025'
    >>> format_periods(("FY2022", "FY2024"))
    'FY2022, FY2024'
    """
    years = [int(p[2:]) for p in labels if p.startswith("FY")]
    others = [p for p in labels if not p.startswith("FY")]
    consecutive = len(years) > 2 and years == list(range(years[0], years[0] + len(years)))
    shown = [f"FY{years[0]}-FY{years[-1]}"] if consecutive else [f"FY{y}" for y in years]
    return ", ".join(shown + others)


QUALIFIER_MARK = {"exact": "", "about": "~", "more_than": ">", "less_than": "<"}


def format_report(report: Report, unit: Unit | None = None) -> str:
    """A report's figure in ``unit`` (default its own), with its qualifier mark.

    Converting between scales keeps the precision the source wrote:
    5344 in USD 萬 is 53.44 in USD million.
    """
    if report.value is None or report.unit is None:
        return "not disclosed"
    target = unit or report.unit
    shift = round(math.log10(target.scale / report.unit.scale))
    value = report.value * report.unit.scale / target.scale
    return QUALIFIER_MARK[report.qualifier] + format_number(value, report.decimals + shift)


# --- Dispatch ---------------------------------------------------------------------

Writer = Callable[[Any, TextIO, int], None]
# (result type name, format) → writer. Types are named, not imported: the computed results
# live in modules that load pandas, which list, show and validate must not.
_WRITERS: dict[tuple[str, str], Writer] = {}


def _writer(kind: str, *formats: str) -> Callable[[Writer], Writer]:
    def register(fn: Writer) -> Writer:
        for fmt in formats:
            _WRITERS[(kind, fmt)] = fn
        return fn

    return register


def write(result: object, fmt: str, out: TextIO, width: int = 100) -> None:
    """Write a command's result in the chosen format: its registered writer, else JSON of
    its plain data, else CSV of its flat records."""
    kind = type(result).__name__
    writer = _WRITERS.get((kind, str(fmt)))
    if writer is not None:
        writer(result, out, width)
    elif fmt == "json":
        write_json(plain(result), out)
    elif fmt == "csv":
        _records_csv(result, out)
    else:
        raise ValueError(f"no {fmt} output for {kind}")


def console(out: TextIO, width: int) -> Console:
    return Console(file=out, width=width, highlight=False, soft_wrap=False, emoji=False)


def write_problems(problems: list[Problem] | tuple[Problem, ...], err: TextIO) -> None:
    """Problems as ``path:line:col: severity: message — hint`` lines."""
    for problem in problems:
        err.write(str(problem) + "\n")


def write_json(data: object, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2, allow_nan=False, default=str)
    out.write("\n")


# --- list -----------------------------------------------------------------------------


def _summary_dict(row: CompanySummary) -> dict[str, Any]:
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


@_writer("list", "json")
def _list_json(rows: list[CompanySummary], out: TextIO, width: int) -> None:
    write_json([_summary_dict(r) for r in rows], out)


@_writer("list", "csv")
def _list_csv(rows: list[CompanySummary], out: TextIO, width: int) -> None:
    writer = csv.writer(out, lineterminator="\n")
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


@_writer("list", "table")
def _list_table(rows: list[CompanySummary], out: TextIO, width: int) -> None:
    table = Table(title="Companies", title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("id", "ticker", "cur."):
        table.add_column(header, no_wrap=True)
    table.add_column("years", no_wrap=True)
    table.add_column("interims", ratio=1, min_width=8)
    for header in ("facts", "conflicts", "newest"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(row.id),
            Text("\n".join(row.tickers)),
            Text(row.currency),
            Text(format_periods(tuple(p for p in row.periods if p.startswith("FY")))),
            Text(", ".join(p for p in row.periods if not p.startswith("FY"))),
            str(row.facts),
            str(row.conflicts),
            row.newest_source.isoformat() if row.newest_source else "",
        )
    console(out, width).print(table)


# --- show ------------------------------------------------------------------------------


def _unit_dict(unit: Unit | None) -> dict[str, Any]:
    if unit is None:
        return {"unit": None, "currency": None, "scale": None}
    return {"unit": unit.text, "currency": unit.currency, "scale": unit.scale}


def _report_dict(report: Report, preferred: bool) -> dict[str, Any]:
    return {
        "value": report.value,
        **_unit_dict(report.unit),
        "amount": report.amount,
        "disclosed": report.disclosed,
        "qualifier": report.qualifier,
        "basis": report.basis or None,
        "source": report.source,
        "preferred": preferred,
        "note": report.note or None,
    }


def sheet_dict(sheet: FactSheet) -> dict[str, Any]:
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
                "reports": [_report_dict(r, i == f.preferred) for i, r in enumerate(f.reports)],
            }
            for f in sheet.facts
        ],
    }


@_writer("FactSheet", "json")
def _sheet_json(sheet: FactSheet, out: TextIO, width: int) -> None:
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
)


@_writer("FactSheet", "csv")
def _sheet_csv(sheet: FactSheet, out: TextIO, width: int) -> None:
    writer = csv.writer(out, lineterminator="\n")
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
                    "" if report.value is None else repr(report.value),
                    unit.text if unit else "",
                    (unit.currency or "") if unit else "",
                    "" if report.amount is None else repr(report.amount),
                    report.disclosed,
                    report.qualifier,
                    report.basis,
                    report.source,
                    sheet.source(report.source).rank,
                    i == fact.preferred,
                    fact.conflict,
                    fact.unresolved,
                    report.note,
                ]
            )


def _row_unit(facts: list[Fact]) -> Unit | None:
    """The unit most of a row's preferred figures are written in."""
    units = [f.value.unit for f in facts if f.value.unit is not None]
    return Counter(units).most_common(1)[0][0] if units else None


@_writer("FactSheet", "table")
def _sheet_table(sheet: FactSheet, out: TextIO, width: int) -> None:
    con = console(out, width)
    company = sheet.company
    title = f"{company.name} {company.native_name} · {' '.join(company.tickers)} · reports in {company.currency}"
    con.print(Text(title, style="bold"))
    tags = {s.id: str(i) for i, s in enumerate(sheet.sources, 1)}
    named = [f for f in sheet.facts if not f.period.is_instant and "/" not in f.period.label]
    years = [f for f in named if f.period.label.startswith("FY")]
    interims = [f for f in named if not f.period.label.startswith("FY")]
    others = [f for f in sheet.facts if f.period.is_instant or "/" in f.period.label]
    for facts, heading in ((years, "Full years"), (interims, "Interim periods (each under its own label)")):
        if facts:
            con.print(_period_table(facts, tags, heading))
    if others:
        con.print(_dated_table(others, tags))
    conflicts = [f for f in sheet.facts if f.conflict]
    if conflicts:
        con.print(_conflict_table(conflicts, tags, sheet))
    sources = Table(title=Text("Sources: [n] in the tables"), title_justify="left", box=box.SIMPLE_HEAD)
    for header in ("", "outlet", "published", "kind", "rank", "title"):
        sources.add_column(header)
    for s in sheet.sources:
        sources.add_row(
            Text(f"[{tags[s.id]}]"), Text(s.outlet), s.published.isoformat(), s.kind, str(s.rank), Text(s.title)
        )
    con.print(sources)
    con.print(
        Text(
            "~ about, > more than, < less than; * sources disagree (see Conflicts); "
            "tie: a source of the preferred one's rank disagrees with it.",
            style="dim",
        )
    )


def _cell(fact: Fact, unit: Unit | None) -> Text:
    return Text(format_report(fact.value, unit) + ("*" if fact.conflict else ""))


def _tags(facts: list[Fact], tags: dict[str, str]) -> Text:
    cited = sorted({tags[f.value.source] for f in facts}, key=int)
    return Text(",".join(cited))


def _unit_label(unit: Unit | None) -> str:
    return unit.text if unit is not None else ""


def _grouped(facts: list[Fact]) -> dict[tuple[str, str], list[Fact]]:
    """Facts by (key, currency), so a row never mixes currencies."""
    rows: dict[tuple[str, str], list[Fact]] = {}
    for fact in facts:
        currency = (fact.value.unit.currency or "") if fact.value.unit else ""
        rows.setdefault((fact.key, currency), []).append(fact)
    return rows


def _period_table(facts: list[Fact], tags: dict[str, str], heading: str) -> Table:
    periods = sorted({f.period for f in facts}, key=lambda p: (p.end, -p.months))
    table = Table(title=heading, title_justify="left", box=box.SIMPLE_HEAD)
    # Periods never shrink below their label; long metric names and units fold instead.
    table.add_column("metric", overflow="fold", max_width=36)
    table.add_column("unit", overflow="fold", max_width=12)
    for period in periods:
        table.add_column(period.label, justify="right", no_wrap=True, min_width=len(period.label))
    table.add_column("src", overflow="fold", max_width=8)
    for (key, _), row in _grouped(facts).items():
        unit = _row_unit(row)
        cells = {f.period.label: _cell(f, unit) for f in row}
        table.add_row(
            Text(key), Text(_unit_label(unit)), *(cells.get(p.label, Text("")) for p in periods), _tags(row, tags)
        )
    return table


def _dated_table(facts: list[Fact], tags: dict[str, str]) -> Table:
    table = Table(title="Balances, prices, events and other spans", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("metric", overflow="fold", max_width=40)
    table.add_column("date or span", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", overflow="fold", max_width=14)
    table.add_column("src", overflow="fold", max_width=8)
    for fact in sorted(facts, key=lambda f: (f.key, f.period.end)):
        table.add_row(
            Text(fact.key),
            fact.period.label,
            _cell(fact, None),
            Text(_unit_label(fact.value.unit)),
            _tags([fact], tags),
        )
    return table


def _conflict_table(facts: list[Fact], tags: dict[str, str], sheet: FactSheet) -> Table:
    table = Table(title="Conflicts between sources (every report kept)", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("metric", overflow="fold", max_width=36)
    table.add_column("period", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("unit", overflow="fold", max_width=14)
    for header in ("src", "rank", "status"):
        table.add_column(header, no_wrap=True)
    for fact in facts:
        for i, report in enumerate(fact.reports):
            preferred = i == fact.preferred
            status = ("preferred (tie)" if fact.unresolved else "preferred") if preferred else ""
            table.add_row(
                Text(fact.key) if i == 0 else "",
                fact.period.label if i == 0 else "",
                Text(format_report(report)),
                Text(_unit_label(report.unit)),
                Text(f"[{tags[report.source]}]"),
                str(sheet.source(report.source).rank),
                status,
            )
    return table


# --- Computed results: compare, growth, margins, runway, explain ------------------------
# Imported here, not at the top, so that list/show/validate never load pandas.


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


def plain(value: Any) -> Any:
    """Dataclasses, frames, dates and NaN as JSON-ready data (NaN becomes null)."""
    import dataclasses

    import pandas as pd

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        return [plain(record) for record in value.to_dict("records")]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    if pd.isna(value):
        return None
    return str(value)


def _records(result: object) -> tuple[list[str], list[list[Any]]]:
    """Flat rows for CSV: one per figure (inputs joined into one column)."""
    name = type(result).__name__
    if name == "Comparison":
        header = [
            "section",
            "label",
            "unit",
            "company",
            "period",
            "value",
            "status",
            "note",
            "difference",
            "difference_unit",
            "leader",
        ]
        rows = [
            [
                r.section,
                r.label,
                r.unit,
                c.company,
                c.period,
                c.value,
                c.status,
                c.note,
                r.difference,
                r.difference_unit,
                r.leader,
            ]
            for r in result.rows  # type: ignore[attr-defined]
            for c in r.cells
        ]
        return header, rows
    if name == "ClaimsTable":
        records = plain(result)["claims"]
        header = list(records[0]) if records else ["company", "claim"]
        return header, [[record[k] for k in header] for record in records]
    if name == "Explanation":
        data = plain(result)
        header = [
            "company",
            "figure",
            "period",
            "value",
            "unit",
            "status",
            "label",
            "formula",
            "input",
            "input_period",
            "input_amount",
            "input_currency",
            "input_source",
        ]
        return header, [
            [data[k] for k in header[:8]] + [i["key"], i["period"], i["amount"], i["currency"], i["source"]]
            for i in data["inputs"]
        ] or [[data[k] for k in header[:8]] + [""] * 5]
    frame = result.frame  # type: ignore[attr-defined]
    header = [c for c in frame.columns if c != "inputs"] + ["inputs"]
    rows = []
    for record in frame.to_dict("records"):
        inputs = "; ".join(f"{i.key} {i.period} {i.amount!r} {i.currency} [{i.source}]" for i in record["inputs"])
        rows.append([record[c] for c in header[:-1]] + [inputs])
    return header, rows


def _records_csv(result: object, out: TextIO) -> None:
    header, rows = _records(result)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                "" if isinstance(v, float) and not math.isfinite(v) else v
                for v in (plain(x) if isinstance(x, date) else x for x in row)
            ]
        )


def format_value(value: float, unit: str, status: str = "ok") -> str:
    """A computed figure with its unit: percent, pp, months, times, or money (millions when large).

    >>> format_value(30_520_000, "USD")
    '30.5m USD'
    >>> format_value(167_550.6, "USD")
    '167,551 USD'
    >>> format_value(782.08, "percent")
    '782.1%'
    >>> format_value(-10.23, "pp")
    '-10.2 pp'
    >>> format_value(173.04, "times")
    '173.0×'
    >>> format_value(float("nan"), "percent", "n/m")
    'n/m'
    """
    if status != "ok" or not math.isfinite(value):
        return {"ok": "–", "not burning": "not burning"}.get(status, status)
    if unit == "percent":
        return format_percent(value)
    if unit == "pp":
        return format_pp(value)
    if unit == "months":
        return format_number(value, 1)
    if unit == "times":
        return format_number(value, 1) + "×"
    if abs(value) >= 1e6:
        return f"{format_number(value / 1e6, 1)}m {unit}"
    return f"{format_number(value, 2 if abs(value) < 100 else 0)} {unit}"


def format_millions(value: float, status: str = "ok") -> str:
    """Money in a column headed "USD million".

    >>> format_millions(43_865_930.9)
    '43.9'
    """
    return format_number(value / 1e6, 1) if status == "ok" and math.isfinite(value) else status


def _unit_header(unit: str) -> str:
    return {"percent": "%", "pp": "pp", "months": "months", "date": ""}.get(unit, f"{unit} million")


def _compare_lines(result: Any) -> tuple[list[str], list[tuple[str, list[list[str]]]], list[str], list[str]]:
    """The comparison as plain text cells: header, sections of rows, footnotes, conflict lines."""
    names = list(result.companies)
    header = ["", *names, f"{names[0]} − {names[1]}" if len(names) == 2 else "", "ahead"]
    sections: list[tuple[str, list[list[str]]]] = []
    notes: list[str] = []
    for row in result.rows:
        if not sections or sections[-1][0] != row.section:
            sections.append((row.section, []))
        cells = []
        for cell in row.cells:
            if row.unit == "date":
                text = cell.period
            elif row.unit in ("percent", "months", "times", "own currency"):
                text = format_value(cell.value, cell.unit or row.unit, cell.status)
            else:
                text = format_millions(cell.value, cell.status)
            if row.unit != "date" and cell.period and cell.period not in row.section:
                text += f" ({cell.period})"
            if cell.status != "ok" or (cell.note.startswith("converted") and row.unit not in ("percent", "months")):
                notes.append(f"{cell.company} {row.label.lower()}: {cell.note}")
                text += f" [{len(notes)}]"
            cells.append(text)
        difference = ""
        if math.isfinite(row.difference):
            unit = row.difference_unit or row.unit
            difference = (
                format_value(row.difference, unit) if unit in ("pp", "months") else format_millions(row.difference)
            )
        plain_units = ("percent", "months", "date", "times", "own currency")
        label = row.label if row.unit in plain_units else f"{row.label} ({_unit_header(row.unit)})"
        sections[-1][1].append([label, *cells, difference, row.leader])
    conflicts = [
        f"{c.company} {c.key} {c.period}: "
        + " vs ".join(
            f"{QUALIFIER_MARK.get(v.qualifier, '')}{v.value:g} {v.unit}{' (shown)' if v.shown else ''} [{v.source}, rank {v.rank}]"
            for v in c.versions
        )
        for c in result.conflicts
    ]
    return header, sections, notes, conflicts


@_writer("Comparison", "table")
def _compare_table(result: Any, out: TextIO, width: int) -> None:
    con = console(out, width)
    header, sections, notes, conflicts = _compare_lines(result)
    aligned = f"full years aligned on {result.year}" if result.year else "no full year in common"
    con.print(Text(f"{' vs '.join(result.companies)} · money in {result.currency} · {aligned}", style="bold"))
    for title, rows in sections:
        table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column(header[0], overflow="fold", max_width=34)
        for name in header[1:-1]:
            table.add_column(Text(name), justify="right", overflow="fold")
        table.add_column(header[-1])
        for row in rows:
            table.add_row(*(Text(v) for v in row))
        con.print(table)
    for i, note in enumerate(notes, 1):
        con.print(Text(f"[{i}] {note}"))
    if conflicts:
        con.print(Text("Conflicts between sources behind these figures:", style="bold"))
        for line in conflicts:
            con.print(Text(f"- {line}"))
    con.print(
        Text(
            "Any figure: minimetrics explain COMPANY FIGURE PERIOD (e.g. explain zhipu revenue_growth FY2024).",
            style="dim",
        )
    )


def _markdown_table(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    def clean(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    align = ["---:" if i in (right or set()) else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(clean(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(clean(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


@_writer("Comparison", "markdown")
def _compare_markdown(result: Any, out: TextIO, width: int) -> None:
    header, sections, notes, conflicts = _compare_lines(result)
    aligned = f"full years aligned on {result.year}" if result.year else "no full year in common"
    out.write(f"## {' vs '.join(result.companies)}\n\nMoney in {result.currency}; {aligned}.\n\n")
    right = set(range(1, len(header) - 1))
    for title, rows in sections:
        out.write(f"### {title}\n\n" + _markdown_table(header, rows, right) + "\n")
    for i, note in enumerate(notes, 1):
        out.write(f"{i}. {note}\n")
    if conflicts:
        out.write(
            "\n**Conflicts between sources behind these figures**\n\n" + "".join(f"- {line}\n" for line in conflicts)
        )


def _figure_rows(frame: Any) -> list[list[str]]:
    rows = []
    for r in frame.itertuples():
        name = f"{r.figure}[{r.segment}]" if r.segment else r.figure
        rows.append([r.company, name, r.period, format_value(r.value, r.unit, r.status), r.note or r.label])
    return rows


FIGURE_HEADER = ["company", "figure", "period", "value", "how"]


@_writer("FigureTable", "table")
def _figures_table(result: Any, out: TextIO, width: int) -> None:
    table = Table(title=Text(result.title), title_justify="left", box=box.SIMPLE_HEAD)
    for header in FIGURE_HEADER:
        table.add_column(header, justify="right" if header == "value" else "left", overflow="fold")
    for row in _figure_rows(result.frame):
        table.add_row(*(Text(v) for v in row))
    console(out, width).print(table)


@_writer("FigureTable", "markdown")
def _figures_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write(f"### {result.title}\n\n" + _markdown_table(FIGURE_HEADER, _figure_rows(result.frame), {3}))


RUNWAY_HEADER = ["company", "months", "runs out", "cash (date)", "burn a month (period)", "basis"]


def _runway_rows(frame: Any) -> list[list[str]]:
    rows = []
    for r in frame.itertuples():
        months = format_value(r.months, "months", r.status)
        cash = f"{format_number(r.cash / 1e6, 1)} {r.currency}m ({r.cash_date})"
        if math.isfinite(r.ipo):
            cash += f" + IPO {format_number(r.ipo / 1e6, 1)}"
        burn = f"{format_number(r.burn / 1e6, 2)} {r.currency}m ({r.burn_period})"
        basis = f"{r.burn_basis} / {r.cash_basis}{' + ipo' if r.with_ipo else ''}"
        if r.monthly_growth:
            basis += f", burn {r.monthly_growth:+g}%/month"
        if r.flags:
            basis += f"; {r.flags}"
        rows.append([r.company, months, str(r.runs_out or ""), cash, burn, basis])
    return rows


@_writer("RunwayTable", "table")
def _runway_table(result: Any, out: TextIO, width: int) -> None:
    title = "Cash runway, every basis the data supports" if result.detail else "Cash runway, longest first"
    table = Table(title=Text(title), title_justify="left", box=box.SIMPLE_HEAD)
    for header in RUNWAY_HEADER:
        table.add_column(header, justify="right" if header == "months" else "left", overflow="fold")
    for row in _runway_rows(result.frame):
        table.add_row(*(Text(v) for v in row))
    con = console(out, width)
    con.print(table)
    con.print(
        Text(
            "Bases: stated = the company's stated monthly burn; operating = operating cash outflow; "
            "adjusted_loss / net_loss = loss per month, a proxy. liquid = cash plus liquid financial assets.",
            style="dim",
        )
    )


@_writer("RunwayTable", "markdown")
def _runway_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write("### Cash runway\n\n" + _markdown_table(RUNWAY_HEADER, _runway_rows(result.frame), {1}))


@_writer("Explanation", "table", "markdown")
def _explain_text(result: Any, out: TextIO, width: int) -> None:
    value = format_value(result.value, result.unit, result.status)
    unit = " months" if result.unit == "months" else ""
    lines = [
        f"{result.company} {result.figure} {result.period} = {value}{unit} ({result.label})",
        f"formula: {result.formula}",
        "inputs:",
    ]
    for i in result.inputs:
        amount = f"{i.amount:,.6g}" if i.unit == "rate" or i.currency == "" else f"{i.amount:,.0f} {i.currency}"
        written = f" (written {i.unit})" if i.unit and i.unit != "rate" else ""
        lines.append(f"  {i.key} {i.period}: {amount}{written} [{i.source}]" + (f" — {i.note}" if i.note else ""))
    if result.note:
        lines.append(f"note: {result.note}")
    lines.append("sources:")
    for s in result.sources:
        lines.append(f"  {s.id}: {s.outlet}, “{s.title}”, {s.published}" + (f", {s.url}" if s.url else ""))
    out.write("\n".join(lines) + "\n")


CLAIMS_HEADER = ["company", "claim", "stated", "source", "computed", "verdict", "how"]


VERDICT_ORDER = {"does not reproduce": 0, "reproduces": 1, "cannot be checked": 2}


def _claim_rows(result: Any) -> list[list[str]]:
    """Checkable claims, those that do not reproduce first (the rest are in JSON and CSV)."""
    rows = []
    checked = [c for c in result.claims if c.verdict != "cannot be checked"]
    for c in sorted(checked, key=lambda c: VERDICT_ORDER[c.verdict]):
        unit = "%" if c.unit == "percent" else f" {c.unit}"
        stated = f"{QUALIFIER_MARK.get(c.qualifier, '')}{c.stated:g}{unit}"
        computed = "" if not math.isfinite(c.computed) else f"{c.computed:,.2f}{unit}"
        rows.append([c.company, c.claim, stated, c.source, computed, c.verdict, c.assumption])
    return rows


@_writer("ClaimsTable", "table")
def _claims_table(result: Any, out: TextIO, width: int) -> None:
    con = console(out, width)
    con.print(Text("Claims in the sources, checked against the data", style="bold"))
    marks = {"does not reproduce": "✗", "reproduces": "✓"}
    for company, claim, stated, source, computed, verdict, how in _claim_rows(result):
        line = f"{marks[verdict]} {company} {claim}: stated {stated} [{source}]"
        line += f", data give {computed}" if computed else ""
        con.print(Text(f"{line} — {verdict}"))
        con.print(Text(f"    {how}", style="dim"))
    counts = Counter(c.verdict for c in result.claims)
    summary = ", ".join(f"{counts[v]} {v}" for v in VERDICT_ORDER if counts[v])
    con.print(Text(summary + "; the claims that cannot be checked are listed by --format json and csv.", style="dim"))


@_writer("ClaimsTable", "markdown")
def _claims_markdown(result: Any, out: TextIO, width: int) -> None:
    out.write(
        "### Claims in the sources, checked against the data\n\n"
        + _markdown_table(CLAIMS_HEADER, _claim_rows(result), {2, 4})
    )


def write_gate(short: list[Any], bound: float, err: TextIO) -> None:
    """The runway gate's verdict, one line a failing company, on stderr."""
    for item in short:
        if item.status == "ok":
            err.write(f"runway below {bound:g} months: {item.company} has {item.months:.1f}\n")
        else:
            err.write(f"runway unknown, so below {bound:g} months: {item.company} ({item.status})\n")
    if not short:
        err.write(f"every runway is at least {bound:g} months\n")


# --- progress ---------------------------------------------------------------------------

PROGRESS_FROM = 50  # files: fewer load in well under a second, and a bar would only flicker


class LoadProgress:
    """A progress bar on ``err`` while many sheets load, as a ``load_data(progress=...)`` callback.

    Shown only past ``PROGRESS_FROM`` files, only when ``err`` is a terminal and not under CI,
    and gone when the loading is done (the bar is transient): pipes and logs never see it.
    """

    def __init__(self, err: TextIO, label: str = "Reading fact sheets") -> None:
        self.err, self.label = err, label
        self.bar: Any = None
        self.task: Any = None
        self.wanted = err.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self.wanted or total <= PROGRESS_FROM:
            return
        if self.bar is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.err, stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done, total=total)

    def __enter__(self) -> LoadProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
