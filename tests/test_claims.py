"""Claims checked on tiny hand-written sheets, the arithmetic beside each expected value.

A claim is a figure a source states that the sheet's other figures imply; it reproduces
when the interval its rounding allows meets the interval the amounts' rounding allows.
"""

import math
from pathlib import Path

import pytest
from conftest import write_sheet

from minimetrics import read_sheet
from minimetrics.claims import check_claims
from minimetrics.factsheet import FactSheet
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
    assert close.assumption == "gross_profit ÷ revenue, FY2024"
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
    assert claim.assumption == "−net_loss ÷ revenue, FY2024"


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
    assert claim.assumption == "revenue may be zero"


def test_a_ratio_without_its_inputs_cannot_be_checked(tmp_path: Path) -> None:
    claims = _claims(tmp_path, f"  rd_to_revenue:\n    FY2024: {{value: 80, unit: percent, {S}}}\n")
    claim = _one(claims, "rd_to_revenue FY2024")
    assert (claim.verdict, claim.assumption) == (Verdict.CANNOT_BE_CHECKED, "the sheet lacks rd_expense or revenue")


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
    assert share.assumption == "revenue[consumer] ÷ revenue, FY2024"
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
    assert year.assumption == "revenue FY2025 ÷ revenue FY2024 − 1"
    assert _one(claims, "revenue_growth H1-2026").computed == pytest.approx(50.0)
    missing = _one(claims, "revenue_growth H1-2025")
    assert (missing.verdict, missing.assumption) == (Verdict.CANNOT_BE_CHECKED, "the sheet lacks revenue for H1-2024")


RUNWAY = (
    # Cash published on 2026-01-10 only; the 9M2025 loss on 2026-01-09. 120 ÷ (90 ÷ 9) = 12 months.
    f"  cash_and_equivalents:\n    2025-09-30: {{value: 120, unit: USD million, {LATER}}}\n"
    f"  net_loss:\n    9M2025: {{value: 90, unit: USD million, {S}}}\n"
    "  cash_runway:\n    2025-09-30:\n"
    f"      - {{value: 12, unit: months, {S}}}\n"
    f"      - {{value: 1, unit: years, {LATER}}}\n"
)


def test_a_runway_claim_rests_only_on_figures_published_by_its_own_date(tmp_path: Path) -> None:
    claims = _claims(tmp_path, RUNWAY)
    # The 2026-01-09 source could not have used a cash figure first published a day later.
    early = _one(claims, "cash_runway 2025-09-30")
    assert early.verdict == Verdict.CANNOT_BE_CHECKED and math.isnan(early.computed)
    assert early.assumption == "the sheet has no cash and burn to test it"
    # The 2026-01-10 source knew both: 12 months = 1 year, within what "1 year" allows (0.9 to 1.1).
    late = _one(claims, "cash_runway 2025-09-30", "other_20260110")
    assert late.verdict == Verdict.REPRODUCES and late.computed == pytest.approx(1.0)
    assert late.assumption == (
        "cash_and_equivalents 120 USD million [other_20260110] ÷ net_loss 9M2025 90 USD million [press_20260109] ÷ 9"
    )


def test_a_runway_claim_that_no_pairing_gives_names_the_closest(tmp_path: Path) -> None:
    # Stated 1 year from 2026-01-10, but 240 ÷ 10 = 24 months = 2 years: the closest pairing is named.
    claims = _claims(tmp_path, RUNWAY.replace("value: 120,", "value: 240,"))
    claim = _one(claims, "cash_runway 2025-09-30", "other_20260110")
    assert claim.verdict == Verdict.DOES_NOT_REPRODUCE and claim.computed == pytest.approx(2.0)
    assert claim.assumption.startswith("closest: cash_and_equivalents 240 USD million")
