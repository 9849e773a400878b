"""The README's "Add a company" walkthrough runs as written, in a scratch folder.

Each ```shell block after a `<!-- walkthrough -->` mark is run in order in one folder (so each
block starts where the last ended); a `<!-- file: NAME -->` block is written to NAME there first.
`$ mkdir DIR` makes the folder; a `$ minimetrics …` line runs the command, and the lines under it
must be what it prints today (stdout, then stderr). `UPDATE_GOLDEN=1` rewrites them.
"""

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from minimetrics import cli
from minimetrics.folders import bundled_data_dir

README_PATH = Path(__file__).parent.parent / "README.md"
INSTALLED = ".../site-packages/minimetrics/datasets"
BLOCK = re.compile(r"<!-- (walkthrough|file: (\S+)) -->\n```(\w+)\n(.*?)```\n", flags=re.S)


def _run(line: str, folder: Path) -> list[str]:
    words = shlex.split(line)
    if words[0] == "mkdir":
        (folder / words[1]).mkdir()
        return []
    result = CliRunner().invoke(cli.app, words[1:])
    # The bundled sheets' folder is where this machine has them; the README shows where an
    # installed package keeps them.
    shown = (result.stdout + result.stderr).replace(str(bundled_data_dir()), INSTALLED)
    return [text.rstrip() for text in shown.splitlines()]


def _current(text: str, folder: Path) -> str:
    def block(match: re.Match[str]) -> str:
        if match[2]:  # a file the walkthrough uses
            (folder / match[2]).write_text(match[4], encoding="utf-8")
            return match[0]
        out: list[str] = []
        for line in match[4].splitlines():
            if line.startswith("$ "):
                out += [line, *_run(line[2:], folder)]
        return f"<!-- walkthrough -->\n```{match[3]}\n" + "\n".join(out) + "\n```\n"

    return BLOCK.sub(block, text)


def test_the_walkthrough_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    written = README_PATH.read_text(encoding="utf-8")
    current = _current(written, tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        README_PATH.write_text(current, encoding="utf-8")
        written = current
    assert written.count("<!-- walkthrough -->") >= 4
    assert written == current, "the walkthrough is stale; run UPDATE_GOLDEN=1 pytest tests/test_walkthrough.py"
    sheet = (tmp_path / "my-sheets" / "lumen.yaml").read_text(encoding="utf-8")
    assert sheet.startswith("# yaml-language-server: $schema=./factsheet.schema.json\n")
    assert (tmp_path / "my-sheets" / "factsheet.schema.json").is_file()
    assert "revenu:" not in sheet and "nobody" not in sheet  # the refused figure and the dry run wrote nothing
