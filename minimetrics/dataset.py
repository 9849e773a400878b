"""Data folders: every company's fact sheet plus ``fx.yaml``, found and loaded together.

A command reads several folders as one (``folders.data_dirs``: the bundled sheets, then the
user's). Across folders:

- a company id (a sheet's file name) in two folders is an error naming both files;
- ``fx.yaml`` files are layered: a later folder's rates for a pair (either way round) and a
  period replace an earlier folder's, so the user's rates win over the bundled ones, with a
  warning when the values differ; a source id declared differently in two of them is an error;
- one broken sheet does not stop a command about other companies: with ``companies`` named,
  ``load_data`` and ``load_frame`` leave the sheets with errors out (``Dataset.broken``) as long
  as the named companies' sheets and every ``fx.yaml`` are clean; without ``companies`` (a
  command over every company) any error fails, as ``validate`` does.

Each folder keeps its own store of the facts frame (``store.py``).
"""

from __future__ import annotations

import gc
import hashlib
import math
import os
import stat
import time
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from minimetrics import cache as _cache
from minimetrics.cache import lookup, read_through, store
from minimetrics.checks import crosscheck, domain_warnings
from minimetrics.factsheet import FactSheet, FxRate, FxTable, Report, Source, read_fx, read_sheet
from minimetrics.folders import (
    DATA_ENV,
    FX_FILE,
    bundled_data_dir,
    data_dirs,
    file_problem,
    folder_problem,
    folders_note,
    is_bundled,
    is_link,
    listing,
    path_problem,
    resolve_data_dir,
    sheet_files,
)
from minimetrics.memory import bulk
from minimetrics.problems import FactSheetError, Problem, Severity, UsageError
from minimetrics.reader import MAX_BYTES
from minimetrics.registry import METRICS, Kind, is_result, suggest
from minimetrics.store import Entry, Segment, Store, Unsupported, assemble

if TYPE_CHECKING:
    import pandas as pd

    from minimetrics.results import CompanySummary

__all__ = [  # the folder names stay importable from here, where the library has always had them
    "DATA_ENV",
    "FX_FILE",
    "AmbiguousCompanyError",
    "Dataset",
    "FrameData",
    "UnknownCompanyError",
    "broken_note",
    "bundled_data_dir",
    "check_files",
    "data_dirs",
    "find_company",
    "folders_note",
    "load_data",
    "load_frame",
    "resolve_data_dir",
    "sheet_files",
    "summarize",
]

Progress = Callable[[int, int], None]  # (files done, files in all), called after each file
Folders = Path | str | Sequence[Path | str]  # one data folder, or several in reading order


@dataclass(frozen=True)
class Dataset:
    """The sheets and rates of the data folders, as one.

    ``broken``: the sheets with errors left out because the command named other companies
    (``load_data(companies=...)``); ``validate`` lists their errors.
    """

    folders: tuple[Path, ...]
    sheets: tuple[FactSheet, ...]
    fx: FxTable | None
    warnings: tuple[Problem, ...] = ()
    broken: tuple[Path, ...] = ()

    @property
    def folder(self) -> Path:
        """The first folder read (the bundled sheets, unless left out)."""
        return self.folders[0]

    @property
    def ids(self) -> list[str]:
        return [s.company.id for s in self.sheets]

    @property
    def per_folder(self) -> tuple[int, ...]:
        """How many sheets each folder gave, beside ``folders`` (for ``folders_note``)."""
        return tuple(sum(s.path.parent == folder for s in self.sheets) for folder in self.folders)

    @cached_property
    def _index(self) -> _Index:
        return _Index.of(tuple(self.ids), [frozenset(_names(s)) for s in self.sheets])


def broken_note(broken: Sequence[Path]) -> str | None:
    """What a command about named companies says on stderr when other sheets have errors
    (``Dataset.broken``), or None when none has.

    >>> broken_note([Path("a.yaml"), Path("b.yaml")])
    '2 other sheets have errors and were left out: minimetrics validate lists them'
    >>> broken_note([]) is None
    True
    """
    if not broken:
        return None
    count = len(broken)
    return f"{count} other sheet{'s' * (count != 1)} {'have' if count != 1 else 'has'} errors and {'were' if count != 1 else 'was'} left out: minimetrics validate lists them"


class UnknownCompanyError(UsageError):
    """A company named on the command line matches no fact sheet."""

    def __init__(self, query: str, known: list[str], folders: Sequence[Path] = ()) -> None:
        hint = suggest(query.lower(), known) or "known: " + ", ".join(known)
        where = ""
        if folders:
            where = f" in {folders_note(folders).replace('data folder', 'the data folder', 1)}"
            hint += "; for a sheet in another folder add --data-dir FOLDER"
        super().__init__(f'unknown company "{_shown(query)}"{where}', hint)


class AmbiguousCompanyError(UsageError):
    """A name, alias or ticker that more than one company answers to."""

    def __init__(self, query: str, ids: list[str]) -> None:
        super().__init__(
            f'"{_shown(query)}" is ambiguous: it names {", ".join(ids)}', f"name the company by its id, e.g. {ids[0]}"
        )


def _shown(query: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in query)[:60]


def _bytes(path: Path) -> bytes:
    with path.open("rb") as handle:  # at most one byte past the limit, whatever the file claims
        return handle.read(MAX_BYTES + 1)


def _fx(path: Path, cache: bool | None) -> tuple[FxTable | None, list[Problem]]:
    return read_through(path, _bytes(path), read_fx, FxTable, cache)


