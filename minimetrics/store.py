"""The facts frame of a data folder, kept between runs as columns on disk, memory-mapped.

One folder per data folder under the cache folder (``cache.cache_dir()/frames/<key>``), the
key a hash of the data folder's path (as given and resolved), the minimetrics version, the
source of the modules that decide what a sheet's rows and problems are, the Python version
and ``STORE_FORMAT``. In it:

- ``manifest.json``: per sheet file, its stat key (size, mtime, ctime, inode), the SHA-256
  of its bytes, when that was recorded, the company it holds and the names it answers to,
  the problems that do not depend on the date (the reader's, the cross-checks', the domain
  checks' but the as-of one), the latest date it names, the earliest publication of its
  sources (what ``history.as_of_note`` needs), and where its rows are: a segment
  and a row range (none until a command needed the rows).
- ``<name>.seg``: a segment, the rows of the sheets read together, one array per column:
  numbers, booleans and dates as they are, text as 32-bit codes into the segment's table of
  strings. A header in JSON says where each column is and holds a CRC-32 of each
  ``CHUNK`` bytes of the columns, checked before any row in them is used (a command about a
  few companies reads a few chunks, not the whole segment); nothing in a segment or the manifest
  runs code when read (no pickle: JSON and raw arrays only).

A sheet whose stat key is unchanged, and was changed long enough before it was recorded
that the file system's clock could not hide a second edit (``RACY_NS``), is taken as it was
recorded; any other sheet is read and hashed, and read afresh only if its bytes changed. The
rows of the sheets read afresh go into a new segment, so that an edit of one sheet among
10,000 writes one small segment and the manifest, not the whole store; rows no longer
referred to stay in their segment until the dead outnumber the living, and the store is then
written anew (``compact``).

Any doubt is a miss: a manifest, segment or column that is not a regular file of this user,
is too large, malformed, from another store or another version, or whose codes point
outside its table, is ignored and its sheets read again. Files are replaced atomically (a
temporary file renamed into place), so a run in parallel sees the old manifest or the new
one, and the segments either names. The cache folder is the user's own and must not be
shared with other users.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minimetrics import cache
from minimetrics.problems import Problem, Severity

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

STORE_FORMAT = 2
CHUNK = 16384  # bytes of a segment's columns per CRC-32: a few sheets' rows of one number column
_MARK = "minimetrics-frame-store"
_MAGIC = b"MMFRAME1"
MAX_MANIFEST = 512 * 1024 * 1024  # bytes: some 50,000 bytes a sheet for 10,000 sheets, and room
MAX_SEGMENT = 8 * 1024 * 1024 * 1024
# A file changed this close to when it was recorded may have been changed again within the
# same tick of the file system's clock (same size, same times): it is hashed, not trusted.
RACY_NS = 2_000_000_000
# The modules whose code decides what a sheet's rows and problems are.
_MODULES = ("cache", "checks", "factsheet", "problems", "ranges", "reader", "registry", "store", "tidy")
# Below this age an unreferenced segment may belong to a run in parallel that has not yet
# written its manifest: it is left alone.
_ORPHAN_NS = 600_000_000_000


class Unsupported(Exception):
    """A column the store cannot hold as it is (text mixed with other objects): no store."""


@dataclass
class Entry:
    """What the store knows of one sheet file."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    sha256: str
    recorded_ns: int
    company: str | None  # None: the sheet has errors and no records
    names: list[str]  # folded: what ``find_company`` compares a query with
    read: list[Problem]  # the reader's problems
    checks: list[Problem]  # the cross-checks' and the domain checks' that do not depend on the date
    latest: str | None  # ISO date: the latest date the sheet names (a period's end, a publication)
    segment: str | None = None
    start: int = 0
    stop: int = 0
    earliest: str | None = None  # ISO date: the earliest publication of a source the sheet declares

    def same_file(self, info: os.stat_result) -> bool:
        """The stat key is unchanged and old enough to be trusted without reading the file."""
        return (self.size, self.mtime_ns, self.ctime_ns, self.ino) == (
            info.st_size,
            info.st_mtime_ns,
            info.st_ctime_ns,
            info.st_ino,
        ) and max(info.st_mtime_ns, info.st_ctime_ns) < self.recorded_ns - RACY_NS


