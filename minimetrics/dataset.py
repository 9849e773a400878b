"""A data folder: every company's fact sheet plus ``fx.yaml``, found and loaded together."""

from __future__ import annotations

import hashlib
import os
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from minimetrics import cache as _cache
from minimetrics.cache import lookup, read_through, store
from minimetrics.checks import crosscheck, domain_warnings
from minimetrics.factsheet import FactSheet, FxTable, read_fx, read_sheet
from minimetrics.memory import bulk
from minimetrics.problems import FactSheetError, Problem, UsageError
from minimetrics.reader import MAX_BYTES
from minimetrics.registry import suggest
from minimetrics.results import CompanySummary
from minimetrics.store import Entry, Segment, Store, Unsupported, assemble

if TYPE_CHECKING:
    import pandas as pd

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
            use = _cache.enabled() if cache is None else cache
            found[number].extend((_check_folder if use else _check)(files, as_of, cache, progress))
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


def _names(sheet: FactSheet) -> set[str]:
    """What a query is compared with, folded: id, names, aliases, tickers with and without
    exchange and leading zeros."""
    company = sheet.company
    names = {company.id, company.name, company.native_name, company.legal_name, *company.aliases, *company.tickers}
    names |= {t.split(".")[0].lstrip("0") for t in company.tickers}
    names |= {t.split(".")[0] for t in company.tickers}
    return {_fold(n) for n in names if n}


def find_company(dataset: Dataset, query: str) -> FactSheet:
    """The sheet whose id, ticker, name, native name or alias matches ``query`` (case-insensitive).

    The query is only compared with what the sheets say; it is never used as a path.
    A ticker matches with or without its exchange and leading zeros (``100``, ``00100.HK``).
    """
    wanted = _fold(query)
    for sheet in dataset.sheets:
        if wanted and wanted in _names(sheet):
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


# The facts frame from the store (``store.py``): only sheets whose bytes changed are read.


@dataclass(frozen=True, eq=False)  # a frame has no single truth value: compare the parts
class FrameData:
    """A data folder as the computations see it: the facts frame of the companies asked for,
    with the exchange rates and the reader's warnings (``load_frame``).

    ``ids`` is every company in the folder, in folder order; ``company_id`` resolves a query
    as ``find_company`` does, without the records.
    """

    folder: Path
    frame: pd.DataFrame
    fx: FxTable | None
    warnings: tuple[Problem, ...]
    ids: tuple[str, ...]
    names: tuple[frozenset[str], ...]  # beside ``ids``: what each company answers to, folded

    def company_id(self, query: str) -> str:
        wanted = _fold(query)
        for company, names in zip(self.ids, self.names, strict=True):
            if wanted and wanted in names:
                return company
        raise UnknownCompanyError(query, list(self.ids))


SEGMENT_SHEETS = 250  # sheets read afresh per segment at most


