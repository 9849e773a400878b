"""The commands as a user runs them: output (golden files at 100 columns, no colour),
messages on stderr, and exit codes. Regenerate goldens with UPDATE_GOLDEN=1 and review the diff."""

import json
import os
import pty
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import write_sheet
from rich.cells import cell_len
from typer.testing import CliRunner, Result

from minimetrics import cli, dataset
from minimetrics.dataset import bundled_data_dir

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


# Today for every test here (the default --as-of), so that what they expect does not age.
TODAY = date(2026, 11, 30)
# The goldens' --as-of: a day on which the fixtures' runways give each kind of row (alpha and
# beta have months left, gamma ran out on paper on 2026-01-29).
FIXTURE_DAY = "2026-02-01"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_today", lambda: TODAY)


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return runner.invoke(cli.app, list(args), env=env)


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


# The goldens are rendered from the hand-written sheets in tests/fixtures (alpha: USD,
# December year; beta: RMB, a zero base and a reviewed conflict; gamma: a year ending
# 31 March), so a fix to the shipped data rewrites none of them; the shipped data is
# checked by value in test_shipped_values.py and by the one smoke golden below.
# gamma's runway and TTM goldens (compare_march.txt, runway*.txt/json/csv/md,
# explain_runway_march.txt, explain_ttm_march.txt, growth.*) show today's December reading
# of its labels; see test_fixture_values.py for the right figures (issue 10 item 6).
FIXTURE_GOLDENS: list[tuple[tuple[str, ...], str]] = [
    (("list",), "list.txt"),
    (("list", "--format", "json"), "list.json"),
    (("list", "--format", "csv"), "list.csv"),
    (("show", "beta"), "show_beta.txt"),
    (("show", "beta", "--format", "json"), "show_beta.json"),
    (("show", "beta", "--format", "csv"), "show_beta.csv"),
    (("show", "alpha"), "show_alpha.txt"),
    (("show", "alpha", "--format", "json"), "show_alpha.json"),
    (("show", "alpha", "--format", "csv"), "show_alpha.csv"),
    (("show", "gamma"), "show_gamma.txt"),
    (("compare", "alpha", "beta"), "compare.txt"),
    (("compare", "alpha", "beta", "--format", "json"), "compare.json"),
    (("compare", "alpha", "beta", "--format", "csv"), "compare.csv"),
    (("compare", "alpha", "beta", "--format", "markdown"), "compare.md"),
    (("compare", "alpha", "beta", "--currency", "RMB", "--fx", "USDCNY=7.2"), "compare_rmb.txt"),
    (("compare", "alpha", "beta", "--period", "FY2023", "--format", "markdown"), "compare_fy2023.md"),
    (("compare", "alpha", "gamma"), "compare_march.txt"),
    (("growth",), "growth.txt"),
    (("growth", "beta", "--metric", "net_loss", "--format", "json"), "growth_beta_net_loss.json"),
    (("growth", "--format", "csv"), "growth.csv"),
    (("margins", "--format", "markdown"), "margins.md"),
    (("margins", "alpha", "--format", "json"), "margins_alpha.json"),
    (("margins", "--format", "csv"), "margins.csv"),
    (("growth", "--format", "markdown"), "growth.md"),
    (("claims", "--format", "markdown"), "claims.md"),
    (("explain", "alpha", "revenue_ttm", "--format", "csv"), "explain_ttm.csv"),
    (("explain", "gamma", "revenue_ttm"), "explain_ttm_march.txt"),
    (("explain", "alpha", "market_cap_to_revenue", "2026-01-09", "--format", "markdown"), "explain_valuation.md"),
    (("margins", "beta", "--period", "FY2024"), "margins_beta_fy2024.txt"),
    (("runway",), "runway.txt"),
    (("runway", "--detail", "--fx", "USDHKD=7.8", "--fx", "HKDRMB=0.9"), "runway_detail.txt"),
    (("runway", "--format", "json"), "runway.json"),
    (("runway", "--format", "csv"), "runway.csv"),
    (("runway", "--format", "markdown", "--burn", "net_loss", "--cash", "cash"), "runway_net_loss.md"),
    (("runway", "alpha", "--burn-growth", "5"), "runway_growth.txt"),
    (("claims",), "claims.txt"),
    (("claims", "--format", "json"), "claims.json"),
    (("claims", "beta", "--format", "csv"), "claims_beta.csv"),
    (("explain", "beta", "revenue_growth", "FY2024"), "explain_growth.txt"),
    (("explain", "alpha", "runway"), "explain_runway.txt"),
    (("explain", "gamma", "runway"), "explain_runway_march.txt"),
    (("explain", "alpha", "revenue", "FY2024"), "explain_fact.txt"),
    (("explain", "beta", "net_loss", "FY2024"), "explain_reviewed.txt"),
    (("explain", "beta", "gross_margin", "FY2024", "--format", "json"), "explain_margin.json"),
]


