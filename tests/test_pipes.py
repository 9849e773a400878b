"""The command line in a real pipe and a real terminal (issue 14 item 1): a reader that closes
the pipe early is a success (exit 0, nothing on stderr), and tables are as wide as $COLUMNS,
else the terminal that stdout or stderr is, else 80 columns."""

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from minimetrics import cli

# The installed console script: what a shell runs (and what its completion calls).
SCRIPT = Path(sys.executable).with_name("minimetrics")

PIPED = [
    (command, fmt)
    for command, formats in (
        (("show", "minimax"), ("table", "json", "csv")),
        (("list",), ("table", "json", "csv")),
        (("compare", "minimax", "zhipu"), ("table", "json", "csv", "markdown")),
        (("runway",), ("table", "json", "csv", "markdown")),
    )
    for fmt in formats
]


def _environment(**values: str | None) -> dict[str, str]:
    environ = dict(os.environ)
    for name, value in values.items():
        environ.pop(name, None)
        if value is not None:
            environ[name] = value
    return environ


@pytest.mark.parametrize(("command", "fmt"), PIPED, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_a_pipe_closed_before_the_output_is_a_success(command: tuple[str, ...], fmt: str) -> None:
    # The reader is gone before the first byte (as `| head -0` or a reader that quit): every
    # write meets a closed pipe. Before the fix: exit 1 (Rich's SystemExit(1)) or 120 (Python's
    # last flush at exit), which the README reserves for "the data has problems".
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "minimetrics", *command, "--format", fmt],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=_environment(COLUMNS="100"),
            check=False,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr.decode()) == (cli.EXIT_OK, "")


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head")
def test_the_readme_head_pipe_passes_under_pipefail() -> None:
    # The README's own `show zhipu | head -16`, as a script with `set -o pipefail` runs it.
    script = f'set -o pipefail; "{sys.executable}" -m minimetrics show minimax | head -1'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=_environment(), check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("MiniMax 稀宇科技 · 00100.HK")


def _terminal(columns: int) -> tuple[int, int]:
    """A pseudo-terminal ``columns`` wide (its size set as a terminal window sets it)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    return leader, follower


def _run_detached(args: list[str], stderr_columns: int | None, **env: str | None) -> str:
    """What ``args`` writes to a pipe, with stderr a terminal of ``stderr_columns`` (None: no
    terminal) and no controlling terminal (a new session), so that only what the test sets
    can give the width."""
    terminal = _terminal(stderr_columns) if stderr_columns else None
    try:
        done = subprocess.run(
            args,
            stdout=subprocess.PIPE,
            stderr=terminal[1] if terminal else subprocess.DEVNULL,
            env=_environment(**env),
            start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
            check=False,
            timeout=120,
        )
    finally:
        if terminal:
            os.close(terminal[0])
            os.close(terminal[1])
    assert done.returncode == 0
    return done.stdout.decode()


def _width_used(stderr_columns: int | None, **env: str | None) -> int:
    """The width the command line lays tables out at, asked in a process of its own."""
    code = "from minimetrics import cli; print(cli._width())"
    return int(_run_detached([sys.executable, "-c", code], stderr_columns, **env))


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_stdout_a_pipe_takes_the_width_of_the_terminal_stderr_is() -> None:
    assert _width_used(stderr_columns=123, COLUMNS=None) == 123
    assert _width_used(stderr_columns=61, COLUMNS=None) == 61
    # And a command lays its table out so: `runway --detail` is wider than 61 columns, so it
    # fills them (the table's right edge may be a space short of the last column).
    text = _run_detached([sys.executable, "-m", "minimetrics", *WIDE], 61, COLUMNS=None)
    assert 59 <= max(len(line.rstrip()) for line in text.splitlines()) <= 61


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_columns_wins_over_the_terminal_and_a_bad_one_is_ignored() -> None:
    assert _width_used(stderr_columns=123, COLUMNS="90") == 90
    assert _width_used(stderr_columns=None, COLUMNS="90") == 90
    # Not a whole number from 20 to 1000: a mistake, not a window; the terminal's width.
    for bad in ("0", "wide", "-5", "19", "1001", "８０"):
        assert _width_used(stderr_columns=123, COLUMNS=bad) == 123, bad


def test_no_terminal_at_all_is_80_columns() -> None:
    assert _width_used(stderr_columns=None, COLUMNS=None) == cli.PIPE_WIDTH == 80
    text = _run_detached([sys.executable, "-m", "minimetrics", *WIDE], None, COLUMNS=None)
    assert 78 <= max(len(line.rstrip()) for line in text.splitlines()) <= 80


# `runway --detail`'s table is wider than any width tried here, so it fills each to the column.
WIDE = ("runway", "--detail", "--as-of", "2026-01-31")
