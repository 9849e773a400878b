"""How fast minimetrics is, as a user runs it: whole processes, medians, beside references.

    python benchmarks/run.py                      # every target, sizes 10, 100 and 1,000
    python benchmarks/run.py --sizes 10,100,1000,10000 --repeat 5
    python benchmarks/run.py --quick              # CI smoke: size 10, one run each, no verdicts
    python benchmarks/run.py --sizes 10000 --synth-dir ~/bench   # keep the sheets and the warm cache

Every figure is the median wall time, with its quartiles, of whole runs of the installed ``minimetrics`` (the
console script beside this Python), each beside a reference run in the same session and
interleaved with it, so that a busy machine slows both: ``python -c pass`` for start-up,
``python -c "import pandas, typer, rich, yaml"`` for the commands that compute; the
machine's load average when each line's runs began is printed beside it. Memory is the peak
of the total proportional set size (PSS, shared pages divided among their sharers) of the
command and every process it started (the workers that read sheets), sampled every 20 ms
from ``/proc``; where ``/proc`` is missing, the command's own maximum resident set. The scale runs use synthetic sheets
(``benchmarks/synth.py``) in a temporary folder; cold is an empty cache folder each run,
warm the same command again with the cache filled. Cold runs are made only at the sizes of
``--cold-sizes`` (10, 100 and 1,000 by default: a cold run over 10,000 sheets takes minutes, and
the issue's cold target is at 1,000). Nothing is written outside temporary folders, except
Python bytecode for the package if it has none (as an installed package has), and, with
``--synth-dir DIR``, the sheets (``DIR/sheets-N``, made only if missing) and the warm cache
(``DIR/cache-N``), kept so that the next run reuses both.

Exit status: 1 when a command fails (also with ``--quick``); the targets are reported, never
asserted.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

PYTHON = sys.executable
TOOL = Path(PYTHON).parent / "minimetrics"
BASE = [PYTHON, "-c", "pass"]
IMPORTS = [PYTHON, "-c", "import pandas, typer, rich, yaml"]
COMPARED = 20  # companies in the scale runs of compare

START_BOUND = 0.150  # target 1, seconds
COMPARE_RATIO = 1.2  # target 2
# Issue 16: sheets -> (warm seconds, warm MiB) for runway, compare of 20 and validate; cold at 1,000.
WARM_BOUNDS = {1000: (0.8, 200), 10000: (2.0, 1024)}
COLD_BOUND = 8.0


class CommandFailed(Exception):
    pass


@dataclass
class Timing:
    seconds: list[float]
    peak_kb: int
    load: float = 0.0  # the one-minute load average when the runs began

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> str:
        """The quartiles, or the single run."""
        if len(self.seconds) < 2:
            return "one run"
        low, _, high = statistics.quantiles(self.seconds, n=4, method="inclusive")
        return f"{secs(low)}–{secs(high)}"


def load_average() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def _tree_kb(root: int) -> int | None:
    """The total PSS in kilobytes of ``root`` and its descendants, or None without ``/proc``."""
    parents: dict[int, int] = {}
    try:
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as stat:
                        fields = stat.read().rsplit(b")", 1)[1].split()
                    parents[int(entry.name)] = int(fields[1])
                except (OSError, IndexError, ValueError):
                    continue
    except OSError:
        return None
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError):
            continue
    return total


def tool() -> list[str]:
    return [str(TOOL)] if TOOL.exists() else [PYTHON, "-m", "minimetrics"]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident kilobytes of one whole run; CommandFailed if it fails."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors_file:
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors_file)
        peaks = [0]
        finished = threading.Event()

        def sample() -> None:  # beside the run: the wait below ends as soon as the child does
            while not finished.wait(0.02):
                peaks.append(_tree_kb(child.pid) or 0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        finished.set()
        sampler.join()
        peak = max(peaks)
        errors_file.seek(0)
        errors = errors_file.read()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise CommandFailed(
            f"{' '.join(command)} exited {child.returncode}:\n{errors.decode(errors='replace')[-2000:]}"
        )
    return seconds, peak or usage.ru_maxrss


def measure(
    commands: dict[str, list[str]], repeat: int, env: dict[str, str], fresh_cache: bool = False
) -> dict[str, Timing]:
    """Each command ``repeat`` times, interleaved, after one unmeasured run of each (disk cache,
    bytecode). ``fresh_cache``: every measured run starts with an empty cache folder."""
    timings = {name: Timing([], 0, load_average()) for name in commands}
    for command in commands.values():
        _run(command, env, fresh_cache)
    for _ in range(repeat):
        for name, command in commands.items():
            seconds, peak = _run(command, env, fresh_cache)
            timings[name].seconds.append(seconds)
            timings[name].peak_kb = max(timings[name].peak_kb, peak)
    return timings


def _run(command: list[str], env: dict[str, str], fresh_cache: bool) -> tuple[float, int]:
    if not fresh_cache:
        return run_once(command, env)
    with tempfile.TemporaryDirectory(dir=env["BENCH_TMP"], prefix="cold-") as empty:
        return run_once(command, {**env, "MINIMETRICS_CACHE_DIR": empty})


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:,.2f} s" if seconds >= 1 else ms(seconds)


def per_sheet(seconds: float, size: int) -> str:
    """Time per sheet, with a decimal where whole milliseconds would round it away."""
    each = seconds / size * 1000
    return f"{each:,.0f} ms/sheet" if each >= 10 else f"{each:.2f} ms/sheet"


def mib(kb: int) -> str:
    return f"{kb / 1024:,.0f} MiB"


def verdict(met: bool, quick: bool) -> str:
    return "" if quick else ("met" if met else "MISSED")


def startup(repeat: int, env: dict[str, str], quick: bool) -> None:
    print("\n1. Start-up on the shipped data (cache filled; pandas not imported)", flush=True)
    commands = {
        "python -c pass": BASE,
        "minimetrics --help": [*tool(), "--help"],
        "minimetrics list": [*tool(), "list"],
        "minimetrics validate": [*tool(), "validate"],
    }
    found = measure(commands, repeat, env)
    base = found.pop("python -c pass")
    print(f"   {'command':<34}{'median':>10}{'quartiles':>18}{'reference':>12}{'ratio':>8}   target")
    for name, timing in found.items():
        mark = verdict(timing.median <= START_BOUND, quick)
        print(
            f"   {name:<34}{ms(timing.median):>10}{timing.spread:>18}{ms(base.median):>12}"
            f"{timing.median / base.median:>7.1f}×   ≤ {START_BOUND * 1000:.0f} ms {mark}   (load {timing.load:.2f})"
        )
    print("   reference: python -c pass")

    print(f"\n2. compare minimax zhipu against {' '.join(IMPORTS[2:])!r}")
    commands = {
        "imports": IMPORTS,
        "minimetrics compare minimax zhipu": [*tool(), "compare", "minimax", "zhipu"],
        "  the same, --no-cache": [*tool(), "--no-cache", "compare", "minimax", "zhipu"],
    }
    found = measure(commands, repeat, env)
    ref = found.pop("imports")
    print(f"   {'command':<34}{'median':>10}{'quartiles':>18}{'reference':>12}{'ratio':>8}   target")
    for name, timing in found.items():
        ratio = timing.median / ref.median
        mark = verdict(ratio <= COMPARE_RATIO, quick) if "no-cache" not in name else "(for information)"
        print(
            f"   {name:<34}{ms(timing.median):>10}{timing.spread:>18}{ms(ref.median):>12}{ratio:>7.2f}×"
            f"   ≤ {COMPARE_RATIO}× {mark}   (load {timing.load:.2f})"
        )
    print(f"   reference: python -c {' '.join(IMPORTS[2:])!r}, memory {mib(ref.peak_kb)}")


def _sheets(root: Path, size: int) -> Path:
    """The folder of ``size`` synthetic sheets under ``root``, written unless it is complete
    (the sheets are seeded: the same count gives the same bytes)."""
    folder = root / f"sheets-{size}"
    marker = folder / ".complete"
    if not marker.exists():
        synth.generate(folder, size)
        marker.write_text(f"{size}\n", encoding="utf-8")  # written last: an interrupted run makes them again
    return folder


def scale(
    sizes: list[int], cold_sizes: set[int], repeat: int, env: dict[str, str], quick: bool, keep: Path | None
) -> None:
    print("\n3-4. Scale: synthetic sheets of about 300 facts (benchmarks/synth.py), cold and warm cache")
    print("   time: median (quartiles); memory: peak total of the command and its workers")
    root = Path(env["BENCH_TMP"])
    verdicts: list[str] = []
    reference: list[float] = []
    for size in sizes:
        folder = _sheets(keep or root, size)
        names = [f"synth{i:04d}" for i in range(1, min(size, COMPARED) + 1)]
        commands = {
            "validate": [*tool(), "validate", "--data-dir", str(folder)],
            "runway": [*tool(), "runway", "--data-dir", str(folder)],
            f"compare of {len(names)}": [*tool(), "compare", *names, "--data-dir", str(folder)],
        }
        runs = repeat if size <= 100 else max(1, min(repeat, 3))
        cold = measure(commands, runs, env, fresh_cache=True) if size in cold_sizes else {}
        if keep is not None:
            cache = keep / f"cache-{size}"
            cache.mkdir(exist_ok=True)
        else:
            cache = Path(tempfile.mkdtemp(dir=root, prefix=f"warm-{size}-"))
        warm = measure(commands, runs, {**env, "MINIMETRICS_CACHE_DIR": str(cache)})
        reference.extend(measure({"imports": IMPORTS}, 1, env)["imports"].seconds)
        for name in commands:
            w = warm[name]
            c = cold.get(name)
            print(
                f"   {size:>6,} sheets  {name:<14}"
                + (
                    f" cold {secs(c.median)} ({c.spread}), {per_sheet(c.median, size)}, {mib(c.peak_kb)}, load {c.load:.2f};"
                    if c
                    else " cold not measured;"
                )
                + f" warm {secs(w.median)} ({w.spread}), {per_sheet(w.median, size)}, {mib(w.peak_kb)}, load {w.load:.2f}"
                f"   [{runs} run{'s' * (runs != 1)}]",
                flush=True,
            )
            if size in WARM_BOUNDS:
                bound, memory = WARM_BOUNDS[size]
                verdicts.append(
                    f"   {name} on {size:,} sheets, warm: {secs(w.median)} (≤ {bound:g} s "
                    f"{verdict(w.median <= bound, quick)}), {mib(w.peak_kb)} (≤ {memory:,} MiB "
                    f"{verdict(w.peak_kb <= memory * 1024, quick)})"
                )
            if size == 1000 and c:
                verdicts.append(
                    f"   {name} on 1,000 sheets, cold: {secs(c.median)} (≤ {COLD_BOUND:g} s "
                    f"{verdict(c.median <= COLD_BOUND, quick)})"
                )
    print(f"   reference: python -c {' '.join(IMPORTS[2:])!r}, median {ms(statistics.median(reference))}")
    if verdicts and not quick:
        print("\n".join(["\n   Targets (issue 16):", *verdicts]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="numbers of synthetic sheets, comma-separated")
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per command (3 at most from 1,000 sheets)")
    parser.add_argument("--quick", action="store_true", help="CI smoke: the smallest size, one run each, no verdicts")
    parser.add_argument(
        "--cold-sizes", default="10,100,1000", help="the sizes also measured with an empty cache, comma-separated"
    )
    parser.add_argument(
        "--synth-dir", type=Path, help="keep the synthetic sheets and the warm cache here and reuse them next time"
    )
    parser.add_argument("--skip-startup", action="store_true", help="only the scale runs (sections 3-4)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # each line as it is measured
    sizes = sorted(int(s) for s in args.sizes.split(","))
    repeat = args.repeat
    if args.quick:
        sizes, repeat = sizes[:1], 1
    import minimetrics  # the package the console script runs: give it bytecode, as an install has

    compileall.compile_dir(Path(minimetrics.__file__).parent, quiet=1)
    print(
        f"minimetrics {minimetrics.__version__} benchmark · Python {platform.python_version()} · "
        f"{platform.system()} {platform.machine()} · {os.cpu_count()} CPUs · medians of {repeat} runs · "
        f"load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    with tempfile.TemporaryDirectory(prefix="minimetrics-bench-") as scratch:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MINIMETRICS_")}
        env |= {"BENCH_TMP": scratch, "MINIMETRICS_CACHE_DIR": str(Path(scratch) / "cache")}
        try:
            if not args.skip_startup:
                startup(repeat, env, args.quick)
            cold_sizes = {int(s) for s in args.cold_sizes.split(",") if s}
            keep = args.synth_dir.expanduser().resolve() if args.synth_dir else None
            if keep is not None:
                keep.mkdir(parents=True, exist_ok=True)
            scale(sizes, cold_sizes, repeat, env, args.quick, keep)
        except CommandFailed as failure:
            print(f"\nerror: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
