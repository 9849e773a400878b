"""Property-based tests: random and mutated fact sheets never crash the loader or a command.

Every example must end in a documented exit code (0, 1 or 2; never 70, the internal-error
code), JSON output never holds NaN or Infinity, and the computing commands never print "nan"
or "inf". CI runs a few examples a property; `HYPOTHESIS_PROFILE=long` runs thousands.
"""

import json
import math
import os
import re
import shutil
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from minimetrics import cli
from minimetrics.factsheet import read_fx, read_sheet
from minimetrics.fx import parse_overrides
from minimetrics.problems import Problem, UsageError
from minimetrics.reader import Scalar, number
from minimetrics.registry import FIRST_YEAR, LAST_YEAR, parse_period, year_earlier

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
        return CliRunner().invoke(cli.app, [*args, "--no-bundled", "--data-dir", str(folder)])
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


# --- Issue 13: each class of hostile input, generated -------------------------------------

VALID = """company:
  id: acme
  name: {name}
  native_name: 阿克米
  tickers: ["00001.HK"]
  founded: 2021-12
  currency: USD
  fiscal_year_end: 12-31
sources:
  press_20260109: {{outlet: {outlet}, title: {title}, published: {published}, kind: press, rank: 2, url: {url}}}
facts:
  {metric}:
    {period}: {{value: {value}, unit: USD million, source: press_20260109, note: {note}}}
"""
FIELDS = {
    "name": "Acme",
    "outlet": "Daily",
    "title": "IPO day",
    "published": "2026-01-09",
    "url": "https://a.example/x",
}
FIELDS |= {"metric": "net_loss", "period": "FY2024", "value": "465.2", "note": "from the prospectus"}


def _sheet(**changes: str) -> tuple[object, list[Problem]]:
    return read_sheet(Path("acme.yaml"), VALID.format(**(FIELDS | changes)).encode("utf-8"))


def test_the_template_is_a_valid_sheet() -> None:
    sheet, problems = _sheet()
    assert sheet is not None and not problems


NON_ASCII_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())
REFUSED = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co"])


@given(NON_ASCII_DIGITS, st.integers(0, 3), st.sampled_from(["period", "published", "value"]))
def test_a_digit_that_is_not_ascii_is_refused_naming_it(digit: str, at: int, field: str) -> None:
    written = {"period": "FY2024", "published": "2026-01-09", "value": "465.2"}[field]
    position = [i for i, c in enumerate(written) if c.isdigit()][at]
    mutated_text = written[:position] + digit + written[position + 1 :]
    sheet, problems = _sheet(**{field: mutated_text})
    assert sheet is None
    first = next(p for p in problems if p.is_error)
    assert f"U+{ord(digit):04X}" in first.message, first
    line = (
        VALID.format(**FIELDS).splitlines().index(next(x for x in VALID.format(**FIELDS).splitlines() if written in x))
    )
    assert first.line == line + 1


@given(REFUSED, st.sampled_from(["name", "outlet", "title", "note", "url", "metric", "period"]), st.booleans())
def test_control_and_invisible_characters_are_refused_naming_the_code_point(
    character: str, field: str, escaped: bool
) -> None:
    # As a YAML escape inside double quotes, or (where YAML allows the raw character) as it is.
    raw_allowed = unicodedata.category(character) in ("Cf", "Co") and character != "\ufeff"
    inside = f"\\U{ord(character):08x}" if escaped or not raw_allowed else character
    sheet, problems = _sheet(**{field: f'"{FIELDS[field][:3]}{inside}{FIELDS[field][3:]}"'})
    assert sheet is None
    first = next(p for p in problems if p.is_error)
    assert f"U+{ord(character):04X}" in first.message, str(first)
    text = str(first)
    assert "\n" not in text and text.isprintable(), text  # one printable line, whatever the sheet held
    line = VALID.format(**FIELDS).splitlines()
    assert first.line == next(i for i, x in enumerate(line, 1) if FIELDS[field] in x)


