"""Cross-checks: each kind finds a planted mismatch, passes a consistent sheet, and the shipped
sheets agree with themselves (every mismatch is listed at once when they do not)."""

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import write_sheet

from minimetrics.checks import crosscheck, market_cap_warnings
from minimetrics.dataset import bundled_data_dir, sheet_files
from minimetrics.factsheet import read_sheet


def _messages(tmp_path: Path, facts: str) -> list[str]:
    sheet, problems = read_sheet(write_sheet(tmp_path, facts))
    assert sheet is not None, [str(p) for p in problems]
    return [p.message for p in crosscheck(sheet)]


REVENUE = "  revenue:\n    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"


def test_margin_matches_gross_profit_over_revenue(tmp_path: Path) -> None:
    # 3.9 / 30.5 = 12.79 %; rounding of both allows 12.75 % to 12.83 %.
    ok = (
        REVENUE + "  gross_profit:\n    FY2024: {value: 3.9, unit: USD million, source: press_20260109}\n"
        "  gross_margin:\n    FY2024: {value: 12.8, unit: percent, source: press_20260109}\n"
    )
    assert _messages(tmp_path, ok) == []
    bad = ok.replace("value: 12.8,", "value: 14.8,")
    [message] = _messages(tmp_path, bad)
    assert "gross_margin FY2024 is stated as 14.8% but gross_profit ÷ revenue gives 12.79%" in message


def test_share_matches_segment_over_total(tmp_path: Path) -> None:
    # consumer 21.5 of 30.5 = 70.49 %; a stated 60 % is outside.
    facts = (
        REVENUE + "  revenue[consumer]:\n    FY2024: {value: 21.5, unit: USD million, source: press_20260109}\n"
        "  revenue_share[consumer]:\n    FY2024: {value: 60, unit: percent, source: press_20260109}\n"
    )
    [message] = _messages(tmp_path, facts)
    assert "revenue_share[consumer] FY2024 is stated as 60% but revenue[consumer] ÷ revenue gives 70.49%" in message


def test_growth_matches_the_two_years(tmp_path: Path) -> None:
    # 30.5 / 3.46 − 1 = 781.5 %; stated 782 % is within rounding, 700 % is not.
    facts = (
        "  revenue:\n"
        "    FY2023: {value: 3.46, unit: USD million, source: press_20260109}\n"
        "    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"
        "  revenue_growth:\n    FY2024: {value: 782, unit: percent, source: press_20260109}\n"
    )
    assert _messages(tmp_path, facts) == []
    [message] = _messages(tmp_path, facts.replace("value: 782,", "value: 700,"))
    assert "revenue_growth FY2024 is stated as 700% but revenue FY2024 ÷ FY2023 gives 781.5%" in message


def test_segments_add_up_to_the_total(tmp_path: Path) -> None:
    # 21.5 + 9.0 = 30.5 matches; 21.5 + 7.0 = 28.5 does not.
    facts = (
        REVENUE + "  revenue[consumer]:\n    FY2024: {value: 21.5, unit: USD million, source: press_20260109}\n"
        "  revenue[enterprise]:\n    FY2024: {value: 9.0, unit: USD million, source: press_20260109}\n"
    )
    assert _messages(tmp_path, facts) == []
    [message] = _messages(tmp_path, facts.replace("value: 9.0,", "value: 7.0,"))
    assert message == (
        "revenue FY2024: the business segments (consumer, enterprise) add up to 28.5 USD million, "
        "outside the 30.45 to 30.55 that revenue allows"
    )


def test_segments_in_another_currency_than_the_total_are_not_added(tmp_path: Path) -> None:
    # 150.0 + 64.0 = 214.0 RMB million is not compared with a 30.5 USD million total (at about
    # 7.1 RMB per USD both sides would be near 30 and the check would pass or fail by the rate):
    # the check says it cannot be made instead of adding across currencies.
    facts = (
        REVENUE + "  revenue[consumer]:\n    FY2024: {value: 150.0, unit: RMB million, source: press_20260109}\n"
        "  revenue[enterprise]:\n    FY2024: {value: 64.0, unit: RMB million, source: press_20260109}\n"
    )
    [message] = _messages(tmp_path, facts)
    assert message == "the business segments' sum of revenue FY2024 cannot be checked: its figures are in RMB and USD"


