"""The command line: parse options, call one core function, hand the result to one renderer.

Exit codes (stable; documented in README.md):
  0  success
  1  the data has problems (errors; with --strict, warnings too), or could not be loaded
  2  the command line is wrong (unknown option, unknown company, bad value)
  3  a gate failed: `runway --fail-under` found a runway below the bound, or
     `breakeven --fail-if-dead` found a company whose cash runs out before breakeven
  70 an internal error: a bug in minimetrics (the traceback is shown with --debug)
"""

# No `from __future__ import annotations` here: Typer reads every command's signature with
# get_type_hints at each start, and evaluating some 580 string annotations cost ~13 ms of it.
# The few annotations naming types imported only for type checking are quoted instead.
import contextlib
import copy
import functools
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, ParamSpec, TextIO

import typer

# Only what --help needs is imported here: the results, their writers and the data are
# imported by the commands that use them, so that `minimetrics --help` starts quickly.
from minimetrics import __version__, cache
from minimetrics.choices import DocumentFormat, Format, LossBasis, PlanFormat, ReportFormat
from minimetrics.folders import FX_FILE, data_dirs, folders_note, listing
from minimetrics.problems import FactSheetError, Problem, UsageError

if TYPE_CHECKING:  # at run time imported where a command needs them (some load pandas)
    from minimetrics import authoring
    from minimetrics.analysis import RunwayTable
    from minimetrics.dataset import Dataset, FrameData
    from minimetrics.metrics import RunwayOptions
    from minimetrics.render import LoadProgress
    from minimetrics.results import Breakeven, BreakevenGridTable, BreakevenTable

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_GATE, EXIT_INTERNAL = 0, 1, 2, 3, 70

# Widths taken from $COLUMNS or a terminal: outside these, a value is a mistake, not a window.
MIN_COLUMNS, MAX_COLUMNS = 20, 1000
PIPE_WIDTH = 80  # no terminal anywhere (a pipe in a CI job, cron): the width of a classic terminal

WIDTH_ORDER = (
    "Tables are as wide as $COLUMNS when it is set to a whole number from 20 to 1000, else as the "
    "terminal that stdout is, else the one stderr is, else the controlling terminal (/dev/tty), "
    "else 80 columns (a pipe with no terminal)."
)


app = typer.Typer(
    name="minimetrics",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    epilog=WIDTH_ORDER,
)


def _complete_company(ctx: typer.Context, incomplete: str) -> list[str]:
    """The shell's completion of a company: the ids (sheet file names) and tickers of the
    folders the command would read. No sheet is parsed (a completion must be instant): the
    ids are file names, the tickers are read from the ``tickers: [...]`` line of each sheet's
    head. Whatever goes wrong, the shell gets fewer words, never a traceback."""
    try:
        params = ctx.params
        folders = data_dirs(params.get("data_dir") or (), bundled=not params.get("no_bundled"))
        words: list[str] = []
        for folder in folders:
            found = listing(folder)
            for sheet in found if isinstance(found, list) else ():
                if sheet.name != FX_FILE:
                    words += [sheet.name.removesuffix(".yaml"), *_tickers(sheet)]
    except (OSError, UnicodeError, FactSheetError, UsageError):
        return []
    typed = incomplete.casefold()
    return [word for word in dict.fromkeys(words) if word.casefold().startswith(typed)]


# A pattern, compiled when a completion first needs it, not at each start.
_TICKERS = r"^[ \t]+tickers:[ \t]*\[([^\]\n]*)\]"
SHEET_HEAD_BYTES = 4096  # the company block comes first; a ticker further down is not completed


def _tickers(sheet: Path) -> list[str]:
    """The tickers a sheet's head writes in flow style (``tickers: ["00100.HK"]``)."""
    try:
        with open(sheet, "rb") as handle:
            head = handle.read(SHEET_HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return []
    found = re.search(_TICKERS, head, re.MULTILINE)
    words = (w.strip().strip("'\"") for w in found.group(1).split(",")) if found else ()
    return [w for w in words if w and w.isprintable() and " " not in w]


DataDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--data-dir",
        metavar="FOLDER",
        help="A folder of fact sheets, read after the bundled sheets (repeatable; "
        "default: the folders of $MINIMETRICS_DATA).",
        show_default=False,
    ),
]
NoBundled = Annotated[
    bool, typer.Option("--no-bundled", help="Leave the bundled sheets out: read only the --data-dir folders.")
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
]
Companies = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[COMPANY]...",
        help="Company ids, tickers or names (default: every company).",
        show_default=False,
        autocompletion=_complete_company,
    ),
]
PeriodOption = Annotated[
    str | None, typer.Option("--period", metavar="PERIOD", help="Only this period, e.g. FY2024 or 9M2025.")
]
AsOfOption = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        metavar="DATE",
        help="The data as it stood on this day, YYYY-MM-DD: only sources published by then (default: today).",
        show_default=False,
    ),
]
FxOption = Annotated[
    list[str] | None,
    typer.Option(
        "--fx",
        metavar="PAIR=RATE",
        help="Override a rate for every period, e.g. --fx USDCNY=7.2 (repeatable).",
        show_default=False,
    ),
]


class Currency(StrEnum):
    USD = "USD"
    RMB = "RMB"
    HKD = "HKD"


