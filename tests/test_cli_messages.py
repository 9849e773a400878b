"""Messages and options (issue 14 items 1 and 5): show's filters, explain's "did you mean" and
periods, explain --fx, readable metavars in --help, choices in any case, company completion."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner, Result

from minimetrics import cli

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
SCRIPT = Path(sys.executable).with_name("minimetrics")


def run(*args: str) -> Result:
    return runner.invoke(cli.app, list(args))


def test_show_filters_by_metric_and_period() -> None:
    result = run("show", "alpha", "--no-bundled", "--data-dir", str(FIXTURES), "-f", "csv", "--metric", "net_loss")
    assert result.exit_code == 0, result.stderr
    # alpha's net loss: FY2023 200, FY2024 300, 9M2024 225, 9M2025 180 (tests/fixtures/alpha.yaml).
    rows = [line.split(",") for line in result.stdout.splitlines()[1:]]
    assert sorted((r[1], r[3], r[6]) for r in rows) == [
        ("net_loss", "9M2024", "225.0"),
        ("net_loss", "9M2025", "180.0"),
        ("net_loss", "FY2023", "200.0"),
        ("net_loss", "FY2024", "300.0"),
    ]
    both = run(
        "show", "alpha", "--no-bundled", "--data-dir", str(FIXTURES), "--metric", "net_loss", "--period", "FY2024"
    )
    assert both.exit_code == 0 and "300" in both.stdout and "225" not in both.stdout


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("--metric", "net_los"), 'alpha has no metric "net_los"', 'did you mean "net_loss"'),
        (("--period", "FY2021"), 'alpha has no period "FY2021"', "it has: FY2023, 9M2024, FY2024"),
    ],
)
def test_show_names_what_it_has_for_a_mistyped_filter(args: tuple[str, ...], message: str, hint: str) -> None:
    result = run("show", "alpha", "--no-bundled", "--data-dir", str(FIXTURES), *args)
    assert result.exit_code == cli.EXIT_USAGE
    assert f"error: {message} — " in result.stderr and hint in result.stderr


def test_explain_a_mistyped_figure_gives_the_closest_names_first() -> None:
    # Before: "known: adjusted_net_loss, ..." (57 names) and no "did you mean".
    result = run("explain", "zhipu", "revenue_grwth", "FY2024")
    assert result.exit_code == cli.EXIT_USAGE
    first, _, listing = result.stderr.partition("? figures and metrics: ")
    assert (
        first == 'error: no revenue_grwth for zhipu — did you mean "revenue_growth" or "revenue_cagr" or "revenue_ttm"'
    )
    assert "revenue_growth" in listing.split(", ")


def test_explain_a_period_the_figure_lacks_lists_the_figure_s_periods() -> None:
    # beta's revenue: FY2022 0, FY2023 70, FY2024 350, H1-2024 100, H1-2025 250, so growth exists for
    # FY2023 (over a zero base: not meaningful, but a row), FY2024 and H1-2025 only.
    result = run("explain", "beta", "revenue_growth", "FY2020", "--no-bundled", "--data-dir", str(FIXTURES))
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stderr == (
        "error: no revenue_growth for FY2020 for beta — periods of revenue_growth: FY2023, FY2024, H1-2025\n"
    )


def test_explain_takes_a_period_in_any_case() -> None:
    lower = run("explain", "beta", "revenue_growth", "fy2024", "--no-bundled", "--data-dir", str(FIXTURES))
    upper = run("explain", "beta", "revenue_growth", "FY2024", "--no-bundled", "--data-dir", str(FIXTURES))
    assert lower.exit_code == 0 and lower.stdout == upper.stdout


def test_explain_fx_replaces_the_rate_it_uses() -> None:
    args = ("explain", "minimax", "market_cap_to_revenue", "--as-of", "2026-11-30", "-f", "json")
    before = json.loads(run(*args).stdout)
    after = json.loads(run(*args, "--fx", "USDHKD=7.0").stdout)
    inputs = {i["key"]: i for i in after["inputs"]}
    assert (inputs["USDHKD rate"]["amount"], inputs["USDHKD rate"]["source"]) == (7.0, "--fx")
    assert before["inputs"][-1]["source"] != "--fx"
    # market cap in HKD ÷ 7.0 = USD, ÷ revenue in USD (258,000,000,000 ÷ 7.0 ÷ 79,038,000 = 466.32 today).
    expected = inputs["market_cap"]["amount"] / 7.0 / inputs["revenue"]["amount"]
    assert after["value"] == pytest.approx(expected)
    assert after["value"] != pytest.approx(before["value"])


def _helps() -> list[str]:
    group = get_command(cli.app)
    assert isinstance(group, TyperGroup)
    return [run(name, "--help").stdout for name in group.commands]


def test_help_shows_readable_metavars() -> None:
    texts = _helps()
    assert len(texts) >= 15
    for text in texts:
        for click_word in ("<float", "<int", "<str>", "<path>", "%Y", "<text>", "<integer>"):
            assert click_word not in text, click_word
    joined = "\n".join(texts)
    for readable in ("--as-of DATE", "--fx PAIR=RATE", "--fail-under MONTHS", "--burn-growth PCT", "{COMPANY}"):
        assert readable in joined, readable


def test_help_says_how_the_width_is_chosen() -> None:
    text = " ".join(run("--help").stdout.split())
    assert "else as the terminal that stdout is, else the one stderr is, else the controlling terminal" in text


@pytest.mark.parametrize(
    ("odd", "plain"),
    [
        (
            ("compare", "minimax", "zhipu", "--currency", "usd", "-f", "JSON"),
            ("compare", "minimax", "zhipu", "-f", "json"),
        ),
        (("runway", "--burn", "NET_LOSS", "--cash", "Liquid"), ("runway", "--burn", "net_loss", "--cash", "liquid")),
        (("breakeven", "zhipu", "--loss", "Net_Loss"), ("breakeven", "zhipu", "--loss", "net_loss")),
        (("claims", "--verdict", "Does Not Reproduce"), ("claims", "--verdict", "does not reproduce")),
        (("report", "minimax", "zhipu", "-f", "HTML"), ("report", "minimax", "zhipu", "-f", "html")),
        (("list", "--format", "Csv"), ("list", "--format", "csv")),
    ],
)
def test_choices_are_taken_in_any_case(odd: tuple[str, ...], plain: tuple[str, ...]) -> None:
    day = ("--as-of", "2026-11-30")
    expected = run(*plain, *day)
    assert expected.exit_code == 0, expected.stderr
    assert run(*odd, *day).stdout == expected.stdout


def test_a_wrong_choice_is_still_refused() -> None:
    result = run("compare", "minimax", "zhipu", "--currency", "eur")
    assert result.exit_code == cli.EXIT_USAGE and "'eur' is not one of" in result.stderr


def _complete(incomplete: str, **params: object) -> list[str]:
    command = get_command(cli.app)
    ctx = typer.Context(command, resilient_parsing=True)
    ctx.params.update(params)
    return cli._complete_company(ctx, incomplete)


def test_company_completion_lists_ids_and_tickers_without_reading_sheets() -> None:
    assert _complete("") == ["minimax", "00100.HK", "zhipu", "02513.HK"]
    assert _complete("Z") == ["zhipu"]
    assert _complete("02") == ["02513.HK"]
    fixtures = _complete("", data_dir=[FIXTURES], no_bundled=True)
    assert fixtures == ["alpha", "09901.HK", "beta", *fixtures[3:]] and "fx" not in fixtures


def test_company_completion_never_fails_the_shell(tmp_path: Path) -> None:
    # A sheet that is not even YAML: its id still completes (from its name), no ticker, no error.
    (tmp_path / "broken.yaml").write_bytes(b"\xff\xfe tickers: [")
    assert _complete("b", data_dir=[tmp_path], no_bundled=True) == ["broken"]
    assert _complete("", data_dir=[tmp_path / "missing"], no_bundled=True) == []


@pytest.mark.skipif(not SCRIPT.exists(), reason="needs the installed console script")
def test_bash_completes_company_ids() -> None:
    # What bash's completion function asks the program (typer's complete_bash protocol).
    environ = dict(os.environ, _MINIMETRICS_COMPLETE="complete_bash", COMP_WORDS="minimetrics show z", COMP_CWORD="2")
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=environ, check=False, timeout=60)
    assert (done.returncode, done.stdout.split()) == (0, ["zhipu"])
    environ.update(COMP_WORDS="minimetrics compare minimax 0", COMP_CWORD="3")
    done = subprocess.run([str(SCRIPT)], capture_output=True, text=True, env=environ, check=False, timeout=60)
    assert done.stdout.split() == ["00100.HK", "02513.HK"]
