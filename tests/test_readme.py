"""The README's examples are real. Every `$ minimetrics …` line in a console block is run (a
leading `COLUMNS=80` sets that variable for the run) and the lines under it must be what it
prints today (`| head -N` keeps the first N lines). The JSON example of one fact must be that
fact. `UPDATE_GOLDEN=1` rewrites them from the current output."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from minimetrics import cli
from minimetrics.dataset import check_files
from minimetrics.registry import METRICS

README_PATH = Path(__file__).parent.parent / "README.md"
CONSOLE = re.compile(r"```console\n(.*?)```\n", flags=re.S)
METRIC_TABLE = re.compile(r"<!-- metrics -->\n.*?<!-- /metrics -->", flags=re.S)
FACT = re.compile(r"```json\n<!-- fact: (\w+) (\S+) (\S+) -->\n(.*?)```\n", flags=re.S)


COMMAND = re.compile(r"\$ (?:[A-Z_]+=\S* )*minimetrics\b")


def _run(command: str) -> list[str]:
    """What a `$ [VAR=value …] minimetrics …` line prints (stdout, then stderr), `| head -N`
    applied; the variables are set for the run (e.g. COLUMNS=80)."""
    words, _, tail = command.partition("|")
    tokens = shlex.split(words)
    program = tokens.index("minimetrics")
    env = dict(a.split("=", 1) for a in tokens[:program])
    result = CliRunner().invoke(cli.app, tokens[program + 1 :], env=env)
    lines = [line.rstrip() for line in (result.stdout + result.stderr).splitlines()]
    head = re.match(r"\s*head -(\d+)\s*$", tail)
    return lines[: int(head[1])] if head else lines


def _console_block(match: re.Match[str]) -> str:
    out: list[str] = []
    for line in match[1].splitlines():
        if COMMAND.match(line):
            out += [line, *_run(line[2:])]
    return "```console\n" + "\n".join(out) + "\n```\n"


def _fact_block(match: re.Match[str]) -> str:
    company, metric, period = match[1], match[2], match[3]
    data = json.loads(CliRunner().invoke(cli.app, ["show", company, "--format", "json"]).stdout)
    fact = next(f for f in data["facts"] if f["metric"] == metric and f["period"] == period and not f["segment"])
    text = json.dumps(fact, ensure_ascii=False, indent=2)
    return f"```json\n<!-- fact: {company} {metric} {period} -->\n{text}\n```\n"


def _metric_table(_: re.Match[str]) -> str:
    rows = ["| metric | kind | unit | sign | definition |", "|---|---|---|---|---|"]
    for m in METRICS.values():
        sign = "≥ 0" if m.sign.value == "non_negative" else "signed"
        rows.append(f"| `{m.name}` | {m.kind.value} | {m.family.value.replace('_', ' ')} | {sign} | {m.definition} |")
    return "<!-- metrics -->\n" + "\n".join(rows) + "\n<!-- /metrics -->"


CORPUS_TABLE = re.compile(r"<!-- corpus -->\n.*?<!-- /corpus -->", flags=re.S)
BAD = README_PATH.parent / "tests" / "bad"


def _corpus_table(_: re.Match[str]) -> str:
    """Each file of tests/bad/ with what validate says first about it (fx_* read as fx.yaml)."""
    rows = ["| tests/bad/ | kind | what `minimetrics validate` says |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(BAD.glob("*.yaml")):
            target = path
            if path.stem.startswith("fx_"):
                target = Path(tmp) / "fx.yaml"
                shutil.copy(path, target)
            problems = check_files([target], date(2026, 11, 24))
            first = next(p for p in problems if p.is_error) if any(p.is_error for p in problems) else problems[0]
            message = (first.message + (f" — {first.hint}" if first.hint else "")).replace("|", r"\|")
            rows.append(f"| `{path.name}` | {first.severity.value} | {message} |")
    return "<!-- corpus -->\n" + "\n".join(rows) + "\n<!-- /corpus -->"


def _current_readme(text: str) -> str:
    text = CORPUS_TABLE.sub(_corpus_table, text)
    text = METRIC_TABLE.sub(_metric_table, text)
    return FACT.sub(_fact_block, CONSOLE.sub(_console_block, text))


def test_readme_examples_are_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(README_PATH.parent)
    written = README_PATH.read_text(encoding="utf-8")
    current = _current_readme(written)
    if os.environ.get("UPDATE_GOLDEN"):
        README_PATH.write_text(current, encoding="utf-8")
        written = current
    assert len(CONSOLE.findall(written)) >= 4 and FACT.search(written)
    assert written == current, "README examples are stale; run UPDATE_GOLDEN=1 pytest tests/test_readme.py"


def test_the_two_setup_commands_are_marked_for_ci() -> None:
    text = README_PATH.read_text(encoding="utf-8")
    assert text.count("<!-- ci:run -->") == 1 and text.count("<!-- ci:test -->") == 1


def test_every_metric_is_documented() -> None:
    text = README_PATH.read_text(encoding="utf-8")
    assert [name for name in METRICS if f"| `{name}` |" not in text] == []


GITHUB_ACTIONS = re.compile(r"<!-- github-actions -->\n```yaml\n(.*?)```\n", flags=re.S)


def test_the_github_actions_example_runs_as_written(tmp_path: Path) -> None:
    """Every `minimetrics` line of the workflow, run by a shell in a scratch folder with the
    installed tool: each step's exit code is 0 on the shipped data, the job summary gets the
    Markdown report and the HTML artifact is written."""
    match = GITHUB_ACTIONS.search(README_PATH.read_text(encoding="utf-8"))
    assert match, "README.md lacks the GitHub Actions example"
    steps = yaml.safe_load(match.group(1))["jobs"]["report"]["steps"]
    lines = [
        line for step in steps for line in str(step.get("run", "")).splitlines() if line.startswith("minimetrics ")
    ]
    assert any("--fail-under" in line for line in lines) and any("GITHUB_STEP_SUMMARY" in line for line in lines)
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    for line in lines:
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{line}: {done.stderr}"
    assert summary.read_text(encoding="utf-8").startswith("# minimetrics report: minimax vs zhipu")
    assert (tmp_path / "minimetrics-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