def test_a_margin_from_figures_in_two_currencies_is_not_checked(tmp_path: Path) -> None:
    # gross profit 27.7 RMB million over revenue 30.5 USD million would "give" 90.82 %: not a margin.
    facts = (
        REVENUE + "  gross_profit:\n    FY2024: {value: 27.7, unit: RMB million, source: press_20260109}\n"
        "  gross_margin:\n    FY2024: {value: 12.8, unit: percent, source: press_20260109}\n"
    )
    [message] = _messages(tmp_path, facts)
    assert message == "gross_margin FY2024 cannot be checked: its figures are in RMB and USD"


def test_growth_across_a_change_of_currency_is_not_checked(tmp_path: Path) -> None:
    # 30.5 USD million against 21.7 RMB million would "give" 40.6 % growth.
    facts = (
        "  revenue:\n"
        "    FY2023: {value: 21.7, unit: RMB million, source: press_20260109}\n"
        "    FY2024: {value: 30.5, unit: USD million, source: press_20260109}\n"
        "  revenue_growth:\n    FY2024: {value: 782, unit: percent, source: press_20260109}\n"
    )
    [message] = _messages(tmp_path, facts)
    assert message == "revenue_growth FY2024 cannot be checked: its figures are in USD and RMB"


def test_shares_of_a_group_add_up_to_100(tmp_path: Path) -> None:
    # 70.0 + 20.0 = 90.0 (89.9 to 90.1): short of 100. Written as 70 and 30, each may be rounded
    # to the ten but by at most 10 % (65..75 and 27..33), so 92..108 reaches 100: nothing is said.
    facts = (
        "  revenue_share[consumer]:\n    FY2024: {value: 70.0, unit: percent, source: press_20260109}\n"
        "  revenue_share[enterprise]:\n    FY2024: {value: 20.0, unit: percent, source: press_20260109}\n"
    )
    [message] = _messages(tmp_path, facts)
    assert "revenue_share FY2024" in message and "add up to 90 percent" in message
    assert _messages(tmp_path, facts.replace("70.0", "70").replace("20.0", "30")) == []


SHIPPED = [p for p in sheet_files(bundled_data_dir()) if p.name != "fx.yaml"]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_sheets_agree_with_themselves(path: Path) -> None:
    sheet, problems = read_sheet(path)
    assert sheet is not None, [str(p) for p in problems]
    mismatches = [str(p) for p in crosscheck(sheet)]
    assert mismatches == [], "\n".join(mismatches)


def _march_messages(tmp_path: Path, facts: str) -> list[str]:
    path = write_sheet(tmp_path, facts)
    path.write_text(path.read_text(encoding="utf-8").replace("fiscal_year_end: 12-31", "fiscal_year_end: 03-31"))
    return _messages_at(path)


def _messages_at(path: Path) -> list[str]:
    sheet, problems = read_sheet(path)
    assert sheet is not None, [str(p) for p in problems]
    return [p.message for p in crosscheck(sheet)]


def test_growth_of_a_year_ending_in_march_uses_the_year_before_by_its_dates(tmp_path: Path) -> None:
    # FY2025 = April 2024 to March 2025; the year before is April 2023 to March 2024, written
    # here as an interval. 30.5 / 3.46 − 1 = 781.5 %: a stated 700 % is outside rounding.
    facts = (
        "  revenue:\n"
        "    2023-04-01/2024-03-31: {value: 3.46, unit: USD million, source: press_20260109}\n"
        "    FY2025: {value: 30.5, unit: USD million, source: press_20260109}\n"
        "  revenue_growth:\n    FY2025: {value: 700, unit: percent, source: press_20260109}\n"
    )
    [message] = _march_messages(tmp_path, facts)
    assert "revenue FY2025 ÷ 2023-04-01/2024-03-31 gives 781.5%" in message
    assert _march_messages(tmp_path, facts.replace("value: 700,", "value: 782,")) == []