def _problem_json(problem: Problem) -> list[Any]:
    return [
        str(problem.path),
        isinstance(problem.path, Path),
        problem.line,
        problem.column,
        problem.message,
        problem.hint,
        problem.severity.value,
    ]


def _problem(item: Any) -> Problem:
    path, is_path, line, column, message, hint, severity = item
    if not (
        isinstance(path, str)
        and isinstance(line, int)
        and isinstance(column, int)
        and isinstance(message, str)
        and isinstance(hint, str)
    ):
        raise ValueError("not a problem")
    return Problem(Path(path) if is_path else path, line, column, message, hint, Severity(severity))


def _entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "stat": [entry.size, entry.mtime_ns, entry.ctime_ns, entry.ino],
        "sha256": entry.sha256,
        "recorded": entry.recorded_ns,
        "company": entry.company,
        "names": entry.names,
        "read": [_problem_json(p) for p in entry.read],
        "checks": [_problem_json(p) for p in entry.checks],
        "latest": entry.latest,
        "earliest": entry.earliest,
        "rows": [entry.segment, entry.start, entry.stop],
    }


def _entry(item: Any) -> Entry:
    # Checked plainly, without a generator per test: 10,000 entries are read at every start.
    size, mtime, ctime, ino = item["stat"]
    segment, start, stop = item["rows"]
    read, checks, names = item["read"], item["checks"], item["names"]  # lists, else a miss
    entry = Entry(
        size,
        mtime,
        ctime,
        ino,
        item["sha256"],
        item["recorded"],
        item["company"],
        list(names),
        [_problem(p) for p in read],
        [_problem(p) for p in checks],
        item["latest"],
        segment,
        start,
        stop,
        item["earliest"],
    )
    numbers = {type(size), type(mtime), type(ctime), type(ino), type(entry.recorded_ns), type(start), type(stop)}
    if numbers != {int} or not 0 <= start <= stop:
        raise ValueError("not an entry")
    if type(entry.sha256) is not str or not all(isinstance(n, str) for n in names):
        raise ValueError("not an entry")
    if not (entry.company is None or type(entry.company) is str):
        raise ValueError("not a company id")  # it is folded and compared as text
    if not (entry.latest is None or type(entry.latest) is str) or not (
        entry.earliest is None or type(entry.earliest) is str
    ):
        raise ValueError("not an entry")
    if entry.company is None and not any(p.is_error for p in entry.read):
        raise ValueError("a sheet without records must have an error")  # never vanishes silently
    if segment is not None and not (isinstance(segment, str) and segment.isalnum()):
        raise ValueError("not a segment name")
    return entry


@dataclass
class Store:
    """The store of one data folder: its place, and the manifest as read (empty if none)."""

    folder: Path
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def of(cls, data_folder: Path) -> Store:
        from minimetrics import __version__

        parts = (
            _MARK,
            str(STORE_FORMAT),
            __version__,
            cache.code_hash(_MODULES),
            sys.version.split()[0],
            str(data_folder),
            str(data_folder.resolve()),
        )
        import hashlib

        key = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
        store = cls(cache.cache_dir() / "frames" / key[:32], key)
        store.entries = store._read_manifest()
        return store

    def _read_manifest(self) -> dict[str, Entry]:
        blob = cache.read_regular(self.folder / "manifest.json", MAX_MANIFEST)
        if blob is None:
            return {}
        try:
            manifest = json.loads(blob)
            if manifest.get("mark") != _MARK or manifest.get("key") != self.key:
                return {}
            return {str(name): _entry(item) for name, item in manifest["sheets"].items()}
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return {}  # corrupt or foreign: every sheet is read again

    def write_manifest(self, entries: dict[str, Entry]) -> None:
        """Replace the manifest (never an error: no store is fine), then drop unreferenced segments."""
        manifest = {
            "mark": _MARK,
            "key": self.key,
            "sheets": {name: _entry_json(e) for name, e in entries.items()},
        }
        if _replace(self.folder, "manifest.json", json.dumps(manifest, separators=(",", ":")).encode()):
            self.entries = entries
            self._drop_orphans({e.segment for e in entries.values() if e.segment})

    def _drop_orphans(self, used: set[str | None]) -> None:
        now = time.time_ns()
        try:
            for path in self.folder.glob("*.seg"):
                if path.stem not in used and now - path.stat().st_mtime_ns > _ORPHAN_NS:
                    path.unlink(missing_ok=True)
        except OSError:
            pass

    def write_segment(self, frame: pd.DataFrame) -> str | None:
        """Write ``frame``'s rows as a new segment; its name, or None if it could not be written."""
        blob = encode(frame, self.key)
        import secrets

        name = f"{time.time_ns():x}{secrets.token_hex(6)}"
        return name if _replace(self.folder, f"{name}.seg", blob) else None

    def read_segment(self, name: str) -> Segment | None:
        return decode(self.folder / f"{name}.seg", self.key)