@pytest.mark.parametrize(("args", "golden"), FIXTURE_GOLDENS)
def test_output_matches_golden(args: tuple[str, ...], golden: str) -> None:
    result = run(*args, "--as-of", FIXTURE_DAY, "--no-bundled", "--data-dir", str(FIXTURES))
    assert result.exit_code == 0, result.stderr
    assert "\x1b[" not in result.stdout, "no colour codes outside a terminal"
    assert_golden(golden, result.stdout)


def test_shipped_data_smoke_golden() -> None:
    # One golden over the shipped sheets: every stage runs on the real data. Its figures are
    # pinned by value in test_shipped_values.py, so a data fix that changes it is expected.
    result = run("compare", "minimax", "zhipu")
    assert result.exit_code == 0, result.stderr
    assert_golden("shipped_compare.txt", result.stdout)


def test_json_carries_raw_numbers_with_units() -> None:
    data = json.loads(run("show", "zhipu", "--format", "json").stdout)
    revenue = next(f for f in data["facts"] if f["metric"] == "revenue" and f["period"] == "FY2024")
    report = revenue["reports"][0]
    # 伯虎財經: FY2024 revenue 3.124 億 RMB = 312,400,000 RMB
    assert (report["value"], report["unit"], report["currency"]) == (3.124, "RMB 億", "RMB")
    assert report["amount"] == pytest.approx(312_400_000)


