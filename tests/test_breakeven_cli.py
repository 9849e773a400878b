"""`minimetrics breakeven` as a user runs it: goldens rendered from the fixture sheets, the gate,
the bounds, and no inf or NaN in any format.

The fixture sheets give one company of each kind (tests/fixtures):
- alpha (USD) has no like-for-like pair of years, so n/m unless the growth is given;
- beta (RMB): H1-2025 revenue 250, adjusted loss 480 (RMB million), so R0 = 250/6 = 41.67,
  C0 = (250 + 480)/6 = 121.67 a month; H1-2024 revenue 100, loss 400, so
  g_r = 250/100 − 1 = +150 % and g_c = 730/500 − 1 = +46 %; cash 960 on 2025-06-30.
  On that path the cumulative loss passes 960 in month 13 (dead) and revenue meets costs in month 24;
- gamma has no adjusted loss at all: n/m.
"""

import json
from typing import Any

import pytest
from test_cli import FIXTURES, assert_golden, run

from minimetrics import cli
from minimetrics.breakeven import MAX_GROWTH, MAX_HORIZON_YEARS, MIN_GROWTH, project

AS_OF = ("--as-of", "2026-03-01")
GOLDENS: list[tuple[tuple[str, ...], str]] = [
    ((), "breakeven.txt"),
    (("--format", "json"), "breakeven.json"),
    (("--format", "csv"), "breakeven.csv"),
    (("--format", "markdown"), "breakeven.md"),
    (("alpha", "--revenue-growth", "60", "--cost-growth", "10"), "breakeven_alpha_given.txt"),
    (("--grid",), "breakeven_grid.txt"),
    (("--grid", "--format", "csv"), "breakeven_grid.csv"),
    (("--grid", "--format", "markdown", "beta", "--revenue-growth-steps=-100,100"), "breakeven_grid.md"),
    (("--grid", "--format", "json", "beta", "--cost-growth-steps=10"), "breakeven_grid_beta.json"),
]


@pytest.mark.parametrize(("args", "golden"), GOLDENS)
def test_output_matches_golden(args: tuple[str, ...], golden: str) -> None:
    result = run("breakeven", *args, *AS_OF, "--no-bundled", "--data-dir", str(FIXTURES))
    assert result.exit_code == 0, result.stderr
    assert_golden(golden, result.stdout)


def _no_nan(text: str) -> Any:
    def refuse(word: str) -> None:
        raise AssertionError(f"{word} in JSON output")

    return json.loads(text, parse_constant=refuse)


def _data(shipped: bool) -> list[str]:
    return [] if shipped else ["--no-bundled", "--data-dir", str(FIXTURES)]


EXTREMES = [
    (),
    ("--grid",),
    ("--with-ipo", "--loss", "net_loss"),
    ("--loss", "operating", "--cash", "cash"),
    ("--revenue-growth", "10000", "--cost-growth", "-99.99", "--horizon", "50"),
    ("--revenue-growth", "-99.99", "--cost-growth", "10000", "--horizon", "50", "--grid"),
    ("--revenue-growth", "0", "--cost-growth", "0", "--horizon", "1"),
]


@pytest.mark.parametrize("shipped", [False, True], ids=["fixtures", "shipped"])
@pytest.mark.parametrize("args", EXTREMES)
def test_json_and_csv_never_hold_inf_or_nan(shipped: bool, args: tuple[str, ...]) -> None:
    json_out = run("breakeven", *args, "--format", "json", *_data(shipped))
    assert json_out.exit_code == 0, json_out.stderr
    data = _no_nan(json_out.stdout)
    assert data["note"] == "a projection on stated assumptions, not a forecast"
    for fmt in ("csv", "table", "markdown"):
        out = run("breakeven", *args, "--format", fmt, *_data(shipped))
        assert out.exit_code == 0, out.stderr
        assert not {"inf", "nan", "NaN"} & set(out.stdout.replace(",", " ").replace("|", " ").split())


