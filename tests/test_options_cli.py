"""Options checked before a wrong one gives an empty or misleading table: --period of growth
and margins, a company named twice in compare, claims --verdict."""

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from minimetrics import cli

FIXTURES = ["--no-bundled", "--data-dir", str(Path(__file__).parent / "fixtures"), "--as-of", "2026-02-01"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.app, [*args, *FIXTURES])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["growth", "--period", "FYX2024"],
            'error: --period "FYX2024" is not a period — did you mean "FY2024" or "FY2025" or "FY2023"?\n',
        ),
        (
            ["margins", "--period", "FY2042"],
            'error: no figure for the period "FY2042" — did you mean "FY2025" or "FY2024" or "FY2023"?\n',
        ),
    ],
)
def test_a_mistyped_period_is_a_usage_error(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stdout == ""
    assert result.stderr == expected


def test_a_period_with_figures_still_filters() -> None:
    rows = list(csv.DictReader(io.StringIO(run("margins", "--period", "FY2024", "--format", "csv").stdout)))
    assert rows and {row["period"] for row in rows} == {"FY2024"}


def test_compare_names_the_company_given_twice() -> None:
    same = run("compare", "alpha", "beta", "alpha")
    assert same.exit_code == cli.EXIT_USAGE
    assert same.stderr.startswith('error: alpha is named twice: "alpha" — name each company once')
    other = run("compare", "alpha", "beta", "ALPHA")  # the same company under another spelling
    assert other.stderr.startswith('error: alpha is named twice: "ALPHA" (the same as "alpha")')


def _verdicts(*args: str) -> list[tuple[str, str, str]]:
    result = run("claims", "--format", "csv", *args)
    assert result.exit_code == 0, result.stderr
    return [(r["company"], r["claim"], r["verdict"]) for r in csv.DictReader(io.StringIO(result.stdout))]


def test_claims_by_verdict() -> None:
    # The fixtures' nine claims: five reproduce, one does not, three cannot be checked.
    everything = _verdicts()
    assert len(everything) == 9
    assert _verdicts("--verdict", "does not reproduce") == [("alpha", "net_margin FY2024", "does not reproduce")]
    both = _verdicts("--verdict", "reproduces", "--verdict", "cannot be checked")
    assert len(both) == 5 + 3
    assert [c for c in everything if c[2] != "does not reproduce"] == both  # the order is kept


def test_an_unknown_verdict_is_a_usage_error() -> None:
    result = run("claims", "--verdict", "wrong")
    assert result.exit_code == cli.EXIT_USAGE
    assert result.stderr == (
        'error: unknown verdict "wrong" — use one of: reproduces, does not reproduce, cannot be checked\n'
    )