def _replace(folder: Path, name: str, blob: bytes) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, folder / name)  # atomic: a reader sees the old file or the new one
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


@dataclass
class Column:
    """One column of a segment: ``values`` as stored (codes for text) and how to rebuild it."""

    dtype: str  # the pandas dtype, as ``str(series.dtype)``
    values: np.ndarray[Any, Any]
    table: list[str] | None = None  # text: the strings the codes point at (-1: missing)
    offset: int = 0  # where its values start among the segment's columns, in bytes


@dataclass
class Segment:
    rows: int
    columns: dict[str, Column]
    body: memoryview = field(default_factory=lambda: memoryview(b""))  # the columns' bytes
    crcs: list[int] = field(default_factory=list)  # the CRC-32 of each CHUNK bytes of ``body``
    checked: set[int] = field(default_factory=set)  # the chunks found intact so far

    def intact(self, column: Column, start: int, stop: int) -> bool:
        """Whether the bytes of rows ``start:stop`` of ``column`` are as written: the CRC-32 of
        every chunk they lie in (each chunk checked once)."""
        if stop <= start:
            return True
        size = column.values.itemsize
        first, last = (column.offset + start * size) // CHUNK, (column.offset + stop * size - 1) // CHUNK
        body, crcs, checked = self.body, self.crcs, self.checked
        for chunk in range(first, last + 1):
            if chunk not in checked:
                if zlib.crc32(body[chunk * CHUNK : (chunk + 1) * CHUNK]) != crcs[chunk]:
                    return False
                checked.add(chunk)
        return True


def encode(frame: pd.DataFrame, key: str) -> bytes:
    """A segment's bytes: magic, header length, JSON header, then each column 8-byte aligned.

    Raises ``Unsupported`` for a column of objects that are not all text (or missing).
    """
    import numpy as np
    import pandas as pd

    header: dict[str, Any] = {"mark": _MARK, "key": key, "rows": len(frame), "columns": []}
    blobs: list[bytes] = []
    offset = 0
    for name in frame.columns:
        series = frame[name]
        dtype = series.dtype
        described: dict[str, Any] = {"name": str(name), "dtype": str(dtype)}
        if isinstance(dtype, np.dtype) and dtype.kind in "fiubMm":
            values = np.ascontiguousarray(series.to_numpy())
        else:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            table = list(uniques)
            if not all(type(text) is str for text in table):
                raise Unsupported(f"column {name} holds objects other than text")
            values = np.ascontiguousarray(codes.astype("<i4"))
            described["table"] = table
        described |= {"raw": values.dtype.str, "offset": offset, "nbytes": values.nbytes}
        data = values.tobytes()
        blobs.append(data + b"\0" * (-len(data) % 8))
        offset += len(blobs[-1])
        header["columns"].append(described)
    body = b"".join(blobs)
    # A byte changed on disk in a number is a miss too; a CRC-32 a chunk, so that a read of a
    # few sheets' rows checks those rows, not every byte of the segment.
    header["chunk"] = CHUNK
    header["crc32"] = [zlib.crc32(body[at : at + CHUNK]) for at in range(0, len(body), CHUNK)]
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-(len(text) + 16) % 8)
    return _MAGIC + struct.pack("<Q", len(text)) + text + body