class Burn(StrEnum):
    STATED = "stated"
    OPERATING = "operating"
    ADJUSTED_LOSS = "adjusted_loss"
    NET_LOSS = "net_loss"


class Cash(StrEnum):
    LIQUID = "liquid"
    CASH = "cash"


class Scale(StrEnum):
    """The scales ``show --scale`` writes money in (``render.terminal.MONEY_SCALES``)."""

    MILLION = "million"
    BILLION = "billion"
    WAN = "萬"  # ten thousand
    YI = "億"  # a hundred million


_state = {"debug": False, "quiet": False, "no_color": False}


def _width() -> int:
    """The width tables are laid out at, in the order of ``WIDTH_ORDER``.

    $COLUMNS first, as POSIX has it (an explicit ``COLUMNS=80 minimetrics …`` wins); then a
    real terminal, so that ``minimetrics compare a b | head`` is laid out for the window it
    is read in, though the shell does not export COLUMNS to the child.
    """
    return _columns_variable() or _terminal_width() or PIPE_WIDTH


def _columns_variable() -> int | None:
    text = os.environ.get("COLUMNS", "").strip()
    return int(text) if text.isascii() and text.isdigit() and MIN_COLUMNS <= int(text) <= MAX_COLUMNS else None


def _terminal_width() -> int | None:
    """The columns of stdout's terminal, else stderr's, else the controlling terminal's."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream.isatty():
                return _sane(os.get_terminal_size(stream.fileno()).columns) or None
        except (OSError, ValueError):  # no file descriptor (a test's stream), or a closed one
            continue
    try:  # read-only and never made our controlling terminal: only its size is asked
        tty = os.open("/dev/tty", os.O_RDONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:  # no controlling terminal (cron, CI, a daemon), or no /dev/tty (Windows)
        return None
    try:
        return _sane(os.get_terminal_size(tty).columns)
    except OSError:
        return None
    finally:
        os.close(tty)


def _sane(columns: int) -> int | None:
    """A terminal's width, or None for one that reports 0 (a new pseudo-terminal) or nonsense."""
    return columns if MIN_COLUMNS <= columns <= MAX_COLUMNS else None


def _colour() -> bool:
    """Colour only for a terminal that can show it, and never with --no-color or NO_COLOR
    (set to anything but the empty string, as no-color.org has it). FORCE_COLOR turns it
    on where stdout is not a terminal (a CI log that shows colour), unless those say no."""
    if _state["no_color"] or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _show(result: object, fmt: str, scale: str | None = None) -> None:
    """The one way a command's result reaches stdout (``scale``: ``show --scale``)."""
    from minimetrics import render

    render.write(result, fmt, sys.stdout, _width(), _colour(), scale)


def _fail(message: str, hint: str, code: int) -> NoReturn:
    sys.stderr.write(f"error: {message} — {hint}\n")
    raise typer.Exit(code)


P = ParamSpec("P")


def _guarded(command: Callable[P, None]) -> Callable[P, None]:
    """The one error boundary: the core's two exceptions become stderr text and an exit code."""

    @functools.wraps(command)  # Typer reads the options from the signature and --help from the docstring
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
            # Inside the boundary: output still buffered would otherwise meet a closed pipe
            # at interpreter exit, where Python can only print a warning and exit 120.
            sys.stdout.flush()
        except FactSheetError as err:
            _fail_on_data(err)
        except UsageError as err:
            _fail(err.message, err.hint, EXIT_USAGE)
        except BrokenPipeError:
            _reader_gone()
        except SystemExit as err:
            # Rich meets a closed pipe by raising SystemExit(1) (Console.on_broken_pipe), which
            # would tell a `set -o pipefail` script that the data has problems.
            if isinstance(err.__context__, BrokenPipeError):
                _reader_gone()
            raise
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as err:  # the boundary of last resort
            if _state["debug"]:
                raise
            _fail(
                f"internal error ({type(err).__name__}: {err})",
                "please report it with the command you ran; --debug shows the traceback",
                EXIT_INTERNAL,
            )

    return guarded


