"""Claims checked on tiny hand-written sheets, the arithmetic beside each expected value.

A claim is a figure a source states that the sheet's other figures imply; it reproduces
when the interval its rounding allows meets the interval the amounts' rounding allows.
"""

import math
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import write_sheet

from minimetrics import read_sheet
from minimetrics.claims import check_claims, checked_claims, with_verdicts
from minimetrics.factsheet import FactSheet
from minimetrics.problems import UsageError
from minimetrics.results import Claim, Verdict

S = "source: press_20260109"  # published 2026-01-09, rank 2
LATER = "source: other_20260110"  # published 2026-01-10, rank 2


def _claims(tmp_path: Path, facts: str, year_end: str = "12-31") -> list[Claim]:
    path = write_sheet(tmp_path, facts)
    path.write_text(path.read_text(encoding="utf-8").replace("fiscal_year_end: 12-31", f"fiscal_year_end: {year_end}"))
    sheet, problems = read_sheet(path)
    assert isinstance(sheet, FactSheet), [str(p) for p in problems]
    return check_claims(sheet)


def _one(claims: list[Claim], claim: str, source: str = "press_20260109") -> Claim:
    found = [c for c in claims if (c.claim, c.source) == (claim, source)]
    assert len(found) == 1, claims
    return found[0]


def test_a_margin_reproduces_within_its_rounding(tmp_path: Path) -> None:
    # 104 ÷ 312 = 33.33 %; rounding allows 103.5 ÷ 312.5 = 33.12 % to 104.5 ÷ 311.5 = 33.55 %.
    # Stated 33.3 (33.25 to 33.35) meets it; stated 35 (34.5 to 35.5) does not.
    facts = (
        f"  revenue:\n    FY2024: {{value: 312, unit: USD million, {S}}}\n"
        f"  gross_profit:\n    FY2024: {{value: 104, unit: USD million, {S}}}\n"
        f"  gross_margin:\n    FY2024: {{value: 33.3, unit: percent, {S}}}\n"
    )
    close = _one(_claims(tmp_path, facts), "gross_margin FY2024")
    assert close.verdict == Verdict.REPRODUCES and close.computed == pytest.approx(104 / 312 * 100)
    assert close.assumption == (
        "gross_profit FY2024 ÷ revenue FY2024: gross_profit FY2024 104 USD million [press_20260109]; "
        "revenue FY2024 312 USD million [press_20260109]"
    )
    far = _one(_claims(tmp_path, facts.replace("value: 33.3,", "value: 35,")), "gross_margin FY2024")
    assert far.verdict == Verdict.DOES_NOT_REPRODUCE and far.computed == pytest.approx(33.333, abs=0.001)


def test_a_loss_margin_is_negative(tmp_path: Path) -> None:
    # Net margin = −net loss ÷ revenue = −150 ÷ 300 = −50 %.
    claims = _claims(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 300, unit: USD million, {S}}}\n"
        f"  net_loss:\n    FY2024: {{value: 150, unit: USD million, {S}}}\n"
        f"  net_margin:\n    FY2024: {{value: -50, unit: percent, {S}}}\n",
    )
    claim = _one(claims, "net_margin FY2024")
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx(-50.0)
    assert claim.assumption.startswith("−net_loss FY2024 ÷ revenue FY2024: ")


def test_a_ratio_over_a_zero_denominator_cannot_be_checked(tmp_path: Path) -> None:
    # Revenue written 0 may be anything from −0.5 to 0.5 million: no ratio over it means anything.
    claims = _claims(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 0, unit: USD million, {S}}}\n"
        f"  gross_profit:\n    FY2024: {{value: 1, unit: USD million, {S}}}\n"
        f"  gross_margin:\n    FY2024: {{value: 20, unit: percent, {S}}}\n",
    )
    claim = _one(claims, "gross_margin FY2024")
    assert claim.verdict == Verdict.CANNOT_BE_CHECKED and math.isnan(claim.computed)
    assert claim.assumption == "revenue FY2024 may be zero"


