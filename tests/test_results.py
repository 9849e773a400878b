"""The contract between the core and the renderer: typed records in, the renderer reads fields, not text."""

import copy
import dataclasses
import inspect
import io
import math
import pickle
import subprocess
import sys

import pytest

from minimetrics import render, results
from minimetrics.factsheet import FactSheet
from minimetrics.render import SUPPORTED, DocumentFormat, Format, Output, ReportFormat
from minimetrics.results import (
    Cell,
    ClaimsTable,
    CompanySummary,
    Comparison,
    Direction,
    Explanation,
    Figure,
    FigureTable,
    Measure,
    RateUsed,
    Report,
    Row,
    RunwayTable,
    Status,
    Verdict,
)


def test_results_and_render_load_without_pandas() -> None:
    code = "import sys, minimetrics.results, minimetrics.render; print('pandas' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_the_words_are_todays_words() -> None:
    # The output is byte-identical because each member is the word it replaced.
    assert [str(s) for s in Status] == [
        "ok",
        "n/m",
        "no rate",
        "not burning",
        "never runs out",
        "missing",
        "ran out on paper",
    ]
    assert [str(v) for v in Verdict] == ["reproduces", "does not reproduce", "cannot be checked"]
    assert [str(d) for d in Direction] == ["growth", "loss widening", "loss narrowing"]
    assert f"{Measure.OWN_CURRENCY}" == "own currency"


@pytest.mark.parametrize(
    ("choices", "results"),
    [
        (Format, (list, FactSheet)),
        (ReportFormat, (Comparison, FigureTable, RunwayTable, Explanation, ClaimsTable)),
        (DocumentFormat, (Report,)),
    ],
)
def test_the_command_lines_choices_are_the_formats_the_results_have(
    choices: type[Format | ReportFormat | DocumentFormat], results: tuple[type, ...]
) -> None:
    for kind in results:
        assert set(SUPPORTED[kind]) == {Output(c) for c in choices}, kind


def test_a_format_a_result_lacks_is_refused() -> None:
    summary = CompanySummary("x", "X", "", (), "USD", (), 0, 0, 0, None)
    with pytest.raises(ValueError, match="no markdown output for list"):
        render.write([summary], "markdown", io.StringIO())
    with pytest.raises(TypeError, match="no writer for dict"):
        render.write({}, "json", io.StringIO())


def _comparison(cell: Cell, figure: str = "revenue", unit: str = "USD") -> Comparison:
    other = Cell("b", "FY2024", 1_000_000.0)
    return Comparison(
        ("a", "b"), "USD", "FY2024", (Row("Full year FY2024", "Revenue", unit, (cell, other), figure=figure),), ()
    )


def test_a_converted_cell_is_known_by_its_rate_not_its_note() -> None:
    rate = RateUsed("RMB", "USD", 1 / 7.2, "FY2024 average", "fx_src")
    converted = Cell("a", "FY2024", 2_000_000.0, note="converted at USDRMB 7.2 (FY2024 average, fx_src)", rate=rate)
    worded = Cell("a", "FY2024", 2_000_000.0, note="converted, it says, but no rate")
    out, plain = io.StringIO(), io.StringIO()
    render.write(_comparison(converted), "markdown", out)
    render.write(_comparison(worded), "markdown", plain)
    assert "1. a revenue: converted at USDRMB 7.2 (FY2024 average, fx_src)" in out.getvalue()
    assert "converted, it says" not in plain.getvalue()


def test_the_rate_and_the_figure_key_stay_out_of_json() -> None:
    rate = RateUsed("RMB", "USD", 1 / 7.2, "FY2024 average", "fx_src")
    out = io.StringIO()
    render.write(_comparison(Cell("a", "FY2024", 2e6, rate=rate)), "json", out)
    assert '"rate"' not in out.getvalue() and '"figure"' not in out.getvalue()


def test_revenue_falling_is_red_by_its_figure_key_not_its_label() -> None:
    # -1.5 %: red only when the row's figure is revenue growth, whatever its label says.
    falling = Cell("a", "FY2024", -1.5)
    red, calm = io.StringIO(), io.StringIO()
    render.write(_comparison(falling, "revenue_growth", Measure.PERCENT), "table", red, colour=True)
    render.write(_comparison(falling, "gross_margin", Measure.PERCENT), "table", calm, colour=True)
    assert "\x1b[31m-1.5%" in red.getvalue()
    assert "\x1b[31m-1.5%" not in calm.getvalue()


@pytest.mark.parametrize(("direction", "red"), [(Direction.LOSS_WIDENING, True), (Direction.LOSS_NARROWING, False)])
def test_a_loss_widening_is_red_by_its_direction(direction: Direction, red: bool) -> None:
    # 20 % more loss: the label is whatever the core wrote; the colour follows the direction.
    figure = Figure("a", "net_loss_growth", "FY2024", 20.0, Measure.PERCENT, label="any words", direction=direction)
    out = io.StringIO()
    render.write(FigureTable("Net loss growth", (figure,)), "table", out, colour=True)
    assert ("\x1b[31m20.0%" in out.getvalue()) is red


