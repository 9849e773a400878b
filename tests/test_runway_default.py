"""runway's default basis found directly (``_default_bases``) is the one ``_default_basis``
picks among every basis (``_bases``), and FactIndex's choices for all companies at once
(``latest``, ``nearest``, ``latest_after``, ``facts``) are those of a plain loop over each
company's periods."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEFAULT_SEGMENTS, SHEET_HEAD

from minimetrics.dataset import load_data, resolve_data_dir
from minimetrics.metrics import (
    BURN_BASES,
    CASH_BASES,
    IPO_PROCEEDS,
    FactIndex,
    RunwayOptions,
    _bases,
    _Basis,
    _default_bases,
    _default_basis,
    _label_kind,
    _RunwayFacts,
    run_codes,
    runway,
)
from minimetrics.registry import Period
from minimetrics.results import Input
from minimetrics.tidy import facts_frame

P = "source: press_20260109"
F = "source: press_20260109, outlook: forecast"
E = "source: press_20260109, outlook: estimate"

# Six companies, each a case of the default rule (first burn basis with a result burn, else the
# first with an outlook burn; the first cash basis the company has; never with IPO money):
SHEETS = {
    # both cash bases, every burn basis as a result, IPO money after the cash date:
    # default stated × liquid.
    "full": f"""  cash_and_liquid_assets:
    2025-09-30: {{value: 1000, unit: USD million, {P}}}
  cash_and_equivalents:
    2025-09-30: {{value: 600, unit: USD million, {P}}}
    2024-12-31: {{value: 700, unit: USD million, {P}}}
  monthly_cash_burn:
    FY2025: {{value: 25, unit: USD million per month, {P}}}
  operating_cash_flow:
    9M2025: {{value: -270, unit: USD million, {P}}}
  adjusted_net_loss:
    9M2025: {{value: 300, unit: USD million, {P}}}
  net_loss:
    9M2025: {{value: 360, unit: USD million, {P}}}
  ipo_net_proceeds:
    2026-01-09: {{value: 500, unit: USD million, {P}}}
""",
    # only an outlook burn (a forecast stated burn, an estimated net loss): a scenario, the
    # stated one first by the order of the burn bases.
    "scenario": f"""  cash_and_equivalents:
    2025-06-30: {{value: 300, unit: USD million, {P}}}
  monthly_cash_burn:
    FY2025: {{value: 20, unit: USD million per month, {F}}}
  net_loss:
    FY2025: {{value: 240, unit: USD million, {E}}}
""",
    # a result net loss beats a forecast stated burn: fewer outlooks before the order of bases.
    "mixed": f"""  cash_and_liquid_assets:
    2025-06-30: {{value: 800, unit: USD million, {P}}}
  monthly_cash_burn:
    FY2025: {{value: 30, unit: USD million per month, {F}}}
  net_loss:
    H1-2025: {{value: 120, unit: USD million, {P}}}
""",
    # a burn but no cash: no basis at all.
    "nocash": f"""  net_loss:
    FY2024: {{value: 100, unit: USD million, {P}}}
""",
    # cash but no burn: no basis.
    "noburn": f"""  cash_and_equivalents:
    2025-06-30: {{value: 100, unit: USD million, {P}}}
""",
    # cash alone (no liquid assets), a net loss, and IPO proceeds as an estimate only.
    "ipoonly": f"""  cash_and_equivalents:
    2025-06-30: {{value: 100, unit: USD million, {P}}}
  net_loss:
    FY2024: {{value: 120, unit: USD million, {P}}}
  ipo_net_proceeds:
    2025-12-31: {{value: 50, unit: USD million, {E}}}
