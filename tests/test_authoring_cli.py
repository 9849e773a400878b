"""`new`, `add`, `add-source` and `import` as a user runs them, on temporary copies of the fixture
sheets: the bytes outside the inserted lines kept, atomic writes, and each refusal leaving the
file as it was."""

import difflib
import os
import shutil
from pathlib import Path

import pytest
from test_cli import FIXTURES, run

from minimetrics.factsheet import read_sheet


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "sheets"
    shutil.copytree(FIXTURES, target)
    return target


def _inserted_only(before: str, after: str) -> list[str]:
    """The lines ``after`` adds; fails if any line of ``before`` changed or went."""
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, before.splitlines(True), after.splitlines(True)
    ).get_opcodes():
        assert tag in ("equal", "insert"), (tag, before.splitlines(True)[i1:i2], after.splitlines(True)[j1:j2])
        added += after.splitlines(True)[j1:j2] if tag == "insert" else []
    return added


def test_add_inserts_one_line_and_keeps_every_other_byte(folder: Path) -> None:
    path = folder / "alpha.yaml"
    before = path.read_text(encoding="utf-8")
    result = run("add", "alpha", "rd_expense", "FY2025", "61.5", "USD million", "--source", "prospectus_20251220",
                 "--note", "a test figure", "--data-dir", str(folder))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (f"added rd_expense FY2025 61.5 USD million [prospectus_20251220] to {path}\n")
    added = _inserted_only(before, path.read_text(encoding="utf-8"))
    assert [line.strip() for line in added] == [  # alpha had no rd_expense: the metric and its period
        "rd_expense:",
        "FY2025: {value: 61.5, unit: USD million, source: prospectus_20251220, note: a test figure}",
    ]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_add_source_then_a_conflicting_figure_is_added_and_shown(folder: Path) -> None:
    path = folder / "alpha.yaml"
    declared = run("add-source", "alpha", "daily_20260305", "--outlet", "Daily", "--title", "Alpha's year",
                   "--published", "2026-03-05", "--rank", "1", "--data-dir", str(folder))  # fmt: skip
    assert declared.exit_code == 0, declared.stderr
    before = path.read_text(encoding="utf-8")
    # alpha's FY2024 revenue is 250 (USD million) from its prospectus, rank 1; 275 from a rank-1 source disagrees.
    added = run("add", "alpha", "revenue", "FY2024", "275", "USD million", "--source", "daily_20260305",
                "--data-dir", str(folder))  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert "conflict:" in added.stderr and "revenue FY2024" in added.stderr
    sheet, _ = read_sheet(path)
    assert sheet is not None
    fact = sheet.fact("revenue", "FY2024")
    assert fact is not None and fact.conflict
    # FY2024 is already a list (250 from the prospectus, ~300 from a rumour): the new report is its third item.
    added_lines = _inserted_only(before, path.read_text(encoding="utf-8"))
    assert [line.strip() for line in added_lines] == ["- {value: 275, unit: USD million, source: daily_20260305}"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("alpha", "revenu", "FY2025", "1", "USD million", "--source", "prospectus_20251220"),
            'did you mean "revenue"',
        ),
        (("alpha", "revenue", "FY25", "1", "USD million", "--source", "prospectus_20251220"), 'unknown period "FY25"'),
        (("alpha", "revenue", "FY2025", "1", "UST million", "--source", "prospectus_20251220"), 'did you mean "USD"'),
        (("alpha", "revenue", "FY2025", "1", "USD million", "--source", "prospectus_2025122"), "unknown source"),
        (("alpah", "revenue", "FY2025", "1", "USD million", "--source", "prospectus_20251220"), 'did you mean "alpha"'),
    ],
)
def test_add_refuses_unknown_names_with_exit_2_and_writes_nothing(
    folder: Path, args: tuple[str, ...], message: str
) -> None:
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run("add", *args, "--data-dir", str(folder))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == snapshot


def test_a_sheet_with_errors_is_refused_with_its_errors(folder: Path) -> None:
    path = folder / "alpha.yaml"
    broken = path.read_text(encoding="utf-8").replace("  revenue:", "  revenu:", 1)
    path.write_text(broken, encoding="utf-8")
    result = run("add", "alpha", "rd_expense", "FY2025", "1", "USD million", "--source", "prospectus_20251220",
                 "--data-dir", str(folder))  # fmt: skip
    assert result.exit_code == 1
    assert 'unknown metric "revenu"' in result.stderr and "1 error; nothing was computed" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_new_never_overwrites_and_needs_a_folder(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (folder / "alpha.yaml").read_bytes()
    result = run("new", "alpha", "--name", "Other", "--currency", "USD", "--data-dir", str(folder))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (folder / "alpha.yaml").read_bytes() == before
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    monkeypatch.chdir(empty)
    nowhere = run("new", "lumen", "--name", "Lumen", "--currency", "USD")
    assert nowhere.exit_code == 2
    assert nowhere.stderr.startswith("error: no data folder to write into — give --data-dir FOLDER")
    monkeypatch.setenv("MINIMETRICS_DATA", os.pathsep.join([str(folder), str(empty)]))
    made = run("new", "lumen", "--name", "Lumen", "--currency", "USD", "--ticker", "02000.HK", "--founded", "2023")
    assert made.exit_code == 0, made.stderr
    assert (folder / "lumen.yaml").is_file() and (folder / "factsheet.schema.json").is_file()
    assert run("validate", str(folder / "lumen.yaml")).exit_code == 0


def test_an_interrupted_write_leaves_the_old_file_whole(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder / "alpha.yaml"
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    result = run("add", "alpha", "rd_expense", "FY2025", "1", "USD million", "--source", "prospectus_20251220",
                 "--data-dir", str(folder))  # fmt: skip
    assert result.exit_code != 0
    assert path.read_bytes() == before
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


TABLE = """company,metric,period,value,unit,currency,scale,source_url,outlet,published
alpha,rd_expense,FY2025,61.5,amount,USD,million,https://example.com/a,Example,2026-03-05
{second}
"""


def test_import_dry_run_writes_nothing_and_a_full_import_writes(folder: Path) -> None:
    table = folder.parent / "figures.csv"
    table.write_text(
        TABLE.format(second="alpha,employees,2025-12-31,400,headcount,,,https://example.com/a,Example,2026-03-05")
    )
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir()}
    dry = run("import", str(table), "--dry-run", "--data-dir", str(folder))
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout.startswith("2 report(s) to add, 1 new source(s)\n")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == snapshot
    done = run("import", str(table), "--data-dir", str(folder))
    assert done.exit_code == 0, done.stderr
    assert "wrote 1 sheet in" in done.stderr
    assert run("validate", "--data-dir", str(folder)).exit_code == 0


def test_import_with_an_unmapped_row_lists_it_and_writes_nothing(folder: Path) -> None:
    table = folder.parent / "figures.csv"
    table.write_text(TABLE.format(second="alpha,revenu,FY2025,1,amount,USD,million,,Example,2026-03-05"))
    snapshot = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run("import", str(table), "--data-dir", str(folder))
    assert result.exit_code == 2
    assert '  unknown metric (1):\n    line 3: "revenu"; did you mean "revenue"' in result.stdout
    assert "1 rows do not map; nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == snapshot