def _reader_gone() -> NoReturn:
    """The reader of stdout went away (`minimetrics show x | head -1`): what it read is what it
    wanted, so the command succeeded (exit 0). What is left in the buffer goes to /dev/null,
    so that Python's last flush at exit does not fail on the closed pipe."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor: nothing flushes to a pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    raise typer.Exit(EXIT_OK) from None


def _command(name: str | None = None) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """``@app.command()`` with the error boundary: the one way a command is registered."""

    def register(command: Callable[P, None]) -> Callable[P, None]:
        return app.command(name=name)(_guarded(command))

    return register


def _fail_on_data(err: FactSheetError) -> NoReturn:
    from minimetrics import render

    render.write_problems(err.problems, sys.stderr)
    count = len(err.problems)
    sys.stderr.write(f"{count} error{'s' if count != 1 else ''}; nothing was computed\n")
    raise typer.Exit(EXIT_DATA) from None


def _output_target(output: Path) -> Path:
    """The regular file ``--output`` names, checked before any work: a bad target is a usage error.

    A folder ("", "." or a name), a device, a FIFO or a socket is refused (a report is never
    written over one); a symlink is followed, and the file it points to is written (the link
    stays a link); the folder must exist and be writable.
    """
    from minimetrics.render.escape import visible

    shown = visible(str(output))
    hint = "give a file name in an existing, writable folder, or leave out --output to write to stdout"
    try:
        target = Path(os.path.realpath(output)) if output.is_symlink() else output
        if target.is_symlink():  # what realpath gives back for a loop of links
            raise UsageError(f"--output {shown} is a loop of symbolic links", hint)
        if target.is_dir():
            raise UsageError(f"--output {shown} is a folder, not a file", hint)
        if target.exists() and not target.is_file():
            raise UsageError(f"--output {shown} is not a regular file (a device, a FIFO or a socket)", hint)
        if not target.parent.is_dir():
            raise UsageError(f"--output {shown}: the folder {visible(str(target.parent))} does not exist", hint)
        if not os.access(target.parent, os.W_OK | os.X_OK):
            raise UsageError(f"--output {shown}: the folder {visible(str(target.parent))} is not writable", hint)
    except OSError as err:  # a name too long, a loop of links: the user's to fix
        raise UsageError(f"--output {shown}: {err.strerror or err}", hint) from None
    return target


@contextmanager
def _atomic(path: Path) -> Iterator[TextIO]:
    """Write ``path`` whole or not at all: a failed run leaves no half-written report behind.

    The temporary file has a name of its own (two runs at once each write their own and
    the last to finish wins whole) in the target's folder (so the rename is atomic), and the
    permissions the file has, or a new file would get.
    """
    import tempfile  # here: about 4 ms to import, for the commands that write a file

    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        os.chmod(handle, stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _version(show: bool) -> None:
    if show:
        sys.stdout.write(f"minimetrics {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Nothing on stderr unless the command fails; then only what explains the exit code. "
            "Data on stdout is unchanged.",
        ),
    ] = False,
    no_color: Annotated[
        bool,
        typer.Option("--no-color", help="No colour, like NO_COLOR=1. Colour is only ever used on a terminal."),
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read every sheet afresh; neither read nor write the cache.")
    ] = False,
) -> None:
    """Compare the numbers of pre-profit AI companies, every figure traced to its source.

    Data goes to stdout, messages to stderr. Tables fit the terminal's width (or $COLUMNS).

    Example: minimetrics --quiet validate --strict && minimetrics compare minimax zhipu
    """
    _state.update(debug=debug, quiet=quiet, no_color=no_color)
    cache.set_enabled(not no_cache)


@_command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Fact sheets or folders (default: the data folders).", show_default=False),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="Warn about periods ending after this date (default: today).",
        ),
    ] = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Check fact sheets and report every problem as path:line:col.

    Exit 0 when clean, 1 when any file has errors (or warnings, with --strict).

    Example: minimetrics validate datasets/minimax.yaml
    """
    targets = list(paths or data_dirs(data_dir or (), bundled=not no_bundled))
    if not paths:
        if not _state["quiet"]:
            sys.stderr.write(folders_note(_here(targets)) + "\n")
        # A folder of the user's may be empty (a new one) beside others; alone it is an error.
        targets = [f for f in targets if listing(f) != []] or targets
    from minimetrics.dataset import check_files

    with _progress() as progress:
        problems = check_files(targets, as_of.date() if as_of else None, progress=progress)
    _judge(problems, strict)


def _here(folders: Sequence[Path]) -> list[Path]:
    """Folders as a note shows them: relative to the working folder when inside it
    (``datasets``, not the whole path of a checkout), else as given."""
    here = Path.cwd()
    shown = []
    for folder in folders:
        try:
            shown.append(folder.relative_to(here) if folder.is_absolute() else folder)
        except ValueError:  # outside the working folder
            shown.append(folder)
    return shown


def _judge(problems: list[Problem], strict: bool) -> None:
    """validate's verdict on stderr: the problems and their count; exit 1 if they fail the run."""
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    failed = bool(errors or (strict and warnings))
    if _state["quiet"] and not failed:
        return
    # --quiet keeps what fails the run: the errors, and the warnings under --strict.
    shown = problems if strict or not _state["quiet"] else [p for p in problems if p.is_error]
    from minimetrics import render

    render.write_problems(shown, sys.stderr)
    sys.stderr.write(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}\n")
    if failed:
        raise typer.Exit(EXIT_DATA)


@_command(name="list")
def list_companies(
    fmt: FormatOption = Format.TABLE, as_of: AsOfOption = None, data_dir: DataDir = None, no_bundled: NoBundled = False
) -> None:
    """List the companies in the data folder, the periods they cover and their newest source.

    Example: minimetrics list --format json
    """
    from minimetrics import history
    from minimetrics.dataset import summarize

    data, day = _known(data_dir, no_bundled, as_of)
    _show(summarize(history.known_on(data, day)), fmt)
    if not _state["quiet"]:  # after the list: what was read, once it was read
        sys.stderr.write(folders_note(_here(data.folders), data.per_folder) + "\n")


