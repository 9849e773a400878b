"""What each command imports: start-up is kept fast by not loading what a command does not use.

Each case runs the command line in a fresh interpreter and lists the modules it loaded; no
test here measures a time (benchmarks/run.py does).
"""

import subprocess
import sys

import pytest


def _loaded(*args: str) -> set[str]:
    """The modules loaded by ``minimetrics ARGS`` run in a fresh interpreter (stdout discarded)."""
    code = (
        "import io, sys, runpy\n"
        f"sys.argv = ['minimetrics', *{list(args)!r}]\n"
        "out, sys.stdout = sys.stdout, io.StringIO()\n"
        "try:\n    runpy.run_module('minimetrics', run_name='__main__')\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        "sys.stdout = out\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(shown.stdout.split())


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_table_or_markdown_loads_no_json_or_csv_writer(fmt: str) -> None:
    loaded = _loaded("compare", "minimax", "zhipu", "--format", fmt)
    assert "minimetrics.render.machine" not in loaded
    assert ("minimetrics.render.markdown" in loaded) == (fmt == "markdown")


def test_list_loads_no_pandas_no_ecb_data_and_only_the_table_writer() -> None:
    loaded = _loaded("list")
    assert "minimetrics.render.terminal" in loaded  # the code above did write the table
    for unused in ("pandas", "zipfile", "minimetrics.render.machine", "minimetrics.render.markdown"):
        assert unused not in loaded, unused


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_load_the_machine_writer(fmt: str) -> None:
    loaded = _loaded("list", "--format", fmt)
    assert "minimetrics.render.machine" in loaded
    assert "minimetrics.render.markdown" not in loaded