@pytest.mark.parametrize("query", ["zhipu", "ZHIPU", "02513.HK", "2513", "北京智谱华章科技", "智谱", "智譜"])
def test_company_found_by_id_ticker_or_name(query: str) -> None:
    result = run("show", query, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["company"]["id"] == "zhipu"


@pytest.mark.parametrize("query", ["zhipuu", "../../etc/passwd", "/dev/zero", "", "mini\nmax"])
def test_unknown_company_is_a_usage_error(query: str) -> None:
    result = run("show", query)
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stdout == ""
    assert "error: unknown company" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_company_suggests_the_closest() -> None:
    assert 'did you mean "zhipu"' in run("show", "zhipuu").stderr


def test_validate_shipped_data_is_clean() -> None:
    result = run("validate", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("0 errors, 0 warnings\n")


def test_validate_reports_errors_with_exit_1() -> None:
    bad = Path(__file__).parent / "bad" / "negative_loss.yaml"
    result = run("validate", str(bad))
    assert result.exit_code == cli.EXIT_DATA
    assert f"{bad}:15:21: error: net_loss is negative (-465.2)" in result.stderr
    assert result.stdout == ""


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    # A consistent sheet with one uncited source: a warning, so exit 0, and 1 under --strict.
    path = write_sheet(tmp_path, "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n")
    assert run("validate", str(path)).exit_code == 0
    strict = run("validate", "--strict", str(path))
    assert strict.exit_code == cli.EXIT_DATA
    assert 'warning: source "rumour_20250601" is not cited' in strict.stderr


def test_a_broken_sheet_stops_every_command_with_its_location(tmp_path: Path) -> None:
    write_sheet(tmp_path, "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: nowhere}\n")
    result = run("list", "--no-bundled", "--data-dir", str(tmp_path))
    assert result.exit_code == cli.EXIT_DATA
    assert 'acme.yaml:18:54: error: unknown source "nowhere"' in result.stderr
    assert "nothing was computed" in result.stderr


@pytest.mark.parametrize("kind", ["missing", "file", "empty"])
def test_bad_data_dir_is_explained(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "data"
    if kind == "file":
        target.write_text("not a folder", encoding="utf-8")
    elif kind == "empty":
        target.mkdir()
    result = run("list", "--no-bundled", "--data-dir", str(target))
    assert result.exit_code == cli.EXIT_DATA
    expected = {"missing": "does not exist", "file": "is not a folder", "empty": "holds no fact sheets"}[kind]
    assert expected in result.stderr


def test_data_folder_from_the_environment(tmp_path: Path) -> None:
    write_sheet(tmp_path, "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n")
    result = run("list", "--format", "json", env={"MINIMETRICS_DATA": str(tmp_path)})
    # The bundled sheets first, then the folder of $MINIMETRICS_DATA.
    assert [row["id"] for row in json.loads(result.stdout)] == ["minimax", "zhipu", "acme"]


def test_internal_error_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(dataset, "summarize", broken)
    result = run("list")
    assert result.exit_code == cli.EXIT_INTERNAL
    assert result.stderr.count("\n") == 1
    assert "internal error (ZeroDivisionError: planted)" in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("minimetrics ")


def _plain(value: Any) -> Any:
    """YAML dates as ISO strings, as an editor's JSON view of the file would have them."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


def test_schema_is_valid_and_accepts_the_shipped_sheets() -> None:
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted(bundled_data_dir().glob("*.yaml")):
        if path.name != "fx.yaml":
            document = _plain(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))
            jsonschema.validate(_numbers(document), schema)


def _numbers(value: Any) -> Any:
    # BaseLoader reads every scalar as text; values that are plain numbers become numbers again.
    if isinstance(value, dict):
        return {k: (_to_number(v) if k in ("value", "rank") else _numbers(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return value


def _to_number(text: Any) -> Any:
    if isinstance(text, list):  # a range: [low, high]
        return [_to_number(t) for t in text]
    try:
        number = float(text)
    except (TypeError, ValueError):
        return text
    return int(number) if number.is_integer() and "." not in str(text) else number


def test_schema_rejects_an_unknown_metric() -> None:
    schema = json.loads(run("schema").stdout)
    sheet: dict[str, dict[str, object]] = {"company": {}, "sources": {}, "facts": {"revenu": {}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(sheet, schema)


def test_json_never_carries_nan_or_infinity() -> None:
    for args in (("compare", "minimax", "zhipu"), ("runway", "--detail"), ("growth",), ("margins",), ("claims",)):
        text = run(*args, "--format", "json").stdout
        json.loads(text)  # allow_nan=False when writing: NaN would have raised
        assert "NaN" not in text and "Infinity" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compare", "minimax", "zhipu", "--fx", "USDCNY:7.2"), '--fx "USDCNY:7.2" is not PAIR=RATE'),
        (("compare", "minimax", "zhipu", "--fx", "USDEUR=0.9"), "use two of USD, RMB, HKD"),
        (("explain", "zhipu", "revenue_growth", "FY2031"), "no revenue_growth for FY2031 for zhipu"),
        (("explain", "zhipu", "happiness"), "no happiness for zhipu"),
        (("compare", "minimax", "nobody"), 'unknown company "nobody"'),
        (("compare", "minimax"), "compare needs two or more different companies"),
        (
            ("compare", "minimax", "zhipu", "--period", "FY2025"),
            "not every company reports FY2025; years in common: FY2023, FY2024",
        ),
        (("compare", "minimax", "00100.HK"), 'minimax is named twice: "00100.HK" (the same as "minimax")'),
        (("growth", "--metric", "net_los"), 'did you mean "net_loss"'),
        (("runway", "--burn-growth", "-200"), "Invalid value for '--burn-growth'"),
    ],
)
def test_bad_arguments_are_usage_errors(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == cli.EXIT_USAGE, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_compare_names_the_ecb_rate_where_fx_yaml_has_none() -> None:
    # fx.yaml has HKD only as spot rates of January 2026: no FY2024 average, so the ECB's mean over 2024.
    text = run("compare", "minimax", "zhipu", "--currency", "HKD").stdout
    assert "no rate" not in text
    assert "converted at USDHKD 7.80255 (FY2024 average, ECB reference rates, mean of 256" in text
    # RMB: the FY2024 average exists (NBS 7.1217) and is named beside the converted figures.
    assert (
        "converted at USDRMB 7.1217 (FY2024 average, nbs_2024)"
        in run("compare", "minimax", "zhipu", "--currency", "RMB").stdout
    )


def test_runway_ranks_longest_first() -> None:
    rows = json.loads(run("runway", "--format", "json").stdout)["frame"]
    assert [r["company"] for r in rows] == ["minimax", "zhipu"]
    assert rows[0]["months"] > rows[1]["months"]


def test_every_figure_compare_shows_can_be_explained() -> None:
    data = json.loads(run("compare", "minimax", "zhipu", "--format", "json").stdout)
    keys = {cell["explain"] for row in data["rows"] for cell in row["cells"] if cell["explain"]}
    assert len(keys) >= 15
    for key in sorted(keys):
        result = run("explain", *key.split())
        assert result.exit_code == 0, (key, result.stderr)
        assert "formula:" in result.stdout and "sources:" in result.stdout


def test_rich_markup_in_a_sheet_is_shown_literally(tmp_path: Path) -> None:
    path = write_sheet(tmp_path, "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n")
    text = path.read_text(encoding="utf-8").replace("name: Acme", 'name: "[bold]Acme[/x]"')
    text = text.replace("title: IPO day", 'title: "[red]breaking[/red] [/]"')
    path.write_text(text, encoding="utf-8")
    result = run("show", "acme", "--no-bundled", "--data-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "[bold]Acme[/x]" in result.stdout and "[red]breaking[/red] [/]" in result.stdout


def test_debug_shows_the_traceback_of_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(dataset, "summarize", broken)
    result = run("--debug", "list")
    assert isinstance(result.exception, ZeroDivisionError)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        # The gate judges months left on the as-of day (today, 2026-11-30, here). Default bases:
        # MiniMax 1,050 ÷ (FY2025 adjusted loss 251.0 ÷ 12 = 20.917) = 50.2 months from 2025-12-31
        # (the stated 27.9 a month is a forecast: a scenario, never the default), less 334 days
        # ÷ 30.4375 = 11.0 months gone: 39.2 left; Zhipu 8.7 months (cash 25.52億 ÷ H1-2025 adjusted loss
        # 2.918億/month) from 2025-06-30 ran out on 2026-03-23, before the as-of day: it fails.
        (("runway", "--fail-under", "12"), 3, "runway below 12 months: zhipu ran out on paper"),
        (("runway", "minimax", "--fail-under", "39"), 0, "every runway is at least 39 months"),
        (("runway", "minimax", "--fail-under", "40"), 3, "runway below 40 months: minimax has 39.2"),
        (("runway", "--detail", "--fail-under", "12"), 3, "zhipu ran out on paper"),
        # As of 2026-01-09 Zhipu's 8.7 months from 2025-06-30 leave 8.7 − 193 days ÷ 30.4375 = 2.4.
        (("runway", "zhipu", "--as-of", "2026-01-09", "--fail-under", "3"), 3, "zhipu has 2.4"),
        # Zhipu with IPO money at the ECB's HKDRMB of 2026-01-08 (fx.yaml has none):
        # (2,552 + 4,173.4 × 0.895934) ÷ 291.83 = 21.6 months from 2025-06-30, less 518 days
        # ÷ 30.4375 = 17.0 months gone: 4.5 left on 2026-11-30
        (("runway", "zhipu", "--with-ipo", "--fail-under", "30"), 3, "runway below 30 months: zhipu has 4.5"),
        # net loss proxy: MiniMax 1,050 ÷ 156.0 a month = 6.7 months from 2025-12-31: ran out in July 2026
        (("runway", "--burn", "net_loss", "--fail-under", "6.6"), 3, "minimax ran out on paper"),
    ],
)
def test_runway_gate(args: tuple[str, ...], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr


# --- Terminal manners: width, colour, --quiet ------------------------------------------------

TABLE_COMMANDS = [
    ("list",),
    ("show", "minimax"),
    ("show", "zhipu"),
    ("compare", "minimax", "zhipu"),
    ("compare", "minimax", "zhipu", "--currency", "HKD"),
    ("growth",),
    ("growth", "--metric", "net_loss"),
    ("margins",),
    ("runway",),
    ("runway", "--detail"),
    ("runway", "--burn-growth", "5"),
    ("claims",),
    ("explain", "minimax", "runway"),
    ("explain", "minimax", "revenue", "FY2024"),
]
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")
ESCAPE = "\x1b["


def test_compare_at_80_columns_matches_golden() -> None:
    result = run(
        "compare",
        "alpha",
        "beta",
        "--as-of",
        FIXTURE_DAY,
        "--no-bundled",
        "--data-dir",
        str(FIXTURES),
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.stderr
    assert_golden("compare_80.txt", result.stdout)


def _tty_env(**values: str | None) -> dict[str, str | None]:
    return {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm", **values}


@pytest.mark.parametrize("args", TABLE_COMMANDS, ids=" ".join)
def test_tables_fit_80_columns_without_colour_codes(args: tuple[str, ...]) -> None:
    # CliRunner's stdout is not a terminal, and NO_COLOR is unset here: no colour either way.
    result = run(*args, env=_tty_env(COLUMNS="80"))
    assert result.exit_code == 0, result.stderr
    too_wide = [line for line in result.stdout.splitlines() if cell_len(line) > 80]
    assert too_wide == []
    assert "…" not in result.stdout, "nothing is cut short with an ellipsis"
    assert ESCAPE not in result.stdout and ESCAPE not in result.stderr


@pytest.mark.parametrize(
    "args", [a for a in TABLE_COMMANDS if a[0] in ("list", "compare", "growth", "margins", "runway")]
)
def test_narrow_tables_keep_every_number_whole(args: tuple[str, ...]) -> None:
    # Wrapping moves numbers to other lines but never splits or drops one: the same
    # numbers appear at 80 columns as at 160, whatever the line breaks (the charts'
    # bars are scaled to the width, so only the numbers are compared).
    wide, narrow = (run(*args, env={"COLUMNS": str(w)}).stdout for w in (160, 80))
    assert sorted(NUMBER.findall(narrow)) == sorted(NUMBER.findall(wide))


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("runway",), {"NO_COLOR": "1"}),
        (("--no-color", "runway"), {}),
        (("runway", "--format", "json"), {}),
        (("runway", "--format", "csv"), {}),
        (("runway", "--format", "markdown"), {}),
        (("compare", "minimax", "zhipu", "--format", "markdown"), {}),
    ],
)
def test_no_colour_when_told_or_for_machine_formats(args: tuple[str, ...], env: dict[str, str]) -> None:
    result = run(*args, env=_tty_env(FORCE_COLOR="1", **env))
    assert result.exit_code == 0, result.stderr
    assert ESCAPE not in result.stdout


def test_a_terminal_gets_colour() -> None:
    # FORCE_COLOR stands in for a terminal; zhipu's 8.7 months is under 12: red.
    result = run("runway", env=_tty_env(FORCE_COLOR="1"))
    assert "\x1b[31m" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("runway", "--detail"),
        ("compare", "minimax", "zhipu"),
        ("growth", "--metric", "net_loss"),
        ("margins",),
        ("claims",),
        ("show", "minimax"),
    ],
    ids=" ".join,
)
def test_colour_adds_nothing_but_colour(args: tuple[str, ...]) -> None:
    coloured = run(*args, env=_tty_env(FORCE_COLOR="1")).stdout
    plain = run(*args, env=_tty_env()).stdout
    assert ESCAPE in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain, "every meaning is in the text as well"


def _in_a_terminal(*args: str, **env: str) -> str:
    """What the command writes to a real pseudo-terminal (stdout and stderr both)."""
    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update({"COLUMNS": "100", "TERM": "xterm", **env})
    with subprocess.Popen(
        [sys.executable, "-m", "minimetrics", *args], stdout=follower, stderr=follower, env=environ
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_in_a_real_terminal_unless_no_color() -> None:
    assert ESCAPE in _in_a_terminal("runway")
    assert ESCAPE not in _in_a_terminal("runway", NO_COLOR="1")
    # Typer's own help and usage errors are plain text, on a terminal too.
    assert ESCAPE not in _in_a_terminal("runway", "--help") + _in_a_terminal("runway", "--burn-growth", "-200")


@pytest.mark.parametrize(
    ("args", "code", "stderr"),
    [
        (("validate",), 0, ""),
        (("validate", "--as-of", "2025-01-01"), 0, ""),  # warnings only: not a failure, not shown
        (("runway", "minimax", "--fail-under", "6"), 0, ""),
        (("runway", "--fail-under", "12"), 3, "runway below 12 months: zhipu ran out on paper (no months left)\n"),
        (("show", "nobody"), 2, 'error: unknown company "nobody"'),
    ],
)
def test_quiet_says_only_what_explains_a_failure(args: tuple[str, ...], code: int, stderr: str) -> None:
    result = run("--quiet", *args)
    assert result.exit_code == code
    assert result.stderr.startswith(stderr) if stderr else result.stderr == ""


def test_quiet_keeps_errors_and_under_strict_warnings() -> None:
    bad = Path(__file__).parent / "bad" / "negative_loss.yaml"
    result = run("-q", "validate", str(bad))
    assert result.exit_code == cli.EXIT_DATA
    assert result.stderr.endswith(
        "error: net_loss is negative (-465.2) — losses and burn are positive numbers: write 465.2\n1 error, 0 warnings\n"
    )
    strict = run("-q", "validate", "--strict", "--as-of", "2025-01-01")
    assert strict.exit_code == cli.EXIT_DATA
    assert "warning:" in strict.stderr and re.search(r"\n0 errors, \d+ warnings\n$", strict.stderr)


def test_quiet_leaves_data_alone() -> None:
    for args in (("list",), ("compare", "minimax", "zhipu"), ("runway", "--format", "json")):
        assert run("--quiet", *args).stdout == run(*args).stdout
