"""Writing fact sheets: a new skeleton, one more source or figure, a table of figures.

Edits work on the text, never on a re-dumped YAML tree: the new lines go where a person
would put them, found from the positions the reader's nodes remember, and every other
byte of the file (comments, key order, quoting, blank lines) stays as it was. Each edit
is checked by reading the result again: it must validate, and it must hold exactly the
old sheet plus the one new source or report, so a layout this module misjudges is
refused instead of written.

Nothing here writes a file except ``write_atomically`` and ``write_plan``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator
from collections.abc import Mapping as MappingABC
from collections.abc import Sequence as SequenceABC
from dataclasses import dataclass, replace
from pathlib import Path

from minimetrics import reader
from minimetrics.factsheet import NOT_DISCLOSED, SLUG, TICKER, FactSheet, Report, Source, read_sheet
from minimetrics.folders import folder_problem
from minimetrics.problems import FactSheetError, Problem, UsageError, errors_in
from minimetrics.reader import Mapping, Node, Scalar, Sequence
from minimetrics.registry import (
    BASES,
    CURRENCIES,
    CURRENCY_ALIASES,
    METRICS,
    QUALIFIERS,
    SCALES,
    SOURCE_KINDS,
    parse_date,
    parse_period,
    parse_unit,
    period_fits,
    suggest,
    unit_fits,
)

# The records the authoring commands return live with every other command's (results.py).
from minimetrics.results import ImportPlan as ImportPlan
from minimetrics.results import PlannedReport as PlannedReport
from minimetrics.results import PlannedSource as PlannedSource
from minimetrics.results import UnmappedRow as UnmappedRow
from minimetrics.results import Written as Written

# The JSON Schema a sheet's first line points YAML language servers to, relative to the
# sheet: the integration writes it beside the sheets (`minimetrics schema > FOLDER/…`).
SCHEMA_FILE = "factsheet.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"

# A source's default rank by kind, as the shipped sheets rank them: the company's own
# documents and official statistics first, the press next, pre-prospectus talk last.
DEFAULT_RANK = {
    "prospectus": 1,
    "results_announcement": 1,
    "exchange_filing": 1,
    "official_statistics": 1,
    "press": 2,
    "press_before_prospectus": 3,
}
# public_facts.csv's reliability column, as the shipped sheets turned it into ranks.
RELIABILITY_RANK = {"high": 2, "medium": 3, "low": 4}

# --- Records -------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCompany:
    """What ``minimetrics new`` is told about a company; ``native_name`` defaults to ``name``."""

    id: str
    name: str
    currency: str
    fiscal_year_end: str = "12-31"
    ticker: str | None = None
    founded: str | None = None
    native_name: str | None = None


@dataclass(frozen=True)
class NewSource:
    """A source to declare (``add-source``); ``rank`` None: the default of its ``kind``."""

    id: str
    outlet: str
    title: str
    published: str  # YYYY-MM-DD
    url: str = ""
    rank: int | None = None
    kind: str = "press"
    file: str = ""
    note: str = ""


@dataclass(frozen=True)
class NewReport:
    """A figure to add (``add``): as the source writes it, ``value`` "not disclosed" with ``unit`` ""."""

    metric: str  # a registry metric, or metric[segment]
    period: str
    value: str
    unit: str
    source: str
    qualifier: str = "exact"
    segment: str = ""
    note: str = ""
    basis: str = ""


# --- A new sheet -------------------------------------------------------------------------


def new_sheet(company: NewCompany) -> str:
    """A commented skeleton sheet for ``datasets/<id>.yaml``, with no sources or facts yet.

    Without a ticker or a founding date the lines are left commented out for the user to
    fill in (the format requires both today).
    """
    id, name, currency, ticker, founded = company.id, company.name, company.currency, company.ticker, company.founded
    fiscal_year_end, native_name = company.fiscal_year_end, company.native_name
    if not SLUG.match(id):
        raise UsageError(f'company id "{id}" is not a lowercase slug', "use a-z, 0-9, _ and -, e.g. lumen")
    currency = CURRENCY_ALIASES.get(currency, currency)
    if currency not in CURRENCIES:
        raise UsageError(f'unknown currency "{currency}"', suggest(currency, CURRENCIES) or _one_of(CURRENCIES))
    if ticker is not None and not TICKER.match(ticker):
        raise UsageError(f'ticker "{ticker}" is not SYMBOL.EXCHANGE', 'write it like "00100.HK"')
    if founded is not None and not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", founded):
        raise UsageError(f'founded "{founded}" is not YYYY, YYYY-MM or YYYY-MM-DD', "write e.g. 2021-12")
    if not name.strip():
        raise UsageError("the company name is empty", "give the name the company is known by")
    tickers = f'tickers: ["{ticker}"]' if ticker else '# tickers: ["00000.HK"]'
    started = f"founded: {founded}" if founded else "# founded: YYYY"
    lines = [
        SCHEMA_LINE,
        f"# {_comment(name)} fact sheet. Figures are written as each source states them (unit,",
        "# scale and qualifier kept), and every figure cites a source declared under `sources`.",
        '# The format: README.md, "The fact-sheet format". Add a source, then its figures:',
        f"#   minimetrics add-source {id} ID --outlet … --title … --published YYYY-MM-DD",
        f"#   minimetrics add {id} revenue FY2025 12.5 '{currency} million' --source ID",
        "",
        "company:",
        f"  id: {id}".ljust(35) + "# must equal the file name",
        f"  name: {_scalar(name, flow=False)}",
        f"  native_name: {_scalar(native_name or name, flow=False)}".ljust(35)
        + "# the name in the company's own language",
        f"  {tickers}".ljust(35) + "# SYMBOL.EXCHANGE; HK = Hong Kong Stock Exchange",
        f"  {started}".ljust(35) + "# YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source is",
        "  # listed: YYYY-MM-DD             # the listing date, once listed",
        f"  currency: {currency}".ljust(35) + "# reporting currency: USD, RMB or HKD",
        f"  fiscal_year_end: {fiscal_year_end}".ljust(35) + "# MM-DD",
        "  # segments:                      # the breakdowns facts may name, e.g.",
        "  #   open_platform: {name: Open platform, group: business}",
        "",
        "# sources: id (outlet slug and date, e.g. caixin_20260109): outlet, title, published,",
        "# url, kind, rank (1 is the most authoritative)",
        "sources: {}",
        "",
        "# facts: metric (or metric[segment]), then period, then one report or a list of them",
        "facts: {}",
        "",
    ]
    text = "\n".join(lines)
    _, problems = read_sheet(Path(f"{id}.yaml"), text.encode("utf-8"))
    # The lines left commented out are the user's to fill in, not a fault in what was given.
    left_out = {'company has no "tickers"', 'company has no "founded"'}
    errors = [p for p in errors_in(problems) if p.message not in left_out]
    if errors:  # fiscal_year_end, mostly: the reader's message is the best one
        raise UsageError(errors[0].message, errors[0].hint)
    return text


# --- One more source ----------------------------------------------------------------------


def add_source(text: str, path: Path, source: NewSource) -> str:
    """The sheet's text with one more source, after the last one, every other line as it was.

    ``rank`` defaults by ``kind`` (``DEFAULT_RANK``). Refused (``UsageError``): an id that
    exists, a URL another source already has, a bad date, kind, rank or URL. A sheet with
    errors is refused with them (``FactSheetError``).
    """
    id, outlet, title, published, url = source.id, source.outlet, source.title, source.published, source.url
    rank, kind, file, note = source.rank, source.kind, source.file, source.note
    sheet, root = _read_clean(text, path)
    if not SLUG.match(id):
        raise UsageError(f'source id "{id}" is not a lowercase slug', "use a-z, 0-9, _ and -, e.g. caixin_20260109")
    known = {s.id: s for s in sheet.sources}
    if id in known:
        raise UsageError(f'source "{id}" already exists (line {known[id].line})', "choose another id, or cite it")
    same_url = next((s for s in sheet.sources if url and s.url == url.strip()), None)
    if same_url is not None:
        raise UsageError(f'{url} is already source "{same_url.id}"', f"cite it: --source {same_url.id}")
    if kind not in SOURCE_KINDS:
        raise UsageError(f'unknown source kind "{kind}"', suggest(kind, SOURCE_KINDS) or _one_of(SOURCE_KINDS))
    day = parse_date(published)
    if isinstance(day, str):
        raise UsageError(day, "write the day the source was published, YYYY-MM-DD")
    rank = DEFAULT_RANK[kind] if rank is None else rank
    if not 1 <= rank <= 9:
        raise UsageError(f"rank {rank} is not from 1 to 9", "1 is the most authoritative")
    for name, given in (("outlet", outlet), ("title", title)):
        if not given.strip():
            raise UsageError(f"the source's {name} is empty", f"give the {name} as the source writes it")
    if url and not re.match(r"^https?://\S+$", url.strip()):
        raise UsageError(f'"{url}" is not a web address', "write the full https:// address, or leave url out")
    # Dates, ranks and kinds are written plain, as a person writes them; text is quoted when needed.
    fields = [("outlet", _scalar(outlet.strip(), flow=False)), ("title", _scalar(title.strip(), flow=False))]
    fields += [("published", published), ("url", _scalar(url.strip(), flow=False) if url.strip() else "")]
    fields += [("kind", kind), ("rank", str(rank))]
    fields += [(name, _scalar(given.strip(), flow=False)) for name, given in (("file", file), ("note", note)) if given]

    lines, newline = _lines(text)
    block = _top(root, "sources")
    key_indent, field_indent, at = _source_place(lines, block)
    new = [" " * key_indent + f"{id}:"]
    new += [" " * field_indent + f"{name}: {value}" for name, value in fields if value]
    result = _insert(lines, newline, at, new)

    after, _ = _read_result(result, path)
    expected = [*(_bare(s) for s in sheet.sources), _bare(after.source(id))]
    if [_bare(s) for s in after.sources] != expected or _facts(after) != _facts(sheet):
        raise _layout_error(path)
    return result


# --- One more figure --------------------------------------------------------------------------


def add_report(text: str, path: Path, report: NewReport) -> str:
    """The sheet's text with one more report, every other line as it was.

    ``value`` is the figure as the source writes it ("30.52", "1500", or "not disclosed");
    ``unit`` is "" for a figure not disclosed. The report goes under its metric and period:
    a new metric beside its neighbours in the registry's order, a new period in date order
    when the metric's periods are in date order (else last), a second report of a fact
    beside the first (turning the single report into a list). A report that disagrees with
    the others is added; the sheet then shows the conflict as usual.

    Refused (``UsageError``, with "did you mean"): an unknown metric, segment, period, unit,
    source, qualifier or basis, a figure that is not a number, and the very same figure from
    the same source twice. A sheet with errors is refused with them (``FactSheetError``).
    """
    sheet, root = _read_clean(text, path)
    metric, segment = _split_key(report.metric, report.segment)
    key = f"{metric}[{segment}]" if segment else metric
    label = _check_figure(sheet, metric, segment, report.period)
    entry = _entry(sheet, report)
    source = report.source
    candidate = _report(report.value, report.unit, source)
    misfit = unit_fits(METRICS[metric], candidate.unit) if candidate.unit is not None else ""
    if misfit:
        raise UsageError(misfit, "units look like: USD million, RMB 億, percent, count, HKD per share")
    existing = _same_report(sheet, key, label, candidate)
    if existing is not None:
        raise UsageError(
            f"{key} {label} from {source} is already in the sheet (line {existing.line})",
            "nothing to add; to correct it, edit that line",
        )

    lines, newline = _lines(text)
    result = _insert_report(lines, newline, root, sheet, _Place(key, metric, label, entry))

    after, _ = _read_result(result, path)
    before_facts, after_facts = _facts(sheet), _facts(after)
    grown = after_facts.pop((key, label), ())
    old = before_facts.pop((key, label), ())
    if (
        after_facts != before_facts
        or grown[:-1] != old
        or len(grown) != len(old) + 1
        or (grown[-1].source, grown[-1].amount) != (candidate.source, candidate.amount)
        or [_bare(s) for s in after.sources] != [_bare(s) for s in sheet.sources]
    ):
        raise _layout_error(path)
    return result


def _check_figure(sheet: FactSheet, metric: str, segment: str, period: str) -> str:
    """The period's label, once metric, segment and period are known to fit together."""
    found = METRICS.get(metric)
    if found is None:
        raise UsageError(
            f'unknown metric "{metric}"', suggest(metric, sorted(METRICS)) or "`minimetrics schema` lists the metrics"
        )
    segments = sorted(s.id for s in sheet.company.segments)
    if segment and segment not in segments:
        raise UsageError(
            f'unknown segment "{segment}" for {sheet.company.id}',
            suggest(segment, segments) or f"declare it under company.segments: `{segment}: Display name`",
        )
    parsed = parse_period(period.strip(), sheet.company.fiscal_year_end_month)
    if isinstance(parsed, str):
        message, _, hint = parsed.partition("; ")
        raise UsageError(message, hint)
    misfit = period_fits(found, parsed)
    if misfit:
        message, _, hint = misfit.partition("; ")
        raise UsageError(message, hint)
    return parsed.label


