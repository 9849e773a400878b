"""Which data folders a command reads, and what is wrong with a path the user gave.

A command reads the bundled sheets and the user's folders, in that order (``data_dirs``):
the bundled sheets unless ``--no-bundled``, then every ``--data-dir`` (repeatable), else every
folder of ``$MINIMETRICS_DATA`` (a path list, split on ``os.pathsep``). A folder named twice
is read once.

The bundled sheets are the package's own copy, except in a checkout of this repository:
there the checkout's ``datasets/`` is read in their place, so that an edit there shows at
once with no reinstall and no flag. It is the source the installed copy was made from
(``pip install .`` copies it into the wheel), so reading it changes which version of the
same sheets is read, never which companies; a ``datasets/`` folder of any other project is
left alone. The rule runs when the working folder is the checkout's top (its
``pyproject.toml`` names the project ``minimetrics``) or when the package itself runs from a
checkout (an editable install, or ``python -m minimetrics`` there).

Every path is the user's: an ``OSError`` on it (too long, a symlink loop, no permission, a
file where a folder belongs) is a ``Problem`` that says which and why, never a crash.
Symlinks are followed wherever they point, as the shell does: a sheet linked in from
another folder is read as if it were there.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from minimetrics.problems import FactSheetError, Problem, UsageError

DATA_ENV = "MINIMETRICS_DATA"
FX_FILE = "fx.yaml"
CHECKOUT_DATA = "datasets"
_PROJECT = re.compile(r'^name\s*=\s*"minimetrics"\s*$', re.MULTILINE)

# What the user reads for the errno of a path that cannot be used.
_REASONS = {
    errno.ENOENT: "does not exist",
    errno.ELOOP: "is a symlink loop (a link that leads back to itself)",
    errno.ENAMETOOLONG: "is too long for the file system",
    errno.EACCES: "cannot be read: permission denied",
    errno.EPERM: "cannot be read: operation not permitted",
    errno.ENOTDIR: "does not exist: a part of it is a file, not a folder",
}


def bundled_data_dir() -> Path:
    """The fact sheets that ship with the package (or sit beside it in a checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "datasets"
    return installed if installed.is_dir() else here.parent / CHECKOUT_DATA


def checkout_data_dir(cwd: Path | None = None) -> Path | None:
    """``./datasets`` when the working folder is the top of a checkout of minimetrics (its
    ``pyproject.toml`` names the project ``minimetrics``), else None."""
    try:
        top = Path.cwd() if cwd is None else cwd
        project = top / "pyproject.toml"
        if not (project.is_file() and (top / CHECKOUT_DATA).is_dir()):
            return None
        with project.open("rb") as handle:
            text = handle.read(64 * 1024).decode("utf-8", "replace")
    except OSError:  # the working folder is gone, or unreadable: no checkout to read
        return None
    return top / CHECKOUT_DATA if _PROJECT.search(text) else None


def data_dirs(
    explicit: Sequence[Path | str] = (), *, bundled: bool = True, cwd: Path | None = None
) -> tuple[Path, ...]:
    """The data folders a command reads, in reading order: the bundled sheets (the checkout's
    ``datasets/`` in a checkout; left out with ``bundled=False``), then ``explicit`` (every
    ``--data-dir``), else the folders of ``$MINIMETRICS_DATA``. A folder named twice (the same
    folder once resolved) is read once, at its first place.

    Raise UsageError when no folder is left (``--no-bundled`` and no folder of the user's).
    """
    user = [Path(p) for p in explicit] or [
        Path(p.strip()) for p in os.environ.get(DATA_ENV, "").split(os.pathsep) if p.strip()
    ]
    folders = [checkout_data_dir(cwd) or bundled_data_dir()] if bundled else []
    seen = {_identity(f) for f in folders}
    for folder in user:
        if _identity(folder) not in seen:
            seen.add(_identity(folder))
            folders.append(folder)
    if not folders:
        raise UsageError(
            "no data folder to read: --no-bundled leaves the bundled sheets out",
            f"add a folder with --data-dir FOLDER or ${DATA_ENV}",
        )
    return tuple(folders)


def resolve_data_dir(explicit: Path | None = None) -> Path:
    """One folder, as the tool read before it read several: ``--data-dir``, else the first
    folder of ``$MINIMETRICS_DATA``, else the bundled sheets. ``data_dirs`` gives them all."""
    if explicit is not None:
        return explicit
    listed = [p.strip() for p in os.environ.get(DATA_ENV, "").split(os.pathsep) if p.strip()]
    return Path(listed[0]) if listed else bundled_data_dir()


def is_bundled(folder: Path) -> bool:
    """Whether ``folder`` holds the bundled sheets (the package's copy or a checkout's)."""
    return _identity(folder) in {_identity(bundled_data_dir()), _identity(checkout_data_dir() or bundled_data_dir())}


def _identity(folder: Path) -> str:
    try:
        return os.path.realpath(folder)
    except (OSError, ValueError):  # compared as written when it cannot be resolved
        return os.path.abspath(folder)


def path_problem(path: Path, err: OSError, what: str = "the path", hint: str = "check the path") -> Problem:
    """``err`` on ``path`` as the user reads it: what is wrong and how to fix it (``hint``
    when the reason has no fix of its own)."""
    reason = _REASONS.get(err.errno or 0) or f"cannot be used: {err.strerror or err}"
    hints = {
        errno.ENAMETOOLONG: "use a shorter path",
        errno.ELOOP: "point the link at a real file or folder",
        errno.EACCES: "check its permissions",
        errno.EPERM: "check its permissions",
    }
    return Problem(_shown(path), 0, 0, f"{what} {reason}", hints.get(err.errno or 0, hint))


def _shown(path: Path) -> Path | str:
    """A path as a message shows it: one that is too long for a file system is cut."""
    text = str(path)
    return path if len(text) <= 200 else f"{text[:120]}…{text[-60:]} ({len(text):,} characters)"


def folder_problem(folder: Path) -> Problem | None:
    """Why ``folder`` cannot be read as a data folder, or None."""
    try:
        info = folder.stat()
    except OSError as err:
        return path_problem(folder, err, "the data folder", f"check --data-dir or ${DATA_ENV}")
    except ValueError:  # a NUL in the path
        return Problem(_shown(folder), 0, 0, "the data folder's path holds a NUL character", "check the path")
    if not stat.S_ISDIR(info.st_mode):
        return Problem(
            _shown(folder), 0, 0, "the data folder is not a folder", "point --data-dir at a folder of .yaml files"
        )
    return None


def file_problem(path: Path) -> Problem | None:
    """Why ``path`` cannot be read as a sheet (not a regular file, a dangling link, a link
    loop, not readable), or None. Links are followed: a sheet may live anywhere."""
    try:
        info = path.stat()
        if stat.S_ISREG(info.st_mode):
            path.open("rb").close()
            return None
    except OSError as err:  # no permission, a loop, a link to nothing: the user's to fix, not a crash
        if err.errno == errno.ENOENT and is_link(path):
            return Problem(
                path, 0, 0, f"{path.name} is a link to {_target(path)}, which does not exist", "fix or remove the link"
            )
        if err.errno in (errno.ENOENT, errno.ELOOP, errno.ENAMETOOLONG):
            return path_problem(path, err, path.name)
        return Problem(path, 0, 0, f"cannot read {path.name}: {err.strerror or err}", "check its permissions")
    what = "a link to something that is not a regular file" if is_link(path) else "not a regular file"
    return Problem(
        path, 0, 0, f"{path.name} is {what}", "a fact sheet must be a plain .yaml file; remove or replace it"
    )


def is_link(path: Path) -> bool:
    """Whether ``path`` is a symlink (False when it cannot even be looked at)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "a missing file"


def listing(folder: Path) -> list[Path] | Problem:
    """The YAML entries of a data folder in name order, hidden and ``_``-prefixed ones left
    out; or why the folder cannot be listed. Entries that are not regular files are listed,
    so that they are reported, not skipped."""
    odd = folder_problem(folder)
    if odd is not None:
        return odd
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith((".", "_"))]
    except OSError as err:
        return path_problem(folder, err, "the data folder")
    # ``folder / name`` parses every name again (some 8 µs each: a quarter of a second for the
    # three listings of a run over 10,000 sheets); a directory entry's name needs no parsing,
    # and pathlib's own glob makes its children this way.
    child = getattr(folder, "_make_child_relpath", folder.joinpath)
    return [child(name) for name in sorted(names)]


def sheet_files(folder: Path) -> list[Path]:
    """``listing`` of a folder; raise FactSheetError when it cannot be listed."""
    found = listing(folder)
    if isinstance(found, Problem):
        raise FactSheetError([found])
    return found


def folders_note(folders: Sequence[Path], sheets: Sequence[int] | None = None) -> str:
    """The folders a command read, for stderr: ``data folders: A (bundled, 2 sheets), B (1 sheet)``."""
    parts = []
    for number, folder in enumerate(folders):
        tags = ["bundled"] if is_bundled(folder) else []
        if sheets is not None:
            tags.append(f"{sheets[number]} sheet{'s' * (sheets[number] != 1)}")
        parts.append(f"{_shown(folder)} ({', '.join(tags)})" if tags else str(_shown(folder)))
    return f"data folder{'s' * (len(folders) != 1)}: " + ", ".join(parts)