def test_a_ratio_without_its_inputs_cannot_be_checked(tmp_path: Path) -> None:
    claims = _claims(tmp_path, f"  rd_to_revenue:\n    FY2024: {{value: 80, unit: percent, {S}}}\n")
    claim = _one(claims, "rd_to_revenue FY2024")
    assert (claim.verdict, claim.assumption) == (Verdict.CANNOT_BE_CHECKED, "needs rd_expense FY2024, revenue FY2024")


def test_a_share_of_revenue_and_of_staff(tmp_path: Path) -> None:
    # Segment share: 30 ÷ 120 = 25 %. R&D staff: 300 ÷ 400 = 75 %.
    claims = _claims(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 120, unit: USD million, {S}}}\n"
        f"  revenue[consumer]:\n    FY2024: {{value: 30, unit: USD million, {S}}}\n"
        f"  revenue_share[consumer]:\n    FY2024: {{value: 25, unit: percent, {S}}}\n"
        f"  employees:\n    2025-09-30: {{value: 400, unit: count, {S}}}\n"
        f"  rd_employees:\n    2025-09-30: {{value: 300, unit: count, {S}}}\n"
        f"  rd_staff_share:\n    2025-09-30: {{value: 75, unit: percent, {S}}}\n",
    )
    share = _one(claims, "revenue_share[consumer] FY2024")
    assert share.verdict == Verdict.REPRODUCES and share.computed == pytest.approx(25.0)
    assert share.assumption.startswith("revenue[consumer] FY2024 ÷ revenue FY2024: ")
    staff = _one(claims, "rd_staff_share 2025-09-30")
    assert staff.verdict == Verdict.REPRODUCES and staff.computed == pytest.approx(75.0)


def test_growth_from_a_zero_or_open_base_cannot_be_checked(tmp_path: Path) -> None:
    # FY2023 written 0 (−0.5 to 0.5) or "less than 1" (open below): the base may be zero or negative.
    facts = (
        f"  revenue:\n    FY2023: {{value: 0, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 10, unit: USD million, {S}}}\n"
        f"  revenue_growth:\n    FY2024: {{value: 50, unit: percent, {S}}}\n"
    )
    zero = _one(_claims(tmp_path, facts), "revenue_growth FY2024")
    assert (zero.verdict, zero.assumption) == (Verdict.CANNOT_BE_CHECKED, "revenue FY2023 may be zero or negative")
    open_below = facts.replace("value: 0, unit: USD million,", "value: 1, unit: USD million, qualifier: less_than,")
    assert _one(_claims(tmp_path, open_below), "revenue_growth FY2024").verdict == Verdict.CANNOT_BE_CHECKED


def test_growth_of_a_march_year_is_against_the_year_that_ended_a_year_earlier(tmp_path: Path) -> None:
    # Year ending 31 March: FY2025 (Apr 2024–Mar 2025) against FY2024 (Apr 2023–Mar 2024): 60 ÷ 40 − 1 = 50 %.
    # H1-2026 (Apr–Sep 2025) against H1-2025 (Apr–Sep 2024): 36 ÷ 24 − 1 = 50 %; there is no H1-2024.
    claims = _claims(
        tmp_path,
        f"  revenue:\n    FY2024: {{value: 40, unit: USD million, {S}}}\n"
        f"    FY2025: {{value: 60, unit: USD million, {S}}}\n"
        f"    H1-2025: {{value: 24, unit: USD million, {S}}}\n"
        f"    H1-2026: {{value: 36, unit: USD million, {S}}}\n"
        f"  revenue_growth:\n    FY2025: {{value: 50, unit: percent, {S}}}\n"
        f"    H1-2026: {{value: 50, unit: percent, {S}}}\n"
        f"    H1-2025: {{value: 10, unit: percent, {S}}}\n",
        year_end="03-31",
    )
    year = _one(claims, "revenue_growth FY2025")
    assert year.verdict == Verdict.REPRODUCES and year.computed == pytest.approx(50.0)
    assert year.assumption.startswith("revenue FY2025 ÷ revenue FY2024 − 1: ")
    assert _one(claims, "revenue_growth H1-2026").computed == pytest.approx(50.0)
    missing = _one(claims, "revenue_growth H1-2025")
    assert (missing.verdict, missing.assumption) == (Verdict.CANNOT_BE_CHECKED, "needs revenue H1-2024")