""",
}


def _sheets_frame(tmp_path: Path) -> pd.DataFrame:
    for number, (company, facts) in enumerate(SHEETS.items()):
        # Each its own ticker and name: two sheets that answer to one name are an error.
        head = SHEET_HEAD.format(id=company, segments=DEFAULT_SEGMENTS)
        head = head.replace("00001.HK", f"0000{number + 1}.HK").replace("name: Acme", f"name: {company.title()}")
        (tmp_path / f"{company}.yaml").write_text(head + facts, encoding="utf-8")
    data = load_data(tmp_path)
    assert {s.company.id for s in data.sheets} == set(SHEETS)
    return facts_frame(data.sheets)


@pytest.fixture
def found(tmp_path: Path) -> _RunwayFacts:
    frame = _sheets_frame(tmp_path)
    return _RunwayFacts(FactIndex(frame), FactIndex(frame, outlooks=True))


def _name(basis: _Basis | None) -> tuple[str, str] | None:
    return None if basis is None else (basis.cash_name, basis.burn_name)


def test_the_default_of_each_hand_built_company(found: _RunwayFacts) -> None:
    options = RunwayOptions(with_ipo=False)
    defaults = _default_bases(found, found.index.companies, options)
    chosen = {c: _name(defaults.get(c)) for c in found.index.companies}
    assert chosen == {
        "full": ("liquid", "stated"),  # the first of each order
        "ipoonly": ("cash", "net_loss"),  # no liquid assets; the IPO estimate is never in the default
        "mixed": ("liquid", "net_loss"),  # a result net loss before a forecast stated burn
        "nocash": None,  # a burn without cash
        "noburn": None,  # cash without burn
        "scenario": ("cash", "stated"),  # outlooks only: the stated forecast before the estimated loss
    }
    # The scenario's basis is the forecast: one input that is not a result.
    scenario = defaults["scenario"]
    assert scenario.scenario == "monthly_cash_burn FY2025 is a forecast, not a result"


@pytest.mark.parametrize("cash", [None, *CASH_BASES])
@pytest.mark.parametrize("burn", [None, *BURN_BASES])
@pytest.mark.parametrize("with_ipo", [None, False])
def test_the_default_found_directly_is_the_one_chosen_among_every_basis(
    found: _RunwayFacts, cash: str | None, burn: str | None, with_ipo: bool | None
) -> None:
    options = RunwayOptions(cash, burn, with_ipo)
    defaults = _default_bases(found, [*found.index.companies, "unknown"], options)
    for company in [*found.index.companies, "unknown"]:
        assert defaults.get(company) == _default_basis(_bases(found, company, options))


def test_default_only_rows_equal_the_default_rows(tmp_path: Path) -> None:
    frame = _sheets_frame(tmp_path)
    options = RunwayOptions(as_of=date(2026, 3, 31))
    every = runway(frame, (), options)
    only = runway(frame, (), options, default_only=True)
    # full: 2 cash × 4 burns × (without, with IPO) = 16; scenario: 1 cash × 2 burns = 2; mixed: 1 × 2 = 2;
    # ipoonly: 1 × 1 × 2 = 2; nocash and noburn none.
    assert len(every) == 16 + 2 + 2 + 2
    assert list(only["company"]) == ["full", "ipoonly", "mixed", "scenario"]
    pd.testing.assert_frame_equal(only.reset_index(drop=True), every[every["default"]].reset_index(drop=True))
    # full's default: 1000 ÷ 25 a month = 40 months; mixed: 800 ÷ (120 ÷ 6) = 40; scenario: 300 ÷ 20 = 15;
    # ipoonly: 100 ÷ (120 ÷ 12) = 10.
    assert list(only["months"]) == pytest.approx([40.0, 10.0, 40.0, 15.0])


# --- FactIndex: all companies at once, against a loop over each company's periods ---------


def _latest(index: FactIndex, company: str, key: str) -> tuple[Input, Period] | None:
    dates = sorted((p for p in index.periods.get((company, key), []) if p.is_instant), key=lambda p: p.end)
    found = index.get(company, key, dates[-1].label) if dates else None
    return (found, dates[-1]) if found is not None else None


def _nearest(index: FactIndex, company: str, key: str, day: date) -> tuple[Input, Period] | None:
    periods = [p for p in index.periods.get((company, key), []) if not p.is_instant]
    if not periods:
        return None
    best = min(
        periods, key=lambda p: (abs((p.end - day).days), not _label_kind(p.label), -p.end.toordinal(), -p.months)
    )
    found = index.get(company, key, best.label)
    return (found, best) if found is not None else None


def _after(index: FactIndex, company: str, key: str, day: date) -> tuple[Input, Period] | None:
    dates = sorted((p for p in index.periods.get((company, key), []) if p.start > day), key=lambda p: p.end)
    found = index.get(company, key, dates[-1].label) if dates else None
    return (found, dates[-1]) if found is not None else None


def _days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


@pytest.mark.parametrize(
    "folder", [resolve_data_dir(), Path(__file__).parent / "fixtures"], ids=["shipped", "fixtures"]
)
def test_choices_for_every_company_match_a_loop_over_its_periods(folder: Path) -> None:
    data = load_data(folder)
    frame = facts_frame(data.sheets)
    for index in (FactIndex(frame), FactIndex(frame, outlooks=True)):
        for cash_metric, _ in CASH_BASES.values():
            latest = index.latest(cash_metric)
            assert index.facts(latest) == {c: index.fact(p) for c, p in latest.items()}  # at once, or one by one
            for company in index.companies:
                expected = _latest(index, company, cash_metric)
                assert (index.fact(latest[company]) if company in latest else None) == expected
            # Every company measured from the end of its balance, else from a day of its own.
            day = {c: _days(index.fact(p)[1].end) for c, p in latest.items()}
            day |= {c: _days(date(2025, 6, 30)) for c in index.companies if c not in day}
            for burn_metric, _ in BURN_BASES.values():
                nearest = index.nearest(burn_metric, day)
                after = index.latest_after(IPO_PROCEEDS, day)
                for company in index.companies:
                    on = date(1970, 1, 1) + pd.Timedelta(days=day[company]).to_pytimedelta()
                    expected = _nearest(index, company, burn_metric, on)
                    assert (index.fact(nearest[company]) if company in nearest else None) == expected
                    expected = _after(index, company, IPO_PROCEEDS, on)
                    assert (index.fact(after[company]) if company in after else None) == expected


def _custom(tmp_path: Path, facts: str) -> FactIndex:
    (tmp_path / "acme.yaml").write_text(SHEET_HEAD.format(id="acme", segments=DEFAULT_SEGMENTS) + facts, "utf-8")
    return FactIndex(facts_frame(load_data(tmp_path).sheets))


def test_nearest_prefers_a_named_period_then_the_later_then_the_longer(tmp_path: Path) -> None:
    index = _custom(
        tmp_path,
        f"""  net_loss:
    2022-01-01/2025-09-30: {{value: 1, unit: USD million, {P}}}
    9M2025: {{value: 2, unit: USD million, {P}}}
    2025-04-01/2025-06-20: {{value: 3, unit: USD million, {P}}}
    2025-04-01/2025-07-10: {{value: 4, unit: USD million, {P}}}
    2025-05-01/2025-07-10: {{value: 5, unit: USD million, {P}}}
