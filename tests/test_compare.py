"""Companies side by side on tiny hand-written sheets, the arithmetic beside each expected value."""

import math
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, write_sheet

from minimetrics import facts_frame, load_data, read_sheet
from minimetrics.compare import CompareOptions, compare
from minimetrics.factsheet import FactSheet
from minimetrics.fx import parse_overrides
from minimetrics.results import Cell, Comparison, Row, Status

S = "source: press_20260109"
RUMOUR = "source: rumour_20250601"  # rank 4: loses to the press (rank 2)


def _frame(tmp_path: Path, sheets: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Company id → (fiscal year end, facts block): one sheet each, in one frame."""
    read: list[FactSheet] = []
    for company, (year_end, facts) in sheets.items():
        path = write_sheet(tmp_path, facts, company_id=company)
        text = path.read_text(encoding="utf-8").replace("fiscal_year_end: 12-31", f"fiscal_year_end: {year_end}")
        path.write_text(text, encoding="utf-8")
        sheet, problems = read_sheet(path)
        assert isinstance(sheet, FactSheet), [str(p) for p in problems]
        read.append(sheet)
    return facts_frame(read)


def _row(result: Comparison, label: str) -> Row:
    return next(r for r in result.rows if r.label == label)


def _cell(result: Comparison, label: str, company: str) -> Cell:
    return next(c for c in _row(result, label).cells if c.company == company)


def _revenue(*years: tuple[str, float], unit: str = "USD million") -> str:
    return "  revenue:\n" + "".join(f"    {y}: {{value: {v:g}, unit: {unit}, {S}}}\n" for y, v in years)


def test_full_years_that_end_together_are_subtracted(tmp_path: Path) -> None:
    # Both years end 31 December: latest in common FY2024; 100 − 60 = 40 million, acme ahead.
    frame = _frame(
        tmp_path,
        {
            "acme": ("12-31", _revenue(("FY2023", 80), ("FY2024", 100))),
            "bolt": ("12-31", _revenue(("FY2023", 50), ("FY2024", 60))),
        },
    )
    result = compare(frame, (), ["acme", "bolt"])
    revenue = _row(result, "Revenue")
    assert result.year == "FY2024" and revenue.section == "Full year FY2024"
    assert [c.value for c in revenue.cells] == [100e6, 60e6]
    assert revenue.difference == pytest.approx(40e6) and revenue.leader == "acme"
    # Growth: 100 ÷ 80 − 1 = 25 %; 60 ÷ 50 − 1 = 20 %; 25 − 20 = 5 pp.
    growth = _row(result, "Revenue growth, year on year")
    assert [c.value for c in growth.cells] == [pytest.approx(25.0), pytest.approx(20.0)]
    assert growth.difference == pytest.approx(5.0)
    # One meaning per field: how the figure was obtained in ``how``, nothing to note in ``note``.
    assert [(c.how, c.note) for c in growth.cells] == [("growth", ""), ("growth", "")]


def test_a_compared_figure_carries_its_inputs_qualifier(tmp_path: Path) -> None:
    # acme's FY2024 revenue is "more than" 100: growth 100 ÷ 80 − 1 = more than 25 %.
    more = _revenue(("FY2023", 80), ("FY2024", 100)).replace("value: 100,", "value: 100, qualifier: more_than,")
    frame = _frame(tmp_path, {"acme": ("12-31", more), "bolt": ("12-31", _revenue(("FY2023", 50), ("FY2024", 60)))})
    growth = _row(compare(frame, (), ["acme", "bolt"]), "Revenue growth, year on year")
    assert [c.qualifier for c in growth.cells] == ["more_than", "exact"]


def test_the_breakeven_cell_keeps_its_date_apart_from_alive_or_dead(tmp_path: Path) -> None:
    # acme: revenue 60 → 120 a year (+100 %), adjusted loss 100 → 100 (costs 160 → 220, +37.5 %);
    # cash 1,000 on 2024-12-31. Whatever the month, the date is the period and alive/dead beside it.
    facts = (
        _revenue(("FY2023", 60), ("FY2024", 120))
        + f"  adjusted_net_loss:\n    FY2023: {{value: 100, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 100, unit: USD million, {S}}}\n"
        f"  cash_and_equivalents:\n    2024-12-31: {{value: 1000, unit: USD million, {S}}}\n"
    )
    frame = _frame(tmp_path, {"acme": ("12-31", facts), "bolt": ("12-31", _revenue(("FY2024", 60)))})
    cell = _cell(compare(frame, (), ["acme", "bolt"]), "Breakeven (projection), alive or dead", "acme")
    assert date.fromisoformat(cell.period) > date(2024, 12, 31)
    assert (str(cell.viability), cell.cash_out) == ("alive", None)


def test_a_march_year_is_aligned_on_the_year_ending_nearest(tmp_path: Path) -> None:
    # acme's FY2024 ends 2024-12-31. march's FY2024 ended 2024-03-31 (9 months earlier, too far);
    # its FY2025 ends 2025-03-31, 3 months later: that is the year set beside acme's, under its own label.
    frame = _frame(
        tmp_path,
        {
            "acme": ("12-31", _revenue(("FY2023", 80), ("FY2024", 100))),
            "march": ("03-31", _revenue(("FY2024", 40), ("FY2025", 60))),
        },
    )
    result = compare(frame, (), ["acme", "march"])
    revenue = _row(result, "Revenue")
    assert result.year == "FY2024"
    assert revenue.section == "Full year FY2024 (fiscal years end 3 months apart)"
    march = _cell(result, "Revenue", "march")
    assert (march.period, march.value) == ("FY2025", 60e6)
    assert march.note == "fiscal years end 3 months apart (FY2025 ends 2025-03-31)"
    # Years that end apart are shown side by side, never subtracted.
    assert math.isnan(revenue.difference) and revenue.leader == ""
    # Its growth is FY2025 against its own FY2024: 60 ÷ 40 − 1 = 50 %.
    assert _cell(result, "Revenue growth, year on year", "march").value == pytest.approx(50.0)


def test_the_first_company_sets_the_calendar(tmp_path: Path) -> None:
    # Named first, march's FY2025 (to 2025-03-31) is the aligned year; acme's FY2024 ends 3 months before.
    frame = _frame(
        tmp_path,
        {
            "acme": ("12-31", _revenue(("FY2023", 80), ("FY2024", 100))),
            "march": ("03-31", _revenue(("FY2024", 40), ("FY2025", 60))),
        },
    )
    result = compare(frame, (), ["march", "acme"])
    assert result.year == "FY2025"
    assert _cell(result, "Revenue", "acme").period == "FY2024"


def test_a_company_with_no_year_near_the_aligned_one_is_missing(tmp_path: Path) -> None:
    # late's only full year ends 2023-12-31, twelve months before the others' FY2024.
    sheets = {
        "acme": ("12-31", _revenue(("FY2024", 100))),
        "bolt": ("12-31", _revenue(("FY2024", 60))),
        "late": ("12-31", _revenue(("FY2023", 10))),
    }
    frame = _frame(tmp_path, sheets)
    # No year that all three have: the full-year section is left out.
    assert compare(frame, (), ["acme", "bolt", "late"]).year == ""
    # Asked for FY2024, two companies line up and the third says why it has no figure.
    result = compare(frame, (), ["acme", "bolt", "late"], CompareOptions(year="FY2024"))
    late = _cell(result, "Revenue", "late")
    assert (late.status, late.period) == (Status.MISSING, "")
    assert late.note == "no full year ending within 6 months of 2024-12-31"
    # Two companies and only one with the year: that is no comparison.
    with pytest.raises(ValueError, match="not every company reports FY2024; years in common: none"):
        compare(frame, (), ["acme", "late"], CompareOptions(year="FY2024"))


def test_a_missing_rate_is_named_and_an_override_fills_it(tmp_path: Path) -> None:
    # yuan reports in RMB; no rates file, and on 2024-12-01 the ECB's FY2024 average did not exist yet:
    # its revenue cannot be shown in USD, and the cell says why.
    sheets = {
        "acme": ("12-31", _revenue(("FY2024", 100))),
        "yuan": ("12-31", _revenue(("FY2024", 700), unit="RMB million")),
    }
    frame = _frame(tmp_path, sheets)
    early = CompareOptions(as_of=date(2024, 12, 1))
    missing = _cell(compare(frame, (), ["acme", "yuan"], early), "Revenue", "yuan")
    assert missing.status == Status.NO_RATE and math.isnan(missing.value)
    assert "no USDRMB average for FY2024 in fx.yaml, and on the as-of date 2024-12-01" in missing.note
    # --fx USDCNY=7: 700 ÷ 7 = 100 million USD, level with acme (100 − 100 = 0, nobody ahead).
    result = compare(frame, (), ["acme", "yuan"], replace(early, overrides=parse_overrides(["USDCNY=7"])))
    given = _cell(result, "Revenue", "yuan")
    assert given.status == Status.OK and given.value == pytest.approx(100e6)
    assert given.rate is not None and given.note.startswith("converted at USDRMB 7")
    level = _row(result, "Revenue")
    assert level.difference == pytest.approx(0.0) and level.leader == ""
    # In RMB the same override turns acme's 100 USD into 700 RMB.
    in_rmb = compare(frame, (), ["acme", "yuan"], CompareOptions("RMB", parse_overrides(["USDCNY=7"])))
    assert [c.value for c in _row(in_rmb, "Revenue").cells] == [pytest.approx(700e6), pytest.approx(700e6)]


def test_a_margin_over_zero_revenue_keeps_its_reason(tmp_path: Path) -> None:
    # bolt's revenue is 0: its net margin is not meaningful, and nothing is subtracted from it.
    loss = f"  net_loss:\n    FY2024: {{value: 5, unit: USD million, {S}}}\n"
    frame = _frame(
        tmp_path,
        {"acme": ("12-31", _revenue(("FY2024", 10)) + loss), "bolt": ("12-31", _revenue(("FY2024", 0)) + loss)},
    )
    result = compare(frame, (), ["acme", "bolt"])
    margin = _row(result, "Net margin")
    # acme: −5 ÷ 10 = −50 %.
    assert margin.cells[0].value == pytest.approx(-50.0)
    assert (margin.cells[1].status, margin.cells[1].note) == (Status.NOT_MEANINGFUL, "revenue is zero or negative")
    assert math.isnan(margin.difference)


def test_a_conflict_behind_a_compared_figure_is_listed(tmp_path: Path) -> None:
    # acme's FY2024 revenue: 100 from the press (rank 2) against 120 from a rumour (rank 4).
    # Its FY2024 S&M expense conflicts too, but no compared figure uses it.
    conflicted = (
        "  revenue:\n    FY2024:\n"
        f"      - {{value: 100, unit: USD million, {S}}}\n"
        f"      - {{value: 120, unit: USD million, {RUMOUR}}}\n"
        "  sm_expense:\n    FY2024:\n"
        f"      - {{value: 7, unit: USD million, {S}}}\n"
        f"      - {{value: 9, unit: USD million, {RUMOUR}}}\n"
    )
    frame = _frame(tmp_path, {"acme": ("12-31", conflicted), "bolt": ("12-31", _revenue(("FY2024", 60)))})
    result = compare(frame, (), ["acme", "bolt"])
    assert _cell(result, "Revenue", "acme").value == 100e6
    [conflict] = result.conflicts
    assert (conflict.company, conflict.key, conflict.period) == ("acme", "revenue", "FY2024")
    assert [(v.value, v.source, v.shown) for v in conflict.versions] == [
        (100, "press_20260109", True),
        (120, "rumour_20250601", False),
    ]


def test_compare_indexes_the_facts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One FactIndex of results for runway and unit economics, one of the shown periods' facts
    # for growth and margins, and one of outlooks for runway's scenarios: three builds, where
    # one per computation made five.
    import minimetrics.metrics as metrics

    built: list[bool] = []
    real = metrics.FactIndex.__init__

    def counted(self: metrics.FactIndex, facts: pd.DataFrame, outlooks: bool = False) -> None:
        built.append(outlooks)
        real(self, facts, outlooks)

    monkeypatch.setattr(metrics.FactIndex, "__init__", counted)
    facts = _revenue(("FY2023", 50), ("FY2024", 100))
    frame = _frame(tmp_path, {"a": ("12-31", facts), "b": ("12-31", facts)})
    result = compare(frame, (), ["a", "b"])
    assert sorted(built) == [False, False, True]
    # 100 / 50 − 1 = 100 %, for each company
    assert _cell(result, "Revenue growth, year on year", "a").value == pytest.approx(100.0)


def _every_fact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Growth and margins computed from every fact, as before ``_around`` chose the shown periods'."""
    monkeypatch.setattr("minimetrics.compare._around", lambda facts, shown: facts)


def test_the_shown_periods_figures_are_those_every_fact_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # acme: segments, 9M interims, a FY2022 growth derived from a stated rate (no FY2021),
    # and no FY2023 but a span with its dates (found by its dates as the year before FY2024).
    acme = (
        _revenue(("FY2022", 80), ("FY2024", 100), ("9M2024", 70), ("9M2025", 90))
        + f"    2023-01-01/2023-12-31: {{value: 80, unit: USD million, {S}}}\n"
        + "  revenue[consumer]:\n"
        + f"    FY2024: {{value: 40, unit: USD million, {S}}}\n"
        + "  revenue_growth:\n"
        + f"    FY2022: {{value: 60, unit: percent, {S}}}\n"
        + "  gross_profit:\n"
        + "".join(f"    {y}: {{value: {v}, unit: USD million, {S}}}\n" for y, v in (("FY2024", 40), ("9M2025", 30)))
        + "  gross_margin:\n"
        + f"    9M2024: {{value: 31.5, unit: percent, {S}}}\n"
    )
    bolt = _revenue(("FY2022", 50), ("FY2023", 55), ("FY2024", 60))
    frame = _frame(tmp_path, {"acme": ("12-31", acme), "bolt": ("12-31", bolt)})
    years = [None, "FY2022"]
    narrowed = [compare(frame, (), ["acme", "bolt"], CompareOptions(year=y)) for y in years]
    _every_fact(monkeypatch)
    every = [compare(frame, (), ["acme", "bolt"], CompareOptions(year=y)) for y in years]
    # repr: a NaN equals no other NaN, its text does.
    assert [repr(r) for r in narrowed] == [repr(r) for r in every]
    # And by hand: FY2024 against the span with FY2023's dates, 100 ÷ 80 − 1 = 25 %; gross margin 40 ÷ 100 = 40 %.
    assert _cell(narrowed[0], "Revenue growth, year on year", "acme").value == pytest.approx(25.0)
    assert _cell(narrowed[0], "Gross margin", "acme").value == pytest.approx(40.0)
    # FY2022's prior derived from the stated 60 %: 80 ÷ 1.6 = 50, so 80 ÷ 50 − 1 = 60 %.
    assert _cell(narrowed[1], "Revenue growth, year on year", "acme").value == pytest.approx(60.0)
    # The latest period, 9M2025: growth 90 ÷ 70 − 1 = 28.57 %, gross margin 30 ÷ 90 = 33.33 %.
    latest = [r for r in narrowed[0].rows if r.section.startswith("Latest")]
    assert [r.cells[0].period for r in latest] == ["9M2025"] * 3
    assert latest[0].cells[0].value == pytest.approx(90 / 70 * 100 - 100)
    assert latest[1].cells[0].value == pytest.approx(100 / 3)


def test_synthetic_sheets_compare_as_with_every_fact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The benchmark's sheets (ten years, interims, segments, conflicts, stated ratios): the
    # same comparison whether growth and margins read the shown periods' facts or every fact.
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth  # type: ignore[import-not-found, unused-ignore]

    synth.generate(tmp_path, 3)
    data = load_data(tmp_path)
    frame = facts_frame(list(data.sheets))
    rates = data.fx.rates if data.fx else ()
    companies = ["synth0001", "synth0002", "synth0003"]
    years = [None, "FY2019"]
    narrowed = [compare(frame, rates, companies, CompareOptions(year=y, as_of=date(2026, 1, 31))) for y in years]
    _every_fact(monkeypatch)
    every = [compare(frame, rates, companies, CompareOptions(year=y, as_of=date(2026, 1, 31))) for y in years]
    assert [repr(r) for r in narrowed] == [repr(r) for r in every]
    assert sum(not math.isnan(c.value) for r in narrowed[0].rows for c in r.cells) > 30  # figures, not gaps