def check_files(
    paths: list[Path], as_of: date | None = None, *, cache: bool | None = None, progress: Progress | None = None
) -> list[Problem]:
    """Every problem in the given files and folders: errors, warnings, cross-check mismatches
    and domain warnings (periods after ``as_of``, default today); across the folders given, a
    company in two of them and ``fx.yaml`` files that cannot be layered (``load_data``).

    ``cache``: read through the cache of read sheets (default: unless ``--no-cache`` or
    ``$MINIMETRICS_NO_CACHE``); the cross-checks and domain warnings are always run afresh.
    """
    as_of = as_of or date.today()
    with bulk():
        found = _check(paths, as_of, cache, progress)
        return found + _across([p for p in paths if folder_problem(p) is None], cache)


def _kind(path: Path) -> Problem | str:
    """``"folder"``, ``"file"`` or why the path cannot be used (``stat`` follows links)."""
    try:
        return "folder" if stat.S_ISDIR(path.stat().st_mode) else "file"
    except OSError as err:
        return path_problem(path, err, "the file or folder")
    except ValueError:
        return Problem(str(path)[:200], 0, 0, "the path holds a NUL character", "check the path")


def _check(paths: list[Path], as_of: date, cache: bool | None, progress: Progress | None) -> list[Problem]:
    # Each path's problems in order; the sheets the cache lacks are read together at the end
    # (on every core when there are many) and their problems put in their place.
    found: list[list[Problem]] = [[] for _ in paths]
    missed: list[tuple[int, Path, bytes]] = []
    done = 0

    def finished(number: int, sheet: FactSheet | None) -> None:
        nonlocal done
        if sheet is not None:  # checked at once: a sheet is not kept once its problems are known
            found[number].extend(crosscheck(sheet))
            found[number].extend(domain_warnings(sheet, as_of))
        done += 1
        if progress is not None:
            progress(done, len(paths))

    for number, path in enumerate(paths):
        sheet = None
        kind = _kind(path)
        if kind == "folder":
            found[number].extend(_check_dir(path, as_of, cache, progress))
            continue
        if isinstance(kind, Problem) and not is_link(path):
            found[number].append(kind)
        elif (odd := file_problem(path)) is not None:
            found[number].append(odd)
        elif path.name == FX_FILE:
            found[number].extend(_fx(path, cache)[1])
        else:
            data = _bytes(path)
            cached = lookup(path, data, read_sheet, FactSheet, cache)
            if cached is None:
                missed.append((number, path, data))
                continue
            sheet, found[number] = cached[0], list(cached[1])
        finished(number, sheet)
    for number, (sheet, problems) in _read_sheets(missed, cache):
        found[number] = list(problems)
        finished(number, sheet)
    return [problem for problems in found for problem in problems]


def _check_dir(folder: Path, as_of: date, cache: bool | None, progress: Progress | None) -> list[Problem]:
    files = listing(folder)
    if isinstance(files, Problem):
        return [files]
    if not files:
        return [Problem(folder, 0, 0, "the folder holds no .yaml files", "point at a folder of fact sheets")]
    use = _cache.enabled() if cache is None else cache
    return (_check_folder if use else _check)(files, as_of, cache, progress)


def _check_folder(files: list[Path], as_of: date, cache: bool | None, progress: Progress | None) -> list[Problem]:
    """``_check`` of a data folder's files through the store: a sheet whose bytes are as
    recorded is not read; its date-independent problems come from the manifest, and only a
    sheet that names a date after ``as_of`` is read to check its dates afresh."""
    sheets = [f for f in files if f.name != FX_FILE]
    others = len(files) - len(sheets)

    def told(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total + others)

    held = Store.of(files[0].parent)
    entries = dict(zip(sheets, _survey(held, sheets, False, cache, told), strict=True))
    found: list[Problem] = []
    for path in files:
        entry = entries.get(path)
        if entry is None:  # fx.yaml
            found.extend(_fx_of(path, cache)[1])
            told(len(files) - others, len(files) - others)
        elif not isinstance(entry, Entry):
            found.append(entry)
        elif entry.latest is not None and entry.latest > as_of.isoformat():
            found.extend(entry.read)
            sheet = _sheet_of(path, cache)
            if sheet is not None:
                found.extend([*crosscheck(sheet), *domain_warnings(sheet, as_of)])
        else:
            found.extend([*entry.read, *entry.checks])
    return found


def _across(folders: list[Path], cache: bool | None) -> list[Problem]:
    """What is wrong only when the folders are read together: a company in two of them, and
    ``fx.yaml`` files that cannot be layered (each file's own problems are its own)."""
    if len(folders) < 2:
        return []
    files = [f for listed in map(listing, folders) if not isinstance(listed, Problem) for f in listed]
    problems = list(_duplicates([f for f in files if f.name != FX_FILE]).values())
    tables = [_fx_of(f, cache)[0] for f in files if f.name == FX_FILE]
    if all(t is not None for t in tables):
        problems += _merge_fx([t for t in tables if t is not None])[1]
    return problems


PARALLEL_FROM = 64  # sheets to read afresh: below this, starting worker processes costs more than it saves


