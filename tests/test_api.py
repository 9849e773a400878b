"""The public Python API (``minimetrics``, checked by ``minimetrics.api``): the inputs the command
line accepts are accepted alike (a name, "usd", "fy2024", a str path), the ones it refuses raise
its error, ``UsageError``; and the README's Python example runs as written."""

import contextlib
import doctest
import io
import os
import re
import traceback
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import minimetrics
from minimetrics import (
    UnknownCompanyError,
    UsageError,
    api,
    breakeven_table,
    build_report,
    changes,
    check_files,
    claims_table,
    cli,
    comparison,
    explain,
    find_company,
    growth_table,
    load_data,
    margin_table,
    read_sheet,
    runway_table,
    summarize,
)
from minimetrics.dataset import Dataset

FIXTURES = Path(__file__).parent / "fixtures"
README_PATH = Path(__file__).parent.parent / "README.md"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load_data(str(FIXTURES))  # a str path, as a notebook gives it


def test_paths_may_be_str() -> None:
    sheet, problems = read_sheet(str(FIXTURES / "alpha.yaml"))
    assert sheet is not None and sheet.company.id == "alpha" and [p for p in problems if p.is_error] == []
    assert [p for p in check_files(str(FIXTURES), "2026-01-31") if p.is_error] == []
    with pytest.raises(UsageError, match="the data folder is a int, not a path"):
        load_data(3)  # type: ignore[arg-type]


def test_the_data_must_be_loaded_first() -> None:
    with pytest.raises(UsageError, match="the data is a str, not a Dataset") as raised:
        growth_table("datasets", "minimax")  # type: ignore[arg-type]
    assert raised.value.hint == "load it first: data = load_data(folder)"


def test_a_company_by_name_or_ticker(data: Dataset) -> None:
    by_name = growth_table(data, "Alpha Labs")  # one str is one company
    assert {f.company for f in by_name.figures} == {"alpha"}
    assert growth_table(data, ["09901.HK"]) == by_name
    assert find_company(data, "alpha labs").company.id == "alpha"


