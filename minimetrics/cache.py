"""A cache of read fact sheets, so that a second run over the same files parses no YAML.

One file per sheet in the user's cache folder (``$MINIMETRICS_CACHE_DIR``, else
``$XDG_CACHE_HOME/minimetrics``, else ``~/.cache/minimetrics``), named by a SHA-256 of
everything the result depends on: the file's bytes, the path it was read under (problems
and records carry it), which reader read it, the minimetrics version, ``CACHE_FORMAT``, the
source of the modules that read and hold sheets, and the Python version. A changed byte is
a new name, so a stale entry is never found. The entry holds what the reader returned (the
record or None, and every problem): checks that depend on the day (``validate --as-of``)
are run afresh on it.

Any doubt is a miss: an entry that is not a regular file of this user, is larger than
``MAX_ENTRY``, cannot be read or unpickled, names anything but the records of a sheet, or is
not what this version writes is ignored and rewritten. Entries are opened without following
links and without waiting (a FIFO planted as an entry is a miss, not a hang; a link to
``/dev/zero`` is a miss, not a full memory).

Pickle is read by an unpickler that builds only minimetrics' own record classes (frozen
dataclasses and enums), paths and dates; anything else in an entry (a function, a module's
global) makes it a miss, so an entry cannot run code when it is read. The cache folder is
the user's own and must not be shared with other users. A folder that cannot be created or written means no
cache, silently. Entries are written to a temporary file and renamed into place, so two
runs in parallel never see half an entry. ``--no-cache`` or ``$MINIMETRICS_NO_CACHE=1``
bypass it, reading and writing. Deleting the folder is always safe.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import io
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from minimetrics.problems import Problem

CACHE_ENV = "MINIMETRICS_CACHE_DIR"
NO_CACHE_ENV = "MINIMETRICS_NO_CACHE"
# Bump when a record of factsheet, registry or problems changes shape: old entries then miss.
CACHE_FORMAT = 1
_MARK = "minimetrics-sheet-cache"
MAX_ENTRY = 64 * 1024 * 1024  # bytes; a sheet is at most 1 MB of YAML, its records a few times that

T = TypeVar("T")
Reader = Callable[[Path, bytes], tuple[T | None, list[Problem]]]

_state = {"enabled": True}


def set_enabled(enabled: bool) -> None:
    """Turn the cache on or off for this process (the command line's ``--no-cache``)."""
    _state["enabled"] = enabled


def enabled() -> bool:
    return _state["enabled"] and os.environ.get(NO_CACHE_ENV, "").strip() in ("", "0")


def cache_dir() -> Path:
    """``$MINIMETRICS_CACHE_DIR``, else ``$XDG_CACHE_HOME/minimetrics``, else ``~/.cache/minimetrics``."""
    explicit = os.environ.get(CACHE_ENV, "").strip()
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "minimetrics"


def entry_name(path: Path, data: bytes, kind: str) -> str:
    """The entry's file name: a hash of everything the reader's result depends on."""
    from minimetrics import __version__

    digest = hashlib.sha256()
    for part in (_MARK, str(CACHE_FORMAT), __version__, _code(), sys.version.split()[0], kind, str(path)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest() + ".pickle"


# The modules whose code decides what a read sheet is: their records and their checks.
_READING_MODULES = ("cache", "factsheet", "problems", "ranges", "reader", "registry")


def _code() -> str:
    return code_hash(_READING_MODULES)


@functools.cache
def code_hash(modules: tuple[str, ...]) -> str:
    """A hash of the named modules' source, so that a change to them between two releases
    (a checkout, a merge, an edit) is a miss even where the version number stays the same."""
    digest = hashlib.sha256()
    for name in modules:
        try:
            digest.update((Path(__file__).with_name(f"{name}.py")).read_bytes())
        except OSError:  # installed without sources: the version and CACHE_FORMAT still apply
            digest.update(name.encode())
    return digest.hexdigest()


def read_through(
    path: Path, data: bytes, reader: Reader[T], record: type[T], use: bool | None = None
) -> tuple[T | None, list[Problem]]:
    """``reader(path, data)``, from the cache when an entry for these exact bytes exists.

    ``record`` is the type the reader returns (besides None); ``use`` overrides ``enabled()``.
    """
    found = lookup(path, data, reader, record, use)
    if found is not None:
        return found
    result = reader(path, data)
    store(path, data, reader, result, use)
    return result


def lookup(
    path: Path, data: bytes, reader: Reader[T], record: type[T], use: bool | None = None
) -> tuple[T | None, list[Problem]] | None:
    """What ``reader(path, data)`` returned when it last read these exact bytes, or None."""
    if not (enabled() if use is None else use):
        return None
    name = entry_name(path, data, reader.__name__)
    found = _load(cache_dir() / name, name)
    if found is not None and (found[0] is None or isinstance(found[0], record)):
        return found  # type: ignore[return-value]
    return None


def store(
    path: Path, data: bytes, reader: Reader[T], result: tuple[T | None, list[Problem]], use: bool | None = None
) -> None:
    """Keep what ``reader(path, data)`` returned (never an error: no cache is fine)."""
    if enabled() if use is None else use:
        _store(cache_dir(), entry_name(path, data, reader.__name__), result)


def open_regular(path: Path, limit: int) -> int | None:
    """A read-only descriptor of ``path`` if it is a regular file of this user no larger than
    ``limit`` bytes, else None (never an error, never a wait).

    Links are not followed and a FIFO does not block the open; what is not a regular file
    (a FIFO, a device, a folder), belongs to someone else or is too large is refused.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        info = os.fstat(handle)
        owner = os.getuid() if hasattr(os, "getuid") else info.st_uid
        if stat.S_ISREG(info.st_mode) and info.st_size <= limit and info.st_uid == owner:
            return handle
    except OSError:
        pass
    os.close(handle)
    return None


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` under the rules of ``open_regular``, or None."""
    handle = open_regular(path, limit)
    if handle is None:
        return None
    try:
        with os.fdopen(handle, "rb") as stream:
            blob = stream.read(limit + 1)  # the size may grow after the check: read no more
    except OSError:
        return None
    return blob if len(blob) <= limit else None


# What an entry may build: minimetrics' own records, and the standard types they hold.
_RECORD_MODULES = frozenset(f"minimetrics.{name}" for name in ("factsheet", "problems", "ranges", "registry"))
_STANDARD = frozenset(
    {("datetime", "date"), ("pathlib", "PosixPath"), ("pathlib", "PurePosixPath"), ("pathlib", "WindowsPath")}
)


class _RecordUnpickler(pickle.Unpickler):
    """Builds records and nothing else: every other global an entry names is refused."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) in _STANDARD:
            found: object = getattr(sys.modules[module], name)
        elif module in _RECORD_MODULES and module in sys.modules:
            found = getattr(sys.modules[module], name, None)
            is_record = isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum))
            if not is_record:
                found = None
        else:
            found = None
        if not isinstance(found, type):
            raise pickle.UnpicklingError(f"an entry may not name {module}.{name}")
        return found


def _load(entry: Path, name: str) -> tuple[object, list[Problem]] | None:
    blob = read_regular(entry, MAX_ENTRY)
    if blob is None:
        return None
    try:
        mark, stored_name, result = _RecordUnpickler(io.BytesIO(blob)).load()
    except Exception:  # truncated, corrupt, foreign or naming other code: a miss, rewritten below
        return None
    if mark != _MARK or stored_name != name or not isinstance(result, tuple) or len(result) != 2:
        return None
    if not isinstance(result[1], list) or not all(isinstance(p, Problem) for p in result[1]):
        return None
    if result[0] is None and not any(p.is_error for p in result[1]):
        return None  # the reader returns no record only with an error: a sheet never vanishes silently
    return result


def _store(folder: Path, name: str, result: tuple[object, list[Problem]]) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        blob = pickle.dumps((_MARK, name, result), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temporary, folder / name)  # atomic: a reader sees the old entry or the new one
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):  # no cache, never an error
        return
