"""Property-based tests: random and mutated fact sheets never crash the loader or a command.

Every example must end in a documented exit code (0, 1 or 2; never 70, the internal-error
code), JSON output never holds NaN or Infinity, and the computing commands never print "nan"
or "inf". CI runs a few examples a property; `HYPOTHESIS_PROFILE=long` runs thousands.
"""

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from minimetrics import cli
from minimetrics.factsheet import read_fx, read_sheet

DATASETS = Path(__file__).parent.parent / "datasets"
SHEETS = {name: (DATASETS / f"{name}.yaml").read_text(encoding="utf-8") for name in ("minimax", "zhipu")}
FX = (DATASETS / "fx.yaml").read_text(encoding="utf-8")

# CI is derandomized so a run is repeatable; the long profile searches widely.
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

YAML_BITS = [
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a",
    "*a",
    "!!str ",
    "|",
    ">",
    "'",
    '"',
    "#",
    "%",
    "@",
    "`",
    "\t",
    "\n",
    "  ",
    "---\n",
    "...",
    "null",
    "~",
    "yes",
    "NO",
    ".nan",
    "-.inf",
    "1e999",
    "0x1F",
    "010",
    "1:30",
    "1,234",
    "−5",
    "３",
    "2025-02-30",
    "FY20",
    "9M2025",
    "H1-2025",
    "2022-01-01/2025-09-30",
    "USD 萬",
    "percent",
    "not disclosed",
    "[bold]",
    "\x00",
    "\ufeff",
    "\u202e",
    "revenue[",
    "source: ",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped sheet with a few random edits: lines dropped, repeated, swapped or spliced."""
    name = draw(st.sampled_from(sorted(SHEETS)))
    lines = SHEETS[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "repeat", "swap", "splice", "number"]))
        if action == "drop":
            del lines[i]
        elif action == "repeat":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "splice":
            at = draw(st.integers(0, len(lines[i])))
            bit = draw(st.sampled_from(YAML_BITS) | st.text(max_size=6))
            lines[i] = lines[i][:at] + bit + lines[i][at:]
        else:
            number = draw(st.sampled_from(["0", "-1", "1e14", "99999999999999", "0.0001", "-0", "100.0", "7"]))
            lines[i] = re.sub(r"value: [^,}]+", f"value: {number}", lines[i], count=1)
        if not lines:
            break
    return name, "".join(lines)


@given(st.binary(max_size=2_000))
def test_random_bytes_never_crash_the_loader(data: bytes) -> None:
    for reader in (read_sheet, read_fx):
        result, problems = reader(Path("random.yaml"), data)
        assert result is not None or any(p.is_error for p in problems)


@given(mutated())
def test_mutated_sheets_never_crash_the_loader(case: tuple[str, str]) -> None:
    name, text = case
    sheet, problems = read_sheet(Path(f"{name}.yaml"), text.encode("utf-8", "surrogatepass"))
    assert sheet is not None or any(p.is_error for p in problems)
    assert all(p.message for p in problems)


COMMANDS = [
    ["validate"],
    ["list"],
    ["show", "minimax"],
    ["show", "zhipu"],
    ["compare", "minimax", "zhipu"],
    ["growth"],
    ["margins"],
    ["runway", "--detail"],
    ["claims"],
    ["explain", "minimax", "runway"],
    ["explain", "zhipu", "revenue_growth"],
]
COMPUTING = {"compare", "growth", "margins", "runway", "claims"}


def _run_on_mutated(case: tuple[str, str], args: list[str]) -> Result:
    """Run a command on a data folder holding the mutated sheet, the other shipped ones and fx.yaml."""
    name, text = case
    folder = Path(tempfile.mkdtemp())
    try:
        for other, original in SHEETS.items():
            (folder / f"{other}.yaml").write_text(
                text if other == name else original, encoding="utf-8", errors="surrogatepass"
            )
        (folder / "fx.yaml").write_text(FX, encoding="utf-8")
        return CliRunner().invoke(cli.app, [*args, "--data-dir", str(folder)])
    finally:
        shutil.rmtree(folder)


@settings(max_examples=int(os.environ.get("COMMAND_EXAMPLES", "15")))
@given(mutated(), st.sampled_from(COMMANDS), st.sampled_from(["table", "json", "csv"]))
def test_commands_on_mutated_data_end_in_a_documented_way(case: tuple[str, str], command: list[str], fmt: str) -> None:
    args = [*command] if command[0] == "validate" else [*command, "--format", fmt]
    result = _run_on_mutated(case, args)
    assert result.exit_code in (cli.EXIT_OK, cli.EXIT_DATA, cli.EXIT_USAGE), (args, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    if result.exit_code == 0 and fmt == "json" and command[0] != "validate":
        text_out = result.stdout
        json.loads(text_out)
        assert "NaN" not in text_out and "Infinity" not in text_out
    if result.exit_code == 0 and command[0] in COMPUTING and fmt == "table":
        assert not re.search(r"\b(nan|inf|infinity)\b", result.stdout, re.IGNORECASE), result.stdout


@settings(max_examples=int(os.environ.get("COMMAND_EXAMPLES", "15")))
@given(mutated(), st.sampled_from(["markdown", "html", "json"]))
def test_the_report_on_mutated_data_ends_in_a_documented_way(case: tuple[str, str], fmt: str) -> None:
    result = _run_on_mutated(case, ["report", "--format", fmt, "--as-of", "2026-11-24"])
    assert result.exit_code in (cli.EXIT_OK, cli.EXIT_DATA, cli.EXIT_USAGE), (result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    if result.exit_code == 0 and fmt == "json":
        assert "NaN" not in result.stdout and "Infinity" not in result.stdout
        json.loads(result.stdout)
    if result.exit_code == 0 and fmt != "json":
        # Numbers in the document are formatted; a NaN or infinity never reaches a cell or a bar.
        assert not re.search(r"\b(nan|inf|infinity)\b|data-value=\"nan", result.stdout, re.IGNORECASE)