RUNWAY = (
    # Cash published on 2026-01-10 only; the 9M2025 loss on 2026-01-09. 120 ÷ (90 ÷ 9) = 12 months.
    f"  cash_and_equivalents:\n    2025-09-30: {{value: 120, unit: USD million, {LATER}}}\n"
    f"  net_loss:\n    9M2025: {{value: 90, unit: USD million, {S}}}\n"
    "  cash_runway:\n    2025-09-30:\n"
    f"      - {{value: 12, unit: months, {S}}}\n"
    f"      - {{value: 1, unit: years, {LATER}}}\n"
)


def test_a_runway_claim_without_its_own_cash_and_burn_cannot_be_checked(tmp_path: Path) -> None:
    claims = _claims(tmp_path, RUNWAY)
    # The 2026-01-09 source could not have used a cash figure first published a day later.
    early = _one(claims, "cash_runway 2025-09-30")
    assert early.verdict == Verdict.CANNOT_BE_CHECKED and math.isnan(early.computed)
    assert early.assumption == "the sheet has no cash and burn to test it"
    # The 2026-01-10 source gives the cash but not the burn: 120 ÷ (90 ÷ 9) = 12 months = 1 year
    # fits, but only on the other source's loss, so the verdict says so and does not reproduce it.
    late = _one(claims, "cash_runway 2025-09-30", "other_20260110")
    assert late.verdict == Verdict.CANNOT_BE_CHECKED and math.isnan(late.computed)
    assert late.assumption == (
        "its source gives no burn of its own; other sources' figures (press_20260109) give "
        "1 pairings from 1.0 to 1.0 years, 1 of them within the claim"
    )
    detail = next(c for c in checked_claims(_sheet(tmp_path, RUNWAY)) if c.claim.source == "other_20260110")
    assert detail.needs == ("press_20260109",) and detail.candidates == pytest.approx((1.0,))


OWN_RUNWAY = (
    # One source gives both: 120 ÷ 10 a month = 12 months; and a loss of 90 over 9 months = 10 a month.
    f"  cash_and_equivalents:\n    2025-09-30: {{value: 120, unit: USD million, {S}}}\n"
    f"  monthly_cash_burn:\n    FY2025: {{value: 10, unit: USD million per month, {S}}}\n"
    "  cash_runway:\n    2025-09-30:\n"
    f"      - {{value: 12, unit: months, {S}}}\n"
)


def test_a_runway_claim_reproduces_on_its_own_sources_cash_and_burn(tmp_path: Path) -> None:
    claim = _one(_claims(tmp_path, OWN_RUNWAY), "cash_runway 2025-09-30")
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx(12.0)  # 120 ÷ 10
    assert claim.assumption.startswith("cash_and_equivalents 2025-09-30 ÷ monthly_cash_burn FY2025: ")
    # Stated 24 months: 120 ÷ 10 = 12 on its own figures, 12 off; it does not reproduce.
    far = _one(
        _claims(tmp_path, OWN_RUNWAY.replace("value: 12, unit: months", "value: 24, unit: months")),
        "cash_runway 2025-09-30",
    )
    assert far.verdict == Verdict.DOES_NOT_REPRODUCE and far.computed == pytest.approx(12.0)


def _sheet(tmp_path: Path, facts: str) -> FactSheet:
    sheet, problems = read_sheet(write_sheet(tmp_path, facts))
    assert isinstance(sheet, FactSheet), [str(p) for p in problems]
    return sheet


