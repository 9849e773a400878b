"""The shipped data: every sheet loads, the prospectus figures are there with their sources, and
the disagreements between sources are kept as conflicts. Expected values were read by hand
from ../shared/sources; the wording they come from is given beside each."""

import pytest

from minimetrics import Fact, FactSheet, find_company, load_data, resolve_data_dir

DATA = load_data(resolve_data_dir())


def _fact(company: str, key: str, period: str) -> Fact:
    fact = find_company(DATA, company).fact(key, period)
    assert fact is not None, f"{company} {key} {period} missing"
    return fact


def _values(fact: Fact) -> set[tuple[float | None, str]]:
    return {(r.value, r.source) for r in fact.reports}


def test_every_shipped_file_loads_without_warnings() -> None:
    assert sorted(DATA.ids) == ["minimax", "zhipu"]
    assert DATA.fx is not None
    assert DATA.warnings == ()


def test_every_fact_cites_a_listed_source() -> None:
    for sheet in DATA.sheets:
        listed = {s.id for s in sheet.sources}
        assert {r.source for f in sheet.facts for r in f.reports} <= listed


@pytest.mark.parametrize(
    ("key", "period", "value", "unit", "source"),
    [
        # NetEase Tech (file 000): revenue US$346萬 in 2023, US$3052萬 in 2024, US$5344萬 in the first
        # nine months of 2025, up 174.7 % on a year earlier.
        ("revenue", "FY2023", 346, "USD 萬", "netease_20260109"),
        ("revenue", "FY2024", 3052, "USD 萬", "netease_20260109"),
        ("revenue", "9M2025", 5344, "USD 萬", "netease_20260109"),
        ("revenue_growth", "9M2025", 174.7, "percent", "netease_20260109"),
        # AI Silicon Future (file 000): a cash balance of US$10.5億 at 30 September 2025, of which
        # US$3.6億 cash and cash equivalents.
        ("cash_and_liquid_assets", "2025-09-30", 10.5, "USD 億", "aisilicon_20260109"),
        ("cash_and_equivalents", "2025-09-30", 3.6, "USD 億", "aisilicon_20260109"),
        # AI Silicon Future: expected cash use of about US$2790萬 a month in the year to 2025-12-31.
        ("monthly_cash_burn", "FY2025", 2790, "USD 萬 per month", "aisilicon_20260109"),
    ],
)
def test_minimax_prospectus_figures(key: str, period: str, value: float, unit: str, source: str) -> None:
    fact = _fact("minimax", key, period)
    assert any(
        r.value == value and r.unit is not None and r.unit.text == unit and r.source == source for r in fact.reports
    )


def test_minimax_fy2024_revenue_june_2025_estimate_conflicts_with_prospectus() -> None:
    # File 003 (June 2025, before the prospectus): 2024 revenue above US$7000萬; the prospectus: 3052萬.
    fact = _fact("minimax", "revenue", "FY2024")
    assert fact.conflict and not fact.unresolved  # rank 4 against rank 2: the prospectus wins
    assert (7000, "unnamed_20250618") in _values(fact)
    assert fact.value.value == 3052


def test_minimax_9m2025_revenue_from_the_ft_translation_is_a_conflict() -> None:
    # invest wallstreet (FT translation): nine-month revenue of US$1億, against 5343.7萬 in the prospectus.
    fact = _fact("minimax", "revenue", "9M2025")
    assert fact.conflict
    assert (1, "investwallstreet_20260109") in _values(fact)
    assert fact.value.value == 5343.7  # AI矽基未來 gives the most precise agreeing figure


def test_minimax_cash_at_september_2025_keeps_every_definition_and_figure() -> None:
    # AI矽基未來: cash and equivalents 3.6億 (minichart: US$362.6 million, which agrees), within a
    # cash balance of 10.5億; NetEase: cash plus wealth-management products above 11億, which disagrees. Two
    # outlets label 10.46億 and ">11億" as cash and equivalents; their amounts are cash plus
    # financial assets (362.6 + 644.2 million), so they are filed there.
    cash = _fact("minimax", "cash_and_equivalents", "2025-09-30")
    liquid = _fact("minimax", "cash_and_liquid_assets", "2025-09-30")
    assert not cash.conflict and cash.value.value == 362.6
    # 10.5 and more than 11, both rank 2: a reviewer chose 10.5 (preferred_because), so it is
    # shown and the conflict stays visible but is no longer unresolved.
    assert liquid.conflict and not liquid.unresolved and liquid.resolution
    assert (liquid.value.value, liquid.value.source) == (10.5, "aisilicon_20260109")
    assert {(10.5, "aisilicon_20260109"), (11, "netease_20260109"), (10.46, "infoq_20251201")} <= _values(liquid)


