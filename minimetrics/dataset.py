"""A data folder: every company's fact sheet plus ``fx.yaml``, found and loaded together."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from minimetrics.cache import lookup, read_through, store
from minimetrics.checks import crosscheck, domain_warnings
from minimetrics.factsheet import FactSheet, FxTable, read_fx, read_sheet
from minimetrics.memory import bulk
from minimetrics.problems import FactSheetError, Problem, UsageError
from minimetrics.reader import MAX_BYTES
from minimetrics.registry import suggest
from minimetrics.results import CompanySummary

Progress = Callable[[int, int], None]  # (files done, files in all), called after each file

FX_FILE = "fx.yaml"
DATA_ENV = "MINIMETRICS_DATA"


@dataclass(frozen=True)
class Dataset:
    folder: Path
    sheets: tuple[FactSheet, ...]
    fx: FxTable | None
    warnings: tuple[Problem, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [s.company.id for s in self.sheets]


class UnknownCompanyError(UsageError):
    """A company named on the command line matches no fact sheet."""

    def __init__(self, query: str, known: list[str]) -> None:
        shown = "".join(c if c.isprintable() else "?" for c in query)[:60]
        super().__init__(f'unknown company "{shown}"', suggest(query.lower(), known) or "known: " + ", ".join(known))


def bundled_data_dir() -> Path:
    """The fact sheets that ship with the package (or sit beside it in a checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "datasets"
    return installed if installed.is_dir() else here.parent / "datasets"


def resolve_data_dir(explicit: Path | None = None) -> Path:
    """``--data-dir``, else ``$MINIMETRICS_DATA``, else the bundled sheets."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(DATA_ENV, "").strip()
    return Path(from_env) if from_env else bundled_data_dir()


def sheet_files(folder: Path) -> list[Path]:
    """The YAML entries of a data folder, in name order, hidden and ``_``-prefixed ones left out.

    Entries that are not regular files (a link to a device, a folder named x.yaml) are
    included so that the caller reports them instead of skipping them silently.
    """
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith((".", "_")))


def _not_regular(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a sheet (not a regular file, or not readable), or None."""
    if path.is_file():
        try:
            path.open("rb").close()
        except OSError as err:  # no permission, mostly: the user's to fix, not a crash
            return Problem(path, 0, 0, f"cannot read {path.name}: {err.strerror or err}", "check its permissions")
        return None
    what = "a link to something that is not a regular file" if path.is_symlink() else "not a regular file"
    return Problem(
        path, 0, 0, f"{path.name} is {what}", "a fact sheet must be a plain .yaml file; remove or replace it"
    )


def _bytes(path: Path) -> bytes:
    with path.open("rb") as handle:  # at most one byte past the limit, whatever the file claims
        return handle.read(MAX_BYTES + 1)


def _fx(path: Path, cache: bool | None) -> tuple[FxTable | None, list[Problem]]:
    return read_through(path, _bytes(path), read_fx, FxTable, cache)


def check_files(
    paths: list[Path], as_of: date | None = None, *, cache: bool | None = None, progress: Progress | None = None
) -> list[Problem]:
    """Every problem in the given files and folders: errors, warnings, cross-check mismatches
    and domain warnings (periods after ``as_of``, default today).

    ``cache``: read through the cache of read sheets (default: unless ``--no-cache`` or
    ``$MINIMETRICS_NO_CACHE``); the cross-checks and domain warnings are always run afresh.
    """
    as_of = as_of or date.today()
    with bulk():
        return _check(paths, as_of, cache, progress)


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
        if path.is_dir():
            files = sheet_files(path)
            if not files:
                found[number].append(
                    Problem(path, 0, 0, "the folder holds no .yaml files", "point at a folder of fact sheets")
                )
            found[number].extend(_check(files, as_of, cache, progress))
            continue
        if not path.exists() and not path.is_symlink():
            found[number].append(Problem(path, 0, 0, "no such file or folder", "check the path"))
        elif (odd := _not_regular(path)) is not None:
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


PARALLEL_FROM = 64  # sheets to read afresh: below this, starting worker processes costs more than it saves


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
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    items = [(path, data, cache) for _, path, data in missed]
    finished = 0
    if len(missed) >= PARALLEL_FROM and cores > 1 and "fork" in multiprocessing.get_all_start_methods():
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


def load_data(folder: Path, *, cache: bool | None = None, progress: Progress | None = None) -> Dataset:
    """Load every sheet in a folder; raise FactSheetError listing every error in every file.

    ``cache``: read through the cache of read sheets (default: unless ``--no-cache`` or
    ``$MINIMETRICS_NO_CACHE``). ``progress(done, total)`` is called after each file.
    """
    if not folder.exists():
        raise FactSheetError(
            [Problem(folder, 0, 0, "the data folder does not exist", "check --data-dir or $MINIMETRICS_DATA")]
        )
    if not folder.is_dir():
        raise FactSheetError(
            [Problem(folder, 0, 0, "the data folder is not a folder", "point --data-dir at a folder of .yaml files")]
        )
    files = sheet_files(folder)
    if not [f for f in files if f.name != FX_FILE]:
        raise FactSheetError(
            [Problem(folder, 0, 0, "the data folder holds no fact sheets", "add <company>.yaml files")]
        )
    results: list[tuple[FactSheet | FxTable | None, list[Problem]] | None] = [None] * len(files)
    missed: list[tuple[int, Path, bytes]] = []
    done = 0
    with bulk():
        for number, path in enumerate(files):
            if (odd := _not_regular(path)) is not None:
                results[number] = (None, [odd])
            elif path.name == FX_FILE:
                results[number] = _fx(path, cache)
            else:
                data = _bytes(path)
                cached = lookup(path, data, read_sheet, FactSheet, cache)
                results[number] = cached
                if cached is None:
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
    problems: list[Problem] = []
    sheets: list[FactSheet] = []
    fx: FxTable | None = None
    for result in results:
        assert result is not None
        record, found = result
        problems.extend(found)
        if isinstance(record, FxTable):
            fx = record
        elif record is not None:
            sheets.append(record)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise FactSheetError(errors)
    warnings = tuple(p for p in problems if not p.is_error)
    return Dataset(folder, tuple(sheets), fx, warnings)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


def find_company(dataset: Dataset, query: str) -> FactSheet:
    """The sheet whose id, ticker, name, native name or alias matches ``query`` (case-insensitive).

    The query is only compared with what the sheets say; it is never used as a path.
    A ticker matches with or without its exchange and leading zeros (``100``, ``00100.HK``).
    """
    wanted = _fold(query)
    for sheet in dataset.sheets:
        company = sheet.company
        names = {company.id, company.name, company.native_name, company.legal_name, *company.aliases, *company.tickers}
        names |= {t.split(".")[0].lstrip("0") for t in company.tickers}
        names |= {t.split(".")[0] for t in company.tickers}
        if wanted and wanted in {_fold(n) for n in names if n}:
            return sheet
    raise UnknownCompanyError(query, dataset.ids)


def summarize(dataset: Dataset) -> list[CompanySummary]:
    """One row per company: what it covers and how fresh its sources are."""
    rows = []
    for sheet in dataset.sheets:
        durations = {f.period for f in sheet.facts if not f.period.is_instant and f.period.start.day == 1}
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