def test_growth_against_a_period_of_other_dates_is_not_checked(tmp_path: Path) -> None:
    # With a March year end, calendar 2024 (January to December) is not the year before FY2025.
    facts = (
        "  revenue:\n"
        "    2024-01-01/2024-12-31: {value: 3.46, unit: USD million, source: press_20260109}\n"
        "    FY2025: {value: 30.5, unit: USD million, source: press_20260109}\n"
        "  revenue_growth:\n    FY2025: {value: 700, unit: percent, source: press_20260109}\n"
    )
    assert _march_messages(tmp_path, facts) == []


def test_rd_staff_share_matches_rd_employees_over_employees(tmp_path: Path) -> None:
    # 385 of 1,024 = 37.60 %; rounding allows 384.5 ÷ 1024.5 = 37.53 % to 385.5 ÷ 1023.5 = 37.66 %.
    facts = (
        "  employees:\n    2025-09-30: {value: 1024, unit: count, source: press_20260109}\n"
        "  rd_employees:\n    2025-09-30: {value: 385, unit: count, source: press_20260109}\n"
        "  rd_staff_share:\n    2025-09-30: {value: 37.6, unit: percent, source: press_20260109}\n"
    )
    assert _messages(tmp_path, facts) == []
    [message] = _messages(tmp_path, facts.replace("value: 37.6,", "value: 40.5,"))
    assert "rd_staff_share 2025-09-30 is stated as 40.5% but rd_employees ÷ employees gives 37.60%" in message
    assert "rounding allows 37.53 to 37.66" in message


def test_market_cap_against_price_times_shares(tmp_path: Path) -> None:
    # 267.8 × 309.26 M = 828.2億; about 719 (719 − 5 % = 683 to 755) is 13.2 % short, beyond
    # the 2 % tolerance (811.6 to 844.8): a warning naming both figures and their sources.
    facts = (
        "  share_price_intraday:\n    2026-01-09: {value: 267.8, unit: HKD per share, source: press_20260109}\n"
        "  shares_outstanding:\n    2026-01-09: {value: 309.26, unit: count million, source: other_20260110}\n"
        "  market_cap_intraday:\n    2026-01-09: {value: 719, unit: HKD 億, qualifier: about, source: press_20260109}\n"
    )
    sheet, problems = read_sheet(write_sheet(tmp_path, facts))
    assert sheet is not None, [str(p) for p in problems]
    [warning] = [p.message for p in market_cap_warnings(sheet)]
    assert warning == (
        "market_cap_intraday 2026-01-09 is stated as ~719 HKD 億 [press_20260109] but share_price_intraday "
        "2026-01-09 267.8 HKD per share [press_20260109] × shares_outstanding 2026-01-09 309.26 count million "
        "[other_20260110] gives 828.2 HKD 億 (-13.2%), beyond rounding and the 2% allowed for the share count's basis"
    )
    # 820 (819.5 to 820.5) is 1.0 % short of 828.2: within the tolerance, nothing is said.
    sheet, _ = read_sheet(
        write_sheet(tmp_path, facts.replace("value: 719, unit: HKD 億, qualifier: about", "value: 820, unit: HKD 億"))
    )
    assert sheet is not None and market_cap_warnings(sheet) == []


def test_the_shipped_market_caps_that_disagree_with_price_times_shares() -> None:
    # NetEase's about 719億 at HK$267.8 (−13.2 % against 309.26 M shares) and stockanalysis'
    # 120.61 bn at HK$412.4 (−5.4 %: it is the previous close's market cap): the audit's D3 and D3b.
    path = next(p for p in SHIPPED if p.stem == "minimax")
    sheet, _ = read_sheet(path)
    assert sheet is not None
    # Both carry a crosscheck_note saying why, so validate is clean; without the notes, both warn.
    assert market_cap_warnings(sheet) == []
    unexplained = replace(
        sheet,
        facts=tuple(replace(f, reports=tuple(replace(r, crosscheck_note="") for r in f.reports)) for f in sheet.facts),
    )
    found = [p.message.split(" is stated")[0] for p in market_cap_warnings(unexplained)]
    assert found == ["market_cap_intraday 2026-01-09", "market_cap_intraday 2026-01-21"]
    assert [
        p.message.split(" is stated")[0] for p in crosscheck(unexplained) if "shares_outstanding" in p.message
    ] == found