def _entry(sheet: FactSheet, report: NewReport) -> str:
    """The report as one flow mapping, in the field order the shipped sheets use."""
    value, unit, source, qualifier = report.value, report.unit, report.source, report.qualifier
    basis, note = report.basis, report.note
    raw = value.strip()
    if raw != NOT_DISCLOSED:
        number = reader.number(Scalar(0, 0, raw, True))
        if isinstance(number, Problem):
            raise UsageError(number.message, number.hint)
        if not unit.strip():
            raise UsageError(f"the figure {raw} has no unit", "give one, e.g. 'USD million', 'RMB 億', percent")
    if unit.strip():
        parsed = parse_unit(unit.strip())
        if isinstance(parsed, str):
            message, _, hint = parsed.partition("; ")
            raise UsageError(message, hint or "units look like: USD million, RMB 億, percent, count, HKD per share")
    sources = sorted(s.id for s in sheet.sources)
    if source not in sources:
        raise UsageError(
            f'unknown source "{source}" in {sheet.company.id}',
            suggest(source, sources) or "declare it first with add-source",
        )
    if qualifier not in QUALIFIERS:
        raise UsageError(f'unknown qualifier "{qualifier}"', suggest(qualifier, QUALIFIERS) or _one_of(QUALIFIERS))
    if basis and basis not in BASES:
        raise UsageError(f'unknown basis "{basis}"', suggest(basis, BASES) or _one_of(BASES))
    parts = [f"value: {raw}"]
    parts += [f"unit: {_scalar(unit.strip(), flow=True)}"] if unit.strip() else []
    parts += [f"source: {source}"]
    parts += [f"qualifier: {qualifier}"] if qualifier != "exact" else []
    parts += [f"basis: {basis}"] if basis else []
    parts += [f"note: {_scalar(note.strip(), flow=True)}"] if note.strip() else []
    return "{" + ", ".join(parts) + "}"


