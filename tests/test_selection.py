"""``selection.select_facts``: the part of a sheet ``show --metric/--period`` shows (issue 14 item 1),
checked on the hand-written fixture alpha (tests/fixtures/alpha.yaml)."""

from pathlib import Path

import pytest

from minimetrics import load_data
from minimetrics.dataset import find_company
from minimetrics.factsheet import FactSheet
from minimetrics.problems import UsageError
from minimetrics.selection import did_you_mean, select_facts, unknown_hint

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def alpha() -> FactSheet:
    return find_company(load_data(FIXTURES, companies=["alpha"]), "alpha")


def _keys(sheet: FactSheet) -> list[tuple[str, str]]:
    return [(f.key, f.period.label) for f in sheet.facts]


def test_nothing_asked_is_the_whole_sheet(alpha: FactSheet) -> None:
    assert select_facts(alpha) == alpha


def test_a_metric_keeps_every_segment_and_period_of_it(alpha: FactSheet) -> None:
    # alpha's revenue: FY2023, FY2024 (two reports), 9M2024, 9M2025, and chat and api in FY2024.
    chosen = select_facts(alpha, ["revenue"])
    assert sorted(_keys(chosen)) == sorted(
        [
            ("revenue", "FY2023"),
            ("revenue", "FY2024"),
            ("revenue", "9M2024"),
            ("revenue", "9M2025"),
            ("revenue[chat]", "FY2024"),
            ("revenue[api]", "FY2024"),
        ]
    )
    # Only the sources its reports cite: the prospectus and, for FY2024's 300, the rumour.
    assert [s.id for s in chosen.sources] == ["prospectus_20251220", "rumour_20250601"]


def test_metric_and_period_together_whatever_their_case(alpha: FactSheet) -> None:
    chosen = select_facts(alpha, ["Revenue[chat]", "NET_LOSS"], ["fy2024"])
    assert sorted(_keys(chosen)) == [("net_loss", "FY2024"), ("revenue[chat]", "FY2024")]


def test_periods_are_repeatable_and_dates_are_periods(alpha: FactSheet) -> None:
    chosen = select_facts(alpha, periods=["2025-09-30", "9M2025"])
    assert sorted(_keys(chosen)) == [
        ("cash_and_equivalents", "2025-09-30"),
        ("cash_runway", "2025-09-30"),
        ("net_loss", "9M2025"),
        ("revenue", "9M2025"),
        ("revenue_growth", "9M2025"),
    ]


def test_a_mistyped_metric_says_did_you_mean_and_what_the_company_has(alpha: FactSheet) -> None:
    with pytest.raises(UsageError) as raised:
        select_facts(alpha, ["revenu"])
    assert raised.value.message == 'alpha has no metric "revenu"'
    assert raised.value.hint.startswith('did you mean "revenue"')
    assert "it has: revenue, revenue[chat], revenue[api], revenue_growth, gross_profit" in raised.value.hint


def test_a_period_it_does_not_have_lists_its_periods_in_time_order(alpha: FactSheet) -> None:
    with pytest.raises(UsageError) as raised:
        select_facts(alpha, periods=["FY2020"])
    assert raised.value.message == 'alpha has no period "FY2020"'
    # A well-formed period is no typo: no "did you mean", the periods instead, oldest first.
    assert raised.value.hint.startswith("it has: FY2023, 9M2024, FY2024, 2024-12-31,")
    with pytest.raises(UsageError, match='did you mean "FY2024"'):
        select_facts(alpha, periods=["FY224"])


def test_a_metric_and_a_period_never_together_name_the_metric_s_periods(alpha: FactSheet) -> None:
    with pytest.raises(UsageError) as raised:
        select_facts(alpha, ["gross_margin"], ["FY2023"])
    assert raised.value.message == 'alpha has no fact of "gross_margin" for "FY2023"'
    assert raised.value.hint == 'the periods of "gross_margin": FY2024'


def test_did_you_mean_keeps_the_names_as_written() -> None:
    assert did_you_mean("fy2O24", ["FY2024", "H1-2025"]) == 'did you mean "FY2024"?'
    assert did_you_mean("happiness", ["revenue"]) == ""
    assert unknown_hint("happiness", ["revenue"], "known") == "known: revenue"