def load_frame(
    folder: Path,
    companies: list[str] | None = None,
    metrics: frozenset[str] | None = None,
    *,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> FrameData:
    """The facts frame (``tidy.facts_frame``) of the named companies (all by default; ids,
    tickers or names, resolved as ``find_company`` does), in folder order, only the rows of
    ``metrics`` when given, from the store of the folder's frame; raise FactSheetError
    listing every error in every file, as ``load_data`` does.

    Only the sheets whose bytes changed since the store last saw them are read; the rest
    come from memory-mapped columns. ``cache``: use the store (default: unless ``--no-cache``
    or ``$MINIMETRICS_NO_CACHE``); without it every sheet is read and nothing is written.
    ``progress(done, total)`` is called after each file, or each batch of files read together.
    """
    from minimetrics.tidy import facts_frame

    files = _data_files(folder)
    use = _cache.enabled() if cache is None else cache
    fx_path = next((f for f in files if f.name == FX_FILE), None)
    fx, fx_problems = (None, []) if fx_path is None else _fx_of(fx_path, cache)
    sheets = [f for f in files if f.name != FX_FILE]
    if not use:
        data = load_data(folder, cache=False, progress=progress)
        known = tuple(frozenset(_names(s)) for s in data.sheets)
        result = FrameData(folder, facts_frame([]), data.fx, data.warnings, tuple(data.ids), known)
        ids = _wanted(result, companies)
        chosen = [s for s in data.sheets if not ids or s.company.id in ids]
        if metrics is not None:
            chosen = [replace(s, facts=tuple(f for f in s.facts if f.metric in metrics)) for s in chosen]
        return replace(result, frame=facts_frame(chosen))
    held = Store.of(folder)
    with bulk():  # records are built only for the sheets read afresh, but then many
        entries = dict(zip(sheets, _survey(held, sheets, True, cache, progress), strict=True))
    problems: list[Problem] = []
    for path in files:  # in file order, as load_data gives them
        entry = entries.get(path)
        problems.extend(fx_problems if entry is None else entry.read if isinstance(entry, Entry) else [entry])
    errors = [p for p in problems if p.is_error]
    if errors:
        raise FactSheetError(errors)
    good = [(path, e) for path, e in entries.items() if isinstance(e, Entry) and e.company]
    result = FrameData(
        folder,
        facts_frame([]),
        fx,
        tuple(p for p in problems if not p.is_error),
        tuple(e.company for _, e in good if e.company),
        tuple(frozenset(e.names) for _, e in good),
    )
    ids = _wanted(result, companies)
    picked = [(path, e) for path, e in good if not ids or e.company in ids]
    return replace(result, frame=_frame_of(held, picked, metrics, cache))


def _wanted(data: FrameData, companies: list[str] | None) -> set[str]:
    return {data.company_id(c) for c in companies or []}


def _frame_of(
    held: Store, chosen: list[tuple[Path, Entry]], metrics: frozenset[str] | None, cache: bool | None
) -> pd.DataFrame:
    """The rows of the chosen sheets from their segments; read afresh where a segment is gone
    or damaged, or from the records where the store cannot hold the columns."""
    from minimetrics.tidy import facts_frame

    for _attempt in range(2):
        pieces: list[tuple[Segment, int, int]] = []
        mapped: dict[str, Segment | None] = {}
        for _, entry in chosen:
            if entry.segment is not None and entry.start == entry.stop:
                continue  # a sheet without facts
            if entry.segment is not None and entry.segment not in mapped:
                mapped[entry.segment] = held.read_segment(entry.segment)
            segment = mapped[entry.segment] if entry.segment else None
            if segment is None:
                break
            if pieces and pieces[-1][0] is segment and pieces[-1][2] == entry.start:
                pieces[-1] = (segment, pieces[-1][1], entry.stop)  # one run of consecutive rows
            else:
                pieces.append((segment, entry.start, entry.stop))
        else:
            if not pieces:
                return facts_frame([])
            frame = assemble(pieces, metrics)
            if frame is not None:
                return frame
        # A segment is missing, damaged or unlike the others: read these sheets again.
        for _, entry in chosen:
            entry.segment = None
        _survey(held, [path for path, _ in chosen], True, cache, None, fresh=True)
        fresh = held.entries
        chosen = [(path, fresh.get(path.name, entry)) for path, entry in chosen]
    records = [_sheet_of(path, cache) for path, _ in chosen]
    sheets = [s for s in records if s is not None]
    if metrics is not None:
        sheets = [replace(s, facts=tuple(f for f in s.facts if f.metric in metrics)) for s in sheets]
    return facts_frame(sheets)


def _sheet_of(path: Path, cache: bool | None) -> FactSheet | None:
    sheet, _ = read_through(path, _bytes(path), read_sheet, FactSheet, cache)
    return sheet


def _data_files(folder: Path) -> list[Path]:
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
    return files


def _fx_of(path: Path, cache: bool | None) -> tuple[FxTable | None, list[Problem]]:
    odd = _not_regular(path)
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
        odd = _not_regular(path)
        if odd is not None:
            found[number] = odd
        else:
            old = known.get(path.name)
            try:
                info = path.stat()
            except OSError:
                info = None
            if old is not None and info is not None and old.same_file(info) and (old.segment or not rows):
                found[number] = old
            elif old is not None and info is not None and (old.segment or not rows):
                recorded = time.time_ns()
                if hashlib.sha256(_bytes(path)).hexdigest() == old.sha256:
                    found[number] = replace(
                        old,
                        size=info.st_size,
                        mtime_ns=info.st_mtime_ns,
                        ctime_ns=info.st_ctime_ns,
                        ino=info.st_ino,
                        recorded_ns=recorded,
                    )
                    changed = True
                else:
                    todo.append(number)
            else:
                todo.append(number)
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


def _compact(held: Store, entries: dict[str, Entry]) -> dict[str, Entry]:
    """The entries with their rows copied into as few segments as a cold read makes, once
    edits have left more than twice as many (each edit adds one): loading stays quick. The
    rows are copied from the segments, not read again; the old segments go with the manifest."""
    named = [(n, e) for n, e in entries.items() if e.segment and e.start < e.stop]
    used = {e.segment for _, e in named}
    if len(used) <= 2 * -(-len(named) // SEGMENT_SHEETS) + 8:
        return entries
    result = dict(entries)
    mapped: dict[str, Segment | None] = {}
    for first in range(0, len(named), SEGMENT_SHEETS):
        batch = named[first : first + SEGMENT_SHEETS]
        pieces = []
        for _, entry in batch:
            assert entry.segment is not None
            if entry.segment not in mapped:
                mapped[entry.segment] = held.read_segment(entry.segment)
            segment = mapped[entry.segment]
            if segment is None:
                return entries  # a segment is gone: leave it to the next read
            pieces.append((segment, entry.start, entry.stop))
        frame = assemble(pieces, None)
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
    import multiprocessing

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not todo:
        return
    if len(todo) < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
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
    read = [_entry_of(path, cache) for path in paths]
    entries = [entry for entry, _ in read]
    return _with_rows(held, entries, [sheet for _, sheet in read]) if rows else entries


def _entry_of(path: Path, cache: bool | None) -> tuple[Entry, FactSheet | None]:
    """Read and check one sheet: its entry (no rows yet) and its records."""
    recorded = time.time_ns()
    info = path.stat()  # before reading: an edit after it changes the stat key, and is read next time
    data = _bytes(path)
    sheet, read = read_through(path, data, read_sheet, FactSheet, cache)
    checks: list[Problem] = []
    latest = None
    if sheet is not None:
        # The date-independent checks: with the latest possible as-of date, none is in the future.
        checks = [*crosscheck(sheet), *domain_warnings(sheet, date.max)]
        dates = [f.period.end for f in sheet.facts] + [s.published for s in sheet.sources]
        latest = max(dates).isoformat() if dates else None
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