def _report(value: str, unit: str, source: str) -> Report:
    """Enough of a report to compare amounts (value and unit are already checked)."""
    raw = value.strip()
    if raw == NOT_DISCLOSED:
        return Report(None, None, source)
    parsed = parse_unit(unit.strip())
    assert not isinstance(parsed, str)
    return Report(float(raw), parsed, source)


def _same_report(sheet: FactSheet, key: str, label: str, candidate: Report) -> Report | None:
    """A report of this fact from the same source with the same amount (after scaling)."""
    fact = sheet.fact(key, label)
    for report in fact.reports if fact is not None else ():
        same_unit = (report.unit is None and candidate.unit is None) or (
            report.unit is not None
            and candidate.unit is not None
            and (report.unit.family, report.unit.currency) == (candidate.unit.family, candidate.unit.currency)
        )
        if report.source == candidate.source and same_unit and report.amount == candidate.amount:
            return report
    return None


def _split_key(metric: str, segment: str) -> tuple[str, str]:
    found = re.match(r"^([a-z0-9_]+)\[([^\]]+)\]$", metric.strip())
    if found and not segment:
        return found[1], found[2]
    return metric.strip(), segment.strip()


# --- Where the new lines go ---------------------------------------------------------------


@dataclass(frozen=True)
class _Place:
    """Where a report goes (its fact's key, metric and period label) and its text."""

    key: str
    metric: str
    label: str
    entry: str