def _cores(files: int) -> int:
    """How many worker processes read ``files`` sheets: 1 (none: read here) below
    ``PARALLEL_FROM``, on one core, or where processes cannot be forked."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if files < PARALLEL_FROM or cores < 2:
        return 1
    # Imported only here: multiprocessing costs every command some 12-15 million instructions
    # to import, and a command that reads few sheets afresh (most of them) never needs it.
    import multiprocessing

    return cores if "fork" in multiprocessing.get_all_start_methods() else 1


def _read_and_keep(item: tuple[Path, bytes, bool | None]) -> tuple[FactSheet | None, list[Problem]]:
    path, data, cache = item
    result = read_sheet(path, data)
    store(path, data, read_sheet, result, cache)
    return result


def _read_sheets(
    missed: list[tuple[int, Path, bytes]], cache: bool | None
) -> Iterator[tuple[int, tuple[FactSheet | None, list[Problem]]]]:
    """Read the sheets the cache did not have, in their order: on every core for many sheets.

    Reading is pure (bytes in, records out), so worker processes read and keep sheets and
    send the records back; where processes cannot be forked, one reads them all.
    """
    items = [(path, data, cache) for _, path, data in missed]
    finished = 0
    cores = _cores(len(missed))
    if cores > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("fork")) as pool:
                for result in pool.map(_read_and_keep, items, chunksize=8):
                    yield missed[finished][0], result
                    finished += 1
        except (OSError, BrokenProcessPool):  # no processes to be had: the rest are read here
            pass
    for (number, _, _), item in zip(missed[finished:], items[finished:], strict=True):
        yield number, _read_and_keep(item)


def load_data(
    folders: Folders,
    *,
    companies: Sequence[str] | None = None,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Load every sheet of the data folders (one, or several in reading order: ``data_dirs``);
    raise FactSheetError listing every error in every file.

    ``companies``: the companies a command is about (ids, tickers, names or aliases). When
    given, a sheet with errors that is not theirs is left out (``Dataset.broken``) instead of
    failing the command, as long as their sheets and every ``fx.yaml`` are clean; a query
    that matches no clean sheet while some sheet has errors fails with those errors, since
    the company may be in one of them. ``cache``: read through the cache of read sheets
    (default: unless ``--no-cache`` or ``$MINIMETRICS_NO_CACHE``). ``progress(done, total)``
    is called after each file.
    """
    chosen = _as_folders(folders)
    files = [f for listed in _data_files(chosen) for f in listed]
    with bulk():
        results = _read_files(files, cache, progress)
    fx, merged = _merge_fx([r for r, _ in results if isinstance(r, FxTable)])
    reads = [
        _Read(
            path,
            r.company.id if isinstance(r, FactSheet) else None,
            _names(r) if companies and isinstance(r, FactSheet) else set(),  # only to find the named ones
            found,
        )
        for path, (r, found) in zip(files, results, strict=True)
    ]
    kept, broken, warnings = _settle(reads, merged, companies)
    sheets = tuple(r for r, _ in (results[i] for i in kept) if isinstance(r, FactSheet))
    return Dataset(chosen, sheets, fx, warnings, broken)


def _as_folders(folders: Folders) -> tuple[Path, ...]:
    if isinstance(folders, str | Path):
        return (Path(folders),)
    if not folders:
        raise UsageError("no data folder given", "pass a folder, or data_dirs() for the bundled sheets and yours")
    return tuple(Path(f) for f in folders)


def _read_files(files: list[Path], cache: bool | None, progress: Progress | None) -> list[_Result]:
    """Each file's record (None when it has errors) and problems, in order: from the cache
    where it has them, the rest read together (on every core when there are many)."""
    results: list[_Result | None] = [None] * len(files)
    missed: list[tuple[int, Path, bytes]] = []
    done = 0
    for number, path in enumerate(files):
        if (odd := file_problem(path)) is not None:
            results[number] = (None, [odd])
        elif path.name == FX_FILE:
            results[number] = _fx(path, cache)
        elif (cached := lookup(path, data := _bytes(path), read_sheet, FactSheet, cache)) is not None:
            results[number] = cached
        else:
            missed.append((number, path, data))
            continue
        done += 1
        if progress is not None:
            progress(done, len(files))
    for number, read in _read_sheets(missed, cache):
        results[number] = read
        done += 1
        if progress is not None:
            progress(done, len(files))
    return [r for r in results if r is not None]


_Result = tuple[FactSheet | FxTable | None, list[Problem]]


@dataclass(frozen=True)
class _Read:
    """One file as ``_settle`` judges it: the company it holds (None: errors, or fx.yaml)."""

    path: Path
    company: str | None
    names: set[str] | frozenset[str]
    problems: Sequence[Problem]


def _settle(
    reads: list[_Read], merged: list[Problem], companies: Sequence[str] | None
) -> tuple[list[int], tuple[Path, ...], tuple[Problem, ...]]:
    """Which files a command uses (their numbers), the sheets left out for their errors, and
    the warnings; raise FactSheetError when an error concerns the command (see ``load_data``)."""
    twice = _duplicates([r.path for r in reads if r.path.name != FX_FILE])
    problems = [[*r.problems, *([twice[r.path]] if r.path in twice else [])] for r in reads]
    errors = [p for found in problems for p in found if p.is_error] + [p for p in merged if p.is_error]
    twins = {_fold(path.stem) for path in twice}  # the first of two is left out with the second
    bad = {
        n
        for n, found in enumerate(problems)
        if any(p.is_error for p in found)
        or (twins and reads[n].path.name != FX_FILE and _fold(reads[n].path.stem) in twins)
    }
    fx_bad = any(reads[n].path.name == FX_FILE for n in bad) or any(p.is_error for p in merged)
    if errors and (not companies or fx_bad):
        raise FactSheetError(errors)
    if errors and companies:
        _named_clean(reads, problems, bad, companies)
    kept = [n for n in range(len(reads)) if n not in bad]
    warnings = [p for n in kept for p in problems[n]] + [p for p in merged if not p.is_error]
    return kept, tuple(reads[n].path for n in sorted(bad)), tuple(warnings)


