"""Fact sheets: the format's records, and the schema that turns a node tree into them.

Every problem in a file is collected before anything fails; a sheet with errors
is never returned half-read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from minimetrics import ranges, reader
from minimetrics.problems import Problem, Severity
from minimetrics.ranges import Interval
from minimetrics.reader import Mapping, Node, Scalar, Sequence
from minimetrics.records import Record, made
from minimetrics.registry import (
    BASES,
    CURRENCIES,
    CURRENCY_ALIASES,
    INFERENCES,
    METRICS,
    OUTLOOKS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    SOURCE_KINDS,
    Family,
    Metric,
    Period,
    Sign,
    Unit,
    digits_problem,
    fact_key,
    non_ascii_digit,
    parse_date,
    parse_period,
    parse_unit,
    period_fits,
    suggest,
    unit_fits,
)

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TICKER = re.compile(r"^[0-9A-Z]{1,6}\.[A-Z]{1,4}$")
NOT_DISCLOSED = "not disclosed"
# The longest text each field may hold, in characters: generous beside the shipped sheets
# (the longest note 260, url 216, title 159, name 61), and short enough that no table cell
# or report line downstream ever has to lay out a page of text. Any other value: SHORT_TEXT.
SHORT_TEXT = 200
TEXT_LIMITS = {"title": 500, "file": 500, "url": 2_000, "note": 2_000, "crosscheck_note": 2_000}
TEXT_LIMITS |= {"preferred_because": 2_000, "alias": 100}
MAX_ALIASES = 20  # names one company is found by: the shipped sheets use at most 4

T = TypeVar("T")
R = TypeVar("R")


def _record(cls: type[R], **fields: object) -> R:
    """A frozen record of ``cls`` with every one of its fields given, made without its
    ``__init__`` (which sets each field through ``object.__setattr__``): twice as quick, but
    its fields are held in a dict of its own, twice the memory of one made by ``__init__``,
    so only for records that are not kept (``choose``'s ``Choice``). The records here have no
    ``__post_init__`` to skip; tests/test_factsheet.py checks that one has all its fields and
    equals the one ``__init__`` makes."""
    record: R = object.__new__(made(cls))  # a Record is made a dataclass when first used
    record.__dict__.update(fields)
    return record


# --- Records -------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    id: str
    name: str
    group: str = ""  # segments of one group add up to their parent (or the total)
    parent: str = ""


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    native_name: str
    tickers: tuple[str, ...]
    founded: str  # as written in company.founded, or derived from the sheet's `founded` facts
    currency: str
    fiscal_year_end: str  # MM-DD
    listed: date | None = None
    legal_name: str = ""
    segments: tuple[Segment, ...] = ()
    aliases: tuple[str, ...] = ()  # other names the sources use for the company: 智譜, 智谱AI
    aliases_line: int = 0  # where the aliases are written, for a problem found across sheets

    @property
    def fiscal_year_end_month(self) -> int:
        return int(self.fiscal_year_end[:2])


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    title: str
    published: date
    kind: str
    rank: int
    url: str = ""
    file: str = ""
    note: str = ""  # e.g. the details of how an undated article's date was inferred
    line: int = 0
    published_inferred: str = ""  # how the date was inferred (one of INFERENCES); "" when the source states it

    @property
    def is_dated(self) -> bool:
        """Whether the source states its own publication date."""
        return not self.published_inferred


@dataclass(frozen=True)
class Report:
    """One source's figure for one fact.

    ``value`` is the one figure the source gives; it is None when the figure is not
    disclosed, for a range (``qualifier`` "range": the ends are ``value_range``, and there is
    no point value to compute with) and for an event that has no figure. ``outlook`` is
    set when the report is a forecast, target, plan or estimate rather than a result;
    ``period_inferred`` says how the period was inferred when the source does not state it.
    """

    value: float | None
    unit: Unit | None
    source: str
    qualifier: str = "exact"
    basis: str = ""
    note: str = ""
    decimals: int = 0
    line: int = 0
    crosscheck_note: str = ""  # why the sheet's other figures do not reproduce this one
    preferred_because: str = ""  # a reviewer's reason to show this report where equal-rank sources disagree
    value_range: tuple[float, float] | None = None  # low and high, as written, for a range
    high_decimals: int = 0  # how precisely the high end of a range was written (``decimals``: the low end)
    outlook: str = ""  # forecast, target, plan or estimate (OUTLOOKS); "" for a result
    period_inferred: str = ""  # how the period was inferred (INFERENCES); "" when the source states it
    event: bool = False  # a report of an event with no figure (the metric's family is none)

    @property
    def disclosed(self) -> bool:
        """Whether the source gives the figure: one value, a range, or the event itself."""
        return self.value is not None or self.value_range is not None or self.event

    @property
    def has_bounds(self) -> bool:
        """Whether the report allows an interval of amounts: a value or a range."""
        return self.unit is not None and (self.value is not None or self.value_range is not None)

    @property
    def amount(self) -> float | None:
        """The value in whole units (USD, people), scale applied."""
        if self.value is None or self.unit is None:
            return None
        # 12 significant digits: 1.245 × 10^8 is 124,500,000, not 124,500,000.00000001.
        return float(f"{self.value * self.unit.scale:.12g}")

    def bounds(self) -> Interval:
        """The range of whole-unit amounts this report allows: its rounding and qualifier
        (``ranges.bounds``; 30.5 allows 30.45 to 30.55; a range 38.34–41.89 allows 38.335 to 41.895)."""
        assert self.unit is not None
        if self.value_range is not None:
            low, high = self.value_range
            return ranges.bounds(low, self.decimals, "range", self.unit.scale, high, self.high_decimals)
        assert self.value is not None
        return ranges.bounds(self.value, self.decimals, self.qualifier, self.unit.scale)


@dataclass(frozen=True)
class Fact:
    """One metric for one period, with every report of it.

    ``conflict``: some reports disagree. ``preferred``: index of the report shown:
    the best-ranked source's, or a more precise report that agrees with it.
    ``unresolved``: reports that disagree with the preferred one come from a
    source of the same rank, and no report carries a reviewer's ``preferred_because``.
    ``resolution``: that reason, when a reviewer chose the report shown.
    """

    metric: str
    segment: str
    period: Period
    reports: tuple[Report, ...]
    conflict: bool = False
    unresolved: bool = False
    preferred: int = 0
    line: int = 0
    resolution: str = ""

    @property
    def key(self) -> str:
        return fact_key(self.metric, self.segment)

    @property
    def value(self) -> Report:
        return self.reports[self.preferred]


@dataclass(frozen=True)
class FactSheet:
    path: Path
    company: Company
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    warnings: tuple[Problem, ...] = ()

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def fact(self, key: str, period: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key and f.period.label == period), None)


@dataclass(frozen=True)
class FxRate:
    """Units of ``quote`` per one ``base``: a spot rate at a date or an average over a duration.

    One pair and period may carry several sourced rates; ``preferred`` marks the one
    conversions use (best source rank, then an exact over an approximate figure,
    then the first written) and ``conflict`` says the others disagree with it.
    """

    base: str
    quote: str
    period: Period
    value: float
    source: str
    qualifier: str = "exact"
    note: str = ""
    line: int = 0
    preferred: bool = True
    conflict: bool = False


@dataclass(frozen=True)
class FxTable:
    path: Path
    sources: tuple[Source, ...]
    rates: tuple[FxRate, ...]
    warnings: tuple[Problem, ...] = ()


# --- Schema ----------------------------------------------------------------------


class _Reader:
    """Checks nodes against the schema, collecting problems with the file's path.

    A plain class, not a dataclass: nothing compares or shows it, and each dataclass costs
    about half a millisecond to make at every start that reads a sheet or only imports this.
    """

    def __init__(self, path: Path, problems: list[Problem] | None = None) -> None:
        self.path = path
        self.problems = [] if problems is None else problems

    def problem(self, node: Node, message: str, hint: str = "", severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(self.path, node.line, node.column, message, hint, severity))

    def take(self, result: T | Problem) -> T | None:
        if isinstance(result, Problem):
            self.problems.append(
                Problem(self.path, result.line, result.column, result.message, result.hint, result.severity)
            )
            return None
        return result

    def mapping(self, node: Node | None, what: str, parent: Node) -> Mapping | None:
        if node is None:
            self.problem(parent, f"{what} is missing", f"add a `{what}:` mapping")
            return None
        if not isinstance(node, Mapping):
            self.problem(node, f"{what} must be a mapping of names to values", "see README.md, the fact-sheet format")
            return None
        return node

    def fields(self, node: Mapping, what: str, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Node]:
        """The known fields of a mapping; unknown and missing ones are problems."""
        found: dict[str, Node] = {}
        allowed = required + optional
        for key, value in node.items:
            if key.text in allowed:
                found[key.text] = value
            elif re.match(r"^[0-9]+(\.[0-9]+)?$", key.text):
                self.problem(key, f'"{key.text}" after a comma', "a thousands separator splits the value; write 1234.5")
            else:
                hint = suggest(key.text, allowed) or "allowed: " + ", ".join(allowed)
                self.problem(key, f'unknown field "{key.text}" in {what}', hint)
        for name in required:
            if name not in found:
                self.problem(node, f'{what} has no "{name}"', f"add `{name}:`")
        return found

    def text(self, node: Node | None, field: str = "") -> str:
        """The text of a field ("" when absent or refused), at most ``TEXT_LIMITS[field]``
        (else ``SHORT_TEXT``) characters long."""
        if node is None:
            return ""
        limit = TEXT_LIMITS.get(field, SHORT_TEXT)
        if type(node) is Scalar:  # the usual case, without reader.text's checks (a million at 1,000 sheets)
            value = node.text.strip()
            if value and len(value) <= limit:
                return value
        value = self.take(reader.text(node)) or ""
        if len(value) > limit:
            self.problem(
                node,
                f"{field or 'the value'} is {len(value):,} characters long; at most {limit:,}",
                "shorten it: a fact sheet cites its sources, it does not copy them",
            )
            return ""
        return value

    def at_digit(self, node: Node, message: str, hint: str = "") -> None:
        """A problem with a digit that is not ASCII, pointing at the digit itself where the
        scalar is written plainly on one line (a quoted one may hold escapes: its start)."""
        column = node.column
        if isinstance(node, Scalar) and node.plain:
            at = non_ascii_digit(node.text)
            column += max(at, 0)
        self.problems.append(Problem(self.path, node.line, column, message, hint))

    def choice(self, node: Node | None, choices: tuple[str, ...], what: str) -> str:
        value = self.text(node)
        if node is not None and value and value not in choices:
            hint = suggest(value, choices) or "use one of: " + ", ".join(choices)
            self.problem(node, f'unknown {what} "{value}"', hint)
            return ""
        return value

    def slug(self, node: Node, what: str) -> str:
        value = self.text(node)
        if value and not SLUG.match(value):
            self.problem(node, f'{what} "{value}" is not a lowercase slug', "use a-z, 0-9, _ and -")
        return value


def read_sheet(path: Path, data: bytes | None = None) -> tuple[FactSheet | None, list[Problem]]:
    """Read and validate one company's fact sheet.

    Returns the sheet (None if it has any error) and every problem found,
    warnings included.
    """
    root, problems = reader.read_yaml(path, data)
    problems = [_with_path(p, path) for p in problems]
    if root is None:
        return None, problems
    check = _Reader(path, problems)
    top = check.mapping(root, "the fact sheet", root)
    if top is None:
        return None, check.problems
    parts = check.fields(top, "the fact sheet", ("company", "sources", "facts"), ())
    company = _company(check, parts.get("company"), top)
    sources = _sources(check, parts.get("sources"), top)
    facts: list[Fact] = []
    if company is not None:
        if company.id and company.id != path.stem:
            node = _field_node(parts.get("company"), "id") or top
            check.problem(
                node,
                f'company id "{company.id}" differs from the file name "{path.stem}"',
                f"rename the file to {company.id}.yaml or set id: {path.stem}",
            )
        keyed = _facts(check, parts.get("facts"), top, company, {s.id: s for s in sources})
        facts = [fact for fact, _ in keyed]
        _before_founding(check, company.founded, keyed)
        company = _founding(check, company, facts, _field_node(parts.get("company"), "founded"))
        if not any(p.is_error for p in check.problems):
            _unused_sources(check, sources, {r.source for f in facts for r in f.reports})
    if company is None or any(p.is_error for p in check.problems):
        return None, check.problems
    warnings = tuple(p for p in check.problems if not p.is_error)
    return FactSheet(path, company, tuple(sources), tuple(facts), warnings), check.problems


def _founding(check: _Reader, company: Company, facts: list[Fact], field_node: Node | None) -> Company:
    """The company with ``founded`` derived from the sheet's ``founded`` facts, where sources
    date the founding (and may disagree): every date they give, most reported first.
    A sheet gives the founding one way, as facts or as the company field."""
    dated = [(f.period.label, len(f.reports)) for f in facts if f.metric == "founded" and not f.segment]
    if not dated:
        return company
    if field_node is not None:
        check.problem(
            field_node,
            "founded is given both here and as facts",
            "remove company.founded: it is derived from the founded facts, each with its source",
        )
        return company
    ordered = sorted(dated, key=lambda d: (-d[1], d[0]))
    return replace(company, founded=" or ".join(label for label, _ in ordered))


def _before_founding(check: _Reader, founded_field: str, keyed: list[tuple[Fact, Scalar]]) -> None:
    """Refuse a figure for a period that ended before the company was founded: the earliest
    founding date any source gives (or company.founded), taken at its start (2019 is
    2019-01-01, 2021-12 is 2021-12-01). A year mistyped a century back would otherwise make
    a hundred-year CAGR."""
    starts = [f.period.start for f, _ in keyed if f.metric == "founded" and not f.segment]
    written = parse_period(founded_field) if founded_field else None
    if isinstance(written, Period):
        starts.append(written.start)
    if not starts:
        return
    founding = min(starts)
    for fact, key in keyed:
        if fact.metric != "founded" and fact.period.end < founding:
            check.problem(
                key,
                f"{fact.key} {fact.period.label} ends before the company was founded ({founding.isoformat()})",
                "check the year; a figure from before the founding is another entity's",
            )


def _with_path(problem: Problem, path: Path) -> Problem:
    if problem.path:
        return problem
    return Problem(path, problem.line, problem.column, problem.message, problem.hint, problem.severity)


def _field_node(node: Node | None, key: str) -> Node | None:
    return node.get(key) if isinstance(node, Mapping) else None


def _company(check: _Reader, node: Node | None, top: Node) -> Company | None:
    block = check.mapping(node, "company", top)
    if block is None:
        return None
    f = check.fields(
        block,
        "company",
        ("id", "name", "native_name", "currency", "fiscal_year_end"),
        ("tickers", "founded", "legal_name", "listed", "segments", "aliases"),
    )
    tickers: list[str] = []
    ticker_node = f.get("tickers")  # optional: a company that is not listed has none
    if ticker_node is not None:
        if not isinstance(ticker_node, Sequence):
            check.problem(ticker_node, "tickers must be a list", 'write tickers: ["00100.HK"]')
        elif not ticker_node.items:
            check.problem(ticker_node, "tickers is an empty list", "leave tickers out for a company that is not listed")
        else:
            for item in ticker_node.items:
                ticker = check.text(item)
                if ticker and not TICKER.match(ticker):
                    check.problem(item, f'ticker "{ticker}" is not SYMBOL.EXCHANGE', 'write it like "00100.HK"')
                tickers.append(ticker)
    founded = _founded(check, f.get("founded"))
    listed = check.take(reader.day(f["listed"])) if "listed" in f else None
    currency = check.text(f.get("currency"))
    currency = CURRENCY_ALIASES.get(currency, currency)
    if currency and currency not in CURRENCIES:
        check.problem(f["currency"], f'unknown currency "{currency}"', "use one of: " + ", ".join(CURRENCIES))
    year_end = check.text(f.get("fiscal_year_end"))
    if year_end and (not re.match(r"^[0-9]{2}-[0-9]{2}$", year_end) or isinstance(parse_date(f"2001-{year_end}"), str)):
        check.problem(f["fiscal_year_end"], f'fiscal_year_end "{year_end}" is not MM-DD', "write e.g. 12-31")
        year_end = ""
    company = Company(
        id=check.slug(f["id"], "company id") if "id" in f else "",
        name=check.text(f.get("name"), "name"),
        native_name=check.text(f.get("native_name"), "native_name"),
        tickers=tuple(tickers),
        founded=founded,
        currency=currency,
        fiscal_year_end=year_end or "12-31",
        listed=listed,
        legal_name=check.text(f.get("legal_name"), "legal_name"),
        segments=_segments(check, f.get("segments")),
    )
    alias_node = f.get("aliases")
    if alias_node is None:
        return company
    return replace(company, aliases=_aliases(check, alias_node, company), aliases_line=alias_node.line)


def _aliases(check: _Reader, node: Node, company: Company) -> tuple[str, ...]:
    """company.aliases: other names the sources call the company by (智譜AI), each text of at
    most ``TEXT_LIMITS["alias"]`` characters, at most ``MAX_ALIASES`` of them. An alias that
    repeats another, or one of the company's own names, is refused: compared as a lookup
    compares names (``fold_name``), it could only be a typo or a copy."""
    if not isinstance(node, Sequence):
        check.problem(node, "aliases must be a list", "write aliases: [智譜, 智谱]")
        return ()
    if len(node.items) > MAX_ALIASES:
        check.problem(
            node,
            f"{len(node.items)} aliases; at most {MAX_ALIASES}",
            "keep the names the sources actually use for the company",
        )
        return ()
    own: dict[str, str] = {}  # a folded name: which of the company's names it is (the first)
    names = [("id", company.id), ("name", company.name), ("native_name", company.native_name)]
    names += [("legal_name", company.legal_name), *(("ticker", ticker) for ticker in company.tickers)]
    for what, value in names:
        if value:
            own.setdefault(fold_name(value), what)
    aliases: list[str] = []
    seen: dict[str, str] = {}
    for item in node.items:
        alias = check.text(item, "alias")
        if not alias:
            continue
        folded = fold_name(alias)
        if folded in own:
            check.problem(
                item, f'alias "{alias}" is the company\'s {own[folded]}', "remove it: the lookup finds it already"
            )
        elif folded in seen:
            check.problem(item, f'alias "{alias}" repeats "{seen[folded]}"', "list each alias once")
        else:
            seen[folded] = alias
            aliases.append(alias)
    return tuple(aliases)


def fold_name(text: str) -> str:
    """A name as a company lookup compares it: NFKC-normalised, case-folded, trimmed
    (``dataset.find_company`` folds the same way).

    >>> fold_name(" ＭｉｎｉＭａｘ ") == fold_name("minimax")
    True
    """
    return unicodedata.normalize("NFKC", text).casefold().strip()


def name_clashes(sheets: Iterable[FactSheet]) -> list[Problem]:
    """An alias of one company that another company answers to (its id, name, native or
    legal name, ticker or alias): a lookup by that name would find whichever sheet comes
    first. A dataset-level check: one sheet alone cannot see it."""
    sheets = list(sheets)
    owners: dict[str, list[str]] = {}
    for sheet in sheets:
        company = sheet.company
        for name in (company.id, company.name, company.native_name, company.legal_name, *company.tickers):
            if name:
                owners.setdefault(fold_name(name), []).append(company.id)
        for alias in company.aliases:
            owners.setdefault(fold_name(alias), []).append(company.id)
    problems = []
    for sheet in sheets:
        company = sheet.company
        for alias in company.aliases:
            others = sorted({owner for owner in owners[fold_name(alias)] if owner != company.id})
            if others:
                problems.append(
                    Problem(
                        sheet.path,
                        company.aliases_line,
                        1,
                        f'alias "{alias}" of {company.id} is also a name of {", ".join(others)}',
                        "an alias must name one company; remove it from one of the sheets",
                    )
                )
    return problems


def _founded(check: _Reader, node: Node | None) -> str:
    """company.founded as written: YYYY, YYYY-MM or YYYY-MM-DD, in ASCII digits, a real date
    in the years read (``parse_period`` checks the last two)."""
    founded = check.text(node)
    if not founded or node is None:
        return founded
    if non_ascii_digit(founded) >= 0:
        check.at_digit(node, digits_problem(founded, "founded"), "write e.g. 2021-12")
    elif not re.match(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", founded):
        check.problem(node, f'founded "{founded}" is not YYYY, YYYY-MM or YYYY-MM-DD', "write e.g. 2021-12")
    else:
        founding = parse_period(founded)
        if isinstance(founding, str):
            check.problem(node, founding, "write e.g. 2021-12")
    return founded


def _segments(check: _Reader, node: Node | None) -> tuple[Segment, ...]:
    if node is None:
        return ()
    block = check.mapping(node, "segments", node)
    if block is None:
        return ()
    segments: list[Segment] = []
    for key, value in block.items:
        slug = check.slug(key, "segment")
        if isinstance(value, Mapping):
            f = check.fields(value, f"segment {slug}", ("name",), ("group", "parent"))
            segments.append(
                Segment(
                    slug, check.text(f.get("name"), "name"), check.text(f.get("group")), check.text(f.get("parent"))
                )
            )
        else:
            segments.append(Segment(slug, check.text(value, "name")))
    known = {s.id for s in segments}
    for segment, (key, _) in zip(segments, block.items, strict=True):
        if segment.parent and segment.parent not in known:
            check.problem(
                key,
                f'segment {segment.id} names an unknown parent "{segment.parent}"',
                suggest(segment.parent, sorted(known)),
            )
    return tuple(segments)


def _sources(check: _Reader, node: Node | None, top: Node) -> list[Source]:
    block = check.mapping(node, "sources", top)
    if block is None:
        return []
    sources: list[Source] = []
    for key, value in block.items:
        source_id = check.slug(key, "source id")
        entry = check.mapping(value, f"source {source_id}", key)
        if entry is None:
            continue
        f = check.fields(
            entry,
            f"source {source_id}",
            ("outlet", "title", "published", "kind", "rank"),
            ("published_inferred", "url", "file", "note"),
        )
        published = check.take(reader.day(f["published"])) if "published" in f else None
        rank = check.take(reader.number(f["rank"])) if "rank" in f else None
        if rank is not None and (rank != int(rank) or not 1 <= rank <= 9):
            check.problem(f["rank"], f"rank {rank:g} is not a whole number from 1 to 9", "1 is the most authoritative")
            rank = None
        url = check.text(f.get("url"), "url")
        if url and not re.match(r"^https?://\S+$", url):
            check.problem(
                f["url"], f'"{url}" is not a web address', "write the full https:// address, or leave url out"
            )
        if published is None or rank is None:
            continue
        sources.append(
            Source(
                id=source_id,
                outlet=check.text(f.get("outlet"), "outlet"),
                title=check.text(f.get("title"), "title"),
                published=published,
                kind=check.choice(f.get("kind"), SOURCE_KINDS, "source kind"),
                rank=int(rank),
                url=url,
                file=_source_file(check, f.get("file")),
                note=check.text(f.get("note"), "note"),
                line=key.line,
                published_inferred=check.choice(f.get("published_inferred"), INFERENCES, "way of inferring a date"),
            )
        )
    return sources


def _source_file(check: _Reader, node: Node | None) -> str:
    """A source's ``file``: a path inside the sources folder, written with forward slashes.
    An absolute path, a drive, a backslash or a ``..`` step could point anywhere on the disk."""
    written = check.text(node, "file")
    if not written or node is None:
        return written
    parts = written.split("/")
    if written.startswith(("/", "~")) or "\\" in written or ":" in parts[0] or ".." in parts:
        check.problem(
            node,
            f'file "{written}" is not a path inside the sources folder',
            "write a relative path with / and no .. step, e.g. articles/000_5b505482c42ea665.txt",
        )
        return ""
    return written


def _unused_sources(check: _Reader, sources: list[Source], cited: set[str]) -> None:
    for source in sources:
        if source.id not in cited:
            check.problems.append(
                Problem(
                    check.path,
                    source.line,
                    1,
                    f'source "{source.id}" is not cited',
                    "cite it or remove it",
                    Severity.WARNING,
                )
            )


_FACT_KEY = re.compile(r"^([a-z0-9_]+)(?:\[([^\]]+)\])?$")


def _facts(
    check: _Reader, node: Node | None, top: Node, company: Company, sources: dict[str, Source]
) -> list[tuple[Fact, Scalar]]:
    """Every fact the sheet records, each with its period key (where a problem with it points)."""
    block = check.mapping(node, "facts", top)
    if block is None:
        return []
    segments = {s.id for s in company.segments}
    facts: list[tuple[Fact, Scalar]] = []
    for key, periods in block.items:
        found = _FACT_KEY.match(key.text)
        if not found:
            check.problem(
                key, f'"{key.text}" is not a metric name', "write metric or metric[segment], e.g. revenue[talkie]"
            )
            continue
        name, segment = found[1], found[2] or ""
        metric = METRICS.get(name)
        if metric is None:
            hint = suggest(name, sorted(METRICS)) or "`minimetrics schema` lists the metrics"
            check.problem(key, f'unknown metric "{name}"', hint)
            continue
        if segment and segment not in segments:
            hint = suggest(segment, sorted(segments)) or f"declare it under company.segments: `{segment}: Display name`"
            check.problem(key, f'unknown segment "{segment}" in {key.text}', hint)
            continue
        by_period = check.mapping(periods, key.text, key)
        if by_period is None:
            continue
        if not by_period.items:
            check.problem(by_period, f"{key.text} has no periods", "add a period and its report, or remove the metric")
            continue
        for period_key, entries in by_period.items:
            period = _fact_period(check, period_key, metric, company.fiscal_year_end_month)
            if period is None:
                continue
            items = entries.items if isinstance(entries, Sequence) else (entries,)
            if not items:
                check.problem(
                    period_key, f"{key.text} {period_key.text} has no report", "add a report or remove the period"
                )
                continue
            reports = [r for r in (_report(check, item, metric, sources) for item in items) if r is not None]
            if len(reports) == len(items) and reports:
                facts.append((_decided(check, name, segment, period, tuple(reports), period_key, sources), period_key))
    return facts


def _fact_period(check: _Reader, key: Scalar, metric: Metric, fiscal_year_end_month: int) -> Period | None:
    """The period a fact's key names, if it is one the metric may be recorded for."""
    period = parse_period(key.text, fiscal_year_end_month)
    if isinstance(period, str):
        if non_ascii_digit(key.text) >= 0:
            check.at_digit(key, period)
        else:
            check.problem(key, period)
        return None
    misfit = period_fits(metric, period)
    if misfit:
        check.problem(key, misfit)
        return None
    return period


def _no_figure(check: _Reader, f: dict[str, Node], metric_name: str) -> None:
    """An event's report names its source and date; a figure, unit or qualifier is a mistake."""
    for name in ("value", "unit", "qualifier"):
        if name in f:
            check.problem(
                f[name],
                f"{metric_name} is an event with no figure: a report gives no {name}",
                "give the date as the period, and the source; say more in a note",
            )


def _figure(
    check: _Reader, f: dict[str, Node], qualifier: str, disclosed: bool
) -> tuple[float | None, tuple[float, float] | None, int, int]:
    """A report's value or range, and how precisely each was written (decimals)."""
    value_node = f.get("value")
    if isinstance(value_node, Sequence):
        value_range, decimals, high_decimals = _range(check, value_node, qualifier, f.get("qualifier"))
        return None, value_range, decimals, high_decimals
    if value_node is None or not disclosed:
        return None, None, 0, 0
    if qualifier == "range":
        check.problem(
            value_node,
            "a range needs its two ends, low and high",
            "write value: [low, high] with qualifier: range",
        )
        return None, None, 0, 0
    decimals = reader.decimals(value_node) if isinstance(value_node, Scalar) else 0
    return check.take(reader.number(value_node)), None, decimals, 0


def _report_unit(check: _Reader, f: dict[str, Node], entry: Node, metric: Metric, disclosed: bool) -> Unit | None:
    if "unit" not in f:
        if disclosed:
            check.problem(entry, f"the {metric.name} report has no unit", "add e.g. `unit: USD million`")
        return None
    parsed = parse_unit(check.text(f["unit"]))
    if isinstance(parsed, str):
        check.problem(f["unit"], parsed, "units look like: USD million, RMB 億, percent, count, HKD per share")
        return None
    misfit = unit_fits(metric, parsed)
    if misfit:
        check.problem(f["unit"], misfit)
    return parsed


_OPTIONAL = ("unit", "qualifier", "basis", "note", "crosscheck_note", "preferred_because", "outlook", "period_inferred")
_REPORT_FIELDS = (("value", "source"), _OPTIONAL)  # required, optional
_EVENT_FIELDS = (("source",), (*_OPTIONAL, "value"))


def _report(check: _Reader, node: Node, metric: Metric, sources: dict[str, Source]) -> Report | None:
    entry = check.mapping(node, "a report", node)
    if entry is None:
        return None
    known = len(check.problems)  # problems found before this report
    metric_name = metric.name
    event = metric.family is Family.NONE
    f = check.fields(entry, "a report", *(_EVENT_FIELDS if event else _REPORT_FIELDS))
    # An absent field is "" without a call: a thousand sheets are half a million reports,
    # each with three or four of its thirteen fields written.
    qualifier = ("qualifier" in f and check.choice(f["qualifier"], QUALIFIERS, "qualifier")) or "exact"
    value_node = f.get("value")
    disclosed = not (isinstance(value_node, Scalar) and value_node.text.strip() == NOT_DISCLOSED)
    if event:
        _no_figure(check, f, metric_name)
        value, value_range, decimals, high_decimals = None, None, 0, 0
    else:
        value, value_range, decimals, high_decimals = _figure(check, f, qualifier, disclosed)
    unit = None if event else _report_unit(check, f, entry, metric, disclosed)
    source = check.text(f.get("source"))
    if source and source not in sources:
        hint = suggest(source, sorted(sources)) or "add it under sources:"
        check.problem(f["source"], f'unknown source "{source}"', hint)
    if value is not None and value_node is not None:
        _check_value(check, value_node, metric_name, value, unit)
    if value_range is not None and value_node is not None:
        for end in value_range:
            _check_value(check, value_node, metric_name, end, unit)
    outlook = check.choice(f["outlook"], OUTLOOKS, "outlook") if "outlook" in f else ""
    if outlook and metric.outlook:
        check.problem(
            f["outlook"],
            f"{metric_name} is a {metric.outlook} by definition: a report needs no outlook",
            "remove outlook:",
        )
    if len(check.problems) > known and any(p.is_error for p in check.problems[known:]):
        return None
    return Report(
        value=value,
        unit=unit,
        source=source,
        qualifier="exact" if event else qualifier,
        basis=check.choice(f["basis"], BASES, "basis") if "basis" in f else "",
        note=check.text(f["note"], "note") if "note" in f else "",
        decimals=decimals,
        line=entry.line,
        crosscheck_note=check.text(f["crosscheck_note"], "crosscheck_note") if "crosscheck_note" in f else "",
        preferred_because=check.text(f["preferred_because"], "preferred_because") if "preferred_because" in f else "",
        value_range=value_range,
        high_decimals=high_decimals,
        outlook=outlook or metric.outlook,
        period_inferred=(
            check.choice(f["period_inferred"], INFERENCES, "way of inferring a period")
            if "period_inferred" in f
            else ""
        ),
        event=event,
    )


def _range(
    check: _Reader, node: Sequence, qualifier: str, qualifier_node: Node | None
) -> tuple[tuple[float, float] | None, int, int]:
    """A range written ``value: [low, high]`` with ``qualifier: range``: its ends and how
    precisely each was written. Anything else written as a list is refused, never guessed."""
    if qualifier != "range":
        at: Node = node
        if qualifier_node is None:
            message = "a list of values with no qualifier"
        else:
            word = QUALIFIER_WORDS.get(qualifier, qualifier)
            message, at = f'a list of values is a range, not "{word or qualifier}"', qualifier_node
        check.problem(at, message, "write value: [low, high] with qualifier: range, or one value")
        return None, 0, 0
    if len(node.items) != 2:
        check.problem(node, f"a range has two ends, low and high, not {len(node.items)}", "write value: [low, high]")
        return None, 0, 0
    ends = [check.take(reader.number(item)) for item in node.items]
    low, high = ends
    if low is None or high is None:
        return None, 0, 0
    if not low < high:
        check.problem(
            node,
            f"a range runs from low to high: {low:g} is not below {high:g}",
            f"write value: [{min(low, high):g}, {max(low, high):g}]" if low != high else "one figure is no range",
        )
        return None, 0, 0
    low_node, high_node = node.items
    assert isinstance(low_node, Scalar) and isinstance(high_node, Scalar)  # reader.number took them
    return (low, high), reader.decimals(low_node), reader.decimals(high_node)


def _check_value(check: _Reader, node: Node, metric_name: str, value: float, unit: Unit | None) -> None:
    metric = METRICS[metric_name]
    if metric.sign is Sign.NON_NEGATIVE and value < 0:
        if metric_name in ("net_loss", "adjusted_net_loss", "operating_loss", "monthly_cash_burn"):
            hint = f"losses and burn are positive numbers: write {-value:g}"
        else:
            hint = f"{metric_name} cannot be negative; check the sign"
        check.problem(node, f"{metric_name} is negative ({value:g})", hint)
    if (
        unit is not None
        and unit.family is Family.PERCENT
        and metric.max_percent is not None
        and value > metric.max_percent
    ):
        check.problem(node, f"{metric_name} of {value:g}% is above {metric.max_percent:g}%", "check the figure")


class Choice(Record):
    """Which report of a fact is shown, and why (``choose``).

    ``preferred``: the index of the report shown. ``winner``: the report that decides (a
    reviewer's choice, else the best-ranked); ``preferred`` is it or a more precise report
    that agrees with it. ``disagreeing``: reports weighed that disagree with the winner.
    ``reviewed``: reports carrying ``preferred_because`` (more than one is a mistake).
    """

    preferred: int
    winner: int
    conflict: bool
    unresolved: bool
    resolution: str
    disagreeing: tuple[int, ...]
    reviewed: tuple[int, ...]


def choose(reports: tuple[Report, ...] | list[Report], sources: dict[str, Source]) -> Choice:
    """Decide which of a fact's reports is shown, whether they conflict and whether the
    conflict is unresolved. Pure: the reports and their sources in, the decision out (an
    as-of view calls it on the reports known at a date).

    A reviewer's choice wins; else the best-ranked source (among equals, a disclosed figure,
    then the first written). A report that agrees with the winner but is more precise is
    shown in its place. Forecasts, targets, plans and estimates are weighed only where the
    fact has no result: a plan that differs from what happened is no conflict. Unresolved:
    a report that disagrees comes from a source of the winner's rank and no reviewer chose.

    >>> a = Report(30.5, parse_unit("USD million"), "a")
    >>> b = Report(45.0, parse_unit("USD million"), "b")
    >>> day = date(2026, 1, 9)
    >>> sources = {s: Source(s, "Daily", "t", day, "press", rank) for s, rank in (("a", 2), ("b", 2))}
    >>> c = choose([a, b], sources)
    >>> c.preferred, c.conflict, c.unresolved, c.disagreeing
    (0, True, True, (1,))
    """
    if len(reports) == 1 and not reports[0].preferred_because:  # shown, and agrees with itself
        return Choice(0, 0, False, False, "", (), ())
    bounds = [r.bounds() if r.has_bounds else None for r in reports]  # each worked out once
    results = [i for i, r in enumerate(reports) if not r.outlook]
    pool = results or list(range(len(reports)))

    def agree(i: int, j: int) -> bool:
        return _overlap(bounds[i], bounds[j])

    rank = [sources[r.source].rank for r in reports]
    reviewed = tuple(i for i, r in enumerate(reports) if r.preferred_because)
    winner = reviewed[0] if reviewed else min(pool, key=lambda i: (rank[i], not reports[i].disclosed, i))
    agreeing = [i for i in pool if agree(i, winner)]
    # (one report agreeing, as is usual, is the one shown: no key to work out)
    preferred = agreeing[0] if len(agreeing) == 1 else min(agreeing, key=lambda i: (_span(bounds[i]), rank[i], i))
    disagreeing = tuple(i for i in pool if i not in agreeing)
    conflict = any(not agree(i, j) for i in pool for j in pool if i != j)
    tie = any(rank[i] == rank[winner] for i in disagreeing)
    resolution = reports[reviewed[0]].preferred_because if reviewed else ""
    return _record(
        Choice,
        preferred=preferred,
        winner=winner,
        conflict=conflict,
        unresolved=tie and not reviewed,
        resolution=resolution,
        disagreeing=disagreeing,
        reviewed=reviewed,
    )


def _decided(  # noqa: PLR0913 -- a fact's parts, where it is decided and by which sources
    check: _Reader,
    metric: str,
    segment: str,
    period: Period,
    reports: tuple[Report, ...],
    key: Scalar,
    sources: dict[str, Source],
) -> Fact:
    """The fact of these reports with ``choose``'s decision among them, and the problems a
    reviewer must see."""
    if len(reports) == 1 and not reports[0].preferred_because:  # shown, and agrees with itself
        return Fact(metric, segment, period, reports, line=key.line)
    label = fact_key(metric, segment)
    units = [r.unit for r in reports if r.unit is not None]
    if len({(u.family, u.currency) for u in units}) > 1:
        check.problem(
            key,
            f"{label} {period.label} mixes units: " + ", ".join(sorted({u.text for u in units})),
            "record every report of one fact in the same currency; a conversion is not a report",
        )
    choice = choose(reports, sources)
    if len(choice.reviewed) > 1:
        check.problem(
            key,
            f"{label} {period.label}: {len(choice.reviewed)} reports say preferred_because",
            "a reviewer chooses one report to show; keep preferred_because on one of them",
        )
    if choice.reviewed and not choice.conflict:
        check.problem(
            key,
            f"{label} {period.label}: preferred_because, but the reports agree",
            "remove preferred_because; it is for choosing between sources that disagree",
            Severity.WARNING,
        )
    elif choice.unresolved:
        shown = [choice.winner, *choice.disagreeing]
        versions = " vs ".join(_describe(reports[i]) for i in shown if reports[i].disclosed)
        check.problem(
            key,
            f"{label} {period.label}: sources of equal rank disagree ({versions}) and no report is chosen",
            'review them, then add preferred_because: "why" to the report to show',
            Severity.WARNING,
        )
    return Fact(
        metric,
        segment,
        period,
        reports,
        choice.conflict,
        choice.unresolved,
        choice.preferred,
        key.line,
        choice.resolution,
    )


def _describe(report: Report) -> str:
    """``more than 11 USD 億 [netease_20260109]``: a report as a reviewer would look it up.

    >>> _describe(Report(None, parse_unit("HKD 億"), "shiji21", "range", value_range=(38.34, 41.89)))
    'between 38.34 and 41.89 HKD 億 [shiji21]'
    """
    unit = f" {report.unit.text}" if report.unit else ""
    if report.value_range is not None:
        low, high = report.value_range
        return f"between {low:g} and {high:g}{unit} [{report.source}]"
    if report.value is None:
        return f"{'the event' if report.event else 'not disclosed'} [{report.source}]"
    word = QUALIFIER_WORDS.get(report.qualifier, report.qualifier)
    return f"{word + ' ' if word else ''}{report.value:g}{unit} [{report.source}]"


def _span(bounds: Interval | None) -> float:
    return float("inf") if bounds is None else ranges.width(bounds)


def _overlap(a: Interval | None, b: Interval | None) -> bool:
    """Whether two reports, given by their bounds (None: not disclosed), can both be true."""
    if a is None or b is None:
        return a is None and b is None
    return ranges.overlap(a, b)


# --- Exchange rates ----------------------------------------------------------------

_PAIR = re.compile(r"^([A-Z]{3})([A-Z]{3})$")
# Where each pair has traded since 2015; a rate outside is likely inverted or mistyped.
PLAUSIBLE_RATES = {("USD", "RMB"): (6.0, 7.5), ("USD", "HKD"): (7.7, 7.9), ("HKD", "RMB"): (0.78, 0.97)}


def read_fx(path: Path, data: bytes | None = None) -> tuple[FxTable | None, list[Problem]]:
    """Read and validate the exchange-rate file (``fx.yaml``)."""
    root, problems = reader.read_yaml(path, data)
    problems = [_with_path(p, path) for p in problems]
    if root is None:
        return None, problems
    check = _Reader(path, problems)
    top = check.mapping(root, "the rates file", root)
    if top is None:
        return None, check.problems
    parts = check.fields(top, "the rates file", ("sources", "rates"), ())
    sources = _sources(check, parts.get("sources"), top)
    known = {s.id: s for s in sources}
    rates: list[FxRate] = []
    block = check.mapping(parts.get("rates"), "rates", top)
    for pair_key, periods in block.items if block is not None else ():
        pair = _pair(check, pair_key)
        by_period = check.mapping(periods, pair_key.text, pair_key)
        if pair is None or by_period is None:
            continue
        for period_key, entries in by_period.items:
            period = parse_period(period_key.text)
            if isinstance(period, str) and non_ascii_digit(period_key.text) >= 0:
                check.at_digit(period_key, period, "write 2026-01-09 or FY2024")
                continue
            if isinstance(period, str) or period.precision != "day":
                why = period if isinstance(period, str) and "year" in period else ""
                check.problem(
                    period_key, why or f'"{period_key.text}" is not a date or a duration', "write 2026-01-09 or FY2024"
                )
                continue
            items = entries.items if isinstance(entries, Sequence) else (entries,)
            found = [_rate(check, item, pair, period, known) for item in items]
            rates.extend(_prefer([r for r in found if r is not None], known))
    if not any(p.is_error for p in check.problems):
        _unused_sources(check, sources, {r.source for r in rates})
    _disagreeing_rates(check, rates)
    if any(p.is_error for p in check.problems):
        return None, check.problems
    warnings = tuple(p for p in check.problems if not p.is_error)
    return FxTable(path, tuple(sources), tuple(rates), warnings), check.problems


def _pair(check: _Reader, key: Scalar) -> tuple[str, str] | None:
    found = _PAIR.match(key.text)
    if found:
        base, quote = (CURRENCY_ALIASES.get(c, c) for c in (found[1], found[2]))
        if base in CURRENCIES and quote in CURRENCIES and base != quote:
            return base, quote
    check.problem(key, f'"{key.text}" is not a currency pair', "write BASEQUOTE from USD, CNY/RMB, HKD, e.g. USDCNY")
    return None


def _rate(
    check: _Reader, node: Node, pair: tuple[str, str], period: Period, sources: dict[str, Source]
) -> FxRate | None:
    entry = check.mapping(node, "a rate", node)
    if entry is None:
        return None
    f = check.fields(entry, "a rate", ("value", "source"), ("qualifier", "note"))
    value = check.take(reader.number(f["value"])) if "value" in f else None
    source = check.text(f.get("source"))
    if source and source not in sources:
        check.problem(
            f["source"], f'unknown source "{source}"', suggest(source, sorted(sources)) or "add it under sources:"
        )
        return None
    if value is None or not source:
        return None
    if value <= 0:
        check.problem(
            f["value"],
            f"an exchange rate of {value:g}",
            "a rate is units of the quote currency per one base unit, above zero",
        )
        return None
    low, high = PLAUSIBLE_RATES.get(pair, (0.0, float("inf")))
    if not low <= value <= high:
        inverted = low <= 1 / value <= high
        check.problem(
            f["value"],
            f"{pair[0]}{pair[1]} at {value:g} is outside {low:g} to {high:g}",
            f"it looks inverted: write {1 / value:.4f}" if inverted else "check the figure",
            Severity.WARNING,
        )
    qualifier = check.choice(f.get("qualifier"), QUALIFIERS, "qualifier") or "exact"
    return FxRate(pair[0], pair[1], period, value, source, qualifier, check.text(f.get("note"), "note"), entry.line)


def _prefer(rates: list[FxRate], sources: dict[str, Source]) -> list[FxRate]:
    if not rates:
        return []
    best = min(rates, key=lambda r: (sources[r.source].rank, r.qualifier != "exact", rates.index(r)))
    conflict = any(abs(r.value - best.value) > 1e-9 for r in rates)
    return [replace(r, preferred=r is best, conflict=conflict) for r in rates]


def _disagreeing_rates(check: _Reader, rates: list[FxRate]) -> None:
    """Two spellings of one pair (USDCNY and USDRMB) giving one period different rates."""
    seen: dict[tuple[str, str, str], FxRate] = {}
    for rate in (r for r in rates if r.preferred):
        key = (rate.base, rate.quote, rate.period.label)
        first = seen.setdefault(key, rate)
        if first is not rate:
            check.problems.append(
                Problem(
                    check.path,
                    rate.line,
                    1,
                    f"{rate.base}{rate.quote} {rate.period.label} is given twice, at line {first.line} and here",
                    "list every sourced rate for one date under one pair key",
                    Severity.ERROR,
                )
            )