def _insert_report(lines: list[str], newline: str, root: Mapping, sheet: FactSheet, place: _Place) -> str:
    key, metric, label, entry = place.key, place.metric, place.label, place.entry
    facts = _top(root, "facts")
    if _is_flow(lines, facts):
        if facts.items:
            raise UsageError("facts is written as a flow mapping {…}", "write it as a block to add figures")
        indent = _child_indent(root)
        at = _open_empty(lines, facts)
        return _insert(lines, newline, at, [" " * indent + f"{key}:", " " * (indent + 2) + f"{label}: {entry}"])
    metric_key, periods = next(((k, v) for k, v in facts.items if k.text == key), (None, None))
    if metric_key is None or not isinstance(periods, Mapping):
        indent = facts.items[0][0].column - 1
        step = _period_step(facts)
        at = _metric_place(lines, facts, metric, key)
        return _insert(lines, newline, at, [" " * indent + f"{key}:", " " * (indent + step) + f"{label}: {entry}"])
    if _is_flow(lines, periods):
        raise UsageError(f"{key} is written as a flow mapping {{…}}", "write it as a block to add figures")
    period_key, reports = next(((k, v) for k, v in periods.items if k.text == label), (None, None))
    if period_key is None or reports is None:
        indent = periods.items[0][0].column - 1
        at = _period_place(lines, periods, sheet.company.fiscal_year_end_month, label)
        return _insert(lines, newline, at, [" " * indent + f"{label}: {entry}"])
    return _beside(lines, newline, place, period_key, reports)


def _beside(lines: list[str], newline: str, place: _Place, period_key: Scalar, reports: Node) -> str:
    """A second (or later) report of a fact, after the reports it has."""
    key, label, entry = place.key, place.label, place.entry
    end = _end_of(lines, period_key.line - 1, period_key.column - 1) + 1
    if isinstance(reports, Sequence):
        if _is_flow(lines, reports):
            raise UsageError(f"{key} {label} is a flow list [...]", "write it as a block list to add a report")
        return _insert(lines, newline, end, [" " * (reports.column - 1) + f"- {entry}"])
    # One report: it becomes the first item of a list, the new one the second.
    dash = period_key.column - 1 + 2
    if reports.line == period_key.line:  # FY2024: {value: …}  (# comment)
        stop_line, stop_column = _flow_end(lines, reports)
        row = reports.line - 1
        if stop_line != row:
            raise UsageError(f"{key} {label} spans several lines", "add the report by hand")
        line = lines[row]
        body = line.rstrip("\r\n")
        item = body[reports.column - 1 : stop_column]
        head = body[: reports.column - 1].rstrip() + body[stop_column:]
        lines[row] = head + line[len(body) :]
        return _insert(lines, newline, row + 1, [" " * dash + f"- {item}", " " * dash + f"- {entry}"])
    # A block mapping under the period key: its first line gets the dash, the rest shift by two.
    dash = reports.column - 1
    for row in range(reports.line - 1, end):
        line = lines[row]
        if not line.strip():
            continue
        if row == reports.line - 1:
            lines[row] = line[:dash] + "- " + line[dash:]
        else:
            lines[row] = "  " + line
    return _insert(lines, newline, end, [" " * dash + f"- {entry}"])


def _metric_place(lines: list[str], facts: Mapping, metric: str, key: str) -> int:
    """The line index a new metric key goes at.

    Beside the same metric's other keys (a total before its segments, a segment after the
    last of them); else next to the nearest metric in the registry's order: after the
    closest one before it, or above the closest one after it when that is nearer.
    """
    order = list(METRICS)
    rank = order.index(metric)
    keys = [(order.index(_base(k.text)), i, k) for i, (k, _) in enumerate(facts.items)]
    same = [k for r, _, k in keys if r == rank]
    if same:
        return same[0].line - 1 if key == metric else _after(lines, same[-1])
    before = [t for t in keys if t[0] < rank]
    after = [t for t in keys if t[0] > rank]
    if before:
        best_before = max(before, key=lambda t: (t[0], t[1]))
        if not after or rank - best_before[0] <= min(after)[0] - rank:
            return _after(lines, best_before[2])
    return min(after, key=lambda t: (t[0], t[1]))[2].line - 1


def _period_place(lines: list[str], periods: Mapping, year_end_month: int, label: str) -> int:
    """A new period goes in date order when the periods are written in date order, else last."""
    order = []
    for key, _ in periods.items:
        parsed = parse_period(key.text, year_end_month)
        assert not isinstance(parsed, str)  # the sheet validated
        order.append((parsed.end, parsed.start))
    new = parse_period(label, year_end_month)
    assert not isinstance(new, str)
    if order == sorted(order):
        for (end, start), (key, _) in zip(order, periods.items, strict=True):
            if (end, start) > (new.end, new.start):
                return key.line - 1
    return _after(lines, periods.items[-1][0])


def _source_place(lines: list[str], block: Mapping) -> tuple[int, int, int]:
    """Indentation of a source key and of its fields, and the line index to insert at."""
    if _is_flow(lines, block):
        if block.items:
            raise UsageError("sources is written as a flow mapping {…}", "write it as a block to add a source")
        return 2, 4, _open_empty(lines, block)
    last_key, _ = block.items[-1]
    first_key, first = block.items[0]
    field = first.column - 1 if isinstance(first, Mapping) and first.line > first_key.line else last_key.column + 1
    return last_key.column - 1, field, _after(lines, last_key)


def _period_step(facts: Mapping) -> int:
    """How far the sheet indents periods under a metric."""
    for key, periods in facts.items:
        if isinstance(periods, Mapping) and periods.items and periods.line > key.line:
            return periods.column - key.column
    return 2


def _child_indent(root: Mapping) -> int:
    company = root.get("company")
    if isinstance(company, Mapping) and company.items and company.line > root.items[0][0].line:
        return company.column - 1
    return 2