def test_cagr_over_whole_years_and_what_the_sheet_holds(tmp_path: Path) -> None:
    # (3.124 ÷ 0.574)^(1/2) − 1 = 1.33292… → 133.29 %. Written "130" the figure is read as rounded
    # to tens (125 to 135): it reproduces, and the verdict says that to the unit it would not.
    facts = (
        f"  revenue:\n    FY2022: {{value: 0.574, unit: USD million, {S}}}\n"
        f"    FY2024: {{value: 3.124, unit: USD million, {S}}}\n"
        f"  revenue_cagr:\n    2022-01-01/2024-12-31: {{value: 130, unit: percent, {S}}}\n"
    )
    claim = _one(_claims(tmp_path, facts), "revenue_cagr 2022-01-01/2024-12-31")
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx(133.292, abs=0.001)
    assert "read to the unit it would not reproduce" in claim.assumption
    # Written 130.0 (129.95 to 130.05) it does not; read as about (±5 %) it would.
    exact = _one(_claims(tmp_path, facts.replace("value: 130,", "value: 130.0,")), "revenue_cagr 2022-01-01/2024-12-31")
    assert exact.verdict == Verdict.DOES_NOT_REPRODUCE
    assert exact.assumption.endswith("the sheet holds 130 as exact; read as about it would reproduce")
    about = facts.replace("value: 130,", "value: 130.0, qualifier: about,")
    assert _one(_claims(tmp_path, about), "revenue_cagr 2022-01-01/2024-12-31").verdict == Verdict.REPRODUCES


def test_a_multiple_of_revenue(tmp_path: Path) -> None:
    # R&D 21.95 ÷ revenue 3.124 = 7.026 times = 702.6 %; "7 times" is 700 % (650 to 750 as written).
    # Stated 800 % (750 to 850): does not reproduce.
    facts = (
        f"  revenue:\n    FY2024: {{value: 3.124, unit: USD million, {S}}}\n"
        f"  rd_expense:\n    FY2024: {{value: 21.95, unit: USD million, {S}}}\n"
        f"  rd_to_revenue:\n    FY2024: {{value: 700, unit: percent, {S}}}\n"
    )
    claim = _one(_claims(tmp_path, facts), "rd_to_revenue FY2024")
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx(2195 / 3.124)
    far = _one(_claims(tmp_path, facts.replace("value: 700,", "value: 800,")), "rd_to_revenue FY2024")
    assert far.verdict == Verdict.DOES_NOT_REPRODUCE


def test_a_share_without_amounts_against_100_less_its_group(tmp_path: Path) -> None:
    # consumer 84.5 % + enterprise 15.5 % = 100: each reproduces as 100 − the other.
    facts = (
        f"  revenue_share[consumer]:\n    FY2024: {{value: 84.5, unit: percent, {S}}}\n"
        f"  revenue_share[enterprise]:\n    FY2024: {{value: 15.5, unit: percent, {S}}}\n"
    )
    claims = _claims(tmp_path, facts)
    consumer = _one(claims, "revenue_share[consumer] FY2024")
    assert consumer.verdict == Verdict.REPRODUCES and consumer.computed == pytest.approx(84.5)  # 100 − 15.5
    # 80.5 + 15.5 = 96: 100 − 15.5 = 84.5 (84.45 to 84.55) is not 80.5.
    bad = _one(_claims(tmp_path, facts.replace("84.5", "80.5")), "revenue_share[consumer] FY2024")
    assert bad.verdict == Verdict.DOES_NOT_REPRODUCE and bad.computed == pytest.approx(84.5)


def test_a_segment_amount_derived_from_the_total(tmp_path: Path) -> None:
    # Enterprise FY2023 = 3.46 − 0.758 = 2.702; its share 2.702 ÷ 3.46 = 78.09 %, stated 78.1.
    facts = (
        f"  revenue:\n    FY2023: {{value: 3.46, unit: USD million, {S}}}\n"
        f"  revenue[consumer]:\n    FY2023: {{value: 0.758, unit: USD million, {S}}}\n"
        f"  revenue_share[enterprise]:\n    FY2023: {{value: 78.1, unit: percent, {S}}}\n"
    )
    claim = _one(_claims(tmp_path, facts), "revenue_share[enterprise] FY2023")
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx((3.46 - 0.758) / 3.46 * 100)
    assert claim.assumption.startswith("(revenue FY2023 − revenue[consumer] FY2023) ÷ revenue FY2023: ")