""",
    )

    def nearest(day: date) -> str:
        return index.fact(index.nearest("net_loss", {"acme": _days(day)})["acme"])[0].period

    # 2025-09-30: the custom span and 9M2025 both end on it (0 days): the named one.
    assert nearest(date(2025, 9, 30)) == "9M2025"
    # 2025-06-30: 06-20 and 07-10 are both 10 days off: the later end; of the two ending 07-10
    # (4 and 3 months, 2025-04 to 07 and 2025-05 to 07), the longer.
    assert nearest(date(2025, 6, 30)) == "2025-04-01/2025-07-10"
    # 2025-06-21: 06-20 is 1 day off.
    assert nearest(date(2025, 6, 21)) == "2025-04-01/2025-06-20"
    # A company without a day to measure from gets nothing.
    assert index.nearest("net_loss", {}) == {}


def test_latest_and_latest_after(tmp_path: Path) -> None:
    index = _custom(
        tmp_path,
        f"""  cash_and_equivalents:
    2024-12-31: {{value: 10, unit: USD million, {P}}}
    2025-06-30: {{value: 20, unit: USD million, {P}}}
    2025-03-31: {{value: 30, unit: USD million, {P}}}
  ipo_net_proceeds:
    2025-06-30: {{value: 1, unit: USD million, {P}}}
    2025-09-30: {{value: 2, unit: USD million, {P}}}
    2025-07-31: {{value: 3, unit: USD million, {P}}}
""",
    )
    cash, period = index.fact(index.latest("cash_and_equivalents")["acme"])
    assert (cash.amount, period.end) == (20e6, date(2025, 6, 30))  # the latest date, not the last written
    after = index.latest_after("ipo_net_proceeds", {"acme": _days(date(2025, 6, 30))})
    assert index.fact(after["acme"])[0].amount == 2e6  # after 06-30 (not on it), the latest: 09-30
    assert index.latest_after("ipo_net_proceeds", {"acme": _days(date(2025, 9, 30))}) == {}  # none after
    assert index.latest("net_loss") == {}  # a key nobody reports


def test_periods_are_made_on_demand_and_behave_as_a_mapping(tmp_path: Path) -> None:
    index = _custom(
        tmp_path,
        f"""  revenue:
    FY2024: {{value: 10, unit: USD million, {P}}}
    H1-2025: {{value: 7, unit: USD million, {P}}}
    FY2025: {{value: 16, unit: USD million, {F}}}
  revenue[consumer]:
    FY2024: {{value: 4, unit: USD million, {P}}}
