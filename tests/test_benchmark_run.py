"""The benchmark's arithmetic: quartiles and the memory of a process tree (no timings asserted)."""

import os
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import run  # type: ignore[import-not-found, unused-ignore]


def test_the_spread_is_the_inclusive_quartiles() -> None:
    # Five runs 1..5 s: the inclusive quartiles are the 2nd and 4th values, 2 s and 4 s.
    assert run.Timing([5.0, 1.0, 3.0, 2.0, 4.0], 0).spread == "2.00 s–4.00 s"
    # Two runs 0.1 and 0.3 s: quartiles at a quarter and three quarters of the way, 150 and 250 ms.
    assert run.Timing([0.1, 0.3], 0).spread == "150 ms–250 ms"
    assert run.Timing([0.2], 0).spread == "one run"


def test_the_memory_of_this_process_is_counted() -> None:
    kilobytes = run._tree_kb(os.getpid())
    if kilobytes is None:  # no /proc: the benchmark falls back to the maximum resident set
        return
    assert kilobytes > 1024  # a Python process with pytest loaded holds more than 1 MiB
