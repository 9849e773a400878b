"""Data folders on the command line: --data-dir repeated, $MINIMETRICS_DATA as a path list,
--no-bundled, a company in two folders, a broken sheet beside a named company, and the notes
list and validate write on stderr."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_sheet
from typer.testing import CliRunner, Result

import minimetrics
from minimetrics import cli

REVENUE = "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli.app, list(args), env=env)


def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two folders: ``one`` holds acme, ``two`` holds beta."""
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write_sheet(one, REVENUE, company_id="acme")
    write_sheet(two, REVENUE, company_id="beta")
    return one, two


def ids(result: Result) -> list[str]:
    return [row["id"] for row in json.loads(result.stdout)]


def test_two_data_dirs_are_read_in_order(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    result = run("list", "--format", "json", "--no-bundled", "--data-dir", str(two), "--data-dir", str(one))
    assert result.exit_code == 0, result.stderr
    assert ids(result) == ["beta", "acme"]  # the order the folders were given
    assert result.stderr == f"data folders: {two} (1 sheet), {one} (1 sheet)\n"


def test_the_environment_holds_a_path_list(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    env = {"MINIMETRICS_DATA": os.pathsep.join([str(one), str(two)])}
    result = run("list", "--format", "json", "--no-bundled", env=env)
    assert result.exit_code == 0, result.stderr
    assert ids(result) == ["acme", "beta"]


def test_data_dir_replaces_the_environment(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    result = run("list", "--format", "json", "--no-bundled", "--data-dir", str(two), env={"MINIMETRICS_DATA": str(one)})
    assert ids(result) == ["beta"]


def test_the_bundled_sheets_come_first(tmp_path: Path) -> None:
    one, _ = folders(tmp_path)
    result = run("list", "--format", "json", "--data-dir", str(one))
    assert ids(result) == ["minimax", "zhipu", "acme"]
    assert result.stderr.endswith(f"(bundled, 2 sheets), {one} (1 sheet)\n")


@pytest.mark.parametrize("command", [["list"], ["validate"], ["show", "minimax"], ["runway"]])
def test_no_bundled_alone_is_a_usage_error(command: list[str]) -> None:
    result = run(*command, "--no-bundled")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no data folder to read: --no-bundled leaves the bundled sheets out"
        " — add a folder with --data-dir FOLDER or $MINIMETRICS_DATA\n"
    )


def test_a_company_in_two_folders_names_both_files(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    write_sheet(two, REVENUE, company_id="acme")
    result = run("show", "acme", "--no-bundled", "--data-dir", str(one), "--data-dir", str(two))
    assert result.exit_code == 1
    assert f'company id "acme" is defined in two files: {one / "acme.yaml"} and {two / "acme.yaml"}' in result.stderr
    assert "keep one of the two" in result.stderr
    assert run("list", "--no-bundled", "--data-dir", str(one), "--data-dir", str(two)).exit_code == 1
    # A command about another company runs, with the note that both acme sheets were left out.
    other = run("show", "beta", "--no-bundled", "--data-dir", str(one), "--data-dir", str(two))
    assert other.exit_code == 0
    assert other.stderr == "note: 2 other sheets have errors and were left out: minimetrics validate lists them\n"


def test_validate_says_which_folders_it_read(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    result = run("validate", "--no-bundled", "--data-dir", str(one), "--data-dir", str(two))
    assert result.exit_code == 0
    # First the folders, then the problems: each sheet declares two sources it does not cite.
    assert result.stderr.startswith(f"data folders: {one}, {two}\n")
    assert result.stderr.endswith("\n0 errors, 4 warnings\n")


def test_validate_of_named_paths_says_no_folders(tmp_path: Path) -> None:
    one, _ = folders(tmp_path)
    result = run("validate", str(one / "acme.yaml"))
    assert "data folder" not in result.stderr
    assert result.stderr.endswith("\n0 errors, 2 warnings\n")


def test_quiet_keeps_the_notes_off_stderr(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    for command in ("list", "validate"):
        result = run("--quiet", command, "--no-bundled", "--data-dir", str(one), "--data-dir", str(two))
        assert result.exit_code == 0 and result.stderr == ""


def test_a_broken_sheet_beside_a_named_company(tmp_path: Path) -> None:
    one, _ = folders(tmp_path)
    (one / "broken.yaml").write_text("company: [\n", encoding="utf-8")
    shown = run("show", "acme", "--format", "json", "--no-bundled", "--data-dir", str(one))
    assert shown.exit_code == 0, shown.stderr
    assert shown.stderr == "note: 1 other sheet has errors and was left out: minimetrics validate lists them\n"
    assert json.loads(shown.stdout)["company"]["id"] == "acme"
    # Over every company, the broken sheet fails the command.
    listed = run("list", "--no-bundled", "--data-dir", str(one))
    assert listed.exit_code == 1
    assert "broken.yaml" in listed.stderr


def test_an_unknown_company_names_the_folders(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    result = run("show", "acmee", "--no-bundled", "--data-dir", str(one), "--data-dir", str(two))
    assert result.exit_code == 2
    assert result.stderr == (
        f'error: unknown company "acmee" in the data folders: {one}, {two}'
        ' — did you mean "acme"?; for a sheet in another folder add --data-dir FOLDER\n'
    )


def test_authoring_writes_into_the_first_user_folder(tmp_path: Path) -> None:
    one, two = folders(tmp_path)
    result = run("new", "lumen", "--name", "Lumen", "--currency", "USD", "--data-dir", str(two), "--data-dir", str(one))
    assert result.exit_code == 0, result.stderr
    assert (two / "lumen.yaml").is_file() and not (one / "lumen.yaml").exists()


def test_authoring_refuses_a_path_too_long(tmp_path: Path) -> None:
    long = tmp_path / ("x" * 300)
    result = run("new", "lumen", "--name", "Lumen", "--currency", "USD", "--data-dir", str(long))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the data folder ")
    assert "is too long for the file system — use a shorter path" in result.stderr


def test_an_empty_folder_of_the_users_is_read(tmp_path: Path) -> None:
    empty = tmp_path / "new"
    empty.mkdir()
    listed = run("list", "--format", "json", "--data-dir", str(empty))
    assert ids(listed) == ["minimax", "zhipu"]
    assert listed.stderr.endswith(f"{empty} (0 sheets)\n")
    checked = run("validate", "--data-dir", str(empty))
    assert checked.exit_code == 0, checked.stderr
    assert checked.stderr.endswith(f"(bundled), {empty}\n0 errors, 0 warnings\n")
    alone = run("validate", "--no-bundled", "--data-dir", str(empty))
    assert alone.exit_code == 1
    assert "the folder holds no .yaml files" in alone.stderr


def test_help_loads_neither_the_results_nor_their_writers() -> None:
    # `minimetrics --help` builds its options from light modules; the result classes, their
    # writers, the data and pandas load with the commands that use them.
    code = "import sys, runpy; sys.argv = ['minimetrics', '--help']\n"
    code += "try:\n    runpy.run_module('minimetrics', run_name='__main__')\nexcept SystemExit:\n    pass\n"
    code += "print(sorted(m for m in sys.modules if m.startswith('minimetrics')))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = shown.stdout.strip().splitlines()[-1]
    for heavy in ("minimetrics.results", "minimetrics.render", "minimetrics.authoring", "minimetrics.dataset"):
        assert f"'{heavy}'" not in loaded
    assert "'minimetrics.cli'" in loaded  # the code above did run the command line


def test_the_library_reads_the_folders_the_command_line_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = folders(tmp_path)
    assert minimetrics.load_data([one, two]).ids == ["acme", "beta"]
    monkeypatch.setenv("MINIMETRICS_DATA", os.pathsep.join([str(two), str(one)]))
    assert minimetrics.load_data().ids == ["minimax", "zhipu", "beta", "acme"]  # data_dirs(): bundled first
    (one / "broken.yaml").write_text("company: [\n", encoding="utf-8")
    data = minimetrics.load_data([one, two], companies="beta")
    assert data.ids == ["acme", "beta"] and data.broken == (one / "broken.yaml",)