""",
    )
    # The forecast FY2025 is not a result: two periods of revenue, in the sheet's order.
    assert [p.label for p in index.periods[("acme", "revenue")]] == ["FY2024", "H1-2025"]
    assert set(index.periods) == {("acme", "revenue"), ("acme", "revenue[consumer]")}
    assert len(index.periods) == 2
    assert index.periods.get(("acme", "net_loss")) is None and ("acme", "net_loss") not in index.periods
    with pytest.raises(KeyError):
        index.periods[("nobody", "revenue")]
    assert index.keys("acme", "revenue") == ["revenue", "revenue[consumer]"]
    # Found by its label or by its dates: H1-2025 is 2025-01-01 to 2025-06-30.
    h1 = Period("H1", date(2025, 1, 1), date(2025, 6, 30), False)
    assert index.get("acme", "revenue", "H1-2025") == index.at("acme", "revenue", h1)
    assert index.get("acme", "revenue", "H1-2025").amount == 7e6  # type: ignore[union-attr]
    assert index.get("acme", "revenue", "FY2025") is None  # a forecast
    assert index.get("acme", "revenue", None) is None
    outlooks = FactIndex(facts_frame(load_data(tmp_path).sheets), outlooks=True)
    assert outlooks.companies == ["acme"] and [p.label for p in outlooks.periods[("acme", "revenue")]] == ["FY2025"]


def test_an_index_of_nothing(tmp_path: Path) -> None:
    index = _custom(tmp_path, f"  net_loss:\n    FY2025: {{value: 1, unit: USD million, {F}}}\n")
    assert index.companies == [] and len(index.periods) == 0 and index.latest("net_loss") == {}
    assert index.nearest("net_loss", {"acme": 0}) == {} and index.get("acme", "net_loss", "FY2025") is None


def test_run_codes_counts_runs_not_rows() -> None:
    import numpy as np

    companies = np.array(["b", "b", "a", "a", "b"], dtype=object)
    metrics = np.array(["x", "y", "y", "y", "y"], dtype=object)
    codes, found = run_codes(companies, metrics)
    # Runs: (b, x), (b, y), (a, y) ×2, (b, y) again: the same code as the second.
    assert codes.tolist() == [0, 1, 2, 2, 1]
    assert found == [("b", "x"), ("b", "y"), ("a", "y")]
    empty, none = run_codes(np.array([], dtype=object))
    assert empty.tolist() == [] and none == []


def test_a_report_given_twice_is_the_last_of_them_whichever_way_it_is_found(tmp_path: Path) -> None:
    # Not expected from a sheet (one preferred report per fact), but an index of any frame must
    # answer one way: the net loss of FY2024 twice, 100 then 200 million. By its label (``get``,
    # the last one, as a dict keeps it) and by ``nearest`` (the first of two equal rows, whose
    # report is then the one ``get`` gives): 200 million both ways, at once or one by one.
    (tmp_path / "acme.yaml").write_text(
        SHEET_HEAD.format(id="acme", segments=DEFAULT_SEGMENTS)
        + f"  net_loss:\n    FY2024: {{value: 100, unit: USD million, {P}}}\n"
        + f"    H1-2024: {{value: 40, unit: USD million, {P}}}\n",
        "utf-8",
    )
    frame = facts_frame(load_data(tmp_path).sheets)
    again = frame[frame["period"] == "FY2024"].assign(amount=200e6)
    index = FactIndex(pd.concat([frame, again], ignore_index=True))
    assert index.get("acme", "net_loss", "FY2024").amount == 200e6  # type: ignore[union-attr]
    nearest = index.nearest("net_loss", {"acme": _days(date(2024, 12, 31))})
    assert index.fact(nearest["acme"])[0].amount == 200e6
    assert index.facts(nearest)["acme"][0].amount == 200e6
    assert index.facts(nearest)["acme"][1] == Period("FY2024", date(2024, 1, 1), date(2024, 12, 31), False)