def test_an_unknown_company_is_the_cli_error(data: Dataset) -> None:
    with pytest.raises(UnknownCompanyError) as raised:
        comparison(data, ["alpha", "bta"])
    # The message names the folder it read, and the hint the flag that adds another.
    assert raised.value.message == f'unknown company "bta" in the data folder: {FIXTURES}'
    assert raised.value.hint == 'did you mean "beta"?; for a sheet in another folder add --data-dir FOLDER'
    # The command line says the same and exits 2.
    result = CliRunner().invoke(cli.app, ["compare", "alpha", "bta", "--no-bundled", "--data-dir", str(FIXTURES)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {raised.value.message} — {raised.value.hint}"
    with pytest.raises(UsageError, match="a company is a int, not a name"):
        claims_table(data, [1])  # type: ignore[list-item]


def test_currency_in_any_case(data: Dataset) -> None:
    upper = comparison(data, ["alpha", "beta"], "USD")
    assert comparison(data, ["alpha", "beta"], "usd") == upper
    assert comparison(data, ["alpha", "beta"], currency="cny").currency == "RMB"
    with pytest.raises(UsageError, match='unknown currency "eur"') as raised:
        comparison(data, ["alpha", "beta"], "eur")
    assert raised.value.hint == "use one of USD, RMB, HKD"


def test_a_period_in_any_case_and_a_missing_one_named(data: Dataset) -> None:
    fy2024 = margin_table(data, "alpha", period="fy2024")
    # gross, net and adjusted net margins, R&D ratio, gross margin of each of 2 segments, and
    # the gross and net margin changes from FY2023: every figure is FY2024's.
    assert {f.period for f in fy2024.figures} == {"FY2024"}
    assert [f.value for f in fy2024.figures if (f.figure, f.segment) == ("gross_margin", "")] == [30.0]  # 75 ÷ 250
    with pytest.raises(UsageError, match='no figures for the period "FY2020"') as raised:
        growth_table(data, "alpha", period="FY2020")
    # The hint names the periods the figures have (FY2024 growth, the CAGR span, the TTM…).
    assert "FY2024" in raised.value.hint and "FY2023-FY2024" in raised.value.hint
    assert comparison(data, ["alpha", "beta"], period="fy2023").year == "FY2023"
    assert explain(data, "alpha", "revenue_growth", "fy2024").value == pytest.approx(150.0)  # 250 ÷ 100 − 1


def test_runway_options_as_keywords(data: Dataset) -> None:
    # 600 ÷ (180 ÷ 9) = 30 months on the 9M2025 net loss.
    table = runway_table(data, "alpha", burn="Net_Loss")
    assert [r.burn_basis for r in table.runways] == ["net_loss"]
    assert table.runways[0].months == pytest.approx(30.0)
    # With USDHKD 7.8 given: (600 + 780 ÷ 7.8) ÷ 25 = 28 months.
    ipo = runway_table(data, "alpha", burn="stated", with_ipo=True, fx={"USDHKD": 7.8})
    assert ipo.runways[0].months == pytest.approx(28.0)
    listed = runway_table(data, "alpha", burn="stated", with_ipo=True, fx=["usdhkd=7.8"])
    assert listed.runways[0].ipo == ipo.runways[0].ipo == pytest.approx(100e6)  # 780 ÷ 7.8
    with pytest.raises(UsageError, match='unknown burn basis "netloss"') as raised:
        runway_table(data, burn="netloss")
    assert raised.value.hint == 'did you mean "net_loss"?'
    with pytest.raises(UsageError, match="burn_growth 500 is out of bounds"):
        runway_table(data, burn_growth=500)
    with pytest.raises(UsageError, match=r"write --fx USDCNY=7\.2"):
        runway_table(data, fx={"USDEUR": 1.1})


def test_breakeven_report_and_changes_take_dates_as_text(data: Dataset) -> None:
    table = breakeven_table(data, "beta", as_of="2026-01-31", loss="ADJUSTED_LOSS")
    # Base H1-2025: costs 730 ÷ 500 − 1 = 46 % a year, revenue 250 ÷ 100 − 1 = 150 %.
    beta = table.breakevens[0]
    assert table.as_of == date(2026, 1, 31) and beta.cost_growth is not None
    assert beta.cost_growth.rate == pytest.approx(46.0)
    with pytest.raises(UsageError, match="a horizon of 99 years is out of bounds"):
        breakeven_table(data, horizon=99)
    report = build_report(data, ["alpha", "beta"], "2026-01-31", currency="hkd")
    assert (report.as_of, report.currency) == (date(2026, 1, 31), "HKD")
    # 24 facts of alpha appeared, revenue FY2024 changed and its conflict arose: 26.
    assert len(changes(data, "2025-07-01", "2026-01-31", "alpha").changes) == 26
    with pytest.raises(UsageError, match='since "last year" is not a date'):
        changes(data, "last year")


def test_summarize_and_the_frames_are_public(data: Dataset) -> None:
    assert [s.id for s in summarize(data)] == ["alpha", "beta", "gamma"]
    frame = minimetrics.to_frame(summarize(data))
    assert list(frame["company"]) == ["alpha", "beta", "gamma"]
    assert "<table" in minimetrics.repr_html(summarize(data))
    assert api.check_currency(" Hkd ") == "HKD"


# --- The README's Python example -----------------------------------------------------------------

EXAMPLE = re.compile(r"<!-- python-example -->\n```python\n(.*?)```\n", flags=re.S)


def _run_examples(text: str) -> str:
    """The example with each statement's output as it is today (what doctest compares against)."""
    namespace: dict[str, object] = {}
    out: list[str] = []
    for example in doctest.DocTestParser().get_examples(text):
        out += [">>> " + example.source.rstrip("\n").replace("\n", "\n... ")]
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(example.source, "README.md", "single"), namespace)  # the README's own code
        except Exception as err:  # an example may show an error, as doctest does
            kind = type(err)
            message = "".join(traceback.format_exception_only(kind, err)).strip()
            message = message if message.startswith(kind.__module__) else f"{kind.__module__}.{message}"
            printed.write(f"Traceback (most recent call last):\n{message}\n")
        out += printed.getvalue().splitlines()
    return "\n".join(out) + "\n"


def test_the_readme_python_example_is_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(README_PATH.parent)
    written = README_PATH.read_text(encoding="utf-8")
    match = EXAMPLE.search(written)
    assert match, "README.md lacks the Python example under <!-- python-example -->"
    current = _run_examples(match[1])
    if os.environ.get("UPDATE_GOLDEN"):
        written = written.replace(match[1], current)
        README_PATH.write_text(written, encoding="utf-8")
    assert match[1] == current or os.environ.get("UPDATE_GOLDEN"), "run UPDATE_GOLDEN=1 pytest tests/test_api.py"
    # And doctest agrees that the output is what the code prints.
    parsed = doctest.DocTestParser().get_doctest(current, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(parsed, out=lambda _: None)
    assert runner.failures == 0