@given(st.integers(0, 9999), st.sampled_from(["FY{:04d}", "H1-{:04d}", "9M{:04d}", "{:04d}-06", "{:04d}-06-30"]))
def test_every_year_is_read_or_refused_never_a_crash(year: int, form: str) -> None:
    label = form.format(year)
    period = parse_period(label)
    if FIRST_YEAR <= year <= LAST_YEAR:
        assert not isinstance(period, str), period
        year_earlier(period)  # arithmetic on the earliest year still works
    else:
        assert isinstance(period, str) and "outside 1900–2100" in period


@given(st.integers(0, 9999))
def test_a_year_out_of_range_is_refused_in_a_sheet(year: int) -> None:
    sheet, problems = _sheet(period=f"FY{year:04d}", published=f"{year:04d}-01-09")
    errors = [p for p in problems if p.is_error]
    if 2021 <= year <= LAST_YEAR:  # FY2021 ends after the founding (2021-12); years read to 2100
        assert sheet is not None, errors
    else:
        assert sheet is None and errors


@given(st.integers(1, 9), st.integers(-500, 500))
def test_a_number_is_read_as_written_or_refused(mantissa: int, exponent: int) -> None:
    written = f"{mantissa}e{exponent}"
    result = number(Scalar(1, 1, written, True))
    if Decimal("1e-9") <= Decimal(written) < Decimal("1e15"):  # exact: no float to overflow
        assert isinstance(result, float) and result == float(written)
    else:
        assert isinstance(result, Problem) and ("too small" in result.message or "too large" in result.message)


@given(st.text(max_size=40))
def test_a_problem_is_always_one_printable_line(text: str) -> None:
    shown = str(Problem(text, 3, 4, f'unknown metric "{text}"', f"did you mean {text}?"))
    assert "\n" not in shown and "\r" not in shown and shown.isprintable()


@given(st.integers(0, 5_000), st.sampled_from(["title", "name", "note", "outlet"]))
def test_text_longer_than_its_field_allows_is_refused(length: int, field: str) -> None:
    limit = {"title": 500, "note": 2_000}.get(field, 200)
    sheet, problems = _sheet(**{field: "x" * length or "x"})
    assert (sheet is None) == (length > limit), [str(p) for p in problems]


@given(st.lists(st.sampled_from(["..", ".", "a", "b.txt", "", "~", "C:", "\\\\", "/"]), min_size=1, max_size=5))
def test_a_source_file_never_leaves_the_sources_folder(parts: list[str]) -> None:
    written = "/".join(parts)
    yaml_text = VALID.format(**FIELDS).replace("url: https://a.example/x", f'file: "{written}"')
    sheet, _ = read_sheet(Path("acme.yaml"), yaml_text.encode("utf-8"))
    if sheet is not None and sheet.sources[0].file:
        folder = Path("/srv/sources")
        assert (folder / sheet.sources[0].file).resolve().is_relative_to(folder), written


@given(st.text(alphabet="0123456789.e+-", min_size=1, max_size=420))
def test_an_fx_override_is_a_finite_rate_or_a_usage_error(rate: str) -> None:
    try:
        rates = parse_overrides([f"USDCNY={rate}"])
    except UsageError:
        return
    value = rates[("USD", "RMB")]
    assert math.isfinite(value) and math.isfinite(1 / value) and value > 0


def test_a_forged_line_in_a_key_never_reaches_the_log_as_a_line(tmp_path: Path) -> None:
    # A key holding line breaks: before the fix, validate printed "0 errors, 0 warnings" and a
    # "::notice::" line (which GitHub Actions runs as a command) out of the sheet's own text.
    text = VALID.format(**FIELDS).replace("  net_loss:", '  "net_loss\\n0 errors, 0 warnings\\n::notice::forged":')
    (tmp_path / "acme.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["validate", str(tmp_path / "acme.yaml")])
    assert result.exit_code == cli.EXIT_DATA
    lines = result.stderr.splitlines()
    assert "0 errors, 0 warnings" not in lines and not any(x.startswith("::") for x in lines), lines
    assert lines[-1] == "1 error, 0 warnings"
    assert r'U+000A LINE FEED in "net_loss\n0 errors, 0 warnings\n::notice::forged"' in lines[0]