def test_a_last_quarter_as_the_year_less_nine_months_and_its_growth(tmp_path: Path) -> None:
    # Q4-2025 = 79.038 − 53.437 = 25.601; Q4-2024 = 30.52 − 19.45 = 11.07.
    # Growth 25.601 ÷ 11.07 − 1 = 131.27 %, stated 131. Stated Q4 25.6 reproduces (25.601).
    facts = (
        f"  revenue:\n    FY2024: {{value: 30.52, unit: USD million, {S}}}\n"
        f"    9M2024: {{value: 19.45, unit: USD million, {LATER}}}\n"
        f"    9M2025: {{value: 53.437, unit: USD million, {S}}}\n"
        f"    FY2025: {{value: 79.038, unit: USD million, {S}}}\n"
        f"    Q4-2025: {{value: 25.6, unit: USD million, {S}}}\n"
        f"  revenue_growth:\n    Q4-2025: {{value: 131, unit: percent, {S}}}\n"
    )
    claims = _claims(tmp_path, facts)
    quarter = _one(claims, "revenue Q4-2025")
    assert quarter.verdict == Verdict.REPRODUCES and quarter.computed == pytest.approx(25.601)
    growth = _one(claims, "revenue_growth Q4-2025")
    assert growth.verdict == Verdict.REPRODUCES and growth.computed == pytest.approx((25.6 / 11.07 - 1) * 100)
    # The growth rests on the 9M2024 figure from another source, and says so.
    assert growth.assumption.endswith("rests on other sources: other_20260110")


def test_losses_added_up_over_the_years(tmp_path: Path) -> None:
    # 0.737 + 2.69 + 4.65 + 5.12 = 13.197 (億); stated about 13.2 reproduces, 15 does not.
    facts = (
        f"  net_loss:\n    FY2022: {{value: 0.737, unit: USD 億, {S}}}\n"
        f"    FY2023: {{value: 2.69, unit: USD 億, {S}}}\n"
        f"    FY2024: {{value: 4.65, unit: USD 億, {S}}}\n"
        f"    9M2025: {{value: 5.12, unit: USD 億, {S}}}\n"
        f"    2022-01-01/2025-09-30: {{value: 13.2, unit: USD 億, qualifier: about, {S}}}\n"
    )
    claim = _one(_claims(tmp_path, facts), "net_loss 2022-01-01/2025-09-30")
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx(13.197)
    far = _one(_claims(tmp_path, facts.replace("value: 13.2,", "value: 15.5,")), "net_loss 2022-01-01/2025-09-30")
    assert far.verdict == Verdict.DOES_NOT_REPRODUCE
    # Without FY2023 the years do not tile the span: it names what is missing.
    gap = facts.replace("    FY2023: {value: 2.69, unit: USD 億, source: press_20260109}\n", "")
    missing = _one(_claims(tmp_path, gap), "net_loss 2022-01-01/2025-09-30")
    assert missing.assumption == "needs net_loss for the named periods from 2023-01-01 to 2025-09-30"


PRICES = (
    "  ipo_offer_price:\n    2026-01-09: {value: 165, unit: HKD per share, source: press_20260109}\n"
    "  share_price_close:\n    2026-01-09: {value: 345, unit: HKD per share, source: press_20260109}\n"
    "  share_price_open:\n    2026-01-09: {value: 235.4, unit: HKD per share, source: press_20260109}\n"
    "  shares_outstanding:\n    2026-01-10: {value: 309.26, unit: count million, source: other_20260110}\n"
)