def _named_clean(reads: list[_Read], problems: list[list[Problem]], bad: set[int], companies: Sequence[str]) -> None:
    """Raise FactSheetError unless every named company is in a clean sheet: with the errors of
    its own sheet (its file name is its id), else with every error (it may be in any of them)."""
    by_id: dict[str, list[Problem]] = {}
    for n in sorted(bad):
        by_id.setdefault(_fold(reads[n].path.stem), []).extend(p for p in problems[n] if p.is_error)
    clean = [r for n, r in enumerate(reads) if n not in bad and r.company]
    index = _Index.of(tuple(r.company or "" for r in clean), [frozenset(r.names) for r in clean])
    for query in companies:
        if _fold(query) in by_id:
            raise FactSheetError(by_id[_fold(query)])
        if index.find(query) is None:
            raise FactSheetError([p for found in by_id.values() for p in found])


def _duplicates(sheets: list[Path]) -> dict[Path, Problem]:
    """A problem for each sheet whose company id (its file name) an earlier folder has too."""
    first: dict[str, Path] = {}
    found = {}
    for path in sheets:
        seen = first.setdefault(_fold(path.stem), path)
        if seen != path:
            hint = "keep one of the two"
            if is_bundled(seen.parent) or is_bundled(path.parent):
                hint += ", or leave the bundled sheets out with --no-bundled"
            found[path] = Problem(
                path, 0, 0, f'company id "{path.stem}" is defined in two files: {seen} and {path}', hint
            )
    return found


def _merge_fx(tables: list[FxTable]) -> tuple[FxTable | None, list[Problem]]:
    """The ``fx.yaml`` of several folders as one table, and the problems of layering them.

    A later folder's rates for a pair (either way round) and period replace every rate an
    earlier folder gives it (the user's folders come after the bundled sheets: their rates
    win), with a warning when the rates used differ. A source id declared differently in
    two files is an error: a rate names its source by id alone.
    """
    if len(tables) < 2:
        return (tables[0] if tables else None), []
    problems: list[Problem] = []
    sources: dict[str, tuple[Source, Path]] = {}
    for table in tables:
        for source in table.sources:
            old, where = sources.setdefault(source.id, (source, table.path))
            if replace(old, line=0) != replace(source, line=0):
                problems.append(
                    Problem(
                        table.path,
                        source.line,
                        1,
                        f'source "{source.id}" is declared differently in {where}:{old.line}',
                        "give one of the two another id",
                    )
                )
    winners: dict[tuple[frozenset[str], str], tuple[Path, FxRate]] = {}
    rates: list[FxRate] = []
    for table in reversed(tables):  # the last folder first: its rates win
        mine: dict[tuple[frozenset[str], str], tuple[Path, FxRate]] = {}
        for rate in table.rates:
            key = (frozenset((rate.base, rate.quote)), rate.period.label)
            if key not in winners:
                rates.append(rate)
                mine[key] = (table.path, rate) if rate.preferred else mine.get(key, (table.path, rate))
            elif rate.preferred and not _same_rate(winners[key][1], rate):
                path, used = winners[key]
                problems.append(_replaced(path, used, table.path, rate))
        winners |= mine
    warnings = tuple(w for t in tables for w in t.warnings)
    return FxTable(tables[-1].path, tuple(s for s, _ in sources.values()), tuple(rates), warnings), problems


def _same_rate(one: FxRate, other: FxRate) -> bool:
    if (one.base, one.quote) == (other.base, other.quote):
        return math.isclose(one.value, other.value, rel_tol=1e-9)
    return math.isclose(one.value * other.value, 1, rel_tol=1e-4)  # written the other way round, rounded