def decode(path: Path, key: str) -> Segment | None:
    """The segment at ``path`` mapped into memory, or None if it is anything but a whole
    segment of this store."""

    handle = cache.open_regular(path, MAX_SEGMENT)
    if handle is None:
        return None
    try:
        size = os.fstat(handle).st_size
        if size < 16:
            return None
        mapped = mmap.mmap(handle, size, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(handle)
    try:
        if mapped[:8] != _MAGIC:
            return None
        (length,) = struct.unpack("<Q", mapped[8:16])
        if length > size - 16:
            return None
        header = json.loads(mapped[16 : 16 + length])
        if header.get("mark") != _MARK or header.get("key") != key:
            return None
        rows, start, crcs = header["rows"], 16 + length, header["crc32"]
        if type(rows) is not int or rows < 0 or header["chunk"] != CHUNK or not isinstance(crcs, list):
            return None
        if len(crcs) != -(-(size - start) // CHUNK) or not all(type(c) is int for c in crcs):
            return None
        columns: dict[str, Column] = {}
        for item in header["columns"]:
            column = _column(mapped, item, rows, start, size)
            if column is None:
                return None
            columns[str(item["name"])] = column
        return Segment(rows, columns, memoryview(mapped)[start:], crcs)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, struct.error):
        return None


def _column(mapped: mmap.mmap, item: dict[str, Any], rows: int, start: int, size: int) -> Column | None:
    """One column described by a segment header, as a view of the mapped file; None if the
    description is anything but a plain numeric column (or text codes) inside the file."""
    import numpy as np

    raw = np.dtype(item["raw"])
    table = item.get("table")
    if raw.kind not in "fiubMm" or raw.hasobject or (table is not None and raw != np.dtype("<i4")):
        return None
    if table is not None and not (isinstance(table, list) and all(type(t) is str for t in table)):
        return None
    offset, nbytes = item["offset"], item["nbytes"]
    if type(offset) is not int or offset < 0 or nbytes != rows * raw.itemsize or start + offset + nbytes > size:
        return None
    values = np.frombuffer(mapped, dtype=raw, count=rows, offset=start + offset)
    return Column(str(item["dtype"]), values, table, offset)


def assemble(
    runs: list[tuple[str, int, int]],
    metrics: frozenset[str] | None,
    read: Callable[[str], Segment | None],
    columns: Collection[str] | None = None,
) -> pd.DataFrame | None:
    """The rows ``start:stop`` of each named segment in turn (only those whose ``metric`` is
    one of ``metrics``, when given) as one frame, each segment got from ``read``; None if a
    segment cannot be read, the segments disagree on the columns, a column of ``columns`` is
    not in them or a code points outside its table.

    ``columns``: only these columns, in the segments' order (all by default); the others are
    neither copied nor checked. One segment is mapped at a time: its rows are copied out and
    it is let go before the next is read, so that the pages of a large store are never all in
    memory at once. The chunks the rows lie in are checked (``Segment.intact``) before the
    rows are used.
    """
    if not runs:
        return None
    parts: _Parts | None = None
    name: str | None = None
    segment: Segment | None = None
    for wanted, start, stop in runs:
        if wanted != name:
            segment = None  # let the previous mapping go before the next is made
            name, segment = wanted, read(wanted)
            if segment is None:
                return None
            parts = parts or _Parts(segment, columns)
            if not parts.fits(segment):
                return None
        assert segment is not None and parts is not None
        if stop > segment.rows:
            return None
        rows = _rows(segment, start, stop, metrics)
        if rows is None or not parts.take(segment, rows):
            return None
    assert parts is not None
    return parts.frame()


class _Parts:
    """The rows ``assemble`` took so far, column by column: numbers copied out of their
    segment, text as codes into one table of strings per column."""

    def __init__(self, first: Segment, columns: Collection[str] | None = None) -> None:
        self.layout = [(n, c.dtype, c.table is None) for n, c in first.columns.items()]  # what every segment must have
        wanted = set(first.columns if columns is None else columns)
        self.shape = [(n, dtype, plain) for n, dtype, plain in self.layout if n in wanted]
        self.complete = wanted <= set(first.columns)
        self.numbers: dict[str, list[np.ndarray[Any, Any]]] = {n: [] for n, _, plain in self.shape if plain}
        self.codes: dict[str, list[np.ndarray[Any, Any]]] = {n: [] for n, _, plain in self.shape if not plain}
        self.strings: dict[str, dict[str, int]] = {n: {} for n in self.codes}
        self._remaps: dict[str, np.ndarray[Any, Any]] = {}  # the current segment's, by column

    def fits(self, segment: Segment) -> bool:
        self._remaps = {}  # a new segment: its tables are its own
        return self.complete and [(n, c.dtype, c.table is None) for n, c in segment.columns.items()] == self.layout

    def take(self, segment: Segment, mask: np.ndarray[Any, Any] | slice) -> bool:
        """Copy the rows ``mask`` of ``segment``; False if a chunk they lie in is damaged or a
        code points outside its table."""
        import numpy as np

        first, last = (mask.start, mask.stop) if isinstance(mask, slice) else (0, 0)
        if not isinstance(mask, slice) and mask.size:
            first, last = int(mask[0]), int(mask[-1]) + 1  # ascending: np.flatnonzero's
        # Only the columns taken are checked: the others' bytes are never read.
        if not all(segment.intact(segment.columns[name], first, last) for name, _, _ in self.shape):
            return False
        # A copy, not a view of the file: indexing by positions copies already, a slice does not.
        copied = np.array if isinstance(mask, slice) else np.asarray
        for name, parts in self.numbers.items():
            parts.append(copied(segment.columns[name].values[mask]))
        for name, parts in self.codes.items():
            column = segment.columns[name]
            assert column.table is not None
            taken = column.values[mask]  # only read here: its codes are mapped into a new array
            if taken.size and (int(taken.min()) < -1 or int(taken.max()) >= len(column.table)):
                return False
            remap = self._remaps.get(name)
            if remap is None:  # the segment's codes to this frame's, -2 where not yet known
                remap = np.full(len(column.table) + 1, -2, dtype=np.int32)
                remap[-1] = -1  # missing stays missing
                self._remaps[name] = remap
            # Only the strings the rows taken use: a few companies' rows use a few of a large
            # segment's strings (every string of twenty segments took 0.4 s at 10,000 sheets).
            # Marked, not sorted out (np.unique): a pass over the codes, where sorting every
            # text column of every segment took a tenth of a second at 10,000 sheets.
            used = np.zeros(len(column.table) + 1, dtype=bool)
            used[taken] = True  # a missing value (-1) marks the last place, left out here
            unknown = np.flatnonzero(used[:-1] & (remap[:-1] == -2))
            if unknown.size:
                known, table = self.strings[name], column.table
                remap[unknown] = [known.setdefault(table[code], len(known)) for code in unknown.tolist()]
            parts.append(remap[taken])
        return True

    def frame(self) -> pd.DataFrame:
        import numpy as np
        import pandas as pd

        built: dict[str, Any] = {}
        for name, dtype, plain in self.shape:
            if plain:
                values: Any = np.concatenate(self.numbers.pop(name))
                built[name] = values if dtype == str(values.dtype) else pd.array(values, dtype=dtype)
                continue
            text = pd.api.types.pandas_dtype(dtype)
            if isinstance(text, pd.StringDtype):
                # The table is checked as text once, and its rows taken by code (-1: missing), where
                # an array of a million and a half strings would be copied and checked one by one.
                table = pd.array(list(self.strings[name]), dtype=text)
                built[name] = table.take(np.concatenate(self.codes.pop(name)), allow_fill=True)
            else:
                strings = self.strings[name]
                objects = np.empty(len(strings) + 1, dtype=object)
                objects[: len(strings)] = list(strings)
                objects[len(strings)] = None  # the code -1 takes it: missing stays missing
                built[name] = pd.array(objects[np.concatenate(self.codes.pop(name))], dtype=dtype)
        return pd.DataFrame(built, copy=False)


def _rows(
    segment: Segment, start: int, stop: int, metrics: frozenset[str] | None
) -> np.ndarray[Any, Any] | slice | None:
    """Which rows of ``start:stop`` to take: all, or those whose ``metric`` is one of
    ``metrics``; None if the metric codes that decide it are damaged."""
    import numpy as np

    if metrics is None or "metric" not in segment.columns:
        return slice(start, stop)
    column = segment.columns["metric"]
    assert column.table is not None
    if not segment.intact(column, start, stop):
        return None
    chosen = [code for code, text in enumerate(column.table) if text in metrics]
    return np.flatnonzero(np.isin(column.values[start:stop], chosen)) + start