def test_price_moves_against_the_offer_price_and_the_previous_close(tmp_path: Path) -> None:
    # Close 345 ÷ 165 − 1 = 109.09 %; open 235.4 ÷ 165 − 1 = 42.67 % (the listing day: against the offer).
    # The next day: market cap 127.5億 ÷ 309.26 M = 412.27; 412.27 ÷ 345 − 1 = 19.50 %.
    facts = PRICES.replace(
        "  ipo_offer_price", "  listing:\n    2026-01-09: {source: press_20260109}\n  ipo_offer_price"
    )
    facts += (
        f"  share_price_change_since_ipo:\n    2026-01-09: {{value: 109.09, unit: percent, {S}}}\n"
        f"  share_price_change_at_open:\n    2026-01-09: {{value: 42.67, unit: percent, {S}}}\n"
        f"  market_cap:\n    2026-01-10: {{value: 1275, unit: HKD 億, {LATER}}}\n"
        f"  share_price_change_day:\n    2026-01-10: {{value: 19.5, unit: percent, {LATER}}}\n"
        f"    2026-01-20: {{value: 5, unit: percent, {LATER}}}\n"
    )
    claims = _claims(tmp_path, facts)
    ipo = _one(claims, "share_price_change_since_ipo 2026-01-09")
    assert ipo.verdict == Verdict.REPRODUCES and ipo.computed == pytest.approx((345 / 165 - 1) * 100)
    opening = _one(claims, "share_price_change_at_open 2026-01-09")
    assert opening.verdict == Verdict.REPRODUCES and opening.computed == pytest.approx((235.4 / 165 - 1) * 100)
    day = _one(claims, "share_price_change_day 2026-01-10", "other_20260110")
    assert day.verdict == Verdict.REPRODUCES and day.computed == pytest.approx((1275e8 / 309.26e6 / 345 - 1) * 100)
    late = _one(claims, "share_price_change_day 2026-01-20", "other_20260110")
    assert late.assumption == (
        "needs share_price_close 2026-01-20, share_price_close on the trading day before 2026-01-20"
    )


def test_market_cap_against_price_times_shares(tmp_path: Path) -> None:
    # 345 × 309.26 M = 1066.947億; stated 1054 is 1.2 % below: within the 2 % for the share basis.
    # Stated 719 at the open price 235.4: 235.4 × 309.26 M = 727.98億… the open is checked as
    # market_cap_at_open; here 719 against the close 1066.9 is 32.6 % off: does not reproduce.
    # The only share count is dated the day after: it is used as the nearest count after the listing.
    facts = PRICES + (
        "  listing:\n    2026-01-09: {source: press_20260109}\n"
        f"  market_cap:\n    2026-01-09:\n      - {{value: 1054, unit: HKD 億, {S}}}\n"
        f"      - {{value: 719, unit: HKD 億, {LATER}}}\n"
        f"  market_cap_at_open:\n    2026-01-09: {{value: 72.8, unit: HKD billion, {S}}}\n"
    )
    claims = _claims(tmp_path, facts)
    close = _one(claims, "market_cap 2026-01-09")
    assert close.verdict == Verdict.REPRODUCES and close.computed == pytest.approx(345 * 309.26e6 / 1e8)
    assert "(the count nearest the day after the listing, 2026-01-10)" in close.assumption
    assert close.assumption.endswith("rests on other sources: other_20260110")
    # Without a listing date, a count of another day is not used: it cannot be checked.
    unlisted = _one(
        _claims(tmp_path, facts.replace("  listing:\n    2026-01-09: {source: press_20260109}\n", "")),
        "market_cap 2026-01-09",
    )
    assert unlisted.assumption == "needs shares_outstanding 2026-01-09"
    far = _one(claims, "market_cap 2026-01-09", "other_20260110")
    assert far.verdict == Verdict.DOES_NOT_REPRODUCE
    opening = _one(claims, "market_cap_at_open 2026-01-09")
    assert opening.verdict == Verdict.REPRODUCES and opening.computed == pytest.approx(235.4 * 309.26e6 / 1e9)


def test_revenue_per_paying_user_of_a_product(tmp_path: Path) -> None:
    # 17.46 million ÷ 311,100 payers = 56.12 USD per user; stated 56 reproduces (55.5 to 56.5).
    facts = (
        f"  revenue[consumer]:\n    9M2025: {{value: 17.46, unit: USD million, {S}}}\n"
        f"  paying_users[consumer]:\n    9M2025: {{value: 31.11, unit: count 萬, {S}}}\n"
        f"  arppu[consumer]:\n    9M2025: {{value: 56, unit: USD per user, {S}}}\n"
        f"  arppu:\n    9M2025: {{value: 15, unit: USD per user, {S}}}\n"
    )
    claims = _claims(tmp_path, facts)
    product = _one(claims, "arppu[consumer] 9M2025")
    assert product.verdict == Verdict.REPRODUCES and product.computed == pytest.approx(17.46e6 / 311_100)
    whole = _one(claims, "arppu 9M2025")
    assert whole.verdict == Verdict.CANNOT_BE_CHECKED


