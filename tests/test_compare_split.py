"""compare of more companies than the width holds: several tables, each with the row labels,
never a company's column squeezed to a character or to nothing (issue 16's compare of 20)."""

import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minimetrics import cli

REPO = Path(__file__).parent.parent
runner = CliRunner()


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import synth  # type: ignore[import-not-found, unused-ignore]
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    folder = tmp_path_factory.mktemp("twelve")
    synth.generate(folder, 12)
    return folder


def _compare(folder: Path, width: int) -> str:
    names = [f"synth{i:04d}" for i in range(1, 13)]
    args = ["compare", *names, "--as-of", "2026-06-30", "--no-bundled", "--data-dir", str(folder)]
    result = runner.invoke(cli.app, args, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("width", [60, 80, 132])
def test_every_company_has_a_whole_column_in_every_section(twelve: Path, width: int) -> None:
    out = _compare(twelve, width)
    # The tables' header lines (nothing but company names): each company once per section
    # (the full year, the latest periods, the runway, the valuation…), in order, never folded
    # ("s / y / n…"), whichever tables a section takes.
    headers = [line.split() for line in out.splitlines() if re.fullmatch(r"(\s+synth\d{4})+", line)]
    names = [f"synth{i:04d}" for i in range(1, 13)]
    shown = [name for line in headers for name in line]
    assert len(shown) >= 3 * len(names)
    assert shown == names * (len(shown) // len(names)), width
    for line in out.splitlines():
        assert len(line) <= width


def test_the_tables_that_do_not_fit_are_continued(twelve: Path) -> None:
    # 12 companies of ~11 characters each (a value, a note mark) beside the labels: at 80
    # columns five fit a table (12 = 5 + 5 + 2), at 132 more; the first table keeps the title.
    narrow, wide = _compare(twelve, 80), _compare(twelve, 132)
    assert narrow.count("Full year FY2025 (continued)") == 2
    assert wide.count("Full year FY2025 (continued)") < narrow.count("Full year FY2025 (continued)")