@_command()
def show(  # noqa: PLR0913 -- a command's parameters are its command-line options
    company: Annotated[
        str,
        typer.Argument(
            metavar="COMPANY",
            help="Company id, ticker or name (e.g. minimax, 00100.HK, 智譜).",
            autocompletion=_complete_company,
        ),
    ],
    metric: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            metavar="METRIC",
            help="Only this metric, e.g. revenue or revenue_share[cloud] (repeatable).",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="Only this period as the tables print it, e.g. FY2024, H1-2025 or 2025-06-30 (repeatable).",
            show_default=False,
        ),
    ] = None,
    scale: Annotated[
        Scale | None,
        typer.Option(
            "--scale",
            case_sensitive=False,
            help="Write every money figure of the table in this scale (default: in each table and series, "
            "the scale most of its figures use).",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Show every fact of one company by metric and period, with sources and conflicts, then
    its events (launches, the listing, the founding) oldest first.

    With --metric or --period, only those facts and the sources they cite.

    Example: minimetrics show zhipu --metric revenue --metric net_loss --period FY2024 --scale million
    """
    from minimetrics import history
    from minimetrics.dataset import find_company
    from minimetrics.selection import select_facts

    if scale is not None and fmt != Format.TABLE:
        raise UsageError(
            f"--scale is for the table, not --format {fmt.value}",
            "JSON and CSV keep each figure as its source wrote it, with its unit; leave out --scale",
        )
    data, day = _known(data_dir, no_bundled, as_of, [company])
    sheet = select_facts(find_company(history.known_on(data, day), company), metric or (), period or ())
    _show(sheet, fmt, scale=scale.value if scale else None)


def _progress() -> "AbstractContextManager[LoadProgress]":
    """The progress of reading sheets, on stderr (silent with --quiet)."""
    from minimetrics.render import LoadProgress

    return LoadProgress(sys.stderr, shown=not _state["quiet"])


def _note(text: str | None) -> None:
    """A note on stderr (none with --quiet)."""
    if text and not _state["quiet"]:
        sys.stderr.write(f"note: {text}\n")


def _data(data_dir: list[Path] | None, no_bundled: bool, companies: list[str] | None) -> "Dataset":
    """The data folders read as one (``data_dirs``). With ``companies`` named, other sheets
    with errors are left out, and a note on stderr says how many."""
    from minimetrics.dataset import broken_note, load_data

    folders = data_dirs(data_dir or (), bundled=not no_bundled)
    with _progress() as progress:
        data = load_data(folders, companies=companies or None, progress=progress)
    _note(broken_note(data.broken))
    return data


def _today() -> date:
    """Today, the default --as-of (one place, so that tests can fix it)."""
    return date.today()


def _known(
    data_dir: list[Path] | None, no_bundled: bool, as_of: datetime | None, companies: list[str] | None = None
) -> "tuple[Dataset, date]":
    """The data and the as-of day (default: today), saying on stderr when the day is before
    every source (so the result is empty) or after today (so later sources cannot exist yet)."""
    from minimetrics import history

    data = _data(data_dir, no_bundled, companies)
    day = as_of.date() if as_of else _today()
    _note(history.as_of_note(data, day, _today()))
    return data, day


def _frame_known(
    data_dir: list[Path] | None, no_bundled: bool, as_of: datetime | None, companies: list[str] | None, command: str
) -> "tuple[FrameData, date]":
    """As ``_known``, the facts frame (``load_frame``) of the metrics ``command`` reads, no record."""
    from minimetrics import analysis, history
    from minimetrics.dataset import broken_note, load_frame

    folders = data_dirs(data_dir or (), bundled=not no_bundled)
    with _progress() as progress:
        data = load_frame(
            folders, companies or None, analysis.NEEDS[command], columns=analysis.READS[command], progress=progress
        )
    _note(broken_note(data.broken))
    day = as_of.date() if as_of else _today()
    _note(history.as_of_note(data, day, _today()))
    return data, day


def _rates(fx: list[str] | None) -> dict[tuple[str, str], float]:
    """The rates of --fx, e.g. ``USDCNY=7.2``."""
    from minimetrics.fx import parse_overrides

    return parse_overrides(fx or [])


@_command()
def compare(  # noqa: PLR0913 -- a command's parameters are its command-line options
    companies: Annotated[
        list[str],
        typer.Argument(
            metavar="COMPANY...",
            help="Two or more companies: ids, tickers or names.",
            autocompletion=_complete_company,
        ),
    ],
    fmt: ReportFormatOption = ReportFormat.TABLE,
    currency: Annotated[
        Currency, typer.Option("--currency", case_sensitive=False, metavar="<USD|RMB|HKD>", help="Currency for money.")
    ] = Currency.USD,
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="PERIOD", help="The full year to align on (default: the latest all report)."),
    ] = None,
    fx: FxOption = None,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Companies side by side: growth, margins, losses and runway on aligned periods, in one currency.

    Full years are aligned on the latest year every company reports; each company's latest
    period is shown under its own label. Conflicts between sources behind the figures are listed.

    Example: minimetrics compare minimax zhipu --currency USD
    """
    from minimetrics import analysis

    data, day = _frame_known(data_dir, no_bundled, as_of, companies, "compare")
    result = analysis.comparison(data, companies, currency.value, _rates(fx), period, day)
    _show(result, fmt)


@_command()
def growth(  # noqa: PLR0913 -- a command's parameters are its command-line options
    companies: Companies = None,
    metric: Annotated[
        str, typer.Option("--metric", metavar="METRIC", help="A flow metric: revenue, net_loss, rd_expense, ...")
    ] = "revenue",
    period: PeriodOption = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Year-on-year growth (same period a year earlier) and CAGR over full years.

    Example: minimetrics growth minimax --metric revenue
    """
    from minimetrics import analysis

    data, day = _frame_known(data_dir, no_bundled, as_of, companies or None, "growth")
    _show(analysis.growth_table(data, companies or [], metric, period, day), fmt)


@_command()
def margins(
    companies: Companies = None,
    period: PeriodOption = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Gross, net and adjusted net margins, R&D and S&M as % of revenue, changes in pp.

    Example: minimetrics margins zhipu --period FY2024
    """
    from minimetrics import analysis

    data, day = _frame_known(data_dir, no_bundled, as_of, companies or None, "margins")
    _show(analysis.margin_table(data, companies or [], period, day), fmt)


@_command()
def runway(  # noqa: PLR0913 -- a command's parameters are its command-line options
    companies: Companies = None,
    burn: Annotated[
        Burn | None, typer.Option("--burn", case_sensitive=False, help="Burn basis (default: the best-supported).")
    ] = None,
    cash: Annotated[
        Cash | None,
        typer.Option("--cash", case_sensitive=False, help="Cash basis (default: with liquid assets if known)."),
    ] = None,
    with_ipo: Annotated[
        bool, typer.Option("--with-ipo", help="Add IPO net proceeds received after the cash date.")
    ] = False,
    burn_growth: Annotated[
        float,
        typer.Option(
            "--burn-growth", min=-99.0, max=100.0, metavar="PCT", help="Scenario: burn grows this many % a month."
        ),
    ] = 0.0,
    detail: Annotated[bool, typer.Option("--detail", help="Every basis combination the data supports.")] = False,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            min=0.0,
            metavar="MONTHS",
            help="Exit 3 if a company has fewer months left on the as-of date, ran out on paper, "
            "or has no runway that can be computed.",
        ),
    ] = None,
    fx: FxOption = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Months of cash from the cash date, months left on the as-of date and the date it runs out,
    longest first, with bases and dates. A runway whose date has passed "ran out on paper".

    Example: minimetrics runway --detail
    """
    from minimetrics import analysis

    data, day = _frame_known(data_dir, no_bundled, as_of, companies or None, "runway")
    options = _runway_options(cash, burn, with_ipo, detail, burn_growth, fx or [], day)
    table = analysis.runway_table(data, companies or [], options, detail)
    _show(table, fmt)
    if fail_under is not None:
        _gate(table, fail_under)


def _runway_options(  # noqa: PLR0913 -- the runway command's options, gathered
    cash: Cash | None, burn: Burn | None, with_ipo: bool, detail: bool, burn_growth: float, fx: list[str], day: date
) -> "RunwayOptions":
    from minimetrics.metrics import RunwayOptions

    # --detail without --with-ipo shows both, with and without the IPO proceeds.
    ipo = True if with_ipo else None if detail else False
    return RunwayOptions(cash.value if cash else None, burn.value if burn else None, ipo, burn_growth, _rates(fx), day)


def _gate(table: "RunwayTable", bound: float) -> None:
    """runway --fail-under: exit 3 when a runway is below ``bound`` months, naming which on stderr."""
    from minimetrics import analysis, render

    short = analysis.short_runways(table, bound)
    if short or not _state["quiet"]:
        render.write_gate(short, bound, sys.stderr)
    if short:
        raise typer.Exit(EXIT_GATE)


# The bounds breakeven checks (minimetrics.breakeven.MIN_GROWTH, MAX_GROWTH, MAX_HORIZON_YEARS),
# written out so that --help does not load pandas; a test checks that they agree.
GROWTH_BOUNDS = "above -100 and at most 10000"
HORIZON_BOUNDS = "1 to 50"


@_command()
def breakeven(  # noqa: PLR0913 -- a command's parameters are its command-line options
    companies: Companies = None,
    loss: Annotated[
        LossBasis, typer.Option("--loss", case_sensitive=False, help="The loss that makes costs = revenue + loss.")
    ] = LossBasis.ADJUSTED_LOSS,
    cash: Annotated[
        Cash | None,
        typer.Option("--cash", case_sensitive=False, help="Cash basis (default: liquid if known, else cash)."),
    ] = None,
    with_ipo: Annotated[
        bool, typer.Option("--with-ipo", help="Add IPO net proceeds received after the cash date.")
    ] = False,
    revenue_growth: Annotated[
        float | None,
        typer.Option(
            "--revenue-growth",
            metavar="PCT",
            help=f"Revenue growth, % a year ({GROWTH_BOUNDS}; default: the latest like-for-like year on year).",
            show_default=False,
        ),
    ] = None,
    cost_growth: Annotated[
        float | None,
        typer.Option(
            "--cost-growth",
            metavar="PCT",
            help=f"Cost growth, % a year ({GROWTH_BOUNDS}; default: that of revenue + loss on the same periods).",
            show_default=False,
        ),
    ] = None,
    horizon: Annotated[
        int, typer.Option("--horizon", metavar="YEARS", help=f"Years to project ({HORIZON_BOUNDS}).")
    ] = 10,
    grid: Annotated[bool, typer.Option("--grid", help="Months to breakeven over revenue × cost growth.")] = False,
    revenue_growth_steps: Annotated[
        str,
        typer.Option(
            "--revenue-growth-steps", metavar="PP,PP,…", help="Grid rows: percentage points around the base case."
        ),
    ] = "-50,-25,25,50",
    cost_growth_steps: Annotated[
        str,
        typer.Option(
            "--cost-growth-steps", metavar="PP,PP,…", help="Grid columns: percentage points around the base case."
        ),
    ] = "-50,-25,25,50",
    fail_if_dead: Annotated[
        bool, typer.Option("--fail-if-dead", help="Exit 3 if a company's cash runs out before breakeven.")
    ] = False,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="The data as it stood on this day, YYYY-MM-DD, and months also counted from it (default: today).",
            show_default=False,
        ),
    ] = None,
    fx: FxOption = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """When would revenue catch up with costs, and does the cash last until then?

    A projection on stated assumptions, not a forecast: revenue and costs (revenue + loss) grow
    from the base period's monthly levels at constant yearly rates, from the cash date on.

    Example: minimetrics breakeven zhipu --revenue-growth 150 --cost-growth 40
    """
    from minimetrics import breakeven as model

    rates = _rates(fx)
    day = as_of.date() if as_of else _today()
    growth = (revenue_growth, cost_growth)
    options = model.BreakevenOptions(loss, cash.value if cash else None, with_ipo, *growth, horizon, day, rates)
    model.check_options(options)  # before the data is read: a bad option is the user's to fix first
    steps = model.GridSteps(model.parse_steps(revenue_growth_steps), model.parse_steps(cost_growth_steps))
    data, _ = _known(data_dir, no_bundled, as_of, companies or None)
    result: BreakevenTable | BreakevenGridTable = (
        model.breakeven_grid_table(data, companies or [], options, steps)
        if grid
        else model.breakeven_table(data, companies or [], options)
    )
    _show(result, fmt)
    if fail_if_dead:
        _dead_gate(model.dead(result))


def _dead_gate(dead: "tuple[Breakeven, ...]") -> None:
    """breakeven --fail-if-dead: exit 3 when a company is default dead, naming which on stderr."""
    from minimetrics import render

    if dead or not _state["quiet"]:
        render.write_dead_gate(dead, sys.stderr)
    if dead:
        raise typer.Exit(EXIT_GATE)


@_command()
def claims(
    companies: Companies = None,
    verdict: Annotated[
        list[str] | None,
        typer.Option(
            "--verdict",
            metavar="VERDICT",
            help='Only claims with this verdict: reproduces, "does not reproduce" or "cannot be checked" (repeatable).',
            show_default=False,
        ),
    ] = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """Check the figures the sources compute against the data they are computed from.

    Checked: margins, shares and multiples (R&D 7 times revenue) from their amounts; growth
    against a year earlier and CAGR over whole fiscal years; sums over spans (losses since
    founding, a fourth quarter as the year less nine months); share-price moves against the
    offer price or the previous close; market cap against price × shares; gross proceeds
    against shares × offer price; revenue per paying user; cash runway, on the claim's own
    source's cash and burn only.

    Each source's report is checked within the rounding and qualifier it was written with.
    Verdicts: reproduces; does not reproduce (the data's figure beside it); cannot be checked
    (needs METRIC PERIOD, or other sources' figures). Every format lists every claim,
    failures first and those that cannot be checked last; the table then counts every verdict.

    Example: minimetrics claims minimax --verdict "does not reproduce"
    """
    from minimetrics import analysis

    data, day = _known(data_dir, no_bundled, as_of, companies or None)
    _show(analysis.claims_table(data, companies or [], day, [v.strip().casefold() for v in verdict or ()]), fmt)


@_command()
def explain(  # noqa: PLR0913 -- a command's parameters are its command-line options
    company: Annotated[
        str, typer.Argument(metavar="COMPANY", help="Company id, ticker or name.", autocompletion=_complete_company)
    ],
    figure: Annotated[
        str, typer.Argument(metavar="FIGURE", help="A figure (revenue_growth, gross_margin, runway, ...) or a metric.")
    ],
    period: Annotated[str | None, typer.Argument(metavar="[PERIOD]", help="The period (default: the latest).")] = None,
    fx: FxOption = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    as_of: AsOfOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """How a figure was derived: its formula, its inputs with their periods and units, and their sources.

    --fx PAIR=RATE supplies or overrides a rate wherever the figure uses one (a valuation,
    a runway or breakeven in another currency).

    Example: minimetrics explain zhipu revenue_growth FY2024
    """
    from minimetrics import explanation

    data, day = _known(data_dir, no_bundled, as_of, [company])
    _show(explanation.explain(data, company, figure, period, day, _rates(fx)), fmt)


@_command()
def changes(
    since: Annotated[
        datetime,
        typer.Option(
            "--since", formats=["%Y-%m-%d"], metavar="DATE", help="The first day, YYYY-MM-DD: what was known then."
        ),
    ],
    companies: Companies = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            "--until",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="The last day, YYYY-MM-DD: what was known then (default: today).",
            show_default=False,
        ),
    ] = None,
    fmt: ReportFormatOption = ReportFormat.TABLE,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """What the data learned between two days: facts that appeared, figures shown that changed
    (old → new, each with its source), conflicts between sources that arose or were settled.

    Example: minimetrics changes minimax --since 2026-01-09 --until 2026-03-31
    """
    from minimetrics import history

    data, day = _known(data_dir, no_bundled, until, companies or None)
    _show(history.changes(data, since.date(), day, companies or []), fmt)


@_command()
def report(  # noqa: PLR0913 -- a command's parameters are its command-line options
    companies: Companies = None,
    fmt: Annotated[
        DocumentFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = DocumentFormat.MARKDOWN,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to this file instead of stdout.", show_default=False
        ),
    ] = None,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            metavar="DATE",
            help="The data as it stood on this day, YYYY-MM-DD: only sources published by then count, "
            "and months left are counted to it (default: today).",
            show_default=False,
        ),
    ] = None,
    currency: Annotated[
        Currency,
        typer.Option("--currency", case_sensitive=False, metavar="<USD|RMB|HKD>", help="Currency for money compared."),
    ] = Currency.USD,
    fx: FxOption = None,
    data_dir: DataDir = None,
    no_bundled: NoBundled = False,
) -> None:
    """The full comparison as one document: overview, growth, margins, runway with its bases
    and scenarios, conflicts between sources, claims checked, sources, with charts.

    Markdown renders on GitHub (tables and mermaid charts); HTML is one self-contained file
    (inline CSS and SVG, no script, no network). The same data and --as-of give the same bytes.

    Example: minimetrics report minimax zhipu --format html --output report.html
    """
    from minimetrics.report import build_report

    if output is not None:
        _output_target(output)  # a bad target is said before the work, not after
    data, day = _known(data_dir, no_bundled, as_of, companies or None)
    result = build_report(data, companies or [], day, currency.value, _rates(fx))
    _write_document(result, fmt, output)


def _write_document(result: object, fmt: str, output: Path | None) -> None:
    """To stdout, or whole into ``output`` and say so on stderr."""
    if output is None:
        _show(result, fmt)
        return
    from minimetrics import render

    target = _output_target(output)
    try:
        with _atomic(target) as out:
            render.write(result, fmt, out, _width())
    except OSError as err:  # a missing folder, no permission, a full disk: the user's to fix
        raise UsageError(
            f"cannot write {output}: {err.strerror or err}", "check that its folder exists and is writable"
        ) from None
    if not _state["quiet"]:
        sys.stderr.write(f"wrote {output}\n")


# --- Writing sheets ---------------------------------------------------------------------------

WriteDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--data-dir",
        metavar="FOLDER",
        help="Folder to write into, the first if repeated (default: the first folder of $MINIMETRICS_DATA, "
        "else ./datasets if it exists).",
        show_default=False,
    ),
]
CompanyId = Annotated[str, typer.Argument(help="The company's id (its sheet's file name, e.g. lumen).")]


def _wrote(written: "authoring.Written") -> None:
    from minimetrics import render

    if not _state["quiet"] or written.conflicts:
        render.write_written(written, sys.stderr)


@_command()
def new(  # noqa: PLR0913 -- a command's parameters are its command-line options
    id: Annotated[str, typer.Argument(help="The new company's id: lowercase, a-z 0-9 _ -, e.g. lumen.")],
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="The name the company is known by.")],
    currency: Annotated[
        str, typer.Option("--currency", metavar="CURRENCY", help="Reporting currency: USD, RMB or HKD.")
    ],
    fiscal_year_end: Annotated[str, typer.Option("--fiscal-year-end", metavar="MM-DD", help="MM-DD.")] = "12-31",
    ticker: Annotated[
        str | None, typer.Option("--ticker", metavar="TICKER", help="SYMBOL.EXCHANGE, e.g. 00100.HK.")
    ] = None,
    founded: Annotated[
        str | None, typer.Option("--founded", metavar="YYYY[-MM[-DD]]", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    native_name: Annotated[
        str | None,
        typer.Option("--native-name", metavar="NAME", help="The name in its own language (default: --name)."),
    ] = None,
    data_dir: WriteDir = None,
) -> None:
    """Start a fact sheet: a commented skeleton ID.yaml in the data folder. Never overwrites.

    The sheet's first line points editors at factsheet.schema.json, written beside it if missing.

    Example: minimetrics new lumen --name "Lumen AI" --currency USD --ticker 02000.HK --founded 2023-04
    """
    import json

    from minimetrics import authoring
    from minimetrics.schema import json_schema

    company = authoring.NewCompany(id, name, currency, fiscal_year_end, ticker, founded, native_name)
    schema_text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    _wrote(authoring.create_sheet(authoring.writable_data_dir(data_dir), company, schema_text))


@_command()
def add(  # noqa: PLR0913 -- a command's parameters are its command-line options
    company: CompanyId,
    metric: Annotated[str, typer.Argument(help="A metric (revenue, net_loss, …) or metric[segment].")],
    period: Annotated[str, typer.Argument(help="FY2025, H1-2025, 9M2025, Q3-2025 or a date for a balance.")],
    value: Annotated[str, typer.Argument(help='The figure as the source writes it, or "not disclosed".')],
    unit: Annotated[str, typer.Argument(help='As the source writes it: "USD million", "RMB 億", percent.')],
    source: Annotated[str, typer.Option("--source", metavar="SOURCE", help="The id of a source the sheet declares.")],
    qualifier: Annotated[
        str, typer.Option("--qualifier", metavar="QUALIFIER", help="exact, about, more_than or less_than.")
    ] = "exact",
    segment: Annotated[str, typer.Option("--segment", metavar="SEGMENT", help="A segment the company declares.")] = "",
    note: Annotated[str, typer.Option("--note", metavar="TEXT", help="What to know about the figure.")] = "",
    basis: Annotated[
        str, typer.Option("--basis", metavar="BASIS", help="adjusted, ifrs, … where the source says.")
    ] = "",
    data_dir: WriteDir = None,
) -> None:
    """Add one figure to a company's sheet, where a person would put it; every other byte stays.

    The sheet is checked before anything is written, and written whole or not at all. A figure
    that disagrees with another source's is added, and the conflict shown.

    Example: minimetrics add lumen revenue FY2025 12.5 "USD million" --source caixin_20260301
    """
    from minimetrics import authoring

    figure = authoring.NewReport(metric, period, value, unit, source, qualifier, segment, note, basis)
    _wrote(authoring.add_to_folder(authoring.writable_data_dir(data_dir), company, figure))


@_command(name="add-source")
def add_source(  # noqa: PLR0913 -- a command's parameters are its command-line options
    company: CompanyId,
    id: Annotated[str, typer.Argument(help="The source's id: outlet and date, e.g. caixin_20260301.")],
    outlet: Annotated[str, typer.Option("--outlet", metavar="OUTLET", help="Who published it.")],
    title: Annotated[str, typer.Option("--title", metavar="TITLE", help="Its title, as published.")],
    published: Annotated[
        str, typer.Option("--published", metavar="DATE", help="The day it was published, YYYY-MM-DD.")
    ],
    url: Annotated[str, typer.Option("--url", metavar="URL", help="Where it is.")] = "",
    rank: Annotated[
        int | None,
        typer.Option(
            "--rank", metavar="RANK", help="1 (most authoritative) to 9; default by kind.", show_default=False
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", metavar="KIND", help="prospectus, results_announcement, press, …")
    ] = "press",
    data_dir: WriteDir = None,
) -> None:
    """Declare a source in a company's sheet, after the last one; every other byte stays.

    Example: minimetrics add-source lumen caixin_20260301 --outlet Caixin --title "Lumen files" --published 2026-03-01
    """
    from minimetrics import authoring

    declared = authoring.NewSource(id, outlet, title, published, url, rank, kind)
    _wrote(authoring.add_source_to_folder(authoring.writable_data_dir(data_dir), company, declared))


@_command(name="import")
def import_table(
    file: Annotated[Path, typer.Argument(help="A CSV table of figures, one per row (see README).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")] = False,
    fmt: Annotated[
        PlanFormat, typer.Option("--format", "-f", case_sensitive=False, help="Output format.")
    ] = PlanFormat.TABLE,
    data_dir: WriteDir = None,
) -> None:
    """Add a table of figures (and their sources) to the sheets. Nothing is written unless every row maps.

    Columns: company, metric, period, value, unit, outlet, published; optional: currency, scale,
    source_url, note, segment, qualifier, basis, title, kind, rank, reliability.

    Example: minimetrics import figures.csv --dry-run
    """
    from minimetrics import authoring

    folder = authoring.writable_data_dir(data_dir)
    plan = authoring.import_rows(authoring.read_table(file), authoring.read_folder(folder), file=file.name)
    _show(plan, fmt)
    if not dry_run:
        authoring.write_plan(plan)
        if not _state["quiet"]:
            sys.stderr.write(f"wrote {len(plan.texts)} sheet{'s' * (len(plan.texts) != 1)} in {folder}\n")


@_command()
def schema() -> None:
    """Print the JSON Schema of the fact-sheet format, for editors.

    Example: minimetrics schema > factsheet.schema.json
    """
    import json

    from minimetrics.schema import json_schema

    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


# The options of ``main`` that take no value: the word after them is the command's name.
GLOBAL_FLAGS = frozenset({"--debug", "--quiet", "-q", "--no-color", "--no-cache"})


def _name(command: "typer.models.CommandInfo") -> str:
    """A registered command's name, as Typer gives it (``add_source`` is ``add-source``)."""
    assert command.callback is not None  # every command is registered with its function
    return command.name or command.callback.__name__.lower().replace("_", "-")


def command_named(args: Sequence[str]) -> str | None:
    """The command that ``args`` run, when only flags of ``main`` come before its name.

    None for anything else: no command, ``--help`` or ``--version`` first, a name that is
    no command (Click's error suggests the right one from all of them).
    """
    for arg in args:
        if arg not in GLOBAL_FLAGS:
            return arg if any(_name(command) == arg for command in app.registered_commands) else None
    return None


def run() -> None:
    """Console-script entry point (and ``python -m minimetrics``).

    Typer reads the options of every command from its signature before it parses any (about
    10 ms for seventeen commands at each start), so a run that names its command gets an app
    with only that one. Everything else builds them all, so that the list of commands, the
    suggestion for a mistyped one and shell completion see every command.
    """
    named = command_named(sys.argv[1:])
    if named is None or any(variable.endswith("_COMPLETE") for variable in os.environ):
        app()
        return
    only = copy.copy(app)  # app itself keeps every command (tests, a second run in one process)
    only.registered_commands = [command for command in app.registered_commands if _name(command) == named]
    only()
