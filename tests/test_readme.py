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
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from minimetrics import cli
from minimetrics.dataset import check_files
from minimetrics.factsheet import read_sheet
from minimetrics.registry import METRICS
from minimetrics.schema import json_schema

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


# --- The fact-sheet format: the example sheet and the reference tables ------------------------

EXAMPLE_SHEET = re.compile(r"<!-- example-sheet -->\n```yaml\n(.*?)```\n", flags=re.S)
SHIPPED = README_PATH.parent / "datasets" / "minimax.yaml"


def _format_section() -> str:
    text = README_PATH.read_text(encoding="utf-8")
    start = text.index("\n## The fact-sheet format\n")
    return text[start : text.index("\n## ", start + 1)]


def _example_sheet() -> str:
    match = EXAMPLE_SHEET.search(_format_section())
    assert match, "README.md lacks the example sheet under <!-- example-sheet -->"
    return match[1]


def test_the_example_sheet_validates_as_written(tmp_path: Path) -> None:
    # Copied as written into a file named for its id, the example reads with no problem at all
    # (no warning either), and `validate --strict` passes on it.
    path = tmp_path / "minimax.yaml"
    path.write_text(_example_sheet(), encoding="utf-8")
    sheet, problems = read_sheet(path)
    assert [str(p) for p in problems] == []
    assert sheet is not None
    assert [s.id for s in sheet.sources] == ["netease_20260109", "aisilicon_20260109", "stockanalysis_20260121"]
    assert len(sheet.facts) == 8  # revenue ×2, revenue[open_platform], net_loss, intraday ×2, founded ×2
    result = CliRunner().invoke(cli.app, ["validate", "--strict", "--as-of", "2026-11-24", str(path)])
    assert (result.exit_code, result.stderr.strip()) == (0, "0 errors, 0 warnings")


def test_the_example_sheet_is_an_excerpt_of_the_shipped_sheet() -> None:
    # Every company field, source and report of the example is as datasets/minimax.yaml has it,
    # so the README shows nothing (an alias, a figure) the data lacks.
    example, _ = read_sheet(Path("minimax.yaml"), _example_sheet().encode("utf-8"))
    shipped, _ = read_sheet(SHIPPED)
    assert example is not None and shipped is not None
    same = ("id", "name", "native_name", "legal_name", "aliases", "tickers", "listed", "currency", "fiscal_year_end")
    assert {f: getattr(example.company, f) for f in same} == {f: getattr(shipped.company, f) for f in same}
    assert set(example.company.segments) <= set(shipped.company.segments)
    for source in example.sources:  # an excerpt may leave a source's note out
        original = shipped.source(source.id)
        assert replace(source, line=0) == replace(original, line=0, note=source.note and original.note)
    for fact in example.facts:
        kept = shipped.fact(fact.key, fact.period.label)
        assert kept is not None, f"{fact.key} {fact.period.label}"
        kept_reports = [replace(r, line=0) for r in kept.reports]
        assert all(replace(r, line=0) in kept_reports for r in fact.reports), f"{fact.key} {fact.period.label}"


def test_the_format_section_counts_the_top_level_keys_right() -> None:
    section = _format_section()
    keys = json_schema()["properties"]
    assert list(keys) == ["company", "sources", "facts"]
    assert "A sheet has three top-level keys" in section and "four top-level keys" not in section


def _reference_table(heading: str) -> dict[str, str]:
    """The README's table under ``### heading`` in the format section: field → required."""
    section = _format_section()
    start = section.index(f"\n### {heading}\n")
    block = section[start : section.find("\n#", start + 1)]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", block, flags=re.M)
    assert rows, f"no table under ### {heading}"
    return {field: required.strip() for field, required in rows}


def _schema_objects() -> dict[str, dict[str, Any]]:
    schema = json_schema()["properties"]
    report = schema["facts"]["additionalProperties"]["additionalProperties"]["oneOf"][0]
    return {
        "Company": schema["company"],
        "Sources": schema["sources"]["additionalProperties"],
        "Reports": report,
    }


@pytest.mark.parametrize("heading", ["Company", "Sources", "Reports"])
def test_the_format_tables_name_exactly_the_schemas_fields(heading: str) -> None:
    # Each field the README's table names is a property of `minimetrics schema`'s object, and
    # each property has a row; a field the schema requires reads "yes" (or "yes …" with its
    # exception), one it does not require is never a bare "yes".
    table = _reference_table(heading)
    obj = _schema_objects()[heading]
    assert sorted(table) == sorted(obj["properties"])
    required = set(obj["required"])
    assert [f for f in required if not table[f].startswith("yes")] == []
    assert [f for f, r in table.items() if r == "yes" and f not in required] == []


def test_the_cli_schema_is_the_one_the_tables_are_checked_against() -> None:
    result = CliRunner().invoke(cli.app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema()


# --- Set-up: minimetrics on the PATH ----------------------------------------------------------

ACTIVATE = re.compile(r"^source (\S+)", flags=re.M)


def test_the_setup_says_how_to_put_minimetrics_on_the_path(tmp_path: Path) -> None:
    # The line the README gives, run by bash in the environment the tests run in (a venv made
    # by the set-up commands): afterwards a bare `minimetrics` is this installation's.
    text = README_PATH.read_text(encoding="utf-8")
    setup = text[text.index("## Set-up on a fresh machine") : text.index("\n## Commands")]
    found = ACTIVATE.search(setup)
    assert found and found[1] == ".venv/bin/activate"
    if sys.prefix == sys.base_prefix or not (Path(sys.prefix) / "bin" / "activate").is_file():
        pytest.skip("the tests do not run in a virtual environment")
    (tmp_path / ".venv").symlink_to(sys.prefix)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["bash", "-c", f"{found[0]} && command -v minimetrics && minimetrics --version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    where = Path(done.stdout.splitlines()[0])
    assert where.parent.resolve() == (Path(sys.prefix) / "bin").resolve()
