"""How fast minimetrics is, as a user runs it: whole processes, medians, beside references.

    python benchmarks/run.py                      # every target, sizes 10, 100 and 1,000
    python benchmarks/run.py --sizes 10,100 --repeat 5
    python benchmarks/run.py --quick              # CI smoke: size 10, one run each, no verdicts

Every figure is the median wall time of whole runs of the installed ``minimetrics`` (the
console script beside this Python), each beside a reference run in the same session and
interleaved with it, so that a busy machine slows both: ``python -c pass`` for start-up,
``python -c "import pandas, typer, rich, yaml"`` for the commands that compute. Peak memory
is the child's maximum resident set (``wait4``). The scale runs use synthetic sheets
(``benchmarks/synth.py``) in a temporary folder; cold is an empty cache folder each run,
warm the same command again with the cache filled. Nothing is written outside temporary
folders, except Python bytecode for the package if it has none (as an installed package has).

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
COLD_BOUND, WARM_BOUND = 10.0, 1.5  # target 3, seconds, at 1,000 sheets


class CommandFailed(Exception):
    pass


@dataclass
class Timing:
    seconds: list[float]
    peak_kb: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def tool() -> list[str]:
    return [str(TOOL)] if TOOL.exists() else [PYTHON, "-m", "minimetrics"]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident kilobytes of one whole run; CommandFailed if it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise CommandFailed(
            f"{' '.join(command)} exited {child.returncode}:\n{errors.decode(errors='replace')[-2000:]}"
        )
    return seconds, usage.ru_maxrss


def measure(
    commands: dict[str, list[str]], repeat: int, env: dict[str, str], fresh_cache: bool = False
) -> dict[str, Timing]:
    """Each command ``repeat`` times, interleaved, after one unmeasured run of each (disk cache,
    bytecode). ``fresh_cache``: every measured run starts with an empty cache folder."""
    timings = {name: Timing([], 0) for name in commands}
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
    print(f"   {'command':<34}{'median':>10}{'reference':>12}{'ratio':>8}   target")
    for name, timing in found.items():
        mark = verdict(timing.median <= START_BOUND, quick)
        print(
            f"   {name:<34}{ms(timing.median):>10}{ms(base.median):>12}{timing.median / base.median:>7.1f}×"
            f"   ≤ {START_BOUND * 1000:.0f} ms {mark}"
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
    print(f"   {'command':<34}{'median':>10}{'reference':>12}{'ratio':>8}   target")
    for name, timing in found.items():
        ratio = timing.median / ref.median
        mark = verdict(ratio <= COMPARE_RATIO, quick) if "no-cache" not in name else "(for information)"
        print(f"   {name:<34}{ms(timing.median):>10}{ms(ref.median):>12}{ratio:>7.2f}×   ≤ {COMPARE_RATIO}× {mark}")
    print(f"   reference: python -c {' '.join(IMPORTS[2:])!r}, peak {mib(ref.peak_kb)}")


def scale(sizes: list[int], repeat: int, env: dict[str, str], quick: bool) -> None:
    print("\n3-4. Scale: synthetic sheets of about 300 facts (benchmarks/synth.py), cold and warm cache")
    root = Path(env["BENCH_TMP"])
    header = f"   {'sheets':>6}  {'command':<24}{'cold':>10}{'per sheet':>11}{'warm':>10}{'per sheet':>11}{'peak cold/warm':>18}"
    print(header, flush=True)
    verdicts: list[str] = []
    reference: list[float] = []
    for size in sizes:
        folder = root / f"sheets-{size}"
        synth.generate(folder, size)
        names = [f"synth{i:04d}" for i in range(1, min(size, COMPARED) + 1)]
        commands = {
            "validate": [*tool(), "validate", "--data-dir", str(folder)],
            "runway": [*tool(), "runway", "--data-dir", str(folder)],
            f"compare ({len(names)} companies)": [*tool(), "compare", *names, "--data-dir", str(folder)],
        }
        runs = repeat if size <= 100 else max(1, min(repeat, 3))
        cold = measure(commands, runs, env, fresh_cache=True)
        warm_env = {**env, "MINIMETRICS_CACHE_DIR": tempfile.mkdtemp(dir=root, prefix=f"warm-{size}-")}
        warm = measure(commands, runs, warm_env)
        reference.extend(measure({"imports": IMPORTS}, 1, env)["imports"].seconds)
        for name in commands:
            c, w = cold[name], warm[name]
            print(
                f"   {size:>6}  {name:<24}{secs(c.median):>10}{ms(c.median / size):>11}"
                f"{secs(w.median):>10}{ms(w.median / size):>11}{mib(c.peak_kb) + ' / ' + mib(w.peak_kb):>18}"
                f"   ({runs} run{'s' * (runs != 1)})",
                flush=True,
            )
            if size == 1000 and name != "validate":
                verdicts.append(
                    f"   {name} on 1,000 sheets: cold {secs(c.median)} (≤ {COLD_BOUND:g} s {verdict(c.median <= COLD_BOUND, quick)}),"
                    f" warm {secs(w.median)} (≤ {WARM_BOUND:g} s {verdict(w.median <= WARM_BOUND, quick)})"
                )
    print(f"   reference: python -c {' '.join(IMPORTS[2:])!r}, median {ms(statistics.median(reference))}")
    if verdicts:
        print("\n".join(verdicts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,100,1000", help="numbers of synthetic sheets, comma-separated")
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per command (3 at most from 1,000 sheets)")
    parser.add_argument("--quick", action="store_true", help="CI smoke: the smallest size, one run each, no verdicts")
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
        f"{platform.system()} {platform.machine()} · {os.cpu_count()} CPUs · medians of {repeat} runs"
    )
    with tempfile.TemporaryDirectory(prefix="minimetrics-bench-") as scratch:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MINIMETRICS_")}
        env |= {"BENCH_TMP": scratch, "MINIMETRICS_CACHE_DIR": str(Path(scratch) / "cache")}
        try:
            startup(repeat, env, args.quick)
            scale(sizes, repeat, env, args.quick)
        except CommandFailed as failure:
            print(f"\nerror: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