def test_the_json_carries_the_hand_checked_figures() -> None:
    (beta,) = _no_nan(run("breakeven", "beta", "--format", "json", *AS_OF, *_data(False)).stdout)["breakevens"]
    assert beta["base"]["monthly_revenue"] == pytest.approx(250e6 / 6)  # 250 RMB million ÷ 6 months
    assert beta["base"]["monthly_costs"] == pytest.approx(730e6 / 6)  # (250 + 480) ÷ 6
    assert beta["revenue_growth"]["rate"] == pytest.approx(150.0)  # 250 / 100 − 1
    assert beta["cost_growth"]["rate"] == pytest.approx(46.0)  # 730 / 500 − 1
    path = project(250e6 / 6, 730e6 / 6, 150.0, 46.0, 960e6, 120)
    assert (beta["breakeven_month"], beta["cash_out_month"]) == (path.breakeven_month, path.cash_out_month) == (24, 13)
    assert beta["cushion"] == pytest.approx(960e6 - (path.cash_needed or 0))  # cash held − cash needed
    # months from the as-of date: 2025-06-30 → 2026-03-01 is 8 whole months, so 24 − 8 and 13 − 8
    assert (beta["breakeven_months_from_as_of"], beta["cash_out_months_from_as_of"]) == (16, 5)
    assert [s["id"] for s in beta["sources"]] == ["filing_20251215"]


def test_fail_if_dead_exits_3_naming_the_companies() -> None:
    result = run("breakeven", "--fail-if-dead", *AS_OF, *_data(False))
    assert result.exit_code == 3
    assert result.stderr == "default dead: beta runs out of cash in month 13 (2026-07-31)\n"
    assert "beta" in result.stdout  # the table is shown all the same


def test_fail_if_dead_passes_when_no_company_is_dead() -> None:
    # alpha is n/m without growth rates, gamma too: neither is dead, so the gate passes.
    result = run("breakeven", "alpha", "gamma", "--fail-if-dead", *_data(False))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "no company is default dead on these assumptions\n"
    quiet = run("--quiet", "breakeven", "alpha", "--fail-if-dead", *_data(False))
    assert (quiet.exit_code, quiet.stderr) == (0, "")


def test_fail_if_dead_with_the_grid_judges_the_base_case() -> None:
    result = run("breakeven", "--grid", "--fail-if-dead", *AS_OF, *_data(False))
    assert result.exit_code == 3
    assert "default dead: beta" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--revenue-growth", "-100"), "revenue_growth -100% a year is out of bounds"),
        (("--cost-growth", "10000.5"), "cost_growth 10000.5% a year is out of bounds"),
        (("--revenue-growth", "nan"), "revenue_growth nan% a year is out of bounds"),
        (("--horizon", "0"), "a horizon of 0 years is out of bounds"),
        (("--horizon", "51"), "a horizon of 51 years is out of bounds"),
        (("--grid", "--revenue-growth-steps", "ten"), '"ten" is not a list of growth steps'),
        (("--grid", "--cost-growth-steps", "inf"), '"inf" is not a list of growth steps'),
        (("nobody",), 'unknown company "nobody"'),
    ],
)
def test_bad_values_exit_2(args: tuple[str, ...], message: str) -> None:
    result = run("breakeven", *args, *_data(False))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert result.stdout == ""


def test_the_bounds_in_help_are_the_models() -> None:
    assert f"above {MIN_GROWTH:g} and at most {MAX_GROWTH:g}" == cli.GROWTH_BOUNDS
    assert f"1 to {MAX_HORIZON_YEARS}" == cli.HORIZON_BOUNDS
    text = run("breakeven", "--help").stdout
    assert cli.GROWTH_BOUNDS in " ".join(text.split())


def test_the_bounds_themselves_are_accepted() -> None:
    result = run(
        "breakeven", "beta", "--revenue-growth", "10000", "--cost-growth", "-99.9", "--horizon", "50", *_data(False)
    )
    assert result.exit_code == 0, result.stderr
    # R(1) = 41.67·101^(1/12) = 41.67·1.469 = 61.2 < C(1) = 121.67·0.001^(1/12) = 121.67·0.5623 = 68.4;
    # R(2) = 41.67·1.469² = 89.9 ≥ C(2) = 121.67·0.5623² = 38.5: revenue catches up in month 2.
    assert "month 2: 2025-08-31" in result.stdout