def test_a_figure_table_is_written_as_records_under_frame() -> None:
    figure = Figure(
        "a", "gross_margin", "FY2024", math.nan, Measure.PERCENT, Status.NOT_MEANINGFUL, note="revenue is zero"
    )
    out = io.StringIO()
    render.write(FigureTable("Margins", (figure,)), "csv", out)
    assert out.getvalue().splitlines() == [
        "company,figure,segment,period,value,unit,status,qualifier,label,formula,note,inputs",
        "a,gross_margin,,FY2024,,percent,n/m,exact,,,revenue is zero,",
    ]


# --- Records are frozen dataclasses, made when first used ----------------------------


def _in_a_fresh_interpreter(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_importing_the_results_makes_no_record_until_one_is_used() -> None:
    code = (
        "import dataclasses, minimetrics.results as r, minimetrics.records as m\n"
        "print(len(m._MADE))\n"
        "r.RateUsed('USD', 'RMB', 7.2, 'spot 2026-01-09')\n"
        "print(sorted(c.__name__ for c in m._MADE))\n"
        "print([f.name for f in dataclasses.fields(r.Runway)][:2])\n"  # a class asked for its fields
        "print(sorted(c.__name__ for c in m._MADE))\n"
    )
    assert _in_a_fresh_interpreter(code).splitlines() == [
        "0",
        "['RateUsed']",
        "['company', 'cash_basis']",
        "['RateUsed', 'Runway']",
    ]


def test_every_record_is_a_frozen_dataclass_as_before() -> None:
    kinds = [c for c in vars(results).values() if isinstance(c, type) and issubclass(c, results.Record)]
    records = [c for c in kinds if c is not results.Record]
    assert len(records) == 44  # every class that was written @dataclass(frozen=True)
    for cls in records:
        assert dataclasses.is_dataclass(cls), cls
        assert cls.__dataclass_params__.frozen, cls
    rate = RateUsed("USD", "RMB", 7.2, "spot 2026-01-09")
    assert repr(rate) == "RateUsed(source='USD', target='RMB', value=7.2, basis='spot 2026-01-09', cited='')"
    assert rate == RateUsed("USD", "RMB", 7.2, "spot 2026-01-09") != RateUsed("USD", "RMB", 7.3, "spot 2026-01-09")
    assert hash(rate) == hash(RateUsed("USD", "RMB", 7.2, "spot 2026-01-09"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rate.value = 7.3  # type: ignore[misc]
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'basis'"):
        RateUsed("USD", "RMB", 7.2)  # type: ignore[call-arg]
    assert str(inspect.signature(RateUsed)) == (
        "(source: 'str', target: 'str', value: 'float', basis: 'str', cited: 'str' = '') -> None"
    )
    assert dataclasses.replace(rate, value=7.3).value == 7.3
    assert copy.copy(rate) == rate and pickle.loads(pickle.dumps(rate)) == rate


def test_a_record_unpickled_in_a_fresh_interpreter_is_a_whole_dataclass() -> None:
    blob = pickle.dumps(Figure("zhipu", "revenue_growth", "FY2024", 12.5, "percent"))
    code = (
        "import pickle, sys\n"
        "figure = pickle.loads(sys.stdin.buffer.read())\n"  # built without __init__
        "print(figure)\n"
        "print(figure == pickle.loads(pickle.dumps(figure)), hash(figure) == hash(pickle.loads(pickle.dumps(figure))))\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True, check=True).stdout.decode()
    assert shown.splitlines() == [
        "Figure(company='zhipu', figure='revenue_growth', period='FY2024', value=12.5, unit='percent', "
        "status=<Status.OK: 'ok'>, label='', formula='', inputs=(), note='', segment='', direction=None, qualifier='exact')",
        "True True",
    ]


def test_two_threads_building_the_first_record_at_once_both_get_one() -> None:
    code = (
        "import sys, threading\n"
        "sys.setswitchinterval(1e-6)\n"  # switch threads as often as possible
        "import minimetrics.results as r\n"
        "built = []\n"
        "def build():\n"
        "    record = r.Input('revenue', 'FY2024', 1.0, 'USD', 'a')\n"
        "    built.append((record, record == r.Input('revenue', 'FY2024', 1.0, 'USD', 'a'), repr(record)[:6]))\n"
        "threads = [threading.Thread(target=build) for _ in range(8)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
        "print(len(built), len(set(built)), set(equal for _, equal, _ in built), set(shown for _, _, shown in built))\n"
    )
    # Eight equal records, each equal to another built as it: no thread saw the record half made.
    assert _in_a_fresh_interpreter(code) == "8 1 {True} {'Input('}\n"