def _after(lines: list[str], key: Scalar) -> int:
    return _end_of(lines, key.line - 1, key.column - 1) + 1


def _end_of(lines: list[str], first: int, indent: int) -> int:
    """The index of the last line of the entry whose key is on line ``first`` at ``indent``.

    Its lines are those indented deeper; blank lines and comments at the key's level or
    shallower that come after its last line (a section heading) belong to what follows.
    """
    last, heading = first, False
    for row in range(first + 1, len(lines)):
        body = lines[row].strip()
        if not body:
            continue
        deeper = len(lines[row]) - len(lines[row].lstrip(" ")) > indent
        if body.startswith("#"):
            if not deeper:
                heading = True
            elif not heading:
                last = row
            continue
        if not deeper:
            break
        last, heading = row, False
    return last


def _is_flow(lines: list[str], node: Node) -> bool:
    """Whether a mapping or list is written {…} or […]: its node starts at the bracket."""
    line = lines[node.line - 1]
    return node.column - 1 < len(line) and line[node.column - 1] in "{["


def _flow_end(lines: list[str], node: Node) -> tuple[int, int]:
    """Where a flow collection ends (line index, column index after its bracket), from the
    parser's own end mark: quotes, commas and brackets inside strings are its business."""
    import yaml
    from yaml import events

    text = "".join(lines)
    depth = 0
    for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:  # pragma: no cover - the parsers always mark events
            continue
        if isinstance(event, (events.MappingStartEvent, events.SequenceStartEvent)):
            if depth or (start.line + 1, start.column + 1) == (node.line, node.column):
                depth += 1
        elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)) and depth:
            depth -= 1
            if not depth:
                return end.line, end.column
    raise AssertionError("a node the reader found has no end")  # pragma: no cover


def _open_empty(lines: list[str], node: Node) -> int:
    """Turn ``key: {}`` into ``key:`` (keeping a comment after it); the index after that line."""
    row = node.line - 1
    line = lines[row]
    body = line.rstrip("\r\n")
    stop_line, stop_column = _flow_end(lines, node)
    if stop_line != row:
        raise UsageError("an empty mapping {} spread over lines", "write it as `key: {}` on one line")
    lines[row] = body[: node.column - 1].rstrip() + body[stop_column:] + line[len(body) :]
    return row + 1


def _lines(text: str) -> tuple[list[str], str]:
    """The text's lines with their endings, and the line ending new lines get."""
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    return lines, newline


def _insert(lines: list[str], newline: str, at: int, new: list[str]) -> str:
    if at == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # the last line had no line break; the new lines come after it
    lines[at:at] = [line + newline for line in new]
    return "".join(lines)


# --- A table of figures ----------------------------------------------------------------------

CSV_REQUIRED = ("company", "metric", "period", "value", "unit", "outlet", "published")
CSV_OPTIONAL = (
    "currency",
    "scale",
    "source_url",
    "note",
    "segment",
    "qualifier",
    "basis",
    "title",
    "kind",
    "rank",
    "reliability",
)
# The unit column: a unit as a sheet writes it ("RMB 億", percent), or one of these kinds,
# completed by the currency and scale columns (public_facts.csv's way).
CSV_UNIT_KINDS = ("amount", "price_per_share", "shares", "headcount", "count", "multiple", "percent")