def _replaced(path: Path, used: FxRate, earlier: Path, rate: FxRate) -> Problem:
    return Problem(
        path,
        used.line,
        1,
        f"{used.base}{used.quote} {used.period.label} = {used.value:g} here replaces "
        f"{rate.base}{rate.quote} = {rate.value:g} in {earlier}:{rate.line}",
        "a later data folder's rate is used; remove one of the two to silence this",
        Severity.WARNING,
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _names(sheet: FactSheet) -> set[str]:
    """What a query is compared with, folded: id, names, aliases, tickers with and without
    exchange and leading zeros."""
    company = sheet.company
    aliases: tuple[str, ...] = getattr(company, "aliases", ())
    names = {company.id, company.name, company.native_name, company.legal_name, *aliases, *company.tickers}
    names |= {t.split(".")[0].lstrip("0") for t in company.tickers}
    names |= {t.split(".")[0] for t in company.tickers}
    return {_fold(n) for n in names if n}


@dataclass(frozen=True)
class _Index:
    """Companies by what they answer to: ids first, then names, aliases and tickers."""

    ids: dict[str, int]
    names: dict[str, list[int]]
    companies: tuple[str, ...]

    @classmethod
    def of(cls, ids: tuple[str, ...], names: list[frozenset[str]]) -> _Index:
        by_name: dict[str, list[int]] = {}
        for number, known in enumerate(names):
            for name in known:
                by_name.setdefault(name, []).append(number)
        return cls({_fold(c): n for n, c in enumerate(ids)}, by_name, ids)

    def find(self, query: str) -> int | None:
        """The number of the company ``query`` names, None if none; raise AmbiguousCompanyError
        when a name, alias or ticker (not an id: ids are unique) names several."""
        wanted = _fold(query)
        if not wanted:
            return None
        if wanted in self.ids:
            return self.ids[wanted]
        hits = self.names.get(wanted, [])
        if len(hits) > 1:
            raise AmbiguousCompanyError(query, [self.companies[n] for n in hits])
        return hits[0] if hits else None


def find_company(dataset: Dataset, query: str) -> FactSheet:
    """The sheet whose id, ticker, name, native name or alias matches ``query`` (case- and
    width-insensitive: NFKC, then case-folded). An id wins over another company's name; a name,
    alias or ticker that two companies answer to is ambiguous (AmbiguousCompanyError).

    The query is only compared with what the sheets say; it is never used as a path.
    A ticker matches with or without its exchange and leading zeros (``100``, ``00100.HK``).
    """
    found = dataset._index.find(query)
    if found is None:
        raise UnknownCompanyError(query, dataset.ids, dataset.folders)
    return dataset.sheets[found]


def summarize(dataset: Dataset) -> list[CompanySummary]:
    """One row per company: what it covers and how fresh its sources are."""
    from minimetrics.results import CompanySummary  # here: reading data needs no result classes

    rows = []
    for sheet in dataset.sheets:
        durations = {
            f.period
            for f in sheet.facts
            if not f.period.is_instant and f.period.start.day == 1 and _is_result_period(f.metric, f.reports)
        }
        named = sorted((p for p in durations if "/" not in p.label), key=lambda p: (p.end, -p.months))
        company = sheet.company
        rows.append(
            CompanySummary(
                id=company.id,
                name=company.name,
                native_name=company.native_name,
                tickers=company.tickers,
                currency=company.currency,
                periods=tuple(p.label for p in named),
                facts=len(sheet.facts),
                reports=sum(len(f.reports) for f in sheet.facts),
                conflicts=sum(f.conflict for f in sheet.facts),
                newest_source=max((s.published for s in sheet.sources), default=None),
            )
        )
    return rows


def _is_result_period(metric: str, reports: Sequence[Report]) -> bool:
    """Whether a fact makes its period one ``list`` shows: a result (not a forecast, target,
    plan or estimate, not an event) of money or a ratio; a count of customers or users alone
    does not make a period of results."""
    found = METRICS[metric]
    return found.kind is not Kind.COUNT and any(is_result(metric, r.outlook) for r in reports)


# The facts frame from the store (``store.py``): only sheets whose bytes changed are read.


@dataclass(frozen=True, eq=False)  # a frame has no single truth value: compare the parts
class FrameData:
    """Data folders as the computations see them: the facts frame of the companies asked
    for, with the exchange rates and the reader's warnings (``load_frame``).

    ``ids`` is every company of the folders, in folder order; ``company_id`` resolves a
    query as ``find_company`` does, without the records. ``broken`` as in ``Dataset``.
    """

    folders: tuple[Path, ...]
    frame: pd.DataFrame
    fx: FxTable | None
    warnings: tuple[Problem, ...]
    ids: tuple[str, ...]
    names: tuple[frozenset[str], ...]  # beside ``ids``: what each company answers to, folded
    broken: tuple[Path, ...] = ()
    earliest: date | None = None  # the earliest publication of any source of any sheet (``as_of_note``)

    @property
    def folder(self) -> Path:
        return self.folders[0]

    @cached_property
    def _index(self) -> _Index:
        return _Index.of(self.ids, list(self.names))

    def company_id(self, query: str) -> str:
        found = self._index.find(query)
        if found is None:
            raise UnknownCompanyError(query, list(self.ids), self.folders)
        return self.ids[found]


SEGMENT_SHEETS = 250  # sheets read afresh per segment at most


def load_frame(
    folders: Folders,
    companies: list[str] | None = None,
    metrics: frozenset[str] | None = None,
    *,
    columns: Collection[str] | None = None,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> FrameData:
    """The facts frame (``tidy.facts_frame``) of the named companies (all by default; ids,
    tickers, names or aliases, resolved as ``find_company`` does), in folder order, only the
    rows of ``metrics`` when given, from the stores of the folders' frames (one per folder);
    raise FactSheetError as ``load_data`` does, with the same rule for sheets with errors
    when companies are named.

    ``columns``: only these columns of ``tidy.COLUMNS``, in that order (all by default): a
    computation that reads a few of them need not copy the others (raise UsageError naming
    one that is not a column). Only the sheets whose bytes changed since the store last saw
    them are read; the rest come from memory-mapped columns. ``cache``: use the store
    (default: unless ``--no-cache`` or ``$MINIMETRICS_NO_CACHE``); without it every sheet is
    read and nothing is written. ``progress(done, total)`` is called after each file, or
    each batch of files read together.
    """
    chosen = _as_folders(folders)
    kept_columns = _columns(columns)
    if not (_cache.enabled() if cache is None else cache):
        data = load_data(chosen, companies=companies, cache=False, progress=progress)
        known = tuple(frozenset(_names(s)) for s in data.sheets)
        ids = _wanted(companies, tuple(data.ids), known, chosen)
        sheets = [s for s in data.sheets if not ids or s.company.id in ids]
        earliest = min((s.published for sheet in data.sheets for s in sheet.sources), default=None)
        frame = _records_frame(sheets, metrics, kept_columns)
        return FrameData(chosen, frame, data.fx, data.warnings, tuple(data.ids), known, data.broken, earliest)
    listed = _data_files(chosen)
    held = [Store.of(folder) for folder in chosen]
    fx_files = [f for files in listed for f in files if f.name == FX_FILE]
    read_fx = {f: _fx_of(f, cache) for f in fx_files}
    fx, merged = _merge_fx([t for t, _ in read_fx.values() if t is not None])
    entries: dict[Path, Entry | Problem] = {}
    with bulk():  # records are built only for the sheets read afresh, but then many
        for store_of, files in zip(held, listed, strict=True):
            paths = [f for f in files if f.name != FX_FILE]
            entries |= zip(paths, _survey(store_of, paths, True, cache, progress), strict=True)
    reads = [
        _Read(path, None, set(), read_fx[path][1]) if path in read_fx else _entry_read(path, entries[path])
        for files in listed
        for path in files
    ]
    kept, broken, warnings = _settle(reads, merged, companies)
    good = [(reads[n].path, entries[reads[n].path]) for n in kept if reads[n].company]
    company_ids = tuple(r.company or "" for r in (reads[n] for n in kept) if r.company)
    known = tuple(frozenset(r.names) for r in (reads[n] for n in kept) if r.company)
    ids = _wanted(companies, company_ids, known, chosen)
    picks = [
        [(p, e) for p, e in good if p in mine and isinstance(e, Entry) and (not ids or e.company in ids)]
        for mine in (set(files) for files in listed)
    ]
    earliest = min(
        (date.fromisoformat(e.earliest) for _, e in good if isinstance(e, Entry) and e.earliest), default=None
    )
    # Every folder's rows in one go when their segments are all there: joining a frame per
    # folder would copy every row once more (a second at 10,000 sheets).
    runs = _runs(picks) if len(held) > 1 else []

    def read(key: str) -> Segment | None:
        return held[int(key.split("/")[0])].read_segment(key.split("/")[1])

    whole = assemble(runs, metrics, read, kept_columns)
    if whole is not None:
        return FrameData(chosen, whole, fx, warnings, company_ids, known, broken, earliest)
    frames = [
        _frame_of(store_of, picked, metrics, kept_columns, cache)
        for number, (store_of, picked) in enumerate(zip(held, picks, strict=True))
        if picked or number == 0
    ]
    frame = frames[0] if len(frames) == 1 else _concat(frames)
    return FrameData(chosen, frame, fx, warnings, company_ids, known, broken, earliest)


def _columns(columns: Collection[str] | None) -> tuple[str, ...] | None:
    """``columns`` checked, in the order of ``tidy.COLUMNS`` (None: all of them)."""
    if columns is None:
        return None
    from minimetrics.tidy import COLUMNS

    for name in columns:
        if name not in COLUMNS:
            shown = "".join(c if c.isprintable() else "?" for c in str(name))[:60]
            raise UsageError(
                f'"{shown}" is not a column of the facts frame', suggest(str(name), COLUMNS) or ", ".join(COLUMNS)
            )
    if not columns:
        raise UsageError("no column of the facts frame asked for", "name one or more, or pass None for all")
    return tuple(c for c in COLUMNS if c in columns)


def _records_frame(
    sheets: list[FactSheet], metrics: frozenset[str] | None, columns: tuple[str, ...] | None
) -> pd.DataFrame:
    """``facts_frame`` of the records, only the facts of ``metrics`` and the ``columns`` when given."""
    from minimetrics.tidy import facts_frame

    if metrics is not None:
        sheets = [replace(s, facts=tuple(f for f in s.facts if f.metric in metrics)) for s in sheets]
    frame = facts_frame(sheets)
    return frame if columns is None else frame[list(columns)]


def _runs(picks: list[list[tuple[Path, Entry]]]) -> list[tuple[str, int, int]]:
    """The rows of the chosen sheets of each folder as runs of consecutive rows of a segment,
    each named ``folder number/segment``; none if a sheet has no segment."""
    runs: list[tuple[str, int, int]] = []
    for number, picked in enumerate(picks):
        for _, entry in picked:
            if entry.segment is None:
                return []
            if entry.start == entry.stop:
                continue  # a sheet without facts
            key = f"{number}/{entry.segment}"
            if runs and runs[-1][0] == key and runs[-1][2] == entry.start:
                runs[-1] = (key, runs[-1][1], entry.stop)
            else:
                runs.append((key, entry.start, entry.stop))
    return runs


def _entry_read(path: Path, entry: Entry | Problem) -> _Read:
    if isinstance(entry, Problem):
        return _Read(path, None, set(), [entry])
    return _Read(path, entry.company, frozenset(entry.names), entry.read)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def _wanted(
    companies: list[str] | None, ids: tuple[str, ...], names: tuple[frozenset[str], ...], folders: Sequence[Path]
) -> set[str]:
    """The ids of the named companies, resolved as ``FrameData.company_id`` does (the index
    of names is built only when companies are named: 8.5 ms at 10,000 sheets)."""
    if not companies:
        return set()
    index = _Index.of(ids, list(names))
    found = set()
    for query in companies:
        number = index.find(query)
        if number is None:
            raise UnknownCompanyError(query, list(ids), folders)
        found.add(ids[number])
    return found


def _frame_of(
    held: Store,
    chosen: list[tuple[Path, Entry]],
    metrics: frozenset[str] | None,
    columns: tuple[str, ...] | None,
    cache: bool | None,
) -> pd.DataFrame:
    """The rows of the chosen sheets from their segments; read afresh where a segment is gone
    or damaged, or from the records where the store cannot hold the columns."""
    for _attempt in range(2):
        runs: list[tuple[str, int, int]] = []
        for _, entry in chosen:
            if entry.segment is not None and entry.start == entry.stop:
                continue  # a sheet without facts
            if entry.segment is None:
                break
            if runs and runs[-1][0] == entry.segment and runs[-1][2] == entry.start:
                runs[-1] = (entry.segment, runs[-1][1], entry.stop)  # one run of consecutive rows
            else:
                runs.append((entry.segment, entry.start, entry.stop))
        else:
            if not runs:
                return _records_frame([], None, columns)
            frame = assemble(runs, metrics, held.read_segment, columns)
            if frame is not None:
                return frame
        # A segment is missing, damaged or unlike the others: read these sheets again.
        for _, entry in chosen:
            entry.segment = None
        _survey(held, [path for path, _ in chosen], True, cache, None, fresh=True)
        fresh = held.entries
        chosen = [(path, fresh.get(path.name, entry)) for path, entry in chosen]
    records = [_sheet_of(path, cache) for path, _ in chosen]
    return _records_frame([s for s in records if s is not None], metrics, columns)


def _sheet_of(path: Path, cache: bool | None) -> FactSheet | None:
    sheet, _ = read_through(path, _bytes(path), read_sheet, FactSheet, cache)
    return sheet


def _data_files(folders: tuple[Path, ...]) -> list[list[Path]]:
    """The files of each folder; raise FactSheetError with every folder that cannot be read,
    or when the folders hold no fact sheet at all (a folder of the user's may be empty yet)."""
    listed = [listing(folder) for folder in folders]
    problems = [found for found in listed if isinstance(found, Problem)]
    if problems:
        raise FactSheetError(problems)
    files = [found for found in listed if not isinstance(found, Problem)]
    if not [f for found in files for f in found if f.name != FX_FILE]:
        where = folders[0] if len(folders) == 1 else ", ".join(map(str, folders))
        raise FactSheetError([Problem(where, 0, 0, "the data folder holds no fact sheets", "add <company>.yaml files")])
    return files


def _fx_of(path: Path, cache: bool | None) -> tuple[FxTable | None, list[Problem]]:
    odd = file_problem(path)
    return (None, [odd]) if odd is not None else _fx(path, cache)


def _survey(
    held: Store,
    paths: list[Path],
    rows: bool,
    cache: bool | None,
    progress: Progress | None,
    *,
    fresh: bool = False,
) -> list[Entry | Problem]:
    """What the store knows of each sheet file, brought up to date: a file whose stat key is
    trusted, or whose bytes hash as recorded, is taken from the manifest; the rest are read
    (on every core when there are many), checked, and, with ``rows``, their rows written as
    new segments. A file that is not a regular file is its problem. The manifest is written
    when anything changed; ``fresh``: keep the other entries of the manifest as they are."""
    known = dict(held.entries)
    found: list[Entry | Problem | None] = [None] * len(paths)
    todo: list[int] = []
    changed = False
    done = 0
    for number, path in enumerate(paths):
        old = known.get(path.name)
        if old is not None and (old.segment or not rows) and _trusted(old, path):
            found[number] = old  # neither opened nor read: what makes a warm run quick
        elif (odd := file_problem(path)) is not None:
            found[number] = odd
        else:
            recorded, renewed = _as_recorded(old, path, rows)
            if recorded is None:
                todo.append(number)
            found[number] = recorded
            changed |= renewed
        if found[number] is not None:
            done += 1
            if progress is not None:
                progress(done, len(paths))
    for numbers, entries, new in _build(held, [(n, paths[n]) for n in todo], rows, cache):
        for number, entry in zip(numbers, entries, strict=True):
            found[number] = entry
        changed = True
        done += len(numbers) if new else 0
        if progress is not None and numbers and new:
            progress(done, len(paths))
    result = [f for f in found if f is not None]
    if changed:
        kept = dict(held.entries) if fresh else {}
        kept |= {p.name: e for p, e in zip(paths, result, strict=True) if isinstance(e, Entry)}
        if rows and not fresh:
            kept = _compact(held, kept)
            result = [kept.get(p.name, e) if isinstance(e, Entry) else e for p, e in zip(paths, result, strict=True)]
        held.write_manifest(kept)
    return result


def _trusted(entry: Entry, path: Path) -> bool:
    """Whether ``path`` is a regular file whose stat key ``entry`` trusts: the file is as it
    was recorded, readable then and with the same owner and mode since (a change of either
    changes the change time), so ``file_problem`` need not open it."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(info.st_mode) and entry.same_file(info)


def _as_recorded(old: Entry | None, path: Path, rows: bool) -> tuple[Entry | None, bool]:
    """The manifest's entry of ``path`` when the file is as recorded (None: read it again), and
    whether the entry was renewed: a file whose stat key is trusted is taken as it is; one
    whose bytes hash as recorded gets its new stat key. With ``rows``, an entry without rows
    is read again."""
    if old is None or not (old.segment or not rows):
        return None, False
    try:
        info = path.stat()
    except OSError:
        return None, False
    if old.same_file(info):
        return old, False
    recorded = time.time_ns()
    if hashlib.sha256(_bytes(path)).hexdigest() != old.sha256:
        return None, False
    renewed = replace(
        old,
        size=info.st_size,
        mtime_ns=info.st_mtime_ns,
        ctime_ns=info.st_ctime_ns,
        ino=info.st_ino,
        recorded_ns=recorded,
    )
    return renewed, True


def _compact(held: Store, entries: dict[str, Entry]) -> dict[str, Entry]:
    """The entries with their rows copied into as few segments as a cold read makes, once
    edits have left more than twice as many (each edit adds one): loading stays quick. The
    rows are copied from the segments, not read again; the old segments go with the manifest."""
    named = [(n, e) for n, e in entries.items() if e.segment and e.start < e.stop]
    used = {e.segment for _, e in named}
    if len(used) <= 2 * -(-len(named) // SEGMENT_SHEETS) + 8:
        return entries
    result = dict(entries)
    for first in range(0, len(named), SEGMENT_SHEETS):
        batch = named[first : first + SEGMENT_SHEETS]
        runs = [(entry.segment or "", entry.start, entry.stop) for _, entry in batch]
        frame = assemble(runs, None, held.read_segment)  # None too when a segment is gone: left to the next read
        name = held.write_segment(frame) if frame is not None else None
        if name is None:
            return entries
        start = 0
        for key, entry in batch:
            result[key] = replace(entry, segment=name, start=start, stop=start + entry.stop - entry.start)
            start += entry.stop - entry.start
    return result


def _build(
    held: Store, todo: list[tuple[int, Path]], rows: bool, cache: bool | None
) -> Iterator[tuple[list[int], list[Entry], bool]]:
    """Read, check and (with ``rows``) store the rows of the files, a batch at a time, on
    every core for many files; each batch's numbers and entries, in order, and whether they
    are new (False: the same files again, now with their rows)."""
    if not todo:
        return
    cores = _cores(len(todo))
    if cores < 2:
        read = []
        for number, path in todo:  # one at a time, so that progress is told after each file
            entry, sheet = _entry_of(path, cache)
            read.append((number, entry, sheet))
            yield [number], [entry], True
        for first in range(0, len(read) if rows else 0, SEGMENT_SHEETS):  # then their rows, together
            group = read[first : first + SEGMENT_SHEETS]
            entries = _with_rows(held, [e for _, e, _ in group], [s for _, _, s in group])
            yield [n for n, _, _ in group], entries, False
        return
    size = max(1, min(SEGMENT_SHEETS, -(-len(todo) // (cores * 4))))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    finished = 0
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if rows:
        import pandas  # noqa: F401  # imported once here, not in each worker

    light = Store(held.folder, held.key)  # without the manifest: the workers need only the place
    work = [(light, [path for _, path in batch], rows, cache) for batch in batches]
    try:
        with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("fork")) as pool:
            for entries in pool.map(_batch, work):
                yield [number for number, _ in batches[finished]], entries, True
                finished += 1
    except (OSError, BrokenProcessPool):  # no processes to be had: the rest are read here
        pass
    for item, batch in zip(work[finished:], batches[finished:], strict=True):
        yield [number for number, _ in batch], _batch(item), True


def _batch(item: tuple[Store, list[Path], bool, bool | None]) -> list[Entry]:
    held, paths, rows, cache = item
    # A batch makes hundreds of thousands of objects and leaves almost no cycles (825 objects
    # freed by the collector in 125 synthetic sheets): its passes over them were a fifth of the
    # batch's CPU (125 sheets with their rows, 2.31-2.66 s -> 1.85-2.10 s). Off for the batch only.
    collecting = gc.isenabled()
    gc.disable()
    try:
        read = [_entry_of(path, cache) for path in paths]
        entries = [entry for entry, _ in read]
        return _with_rows(held, entries, [sheet for _, sheet in read]) if rows else entries
    finally:
        if collecting:
            gc.enable()


def _entry_of(path: Path, cache: bool | None) -> tuple[Entry, FactSheet | None]:
    """Read and check one sheet: its entry (no rows yet) and its records."""
    recorded = time.time_ns()
    info = path.stat()  # before reading: an edit after it changes the stat key, and is read next time
    data = _bytes(path)
    # The records are taken from the cache of read sheets when a command that shows records
    # kept them, but not kept here: the store holds what the frame's commands need, and
    # pickling every sheet's records cost a tenth of a cold read.
    found = lookup(path, data, read_sheet, FactSheet, cache)
    sheet, read = found if found is not None else read_sheet(path, data)
    checks: list[Problem] = []
    latest = earliest = None
    if sheet is not None:
        # The date-independent checks: with the latest possible as-of date, none is in the future.
        checks = [*crosscheck(sheet), *domain_warnings(sheet, date.max)]
        dates = [f.period.end for f in sheet.facts] + [s.published for s in sheet.sources]
        latest = max(dates).isoformat() if dates else None
        earliest = min(s.published for s in sheet.sources).isoformat() if sheet.sources else None
    entry = Entry(
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
        info.st_ino,
        hashlib.sha256(data).hexdigest(),
        recorded,
        sheet.company.id if sheet is not None else None,
        sorted(_names(sheet)) if sheet is not None else [],
        list(read),
        checks,
        latest,
        earliest=earliest,
    )
    return entry, sheet


def _with_rows(held: Store, entries: list[Entry], sheets: list[FactSheet | None]) -> list[Entry]:
    """The entries with their rows written as one new segment (as they were if it cannot be)."""
    from minimetrics.tidy import facts_frame

    kept = [s for s in sheets if s is not None]
    frame = facts_frame(kept)
    try:
        name = held.write_segment(frame) if len(frame) else None
    except Unsupported:
        name = None
    start = 0
    result = []
    for entry, sheet in zip(entries, sheets, strict=True):
        count = sum(len(f.reports) for f in sheet.facts) if sheet is not None else 0
        if name is not None or count == 0:
            entry = replace(
                entry, segment=name or "empty", start=start if name else 0, stop=start + count if name else 0
            )
        start += count
        result.append(entry)
    return result