def test_gross_proceeds_and_cornerstone_share(tmp_path: Path) -> None:
    # 37,419,500 × 116.2 = 4,348.146 million; cornerstones 25,681,600 ÷ 37,419,500 = 68.63 %.
    facts = (
        "  ipo_offer_price:\n    2026-01-08: {value: 116.2, unit: HKD per share, source: press_20260109}\n"
        "  ipo_shares_offered:\n    2026-01-08: {value: 37419500, unit: count, source: press_20260109}\n"
        "  ipo_cornerstone_shares:\n    2026-01-08: {value: 25681600, unit: count, source: press_20260109}\n"
        "  ipo_gross_proceeds:\n    2026-01-08: {value: 4348.1, unit: HKD million, source: press_20260109}\n"
        "  ipo_cornerstone_share:\n    2026-01-08: {value: 68.63, unit: percent, source: press_20260109}\n"
    )
    claims = _claims(tmp_path, facts)
    proceeds = _one(claims, "ipo_gross_proceeds 2026-01-08")
    assert proceeds.verdict == Verdict.REPRODUCES and proceeds.computed == pytest.approx(4348.146)
    share = _one(claims, "ipo_cornerstone_share 2026-01-08")
    assert share.verdict == Verdict.REPRODUCES and share.computed == pytest.approx(25681600 / 37419500 * 100)


def test_the_verdict_filter() -> None:
    a = Claim("acme", "x FY2024", 1.0, 1.0, 1.0, "percent", "exact", "s", 1.0, Verdict.REPRODUCES, "")
    b = replace(a, verdict=Verdict.CANNOT_BE_CHECKED)
    assert with_verdicts([a, b], ["cannot be checked"]) == [b]
    assert with_verdicts([a, b], []) == [a, b]
    with pytest.raises(UsageError):
        with_verdicts([a], ["wrong"])


def test_a_claim_stated_as_a_range_is_listed_with_its_ends(tmp_path: Path) -> None:
    # compute 14.5 ÷ R&D 19.6 = 73.98 %; rounding allows 14.45 ÷ 19.65 = 73.54 % to 14.55 ÷ 19.55 = 74.42 %.
    # Stated 70–80 % (69.5 to 80.5 as written) meets it; 80–90 % (79.5 to 90.5) does not.
    facts = (
        f"  rd_expense:\n    FY2024: {{value: 19.6, unit: USD million, {S}}}\n"
        f"  compute_cost:\n    FY2024: {{value: 14.5, unit: USD million, {S}}}\n"
        f"  compute_to_rd:\n    FY2024: {{value: [70, 80], unit: percent, qualifier: range, {S}}}\n"
    )
    claim = _one(_claims(tmp_path, facts), "compute_to_rd FY2024")
    assert (claim.stated_low, claim.stated_high, claim.qualifier) == (70.0, 80.0, "range")
    assert math.isnan(claim.stated)  # a range has no one stated value, and never its midpoint
    assert claim.verdict == Verdict.REPRODUCES and claim.computed == pytest.approx(14.5 / 19.6 * 100)
    far = _one(_claims(tmp_path, facts.replace("[70, 80]", "[80, 90]")), "compute_to_rd FY2024")
    assert far.verdict == Verdict.DOES_NOT_REPRODUCE and (far.stated_low, far.stated_high) == (80.0, 90.0)


def test_a_point_claim_states_its_value_as_both_ends(tmp_path: Path) -> None:
    facts = (
        f"  revenue:\n    FY2024: {{value: 312, unit: USD million, {S}}}\n"
        f"  gross_profit:\n    FY2024: {{value: 104, unit: USD million, {S}}}\n"
        f"  gross_margin:\n    FY2024: {{value: 33.3, unit: percent, {S}}}\n"
    )
    claim = _one(_claims(tmp_path, facts), "gross_margin FY2024")
    assert (claim.stated, claim.stated_low, claim.stated_high) == (33.3, 33.3, 33.3)