def import_rows(csv_text: str, sheets: MappingABC[Path, str], file: str = "") -> ImportPlan:
    """Plan the import of a table of figures into the sheets (path → text); write nothing.

    Columns (a header row names them, in any order; others are ignored): company (id,
    name or alias), metric (a registry name, or metric[segment]), period, value (as the
    source writes it), unit, outlet, published; optional: currency, scale (for the unit
    kinds of ``CSV_UNIT_KINDS``), source_url, note, segment, qualifier, basis, title, kind,
    rank, reliability (high, medium, low: rank 2, 3, 4 when there is no rank).

    A row's source is the sheet's source with the same URL (of the row's day, when several
    have it; without a URL, the same outlet and day), else a new one with the id ``<first word of the outlet>_<YYYYMMDD>``.
    A row the sheet already holds (same fact, source and amount) is listed as present and
    skipped. Rows that do not map are listed with their line and reason; the plan then
    carries no texts, so nothing can be written. ``file`` is written as each new source's
    ``file:`` and names the table in placeholder titles.
    """
    rows = csv.reader(io.StringIO(csv_text, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    missing = [name for name in CSV_REQUIRED if name not in header]
    if missing:
        raise UsageError(
            "the table has no column " + ", ".join(missing),
            "the columns: " + ", ".join(CSV_REQUIRED) + "; optional: " + ", ".join(CSV_OPTIONAL),
        )
    texts = dict(sheets)
    problems = [p for path, text in texts.items() for p in errors_in(read_sheet(path, text.encode("utf-8"))[1])]
    if problems:
        raise FactSheetError(problems)
    names = _company_names(texts)
    sources: list[PlannedSource] = []
    reports: list[PlannedReport] = []
    unmapped: list[UnmappedRow] = []
    line = rows.line_num + 1
    for cells in rows:
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        first, line = line, rows.line_num + 1  # a quoted cell may span lines: the row starts at ``first``
        if not any(row.values()):
            continue
        outcome = _import_row(first, row, texts, names, file)
        if isinstance(outcome, UnmappedRow):
            unmapped.append(outcome)
            continue
        path, text, source, report = outcome
        texts[path] = text
        sources += [source] if source is not None else []
        reports.append(report)
    changed = tuple((path, texts[path]) for path in sheets if texts[path] != sheets[path])
    return ImportPlan(tuple(sources), tuple(reports), tuple(unmapped), () if unmapped else changed)


def _company_names(texts: MappingABC[Path, str]) -> dict[str, Path]:
    """Every name a company goes by (id, name, native and legal name, aliases), folded."""
    names: dict[str, Path] = {}
    for path, text in texts.items():
        sheet, _ = read_sheet(path, text.encode("utf-8"))
        assert sheet is not None  # checked by the caller
        company = sheet.company
        for name in (company.id, company.name, company.native_name, company.legal_name, *company.aliases):
            if name:
                names.setdefault(name.casefold(), path)
    return names


def _import_row(
    line: int, row: dict[str, str], texts: dict[Path, str], names: dict[str, Path], file: str
) -> tuple[Path, str, PlannedSource | None, PlannedReport] | UnmappedRow:
    """One row as the sheet's new text, its new source (if any) and its report."""
    path = names.get(row["company"].casefold())
    if path is None:
        known = sorted({p.stem for p in names.values()})
        hint = suggest(row["company"].casefold(), sorted(names)) or "known: " + ", ".join(known)
        return UnmappedRow(line, "unknown company", f'"{row["company"]}"; {hint}')
    sheet, _ = read_sheet(path, texts[path].encode("utf-8"))
    assert sheet is not None  # every edit is validated
    metric, segment = _split_key(row["metric"], row.get("segment", ""))
    unit = _csv_unit(row)
    try:
        if metric not in METRICS:
            hint = suggest(metric, sorted(METRICS)) or "not a registry metric"
            return UnmappedRow(line, "unknown metric", f'"{metric}"; {hint}')
        label = _check_figure(sheet, metric, segment, row["period"])
    except UsageError as err:
        reason = "unknown segment" if err.message.startswith("unknown segment") else "unknown period"
        if "needs" in err.message:
            reason = "period does not fit the metric"
        return UnmappedRow(line, reason, str(err))
    if isinstance(unit, UnmappedRow):
        return replace(unit, line=line)
    source, new_source = _csv_source(line, row, sheet, path, file)
    if isinstance(source, UnmappedRow):
        return source
    key = f"{metric}[{segment}]" if segment else metric
    value = row["value"]
    planned = PlannedReport(path, line, key, label, value, unit, source)
    text = texts[path]
    try:
        if new_source is None and _same_report(sheet, key, label, _report(value, unit, source)) is not None:
            return path, text, None, replace(planned, present=True)
    except (ValueError, AssertionError):  # not a number, or no unit: add_report says which
        pass
    try:
        if new_source is not None:
            s = new_source
            declared = NewSource(s.id, s.outlet, s.title, s.published.isoformat(), s.url, s.rank, s.kind, file=file)
            text = add_source(text, path, declared)
        qualifier = row.get("qualifier") or "exact"
        figure = NewReport(metric, label, value, unit, source, qualifier, segment, row.get("note", ""))
        text = add_report(text, path, replace(figure, basis=row.get("basis", "")))
    except UsageError as err:
        return UnmappedRow(line, _reason(err.message), str(err))
    return path, text, new_source, planned


def _reason(message: str) -> str:
    """A short group for a refusal from add_report or add_source."""
    for start, reason in (
        ("unknown unit", "unknown unit"),
        ("unknown scale", "unknown unit"),
        ("unknown currency", "unknown unit"),
        ("unknown qualifier", "unknown qualifier"),
        ("unknown basis", "unknown basis"),
    ):
        if message.startswith(start):
            return reason
    if "is measured in" in message:
        return "unit does not fit the metric"
    if "already in the sheet" in message:
        return "already in the sheet"
    if "number" in message or "value" in message or "quotes" in message or "separators" in message:
        return "value is not a number"
    return "refused by the sheet"


def _csv_unit(row: dict[str, str]) -> str | UnmappedRow:
    """The unit as a sheet writes it, from the unit, currency and scale columns."""
    kind, currency = row["unit"], row.get("currency", "").upper()
    scale = row.get("scale", "")
    scale = "" if scale in ("", "1") else scale
    if kind == "not disclosed" or row["value"] == NOT_DISCLOSED:
        return ""
    if scale not in SCALES:
        return UnmappedRow(0, "unknown unit", f'scale "{scale}"; use one of: ' + ", ".join(s for s in SCALES if s))
    words = {
        "amount": f"{currency} {scale}",
        "price_per_share": f"{currency} {scale} per share",
        "shares": f"count {scale}",
        "headcount": f"count {scale}",
        "count": f"count {scale}",
        "multiple": "times",
        "percent": "percent",
    }.get(kind, kind)
    text = " ".join(words.split())
    if kind in ("amount", "price_per_share") and not currency:
        return UnmappedRow(0, "unknown unit", f'"{kind}" with no currency')
    parsed = parse_unit(text)
    if isinstance(parsed, str):
        if kind not in CSV_UNIT_KINDS and " " not in kind:  # "date", "flag", "text": not a figure's unit
            return UnmappedRow(0, "unknown unit", f'"{kind}" is not a unit; use one of: ' + ", ".join(CSV_UNIT_KINDS))
        return UnmappedRow(0, "unknown unit", f'"{text}": {parsed}')
    return text


def _csv_source(
    line: int, row: dict[str, str], sheet: FactSheet, path: Path, file: str
) -> tuple[str | UnmappedRow, PlannedSource | None]:
    """The id of the row's source, and the source to declare when it is new."""
    url, outlet = row.get("source_url", ""), row["outlet"]
    published = parse_date(row["published"])
    # One URL may be several sources (snapshots of a page on different days): the one of
    # the row's day first, else the first with the URL; without a URL, outlet and day.
    day = None if isinstance(published, str) else published
    same_url = [s for s in sheet.sources if url and s.url == url]
    for source in [s for s in same_url if s.published == day] + same_url:
        return source.id, None
    for source in sheet.sources:
        if not url and source.outlet == outlet and source.published == day:
            return source.id, None
    if isinstance(published, str):
        return UnmappedRow(line, "bad source", f"published: {published}"), None
    if not outlet:
        return UnmappedRow(line, "bad source", "the outlet is empty"), None
    kind = row.get("kind") or "press"
    rank_text = row.get("rank", "")
    if rank_text.isdigit():
        rank = int(rank_text)
    else:
        rank = RELIABILITY_RANK.get(row.get("reliability", "").lower(), DEFAULT_RANK.get(kind, 2))
    words = re.findall(r"[A-Za-z0-9]+", outlet)
    stem = f"{words[0].lower() if words else 'source'}_{published.strftime('%Y%m%d')}"
    taken = {s.id for s in sheet.sources}
    source_id, n = stem, 2
    while source_id in taken:
        source_id, n = f"{stem}_{n}", n + 1
    title = row.get("title") or f"untitled: imported from {file or 'a table'} line {line}"
    return source_id, PlannedSource(path, source_id, outlet, title, published, kind, rank, url, line)


# --- Writing ------------------------------------------------------------------------------------


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all.

    The bytes go to a new temporary file in the same folder, are flushed to the disk, and
    the file then takes the old one's place in one rename: an interrupt or a full disk
    leaves the old file as it was (and no temporary file behind).
    """
    with _staged(path, text) as temporary:
        os.replace(temporary, path)
    _sync_folder(path.parent)


def write_plan(plan: ImportPlan) -> None:
    """Write every sheet an import changes; refused when any row did not map.

    Every new text is staged (written and flushed) before the first sheet is replaced, so
    a full disk stops the import before any sheet changes.
    """
    if plan.unmapped:
        raise UsageError(
            f"{len(plan.unmapped)} rows do not map; nothing was written",
            "fix them or leave them out, then import again",
        )
    with contextlib.ExitStack() as stack:
        staged = [(stack.enter_context(_staged(path, text)), path) for path, text in plan.texts]
        for temporary, path in staged:
            os.replace(temporary, path)
    for folder in {path.parent for path, _ in plan.texts}:
        _sync_folder(folder)


@contextlib.contextmanager
def _staged(path: Path, text: str) -> Iterator[Path]:
    """A flushed temporary copy of ``text`` beside ``path``, removed unless moved into place."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to the disk, where the system allows opening a folder."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


# --- Reading, checking ------------------------------------------------------------------------


def _read_clean(text: str, path: Path) -> tuple[FactSheet, Mapping]:
    """The sheet and its node tree; a sheet with errors is refused with every one of them."""
    data = text.encode("utf-8")
    sheet, problems = read_sheet(path, data)
    if sheet is None:
        raise FactSheetError(errors_in(problems) or problems)
    root, _ = reader.read_yaml(path, data)
    assert isinstance(root, Mapping)  # it validated
    return sheet, root


def _read_result(text: str, path: Path) -> tuple[FactSheet, list[Problem]]:
    """The edited sheet; an error the edit caused (a negative loss, mixed units) refuses it."""
    sheet, problems = read_sheet(path, text.encode("utf-8"))
    errors = errors_in(problems)
    if sheet is None or errors:
        first = errors[0] if errors else Problem(path, 0, 0, "the edited sheet does not read")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise UsageError(first.message + more, first.hint)
    return sheet, problems


def _facts(sheet: FactSheet) -> dict[tuple[str, str], tuple[Report, ...]]:
    """Every fact's reports, without the line numbers an insertion shifts."""
    return {(f.key, f.period.label): tuple(replace(r, line=0) for r in f.reports) for f in sheet.facts}


def _bare(source: Source) -> Source:
    return replace(source, line=0)


def _layout_error(path: Path) -> UsageError:
    return UsageError(
        f"{path}: the sheet's layout is not one this command can edit safely (nothing was written)",
        "add the entry by hand",
    )


def _top(root: Mapping, name: str) -> Mapping:
    node = root.get(name)
    assert isinstance(node, Mapping)  # the sheet validated
    return node


def _base(key: str) -> str:
    return key.split("[", 1)[0]


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n]*$")
_LOOKS_TYPED = re.compile(r"^([-+]?[\d.]+([eE][-+]?\d+)?|true|false|yes|no|on|off|null|~|[\d-]+)$", re.IGNORECASE)


def _scalar(value: str, flow: bool) -> str:
    """``value`` as YAML: plain when nothing in it could be misread, else double-quoted.

    >>> _scalar("USD million", flow=True)
    'USD million'
    >>> _scalar("year on year, against 4490萬", flow=True)
    '"year on year, against 4490萬"'
    >>> _scalar("2019", flow=False)
    '"2019"'
    """
    risky = ": " in value or " #" in value or value.endswith(":") or value != value.strip()
    if flow:
        risky = risky or any(c in value for c in ",[]{}")
    if not value or risky or not _PLAIN.match(value) or _LOOKS_TYPED.match(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def _comment(text: str) -> str:
    return " ".join(text.split())


def _one_of(choices: tuple[str, ...]) -> str:
    return "use one of: " + ", ".join(choices)


def write_new(path: Path, text: str) -> None:
    """Write a new file whole, never over an existing one (``minimetrics new``).

    The text is staged beside ``path`` and linked into place: the link fails, and nothing
    changes, when ``path`` exists, even if it appeared a moment ago.
    """
    with _staged(path, text) as temporary:
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise UsageError(f"{path} already exists", "a sheet is never overwritten; choose another id") from None
    _sync_folder(path.parent)


DATA_ENV = "MINIMETRICS_DATA"
CHECKOUT_DATA = Path("datasets")


def writable_data_dir(explicit: SequenceABC[Path] | Path | None) -> Path:
    """The folder the authoring commands write into: the first ``--data-dir``, else the first
    folder of ``$MINIMETRICS_DATA``, else ``./datasets`` when it exists (a checkout). Never the
    sheets bundled inside the installed package: an edit there would vanish with the next
    install. A folder that cannot be used (missing, not a folder, a path too long) is a
    UsageError that says which."""
    given = [explicit] if isinstance(explicit, Path) else list(explicit or ())
    if given:
        folder = given[0]
    else:
        listed = [part for part in os.environ.get(DATA_ENV, "").split(os.pathsep) if part.strip()]
        folder = Path(listed[0].strip()) if listed else CHECKOUT_DATA
        if not listed and folder_problem(folder) is not None:
            raise UsageError(
                "no data folder to write into",
                f"give --data-dir FOLDER, set ${DATA_ENV}, or run in a folder that has ./{CHECKOUT_DATA}",
            )
    problem = folder_problem(folder)
    if problem is not None:
        hint = problem.hint
        if problem.message.endswith("does not exist"):
            hint = "create it first, e.g. mkdir -p " + str(folder)
        raise UsageError(problem.message.replace("the data folder", f"the data folder {problem.path}", 1), hint)
    return folder


def sheet_path(folder: Path, company: str) -> Path:
    """The sheet of ``company`` (its id, which is its file name) in ``folder``, with "did you mean"."""
    path = folder / f"{company}.yaml"
    if SLUG.match(company) and path.is_file():
        return path
    known = sorted(p.stem for p in folder.glob("*.yaml") if p.name != "fx.yaml" and not p.name.startswith((".", "_")))
    shown = "".join(c if c.isprintable() else "?" for c in company)[:60]
    raise UsageError(
        f'unknown company "{shown}" in {folder}',
        suggest(company.lower(), known) or ("known: " + ", ".join(known) if known else "start one: minimetrics new"),
    )


def read_folder(folder: Path) -> dict[Path, str]:
    """Every sheet's text in ``folder`` (not fx.yaml), as ``import_rows`` takes them."""
    paths = sorted(p for p in folder.glob("*.yaml") if p.name != "fx.yaml" and not p.name.startswith((".", "_")))
    return {p: p.read_text(encoding="utf-8") for p in paths}


def conflict_lines(text: str, path: Path, key: str, period: str) -> list[str]:
    """What the sheet now says about one fact's sources disagreeing (empty when they agree)."""
    sheet, problems = read_sheet(path, text.encode("utf-8"))
    fact = sheet.fact(key, period) if sheet is not None else None
    if fact is None or not fact.conflict:
        return []
    said = [str(p) for p in problems if p.message.startswith(f"{key} {period}:")]
    return said or [f"{path}: {key} {period}: sources disagree; settled by rank (see minimetrics show)"]


# --- The commands' core -----------------------------------------------------------------------


def create_sheet(folder: Path, company: NewCompany, schema_text: str) -> Written:
    """``minimetrics new``: the skeleton as ``folder/<id>.yaml``, never over an existing file.

    The skeleton's first line points YAML language servers at ``factsheet.schema.json``
    beside it; that file is written from ``schema_text`` when the folder lacks it.
    """
    text = new_sheet(company)
    path = folder / f"{company.id}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists", "a sheet is never overwritten; choose another id or edit it")
    write_new(path, text)
    notes: list[str] = []
    schema = folder / SCHEMA_FILE
    if not schema.exists():
        write_atomically(schema, schema_text)
        notes.append(f"wrote {schema} (the JSON Schema the sheet's first line names, for editors)")
    return Written(path, f"wrote a new sheet for {company.id}: {path}", notes=tuple(notes))


def add_to_folder(folder: Path, company: str, report: NewReport) -> Written:
    """``minimetrics add``: one figure into the company's sheet, checked, then written atomically."""
    path = sheet_path(folder, company)
    text = add_report(path.read_text(encoding="utf-8"), path, report)
    sheet, _ = read_sheet(path, text.encode("utf-8"))
    assert sheet is not None  # add_report validated it
    metric, segment = _split_key(report.metric, report.segment)
    key = f"{metric}[{segment}]" if segment else metric
    parsed = parse_period(report.period.strip(), sheet.company.fiscal_year_end_month)
    assert not isinstance(parsed, str)  # add_report checked it
    write_atomically(path, text)
    unit = f" {report.unit.strip()}" if report.unit.strip() else ""
    what = f"added {key} {parsed.label} {report.value.strip()}{unit} [{report.source}] to {path}"
    return Written(path, what, tuple(conflict_lines(text, path, key, parsed.label)))


def add_source_to_folder(folder: Path, company: str, source: NewSource) -> Written:
    """``minimetrics add-source``: one source declared in the company's sheet, written atomically."""
    path = sheet_path(folder, company)
    text = add_source(path.read_text(encoding="utf-8"), path, source)
    write_atomically(path, text)
    return Written(path, f'added source {source.id} ("{source.title.strip()}", {source.published}) to {path}')


def read_table(path: Path) -> str:
    """A CSV file's text (a byte-order mark dropped); a file that cannot be read is a usage error."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise UsageError(f"cannot read {path}: {reason}", "give a UTF-8 CSV file") from None