def test_minimax_offer_maximum_is_filed_apart_from_the_shares_sold() -> None:
    # AI Silicon Future's "about 3358萬 shares raising about HK$55.4億" is the maximum with both
    # options: 25,389,220 × 1.15 × 1.15 = 33,577,243 ≈ 3358萬, and 3357.72萬 × HK$165 = 55.40億.
    # So it is filed under the _max metrics, apart from the shares sold (29.1976 million × 165 =
    # HK$4,817.6 million). NetEase says about 2538.92萬 were issued in this IPO: that is the base
    # offer (25,389,220), but NetEase ties it to the listing, so it stays there and disagrees with
    # Deep News (rank 2 against rank 3); a reviewer's preferred_because shows the shares sold.
    shares = _fact("minimax", "ipo_shares_offered", "2026-01-09")
    proceeds = _fact("minimax", "ipo_gross_proceeds", "2026-01-09")
    assert shares.conflict and not shares.unresolved and "base offer" in shares.resolution
    assert _values(shares) == {(29.1976, "deepnews_20260113"), (2538.92, "netease_20260109")}
    assert (shares.value.value, shares.value.source) == (29.1976, "deepnews_20260113")
    assert not proceeds.conflict and (55.4, "aisilicon_20260109") not in _values(proceeds)
    # NetEase's 55.4億 is 預計 (expected) if the over-allotment is exercised: an estimate.
    maximum = _fact("minimax", "ipo_gross_proceeds_max", "2026-01-09")
    assert {(r.value, r.source, r.outlook) for r in maximum.reports} == {
        (55.4, "netease_20260109", "estimate"),
        (55.4, "aisilicon_20260109", ""),
    }
    assert (3358, "aisilicon_20260109") in _values(_fact("minimax", "ipo_shares_offered_max", "2026-01-09"))
    assert _values(_fact("minimax", "ipo_shares_offered", "2025-12-31")) == {(25389220, "minichart_20260104")}


def test_zhipu_funding_rounds_disagree() -> None:
    # Baobian (file 004): 18 funding rounds before the listing; FT translation: eight rounds in six years.
    fact = _fact("zhipu", "funding_rounds", "2026-01-08")
    assert fact.conflict and _values(fact) == {(18, "baobian_20260112"), (8, "investwallstreet_20260109")}


def test_zhipu_rd_is_about_seven_times_revenue() -> None:
    # 伯虎財經: 2024 revenue 3.124億, R&D 21.95億 → 21.95 / 3.124 = 7.026, the "7倍" it states.
    revenue = _fact("zhipu", "revenue", "FY2024").value
    rd = _fact("zhipu", "rd_expense", "FY2024")
    bohu = next(r for r in rd.reports if r.source == "bohu_20260112")
    assert (revenue.value, bohu.value) == (3.124, 21.95)
    assert bohu.value is not None and revenue.value is not None
    assert bohu.value / revenue.value == pytest.approx(7.026, abs=0.001)


def test_sources_have_outlet_title_and_date() -> None:
    sheets: tuple[FactSheet, ...] = DATA.sheets
    for source in (s for sheet in sheets for s in sheet.sources):
        assert source.outlet and source.title and source.published.year >= 2023


def test_minimax_ipo_proceeds_in_usd_disagree_and_stay_apart_from_hkd() -> None:
    # FT translation US$6.19億, Bloomberg US$619 million, Reuters US$620 million agree; cnyes'
    # US$6.8億 does not. They are the press's conversions, so they form their own
    # fact (segment usd_conversion) instead of being mixed with the HK$4.8bn.
    usd = _fact("minimax", "ipo_gross_proceeds[usd_conversion]", "2026-01-09")
    assert usd.conflict and not usd.unresolved and "6.8億" in usd.resolution
    assert (usd.value.value, usd.value.source) == (619, "bloomberg_20260112")
    assert (6.8, "cnyes_20260303") in _values(usd) and (619, "bloomberg_20260112") in _values(usd)
    assert all(r.unit is not None and r.unit.currency == "USD" for r in usd.reports)


def _inferred(company: str, key: str, period: str, source: str) -> str:
    return next(r.period_inferred for r in _fact(company, key, period).reports if r.source == source)


def test_periods_the_sources_do_not_state_say_how_they_were_placed() -> None:
    # cnyes gives the US$10.5億 reserve with the FY2025 results but no balance date: the headline
    # runway's cash date (2025-12-31) is the sheet's assumption.
    assert _inferred("minimax", "cash_and_liquid_assets", "2025-12-31", "cnyes_20260303") == "not_stated"
    # 鏡象娛樂 writes 截至2025年9月底 before its about 13萬 customers and developers: a stated date.
    assert _inferred("minimax", "customers_and_developers", "2025-09-30", "jingxiang_20260109") == ""
    # 財經天下: 截至2025年9月底 for the Hailuo paying users, a count at a date filed under the nine months.
    assert _inferred("minimax", "paying_users[hailuo]", "9M2025", "caijingtianxia_20260213") == "kind_changed"
    # LatePost dates neither the angel plan nor the round; 2021-12 is 財經天下's month for the round.
    assert _inferred("minimax", "planned_funding_amount[angel]", "2021-12", "latepost_20260109") == "from_context"
    # 豹變's 截至9月30日 has no year, for MiniMax's users as for Zhipu's institutional customers.
    assert _inferred("minimax", "cumulative_users", "2025-09-30", "baobian_20260112") == "from_context"
    assert _inferred("zhipu", "institutional_customers", "2025-09-30", "baobian_20260112") == "from_context"


def test_refiled_after_the_second_reading() -> None:
    # 網易: 320億 demand and over 190億 orders are of the international placing with the
    # cornerstones taken out (剔除基石…國配), the scope of its 79 times oversubscription.
    assert _values(_fact("minimax", "ipo_demand[ex_cornerstone]", "2026-01-09")) == {(320, "netease_20260109")}
    assert _values(_fact("minimax", "ipo_order_book[ex_cornerstone]", "2026-01-09")) == {(190, "netease_20260109")}
    # minichart's HK$151.0–165.0 is the range before pricing: an estimate, never the final 165.
    (offer_range,) = _fact("minimax", "ipo_offer_price", "2025-12-31").reports
    assert (offer_range.value_range, offer_range.outlook) == ((151.0, 165.0), "estimate")
    # 伯虎財經: the API business, whose share rose from 4.5 % (2022) to 15.5 % (2024), to reach half.
    target = _fact("zhipu", "target_revenue_share[cloud]", "2026-01-12")
    assert _values(target) == {(50, "bohu_20260112")}
